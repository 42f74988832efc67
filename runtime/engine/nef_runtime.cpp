#include "runtime/engine/nef_runtime.h"

#include <cmath>
#include <functional>
#include <map>

#include "runtime/engine/ir_eval.h"
#include "runtime/engine/rng.h"
#include "runtime/engine/value_eval.h"
#include "runtime/io/input_file.h"
#include "runtime/nef/decoders.h"
#include "runtime/nef/neuron_rates.h"
#include "runtime/nef/sampling.h"
#include "runtime/nef/synapses.h"

namespace axon::engine {

namespace {

nef::NeuronType neuron_type(const ir::Ensemble& e, const PopulationState& ps) {
  const ir::Population& pop = *ps.ir;
  auto param = [&](const char* name, double fallback) {
    int v = pop.find(name);
    return v < 0 ? fallback : ps.value(v, 0);
  };
  const double amp = param("amplitude", 1), tau_rc = param("tau_rc", 0.02), tau_ref = param("tau_ref", 0.002);
  if (e.model == "NengoLIF") return nef::NeuronType::lif(tau_rc, tau_ref, amp);
  if (e.model == "LIFRate") return nef::NeuronType::lif_rate(tau_rc, tau_ref, amp);
  if (e.model == "AdaptiveLIF") return nef::NeuronType::adaptive_lif(tau_rc, tau_ref, amp);
  if (e.model == "SoftLIFRate") return nef::NeuronType::soft_lif_rate(param("sigma", 1), tau_rc, tau_ref, amp);
  if (e.model == "RectifiedLinear") return nef::NeuronType::rectified_linear(amp);
  if (e.model == "SpikingRectifiedLinear") return nef::NeuronType::spiking_rectified_linear(amp);
  if (e.model == "Sigmoid") return nef::NeuronType::sigmoid(param("tau_ref", 0.0025));
  if (e.model == "Tanh") return nef::NeuronType::tanh(param("tau_ref", 0.0025));
  return nef::NeuronType::izhikevich(param("tau_recovery", 0.02), param("coupling", 0.2), param("reset_voltage", -65),
                                     param("reset_recovery", 8));
}

// A connection function at one point x: one lowered expression per output component,
// Var(k) reading x[k].
Eigen::VectorXd eval_function(const std::vector<ir::Expr>& f, const Eigen::VectorXd& x) {
  Eigen::VectorXd out(f.size());
  for (size_t k = 0; k < f.size(); ++k)
    out[k] = eval_ir(
        f[k], [&](int v) { return x[v]; }, 0);
  return out;
}

Eigen::ArrayXd to_array(const std::vector<double>& v) { return Eigen::Map<const Eigen::ArrayXd>(v.data(), v.size()); }

}  // namespace

NefRuntime::NefRuntime(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels, double dt,
                       uint64_t seed)
    : net_(net), dt_(dt), kernels_(kernels) {
  for (const ir::Ensemble& e : net.ensembles) {
    PopulationState& ps = state.populations[e.population];
    EnsembleState es;
    es.ir = &e;
    es.n = ps.n;
    const uint64_t s = e.seed.value_or(seed);
    // With its own seed an ensemble's parameters depend on that seed alone (as in Nengo:
    // two ensembles with seed 2 and the same size share max rates, intercepts, encoders).
    const std::string key = e.seed ? std::string("ensemble") : net.name + "." + ps.ir->name;
    nef::NeuronType type = neuron_type(e, ps);
    if (e.gain && e.bias) {
      es.gain = to_array(element_values(*e.gain, es.n, key + ".gain", s, dt));
      es.bias = to_array(element_values(*e.bias, es.n, key + ".bias", s, dt));
    } else {
      es.max_rates = e.max_rates ? to_array(element_values(*e.max_rates, es.n, key + ".max_rates", s, dt))
                                 : nef::sample_uniform(es.n, 200, 400, s, rt::hash_name(key + ".max_rates"));
      es.intercepts = e.intercepts ? to_array(element_values(*e.intercepts, es.n, key + ".intercepts", s, dt))
                                   : nef::sample_uniform(es.n, -1, 0.9, s, rt::hash_name(key + ".intercepts"));
      try {
        nef::GainBias gb = nef::gain_bias(type, es.max_rates, es.intercepts);
        es.gain = gb.gain;
        es.bias = gb.bias;
      } catch (const std::exception& ex) {
        throw BuildError("ensemble '" + ps.ir->name + "': " + ex.what());
      }
    }
    es.encoders = nef::scattered_hypersphere(es.n, e.dims, true, s, rt::hash_name(key + ".encoders"));
    es.input = static_cast<double*>(ps.slots[ps.layout.slot_of[e.input_var]]);
    es.output = static_cast<const double*>(ps.slots[ps.layout.slot_of[e.output_var]]);
    es.x_in = Eigen::VectorXd::Zero(e.dims);
    es.neuron_in = Eigen::VectorXd::Zero(es.n);
    ensembles_.push_back(std::move(es));
  }
  for (const ir::NefNode& n : net.nodes) {
    nodes_.push_back(Eigen::VectorXd::Zero(n.size));
    node_data_.emplace_back();
    if (n.data_file.empty()) continue;
    io::Table t = io::InputFile(n.data_file).table(n.data_path);
    if (t.cols != static_cast<size_t>(n.size) || t.rows == 0)
      throw BuildError("node '" + n.name + "': " + n.data_file + ":" + n.data_path + " has " + std::to_string(t.rows) +
                       " rows of " + std::to_string(t.cols) + " values; the node needs rows of " +
                       std::to_string(n.size));
    if (!t.units.empty() && t.units != "1")
      throw BuildError("node '" + n.name + "': " + n.data_file + ":" + n.data_path + " has units '" + t.units +
                       "'; node values are plain numbers");
    node_data_.back() = std::move(t);
  }
  // Decoders: LstsqL2 on the ensemble's evaluation points (the unit ball times the radius).
  auto solve = [&](const EnsembleState& es, const std::vector<ir::Expr>& function, double& rmse) {
    const ir::Ensemble& e = *es.ir;
    const PopulationState& ps = state.populations[e.population];
    const uint64_t s = e.seed.value_or(seed);
    Eigen::Index m = nef::default_n_eval_points(es.n, e.dims);
    const std::string key = e.seed ? std::string("ensemble") : net.name + "." + ps.ir->name;
    Eigen::MatrixXd points =
        nef::scattered_hypersphere(m, e.dims, false, s, rt::hash_name(key + ".eval_points")) * e.radius;
    const bool identity = function.empty();
    Eigen::MatrixXd targets(m, identity ? e.dims : static_cast<Eigen::Index>(function.size()));
    for (Eigen::Index k = 0; k < m; ++k)
      if (!identity)
        targets.row(k) = eval_function(function, points.row(k).transpose()).transpose();
      else
        targets.row(k) = points.row(k);
    nef::DecoderSolution sol =
        nef::solve_decoders(neuron_type(e, ps), points, es.encoders, es.gain, es.bias, e.radius, targets);
    rmse = sol.rmse;
    return sol.decoders;
  };
  for (const ir::NefConnection& c : net.connections) {
    ConnectionState cs;
    cs.ir = &c;
    cs.transform = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        c.transform.data(), c.target_size, c.out_size);
    if (c.source_kind == ir::EndpointKind::Ensemble)
      cs.weights = cs.transform * solve(ensembles_[c.source], c.function, cs.rmse).transpose();
    if (c.pes) {
      cs.pre_filtered = Eigen::VectorXd::Zero(ensembles_[c.source].n);
      cs.error = Eigen::VectorXd::Zero(c.target_size);
      cs.pes_a = c.pes_tau > 0 ? std::exp(-dt / c.pes_tau) : 0;
    }
    cs.filter.init(c.tau, c.alpha, dt, c.target_size);
    connections_.push_back(std::move(cs));
  }
  for (const ir::NefProbe& p : net.nef_probes) {
    ProbeState pr;
    pr.ir = &p;
    if (!p.node && !p.neurons) {
      double unused = 0;
      pr.decoders = solve(ensembles_[p.index], {}, unused);
    }
    pr.filter.init(p.tau, p.alpha, dt,
                   p.node      ? net.nodes[p.index].size
                   : p.neurons ? ensembles_[p.index].n
                               : net.ensembles[p.index].dims);
    probes_.push_back(std::move(pr));
  }
}

void NefRuntime::add_outputs(io::OutputFile& out, int64_t steps) {
  std::map<std::string, int> used;
  for (ProbeState& p : probes_) {
    p.every = p.ir->every > 0 ? std::max<int64_t>(1, std::llround(p.ir->every / dt_)) : 1;
    p.first = static_cast<int64_t>(std::ceil(p.ir->from / dt_ - 1e-9));
    p.end = p.ir->to >= 0 ? std::min<int64_t>(steps, std::llround(p.ir->to / dt_)) : steps;
    io::ReportSpec spec;
    spec.population = p.ir->name;
    spec.variable = p.ir->node ? "value" : p.ir->neurons ? "neurons" : "decoded";
    int repeat = ++used[spec.population + "/" + spec.variable];  // a second probe: decoded_2, ...
    if (repeat > 1) spec.variable += "_" + std::to_string(repeat);
    spec.units = p.ir->neurons ? "Hz" : "1";
    for (Eigen::Index k = 0; k < p.filter.y.size(); ++k) spec.node_ids.push_back(static_cast<uint64_t>(k));
    spec.start_ms = (p.first + 1) * dt_ * 1e3;  // Nengo's time of step k is (k + 1) dt
    spec.step_ms = p.every * dt_ * 1e3;
    p.report = out.add_report(spec);
  }
  for (const EnsembleState& e : ensembles_) {
    std::string base = "nef/" + net_.populations[e.ir->population].name + "/";
    out.write_doubles(base + "gain", std::vector<double>(e.gain.data(), e.gain.data() + e.gain.size()));
    out.write_doubles(base + "bias", std::vector<double>(e.bias.data(), e.bias.data() + e.bias.size()));
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> enc = e.encoders;
    out.write_doubles(base + "encoders", std::vector<double>(enc.data(), enc.data() + enc.size()));
    out.write_int64(base + "dimensions", e.ir->dims);
    out.write_double(base + "radius", e.ir->radius);
  }
  for (const ConnectionState& c : connections_)
    if (c.ir->source_kind == ir::EndpointKind::Ensemble)
      out.write_double("nef/connections/" + c.ir->name + "/rmse", c.rmse);
}

void NefRuntime::Filter::init(double tau, bool alpha, double dt, Eigen::Index n) {
  if (alpha) {
    nef::AlphaCoefficients c = nef::alpha_zoh(tau, dt);
    a1 = c.a1;
    a2 = c.a2;
    b0 = c.b0;
    b1 = c.b1;
  } else {
    nef::LowpassCoefficients c = nef::lowpass_zoh(tau, dt);
    a1 = c.a;
    b0 = c.b;
  }
  y = y_prev = u_prev = Eigen::VectorXd::Zero(n);
}

void NefRuntime::Filter::update(const Eigen::VectorXd& u) {
  Eigen::VectorXd next = a1 * y - a2 * y_prev + b0 * u + b1 * u_prev;
  y_prev = y;
  y = next;
  u_prev = u;
}

Eigen::VectorXd NefRuntime::decoded(const EnsembleState& e, const Eigen::MatrixXd& decoders) const {
  Eigen::VectorXd u = Eigen::VectorXd::Zero(decoders.cols());
  for (int64_t i = 0; i < e.n; ++i)
    if (e.output[i] != 0) u += e.output[i] * decoders.row(i).transpose();
  return u;
}

Eigen::VectorXd NefRuntime::source_value(const ConnectionState& c) const {
  switch (c.ir->source_kind) {
    case ir::EndpointKind::Node: return c.transform * nodes_[c.ir->source];
    case ir::EndpointKind::Neurons: {
      const EnsembleState& e = ensembles_[c.ir->source];
      return c.transform * Eigen::Map<const Eigen::VectorXd>(e.output, e.n);
    }
    default: {
      const EnsembleState& e = ensembles_[c.ir->source];
      Eigen::VectorXd u = Eigen::VectorXd::Zero(c.weights.rows());
      for (int64_t i = 0; i < e.n; ++i)
        if (e.output[i] != 0) u += e.output[i] * c.weights.col(i);
      return u;
    }
  }
}

void NefRuntime::before_update(int64_t k) {
  const double t = (k + 1) * dt_;
  for (size_t n = 0; n < nodes_.size(); ++n) {
    const io::Table& data = node_data_[n];
    if (data.rows > 0) {  // row k at step k; the last row holds after the end
      size_t row = std::min<size_t>(static_cast<size_t>(k), data.rows - 1);
      nodes_[n] = Eigen::Map<const Eigen::VectorXd>(data.values.data() + row * data.cols, data.cols);
      continue;
    }
    nodes_[n].setZero();
    if (!net_.nodes[n].passthrough) kernels_.node[n](nodes_[n].data(), 0, nodes_[n].size(), t);
  }
  // Passthrough nodes first: the sums of what they receive (a synapse's output, or the
  // value of a node with its own value), which connections out of them then read.
  for (const ConnectionState& c : connections_)
    if (c.ir->target_kind == ir::EndpointKind::Node)
      nodes_[c.ir->target] += c.ir->tau > 0 ? c.filter.y : source_value(c);
  for (EnsembleState& e : ensembles_) {
    e.x_in.setZero();
    e.neuron_in.setZero();
  }
  for (ConnectionState& c : connections_)
    if (c.ir->pes) c.error.setZero();
  for (const ConnectionState& c : connections_) {
    // A synapse's output before this step's update (one step of delay); no synapse
    // (nodes only): this step's value.
    if (c.ir->target_kind == ir::EndpointKind::Node) continue;  // done above
    Eigen::VectorXd value = c.ir->tau > 0 ? c.filter.y : source_value(c);
    if (c.ir->target_kind == ir::EndpointKind::Error) {
      connections_[c.ir->target].error += value;
      continue;
    }
    EnsembleState& e = ensembles_[c.ir->target];
    if (c.ir->target_kind == ir::EndpointKind::Neurons)
      e.neuron_in += value;
    else
      e.x_in += value;
  }
  for (EnsembleState& e : ensembles_) {
    Eigen::ArrayXd drive = (e.encoders * e.x_in).array() / e.ir->radius + e.neuron_in.array();
    for (int64_t i = 0; i < e.n; ++i) e.input[i] += e.bias[i] + e.gain[i] * drive[i];
  }
}

void NefRuntime::after_update(int64_t k, io::OutputFile* out) {
  for (ConnectionState& c : connections_)
    if (c.ir->tau > 0) c.filter.update(source_value(c));
  // PES, after the connection used its weights this step: W += -rate dt / n error x
  // activities, the activities through pre_synapse (its state before this step's update).
  for (ConnectionState& c : connections_) {
    if (!c.ir->pes) continue;
    const EnsembleState& e = ensembles_[c.ir->source];
    c.weights.noalias() += (-c.ir->pes_rate * dt_ / static_cast<double>(e.n)) * c.error * c.pre_filtered.transpose();
    c.pre_filtered = c.pes_a * c.pre_filtered + (1 - c.pes_a) * Eigen::Map<const Eigen::VectorXd>(e.output, e.n);
  }
  for (ProbeState& p : probes_) {
    const EnsembleState* e = p.ir->node ? nullptr : &ensembles_[p.ir->index];
    Eigen::VectorXd u = p.ir->node      ? nodes_[p.ir->index]
                        : p.ir->neurons ? Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(e->output, e->n))
                                        : decoded(*e, p.decoders);
    bool sample = out && k >= p.first && k < p.end && (k - p.first) % p.every == 0;
    // A probe's synapse also delays by one step: its output before this step's update.
    if (p.ir->tau > 0) {
      if (sample) out->append_report_row(p.report, p.filter.y.data());
      p.filter.update(u);
    } else if (sample) {
      out->append_report_row(p.report, u.data());
    }
  }
}

}  // namespace axon::engine
