// Reads recorded traces and spike trains back from an HDF5 file in either layout: axon's
// SONATA layout (docs: output.md) or the flat layout of the Brian2 references (../shared/refs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace axon::io {

enum class TraceLayout {
  Sonata,  ///< /report/<population>/<variable>/{data,mapping}, /spikes/<population>
  Flat,    ///< `t` plus one dataset per variable, `spikes` (+ `spikes_index`)
};

/// "SONATA layout" or "flat layout", for messages.
const char* layout_name(TraceLayout layout);

/// One recorded variable, all of it in memory. values[k * columns() + c] is column c at
/// time_s[k], in `unit`.
struct Trace {
  std::string population;          ///< "" in the flat layout
  std::string variable;            ///< e.g. "v"
  std::string unit;                ///< the `units` / `unit` attribute; "" when there is none
  std::vector<double> time_s;      ///< sample times in seconds, increasing
  std::vector<uint64_t> node_ids;  ///< the neuron of each column; 0..n-1 in the flat layout
  std::vector<double> values;

  size_t columns() const { return node_ids.size(); }
  size_t samples() const { return time_s.size(); }
  double at(size_t k, size_t column) const { return values[k * columns() + column]; }
  /// "P/v" in the SONATA layout, "v" in the flat one.
  std::string name() const;
};

/// The spikes of one SONATA population, or one spike dataset of a flat file ("spikes",
/// "input_spikes", ...; its neurons from "<name>_index" when present, else all neuron 0).
struct SpikeTrain {
  std::string name;
  std::vector<double> times_s;
  std::vector<uint64_t> node_ids;  ///< one per spike
};

struct TraceFile {
  std::string path;
  TraceLayout layout = TraceLayout::Flat;
  std::vector<Trace> traces;
  std::vector<SpikeTrain> spikes;
  /// The simulation time step in seconds (/axon/dt, or the flat file's `dt` attribute,
  /// else the smallest sampling step of its traces); 0 when the file does not say.
  double dt_s = 0;
  /// What was in the file but not read, and why ("w2: 2-D dataset of 3 x 5, no axis
  /// has the length of t (2000)").
  std::vector<std::string> skipped;
};

/// Reads every trace and spike train of the file at `path`. The layout is SONATA when
/// the file has a /report, /spikes or /axon group, else flat when it has a `t` dataset.
/// Time units come from the `units` / `unit` attributes (SONATA default ms, flat default
/// s). In the flat layout a trace is a numeric dataset with t's length on its first axis
/// ([n_times] or [n_times, n_neurons]) or, failing that, on its second; a spike train is
/// `spikes` or `*_spikes`. Throws IoError naming the file and the object when the file
/// cannot be opened, is in neither layout, or holds a malformed group or dataset.
TraceFile read_trace_file(const std::string& path);

}  // namespace axon::io
