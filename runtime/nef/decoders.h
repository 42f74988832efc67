// Decoders by L2-regularised least squares over evaluation points, as Nengo's default solver
// LstsqL2 with its Cholesky subsolver (nengo/solvers.py, utils/least_squares_solvers.py, 4.1).
#pragma once

#include <Eigen/Dense>

#include "runtime/nef/neuron_rates.h"

namespace axon::nef {

/// The activity matrix A (m evaluation points x n neurons) from the analytic rate curve, as
/// Nengo's get_activities: A(k, i) = rate(type, gain_i * (x_k . e_i) / radius + bias_i).
/// eval_points (m x d) are in represented units (Nengo scales its unit-ball samples by the
/// radius first); encoders (n x d) are unit rows. Throws std::invalid_argument when the shapes
/// disagree or radius <= 0. Izhikevich costs a 1001-step simulation per entry (as in Nengo).
Eigen::MatrixXd activities(const NeuronType& type, const Eigen::MatrixXd& eval_points, const Eigen::MatrixXd& encoders,
                           const Eigen::ArrayXd& gain, const Eigen::ArrayXd& bias, double radius = 1);

struct DecoderSolution {
  Eigen::MatrixXd decoders;  // n neurons x d_out
  Eigen::VectorXd rmses;     // per output column: sqrt(mean_k (Y - A D)^2), Nengo's info["rmses"]
  double rmse = 0;           // the same over all m x d_out entries
  double relative_rmse = 0;  // rmse / rms(Y) (0 when both are 0, infinity when only Y is 0)
  double sigma = 0;          // reg * max(A)
  bool transposed = false;   // m < n: solved in Nengo's m x m form
};

/// Nengo's LstsqL2(reg)(A, Y) with Cholesky(): sigma = reg * max(A), lambda = m sigma^2, and
/// - m >= n: D = (A^T A + lambda I)^-1 A^T Y (n x n system);
/// - m < n (Nengo transposes "fat" systems): D = A^T (A A^T + lambda I)^-1 Y (m x m system),
///   the same D in exact arithmetic.
/// The system is factored by Eigen's LLT (Cholesky); if that fails (not positive definite:
/// reg = 0 with dependent columns) by LDLT, where Nengo falls back to np.linalg.solve.
/// Throws std::invalid_argument when A and Y differ in rows, A is empty, or reg is negative
/// or not finite; std::runtime_error when neither factorisation succeeds.
DecoderSolution solve_lstsq_l2(const Eigen::MatrixXd& A, const Eigen::MatrixXd& Y, double reg = 0.1);

/// solve_lstsq_l2(activities(type, eval_points, encoders, gain, bias, radius), targets, reg):
/// the decoders of a connection whose function gives targets (m x d_out) at eval_points.
DecoderSolution solve_decoders(const NeuronType& type, const Eigen::MatrixXd& eval_points,
                               const Eigen::MatrixXd& encoders, const Eigen::ArrayXd& gain, const Eigen::ArrayXd& bias,
                               double radius, const Eigen::MatrixXd& targets, double reg = 0.1);

}  // namespace axon::nef
