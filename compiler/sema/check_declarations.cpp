// Allowed: one model or network per name across the program and its imports; one
// member per name inside a model. Not allowed: `neuron A {...}` twice (E011), or
// `parameter tau` and `state tau` in one model (E011). Each error notes the first.
#include <map>

#include "compiler/sema/sema.h"

namespace axon::sema {

namespace {

void duplicate(Diagnostics& diags, const std::string& what, const std::string& name,
               const SourceRange& here, const SourceRange& first) {
  Diagnostic& d = diags.error("E011", here, what + " '" + name + "' is defined twice");
  d.notes.push_back({first, "first defined here"});
}

}  // namespace

void check_declarations(Program& program, Diagnostics& diags) {
  std::map<std::string, SourceRange> seen;
  for (ast::Module& m : program.modules) {
    for (ast::Model& model : m.models) {
      auto [it, fresh] = seen.emplace(model.name, model.range);
      if (!fresh) {
        duplicate(diags, "model", model.name, model.range, it->second);
        continue;
      }
      program.models[model.name] = &model;
    }
    for (ast::Network& net : m.networks) {
      auto [it, fresh] = seen.emplace(net.name, net.range);
      if (!fresh) {
        duplicate(diags, "network", net.name, net.range, it->second);
        continue;
      }
      program.networks[net.name] = &net;
    }
  }
  for (ast::Module& m : program.modules) {
    for (ast::Model& model : m.models) {
      std::map<std::string, SourceRange> members;
      for (ast::Declaration& d : model.decls) {
        auto [it, fresh] = members.emplace(d.name, d.range);
        if (!fresh) duplicate(diags, ast::to_string(d.kind), d.name, d.range, it->second);
      }
    }
    for (ast::Network& net : m.networks) {
      std::map<std::string, SourceRange> names;
      auto add = [&](const std::string& n, const SourceRange& r, const char* what) {
        if (n.empty()) return;
        auto [it, fresh] = names.emplace(n, r);
        if (!fresh) duplicate(diags, what, n, r, it->second);
      };
      for (ast::Population& p : net.populations) add(p.name, p.range, "population");
      for (ast::NetworkLet& l : net.lets) add(l.name, l.range, "name");
      for (ast::Projection& p : net.projections) add(p.name, p.range, "projection");
    }
  }
}

}  // namespace axon::sema
