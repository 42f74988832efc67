#include "runtime/engine/network_state.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "compiler/passes/propagator.h"
#include "runtime/engine/ir_eval.h"
#include "runtime/engine/projection_state.h"
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
    bytes += (p.col_ptr.size() + p.syn_of.size()) * sizeof(int64_t) + p.pre_of.size() * sizeof(int32_t);
  }
  return bytes;
}

namespace {

// Initial values of every variable of every element of a population.
void initialise(PopulationState& ps, const ir::Network& net, const ValueEvaluator& ev) {
  const ir::Population& pop = *ps.ir;
  const size_t nv = pop.vars.size();
  std::vector<uint64_t> objects(nv);
  std::vector<std::string> whats(nv);  // how messages name each value, made once, not per neuron
  for (size_t v = 0; v < nv; ++v) {
    objects[v] = rt::hash_name(net.name + "." + pop.name + "." + pop.vars[v].name);
    whats[v] = (pop.vars[v].value_from_network ? "the value of '" : "the initial value of '") + pop.vars[v].name + "'";
  }

  auto value_of = [&](int v, int64_t i, auto& self, std::vector<int>& state) -> double {
    const ir::Var& var = pop.vars[v];
    if (state[v] == 2) return ps.value(v, i);
    if (state[v] == 1) throw BuildError("the initial value of '" + var.name + "' depends on itself", var.range);
    state[v] = 1;
    double x = 0;
    if (var.set_value) {
      x = *var.set_value;
    } else if (var.value) {
      // A model default may read the element's other variables, computed first.
      auto other = [&](int k) { return self(k, i, self, state); };
      x = ev.eval(*var.value, other, i, i, objects[v], i, whats[v]);
    }
    int slot = ps.layout.slot_of[v];
    if (slot >= 0)
      ps.doubles[slot][i] = x;
    else
      ps.consts[ps.layout.const_of[v]] = x;
    state[v] = 2;
    return x;
  };

  // Uniform parameters once (element 0), then every element's arrays.
  std::vector<int> state(nv, 0);
  for (size_t v = 0; v < nv; ++v)
    if (ps.layout.const_of[v] >= 0) value_of(static_cast<int>(v), 0, value_of, state);
  auto stored = [&](size_t v) { return ps.layout.const_of[v] >= 0 || ps.layout.slot_of[v] >= 0; };
  for (int64_t i = 0; i < ps.n; ++i) {
    std::vector<int> s(nv, 0);
    for (size_t v = 0; v < nv; ++v)
      if (ps.layout.const_of[v] >= 0) s[v] = 2;
    for (size_t v = 0; v < nv; ++v)
      if (pop.vars[v].kind == ir::VarKind::Input || !stored(v)) s[v] = 2;  // inputs start empty; locals have no storage
    for (size_t v = 0; v < nv; ++v)
      if (stored(v)) value_of(static_cast<int>(v), i, value_of, s);
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

PopulationState build_population(const ir::Network& net, const ir::Population& pop, const ValueEvaluator& ev,
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
    if (s == L.last_spike_slot || s == L.ref_steps_slot)
      ps.integers[s].assign(pop.size, 0);
    else
      ps.doubles[s].assign(pop.size, 0.0);
  }
  ps.spiked.assign(pop.size, 0);
  initialise(ps, net, ev);
  if (L.last_spike_slot >= 0) ps.integers[L.last_spike_slot].assign(pop.size, INT64_MIN / 2);  // never spiked
  if (L.ref_steps_slot >= 0) {
    for (int64_t i = 0; i < ps.n; ++i) {
      double period = eval_ir(
          *pop.refractory, [&](int v) { return ps.value(v, i); }, settings.dt);
      ps.integers[L.ref_steps_slot][i] = std::llround(period / settings.dt);
    }
  } else if (L.ref_steps_const >= 0) {
    double period = eval_ir(
        *pop.refractory, [&](int v) { return ps.value(v, 0); }, settings.dt);
    ps.consts[L.ref_steps_const] = static_cast<double>(std::llround(period / settings.dt));
  }
  if (pop.linear) fill_propagators(ps, settings.dt);
  ps.slots.resize(L.n_slots);
  for (int s = 0; s < L.n_slots; ++s) {
    if (s == L.spiked_slot)
      ps.slots[s] = ps.spiked.data();
    else if (!ps.integers[s].empty())
      ps.slots[s] = ps.integers[s].data();
    else
      ps.slots[s] = ps.doubles[s].data();
  }
  return ps;
}

}  // namespace

NetworkState build_network_state(const ir::Network& net, const BuildSettings& settings) {
  NetworkState state;
  ValueEvaluator ev(settings.seed, settings.dt);
  for (const ir::Population& p : net.populations) state.populations.push_back(build_population(net, p, ev, settings));
  for (size_t j = 0; j < net.projections.size(); ++j)
    for (ProjectionState& part : build_projection(net, j, ev, settings)) state.projections.push_back(std::move(part));
  for (ProjectionState& p : state.projections) {
    if (!p.ir->by_target()) continue;
    rt::ByTarget t = rt::by_target(p.csr, p.ir->post_end - p.ir->post_begin);
    p.col_ptr = std::move(t.col_ptr);
    p.syn_of = std::move(t.syn_of);
    p.pre_of = std::move(t.pre_of);
  }
  // The slot tables point into the arrays: set them once everything has its final place.
  for (ProjectionState& p : state.projections)
    for (size_t s = 0; s < p.slots.size(); ++s) p.slots[s] = p.doubles[s].data();
  return state;
}

}  // namespace axon::engine
