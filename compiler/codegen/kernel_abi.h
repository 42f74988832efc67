// The contract between generated kernels and the engine that calls them: the function
// pointer types and the symbol names. No LLVM here, so the runtime can include it.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/ir/ir.h"

namespace axon::codegen {

// update(slots, consts, begin, end, step, t, dt, seed, object): integrates neurons
// [begin, end) from t to t + dt, clamps refractory ones, clears their inputs, and sets
// spiked[i] from the threshold.
using UpdateFn = void (*)(void* const* slots, const double* consts, int64_t begin, int64_t end, int64_t step, double t,
                          double dt, uint64_t seed, uint64_t object);
// reset(slots, consts, spiking, n, step, t, dt, seed, object): the reset statements of
// the n neurons listed, and their last-spike step.
using ResetFn = void (*)(void* const* slots, const double* consts, const int32_t* spiking, int64_t n, int64_t step,
                         double t, double dt, uint64_t seed, uint64_t object);
// deliver(post_slots, post_consts, pre_slots, pre_consts, syn_slots, syn_consts, row_ptr,
// post_index, spikes, n, post_lo, post_hi, step, t, dt): runs `on pre` for every synapse of every
// spiking source (indices relative to the projection's source range), in source order,
// onto the targets in [post_lo, post_hi) (relative to its target range): each thread
// owns a target range, so every target sums its inputs in the same order.
using DeliverFn = void (*)(void* const* post_slots, const double* post_consts, void* const* pre_slots,
                           const double* pre_consts, void* const* syn_slots, const double* syn_consts,
                           const int64_t* row_ptr, const int32_t* post_index, const int32_t* spikes, int64_t n,
                           int64_t post_lo, int64_t post_hi, int64_t step, double t, double dt);
// on_post(post_slots, post_consts, pre_slots, pre_consts, syn_slots, syn_consts, col_ptr,
// syn_of, pre_of, spikes, n, step, t, dt): runs `on post` for every synapse onto each
// listed target (relative to the projection's target range, in ascending order): the
// synapses onto target j are syn_of[col_ptr[j] .. col_ptr[j + 1]), from sources pre_of[s].
using OnPostFn = void (*)(void* const* post_slots, const double* post_consts, void* const* pre_slots,
                          const double* pre_consts, void* const* syn_slots, const double* syn_consts,
                          const int64_t* col_ptr, const int64_t* syn_of, const int32_t* pre_of, const int32_t* spikes,
                          int64_t n, int64_t step, double t, double dt);
// syn_update(..., col_ptr, syn_of, pre_of, lo, hi, step, t, dt): a synapse's `update`
// blocks for every synapse onto the targets [lo, hi) (relative), by target, then source.
using SynapseUpdateFn = void (*)(void* const* post_slots, const double* post_consts, void* const* pre_slots,
                                 const double* pre_consts, void* const* syn_slots, const double* syn_consts,
                                 const int64_t* col_ptr, const int64_t* syn_of, const int32_t* pre_of, int64_t lo,
                                 int64_t hi, int64_t step, double t, double dt);
// stimulus(input, begin, end, t): input[begin + i] += value(t, i) for i in [0, end - begin).
using StimulusFn = void (*)(double* input, int64_t begin, int64_t end, double t);

std::string update_name(const ir::Population& p);
std::string reset_name(const ir::Population& p);
std::string deliver_name(size_t projection);
std::string on_post_name(size_t projection);
std::string synapse_update_name(size_t projection);
std::string node_name(size_t node);  // a Nengo node's value: a StimulusFn
std::string stimulus_name(size_t stimulus);
std::string where_name(size_t projection);

// where(i, j, out): for `connect where`, writes to out the targets j in [0, n_post) of
// source i that satisfy the condition, in ascending order, and returns their number.
using WhereFn = int64_t (*)(int64_t i, int64_t n_post, int32_t* out);

}  // namespace axon::codegen
