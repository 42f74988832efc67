// Discrete-time coefficients of Nengo's Lowpass and Alpha synapses: zero-order hold with the
// input advanced one step, as nengo/synapses.py (4.1) steps a LinearFilter without passthrough.
#pragma once

namespace axon::nef {

/// Lowpass(tau), H(s) = 1 / (tau s + 1). Nengo discretises the state space by zero-order
/// hold and steps it as x[n] = A x[n-1] + B u[n], y[n] = C x[n] (its "OneX" step), so:
///   y[n] = a y[n-1] + b u[n],  a = exp(-dt / tau),  b = 1 - a (computed as -expm1(-dt/tau)).
/// The step response from y = 0 is 1 - a^(n+1): the continuous one sampled one step ahead.
/// tau = 0 gives a = 0, b = 1 (no filtering). Throws std::invalid_argument for tau < 0 or
/// dt <= 0 (or either not finite).
struct LowpassCoefficients {
  double a = 0, b = 1;
};
LowpassCoefficients lowpass_zoh(double tau, double dt);

/// Alpha(tau), H(s) = 1 / (tau s + 1)^2, impulse response (t / tau^2) exp(-t / tau). Nengo's
/// zero-order-hold state space stepped with the input advanced (its "NoD" step) has, from a
/// zero state, the difference equation
///   y[n] = 2 a y[n-1] - a^2 y[n-2] + b0 u[n] + b1 u[n-1],
///   a = exp(-dt / tau), b0 = 1 - a (1 + dt / tau), b1 = a (a + dt / tau - 1),
/// whose step response is s((n+1) dt) with s(t) = 1 - (1 + t / tau) exp(-t / tau); DC gain
/// (b0 + b1) / (1 - a)^2 = 1. tau = 0 (or a underflowing to 0) gives y[n] = u[n].
/// Throws std::invalid_argument for tau < 0 or dt <= 0 (or either not finite).
struct AlphaCoefficients {
  double a1 = 0, a2 = 0;  // y[n] = a1 y[n-1] - a2 y[n-2] + ...: a1 = 2a, a2 = a^2
  double b0 = 1, b1 = 0;  // ... + b0 u[n] + b1 u[n-1]
};
AlphaCoefficients alpha_zoh(double tau, double dt);

}  // namespace axon::nef
