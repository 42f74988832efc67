// Compares a run's traces and spikes with a reference file (either layout of
// trace_file.h): per-variable error within tolerances, spike trains matched in time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "runtime/io/trace_file.h"

namespace axon::io {

/// The settings ask for something the files do not have (a --map name, a --population),
/// or a tolerance in a unit of the wrong dimension: a usage error, not a failed comparison.
class CompareUsageError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

/// An absolute tolerance for one reference variable. Without a unit it is in the
/// reference's unit of that variable.
struct AbsTolerance {
  double value = 0;
  std::string unit;  ///< e.g. "uV"; "" = the reference's unit
};

struct CompareSettings {
  /// A sample passes iff |run - ref| <= atol + rtol * |ref| (numpy.isclose). The default
  /// 1e-6 is a tight regression check that still allows reordered float64 arithmetic.
  double rtol = 1e-6;
  /// In the reference's unit of each variable. 0 by default, because one number cannot
  /// suit volts and siemens alike; a reference value of exactly 0 then needs an exact 0.
  double atol = 0;
  /// Per reference variable name ("v", or "P/v" for a SONATA reference); overrides atol.
  std::map<std::string, AbsTolerance> atol_for;
  /// Spikes match when |t_run - t_ref| <= spike_tol_s. Default: half the reference's
  /// time step (its dt), so a spike must fall in the same step; 0.05 ms when the
  /// reference does not say its step.
  std::optional<double> spike_tol_s;
  /// Pairs of (run name, reference name): "v_m" or "P/v_m" with "v"; also spike trains:
  /// a run population with a reference spike dataset ("G" with "input_spikes").
  std::vector<std::pair<std::string, std::string>> map;
  /// The run population whose variables and spikes are matched by bare name; "" = the
  /// only one, or the one a variable name is found in.
  std::string population;
};

/// One variable of the run against one of the reference, on the reference's sample
/// times within the run's time span; the run's values are converted to the reference's
/// unit and interpolated linearly where the grids differ.
struct TraceComparison {
  std::string run_name;        ///< "P/v"
  std::string ref_name;        ///< "v"
  std::string run_unit, unit;  ///< errors are in `unit`, the reference's
  size_t columns = 0;          ///< neurons compared
  size_t samples = 0;          ///< reference samples compared, per column
  size_t ref_samples = 0;      ///< reference samples in all
  bool interpolated = false;   ///< some reference times are not run sample times
  double atol = 0;             ///< in `unit`
  double max_abs = 0;          ///< max |run - ref|
  double max_rel = 0;          ///< max |run - ref| / max(|ref|, atol); inf where that is 0
  size_t failures = 0;         ///< values (samples x columns) outside the tolerance
  /// The first failing value (earliest time, then lowest neuron).
  double fail_t_s = 0, fail_run = 0, fail_ref = 0;
  uint64_t fail_node = 0;
  /// Why the pair could not be compared ("units of different dimensions: mV and A");
  /// empty when it was. A pair that could not be compared fails.
  std::string problem;

  bool passed() const { return problem.empty() && samples > 0 && failures == 0; }
};

/// Spike matching of one neuron or one train: greedy in time order, each spike
/// matched to at most one spike of the other side within the tolerance.
struct SpikeMatch {
  size_t matched = 0;
  size_t missing = 0;   ///< reference spikes with no run spike
  size_t extra = 0;     ///< run spikes with no reference spike
  double max_dt_s = 0;  ///< max |t_run - t_ref| over matched pairs
  std::optional<double> first_missing_s, first_extra_s;
};

/// Matches sorted spike times `run_s` against sorted `ref_s`. Greedy (earliest first)
/// matching is a maximum matching here, because the tolerance window is an interval.
SpikeMatch match_spike_times(const std::vector<double>& run_s, const std::vector<double>& ref_s, double tol_s);

struct SpikeComparison {
  std::string run_name, ref_name;
  size_t run_count = 0, ref_count = 0;
  double tol_s = 0;
  SpikeMatch match;  ///< summed over neurons; first_* is the earliest over neurons
  std::optional<uint64_t> first_missing_node, first_extra_node;

  bool passed() const { return match.missing == 0 && match.extra == 0; }
};

struct CompareReport {
  std::string run_path, ref_path;
  TraceLayout run_layout = TraceLayout::Sonata, ref_layout = TraceLayout::Flat;
  double rtol = 0, atol = 0, spike_tol_s = 0;
  std::vector<TraceComparison> traces;
  std::vector<SpikeComparison> spikes;
  /// What was not compared, and why ("I: only in the reference").
  std::vector<std::string> notes;

  /// At least one pair of traces or spike trains was found.
  bool comparable() const { return !traces.empty() || !spikes.empty(); }
  /// Comparable, and every comparison passed.
  bool passed() const;
};

/// Pairs the run's traces and spike trains with the reference's (by name, by
/// settings.map, within settings.population) and compares each pair. Throws
/// CompareUsageError for settings the files cannot satisfy.
CompareReport compare_traces(const TraceFile& run, const TraceFile& ref, const CompareSettings& settings);

/// Reads both files (IoError when one cannot be read) and compares them.
CompareReport compare_files(const std::string& run_path, const std::string& ref_path, const CompareSettings& settings);

/// The report as a table: one row per variable (unit, samples, max abs and rel error,
/// status), one line per spike train, the first failure of each failed comparison,
/// then the notes and a verdict line.
std::string format_report(const CompareReport& report);

}  // namespace axon::io
