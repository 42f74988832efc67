#include "runtime/io/trace_file.h"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>
#include <utility>

#include "compiler/units/unit.h"
#include "runtime/io/output_file.h"

namespace axon::io {

namespace {

// Owns one HDF5 id and closes it with the matching H5*close.
class Id {
 public:
  Id() = default;
  Id(hid_t id, herr_t (*close)(hid_t)) : id(id), close(close) {}
  Id(Id&& o) noexcept : id(std::exchange(o.id, H5I_INVALID_HID)), close(o.close) {}
  Id& operator=(Id&& o) noexcept {
    std::swap(id, o.id);
    std::swap(close, o.close);
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() {
    if (id >= 0 && close != nullptr) close(id);
  }
  hid_t get() const { return id; }
  bool valid() const { return id >= 0; }

 private:
  hid_t id = H5I_INVALID_HID;
  herr_t (*close)(hid_t) = nullptr;
};

std::string dims_text(const std::vector<hsize_t>& dims) {
  std::ostringstream out;
  for (size_t i = 0; i < dims.size(); ++i) out << (i ? " x " : "") << dims[i];
  return out.str();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* names) {
  static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

class Reader {
 public:
  explicit Reader(const std::string& path) { out.path = path; }

  TraceFile read() {
    open();
    if (is_group("/report") || is_group("/spikes") || is_group("/axon")) {
      out.layout = TraceLayout::Sonata;
      read_sonata();
    } else if (kind("/t") == H5I_DATASET) {
      out.layout = TraceLayout::Flat;
      read_flat();
    } else {
      throw IoError(out.path +
                    ": neither layout: no /report, /spikes or /axon group (axon's SONATA layout) and "
                    "no `t` dataset (the flat reference layout)");
    }
    return std::move(out);
  }

 private:
  TraceFile out;
  Id file;

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw IoError(out.path + ": " + where + ": " + what);
  }

  void open() {
    // Opening it ourselves first gets the system's reason (missing, no permission).
    std::FILE* probe = std::fopen(out.path.c_str(), "rb");
    if (probe == nullptr) throw IoError("cannot read " + out.path + ": " + std::strerror(errno));
    std::fclose(probe);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    if (H5Fis_hdf5(out.path.c_str()) <= 0) throw IoError(out.path + ": not an HDF5 file");
    file = Id(H5Fopen(out.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) throw IoError("cannot open " + out.path + " as HDF5");
  }

  // H5I_GROUP, H5I_DATASET, or H5I_BADID when nothing is at `path`.
  H5I_type_t kind(const std::string& path) const {
    // Checks each link on the way, as H5Lexists wants.
    size_t pos = 0;
    while ((pos = path.find('/', pos + 1)) != std::string::npos)
      if (H5Lexists(file.get(), path.substr(0, pos).c_str(), H5P_DEFAULT) <= 0) return H5I_BADID;
    if (H5Lexists(file.get(), path.c_str(), H5P_DEFAULT) <= 0) return H5I_BADID;
    Id obj(H5Oopen(file.get(), path.c_str(), H5P_DEFAULT), H5Oclose);
    return obj.valid() ? H5Iget_type(obj.get()) : H5I_BADID;
  }
  bool is_group(const std::string& path) const { return kind(path) == H5I_GROUP; }

  std::vector<std::string> children(const std::string& group) const {
    Id g(H5Gopen2(file.get(), group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid()) fail(group, "cannot open group");
    std::vector<std::string> names;
    hsize_t index = 0;
    if (H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &names) < 0)
      fail(group, "cannot list the group");
    return names;
  }

  Id open_dataset(const std::string& path) const {
    Id d(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid()) fail(path, "cannot open dataset");
    return d;
  }

  static std::vector<hsize_t> dims_of(hid_t dataset) {
    Id space(H5Dget_space(dataset), H5Sclose);
    int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0) return {};
    std::vector<hsize_t> dims(rank);
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return dims;
  }

  static bool is_numeric(hid_t dataset) {
    Id type(H5Dget_type(dataset), H5Tclose);
    H5T_class_t cls = type.valid() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
    return cls == H5T_INTEGER || cls == H5T_FLOAT;
  }

  // The whole dataset, converted by HDF5 to `mem_type`.
  template <class T>
  std::vector<T> read_all(hid_t dataset, hid_t mem_type, const std::string& path) const {
    if (!is_numeric(dataset)) fail(path, "not a numeric dataset");
    hsize_t n = 1;
    for (hsize_t d : dims_of(dataset)) n *= d;
    std::vector<T> values(n);
    if (n > 0 && H5Dread(dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
      fail(path, "cannot read dataset");
    return values;
  }
  std::vector<double> read_doubles(const std::string& path) const {
    Id d = open_dataset(path);
    return read_all<double>(d.get(), H5T_NATIVE_DOUBLE, path);
  }
  std::vector<uint64_t> read_ids(const std::string& path) const {
    Id d = open_dataset(path);
    return read_all<uint64_t>(d.get(), H5T_NATIVE_UINT64, path);
  }

  // A scalar or one-element string attribute, fixed or variable length.
  static std::optional<std::string> string_attr(hid_t obj, const char* name) {
    if (H5Aexists(obj, name) <= 0) return std::nullopt;
    Id attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    Id type(attr.valid() ? H5Aget_type(attr.get()) : H5I_INVALID_HID, H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING) return std::nullopt;
    Id space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
    if (H5Tis_variable_str(type.get()) > 0) {
      Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(mem.get(), H5T_VARIABLE);
      H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
      char* text = nullptr;
      if (H5Aread(attr.get(), mem.get(), &text) < 0 || text == nullptr) return std::nullopt;
      std::string value(text);
      H5free_memory(text);
      return value;
    }
    size_t size = H5Tget_size(type.get());
    std::string value(size, '\0');
    Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), size);
    if (H5Aread(attr.get(), mem.get(), value.data()) < 0) return std::nullopt;
    value.resize(std::strlen(value.c_str()));
    return value;
  }

  static std::optional<double> double_attr(hid_t obj, const char* name) {
    if (H5Aexists(obj, name) <= 0) return std::nullopt;
    Id attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    Id type(attr.valid() ? H5Aget_type(attr.get()) : H5I_INVALID_HID, H5Tclose);
    if (!type.valid()) return std::nullopt;
    H5T_class_t cls = H5Tget_class(type.get());
    Id space(H5Aget_space(attr.get()), H5Sclose);
    if ((cls != H5T_FLOAT && cls != H5T_INTEGER) || H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
    double value = 0;
    if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0) return std::nullopt;
    return value;
  }

  // The unit attribute of a dataset: SONATA says `units`, the references `unit`.
  std::string unit_of(const std::string& path) const {
    Id d = open_dataset(path);
    if (auto u = string_attr(d.get(), "units")) return *u;
    if (auto u = string_attr(d.get(), "unit")) return *u;
    return "";
  }

  // Seconds per unit of a time dataset; `fallback` when it names no unit.
  double seconds_per(const std::string& path, double fallback) const {
    std::string text = unit_of(path);
    if (text.empty()) return fallback;
    units::UnitParseResult u = units::parse_unit(text);
    if (!u.unit) fail(path, "unit '" + text + "': " + u.error);
    if (u.unit->dim != units::dims::time()) fail(path, "unit '" + text + "' is not a unit of time");
    return u.unit->scale;
  }

  void note_step(const std::vector<double>& t) {
    if (t.size() < 2) return;
    double step = t[1] - t[0];
    if (step > 0 && (out.dt_s == 0 || step < out.dt_s)) out.dt_s = step;
  }

  void read_sonata() {
    bool has_dt = false;
    if (kind("/axon/dt") == H5I_DATASET) {
      std::vector<double> dt = read_doubles("/axon/dt");
      if (dt.size() == 1 && dt[0] > 0) {
        out.dt_s = dt[0] * seconds_per("/axon/dt", 1e-3);
        has_dt = true;
      }
    }
    if (is_group("/report")) {
      for (const std::string& pop : children("/report")) {
        std::string pop_path = "/report/" + pop;
        if (!is_group(pop_path)) {
          out.skipped.push_back(pop_path + ": not a group");
          continue;
        }
        for (const std::string& var : children(pop_path)) {
          std::string where = pop_path + "/" + var;
          if (kind(where + "/data") == H5I_DATASET && kind(where + "/mapping/time") == H5I_DATASET) {
            out.traces.push_back(read_report(pop, var, where));
            if (!has_dt) note_step(out.traces.back().time_s);
          } else if (var == "data" || var == "mapping") {
            out.skipped.push_back(pop_path +
                                  ": a plain SONATA report (one variable per file), whose "
                                  "variable is not named in the file");
            break;
          } else {
            out.skipped.push_back(where + ": no data and mapping/time");
          }
        }
      }
    }
    if (is_group("/spikes")) {
      for (const std::string& pop : children("/spikes")) {
        std::string where = "/spikes/" + pop;
        if (kind(where + "/timestamps") != H5I_DATASET || kind(where + "/node_ids") != H5I_DATASET) {
          out.skipped.push_back(where + ": no timestamps and node_ids");
          continue;
        }
        SpikeTrain train;
        train.name = pop;
        train.times_s = read_doubles(where + "/timestamps");
        double scale = seconds_per(where + "/timestamps", 1e-3);
        for (double& t : train.times_s) t *= scale;
        train.node_ids = read_ids(where + "/node_ids");
        if (train.node_ids.size() != train.times_s.size())
          fail(where, std::to_string(train.times_s.size()) + " timestamps but " +
                          std::to_string(train.node_ids.size()) + " node_ids");
        out.spikes.push_back(std::move(train));
      }
    }
  }

  Trace read_report(const std::string& pop, const std::string& var, const std::string& where) {
    Trace trace;
    trace.population = pop;
    trace.variable = var;
    Id data = open_dataset(where + "/data");
    std::vector<hsize_t> dims = dims_of(data.get());
    if (dims.empty() || dims.size() > 2)
      fail(where + "/data", "expected [n_times, n_values], found " + dims_text(dims));
    size_t n_times = dims[0];
    size_t n_values = dims.size() == 2 ? dims[1] : 1;
    trace.values = read_all<double>(data.get(), H5T_NATIVE_DOUBLE, where + "/data");
    trace.unit = unit_of(where + "/data");
    if (kind(where + "/mapping/node_ids") == H5I_DATASET) {
      trace.node_ids = read_ids(where + "/mapping/node_ids");
      if (trace.node_ids.size() != n_values)
        fail(where + "/mapping/node_ids",
             std::to_string(trace.node_ids.size()) + " node ids for " + std::to_string(n_values) + " columns");
    } else {
      for (size_t c = 0; c < n_values; ++c) trace.node_ids.push_back(c);
    }
    std::vector<double> time = read_doubles(where + "/mapping/time");
    if (time.size() != 3) fail(where + "/mapping/time", "expected [start, stop, step]");
    if (!(time[2] > 0)) fail(where + "/mapping/time", "step must be positive");
    double scale = seconds_per(where + "/mapping/time", 1e-3);
    trace.time_s.resize(n_times);
    for (size_t k = 0; k < n_times; ++k) trace.time_s[k] = (time[0] + k * time[2]) * scale;
    return trace;
  }

  void read_flat() {
    std::vector<double> t = read_doubles("/t");
    if (dims_of(open_dataset("/t").get()).size() != 1) fail("t", "expected a 1-D dataset");
    double scale = seconds_per("/t", 1.0);
    for (double& x : t) x *= scale;
    for (size_t k = 1; k < t.size(); ++k)
      if (!(t[k] > t[k - 1])) fail("t", "sample times are not increasing at index " + std::to_string(k));
    {
      Id root(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose);
      if (std::optional<double> dt = double_attr(root.get(), "dt"); dt && *dt > 0) out.dt_s = *dt;
    }
    if (out.dt_s == 0) note_step(t);

    std::vector<std::string> names = children("/");
    auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
    auto is_spike_name = [](const std::string& n) { return n == "spikes" || ends_with(n, "_spikes"); };
    for (const std::string& name : names) {
      if (name == "t") continue;
      std::string path = "/" + name;
      if (kind(path) != H5I_DATASET) {
        out.skipped.push_back(name + ": not a dataset");
        continue;
      }
      // Companions of a spike dataset: its neurons and its step indices.
      if (ends_with(name, "_index") && is_spike_name(name.substr(0, name.size() - 6)) &&
          has(name.substr(0, name.size() - 6)))
        continue;
      if (ends_with(name, "spike_steps") && has(name.substr(0, name.size() - 6) + "s")) continue;
      Id d = open_dataset(path);
      std::vector<hsize_t> dims = dims_of(d.get());
      if (!is_numeric(d.get())) {
        out.skipped.push_back(name + ": not numeric");
        continue;
      }
      if (is_spike_name(name) && dims.size() == 1) {
        out.spikes.push_back(read_flat_spikes(name, has(name + "_index")));
        continue;
      }
      if (dims.empty() || dims.size() > 2 || (dims[0] != t.size() && (dims.size() == 1 || dims[1] != t.size()))) {
        out.skipped.push_back(name + ": " + (dims.empty() ? std::string("scalar") : dims_text(dims)) +
                              ", no axis has the length of t (" + std::to_string(t.size()) + ")");
        continue;
      }
      Trace trace;
      trace.variable = name;
      trace.time_s = t;
      trace.unit = unit_of(path);
      std::vector<double> raw = read_all<double>(d.get(), H5T_NATIVE_DOUBLE, path);
      size_t n_cols = dims.size() == 2 ? (dims[0] == t.size() ? dims[1] : dims[0]) : 1;
      for (size_t c = 0; c < n_cols; ++c) trace.node_ids.push_back(c);
      if (dims.size() == 2 && dims[0] != t.size()) {  // [n_neurons, n_times], as Brian2 keeps it
        trace.values.resize(raw.size());
        for (size_t c = 0; c < n_cols; ++c)
          for (size_t k = 0; k < t.size(); ++k) trace.values[k * n_cols + c] = raw[c * t.size() + k];
      } else {
        trace.values = std::move(raw);
      }
      out.traces.push_back(std::move(trace));
    }
  }

  SpikeTrain read_flat_spikes(const std::string& name, bool has_index) const {
    SpikeTrain train;
    train.name = name;
    train.times_s = read_doubles("/" + name);
    double scale = seconds_per("/" + name, 1.0);
    for (double& t : train.times_s) t *= scale;
    if (has_index) {
      train.node_ids = read_ids("/" + name + "_index");
      if (train.node_ids.size() != train.times_s.size())
        fail(name + "_index", std::to_string(train.node_ids.size()) + " entries for " +
                                  std::to_string(train.times_s.size()) + " spikes");
    } else {
      train.node_ids.assign(train.times_s.size(), 0);
    }
    return train;
  }
};

}  // namespace

const char* layout_name(TraceLayout layout) { return layout == TraceLayout::Sonata ? "SONATA layout" : "flat layout"; }

std::string Trace::name() const { return population.empty() ? variable : population + "/" + variable; }

TraceFile read_trace_file(const std::string& path) { return Reader(path).read(); }

}  // namespace axon::io
