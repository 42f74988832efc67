#include "runtime/nef/decoders.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace axon::nef {
namespace {

/// Solves G X = B for symmetric G whose lower triangle is filled: LLT, else LDLT.
Eigen::MatrixXd solve_symmetric(const Eigen::MatrixXd& G, const Eigen::MatrixXd& B) {
  Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> llt(G);
  if (llt.info() == Eigen::Success) return llt.solve(B);
  Eigen::LDLT<Eigen::MatrixXd, Eigen::Lower> ldlt(G);
  if (ldlt.info() == Eigen::Success) {
    Eigen::MatrixXd X = ldlt.solve(B);
    if (X.allFinite()) return X;
  }
  throw std::runtime_error("LstsqL2: the regularised normal equations are singular");
}

}  // namespace

Eigen::MatrixXd activities(const NeuronType& type, const Eigen::MatrixXd& eval_points, const Eigen::MatrixXd& encoders,
                           const Eigen::ArrayXd& gain, const Eigen::ArrayXd& bias, double radius) {
  if (eval_points.cols() != encoders.cols() || gain.size() != encoders.rows() || bias.size() != encoders.rows()) {
    std::ostringstream msg;
    msg << "activities: eval points " << eval_points.rows() << "x" << eval_points.cols() << ", encoders "
        << encoders.rows() << "x" << encoders.cols() << ", " << gain.size() << " gains and " << bias.size()
        << " biases do not fit together";
    throw std::invalid_argument(msg.str());
  }
  if (!(radius > 0)) throw std::invalid_argument("activities: radius must be positive");
  Eigen::MatrixXd A = eval_points * encoders.transpose() / radius;
  for (Eigen::Index i = 0; i < A.cols(); ++i)
    for (Eigen::Index k = 0; k < A.rows(); ++k) A(k, i) = rate(type, gain[i] * A(k, i) + bias[i]);
  return A;
}

DecoderSolution solve_lstsq_l2(const Eigen::MatrixXd& A, const Eigen::MatrixXd& Y, double reg) {
  if (A.rows() != Y.rows()) {
    std::ostringstream msg;
    msg << "LstsqL2: activities have " << A.rows() << " rows but targets " << Y.rows();
    throw std::invalid_argument(msg.str());
  }
  if (A.size() == 0) throw std::invalid_argument("LstsqL2: empty activity matrix");
  if (!(reg >= 0) || !std::isfinite(reg)) throw std::invalid_argument("LstsqL2: reg must be finite and >= 0");

  const Eigen::Index m = A.rows(), n = A.cols();
  DecoderSolution out;
  out.sigma = reg * A.maxCoeff();
  const double lambda = double(m) * out.sigma * out.sigma;
  out.transposed = m < n;
  if (out.transposed) {
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(m, m);
    G.selfadjointView<Eigen::Lower>().rankUpdate(A);
    G.diagonal().array() += lambda;
    out.decoders = A.transpose() * solve_symmetric(G, Y);
  } else {
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(n, n);
    G.selfadjointView<Eigen::Lower>().rankUpdate(A.transpose());
    G.diagonal().array() += lambda;
    out.decoders = solve_symmetric(G, A.transpose() * Y);
  }

  const Eigen::MatrixXd error = Y - A * out.decoders;
  out.rmses = (error.colwise().squaredNorm() / double(m)).cwiseSqrt().transpose();
  const double entries = double(m) * double(Y.cols());
  out.rmse = entries > 0 ? std::sqrt(error.squaredNorm() / entries) : 0;
  const double rms_y = entries > 0 ? std::sqrt(Y.squaredNorm() / entries) : 0;
  out.relative_rmse = rms_y > 0 ? out.rmse / rms_y : out.rmse == 0 ? 0 : std::numeric_limits<double>::infinity();
  return out;
}

DecoderSolution solve_decoders(const NeuronType& type, const Eigen::MatrixXd& eval_points,
                               const Eigen::MatrixXd& encoders, const Eigen::ArrayXd& gain, const Eigen::ArrayXd& bias,
                               double radius, const Eigen::MatrixXd& targets, double reg) {
  return solve_lstsq_l2(activities(type, eval_points, encoders, gain, bias, radius), targets, reg);
}

}  // namespace axon::nef
