// The run's HDF5 output file: SONATA spikes and reports plus axon metadata under /axon.
// Every HDF5 call axon makes when writing results lives behind this class (docs: output.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace axon::io {

/// An output file could not be created, written, closed or renamed. The message names
/// the file and the cause. Misuse of the API (unknown population, bad report id, a call
/// after finish) is a bug in the caller and throws std::logic_error instead.
class IoError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

/// One probed variable of one population, written as /report/<population>/<variable>.
struct ReportSpec {
  std::string population;          ///< e.g. "P"; must not contain '/'
  std::string variable;            ///< e.g. "v"; must not contain '/'
  std::string units;               ///< unit of the written values, attr `units` on data
  std::vector<uint64_t> node_ids;  ///< one per column (n_values), 0-based in the population
  double start_ms = 0;             ///< time of the first sample
  double step_ms = 0.1;            ///< sampling interval, > 0
  bool float32 = false;            ///< store float32 instead of float64
  /// Synapse reports (population = a projection): the source and target neuron of each
  /// column, written as mapping/source_ids and mapping/target_ids with attribute
  /// `population` naming the neurons' population.
  std::vector<uint64_t> source_ids, target_ids;
  std::string source_population, target_population;
};

/// One column of a saved projection: a per-synapse value in `units`.
struct SynapseColumn {
  std::string name;
  std::string units;
  std::vector<double> values;
};

/// Writes one run's results to `<final_path>.tmp` and renames it to `final_path` on
/// finish(). Spikes and report rows are buffered in bounded blocks and appended to
/// chunked, deflate-compressed datasets, so memory stays bounded however long the run.
/// Not thread-safe (neither is Debian's serial HDF5): call it from one thread.
/// After an IoError the file may be inconsistent: abandon() it (the destructor does).
///
/// /axon/complete is a scalar uint8 dataset: 1 when the run ran to its end, 0 when it
/// was stopped early (SIGINT) and the file holds only what ran.
class OutputFile {
 public:
  /// Spikes buffered per population before they are appended; also the chunk length
  /// of the spike datasets (64 Ki float64 = 512 KiB).
  static constexpr size_t spike_block = 65536;
  /// Upper bound of one report's row buffer, unless a single row is larger.
  static constexpr size_t report_buffer_bytes = size_t{4} << 20;
  /// Target size of one report data chunk (uncompressed).
  static constexpr size_t report_chunk_bytes = size_t{512} << 10;

  /// Creates `<final_path>.tmp`, truncating any old one. Throws IoError if it cannot
  /// (missing directory, parent not a directory, no permission).
  static std::unique_ptr<OutputFile> create(const std::string& final_path);
  /// Abandons the file unless finish() or abandon() ran.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Creates /spikes/<population> with empty datasets, so that a population that never
  /// spikes is still in the file.
  void add_spike_population(const std::string& population);
  /// Buffers n spikes of `population`. Spikes arrive in time order (the group's
  /// `sorting` attribute says by_time); if they do not, finish() writes sorting = none.
  void append_spikes(const std::string& population, const double* times_ms, const uint64_t* node_ids, size_t n);

  /// Creates /report/<population>/<variable> with its mapping; returns the report id.
  int add_report(const ReportSpec& spec);
  /// Buffers one sample: node_ids.size() values, in the order of spec.node_ids.
  void append_report_row(int report, const double* values);

  /// Metadata under /axon. `rel_path` is relative to /axon, e.g. "model_source",
  /// "timing/parse", "populations/P/size"; missing groups are created and writing the
  /// same path again replaces the value. Strings are variable-length UTF-8 scalars.
  void write_string(const std::string& rel_path, const std::string& value);
  void write_double(const std::string& rel_path, double value);
  void write_int64(const std::string& rel_path, int64_t value);
  void write_doubles(const std::string& rel_path, const std::vector<double>& values);
  /// /connectivity/<projection>: uint64 `pre` and `post` (indices relative to the
  /// projection's source and target slices) and one float64 dataset per column, with a
  /// `units` attribute: the layout `connect explicit("file.h5:/connectivity/NAME")` reads.
  void write_connectivity(const std::string& projection, const std::vector<uint64_t>& pre,
                          const std::vector<uint64_t>& post, const std::vector<SynapseColumn>& columns);

  /// Flushes all buffers, writes each report's mapping/time (stop = start +
  /// n_rows * step, exclusive) and /axon/complete, closes the file and renames it to
  /// final_path(). Throws IoError on failure; the temp file is removed then.
  void finish(bool complete);
  /// Closes and removes the temp file, leaving no output. Never throws.
  void abandon() noexcept;

  const std::string& temp_path() const;
  const std::string& final_path() const;

 private:
  struct State;
  explicit OutputFile(std::unique_ptr<State> state);
  std::unique_ptr<State> state;
};

}  // namespace axon::io
