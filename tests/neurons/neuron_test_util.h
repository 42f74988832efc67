// Helpers of the neuron-library tests: run an axon program in process (front end +
// engine, writing HDF5 into a mkdtemp directory), compare a run with a reference file
// through runtime/io/compare (the code path of `axon compare`), read files back.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "runtime/io/compare.h"
#include "runtime/io/trace_file.h"
#include "tests/support/temp_dir.h"

namespace axon::neuron_test {

using test_support::TempDir;

// tests/refs/data/<name>.h5
std::string ref_path(const std::string& name);

// Parses, checks and runs `text` (a program importing stdlib models), writing `output`.
// Fails the test with the rendered diagnostics when any stage reports an error.
void run_program(const std::string& name, const std::string& text, const std::string& output,
                 const std::vector<std::string>& sets = {});

// Front end and back end diagnostics of `text` rendered, "" when it runs (no output).
std::string program_errors(const std::string& name, const std::string& text);

// `axon build --emit=ir` of `text`.
std::string emit_ir(const std::string& name, const std::string& text);

// A string attribute of the root group of an HDF5 file.
std::string root_attr(const std::string& path, const std::string& attr);

// One reference experiment compared with axon.
struct RefCheck {
  io::CompareReport report;
  double max_err = 0;       // max over variables of max |run - ref| / max |ref|
  double max_spike_dt = 0;  // seconds, over matched spikes
  size_t spikes = 0;        // reference spikes
  size_t variables = 0;     // reference traces
};

// Runs the reference's `axon_network` attribute and compares every trace of the reference
// with the run's (population N): a value passes when |run - ref| <= tol * (|ref| + max|ref|),
// i.e. relative to the value or to the trace's range, whichever is larger (a variable
// that starts at 0, like a synaptic current, has no meaningful pointwise relative error).
// Spikes must match one to one within spike_tol_steps * dt. CHECKs that it all passed and
// that every variable and the spikes were compared.
RefCheck check_reference(const std::string& name, double tol, double spike_tol_steps);

// Max relative error of `a` against `b`, relative to max |b|.
double range_error(const std::vector<double>& a, const std::vector<double>& b);

// The SI scale of a unit text of our files: "mV" -> 1e-3.
double unit_scale(const std::string& unit);

}  // namespace axon::neuron_test
