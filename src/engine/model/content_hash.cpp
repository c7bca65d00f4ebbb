#include "engine/model/content_hash.hpp"

#include <cstdint>
#include <cstdio>

#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"

namespace synth {

// Two 64-bit lanes over the text in 8-byte little-endian words, each step a
// SplitMix64 finalisation (src/engine/model/mixing.hpp). It names content and
// is not a defence against someone forging a collision.
std::string content_hash(std::string_view text) {
  std::uint64_t a = 0x6a09e667f3bcc908ULL ^ text.size();
  std::uint64_t b = 0xbb67ae8584caa73bULL ^ mix64(text.size());
  for (std::size_t i = 0; i < text.size(); i += 8) {
    poll_interrupt();
    std::uint64_t word = 0;
    for (std::size_t k = 0; k < 8 && i + k < text.size(); ++k)
      word |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[i + k])) << (8 * k);
    a = mix64(a ^ word) + 0x9e3779b97f4a7c15ULL;
    b = mix64(b + (word ^ 0xd6e8feb86659fd93ULL)) ^ a;
  }
  a = mix64(a ^ (b >> 1));
  b = mix64(b ^ a);
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return out;
}

}  // namespace synth
