// The axon abstract syntax tree: plain structs built by compiler/parse from the ANTLR
// parse tree and annotated in place by sema (resolved names, dimensions).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.h"
#include "compiler/units/dimension.h"

namespace axon::ast {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  Number,       // number (+ unit_text): `20 ms`
  Bool,         // `true` / `false` (number = 1 or 0)
  String,       // "file.h5:/path"
  Name,         // a bare identifier
  PrePost,      // `pre` / `post` (name holds which); only meaningful before `.x`
  Member,       // args[0].name
  Index,        // args[0][args[1]] or a slice args[0][args[1]:args[2]] (null = open)
  Call,         // name(args...), arg_names[i] empty for positional arguments
  Unary,        // op args[0]: "-", "+", "not"
  Binary,       // args[0] op args[1]: + - * / % ^ < <= > >= == != and or
  Conditional,  // args[0] ? args[1] : args[2]
  List,         // [args...]
};

// The operators of expressions, read once from their text by the parser; `text` gives
// the text back for messages and printing. Neg, Plus and Not are unary.
enum class Operator { Add, Sub, Mul, Div, Mod, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or, Neg, Plus, Not };

// The operators of assignments: = += -= *= /=
enum class AssignOp { Set, Add, Sub, Mul, Div };

const char* text(Operator op);
const char* text(AssignOp op);
// nullopt for text that is no operator of that kind.
std::optional<Operator> binary_operator(const std::string& text);
std::optional<Operator> unary_operator(const std::string& text);
std::optional<AssignOp> assign_operator(const std::string& text);

inline bool is_comparison(Operator op) { return op >= Operator::Lt && op <= Operator::Ne; }

// What a name refers to, filled in by sema.
enum class SymbolKind {
  Unresolved,
  Parameter,
  State,
  Input,
  Let,  // a named expression (model member or block-local)
  Output,
  Time,      // t
  Step,      // dt
  Index,     // i, j (element indices in network expressions)
  Unit,      // a unit symbol used as a value: `/ ms`
  Constant,  // pi, e
  Population,
  View,      // a network `let` naming a slice of a population
  Receptor,  // a receptor instance of a population
  HostVar,   // a variable of the neuron hosting a receptor (`post.v` in a receptor)
  PostVar,   // `post.x` in a synapse
  PreVar,    // `pre.x` in a synapse
};

struct Expr {
  ExprKind kind = ExprKind::Number;
  SourceRange range;

  double number = 0;                   // Number (as written, before the unit), Bool
  std::string unit_text;               // Number: unit written after it ("" = dimensionless)
  std::string name;                    // Name, Member, Call, PrePost, String (its text)
  Operator op = Operator::Add;         // Unary, Binary
  bool is_slice = false;               // Index
  std::vector<ExprPtr> args;           // operands; null entries for open slice bounds
  std::vector<std::string> arg_names;  // Call: "" for positional arguments

  // Sema annotations.
  SymbolKind symbol = SymbolKind::Unresolved;
  units::Dimension dim;  // physical dimension of the value
  bool is_bool = false;  // comparisons, and/or/not, true/false
  double value_si = 0;   // Number: the value in SI units; Unit: its scale
};

ExprPtr clone(const Expr& e);

// `data("file.h5:/dataset")`: values read from an HDF5 dataset, one row a step (node
// values, stimuli). The string argument, or null when `e` is not such a call.
inline const Expr* data_source(const Expr& e) {
  if (e.kind == ExprKind::Call && e.name == "data" && e.args.size() == 1 && e.args[0] &&
      e.args[0]->kind == ExprKind::String)
    return e.args[0].get();
  return nullptr;
}

struct UnitAnnotation {
  std::string text;  // canonical text of the unit expression, e.g. "nS/mV"
  SourceRange range;
};

enum class StmtKind { Assign, Let, If };

struct Stmt {
  StmtKind kind = StmtKind::Assign;
  SourceRange range;
  ExprPtr target;                      // Assign: a Name or a pre./post. Member
  AssignOp op = AssignOp::Set;         // Assign
  std::string name;                    // Let
  std::optional<UnitAnnotation> unit;  // Let
  ExprPtr value;                       // Assign, Let: right-hand side; If: condition
  std::vector<Stmt> then_body;
  std::vector<Stmt> else_body;
};

// parameter / state / input / let / output of a model.
enum class DeclKind { Parameter, State, Input, Let, Output };

struct Declaration {
  DeclKind kind = DeclKind::Parameter;
  std::string name;
  SourceRange range;  // the name
  std::optional<UnitAnnotation> unit;
  ExprPtr value;  // default, initial value or definition; may be null
  bool per_synapse = false;
  units::Dimension dim;    // sema: resolved dimension
  bool dim_known = false;  // sema: false for generic synapse parameters
};

struct Ode {
  std::string state;
  SourceRange range;  // the `x'` part
  ExprPtr rhs;
  bool event_driven = false;
};

struct OnSpike {
  SourceRange range;
  ExprPtr condition;
  std::vector<Stmt> body;
};

struct EventHandler {
  bool on_post = false;  // false: on pre
  SourceRange range;
  std::vector<Stmt> body;
};

struct NameRef {
  std::string name;
  SourceRange range;
};

struct Refractory {
  SourceRange range;
  ExprPtr period;
  std::vector<NameRef> clamped;
};

struct Contribution {
  SourceRange range;
  ExprPtr value;
  NameRef input;  // an input of the host neuron
};

enum class ModelKind { Neuron, Receptor, Synapse };

struct Model {
  ModelKind kind = ModelKind::Neuron;
  std::string name;
  SourceRange range;               // the name
  bool rate = false;               // `rate neuron`
  NameRef modifier;                // the word before `neuron` etc., if any (only `rate` is valid)
  std::vector<Declaration> decls;  // in source order
  NameRef method;                  // empty name: automatic choice
  std::vector<Ode> odes;
  std::vector<OnSpike> on_spike;  // at most one is valid; sema reports extras
  std::vector<EventHandler> handlers;
  std::vector<Refractory> refractory;
  std::vector<std::vector<Stmt>> update_blocks;
  std::vector<SourceRange> update_ranges;
  std::vector<Contribution> contributions;
  uint32_t module_file = 0;

  const Declaration* find(const std::string& n) const;
  Declaration* find(const std::string& n);
};

// A resolved network reference (filled by sema): elements [begin, end) of a population,
// then member names: {} for the neurons, {"v"}, {"exc"} (a receptor), {"exc", "g"}.
struct TargetRef {
  std::string population;
  int64_t begin = 0;
  int64_t end = 0;
  // An index-list view (`P[[3, 0, 7]]`): its neurons in the order listed (indices in the
  // population); begin/end then cover them. Empty: the contiguous range [begin, end).
  std::vector<int64_t> indices;
  std::vector<std::string> path;
  bool valid = false;

  int64_t size() const { return indices.empty() ? end - begin : static_cast<int64_t>(indices.size()); }
};

struct Binding {
  std::string name;
  SourceRange range;
  ExprPtr value;
};

struct ReceptorBinding {
  std::string name;
  SourceRange range;
  NameRef model;
  std::vector<Binding> args;
};

struct Population {
  std::string name;
  SourceRange range;
  NameRef model;
  ExprPtr size;
  std::vector<ReceptorBinding> receptors;
  std::vector<Binding> overrides;
  int64_t n = 0;  // sema: the evaluated size
  // `ensemble NAME = Model[n] { ... }`: a Nengo ensemble; its NEF settings (dimensions,
  // radius, max_rates, intercepts, gain, bias, seed) are kept apart from the overrides.
  bool ensemble = false;
  std::vector<Binding> nef_args;
};

// `node NAME[d] = expr`: a Nengo node, a d-dimensional signal of t and the component i.
struct Node {
  std::string name;
  SourceRange range;
  ExprPtr size;   // null: 1
  ExprPtr value;  // null: a passthrough node (its value is the sum of what it receives)
  int64_t n = 1;  // sema
};

enum class EndpointKind { Ensemble, Node, Neurons, Error };

// `connect A -> B { function = ...; transform = ...; synapse = ... }` (Nengo's Connection):
// A an ensemble, a node or `E.neurons`; B an ensemble, `E.neurons`, or `C.error` (the
// error input of connection C's PES rule: `learning_rule = PES(learning_rate, pre_synapse)`).
struct Connection {
  std::string name;  // `connect C = A -> B`: needed to send an error to its PES rule (C.error)
  SourceRange range;
  ExprPtr source, target;
  std::vector<Binding> args;
  // sema
  EndpointKind source_kind = EndpointKind::Ensemble, target_kind = EndpointKind::Ensemble;
  std::string source_name, target_name;
  int64_t source_size = 0, target_size = 0;  // dimensions (neurons for E.neurons)
  int64_t out_size = 0;                      // values sent: the function's outputs, else source_size
};

struct NetworkLet {
  std::string name;
  SourceRange range;
  ExprPtr value;
  TargetRef view;  // sema: when the value names neurons (a slice); else a constant
};

struct Projection {
  std::string name;   // "" when not named
  SourceRange range;  // the `project` keyword
  ExprPtr source;
  ExprPtr target;
  NameRef synapse;  // empty: Static
  std::vector<Binding> synapse_args;
  ExprPtr connect;  // null: all
  bool connect_where = false;
  ExprPtr delay;                     // null: 0
  TargetRef source_ref, target_ref;  // sema
};

struct Stimulus {
  SourceRange range;
  ExprPtr target;        // P.I or P[a:b].I
  ExprPtr value;         // expression of t and i
  TargetRef target_ref;  // sema
};

struct Probe {
  SourceRange range;
  bool spikes = false;  // `probe spikes of P`
  bool rate = false;    // `probe rate of P`: the population rate in bins of `every`
  NameRef kind;         // the word before `of` (sema rejects anything but spikes/rate)
  ExprPtr target;
  std::optional<UnitAnnotation> unit;
  ExprPtr every;
  ExprPtr from, to;            // recording window; null = the whole run
  TargetRef target_ref;        // sema
  std::string projection;      // sema: `probe NAME.x` of a named projection (then x is a synapse variable)
  std::vector<Binding> args;   // `{ synapse = 10 ms }` of a probe of an ensemble or node
  std::string nengo;           // sema: the ensemble (decoded value) or node probed
  bool nengo_neurons = false;  // sema: `probe A.neurons` (the neurons' outputs)
};

struct Network {
  std::string name;
  SourceRange range;
  std::vector<Population> populations;
  std::vector<NetworkLet> lets;
  std::vector<Projection> projections;
  std::vector<Stimulus> stimuli;
  std::vector<Probe> probes;
  std::vector<Node> nodes;
  std::vector<Connection> connections;
};

struct Run {
  NameRef network;
  SourceRange range;
  std::vector<Binding> settings;
};

struct Import {
  std::string path;  // dotted: neurons.lif
  SourceRange range;
};

struct Module {
  uint32_t file = 0;
  std::vector<Import> imports;
  std::vector<Model> models;
  std::vector<Network> networks;
  std::vector<Run> runs;
};

const char* to_string(ModelKind k);
const char* to_string(DeclKind k);

}  // namespace axon::ast
