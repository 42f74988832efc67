#include "compiler/ir/lower_synapse.h"

#include <functional>
#include <map>

#include "compiler/ir/lower_common.h"
#include "compiler/sema/const_eval.h"

namespace axon::ir {

namespace {

bool is_uniform(const ast::Expr* e) { return e == nullptr || sema::eval_const(*e).has_value(); }

Expr add(Expr a, Expr b) {
  if (a.is_const() && b.is_const()) return Expr::constant(a.value + b.value);
  if (a.is_const() && a.value == 0) return b;
  if (b.is_const() && b.value == 0) return a;
  return Expr::make(Op::Add, {std::move(a), std::move(b)});
}
Expr mul(Expr a, Expr b) {
  if (a.is_const() && b.is_const()) return Expr::constant(a.value * b.value);
  if ((a.is_const() && a.value == 0) || (b.is_const() && b.value == 0)) return Expr::constant(0);
  if (a.is_const() && a.value == 1) return b;
  if (b.is_const() && b.value == 1) return a;
  return Expr::make(Op::Mul, {std::move(a), std::move(b)});
}
Expr neg(Expr a) {
  if (a.is_const()) return Expr::constant(-a.value);
  return Expr::make(Op::Neg, {std::move(a)});
}

// An expression as a + b x in the variable x, a and b free of x; false when it is not
// (a product of x with itself, x inside a function, x in a divisor).
struct Affine {
  Expr a, b;
};

bool mentions(const Expr& e, int var) {
  if (e.op == Op::Var && e.var == var) return true;
  for (const Expr& a : e.args)
    if (mentions(a, var)) return true;
  return false;
}

bool affine(const Expr& e, int x, Affine& out) {
  if (!mentions(e, x)) {
    out = {e, Expr::constant(0)};
    return true;
  }
  Affine l, r;
  switch (e.op) {
    case Op::Var:
      out = {Expr::constant(0), Expr::constant(1)};
      return true;
    case Op::Neg:
      if (!affine(e.args[0], x, l)) return false;
      out = {neg(l.a), neg(l.b)};
      return true;
    case Op::Add:
    case Op::Sub:
      if (!affine(e.args[0], x, l) || !affine(e.args[1], x, r)) return false;
      if (e.op == Op::Sub) r = {neg(r.a), neg(r.b)};
      out = {add(l.a, r.a), add(l.b, r.b)};
      return true;
    case Op::Mul:
      if (!affine(e.args[0], x, l) || !affine(e.args[1], x, r)) return false;
      if (mentions(e.args[0], x) && mentions(e.args[1], x)) return false;
      if (mentions(e.args[0], x)) std::swap(l, r);  // l free of x
      out = {mul(l.a, r.a), mul(l.a, r.b)};
      return true;
    case Op::Div:
      if (mentions(e.args[1], x) || !affine(e.args[0], x, l)) return false;
      out = {Expr::make(Op::Div, {l.a, e.args[1]}), Expr::make(Op::Div, {l.b, e.args[1]})};
      return true;
    default:
      return false;
  }
}

// The variables an expression reads, for the coupling check of event-driven equations.
void collect_vars(const Expr& e, std::vector<int>& out) {
  if (e.op == Op::Var) out.push_back(e.var);
  for (const Expr& a : e.args) collect_vars(a, out);
}

bool reads_time(const Expr& e) {
  if (e.op == Op::Time) return true;
  for (const Expr& a : e.args)
    if (reads_time(a)) return true;
  return false;
}

class SynapseLowering {
 public:
  SynapseLowering(const ast::Model& syn, const Network& net, Projection& p, Diagnostics& diags)
      : syn_(syn), net_(net), p_(p), diags_(diags) {}

  void handler(const ast::EventHandler& h) {
    std::vector<Assign>& out = h.on_post ? p_.on_post : p_.on_pre;
    block(h.body, out, nullptr);
  }

  void update(const std::vector<ast::Stmt>& body) { block(body, p_.update, nullptr); }

  Expr lower(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Name) return name(e);
    if (e.kind == ast::ExprKind::Member) return Expr::variable(encode(e));
    if (auto x = lower_operator(e, [&](const ast::Expr& a) { return lower(a); })) return *x;
    unsupported(e.range, e.kind == ast::ExprKind::Call ? "random draws in a synapse"
                                                       : "this kind of expression in a synapse");
    return Expr::constant(0);
  }

  // A synapse variable (index), or a neuron variable encoded above kPostBase / kPreBase.
  int encode(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Member) {
      if (e.name == "target") return kPostBase + p_.target_var;
      bool is_post = e.args[0]->name == "post";
      const Population& side = net_.populations[net_.find(is_post ? p_.target : p_.source)];
      int v = side.find(e.name);
      if (v < 0 && e.name == "output") {  // the neuron model's only output
        for (size_t k = 0; k < side.vars.size(); ++k)
          if (side.vars[k].kind == VarKind::Output) v = static_cast<int>(k);
      }
      if (v < 0) {
        unsupported(e.range, "'" + e.args[0]->name + "." + e.name + "' (not a variable of the neurons)");
        return is_post ? kPostBase : kPreBase;
      }
      return (is_post ? kPostBase : kPreBase) + v;
    }
    for (size_t k = 0; k < p_.synapse_vars.size(); ++k)
      if (p_.synapse_vars[k].name == e.name) return static_cast<int>(k);
    unsupported(e.range, "the name '" + e.name + "' here");
    return 0;
  }

 private:
  const ast::Model& syn_;
  const Network& net_;
  Projection& p_;
  Diagnostics& diags_;
  std::vector<std::map<std::string, Expr>> locals_;
  int let_depth_ = 0;

  Expr name(const ast::Expr& e) {
    if (e.symbol == ast::SymbolKind::Unit || e.symbol == ast::SymbolKind::Constant) return Expr::constant(e.value_si);
    if (e.name == "t") return Expr::make(Op::Time, {});
    if (e.name == "dt") return Expr::make(Op::Dt, {});
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      auto f = it->find(e.name);
      if (f != it->end()) return f->second;
    }
    const ast::Declaration* d = syn_.find(e.name);
    if (d && d->kind == ast::DeclKind::Let && d->value && let_depth_ < 100) {
      ++let_depth_;
      Expr x = lower(*d->value);
      --let_depth_;
      return x;
    }
    return Expr::variable(encode(e));
  }

  int add_local(const std::string& name) {
    Var v;
    v.name = "%" + name + "." + std::to_string(p_.synapse_vars.size());
    v.kind = VarKind::Local;
    p_.synapse_vars.push_back(v);
    return static_cast<int>(p_.synapse_vars.size()) - 1;
  }

  // As a neuron's blocks (lower_statements); a write to `pre.x` is refused, since
  // several threads deliver the synapses of one source neuron.
  void block(const std::vector<ast::Stmt>& body, std::vector<Assign>& out, const Expr* guard) {
    BlockLowering b;
    b.lower = [&](const ast::Expr& e) { return lower(e); };
    b.target = [&](const ast::Stmt& s) {
      int v = encode(*s.target);
      if (v < kPreBase) return v;
      diags_.error("E090", s.target->range, "the back end does not support writing a source neuron's variable "
                                            "from a synapse yet")
          .hint = "write synapse states and post. variables";
      return -1;
    };
    b.add_local = [&](const std::string& name) { return add_local(name); };
    b.locals = &locals_;
    lower_statements(body, b, out, guard);
  }

  void unsupported(const SourceRange& r, const std::string& what) {
    diags_.error("E090", r, "the back end does not support " + what + " yet");
  }
};

}  // namespace

void lower_synapse(const ast::Model& syn, const ast::Projection& ap, const Network& net, Projection& p,
                   Diagnostics& diags) {
  for (const ast::Declaration& d : syn.decls) {
    if (d.kind == ast::DeclKind::Let) continue;
    Var v;
    v.name = d.name;
    v.kind = d.kind == ast::DeclKind::Parameter ? VarKind::Parameter : VarKind::State;
    v.dim = d.dim;
    v.range = d.range;
    const ast::Expr* over = nullptr;
    for (const ast::Binding& b : ap.synapse_args)
      if (b.name == d.name) over = b.value.get();
    v.per_synapse = d.per_synapse;
    v.per_element = d.per_synapse && (v.kind == VarKind::State || !is_uniform(over));
    p.synapse_vars.push_back(v);
  }
  SynapseLowering lx(syn, net, p, diags);

  // Event-driven equations: x' = a + b x, a and b free of every state that changes
  // between events (the other event-driven states, the neurons' variables, t).
  std::vector<int> driven;
  for (const ast::Ode& o : syn.odes) {
    int x = -1;
    for (size_t k = 0; k < p.synapse_vars.size(); ++k)
      if (p.synapse_vars[k].name == o.state) x = static_cast<int>(k);
    if (o.event_driven && x >= 0) driven.push_back(x);
  }
  for (const ast::Ode& o : syn.odes) {
    if (!o.event_driven) {
      diags.error("E090", o.range, "the back end integrates synapse equations only between events yet")
          .hint = "write 'event driven " + o.state + "' = ...' (solved exactly at each event)";
      continue;
    }
    int x = -1;
    for (size_t k = 0; k < p.synapse_vars.size(); ++k)
      if (p.synapse_vars[k].name == o.state) x = static_cast<int>(k);
    if (x < 0) continue;
    Expr rhs = lx.lower(*o.rhs);
    std::vector<int> reads;
    collect_vars(rhs, reads);
    std::string coupled;
    for (int v : reads) {
      if (v == x) continue;
      if (v >= kPostBase) coupled = "a variable of the neurons";
      else if (std::count(driven.begin(), driven.end(), v)) coupled = "'" + p.synapse_vars[v].name + "'";
    }
    if (reads_time(rhs)) coupled = "t";
    Affine ab;
    if (!coupled.empty() || !affine(rhs, x, ab)) {
      diags.error("E091", o.range, "an event-driven equation must be linear in its own state, with "
                                   "coefficients that do not change between events")
          .hint = coupled.empty() ? "write it as " + o.state + "' = p + q * " + o.state + ", with p and q free of " + o.state
                                  : "'" + o.state + "'' depends on " + coupled;
      continue;
    }
    p.event_driven.push_back({x, ab.a, ab.b});
  }
  if (!p.event_driven.empty()) {
    Var last;
    last.name = "%lastupdate";
    last.kind = VarKind::State;
    last.dim = units::dims::time();
    last.per_element = true;
    p.synapse_vars.push_back(last);
    p.lastupdate_var = static_cast<int>(p.synapse_vars.size()) - 1;
  }
  for (const ast::EventHandler& h : syn.handlers) lx.handler(h);
  for (const std::vector<ast::Stmt>& body : syn.update_blocks) lx.update(body);
  // An event-driven state is stored as it was at the last event; an `update` block that
  // wrote it would be decayed again from that event at the next one.
  for (const Assign& a : p.update)
    for (const Projection::EventDriven& e : p.event_driven)
      if (a.var == e.var) {
        diags.error("E091", syn.range, "synapse '" + syn.name + "' changes the event-driven state '" +
                                           p.synapse_vars[e.var].name + "' in an update block")
            .hint = "change it in 'on pre' / 'on post', or make it a plain state";
        return;
      }
}

}  // namespace axon::ir
