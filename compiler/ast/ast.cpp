#include "compiler/ast/ast.h"

namespace axon::ast {

namespace {

struct OperatorText {
  Operator op;
  const char* text;
  bool unary;
};

const OperatorText kOperators[] = {
    {Operator::Add, "+", false},   {Operator::Sub, "-", false},  {Operator::Mul, "*", false},
    {Operator::Div, "/", false},   {Operator::Mod, "%", false},  {Operator::Pow, "^", false},
    {Operator::Lt, "<", false},    {Operator::Le, "<=", false},  {Operator::Gt, ">", false},
    {Operator::Ge, ">=", false},   {Operator::Eq, "==", false},  {Operator::Ne, "!=", false},
    {Operator::And, "and", false}, {Operator::Or, "or", false},  {Operator::Neg, "-", true},
    {Operator::Plus, "+", true},   {Operator::Not, "not", true},
};

const char* const kAssignText[] = {"=", "+=", "-=", "*=", "/="};

std::optional<Operator> find_operator(const std::string& t, bool unary) {
  for (const OperatorText& o : kOperators)
    if (o.unary == unary && t == o.text) return o.op;
  return std::nullopt;
}

}  // namespace

const char* text(Operator op) {
  for (const OperatorText& o : kOperators)
    if (o.op == op) return o.text;
  return "?";
}

const char* text(AssignOp op) { return kAssignText[static_cast<int>(op)]; }

std::optional<Operator> binary_operator(const std::string& t) { return find_operator(t, false); }
std::optional<Operator> unary_operator(const std::string& t) { return find_operator(t, true); }

std::optional<AssignOp> assign_operator(const std::string& t) {
  for (int k = 0; k < 5; ++k)
    if (t == kAssignText[k]) return static_cast<AssignOp>(k);
  return std::nullopt;
}

ExprPtr clone(const Expr& e) {
  auto c = std::make_unique<Expr>();
  c->kind = e.kind;
  c->range = e.range;
  c->number = e.number;
  c->unit_text = e.unit_text;
  c->name = e.name;
  c->op = e.op;
  c->is_slice = e.is_slice;
  c->arg_names = e.arg_names;
  c->symbol = e.symbol;
  c->dim = e.dim;
  c->is_bool = e.is_bool;
  c->value_si = e.value_si;
  for (const ExprPtr& a : e.args) c->args.push_back(a ? clone(*a) : nullptr);
  return c;
}

const Declaration* Model::find(const std::string& n) const {
  for (const Declaration& d : decls)
    if (d.name == n) return &d;
  return nullptr;
}

Declaration* Model::find(const std::string& n) {
  for (Declaration& d : decls)
    if (d.name == n) return &d;
  return nullptr;
}

const char* to_string(ModelKind k) {
  switch (k) {
    case ModelKind::Neuron: return "neuron";
    case ModelKind::Receptor: return "receptor";
    case ModelKind::Synapse: return "synapse";
  }
  return "?";
}

const char* to_string(DeclKind k) {
  switch (k) {
    case DeclKind::Parameter: return "parameter";
    case DeclKind::State: return "state";
    case DeclKind::Input: return "input";
    case DeclKind::Let: return "let";
    case DeclKind::Output: return "output";
  }
  return "?";
}

}  // namespace axon::ast
