// The Nengo layer at run time: ensembles' gains, biases, encoders and connections'
// decoders (drawn and solved when the network is built, with runtime/nef), and per step
// the node values, the decoded and filtered signals, the ensembles' input currents and
// the probes of decoded values.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/kernels.h"
#include "runtime/engine/network_state.h"
#include "runtime/io/input_file.h"
#include "runtime/io/output_file.h"

namespace axon::engine {

class NefRuntime {
 public:
  // Draws gains, biases and encoders, solves the decoders. Throws BuildError on a bad
  // setting found only now (a max rate the neuron type cannot reach, ...).
  NefRuntime(const ir::Network& net, NetworkState& state, const CompiledKernels& kernels, double dt, uint64_t seed);

  bool empty() const { return ensembles_.empty() && nodes_.empty(); }

  // Adds the probes' reports and the build results (gains, biases, encoders, decoder
  // RMSEs) to the output file.
  void add_outputs(io::OutputFile& out, int64_t steps);
  // Step k, before the neuron updates: node values at Nengo's time (k + 1) dt, then every
  // ensemble's input J += bias + gain (e . x) / radius (+ gain * direct neuron input).
  void before_update(int64_t k);
  // Step k, after the neuron updates: decode the outputs, advance the synapses, write the
  // probes (sampled after the step, as Nengo does).
  void after_update(int64_t k, io::OutputFile* out);

 private:
  // A synapse over a vector signal, zero-order hold: Lowpass y = a y + (1 - a) u, or Alpha
  // y = 2a y1 - a^2 y2 + b0 u + b1 u1 (runtime/nef/synapses.h).
  struct Filter {
    double a1 = 0, a2 = 0, b0 = 1, b1 = 0;
    Eigen::VectorXd y, y_prev, u_prev;
    void init(double tau, bool alpha, double dt, Eigen::Index n);
    void update(const Eigen::VectorXd& u);
  };
  struct EnsembleState {
    const ir::Ensemble* ir = nullptr;
    int64_t n = 0;
    Eigen::ArrayXd gain, bias, max_rates, intercepts;
    Eigen::MatrixXd encoders;  // n x d, unit rows
    double* input = nullptr;   // J
    const double* output = nullptr;
    Eigen::VectorXd x_in;       // this step's decoded input (d)
    Eigen::VectorXd neuron_in;  // this step's direct input to the neurons (n)
  };
  struct ConnectionState {
    const ir::NefConnection* ir = nullptr;
    Eigen::MatrixXd weights;    // target x n: transform D^T (ensemble sources; PES learns it)
    Eigen::MatrixXd transform;  // target x out
    Filter filter;              // its synapse (target size)
    double rmse = 0;
    // PES: the filtered activities (n), this step's error (target size), exp(-dt / pre_synapse).
    Eigen::VectorXd pre_filtered, error;
    double pes_a = 0;
  };
  struct ProbeState {
    const ir::NefProbe* ir = nullptr;
    Eigen::MatrixXd decoders;  // identity decoders (ensemble probes)
    Filter filter;
    int report = -1;
    int64_t every = 1, first = 0, end = 0;
  };

  const ir::Network& net_;
  double dt_;
  const CompiledKernels& kernels_;
  std::vector<EnsembleState> ensembles_;
  std::vector<Eigen::VectorXd> nodes_;
  std::vector<io::Table> node_data_;  // per node: its rows when read from a file
  std::vector<ConnectionState> connections_;
  std::vector<ProbeState> probes_;

  Eigen::VectorXd source_value(const ConnectionState& c) const;
  Eigen::VectorXd decoded(const EnsembleState& e, const Eigen::MatrixXd& decoders) const;
};

}  // namespace axon::engine
