// A program: the files named by the user plus everything they import, parsed, with
// the tables that later passes look names up in. Built by load_program().
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace axon::sema {

struct Program {
  SourceFiles files;
  std::deque<ast::Module> modules;            // deque: pointers into it stay valid
  std::vector<uint32_t> user_files;           // the files named on the command line
  std::map<std::string, ast::Model*> models;  // filled by check_declarations
  std::map<std::string, ast::Network*> networks;

  const ast::Model* model(const std::string& name) const;
  const ast::Network* network(const std::string& name) const;
};

struct LoadOptions {
  // Directories searched for `import a.b` (as a/b.axon) after the importing file's own
  // directory: AXON_PATH entries, then the installed stdlib.
  std::vector<std::string> search_path;
};

// The default search path: $AXON_PATH (colon separated), then the stdlib directory.
LoadOptions default_load_options();

// Reads and parses `paths` and, transitively, their imports. A user file that cannot
// be read throws std::runtime_error (an I/O error, not a model error); syntax errors
// and unknown imports are diagnostics. Returns false when anything failed to parse.
bool load_program(const std::vector<std::string>& paths, const LoadOptions& options, Program& program,
                  Diagnostics& diags);

// Parses `text` as a file named `name` (used by tests and `--set`), with imports.
bool load_program_text(const std::string& name, const std::string& text, const LoadOptions& options, Program& program,
                       Diagnostics& diags);

}  // namespace axon::sema
