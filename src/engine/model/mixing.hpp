// Stateless 64-bit mixing: the keyed hashes behind per-row seeds and the
// permutation's round function. Fixed arithmetic, identical on every platform.
#pragma once

#include <cstdint>

namespace synth {

// The SplitMix64 finalizer: a bijective avalanche of all 64 bits.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The streams derive_key is given, in one list so that no two purposes share
// one by accident. Changing one changes rows (generator_version).
// The design table's generator: domain order, tier order, each row's draws.
inline constexpr std::uint64_t kDomainStream = 1;
inline constexpr std::uint64_t kTierStream = 2;
inline constexpr std::uint64_t kRowStream = 3;
// The fitted sampler: the (domain, band) cell order, each row's draws.
inline constexpr std::uint64_t kCellStream = 11;
inline constexpr std::uint64_t kFittedRowStream = 13;
// The fitted sampler's strata: each domain's noise terms and each cell's score.
inline constexpr std::uint64_t kStratumStream = 17;
// synth_compare: its bounded samples, the quality replicates, the models'
// folds and AUC replicates, the privacy replicates, and (with a holdout) the
// holdout's model sample and the rows augmentation adds, the ceiling's folds,
// and the augmentation's replicates. These reuse the
// generator's small numbers, which is harmless (the comparison makes no rows)
// but fixed: changing one changes synth_compare's figures.
inline constexpr std::uint64_t kCompareSampleStream = 1;
inline constexpr std::uint64_t kCompareResampleStream = 2;
inline constexpr std::uint64_t kCompareModelStream = 3;
inline constexpr std::uint64_t kComparePrivacyStream = 4;
inline constexpr std::uint64_t kCompareHoldoutSampleStream = 5;
inline constexpr std::uint64_t kCompareCeilingStream = 6;
inline constexpr std::uint64_t kCompareAugmentStream = 7;
// The seeded source of differential-privacy noise (a fit given a seed).
inline constexpr std::uint64_t kPrivacyNoiseStream = 0x44504e4fULL;  // "DPNO"
// A keyed permutation's round keys: this plus the round ("PERM").
inline constexpr std::uint64_t kPermutationRoundStream = 0x5045524dULL;

// Derives an independent key for one purpose ("stream") from a seed.
constexpr std::uint64_t derive_key(std::uint64_t seed, std::uint64_t stream) {
  return mix64(seed ^ mix64(stream * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
}

}  // namespace synth
