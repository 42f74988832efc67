#include "compiler/driver/backend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "compiler/ir/lower.h"
#include "compiler/passes/classify_odes.h"
#include "compiler/passes/classify_synapse_odes.h"
#include "compiler/sema/const_eval.h"
#include "compiler/units/unit.h"

namespace axon::driver {

namespace {

// `--set POP.NAME=VALUE`: a parameter or initial state of every neuron of POP, with units
// checked like the model's own. Each one is a small source file so errors point into it.
bool apply_sets(sema::Program& program, ir::Network& net, const std::vector<std::string>& sets, Diagnostics& diags) {
  bool ok = true;
  for (const std::string& text : sets) {
    uint32_t file = program.files.add("--set", text);
    auto at = [&](size_t begin, size_t end) {
      SourceRange r;
      r.file = file;
      r.line = r.end_line = 1;
      r.col = static_cast<uint32_t>(begin + 1);
      r.end_col = static_cast<uint32_t>(std::max(end, begin + 1) + 1);
      return r;
    };
    size_t eq = text.find('=');
    size_t dot = text.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq) {
      diags.error("E080", at(0, text.size()), "expected POPULATION.NAME=VALUE").hint = "e.g. --set 'P.tau_m=10 ms'";
      ok = false;
      continue;
    }
    std::string pop_name = text.substr(0, dot);
    std::string var_name = text.substr(dot + 1, eq - dot - 1);
    std::string value = text.substr(eq + 1);
    int p = net.find(pop_name);
    if (p < 0) {
      diags.error("E080", at(0, dot), "network '" + net.name + "' has no population '" + pop_name + "'");
      ok = false;
      continue;
    }
    ir::Population& pop = net.populations[p];
    int v = pop.find(var_name);
    if (v < 0 || pop.vars[v].kind == ir::VarKind::Input || pop.vars[v].kind == ir::VarKind::Output) {
      diags.error("E080", at(dot + 1, eq),
                  "population '" + pop_name + "' (" + pop.model + ") has no parameter or state '" + var_name + "'");
      ok = false;
      continue;
    }
    units::QuantityParseResult q = units::parse_quantity(value);
    if (!q.value_si) {
      diags.error("E012", at(eq + 1 + q.error_offset, text.size()), q.error);
      ok = false;
      continue;
    }
    ir::Var& var = pop.vars[v];
    bool zero = *q.value_si == 0 && q.dim.is_dimensionless();
    if (!zero && q.dim != var.dim) {
      diags
          .error("E020", at(eq + 1, text.size()),
                 "'" + var_name + "' is " + units::describe_dimension(var.dim) + ", but the value is " +
                     units::describe_dimension(q.dim))
          .hint = "write it with a unit of " + units::format_dimension(var.dim);
      ok = false;
      continue;
    }
    var.set_value = *q.value_si;
    var.per_element = false;
  }
  return ok;
}

bool run_parameters(const sema::Program& program, const ir::Network& net, const BackendRequest& req,
                    LoweredNetwork& out, Diagnostics& diags) {
  const ast::Run* run = ir::find_run(program, net.name);
  std::optional<double> duration, steps;
  if (run) {
    for (const ast::Binding& b : run->settings) {
      auto v = sema::eval_const(*b.value);
      if (!v) continue;
      if (b.name == "dt") out.dt = *v;
      if (b.name == "duration") duration = *v;
      if (b.name == "steps") steps = *v;
      if (b.name == "seed") out.seed = static_cast<uint64_t>(*v);
    }
  }
  if (req.dt) out.dt = *req.dt;
  if (req.seed) out.seed = *req.seed;
  if (req.duration) {
    duration = req.duration;
    steps.reset();
  }
  if (steps) {
    out.steps = static_cast<int64_t>(*steps);
  } else if (duration) {
    out.steps = std::llround(*duration / out.dt);
  } else {
    diags.error("E081", {}, "network '" + net.name + "' has no run block and no --duration").hint =
        "add 'run " + net.name + " { duration = 1 s; dt = 0.1 ms }' or pass --duration";
    return false;
  }
  if (out.dt <= 0) {
    diags.error("E081", {}, "dt must be positive");
    return false;
  }
  return true;
}

std::string all_sources(const sema::Program& program) {
  std::string text;
  for (size_t f = 1; f <= program.files.size(); ++f) {
    const SourceFile& file = program.files.get(static_cast<uint32_t>(f));
    text += "// ---- " + file.name + "\n" + file.text;
    if (!text.empty() && text.back() != '\n') text += "\n";
  }
  return text;
}

// The IR after a pass, where the request or AXON_DUMP_IR (a comma-separated list of
// passes, printed to stderr) asks for it.
void dump(const BackendRequest& request, const char* pass, const ir::Network& net) {
  if (request.dump_to && request.dump_after == pass) *request.dump_to = ir::dump(net);
  if (const char* env = std::getenv("AXON_DUMP_IR")) {
    std::string list = std::string(",") + env + ",";
    if (list.find(std::string(",") + pass + ",") != std::string::npos)
      std::cerr << "// ---- IR after " << pass << "\n" << ir::dump(net);
  }
}

// lower -> set -> classify: the passes every use of the back half shares.
std::optional<LoweredNetwork> lower_and_classify(sema::Program& program, const BackendRequest& request,
                                                 Diagnostics& diags) {
  std::optional<ir::Network> lowered = ir::lower_network(program, request.network, diags);
  if (!lowered) return std::nullopt;
  LoweredNetwork out;
  out.net = std::move(*lowered);
  dump(request, "lower", out.net);
  if (!apply_sets(program, out.net, request.sets, diags)) return std::nullopt;
  dump(request, "set", out.net);
  passes::classify_odes(out.net, diags);
  passes::classify_synapse_odes(out.net, diags);
  if (diags.has_errors()) return std::nullopt;
  dump(request, "classify", out.net);
  for (const ir::Population& p : out.net.populations) out.layouts.push_back(codegen::make_layout(p));
  for (const ir::Projection& p : out.net.projections) out.synapse_layouts.push_back(codegen::make_synapse_layout(p));
  return out;
}

}  // namespace

std::optional<LoweredNetwork> lower_for_build(sema::Program& program, const BackendRequest& request,
                                              Diagnostics& diags) {
  return lower_and_classify(program, request, diags);
}

std::optional<LoweredNetwork> lower_for_run(sema::Program& program, const BackendRequest& request, Diagnostics& diags) {
  auto t0 = std::chrono::steady_clock::now();
  std::optional<LoweredNetwork> out = lower_and_classify(program, request, diags);
  if (!out || !run_parameters(program, out->net, request, *out, diags)) return std::nullopt;
  out->model_source = all_sources(program);
  out->lower_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace axon::driver
