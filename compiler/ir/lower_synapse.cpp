#include "compiler/ir/lower_synapse.h"

#include <algorithm>
#include <functional>
#include <map>

#include "compiler/ir/lower_common.h"
#include "compiler/sema/const_eval.h"

namespace axon::ir {

namespace {

bool is_uniform(const ast::Expr* e) { return e == nullptr || sema::eval_const(*e).has_value(); }

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
    unsupported(e.range,
                e.kind == ast::ExprKind::Call ? "random draws in a synapse" : "this kind of expression in a synapse");
    return Expr::constant(0);
  }

  // A synapse variable, or a variable of the target (post.) or source (pre.) neuron.
  VarRef encode(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Member) {
      if (e.name == "target") return {Space::Post, p_.target_var};
      bool is_post = e.args[0]->name == "post";
      const Population& side = net_.populations[net_.find(is_post ? p_.target : p_.source)];
      int v = side.find(e.name);
      if (v < 0 && e.name == "output") {  // the neuron model's only output
        for (size_t k = 0; k < side.vars.size(); ++k)
          if (side.vars[k].kind == VarKind::Output) v = static_cast<int>(k);
      }
      if (v < 0) {
        unsupported(e.range, "'" + e.args[0]->name + "." + e.name + "' (not a variable of the neurons)");
        return {is_post ? Space::Post : Space::Pre, 0};
      }
      return {is_post ? Space::Post : Space::Pre, v};
    }
    for (size_t k = 0; k < p_.synapse_vars.size(); ++k)
      if (p_.synapse_vars[k].name == e.name) return {Space::Own, static_cast<int>(k)};
    unsupported(e.range, "the name '" + e.name + "' here");
    return {Space::Own, 0};
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
      const VarRef v = encode(*s.target);
      if (v.space != Space::Pre) return v;
      diags_
          .error("E090", s.target->range,
                 "the back end does not support writing a source neuron's variable "
                 "from a synapse yet")
          .hint = "write synapse states and post. variables";
      return VarRef{Space::Own, -1};
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

  // The equations as lowered; passes/classify_synapse_odes decides how they are solved.
  // Event-driven states are stored as of the synapse's last event, kept in %lastupdate.
  p.synapse = syn.name;
  p.synapse_range = syn.range;
  for (const ast::Ode& o : syn.odes) {
    int x = -1;
    for (size_t k = 0; k < p.synapse_vars.size(); ++k)
      if (p.synapse_vars[k].name == o.state) x = static_cast<int>(k);
    if (x < 0) continue;
    p.odes.push_back({x, lx.lower(*o.rhs), o.event_driven, o.range});
  }
  if (std::any_of(syn.odes.begin(), syn.odes.end(), [](const ast::Ode& o) { return o.event_driven; })) {
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
}

}  // namespace axon::ir
