#include "backend_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace axon::backend_test {

// ---------------------------------------------------------------- files and processes

namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  return args;
}

int unique_counter() {
  static int n = 0;
  return ++n;
}

}  // namespace

Child start_process(const std::vector<std::string>& argv, const std::string& scratch) {
  // test_backend does not depend on the `axon` target: build both (see the brief).
  INFO("no executable " << argv.at(0) << " (build the axon target: ninja axon test_backend)");
  REQUIRE(access(argv.at(0).c_str(), X_OK) == 0);
  Child c;
  int n = unique_counter();
  c.out_path = scratch + "/proc" + std::to_string(n) + ".out";
  c.err_path = scratch + "/proc" + std::to_string(n) + ".err";
  std::vector<char*> args = c_argv(argv);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int out = open(c.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(c.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) _exit(127);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    // The test runner may have SIGINT blocked or ignored; the child gets the default.
    signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  c.pid = pid;
  return c;
}

namespace {

ProcessResult finished(const Child& c, int status) {
  ProcessResult r;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signaled = true;
    r.exit_code = -WTERMSIG(status);
  }
  r.out = read_text_file(c.out_path);
  r.err = read_text_file(c.err_path);
  return r;
}

}  // namespace

ProcessResult wait_process(const Child& c) {
  auto t0 = std::chrono::steady_clock::now();
  int status = 0;
  struct rusage usage {};
  pid_t got;
  do {
    got = wait4(c.pid, &status, 0, &usage);
  } while (got < 0 && errno == EINTR);
  REQUIRE(got == c.pid);
  ProcessResult r = finished(c, status);
  r.usage = usage;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::optional<ProcessResult> wait_process_for(const Child& c, double seconds) {
  auto t0 = std::chrono::steady_clock::now();
  while (true) {
    int status = 0;
    struct rusage usage {};
    pid_t got = wait4(c.pid, &status, WNOHANG, &usage);
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (got == c.pid) {
      ProcessResult r = finished(c, status);
      r.usage = usage;
      r.seconds = elapsed;
      return r;
    }
    if (got < 0 && errno != EINTR) FAIL("wait4 failed");
    if (elapsed > seconds) {
      kill(c.pid, SIGKILL);
      wait4(c.pid, &status, 0, nullptr);
      return std::nullopt;
    }
    usleep(10000);
  }
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& scratch) {
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult r = wait_process(start_process(argv, scratch));
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

// ---------------------------------------------------------------- in-process runs

namespace {

RunResult run_checked(FrontendResult& fr, const engine::RunRequest& request) {
  RunResult r;
  r.frontend_ok = fr.ok;
  if (!fr.ok) {
    r.diagnostics = render_all(fr.diags, fr.program.files);
    return r;
  }
  engine::RunRequest req = request;
  req.parse_seconds = fr.parse_seconds;
  req.check_seconds = fr.check_seconds;
  Diagnostics diags;
  r.status = run_program(fr.program, req, diags, r.summary);
  r.diagnostics = render_all(fr.diags, fr.program.files) + render_all(diags, fr.program.files);
  return r;
}

}  // namespace

RunResult run_model_text(const std::string& name, const std::string& text, const engine::RunRequest& request) {
  FrontendResult fr;
  run_frontend_text(name, text, fr);
  return run_checked(fr, request);
}

RunResult run_model_file(const std::string& path, const engine::RunRequest& request) {
  FrontendResult fr;
  run_frontend({path}, fr);
  return run_checked(fr, request);
}

std::string emit_text(const std::string& path, const std::string& what) {
  FrontendResult fr;
  run_frontend({path}, fr);
  INFO(render_all(fr.diags, fr.program.files));
  REQUIRE(fr.ok);
  Diagnostics diags;
  std::string text = emit_program(fr.program, "", what, "", diags);
  INFO(render_all(diags, fr.program.files));
  REQUIRE_FALSE(diags.has_errors());
  return text;
}

std::string full(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// ---------------------------------------------------------------- HDF5 reading

H5Id::H5Id(hid_t value, herr_t (*close_fn)(hid_t), const std::string& what) : id(value), close(close_fn) {
  INFO("opening " << what);
  REQUIRE(id >= 0);
}

H5Id::~H5Id() {
  if (id >= 0) close(id);
}

hid_t h5_open(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
}

bool h5_exists(hid_t file, const std::string& path) {
  // H5Lexists needs every intermediate group to exist: check each prefix in turn.
  size_t pos = 1;
  while (true) {
    size_t slash = path.find('/', pos);
    std::string prefix = path.substr(0, slash);
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    pos = slash + 1;
  }
}

std::vector<hsize_t> h5_dims(hid_t file, const std::string& dataset) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  H5Id space(H5Dget_space(d), H5Sclose, dataset + " (space)");
  int rank = H5Sget_simple_extent_ndims(space);
  REQUIRE(rank >= 0);
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

namespace {

hsize_t element_count(hid_t dataset) {
  H5Id space(H5Dget_space(dataset), H5Sclose, "space");
  hssize_t n = H5Sget_simple_extent_npoints(space);
  REQUIRE(n >= 0);
  return static_cast<hsize_t>(n);
}

}  // namespace

std::vector<double> h5_doubles(hid_t file, const std::string& dataset) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  std::vector<double> v(element_count(d));
  if (!v.empty()) REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
  return v;
}

std::vector<uint64_t> h5_uint64s(hid_t file, const std::string& dataset) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  std::vector<uint64_t> v(element_count(d));
  if (!v.empty()) REQUIRE(H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
  return v;
}

std::vector<double> h5_row(hid_t file, const std::string& dataset, hsize_t row) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  H5Id space(H5Dget_space(d), H5Sclose, dataset + " (space)");
  REQUIRE(H5Sget_simple_extent_ndims(space) == 2);
  hsize_t dims[2];
  H5Sget_simple_extent_dims(space, dims, nullptr);
  REQUIRE(row < dims[0]);
  hsize_t start[2] = {row, 0}, count[2] = {1, dims[1]};
  REQUIRE(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr) >= 0);
  H5Id mem(H5Screate_simple(2, count, nullptr), H5Sclose, "memory space");
  std::vector<double> v(dims[1]);
  REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, v.data()) >= 0);
  return v;
}

bool h5_stored_as(hid_t file, const std::string& dataset, hid_t type) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  H5Id t(H5Dget_type(d), H5Tclose, dataset + " (type)");
  return H5Tequal(t, type) > 0;
}

namespace {

// Reads a string from a dataset or attribute whose file type is `ftype`.
template <typename ReadFn>
std::string read_string(hid_t ftype, hid_t space, ReadFn read) {
  REQUIRE(H5Tget_class(ftype) == H5T_STRING);
  REQUIRE(H5Sget_simple_extent_npoints(space) == 1);
  if (H5Tis_variable_str(ftype) > 0) {
    H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5Tget_cset(ftype));
    char* p = nullptr;
    REQUIRE(read(mem.id, static_cast<void*>(&p)) >= 0);
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  size_t size = H5Tget_size(ftype);
  H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  H5Tset_size(mem, size);
  std::vector<char> buf(size + 1, '\0');
  REQUIRE(read(mem.id, static_cast<void*>(buf.data())) >= 0);
  return std::string(buf.data());
}

}  // namespace

std::string h5_string(hid_t file, const std::string& dataset) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  H5Id t(H5Dget_type(d), H5Tclose, dataset + " (type)");
  H5Id s(H5Dget_space(d), H5Sclose, dataset + " (space)");
  return read_string(t, s, [&](hid_t mem, void* buf) { return H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); });
}

std::optional<std::string> h5_attr_string(hid_t file, const std::string& object, const std::string& attr) {
  if (H5Aexists_by_name(file, object.c_str(), attr.c_str(), H5P_DEFAULT) <= 0) return std::nullopt;
  H5Id a(H5Aopen_by_name(file, object.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, object + "@" + attr);
  H5Id t(H5Aget_type(a), H5Tclose, attr + " (type)");
  H5Id s(H5Aget_space(a), H5Sclose, attr + " (space)");
  return read_string(t, s, [&](hid_t mem, void* buf) { return H5Aread(a, mem, buf); });
}

std::vector<double> h5_attr_doubles(hid_t file, const std::string& object, const std::string& attr) {
  H5Id a(H5Aopen_by_name(file, object.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, object + "@" + attr);
  H5Id s(H5Aget_space(a), H5Sclose, attr + " (space)");
  std::vector<double> v(H5Sget_simple_extent_npoints(s));
  REQUIRE(H5Aread(a, H5T_NATIVE_DOUBLE, v.data()) >= 0);
  return v;
}

std::vector<unsigned char> h5_raw(hid_t file, const std::string& dataset) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  H5Id t(H5Dget_type(d), H5Tclose, dataset + " (type)");
  H5Id mem(H5Tget_native_type(t, H5T_DIR_ASCEND), H5Tclose, dataset + " (native type)");
  std::vector<unsigned char> bytes(element_count(d) * H5Tget_size(mem));
  if (!bytes.empty()) REQUIRE(H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
  return bytes;
}

bool h5_has_filter(hid_t file, const std::string& dataset, H5Z_filter_t filter) {
  H5Id d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, dataset);
  H5Id plist(H5Dget_create_plist(d), H5Pclose, dataset + " (creation plist)");
  int n = H5Pget_nfilters(plist);
  for (int k = 0; k < n; ++k) {
    unsigned flags = 0, config = 0;
    size_t nelem = 0;
    char name[64];
    if (H5Pget_filter2(plist, static_cast<unsigned>(k), &flags, &nelem, nullptr, sizeof name, name, &config) == filter)
      return true;
  }
  return false;
}

bool h5_attr_stored_as(hid_t file, const std::string& object, const std::string& attr, hid_t type) {
  H5Id a(H5Aopen_by_name(file, object.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, object + "@" + attr);
  H5Id t(H5Aget_type(a), H5Tclose, attr + " (type)");
  return H5Tequal(t, type) > 0;
}

EnumValue h5_attr_enum(hid_t file, const std::string& object, const std::string& attr) {
  H5Id a(H5Aopen_by_name(file, object.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, object + "@" + attr);
  H5Id t(H5Aget_type(a), H5Tclose, attr + " (type)");
  REQUIRE(H5Tget_class(t) == H5T_ENUM);
  H5Id native(H5Tget_native_type(t, H5T_DIR_ASCEND), H5Tclose, attr + " (native type)");
  size_t size = H5Tget_size(native);
  REQUIRE(size <= 8);
  unsigned char raw[8] = {};
  REQUIRE(H5Aread(a, native, raw) >= 0);
  EnumValue e;
  char name[64] = {};
  REQUIRE(H5Tenum_nameof(native, raw, name, sizeof name) >= 0);
  e.name = name;
  // The value as an integer of the base type's size and sign.
  H5Id base(H5Tget_super(native), H5Tclose, attr + " (base type)");
  bool is_signed = H5Tget_sign(base) == H5T_SGN_2;
  long long v = 0;
  if (size == 1)
    v = is_signed ? static_cast<long long>(static_cast<int8_t>(raw[0])) : raw[0];
  else if (size == 2) {
    int16_t x;
    std::memcpy(&x, raw, 2);
    v = is_signed ? x : static_cast<uint16_t>(x);
  } else if (size == 4) {
    int32_t x;
    std::memcpy(&x, raw, 4);
    v = is_signed ? x : static_cast<uint32_t>(x);
  } else {
    int64_t x;
    std::memcpy(&x, raw, 8);
    v = x;
  }
  e.value = v;
  return e;
}

double si_scale_of(const std::string& unit) {
  static const std::map<std::string, double> prefixes = {{"", 1},     {"k", 1e3},  {"M", 1e6},  {"G", 1e9},
                                                         {"m", 1e-3}, {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}};
  static const char* bases[] = {"V", "A", "S", "s", "F", "ohm", "Hz"};
  if (unit == "1" || unit == "") return 1;
  for (const char* base : bases) {
    std::string b = base;
    if (unit.size() < b.size() || unit.compare(unit.size() - b.size(), b.size(), b) != 0) continue;
    auto p = prefixes.find(unit.substr(0, unit.size() - b.size()));
    if (p != prefixes.end()) return p->second;
  }
  FAIL("unknown unit '" << unit << "'");
  return 0;
}

}  // namespace axon::backend_test
