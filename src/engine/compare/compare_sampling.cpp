// Bounded samples and bootstrap counts for the comparison (see compare_sampling.hpp).
#include "engine/compare/compare_sampling.hpp"

#include <algorithm>
#include <numeric>

#include "engine/model/interrupt.hpp"

namespace synth::compare {

std::vector<std::size_t> choose_rows(std::size_t n, std::size_t m, Random& random) {
  std::vector<std::size_t> rows;
  if (m >= n) {
    rows.resize(n);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    return rows;
  }
  rows.reserve(m);
  for (std::size_t i = 0; i < n && rows.size() < m; ++i) {
    poll_interrupt();
    if (static_cast<double>(n - i) * random.uniform() < static_cast<double>(m - rows.size()))
      rows.push_back(i);
  }
  return rows;
}

SideColumns take_rows(const SideColumns& side, const std::vector<std::size_t>& rows) {
  SideColumns out;
  out.dimension = side.dimension;
  out.numeric.resize(side.numeric.size());
  for (std::size_t j = 0; j < side.numeric.size(); ++j) {
    out.numeric[j].reserve(rows.size());
    for (std::size_t r : rows) {
      poll_interrupt();
      out.numeric[j].push_back(side.numeric[j][r]);
    }
  }
  out.domain.reserve(rows.size());
  for (std::size_t r : rows) out.domain.push_back(side.domain[r]);
  out.has_domain = side.has_domain;
  return out;
}

std::vector<double> resample_counts(std::size_t n, Random& random) {
  std::vector<double> counts(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    poll_interrupt();
    counts[random.below(n)] += 1.0;
  }
  return counts;
}

std::vector<double> quarter_sample(std::size_t n, Random& random) {
  std::vector<double> weights(n, 0.0);
  for (std::size_t r : choose_rows(n, std::max<std::size_t>(1, n / 4), random)) weights[r] = 1.0;
  return weights;
}

}  // namespace synth::compare
