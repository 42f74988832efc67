#include "runtime/engine/projection_state.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "compiler/units/unit.h"
#include "runtime/engine/ir_eval.h"
#include "runtime/engine/rng.h"
#include "runtime/io/input_file.h"

namespace axon::engine {

namespace {

// Sources (pre) or targets of a projection: the listed neurons of an index-list view,
// else the range.
int64_t list_size(const ir::Projection& p, bool pre) {
  const std::vector<int64_t>& list = pre ? p.pre_indices : p.post_indices;
  if (!list.empty()) return static_cast<int64_t>(list.size());
  return pre ? p.pre_end - p.pre_begin : p.post_end - p.post_begin;
}

rt::ConnectSpec connect_spec(const ir::Projection& p, const ValueEvaluator& ev) {
  rt::ConnectSpec spec;
  // With index lists, offsets do not say which pairs are self pairs; allow_self = false
  // is rejected below.
  spec.same_population = p.source == p.target && p.pre_indices.empty() && p.post_indices.empty();
  spec.pre_offset = p.pre_begin;
  spec.post_offset = p.post_begin;
  const ir::Connectivity& c = p.connect;
  switch (c.kind) {
    case ir::ConnectKind::None:
    case ir::ConnectKind::All: spec.kind = rt::ConnectKind::All; return spec;
    case ir::ConnectKind::OneToOne: spec.kind = rt::ConnectKind::OneToOne; return spec;
    case ir::ConnectKind::Probability: spec.kind = rt::ConnectKind::Probability; break;
    case ir::ConnectKind::FixedInDegree: spec.kind = rt::ConnectKind::FixedInDegree; break;
    case ir::ConnectKind::FixedOutDegree: spec.kind = rt::ConnectKind::FixedOutDegree; break;
    case ir::ConnectKind::FixedTotal: spec.kind = rt::ConnectKind::FixedTotal; break;
    case ir::ConnectKind::Patched: spec.kind = rt::ConnectKind::Patched; break;
    case ir::ConnectKind::Where:
    case ir::ConnectKind::Explicit: throw BuildError("internal error: no rule for this connectivity", c.range);
  }
  for (size_t k = 0; k < c.args.size(); ++k) {
    // A draw in an argument comes from stream 0, element 0 (one value for the projection).
    double v = ev.eval(c.args[k], nullptr, 0, 0, 0, 0, "a connectivity argument");
    const std::string& name = c.arg_names[k];
    if (name == "allow_self" && v == 0 && p.source == p.target && (!p.pre_indices.empty() || !p.post_indices.empty()))
      throw BuildError("projection '" + p.name + "': allow_self = false is not supported with index-list views yet",
                       c.range);
    if (name == "stride_pre")
      spec.stride_pre = static_cast<int64_t>(v);
    else if (name == "stride_post")
      spec.stride_post = static_cast<int64_t>(v);
    else if (name == "allow_self")
      spec.allow_self = v != 0;
    else if (name == "allow_multiple")
      spec.allow_multiple = v != 0;
    else if (spec.kind == rt::ConnectKind::Probability)
      spec.p = v;
    else
      spec.k = static_cast<int64_t>(v);
  }
  return spec;
}

// The synapses in `order` of the listed (pre, post) pairs: order sorted by source, then
// target, equal pairs keeping their listed order.
std::vector<size_t> csr_order(size_t n, const std::function<bool(size_t, size_t)>& before) {
  std::vector<size_t> order(n);
  for (size_t k = 0; k < n; ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), before);
  return order;
}

// Connectivity listed in an HDF5 group: datasets `pre` and `post` (indices within the
// projection's source and target ranges), and optionally one dataset per synapse
// variable (e.g. `w`) and `delay`, converted to SI by their `units` attributes.
rt::Csr explicit_csr(const ir::Projection& p, std::map<std::string, std::vector<double>>& columns) {
  io::InputFile in(p.explicit_file);
  const std::string& g = p.explicit_group;
  const std::string where = p.explicit_file + ":" + g;
  io::Column pre = in.column(g + "/pre"), post = in.column(g + "/post");
  if (pre.values.size() != post.values.size())
    throw BuildError(where + ": 'pre' and 'post' differ in length", p.connect.range);
  const size_t n = pre.values.size();
  const int64_t n_pre = list_size(p, true), n_post = list_size(p, false);
  for (size_t k = 0; k < n; ++k) {
    double a = pre.values[k], b = post.values[k];
    if (a < 0 || a >= n_pre || b < 0 || b >= n_post || a != std::floor(a) || b != std::floor(b))
      throw BuildError(where + ": synapse " + std::to_string(k) + " (" + std::to_string(a) + " -> " +
                           std::to_string(b) + ") is outside the projection's " + std::to_string(n_pre) +
                           " sources and " + std::to_string(n_post) + " targets",
                       p.connect.range);
  }
  const std::vector<size_t> order = csr_order(n, [&](size_t x, size_t y) {
    return pre.values[x] != pre.values[y] ? pre.values[x] < pre.values[y] : post.values[x] < post.values[y];
  });
  rt::Csr csr = rt::csr_from_ordered(
      n_pre, n_post, n, [&](size_t k) { return static_cast<int64_t>(pre.values[order[k]]); },
      [&](size_t k) { return static_cast<int64_t>(post.values[order[k]]); });
  std::vector<std::string> names;
  for (const ir::Var& v : p.synapse_vars) names.push_back(v.name);
  names.push_back("delay");
  for (const std::string& name : names) {
    if (!in.has(g + "/" + name)) continue;
    io::Column c = in.column(g + "/" + name);
    if (c.values.size() != n)
      throw BuildError(where + "/" + name + " has " + std::to_string(c.values.size()) + " values for " +
                           std::to_string(n) + " synapses",
                       p.connect.range);
    double scale = 1;
    if (!c.units.empty()) {
      units::UnitParseResult u = units::parse_unit(c.units);
      if (!u.unit) throw BuildError(where + "/" + name + ": unknown unit '" + c.units + "'", p.connect.range);
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
  const std::vector<int32_t> pre_of = rt::sources_of(all.csr);
  std::vector<ProjectionState> parts;
  for (auto& [d, members] : groups) {
    ProjectionState part;
    part.ir = all.ir;
    part.kernel = all.kernel;
    part.layout = all.layout;
    part.consts = all.consts;
    part.delay_steps = d;
    part.csr = rt::csr_from_ordered(
        all.csr.n_pre, all.csr.n_post, members.size(), [&](size_t k) { return pre_of[members[k]]; },
        [&](size_t k) { return all.csr.post[members[k]]; });
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
    const std::vector<size_t> order =
        csr_order(n, [&](size_t a, size_t b) { return pre[a] != pre[b] ? pre[a] < pre[b] : post[a] < post[b]; });
    ps.csr = rt::csr_from_ordered(
        p.pre_end - p.pre_begin, p.post_end - p.post_begin, n, [&](size_t k) { return pre[order[k]]; },
        [&](size_t k) { return post[order[k]]; });
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

// The synapses of the projection's rule: from the file, the JIT-compiled `where`
// condition (one source row at a time), or the random and regular rules.
rt::Csr make_synapses(const ir::Network& net, size_t index, const ValueEvaluator& ev, const BuildSettings& settings,
                      std::map<std::string, std::vector<double>>& file_columns) {
  const ir::Projection& p = net.projections[index];
  try {
    if (!p.explicit_file.empty()) return explicit_csr(p, file_columns);
    if (p.connect.kind == ir::ConnectKind::Where) {
      const int64_t n_pre = list_size(p, true), n_post = list_size(p, false);
      codegen::WhereFn where = (*settings.where)[index];
      std::vector<int32_t> row(n_post);
      rt::Csr csr;
      csr.n_pre = n_pre;
      csr.n_post = n_post;
      csr.row_ptr.assign(n_pre + 1, 0);
      for (int64_t i = 0; i < n_pre; ++i) {
        int64_t n = where(i, n_post, row.data());
        csr.post.insert(csr.post.end(), row.begin(), row.begin() + n);
        csr.row_ptr[i + 1] = static_cast<int64_t>(csr.post.size());
      }
      csr.post.shrink_to_fit();
      return csr;
    }
    uint64_t object = rt::hash_name(net.name + "." + p.name);
    return rt::connect(connect_spec(p, ev), list_size(p, true), list_size(p, false), settings.seed, object);
  } catch (const std::invalid_argument& e) {
    throw BuildError("projection '" + p.name + "': " + e.what(), p.connect.range);
  }
}

// Every synapse variable's values: from the file where it lists them, else evaluated
// per synapse (i, j its source and target; a default may read the variables before it).
void synapse_values(const ir::Network& net, const ir::Projection& p, ProjectionState& ps, ValueEvaluator& ev,
                    const std::map<std::string, std::vector<double>>& file_columns,
                    const std::vector<int32_t>& pre_of) {
  const size_t n_syn = ps.csr.size();
  for (size_t v = 0; v < p.synapse_vars.size(); ++v) {
    const ir::Var& var = p.synapse_vars[v];
    const std::string what = "the value of '" + var.name + "'";
    uint64_t vobj = rt::hash_name(net.name + "." + p.name + "." + var.name);
    auto earlier = [&](int64_t k) {
      return [&, k](int u) -> double {
        if (ps.layout.const_of[u] >= 0) return ps.consts[ps.layout.const_of[u]];
        if (k >= 0 && ps.doubles[ps.layout.slot_of[u]].size() > static_cast<size_t>(k))
          return ps.doubles[ps.layout.slot_of[u]][k];
        throw BuildError(what + " reads '" + p.synapse_vars[u].name + "', which differs per synapse", var.range);
      };
    };
    if (ps.layout.const_of[v] >= 0) {
      if (var.value) ps.consts[ps.layout.const_of[v]] = ev.eval(*var.value, earlier(-1), 0, 0, vobj, 0, what);
      continue;
    }
    std::vector<double>& values = ps.doubles[ps.layout.slot_of[v]];
    values.assign(n_syn, 0.0);
    if (auto f = file_columns.find(var.name); f != file_columns.end()) {
      values = f->second;
      continue;
    }
    if (!var.value) continue;
    for (size_t k = 0; k < n_syn; ++k)
      values[k] = ev.eval(*var.value, earlier(static_cast<int64_t>(k)), pre_of[k], ps.csr.post[k], vobj,
                          static_cast<int64_t>(k), what);
  }
}

}  // namespace

std::vector<ProjectionState> build_projection(const ir::Network& net, size_t index, const ValueEvaluator& shared,
                                              const BuildSettings& settings) {
  const ir::Projection& p = net.projections[index];
  ProjectionState ps;
  ps.ir = &p;
  ps.kernel = index;
  ps.layout = codegen::make_synapse_layout(p);
  std::map<std::string, std::vector<double>> file_columns;  // explicit: per-synapse values, SI, CSR order
  ps.csr = make_synapses(net, index, shared, settings, file_columns);
  ps.consts.assign(ps.layout.n_consts, 0.0);
  ps.doubles.resize(ps.layout.n_slots);
  const size_t n_syn = ps.csr.size();
  const std::vector<int32_t> pre_of = rt::sources_of(ps.csr);  // for values that use i
  // Weight initialisers scale with the projection's fans (NengoDL: fan_in = inputs).
  ValueEvaluator ev = shared;
  ev.fan_in = list_size(p, true);
  ev.fan_out = list_size(p, false);
  synapse_values(net, p, ps, ev, file_columns, pre_of);
  ps.slots.resize(ps.layout.n_slots);
  for (int s = 0; s < ps.layout.n_slots; ++s) ps.slots[s] = ps.doubles[s].data();
  if (auto f = file_columns.find("delay"); f != file_columns.end()) {
    std::vector<int64_t> delay(n_syn);
    for (size_t k = 0; k < n_syn; ++k) {
      if (f->second[k] < 0)
        throw BuildError("projection '" + p.name + "': a delay in " + p.explicit_file + " is negative",
                         p.connect.range);
      delay[k] = std::llround(f->second[k] / settings.dt);
    }
    return finish_projection(std::move(ps), &delay);
  }
  if (!p.delay) return finish_projection(std::move(ps), nullptr);
  uint64_t dobj = rt::hash_name(net.name + "." + p.name + ".delay");
  auto steps = [&](double d) {
    if (d < 0) throw BuildError("projection '" + p.name + "' has a negative delay", p.delay_range);
    return static_cast<int64_t>(std::llround(d / settings.dt));
  };
  // One delay for the whole projection unless it is drawn or depends on i and j.
  if (!ir::has_draw(*p.delay) && !ir::reads_indices(*p.delay)) {
    ps.delay_steps = steps(ev.eval(*p.delay, nullptr, 0, 0, dobj, 0, "a delay"));
    return finish_projection(std::move(ps), nullptr);
  }
  std::vector<int64_t> delay(n_syn);
  for (size_t k = 0; k < n_syn; ++k)
    delay[k] = steps(ev.eval(*p.delay, nullptr, pre_of[k], ps.csr.post[k], dobj, static_cast<int64_t>(k), "a delay"));
  return finish_projection(std::move(ps), &delay);
}

}  // namespace axon::engine
