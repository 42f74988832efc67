// The network checker's class, shared by its files: check_network.cpp (populations,
// views, projections, connectivity) and check_probes.cpp (stimuli and probes).
#pragma once

#include <algorithm>
#include <map>
#include <set>

#include "compiler/sema/builtins.h"
#include "compiler/sema/check_nengo.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/model_scope.h"
#include "compiler/sema/network_scope.h"
#include "compiler/sema/sema.h"

namespace axon::sema::detail {

using ast::DeclKind;
using ast::Expr;
using ast::ExprKind;
using units::describe_dimension;

// `pre.output` / `post.output`: the neuron model's only `output`, or null.
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
      diags_.error("E051", p.size->range,
                   "a population size is a number of neurons, not " + describe_dimension(size_ty.dim));
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
      Diagnostic& d = diags_.error(
          "E052", p.model.range,
          m ? "'" + p.model.name + "' is a " + ast::to_string(m->kind) + ", a population needs a neuron model"
            : "unknown neuron model '" + p.model.name + "'");
      if (m)
        d.notes.push_back({m->range, "declared here"});
      else
        d.hint = "import the file that defines it, e.g. 'import neurons.lif'";
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
        diags_.error("E010", b.range, "neuron model '" + m->name + "' has no parameter or state '" + b.name + "'");
        continue;
      }
      if (d->dim_known) require_dim(t, d->dim, b.value->range, "the value of '" + b.name + "'", diags_, b.value.get());
    }
  }

  void spike_times(ast::Population& p) {
    for (ast::Binding& b : p.overrides) {
      Ty t = check_expr(*b.value, scope_, diags_);
      if (b.name == "times") {
        if (!t.is_list)
          diags_.error("E020", b.value->range, "'times' must be a list of times, e.g. [10 ms, 20 ms]");
        else
          require_dim(t, units::dims::time(), b.value->range, "spike times", diags_, b.value.get());
      } else if (b.name == "indices") {
        if (!t.is_list)
          diags_.error("E020", b.value->range, "'indices' must be a list of neuron indices");
        else if (b.value->kind == ExprKind::List && p.n > 0)
          for (const auto& item : b.value->args) {
            auto v = eval_const(*item, scope_.const_lookup());
            if (!v || *v != static_cast<double>(static_cast<int64_t>(*v)) || *v < 0 || *v >= static_cast<double>(p.n))
              diags_.error("E020", item->range,
                           "a spike index must be a whole number in [0, " + std::to_string(p.n - 1) + "] ('" + p.name +
                               "' has " + std::to_string(p.n) + " neurons)");
          }
      } else if (b.name == "file") {
        if (!t.is_string || b.value->name.find(":/") == std::string::npos)
          diags_.error("E020", b.value->range,
                       "'file' is a string \"file.h5:/group\" naming a group with "
                       "timestamps and node_ids (the layout of /spikes/<population>)");
      } else {
        diags_.error("E010", b.range, "SpikeTimes has no parameter '" + b.name + "'").hint =
            "SpikeTimes takes 'times' and, for several neurons, 'indices'; or 'file'";
      }
    }
  }

  void receptor(const ast::Population& p, const ast::Model& neuron, ast::ReceptorBinding& r) {
    const ast::Model* m = program_.model(r.model.name);
    if (m == nullptr || m->kind != ast::ModelKind::Receptor) {
      diags_.error("E052", r.model.range,
                   m ? "'" + r.model.name + "' is not a receptor" : "unknown receptor model '" + r.model.name + "'");
      return;
    }
    if (neuron.find(r.name) != nullptr) {
      Diagnostic& d =
          diags_.error("E011", r.range, "receptor '" + r.name + "' has the name of a variable of " + neuron.name);
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
      if (d->dim_known) require_dim(t, d->dim, b.value->range, "the value of '" + b.name + "'", diags_, b.value.get());
    }
    // Contributions go to inputs of this neuron, with the input's dimension.
    ModelScope host(*m);
    host.resolver = [&](const std::string& prefix, const std::string& name, std::string& why) -> std::optional<Symbol> {
      const ast::Declaration* d = neuron.find(name);
      if (prefix == "post" && d != nullptr) return Symbol{ast::SymbolKind::HostVar, decl_type(*d), d->range};
      why = prefix == "post" ? "neuron model '" + neuron.name + "' has no variable '" + name + "'"
                             : "'pre.' cannot be used in a receptor; it refers to its neuron as 'post.'";
      return std::nullopt;
    };
    for (const ast::Contribution& c : m->contributions) {
      ast::ExprPtr value = ast::clone(*c.value);
      Ty t = check_expr(*value, host, diags_);
      const ast::Declaration* in = neuron.find(c.input.name);
      if (in == nullptr || in->kind != DeclKind::Input) {
        Diagnostic& d = diags_.error("E040", r.model.range,
                                     "receptor '" + m->name + "' contributes to '" + c.input.name +
                                         "', which neuron model '" + neuron.name + "' has no input of that name");
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
    if (e.kind == ExprKind::Binary && e.op == ast::Operator::Add)
      return names_neurons(*e.args[0]) || names_neurons(*e.args[1]);
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
          diags_
              .error("E050", e.range,
                     "slice " + what + " is out of range for '" + e.args[0]->name + "' with " + std::to_string(size) +
                         " neurons")
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
        if (e.op != ast::Operator::Add) break;
        ast::TargetRef a = resolve(*e.args[0]), b = resolve(*e.args[1]);
        if (!a.valid || !b.valid) return r;
        if (!a.path.empty() || !b.path.empty()) {
          diags_.error("E050", e.range, "only neurons can be joined, not variables");
          return r;
        }
        if (a.population != b.population) {
          diags_
              .error("E050", e.range,
                     "'" + a.population + "' and '" + b.population +
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
      default: break;
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
        diags_
            .error("E050", item->range,
                   "index " + std::to_string(k) + " is out of range for '" + whole.args[0]->name + "' with " +
                       std::to_string(size) + " neurons")
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
          if (d.kind == DeclKind::State) {
            state = &d;
            break;
          }
      } else if (t.path.size() == 2) {
        state = rm->find(t.path[1]);
      }
      if (state == nullptr) {
        diags_.error("E040", where,
                     "receptor '" + r.name + "' (" + rm->name + ") has no " +
                         (t.path.size() == 2 ? "variable '" + t.path[1] + "'" : "state"));
        return std::nullopt;
      }
      return VarInfo{state, rm};
    }
    const ast::Declaration* d = m->find(first);
    if (d == nullptr || t.path.size() > 1) {
      Diagnostic& e = diags_.error(
          "E040", where,
          "population '" + t.population + "' (" + m->name + ") has no variable or receptor '" + first + "'");
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

}  // namespace axon::sema::detail
