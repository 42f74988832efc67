#include "runtime/engine/value_eval.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "runtime/engine/build_error.h"
#include "runtime/engine/distributions.h"
#include "runtime/engine/ir_eval.h"
#include "runtime/engine/rng.h"

namespace axon::engine {

namespace {

// Two distributions in one value (Uniform(0, 1) - Uniform(0, 1)) must not share draws:
// each call site gets its own stream, keyed by its place in the source.
uint64_t call_stream(uint64_t object, const ir::Expr& call) {
  return rt::mix64(object ^ (static_cast<uint64_t>(call.range.line) << 32 | call.range.col));
}

}  // namespace

double ValueEvaluator::eval(const ir::Expr& e, const std::function<double(int)>& var, int64_t i, int64_t j,
                            uint64_t object, int64_t index, const std::string& what) const {
  const std::function<double(ir::VarRef)> element = [&](ir::VarRef r) -> double {
    if (r.space == ir::Space::Index) return static_cast<double>(i);
    if (r.space == ir::Space::PostIndex) return static_cast<double>(j);
    if (!var || r.space != ir::Space::Own) throw BuildError(what + " reads a variable it cannot see here");
    return var(r.var);
  };
  const std::function<double(const ir::Expr&)> sample = [&](const ir::Expr& d) {
    return draw(d, element, object, index, what);
  };
  return eval_ir(e, element, dt_, &sample);
}

double ValueEvaluator::draw(const ir::Expr& e, const std::function<double(ir::VarRef)>& var, uint64_t object,
                            int64_t index, const std::string& what) const {
  auto number = [&](const ir::Expr& x) { return eval_ir(x, var, dt_); };
  const uint64_t stream = call_stream(object, e);
  const uint64_t element = static_cast<uint64_t>(index);
  try {
    using builtins::Fn;
    std::vector<double> a;
    for (const ir::Expr& arg : e.args)
      if (arg.op != ir::Op::Text) a.push_back(number(arg));
    // Initialisers' arguments by position (sema put named ones in place): scale, [mode,] distribution.
    auto text = [&](size_t k, const char* dflt) {
      return k < e.args.size() && e.args[k].op == ir::Op::Text ? e.args[k].text : std::string(dflt);
    };
    const double scale = a.empty() ? 1.0 : a[0];
    rt::Distribution d;
    switch (e.fn) {
      case Fn::VarianceScaling:
      case Fn::Glorot:
      case Fn::He:
        if (fan_in == 0 && fan_out == 0)
          throw BuildError(
              std::string(builtins::info(e.fn).name) + " needs the fans of a projection: use it for synapse values",
              e.range);
        if (e.fn == Fn::VarianceScaling)
          d = rt::variance_scaling(scale, text(1, "fan_avg"), text(2, "uniform"), fan_in, fan_out);
        else if (e.fn == Fn::Glorot)
          d = rt::glorot(scale, text(1, "uniform"), fan_in, fan_out);
        else
          d = rt::he(scale, text(1, "normal"), fan_in, fan_out);
        break;
      case Fn::Choice:
        // One of the listed values, each equally likely.
        return a[rt::uniform_below(rt::random_bits(seed_, stream, element, 0), a.size())];
      case Fn::LogNormal:
        // exp(mu + sigma * N(0, 1)): mu and sigma are those of the logarithm.
        if (a[1] < 0) throw BuildError("LogNormal needs sigma >= 0", e.range);
        return std::exp(a[0] + a[1] * rt::random_normal(seed_, stream, element, 0));
      case Fn::Uniform: d = rt::uniform(a[0], a[1]); break;
      case Fn::Gaussian:
      case Fn::Normal: d = rt::gaussian(a[0], a[1]); break;
      case Fn::TruncatedNormal:
        d = a.size() > 2 ? rt::truncated_normal(a[0], a[1], a[2]) : rt::truncated_normal(a[0], a[1]);
        break;
      case Fn::Exponential: d = rt::exponential(a[0]); break;
      default: d = rt::constant(a[0]); break;
    }
    return rt::sample(d, seed_, stream, element);
  } catch (const BuildError&) {
    throw;
  } catch (const std::exception& ex) {
    throw BuildError(what + ": " + ex.what(), e.range);
  }
}

std::vector<double> element_values(const ir::Expr& e, int64_t n, const std::string& key, uint64_t seed, double dt) {
  ValueEvaluator ev(seed, dt);
  uint64_t object = rt::hash_name(key);
  std::vector<double> out(n);
  for (int64_t i = 0; i < n; ++i) out[i] = ev.eval(e, nullptr, i, i, object, i, "the value of '" + key + "'");
  return out;
}

}  // namespace axon::engine
