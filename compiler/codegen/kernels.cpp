#include "compiler/codegen/kernels.h"

#include <algorithm>
#include <map>
#include <set>

#include "compiler/codegen/emit_expr.h"
#include "compiler/codegen/synapse_kernels.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Verifier.h"

namespace axon::codegen {

using llvm::Value;

std::string update_name(const ir::Population& p) { return "axon_update_" + p.name; }
std::string reset_name(const ir::Population& p) { return "axon_reset_" + p.name; }
std::string deliver_name(size_t k) { return "axon_deliver_" + std::to_string(k); }
std::string on_post_name(size_t k) { return "axon_on_post_" + std::to_string(k); }
std::string synapse_update_name(size_t k) { return "axon_synapse_update_" + std::to_string(k); }
std::string node_name(size_t k) { return "axon_node_" + std::to_string(k); }
std::string stimulus_name(size_t k) { return "axon_stimulus_" + std::to_string(k); }
std::string where_name(size_t k) { return "axon_where_" + std::to_string(k); }

// A counted loop `for (i = begin; i < end; ++i) body(i)` at the builder's position;
// leaves the builder after the loop.
void emit_loop(llvm::IRBuilder<>& b, Value* begin, Value* end, const std::string& name,
               const std::function<void(Value* i)>& body) {
  llvm::Function* f = b.GetInsertBlock()->getParent();
  llvm::LLVMContext& ctx = b.getContext();
  llvm::BasicBlock* pre = b.GetInsertBlock();
  llvm::BasicBlock* head = llvm::BasicBlock::Create(ctx, name + ".body", f);
  llvm::BasicBlock* exit = llvm::BasicBlock::Create(ctx, name + ".exit", f);
  b.CreateCondBr(b.CreateICmpSLT(begin, end), head, exit);
  b.SetInsertPoint(head);
  llvm::PHINode* i = b.CreatePHI(b.getInt64Ty(), 2, name + ".i");
  i->addIncoming(begin, pre);
  body(i);
  Value* next = b.CreateAdd(i, b.getInt64(1), name + ".next", /*HasNUW=*/true, /*HasNSW=*/true);
  i->addIncoming(next, b.GetInsertBlock());
  b.CreateCondBr(b.CreateICmpSLT(next, end), head, exit);
  b.SetInsertPoint(exit);
}

namespace {

// The kernels of one population. Array pointers are parameters of an inner function
// marked noalias and always inlined: after inlining LLVM keeps the no-alias facts as
// scope metadata, which the vectoriser needs.
class PopulationEmitter {
 public:
  PopulationEmitter(const ir::Population& pop, const PopulationLayout& layout, llvm::Module& m)
      : pop_(pop), L_(layout), m_(m), ctx_(m.getContext()) {}

  void emit_update() {
    std::vector<llvm::Type*> tail = {ptr(), i64(), i64(), i64(), dbl(), dbl(), i64(), i64()};
    llvm::Function* body = inner_function(update_name(pop_) + ".body", tail);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", body));
    auto arg = [&](int k) { return body->getArg(L_.n_slots + k); };
    Value* consts = arg(0);
    Value* begin = arg(1);
    Value* end = arg(2);
    Value* step = arg(3);
    Value* t = arg(4);
    Value* dt = arg(5);
    Value* seed = arg(6);
    Value* object = arg(7);
    std::map<int, Value*> uniform = load_consts(b, consts);
    std::vector<Value*> prop_consts;
    if (pop_.linear && !L_.propagator_per_element)
      for (int k = 0; k < L_.propagator_entries; ++k)
        prop_consts.push_back(b.CreateLoad(dbl(), b.CreateConstGEP1_64(dbl(), consts, L_.propagator_base + k)));

    emit_loop(b, begin, end, "neuron", [&](Value* i) {
      std::map<int, Value*> cur;  // current values in this iteration
      auto load = [&](int v) -> Value* {
        auto it = cur.find(v);
        if (it != cur.end()) return it->second;
        auto u = uniform.find(v);
        if (u != uniform.end()) return u->second;
        if (L_.slot_of[v] < 0) return llvm::ConstantFP::get(dbl(), 0.0);  // a local before its `let`
        Value* x = b.CreateLoad(dbl(), elem(b, body->getArg(L_.slot_of[v]), dbl(), i));
        cur[v] = x;
        return x;
      };
      EmitEnv env;
      env.load = [&](ir::VarRef r) { return load(r.var); };  // a neuron reads only its own
      env.t = t;
      env.dt = dt;
      env.index = i;
      env.counter_base = b.CreateMul(step, b.getInt64(std::max(1, pop_.rand_draws) * 2));
      env.seed = seed;
      env.object = object;
      ExprEmitter ex(b, m_, env);

      Value* refractory = nullptr;
      if (pop_.refractory) {
        Value* last = b.CreateLoad(i64(), elem(b, body->getArg(L_.last_spike_slot), i64(), i));
        Value* ref =
            L_.ref_steps_slot >= 0
                ? b.CreateLoad(i64(), elem(b, body->getArg(L_.ref_steps_slot), i64(), i))
                : b.CreateFPToSI(b.CreateLoad(dbl(), b.CreateConstGEP1_64(dbl(), consts, L_.ref_steps_const)), i64());
        refractory = b.CreateICmpSLT(b.CreateSub(step, last), ref);
      }
      // Clamped states keep the value they had before this step's update.
      std::map<int, Value*> before;
      if (refractory)
        for (int c : pop_.clamped) before[c] = load(c);
      std::map<int, Value*> next = integrate(b, ex, env, body, i, prop_consts, cur);
      for (auto& [v, x] : next)
        if (before.count(v)) x = b.CreateSelect(refractory, before[v], x);
      for (auto& [v, x] : next) {
        cur[v] = x;
        if (L_.slot_of[v] >= 0) b.CreateStore(x, elem(b, body->getArg(L_.slot_of[v]), dbl(), i));
      }
      Value* spiked = b.getInt8(0);
      if (pop_.threshold) {
        Value* fire = ex.boolean(*pop_.threshold);
        if (refractory) fire = b.CreateAnd(fire, b.CreateNot(refractory));
        spiked = b.CreateZExt(fire, b.getInt8Ty());
      }
      b.CreateStore(spiked, elem(b, body->getArg(L_.spiked_slot), b.getInt8Ty(), i));
      // Inputs were used for this step (threshold included); stimuli and synapses fill them again.
      for (size_t v = 0; v < pop_.vars.size(); ++v)
        if (pop_.vars[v].kind == ir::VarKind::Input && L_.slot_of[v] >= 0)
          b.CreateStore(llvm::ConstantFP::get(dbl(), 0.0), elem(b, body->getArg(L_.slot_of[v]), dbl(), i));
    });
    b.CreateRetVoid();
    outer_function(update_name(pop_), body, tail);
  }

  void emit_reset() {
    std::vector<llvm::Type*> tail = {ptr(), ptr(), i64(), i64(), dbl(), dbl(), i64(), i64()};
    llvm::Function* body = inner_function(reset_name(pop_) + ".body", tail);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", body));
    auto arg = [&](int k) { return body->getArg(L_.n_slots + k); };
    std::map<int, Value*> uniform = load_consts(b, arg(0));
    Value* spiking = arg(1);
    emit_loop(b, b.getInt64(0), arg(2), "spike", [&](Value* k) {
      Value* i = b.CreateSExt(b.CreateLoad(b.getInt32Ty(), elem(b, spiking, b.getInt32Ty(), k)), i64());
      std::map<int, Value*> cur;
      auto load = [&](int v) -> Value* {
        auto it = cur.find(v);
        if (it != cur.end()) return it->second;
        auto u = uniform.find(v);
        if (u != uniform.end()) return u->second;
        if (L_.slot_of[v] < 0) return llvm::ConstantFP::get(dbl(), 0.0);  // a local before its `let`
        return cur[v] = b.CreateLoad(dbl(), elem(b, body->getArg(L_.slot_of[v]), dbl(), i));
      };
      EmitEnv env;
      env.load = [&](ir::VarRef r) { return load(r.var); };  // a neuron reads only its own
      env.t = arg(4);
      env.dt = arg(5);
      env.index = i;
      // Reset draws follow the update's draws of the same step.
      env.counter_base =
          b.CreateAdd(b.CreateMul(arg(3), b.getInt64(std::max(1, pop_.rand_draws) * 2)), b.getInt64(1 << 20));
      env.seed = arg(6);
      env.object = arg(7);
      ExprEmitter ex(b, m_, env);
      std::set<int> written;
      for (const ir::Assign& a : pop_.reset) {
        cur[a.var] = ex.number(a.value);
        written.insert(a.var);
      }
      for (int v : written)
        if (L_.slot_of[v] >= 0) b.CreateStore(cur[v], elem(b, body->getArg(L_.slot_of[v]), dbl(), i));
      if (L_.last_spike_slot >= 0) b.CreateStore(arg(3), elem(b, body->getArg(L_.last_spike_slot), i64(), i));
    });
    b.CreateRetVoid();
    outer_function(reset_name(pop_), body, tail);
  }

 private:
  const ir::Population& pop_;
  const PopulationLayout& L_;
  llvm::Module& m_;
  llvm::LLVMContext& ctx_;

  llvm::Type* dbl() { return llvm::Type::getDoubleTy(ctx_); }
  llvm::Type* i64() { return llvm::Type::getInt64Ty(ctx_); }
  llvm::PointerType* ptr() { return llvm::PointerType::get(ctx_, 0); }

  Value* elem(llvm::IRBuilder<>& b, Value* base, llvm::Type* t, Value* i) { return b.CreateInBoundsGEP(t, base, i); }

  std::map<int, Value*> load_consts(llvm::IRBuilder<>& b, Value* consts) {
    std::map<int, Value*> out;
    for (size_t v = 0; v < pop_.vars.size(); ++v)
      if (L_.const_of[v] >= 0)
        out[v] = b.CreateLoad(dbl(), b.CreateConstGEP1_64(dbl(), consts, L_.const_of[v]), pop_.vars[v].name);
    return out;
  }

  llvm::Function* inner_function(const std::string& name, const std::vector<llvm::Type*>& tail) {
    std::vector<llvm::Type*> params(L_.n_slots, ptr());
    params.insert(params.end(), tail.begin(), tail.end());
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), params, false);
    auto* f = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, m_);
    for (int k = 0; k < L_.n_slots; ++k) f->addParamAttr(k, llvm::Attribute::NoAlias);
    f->addFnAttr(llvm::Attribute::AlwaysInline);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    return f;
  }

  // The exported entry: unpacks the slot table and calls the inner function.
  void outer_function(const std::string& name, llvm::Function* body, const std::vector<llvm::Type*>& tail) {
    std::vector<llvm::Type*> params = {ptr()};
    params.insert(params.end(), tail.begin(), tail.end());
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), params, false);
    auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, m_);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
    std::vector<Value*> args;
    for (int k = 0; k < L_.n_slots; ++k)
      args.push_back(b.CreateLoad(ptr(), b.CreateConstGEP1_64(ptr(), f->getArg(0), k)));
    for (size_t k = 0; k < tail.size(); ++k) args.push_back(f->getArg(1 + k));
    b.CreateCall(body, args);
    b.CreateRetVoid();
  }

  // New values of the integrated (or stepped) variables for element i.
  std::map<int, Value*> integrate(llvm::IRBuilder<>& b, ExprEmitter& ex, EmitEnv& env, llvm::Function* body, Value* i,
                                  const std::vector<Value*>& prop_consts, std::map<int, Value*>& cur) {
    std::map<int, Value*> next;
    switch (pop_.method) {
      case ir::Method::Update: {
        for (const ir::Assign& a : pop_.update) {
          Value* x = ex.number(a.value);
          cur[a.var] = x;  // later statements see the new value
          next[a.var] = x;
        }
        return next;
      }
      case ir::Method::Exact: {
        const ir::LinearSystem& S = *pop_.linear;
        size_t ns = S.states.size(), ni = S.inputs.size();
        auto reach = reachability(S);
        auto entry = [&](size_t k) -> Value* {
          if (!L_.propagator_per_element) return prop_consts[k];
          return b.CreateLoad(dbl(), elem(b, body->getArg(L_.propagator_base + k), dbl(), i));
        };
        std::vector<Value*> x, u;
        for (int s : S.states) x.push_back(env.load({ir::Space::Own, s}));
        for (int in : S.inputs) u.push_back(ex.number(input_value(in)));
        for (size_t r = 0; r < ns; ++r) {
          Value* sum = nullptr;
          auto acc = [&](Value* term) { sum = sum ? b.CreateFAdd(sum, term) : term; };
          for (size_t c = 0; c < ns; ++c)
            if (reach[r][c]) acc(b.CreateFMul(entry(r * ns + c), x[c]));
          for (size_t k = 0; k < ni; ++k)
            if (input_reaches(S, reach, r, k)) acc(b.CreateFMul(entry(ns * ns + r * ni + k), u[k]));
          acc(entry(ns * ns + ns * ni + r));
          next[S.states[r]] = sum;
        }
        return next;
      }
      case ir::Method::ExponentialEuler: return exponential_euler_step(ex, env);
      default: return explicit_step(b, ex, env, cur);
    }
  }

  // Exponential Euler (per variable): x' = a x + b with a, b taken at the start of the
  // step, x1 = -b/a + (x + b/a) exp(a dt), or x + b dt where a == 0 (at run time, or
  // structurally). Every state steps from the old values of the others.
  std::map<int, Value*> exponential_euler_step(ExprEmitter& ex, EmitEnv& env) {
    using ir::Expr;
    using ir::Op;
    std::map<int, Value*> next;
    Expr dt = Expr::make(Op::Dt, {});
    for (const ir::ConditionallyLinear& c : pop_.exp_euler) {
      Expr x = Expr::variable(c.state);
      Expr euler = Expr::make(Op::Add, {x, Expr::make(Op::Mul, {c.b, dt})});
      if (c.a.is_const() && c.a.value == 0) {
        next[c.state] = ex.number(euler);
        continue;
      }
      Expr ba = Expr::make(Op::Div, {c.b, c.a});
      Expr decay = Expr::call(builtins::Fn::Exp, {Expr::make(Op::Mul, {c.a, dt})});
      Expr step =
          Expr::make(Op::Add, {Expr::make(Op::Neg, {ba}), Expr::make(Op::Mul, {Expr::make(Op::Add, {x, ba}), decay})});
      next[c.state] = ex.number(Expr::make(Op::Select, {Expr::make(Op::Eq, {c.a, Expr::constant(0)}), euler, step}));
    }
    (void)env;
    return next;
  }

  static ir::Expr input_value(int v) { return ir::Expr::variable(v); }

  // reach[r][c]: state r depends on state c over any number of steps (so Phi[r][c] may be non-zero).
  static std::vector<std::vector<bool>> reachability(const ir::LinearSystem& S) {
    size_t n = S.states.size();
    std::vector<std::vector<bool>> R(n, std::vector<bool>(n, false));
    for (size_t r = 0; r < n; ++r) {
      R[r][r] = true;
      for (size_t c = 0; c < n; ++c)
        if (!(S.A[r][c].is_const() && S.A[r][c].value == 0)) R[r][c] = true;
    }
    for (size_t k = 0; k < n; ++k)
      for (size_t r = 0; r < n; ++r)
        for (size_t c = 0; c < n; ++c)
          if (R[r][k] && R[k][c]) R[r][c] = true;
    return R;
  }
  static bool input_reaches(const ir::LinearSystem& S, const std::vector<std::vector<bool>>& R, size_t r, size_t k) {
    for (size_t c = 0; c < S.states.size(); ++c)
      if (R[r][c] && !(S.B[c][k].is_const() && S.B[c][k].value == 0)) return true;
    return false;
  }

  // Euler, RK2 (midpoint) and RK4 on the derivatives, inputs held over the step.
  std::map<int, Value*> explicit_step(llvm::IRBuilder<>& b, ExprEmitter& ex, EmitEnv& env, std::map<int, Value*>& cur) {
    std::vector<int> states;
    for (const auto& [v, rhs] : pop_.derivatives) states.push_back(v);
    std::vector<Value*> x0;
    for (int s : states) x0.push_back(env.load({ir::Space::Own, s}));
    auto derivative = [&](const std::vector<Value*>& x, Value* t) {
      std::map<int, Value*> saved = cur;
      for (size_t k = 0; k < states.size(); ++k) cur[states[k]] = x[k];
      Value* saved_t = env.t;
      env.t = t;
      std::vector<Value*> f;
      for (const auto& [v, rhs] : pop_.derivatives) f.push_back(ex.number(rhs));
      env.t = saved_t;
      cur = saved;
      return f;
    };
    auto axpy = [&](const std::vector<Value*>& x, Value* h, const std::vector<Value*>& k) {
      std::vector<Value*> out;
      for (size_t j = 0; j < x.size(); ++j) out.push_back(b.CreateFAdd(x[j], b.CreateFMul(h, k[j])));
      return out;
    };
    Value* dt = env.dt;
    Value* half = b.CreateFMul(dt, llvm::ConstantFP::get(dbl(), 0.5));
    Value* t_half = b.CreateFAdd(env.t, half);
    std::vector<Value*> x1;
    if (pop_.method == ir::Method::RK2) {
      auto k1 = derivative(x0, env.t);
      auto k2 = derivative(axpy(x0, half, k1), t_half);
      x1 = axpy(x0, dt, k2);
    } else if (pop_.method == ir::Method::RK4) {
      auto k1 = derivative(x0, env.t);
      auto k2 = derivative(axpy(x0, half, k1), t_half);
      auto k3 = derivative(axpy(x0, half, k2), t_half);
      auto k4 = derivative(axpy(x0, dt, k3), b.CreateFAdd(env.t, dt));
      Value* sixth = b.CreateFDiv(dt, llvm::ConstantFP::get(dbl(), 6.0));
      for (size_t j = 0; j < x0.size(); ++j) {
        Value* two = llvm::ConstantFP::get(dbl(), 2.0);
        Value* s = b.CreateFAdd(k1[j], b.CreateFMul(two, k2[j]));
        s = b.CreateFAdd(s, b.CreateFMul(two, k3[j]));
        s = b.CreateFAdd(s, k4[j]);
        x1.push_back(b.CreateFAdd(x0[j], b.CreateFMul(sixth, s)));
      }
    } else {
      // Euler; Euler-Maruyama adds g * sqrt(dt) * N(0, 1) for each noise term, with g at
      // the start of the step and N the population's counter-based normal draw.
      x1 = axpy(x0, dt, derivative(x0, env.t));
      for (const ir::NoiseTerm& n : pop_.noise) {
        using ir::Expr;
        using ir::Op;
        Expr sqrt_dt = Expr::call(builtins::Fn::Sqrt, {Expr::make(Op::Dt, {})});
        Expr normal;
        normal.op = Op::Randn;
        normal.value = n.draw;
        Value* kick = ex.number(Expr::make(Op::Mul, {Expr::make(Op::Mul, {n.g, sqrt_dt}), normal}));
        for (size_t j = 0; j < states.size(); ++j)
          if (states[j] == n.state) x1[j] = b.CreateFAdd(x1[j], kick);
      }
    }
    std::map<int, Value*> next;
    for (size_t k = 0; k < states.size(); ++k) next[states[k]] = x1[k];
    return next;
  }
};

void emit_stimulus(const ir::Stimulus& s, const std::string& name, llvm::Module& m) {
  llvm::LLVMContext& ctx = m.getContext();
  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* dbl = llvm::Type::getDoubleTy(ctx);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, i64, i64, dbl}, false);
  auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, m);
  f->addParamAttr(0, llvm::Attribute::NoAlias);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
  Value* input = f->getArg(0);
  Value* begin = f->getArg(1);
  emit_loop(b, b.getInt64(0), b.CreateSub(f->getArg(2), begin), "element", [&](Value* i) {
    EmitEnv env;
    env.load = [&](ir::VarRef) -> Value* { return llvm::ConstantFP::get(dbl, 0.0); };
    env.t = f->getArg(3);
    env.dt = llvm::ConstantFP::get(dbl, 0.0);
    env.index = i;
    ExprEmitter ex(b, m, env);
    Value* p = b.CreateInBoundsGEP(dbl, input, b.CreateAdd(begin, i));
    b.CreateStore(b.CreateFAdd(b.CreateLoad(dbl, p), ex.number(s.lowered)), p);
  });
  b.CreateRetVoid();
}

void emit_where(const ir::Projection& p, const std::string& name, llvm::Module& m) {
  llvm::LLVMContext& ctx = m.getContext();
  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* i32 = llvm::Type::getInt32Ty(ctx);
  auto* type = llvm::FunctionType::get(i64, {i64, i64, ptr}, false);
  auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
  llvm::AllocaInst* count = b.CreateAlloca(i64);
  b.CreateStore(b.getInt64(0), count);
  emit_loop(b, b.getInt64(0), f->getArg(1), "target", [&](Value* j) {
    EmitEnv env;
    env.load = [&](ir::VarRef) -> Value* { return llvm::ConstantFP::get(b.getDoubleTy(), 0.0); };
    env.index = f->getArg(0);
    env.post_index = j;
    env.t = env.dt = llvm::ConstantFP::get(b.getDoubleTy(), 0.0);
    ExprEmitter ex(b, m, env);
    Value* keep = ex.boolean(p.where);
    // Branch-free compaction: always write, advance only when kept.
    Value* n = b.CreateLoad(i64, count);
    b.CreateStore(b.CreateTrunc(j, i32), b.CreateInBoundsGEP(i32, f->getArg(2), n));
    b.CreateStore(b.CreateAdd(n, b.CreateZExt(keep, i64)), count);
  });
  b.CreateRet(b.CreateLoad(i64, count));
}

}  // namespace

std::unique_ptr<llvm::Module> emit_network(const ir::Network& net, const std::vector<PopulationLayout>& layouts,
                                           const std::vector<SynapseLayout>& synapse_layouts,
                                           llvm::LLVMContext& context) {
  auto m = std::make_unique<llvm::Module>("axon_" + net.name, context);
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const ir::Population& pop = net.populations[p];
    if (pop.spike_source) continue;
    PopulationEmitter e(pop, layouts[p], *m);
    e.emit_update();
    e.emit_reset();
  }
  for (size_t k = 0; k < net.projections.size(); ++k) {
    const ir::Projection& proj = net.projections[k];
    emit_projection(net, k, layouts[net.find(proj.target)], layouts[net.find(proj.source)], synapse_layouts[k], *m);
  }
  for (size_t k = 0; k < net.stimuli.size(); ++k) emit_stimulus(net.stimuli[k], stimulus_name(k), *m);
  for (size_t k = 0; k < net.nodes.size(); ++k) {  // a node's value: a stimulus kernel into its buffer
    ir::Stimulus s;
    s.lowered = net.nodes[k].value;
    emit_stimulus(s, node_name(k), *m);
  }
  for (size_t k = 0; k < net.projections.size(); ++k)
    if (net.projections[k].connect.kind == ir::ConnectKind::Where) emit_where(net.projections[k], where_name(k), *m);
  return m;
}

}  // namespace axon::codegen
