#include "compiler/ir/lower.h"

#include <functional>
#include <map>

#include "compiler/ir/lower_common.h"
#include "compiler/ir/lower_nengo.h"
#include "compiler/ir/lower_synapse.h"
#include "compiler/ir/lower_value.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/network_scope.h"
#include "compiler/units/unit.h"

namespace axon::ir {

namespace {

// Lowers expressions of one model (a neuron, or a receptor inside its neuron).
struct ModelContext {
  const ast::Model* model = nullptr;
  std::string prefix;                  // "" for the neuron, "exc." for a receptor
  const ModelContext* host = nullptr;  // the neuron, for a receptor's post.x
  Population* pop = nullptr;
  // Input name -> contributions (lowered in their receptor's context).
  std::map<std::string, std::vector<Expr>>* contributions = nullptr;
  int noise_source = 0;  // `xi` of this model: Var(noise_source, Space::Noise)
};

class ExprLowering {
 public:
  ExprLowering(const ModelContext& ctx, Diagnostics& diags) : ctx_(ctx), diags_(diags) {}

  // Locals of `let` statements in blocks, innermost last.
  std::vector<std::map<std::string, Expr>> locals;
  int* rand_draws = nullptr;

  Expr lower(const ast::Expr& e) {
    using ast::ExprKind;
    switch (e.kind) {
      case ExprKind::Name: return name(e);
      case ExprKind::Member: {
        // post.x inside a receptor: the host neuron's variable.
        if (ctx_.host) return ExprLowering(*ctx_.host, diags_).name_of(e.name, e.range);
        unsupported(e.range, "'" + e.args[0]->name + "." + e.name + "' here");
        return Expr::constant(0);
      }
      case ExprKind::Call:
        if (e.name == "rand" || e.name == "randn") {
          Expr r;
          r.op = e.name == "rand" ? Op::Rand : Op::Randn;
          r.value = rand_draws ? (*rand_draws)++ : 0;
          return r;
        }
        break;
      default: break;
    }
    if (auto x = lower_operator(e, [&](const ast::Expr& a) { return lower(a); })) return *x;
    unsupported(e.range, "this kind of expression in a model");
    return Expr::constant(0);
  }

  Expr name(const ast::Expr& e) {
    if (e.symbol == ast::SymbolKind::Unit || e.symbol == ast::SymbolKind::Constant) {
      // White noise: a placeholder that classify_odes splits out of the equation
      // (sema allows `xi` only on the right side of an equation).
      if (e.name == "xi") return Expr::variable(ctx_.noise_source, Space::Noise);
      return Expr::constant(e.value_si);
    }
    for (auto it = locals.rbegin(); it != locals.rend(); ++it) {
      auto f = it->find(e.name);
      if (f != it->end()) return f->second;
    }
    return name_of(e.name, e.range);
  }

  Expr name_of(const std::string& n, const SourceRange& where) {
    if (n == "t") return Expr::make(Op::Time, {});
    if (n == "dt") return Expr::make(Op::Dt, {});
    const ast::Declaration* d = ctx_.model->find(n);
    if (d == nullptr) {
      unsupported(where, "the name '" + n + "' here");
      return Expr::constant(0);
    }
    if (d->kind == ast::DeclKind::Let) return lower(*d->value);
    int v = ctx_.pop->find(ctx_.prefix + n);
    Expr var = Expr::variable(v);
    if (d->kind != ast::DeclKind::Input) return var;
    // An input is what stimuli and synapses put in, plus every receptor's contribution.
    Expr sum = var;
    auto c = ctx_.contributions->find(n);
    if (c != ctx_.contributions->end())
      for (const Expr& part : c->second) sum = Expr::make(Op::Add, {sum, part});
    return sum;
  }

  void unsupported(const SourceRange& r, const std::string& what) {
    diags_.error("E090", r, "the back end does not support " + what + " yet");
  }

 private:
  const ModelContext& ctx_;
  Diagnostics& diags_;
};

// Lowers a block: assignments in order, `if` to selects, `let` to locals.
// A temporary of a block: computed once where it stands, read from registers after.
int add_local(Population& pop, const std::string& name) {
  Var v;
  v.name = "%" + name + "." + std::to_string(pop.vars.size());
  v.kind = VarKind::Local;
  pop.vars.push_back(v);
  return static_cast<int>(pop.vars.size()) - 1;
}

// A model's block: assignments to its states and outputs (`prefix` for a receptor).
void lower_block(const std::vector<ast::Stmt>& body, ExprLowering& lx, Population& pop, const std::string& prefix,
                 std::vector<Assign>& out, const Expr* guard) {
  BlockLowering b;
  b.lower = [&](const ast::Expr& e) { return lx.lower(e); };
  b.target = [&](const ast::Stmt& s) { return VarRef{Space::Own, pop.find(prefix + s.target->name)}; };
  b.add_local = [&](const std::string& name) { return add_local(pop, name); };
  b.locals = &lx.locals;
  lower_statements(body, b, out, guard);
}

// "f.h5:/group" in a model: the file relative to the model file's own directory.
std::pair<std::string, std::string> resolve_location(const sema::Program& program, const ast::Expr& text) {
  const std::string& value = text.name;
  size_t colon = value.rfind(":/");
  std::string file = value.substr(0, colon), group = value.substr(colon + 1);
  if (!file.empty() && file[0] != '/' && text.range.file > 0) {
    std::string model = program.files.get(text.range.file).name;
    size_t slash = model.rfind('/');
    if (slash != std::string::npos) file = model.substr(0, slash + 1) + file;
  }
  return {file, group};
}

// Network `let` constants, for values folded at lowering (probe intervals and windows).
sema::ConstLookup network_constants(const ast::Network& net) {
  return [&net](const ast::Expr& name) -> std::optional<double> {
    for (const ast::NetworkLet& l : net.lets)
      if (l.name == name.name && l.value && !l.view.valid) return sema::eval_const(*l.value, network_constants(net));
    return std::nullopt;
  };
}

bool is_uniform(const ast::Expr* e) { return e == nullptr || sema::eval_const(*e).has_value(); }

void add_vars(Population& pop, const ast::Model& m, const std::string& prefix,
              const std::vector<ast::Binding>& overrides) {
  for (const ast::Declaration& d : m.decls) {
    if (d.kind == ast::DeclKind::Let) continue;
    Var v;
    v.name = prefix + d.name;
    v.kind = d.kind == ast::DeclKind::Parameter ? VarKind::Parameter
             : d.kind == ast::DeclKind::Input   ? VarKind::Input
             : d.kind == ast::DeclKind::Output  ? VarKind::Output
                                                : VarKind::State;
    v.dim = d.dim;
    v.range = d.range;
    const ast::Expr* over = nullptr;
    for (const ast::Binding& b : overrides)
      if (b.name == d.name) over = b.value.get();
    v.per_element = v.kind == VarKind::Parameter && !is_uniform(over);
    pop.vars.push_back(v);
  }
}

Population lower_population(const sema::Program& program, const ast::Population& ap, const ast::Network& an,
                            Diagnostics& diags) {
  Population pop;
  pop.name = ap.name;
  pop.model = ap.model.name;
  pop.size = ap.n;
  if (ap.model.name == sema::kSpikeTimes) {
    pop.spike_source = true;
    for (const ast::Binding& b : ap.overrides) {
      if (b.name == "file") {
        auto [file, group] = resolve_location(program, *b.value);
        pop.source_file = file;
        pop.source_group = group;
        continue;
      }
      for (const auto& item : b.value->args) {
        double v = sema::eval_const(*item).value_or(0);
        if (b.name == "times")
          pop.source_times.push_back(v);
        else
          pop.source_indices.push_back(static_cast<int64_t>(v));
      }
    }
    return pop;
  }
  const ast::Model& neuron = *program.model(ap.model.name);
  add_vars(pop, neuron, "", ap.overrides);
  std::vector<std::pair<const ast::Model*, std::string>> receptors;
  std::vector<ModelValues> values{{&neuron, "", &ap.overrides}};
  for (const ast::ReceptorBinding& r : ap.receptors) {
    const ast::Model* rm = program.model(r.model.name);
    add_vars(pop, *rm, r.name + ".", r.args);
    receptors.emplace_back(rm, r.name + ".");
    values.push_back({rm, r.name + ".", &r.args});
  }
  lower_population_values(values, an, pop, diags);

  std::map<std::string, std::vector<Expr>> contributions;
  ModelContext host{&neuron, "", nullptr, &pop, &contributions};
  std::vector<ModelContext> receptor_ctx;
  receptor_ctx.reserve(receptors.size());
  for (auto& [rm, prefix] : receptors)
    receptor_ctx.push_back(
        ModelContext{rm, prefix, &host, &pop, &contributions, static_cast<int>(receptor_ctx.size()) + 1});
  // Contributions first: inputs expand into them wherever they are read.
  for (const ModelContext& rc : receptor_ctx) {
    ExprLowering lx(rc, diags);
    for (const ast::Contribution& c : rc.model->contributions)
      contributions[c.input.name].push_back(lx.lower(*c.value));
  }

  ExprLowering lx(host, diags);
  lx.rand_draws = &pop.rand_draws;
  for (const ast::Ode& o : neuron.odes) pop.derivatives.emplace_back(pop.find(o.state), lx.lower(*o.rhs));
  for (const ModelContext& rc : receptor_ctx) {
    ExprLowering rx(rc, diags);
    rx.rand_draws = &pop.rand_draws;
    for (const ast::Ode& o : rc.model->odes)
      pop.derivatives.emplace_back(pop.find(rc.prefix + o.state), rx.lower(*o.rhs));
  }
  for (const auto& block : neuron.update_blocks) lower_block(block, lx, pop, "", pop.update, nullptr);
  for (const ast::Declaration& d : neuron.decls)
    if (d.kind == ast::DeclKind::Output && d.value) pop.update.push_back(Assign{pop.find(d.name), lx.lower(*d.value)});
  if (!neuron.on_spike.empty()) {
    pop.threshold = lx.lower(*neuron.on_spike[0].condition);
    lower_block(neuron.on_spike[0].body, lx, pop, "", pop.reset, nullptr);
  }
  if (!neuron.refractory.empty()) {
    pop.refractory = lx.lower(*neuron.refractory[0].period);
    for (const ast::NameRef& n : neuron.refractory[0].clamped) pop.clamped.push_back(pop.find(n.name));
  }
  if (!pop.update.empty() && !pop.derivatives.empty())
    diags.error("E090", ap.model.range, "the back end does not support a model with both ODEs and an update block yet");
  pop.method = pop.update.empty() ? Method::Euler : Method::Update;
  // A declared method applies to equations; an update block steps itself.
  if (!neuron.method.name.empty() && pop.update.empty() && !pop.derivatives.empty()) {
    static const std::map<std::string, Method> methods = {{"exact", Method::Exact},
                                                          {"euler", Method::Euler},
                                                          {"rk2", Method::RK2},
                                                          {"rk4", Method::RK4},
                                                          {"exponential_euler", Method::ExponentialEuler}};
    pop.method = methods.at(neuron.method.name);
    pop.method_reason = "declared by the model";
  }
  return pop;
}

// Network expressions of t and i (stimuli): constants fold, network lets inline.
Expr lower_network_expr(const ast::Expr& e, const ast::Network& net, Diagnostics& diags) {
  using ast::ExprKind;
  if (auto v = sema::eval_const(e)) return Expr::constant(*v);
  switch (e.kind) {
    case ExprKind::Name:
      if (e.name == "t") return Expr::make(Op::Time, {});
      if (e.name == "i") return Expr::variable(-1, Space::Index);
      if (e.name == "j") return Expr::variable(-1, Space::PostIndex);
      for (const ast::NetworkLet& l : net.lets)
        if (l.name == e.name && l.value) return lower_network_expr(*l.value, net, diags);
      break;
    case ExprKind::Unary: {
      return unary(e.op, lower_network_expr(*e.args[0], net, diags));
    }
    case ExprKind::Binary:
      return Expr::make(binary_operator(e.op),
                        {lower_network_expr(*e.args[0], net, diags), lower_network_expr(*e.args[1], net, diags)});
    case ExprKind::Conditional:
      return Expr::make(Op::Select,
                        {lower_network_expr(*e.args[0], net, diags), lower_network_expr(*e.args[1], net, diags),
                         lower_network_expr(*e.args[2], net, diags)});
    case ExprKind::Call: {
      const builtins::FunctionInfo* f = builtins::find_function(e.name);
      if (!f || !f->evaluate) break;
      Expr c = Expr::call(f->id, {});
      for (const auto& a : e.args) c.args.push_back(lower_network_expr(*a, net, diags));
      return c;
    }
    default: break;
  }
  diags.error("E090", e.range, "the back end does not support this in a stimulus yet");
  return Expr::constant(0);
}

// The rule that makes a projection's synapses, with its arguments as build-time values
// (a draw in one is taken from the projection's stream 0, element 0).
Connectivity lower_connectivity(const ast::Projection& ap, const ast::Network& an, Diagnostics& diags) {
  Connectivity c;
  const ast::Expr* e = ap.connect.get();
  if (e == nullptr) return c;
  c.range = e->range;
  if (ap.connect_where) {
    c.kind = ConnectKind::Where;
    return c;
  }
  if (e->kind == ast::ExprKind::Name) {
    c.kind = e->name == "one_to_one" ? ConnectKind::OneToOne : ConnectKind::All;
    return c;
  }
  static const std::map<std::string, ConnectKind> kinds = {{"probability", ConnectKind::Probability},
                                                           {"fixed_in_degree", ConnectKind::FixedInDegree},
                                                           {"fixed_out_degree", ConnectKind::FixedOutDegree},
                                                           {"fixed_total", ConnectKind::FixedTotal},
                                                           {"patched", ConnectKind::Patched},
                                                           {"explicit", ConnectKind::Explicit}};
  auto it = kinds.find(e->name);
  if (it == kinds.end()) {
    diags.error("E090", e->range, "the back end does not support the connectivity '" + e->name + "' yet");
    return c;
  }
  c.kind = it->second;
  if (c.kind == ConnectKind::Explicit) return c;
  const ValueNames names = network_value_names(an, diags);
  for (size_t k = 0; k < e->args.size(); ++k) {
    std::optional<Expr> v = lower_value(*e->args[k], names, "a connectivity argument", diags);
    c.arg_names.push_back(k < e->arg_names.size() ? e->arg_names[k] : "");
    c.args.push_back(v ? *v : Expr::constant(0));
  }
  return c;
}

units::Unit display_unit(const units::Dimension& dim) {
  // Neuroscience units by default: mV, nA, nS, pF, ms, Mohm; else SI.
  static const char* preferred[] = {"mV", "nA", "nS", "pF", "ms", "Mohm", "Hz"};
  for (const char* u : preferred) {
    auto unit = units::lookup_unit_symbol(u);
    if (unit && unit->dim == dim) return *unit;
  }
  return units::Unit{1.0, dim};
}

}  // namespace

const ast::Network* pick_network(const sema::Program& program, const std::string& name, Diagnostics& diags) {
  if (!name.empty()) {
    const ast::Network* n = program.network(name);
    if (!n) diags.error("E070", {}, "no network named '" + name + "'");
    return n;
  }
  for (uint32_t f : program.user_files)
    for (const ast::Module& m : program.modules)
      if (m.file == f && !m.runs.empty()) return program.network(m.runs[0].network.name);
  std::vector<const ast::Network*> user;
  for (uint32_t f : program.user_files)
    for (const ast::Module& m : program.modules)
      if (m.file == f)
        for (const ast::Network& n : m.networks) user.push_back(&n);
  if (user.size() == 1) return user[0];
  diags
      .error("E070", {},
             user.empty() ? "the file has no network to run" : "the file has several networks and no run block")
      .hint = "name one with --network NAME";
  return nullptr;
}

const ast::Run* find_run(const sema::Program& program, const std::string& network) {
  for (const ast::Module& m : program.modules)
    for (const ast::Run& r : m.runs)
      if (r.network.name == network) return &r;
  return nullptr;
}

// Inputs that nothing adds to (no stimulus, synapse or ensemble writes them) stay 0:
// the layout then keeps them as one constant instead of an array read and cleared
// every step (CUBA's receptor input u, for one).
void mark_written_inputs(Network& net) {
  for (Population& p : net.populations)
    for (Var& v : p.vars)
      if (v.kind == VarKind::Input) v.written = false;
  auto mark = [&](const std::string& pop, int var) {
    Population& p = net.populations[net.find(pop)];
    if (var >= 0 && var < static_cast<int>(p.vars.size())) p.vars[var].written = true;
  };
  for (const Projection& pr : net.projections) {
    mark(pr.target, pr.target_var);
    for (const std::vector<Assign>* code : {&pr.on_pre, &pr.on_post, &pr.update})
      for (const Assign& a : *code) {
        if (a.space == Space::Pre)
          mark(pr.source, a.var);
        else if (a.space == Space::Post)
          mark(pr.target, a.var);
      }
  }
  for (const Stimulus& s : net.stimuli) mark(s.population, s.input_var);
  for (const Ensemble& e : net.ensembles) mark(net.populations[e.population].name, e.input_var);
}

namespace {

// A variable of `pop` named by a reference: "v", "exc.g", or a receptor named alone
// ("exc"), which stands for its first state. -1 when there is none.
int find_target_var(const Population& pop, const std::vector<std::string>& path) {
  std::string name = path[0];
  if (path.size() == 2) name += "." + path[1];
  int v = pop.find(name);
  if (v >= 0) return v;
  for (size_t k = 0; k < pop.vars.size(); ++k)
    if (pop.vars[k].kind == VarKind::State && pop.vars[k].name.rfind(name + ".", 0) == 0) return static_cast<int>(k);
  return -1;
}

Projection lower_projection(const sema::Program& program, const ast::Projection& ap, const ast::Network& an,
                            const Network& net, Diagnostics& diags) {
  Projection p;
  p.name = ap.name.empty() ? ap.source_ref.population + "_to_" + ap.target_ref.population + "_" + ap.target_ref.path[0]
                           : ap.name;
  // Default names must be unique: they key the projection's random streams.
  if (ap.name.empty())
    for (const Projection& other : net.projections)
      if (other.name == p.name) p.name += "_" + std::to_string(net.projections.size());
  p.source = ap.source_ref.population;
  p.target = ap.target_ref.population;
  p.pre_begin = ap.source_ref.begin;
  p.pre_end = ap.source_ref.end;
  p.post_begin = ap.target_ref.begin;
  p.post_end = ap.target_ref.end;
  p.pre_indices = ap.source_ref.indices;
  p.post_indices = ap.target_ref.indices;
  p.target_var = find_target_var(net.populations[net.find(p.target)], ap.target_ref.path);
  const ast::Model& syn = *program.model(ap.synapse.name.empty() ? "Static" : ap.synapse.name);
  lower_synapse(syn, ap, net, p, diags);
  if (ap.connect && ap.connect->kind == ast::ExprKind::Call && ap.connect->name == "explicit" &&
      !ap.connect->args.empty()) {
    auto [file, group] = resolve_location(program, *ap.connect->args[0]);
    p.explicit_file = file;
    p.explicit_group = group;
    // Per-synapse values may come from the file, so they get arrays.
    for (Var& v : p.synapse_vars)
      if (v.kind == VarKind::Parameter && syn.find(v.name) && syn.find(v.name)->per_synapse) v.per_element = true;
  }
  lower_synapse_values(syn, ap, an, p, diags);
  p.connect = lower_connectivity(ap, an, diags);
  if (ap.delay) {
    p.delay = lower_value(*ap.delay, network_value_names(an, diags), "a delay", diags);
    p.delay_range = ap.delay->range;
  }
  if (ap.connect_where) p.where = lower_network_expr(*ap.connect, an, diags);
  return p;
}

Stimulus lower_stimulus(const sema::Program& program, const ast::Stimulus& as, const ast::Network& an,
                        const Network& net, Diagnostics& diags) {
  Stimulus s;
  s.population = as.target_ref.population;
  s.begin = as.target_ref.begin;
  s.end = as.target_ref.end;
  s.input_var = net.populations[net.find(s.population)].find(as.target_ref.path[0]);
  if (const ast::Expr* file = ast::data_source(*as.value)) {
    std::tie(s.data_file, s.data_path) = resolve_location(program, *file);
    s.lowered = Expr::constant(0);
  } else {
    s.lowered = lower_network_expr(*as.value, an, diags);
  }
  return s;
}

// The recording window and interval: network constants (sema checked them).
void lower_window(const ast::Probe& ap, const sema::ConstLookup& lets, Probe& p) {
  if (ap.from) p.from = sema::eval_const(*ap.from, lets).value_or(0);
  if (ap.to) p.to = sema::eval_const(*ap.to, lets).value_or(-1);
  if (ap.every) p.every = sema::eval_const(*ap.every, lets).value_or(0);
}

Probe lower_probe(const ast::Probe& ap, const ast::Network& an, const Network& net, Diagnostics& diags) {
  Probe p;
  const sema::ConstLookup lets = network_constants(an);
  lower_window(ap, lets, p);
  if (!ap.projection.empty()) {
    for (size_t k = 0; k < net.projections.size(); ++k)
      if (net.projections[k].name == ap.projection) p.projection = static_cast<int>(k);
    const Projection& pr = net.projections[p.projection];
    for (size_t k = 0; k < pr.synapse_vars.size(); ++k)
      if (pr.synapse_vars[k].name == ap.target->name) p.syn_var = static_cast<int>(k);
    p.unit = units::format_unit(units::Unit{1.0, pr.synapse_vars[p.syn_var].value_dim});
    return p;
  }
  p.population = ap.target_ref.population;
  p.begin = ap.target_ref.begin;
  p.end = ap.target_ref.end;
  p.indices = ap.target_ref.indices;
  p.spikes = ap.spikes;
  p.rate = ap.rate;
  if (p.rate) p.unit = "Hz";
  for (const ast::Binding& b : ap.args)
    if (b.name == "smooth") p.smooth = sema::eval_const(*b.value, lets).value_or(0);
  if (p.spikes || p.rate) return p;
  const Population& pop = net.populations[net.find(p.population)];
  p.var = find_target_var(pop, ap.target_ref.path);
  if (p.var >= 0 && pop.vars[p.var].kind == VarKind::Input)
    diags.error("E090", ap.target->range, "the back end cannot probe inputs yet; probe a state");
  units::Unit u = p.var >= 0 ? display_unit(pop.vars[p.var].dim) : units::Unit{};
  if (ap.unit) {
    if (auto parsed = units::parse_unit(ap.unit->text); parsed.unit) u = *parsed.unit;
    p.unit = ap.unit->text;
  } else {
    p.unit = units::format_unit(u);
  }
  p.unit_scale = u.scale;
  return p;
}

}  // namespace

std::optional<Network> lower_network(const sema::Program& program, const std::string& name, Diagnostics& diags) {
  const ast::Network* an = pick_network(program, name, diags);
  if (an == nullptr) return std::nullopt;
  size_t errors_before = diags.error_count();
  Network net;
  net.name = an->name;
  for (const ast::Population& p : an->populations) net.populations.push_back(lower_population(program, p, *an, diags));
  for (const ast::Projection& ap : an->projections)
    net.projections.push_back(lower_projection(program, ap, *an, net, diags));
  for (const ast::Stimulus& as : an->stimuli) net.stimuli.push_back(lower_stimulus(program, as, *an, net, diags));
  lower_nengo(
      *an, net, [&](const ast::Expr& e) { return lower_network_expr(e, *an, diags); }, diags);
  for (size_t k = 0; k < an->nodes.size(); ++k)
    if (const ast::Expr* file = an->nodes[k].value ? ast::data_source(*an->nodes[k].value) : nullptr)
      std::tie(net.nodes[k].data_file, net.nodes[k].data_path) = resolve_location(program, *file);
  for (const ast::Probe& ap : an->probes)
    if (ap.nengo.empty()) net.probes.push_back(lower_probe(ap, *an, net, diags));  // else lowered by lower_nengo
  if (diags.error_count() > errors_before) return std::nullopt;
  mark_written_inputs(net);
  return net;
}

}  // namespace axon::ir
