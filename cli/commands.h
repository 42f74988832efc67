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
  std::string after;  // --emit=ir: the pass after which to print
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
  std::string command_line;  // as typed, for /axon/command_line
  std::string max_memory;    // e.g. "2 GiB", "500 MB"; "" = no limit
};

struct CompareOptions {
  std::string run_file;
  std::string ref_file;
  double rtol = 1e-6;
  std::vector<std::string> atol;  // "A" (in each reference unit) or "NAME=QUANTITY"
  std::string spike_tol;          // a time with its unit; "" = half the reference's dt
  std::vector<std::string> map;   // "OURS=THEIRS"
  std::string population;
};

int run_check(const CheckOptions& options);
int run_build(const BuildOptions& options);
// --emit=ir / --emit=llvm: lower the checked program and print it.
int emit_backend(const BuildOptions& options, FrontendResult& checked);
// nullptr when this build has no engine (the run command is then absent).
CLI::App* add_run_command(CLI::App& app, RunOptions& options);
int run_run(const RunOptions& options);
// Exit 0 when every comparison passes, 1 when one fails (kExitModel), 2 on bad options,
// 3 when a file cannot be read or nothing in it is comparable.
CLI::App* add_compare_command(CLI::App& app, CompareOptions& options);
int run_compare(const CompareOptions& options);

}  // namespace axon::cli
