#include "compiler/ast/ast.h"

namespace axon::ast {

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
