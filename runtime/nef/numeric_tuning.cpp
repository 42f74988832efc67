#include "runtime/nef/numeric_tuning.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace axon::nef {
namespace {

constexpr Eigen::Index grid_steps = 101;  // Nengo's J_steps: odd, so that 0 is on the grid

Eigen::ArrayXd curve_of(const RateCurve& curve, const Eigen::ArrayXd& J) {
  Eigen::ArrayXd out(J.size());
  for (Eigen::Index i = 0; i < J.size(); ++i) out[i] = curve(J[i]);
  return out;
}

}  // namespace

Eigen::ArrayXd linspace(double start, double stop, Eigen::Index n) {
  Eigen::ArrayXd out(n);
  const double step = (stop - start) / double(n - 1);
  for (Eigen::Index i = 0; i < n; ++i) out[i] = double(i) * step + start;
  out[n - 1] = stop;
  return out;
}

double interp(double x, const Eigen::ArrayXd& xp, const Eigen::ArrayXd& fp) {
  const Eigen::Index n = xp.size();
  if (std::isnan(x)) return x;
  // j = the last index with xp[j] <= x (-1 when none).
  const double* first = xp.data();
  const Eigen::Index j = Eigen::Index(std::upper_bound(first, first + n, x) - first) - 1;
  if (j < 0) return fp[0];
  if (j >= n - 1) return fp[n - 1];
  const double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  return slope * (x - xp[j]) + fp[j];
}

GainBias numeric_gain_bias(const RateCurve& curve, const Eigen::ArrayXd& max_rates, const Eigen::ArrayXd& intercepts) {
  if (max_rates.size() != intercepts.size())
    throw std::invalid_argument("gain_bias: max_rates and intercepts differ in size");
  GainBias out{Eigen::ArrayXd(max_rates.size()), Eigen::ArrayXd(max_rates.size())};
  if (max_rates.size() == 0) return out;
  const double max_rate = max_rates.maxCoeff();

  std::optional<double> j_threshold, j_max;
  double jr = 10;
  for (int attempt = 0; attempt < 10; ++attempt) {
    const Eigen::ArrayXd J = linspace(-jr, jr, grid_steps);
    const Eigen::ArrayXd r = curve_of(curve, J);
    if (!j_threshold) {
      for (Eigen::Index k = grid_steps - 1; k >= 0; --k)
        if (r[k] <= 0) {
          j_threshold = J[k];
          break;
        }
    }
    if (!j_max) {
      for (Eigen::Index k = 0; k < grid_steps; ++k)
        if (r[k] >= max_rate) {
          j_max = J[k];
          break;
        }
    }
    if (j_threshold && j_max) break;
    jr *= 2;
  }
  if (!j_threshold) throw std::runtime_error("gain_bias: Could not find firing threshold");
  if (!j_max) throw std::runtime_error("gain_bias: Could not find max current");

  const Eigen::ArrayXd J = linspace(*j_threshold, *j_max, grid_steps);
  const Eigen::ArrayXd r = curve_of(curve, J);
  for (Eigen::Index i = 0; i < max_rates.size(); ++i) {
    const double j_top = interp(max_rates[i], r, J);
    out.gain[i] = (*j_threshold - j_top) / (intercepts[i] - 1);
    out.bias[i] = j_top - out.gain[i];
  }
  return out;
}

MaxRatesIntercepts numeric_max_rates_intercepts(const RateCurve& curve, const Eigen::ArrayXd& gain,
                                                const Eigen::ArrayXd& bias) {
  if (gain.size() != bias.size()) throw std::invalid_argument("max_rates_intercepts: gain and bias differ in size");
  const Eigen::ArrayXd x = linspace(-1, 1, grid_steps);
  MaxRatesIntercepts out{Eigen::ArrayXd(gain.size()), Eigen::ArrayXd(gain.size())};
  for (Eigen::Index i = 0; i < gain.size(); ++i) {
    out.max_rates[i] = curve(gain[i] * 1.0 + bias[i]);
    Eigen::Index first_positive = 0;  // NumPy's argmax of an all-false column is 0
    for (Eigen::Index k = 0; k < grid_steps; ++k)
      if (curve(gain[i] * x[k] + bias[i]) > 0) {
        first_positive = k;
        break;
      }
    out.intercepts[i] = x[std::max<Eigen::Index>(first_positive - 1, 0)];
  }
  return out;
}

double izhikevich_settled_rate(const NeuronType& type, double J) {
  if (std::isnan(J)) return J;
  constexpr double dt = 0.001;
  constexpr int settle_steps = 1;    // int(settle_time / dt) with settle_time = 1 ms
  constexpr int count_steps = 1000;  // int(sim_time / dt) with sim_time = 1 s
  const double j = std::max(-30.0, J);
  double v = 0, u = 0;
  long spikes = 0;
  for (int step = 0; step < settle_steps + count_steps; ++step) {
    v += (0.04 * v * v + 5 * v + 140 - u + j) * 1000 * dt;
    const bool spiked = v >= 30;
    if (spiked) v = type.reset_voltage;
    u += type.tau_recovery * (type.coupling * v - u) * 1000 * dt;
    if (spiked) {
      u += type.reset_recovery;
      if (step >= settle_steps) ++spikes;
    }
  }
  // Nengo sums output = spikes / dt over the steps and divides by their number.
  return double(spikes) / (count_steps * dt);
}

}  // namespace axon::nef
