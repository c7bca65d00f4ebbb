// A keyed pseudo-random permutation of [0, n): random access, O(1) memory.
// A balanced Feistel network over the smallest even-bit power of two >= n,
// with cycle walking to stay inside [0, n). It lets every row find its place
// in the quotas without any array of n entries.
#pragma once

#include <cstdint>

namespace synth {

class KeyedPermutation {
 public:
  KeyedPermutation(std::uint64_t n, std::uint64_t key);

  std::uint64_t size() const { return n_; }
  // The image of index (which must be < size()).
  std::uint64_t operator()(std::uint64_t index) const;

 private:
  static constexpr int kRounds = 4;
  std::uint64_t encrypt_once(std::uint64_t x) const;

  std::uint64_t n_;
  int half_bits_;
  std::uint64_t half_mask_;
  std::uint64_t round_keys_[kRounds];
};

}  // namespace synth
