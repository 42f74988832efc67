#include "compiler/ir/ir.h"

#include <cmath>
#include <sstream>

#include "compiler/builtins/functions.h"
#include "compiler/ir/walk.h"

namespace axon::ir {

const char* to_string(Method m) {
  switch (m) {
    case Method::Exact: return "exact";
    case Method::Euler: return "euler";
    case Method::RK2: return "rk2";
    case Method::RK4: return "rk4";
    case Method::ExponentialEuler: return "exponential_euler";
    case Method::EulerMaruyama: return "euler_maruyama";
    case Method::Update: return "update";
  }
  return "?";
}

int Population::find(const std::string& n) const {
  for (size_t i = 0; i < vars.size(); ++i)
    if (vars[i].name == n) return static_cast<int>(i);
  return -1;
}

int Network::find(const std::string& n) const {
  for (size_t i = 0; i < populations.size(); ++i)
    if (populations[i].name == n) return static_cast<int>(i);
  return -1;
}

namespace {

std::string num(double v) {
  for (int p = 6; p <= 17; ++p) {
    std::ostringstream os;
    os.precision(p);
    os << v;
    if (std::stod(os.str()) == v) return os.str();
  }
  return std::to_string(v);
}

const char* op_text(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::Pow: return "^";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::And: return "and";
    case Op::Or: return "or";
    default: return "?";
  }
}

}  // namespace

std::string to_string(const Expr& e, const Population* pop) {
  return to_string(e, [pop](VarRef r) -> std::string {
    const int v = r.var;
    if (r.space == Space::Own && pop && v >= 0 && v < static_cast<int>(pop->vars.size())) return pop->vars[v].name;
    return "$" + std::to_string(v);
  });
}

std::string to_string(const Expr& e, const std::function<std::string(VarRef)>& name) {
  switch (e.op) {
    case Op::Const: return num(e.value);
    case Op::Var:
      switch (e.space) {
        case Space::Index: return "i";
        case Space::PostIndex: return "j";
        case Space::Noise: return e.var == 0 ? "xi" : "xi#" + std::to_string(e.var);
        default: return name(e.ref());
      }
    case Op::Time: return "t";
    case Op::Dt: return "dt";
    case Op::Neg: return "(-" + to_string(e.args[0], name) + ")";
    case Op::Not: return "(not " + to_string(e.args[0], name) + ")";
    case Op::Rand: return "rand#" + num(e.value);
    case Op::Randn: return "randn#" + num(e.value);
    case Op::Select:
      return "(" + to_string(e.args[0], name) + " ? " + to_string(e.args[1], name) + " : " +
             to_string(e.args[2], name) + ")";
    case Op::Text: return "\"" + e.text + "\"";
    case Op::Draw:
    case Op::Call: {
      std::string s = std::string(builtins::info(e.fn).name) + "(";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + to_string(e.args[i], name);
      return s + ")";
    }
    default: return "(" + to_string(e.args[0], name) + " " + op_text(e.op) + " " + to_string(e.args[1], name) + ")";
  }
}

std::string dump(const Network& net) {
  std::ostringstream os;
  os << "network " << net.name << "\n";
  for (const Population& p : net.populations) {
    os << "  population " << p.name << " : " << p.model << "[" << p.size << "]\n";
    if (p.spike_source) {
      os << "    spike source: " << p.source_times.size() << " spike times\n";
      continue;
    }
    for (const Var& v : p.vars) {
      const char* kind = v.kind == VarKind::Parameter ? (v.per_element ? "parameter[per neuron]" : "parameter")
                         : v.kind == VarKind::State   ? "state"
                         : v.kind == VarKind::Input   ? "input"
                         : v.kind == VarKind::Local   ? "local"
                                                      : "output";
      os << "    " << kind << " " << v.name << " : " << units::format_dimension(v.dim) << "\n";
    }
    os << "    integrator: " << to_string(p.method);
    if (!p.method_reason.empty()) os << " (" << p.method_reason << ")";
    os << "\n";
    for (const auto& [v, rhs] : p.derivatives) {
      os << "      " << p.vars[v].name << "' = " << to_string(rhs, &p);
      for (const NoiseTerm& n : p.noise)
        if (n.state == v) os << " + " << to_string(n.g, &p) << " * xi [randn#" << n.draw << "]";
      os << "\n";
    }
    for (const ConditionallyLinear& c : p.exp_euler)
      os << "      " << p.vars[c.state].name << "' = a * " << p.vars[c.state].name << " + b, a = " << to_string(c.a, &p)
         << ", b = " << to_string(c.b, &p) << "\n";
    if (p.linear) {
      const LinearSystem& L = *p.linear;
      os << "      linear system over [";
      for (size_t i = 0; i < L.states.size(); ++i) os << (i ? ", " : "") << p.vars[L.states[i]].name;
      os << "], inputs [";
      for (size_t i = 0; i < L.inputs.size(); ++i) os << (i ? ", " : "") << p.vars[L.inputs[i]].name;
      os << "]\n";
      for (size_t i = 0; i < L.states.size(); ++i) {
        os << "        d" << p.vars[L.states[i]].name << " = ";
        bool first = true;
        for (size_t j = 0; j < L.states.size(); ++j) {
          if (L.A[i][j].is_const() && L.A[i][j].value == 0) continue;
          os << (first ? "" : " + ") << to_string(L.A[i][j], &p) << " * " << p.vars[L.states[j]].name;
          first = false;
        }
        for (size_t j = 0; j < L.inputs.size(); ++j) {
          if (L.B[i][j].is_const() && L.B[i][j].value == 0) continue;
          os << (first ? "" : " + ") << to_string(L.B[i][j], &p) << " * " << p.vars[L.inputs[j]].name;
          first = false;
        }
        if (!(L.c[i].is_const() && L.c[i].value == 0) || first) os << (first ? "" : " + ") << to_string(L.c[i], &p);
        os << "\n";
      }
    }
    for (const Assign& a : p.update) os << "      " << p.vars[a.var].name << " <- " << to_string(a.value, &p) << "\n";
    if (p.threshold) os << "    threshold: " << to_string(*p.threshold, &p) << "\n";
    for (const Assign& a : p.reset)
      os << "    reset: " << p.vars[a.var].name << " <- " << to_string(a.value, &p) << "\n";
    if (p.refractory) {
      os << "    refractory: " << to_string(*p.refractory, &p) << " clamps";
      for (int v : p.clamped) os << " " << p.vars[v].name;
      os << "\n";
    }
  }
  for (const Projection& pr : net.projections) {
    const Population& post = net.populations[net.find(pr.target)];
    os << "  projection " << pr.name << ": " << pr.source << "[" << pr.pre_begin << ":" << pr.pre_end << "] -> "
       << pr.target << "[" << pr.post_begin << ":" << pr.post_end << "]."
       << (pr.target_var >= 0 ? post.vars[pr.target_var].name : "?") << "\n";
    auto name = [&](VarRef r) {
      if (r.space == Space::Pre) return "pre." + net.populations[net.find(pr.source)].vars[r.var].name;
      if (r.space == Space::Post) return "post." + post.vars[r.var].name;
      return pr.synapse_vars[r.var].name;
    };
    std::function<std::string(VarRef)> names(name);
    for (const Projection::EventDriven& e : pr.event_driven)
      os << "    event driven: " << name({Space::Own, e.var}) << "' = " << to_string(e.a, names) << " + ("
         << to_string(e.b, names) << ") * " << name({Space::Own, e.var}) << "\n";
    for (const Assign& a : pr.on_pre)
      os << "    on pre: " << name(a.ref()) << " <- " << to_string(a.value, names) << "\n";
    for (const Assign& a : pr.on_post)
      os << "    on post: " << name(a.ref()) << " <- " << to_string(a.value, names) << "\n";
    for (const Assign& a : pr.update)
      os << "    update: " << name(a.ref()) << " <- " << to_string(a.value, names) << "\n";
  }
  for (const Probe& p : net.probes) {
    if (p.projection >= 0) {
      const Projection& pr = net.projections[p.projection];
      os << "  probe " << pr.name << "." << pr.synapse_vars[p.syn_var].name << " (every synapse)";
      if (p.every > 0) os << " every " << p.every * 1e3 << " ms";
      os << "\n";
      continue;
    }
    const Population& pop = net.populations[net.find(p.population)];
    os << "  probe "
       << (p.spikes ? "spikes of "
           : p.rate ? "rate of "
                    : "")
       << p.population << "[" << p.begin << ":" << p.end << "]";
    if (!p.spikes && !p.rate) os << "." << pop.vars[p.var].name << " in " << p.unit;
    if (p.every > 0) os << " every " << p.every * 1e3 << " ms";
    if (p.from > 0 || p.to >= 0)
      os << " from " << p.from * 1e3 << " ms" << (p.to >= 0 ? " to " + num(p.to * 1e3) + " ms" : "");
    os << "\n";
  }
  return os.str();
}

bool has_draw(const Expr& e) {
  return any_of(e, [](const Expr& x) { return x.op == Op::Draw; });
}

bool reads_indices(const Expr& e) {
  return any_of(
      e, [](const Expr& x) { return x.op == Op::Var && (x.space == Space::Index || x.space == Space::PostIndex); });
}

std::optional<double> constant_value(const Expr& e) {
  std::vector<double> a;
  for (const Expr& x : e.args) {
    auto v = constant_value(x);
    if (!v) return std::nullopt;
    a.push_back(*v);
  }
  switch (e.op) {
    case Op::Const: return e.value;
    case Op::Add: return a[0] + a[1];
    case Op::Sub: return a[0] - a[1];
    case Op::Mul: return a[0] * a[1];
    case Op::Div: return a[0] / a[1];
    case Op::Mod: return std::fmod(a[0], a[1]);
    case Op::Neg: return -a[0];
    case Op::Pow: return std::pow(a[0], a[1]);
    case Op::Lt: return double(a[0] < a[1]);
    case Op::Le: return double(a[0] <= a[1]);
    case Op::Gt: return double(a[0] > a[1]);
    case Op::Ge: return double(a[0] >= a[1]);
    case Op::Eq: return double(a[0] == a[1]);
    case Op::Ne: return double(a[0] != a[1]);
    case Op::And: return double(a[0] != 0 && a[1] != 0);
    case Op::Or: return double(a[0] != 0 || a[1] != 0);
    case Op::Not: return a[0] == 0 ? 1.0 : 0.0;
    case Op::Select: return a[0] != 0 ? a[1] : a[2];
    case Op::Call: return builtins::apply(e.fn, a);
    default: return std::nullopt;
  }
}

}  // namespace axon::ir
