// Exact propagators of linear systems x' = A x + B u + c over one step dt, from the
// matrix exponential of the augmented matrix (Van Loan), so singular A works too.
#pragma once

#include <Eigen/Dense>

namespace axon::passes {

struct Propagator {
  Eigen::MatrixXd Phi;  // x(t+dt) = Phi x(t) + Gamma u + gamma
  Eigen::MatrixXd Gamma;
  Eigen::VectorXd gamma;
};

Propagator exact_propagator(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::VectorXd& c, double dt);

}  // namespace axon::passes
