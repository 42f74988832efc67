// Counter-based random numbers: every draw is a pure function of its key
// (seed, object, index, counter), so any thread count and any order give the same values.
#pragma once

#include <cstdint>
#include <string_view>

namespace axon::rt {

/// A stable 64-bit hash of an object's qualified name ("net.exc.v", "net.ee.weights"),
/// used as the `object` word of a random key. Part of the output format's determinism:
/// the same name gives the same hash on every platform and in every version.
///
/// Algorithm: 64-bit FNV-1a over the bytes of `name` (offset basis
/// 0xcbf29ce484222325, prime 0x100000001b3), then finalised with mix64() so that names
/// differing in their last byte differ in every output bit.
uint64_t hash_name(std::string_view name);

/// The splitmix64 finaliser (Stafford's "Mix13"), a bijection of 64-bit words:
///   z ^= z >> 30; z *= 0xbf58476d1ce4e5b9;
///   z ^= z >> 27; z *= 0x94d049bb133111eb;
///   z ^= z >> 31;
/// 8 integer ops. Flipping any input bit flips each output bit with probability close
/// to 1/2 (its avalanche bias is among the lowest known for this shape of mixer).
constexpr uint64_t mix64(uint64_t z) {
  z ^= z >> 30;
  z *= 0xbf58476d1ce4e5b9ULL;
  z ^= z >> 27;
  z *= 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z;
}

/// The odd constant that spreads each key word before it is absorbed (2^64 / golden ratio).
inline constexpr uint64_t rng_gamma = 0x9e3779b97f4a7c15ULL;
/// The state before the first key word is absorbed (the first 64 bits of pi's
/// fraction), so that the all-zero key does not map to 0.
inline constexpr uint64_t rng_init = 0x243f6a8885a308d3ULL;

/// 64 random bits for the key (seed, object, index, counter).
///
/// Algorithm (the code generator emits exactly this in LLVM IR for rand() in kernels):
///   h = rng_init
///   for w in (seed, object, index, counter):  h = mix64(h ^ (w * rng_gamma))
///   return h
/// All arithmetic is on unsigned 64-bit words, wrapping. Per word: 1 multiply + 1 xor to
/// absorb, 8 ops to mix: 10 ops, 40 in all.
///
/// Quality: each absorption is a bijection of h for a fixed earlier key, so for a fixed
/// (seed, object, index) distinct counters never collide, and for a fixed (seed,
/// object) distinct indices with the same counter never collide. Every key word passes
/// through at least one full Mix13 round after it is absorbed; multiplying by the odd
/// gamma first spreads small counters (0, 1, 2, ...) over all 64 bits, which is what
/// splitmix64 itself does, and is what keeps consecutive counters from having
/// correlated outputs. It is a statistical generator, not a cryptographic one.
constexpr uint64_t random_bits(uint64_t seed, uint64_t object, uint64_t index, uint64_t counter) {
  uint64_t h = rng_init;
  h = mix64(h ^ (seed * rng_gamma));
  h = mix64(h ^ (object * rng_gamma));
  h = mix64(h ^ (index * rng_gamma));
  h = mix64(h ^ (counter * rng_gamma));
  return h;
}

/// The top 53 bits of `bits` as a double in [0, 1): (bits >> 11) * 2^-53. Every value
/// is a multiple of 2^-53, so 1 - uniform01(b) lies in (0, 1] and its log is finite.
constexpr double uniform01(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

/// An integer uniform in [0, n) from 64 random bits: the high word of bits * n
/// (Lemire's method without the rejection step; its bias is below n / 2^64).
/// n = 0 gives 0.
constexpr uint64_t uniform_below(uint64_t bits, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(bits) * n) >> 64);
}

/// uniform01(random_bits(seed, object, index, counter)), in [0, 1).
double random_uniform(uint64_t seed, uint64_t object, uint64_t index, uint64_t counter);

/// A standard normal variate by Box-Muller from the uniforms with counters 2c and 2c+1:
///   u1 = uniform01(bits(2c)), u2 = uniform01(bits(2c+1))
///   z  = sqrt(-2 log(1 - u1)) * cos(2 pi u2)
/// 1 - u1 is in (0, 1], so the log is finite (z is at most about 8.6 in magnitude).
/// Only the cosine half of the pair is used, so counter c owns counters 2c and 2c+1 of
/// the key and nothing else; counters from 2^63 on wrap.
double random_normal(uint64_t seed, uint64_t object, uint64_t index, uint64_t counter);

}  // namespace axon::rt
