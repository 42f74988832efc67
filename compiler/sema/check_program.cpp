#include "compiler/sema/sema.h"

namespace axon::sema {

bool check_program(Program& program, Diagnostics& diags) {
  check_declarations(program, diags);
  for (ast::Module& m : program.modules)
    for (ast::Model& model : m.models) check_model(model, diags);
  for (ast::Module& m : program.modules)
    for (ast::Network& n : m.networks) check_network(n, program, diags);
  check_runs(program, diags);
  return !diags.has_errors();
}

}  // namespace axon::sema
