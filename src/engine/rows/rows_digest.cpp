#include "engine/rows/rows_digest.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "engine/model/mixing.hpp"

namespace synth {
namespace {

std::uint64_t bits_of(double x) noexcept {
  if (x == 0.0) x = 0.0;  // -0 reads as 0
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

// One lane's hash of a row: every word goes through the mixer with the lane's key.
std::uint64_t row_hash(const RowObservation& row, std::uint64_t key) noexcept {
  std::uint64_t h = mix64(key);
  auto put = [&](std::uint64_t word) { h = mix64(h ^ word) + 0x9e3779b97f4a7c15ULL; };
  put(static_cast<std::uint64_t>(row.feature_shape) | static_cast<std::uint64_t>(row.feature_count) << 8 |
      static_cast<std::uint64_t>(row.non_numeric_features) << 40 |
      static_cast<std::uint64_t>(row.non_finite_features) << 48);
  // The values are set only when every element is a finite number (others
  // leave their slot as the previous row had it): then all of them count.
  if (row.elements_read() && row.non_numeric_features == 0 && row.non_finite_features == 0)
    for (std::uint32_t i = 0; i < row.feature_count; ++i) put(bits_of(row.features[i]));
  put(static_cast<std::uint64_t>(row.score_state));
  if (row.score_state == ValueState::kNumber) put(bits_of(row.score));
  put(row.has_prompt ? row.prompt_hash : 0x5bd1e995ULL);
  put(row.domain_length);
  for (std::size_t at = 0; at < row.domain_length; at += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, row.domain + at, std::min<std::size_t>(8, row.domain_length - at));
    put(word);
  }
  return h;
}

}  // namespace

void RowsDigest::add(const RowObservation& row) noexcept {
  ++rows_;
  lane_a_ += row_hash(row, 0x243f6a8885a308d3ULL);
  lane_b_ += row_hash(row, 0x13198a2e03707344ULL);
}

std::string RowsDigest::text() const {
  char out[64];
  std::snprintf(out, sizeof out, "%llu:%016llx%016llx", static_cast<unsigned long long>(rows_),
                static_cast<unsigned long long>(lane_a_), static_cast<unsigned long long>(lane_b_));
  return out;
}

}  // namespace synth
