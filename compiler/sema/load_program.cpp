#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "compiler/parse/parser.h"
#include "compiler/sema/prelude.h"
#include "compiler/sema/program.h"

#ifndef AXON_STDLIB_DIR
#define AXON_STDLIB_DIR ""
#endif

namespace axon::sema {

namespace fs = std::filesystem;

const ast::Model* Program::model(const std::string& name) const {
  auto it = models.find(name);
  return it == models.end() ? nullptr : it->second;
}

const ast::Network* Program::network(const std::string& name) const {
  auto it = networks.find(name);
  return it == networks.end() ? nullptr : it->second;
}

LoadOptions default_load_options() {
  LoadOptions o;
  if (const char* env = std::getenv("AXON_PATH")) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':'))
      if (!dir.empty()) o.search_path.push_back(dir);
  }
  if (std::string(AXON_STDLIB_DIR).size() > 0) o.search_path.push_back(AXON_STDLIB_DIR);
  return o;
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + path + "': no such file or not readable");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Loader {
 public:
  Loader(const LoadOptions& options, Program& program, Diagnostics& diags)
      : options_(options), program_(program), diags_(diags) {}

  bool add(const std::string& name, std::string text, bool user) {
    uint32_t id = program_.files.add(name, std::move(text));
    if (user) program_.user_files.push_back(id);
    loaded_[canonical(name)] = id;
    auto module = parse_module(id, program_.files, diags_);
    if (!module) return false;
    program_.modules.push_back(std::move(*module));
    // Copy the imports: the deque may grow while they are resolved.
    std::vector<ast::Import> imports = program_.modules.back().imports;
    bool ok = true;
    for (const ast::Import& imp : imports) ok = resolve(imp, name) && ok;
    return ok;
  }

 private:
  const LoadOptions& options_;
  Program& program_;
  Diagnostics& diags_;
  std::map<std::string, uint32_t> loaded_;

  static std::string canonical(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    return ec ? path : p.string();
  }

  bool resolve(const ast::Import& imp, const std::string& from) {
    std::string rel = imp.path;
    for (char& c : rel)
      if (c == '.') c = '/';
    rel += ".axon";
    std::vector<std::string> dirs;
    dirs.push_back(fs::path(from).parent_path().string());
    for (const std::string& d : options_.search_path) dirs.push_back(d);
    for (const std::string& dir : dirs) {
      fs::path candidate = dir.empty() ? fs::path(rel) : fs::path(dir) / rel;
      std::error_code ec;
      if (!fs::is_regular_file(candidate, ec)) continue;
      std::string key = canonical(candidate.string());
      if (loaded_.count(key)) return true;  // imported already (cycles are harmless)
      return add(candidate.string(), read_file(candidate.string()), false);
    }
    Diagnostic& d = diags_.error("E002", imp.range, "cannot find module '" + imp.path + "'");
    std::string where;
    for (const std::string& dir : dirs) where += (where.empty() ? "" : ", ") + (dir.empty() ? "." : dir);
    d.hint = "looked for " + rel + " in: " + where;
    return false;
  }
};

}  // namespace

bool load_program(const std::vector<std::string>& paths, const LoadOptions& options, Program& program,
                  Diagnostics& diags) {
  Loader loader(options, program, diags);
  bool ok = loader.add(kPreludeName, kPreludeText, false);
  for (const std::string& p : paths) ok = loader.add(p, read_file(p), true) && ok;
  return ok;
}

bool load_program_text(const std::string& name, const std::string& text, const LoadOptions& options, Program& program,
                       Diagnostics& diags) {
  Loader loader(options, program, diags);
  bool ok = loader.add(kPreludeName, kPreludeText, false);
  return loader.add(name, text, true) && ok;
}

}  // namespace axon::sema
