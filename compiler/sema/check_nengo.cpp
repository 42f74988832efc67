// Checks of the Nengo layer of a network: ensembles (their NEF settings), nodes,
// connections (endpoints, function, transform, synapse) and probes of decoded values.
#include "compiler/sema/check_nengo.h"

#include <algorithm>
#include <map>
#include <set>

#include "compiler/sema/builtins.h"
#include "compiler/sema/const_eval.h"

namespace axon::sema {

using ast::Expr;
using ast::ExprKind;

const std::vector<std::string>& ensemble_models() {
  static const std::vector<std::string> names = {
      "NengoLIF", "LIFRate", "RectifiedLinear", "SpikingRectifiedLinear", "SoftLIFRate",
      "Sigmoid",  "Tanh",    "AdaptiveLIF",     "NengoIzhikevich"};
  return names;
}

namespace {

// A synapse: a time constant (Lowpass), Lowpass(T) or Alpha(T); the time constant, or
// nullopt after an error.
std::optional<double> synapse(ast::Expr& e, const NetworkScope& scope, Diagnostics& diags) {
  ast::Expr* tau = &e;
  if (e.kind == ExprKind::Call) {
    if ((e.name != "Lowpass" && e.name != "Alpha") || e.args.size() != 1) {
      diags.error("E056", e.range, "a synapse is a time constant, Lowpass(tau) or Alpha(tau)");
      return std::nullopt;
    }
    tau = e.args[0].get();
  }
  Ty t = check_expr(*tau, scope, diags);
  require_dim(t, units::dims::time(), tau->range, "a synapse time constant", diags, tau);
  auto v = eval_const(*tau, scope.const_lookup());
  if (!v || *v < 0) {
    diags.error("E056", tau->range, "a synapse time constant is a constant, 0 or more");
    return std::nullopt;
  }
  return *v;
}

class NengoChecker {
 public:
  NengoChecker(ast::Network& net, const NetworkScope& scope, Diagnostics& diags)
      : net_(net), scope_(scope), diags_(diags) {}

  void run() {
    for (ast::Population& p : net_.populations)
      if (p.ensemble) ensemble(p);
    for (ast::Node& n : net_.nodes) node(n);
    // Connections into a PES rule's error (C.error) after the others: they need C's size.
    for (int pass = 0; pass < 2; ++pass)
      for (ast::Connection& c : net_.connections)
        if (is_error_target(c) == (pass == 1)) connection(c);
  }

  static bool is_error_target(const ast::Connection& c) {
    return c.target->kind == ExprKind::Member && c.target->name == "error";
  }

 private:
  ast::Network& net_;
  const NetworkScope& scope_;
  Diagnostics& diags_;
  std::map<std::string, int64_t> dims_;  // ensemble -> dimensions

  std::optional<int64_t> whole(const Expr& e, int64_t min, const std::string& what) {
    Ty t = check_expr(const_cast<Expr&>(e), scope_, diags_);
    auto v = eval_const(e, scope_.const_lookup());
    if ((t.known && !t.dim.is_dimensionless()) || !v || *v != static_cast<double>(static_cast<int64_t>(*v)) ||
        *v < static_cast<double>(min)) {
      diags_.error("E056", e.range, what + " must be a whole number, at least " + std::to_string(min));
      return std::nullopt;
    }
    return static_cast<int64_t>(*v);
  }

  void ensemble(ast::Population& p) {
    const auto& names = ensemble_models();
    if (std::find(names.begin(), names.end(), p.model.name) == names.end()) {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      diags_.error("E056", p.model.range, "an ensemble needs one of Nengo's neuron types, not '" + p.model.name + "'")
          .hint = "use " + list + " (import neurons.nengo_lif, neurons.relu, ...)";
    }
    dims_[p.name] = 1;
    bool gain = false, bias = false;
    NetworkScope element(scope_, /*indices=*/true, /*time=*/false);
    for (ast::Binding& b : p.nef_args) {
      if (b.name == "dimensions") {
        if (auto d = whole(*b.value, 1, "'dimensions'")) dims_[p.name] = *d;
      } else if (b.name == "seed") {
        whole(*b.value, 0, "'seed'");
      } else if (b.name == "radius") {
        Ty t = check_expr(*b.value, scope_, diags_);
        auto v = eval_const(*b.value, scope_.const_lookup());
        if ((t.known && !t.dim.is_dimensionless()) || !v || *v <= 0)
          diags_.error("E056", b.value->range, "'radius' must be a positive number");
      } else {
        Ty t = check_expr(*b.value, element, diags_);
        units::Dimension want =
            b.name == "max_rates" ? units::Dimension::none() / units::dims::time() : units::Dimension::none();
        require_dim(t, want, b.value->range, "'" + b.name + "'", diags_, b.value.get());
        gain = gain || b.name == "gain";
        bias = bias || b.name == "bias";
      }
    }
    if (gain != bias)
      diags_.error("E056", p.range, "an ensemble given 'gain' needs 'bias' too, and the other way round").hint =
          "give both, or neither (then max_rates and intercepts set them)";
  }

  void node(ast::Node& n) {
    if (n.size)
      if (auto d = whole(*n.size, 1, "the size of a node")) n.n = *d;
    if (scope_.is_neurons(n.name))
      diags_.error("E056", n.range, "'" + n.name + "' is already a population of this network");
    if (!n.value) return;                                 // passthrough
    if (const Expr* file = ast::data_source(*n.value)) {  // rows of an HDF5 dataset, checked when read
      if (file->name.find(":/") == std::string::npos)
        diags_.error("E056", n.value->range, "data() takes a string \"file.h5:/dataset\"");
      return;
    }
    NetworkScope it(scope_, /*indices=*/true, /*time=*/true);
    Ty t = check_expr(*n.value, it, diags_);
    require_dim(t, units::Dimension::none(), n.value->range, "a node's value", diags_, n.value.get());
  }

  const ast::Node* find_node(const std::string& name) const {
    for (const ast::Node& n : net_.nodes)
      if (n.name == name) return &n;
    return nullptr;
  }

  // An endpoint: its kind and its size (dimensions, or neurons for E.neurons).
  bool endpoint(const Expr& e, bool source, ast::Connection& c) {
    std::string& name = source ? c.source_name : c.target_name;
    ast::EndpointKind& kind = source ? c.source_kind : c.target_kind;
    int64_t& size = source ? c.source_size : c.target_size;
    if (!source && is_error_target(c)) {
      const Expr& conn = *e.args[0];
      for (const ast::Connection& other : net_.connections)
        if (conn.kind == ExprKind::Name && !other.name.empty() && other.name == conn.name) {
          bool pes = false;
          for (const ast::Binding& b : other.args) pes = pes || b.name == "learning_rule";
          if (!pes) {
            diags_.error("E056", e.range, "connection '" + other.name + "' has no learning rule to send an error to")
                .hint = "give it 'learning_rule = PES(1e-4)'";
            return false;
          }
          name = other.name;
          kind = ast::EndpointKind::Error;
          size = other.target_size;
          return true;
        }
      diags_.error("E056", e.range, "'" + conn.name + "' is not a named connection of this network");
      return false;
    }
    const Expr* base = &e;
    bool neurons = false;
    if (e.kind == ExprKind::Member && e.name == "neurons") {
      base = e.args[0].get();
      neurons = true;
    }
    if (base->kind == ExprKind::Name) {
      const ast::Population* p = scope_.population(base->name);
      if (p && p->ensemble && !neurons && scope_.neurons(base->name) && dims_.count(base->name)) {
        name = base->name;
        kind = ast::EndpointKind::Ensemble;
        size = dims_[base->name];
        return true;
      }
      if (p && p->ensemble && neurons) {
        name = base->name;
        kind = ast::EndpointKind::Neurons;
        size = p->n;
        return true;
      }
      if (const ast::Node* n = find_node(base->name); n && !neurons && (source || !n->value)) {
        name = base->name;
        kind = ast::EndpointKind::Node;
        size = n->n;
        return true;
      }
      if (find_node(base->name) && !source) {
        diags_.error("E056", e.range, "'" + base->name + "' has a value of its own: it cannot receive a connection")
            .hint = "a node without '= ...' (node P[d]) sums what it receives (a passthrough node)";
        return false;
      }
    }
    diags_.error("E056", e.range,
                 std::string("a connection ") + (source ? "starts at" : "ends at") + " an ensemble, its '.neurons'" +
                     (source ? " or a node" : " or a passthrough node"));
    return false;
  }

  // A connection's function: an expression of x (x[k] for component k of a vector
  // source) with numbers and math functions; a list makes a vector. Returns its size.
  std::optional<int64_t> function(const Expr& e, int64_t d, bool top) {
    switch (e.kind) {
      case ExprKind::Number:
        if (!e.unit_text.empty()) break;
        return 1;
      case ExprKind::Name:
        if (e.name == "x" && d == 1) return 1;
        if (e.name == "pi" || e.name == "e") return 1;
        if (e.name == "x") {
          diags_.error(
              "E056", e.range,
              "x has " + std::to_string(d) + " components here: write x[0] .. x[" + std::to_string(d - 1) + "]");
          return std::nullopt;
        }
        break;
      case ExprKind::Index:
        if (e.args[0]->kind == ExprKind::Name && e.args[0]->name == "x" && !e.is_slice && e.args[1] &&
            e.args[1]->kind == ExprKind::Number && e.args[1]->unit_text.empty()) {
          std::optional<double> k = e.args[1]->number;
          if (k && *k >= 0 && *k < d && *k == static_cast<double>(static_cast<int64_t>(*k))) return 1;
          diags_.error("E056", e.range, "x[k] needs a whole k in [0, " + std::to_string(d - 1) + "]");
          return std::nullopt;
        }
        break;
      case ExprKind::Unary:
      case ExprKind::Binary:
      case ExprKind::Call: {
        if (e.kind == ExprKind::Call) {
          // Any deterministic built-in (the table's evaluator is what makes one).
          const FunctionInfo* f = find_function(e.name);
          if (!f || !f->evaluate) break;
          const size_t n = e.args.size();
          if (n < static_cast<size_t>(f->min_args) || n > static_cast<size_t>(f->max_args)) {
            const int want = f->min_args;
            diags_.error("E056", e.range,
                         e.name + "() takes " + std::to_string(want) + " argument" + (want == 1 ? "" : "s") +
                             " in a connection function");
            return std::nullopt;
          }
        }
        if (e.kind == ExprKind::Binary && e.op != ast::Operator::Add && e.op != ast::Operator::Sub &&
            e.op != ast::Operator::Mul && e.op != ast::Operator::Div && e.op != ast::Operator::Pow)
          break;
        if (e.kind == ExprKind::Unary && e.op == ast::Operator::Not) break;
        for (const auto& a : e.args)
          if (!function(*a, d, false)) return std::nullopt;
        return 1;
      }
      case ExprKind::List:
        if (!top) break;
        for (const auto& a : e.args)
          if (!function(*a, d, false)) return std::nullopt;
        if (e.args.empty()) break;
        return static_cast<int64_t>(e.args.size());
      default: break;
    }
    diags_.error("E056", e.range, "a connection function is an expression of x with numbers and math functions").hint =
        "e.g. 'function = x * x' or, for a 2-D source, 'function = [x[0] * x[1], x[0]]'";
    return std::nullopt;
  }

  // `learning_rule = PES(learning_rate = 1e-4, pre_synapse = 5 ms)` (positional too).
  void learning_rule(Expr& rule, const ast::Connection& c) {
    if (rule.kind != ExprKind::Call || rule.name != "PES") {
      diags_.error("E056", rule.range, "the learning rule of a connection is PES(learning_rate, pre_synapse)");
      return;
    }
    if (c.source_kind != ast::EndpointKind::Ensemble) {
      diags_.error("E056", rule.range, "PES learns the decoders of a connection from an ensemble");
      return;
    }
    for (size_t k = 0; k < rule.args.size(); ++k) {
      const std::string& an = rule.arg_names[k];
      bool rate = an == "learning_rate" || (an.empty() && k == 0);
      bool tau = an == "pre_synapse" || (an.empty() && k == 1);
      if (!rate && !tau) {
        diags_.error("E056", rule.args[k]->range, "PES() takes learning_rate and pre_synapse");
        continue;
      }
      Ty t = check_expr(*rule.args[k], scope_, diags_);
      require_dim(t, rate ? units::Dimension::none() : units::dims::time(), rule.args[k]->range,
                  rate ? "a learning rate" : "a synapse time constant", diags_, rule.args[k].get());
      auto v = eval_const(*rule.args[k], scope_.const_lookup());
      if (!v || *v < 0) diags_.error("E056", rule.args[k]->range, "PES() takes constants, 0 or more");
    }
  }

  void connection(ast::Connection& c) {
    bool ok = endpoint(*c.source, true, c);
    ok = endpoint(*c.target, false, c) && ok;
    int64_t out = c.source_size;
    for (ast::Binding& b : c.args) {
      if (b.name == "function") {
        if (ok && c.source_kind != ast::EndpointKind::Ensemble) {
          diags_.error("E056", b.value->range, "only a connection from an ensemble computes a function");
          ok = false;
          continue;
        }
        if (auto n = function(*b.value, c.source_size, true))
          out = *n;
        else
          ok = false;
      } else if (b.name == "synapse") {
        auto v = synapse(*b.value, scope_, diags_);
        const ast::Node* from = c.source_kind == ast::EndpointKind::Node ? find_node(c.source_name) : nullptr;
        if (v && *v == 0 && ok && from && !from->value && c.target_kind == ast::EndpointKind::Node)
          diags_.error("E056", b.value->range, "a connection between two passthrough nodes needs a synapse");
        else if (v && *v == 0 && ok && c.source_kind != ast::EndpointKind::Node)
          diags_.error("E056", b.value->range, "a connection from an ensemble needs a synapse (a time constant > 0)");
      } else if (b.name == "learning_rule") {
        learning_rule(*b.value, c);
      } else if (b.name != "transform") {
        diags_.error("E056", b.range, "a connection has no setting '" + b.name + "'").hint =
            "the settings are function, transform, synapse and learning_rule";
      }
    }
    c.out_size = out;
    if (!ok) return;
    for (ast::Binding& b : c.args) {
      if (b.name != "transform") continue;
      const Expr& t = *b.value;
      if (t.kind == ExprKind::List) {  // a matrix: target rows of `out` numbers
        bool shape = static_cast<int64_t>(t.args.size()) == c.target_size;
        for (const auto& row : t.args) {
          shape = shape && row->kind == ExprKind::List && static_cast<int64_t>(row->args.size()) == out;
          if (row->kind == ExprKind::List)
            for (const auto& x : row->args) {
              Ty ty = check_expr(*x, scope_, diags_);
              if ((ty.known && !ty.dim.is_dimensionless()) || !eval_const(*x, scope_.const_lookup())) shape = false;
            }
        }
        if (!shape)
          diags_.error("E056", t.range,
                       "a transform matrix here has " + std::to_string(c.target_size) + " rows of " +
                           std::to_string(out) + " constant numbers");
        return;
      }
      Ty ty = check_expr(*b.value, scope_, diags_);
      if ((ty.known && !ty.dim.is_dimensionless()) || !eval_const(t, scope_.const_lookup()))
        diags_.error("E056", t.range, "a transform is a constant number or a matrix [[...], ...]");
    }
    bool matrix = false;
    for (const ast::Binding& b : c.args) matrix = matrix || (b.name == "transform" && b.value->kind == ExprKind::List);
    if (!matrix && out != c.target_size)
      diags_
          .error("E056", c.range,
                 "this connection sends " + std::to_string(out) + " values into " + std::to_string(c.target_size) + "")
          .hint = "give a transform matrix of " + std::to_string(c.target_size) + " rows of " + std::to_string(out) +
                  " numbers, or a function with " + std::to_string(c.target_size) + " outputs";
  }
};

}  // namespace

void check_nengo(ast::Network& net, const NetworkScope& scope, Diagnostics& diags) {
  NengoChecker(net, scope, diags).run();
}

void check_probe_times(ast::Probe& p, const NetworkScope& scope, Diagnostics& diags) {
  for (ast::ExprPtr* x : {&p.every, &p.from, &p.to}) {
    if (!*x) continue;
    Ty t = check_expr(**x, scope, diags);
    require_dim(t, units::dims::time(), (*x)->range, x == &p.every ? "a sampling interval" : "a recording window bound",
                diags, x->get());
    auto v = eval_const(**x, scope.const_lookup());
    if (x == &p.every && v && *v <= 0) diags.error("E060", (*x)->range, "a sampling interval must be positive");
    if (x != &p.every && v && *v < 0) diags.error("E060", (*x)->range, "a recording window starts at 0 or later");
  }
  if (p.from && p.to) {
    auto a = eval_const(*p.from, scope.const_lookup());
    auto b = eval_const(*p.to, scope.const_lookup());
    if (a && b && *b <= *a) diags.error("E060", p.to->range, "a recording window must end after it starts");
  }
}

bool nengo_probe(ast::Probe& p, const ast::Network& net, const NetworkScope& scope, Diagnostics& diags) {
  if (p.spikes || p.rate) return false;
  // `probe A.neurons`: the neurons' outputs (filtered with a synapse).
  const bool neurons =
      p.target->kind == ExprKind::Member && p.target->name == "neurons" && p.target->args[0]->kind == ExprKind::Name;
  if (p.target->kind != ExprKind::Name && !neurons) return false;
  const std::string& name = neurons ? p.target->args[0]->name : p.target->name;
  const ast::Population* pop = scope.population(name);
  bool is_node = false;
  for (const ast::Node& n : net.nodes) is_node = is_node || n.name == name;
  if (!(pop && pop->ensemble) && (!is_node || neurons)) return false;
  p.nengo = name;
  p.nengo_neurons = neurons;
  for (ast::Binding& b : p.args) {
    if (b.name != "synapse") {
      diags.error("E056", b.range, "a probe of '" + name + "' has no setting '" + b.name + "'").hint =
          "write 'probe " + name + " { synapse = 10 ms }'";
      continue;
    }
    synapse(*b.value, scope, diags);
  }
  check_probe_times(p, scope, diags);
  if (p.unit) diags.error("E056", p.unit->range, "a decoded value is a plain number: no unit");
  return true;
}

}  // namespace axon::sema
