#include "compiler/codegen/synapse_kernels.h"

#include <algorithm>
#include <map>
#include <set>

#include "compiler/codegen/emit_expr.h"
#include "compiler/codegen/kernels.h"

namespace axon::codegen {

using llvm::Value;

namespace {

class ProjectionEmitter {
 public:
  ProjectionEmitter(const ir::Network& net, const ir::Projection& proj, const PopulationLayout& post,
                    const PopulationLayout& pre, const SynapseLayout& syn, llvm::Module& m)
      : net_(net),
        proj_(proj),
        post_pop_(net.populations[net.find(proj.target)]),
        post_(post),
        pre_(pre),
        syn_(syn),
        m_(m),
        ctx_(m.getContext()) {}

  // deliver: see DeliverFn.
  void emit_deliver(const std::string& name) {
    std::vector<llvm::Type*> params(9, ptr());
    for (int k = 0; k < 4; ++k) params.push_back(i64());
    params.push_back(dbl());
    params.push_back(dbl());
    llvm::Function* f = function(name, params);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
    tables(f);
    Value* row_ptr = f->getArg(6);
    Value* post_index = f->getArg(7);
    Value* spikes = f->getArg(8);
    Value* n = f->getArg(9);
    Value* post_lo = b.CreateTrunc(f->getArg(10), i32());
    Value* post_hi = b.CreateTrunc(f->getArg(11), i32());
    Value* step = f->getArg(12);
    Value* t = f->getArg(13);
    Value* dt = f->getArg(14);
    emit_loop(b, b.getInt64(0), n, "spike", [&](Value* k) {
      Value* s = b.CreateSExt(b.CreateLoad(i32(), b.CreateInBoundsGEP(i32(), spikes, k)), i64());
      Value* r0 = b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), row_ptr, s));
      Value* r1 = b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), row_ptr, b.CreateAdd(s, b.getInt64(1))));
      Value* pre_i = b.CreateAdd(s, b.getInt64(proj_.pre_begin));
      // Only the synapses onto this thread's targets [post_lo, post_hi): rows are sorted by target.
      // A range that starts at 0 or ends at the last target needs no search on that side.
      Value* from_start = b.CreateICmpEQ(post_lo, b.getInt32(0));
      Value* to_end = b.CreateICmpSGE(post_hi, b.getInt32(static_cast<int32_t>(proj_.post_end - proj_.post_begin)));
      Value* first = lower_bound(b, post_index, r0, b.CreateSelect(from_start, r0, r1), post_lo);
      Value* last = lower_bound(b, post_index, b.CreateSelect(to_end, r1, first), r1, post_hi);
      emit_loop(b, first, last, "synapse", [&](Value* syn_k) {
        Value* j = b.CreateAdd(b.CreateSExt(b.CreateLoad(i32(), b.CreateInBoundsGEP(i32(), post_index, syn_k)), i64()),
                               b.getInt64(proj_.post_begin));
        emit_event(b, syn_k, pre_i, j, step, t, dt, proj_.on_pre);
      });
    });
    b.CreateRetVoid();
  }

  // on_post: see OnPostFn.
  void emit_on_post(const std::string& name) {
    std::vector<llvm::Type*> params(10, ptr());
    params.push_back(i64());
    params.push_back(i64());
    params.push_back(dbl());
    params.push_back(dbl());
    llvm::Function* f = function(name, params);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
    tables(f);
    Value* spikes = f->getArg(9);
    Value* n = f->getArg(10);
    Value* step = f->getArg(11);
    Value* t = f->getArg(12);
    Value* dt = f->getArg(13);
    emit_loop(b, b.getInt64(0), n, "spike", [&](Value* k) {
      Value* jr = b.CreateSExt(b.CreateLoad(i32(), b.CreateInBoundsGEP(i32(), spikes, k)), i64());
      emit_incoming(b, f, jr, step, t, dt, proj_.on_post, true);
    });
    b.CreateRetVoid();
  }

  // syn_update: see SynapseUpdateFn. No event-driven decay: nothing happens at an event.
  void emit_update(const std::string& name) {
    std::vector<llvm::Type*> params(9, ptr());
    for (int k = 0; k < 3; ++k) params.push_back(i64());
    params.push_back(dbl());
    params.push_back(dbl());
    llvm::Function* f = function(name, params);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
    tables(f);
    Value* step = f->getArg(11);
    Value* t = f->getArg(12);
    Value* dt = f->getArg(13);
    emit_loop(b, f->getArg(9), f->getArg(10), "target",
              [&](Value* jr) { emit_incoming(b, f, jr, step, t, dt, proj_.update, false); });
    b.CreateRetVoid();
  }

 private:
  const ir::Network& net_;
  const ir::Projection& proj_;
  const ir::Population& post_pop_;
  const PopulationLayout& post_;
  const PopulationLayout& pre_;
  const SynapseLayout& syn_;
  llvm::Module& m_;
  llvm::LLVMContext& ctx_;
  Value* post_slots_ = nullptr;
  Value* post_consts_ = nullptr;
  Value* pre_slots_ = nullptr;
  Value* pre_consts_ = nullptr;
  Value* syn_slots_ = nullptr;
  Value* syn_consts_ = nullptr;

  llvm::Type* ptr() { return llvm::PointerType::get(ctx_, 0); }
  llvm::Type* i64() { return llvm::Type::getInt64Ty(ctx_); }
  llvm::Type* i32() { return llvm::Type::getInt32Ty(ctx_); }
  llvm::Type* dbl() { return llvm::Type::getDoubleTy(ctx_); }

  llvm::Function* function(const std::string& name, const std::vector<llvm::Type*>& params) {
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), params, false);
    auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, m_);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    return f;
  }

  void tables(llvm::Function* f) {
    post_slots_ = f->getArg(0);
    post_consts_ = f->getArg(1);
    pre_slots_ = f->getArg(2);
    pre_consts_ = f->getArg(3);
    syn_slots_ = f->getArg(4);
    syn_consts_ = f->getArg(5);
  }

  // `code` for every synapse onto target jr (relative), through the by-target index
  // (col_ptr, syn_of, pre_of: arguments 6-8 of both by-target kernels).
  void emit_incoming(llvm::IRBuilder<>& b, llvm::Function* f, Value* jr, Value* step, Value* t, Value* dt,
                     const std::vector<ir::Assign>& code, bool decay) {
    Value* col_ptr = f->getArg(6);
    Value* syn_of = f->getArg(7);
    Value* pre_of = f->getArg(8);
    Value* c0 = b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), col_ptr, jr));
    Value* c1 = b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), col_ptr, b.CreateAdd(jr, b.getInt64(1))));
    Value* j = b.CreateAdd(jr, b.getInt64(proj_.post_begin));
    emit_loop(b, c0, c1, "synapse", [&](Value* c) {
      Value* syn_k = b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), syn_of, c));
      Value* pre_rel = b.CreateSExt(b.CreateLoad(i32(), b.CreateInBoundsGEP(i32(), pre_of, syn_k)), i64());
      Value* pre_i = b.CreateAdd(pre_rel, b.getInt64(proj_.pre_begin));
      emit_event(b, syn_k, pre_i, j, step, t, dt, code, decay);
    });
  }

  // The first k in [lo, hi) with index[k] >= value (index sorted ascending), by bisection.
  Value* lower_bound(llvm::IRBuilder<>& b, Value* index, Value* lo, Value* hi, Value* value) {
    llvm::Function* f = b.GetInsertBlock()->getParent();
    llvm::BasicBlock* pre = b.GetInsertBlock();
    llvm::BasicBlock* head = llvm::BasicBlock::Create(ctx_, "bisect", f);
    llvm::BasicBlock* body = llvm::BasicBlock::Create(ctx_, "bisect.step", f);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, "bisect.done", f);
    b.CreateBr(head);
    b.SetInsertPoint(head);
    llvm::PHINode* l = b.CreatePHI(b.getInt64Ty(), 2);
    llvm::PHINode* h = b.CreatePHI(b.getInt64Ty(), 2);
    l->addIncoming(lo, pre);
    h->addIncoming(hi, pre);
    b.CreateCondBr(b.CreateICmpSLT(l, h), body, done);
    b.SetInsertPoint(body);
    Value* mid = b.CreateAdd(l, b.CreateLShr(b.CreateSub(h, l), 1));
    Value* below = b.CreateICmpSLT(b.CreateLoad(i32(), b.CreateInBoundsGEP(i32(), index, mid)), value);
    l->addIncoming(b.CreateSelect(below, b.CreateAdd(mid, b.getInt64(1)), l), body);
    h->addIncoming(b.CreateSelect(below, h, mid), body);
    b.CreateBr(head);
    b.SetInsertPoint(done);
    return l;
  }

  // One event of one synapse (syn_k) from source pre_i onto target j (absolute indices):
  // event-driven states decayed from the synapse's last event to t, then `code`.
  void emit_event(llvm::IRBuilder<>& b, Value* syn_k, Value* pre_i, Value* j, Value* step, Value* t, Value* dt,
                  const std::vector<ir::Assign>& code, bool decay = true) {
    auto slot_ptr = [&](Value* table, int slot) {
      return b.CreateLoad(ptr(), b.CreateConstGEP1_64(ptr(), table, slot));
    };
    using ir::Space;
    using ir::VarRef;
    auto address = [&](VarRef r) -> Value* {
      const int v = r.var;
      if (r.space == Space::Pre) {
        if (pre_.slot_of[v] < 0) return b.CreateConstGEP1_64(dbl(), pre_consts_, pre_.const_of[v]);
        return b.CreateInBoundsGEP(dbl(), slot_ptr(pre_slots_, pre_.slot_of[v]), pre_i);
      }
      if (r.space == Space::Post) {
        if (post_.slot_of[v] < 0) return b.CreateConstGEP1_64(dbl(), post_consts_, post_.const_of[v]);
        return b.CreateInBoundsGEP(dbl(), slot_ptr(post_slots_, post_.slot_of[v]), j);
      }
      if (syn_.slot_of[v] < 0) return b.CreateConstGEP1_64(dbl(), syn_consts_, syn_.const_of[v]);
      return b.CreateInBoundsGEP(dbl(), slot_ptr(syn_slots_, syn_.slot_of[v]), syn_k);
    };
    auto is_local = [&](VarRef r) {
      return r.space == Space::Own && proj_.synapse_vars[r.var].kind == ir::VarKind::Local;
    };
    // Stores below go in VarRef order (synapse, then target, then source variables).
    std::map<VarRef, Value*> cur;
    EmitEnv env;
    env.load = [&](VarRef v) -> Value* {
      auto it = cur.find(v);
      if (it != cur.end()) return it->second;
      if (is_local(v)) return llvm::ConstantFP::get(dbl(), 0.0);
      return cur[v] = b.CreateLoad(dbl(), address(v));
    };
    env.t = t;
    env.dt = dt;
    ExprEmitter ex(b, m_, env);
    std::set<VarRef> written;
    if (decay && !proj_.event_driven.empty()) {
      // x(t) from x(last): exact for x' = a + b x (b == 0: a straight line).
      using ir::Expr;
      using ir::Op;
      Expr elapsed = Expr::make(Op::Sub, {Expr::make(Op::Time, {}), Expr::variable(proj_.lastupdate_var)});
      std::vector<std::pair<VarRef, Value*>> next;
      for (const ir::Projection::EventDriven& e : proj_.event_driven) {
        Expr x = Expr::variable(e.var);
        Expr value;
        if (e.b.is_const() && e.b.value == 0) {
          value = Expr::make(Op::Add, {x, Expr::make(Op::Mul, {e.a, elapsed})});
        } else {
          Expr decay = Expr::call(builtins::Fn::Exp, {Expr::make(Op::Mul, {e.b, elapsed})});
          if (e.a.is_const() && e.a.value == 0) {
            value = Expr::make(Op::Mul, {x, decay});
          } else {
            Expr rest = Expr::make(Op::Neg, {Expr::make(Op::Div, {e.a, e.b})});  // the fixed point
            value = Expr::make(Op::Add, {rest, Expr::make(Op::Mul, {Expr::make(Op::Sub, {x, rest}), decay})});
            if (!e.b.is_const())  // b may be 0 for some values of its parameters: a straight line then
              value = Expr::make(Op::Select, {Expr::make(Op::Eq, {e.b, Expr::constant(0)}),
                                              Expr::make(Op::Add, {x, Expr::make(Op::Mul, {e.a, elapsed})}), value});
          }
        }
        next.push_back({{Space::Own, e.var}, ex.number(value)});
      }
      for (auto& [v, x] : next) {
        cur[v] = x;
        written.insert(v);
      }
      cur[{Space::Own, proj_.lastupdate_var}] = t;
      written.insert({Space::Own, proj_.lastupdate_var});
    }
    for (const ir::Assign& a : code) {
      cur[a.ref()] = ex.number(a.value);
      if (!is_local(a.ref())) written.insert(a.ref());
    }
    // A jump into a clamped variable of a refractory target is dropped (the variable is
    // held, as in Brunel 2000, NEST and Brian2's `(unless refractory)`).
    Value* refractory = nullptr;
    for (VarRef v : written)
      if (v.space == Space::Post && post_pop_.refractory &&
          std::count(post_pop_.clamped.begin(), post_pop_.clamped.end(), v.var)) {
        if (!refractory) {
          Value* last =
              b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), slot_ptr(post_slots_, post_.last_spike_slot), j));
          Value* ref =
              post_.ref_steps_slot >= 0
                  ? b.CreateLoad(i64(), b.CreateInBoundsGEP(i64(), slot_ptr(post_slots_, post_.ref_steps_slot), j))
                  : b.CreateFPToSI(
                        b.CreateLoad(dbl(), b.CreateConstGEP1_64(dbl(), post_consts_, post_.ref_steps_const)), i64());
          refractory = b.CreateICmpSLT(b.CreateSub(step, last), ref);
        }
        cur[v] = b.CreateSelect(refractory, b.CreateLoad(dbl(), address(v)), cur[v]);
      }
    for (VarRef v : written) b.CreateStore(cur[v], address(v));
  }
};

}  // namespace

void emit_projection(const ir::Network& net, size_t k, const PopulationLayout& post, const PopulationLayout& pre,
                     const SynapseLayout& syn, llvm::Module& m) {
  const ir::Projection& proj = net.projections[k];
  ProjectionEmitter e(net, proj, post, pre, syn, m);
  e.emit_deliver(deliver_name(k));
  if (!proj.on_post.empty()) e.emit_on_post(on_post_name(k));
  if (!proj.update.empty()) e.emit_update(synapse_update_name(k));
}

}  // namespace axon::codegen
