// Allowed: one model or network per name across the program and its imports; one
// member per name inside a model. Not allowed: `neuron A {...}` twice (E011), or
// `parameter tau` and `state tau` in one model (E011). Each error notes the first.
#include <map>

#include "compiler/sema/sema.h"

namespace axon::sema {

namespace {

// What a name was first used for: "neuron", "parameter", "population", ...
struct FirstUse {
  SourceRange range;
  std::string what;
};

std::string with_article(const std::string& what) {
  bool vowel = !what.empty() && std::string("aeiou").find(what[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + what;
}

// "state 'v' is defined twice", or, when the first use was another kind of thing,
// "state 'tau' has the same name as a parameter".
void duplicate(Diagnostics& diags, const std::string& what, const std::string& name, const SourceRange& here,
               const FirstUse& first) {
  if (what == first.what) {
    Diagnostic& d = diags.error("E011", here, what + " '" + name + "' is defined twice");
    d.notes.push_back({first.range, "first defined here"});
    return;
  }
  Diagnostic& d = diags.error("E011", here, what + " '" + name + "' has the same name as " + with_article(first.what));
  d.notes.push_back({first.range, "the " + first.what + " is defined here"});
}

// Records the first use of `name`; reports a duplicate and returns false for the others.
bool first_use(std::map<std::string, FirstUse>& seen, Diagnostics& diags, const std::string& what,
               const std::string& name, const SourceRange& here) {
  auto [it, fresh] = seen.emplace(name, FirstUse{here, what});
  if (!fresh) duplicate(diags, what, name, here, it->second);
  return fresh;
}

}  // namespace

void check_declarations(Program& program, Diagnostics& diags) {
  std::map<std::string, FirstUse> seen;
  for (ast::Module& m : program.modules) {
    for (ast::Model& model : m.models)
      if (first_use(seen, diags, ast::to_string(model.kind), model.name, model.range))
        program.models[model.name] = &model;
    for (ast::Network& net : m.networks)
      if (first_use(seen, diags, "network", net.name, net.range)) program.networks[net.name] = &net;
  }
  for (ast::Module& m : program.modules) {
    for (ast::Model& model : m.models) {
      std::map<std::string, FirstUse> members;
      for (ast::Declaration& d : model.decls) first_use(members, diags, ast::to_string(d.kind), d.name, d.range);
    }
    for (ast::Network& net : m.networks) {
      std::map<std::string, FirstUse> names;
      auto add = [&](const std::string& n, const SourceRange& r, const char* what) {
        if (!n.empty()) first_use(names, diags, what, n, r);
      };
      for (ast::Population& p : net.populations) add(p.name, p.range, "population");
      for (ast::NetworkLet& l : net.lets) add(l.name, l.range, "let");
      for (ast::Projection& p : net.projections) add(p.name, p.range, "projection");
      for (ast::Node& n : net.nodes) add(n.name, n.range, "node");
    }
  }
}

}  // namespace axon::sema
