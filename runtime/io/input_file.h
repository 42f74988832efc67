// Reading input data from HDF5 files named in a model: explicit connectivity
// (pre, post, per-synapse values) and recorded spike trains (SONATA spikes groups).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace axon::io {

// A 1-D numeric dataset read as doubles, with its `units` (or `unit`) attribute.
struct Column {
  std::vector<double> values;
  std::string units;  // "" when the dataset has none
};

// A 1-D or 2-D numeric dataset as rows (a 1-D dataset: one value a row), row-major.
struct Table {
  size_t rows = 0, cols = 0;
  std::vector<double> values;
  std::string units;
};

// Opens `file` read-only; every method throws IoError naming the file and the object.
class InputFile {
 public:
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  bool has(const std::string& object) const;
  Column column(const std::string& dataset) const;
  Table table(const std::string& dataset) const;
  // The names of the datasets directly inside a group.
  std::vector<std::string> datasets(const std::string& group) const;

 private:
  std::string path_;
  long long id_ = -1;
};

// "data/conn.h5:/E_to_I" -> {"data/conn.h5", "/E_to_I"}; the part after the last ':'
// must start with '/'. nullopt when the text has no such part.
std::optional<std::pair<std::string, std::string>> split_location(const std::string& text);

}  // namespace axon::io
