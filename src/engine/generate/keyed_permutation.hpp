// A keyed pseudo-random permutation of [0, n): random access, O(1) memory.
// A Feistel network over a power of two >= n, with cycle walking to stay
// inside [0, n). It lets every row find its place in the quotas without any
// array of n entries. The network is balanced over the smallest even-bit
// power of two (up to 4n: up to four steps a walk), or, tight, over the
// smallest power of two (under 2n), its high part one bit wider than its low
// where the bits are odd.
#pragma once

#include <cstdint>

namespace synth {

class KeyedPermutation {
 public:
  // Four rounds place rows in quotas well. A permutation whose image of one
  // index must be near uniform over keys (the fitted sampler's strata) needs
  // more where n is small and the Feistel halves are a few bits wide: at
  // n = 25, four rounds send some indexes to some images twice as often as
  // others, and eight still fail at n = 5. kUniformRounds pass a chi-square
  // test of uniformity over 40,000 keys at n = 5, 25 and 89. Over a tight
  // domain of odd bits a difference in the top bit passes two rounds
  // without reaching the round function: at n = 511, six rounds leave
  // perm(i ^ 256) - perm(i) visibly uneven over keys, kWideRounds do not
  // (test_keyed_permutation.cpp).
  static constexpr int kDefaultRounds = 4;
  static constexpr int kWideRounds = 8;
  static constexpr int kUniformRounds = 12;
  enum class Domain { kEvenBits, kTight };
  KeyedPermutation(std::uint64_t n, std::uint64_t key, int rounds = kDefaultRounds,
                   Domain domain = Domain::kEvenBits);

  std::uint64_t size() const { return n_; }
  // The image of index (which must be < size()).
  std::uint64_t operator()(std::uint64_t index) const;

 private:
  std::uint64_t encrypt_once(std::uint64_t x) const;

  std::uint64_t n_;
  int high_bits_;  // each round: (high, low) -> (low, high ^ F(low)), as high_bits_ + low_bits_ bits
  int low_bits_;
  int rounds_;
  std::uint64_t high_mask_;
  std::uint64_t low_mask_;
  std::uint64_t round_keys_[kUniformRounds] = {};
};

}  // namespace synth
