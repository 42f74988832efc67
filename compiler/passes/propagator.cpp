#include "compiler/passes/propagator.h"

#include <unsupported/Eigen/MatrixFunctions>

namespace axon::passes {

Propagator exact_propagator(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B,
                            const Eigen::VectorXd& c, double dt) {
  const Eigen::Index n = A.rows(), m = B.cols();
  // [[A, B, c], [0, 0, 0]] * dt; its exponential holds Phi, the integral of e^{As} B and
  // of e^{As} c in its first n rows.
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n + m + 1, n + m + 1);
  M.topLeftCorner(n, n) = A;
  if (m > 0) M.block(0, n, n, m) = B;
  M.block(0, n + m, n, 1) = c;
  Eigen::MatrixXd E = (M * dt).exp();
  Propagator p;
  p.Phi = E.topLeftCorner(n, n);
  p.Gamma = E.block(0, n, n, m);
  p.gamma = E.block(0, n + m, n, 1);
  return p;
}

}  // namespace axon::passes
