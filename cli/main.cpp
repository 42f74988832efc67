// The `axon` command: check, build and run model files.
// Exit codes: 0 ok, 1 model error, 2 usage error, 3 runtime or I/O error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"axon: compile and run spiking neural network models"};
  app.set_version_flag("--version", std::string("axon ") + AXON_VERSION);
  app.require_subcommand(1);

  axon::cli::CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "Parse and check model files; print a summary");
  check_cmd->add_option("files", check.files, "Model files (.axon)")->required();

  axon::cli::BuildOptions build;
  CLI::App* build_cmd = app.add_subcommand("build", "Compile a model and print one stage of it");
  build_cmd->add_option("file", build.file, "Model file (.axon)")->required();
  build_cmd->add_option("--emit", build.emit, "What to print: ast, ir or llvm")
      ->check(CLI::IsMember({"ast", "ir", "llvm"}))
      ->default_val("ast");
  build_cmd->add_option("--network", build.network, "Network to build (default: the run block's)");
  build_cmd->add_option("--after", build.after, "With --emit=ir: the IR after this pass (lower, set, classify)")
      ->check(CLI::IsMember({"lower", "set", "classify"}));

  axon::cli::RunOptions run;
  CLI::App* run_cmd = axon::cli::add_run_command(app, run);

  axon::cli::CompareOptions compare;
  CLI::App* compare_cmd = axon::cli::add_compare_command(app, compare);

  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    bool quote = arg.find_first_of(" '\"") != std::string::npos;
    run.command_line += (i ? " " : "") + (quote ? "'" + arg + "'" : arg);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : axon::cli::kExitUsage;
  }
  try {
    if (*check_cmd) return axon::cli::run_check(check);
    if (*build_cmd) return axon::cli::run_build(build);
    if (run_cmd && *run_cmd) return axon::cli::run_run(run);
    if (*compare_cmd) return axon::cli::run_compare(compare);
  } catch (const std::exception& e) {
    std::cerr << "axon: error: " << e.what() << "\n";
    return axon::cli::kExitRuntime;
  }
  return axon::cli::kExitUsage;
}
