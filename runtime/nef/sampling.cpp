#include "runtime/nef/sampling.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "runtime/engine/distributions.h"
#include "runtime/engine/rng.h"

namespace axon::nef {
namespace {

constexpr double pi = 3.14159265358979323846;

void require_dimensions(Eigen::Index d, const char* what) {
  if (d < 1) {
    std::ostringstream msg;
    msg << what << ": Dimensions must be a positive integer (got " << d << ")";
    throw std::invalid_argument(msg.str());
  }
}

void require_min_magnitude(double m, const char* what) {
  if (!(m >= 0 && m < 1)) {
    std::ostringstream msg;
    msg << what << ": min_magnitude must be in [0, 1) (got " << m << ")";
    throw std::invalid_argument(msg.str());
  }
}

/// NumPy's shuffle of the rows of x (Fisher-Yates from the end) on the stream `index`.
void shuffle_rows(Eigen::MatrixXd& x, uint64_t seed, uint64_t object, uint64_t index) {
  for (Eigen::Index i = x.rows() - 1; i >= 1; --i) {
    const auto j = Eigen::Index(rt::uniform_below(rt::random_bits(seed, object, index, uint64_t(i)), uint64_t(i) + 1));
    if (j != i) x.row(i).swap(x.row(j));
  }
}

/// S_m(theta) = integral over [0, theta] of sin^m, by the recurrence from S_0 or S_1.
double sin_power_integral(Eigen::Index m, double theta) {
  const double s = std::sin(theta), c = std::cos(theta);
  const double half_sin = std::sin(0.5 * theta);
  double value = (m % 2 == 0) ? theta : 2 * half_sin * half_sin;  // 1 - cos, no cancellation
  double s_power = (m % 2 == 0) ? s : s * s;                      // sin^(k-1) for the next k
  for (Eigen::Index k = (m % 2 == 0) ? 2 : 3; k <= m; k += 2) {
    value = -s_power * c / double(k) + double(k - 1) / double(k) * value;
    s_power *= s * s;
  }
  return value;
}

}  // namespace

Eigen::ArrayXd sample_uniform(Eigen::Index n, double low, double high, uint64_t seed, uint64_t object) {
  const rt::Distribution dist = rt::uniform(low, high);
  Eigen::ArrayXd out(n);
  for (Eigen::Index i = 0; i < n; ++i) out[i] = rt::sample(dist, seed, object, uint64_t(i));
  return out;
}

Eigen::MatrixXd uniform_hypersphere(Eigen::Index n, Eigen::Index d, bool surface, uint64_t seed, uint64_t object,
                                    double min_magnitude) {
  require_dimensions(d, "UniformHypersphere");
  require_min_magnitude(min_magnitude, "UniformHypersphere");
  Eigen::MatrixXd out(n, d);
  const double min_d = std::pow(min_magnitude, double(d));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index c = 0; c < d; ++c) out(i, c) = rt::random_normal(seed, object, uint64_t(i), uint64_t(c));
    const double norm = out.row(i).norm();
    if (norm > 0) {
      out.row(i) /= norm;
    } else {  // all d normals exactly 0: not expected in practice; any unit vector will do
      out.row(i).setZero();
      out(i, 0) = 1;
    }
    if (!surface) {
      const double u = rt::random_uniform(seed, object, uint64_t(i), uint64_t(2 * d));
      out.row(i) *= std::pow(min_d + (1 - min_d) * u, 1.0 / double(d));
    }
  }
  return out;
}

double rd_phi(Eigen::Index d) {
  double x = 1;
  for (int step = 0; step < 100; ++step) {
    const double dx = (std::pow(x, double(d + 1)) - x - 1) / (double(d + 1) * std::pow(x, double(d)) - 1);
    x -= dx;
    if (std::fabs(dx) < 1e-10) return x;
  }
  std::ostringstream msg;
  msg << "'phi' computation did not converge for d=" << d;
  throw std::runtime_error(msg.str());
}

Eigen::MatrixXd quasirandom_sequence(Eigen::Index n, Eigen::Index d, uint64_t seed, uint64_t object, uint64_t stream) {
  require_dimensions(d, "QuasirandomSequence");
  Eigen::ArrayXd offset(d);
  for (Eigen::Index j = 0; j < d; ++j) offset[j] = rt::random_uniform(seed, object, 2 * stream, uint64_t(j));
  Eigen::MatrixXd z(n, d);
  if (d == 1) {
    const double step = 1.0 / double(n);
    for (Eigen::Index k = 0; k < n; ++k) z(k, 0) = std::fmod(offset[0] + step * double(k), 1.0);
  } else {
    const double phi_inv = 1.0 / rd_phi(d);
    Eigen::ArrayXd alpha(d);
    for (Eigen::Index j = 0; j < d; ++j) alpha[j] = std::pow(phi_inv, double(j + 1));
    for (Eigen::Index k = 0; k < n; ++k)
      for (Eigen::Index j = 0; j < d; ++j) z(k, j) = std::fmod(offset[j] + double(k + 1) * alpha[j], 1.0);
  }
  shuffle_rows(z, seed, object, 2 * stream + 1);
  return z;
}

double spherical_coords_ppf(Eigen::Index dims, double y) {
  if (dims < 1) throw std::invalid_argument("spherical_coords_ppf: dims must be >= 1");
  if (std::isnan(y)) return y;
  const bool lower = y < 0.5;
  const double p = std::clamp(2 * (lower ? y : 1 - y), 0.0, 1.0);  // target of S / S(pi/2)
  const Eigen::Index m = dims - 1;
  const double half = pi / 2;
  const double total = sin_power_integral(m, half);
  double theta;
  if (m == 0) {
    theta = p * half;
  } else if (p <= 0) {
    theta = 0;
  } else if (p >= 1) {
    theta = half;
  } else {
    // Bracketed Newton on f(theta) = S(theta) / total - p, increasing on [0, pi/2].
    double lo = 0, hi = half;
    theta = p * half;
    for (int step = 0; step < 200; ++step) {
      const double f = sin_power_integral(m, theta) / total - p;
      if (f > 0)
        hi = theta;
      else
        lo = theta;
      const double slope = std::pow(std::sin(theta), double(m)) / total;
      double next = slope > 0 ? theta - f / slope : 0.5 * (lo + hi);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const double moved = std::fabs(next - theta);
      theta = next;
      if (moved <= 1e-15 * half || hi - lo <= 1e-15 * half) break;
    }
  }
  const double x = theta / pi;
  return lower ? x : 1 - x;
}

Eigen::MatrixXd spherical_transform(const Eigen::MatrixXd& cube) {
  const Eigen::Index n = cube.rows(), k = cube.cols();
  Eigen::MatrixXd out = Eigen::MatrixXd::Ones(n, k + 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    double sin_product = 1;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double scale = (j == k - 1) ? 2 : 1;
      const double angle = scale * pi * spherical_coords_ppf(k - j, cube(i, j));
      out(i, j) = sin_product * std::cos(angle);
      sin_product *= std::sin(angle);
    }
    out(i, k) = sin_product;
  }
  return out;
}

Eigen::MatrixXd random_orthogonal(Eigen::Index d, uint64_t seed, uint64_t object) {
  require_dimensions(d, "random_orthogonal");
  Eigen::MatrixXd m(d, d);
  for (Eigen::Index r = 0; r < d; ++r)
    for (Eigen::Index c = 0; c < d; ++c)
      m(r, c) = rt::random_normal(seed, object, scattered_rotation_index, uint64_t(r * d + c));
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeFullU | Eigen::ComputeFullV);
  return svd.matrixU() * svd.matrixV().transpose();
}

Eigen::MatrixXd scattered_hypersphere(Eigen::Index n, Eigen::Index d, bool surface, uint64_t seed, uint64_t object,
                                      double min_magnitude) {
  require_dimensions(d, "ScatteredHypersphere");
  require_min_magnitude(min_magnitude, "ScatteredHypersphere");
  if (d == 1 && surface) {
    Eigen::MatrixXd q = quasirandom_sequence(n, 1, seed, object, 0);
    for (Eigen::Index i = 0; i < n; ++i) q(i, 0) = q(i, 0) < 0.5 ? -1.0 : 1.0;
    return q;
  }
  if (d == 1) {
    const Eigen::Index n_pos = n / 2;
    const Eigen::MatrixXd pos = quasirandom_sequence(n_pos, 1, seed, object, 0);
    const Eigen::MatrixXd neg = quasirandom_sequence(n - n_pos, 1, seed, object, 1);
    Eigen::MatrixXd out(n, 1);
    const double m = min_magnitude;
    for (Eigen::Index i = 0; i < n_pos; ++i) out(i, 0) = pos(i, 0) * (1 - m) + m;
    for (Eigen::Index i = 0; i < n - n_pos; ++i) out(n_pos + i, 0) = -(neg(i, 0) * (1 - m) + m);
    shuffle_rows(out, seed, object, scattered_merge_shuffle_index);
    return out;
  }
  Eigen::MatrixXd mapped;
  if (surface) {
    mapped = spherical_transform(quasirandom_sequence(n, d - 1, seed, object, 0));
  } else {
    const Eigen::MatrixXd q = quasirandom_sequence(n, d, seed, object, 0);
    mapped = spherical_transform(q.leftCols(d - 1));
    const double min_d = std::pow(min_magnitude, double(d));
    for (Eigen::Index i = 0; i < n; ++i) mapped.row(i) *= std::pow(q(i, d - 1) * (1 - min_d) + min_d, 1.0 / double(d));
  }
  return mapped * random_orthogonal(d, seed, object);
}

Eigen::Index default_n_eval_points(Eigen::Index n_neurons, Eigen::Index dimensions) {
  const Eigen::Index by_dimensions = std::clamp<Eigen::Index>(500 * dimensions, 750, 2500);
  return std::max(by_dimensions, 2 * n_neurons);
}

}  // namespace axon::nef
