#include "runtime/engine/network_state.h"

#include <cmath>
#include <functional>
#include <map>

#include "compiler/passes/propagator.h"
#include "compiler/sema/const_eval.h"
#include "runtime/engine/distributions.h"
#include "runtime/engine/ir_eval.h"
#include "runtime/engine/rng.h"

namespace axon::engine {

double PopulationState::value(int var, int64_t i) const {
  int slot = layout.slot_of[var];
  if (slot >= 0) return doubles[slot][i];
  return consts[layout.const_of[var]];
}

size_t NetworkState::synapse_count() const {
  size_t n = 0;
  for (const ProjectionState& p : projections) n += p.csr.size();
  return n;
}

size_t NetworkState::memory_bytes() const {
  size_t bytes = 0;
  for (const PopulationState& p : populations) {
    for (const auto& v : p.doubles) bytes += v.size() * sizeof(double);
    for (const auto& v : p.integers) bytes += v.size() * sizeof(int64_t);
    bytes += p.spiked.size();
  }
  for (const ProjectionState& p : projections) {
    bytes += p.csr.row_ptr.size() * sizeof(int64_t) + p.csr.post.size() * sizeof(int32_t);
    for (const auto& v : p.doubles) bytes += v.size() * sizeof(double);
  }
  return bytes;
}

namespace {

const char* kDistributions[] = {"Uniform", "Gaussian", "Normal", "TruncatedNormal", "Exponential", "Constant"};

bool is_distribution(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::Call) return false;
  for (const char* d : kDistributions)
    if (e.name == d) return true;
  return false;
}

// Evaluates network and model expressions for one element: constants, `i`/`j`,
// network lets, other variables of the same element, and distributions (drawn from
// the element's own stream, so the value does not depend on evaluation order).
class ValueEvaluator {
 public:
  ValueEvaluator(const ir::Network& net, uint64_t seed, double dt) : net_(net), seed_(seed), dt_(dt) {}

  double eval(const ast::Expr& e, const sema::ConstLookup& names, uint64_t object, int64_t index,
              const std::string& what) {
    if (is_distribution(e)) {
      std::vector<double> a;
      for (const auto& arg : e.args) a.push_back(must(sema::eval_const(*arg, names), *arg, what));
      rt::Distribution d;
      try {
      if (e.name == "Uniform") d = rt::uniform(a[0], a[1]);
      else if (e.name == "Gaussian" || e.name == "Normal") d = rt::gaussian(a[0], a[1]);
      else if (e.name == "TruncatedNormal") d = a.size() > 2 ? rt::truncated_normal(a[0], a[1], a[2]) : rt::truncated_normal(a[0], a[1]);
      else if (e.name == "Exponential") d = rt::exponential(a[0]);
      else d = rt::constant(a[0]);
      return rt::sample(d, seed_, object, static_cast<uint64_t>(index));
      } catch (const std::exception& ex) {
        throw BuildError("line " + std::to_string(e.range.line) + ": " + what + ": " + ex.what());
      }
    }
    return must(sema::eval_const(e, names), e, what);
  }

  // Network-scope names: lets and the element indices.
  sema::ConstLookup network_names(int64_t i, int64_t j) {
    return [this, i, j](const ast::Expr& n) -> std::optional<double> {
      if (n.name == "i") return static_cast<double>(i);
      if (n.name == "j") return static_cast<double>(j);
      if (net_.source)
        for (const ast::NetworkLet& l : net_.source->lets)
          if (l.name == n.name && l.value && !l.view.valid) return sema::eval_const(*l.value, network_names(i, j));
      return std::nullopt;
    };
  }

  double dt() const { return dt_; }

 private:
  const ir::Network& net_;
  uint64_t seed_;
  double dt_;

  static double must(std::optional<double> v, const ast::Expr& e, const std::string& what) {
    if (!v)
      throw BuildError("line " + std::to_string(e.range.line) + ": " + what +
                       " must be a constant, an expression of i, or a distribution");
    return *v;
  }
};

// Initial values of every variable of every element of a population.
void initialise(PopulationState& ps, const ir::Network& net, ValueEvaluator& ev, uint64_t seed) {
  const ir::Population& pop = *ps.ir;
  const size_t nv = pop.vars.size();
  std::vector<uint64_t> objects(nv);
  for (size_t v = 0; v < nv; ++v) objects[v] = rt::hash_name(net.name + "." + pop.name + "." + pop.vars[v].name);

  auto value_of = [&](int v, int64_t i, auto& self, std::vector<int>& state) -> double {
    const ir::Var& var = pop.vars[v];
    if (state[v] == 2) return ps.value(v, i);
    if (state[v] == 1) throw BuildError("the initial value of '" + var.name + "' depends on itself");
    state[v] = 1;
    double x = 0;
    if (var.set_value) {
      x = *var.set_value;
    } else if (var.override_value) {
      x = ev.eval(*var.override_value, ev.network_names(i, i), objects[v], i, "the value of '" + var.name + "'");
    } else if (var.default_value) {
      std::string prefix = var.name.substr(0, var.name.rfind('.') + 1);
      sema::ConstLookup names = [&](const ast::Expr& n) -> std::optional<double> {
        if (n.name == "dt") return ev.dt();
        if (n.name == "t") return 0.0;
        int other = pop.find(prefix + n.name);
        if (other < 0) return std::nullopt;
        return self(other, i, self, state);
      };
      x = ev.eval(*var.default_value, names, objects[v], i, "the initial value of '" + var.name + "'");
    }
    int slot = ps.layout.slot_of[v];
    if (slot >= 0) ps.doubles[slot][i] = x;
    else ps.consts[ps.layout.const_of[v]] = x;
    state[v] = 2;
    return x;
  };

  // Uniform parameters once (element 0), then every element's arrays.
  std::vector<int> state(nv, 0);
  for (size_t v = 0; v < nv; ++v)
    if (ps.layout.const_of[v] >= 0) value_of(static_cast<int>(v), 0, value_of, state);
  for (int64_t i = 0; i < ps.n; ++i) {
    std::vector<int> s(nv, 0);
    for (size_t v = 0; v < nv; ++v)
      if (ps.layout.const_of[v] >= 0) s[v] = 2;
    for (size_t v = 0; v < nv; ++v)
      if (pop.vars[v].kind == ir::VarKind::Input) s[v] = 2;  // inputs start empty
    for (size_t v = 0; v < nv; ++v) value_of(static_cast<int>(v), i, value_of, s);
  }
}

void fill_propagators(PopulationState& ps, double dt) {
  const ir::Population& pop = *ps.ir;
  const ir::LinearSystem& S = *pop.linear;
  const size_t ns = S.states.size(), ni = S.inputs.size();
  auto compute = [&](int64_t i) {
    auto var = [&](int v) { return ps.value(v, i); };
    Eigen::MatrixXd A(ns, ns), B(ns, ni);
    Eigen::VectorXd c(ns);
    for (size_t r = 0; r < ns; ++r) {
      for (size_t k = 0; k < ns; ++k) A(r, k) = eval_ir(S.A[r][k], var, dt);
      for (size_t k = 0; k < ni; ++k) B(r, k) = eval_ir(S.B[r][k], var, dt);
      c(r) = eval_ir(S.c[r], var, dt);
    }
    passes::Propagator p = passes::exact_propagator(A, B, c, dt);
    std::vector<double> entries;
    for (size_t r = 0; r < ns; ++r)
      for (size_t k = 0; k < ns; ++k) entries.push_back(p.Phi(r, k));
    for (size_t r = 0; r < ns; ++r)
      for (size_t k = 0; k < ni; ++k) entries.push_back(p.Gamma(r, k));
    for (size_t r = 0; r < ns; ++r) entries.push_back(p.gamma(r));
    return entries;
  };
  const int base = ps.layout.propagator_base;
  if (!ps.layout.propagator_per_element) {
    std::vector<double> e = compute(0);
    for (size_t k = 0; k < e.size(); ++k) ps.consts[base + k] = e[k];
    return;
  }
  // Once per distinct parameter set: neurons that share parameters share propagators.
  std::vector<int> params;
  for (size_t v = 0; v < pop.vars.size(); ++v)
    if (pop.vars[v].per_element) params.push_back(static_cast<int>(v));
  std::map<std::vector<double>, std::vector<double>> cache;
  for (int64_t i = 0; i < ps.n; ++i) {
    std::vector<double> key;
    for (int v : params) key.push_back(ps.value(v, i));
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, compute(i)).first;
    for (size_t k = 0; k < it->second.size(); ++k) ps.doubles[base + k][i] = it->second[k];
  }
}

PopulationState build_population(const ir::Network& net, const ir::Population& pop, ValueEvaluator& ev,
                                 const BuildSettings& settings) {
  PopulationState ps;
  ps.ir = &pop;
  ps.n = pop.size;
  ps.object = rt::hash_name(net.name + "." + pop.name);
  if (pop.spike_source) return ps;
  ps.layout = codegen::make_layout(pop);
  const auto& L = ps.layout;
  ps.doubles.resize(L.n_slots);
  ps.integers.resize(L.n_slots);
  ps.consts.assign(L.n_consts, 0.0);
  for (int s = 0; s < L.n_slots; ++s) {
    if (s == L.spiked_slot) continue;
    if (s == L.last_spike_slot || s == L.ref_steps_slot) ps.integers[s].assign(pop.size, 0);
    else ps.doubles[s].assign(pop.size, 0.0);
  }
  ps.spiked.assign(pop.size, 0);
  initialise(ps, net, ev, settings.seed);
  if (L.last_spike_slot >= 0)
    ps.integers[L.last_spike_slot].assign(pop.size, INT64_MIN / 2);  // never spiked
  if (L.ref_steps_slot >= 0) {
    for (int64_t i = 0; i < ps.n; ++i) {
      double period = eval_ir(*pop.refractory, [&](int v) { return ps.value(v, i); }, settings.dt);
      ps.integers[L.ref_steps_slot][i] = std::llround(period / settings.dt);
    }
  }
  if (pop.linear) fill_propagators(ps, settings.dt);
  ps.slots.resize(L.n_slots);
  for (int s = 0; s < L.n_slots; ++s) {
    if (s == L.spiked_slot) ps.slots[s] = ps.spiked.data();
    else if (!ps.integers[s].empty()) ps.slots[s] = ps.integers[s].data();
    else ps.slots[s] = ps.doubles[s].data();
  }
  return ps;
}

rt::ConnectSpec connect_spec(const ir::Projection& p, ValueEvaluator& ev) {
  rt::ConnectSpec spec;
  spec.same_population = p.source == p.target;
  spec.pre_offset = p.pre_begin;
  spec.post_offset = p.post_begin;
  const ast::Expr* c = p.connect;
  if (c == nullptr) return spec;
  if (c->kind == ast::ExprKind::Name) {
    spec.kind = c->name == "one_to_one" ? rt::ConnectKind::OneToOne : rt::ConnectKind::All;
    return spec;
  }
  static const std::map<std::string, rt::ConnectKind> kinds = {
      {"probability", rt::ConnectKind::Probability}, {"fixed_in_degree", rt::ConnectKind::FixedInDegree},
      {"fixed_out_degree", rt::ConnectKind::FixedOutDegree}, {"fixed_total", rt::ConnectKind::FixedTotal}};
  auto it = kinds.find(c->name);
  if (it == kinds.end()) throw BuildError("connectivity '" + c->name + "' is not supported by the engine yet");
  spec.kind = it->second;
  for (size_t k = 0; k < c->args.size(); ++k) {
    double v = ev.eval(*c->args[k], ev.network_names(0, 0), 0, 0, "a connectivity argument");
    const std::string& name = c->arg_names[k];
    if (name == "allow_self") spec.allow_self = v != 0;
    else if (name == "allow_multiple") spec.allow_multiple = v != 0;
    else if (spec.kind == rt::ConnectKind::Probability) spec.p = v;
    else spec.k = static_cast<int64_t>(v);
  }
  return spec;
}

ProjectionState build_projection(const ir::Network& net, const ir::Projection& p, ValueEvaluator& ev,
                                 const BuildSettings& settings) {
  ProjectionState ps;
  ps.ir = &p;
  ps.layout = codegen::make_synapse_layout(p);
  uint64_t object = rt::hash_name(net.name + "." + p.name);
  try {
    ps.csr = rt::connect(connect_spec(p, ev), p.pre_end - p.pre_begin, p.post_end - p.post_begin, settings.seed, object);
  } catch (const std::invalid_argument& e) {
    throw BuildError("projection '" + p.name + "': " + e.what());
  }
  if (p.delay) {
    double d = ev.eval(*p.delay, ev.network_names(0, 0), 0, 0, "a delay");
    ps.delay_steps = std::llround(d / settings.dt);
  }
  ps.consts.assign(ps.layout.n_consts, 0.0);
  ps.doubles.resize(ps.layout.n_slots);
  const size_t n_syn = ps.csr.size();
  std::vector<int64_t> pre_of;  // pre index of each synapse, for values that use i
  for (size_t v = 0; v < p.synapse_vars.size(); ++v) {
    const ir::Var& var = p.synapse_vars[v];
    const ast::Expr* e = var.override_value ? var.override_value : var.default_value;
    uint64_t vobj = rt::hash_name(net.name + "." + p.name + "." + var.name);
    if (ps.layout.const_of[v] >= 0) {
      if (e) ps.consts[ps.layout.const_of[v]] = ev.eval(*e, ev.network_names(0, 0), vobj, 0, "the value of '" + var.name + "'");
      continue;
    }
    if (pre_of.empty() && n_syn > 0) {
      pre_of.resize(n_syn);
      for (int64_t r = 0; r < ps.csr.n_pre; ++r)
        for (int64_t k = ps.csr.row_ptr[r]; k < ps.csr.row_ptr[r + 1]; ++k) pre_of[k] = r;
    }
    std::vector<double>& values = ps.doubles[ps.layout.slot_of[v]];
    values.assign(n_syn, 0.0);
    if (!e) continue;
    for (size_t k = 0; k < n_syn; ++k)
      values[k] = ev.eval(*e, ev.network_names(pre_of[k], ps.csr.post[k]), vobj, static_cast<int64_t>(k),
                          "the value of '" + var.name + "'");
  }
  ps.slots.resize(ps.layout.n_slots);
  for (int s = 0; s < ps.layout.n_slots; ++s) ps.slots[s] = ps.doubles[s].data();
  return ps;
}

}  // namespace

NetworkState build_network_state(const ir::Network& net, const BuildSettings& settings) {
  NetworkState state;
  ValueEvaluator ev(net, settings.seed, settings.dt);
  for (const ir::Population& p : net.populations) state.populations.push_back(build_population(net, p, ev, settings));
  for (const ir::Projection& p : net.projections) state.projections.push_back(build_projection(net, p, ev, settings));
  return state;
}

}  // namespace axon::engine
