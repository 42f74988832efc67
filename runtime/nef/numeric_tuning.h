// Nengo's numeric gain/bias search and its inverse, for neuron types whose rate curve has no
// closed-form inverse (NeuronType.gain_bias / max_rates_intercepts in nengo/neurons.py, 4.1).
#pragma once

#include <Eigen/Dense>
#include <functional>

#include "runtime/nef/neuron_rates.h"

namespace axon::nef {

/// A rate curve: rate (Hz) for an input current, assumed non-decreasing.
using RateCurve = std::function<double(double J)>;

/// Nengo's generic NeuronType.gain_bias, step for step:
///   r_max = max(max_rates); Jr = 10; up to 10 times: on J = linspace(-Jr, Jr, 101),
///   J_threshold = the last J with rate <= 0 and J_max = the first J with rate >= r_max
///   (each kept once found); stop when both are known, else Jr *= 2.
///   On J = linspace(J_threshold, J_max, 101): J_top[i] = interp(max_rates[i], rate, J);
///   gain = (J_threshold - J_top) / (intercepts - 1); bias = J_top - gain.
/// So the neuron is silent at x = intercept only to the grid's resolution, and reaches the max
/// rate at x = 1 to the accuracy of linear interpolation on 101 points.
/// Throws std::runtime_error when no threshold or no current reaching r_max is found within
/// |J| <= 10 * 2^9 ("Could not find firing threshold" / "... max current", as Nengo), and
/// std::invalid_argument when the sizes differ.
GainBias numeric_gain_bias(const RateCurve& curve, const Eigen::ArrayXd& max_rates, const Eigen::ArrayXd& intercepts);

/// Nengo's generic NeuronType.max_rates_intercepts: max_rates[i] = curve(gain + bias) (x = 1);
/// on x = linspace(-1, 1, 101), intercepts[i] = x[max(k - 1, 0)] where k is the first grid
/// index with a positive rate (k = 0 when there is none, giving -1 as Nengo does).
MaxRatesIntercepts numeric_max_rates_intercepts(const RateCurve& curve, const Eigen::ArrayXd& gain,
                                                const Eigen::ArrayXd& bias);

/// NumPy's linspace(start, stop, n): start + i * (stop - start) / (n - 1), the last value
/// exactly stop. n >= 2.
Eigen::ArrayXd linspace(double start, double stop, Eigen::Index n);

/// NumPy's interp(x, xp, fp) for increasing xp: fp[0] left of xp[0], fp[last] from
/// xp[last] on, else linear between xp[j] <= x < xp[j + 1] (j the last such index, so on a
/// run of equal xp the value at its last point).
double interp(double x, const Eigen::ArrayXd& xp, const Eigen::ArrayXd& fp);

/// Nengo's Izhikevich rate (settled_firingrate with settle_time 1 ms, sim_time 1 s, dt 1 ms,
/// voltage = recovery = 0 at the start). One step, with J' = max(J, -30):
///   v += (0.04 v^2 + 5 v + 140 - u + J') * 1000 * dt; spike if v >= 30, then v = c;
///   u += tau_recovery * (coupling * v - u) * 1000 * dt; if spiked u += d.
/// The result is the spike count of the 1000 steps after the first (Hz).
double izhikevich_settled_rate(const NeuronType& type, double J);

}  // namespace axon::nef
