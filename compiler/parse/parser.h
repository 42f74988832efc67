// Parsing: the text of one .axon file to an ast::Module. The only component that sees
// ANTLR types; syntax errors become E001 diagnostics that name the expected tokens in words.
#pragma once

#include <optional>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace axon {

// Returns nullopt when the file has syntax errors (all of them are reported).
std::optional<ast::Module> parse_module(uint32_t file, const SourceFiles& files, Diagnostics& diags);

}  // namespace axon
