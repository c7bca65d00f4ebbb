// The statistics a private fit releases, before noise (private_statistics.hpp).
#include "engine/privacy/private_statistics.hpp"

#include <algorithm>
#include <cmath>

#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/profile/normal.hpp"

namespace synth {

std::vector<std::int64_t> count_domains(const PrivateRows& rows, std::size_t domains) {
  std::vector<std::int64_t> counts(domains, 0);
  for (std::size_t i = 0; i < rows.n; ++i) {
    poll_interrupt();
    ++counts[rows.domain[i]];
  }
  return counts;
}

std::vector<std::int64_t> count_non_integers(const PrivateRows& rows, const std::vector<int>& slot) {
  std::vector<std::int64_t> counts(rows.d, 0);
  for (std::size_t i = 0; i < rows.n; ++i) {
    poll_interrupt(static_cast<std::uint32_t>(rows.d));
    if (slot[rows.domain[i]] < 0) continue;
    for (std::size_t f = 0; f < rows.d; ++f) counts[f] += std::floor(rows.at(i, f)) != rows.at(i, f);
  }
  return counts;
}

std::size_t log_bin(double x) {
  if (x == 0) return kLogSide;
  const double m = std::fabs(x);
  std::size_t j = 0;
  if (!(m < std::ldexp(1.0, kLogBottom)))
    j = static_cast<std::size_t>(std::min(std::ilogb(m), kLogTop) - kLogBottom) + 1;
  return x > 0 ? kLogSide + 1 + j : kLogSide - 1 - j;
}

std::pair<double, double> log_bin_edges(std::size_t bin) {
  if (bin == kLogSide) return {0.0, 0.0};
  const std::size_t j = bin > kLogSide ? bin - kLogSide - 1 : kLogSide - 1 - bin;
  const double low = j == 0 ? 0.0 : std::ldexp(1.0, kLogBottom + static_cast<int>(j) - 1);
  const double high = std::ldexp(1.0, kLogBottom + static_cast<int>(j));
  return bin > kLogSide ? std::make_pair(low, high) : std::make_pair(-high, -low);
}

std::vector<std::int64_t> log_histograms(const PrivateRows& rows, const std::vector<int>& slot,
                                         const std::vector<std::size_t>& features) {
  std::vector<std::int64_t> counts(features.size() * kLogBins, 0);
  for (std::size_t i = 0; i < rows.n; ++i) {
    poll_interrupt(static_cast<std::uint32_t>(features.size() + 1));
    if (slot[rows.domain[i]] < 0) continue;
    for (std::size_t k = 0; k < features.size(); ++k)
      ++counts[k * kLogBins + log_bin(rows.at(i, features[k]))];
  }
  return counts;
}

std::size_t score_bin(double score, std::size_t bins) {
  const std::size_t k = bins / 10;  // bins a tenth
  const double raw = std::floor(std::clamp(score, 0.0, 1.0) * static_cast<double>(bins));
  const auto bin = static_cast<std::size_t>(std::clamp(raw, 0.0, static_cast<double>(bins - 1)));
  switch (score_band(score)) {
    case 0:
      return std::min<std::size_t>(bin, 3 * k - 1);
    case 1:
      return std::clamp<std::size_t>(bin, 4 * k, 6 * k - 1);
    case 2:
      return std::max<std::size_t>(bin, 7 * k);
    default:
      return score < 0.5 ? std::clamp<std::size_t>(bin, 3 * k, 4 * k - 1)
                         : std::clamp<std::size_t>(bin, 6 * k, 7 * k - 1);
  }
}

std::size_t feature_bin(double x, std::pair<double, double> bounds, std::size_t bins) {
  // Halves first: the width of bounds like [-1e308, 1e308] overflows.
  const double t = (x / 2 - bounds.first / 2) / (bounds.second / 2 - bounds.first / 2);
  const double at = std::floor(std::clamp(t, 0.0, 1.0) * static_cast<double>(bins));
  return std::min(static_cast<std::size_t>(at), bins - 1);
}

double ColumnGrid::low(std::size_t b) const {
  if (b >= even()) return atoms[b - even()];
  const double t = static_cast<double>(b) / static_cast<double>(even());
  return score ? t : lo * (1.0 - t) + hi * t;
}

double ColumnGrid::high(std::size_t b) const {
  if (b >= even()) return atoms[b - even()];
  if (b + 1 == even()) return hi;
  return low(b + 1);
}

std::size_t ColumnGrid::bin(double x) const {
  const double v = clamp(x);
  const auto it = std::lower_bound(atoms.begin(), atoms.end(), v);
  if (it != atoms.end() && *it == v) return even() + static_cast<std::size_t>(it - atoms.begin());
  return score ? score_bin(v, even()) : feature_bin(v, {lo, hi}, even());
}

Grids make_grids(std::vector<ColumnGrid> columns) {
  Grids grids;
  grids.offset.push_back(0);
  for (const ColumnGrid& c : columns) grids.offset.push_back(grids.offset.back() + c.bins());
  grids.columns = std::move(columns);
  return grids;
}

std::vector<std::int64_t> grid_histograms(const PrivateRows& rows, const std::vector<int>& slot,
                                          std::size_t slots, const Grids& grids) {
  const std::size_t width = grids.width();
  std::vector<std::int64_t> counts(slots * width, 0);
  for (std::size_t i = 0; i < rows.n; ++i) {
    poll_interrupt(static_cast<std::uint32_t>(rows.d + 1));
    const int s = slot[rows.domain[i]];
    if (s < 0) continue;
    std::int64_t* out = &counts[static_cast<std::size_t>(s) * width];
    for (std::size_t c = 0; c <= rows.d; ++c) ++out[grids.offset[c] + grids.columns[c].bin(rows.at(i, c))];
  }
  return counts;
}

std::vector<std::vector<std::pair<double, std::int64_t>>> value_counts(const PrivateRows& rows,
                                                                       const std::vector<int>& slot,
                                                                       const std::vector<ColumnGrid>& grids) {
  std::vector<std::vector<std::pair<double, std::int64_t>>> out(rows.d + 1);
  std::vector<double> column;
  for (std::size_t c = 0; c <= rows.d; ++c) {
    column.clear();
    for (std::size_t i = 0; i < rows.n; ++i) {
      poll_interrupt();
      if (slot[rows.domain[i]] >= 0) column.push_back(grids[c].clamp(rows.at(i, c)) + 0.0);
    }
    check_interrupt();
    std::sort(column.begin(), column.end());
    for (std::size_t i = 0; i < column.size(); ++i) {
      poll_interrupt();
      if (i == 0 || column[i] != column[i - 1])
        out[c].emplace_back(column[i], 1);
      else
        ++out[c].back().second;
    }
  }
  return out;
}

std::size_t gram_pairs(std::size_t d) { return (d + 1) * (d + 2) / 2; }

double gram_sensitivity(std::size_t d) {
  const double root = std::sqrt(static_cast<double>(d + 1));
  const double norm = kCopulaClipNorm * root * kGramScale + root / 2.0;
  return norm * norm;
}

double normal_score(const Marginal& m, double x) {
  const double u = (m.lower_probability(x) + m.upper_probability(x)) / 2.0;
  return normal_quantile(std::clamp(u, 0.005, 0.995));
}

std::vector<std::int64_t> gram_vector(const PrivateRows& rows, std::size_t row,
                                      const std::vector<Marginal>& marginals) {
  const std::size_t width = rows.d + 1;
  std::vector<double> z(width);
  double norm2 = 0;
  for (std::size_t c = 0; c < width; ++c) {
    z[c] = normal_score(marginals[c], rows.at(row, c));
    norm2 += z[c] * z[c];
  }
  const double limit = kCopulaClipNorm * std::sqrt(static_cast<double>(width));
  const double scale = norm2 > limit * limit ? limit / std::sqrt(norm2) : 1.0;
  std::vector<std::int64_t> q(width);
  for (std::size_t c = 0; c < width; ++c) q[c] = std::llround(z[c] * scale * kGramScale);
  return q;
}

std::vector<std::int64_t> copula_grams(const PrivateRows& rows, const std::vector<int>& slot,
                                       std::size_t slots,
                                       const std::vector<std::vector<Marginal>>& marginals) {
  const std::size_t width = rows.d + 1;
  const std::size_t pairs = gram_pairs(rows.d);
  std::vector<std::int64_t> grams(slots * pairs, 0);
  for (std::size_t i = 0; i < rows.n; ++i) {
    poll_interrupt(static_cast<std::uint32_t>(pairs));
    const int s = slot[rows.domain[i]];
    if (s < 0) continue;
    const std::vector<std::int64_t> q = gram_vector(rows, i, marginals[static_cast<std::size_t>(s)]);
    std::int64_t* out = &grams[static_cast<std::size_t>(s) * pairs];
    for (std::size_t a = 0, k = 0; a < width; ++a)
      for (std::size_t b = a; b < width; ++b, ++k) out[k] += q[a] * q[b];
  }
  return grams;
}

}  // namespace synth
