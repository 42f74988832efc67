// The subcommands of the `axon` command line, one function each.
// Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace axon {
struct FrontendResult;
}

namespace axon::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitModel = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRuntime = 3;

struct CheckOptions {
  std::vector<std::string> files;
};

struct BuildOptions {
  std::string file;
  std::string emit = "ast";
  std::string network;
};

struct RunOptions {
  std::string file;
  std::string output;
  std::string network;
  std::string duration;
  std::string dt;
  long long seed = -1;
  std::vector<std::string> set;
  int threads = 0;
  bool quiet = false;
  bool float32 = false;
};

int run_check(const CheckOptions& options);
int run_build(const BuildOptions& options);
// --emit=ir / --emit=llvm: lower the checked program and print it.
int emit_backend(const BuildOptions& options, FrontendResult& checked);
// nullptr when this build has no engine (the run command is then absent).
CLI::App* add_run_command(CLI::App& app, RunOptions& options);
int run_run(const RunOptions& options);

}  // namespace axon::cli
