// Checks `run NET { duration = 1 s; dt = 0.1 ms; seed = 1 }`.
// Allowed:      duration (a time > 0) or steps (a whole number > 0), dt (a time > 0),
//               seed (a whole number >= 0).
// Not allowed:  dt = -0.1 ms (E071), dt = 1 mV (E020), an unknown network (E070).
#include <cmath>
#include <map>

#include "compiler/sema/builtins.h"
#include "compiler/sema/check_expr.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/sema.h"

namespace axon::sema {

namespace {

class NoNames : public Scope {
 public:
  std::optional<Symbol> lookup(const std::string&) const override { return std::nullopt; }
};

}  // namespace

void check_runs(Program& program, Diagnostics& diags) {
  for (ast::Module& m : program.modules) {
    for (ast::Run& r : m.runs) {
      if (program.network(r.network.name) == nullptr) {
        Diagnostic& d = diags.error("E070", r.network.range, "unknown network '" + r.network.name + "'");
        std::string best;
        size_t best_d = 3;
        for (const auto& [name, n] : program.networks) {
          size_t dist = edit_distance(name, r.network.name);
          if (dist < best_d && dist < r.network.name.size()) best_d = dist, best = name;
        }
        if (!best.empty()) d.hint = "did you mean '" + best + "'?";
      }
      std::map<std::string, SourceRange> seen;
      for (ast::Binding& b : r.settings) {
        auto [it, fresh] = seen.emplace(b.name, b.range);
        if (!fresh) {
          Diagnostic& d = diags.error("E011", b.range, "run setting '" + b.name + "' is given twice");
          d.notes.push_back({it->second, "first given here"});
        }
        NoNames scope;
        Ty t = check_expr(*b.value, scope, diags);
        auto v = eval_const(*b.value);
        bool is_time = b.name == "duration" || b.name == "dt";
        bool is_count = b.name == "seed" || b.name == "steps";
        if (!is_time && !is_count) {
          diags.error("E070", b.range, "unknown run setting '" + b.name + "'").hint =
              "a run takes duration, steps, dt and seed";
          continue;
        }
        if (is_time && !require_dim(t, units::dims::time(), b.value->range, "'" + b.name + "'", diags, b.value.get()))
          continue;
        if (is_count && t.known && !t.dim.is_dimensionless()) {
          diags.error("E020", b.value->range, "'" + b.name + "' is a number, not " + units::describe_dimension(t.dim));
          continue;
        }
        if (!v) {
          diags.error("E071", b.value->range, "'" + b.name + "' must be a constant");
          continue;
        }
        if (is_time && *v <= 0) {
          diags.error("E071", b.value->range, "'" + b.name + "' must be positive");
        } else if (is_count && (*v < (b.name == "steps" ? 1 : 0) || *v != std::floor(*v))) {
          diags.error("E071", b.value->range,
                      "'" + b.name + "' must be a whole number" + (b.name == "steps" ? " greater than 0" : " >= 0"));
        }
      }
    }
  }
}

}  // namespace axon::sema
