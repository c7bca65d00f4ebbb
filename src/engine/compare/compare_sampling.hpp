// The comparison's randomness: a counter-based generator keyed by the seed
// and a named stream (engine/model/mixing.hpp), bounded row samples drawn
// without replacement, bootstrap replicates as multinomial counts, and
// subsamples as 0/1 weights.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/compare/compare_side.hpp"
#include "engine/model/mixing.hpp"

namespace synth::compare {

// The same seed and stream give the same draws on every platform.
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t stream) : state_(derive_key(seed, stream)) {}
  std::uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

 private:
  std::uint64_t state_;
};

// Knuth's selection sampling: m of n row numbers, ascending, in one pass
// (every row when m >= n).
std::vector<std::size_t> choose_rows(std::size_t n, std::size_t m, Random& random);

// The chosen rows of a side, in the order given.
SideColumns take_rows(const SideColumns& side, const std::vector<std::size_t>& rows);

// Multinomial counts of one bootstrap replicate: n draws with replacement.
std::vector<double> resample_counts(std::size_t n, Random& random);

// One subsample for the quality intervals: weight 1 on a quarter of the n
// rows (at least one) drawn without replacement, 0 on the others, so no value
// is repeated and no tie is made.
std::vector<double> quarter_sample(std::size_t n, Random& random);

}  // namespace synth::compare
