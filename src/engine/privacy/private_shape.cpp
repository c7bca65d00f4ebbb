// The private fit's marginals, band shares and copulas (steps 4 and 5 of
// private_fit.hpp), all from noisy histograms and noisy Gram matrices.
#include <algorithm>
#include <cmath>

#include "engine/model/cholesky.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/privacy/private_parts.hpp"
#include "engine/profile/profile_fit.hpp"

namespace synth {

namespace {

double grid_edge(std::size_t column, std::size_t d, std::pair<double, double> bounds, std::size_t j) {
  const std::size_t bins = grid_bins(column, d);
  const double t = static_cast<double>(j) / static_cast<double>(bins);
  if (column == d) return t;  // the score's grid on [0, 1]
  if (j == bins) return bounds.second;
  return bounds.first * (1.0 - t) + bounds.second * t;
}

// Blends toward the identity until the Cholesky factor exists with a margin
// (as the non-private fit does).
void make_positive_definite(std::vector<double>& r, std::size_t width) {
  std::vector<double> lower;
  for (double eps = 1e-6; (check_interrupt(), !cholesky(r, width, lower)) && eps <= 1.0; eps *= 10) {
    for (std::size_t a = 0; a < width; ++a)
      for (std::size_t b = 0; b < width; ++b)
        if (a != b) r[a * width + b] *= 1.0 - eps;
  }
}

// The correlation a noisy Gram matrix (upper triangle) implies.
std::vector<double> correlation_of_gram(const std::vector<double>& gram, std::size_t width) {
  std::vector<double> diagonal(width);
  for (std::size_t a = 0, k = 0; a < width; k += width - a, ++a) diagonal[a] = gram[k];
  std::vector<double> r(width * width, 0.0);
  for (std::size_t a = 0, k = 0; a < width; ++a) {
    r[a * width + a] = 1.0;
    ++k;
    for (std::size_t b = a + 1; b < width; ++b, ++k) {
      double value = 0;
      if (diagonal[a] > 0 && diagonal[b] > 0)
        value = std::clamp(gram[k] / std::sqrt(diagonal[a] * diagonal[b]), -1.0, 1.0);
      r[a * width + b] = r[b * width + a] = value;
    }
  }
  make_positive_definite(r, width);
  return r;
}

// Band shares of a score histogram (every bin lies in one band).
std::array<double, kBandCount> band_shares_of(const double* score_mass) {
  std::array<double, kBandCount> shares{};
  double total = 0;
  for (std::size_t b = 0; b < kPrivateScoreBins; ++b) {
    const double centre = (static_cast<double>(b) + 0.5) / static_cast<double>(kPrivateScoreBins);
    shares[score_band(centre)] += score_mass[b];
    total += score_mass[b];
  }
  for (double& s : shares) s /= total;
  return shares;
}

double total_of(const double* mass, std::size_t bins) {
  double total = 0;
  for (std::size_t b = 0; b < bins; ++b) total += mass[b];
  return total;
}

}  // namespace

Marginal marginal_from_histogram(const double* mass, std::size_t column, std::size_t d,
                                 std::pair<double, double> bounds, bool integer) {
  const std::size_t bins = grid_bins(column, d);
  std::vector<double> m(mass, mass + bins);
  double total = total_of(m.data(), bins);
  if (!(total > 0)) {  // nothing left after the noise: uniform on the grid
    std::fill(m.begin(), m.end(), 1.0);
    total = static_cast<double>(bins);
  }
  std::size_t first = 0, last = bins - 1;
  while (!(m[first] > 0)) ++first;
  while (!(m[last] > 0)) --last;
  Marginal out;
  out.knots.assign(kMaxQuantileKnots, 0.0);
  out.knots.front() = grid_edge(column, d, bounds, first);
  out.knots.back() = grid_edge(column, d, bounds, last + 1);
  double below = 0;  // mass of the bins before j
  std::size_t j = first;
  for (std::size_t k = 1; k + 1 < kMaxQuantileKnots; ++k) {
    poll_interrupt();
    const double target = total * static_cast<double>(k) / static_cast<double>(kMaxQuantileKnots - 1);
    while (j < last && below + m[j] < target) below += m[j++];
    const double frac = m[j] > 0 ? std::clamp((target - below) / m[j], 0.0, 1.0) : 0.0;
    const double lo = grid_edge(column, d, bounds, j), hi = grid_edge(column, d, bounds, j + 1);
    out.knots[k] = lo + frac * (hi - lo);
  }
  if (integer) {
    out.knots.front() = std::max(std::floor(out.knots.front()), bounds.first);
    out.knots.back() = std::min(std::ceil(out.knots.back()), bounds.second);
  }
  for (std::size_t k = 1; k < kMaxQuantileKnots; ++k)
    out.knots[k] = std::clamp(out.knots[k], out.knots[k - 1], out.knots.back());
  return out;
}

Profile release_shape(const PrivateRows& rows, const ReleasedDomains& released,
                      const std::vector<std::pair<double, double>>& bounds, const std::vector<bool>& integer,
                      const BudgetSplit& split, RandomSource& random) {
  const std::size_t d = rows.d, width = grid_width(d), slots = released.names.size(), columns = d + 1;
  // Step 4: noisy histograms, cut at 0; the pool's is their sum.
  NoiseGenerator histogram_noise(grid_sensitivity(d), split[PrivacyPart::kMarginals], random);
  const std::vector<std::int64_t> counts = grid_histograms(rows, released.slot, slots, bounds);
  std::vector<double> mass(slots * width), pooled(width, 0.0);
  for (std::size_t i = 0; i < mass.size(); ++i) {
    poll_interrupt();
    mass[i] = static_cast<double>(std::max<std::int64_t>(0, histogram_noise.add(counts[i])));
    pooled[i % width] += mass[i];
  }
  Profile p;
  p.rows = released.total;
  p.integer_features = integer;
  auto shape = [&](DomainProfile& dp, const double* m) {
    for (std::size_t c = 0; c < columns; ++c) {
      Marginal marginal = marginal_from_histogram(
          m + grid_offset(c, d), c, d, c < d ? bounds[c] : std::make_pair(0.0, 1.0), c < d && integer[c]);
      (c < d ? dp.features.emplace_back() : dp.score) = std::move(marginal);
    }
    dp.band_shares = band_shares_of(m + grid_offset(d, d));
  };
  DomainProfile& pool = p.pooled;
  pool.name = "*";
  pool.rows = released.total;
  pool.share = 1.0;
  pool.copula_weight = 1.0;
  if (!(total_of(pooled.data() + grid_offset(d, d), kPrivateScoreBins) > 0))
    std::fill(pooled.begin(), pooled.end(), 1.0);
  shape(pool, pooled.data());
  p.band_shares = pool.band_shares;

  for (std::size_t s = 0; s < slots; ++s) {
    check_interrupt();
    DomainProfile& dp = p.domains.emplace_back();
    dp.name = released.names[s];
    dp.rows = released.rows[s];
    dp.share = static_cast<double>(dp.rows) / static_cast<double>(released.total);
    const double* m = mass.data() + s * width;
    bool empty = false;
    for (std::size_t c = 0; c < columns; ++c)
      empty |= !(total_of(m + grid_offset(c, d), grid_bins(c, d)) > 0);
    dp.borrowed = static_cast<double>(dp.rows) < kMinPrivateDomainRows || empty;
    if (dp.borrowed) {
      dp.features = pool.features;
      dp.score = pool.score;
      dp.band_shares = empty ? pool.band_shares : band_shares_of(m + grid_offset(d, d));
    } else {
      shape(dp, m);
    }
  }

  // Step 5: noisy Gram matrices of the normal scores under the released
  // marginals; the pooled within-domain copula adds them.
  std::vector<std::vector<Marginal>> marginals(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    marginals[s] = p.domains[s].features;
    marginals[s].push_back(p.domains[s].score);
  }
  NoiseGenerator gram_noise(gram_sensitivity(d), split[PrivacyPart::kCopula], random);
  const std::vector<std::int64_t> grams = copula_grams(rows, released.slot, slots, marginals);
  const std::size_t pairs = gram_pairs(d);
  std::vector<std::vector<double>> noisy(slots, std::vector<double>(pairs));
  std::vector<double> within(pairs, 0.0);
  for (std::size_t s = 0; s < slots; ++s)
    for (std::size_t k = 0; k < pairs; ++k) {
      poll_interrupt();
      noisy[s][k] = static_cast<double>(gram_noise.add(grams[s * pairs + k]));
      within[k] += noisy[s][k];
    }
  pool.correlation = correlation_of_gram(within, columns);
  // The noise of a Gram entry in rows' worth (a row adds about kGramScale^2
  // to a diagonal entry): how much a domain's own copula is shrunk.
  const double noise_rows = std::sqrt(gram_noise.variance()) / (kGramScale * kGramScale);
  for (std::size_t s = 0; s < slots; ++s) {
    DomainProfile& dp = p.domains[s];
    if (dp.borrowed) {
      dp.correlation = pool.correlation;
      dp.copula_weight = 0.0;
      continue;
    }
    const double n = static_cast<double>(dp.rows);
    dp.copula_weight = n / (n + kCopulaShrinkRows + noise_rows);
    const std::vector<double> own = correlation_of_gram(noisy[s], columns);
    dp.correlation.resize(columns * columns);
    for (std::size_t i = 0; i < own.size(); ++i)
      dp.correlation[i] = dp.copula_weight * own[i] + (1.0 - dp.copula_weight) * pool.correlation[i];
    make_positive_definite(dp.correlation, columns);
  }
  return p;
}

}  // namespace synth
