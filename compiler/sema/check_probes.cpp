// Checks of a network's stimuli and probes (population, projection and Nengo probes,
// sampling intervals and recording windows).
#include "compiler/sema/network_checker.h"

namespace axon::sema::detail {

void NetworkChecker::stimulus(ast::Stimulus& s) {
  s.target_ref = resolve(*s.target);
  NetworkScope it(scope_, /*indices=*/true, /*time=*/true);
  const bool from_file = ast::data_source(*s.value) != nullptr;  // units checked when read
  Ty t = from_file ? Ty::unknown() : check_expr(*s.value, it, diags_);
  if (!from_file) deterministic(*s.value, "a stimulus", false);
  if (from_file && ast::data_source(*s.value)->name.find(":/") == std::string::npos)
    diags_.error("E055", s.value->range, "data() takes a string \"file.h5:/dataset\"");
  if (!s.target_ref.valid) return;
  if (!s.target_ref.indices.empty()) {
    diags_.error("E050", s.target->range, "a stimulus drives a contiguous slice, not an index list").hint =
        "write one stimulus per slice, e.g. 'stimulus P[3:4].I = ...'";
    return;
  }
  if (s.target_ref.path.size() != 1) {
    diags_.error("E055", s.target->range, "a stimulus drives an input of neurons, e.g. 'stimulus P.I = 2 nA'");
    return;
  }
  auto v = variable(s.target_ref, s.target->range, false);
  if (!v) return;
  if (v->decl->kind != DeclKind::Input) {
    Diagnostic& d = diags_.error("E055", s.target->range,
                                 "a stimulus drives an input, and '" + v->decl->name + "' is " + a_kind(v->decl->kind));
    d.notes.push_back({v->decl->range, "declared here"});
    return;
  }
  if (t.is_bool)
    diags_.error("E024", s.value->range, "a stimulus must be a number, not true/false");
  else
    require_dim(t, v->decl->dim, s.value->range, "the stimulus of input '" + v->decl->name + "'", diags_,
                s.value.get());
}

// `probe NAME.x` where NAME is a projection: every synapse's x (a synapse variable).
// Returns false when the probe is not about a projection.
bool NetworkChecker::probe_projection(ast::Probe& p) {
  const ast::Expr* base = p.target.get();
  while (base->kind == ExprKind::Member || base->kind == ExprKind::Index) base = base->args[0].get();
  if (base->kind != ExprKind::Name || scope_.neurons(base->name)) return false;
  const ast::Projection* proj = nullptr;
  for (const ast::Projection& pr : net_.projections)
    if (!pr.name.empty() && pr.name == base->name) proj = &pr;
  if (!proj) return false;
  p.projection = proj->name;
  if (p.spikes || p.rate) {
    diags_.error("E060", p.target->range, "'" + proj->name + "' is a projection: it has no spikes or rate").hint =
        "probe a synapse variable, e.g. 'probe " + proj->name + ".w'";
    return true;
  }
  if (p.target->kind != ExprKind::Member || p.target->args[0].get() != base) {
    diags_.error("E060", p.target->range, "a projection probe records one variable of all its synapses").hint =
        "write 'probe " + proj->name + ".w'";
    return true;
  }
  const ast::Model* syn = program_.model(proj->synapse.name.empty() ? "Static" : proj->synapse.name);
  const ast::Declaration* d = syn ? syn->find(p.target->name) : nullptr;
  if (!d || d->kind == ast::DeclKind::Let) {
    diags_.error("E060", p.target->range,
                 "'" + p.target->name + "' is not a variable of synapse '" + (syn ? syn->name : std::string("?")) +
                     "' (projection '" + proj->name + "')");
    return true;
  }
  check_probe_times(p, scope_, diags_);
  if (p.unit) diags_.error("E060", p.unit->range, "a projection probe is written in SI units");
  return true;
}

void NetworkChecker::probe(ast::Probe& p) {
  if (!p.kind.name.empty() && !p.spikes && !p.rate) {
    diags_.error("E060", p.kind.range, "unknown probe '" + p.kind.name + " of'").hint =
        "write 'probe spikes of P', 'probe rate of P' or 'probe P.v'";
    return;
  }
  if (probe_projection(p)) return;
  if (nengo_probe(p, net_, scope_, diags_)) return;
  p.target_ref = resolve(*p.target);
  for (ast::ExprPtr* bound : {&p.from, &p.to}) {
    if (!*bound) continue;
    Ty t = check_expr(**bound, scope_, diags_);
    require_dim(t, units::dims::time(), (*bound)->range, "a recording window bound", diags_, bound->get());
    if (auto v = eval_const(**bound, scope_.const_lookup()); v && *v < 0)
      diags_.error("E060", (*bound)->range, "a recording window starts at 0 or later");
  }
  if (p.from && p.to) {
    auto a = eval_const(*p.from, scope_.const_lookup());
    auto b = eval_const(*p.to, scope_.const_lookup());
    if (a && b && *b <= *a) diags_.error("E060", p.to->range, "a recording window must end after it starts");
  }
  if (p.every) {
    Ty t = check_expr(*p.every, scope_, diags_);
    require_dim(t, units::dims::time(), p.every->range, "a sampling interval", diags_, p.every.get());
    if (auto v = eval_const(*p.every, scope_.const_lookup()); v && *v <= 0)
      diags_.error("E060", p.every->range, "a sampling interval must be positive");
  }
  if (!p.target_ref.valid) return;
  if (p.spikes && p.every)
    diags_.error("E060", p.every->range, "spikes are recorded as they happen; 'every' applies to traces and rates")
        .hint = "leave out 'every', or probe 'rate of' the neurons";
  for (ast::Binding& b : p.args) {
    if (!p.rate || b.name != "smooth") {
      diags_.error("E060", b.range, "a probe has no setting '" + b.name + "' here").hint =
          "'probe rate of P every 1 ms { smooth = 10 ms }' smooths a rate";
      continue;
    }
    Ty t = check_expr(*b.value, scope_, diags_);
    require_dim(t, units::dims::time(), b.value->range, "a smoothing time constant", diags_, b.value.get());
    if (auto v = eval_const(*b.value, scope_.const_lookup()); !v || *v <= 0)
      diags_.error("E060", b.value->range, "a smoothing time constant must be a positive constant");
  }
  if (p.spikes || p.rate) {
    const char* what = p.spikes ? "spikes" : "rate";
    if (!p.target_ref.path.empty())
      diags_.error("E060", p.target->range, std::string("'probe ") + what + " of' takes neurons, not a variable").hint =
          std::string("write 'probe ") + what + " of " + p.target_ref.population + "'";
    return;
  }
  if (p.target_ref.path.empty()) {
    diags_.error("E060", p.target->range,
                 "a probe needs a variable, e.g. 'probe " + p.target_ref.population + ".v', or 'probe spikes of " +
                     p.target_ref.population + "'");
    return;
  }
  auto v = variable(p.target_ref, p.target->range, true);
  if (!v) return;
  if (p.unit && v->decl->dim_known) {
    if (auto dim = check_unit(*p.unit, diags_); dim && *dim != v->decl->dim)
      diags_.error("E020", p.unit->range,
                   "'" + v->decl->name + "' is " + describe_dimension(v->decl->dim) + ", it cannot be written in " +
                       p.unit->text);
  }
}

}  // namespace axon::sema::detail
