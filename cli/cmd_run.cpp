#include <unistd.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/pipeline.h"
#include "compiler/driver/frontend.h"
#include "compiler/units/unit.h"

namespace axon::cli {

namespace {

std::atomic<bool> g_stop{false};

void on_sigint(int) { g_stop.store(true); }

// A time from the command line, with its unit: "1 s", "200ms", "0.1 ms".
std::optional<double> parse_time(const std::string& text, const std::string& option) {
  units::QuantityParseResult q = units::parse_quantity(text);
  if (!q.value_si || q.dim != units::dims::time()) {
    std::cerr << "axon: error: " << option << " takes a time with its unit, e.g. '1 s' or '0.1 ms', not '" << text
              << "'\n";
    return std::nullopt;
  }
  return *q.value_si;
}

// "4 GiB", "500 MB", "2G", "1e9" (bytes).
std::optional<double> parse_bytes(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || v <= 0) return std::nullopt;
  std::string unit(end);
  unit.erase(0, unit.find_first_not_of(' '));
  static const std::pair<const char*, double> units[] = {{"", 1},
                                                         {"B", 1},
                                                         {"k", 1e3},
                                                         {"kB", 1e3},
                                                         {"KiB", 1024.0},
                                                         {"M", 1e6},
                                                         {"MB", 1e6},
                                                         {"MiB", 1048576.0},
                                                         {"G", 1e9},
                                                         {"GB", 1e9},
                                                         {"GiB", 1073741824.0},
                                                         {"T", 1e12},
                                                         {"TB", 1e12},
                                                         {"TiB", 1099511627776.0}};
  for (const auto& [name, factor] : units)
    if (unit == name) return v * factor;
  return std::nullopt;
}

struct Progress {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double dt = 0;
};
Progress g_progress;

void show_progress(int64_t done, int64_t total, void*) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - g_progress.start).count();
  if (elapsed < 0.5) return;
  double rate = done / elapsed;
  double eta = rate > 0 ? (total - done) / rate : 0;
  std::fprintf(stderr, "\r  %.3f s of %.3f s simulated, %.0f steps/s, ETA %.1f s   ", done * g_progress.dt,
               total * g_progress.dt, rate, eta);
  std::fflush(stderr);
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& o) {
  CLI::App* cmd = app.add_subcommand("run", "Compile a model, simulate it, write spikes and probes to HDF5");
  cmd->add_option("file", o.file, "Model file (.axon)")->required();
  cmd->add_option("-o,--output", o.output, "Output HDF5 file")->required();
  cmd->add_option("--network", o.network, "Network to run (default: the run block's)");
  cmd->add_option("--duration", o.duration, "Biological time to simulate, with unit (e.g. '1 s')");
  cmd->add_option("--dt", o.dt, "Time step, with unit (e.g. '0.1 ms')");
  cmd->add_option("--seed", o.seed, "Random seed (default: the run block's, else 0)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--set", o.set, "Set a parameter or initial state: POP.NAME=VALUE (e.g. 'P.tau_m=10 ms')");
  cmd->add_option(
         "--threads", o.threads,
         "Threads (default: all cores for large networks, one per ~16k neurons); results are identical for any count")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-memory", o.max_memory,
                  "Refuse to build a network planned to need more memory than this (e.g. '4 GiB', '500 MB')");
  cmd->add_flag("--float32", o.float32, "Write probed traces as float32");
  cmd->add_flag("-q,--quiet", o.quiet, "No summary or progress output");
  return cmd;
}

int run_run(const RunOptions& o) {
  FILE* fp = std::fopen(o.file.c_str(), "rb");
  if (fp == nullptr) {
    std::cerr << "axon: error: cannot read '" << o.file << "'\n";
    return kExitRuntime;
  }
  std::fclose(fp);
  engine::RunRequest req;
  req.network = o.network;
  req.output = o.output;
  req.sets = o.set;
  req.float32_reports = o.float32;
  req.threads = o.threads;
  if (!o.duration.empty() && !(req.duration = parse_time(o.duration, "--duration"))) return kExitUsage;
  if (!o.dt.empty() && !(req.dt = parse_time(o.dt, "--dt"))) return kExitUsage;
  if (req.dt && *req.dt <= 0) {
    std::cerr << "axon: error: --dt must be positive\n";
    return kExitUsage;
  }
  if (o.seed >= 0) req.seed = static_cast<uint64_t>(o.seed);
  if (!o.max_memory.empty()) {
    auto bytes = parse_bytes(o.max_memory);
    if (!bytes) {
      std::cerr << "axon: error: --max-memory takes a size like '4 GiB', '500 MB' or '1e9', not '" << o.max_memory
                << "'\n";
      return kExitUsage;
    }
    req.max_memory_bytes = *bytes;
  }
  req.command_line = o.command_line;

  FrontendResult fr;
  run_frontend({o.file}, fr);
  std::cerr << render_all(fr.diags, fr.program.files);
  if (!fr.ok) return kExitModel;
  req.parse_seconds = fr.parse_seconds;
  req.check_seconds = fr.check_seconds;

  g_stop.store(false);
  std::signal(SIGINT, on_sigint);
  req.stop = &g_stop;
  if (!o.quiet && isatty(STDERR_FILENO)) req.progress = show_progress;

  engine::RunSummary s;
  Diagnostics diags;
  engine::RunStatus status = run_program(fr.program, req, diags, s);
  std::cerr << render_all(diags, fr.program.files);
  std::signal(SIGINT, SIG_DFL);
  if (status == engine::RunStatus::ModelError) return kExitModel;
  if (req.progress) std::fprintf(stderr, "\r%80s\r", "");
  if (!o.quiet) {
    double seconds = s.steps_done * s.dt;
    std::printf("network %s: %lld steps of %g ms (%g s) on %d thread%s%s\n", s.network.c_str(), (long long)s.steps_done,
                s.dt * 1e3, seconds, s.threads, s.threads == 1 ? "" : "s",
                s.complete ? "" : "  [interrupted: output marked incomplete]");
    for (const auto& p : s.populations)
      std::printf("  %-12s %-16s %8lld neurons %10llu spikes  %8.2f Hz\n", p.name.c_str(), p.model.c_str(),
                  (long long)p.size, (unsigned long long)p.spikes,
                  seconds > 0 && p.size > 0 ? p.spikes / (seconds * p.size) : 0.0);
    std::printf("  synapses %zu, state memory %.1f MiB (planned %.1f MiB)\n", s.synapses, s.memory_bytes / 1048576.0,
                s.planned_bytes / 1048576.0);
    std::printf(
        "  times: parse %.1f ms, check %.1f ms, lower %.1f ms, codegen %.1f ms, jit %.1f ms, build %.1f ms, "
        "simulate %.1f ms, write %.1f ms\n",
        fr.parse_seconds * 1e3, fr.check_seconds * 1e3, s.lower_seconds * 1e3, s.codegen_seconds * 1e3,
        s.jit_seconds * 1e3, s.build_seconds * 1e3, s.simulate_seconds * 1e3, s.write_seconds * 1e3);
    std::printf("  wrote %s\n", o.output.c_str());
  }
  return kExitOk;
}

int emit_backend(const BuildOptions& options, FrontendResult& checked) {
  Diagnostics diags;
  std::string text = emit_program(checked.program, options.network, options.emit, options.after, diags);
  std::cerr << render_all(diags, checked.program.files);
  if (diags.has_errors()) return kExitModel;
  std::cout << text;
  return kExitOk;
}

}  // namespace axon::cli
