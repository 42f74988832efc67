#include "compiler/ast/print.h"

#include <sstream>
#include <string>

namespace axon::ast {

namespace {

// The shortest text that reads back as the same double (1.62, not 1.6200000000000001).
std::string number_text(double v) {
  for (int precision = 6; precision <= 17; ++precision) {
    std::ostringstream os;
    os.precision(precision);
    os << v;
    if (std::stod(os.str()) == v) return os.str();
  }
  return std::to_string(v);
}

std::string at(const SourceRange& r) { return " @" + std::to_string(r.line) + ":" + std::to_string(r.col); }

}  // namespace

std::string to_string(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number: return number_text(e.number) + (e.unit_text.empty() ? "" : " " + e.unit_text);
    case ExprKind::Bool: return e.number != 0 ? "true" : "false";
    case ExprKind::String: return "\"" + e.name + "\"";
    case ExprKind::Name:
    case ExprKind::PrePost: return e.name;
    case ExprKind::Member: return to_string(*e.args[0]) + "." + e.name;
    case ExprKind::Index: {
      std::string s = to_string(*e.args[0]) + "[";
      if (e.args[1]) s += to_string(*e.args[1]);
      if (e.is_slice) s += ":";
      if (e.args[2]) s += to_string(*e.args[2]);
      return s + "]";
    }
    case ExprKind::Call: {
      std::string s = e.name + "(";
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) s += ", ";
        if (i < e.arg_names.size() && !e.arg_names[i].empty()) s += e.arg_names[i] + " = ";
        s += to_string(*e.args[i]);
      }
      return s + ")";
    }
    case ExprKind::Unary:
      return "(" + std::string(text(e.op)) + (e.op == Operator::Not ? " " : "") + to_string(*e.args[0]) + ")";
    case ExprKind::Binary: return "(" + to_string(*e.args[0]) + " " + text(e.op) + " " + to_string(*e.args[1]) + ")";
    case ExprKind::Conditional:
      return "(" + to_string(*e.args[0]) + " ? " + to_string(*e.args[1]) + " : " + to_string(*e.args[2]) + ")";
    case ExprKind::List: {
      std::string s = "[";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + to_string(*e.args[i]);
      return s + "]";
    }
  }
  return "?";
}

namespace {

class Dumper {
 public:
  std::string out;

  void line(int depth, const std::string& text) { out += std::string(depth * 2, ' ') + text + "\n"; }

  void stmts(int depth, const std::vector<Stmt>& body) {
    for (const Stmt& s : body) {
      switch (s.kind) {
        case StmtKind::Assign:
          line(depth, to_string(*s.target) + " " + text(s.op) + " " + to_string(*s.value) + at(s.range));
          break;
        case StmtKind::Let:
          line(depth,
               "let " + s.name + (s.unit ? " : " + s.unit->text : "") + " = " + to_string(*s.value) + at(s.range));
          break;
        case StmtKind::If:
          line(depth, "if " + to_string(*s.value) + at(s.range));
          stmts(depth + 1, s.then_body);
          if (!s.else_body.empty()) {
            line(depth, "else");
            stmts(depth + 1, s.else_body);
          }
          break;
      }
    }
  }

  void model(const Model& m) {
    line(1, std::string(m.rate ? "rate " : "") + to_string(m.kind) + " " + m.name + at(m.range));
    for (const Declaration& d : m.decls) {
      std::string s = std::string(d.per_synapse ? "per synapse " : "") + to_string(d.kind) + " " + d.name;
      if (d.unit) s += " : " + d.unit->text;
      if (d.value) s += " = " + to_string(*d.value);
      line(2, s + at(d.range));
    }
    if (!m.method.name.empty()) line(2, "method " + m.method.name + at(m.method.range));
    for (const Ode& o : m.odes)
      line(2, std::string(o.event_driven ? "event driven " : "") + o.state + "' = " + to_string(*o.rhs) + at(o.range));
    for (const OnSpike& o : m.on_spike) {
      line(2, "on spike when " + to_string(*o.condition) + at(o.range));
      stmts(3, o.body);
    }
    for (const EventHandler& h : m.handlers) {
      line(2, std::string("on ") + (h.on_post ? "post" : "pre") + at(h.range));
      stmts(3, h.body);
    }
    for (const Refractory& r : m.refractory) {
      std::string names;
      for (const NameRef& n : r.clamped) names += (names.empty() ? "" : ", ") + n.name;
      line(2, "refractory " + to_string(*r.period) + " clamps " + names + at(r.range));
    }
    for (size_t i = 0; i < m.update_blocks.size(); ++i) {
      line(2, "update" + at(m.update_ranges[i]));
      stmts(3, m.update_blocks[i]);
    }
    for (const Contribution& c : m.contributions)
      line(2, "contributes " + to_string(*c.value) + " to " + c.input.name + at(c.range));
  }

  void bindings(int depth, const std::vector<Binding>& bs) {
    for (const Binding& b : bs) line(depth, b.name + " = " + to_string(*b.value) + at(b.range));
  }

  void network(const Network& n) {
    line(1, "network " + n.name + at(n.range));
    for (const Population& p : n.populations) {
      line(2, "population " + p.name + " = " + p.model.name + "[" + to_string(*p.size) + "]" + at(p.range));
      for (const ReceptorBinding& r : p.receptors) {
        line(3, "receptor " + r.name + " = " + r.model.name + at(r.range));
        bindings(4, r.args);
      }
      bindings(3, p.overrides);
    }
    for (const NetworkLet& l : n.lets) line(2, "let " + l.name + " = " + to_string(*l.value) + at(l.range));
    for (const Projection& p : n.projections) {
      std::string s =
          "project " + (p.name.empty() ? "" : p.name + " = ") + to_string(*p.source) + " -> " + to_string(*p.target);
      if (!p.synapse.name.empty()) s += " via " + p.synapse.name;
      line(2, s + at(p.range));
      bindings(3, p.synapse_args);
      if (p.connect) line(3, std::string("connect ") + (p.connect_where ? "where " : "") + to_string(*p.connect));
      if (p.delay) line(3, "delay " + to_string(*p.delay));
    }
    for (const Stimulus& s : n.stimuli)
      line(2, "stimulus " + to_string(*s.target) + " = " + to_string(*s.value) + at(s.range));
    for (const Probe& p : n.probes) {
      std::string s = p.spikes ? "probe spikes of " + to_string(*p.target) : "probe " + to_string(*p.target);
      if (p.unit) s += " as " + p.unit->text;
      if (p.every) s += " every " + to_string(*p.every);
      line(2, s + at(p.range));
    }
  }
};

}  // namespace

std::string dump(const Module& m, const SourceFiles& files) {
  Dumper d;
  d.line(0, "module " + (m.file ? files.get(m.file).name : std::string("?")));
  for (const Import& i : m.imports) d.line(1, "import " + i.path + at(i.range));
  for (const Model& model : m.models) d.model(model);
  for (const Network& n : m.networks) d.network(n);
  for (const Run& r : m.runs) {
    d.line(1, "run " + r.network.name + at(r.range));
    d.bindings(2, r.settings);
  }
  return d.out;
}

}  // namespace axon::ast
