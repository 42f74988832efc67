#include "neuron_test_util.h"

#include <hdf5.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cli/pipeline.h"
#include "compiler/driver/frontend.h"
#include "compiler/units/unit.h"

namespace axon::neuron_test {

std::string ref_path(const std::string& name) { return std::string(AXON_TESTS_DIR) + "/refs/data/" + name + ".h5"; }

void run_program(const std::string& name, const std::string& text, const std::string& output,
                 const std::vector<std::string>& sets) {
  FrontendResult fr;
  run_frontend_text(name, text, fr);
  INFO(name << ":\n" << text << render_all(fr.diags, fr.program.files));
  REQUIRE(fr.ok);
  engine::RunRequest req;
  req.output = output;
  req.sets = sets;
  Diagnostics diags;
  engine::RunSummary summary;
  engine::RunStatus status = axon::run_program(fr.program, req, diags, summary);
  INFO(render_all(diags, fr.program.files));
  REQUIRE(status == engine::RunStatus::Ok);
}

std::string program_errors(const std::string& name, const std::string& text) {
  FrontendResult fr;
  run_frontend_text(name, text, fr);
  if (!fr.ok) return render_all(fr.diags, fr.program.files);
  Diagnostics diags;
  engine::RunRequest req;
  engine::RunSummary summary;
  axon::run_program(fr.program, req, diags, summary);
  return render_all(diags, fr.program.files);
}

std::string emit_ir(const std::string& name, const std::string& text) {
  FrontendResult fr;
  run_frontend_text(name, text, fr);
  INFO(render_all(fr.diags, fr.program.files));
  REQUIRE(fr.ok);
  Diagnostics diags;
  std::string ir = axon::emit_program(fr.program, "", "ir", "", diags);
  INFO(render_all(diags, fr.program.files));
  REQUIRE_FALSE(diags.has_errors());
  return ir;
}

std::string root_attr(const std::string& path, const std::string& attr) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  INFO("opening " << path);
  REQUIRE(f >= 0);
  std::string out;
  hid_t a = H5Aopen(f, attr.c_str(), H5P_DEFAULT);
  if (a >= 0) {
    hid_t ft = H5Aget_type(a);
    hid_t mem = H5Tcopy(H5T_C_S1);
    if (H5Tis_variable_str(ft) > 0) {
      H5Tset_size(mem, H5T_VARIABLE);
      H5Tset_cset(mem, H5Tget_cset(ft));
      char* p = nullptr;
      if (H5Aread(a, mem, &p) >= 0 && p) out = p;
      H5free_memory(p);
    } else {
      size_t size = H5Tget_size(ft);
      H5Tset_size(mem, size);
      std::vector<char> buf(size + 1, '\0');
      if (H5Aread(a, mem, buf.data()) >= 0) out = buf.data();
    }
    H5Tclose(mem);
    H5Tclose(ft);
    H5Aclose(a);
  }
  H5Fclose(f);
  INFO(path << " has no string attribute " << attr);
  REQUIRE_FALSE(out.empty());
  return out;
}

double range_error(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double peak = 0, worst = 0;
  for (double x : b) peak = std::max(peak, std::abs(x));
  for (size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::abs(a[k] - b[k]));
  return peak > 0 ? worst / peak : worst;
}

double unit_scale(const std::string& unit) {
  if (unit.empty() || unit == "1") return 1;
  auto parsed = units::parse_unit(unit);
  INFO("unit " << unit);
  REQUIRE(parsed.unit.has_value());
  return parsed.unit->scale;
}

RefCheck check_reference(const std::string& name, double tol, double spike_tol_steps) {
  RefCheck out;
  const std::string ref = ref_path(name);
  TempDir dir;
  const std::string run = dir.file(name + ".h5");
  run_program(name + ".axon", root_attr(ref, "axon_network"), run);

  io::TraceFile ref_file = io::read_trace_file(ref);
  io::CompareSettings settings;
  settings.population = "N";
  settings.rtol = tol;
  for (const io::Trace& t : ref_file.traces) {
    double peak = 0;
    for (double x : t.values) peak = std::max(peak, std::abs(x));
    settings.atol_for[t.variable] = io::AbsTolerance{tol * peak, ""};
  }
  REQUIRE(ref_file.dt_s > 0);
  // A hair over the tolerance, so that "the same step" survives the ms <-> s rounding
  // of the two files' time stamps.
  settings.spike_tol_s = (spike_tol_steps + 1e-6) * ref_file.dt_s;
  out.report = io::compare_files(run, ref, settings);
  INFO(io::format_report(out.report));
  out.variables = ref_file.traces.size();
  CHECK(out.report.traces.size() == ref_file.traces.size());
  CHECK(out.report.spikes.size() == 1);
  CHECK(out.report.passed());
  for (const io::TraceComparison& c : out.report.traces) {
    double peak = 0;
    for (const io::Trace& t : ref_file.traces)
      if (t.variable == c.ref_name)
        for (double x : t.values) peak = std::max(peak, std::abs(x));
    out.max_err = std::max(out.max_err, peak > 0 ? c.max_abs / peak : c.max_abs);
  }
  for (const io::SpikeComparison& s : out.report.spikes) {
    out.max_spike_dt = std::max(out.max_spike_dt, s.match.max_dt_s);
    out.spikes += s.ref_count;
  }
  return out;
}

}  // namespace axon::neuron_test
