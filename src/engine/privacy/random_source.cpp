// The seeded random source: reproducible noise for tests and seeded fits.
#include "engine/privacy/random_source.hpp"

#include <boost/random/mersenne_twister.hpp>

#include "engine/model/mixing.hpp"

namespace synth {

struct SeededRandomSource::Engine {
  boost::random::mt19937_64 generator;
};

SeededRandomSource::SeededRandomSource(std::uint64_t seed)
    : engine_(new Engine{boost::random::mt19937_64(derive_key(seed, kPrivacyNoiseStream))}) {}

SeededRandomSource::~SeededRandomSource() = default;

void SeededRandomSource::fill(unsigned char* out, std::size_t n) {
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 8 == 0) word = engine_->generator();
    out[i] = static_cast<unsigned char>(word >> (8 * (i % 8)));
  }
}

}  // namespace synth
