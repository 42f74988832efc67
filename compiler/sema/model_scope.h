// The scopes of a model's expressions: its declarations, t and dt, locals of `let`
// statements, and what `pre.x` / `post.x` mean (generic until a network binds them).
#pragma once

#include <functional>
#include <map>

#include "compiler/sema/check_expr.h"

namespace axon::sema {

using PrefixedResolver =
    std::function<std::optional<Symbol>(const std::string& prefix, const std::string& name, std::string& why)>;

class ModelScope : public Scope {
 public:
  explicit ModelScope(const ast::Model& model) : model_(model) {}

  std::optional<Symbol> lookup(const std::string& name) const override;
  std::optional<Symbol> lookup_prefixed(const std::string& prefix, const std::string& name,
                                        std::string& why) const override;
  void candidates(std::vector<std::string>& out) const override;

  // White noise `xi` (dimension s^-1/2) is only meaningful on an ODE's right side.
  bool allow_noise = false;
  // Set where a network instantiates the model and knows the pre/post neurons.
  PrefixedResolver resolver;

 private:
  const ast::Model& model_;
};

// A block's `let` locals, in front of its parent scope.
class BlockScope : public Scope {
 public:
  explicit BlockScope(const Scope& parent) : parent_(parent) {}
  std::optional<Symbol> lookup(const std::string& name) const override;
  std::optional<Symbol> lookup_prefixed(const std::string& prefix, const std::string& name,
                                        std::string& why) const override {
    return parent_.lookup_prefixed(prefix, name, why);
  }
  void candidates(std::vector<std::string>& out) const override;
  void define(const std::string& name, Symbol s) { locals_[name] = s; }

 private:
  const Scope& parent_;
  std::map<std::string, Symbol> locals_;
};

ast::SymbolKind symbol_kind(ast::DeclKind k);
// "a parameter", "an input": the kind of a declaration with its article, for messages.
std::string a_kind(ast::DeclKind k);
Ty decl_type(const ast::Declaration& d);

// Checks statements of an event block or update block. `assignable` says whether a
// name may be written here, and explains why not in *why*.
using AssignRule = std::function<bool(const ast::Declaration& d, std::string& why)>;
void check_block(std::vector<ast::Stmt>& body, const Scope& scope, const ast::Model& model,
                 const AssignRule& assignable, Diagnostics& diags);

}  // namespace axon::sema
