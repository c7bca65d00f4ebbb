#include "engine/generate/keyed_permutation.hpp"

#include <algorithm>

#include "engine/model/mixing.hpp"

namespace synth {

KeyedPermutation::KeyedPermutation(std::uint64_t n, std::uint64_t key, int rounds)
    : n_(n), rounds_(std::clamp(rounds, 1, kUniformRounds)) {
  int bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += 2;
  half_bits_ = bits / 2;
  half_mask_ = (std::uint64_t{1} << half_bits_) - 1;
  for (int r = 0; r < rounds_; ++r) round_keys_[r] = derive_key(key, kPermutationRoundStream + r);
}

std::uint64_t KeyedPermutation::encrypt_once(std::uint64_t x) const {
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & half_mask_;
  for (int r = 0; r < rounds_; ++r) {
    std::uint64_t next = left ^ (mix64(right ^ round_keys_[r]) & half_mask_);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::uint64_t KeyedPermutation::operator()(std::uint64_t index) const {
  // Cycle walking: the Feistel domain is < 4n, so this loops < 4 times on average
  // and always ends, because the walk follows one cycle of a permutation that
  // contains index < n.
  std::uint64_t x = encrypt_once(index);
  while (x >= n_) x = encrypt_once(x);
  return x;
}

}  // namespace synth
