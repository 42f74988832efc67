// Per-element values (weights, initial states, parameters) drawn from counter-based
// streams: element i of an object gets sample(d, seed, object, i), in any thread order.
#pragma once

#include <cstdint>
#include <string>

namespace axon::rt {

enum class DistKind {
  Constant,                // a
  Uniform,                 // [a, b): low a, high b
  Gaussian,                // mean a, stddev b
  TruncatedNormal,         // mean a, stddev b, limit c: redraw while |x - a| > c
  Exponential,             // mean a (scale, as NumPy's exponential)
  VarianceScalingUniform,  // made by variance_scaling(): sampled as Uniform(a, b)
  VarianceScalingNormal,   // made by variance_scaling(): sampled as TruncatedNormal(a, b, c)
};

/// A distribution and its parameters; the meaning of a, b, c depends on kind (above).
/// The factories below fill them in with the NengoDL defaults.
struct Distribution {
  DistKind kind = DistKind::Constant;
  double a = 0, b = 0, c = 0;
};

Distribution constant(double value);
Distribution uniform(double low, double high);
Distribution gaussian(double mean, double stddev);
/// NengoDL's TruncatedNormal; limit defaults to 2 * stddev.
Distribution truncated_normal(double mean, double stddev);
Distribution truncated_normal(double mean, double stddev, double limit);
Distribution exponential(double mean);

/// Throws std::invalid_argument naming the distribution when its parameters are
/// impossible: a non-finite parameter, high < low, a negative stddev, limit or mean, or
/// a truncation limit below 1e-4 stddev (so few samples would be kept that sample()
/// could need millions of redraws).
void check(const Distribution& d);

/// The value of element `index` of `object`, drawn from the streams
/// (seed, object, index, counter):
/// - Uniform: a + (b - a) * u, u = random_uniform(counter 0), in [a, b) (a when a == b).
/// - Gaussian: a + b * z, z = random_normal(counter 0) (bit counters 0 and 1).
/// - TruncatedNormal: x = a + b * random_normal(counter t) for t = 0, 1, 2, ... until
///   |x - a| <= c, as NengoDL redraws (|x - a| == c is kept). A draw is kept with
///   probability about 0.8 c / b >= 8e-5 (check() enforces c >= 1e-4 b), so 2^20 draws
///   all fail with probability below 1e-36; if they do, throws std::runtime_error.
/// - Exponential: -a * log(1 - u), u = random_uniform(counter 0); finite, >= 0.
/// Calls check(d) first.
double sample(const Distribution& d, uint64_t seed, uint64_t object, uint64_t index);

/// NengoDL's VarianceScaling for a weight matrix of shape (size_out, size_in): pass
/// fan_in = size_in and fan_out = size_out. With s = scale / n, n = fan_in (mode
/// "fan_in"), fan_out ("fan_out") or (fan_in + fan_out) / 2 ("fan_avg"):
/// - "uniform": VarianceScalingUniform over [-sqrt(3 s), sqrt(3 s));
/// - "normal": VarianceScalingNormal, mean 0, stddev sqrt(s), limit 2 sqrt(s) (the
///   stddev is not corrected for the truncation, as in NengoDL).
/// Throws std::invalid_argument on an unknown mode or distribution, a negative or
/// non-finite scale, or fans that make n <= 0. NengoDL's defaults: scale 1,
/// mode "fan_avg", distribution "uniform".
Distribution variance_scaling(double scale, const std::string& mode, const std::string& distribution, int64_t fan_in,
                              int64_t fan_out);

/// Glorot = variance_scaling(scale, "fan_avg", distribution, ...); NengoDL's defaults:
/// scale 1, distribution "uniform".
Distribution glorot(double scale, const std::string& distribution, int64_t fan_in, int64_t fan_out);

/// He = variance_scaling(scale * scale, "fan_in", distribution, ...); NengoDL's defaults:
/// scale 1, distribution "normal".
Distribution he(double scale, const std::string& distribution, int64_t fan_in, int64_t fan_out);

}  // namespace axon::rt
