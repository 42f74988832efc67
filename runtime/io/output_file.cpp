#include "runtime/io/output_file.h"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

namespace axon::io {
namespace {

// Owns one HDF5 identifier and closes it with the H5*close function of its kind.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t value, Closer close_fn) : id(value), closer(close_fn) {}
  Handle(Handle&& other) noexcept : id(std::exchange(other.id, -1)), closer(other.closer) {}
  Handle& operator=(Handle&& other) noexcept {
    std::swap(id, other.id);  // `other` closes what this held
    std::swap(closer, other.closer);
    return *this;
  }
  ~Handle() { reset(); }
  hid_t get() const { return id; }
  // Gives up ownership, for the one close whose result matters (H5Fclose in finish).
  hid_t release() { return std::exchange(id, -1); }
  void reset() noexcept {
    if (id >= 0 && closer) closer(id);
    id = -1;
  }

 private:
  hid_t id = -1;
  Closer closer = nullptr;
};

herr_t keep_innermost(unsigned n, const H5E_error2_t* err, void* out) {
  if (n == 0 && err->desc) *static_cast<std::string*>(out) = err->desc;
  return 0;
}

// The most specific message on HDF5's error stack: the API-level one only says which
// call failed, which the caller's `what` already says better. A failed system call
// (disk full, file too large) is described in a long list of fields; only the
// system's reason from it is kept.
std::string hdf5_cause() {
  std::string cause;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &cause);
  H5Eclear2(H5E_DEFAULT);
  const std::string marker = "error message = '";
  size_t begin = cause.find(marker);
  if (begin != std::string::npos) {
    begin += marker.size();
    size_t end = cause.find('\'', begin);
    if (end != std::string::npos) return cause.substr(begin, end - begin);
  }
  return cause.empty() ? std::string("unknown HDF5 error") : cause;
}

// Names become single path components in the file.
void check_name(const std::string& name, const char* kind) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
    throw std::invalid_argument(std::string("invalid ") + kind + " name '" + name + "'");
}

enum class Sorting : int8_t { none = 0, by_id = 1, by_time = 2 };

struct ReportLayout {
  hsize_t chunk_rows;
  hsize_t chunk_cols;
  size_t buffer_rows;
};

// Chunks of about report_chunk_bytes, and a buffer that is a whole number of chunks
// tall, so that every flush but the last writes whole chunks straight to disk.
ReportLayout plan_report_layout(size_t n_values, size_t value_bytes) {
  if (n_values == 0) return {4096, 1, 4096};  // nothing is stored, rows only count
  size_t row_bytes = n_values * value_bytes;
  if (row_bytes <= OutputFile::report_chunk_bytes) {
    size_t chunk_rows = OutputFile::report_chunk_bytes / row_bytes;
    size_t chunks = std::max<size_t>(1, OutputFile::report_buffer_bytes / (chunk_rows * row_bytes));
    return {chunk_rows, n_values, chunks * chunk_rows};
  }
  // A row is larger than a chunk: one row per chunk, split along the values into
  // equal parts so that no part is mostly padding.
  size_t max_cols = OutputFile::report_chunk_bytes / value_bytes;
  size_t parts = (n_values + max_cols - 1) / max_cols;
  size_t chunk_cols = (n_values + parts - 1) / parts;
  return {1, chunk_cols, std::max<size_t>(1, OutputFile::report_buffer_bytes / row_bytes)};
}

struct SpikeStream {
  Handle group, timestamps, node_ids;
  std::vector<double> times;
  std::vector<uint64_t> ids;
  hsize_t written = 0;
  double last_time = -std::numeric_limits<double>::infinity();
  bool in_time_order = true;
};

struct ReportStream {
  std::string where;  // "/report/<population>/<variable>"
  size_t n_values = 0;
  bool float32 = false;
  double start_ms = 0, step_ms = 0;
  ReportLayout layout{};
  Handle data, mapping;
  std::vector<double> rows64;
  std::vector<float> rows32;
  size_t buffered_rows = 0;
  hsize_t written_rows = 0;
};

}  // namespace

struct OutputFile::State {
  std::string final_path, temp_path;
  Handle file;
  std::map<std::string, SpikeStream> spikes;
  std::vector<ReportStream> reports;
  bool closed = false;

  [[noreturn]] void fail(const std::string& what) const {
    throw IoError("output file " + temp_path + ": " + what + ": " + hdf5_cause());
  }
  hid_t check(hid_t id, const std::string& what) const {
    if (id < 0) fail(what);
    return id;
  }
  void require_open() const {
    if (closed) throw std::logic_error("output file " + temp_path + ": used after finish() or abandon()");
  }

  Handle plist(hid_t cls) { return Handle(check(H5Pcreate(cls), "creating property list"), H5Pclose); }

  // Link creation that makes missing parent groups, so callers name full paths.
  // A transfer list whose conversion buffer fits `values` elements. HDF5's default is a
  // zeroed 1 MiB buffer (and a second for background) for EVERY H5Dwrite that converts,
  // however small: for the ~40 scalar metadata values of a run that cost ~25 ms of page
  // faults as glibc grew and trimmed the heap around each write.
  Handle transfer_list(hsize_t values) {
    Handle dxpl = plist(H5P_DATASET_XFER);
    size_t bytes = static_cast<size_t>(std::clamp<hsize_t>(values * 16, 4096, 1u << 20));
    check(H5Pset_buffer(dxpl.get(), bytes, nullptr, nullptr), "setting the transfer buffer");
    return dxpl;
  }

  Handle intermediate_lcpl() {
    Handle lcpl = plist(H5P_LINK_CREATE);
    check(H5Pset_create_intermediate_group(lcpl.get(), 1), "setting link creation");
    return lcpl;
  }

  Handle make_group(hid_t loc, const std::string& name, const std::string& where) {
    Handle lcpl = intermediate_lcpl();
    hid_t id = H5Gcreate2(loc, name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT);
    return Handle(check(id, "creating group " + where), H5Gclose);
  }

  Handle utf8_type() {
    Handle type(check(H5Tcopy(H5T_C_S1), "creating string type"), H5Tclose);
    check(H5Tset_size(type.get(), H5T_VARIABLE), "creating string type");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "creating string type");
    return type;
  }

  Handle sorting_type() {
    Handle type(check(H5Tenum_create(H5T_NATIVE_INT8), "creating sorting enum"), H5Tclose);
    for (auto [name, value] :
         {std::pair{"none", Sorting::none}, std::pair{"by_id", Sorting::by_id}, std::pair{"by_time", Sorting::by_time}})
      check(H5Tenum_insert(type.get(), name, &value), "creating sorting enum");
    return type;
  }

  void write_attr(hid_t obj, const char* name, hid_t type, hid_t space, const void* value, const std::string& where) {
    std::string what = "writing attribute " + std::string(name) + " of " + where;
    Handle attr(check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), what), H5Aclose);
    check(H5Awrite(attr.get(), type, value), what);
  }

  void write_attr_string(hid_t obj, const char* name, const std::string& value, const std::string& where) {
    Handle type = utf8_type();
    Handle space(check(H5Screate(H5S_SCALAR), "creating dataspace"), H5Sclose);
    const char* text = value.c_str();
    write_attr(obj, name, type.get(), space.get(), &text, where);
  }

  // A chunked, compressed dataset whose first dimension grows with each append.
  Handle make_growing(hid_t loc, const char* name, hid_t file_type, int rank, const hsize_t* dims,
                      const hsize_t* max_dims, const hsize_t* chunk, const std::string& where) {
    std::string what = "creating dataset " + where;
    Handle space(check(H5Screate_simple(rank, dims, max_dims), what), H5Sclose);
    Handle dcpl = plist(H5P_DATASET_CREATE);
    check(H5Pset_chunk(dcpl.get(), rank, chunk), what);
    // Shuffling bytes first groups the slowly varying exponent bytes of floats and
    // the high bytes of ids, which deflate then compresses far better.
    check(H5Pset_shuffle(dcpl.get()), what);
    check(H5Pset_deflate(dcpl.get(), 4), what);
    // No chunk cache: buffers are flushed as whole chunks, which HDF5 then writes
    // straight to disk; a cache would only copy them, costing 1 MiB per dataset.
    Handle dapl = plist(H5P_DATASET_ACCESS);
    check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0, H5D_CHUNK_CACHE_W0_DEFAULT), what);
    hid_t id = H5Dcreate2(loc, name, file_type, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get());
    return Handle(check(id, what), H5Dclose);
  }

  // Grows `dataset` by `rows` rows of `cols` values and writes them from `buffer`.
  void append(hid_t dataset, hid_t mem_type, int rank, hsize_t old_rows, hsize_t rows, hsize_t cols, const void* buffer,
              const std::string& where) {
    std::string what = "appending to " + where;
    hsize_t dims[2] = {old_rows + rows, cols};
    check(H5Dset_extent(dataset, dims), what);
    if (rows == 0 || cols == 0) return;
    hsize_t start[2] = {old_rows, 0};
    hsize_t count[2] = {rows, cols};
    Handle file_space(check(H5Dget_space(dataset), what), H5Sclose);
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), what);
    Handle mem_space(check(H5Screate_simple(rank, count, nullptr), what), H5Sclose);
    Handle dxpl = transfer_list(rows * cols);
    check(H5Dwrite(dataset, mem_type, mem_space.get(), file_space.get(), dxpl.get(), buffer), what);
  }

  // A small fixed-size dataset (rank 0 when `n` is null, else 1-D of *n values).
  Handle write_fixed(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type, const hsize_t* n,
                     const void* data, const std::string& where) {
    std::string what = "writing " + where;
    Handle space(check(n ? H5Screate_simple(1, n, nullptr) : H5Screate(H5S_SCALAR), what), H5Sclose);
    Handle lcpl = intermediate_lcpl();
    hid_t id = H5Dcreate2(loc, name.c_str(), file_type, space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT);
    Handle dataset(check(id, what), H5Dclose);
    if (n == nullptr || *n > 0) {
      Handle dxpl = transfer_list(n ? *n : 1);
      check(H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, dxpl.get(), data), what);
    }
    return dataset;
  }

  void write_metadata(const std::string& rel_path, hid_t file_type, hid_t mem_type, const hsize_t* n,
                      const void* data) {
    require_open();
    if (rel_path.empty() || rel_path.front() == '/' || rel_path.back() == '/' ||
        rel_path.find("//") != std::string::npos)
      throw std::invalid_argument("invalid metadata path '" + rel_path + "'");
    std::string full = "/axon/" + rel_path;
    // Writing a value again replaces it, but never a whole group of values. H5Lexists
    // must be asked level by level: it fails, rather than answering no, when a parent
    // is missing.
    bool exists = true;
    for (size_t slash = 5; exists && slash != std::string::npos;) {
      slash = full.find('/', slash + 1);
      exists = H5Lexists(file.get(), full.substr(0, slash).c_str(), H5P_DEFAULT) > 0;
    }
    H5Eclear2(H5E_DEFAULT);
    if (exists) {
      Handle old(check(H5Oopen(file.get(), full.c_str(), H5P_DEFAULT), "opening " + full), H5Oclose);
      if (H5Iget_type(old.get()) != H5I_DATASET)
        throw IoError("output file " + temp_path + ": cannot replace group " + full + " by a value");
      check(H5Ldelete(file.get(), full.c_str(), H5P_DEFAULT), "replacing " + full);
    }
    write_fixed(file.get(), full, file_type, mem_type, n, data, full);
  }

  void write_root() {
    uint32_t magic = 0x0A7A;
    uint32_t version[2] = {0, 1};
    hsize_t two = 2;
    Handle scalar(check(H5Screate(H5S_SCALAR), "creating dataspace"), H5Sclose);
    Handle pair(check(H5Screate_simple(1, &two, nullptr), "creating dataspace"), H5Sclose);
    Handle root(check(H5Gopen2(file.get(), "/", H5P_DEFAULT), "opening /"), H5Gclose);
    write_attr(root.get(), "magic", H5T_STD_U32LE, scalar.get(), &magic, "/");
    write_attr(root.get(), "version", H5T_STD_U32LE, pair.get(), version, "/");
    for (const char* group : {"/spikes", "/report", "/axon"}) make_group(file.get(), group, group);
  }

  void flush_spikes(const std::string& population, SpikeStream& s) {
    hsize_t n = s.times.size();
    if (n == 0) return;
    std::string where = "/spikes/" + population;
    append(s.timestamps.get(), H5T_NATIVE_DOUBLE, 1, s.written, n, 1, s.times.data(), where + "/timestamps");
    append(s.node_ids.get(), H5T_NATIVE_UINT64, 1, s.written, n, 1, s.ids.data(), where + "/node_ids");
    s.written += n;
    s.times.clear();
    s.ids.clear();
  }

  void flush_report(ReportStream& r) {
    hid_t mem_type = r.float32 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
    const void* buffer = r.float32 ? static_cast<const void*>(r.rows32.data()) : r.rows64.data();
    append(r.data.get(), mem_type, 2, r.written_rows, r.buffered_rows, r.n_values, buffer, r.where + "/data");
    r.written_rows += r.buffered_rows;
    r.buffered_rows = 0;
    r.rows32.clear();
    r.rows64.clear();
  }

  // Closes every object and the file, reporting the close's failure (a failed final
  // flush, e.g. a full disk, only shows up here).
  void close_file() {
    reports.clear();
    spikes.clear();
    if (H5Fclose(file.release()) < 0) fail("closing");
  }
};

OutputFile::OutputFile(std::unique_ptr<State> s) : state(std::move(s)) {}

OutputFile::~OutputFile() { abandon(); }

std::unique_ptr<OutputFile> OutputFile::create(const std::string& final_path) {
  // Failures become IoErrors with context; HDF5's own printout would be noise.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  auto state = std::make_unique<State>();
  state->final_path = final_path;
  state->temp_path = final_path + ".tmp";
  const char* temp = state->temp_path.c_str();
  // Opening the file ourselves first gets the system's reason (missing directory, no
  // permission), where HDF5 would only say that it was unable to open the file.
  if (std::FILE* probe = std::fopen(temp, "wb"))
    std::fclose(probe);
  else
    throw IoError("cannot create output file " + state->temp_path + ": " + std::strerror(errno));
  Handle fapl = state->plist(H5P_FILE_ACCESS);
  // Strong close: H5Fclose closes anything still open, so the file is really closed
  // (and complete on disk) before it is renamed or removed.
  state->check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "setting file access");
  hid_t file = H5Fcreate(temp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (file < 0) {
    std::string cause = hdf5_cause();
    std::remove(temp);
    throw IoError("cannot create output file " + state->temp_path + ": " + cause);
  }
  state->file = Handle(file, H5Fclose);
  std::unique_ptr<OutputFile> out(new OutputFile(std::move(state)));
  out->state->write_root();  // on failure `out` is destroyed, which removes the file
  return out;
}

void OutputFile::add_spike_population(const std::string& population) {
  State& st = *state;
  st.require_open();
  check_name(population, "population");
  if (st.spikes.count(population)) throw std::logic_error("spike population '" + population + "' added twice");
  std::string where = "/spikes/" + population;
  SpikeStream s;
  s.group = st.make_group(st.file.get(), where, where);
  Handle sorting = st.sorting_type();
  Handle scalar(st.check(H5Screate(H5S_SCALAR), "creating dataspace"), H5Sclose);
  Sorting by_time = Sorting::by_time;
  st.write_attr(s.group.get(), "sorting", sorting.get(), scalar.get(), &by_time, where);
  hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = spike_block;
  s.timestamps =
      st.make_growing(s.group.get(), "timestamps", H5T_IEEE_F64LE, 1, &zero, &unlimited, &chunk, where + "/timestamps");
  st.write_attr_string(s.timestamps.get(), "units", "ms", where + "/timestamps");
  s.node_ids =
      st.make_growing(s.group.get(), "node_ids", H5T_STD_U64LE, 1, &zero, &unlimited, &chunk, where + "/node_ids");
  st.spikes.emplace(population, std::move(s));
}

void OutputFile::append_spikes(const std::string& population, const double* times_ms, const uint64_t* node_ids,
                               size_t n) {
  State& st = *state;
  st.require_open();
  auto found = st.spikes.find(population);
  if (found == st.spikes.end()) throw std::logic_error("spikes for unknown population '" + population + "'");
  SpikeStream& s = found->second;
  while (n > 0) {
    size_t take = std::min(n, spike_block - s.times.size());
    for (size_t i = 0; i < take; ++i) {
      if (times_ms[i] < s.last_time) s.in_time_order = false;
      s.last_time = times_ms[i];
    }
    s.times.insert(s.times.end(), times_ms, times_ms + take);
    s.ids.insert(s.ids.end(), node_ids, node_ids + take);
    if (s.times.size() == spike_block) st.flush_spikes(population, s);
    times_ms += take;
    node_ids += take;
    n -= take;
  }
}

int OutputFile::add_report(const ReportSpec& spec) {
  State& st = *state;
  st.require_open();
  check_name(spec.population, "population");
  check_name(spec.variable, "variable");
  if (!(spec.step_ms > 0) || spec.step_ms == std::numeric_limits<double>::infinity())
    throw std::invalid_argument("report step must be positive, got " + std::to_string(spec.step_ms));
  ReportStream r;
  r.where = "/report/" + spec.population + "/" + spec.variable;
  for (const ReportStream& other : st.reports)
    if (other.where == r.where) throw std::logic_error("report " + r.where + " added twice");
  r.n_values = spec.node_ids.size();
  r.float32 = spec.float32;
  r.start_ms = spec.start_ms;
  r.step_ms = spec.step_ms;
  r.layout = plan_report_layout(r.n_values, r.float32 ? sizeof(float) : sizeof(double));

  Handle group = st.make_group(st.file.get(), r.where, r.where);
  hsize_t n = r.n_values;
  hsize_t dims[2] = {0, n};
  // HDF5 rejects a chunk wider than a fixed dimension, so an empty report's second
  // dimension is declared unlimited.
  hsize_t max_dims[2] = {H5S_UNLIMITED, n > 0 ? n : H5S_UNLIMITED};
  hsize_t chunk[2] = {r.layout.chunk_rows, r.layout.chunk_cols};
  r.data = st.make_growing(group.get(), "data", r.float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, 2, dims, max_dims, chunk,
                           r.where + "/data");
  st.write_attr_string(r.data.get(), "units", spec.units, r.where + "/data");

  std::string mapping = r.where + "/mapping";
  r.mapping = st.make_group(group.get(), "mapping", mapping);
  st.write_fixed(r.mapping.get(), "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, &n, spec.node_ids.data(),
                 mapping + "/node_ids");
  std::vector<uint32_t> element_ids(n, 0);  // point neurons: one element each
  st.write_fixed(r.mapping.get(), "element_ids", H5T_STD_U32LE, H5T_NATIVE_UINT32, &n, element_ids.data(),
                 mapping + "/element_ids");
  std::vector<uint64_t> index_pointers(n + 1);
  std::iota(index_pointers.begin(), index_pointers.end(), uint64_t{0});
  hsize_t n_pointers = n + 1;
  st.write_fixed(r.mapping.get(), "index_pointers", H5T_STD_U64LE, H5T_NATIVE_UINT64, &n_pointers,
                 index_pointers.data(), mapping + "/index_pointers");
  if (!spec.source_ids.empty() || !spec.target_ids.empty()) {
    hsize_t ns = spec.source_ids.size(), nt = spec.target_ids.size();
    Handle s = st.write_fixed(r.mapping.get(), "source_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, &ns,
                              spec.source_ids.data(), mapping + "/source_ids");
    st.write_attr_string(s.get(), "population", spec.source_population, mapping + "/source_ids");
    Handle t = st.write_fixed(r.mapping.get(), "target_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, &nt,
                              spec.target_ids.data(), mapping + "/target_ids");
    st.write_attr_string(t.get(), "population", spec.target_population, mapping + "/target_ids");
  }
  st.reports.push_back(std::move(r));
  return static_cast<int>(st.reports.size() - 1);
}

void OutputFile::append_report_row(int report, const double* values) {
  State& st = *state;
  st.require_open();
  if (report < 0 || static_cast<size_t>(report) >= st.reports.size())
    throw std::logic_error("unknown report id " + std::to_string(report));
  ReportStream& r = st.reports[report];
  // Reserved at its final size, so that the buffer never overshoots it by doubling.
  size_t capacity = r.layout.buffer_rows * r.n_values;
  if (r.float32) {
    r.rows32.reserve(capacity);
    for (size_t i = 0; i < r.n_values; ++i) r.rows32.push_back(static_cast<float>(values[i]));
  } else {
    r.rows64.reserve(capacity);
    r.rows64.insert(r.rows64.end(), values, values + r.n_values);
  }
  if (++r.buffered_rows == r.layout.buffer_rows) st.flush_report(r);
}

void OutputFile::write_string(const std::string& rel_path, const std::string& value) {
  Handle type = state->utf8_type();
  const char* text = value.c_str();
  state->write_metadata(rel_path, type.get(), type.get(), nullptr, &text);
}

void OutputFile::write_double(const std::string& rel_path, double value) {
  state->write_metadata(rel_path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, nullptr, &value);
}

void OutputFile::write_int64(const std::string& rel_path, int64_t value) {
  state->write_metadata(rel_path, H5T_STD_I64LE, H5T_NATIVE_INT64, nullptr, &value);
}

void OutputFile::write_doubles(const std::string& rel_path, const std::vector<double>& values) {
  hsize_t n = values.size();
  state->write_metadata(rel_path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &n, values.data());
}

void OutputFile::write_connectivity(const std::string& projection, const std::vector<uint64_t>& pre,
                                    const std::vector<uint64_t>& post, const std::vector<SynapseColumn>& columns) {
  State& st = *state;
  st.require_open();
  check_name(projection, "projection");
  Handle top =
      H5Lexists(st.file.get(), "/connectivity", H5P_DEFAULT) > 0
          ? Handle(st.check(H5Gopen2(st.file.get(), "/connectivity", H5P_DEFAULT), "opening /connectivity"), H5Gclose)
          : st.make_group(st.file.get(), "/connectivity", "/connectivity");
  std::string where = "/connectivity/" + projection;
  Handle group = st.make_group(top.get(), projection, where);
  hsize_t n = pre.size();
  st.write_fixed(group.get(), "pre", H5T_STD_U64LE, H5T_NATIVE_UINT64, &n, pre.data(), where + "/pre");
  n = post.size();
  st.write_fixed(group.get(), "post", H5T_STD_U64LE, H5T_NATIVE_UINT64, &n, post.data(), where + "/post");
  for (const SynapseColumn& c : columns) {
    hsize_t m = c.values.size();
    Handle d = st.write_fixed(group.get(), c.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &m, c.values.data(),
                              where + "/" + c.name);
    st.write_attr_string(d.get(), "units", c.units, where + "/" + c.name);
  }
}

void OutputFile::finish(bool complete) {
  State& st = *state;
  st.require_open();
  try {
    for (auto& [population, s] : st.spikes) {
      st.flush_spikes(population, s);
      if (!s.in_time_order) {
        std::string where = "/spikes/" + population;
        Handle attr(st.check(H5Aopen(s.group.get(), "sorting", H5P_DEFAULT), where), H5Aclose);
        Handle type = st.sorting_type();
        Sorting none = Sorting::none;
        st.check(H5Awrite(attr.get(), type.get(), &none), "rewriting sorting of " + where);
      }
    }
    for (ReportStream& r : st.reports) {
      st.flush_report(r);
      double time[3] = {r.start_ms, r.start_ms + static_cast<double>(r.written_rows) * r.step_ms, r.step_ms};
      hsize_t three = 3;
      std::string where = r.where + "/mapping/time";
      Handle dataset = st.write_fixed(r.mapping.get(), "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &three, time, where);
      st.write_attr_string(dataset.get(), "units", "ms", where);
    }
    uint8_t flag = complete ? 1 : 0;
    st.write_metadata("complete", H5T_STD_U8LE, H5T_NATIVE_UINT8, nullptr, &flag);
    st.close_file();
    if (std::rename(st.temp_path.c_str(), st.final_path.c_str()) != 0)
      throw IoError("cannot rename output file " + st.temp_path + " to " + st.final_path + ": " + std::strerror(errno));
    st.closed = true;
  } catch (...) {
    abandon();
    throw;
  }
}

void OutputFile::abandon() noexcept {
  State& st = *state;
  if (st.closed) return;
  st.closed = true;
  st.reports.clear();
  st.spikes.clear();
  st.file.reset();
  std::remove(st.temp_path.c_str());
}

const std::string& OutputFile::temp_path() const { return state->temp_path; }

const std::string& OutputFile::final_path() const { return state->final_path; }

}  // namespace axon::io
