// Checks a network: populations (model, size, receptors, overrides), views (slices in
// range), projections (source, target variable, synapse bound to both ends,
// connectivity, delay), stimuli and probes. Generic synapse and receptor bodies are
// checked again here with the dimensions of what they are bound to.
// Allowed:      population P = LIF[100];  project P[0:80] -> P.exc connect probability(0.1)
// Not allowed:  P[0:200] on 100 neurons (E050); post.q where the target has no q (E040)
#include <algorithm>
#include <map>
#include <set>

#include "compiler/sema/builtins.h"
#include "compiler/sema/check_nengo.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/model_scope.h"
#include "compiler/sema/network_scope.h"
#include "compiler/sema/sema.h"

namespace axon::sema {

using ast::DeclKind;
using ast::Expr;
using ast::ExprKind;
using units::describe_dimension;

namespace {

const ast::Declaration* sole_output(const ast::Model& m);

class NetworkChecker {
 public:
  NetworkChecker(ast::Network& net, const Program& program, Diagnostics& diags)
      : net_(net), program_(program), diags_(diags), scope_(net) {}

  void run() {
    // Constants first, so populations can use them; views after the populations they slice.
    std::set<std::string> neuron_names;
    for (const ast::Population& p : net_.populations) neuron_names.insert(p.name);
    std::vector<ast::NetworkLet*> views;
    for (ast::NetworkLet& l : net_.lets) {
      if (mentions(*l.value, neuron_names)) {
        neuron_names.insert(l.name);
        views.push_back(&l);
      } else {
        let(l);
      }
    }
    for (ast::Population& p : net_.populations) population(p);
    for (ast::NetworkLet* l : views) let(*l);
    check_nengo(net_, scope_, diags_);
    for (ast::Projection& p : net_.projections) projection(p);
    for (ast::Stimulus& s : net_.stimuli) stimulus(s);
    for (ast::Probe& p : net_.probes) probe(p);
  }

 private:
  ast::Network& net_;
  const Program& program_;
  Diagnostics& diags_;
  NetworkScope scope_;
  std::map<std::string, const ast::Model*> model_of_;  // population -> neuron model

  const ast::Model* neuron_of(const std::string& pop) const {
    auto it = model_of_.find(pop);
    return it == model_of_.end() ? nullptr : it->second;
  }

  void population(ast::Population& p) {
    Ty size_ty = check_expr(*p.size, scope_, diags_);
    auto n = eval_const(*p.size, scope_.const_lookup());
    if (size_ty.known && !size_ty.dim.is_dimensionless()) {
      diags_.error("E051", p.size->range, "a population size is a number of neurons, not " +
                                              describe_dimension(size_ty.dim));
    } else if (!n || *n < 1 || *n != static_cast<double>(static_cast<int64_t>(*n))) {
      diags_.error("E051", p.size->range, "a population size must be a positive whole number");
    } else {
      p.n = static_cast<int64_t>(*n);
    }
    scope_.add_population(p);
    if (p.model.name == kSpikeTimes) {
      spike_times(p);
      return;
    }
    const ast::Model* m = program_.model(p.model.name);
    if (m == nullptr || m->kind != ast::ModelKind::Neuron) {
      Diagnostic& d = diags_.error("E052", p.model.range,
                                   m ? "'" + p.model.name + "' is a " + ast::to_string(m->kind) +
                                           ", a population needs a neuron model"
                                     : "unknown neuron model '" + p.model.name + "'");
      if (m) d.notes.push_back({m->range, "declared here"});
      else d.hint = "import the file that defines it, e.g. 'import neurons.lif'";
      return;
    }
    model_of_[p.name] = m;
    std::set<std::string> receptor_names;
    for (ast::ReceptorBinding& r : p.receptors) {
      receptor(p, *m, r);
      receptor_names.insert(r.name);
    }
    for (ast::Binding& b : p.overrides) {
      const ast::Declaration* d = m->find(b.name);
      NetworkScope element_scope(scope_, /*indices=*/true, /*time=*/false);
      Ty t = check_expr(*b.value, element_scope, diags_);
      if (d == nullptr || (d->kind != DeclKind::Parameter && d->kind != DeclKind::State)) {
        diags_.error("E010", b.range, "neuron model '" + m->name + "' has no parameter or state '" +
                                          b.name + "'");
        continue;
      }
      if (d->dim_known)
        require_dim(t, d->dim, b.value->range, "the value of '" + b.name + "'", diags_, b.value.get());
    }
  }

  void spike_times(ast::Population& p) {
    for (ast::Binding& b : p.overrides) {
      Ty t = check_expr(*b.value, scope_, diags_);
      if (b.name == "times") {
        if (!t.is_list) diags_.error("E020", b.value->range, "'times' must be a list of times, e.g. [10 ms, 20 ms]");
        else require_dim(t, units::dims::time(), b.value->range, "spike times", diags_, b.value.get());
      } else if (b.name == "indices") {
        if (!t.is_list) diags_.error("E020", b.value->range, "'indices' must be a list of neuron indices");
        else if (b.value->kind == ExprKind::List && p.n > 0)
          for (const auto& item : b.value->args) {
            auto v = eval_const(*item, scope_.const_lookup());
            if (!v || *v != static_cast<double>(static_cast<int64_t>(*v)) || *v < 0 || *v >= static_cast<double>(p.n))
              diags_.error("E020", item->range, "a spike index must be a whole number in [0, " +
                                                    std::to_string(p.n - 1) + "] ('" + p.name + "' has " +
                                                    std::to_string(p.n) + " neurons)");
          }
      } else if (b.name == "file") {
        if (!t.is_string || b.value->name.find(":/") == std::string::npos)
          diags_.error("E020", b.value->range, "'file' is a string \"file.h5:/group\" naming a group with "
                                               "timestamps and node_ids (the layout of /spikes/<population>)");
      } else {
        diags_.error("E010", b.range, "SpikeTimes has no parameter '" + b.name + "'")
            .hint = "SpikeTimes takes 'times' and, for several neurons, 'indices'; or 'file'";
      }
    }
  }

  void receptor(const ast::Population& p, const ast::Model& neuron, ast::ReceptorBinding& r) {
    const ast::Model* m = program_.model(r.model.name);
    if (m == nullptr || m->kind != ast::ModelKind::Receptor) {
      diags_.error("E052", r.model.range, m ? "'" + r.model.name + "' is not a receptor"
                                            : "unknown receptor model '" + r.model.name + "'");
      return;
    }
    if (neuron.find(r.name) != nullptr) {
      Diagnostic& d = diags_.error("E011", r.range, "receptor '" + r.name + "' has the name of a variable of " + neuron.name);
      d.notes.push_back({neuron.find(r.name)->range, "declared here"});
    }
    for (ast::Binding& b : r.args) {
      // Parameters and initial states; distributions and `i` allowed as for the neuron's.
      NetworkScope element_scope(scope_, /*indices=*/true, /*time=*/false);
      Ty t = check_expr(*b.value, element_scope, diags_);
      const ast::Declaration* d = m->find(b.name);
      if (b.name.empty() || d == nullptr || (d->kind != DeclKind::Parameter && d->kind != DeclKind::State)) {
        diags_.error("E010", b.range, "receptor '" + m->name + "' has no parameter or state '" + b.name + "'");
        continue;
      }
      if (d->dim_known)
        require_dim(t, d->dim, b.value->range, "the value of '" + b.name + "'", diags_, b.value.get());
    }
    // Contributions go to inputs of this neuron, with the input's dimension.
    ModelScope host(*m);
    host.resolver = [&](const std::string& prefix, const std::string& name, std::string& why)
        -> std::optional<Symbol> {
      const ast::Declaration* d = neuron.find(name);
      if (prefix == "post" && d != nullptr)
        return Symbol{ast::SymbolKind::HostVar, decl_type(*d), d->range};
      why = prefix == "post" ? "neuron model '" + neuron.name + "' has no variable '" + name + "'"
                             : "'pre.' cannot be used in a receptor; it refers to its neuron as 'post.'";
      return std::nullopt;
    };
    for (const ast::Contribution& c : m->contributions) {
      ast::ExprPtr value = ast::clone(*c.value);
      Ty t = check_expr(*value, host, diags_);
      const ast::Declaration* in = neuron.find(c.input.name);
      if (in == nullptr || in->kind != DeclKind::Input) {
        Diagnostic& d = diags_.error("E040", r.model.range, "receptor '" + m->name + "' contributes to '" +
                                                                c.input.name + "', which neuron model '" +
                                                                neuron.name + "' has no input of that name");
        d.notes.push_back({c.input.range, "the contribution is here"});
        continue;
      }
      if (t.known && in->dim_known && t.dim != in->dim) {
        Diagnostic& d = diags_.error("E020", r.model.range,
                                     "receptor '" + m->name + "' contributes " + describe_dimension(t.dim) +
                                         " to input '" + in->name + "' of " + describe_dimension(in->dim));
        d.notes.push_back({c.range, "the contribution is here"});
      }
    }
  }

  void let(ast::NetworkLet& l) {
    if (names_neurons(*l.value)) {
      l.view = resolve(*l.value);
      if (l.view.valid && !l.view.path.empty())
        diags_.error("E053", l.value->range, "a network 'let' names neurons or a constant, not a variable");
      scope_.add_view(l);
      return;
    }
    Ty t = check_expr(*l.value, scope_, diags_);
    scope_.add_constant(l, t);
  }

  static bool mentions(const Expr& e, const std::set<std::string>& names) {
    if (e.kind == ExprKind::Name && names.count(e.name)) return true;
    for (const auto& a : e.args)
      if (a && mentions(*a, names)) return true;
    return false;
  }

  // Whether an expression is a population reference (rather than a value).
  bool names_neurons(const Expr& e) const {
    if (e.kind == ExprKind::Name) return scope_.is_neurons(e.name);
    if (e.kind == ExprKind::Index || e.kind == ExprKind::Member) return names_neurons(*e.args[0]);
    if (e.kind == ExprKind::Binary && e.op == "+") return names_neurons(*e.args[0]) || names_neurons(*e.args[1]);
    return false;
  }

  ast::TargetRef resolve(const Expr& e) {
    ast::TargetRef r;
    switch (e.kind) {
      case ExprKind::Name: {
        if (const ast::TargetRef* v = scope_.neurons(e.name)) return *v;
        diags_.error("E053", e.range, "'" + e.name + "' is not a population of network '" + net_.name + "'");
        return r;
      }
      case ExprKind::Member: {
        r = resolve(*e.args[0]);
        if (r.valid) r.path.push_back(e.name);
        return r;
      }
      case ExprKind::Index: {
        r = resolve(*e.args[0]);
        if (!r.valid) return r;
        if (!r.path.empty()) {
          diags_.error("E050", e.range, "only neurons can be sliced, not a variable");
          r.valid = false;
          return r;
        }
        int64_t size = r.size();
        if (!e.is_slice && e.args[1] && e.args[1]->kind == ExprKind::List) return index_list(r, *e.args[1], e);
        auto bound = [&](const ast::ExprPtr& b, int64_t dflt) -> std::optional<int64_t> {
          if (!b) return dflt;
          Ty t = check_expr(*b, scope_, diags_);
          auto v = eval_const(*b, scope_.const_lookup());
          if ((t.known && !t.dim.is_dimensionless()) || !v || *v != static_cast<double>(static_cast<int64_t>(*v))) {
            diags_.error("E050", b->range, "a slice bound must be a whole number");
            return std::nullopt;
          }
          return static_cast<int64_t>(*v);
        };
        auto lo = bound(e.args[1], 0);
        auto hi = e.is_slice ? bound(e.args[2], size) : (lo ? std::optional<int64_t>(*lo + 1) : std::nullopt);
        if (!lo || !hi) {
          r.valid = false;
          return r;
        }
        if (*lo < 0 || *hi > size || *lo >= *hi) {
          std::string what = e.is_slice ? "[" + std::to_string(*lo) + ":" + std::to_string(*hi) + "]"
                                        : "[" + std::to_string(*lo) + "]";
          diags_.error("E050", e.range, "slice " + what + " is out of range for '" +
                                            e.args[0]->name + "' with " + std::to_string(size) + " neurons")
              .hint = "valid slices lie within [0:" + std::to_string(size) + "] and are not empty";
          r.valid = false;
          return r;
        }
        if (!r.indices.empty()) {  // a slice of an index list: the listed neurons in that range
          r.indices = std::vector<int64_t>(r.indices.begin() + *lo, r.indices.begin() + *hi);
          r.begin = *std::min_element(r.indices.begin(), r.indices.end());
          r.end = *std::max_element(r.indices.begin(), r.indices.end()) + 1;
          return r;
        }
        r.begin += *lo;
        r.end = r.begin + (*hi - *lo);
        return r;
      }
      case ExprKind::Binary: {
        // `V + W`: the neurons of V, then those of W (one population, each neuron once).
        if (e.op != "+") break;
        ast::TargetRef a = resolve(*e.args[0]), b = resolve(*e.args[1]);
        if (!a.valid || !b.valid) return r;
        if (!a.path.empty() || !b.path.empty()) {
          diags_.error("E050", e.range, "only neurons can be joined, not variables");
          return r;
        }
        if (a.population != b.population) {
          diags_.error("E050", e.range, "'" + a.population + "' and '" + b.population +
                                            "' are different populations: their neurons cannot be joined")
              .hint = "write one projection or probe per population";
          return r;
        }
        std::vector<int64_t> all;
        for (const ast::TargetRef* v : {&a, &b}) {
          if (v->indices.empty())
            for (int64_t i = v->begin; i < v->end; ++i) all.push_back(i);
          else
            all.insert(all.end(), v->indices.begin(), v->indices.end());
        }
        std::set<int64_t> seen;
        for (int64_t i : all)
          if (!seen.insert(i).second) {
            diags_.error("E050", e.range, "neuron " + std::to_string(i) + " of '" + a.population + "' is joined twice");
            return r;
          }
        r = a;
        r.indices = all;
        r.begin = *std::min_element(all.begin(), all.end());
        r.end = *std::max_element(all.begin(), all.end()) + 1;
        return r;
      }
      default:
        break;
    }
    diags_.error("E053", e.range, "expected neurons here, e.g. 'P' or 'P[0:10]'");
    return r;
  }

  // `V[[a, b, ...]]`: the neurons at those positions of view V, in that order.
  ast::TargetRef index_list(ast::TargetRef r, const Expr& list, const Expr& whole) {
    const int64_t size = r.size();
    std::vector<int64_t> picked;
    std::set<int64_t> seen;
    for (const auto& item : list.args) {
      Ty t = check_expr(*item, scope_, diags_);
      auto v = eval_const(*item, scope_.const_lookup());
      if ((t.known && !t.dim.is_dimensionless()) || !v || *v != static_cast<double>(static_cast<int64_t>(*v))) {
        diags_.error("E050", item->range, "an index must be a whole number");
        r.valid = false;
        continue;
      }
      int64_t k = static_cast<int64_t>(*v);
      if (k < 0 || k >= size) {
        diags_.error("E050", item->range, "index " + std::to_string(k) + " is out of range for '" +
                                              whole.args[0]->name + "' with " + std::to_string(size) + " neurons")
            .hint = "valid indices lie within [0, " + std::to_string(size - 1) + "]";
        r.valid = false;
        continue;
      }
      if (!seen.insert(k).second) {
        diags_.error("E050", item->range, "index " + std::to_string(k) + " is listed twice");
        r.valid = false;
        continue;
      }
      picked.push_back(r.indices.empty() ? r.begin + k : r.indices[k]);
    }
    if (list.args.empty()) {
      diags_.error("E050", list.range, "an index list needs at least one index");
      r.valid = false;
    }
    if (!r.valid) return r;
    r.indices = picked;
    r.begin = *std::min_element(picked.begin(), picked.end());
    r.end = *std::max_element(picked.begin(), picked.end()) + 1;
    return r;
  }

  // The dimension of a population variable or receptor state a path names.
  struct VarInfo {
    const ast::Declaration* decl = nullptr;
    const ast::Model* owner = nullptr;
  };
  std::optional<VarInfo> variable(const ast::TargetRef& t, const SourceRange& where, bool receptor_ok) {
    const ast::Population* source = scope_.population(t.population);
    if (source != nullptr && source->model.name == kSpikeTimes) {
      diags_.error("E053", where, "'" + t.population + "' is a SpikeTimes source: it has spikes, no variables");
      return std::nullopt;
    }
    const ast::Model* m = neuron_of(t.population);
    if (m == nullptr) return std::nullopt;  // reported with the population
    const ast::Population* pop = scope_.population(t.population);
    const std::string& first = t.path[0];
    for (const ast::ReceptorBinding& r : pop->receptors) {
      if (r.name != first) continue;
      const ast::Model* rm = program_.model(r.model.name);
      if (rm == nullptr) return std::nullopt;
      const ast::Declaration* state = nullptr;
      if (t.path.size() == 1) {
        for (const ast::Declaration& d : rm->decls)
          if (d.kind == DeclKind::State) { state = &d; break; }
      } else if (t.path.size() == 2) {
        state = rm->find(t.path[1]);
      }
      if (state == nullptr) {
        diags_.error("E040", where, "receptor '" + r.name + "' (" + rm->name + ") has no " +
                                        (t.path.size() == 2 ? "variable '" + t.path[1] + "'" : "state"));
        return std::nullopt;
      }
      return VarInfo{state, rm};
    }
    const ast::Declaration* d = m->find(first);
    if (d == nullptr || t.path.size() > 1) {
      Diagnostic& e = diags_.error("E040", where, "population '" + t.population + "' (" + m->name +
                                                      ") has no variable or receptor '" + first + "'");
      std::vector<std::string> names;
      for (const ast::ReceptorBinding& r : pop->receptors) names.push_back(r.name);
      if (!names.empty() && receptor_ok) {
        std::string list;
        for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
        e.hint = "its receptors are: " + list;
      }
      return std::nullopt;
    }
    return VarInfo{d, m};
  }

  void projection(ast::Projection& p);
  void report_bound(const Diagnostics& bound, const SourceRange& projection);
  void connectivity(ast::Projection& p);
  void stimulus(ast::Stimulus& s);
  void deterministic(const Expr& e, const char* where, bool allow_j);
  void probe(ast::Probe& p);
  bool probe_projection(ast::Probe& p);
};

// A synapse bound to a projection: generic parameters take the dimension of the values
// given, post.target is the target variable, post.x / pre.x the neurons' variables.
class SynapseScope : public Scope {
 public:
  SynapseScope(const ast::Model& syn, const std::map<std::string, Ty>& bound,
               PrefixedResolver resolver)
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
  std::optional<Symbol> lookup_prefixed(const std::string& p, const std::string& n,
                                        std::string& why) const override {
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
    diags_.error("E053", p.source->range, "a projection starts at neurons, not at a variable")
        .hint = "write e.g. 'project P[0:80] -> Q.exc'";
  const ast::Declaration* target_var = nullptr;
  if (p.target_ref.valid) {
    if (p.target_ref.path.empty()) {
      diags_.error("E053", p.target->range, "a projection must name the variable it acts on")
          .hint = "write e.g. '-> " + p.target_ref.population + ".exc' (a receptor) or '-> " +
                  p.target_ref.population + ".v'";
    } else if (auto v = variable(p.target_ref, p.target->range, true)) {
      target_var = v->decl;
      if (v->decl->kind != DeclKind::State && v->decl->kind != DeclKind::Input)
        diags_.error("E053", p.target->range, "a projection acts on a state or an input, and '" +
                                                  v->decl->name + "' is " + a_kind(v->decl->kind));
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
          diags_.error("E033", p.synapse.name.empty() ? p.range : p.synapse.range,
                       "synapse '" + syn->name + "' needs a value for '" + d.name + "'")
              .hint = "give it after the synapse name: via " + syn->name + " { " + d.name + " = ... }";
      }
    }
    const ast::Model* post_model = neuron_of(p.target_ref.population);
    const ast::Model* pre_model = neuron_of(p.source_ref.population);
    PrefixedResolver resolver = [&, post_model, pre_model, target_var](
                                    const std::string& prefix, const std::string& name,
                                    std::string& why) -> std::optional<Symbol> {
      const ast::Model* m = prefix == "post" ? post_model : pre_model;
      if (prefix == "post" && name == "target") {
        if (target_var) return Symbol{ast::SymbolKind::PostVar, decl_type(*target_var), target_var->range};
        return Symbol{ast::SymbolKind::PostVar, Ty::unknown(), {}};
      }
      if (m == nullptr) {
        const ast::Population* side = scope_.population(prefix == "pre" ? p.source_ref.population : p.target_ref.population);
        if (side && side->model.name == kSpikeTimes) {
          why = "'" + prefix + "." + name + "': '" + side->name + "' is a SpikeTimes source, it has no variables";
          return std::nullopt;
        }
        return Symbol{prefix == "pre" ? ast::SymbolKind::PreVar : ast::SymbolKind::PostVar, Ty::unknown(), {}};
      }
      const ast::Declaration* d = m->find(name);
      if (d == nullptr && name == "output") d = sole_output(*m);
      if (d == nullptr) {
        why = std::string("the ") + (prefix == "pre" ? "source" : "target") + " neuron model '" +
              m->name + "' has no variable '" + name + "'";
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
    return a.file == b.file && a.line == b.line && a.col == b.col && a.end_line == b.end_line &&
           a.end_col == b.end_col;
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
    if (positional != 1)
      diags_.error("E054", c.range, c.name + "() takes one value");
    return;
  }
  if (c.kind == ExprKind::Call && c.name == "patched") {
    size_t positional = 0;
    for (size_t k = 0; k < c.args.size(); ++k) {
      const std::string& an = c.arg_names[k];
      if (an.empty() || an == "n_sub_models") ++positional;
      else if (an != "stride_pre" && an != "stride_post") {
        diags_.error("E054", c.args[k]->range, "patched() has no argument '" + an + "'")
            .hint = "patched(n_sub_models, stride_pre = 0, stride_post = 0)";
        continue;
      }
      Ty t = check_expr(*c.args[k], scope_, diags_);
      auto v = eval_const(*c.args[k], scope_.const_lookup());
      bool is_count = an.empty() || an == "n_sub_models";
      if ((t.known && !t.dim.is_dimensionless()) || !v || *v != static_cast<double>(static_cast<int64_t>(*v)) ||
          *v < (is_count ? 1 : 0))
        diags_.error("E054", c.args[k]->range,
                     std::string("patched() takes ") + (is_count ? "a whole number of blocks, at least 1" : "a whole stride, 0 or more"));
    }
    if (positional != 1) diags_.error("E054", c.range, "patched() takes the number of blocks");
    return;
  }
  diags_.error("E054", c.range, "unknown connectivity")
      .hint = "use all, one_to_one, probability(p), fixed_in_degree(k), fixed_out_degree(k), "
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
      diags_.error("E023", e.range, "'" + e.name + "' draws random numbers, which " + where + " cannot do")
          .hint = "a neuron can draw with rand(); values of neurons and synapses can be distributions";
  }
  if (e.kind == ExprKind::Name && e.name == "j" && !allow_j)
    diags_.error("E010", e.range, std::string("'j' (a synapse's target) is not defined in ") + where)
        .hint = "a stimulus knows i, the index within the stimulated neurons, and t";
  for (const auto& a : e.args)
    if (a) deterministic(*a, where, allow_j);
}

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
    diags_.error("E050", s.target->range, "a stimulus drives a contiguous slice, not an index list")
        .hint = "write one stimulus per slice, e.g. 'stimulus P[3:4].I = ...'";
    return;
  }
  if (s.target_ref.path.size() != 1) {
    diags_.error("E055", s.target->range, "a stimulus drives an input of neurons, e.g. 'stimulus P.I = 2 nA'");
    return;
  }
  auto v = variable(s.target_ref, s.target->range, false);
  if (!v) return;
  if (v->decl->kind != DeclKind::Input) {
    Diagnostic& d = diags_.error("E055", s.target->range, "a stimulus drives an input, and '" + v->decl->name +
                                                              "' is " + a_kind(v->decl->kind));
    d.notes.push_back({v->decl->range, "declared here"});
    return;
  }
  if (t.is_bool) diags_.error("E024", s.value->range, "a stimulus must be a number, not true/false");
  else
    require_dim(t, v->decl->dim, s.value->range, "the stimulus of input '" + v->decl->name + "'",
                diags_, s.value.get());
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
    diags_.error("E060", p.target->range, "'" + proj->name + "' is a projection: it has no spikes or rate")
        .hint = "probe a synapse variable, e.g. 'probe " + proj->name + ".w'";
    return true;
  }
  if (p.target->kind != ExprKind::Member || p.target->args[0].get() != base) {
    diags_.error("E060", p.target->range, "a projection probe records one variable of all its synapses")
        .hint = "write 'probe " + proj->name + ".w'";
    return true;
  }
  const ast::Model* syn = program_.model(proj->synapse.name.empty() ? "Static" : proj->synapse.name);
  const ast::Declaration* d = syn ? syn->find(p.target->name) : nullptr;
  if (!d || d->kind == ast::DeclKind::Let) {
    diags_.error("E060", p.target->range, "'" + p.target->name + "' is not a variable of synapse '" +
                                              (syn ? syn->name : std::string("?")) + "' (projection '" + proj->name + "')");
    return true;
  }
  check_probe_times(p, scope_, diags_);
  if (p.unit) diags_.error("E060", p.unit->range, "a projection probe is written in SI units");
  return true;
}

void NetworkChecker::probe(ast::Probe& p) {
  if (!p.kind.name.empty() && !p.spikes && !p.rate) {
    diags_.error("E060", p.kind.range, "unknown probe '" + p.kind.name + " of'")
        .hint = "write 'probe spikes of P', 'probe rate of P' or 'probe P.v'";
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
      diags_.error("E060", b.range, "a probe has no setting '" + b.name + "' here")
          .hint = "'probe rate of P every 1 ms { smooth = 10 ms }' smooths a rate";
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
      diags_.error("E060", p.target->range, std::string("'probe ") + what + " of' takes neurons, not a variable")
          .hint = std::string("write 'probe ") + what + " of " + p.target_ref.population + "'";
    return;
  }
  if (p.target_ref.path.empty()) {
    diags_.error("E060", p.target->range, "a probe needs a variable, e.g. 'probe " +
                                              p.target_ref.population + ".v', or 'probe spikes of " +
                                              p.target_ref.population + "'");
    return;
  }
  auto v = variable(p.target_ref, p.target->range, true);
  if (!v) return;
  if (p.unit && v->decl->dim_known) {
    if (auto dim = check_unit(*p.unit, diags_); dim && *dim != v->decl->dim)
      diags_.error("E020", p.unit->range, "'" + v->decl->name + "' is " + describe_dimension(v->decl->dim) +
                                              ", it cannot be written in " + p.unit->text);
  }
}

}  // namespace

void check_network(ast::Network& network, const Program& program, Diagnostics& diags) {
  NetworkChecker(network, program, diags).run();
}

}  // namespace axon::sema
