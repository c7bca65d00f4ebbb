// The random engine of one row: taus88 (three small LFSRs, 12 bytes of state,
// exactly specified by Boost), seeded from a mix of the dataset's row key and
// the sample_id, so seeding one per row costs next to nothing (unlike
// re-seeding a Mersenne Twister) and no row depends on another.
#pragma once

#include <cstdint>

#include <boost/random/taus88.hpp>

#include "engine/model/mixing.hpp"

namespace synth {

using RowEngine = boost::random::taus88;

inline RowEngine engine_for_row(std::uint64_t row_key, std::int64_t sample_id) {
  std::uint64_t a = mix64(row_key ^ static_cast<std::uint64_t>(sample_id));
  std::uint64_t b = mix64(a ^ 0xda942042e4dd58b5ULL);
  std::uint32_t words[3] = {static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                            static_cast<std::uint32_t>(b)};
  std::uint32_t* first = words;
  return RowEngine(first, words + 3);
}

}  // namespace synth
