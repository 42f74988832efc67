// Samples for ensembles as Nengo draws them (nengo/dists.py, 4.1): Uniform, UniformHypersphere
// and the quasi-random ScatteredHypersphere, every random number from a counter-based stream.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace axon::nef {

// Random keys. Every draw is rt::random_bits(seed, object, index, counter) (runtime/engine/
// rng.h); `object` names what is sampled (rt::hash_name("net.a.encoders")), so each parameter
// of each ensemble has its own streams, and results depend on neither thread count nor call
// order. Uniform and UniformHypersphere use index = the element (row); ScatteredHypersphere
// uses these index words for its few random numbers:
inline constexpr uint64_t scattered_offset_index = 0;         // + 2 * stream: the sequence offset
inline constexpr uint64_t scattered_shuffle_index = 1;        // + 2 * stream: its row shuffle
inline constexpr uint64_t scattered_merge_shuffle_index = 4;  // 1-D ball: the merged shuffle
inline constexpr uint64_t scattered_rotation_index = 5;       // the random rotation

/// Nengo's Uniform(low, high) (floats): element i is rt::sample(rt::uniform(low, high), seed,
/// object, i), the engine's own per-element draw, in [low, high).
Eigen::ArrayXd sample_uniform(Eigen::Index n, double low, double high, uint64_t seed, uint64_t object);

/// Nengo's UniformHypersphere(surface, min_magnitude): Monte Carlo, n rows of d columns.
/// Row i reads only keys (seed, object, i, *): its direction is (z_0 .. z_{d-1}) / norm with
/// z_c = rt::random_normal(seed, object, i, c) (bit counters 2c, 2c + 1); in the ball it is
/// scaled by (m^d + (1 - m^d) u)^(1/d), m = min_magnitude, u = rt::random_uniform(seed,
/// object, i, 2d). So row i does not depend on n. Throws std::invalid_argument for d < 1 or
/// min_magnitude outside [0, 1).
Eigen::MatrixXd uniform_hypersphere(Eigen::Index n, Eigen::Index d, bool surface, uint64_t seed, uint64_t object,
                                    double min_magnitude = 0);

/// The root above 1 of x^(d+1) = x + 1 (the golden ratio for d = 1), by Nengo's Newton
/// iteration from x = 1 (stop when a step is below 1e-10; 100 steps at most, else throws
/// std::runtime_error).
double rd_phi(Eigen::Index d);

/// Nengo's QuasirandomSequence (Roberts' R_d sequence) in [0, 1)^d, n rows:
/// s = d offsets u_j = rt::random_uniform(seed, object, 2 * stream, j);
/// d = 1: z_k = (s + k / n) mod 1 for k = 0 .. n-1 (an even tiling);
/// d > 1: z_k = (s + k * alpha) mod 1 for k = 1 .. n, alpha_j = rd_phi(d)^-(j+1);
/// then the rows are shuffled by Fisher-Yates as NumPy's shuffle (for i = n-1 .. 1 swap rows
/// i and j, j uniform in [0, i]: rt::uniform_below(random_bits(seed, object, 2 * stream + 1,
/// i), i + 1)). Throws std::invalid_argument for d < 1.
Eigen::MatrixXd quasirandom_sequence(Eigen::Index n, Eigen::Index d, uint64_t seed, uint64_t object,
                                     uint64_t stream = 0);

/// The inverse CDF used by Nengo's spherical coordinate transform: for y in [0, 1], x in
/// [0, 1] with theta = pi * x distributed with density proportional to sin^(dims-1)(theta).
/// Nengo: x = asin(sqrt(betaincinv(dims/2, 1/2, 2 y'))) / pi for y' = min(y, 1 - y),
/// reflected for y >= 0.5. Here theta solves S(theta) / S(pi/2) = 2 y' with
/// S(theta) = integral of sin^(dims-1) over [0, theta] (the recurrence
/// S_k = -sin^(k-1) cos / k + (k-1)/k S_(k-2)), by bracketed Newton steps to ~1e-15: the same
/// function as Nengo's exact "sct" method, not its "sct-approx" lookup table. dims >= 1.
double spherical_coords_ppf(Eigen::Index dims, double y);

/// Nengo's spherical_transform_sct: maps n points of [0, 1]^k to the surface of the unit
/// sphere in k + 1 dimensions. coords_j = spherical_coords_ppf(k - j, c_j); angles
/// phi_j = pi * coords_j, the last one 2 pi * coords_(k-1);
/// out_0 = cos phi_0, out_j = sin phi_0 ... sin phi_(j-1) cos phi_j, out_k = prod sin phi.
Eigen::MatrixXd spherical_transform(const Eigen::MatrixXd& cube);

/// Nengo's random_orthogonal: U V^T from the SVD of a d x d matrix of standard normals
/// (entry (r, c) = rt::random_normal(seed, object, scattered_rotation_index, r * d + c)): a
/// Haar-distributed orthogonal matrix.
Eigen::MatrixXd random_orthogonal(Eigen::Index d, uint64_t seed, uint64_t object);

/// Nengo's ScatteredHypersphere(surface, min_magnitude), method "sct", n rows of d columns:
/// - d = 1, surface: sign(q - 0.5) for q = quasirandom_sequence(n, 1) (stream 0), so +-1 in
///   equal numbers (n odd: one more of either); q = 0.5 exactly gives +1 (Nengo: 0).
/// - d = 1, ball: floor(n/2) values of q (stream 0) and n - floor(n/2) values of -q
///   (stream 1), q scaled to m + (1 - m) q, stacked and shuffled (index word
///   scattered_merge_shuffle_index).
/// - d > 1: surface: spherical_transform(quasirandom_sequence(n, d - 1)); ball: the last
///   column c of quasirandom_sequence(n, d) gives the radius (m^d + (1 - m^d) c)^(1/d)
///   and the others the direction; then every row times random_orthogonal(d).
/// What differs from Nengo: its numbers come from NumPy's RandomState (not reproducible
/// here) and its default method is "sct-approx" (a table lookup for the beta inverse,
/// nearly equal); the construction is the same. Throws std::invalid_argument for d < 1 or
/// min_magnitude outside [0, 1).
Eigen::MatrixXd scattered_hypersphere(Eigen::Index n, Eigen::Index d, bool surface, uint64_t seed, uint64_t object,
                                      double min_magnitude = 0);

/// Nengo's default number of evaluation points: max(clip(500 d, 750, 2500), 2 n_neurons).
Eigen::Index default_n_eval_points(Eigen::Index n_neurons, Eigen::Index dimensions);

}  // namespace axon::nef
