#include "engine/generate/keyed_permutation.hpp"

#include <algorithm>

#include "engine/model/mixing.hpp"

namespace synth {

KeyedPermutation::KeyedPermutation(std::uint64_t n, std::uint64_t key, int rounds, Domain domain)
    : n_(n), rounds_(std::clamp(rounds, 1, kUniformRounds)) {
  const int step = domain == Domain::kTight ? 1 : 2;
  int bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += step;
  low_bits_ = bits / 2;
  high_bits_ = bits - low_bits_;
  low_mask_ = (std::uint64_t{1} << low_bits_) - 1;
  high_mask_ = (std::uint64_t{1} << high_bits_) - 1;
  for (int r = 0; r < rounds_; ++r) round_keys_[r] = derive_key(key, kPermutationRoundStream + r);
}

// Each round maps (high, low) to (low, high ^ F(low)) and reads the result
// again as high_bits_ over low_bits_: a bijection of the domain whatever the
// widths. With equal widths it is the textbook balanced network.
std::uint64_t KeyedPermutation::encrypt_once(std::uint64_t x) const {
  for (int r = 0; r < rounds_; ++r) {
    const std::uint64_t high = x >> low_bits_;
    const std::uint64_t low = x & low_mask_;
    x = (low << high_bits_) | (high ^ (mix64(low ^ round_keys_[r]) & high_mask_));
  }
  return x;
}

std::uint64_t KeyedPermutation::operator()(std::uint64_t index) const {
  // Cycle walking: the Feistel domain is < 4n (tight: < 2n), so this loops < 4 (2) times on average
  // and always ends, because the walk follows one cycle of a permutation that
  // contains index < n.
  std::uint64_t x = encrypt_once(index);
  while (x >= n_) x = encrypt_once(x);
  return x;
}

}  // namespace synth
