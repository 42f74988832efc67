#include <iostream>

#include "cli/commands.h"
#include "compiler/ast/print.h"
#include "compiler/driver/frontend.h"

namespace axon::cli {

namespace {

// Refuses missing input files up front: that is an I/O error (3), not a model error.
bool files_readable(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    FILE* fp = std::fopen(f.c_str(), "rb");
    if (fp == nullptr) {
      std::cerr << "axon: error: cannot read '" << f << "'\n";
      return false;
    }
    std::fclose(fp);
  }
  return true;
}

}  // namespace

int run_check(const CheckOptions& options) {
  if (!files_readable(options.files)) return kExitRuntime;
  int status = kExitOk;
  for (const std::string& file : options.files) {
    FrontendResult r;
    run_frontend({file}, r);
    std::cerr << render_all(r.diags, r.program.files);
    if (!r.ok) {
      std::cout << file << ": " << r.diags.error_count() << " error" << (r.diags.error_count() == 1 ? "" : "s") << "\n";
      status = kExitModel;
      continue;
    }
    size_t models = 0, networks = 0, neurons = 0, projections = 0, probes = 0;
    for (uint32_t f : r.program.user_files) {
      for (const ast::Module& m : r.program.modules) {
        if (m.file != f) continue;
        models += m.models.size();
        networks += m.networks.size();
        for (const ast::Network& n : m.networks) {
          for (const ast::Population& p : n.populations) neurons += p.n;
          projections += n.projections.size();
          probes += n.probes.size();
        }
      }
    }
    std::cout << file << ": ok (" << models << " model" << (models == 1 ? "" : "s") << ", " << networks << " network"
              << (networks == 1 ? "" : "s");
    if (networks > 0)
      std::cout << ": " << neurons << " neurons, " << projections << " projection" << (projections == 1 ? "" : "s")
                << ", " << probes << " probe" << (probes == 1 ? "" : "s");
    std::cout << ")\n";
  }
  return status;
}

int run_build(const BuildOptions& options) {
  if (!files_readable({options.file})) return kExitRuntime;
  FrontendResult r;
  run_frontend({options.file}, r);
  std::cerr << render_all(r.diags, r.program.files);
  if (options.emit == "ast") {
    // The AST is printed even for a file with semantic errors: it helps to see it.
    bool any = false;
    for (const ast::Module& m : r.program.modules) {
      if (m.file != r.program.user_files.front()) continue;
      std::cout << ast::dump(m, r.program.files);
      any = true;
    }
    if (!any) return kExitModel;
    return r.ok ? kExitOk : kExitModel;
  }
  if (!r.ok) return kExitModel;
  return emit_backend(options, r);
}

}  // namespace axon::cli
