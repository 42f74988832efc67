// `axon compare RUN.h5 REF.h5`: regression of a run against reference traces and spikes,
// a thin wrapper of io::compare_files (runtime/io/compare.h), which the tests call too.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "compiler/units/unit.h"
#include "runtime/io/compare.h"
#include "runtime/io/output_file.h"

namespace axon::cli {

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Fills `settings` from the options; an error message when an option is malformed.
std::string parse_options(const CompareOptions& o, io::CompareSettings& settings) {
  settings.rtol = o.rtol;
  settings.population = o.population;
  for (const std::string& a : o.atol) {
    size_t eq = a.find('=');
    std::string name = eq == std::string::npos ? "" : trim(a.substr(0, eq));
    std::string text = trim(eq == std::string::npos ? a : a.substr(eq + 1));
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    std::string unit = trim(end ? std::string(end) : "");
    if (end == text.c_str() || !(value >= 0))
      return "--atol takes a non-negative number, or NAME=QUANTITY, not '" + a + "'";
    if (eq != std::string::npos && name.empty()) return "--atol NAME=QUANTITY needs a name, not '" + a + "'";
    if (name.empty()) {
      if (!unit.empty())
        return "--atol '" + a +
               "': a tolerance for all variables is a plain number in each reference "
               "variable's unit; give one with a unit per variable, e.g. --atol 'v=1 uV'";
      settings.atol = value;
    } else {
      if (!unit.empty() && !units::parse_unit(unit).unit) return "--atol '" + a + "': unknown unit '" + unit + "'";
      settings.atol_for[name] = io::AbsTolerance{value, unit};
    }
  }
  if (!o.spike_tol.empty()) {
    units::QuantityParseResult q = units::parse_quantity(o.spike_tol);
    if (!q.value_si || q.dim != units::dims::time() || *q.value_si < 0)
      return "--spike-tol takes a non-negative time with its unit, e.g. '0.05 ms', not '" + o.spike_tol + "'";
    settings.spike_tol_s = *q.value_si;
  }
  for (const std::string& m : o.map) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || trim(m.substr(0, eq)).empty() || trim(m.substr(eq + 1)).empty())
      return "--map takes OURS=THEIRS, e.g. --map N/v_m=v, not '" + m + "'";
    settings.map.push_back({trim(m.substr(0, eq)), trim(m.substr(eq + 1))});
  }
  return "";
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, CompareOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("compare", "Compare a run's traces and spikes with a reference file; exit 1 when they differ");
  cmd->add_option("run", o.run_file, "The run's HDF5 file (axon's SONATA layout, or the flat layout)")->required();
  cmd->add_option("reference", o.ref_file,
                  "Reference HDF5 file (flat layout: t, one dataset per variable, spikes; or SONATA)")
      ->required();
  cmd->add_option("--rtol", o.rtol, "Relative tolerance (default 1e-6)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--atol", o.atol,
                  "Absolute tolerance: a number in each reference variable's unit (default 0), or "
                  "NAME=QUANTITY for one variable, e.g. 'v=1 uV' (repeatable)");
  cmd->add_option("--spike-tol", o.spike_tol,
                  "Spikes match when this close, e.g. '0.05 ms' (default: half the reference's time step, "
                  "else 0.05 ms)");
  cmd->add_option("--map", o.map,
                  "Pair a run variable or spike population with a reference one: OURS=THEIRS, e.g. "
                  "'N/v_m=v' or 'G=input_spikes' (repeatable)");
  cmd->add_option("--population", o.population,
                  "The run population whose variables and spikes match the reference's bare names");
  cmd->footer(
      "Variables pair by name (the run's /report/POP/VAR with the reference's VAR), compared at the\n"
      "reference's sample times within the run's time span; the run is converted to the reference's\n"
      "unit by the files' unit attributes and interpolated linearly where the time grids differ.\n"
      "A value passes iff |run - ref| <= atol + rtol*|ref| (numpy.isclose); max rel err is\n"
      "|run - ref| / max(|ref|, atol). Spikes are matched per neuron, greedily in time order.\n"
      "The reference's `spikes` pair with the run population of its variables, or --population.\n"
      "Exit status: 0 all pass, 1 a comparison fails, 2 usage error, 3 a file cannot be read or\n"
      "nothing in it is comparable.");
  return cmd;
}

int run_compare(const CompareOptions& o) {
  io::CompareSettings settings;
  std::string error = parse_options(o, settings);
  if (!error.empty()) {
    std::cerr << "axon: error: " << error << "\n";
    return kExitUsage;
  }
  io::CompareReport report;
  try {
    report = io::compare_files(o.run_file, o.ref_file, settings);
  } catch (const io::IoError& e) {
    std::cerr << "axon: error: " << e.what() << "\n";
    return kExitRuntime;
  } catch (const io::CompareUsageError& e) {
    std::cerr << "axon: error: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << io::format_report(report);
  if (!report.comparable()) {
    std::cerr << "axon: error: nothing comparable in " << o.run_file << " and " << o.ref_file
              << " (see the notes above)\n";
    return kExitRuntime;
  }
  return report.passed() ? kExitOk : kExitModel;
}

}  // namespace axon::cli
