// connect patched(n, stride_pre, stride_post): ngclearn's patched block structure,
// checked pair by pair against the blocks written out as a dense mask.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "runtime/engine/connectivity.h"

using axon::rt::ConnectKind;
using axon::rt::ConnectSpec;
using axon::rt::Csr;

namespace {

// The dense mask as ngclearn builds its weights: each block set, then the outer stride
// rows and columns cleared.
std::vector<std::vector<bool>> block_mask(int64_t n, int64_t si, int64_t sj, int64_t rows, int64_t cols) {
  int64_t di = (rows - 2 * si) / n, dj = (cols - 2 * sj) / n;
  std::vector<std::vector<bool>> m(rows, std::vector<bool>(cols, false));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = b * di; i < (b + 1) * di + 2 * si; ++i)
      for (int64_t j = b * dj; j < (b + 1) * dj + 2 * sj; ++j) m[i][j] = true;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      if ((si > 0 && (i < si || i >= rows - si)) || (sj > 0 && (j < sj || j >= cols - sj))) m[i][j] = false;
  return m;
}

void check(int64_t n, int64_t si, int64_t sj, int64_t rows, int64_t cols) {
  ConnectSpec spec;
  spec.kind = ConnectKind::Patched;
  spec.k = n;
  spec.stride_pre = si;
  spec.stride_post = sj;
  Csr csr = axon::rt::connect(spec, rows, cols, 1, 2);
  auto want = block_mask(n, si, sj, rows, cols);
  std::vector<std::vector<bool>> got(rows, std::vector<bool>(cols, false));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t k = csr.row_ptr[i]; k < csr.row_ptr[i + 1]; ++k) {
      CHECK_FALSE(got[i][csr.post[k]]);  // no pair twice
      got[i][csr.post[k]] = true;
      if (k > csr.row_ptr[i]) CHECK(csr.post[k] > csr.post[k - 1]);
    }
  CHECK(got == want);
}

}  // namespace

TEST_CASE("patched connectivity: blocks without overlap are block-diagonal", "[connectivity]") {
  check(3, 0, 0, 12, 6);
  check(1, 0, 0, 5, 7);
}

TEST_CASE("patched connectivity: strides overlap the blocks and clear the outer rows and columns", "[connectivity]") {
  check(3, 1, 1, 3 * 4 + 2, 3 * 2 + 2);
  check(4, 2, 1, 4 * 3 + 4, 4 * 5 + 2);
  check(2, 0, 3, 2 * 6, 2 * 2 + 6);
}

TEST_CASE("patched connectivity: sizes that do not split into the blocks are an error", "[connectivity]") {
  ConnectSpec spec;
  spec.kind = ConnectKind::Patched;
  spec.k = 3;
  spec.stride_pre = 1;
  CHECK_THROWS_WITH(axon::rt::connect(spec, 13, 6, 1, 2),
                    "connect patched: 3 blocks with strides (1, 0) need n_pre - 2 stride_pre and n_post - 2 "
                    "stride_post to be positive multiples of 3, got n_pre = 13, n_post = 6");
}
