// Exact category counts by largest-remainder rounding: for any n, category k
// gets floor(n * share_k) rows plus one of the leftover rows if its remainder
// is among the largest (ties to the lower index).
//
// The shares are taken exactly as PostgreSQL prints them: each weight is the
// shortest decimal that reads back as the same double (0.1 is 1/10, not the
// binary fraction nearest it), and counts and remainders are computed with
// integers of any size. So shares a user writes as decimals tie exactly when
// their decimals tie ({0.3, 0.1, 0.6} at n = 5: low takes the spare row), and
// differ when their decimals differ in the last digit
// ({0.3333333333333333, 0.3333333333333333, 0.3333333333333334} at n = 1: high).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace synth {

// The counts for any number of categories (one per weight), by the rule above.
// The design-table generator and the fitted sampler both round with this one.
std::vector<std::uint64_t> largest_remainder(std::uint64_t n, const std::vector<double>& weights);

template <std::size_t K>
class LargestRemainderQuota {
 public:
  // weights need not sum to 1; they must be finite, >= 0, with a positive sum.
  LargestRemainderQuota(std::uint64_t n, const std::array<double, K>& weights);

  std::uint64_t count(std::size_t category) const { return counts_[category]; }
  // The category owning position (< n) when categories fill [0, n) in order.
  std::size_t category_of(std::uint64_t position) const {
    std::size_t k = 0;
    while (k + 1 < K && position >= ends_[k]) ++k;
    return k;
  }

 private:
  std::array<std::uint64_t, K> counts_{};
  std::array<std::uint64_t, K> ends_{};
};

extern template class LargestRemainderQuota<3>;
extern template class LargestRemainderQuota<5>;

}  // namespace synth
