// `connect probability(p)` at the model level: the synapse count of a whole network is
// binomial, reproducible for a seed and different for another.
#include <catch2/catch.hpp>
#include <cmath>

#include "backend_util.h"

namespace bt = axon::backend_test;

namespace {

const char* kModel = R"axon(
import neurons.lif
import receptors.exp

network Prob {
  population P = LIF[500] with receptors { exc = ExpCurrent(tau = 5 ms) }
  project P -> P.exc via Static { w = 0.1 nA } connect probability(0.1)
}

run Prob { duration = 0.1 ms; dt = 0.1 ms; seed = 1 }
)axon";

size_t synapses(uint64_t seed) {
  axon::engine::RunRequest req;  // no output file: the summary is enough
  req.seed = seed;
  bt::RunResult r = bt::run_model_text("prob.axon", kModel, req);
  INFO(r.diagnostics);
  REQUIRE(r.status == axon::engine::RunStatus::Ok);
  return r.summary.synapses;
}

}  // namespace

TEST_CASE("probability(0.1) on 500 neurons: binomial count, reproducible per seed", "[backend][connect]") {
  // Every ordered pair (self pairs included: the engine's default allow_self = true;
  // excluding them would move the mean by 50, a third of a sigma) is a Bernoulli(0.1)
  // trial: mean n^2 p = 25000, sigma sqrt(n^2 p (1 - p)) = 150. Five sigma makes a
  // false failure a 1-in-2-million event for a correct generator, and still catches a
  // wrong p, a p applied per row instead of per pair, or a connectivity of "all".
  const double n = 500, p = 0.1;
  const double mean = n * n * p, sigma = std::sqrt(n * n * p * (1 - p));
  size_t a = synapses(1), a2 = synapses(1), b = synapses(2), c = synapses(3);
  INFO("seed 1: " << a << ", seed 2: " << b << ", seed 3: " << c);
  CHECK(std::abs(static_cast<double>(a) - mean) <= 5 * sigma);
  CHECK(std::abs(static_cast<double>(b) - mean) <= 5 * sigma);
  CHECK(std::abs(static_cast<double>(c) - mean) <= 5 * sigma);
  CHECK(a == a2);
  // A different seed draws a different network. Counts of two independent draws are
  // equal with probability ~1/(2 sqrt(pi) sigma) = 0.2%; these seeds were checked once
  // and the result is deterministic.
  CHECK(a != b);
  CHECK(b != c);
  WARN("probability(0.1): synapses " << a << " (seed 1), " << b << " (seed 2), " << c << " (seed 3); expected " << mean
                                     << " +- " << sigma);
}
