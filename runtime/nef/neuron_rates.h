// Tuning curves of Nengo's neuron types: the steady rate for an input current, and the gain
// and bias that give each neuron a chosen max rate and intercept (nengo/neurons.py, 4.1).
#pragma once

#include <Eigen/Dense>

namespace axon::nef {

enum class NeuronKind {
  LIF,  // spiking; its rate curve is LIFRate's
  LIFRate,
  AdaptiveLIF,      // adaptation does not enter the rate curve (Nengo: LIFRate's)
  AdaptiveLIFRate,  // likewise
  SoftLIFRate,      // NengoDL; gain/bias inherited from LIFRate unchanged
  RectifiedLinear,
  SpikingRectifiedLinear,  // rate curve is RectifiedLinear's
  Sigmoid,
  Tanh,
  Izhikevich,  // rate by simulation, gain/bias by Nengo's numeric search
};

/// A neuron type with the parameters its rate curve reads. The static factories fill in
/// Nengo's defaults; fields a kind does not read are ignored.
struct NeuronType {
  NeuronKind kind = NeuronKind::LIF;
  double tau_rc = 0.02;        // s; LIF family
  double tau_ref = 0.002;      // s; LIF family, Sigmoid and Tanh (whose rates stay below 1/tau_ref)
  double amplitude = 1;        // LIF family and the rectified-linear types: output scale
  double sigma = 1;            // SoftLIFRate smoothing
  double tau_recovery = 0.02;  // Izhikevich a
  double coupling = 0.2;       // Izhikevich b
  double reset_voltage = -65;  // Izhikevich c (mV)
  double reset_recovery = 8;   // Izhikevich d

  static NeuronType lif(double tau_rc = 0.02, double tau_ref = 0.002, double amplitude = 1);
  static NeuronType lif_rate(double tau_rc = 0.02, double tau_ref = 0.002, double amplitude = 1);
  static NeuronType adaptive_lif(double tau_rc = 0.02, double tau_ref = 0.002, double amplitude = 1);
  static NeuronType adaptive_lif_rate(double tau_rc = 0.02, double tau_ref = 0.002, double amplitude = 1);
  static NeuronType soft_lif_rate(double sigma = 1, double tau_rc = 0.02, double tau_ref = 0.002, double amplitude = 1);
  static NeuronType rectified_linear(double amplitude = 1);
  static NeuronType spiking_rectified_linear(double amplitude = 1);
  static NeuronType sigmoid(double tau_ref = 0.0025);
  static NeuronType tanh(double tau_ref = 0.0025);
  static NeuronType izhikevich(double tau_recovery = 0.02, double coupling = 0.2, double reset_voltage = -65,
                               double reset_recovery = 8);
};

/// Nengo's class name of the kind ("LIF", "SoftLIFRate", ...).
const char* kind_name(NeuronKind kind);

/// The rate in Hz (the unit-free output for the rectified-linear types) for current J:
/// - LIF family: amplitude / (tau_ref + tau_rc * log1p(1 / (J - 1))) for J > 1, else 0.
///   Its rise at J = 1 is steep: J = 1 + 4e-16 (one rounding of gain * c + bias at an
///   intercept c) already gives ~1.4 Hz, in Nengo as here.
/// - SoftLIFRate (NengoDL): js = (J - 1) / sigma; z = sigma * (js > 30 ? js : log1p(exp(js)));
///   q = js > -20 ? log1p(1 / z) : -js - log(sigma);
///   amplitude / (tau_ref + tau_rc * q). Positive for every J.
/// - RectifiedLinear, SpikingRectifiedLinear: amplitude * max(J, 0).
/// - Sigmoid: (1 / tau_ref) / (1 + exp(-J)).  Tanh: (1 / tau_ref) * tanh(J) (may be negative).
/// - Izhikevich: Nengo's settled_firingrate: from voltage = recovery = 0, one 1 ms step to
///   settle, then the spike count of 1000 steps of 1 ms (so whole Hz); J clipped at -30.
/// A NaN current gives NaN.
double rate(const NeuronType& type, double J);

/// rate() of each current.
Eigen::ArrayXd rates(const NeuronType& type, const Eigen::ArrayXd& J);

struct GainBias {
  Eigen::ArrayXd gain, bias;
};

struct MaxRatesIntercepts {
  Eigen::ArrayXd max_rates, intercepts;
};

/// Gain and bias so that neuron i, driven by J = gain * x + bias, starts firing at
/// x = intercepts[i] and fires max_rates[i] at x = 1 (Nengo's `gain_bias`):
/// - LIF family and SoftLIFRate: z = 1 / (1 - exp((tau_ref - 1/r) / tau_rc));
///   gain = (1 - z) / (c - 1); bias = 1 - gain * c. Amplitude is not used, so the rate at
///   x = 1 is amplitude * r. SoftLIFRate uses these LIF values unchanged, as NengoDL does
///   (its class inherits LIFRate.gain_bias): its rate at the intercept is not 0 and at x = 1
///   slightly above r.
/// - RectifiedLinear family: gain = r / (1 - c); bias = -c * gain (rate amplitude * r at 1).
/// - Sigmoid: v = -log(1 / (tau_ref r) - 1); gain = v / (1 - c); bias = v - gain. The
///   intercept is the inflection point: the rate there is 1 / (2 tau_ref).
/// - Tanh: v = atanh(r tau_ref); gain = v / (1 - c); bias = -gain * c.
/// - Izhikevich: numeric_gain_bias() over its rate curve (numeric_tuning.h).
/// Throws std::invalid_argument, as Nengo does, when the sizes differ or a max rate is not
/// below 1 / tau_ref (LIF family, SoftLIFRate with tau_ref > 0, Sigmoid, Tanh). Gains may
/// come out negative or non-finite (an intercept >= 1): check_gains() is Nengo's check.
GainBias gain_bias(const NeuronType& type, const Eigen::ArrayXd& max_rates, const Eigen::ArrayXd& intercepts);

/// The inverse of gain_bias() (Nengo's `max_rates_intercepts`):
/// - LIF family and SoftLIFRate: c = (1 - bias) / gain;
///   r = 1 / (tau_ref - tau_rc * log1p(1 / (gain * (c - 1) - 1))) (the LIF inverse, also
///   for SoftLIFRate, as NengoDL inherits it; amplitude not used).
/// - RectifiedLinear family: c = -bias / gain; r = gain * (1 - c).
/// - Sigmoid: v = gain + bias; c = 1 - v / gain; r = (1 / tau_ref) / (1 + exp(-v)).
/// - Tanh: c = -bias / gain; r = tanh(gain + bias) / tau_ref.
/// - Izhikevich: numeric_max_rates_intercepts() (intercepts on a grid of step 0.02).
MaxRatesIntercepts max_rates_intercepts(const NeuronType& type, const Eigen::ArrayXd& gain, const Eigen::ArrayXd& bias);

/// Nengo's build check: throws std::invalid_argument naming `what` (e.g. the ensemble) and
/// the first bad neuron when a gain is negative, zero or not finite.
void check_gains(const Eigen::ArrayXd& gain, const char* what);

}  // namespace axon::nef
