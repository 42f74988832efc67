#include "runtime/engine/network_state.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "compiler/passes/propagator.h"
#include "compiler/sema/const_eval.h"
#include "runtime/engine/distributions.h"
#include "runtime/engine/ir_eval.h"
#include "runtime/engine/rng.h"
#include "runtime/io/input_file.h"
#include "compiler/units/unit.h"

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

const char* kDistributions[] = {"Uniform", "Gaussian", "Normal", "TruncatedNormal", "Exponential", "Constant",
                                "LogNormal", "Choice"};

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

  // Fans of the projection whose weights are being drawn (VarianceScaling, Glorot, He).
  int64_t fan_in = 0, fan_out = 0;

  double eval(const ast::Expr& e, const sema::ConstLookup& names, uint64_t object, int64_t index,
              const std::string& what) {
    if (!contains_random(e)) return must(sema::eval_const(e, names), e, what);
    switch (e.kind) {
      case ast::ExprKind::Call:
        if (is_distribution(e) || is_initializer(e)) return draw(e, names, object, index, what);
        break;
      case ast::ExprKind::Unary: {
        double a = eval(*e.args[0], names, object, index, what);
        return e.op == "-" ? -a : a;
      }
      case ast::ExprKind::Binary: {
        double a = eval(*e.args[0], names, object, index, what);
        double b = eval(*e.args[1], names, object, index, what);
        if (e.op == "+") return a + b;
        if (e.op == "-") return a - b;
        if (e.op == "*") return a * b;
        if (e.op == "/") return a / b;
        break;
      }
      default:
        break;
    }
    throw BuildError("line " + std::to_string(e.range.line) + ": " + what +
                     ": a distribution can only be scaled, shifted or negated");
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

  // Two distributions in one value (Uniform(0, 1) - Uniform(0, 1)) must not share draws:
  // each call site gets its own stream, keyed by its place in the source.
  static uint64_t call_stream(uint64_t object, const ast::Expr& call) {
    return rt::mix64(object ^ (static_cast<uint64_t>(call.range.line) << 32 | call.range.col));
  }

  static bool is_initializer(const ast::Expr& e) {
    return e.kind == ast::ExprKind::Call && (e.name == "VarianceScaling" || e.name == "Glorot" || e.name == "He");
  }
  static bool contains_random(const ast::Expr& e) {
    if (is_distribution(e) || is_initializer(e)) return true;
    for (const auto& a : e.args)
      if (a && contains_random(*a)) return true;
    return false;
  }

  double draw(const ast::Expr& e, const sema::ConstLookup& names, uint64_t object, int64_t index,
              const std::string& what) {
    try {
      rt::Distribution d;
      if (is_initializer(e)) {
        // Arguments by position (sema put named ones in place): scale, [mode,] distribution.
        auto text = [&](size_t k, const char* dflt) {
          return k < e.args.size() && e.args[k]->kind == ast::ExprKind::String ? e.args[k]->name : std::string(dflt);
        };
        double scale = e.args.empty() ? 1.0 : must(sema::eval_const(*e.args[0], names), *e.args[0], what);
        if (fan_in == 0 && fan_out == 0)
          throw BuildError(e.name + " needs the fans of a projection: use it for synapse values");
        if (e.name == "VarianceScaling")
          d = rt::variance_scaling(scale, text(1, "fan_avg"), text(2, "uniform"), fan_in, fan_out);
        else if (e.name == "Glorot")
          d = rt::glorot(scale, text(1, "uniform"), fan_in, fan_out);
        else
          d = rt::he(scale, text(1, "normal"), fan_in, fan_out);
      } else if (e.name == "Choice") {
        // One of the listed values, each equally likely.
        std::vector<double> values;
        for (const auto& item : e.args[0]->args) values.push_back(must(sema::eval_const(*item, names), *item, what));
        uint64_t bits = rt::random_bits(seed_, call_stream(object, e), static_cast<uint64_t>(index), 0);
        return values[rt::uniform_below(bits, values.size())];
      } else if (e.name == "LogNormal") {
        // exp(mu + sigma * N(0, 1)): mu and sigma are those of the logarithm.
        double mu = must(sema::eval_const(*e.args[0], names), *e.args[0], what);
        double sigma = must(sema::eval_const(*e.args[1], names), *e.args[1], what);
        if (sigma < 0) throw BuildError("line " + std::to_string(e.range.line) + ": LogNormal needs sigma >= 0");
        return std::exp(mu + sigma * rt::random_normal(seed_, call_stream(object, e), static_cast<uint64_t>(index), 0));
      } else {
        std::vector<double> a;
        for (const auto& arg : e.args) a.push_back(must(sema::eval_const(*arg, names), *arg, what));
        if (e.name == "Uniform") d = rt::uniform(a[0], a[1]);
        else if (e.name == "Gaussian" || e.name == "Normal") d = rt::gaussian(a[0], a[1]);
        else if (e.name == "TruncatedNormal") d = a.size() > 2 ? rt::truncated_normal(a[0], a[1], a[2]) : rt::truncated_normal(a[0], a[1]);
        else if (e.name == "Exponential") d = rt::exponential(a[0]);
        else d = rt::constant(a[0]);
      }
      return rt::sample(d, seed_, call_stream(object, e), static_cast<uint64_t>(index));
    } catch (const BuildError&) {
      throw;
    } catch (const std::exception& ex) {
      throw BuildError("line " + std::to_string(e.range.line) + ": " + what + ": " + ex.what());
    }
  }

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
  } else if (L.ref_steps_const >= 0) {
    double period = eval_ir(*pop.refractory, [&](int v) { return ps.value(v, 0); }, settings.dt);
    ps.consts[L.ref_steps_const] = static_cast<double>(std::llround(period / settings.dt));
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

// Sources (pre) or targets of a projection: the listed neurons of an index-list view,
// else the range.
int64_t list_size(const ir::Projection& p, bool pre) {
  const std::vector<int64_t>& list = pre ? p.pre_indices : p.post_indices;
  if (!list.empty()) return static_cast<int64_t>(list.size());
  return pre ? p.pre_end - p.pre_begin : p.post_end - p.post_begin;
}

rt::ConnectSpec connect_spec(const ir::Projection& p, ValueEvaluator& ev) {
  rt::ConnectSpec spec;
  // With index lists, offsets do not say which pairs are self pairs; allow_self = false
  // is rejected below.
  spec.same_population = p.source == p.target && p.pre_indices.empty() && p.post_indices.empty();
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
      {"fixed_out_degree", rt::ConnectKind::FixedOutDegree}, {"fixed_total", rt::ConnectKind::FixedTotal},
      {"patched", rt::ConnectKind::Patched}};
  auto it = kinds.find(c->name);
  if (it == kinds.end()) throw BuildError("connectivity '" + c->name + "' is not supported by the engine yet");
  spec.kind = it->second;
  for (size_t k = 0; k < c->args.size(); ++k) {
    double v = ev.eval(*c->args[k], ev.network_names(0, 0), 0, 0, "a connectivity argument");
    const std::string& name = c->arg_names[k];
    if (name == "allow_self" && v == 0 && p.source == p.target && (!p.pre_indices.empty() || !p.post_indices.empty()))
      throw BuildError("projection '" + p.name + "': allow_self = false is not supported with index-list views yet");
    if (name == "stride_pre") spec.stride_pre = static_cast<int64_t>(v);
    else if (name == "stride_post") spec.stride_post = static_cast<int64_t>(v);
    else if (name == "allow_self") spec.allow_self = v != 0;
    else if (name == "allow_multiple") spec.allow_multiple = v != 0;
    else if (spec.kind == rt::ConnectKind::Probability) spec.p = v;
    else spec.k = static_cast<int64_t>(v);
  }
  return spec;
}

// Connectivity listed in an HDF5 group: datasets `pre` and `post` (indices within the
// projection's source and target ranges), and optionally one dataset per synapse
// variable (e.g. `w`) and `delay`, converted to SI by their `units` attributes.
rt::Csr explicit_csr(const ir::Projection& p, std::map<std::string, std::vector<double>>& columns) {
  io::InputFile in(p.explicit_file);
  const std::string& g = p.explicit_group;
  io::Column pre = in.column(g + "/pre"), post = in.column(g + "/post");
  if (pre.values.size() != post.values.size())
    throw BuildError(p.explicit_file + ":" + g + ": 'pre' and 'post' differ in length");
  const size_t n = pre.values.size();
  const int64_t n_pre = list_size(p, true), n_post = list_size(p, false);
  for (size_t k = 0; k < n; ++k) {
    double a = pre.values[k], b = post.values[k];
    if (a < 0 || a >= n_pre || b < 0 || b >= n_post || a != std::floor(a) || b != std::floor(b))
      throw BuildError(p.explicit_file + ":" + g + ": synapse " + std::to_string(k) + " (" + std::to_string(a) +
                       " -> " + std::to_string(b) + ") is outside the projection's " + std::to_string(n_pre) +
                       " sources and " + std::to_string(n_post) + " targets");
  }
  // CSR order: by source, then target; equal pairs keep their file order.
  std::vector<size_t> order(n);
  for (size_t k = 0; k < n; ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return pre.values[x] != pre.values[y] ? pre.values[x] < pre.values[y] : post.values[x] < post.values[y];
  });
  rt::Csr csr;
  csr.n_pre = n_pre;
  csr.n_post = n_post;
  csr.row_ptr.assign(n_pre + 1, 0);
  csr.post.reserve(n);
  for (size_t k : order) {
    ++csr.row_ptr[static_cast<int64_t>(pre.values[k]) + 1];
    csr.post.push_back(static_cast<int32_t>(post.values[k]));
  }
  for (int64_t r = 0; r < n_pre; ++r) csr.row_ptr[r + 1] += csr.row_ptr[r];
  std::vector<std::string> names;
  for (const ir::Var& v : p.synapse_vars) names.push_back(v.name);
  names.push_back("delay");
  for (const std::string& name : names) {
    if (!in.has(g + "/" + name)) continue;
    io::Column c = in.column(g + "/" + name);
    if (c.values.size() != n)
      throw BuildError(p.explicit_file + ":" + g + "/" + name + " has " + std::to_string(c.values.size()) +
                       " values for " + std::to_string(n) + " synapses");
    double scale = 1;
    if (!c.units.empty()) {
      units::UnitParseResult u = units::parse_unit(c.units);
      if (!u.unit) throw BuildError(p.explicit_file + ":" + g + "/" + name + ": unknown unit '" + c.units + "'");
      scale = u.unit->scale;
    }
    std::vector<double>& out = columns[name];
    for (size_t k : order) out.push_back(c.values[k] * scale);
  }
  return csr;
}

// Splits a projection by per-synapse delay: one group per distinct delay, each with
// the synapses (in their CSR order) and per-synapse values that have it.
std::vector<ProjectionState> split_by_delay(ProjectionState all, const std::vector<int64_t>& delay) {
  std::map<int64_t, std::vector<size_t>> groups;  // delay -> synapse indices, CSR order
  for (size_t k = 0; k < delay.size(); ++k) groups[delay[k]].push_back(k);
  std::vector<int64_t> pre_of(all.csr.size());
  for (int64_t r = 0; r < all.csr.n_pre; ++r)
    for (int64_t k = all.csr.row_ptr[r]; k < all.csr.row_ptr[r + 1]; ++k) pre_of[k] = r;
  std::vector<ProjectionState> parts;
  for (auto& [d, members] : groups) {
    ProjectionState part;
    part.ir = all.ir;
    part.kernel = all.kernel;
    part.layout = all.layout;
    part.consts = all.consts;
    part.delay_steps = d;
    part.csr.n_pre = all.csr.n_pre;
    part.csr.n_post = all.csr.n_post;
    part.csr.row_ptr.assign(all.csr.n_pre + 1, 0);
    for (size_t k : members) ++part.csr.row_ptr[pre_of[k] + 1];
    for (int64_t r = 0; r < all.csr.n_pre; ++r) part.csr.row_ptr[r + 1] += part.csr.row_ptr[r];
    part.csr.post.reserve(members.size());
    for (size_t k : members) part.csr.post.push_back(all.csr.post[k]);
    part.doubles.resize(all.doubles.size());
    for (size_t s = 0; s < all.doubles.size(); ++s) {
      part.doubles[s].reserve(members.size());
      for (size_t k : members) part.doubles[s].push_back(all.doubles[s][k]);
    }
    part.slots.resize(part.doubles.size());
    for (size_t s = 0; s < part.doubles.size(); ++s) part.slots[s] = part.doubles[s].data();
    parts.push_back(std::move(part));
  }
  return parts;
}

// Synapses made over index-list views (i, j = positions in the lists) mapped onto the
// projection's ranges, in CSR order again (by source, then target); per-synapse values
// and delays follow their synapses. Then split by delay when delays vary.
std::vector<ProjectionState> finish_projection(ProjectionState ps, std::vector<int64_t>* delay) {
  const ir::Projection& p = *ps.ir;
  if (!p.pre_indices.empty() || !p.post_indices.empty()) {
    const size_t n = ps.csr.size();
    std::vector<int64_t> pre(n), post(n);
    for (int64_t r = 0; r < ps.csr.n_pre; ++r)
      for (int64_t k = ps.csr.row_ptr[r]; k < ps.csr.row_ptr[r + 1]; ++k) {
        pre[k] = p.pre_indices.empty() ? r : p.pre_indices[r] - p.pre_begin;
        post[k] = p.post_indices.empty() ? ps.csr.post[k] : p.post_indices[ps.csr.post[k]] - p.post_begin;
      }
    std::vector<size_t> order(n);
    for (size_t k = 0; k < n; ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return pre[a] != pre[b] ? pre[a] < pre[b] : post[a] < post[b];
    });
    rt::Csr csr;
    csr.n_pre = p.pre_end - p.pre_begin;
    csr.n_post = p.post_end - p.post_begin;
    csr.row_ptr.assign(csr.n_pre + 1, 0);
    csr.post.reserve(n);
    for (size_t k : order) {
      ++csr.row_ptr[pre[k] + 1];
      csr.post.push_back(static_cast<int32_t>(post[k]));
    }
    for (int64_t r = 0; r < csr.n_pre; ++r) csr.row_ptr[r + 1] += csr.row_ptr[r];
    ps.csr = std::move(csr);
    for (std::vector<double>& values : ps.doubles) {
      if (values.size() != n) continue;
      std::vector<double> moved(n);
      for (size_t k = 0; k < n; ++k) moved[k] = values[order[k]];
      values = std::move(moved);
    }
    if (delay) {
      std::vector<int64_t> moved(n);
      for (size_t k = 0; k < n; ++k) moved[k] = (*delay)[order[k]];
      *delay = std::move(moved);
    }
    for (size_t s = 0; s < ps.doubles.size(); ++s) ps.slots[s] = ps.doubles[s].data();
  }
  if (delay) return split_by_delay(std::move(ps), *delay);
  std::vector<ProjectionState> one;
  one.push_back(std::move(ps));
  return one;
}

std::vector<ProjectionState> build_projection(const ir::Network& net, size_t index, ValueEvaluator& ev,
                                              const BuildSettings& settings) {
  const ir::Projection& p = net.projections[index];
  ProjectionState ps;
  ps.ir = &p;
  ps.kernel = index;
  ps.layout = codegen::make_synapse_layout(p);
  uint64_t object = rt::hash_name(net.name + "." + p.name);
  std::map<std::string, std::vector<double>> file_columns;  // explicit: per-synapse values, SI, CSR order
  try {
    if (!p.explicit_file.empty()) {
      ps.csr = explicit_csr(p, file_columns);
    } else if (p.connect_where) {
      // Every pair is tested by the JIT-compiled condition, one source row at a time.
      const int64_t n_pre = list_size(p, true), n_post = list_size(p, false);
      codegen::WhereFn where = (*settings.where)[index];
      std::vector<int32_t> row(n_post);
      ps.csr.n_pre = n_pre;
      ps.csr.n_post = n_post;
      ps.csr.row_ptr.assign(n_pre + 1, 0);
      for (int64_t i = 0; i < n_pre; ++i) {
        int64_t n = where(i, n_post, row.data());
        ps.csr.post.insert(ps.csr.post.end(), row.begin(), row.begin() + n);
        ps.csr.row_ptr[i + 1] = static_cast<int64_t>(ps.csr.post.size());
      }
      ps.csr.post.shrink_to_fit();
    } else {
      ps.csr = rt::connect(connect_spec(p, ev), list_size(p, true), list_size(p, false), settings.seed, object);
    }
  } catch (const std::invalid_argument& e) {
    throw BuildError("projection '" + p.name + "': " + e.what());
  }
  ps.consts.assign(ps.layout.n_consts, 0.0);
  ps.doubles.resize(ps.layout.n_slots);
  const size_t n_syn = ps.csr.size();
  std::vector<int64_t> pre_of(n_syn);  // pre index of each synapse, for values that use i
  for (int64_t r = 0; r < ps.csr.n_pre; ++r)
    for (int64_t k = ps.csr.row_ptr[r]; k < ps.csr.row_ptr[r + 1]; ++k) pre_of[k] = r;
  // Weight initialisers scale with the projection's fans (NengoDL: fan_in = inputs).
  ev.fan_in = list_size(p, true);
  ev.fan_out = list_size(p, false);
  // A model default may name the synapse's variables declared before it (`state u = U`).
  auto names = [&](size_t v, int64_t k) -> sema::ConstLookup {
    sema::ConstLookup net_names = ev.network_names(k < 0 ? 0 : pre_of[k], k < 0 ? 0 : ps.csr.post[k]);
    if (p.synapse_vars[v].override_value) return net_names;
    return [&, v, k, net_names](const ast::Expr& n) -> std::optional<double> {
      for (size_t u = 0; u < v; ++u) {
        if (p.synapse_vars[u].name != n.name) continue;
        if (ps.layout.const_of[u] >= 0) return ps.consts[ps.layout.const_of[u]];
        if (k >= 0 && ps.doubles[ps.layout.slot_of[u]].size() > static_cast<size_t>(k))
          return ps.doubles[ps.layout.slot_of[u]][k];
      }
      return net_names(n);
    };
  };
  for (size_t v = 0; v < p.synapse_vars.size(); ++v) {
    const ir::Var& var = p.synapse_vars[v];
    const ast::Expr* e = var.override_value ? var.override_value : var.default_value;
    uint64_t vobj = rt::hash_name(net.name + "." + p.name + "." + var.name);
    if (ps.layout.const_of[v] >= 0) {
      if (e) ps.consts[ps.layout.const_of[v]] = ev.eval(*e, names(v, -1), vobj, 0, "the value of '" + var.name + "'");
      continue;
    }
    std::vector<double>& values = ps.doubles[ps.layout.slot_of[v]];
    values.assign(n_syn, 0.0);
    if (auto f = file_columns.find(var.name); f != file_columns.end()) {
      values = f->second;
      continue;
    }
    if (!e) continue;
    for (size_t k = 0; k < n_syn; ++k)
      values[k] = ev.eval(*e, names(v, static_cast<int64_t>(k)), vobj, static_cast<int64_t>(k),
                          "the value of '" + var.name + "'");
  }
  ev.fan_in = ev.fan_out = 0;
  ps.slots.resize(ps.layout.n_slots);
  for (int s = 0; s < ps.layout.n_slots; ++s) ps.slots[s] = ps.doubles[s].data();
  if (auto f = file_columns.find("delay"); f != file_columns.end()) {
    std::vector<int64_t> delay(n_syn);
    for (size_t k = 0; k < n_syn; ++k) {
      if (f->second[k] < 0) throw BuildError("projection '" + p.name + "': a delay in " + p.explicit_file + " is negative");
      delay[k] = std::llround(f->second[k] / settings.dt);
    }
    return finish_projection(std::move(ps), &delay);
  }
  if (!p.delay) return finish_projection(std::move(ps), nullptr);
  uint64_t dobj = rt::hash_name(net.name + "." + p.name + ".delay");
  auto steps = [&](double d, const ast::Expr& at) {
    if (d < 0) throw BuildError("line " + std::to_string(at.range.line) + ": projection '" + p.name + "' has a negative delay");
    return static_cast<int64_t>(std::llround(d / settings.dt));
  };
  if (auto uniform = sema::eval_const(*p.delay, ev.network_names(0, 0)); uniform && !ValueEvaluator::contains_random(*p.delay)) {
    bool uses_indices = false;
    std::function<void(const ast::Expr&)> scan = [&](const ast::Expr& x) {
      if (x.kind == ast::ExprKind::Name && (x.name == "i" || x.name == "j")) uses_indices = true;
      for (const auto& a : x.args)
        if (a) scan(*a);
    };
    scan(*p.delay);
    if (!uses_indices) {
      ps.delay_steps = steps(*uniform, *p.delay);
      return finish_projection(std::move(ps), nullptr);
    }
  }
  std::vector<int64_t> delay(n_syn);
  for (size_t k = 0; k < n_syn; ++k)
    delay[k] = steps(ev.eval(*p.delay, ev.network_names(pre_of[k], ps.csr.post[k]), dobj, static_cast<int64_t>(k), "a delay"),
                     *p.delay);
  return finish_projection(std::move(ps), &delay);
}

}  // namespace

std::vector<double> element_values(const ir::Network& net, const ast::Expr& e, int64_t n, const std::string& key,
                                   uint64_t seed, double dt) {
  ValueEvaluator ev(net, seed, dt);
  uint64_t object = rt::hash_name(key);
  std::vector<double> out(n);
  for (int64_t i = 0; i < n; ++i) out[i] = ev.eval(e, ev.network_names(i, i), object, i, "the value of '" + key + "'");
  return out;
}

NetworkState build_network_state(const ir::Network& net, const BuildSettings& settings) {
  NetworkState state;
  ValueEvaluator ev(net, settings.seed, settings.dt);
  for (const ir::Population& p : net.populations) state.populations.push_back(build_population(net, p, ev, settings));
  for (size_t j = 0; j < net.projections.size(); ++j)
    for (ProjectionState& part : build_projection(net, j, ev, settings)) state.projections.push_back(std::move(part));
  for (ProjectionState& p : state.projections) {
    if (!p.ir->by_target()) continue;
    const int64_t n_post = p.ir->post_end - p.ir->post_begin;
    p.col_ptr.assign(n_post + 1, 0);
    p.pre_of.resize(p.csr.size());
    for (int64_t r = 0; r < p.csr.n_pre; ++r)
      for (int64_t k = p.csr.row_ptr[r]; k < p.csr.row_ptr[r + 1]; ++k) {
        p.pre_of[k] = static_cast<int32_t>(r);
        ++p.col_ptr[p.csr.post[k] + 1];
      }
    for (int64_t j = 0; j < n_post; ++j) p.col_ptr[j + 1] += p.col_ptr[j];
    std::vector<int64_t> fill(p.col_ptr.begin(), p.col_ptr.end() - 1);
    p.syn_of.resize(p.csr.size());
    for (size_t k = 0; k < p.csr.size(); ++k) p.syn_of[fill[p.csr.post[k]]++] = static_cast<int64_t>(k);
  }
  // The slot tables point into the arrays: set them once everything has its final place.
  for (ProjectionState& p : state.projections)
    for (size_t s = 0; s < p.slots.size(); ++s) p.slots[s] = p.doubles[s].data();
  return state;
}

}  // namespace axon::engine
