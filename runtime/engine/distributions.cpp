#include "runtime/engine/distributions.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "runtime/engine/rng.h"

namespace axon::rt {
namespace {

const char* kind_name(DistKind kind) {
  switch (kind) {
    case DistKind::Constant: return "Constant";
    case DistKind::Uniform: return "Uniform";
    case DistKind::Gaussian: return "Gaussian";
    case DistKind::TruncatedNormal: return "TruncatedNormal";
    case DistKind::Exponential: return "Exponential";
    case DistKind::VarianceScalingUniform: return "VarianceScaling(uniform)";
    case DistKind::VarianceScalingNormal: return "VarianceScaling(normal)";
  }
  return "?";
}

[[noreturn]] void fail(const Distribution& d, const std::string& what) {
  std::ostringstream msg;
  msg << kind_name(d.kind) << "(" << d.a << ", " << d.b << ", " << d.c << "): " << what;
  throw std::invalid_argument(msg.str());
}

constexpr uint64_t truncated_max_draws = uint64_t{1} << 20;

double truncated_normal_sample(const Distribution& d, uint64_t seed, uint64_t object, uint64_t index) {
  for (uint64_t t = 0; t < truncated_max_draws; ++t) {
    const double x = d.a + d.b * random_normal(seed, object, index, t);
    if (!(std::fabs(x - d.a) > d.c)) return x;
  }
  std::ostringstream msg;
  msg << kind_name(d.kind) << "(" << d.a << ", " << d.b << ", " << d.c << "): no sample within the limit after "
      << truncated_max_draws << " draws (element " << index << ")";
  throw std::runtime_error(msg.str());
}

}  // namespace

Distribution constant(double value) { return {DistKind::Constant, value, 0, 0}; }
Distribution uniform(double low, double high) { return {DistKind::Uniform, low, high, 0}; }
Distribution gaussian(double mean, double stddev) { return {DistKind::Gaussian, mean, stddev, 0}; }
Distribution truncated_normal(double mean, double stddev) { return truncated_normal(mean, stddev, 2 * stddev); }
Distribution truncated_normal(double mean, double stddev, double limit) {
  return {DistKind::TruncatedNormal, mean, stddev, limit};
}
Distribution exponential(double mean) { return {DistKind::Exponential, mean, 0, 0}; }

void check(const Distribution& d) {
  if (!std::isfinite(d.a) || !std::isfinite(d.b) || !std::isfinite(d.c)) fail(d, "parameters must be finite");
  switch (d.kind) {
    case DistKind::Constant: return;
    case DistKind::Uniform:
    case DistKind::VarianceScalingUniform:
      if (d.b < d.a) fail(d, "high must be >= low");
      return;
    case DistKind::Gaussian:
      if (d.b < 0) fail(d, "stddev must be >= 0");
      return;
    case DistKind::TruncatedNormal:
    case DistKind::VarianceScalingNormal:
      if (d.b < 0) fail(d, "stddev must be >= 0");
      if (d.c < 0) fail(d, "limit must be >= 0");
      if (d.c < 1e-4 * d.b) fail(d, "limit must be at least 1e-4 stddev");
      return;
    case DistKind::Exponential:
      if (d.a < 0) fail(d, "mean must be >= 0");
      return;
  }
  fail(d, "unknown distribution kind");
}

double sample(const Distribution& d, uint64_t seed, uint64_t object, uint64_t index) {
  check(d);
  switch (d.kind) {
    case DistKind::Constant: return d.a;
    case DistKind::Uniform:
    case DistKind::VarianceScalingUniform: return d.a + (d.b - d.a) * random_uniform(seed, object, index, 0);
    case DistKind::Gaussian: return d.a + d.b * random_normal(seed, object, index, 0);
    case DistKind::TruncatedNormal:
    case DistKind::VarianceScalingNormal: return truncated_normal_sample(d, seed, object, index);
    case DistKind::Exponential: return -d.a * std::log1p(-random_uniform(seed, object, index, 0));
  }
  fail(d, "unknown distribution kind");
}

Distribution variance_scaling(double scale, const std::string& mode, const std::string& distribution, int64_t fan_in,
                              int64_t fan_out) {
  auto fail_vs = [&](const std::string& what) {
    throw std::invalid_argument("VarianceScaling(scale = " + std::to_string(scale) + ", mode = " + mode +
                                ", distribution = " + distribution + "): " + what);
  };
  if (!std::isfinite(scale) || scale < 0) fail_vs("scale must be finite and >= 0");
  double n = 0;
  if (mode == "fan_in") {
    n = static_cast<double>(fan_in);
  } else if (mode == "fan_out") {
    n = static_cast<double>(fan_out);
  } else if (mode == "fan_avg") {
    n = (static_cast<double>(fan_in) + static_cast<double>(fan_out)) / 2;
  } else {
    fail_vs("unknown mode; expected fan_in, fan_out or fan_avg");
  }
  if (distribution != "uniform" && distribution != "normal")
    fail_vs("unknown distribution; expected uniform or normal");
  if (fan_in < 0 || fan_out < 0 || !(n > 0))
    fail_vs("fans must be positive, got fan_in = " + std::to_string(fan_in) +
            " and fan_out = " + std::to_string(fan_out));
  const double s = scale / n;
  if (distribution == "uniform") {
    const double limit = std::sqrt(3 * s);
    return {DistKind::VarianceScalingUniform, -limit, limit, 0};
  }
  const double stddev = std::sqrt(s);
  return {DistKind::VarianceScalingNormal, 0, stddev, 2 * stddev};
}

Distribution glorot(double scale, const std::string& distribution, int64_t fan_in, int64_t fan_out) {
  return variance_scaling(scale, "fan_avg", distribution, fan_in, fan_out);
}

Distribution he(double scale, const std::string& distribution, int64_t fan_in, int64_t fan_out) {
  return variance_scaling(scale * scale, "fan_in", distribution, fan_in, fan_out);
}

}  // namespace axon::rt
