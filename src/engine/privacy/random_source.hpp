// Where differential-privacy noise gets its randomness: uniform bytes. The
// server layer supplies its strong source (pg_strong_random) as a subclass;
// SeededRandomSource is the reproducible one, for tests and for a fit given
// a seed (whoever knows the seed can subtract the noise: docs/privacy.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace synth {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills out[0, n) with independent uniform random bytes.
  virtual void fill(unsigned char* out, std::size_t n) = 0;
};

// A Boost.Random engine (64-bit Mersenne Twister) keyed by the seed through
// derive_key(seed, kPrivacyNoiseStream): the same seed, the same bytes.
class SeededRandomSource final : public RandomSource {
 public:
  explicit SeededRandomSource(std::uint64_t seed);
  ~SeededRandomSource() override;
  SeededRandomSource(const SeededRandomSource&) = delete;
  SeededRandomSource& operator=(const SeededRandomSource&) = delete;
  void fill(unsigned char* out, std::size_t n) override;

 private:
  struct Engine;
  std::unique_ptr<Engine> engine_;
};

}  // namespace synth
