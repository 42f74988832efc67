#include "runtime/engine/rng.h"

#include <cmath>

namespace axon::rt {

uint64_t hash_name(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

double random_uniform(uint64_t seed, uint64_t object, uint64_t index, uint64_t counter) {
  return uniform01(random_bits(seed, object, index, counter));
}

double random_normal(uint64_t seed, uint64_t object, uint64_t index, uint64_t counter) {
  constexpr double two_pi = 6.283185307179586476925286766559;
  const double u1 = uniform01(random_bits(seed, object, index, 2 * counter));
  const double u2 = uniform01(random_bits(seed, object, index, 2 * counter + 1));
  const double r = std::sqrt(-2.0 * std::log(1.0 - u1));
  return r * std::cos(two_pi * u2);
}

}  // namespace axon::rt
