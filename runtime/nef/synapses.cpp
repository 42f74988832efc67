#include "runtime/nef/synapses.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace axon::nef {
namespace {

void require_valid(const char* what, double tau, double dt) {
  if (!(tau >= 0) || !std::isfinite(tau) || !(dt > 0) || !std::isfinite(dt)) {
    std::ostringstream msg;
    msg << what << "(" << tau << ") with dt " << dt << ": tau must be finite and >= 0, dt finite and > 0";
    throw std::invalid_argument(msg.str());
  }
}

}  // namespace

LowpassCoefficients lowpass_zoh(double tau, double dt) {
  require_valid("Lowpass", tau, dt);
  if (tau == 0) return {0, 1};
  return {std::exp(-dt / tau), -std::expm1(-dt / tau)};
}

AlphaCoefficients alpha_zoh(double tau, double dt) {
  require_valid("Alpha", tau, dt);
  if (tau == 0) return {};
  const double a = std::exp(-dt / tau);
  if (a == 0) return {};
  const double x = dt / tau;
  AlphaCoefficients c;
  c.a1 = 2 * a;
  c.a2 = a * a;
  // 1 - a (1 + x) loses digits for small x; -expm1(-x) - a x is the same number, accurately.
  c.b0 = -std::expm1(-x) - a * x;
  c.b1 = a * (std::expm1(-x) + x);  // a (a + x - 1)
  return c;
}

}  // namespace axon::nef
