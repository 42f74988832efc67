// Checks a network: populations (model, size, receptors, overrides), views (slices in
// range), projections (source, target variable, synapse bound to both ends,
// connectivity, delay); stimuli and probes are in check_probes.cpp. Generic synapse and
// receptor bodies are checked again here with the dimensions of what they are bound to.
// Allowed:      population P = LIF[100];  project P[0:80] -> P.exc connect probability(0.1)
// Not allowed:  P[0:200] on 100 neurons (E050); post.q where the target has no q (E040)
#include <algorithm>
#include <map>
#include <set>

#include "compiler/sema/network_checker.h"

namespace axon::sema {

namespace detail {

// A synapse bound to a projection: generic parameters take the dimension of the values
// given, post.target is the target variable, post.x / pre.x the neurons' variables.
class SynapseScope : public Scope {
 public:
  SynapseScope(const ast::Model& syn, const std::map<std::string, Ty>& bound, PrefixedResolver resolver)
      : base_(syn), bound_(bound) {
    base_.resolver = std::move(resolver);
  }
  std::optional<Symbol> lookup(const std::string& name) const override {
    auto it = bound_.find(name);
    if (it != bound_.end()) {
      auto s = base_.lookup(name);
      if (s) s->ty = it->second;
      return s;
    }
    return base_.lookup(name);
  }
  std::optional<Symbol> lookup_prefixed(const std::string& p, const std::string& n, std::string& why) const override {
    return base_.lookup_prefixed(p, n, why);
  }
  void candidates(std::vector<std::string>& out) const override { base_.candidates(out); }

 private:
  ModelScope base_;
  const std::map<std::string, Ty>& bound_;
};

void clone_body(const std::vector<ast::Stmt>& in, std::vector<ast::Stmt>& out) {
  for (const ast::Stmt& s : in) {
    ast::Stmt c;
    c.kind = s.kind;
    c.range = s.range;
    c.target = s.target ? ast::clone(*s.target) : nullptr;
    c.op = s.op;
    c.name = s.name;
    c.unit = s.unit;
    c.value = s.value ? ast::clone(*s.value) : nullptr;
    clone_body(s.then_body, c.then_body);
    clone_body(s.else_body, c.else_body);
    out.push_back(std::move(c));
  }
}

void NetworkChecker::projection(ast::Projection& p) {
  p.source_ref = resolve(*p.source);
  p.target_ref = resolve(*p.target);
  if (p.source_ref.valid && !p.source_ref.path.empty())
    diags_.error("E053", p.source->range, "a projection starts at neurons, not at a variable").hint =
        "write e.g. 'project P[0:80] -> Q.exc'";
  const ast::Declaration* target_var = nullptr;
  if (p.target_ref.valid) {
    if (p.target_ref.path.empty()) {
      diags_.error("E053", p.target->range, "a projection must name the variable it acts on").hint =
          "write e.g. '-> " + p.target_ref.population + ".exc' (a receptor) or '-> " + p.target_ref.population + ".v'";
    } else if (auto v = variable(p.target_ref, p.target->range, true)) {
      target_var = v->decl;
      if (v->decl->kind != DeclKind::State && v->decl->kind != DeclKind::Input)
        diags_.error(
            "E053", p.target->range,
            "a projection acts on a state or an input, and '" + v->decl->name + "' is " + a_kind(v->decl->kind));
    }
  }
  // The synapse, bound to the values given and to both ends.
  std::string syn_name = p.synapse.name.empty() ? "Static" : p.synapse.name;
  const ast::Model* syn = program_.model(syn_name);
  if (syn == nullptr || syn->kind != ast::ModelKind::Synapse) {
    diags_.error("E052", p.synapse.name.empty() ? p.range : p.synapse.range,
                 syn ? "'" + syn_name + "' is not a synapse" : "unknown synapse model '" + syn_name + "'");
  } else {
    std::map<std::string, Ty> bound;
    for (ast::Binding& b : p.synapse_args) {
      NetworkScope element_scope(scope_, /*indices=*/true, /*time=*/false);
      Ty t = check_expr(*b.value, element_scope, diags_);
      const ast::Declaration* d = syn->find(b.name);
      if (d == nullptr || (d->kind != DeclKind::Parameter && d->kind != DeclKind::State)) {
        diags_.error("E010", b.range, "synapse '" + syn->name + "' has no parameter or state '" + b.name + "'");
        continue;
      }
      if (d->dim_known)
        require_dim(t, d->dim, b.value->range, "the value of '" + b.name + "'", diags_, b.value.get());
      else
        bound[b.name] = t;
    }
    for (const ast::Declaration& d : syn->decls) {
      if (d.kind == DeclKind::Parameter && !d.dim_known && !d.value && !bound.count(d.name)) {
        bool given = false;
        for (auto& b : p.synapse_args) given = given || b.name == d.name;
        if (!given)
          diags_
              .error("E033", p.synapse.name.empty() ? p.range : p.synapse.range,
                     "synapse '" + syn->name + "' needs a value for '" + d.name + "'")
              .hint = "give it after the synapse name: via " + syn->name + " { " + d.name + " = ... }";
      }
    }
    const ast::Model* post_model = neuron_of(p.target_ref.population);
    const ast::Model* pre_model = neuron_of(p.source_ref.population);
    PrefixedResolver resolver = [&, post_model, pre_model, target_var](const std::string& prefix,
                                                                       const std::string& name,
                                                                       std::string& why) -> std::optional<Symbol> {
      const ast::Model* m = prefix == "post" ? post_model : pre_model;
      if (prefix == "post" && name == "target") {
        if (target_var) return Symbol{ast::SymbolKind::PostVar, decl_type(*target_var), target_var->range};
        return Symbol{ast::SymbolKind::PostVar, Ty::unknown(), {}};
      }
      if (m == nullptr) {
        const ast::Population* side =
            scope_.population(prefix == "pre" ? p.source_ref.population : p.target_ref.population);
        if (side && side->model.name == kSpikeTimes) {
          why = "'" + prefix + "." + name + "': '" + side->name + "' is a SpikeTimes source, it has no variables";
          return std::nullopt;
        }
        return Symbol{prefix == "pre" ? ast::SymbolKind::PreVar : ast::SymbolKind::PostVar, Ty::unknown(), {}};
      }
      const ast::Declaration* d = m->find(name);
      if (d == nullptr && name == "output") d = sole_output(*m);
      if (d == nullptr) {
        why = std::string("the ") + (prefix == "pre" ? "source" : "target") + " neuron model '" + m->name +
              "' has no variable '" + name + "'";
        return std::nullopt;
      }
      return Symbol{prefix == "pre" ? ast::SymbolKind::PreVar : ast::SymbolKind::PostVar, decl_type(*d), d->range};
    };
    SynapseScope sscope(*syn, bound, resolver);
    AssignRule writable = [](const ast::Declaration& d, std::string& why) {
      if (d.kind == DeclKind::State) return true;
      why = "only states change during a run; '" + d.name + "' is " + a_kind(d.kind);
      return false;
    };
    Diagnostics body_diags;
    for (const ast::EventHandler& h : syn->handlers) {
      std::vector<ast::Stmt> body;
      clone_body(h.body, body);
      check_block(body, sscope, *syn, writable, body_diags);
    }
    for (const std::vector<ast::Stmt>& block : syn->update_blocks) {
      std::vector<ast::Stmt> body;
      clone_body(block, body);
      check_block(body, sscope, *syn, writable, body_diags);
    }
    report_bound(body_diags, p.range);
  }
  if (p.connect) connectivity(p);
  if (p.delay) {
    NetworkScope element_scope(scope_, true, false);
    Ty t = check_expr(*p.delay, element_scope, diags_);
    require_dim(t, units::dims::time(), p.delay->range, "a delay", diags_, p.delay.get());
    if (auto v = eval_const(*p.delay, scope_.const_lookup()); v && *v < 0)
      diags_.error("E054", p.delay->range, "a delay cannot be negative");
  }
}

// `pre.output` / `post.output` name the neuron model's only `output`, whatever it is called.
const ast::Declaration* sole_output(const ast::Model& m) {
  const ast::Declaration* found = nullptr;
  for (const ast::Declaration& d : m.decls)
    if (d.kind == DeclKind::Output) {
      if (found) return nullptr;
      found = &d;
    }
  return found;
}

// Errors of a synapse body under one projection's binding. One that the synapse has on
// its own was reported by check_model already; one that another projection caused too
// gets a note for this projection; a new one points at this projection in a note.
void NetworkChecker::report_bound(const Diagnostics& bound, const SourceRange& projection) {
  const DiagnosticNote here{projection, "in the synapse of this projection"};
  auto same_place = [](const SourceRange& a, const SourceRange& b) {
    return a.file == b.file && a.line == b.line && a.col == b.col && a.end_line == b.end_line && a.end_col == b.end_col;
  };
  for (const Diagnostic& d : bound.all()) {
    const Diagnostic* seen = nullptr;
    for (const Diagnostic& old : diags_.all())
      if (old.code == d.code && old.message == d.message && same_place(old.range, d.range)) seen = &old;
    if (seen == nullptr) {
      Diagnostic& added = diags_.error(d.code, d.range, d.message);
      added.notes = d.notes;
      added.notes.push_back(here);
      added.hint = d.hint;
    } else if (!seen->notes.empty() && seen->notes.back().message == here.message) {
      const_cast<Diagnostic*>(seen)->notes.push_back(here);
    }
  }
}

void NetworkChecker::connectivity(ast::Projection& p) {
  Expr& c = *p.connect;
  if (p.connect_where) {
    NetworkScope ij(scope_, true, false);
    Ty t = check_expr(c, ij, diags_);
    deterministic(c, "'connect where'", true);
    if (!t.is_bool) diags_.error("E054", c.range, "'connect where' needs a condition on i and j, e.g. 'i != j'");
    return;
  }
  static const std::set<std::string> bare = {"all", "one_to_one"};
  static const std::map<std::string, std::string> counted = {
      {"probability", "p"}, {"fixed_in_degree", "k"}, {"fixed_out_degree", "k"}, {"fixed_total", "n"}};
  if (c.kind == ExprKind::Name && bare.count(c.name)) return;
  if (c.kind == ExprKind::Call && (counted.count(c.name) || c.name == "explicit")) {
    size_t positional = 0;
    for (size_t k = 0; k < c.args.size(); ++k) {
      const std::string& an = c.arg_names[k];
      if (an.empty() || (counted.count(c.name) && an == counted.at(c.name))) ++positional;
      if (c.name == "explicit") {
        if (c.args[k]->kind != ExprKind::String)
          diags_.error("E054", c.args[k]->range, "explicit() takes a string \"file.h5:/group\"");
        continue;
      }
      Ty t = check_expr(*c.args[k], scope_, diags_);
      if (an == "allow_self" || an == "allow_multiple") {
        if (!t.is_bool) diags_.error("E054", c.args[k]->range, "'" + an + "' is true or false");
        continue;
      }
      if (!an.empty() && an != counted.at(c.name)) {
        diags_.error("E054", c.args[k]->range, c.name + "() has no argument '" + an + "'");
        continue;
      }
      if (t.known && !t.dim.is_dimensionless()) {
        diags_.error("E054", c.args[k]->range, c.name + "() takes a number, not " + describe_dimension(t.dim));
        continue;
      }
      auto v = eval_const(*c.args[k], scope_.const_lookup());
      if (c.name == "probability" && v && (*v < 0 || *v > 1))
        diags_.error("E054", c.args[k]->range, "a connection probability lies in [0, 1]");
      if (c.name != "probability" && v && (*v < 0 || *v != static_cast<double>(static_cast<int64_t>(*v))))
        diags_.error("E054", c.args[k]->range, c.name + "() takes a whole number");
    }
    if (positional != 1) diags_.error("E054", c.range, c.name + "() takes one value");
    return;
  }
  if (c.kind == ExprKind::Call && c.name == "patched") {
    size_t positional = 0;
    for (size_t k = 0; k < c.args.size(); ++k) {
      const std::string& an = c.arg_names[k];
      if (an.empty() || an == "n_sub_models")
        ++positional;
      else if (an != "stride_pre" && an != "stride_post") {
        diags_.error("E054", c.args[k]->range, "patched() has no argument '" + an + "'").hint =
            "patched(n_sub_models, stride_pre = 0, stride_post = 0)";
        continue;
      }
      Ty t = check_expr(*c.args[k], scope_, diags_);
      auto v = eval_const(*c.args[k], scope_.const_lookup());
      bool is_count = an.empty() || an == "n_sub_models";
      if ((t.known && !t.dim.is_dimensionless()) || !v || *v != static_cast<double>(static_cast<int64_t>(*v)) ||
          *v < (is_count ? 1 : 0))
        diags_.error("E054", c.args[k]->range,
                     std::string("patched() takes ") +
                         (is_count ? "a whole number of blocks, at least 1" : "a whole stride, 0 or more"));
    }
    if (positional != 1) diags_.error("E054", c.range, "patched() takes the number of blocks");
    return;
  }
  diags_.error("E054", c.range, "unknown connectivity").hint =
      "use all, one_to_one, probability(p), fixed_in_degree(k), fixed_out_degree(k), "
      "fixed_total(n), patched(n, stride_pre, stride_post), explicit(\"file.h5:/group\") or "
      "'where <condition on i, j>'";
}

// Stimuli and `connect where` become kernels: no random draws in them, and a stimulus
// knows only its element index i.
void NetworkChecker::deterministic(const Expr& e, const char* where, bool allow_j) {
  if (e.kind == ExprKind::Call) {
    const FunctionInfo* f = find_function(e.name);
    if (f && (f->rule == FnRule::Distribution || f->rule == FnRule::Initializer || f->rule == FnRule::Random ||
              e.name == "LogNormal"))
      diags_.error("E023", e.range, "'" + e.name + "' draws random numbers, which " + where + " cannot do").hint =
          "a neuron can draw with rand(); values of neurons and synapses can be distributions";
  }
  if (e.kind == ExprKind::Name && e.name == "j" && !allow_j)
    diags_.error("E010", e.range, std::string("'j' (a synapse's target) is not defined in ") + where).hint =
        "a stimulus knows i, the index within the stimulated neurons, and t";
  for (const auto& a : e.args)
    if (a) deterministic(*a, where, allow_j);
}

}  // namespace detail

void check_network(ast::Network& network, const Program& program, Diagnostics& diags) {
  detail::NetworkChecker(network, program, diags).run();
}

}  // namespace axon::sema
