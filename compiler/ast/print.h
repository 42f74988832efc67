// Text forms of the AST: expressions as fully parenthesised infix (for IR dumps and
// messages) and the whole module as an indented tree with locations (`--emit=ast`).
#pragma once

#include <string>

#include "compiler/ast/ast.h"

namespace axon::ast {

std::string to_string(const Expr& e);
std::string dump(const Module& m, const SourceFiles& files);

}  // namespace axon::ast
