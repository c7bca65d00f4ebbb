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

// Derives an independent key for one purpose ("stream") from a seed.
constexpr std::uint64_t derive_key(std::uint64_t seed, std::uint64_t stream) {
  return mix64(seed ^ mix64(stream * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
}

}  // namespace synth
