#include "engine/generate/quota.hpp"

#include <cmath>

namespace synth {

template <std::size_t K>
LargestRemainderQuota<K>::LargestRemainderQuota(std::uint64_t n,
                                                const std::array<double, K>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  std::array<double, K> remainders{};
  std::uint64_t assigned = 0;
  for (std::size_t k = 0; k < K; ++k) {
    // long double keeps the product exact enough for n up to the documented maximum.
    long double exact = static_cast<long double>(n) * weights[k] / total;
    long double whole = std::floor(exact);
    counts_[k] = static_cast<std::uint64_t>(whole);
    // A category without weight never takes a leftover row.
    remainders[k] = weights[k] > 0 ? static_cast<double>(exact - whole) : -1.0;
    assigned += counts_[k];
  }
  // Rounding of the shares can leave assigned a little over n; take it back from the smallest remainders.
  while (assigned > n) {
    std::size_t worst = K;
    for (std::size_t k = 0; k < K; ++k)
      if (counts_[k] > 0 && (worst == K || remainders[k] < remainders[worst])) worst = k;
    --counts_[worst];
    remainders[worst] = 2.0;
    --assigned;
  }
  // Remainders that differ only by rounding error (shares like 0.1 have no exact
  // binary form) are ties, and ties go to the lower index.
  constexpr double kTieTolerance = 1e-9;
  while (assigned < n) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k)
      if (remainders[k] > remainders[best] + kTieTolerance) best = k;
    ++counts_[best];
    remainders[best] = -1.0;  // each category takes at most one leftover row
    ++assigned;
  }
  std::uint64_t end = 0;
  for (std::size_t k = 0; k < K; ++k) {
    end += counts_[k];
    ends_[k] = end;
  }
}

template class LargestRemainderQuota<3>;
template class LargestRemainderQuota<5>;

}  // namespace synth
