// The lowered model: per population a state layout (one array per variable), an update
// kernel spec (ODEs + integrator or a discrete update block, threshold, reset,
// refractoriness, receptors merged in); per projection a delivery spec. All values SI.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/builtins/functions.h"
#include "compiler/diagnostics/source.h"
#include "compiler/units/dimension.h"

namespace axon::ir {

enum class Op {
  Const,  // value
  Var,    // var (index into the population's vars)
  Time,   // t at the start of the step
  Dt,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Neg,
  Pow,
  Call,  // fn(args...), a deterministic built-in function
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  Ne,
  And,
  Or,
  Not,
  Select,  // args[0] ? args[1] : args[2]
  Rand,    // uniform [0, 1), counter-based, `value` = draw number within the step
  Randn,   // standard normal, likewise
  // Build-time values only (parameter values, initial states, synapse values, delays):
  Draw,  // a sample of the distribution or weight initialiser `fn` with parameters
         // `args`, from the element's stream; `range` is the call (its place keys the
         // stream, so two draws in one value differ, and errors point at it)
  Text,  // a text argument of a Draw (`text`), e.g. VarianceScaling's "fan_in"
};

// Which variable a Var reads (or an Assign writes): `var` counts within its space.
enum class Space : uint8_t {
  Own,        // the element's own: a neuron's variable, or a synapse's in a projection
  Post,       // in a projection: a variable of the target neuron
  Pre,        // in a projection: a variable of the source neuron
  Index,      // i: the element, or the source of a synapse (no `var`)
  PostIndex,  // j: the target of a synapse (no `var`)
  Noise,      // `xi` of model `var` of the population (0: the neuron, k: its k-th receptor)
};

struct VarRef {
  Space space = Space::Own;
  int var = -1;
  bool operator==(const VarRef& o) const { return space == o.space && var == o.var; }
  bool operator!=(const VarRef& o) const { return !(*this == o); }
  bool operator<(const VarRef& o) const { return space != o.space ? space < o.space : var < o.var; }
};

struct Expr {
  Op op = Op::Const;
  double value = 0;
  Space space = Space::Own;             // Var
  int var = -1;                         // Var
  builtins::Fn fn = builtins::Fn::Exp;  // Call, Draw
  std::string text;                     // Text
  std::vector<Expr> args;
  SourceRange range;  // Draw: the call

  static Expr constant(double v) {
    Expr e;
    e.op = Op::Const;
    e.value = v;
    return e;
  }
  static Expr variable(int v, Space s = Space::Own) {
    Expr e;
    e.op = Op::Var;
    e.space = s;
    e.var = v;
    return e;
  }
  static Expr variable(VarRef r) { return variable(r.var, r.space); }
  VarRef ref() const { return {space, var}; }
  static Expr make(Op op, std::vector<Expr> args) {
    Expr e;
    e.op = op;
    e.args = std::move(args);
    return e;
  }
  static Expr call(builtins::Fn fn, std::vector<Expr> args) {
    Expr e = make(Op::Call, std::move(args));
    e.fn = fn;
    return e;
  }
  bool is_const() const { return op == Op::Const; }
};

enum class VarKind {
  Parameter,  // constant during the run; per element only when `per_element`
  State,      // one array, integrated or stepped
  Input,      // the external part of a neuron input: stimuli and synapses add, the kernel reads and clears
  Output,     // a rate neuron's output (a state written by the kernel)
  Local,      // a temporary of an event or update block (`let`, an `if` condition): no storage
};

struct Var {
  std::string name;  // "v", or "exc.g" for a receptor's variable
  VarKind kind = VarKind::State;
  units::Dimension dim;
  bool per_element = false;  // parameters: varies across neurons (else one value)
  bool per_synapse = false;  // synapse variables declared `per synapse`
  bool written = true;       // inputs: false when nothing (stimulus, synapse, ensemble) adds to it
  SourceRange range;
  // Where its values come from, evaluated per element when the network is built: the
  // network's value if it gives one, else the model's default (`--set` replaces both).
  // Var(k) in it is variable k of the same element; i and j are the element indices.
  std::optional<Expr> value;
  bool value_from_network = false;  // the network's override (else the model's default)
  units::Dimension value_dim;       // the dimension of the value as written (a generic
                                    // synapse parameter takes its dimension from it)
  std::optional<double> set_value;  // from --set, SI
};

// A sequence of assignments executed in order; `if` blocks are lowered to selects. A
// synapse's code may write its target neuron's variables (Space::Post).
struct Assign {
  int var = -1;
  Expr value;
  Space space = Space::Own;
  VarRef ref() const { return {space, var}; }
};

enum class Method { Exact, Euler, RK2, RK4, ExponentialEuler, EulerMaruyama, Update };

const char* to_string(Method m);

// x' = A x + B u + c over the integrated states, with the inputs u (held constant over
// a step); entries are expressions of parameters only. Integrated exactly through the
// matrix exponential of the augmented matrix [[A, B, c], [0, 0, 0]] (Van Loan).
struct LinearSystem {
  std::vector<int> states;  // var indices, the rows/columns of A
  std::vector<int> inputs;  // Input var indices, the columns of B
  std::vector<std::vector<Expr>> A, B;
  std::vector<Expr> c;
};

// White noise `xi` (dimension s^-1/2) in a lowered equation: Var(m, Space::Noise) is the
// noise of model m of the population (0: the neuron, k: its k-th receptor); every
// equation of one model that says `xi` sees the same noise. classify_odes splits
// x' = f + g * xi into f (kept in `derivatives`) and a NoiseTerm, so no kernel sees it.

// The stochastic part g * xi of one equation: Euler-Maruyama adds g * sqrt(dt) * N(0, 1),
// N the population's standard normal draw number `draw` of the step.
struct NoiseTerm {
  int state = -1;
  int draw = 0;
  Expr g;
};

// x' = a * x + b with a and b free of x (they may depend on the other states, inputs and
// t): exponential Euler steps x to -b/a + (x + b/a) * exp(a * dt), or x + b * dt where
// a == 0, with every a and b evaluated at the start of the step.
struct ConditionallyLinear {
  int state = -1;
  Expr a, b;
};

struct Population {
  std::string name;
  std::string model;
  int64_t size = 0;
  bool spike_source = false;         // SpikeTimes: no kernel, spikes from a list
  std::vector<double> source_times;  // SpikeTimes: seconds
  std::vector<int64_t> source_indices;
  std::string source_file;  // SpikeTimes { file = "f.h5:/group" }: path resolved, group
  std::string source_group;

  std::vector<Var> vars;
  // Integration.
  Method method = Method::Euler;
  std::string method_reason;
  std::vector<std::pair<int, Expr>> derivatives;  // state -> right-hand side (inputs expanded)
  std::optional<LinearSystem> linear;             // when method == Exact
  std::vector<ConditionallyLinear> exp_euler;     // when method == ExponentialEuler
  std::vector<NoiseTerm> noise;                   // when method == EulerMaruyama
  std::vector<Assign> update;                     // when method == Update (before threshold)
  // Events.
  std::optional<Expr> threshold;
  std::vector<Assign> reset;
  std::optional<Expr> refractory;  // period in seconds (an expression of parameters)
  std::vector<int> clamped;
  int rand_draws = 0;  // draws per neuron and step (rand/randn in the kernel)

  int find(const std::string& name) const;
};

// How a projection's synapses are made. The arguments are build-time values
// (constants after lowering, or draws), named as written: p or k first, then
// allow_self, allow_multiple, stride_pre, stride_post.
enum class ConnectKind {
  None,
  All,
  OneToOne,
  Probability,
  FixedInDegree,
  FixedOutDegree,
  FixedTotal,
  Patched,
  Where,
  Explicit
};
struct Connectivity {
  ConnectKind kind = ConnectKind::None;
  std::vector<std::string> arg_names;  // "" for the positional first argument
  std::vector<Expr> args;
  SourceRange range;
};

// Where a synapse writes: a variable of the target population.
struct Projection {
  std::string name;
  std::string source, target;
  int64_t pre_begin = 0, pre_end = 0, post_begin = 0, post_end = 0;
  // Index-list views: the sources / targets in the order listed (population indices,
  // within [begin, end)); empty: every neuron of the range. Synapses are generated over
  // the listed neurons (i, j are positions in the lists), then mapped onto the range.
  std::vector<int64_t> pre_indices, post_indices;
  int target_var = -1;            // index into the target population's vars
  std::vector<Var> synapse_vars;  // per-synapse parameters and states (w, ...)
  std::string synapse;            // the synapse model, and where it is declared
  SourceRange synapse_range;
  std::vector<Assign> on_pre;   // over synapse (Own), Post and Pre vars
  std::vector<Assign> on_post;  // likewise, for each synapse onto a target that spiked
  std::vector<Assign> update;   // every step, for every synapse (synapse `update` blocks)
  // The synapse's equations as lowered; passes/classify_synapse_odes turns them into
  // `event_driven` or refuses them.
  struct Ode {
    int state = -1;
    Expr rhs;
    bool event_driven = false;
    SourceRange range;
  };
  std::vector<Ode> odes;
  // Event-driven states, x' = a + b x between events (a, b free of x): brought to the
  // event's time from the time of the synapse's previous event before each handler runs.
  struct EventDriven {
    int var = -1;
    Expr a, b;
  };
  std::vector<EventDriven> event_driven;
  int lastupdate_var = -1;  // a per-synapse state: time of the last event (s)
  bool plastic() const { return !on_post.empty() || !event_driven.empty() || !update.empty(); }
  bool by_target() const { return !on_post.empty() || !update.empty(); }  // needs the by-target index
  Connectivity connect;
  Expr where;                 // connect where: a condition on i (source) and j (target)
  std::string explicit_file;  // connect explicit("f.h5:/group"): path resolved, group
  std::string explicit_group;
  std::optional<Expr> delay;  // a build-time value of i and j (seconds); none: 0
  SourceRange delay_range;
};

struct Stimulus {
  std::string population;
  int64_t begin = 0, end = 0;
  int input_var = -1;
  Expr lowered;                      // over Time, and Var(Space::Index) for the element index i
  std::string data_file, data_path;  // `data("f.h5:/x")`: one row a step (one value, or one per neuron)
};

struct Probe {
  std::string population;
  int64_t begin = 0, end = 0;
  bool spikes = false;
  bool rate = false;             // population rate (Hz) in bins of `every`
  std::vector<int64_t> indices;  // an index-list view: the neurons recorded, in order
  int projection = -1;           // a synapse probe: the projection (population is then empty)
  int syn_var = -1;              // and its synapse variable
  int var = -1;
  std::string unit;       // display unit, e.g. "mV"
  double unit_scale = 1;  // SI value / unit_scale = displayed value
  double every = 0;       // seconds; 0 = every step
  double smooth = 0;      // rate probes: time constant of the exponential smoothing; 0 = none
  double from = 0;        // recording window [from, to) in seconds; to < 0: to the end
  double to = -1;
};

// The Nengo layer (docs/nengo.md). An ensemble is a population of a Nengo neuron type
// whose input J receives, every step, bias + gain (e . x) / radius, x the sum of its
// filtered incoming decoded signals; gain, bias and encoders are drawn when the network
// is built, and decoders solved then (LstsqL2).
struct Ensemble {
  int population = -1;
  std::string model;  // the neuron type (stdlib model name)
  int64_t dims = 1;
  double radius = 1;
  // Build-time values of the neuron index i (draws allowed), SI.
  std::optional<Expr> max_rates;   // none: Uniform(200 Hz, 400 Hz)
  std::optional<Expr> intercepts;  // none: Uniform(-1, 0.9)
  std::optional<Expr> gain;        // with bias: given directly
  std::optional<Expr> bias;
  std::optional<uint64_t> seed;
  int input_var = -1;   // J
  int output_var = -1;  // the model's output (a rate, or amplitude/dt in a spike step)
};

struct NefNode {
  std::string name;
  int64_t size = 1;
  Expr value;                        // over Time and Var(Space::Index) (the component)
  std::string data_file, data_path;  // `data("f.h5:/x")`: one row of size values a step
  bool passthrough = false;          // `node P[d]`: the sum of what it receives this step
};

// What a Nengo connection starts or ends at: an ensemble's decoded value, a node, an
// ensemble's neurons directly, or (a target only) another connection's error signal.
enum class EndpointKind { Ensemble, Node, Neurons, Error };

struct NefConnection {
  std::string name;  // "A_to_B", for metadata
  EndpointKind source_kind = EndpointKind::Ensemble, target_kind = EndpointKind::Ensemble;
  int source = -1, target = -1;  // ensemble (or node) indices; for an Error target, the connection
  int64_t source_size = 0, out_size = 0, target_size = 0;
  // The function of the decoded value x, one expression per output component, Var(k)
  // reading x[k]; empty: the identity.
  std::vector<Expr> function;
  std::vector<double> transform;  // target_size x out_size, row-major
  double tau = 0.005;             // the synapse's time constant; 0: none
  bool alpha = false;             // Alpha(tau) instead of Lowpass(tau)
  // PES (Nengo): the decoders learn from the error sent to `C.error`:
  // W += -learning_rate dt / n * outer(error, Lowpass(pre_synapse)(activities)).
  bool pes = false;
  double pes_rate = 1e-4, pes_tau = 0.005;
};

struct NefProbe {
  std::string name;  // the ensemble or node
  bool node = false;
  bool neurons = false;  // the ensemble's neuron outputs, not its decoded value
  int index = -1;
  double tau = 0;  // probe synapse; 0: none
  bool alpha = false;
  double every = 0, from = 0, to = -1;
};

struct Network {
  std::string name;
  std::vector<Population> populations;
  std::vector<Projection> projections;
  std::vector<Stimulus> stimuli;
  std::vector<Probe> probes;
  std::vector<Ensemble> ensembles;
  std::vector<NefNode> nodes;
  std::vector<NefConnection> connections;
  std::vector<NefProbe> nef_probes;

  int find(const std::string& population) const;
};

// Whether an expression holds a Draw, or reads the element indices i / j.
bool has_draw(const Expr& e);
bool reads_indices(const Expr& e);

// Evaluates a constant expression (no Var, Time, Dt or draws); nullopt otherwise.
std::optional<double> constant_value(const Expr& e);

// `--emit=ir`: a readable dump saying which integrator each population got and why.
std::string dump(const Network& net);
std::string to_string(const Expr& e, const Population* pop);
// With variables named by `name` (projections name synapse, pre and post variables).
// i, j and xi print as themselves.
std::string to_string(const Expr& e, const std::function<std::string(VarRef)>& name);

}  // namespace axon::ir
