#include "runtime/nef/neuron_rates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "runtime/nef/numeric_tuning.h"

namespace axon::nef {
namespace {

bool lif_family(NeuronKind kind) {
  return kind == NeuronKind::LIF || kind == NeuronKind::LIFRate || kind == NeuronKind::AdaptiveLIF ||
         kind == NeuronKind::AdaptiveLIFRate || kind == NeuronKind::SoftLIFRate;
}

bool relu_family(NeuronKind kind) {
  return kind == NeuronKind::RectifiedLinear || kind == NeuronKind::SpikingRectifiedLinear;
}

NeuronType of_kind(NeuronKind kind) {
  NeuronType t;
  t.kind = kind;
  return t;
}

NeuronType lif_like(NeuronKind kind, double tau_rc, double tau_ref, double amplitude) {
  NeuronType t = of_kind(kind);
  t.tau_rc = tau_rc;
  t.tau_ref = tau_ref;
  t.amplitude = amplitude;
  return t;
}

double lif_rate_of(const NeuronType& t, double J) {
  const double j = J - 1;
  if (std::isnan(j)) return j;
  if (!(j > 0)) return 0;
  return t.amplitude / (t.tau_ref + t.tau_rc * std::log1p(1 / j));
}

double soft_lif_rate_of(const NeuronType& t, double J) {
  if (std::isnan(J)) return J;
  const double js = (J - 1) / t.sigma;
  const double z = t.sigma * (js > 30 ? js : std::log1p(std::exp(js)));
  const double q = js > -20 ? std::log1p(1 / z) : -js - std::log(t.sigma);
  return t.amplitude / (t.tau_ref + t.tau_rc * q);
}

/// Nengo's check that every max rate lies below 1 / tau_ref (infinity for tau_ref = 0).
void require_below_inverse_tau_ref(const NeuronType& t, const Eigen::ArrayXd& max_rates) {
  const double inv_tau_ref = t.tau_ref > 0 ? 1 / t.tau_ref : std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < max_rates.size(); ++i) {
    if (!(max_rates[i] < inv_tau_ref)) {
      std::ostringstream msg;
      msg << kind_name(t.kind) << ": Max rates must be below the inverse refractory period (" << inv_tau_ref
          << "); max_rates[" << i << "] = " << max_rates[i];
      throw std::invalid_argument(msg.str());
    }
  }
}

void require_same_size(const Eigen::ArrayXd& a, const Eigen::ArrayXd& b, const char* what) {
  if (a.size() != b.size()) {
    std::ostringstream msg;
    msg << what << ": arguments differ in size (" << a.size() << " and " << b.size() << ")";
    throw std::invalid_argument(msg.str());
  }
}

}  // namespace

NeuronType NeuronType::lif(double tau_rc, double tau_ref, double amplitude) {
  return lif_like(NeuronKind::LIF, tau_rc, tau_ref, amplitude);
}
NeuronType NeuronType::lif_rate(double tau_rc, double tau_ref, double amplitude) {
  return lif_like(NeuronKind::LIFRate, tau_rc, tau_ref, amplitude);
}
NeuronType NeuronType::adaptive_lif(double tau_rc, double tau_ref, double amplitude) {
  return lif_like(NeuronKind::AdaptiveLIF, tau_rc, tau_ref, amplitude);
}
NeuronType NeuronType::adaptive_lif_rate(double tau_rc, double tau_ref, double amplitude) {
  return lif_like(NeuronKind::AdaptiveLIFRate, tau_rc, tau_ref, amplitude);
}
NeuronType NeuronType::soft_lif_rate(double sigma, double tau_rc, double tau_ref, double amplitude) {
  NeuronType t = lif_like(NeuronKind::SoftLIFRate, tau_rc, tau_ref, amplitude);
  t.sigma = sigma;
  return t;
}
NeuronType NeuronType::rectified_linear(double amplitude) {
  NeuronType t = of_kind(NeuronKind::RectifiedLinear);
  t.amplitude = amplitude;
  return t;
}
NeuronType NeuronType::spiking_rectified_linear(double amplitude) {
  NeuronType t = of_kind(NeuronKind::SpikingRectifiedLinear);
  t.amplitude = amplitude;
  return t;
}
NeuronType NeuronType::sigmoid(double tau_ref) {
  NeuronType t = of_kind(NeuronKind::Sigmoid);
  t.tau_ref = tau_ref;
  return t;
}
NeuronType NeuronType::tanh(double tau_ref) {
  NeuronType t = of_kind(NeuronKind::Tanh);
  t.tau_ref = tau_ref;
  return t;
}
NeuronType NeuronType::izhikevich(double tau_recovery, double coupling, double reset_voltage, double reset_recovery) {
  NeuronType t = of_kind(NeuronKind::Izhikevich);
  t.tau_recovery = tau_recovery;
  t.coupling = coupling;
  t.reset_voltage = reset_voltage;
  t.reset_recovery = reset_recovery;
  return t;
}

const char* kind_name(NeuronKind kind) {
  switch (kind) {
    case NeuronKind::LIF: return "LIF";
    case NeuronKind::LIFRate: return "LIFRate";
    case NeuronKind::AdaptiveLIF: return "AdaptiveLIF";
    case NeuronKind::AdaptiveLIFRate: return "AdaptiveLIFRate";
    case NeuronKind::SoftLIFRate: return "SoftLIFRate";
    case NeuronKind::RectifiedLinear: return "RectifiedLinear";
    case NeuronKind::SpikingRectifiedLinear: return "SpikingRectifiedLinear";
    case NeuronKind::Sigmoid: return "Sigmoid";
    case NeuronKind::Tanh: return "Tanh";
    case NeuronKind::Izhikevich: return "Izhikevich";
  }
  return "?";
}

double rate(const NeuronType& type, double J) {
  switch (type.kind) {
    case NeuronKind::LIF:
    case NeuronKind::LIFRate:
    case NeuronKind::AdaptiveLIF:
    case NeuronKind::AdaptiveLIFRate: return lif_rate_of(type, J);
    case NeuronKind::SoftLIFRate: return soft_lif_rate_of(type, J);
    case NeuronKind::RectifiedLinear:
    case NeuronKind::SpikingRectifiedLinear: return std::isnan(J) ? J : type.amplitude * std::max(J, 0.0);
    case NeuronKind::Sigmoid: return (1 / type.tau_ref) / (1 + std::exp(-J));
    case NeuronKind::Tanh: return (1 / type.tau_ref) * std::tanh(J);
    case NeuronKind::Izhikevich: return izhikevich_settled_rate(type, J);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

Eigen::ArrayXd rates(const NeuronType& type, const Eigen::ArrayXd& J) {
  Eigen::ArrayXd out(J.size());
  for (Eigen::Index i = 0; i < J.size(); ++i) out[i] = rate(type, J[i]);
  return out;
}

GainBias gain_bias(const NeuronType& type, const Eigen::ArrayXd& max_rates, const Eigen::ArrayXd& intercepts) {
  require_same_size(max_rates, intercepts, "gain_bias");
  const Eigen::ArrayXd& r = max_rates;
  const Eigen::ArrayXd& c = intercepts;
  if (lif_family(type.kind)) {
    require_below_inverse_tau_ref(type, r);
    const Eigen::ArrayXd z = 1 / (1 - ((type.tau_ref - 1 / r) / type.tau_rc).exp());
    const Eigen::ArrayXd gain = (1 - z) / (c - 1);
    return {gain, 1 - gain * c};
  }
  if (relu_family(type.kind)) {
    const Eigen::ArrayXd gain = r / (1 - c);
    return {gain, -c * gain};
  }
  switch (type.kind) {
    case NeuronKind::Sigmoid: {
      require_below_inverse_tau_ref(type, r);
      const Eigen::ArrayXd v = -((1 / type.tau_ref) / r - 1).log();
      const Eigen::ArrayXd gain = v / (1 - c);
      return {gain, v - gain};
    }
    case NeuronKind::Tanh: {
      require_below_inverse_tau_ref(type, r);
      const Eigen::ArrayXd v = (r * type.tau_ref).atanh();
      const Eigen::ArrayXd gain = v / (1 - c);
      return {gain, -gain * c};
    }
    case NeuronKind::Izhikevich: return numeric_gain_bias([&type](double J) { return rate(type, J); }, r, c);
    default: break;
  }
  throw std::logic_error("gain_bias: unhandled neuron kind");
}

MaxRatesIntercepts max_rates_intercepts(const NeuronType& type, const Eigen::ArrayXd& gain,
                                        const Eigen::ArrayXd& bias) {
  require_same_size(gain, bias, "max_rates_intercepts");
  if (lif_family(type.kind)) {
    const Eigen::ArrayXd c = (1 - bias) / gain;
    const Eigen::ArrayXd r = 1 / (type.tau_ref - type.tau_rc * (1 / (gain * (c - 1) - 1)).log1p());
    return {r, c};
  }
  if (relu_family(type.kind)) {
    const Eigen::ArrayXd c = -bias / gain;
    return {gain * (1 - c), c};
  }
  switch (type.kind) {
    case NeuronKind::Sigmoid: {
      const Eigen::ArrayXd v = gain + bias;
      return {(1 / type.tau_ref) / (1 + (-v).exp()), 1 - v / gain};
    }
    case NeuronKind::Tanh: return {(1 / type.tau_ref) * (gain + bias).tanh(), -bias / gain};
    case NeuronKind::Izhikevich:
      return numeric_max_rates_intercepts([&type](double J) { return rate(type, J); }, gain, bias);
    default: break;
  }
  throw std::logic_error("max_rates_intercepts: unhandled neuron kind");
}

void check_gains(const Eigen::ArrayXd& gain, const char* what) {
  for (Eigen::Index i = 0; i < gain.size(); ++i) {
    if (!std::isfinite(gain[i]) || gain[i] <= 0) {
      std::ostringstream msg;
      msg << "The specified intercepts for " << what << " lead to neurons with negative or non-finite gain (neuron "
          << i << ": gain " << gain[i] << "). Please adjust the intercepts so that all gains are positive. For "
          << "most neuron types (e.g., LIF neurons) this is achieved by reducing the maximum "
          << "intercept value to below 1.";
      throw std::invalid_argument(msg.str());
    }
  }
}

}  // namespace axon::nef
