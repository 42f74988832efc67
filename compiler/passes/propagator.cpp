#include "compiler/passes/propagator.h"

#include <cmath>
#include <unsupported/Eigen/MatrixFunctions>
#include <vector>

namespace axon::passes {

Propagator exact_propagator(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::VectorXd& c, double dt) {
  const Eigen::Index n = A.rows(), m = B.cols();
  // [[A, B, c], [0, 0, 0]] * dt; its exponential holds Phi, the integral of e^{As} B and
  // of e^{As} c in its first n rows.
  // Input columns with entries * dt above 1 are scaled down by powers of two (exact) to
  // [1, 2): the top-right blocks are linear in them, but large ones (R/tau = 1e9 ohm/s
  // next to A = -100/s) inflate the norm of M dt, and scaling and squaring then loses
  // about three digits in every block (found by tests/backend: 3.6e-12 relative in a LIF).
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n + m + 1, n + m + 1);
  M.topLeftCorner(n, n) = A;
  if (m > 0) M.block(0, n, n, m) = B;
  M.block(0, n + m, n, 1) = c;
  std::vector<int> shift(m + 1, 0);
  for (Eigen::Index j = 0; j <= m; ++j) {
    double size = M.col(n + j).cwiseAbs().maxCoeff() * dt;
    if (!(size > 1) || !std::isfinite(size)) continue;
    shift[j] = -std::ilogb(size);
    M.col(n + j) *= std::ldexp(1.0, shift[j]);
  }
  Eigen::MatrixXd E = (M * dt).exp();
  for (Eigen::Index j = 0; j <= m; ++j) E.col(n + j) *= std::ldexp(1.0, -shift[j]);
  Propagator p;
  p.Phi = E.topLeftCorner(n, n);
  p.Gamma = E.block(0, n, n, m);
  p.gamma = E.block(0, n + m, n, 1);
  return p;
}

}  // namespace axon::passes
