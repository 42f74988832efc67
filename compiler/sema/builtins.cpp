#include "compiler/sema/builtins.h"

#include <algorithm>
#include <vector>

namespace axon::sema {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_function(const std::string& name) {
  std::string best;
  size_t best_d = 3;  // farther than two edits is not a typo
  for (const FunctionInfo& f : builtins::all_functions()) {
    size_t d = edit_distance(name, f.name);
    if (d < best_d && d < name.size()) {
      best_d = d;
      best = f.name;
    }
  }
  return best;
}

}  // namespace axon::sema
