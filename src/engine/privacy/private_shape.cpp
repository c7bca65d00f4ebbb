// The private fit's marginals, band shares and copulas (steps 4 and 5 of
// private_fit.hpp), all from noisy histograms and noisy Gram matrices.
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "engine/model/cholesky.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/privacy/private_parts.hpp"
#include "engine/profile/copula_pearson.hpp"
#include "engine/profile/profile_fit.hpp"

namespace synth {

namespace {

// A domain whose own rows weigh less than this in its copula takes the
// pool's correction alone (its own would be its noisy marginals' only).
constexpr double kLeastOwnWeight = 0.01;

// Blends toward `toward` (a positive definite matrix; empty: the identity),
// r(t) = t r + (1 - t) toward, with the largest t (to 1/1024, by bisection)
// whose Cholesky factor exists. A noisy matrix can be far from positive
// definite; stepping t down by powers of ten would jump from 0.9 to 0 and
// lose every correlation.
void make_positive_definite(std::vector<double>& r, std::size_t width,
                            const std::vector<double>& toward = {}) {
  std::vector<double> lower;
  if (cholesky(r, width, lower)) return;
  auto blend = [&](double t) {
    std::vector<double> out(r);
    for (std::size_t a = 0; a < width; ++a)
      for (std::size_t b = 0; b < width; ++b)
        if (a != b)
          out[a * width + b] =
              t * r[a * width + b] + (1 - t) * (toward.empty() ? 0.0 : toward[a * width + b]);
    return out;
  };
  double low = 0, high = 1;  // r(low) is positive definite, r(high) is not
  for (int step = 0; step < 10; ++step) {
    check_interrupt();
    const double mid = (low + high) / 2;
    (cholesky(blend(mid * (1 - 1e-6)), width, lower) ? low : high) = mid;
  }
  r = blend(low * (1 - 1e-6));
}

// The mean normal score of each column under released marginals (no row
// read: an average over the marginal's own quantiles), for centring.
std::vector<double> expected_scores(const std::vector<Marginal>& marginals) {
  constexpr std::size_t kPoints = 1024;
  std::vector<double> mean(marginals.size(), 0.0);
  for (std::size_t c = 0; c < marginals.size(); ++c)
    for (std::size_t k = 0; k < kPoints; ++k) {
      poll_interrupt();
      const double u = (static_cast<double>(k) + 0.5) / kPoints;
      mean[c] += normal_score(marginals[c], marginals[c].quantile(u)) / kPoints;
    }
  return mean;
}

// The correlation a noisy Gram matrix (upper triangle) implies, pulled
// toward `target` (width x width; empty: no correlation) by how noisy each
// entry is: r = target + w (r_noisy - target), w = tau^2 / (tau^2 + s^2),
// s the noise of the entry (noise_sd, the Gram noise's standard deviation,
// over sqrt(G_aa G_bb)) and tau^2 the spread of the true departures from
// the target, estimated from the entries themselves: the mean of
// (r_noisy - target)^2 less the mean of s^2 (an empirical-Bayes shrinkage;
// post-processing). Where the noise dwarfs the rows every w is near 0 and
// the target stands; with many rows every w is near 1. `weight` gets the
// mean w.
std::vector<double> correlation_of_gram(const std::vector<double>& gram, std::size_t width, double noise_sd,
                                        const std::vector<double>& target, double* weight = nullptr) {
  std::vector<double> diagonal(width);
  for (std::size_t a = 0, k = 0; a < width; k += width - a, ++a) diagonal[a] = gram[k];
  std::vector<double> r(width * width, 0.0), noise(width * width, 0.0);
  double spread = 0, noise_mean = 0, weights = 0;
  std::size_t entries = 0;
  for (std::size_t a = 0, k = 0; a < width; ++a) {
    r[a * width + a] = 1.0;
    ++k;
    for (std::size_t b = a + 1; b < width; ++b, ++k) {
      const std::size_t i = a * width + b;
      const double toward = target.empty() ? 0.0 : target[i];
      double value = toward, s2 = HUGE_VAL;
      if (diagonal[a] > 0 && diagonal[b] > 0) {
        value = std::clamp(gram[k] / std::sqrt(diagonal[a] * diagonal[b]), -1.0, 1.0);
        s2 = noise_sd * noise_sd / (diagonal[a] * diagonal[b]);
      }
      r[i] = value;
      noise[i] = s2;
      spread += (value - toward) * (value - toward);
      noise_mean += std::min(s2, 4.0);
      ++entries;
    }
  }
  const double tau2 = entries ? std::max(0.0, (spread - noise_mean) / static_cast<double>(entries)) : 0.0;
  for (std::size_t a = 0; a < width; ++a)
    for (std::size_t b = a + 1; b < width; ++b) {
      const std::size_t i = a * width + b;
      const double toward = target.empty() ? 0.0 : target[i];
      const double w = tau2 > 0 ? tau2 / (tau2 + noise[i]) : 0.0;
      weights += w;
      r[i] = r[b * width + a] = toward + w * (r[i] - toward);
    }
  make_positive_definite(r, width);
  if (weight) *weight = entries ? weights / static_cast<double>(entries) : 1.0;
  return r;
}

// Band shares of a score histogram (every bin lies in one band).
std::array<double, kBandCount> band_shares_of(const double* score_mass, const ColumnGrid& grid) {
  std::array<double, kBandCount> shares{};
  double total = 0;
  for (std::size_t b = 0; b < grid.bins(); ++b) {
    const double at = b < grid.even() ? (grid.low(b) + grid.high(b)) / 2 : grid.low(b);
    shares[score_band(at)] += score_mass[b];
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

// A stretch of the CDF: mass spread evenly over [low, high] (an atom: low == high).
struct Piece {
  double low, high, mass;
};

// The grid's bins as pieces in order of value: each even bin cut at the
// atoms inside it (its mass shared by length), the atoms between.
std::vector<Piece> pieces_of(const double* mass, const ColumnGrid& grid) {
  std::vector<Piece> pieces;
  std::size_t a = 0;
  for (std::size_t b = 0; b < grid.even(); ++b) {
    poll_interrupt();
    const double low = grid.low(b), high = grid.high(b);
    double from = low;
    const bool last = b + 1 == grid.even();
    while (a < grid.atoms.size() && (grid.atoms[a] < high || (last && grid.atoms[a] <= high))) {
      const double at = std::max(grid.atoms[a], from);
      const double share = high > low ? (at - from) / (high - low) : 0.0;
      pieces.push_back({from, at, mass[b] * share});
      pieces.push_back({at, at, mass[grid.even() + a]});
      from = at;
      ++a;
    }
    pieces.push_back({from, high, mass[b] * (high > low ? (high - from) / (high - low) : 1.0)});
  }
  for (; a < grid.atoms.size(); ++a) pieces.push_back({grid.atoms[a], grid.atoms[a], mass[grid.even() + a]});
  return pieces;
}

// Post-processing of one noisy histogram whose true total is about `total`
// rows: subtract the one level theta that leaves sum max(h - theta, 0) =
// total. Noise in bins no row holds adds mass that cutting at 0 would keep
// (on average 0.4 sigma a bin) and spread evenly over the bounds; the
// subtraction removes it and keeps the bins that stand out.
void subtract_to_total(double* h, std::size_t bins, double total) {
  if (bins == 0 || !(total > 0)) return;
  std::vector<double> sorted(h, h + bins);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  double theta = sorted.front() - total, running = 0;
  for (std::size_t k = 0; k < bins; ++k) {
    running += sorted[k];
    const double level = (running - total) / static_cast<double>(k + 1);
    if (k + 1 == bins || level >= sorted[k + 1]) {
      theta = level;
      break;
    }
  }
  theta = std::max(theta, 0.0);  // too little mass: cut at 0 only
  for (std::size_t b = 0; b < bins; ++b) h[b] = std::max(h[b] - theta, 0.0);
}

}  // namespace

Marginal marginal_from_histogram(const double* mass, const ColumnGrid& grid, bool integer) {
  std::vector<double> m(mass, mass + grid.bins());
  double total = total_of(m.data(), m.size());
  if (!(total > 0)) {  // nothing left after the noise: uniform on the grid
    std::fill(m.begin(), m.end(), 0.0);
    std::fill(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(grid.even()), 1.0);
    total = static_cast<double>(grid.even());
  }
  std::vector<Piece> pieces = pieces_of(m.data(), grid);
  pieces.erase(std::remove_if(pieces.begin(), pieces.end(), [](const Piece& p) { return !(p.mass > 0); }),
               pieces.end());
  Marginal out;
  out.knots.assign(kMaxQuantileKnots, 0.0);
  out.knots.front() = pieces.front().low;
  out.knots.back() = pieces.back().high;
  double below = 0;  // mass of the pieces before j
  std::size_t j = 0;
  for (std::size_t k = 1; k + 1 < kMaxQuantileKnots; ++k) {
    poll_interrupt();
    const double target = total * static_cast<double>(k) / static_cast<double>(kMaxQuantileKnots - 1);
    while (j + 1 < pieces.size() && below + pieces[j].mass < target) below += pieces[j++].mass;
    const double frac = std::clamp((target - below) / pieces[j].mass, 0.0, 1.0);
    out.knots[k] = pieces[j].low + frac * (pieces[j].high - pieces[j].low);
  }
  if (integer) {
    out.knots.front() = std::max(std::floor(out.knots.front()), grid.lo);
    out.knots.back() = std::min(std::ceil(out.knots.back()), grid.hi);
  }
  for (std::size_t k = 1; k < kMaxQuantileKnots; ++k)
    out.knots[k] = std::clamp(out.knots[k], out.knots[k - 1], out.knots.back());
  return out;
}

double atom_least(std::uint64_t released_total) {
  return std::max(2.0, std::floor(static_cast<double>(released_total) / 128.0));
}

std::vector<std::pair<double, std::int64_t>> atom_candidates(
    const std::vector<std::pair<double, std::int64_t>>& counts, double least) {
  std::vector<std::pair<double, std::int64_t>> out;
  for (const auto& [value, count] : counts) {
    poll_interrupt();
    if (static_cast<double>(count) >= least) out.emplace_back(value, count);
  }
  return out;
}

void release_atoms(const PrivateRows& rows, const ReleasedDomains& released, std::vector<ColumnGrid>& grids,
                   double rho, double delta_atoms, RandomSource& random) {
  NoiseGenerator noise(PrivacyPart::kAtoms, grid_sensitivity_squared(rows.d), rho, random);
  const double least = atom_least(released.total);
  trace_delta("atoms", delta_atoms);
  const double threshold =
      domain_threshold(noise.sigma(), delta_atoms / static_cast<double>(rows.d + 1), least);
  const auto counts = value_counts(rows, released.slot, grids);
  for (std::size_t c = 0; c <= rows.d; ++c) {
    std::vector<std::pair<std::int64_t, double>> passed;  // noisy rows, value
    for (const auto& [value, count] : atom_candidates(counts[c], least)) {
      poll_interrupt();
      const std::int64_t noisy = noise.add(count);
      if (static_cast<double>(noisy) >= threshold) passed.emplace_back(noisy, value);
    }
    std::sort(passed.begin(), passed.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    if (passed.size() > kMaxAtoms) passed.resize(kMaxAtoms);
    for (const auto& p : passed) grids[c].atoms.push_back(p.second);
    std::sort(grids[c].atoms.begin(), grids[c].atoms.end());
  }
}

BudgetSplit shape_split(const BudgetSplit& split, std::size_t d, std::uint64_t released_total,
                        std::size_t slots, double delta_atoms) {
  BudgetSplit out = split;
  const double total = static_cast<double>(released_total);
  auto move_to_marginals = [&](PrivacyPart part) {
    out.rho[static_cast<std::size_t>(PrivacyPart::kMarginals)] += out[part];
    out.rho[static_cast<std::size_t>(part)] = 0.0;
  };
  if (out[PrivacyPart::kAtoms] > 0) {
    const double sigma = std::sqrt(gaussian_variance(grid_sensitivity_squared(d), out[PrivacyPart::kAtoms]));
    const double threshold =
        domain_threshold(sigma, delta_atoms / static_cast<double>(d + 1), atom_least(released_total));
    if (threshold > total / 2) move_to_marginals(PrivacyPart::kAtoms);
  }
  if (out[PrivacyPart::kCopula] > 0) {
    const double sigma = std::sqrt(gaussian_variance(gram_sensitivity_squared(d), out[PrivacyPart::kCopula]));
    const double diagonal = total * kGramScale * kGramScale * kCopulaClipNorm * kCopulaClipNorm / 2;
    if (sigma * std::sqrt(static_cast<double>(slots)) > kMaxCopulaNoise * diagonal)
      move_to_marginals(PrivacyPart::kCopula);
  }
  return out;
}

// Post-processing of a released copula (row-free): a column with point
// masses or few values (integers) draws a weaker normal-score correlation
// than the copula's latent one, tied rows sharing one score, so a latent
// equal to the released normal-score correlation draws less than it. Each
// pair's latent becomes the one whose drawn normal-score correlation, under
// the released marginals (copula_pearson.hpp, rank_shape), is the released
// one: at most kMaxUntie times the released figure (two 1% flags would
// multiply it, noise and all, by about 14), and the released figure itself
// where no latent reaches it (noise beyond what the two columns can draw).
// `marginals`: the features' then the score's. No repair: see release_copulas.
std::vector<double> untied(const std::vector<double>& released, const std::vector<Marginal>& marginals,
                           const std::vector<bool>& integer) {
  const std::size_t width = marginals.size();
  std::vector<PearsonShape> ranks;
  ranks.reserve(width);
  for (std::size_t c = 0; c < width; ++c) {
    check_interrupt();
    const int grid = c + 1 < width ? (integer[c] ? 0 : -1) : kScoreGridDecimals;
    ranks.push_back(rank_shape(marginals[c], grid));
  }
  std::vector<double> r = released;
  for (std::size_t a = 0; a < width; ++a)
    for (std::size_t b = a + 1; b < width; ++b) {
      check_interrupt();
      const double target = released[a * width + b];
      if (!ranks[a].usable || !ranks[b].usable || !(std::fabs(target) < kMaxTiedLatent)) continue;
      const double latent = latents_for_pearson(ranks[a], ranks[b], {target}).front();
      r[a * width + b] = r[b * width + a] = untied_latent(latent, target);
    }
  return r;
}

// A domain's untied matrix: its own correction where its own rows weigh
// (copula_weight w), the pool's correction where the pool does. A domain of
// weight 0 holds the pool's released matrix and gets exactly the pool's
// untied one: its own noisy marginals, applied to the pool's figure, drew
// anything from -0.42 to -0.94 for a true 0 between two rare flags.
std::vector<double> untied_domain(const DomainProfile& dp, const std::vector<Marginal>& marginals,
                                  const std::vector<bool>& integer, const std::vector<double>& pool_released,
                                  const std::vector<double>& pool_untied) {
  const double w = std::clamp(dp.copula_weight, 0.0, 1.0);
  const std::vector<double>& released = dp.correlation;
  const std::vector<double> own = w > kLeastOwnWeight ? untied(released, marginals, integer) : released;
  std::vector<double> r = released;
  for (std::size_t i = 0; i < r.size(); ++i)
    r[i] = released[i] + w * (own[i] - released[i]) + (1 - w) * (pool_untied[i] - pool_released[i]);
  return r;
}

// Step 5: noisy Gram matrices of the normal scores under the released
// marginals; the pooled within-domain copula adds them. With no rho for it
// (shape_split), every copula is the identity.
void release_copulas(const PrivateRows& rows, const ReleasedDomains& released, double rho, Profile& p,
                     RandomSource& random) {
  const std::size_t d = rows.d, slots = released.names.size(), columns = d + 1;
  DomainProfile& pool = p.pooled;
  if (!(rho > 0)) {
    std::vector<double> identity(columns * columns, 0.0);
    for (std::size_t c = 0; c < columns; ++c) identity[c * columns + c] = 1.0;
    pool.correlation = identity;
    for (DomainProfile& dp : p.domains) dp.correlation = identity, dp.copula_weight = 0.0;
    return;
  }
  std::vector<std::vector<Marginal>> marginals(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    marginals[s] = p.domains[s].features;
    marginals[s].push_back(p.domains[s].score);
  }
  NoiseGenerator gram_noise(PrivacyPart::kCopula, gram_sensitivity_squared(d), rho, random);
  const std::vector<std::int64_t> grams = copula_grams(rows, released.slot, slots, marginals);
  const std::size_t pairs = gram_pairs(d);
  std::vector<std::vector<double>> noisy(slots, std::vector<double>(pairs));
  std::vector<double> within(pairs, 0.0);
  for (std::size_t s = 0; s < slots; ++s) {
    // Centred by the mean scores the released marginals imply (post-processing):
    // a point mass moves a column's mean score away from 0.
    const std::vector<double> mean = expected_scores(marginals[s]);
    const double scale = static_cast<double>(p.domains[s].rows) * kGramScale * kGramScale;
    for (std::size_t a = 0, k = 0; a < columns; ++a)
      for (std::size_t b = a; b < columns; ++b, ++k) {
        poll_interrupt();
        noisy[s][k] = static_cast<double>(gram_noise.add(grams[s * pairs + k])) - scale * mean[a] * mean[b];
        within[k] += noisy[s][k];
      }
  }
  // The pool sums every slot's noise; a domain's own matrix is pulled toward the pool's.
  const double noise_sd = std::sqrt(gram_noise.variance());
  pool.correlation =
      correlation_of_gram(within, columns, noise_sd * std::sqrt(static_cast<double>(slots)), {});
  for (std::size_t s = 0; s < slots; ++s) {
    DomainProfile& dp = p.domains[s];
    if (!dp.borrowed)
      dp.correlation = correlation_of_gram(noisy[s], columns, noise_sd, pool.correlation, &dp.copula_weight);
  }
  // Ties undone (post-processing, untied above), each matrix then blended
  // back toward its released one by the least share that keeps a Cholesky
  // factor.
  std::vector<Marginal> pooled_marginals = pool.features;
  pooled_marginals.push_back(pool.score);
  const std::vector<double> pool_released = pool.correlation;
  std::vector<double> pool_untied = untied(pool_released, pooled_marginals, p.integer_features);
  make_positive_definite(pool_untied, columns, pool_released);
  for (std::size_t s = 0; s < slots; ++s) {
    DomainProfile& dp = p.domains[s];
    if (dp.borrowed) {
      dp.correlation = pool_untied;
      dp.copula_weight = 0.0;
      continue;
    }
    std::vector<double> r = untied_domain(dp, marginals[s], p.integer_features, pool_released, pool_untied);
    make_positive_definite(r, columns, dp.correlation);
    dp.correlation = std::move(r);
  }
  pool.correlation = std::move(pool_untied);
}

Profile release_shape(const PrivateRows& rows, const ReleasedDomains& released,
                      const std::vector<std::pair<double, double>>& bounds, const std::vector<bool>& integer,
                      const BudgetSplit& split, double delta_atoms, RandomSource& random) {
  const std::size_t d = rows.d, slots = released.names.size(), columns = d + 1;
  // Step 4: frequent values, then noisy histograms cut at 0; the pool's is their sum.
  std::vector<ColumnGrid> columns_grid(columns);
  for (std::size_t c = 0; c < d; ++c)
    columns_grid[c].lo = bounds[c].first, columns_grid[c].hi = bounds[c].second;
  columns_grid[d].score = true;
  const BudgetSplit shares = shape_split(split, d, released.total, slots, delta_atoms);
  if (shares[PrivacyPart::kAtoms] > 0)
    release_atoms(rows, released, columns_grid, shares[PrivacyPart::kAtoms], delta_atoms, random);
  NoiseGenerator histogram_noise(PrivacyPart::kMarginals, grid_sensitivity_squared(d),
                                 shares[PrivacyPart::kMarginals], random);
  // Fewer, wider bins where a domain's rows are few against the noise: at
  // least 2 sigma of rows a bin for a domain of the mean (noisy) size.
  const double mean_rows = static_cast<double>(released.total) / static_cast<double>(slots);
  std::size_t bins = kPrivateFeatureBins;
  while (bins > kMinPrivateFeatureBins &&
         mean_rows / static_cast<double>(bins) < 2 * std::sqrt(histogram_noise.variance()))
    bins /= 2;
  for (std::size_t c = 0; c < d; ++c) columns_grid[c].even_bins = bins;
  columns_grid[d].even_bins = bins == kPrivateFeatureBins ? kPrivateScoreBins : 10;
  const Grids grids = make_grids(std::move(columns_grid));
  const std::size_t width = grids.width();
  const std::vector<std::int64_t> counts = grid_histograms(rows, released.slot, slots, grids);
  std::vector<double> mass(slots * width), pooled(width, 0.0);
  for (std::size_t i = 0; i < mass.size(); ++i) {
    poll_interrupt();
    mass[i] = static_cast<double>(histogram_noise.add(counts[i]));
  }
  for (std::size_t s = 0; s < slots; ++s)
    for (std::size_t c = 0; c < columns; ++c)
      subtract_to_total(&mass[s * width + grids.offset[c]], grids.columns[c].bins(),
                        static_cast<double>(released.rows[s]));
  for (std::size_t i = 0; i < mass.size(); ++i) pooled[i % width] += mass[i];
  Profile p;
  p.rows = released.total;
  p.integer_features = integer;
  auto shape = [&](DomainProfile& dp, const double* m) {
    for (std::size_t c = 0; c < columns; ++c) {
      Marginal marginal = marginal_from_histogram(m + grids.offset[c], grids.columns[c], c < d && integer[c]);
      (c < d ? dp.features.emplace_back() : dp.score) = std::move(marginal);
    }
    dp.band_shares = band_shares_of(m + grids.offset[d], grids.columns[d]);
  };
  DomainProfile& pool = p.pooled;
  pool.name = "*";
  pool.rows = released.total;
  pool.share = 1.0;
  pool.copula_weight = 1.0;
  if (!(total_of(pooled.data() + grids.offset[d], grids.columns[d].bins()) > 0))
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
      empty |= !(total_of(m + grids.offset[c], grids.columns[c].bins()) > 0);
    dp.borrowed = static_cast<double>(dp.rows) < kMinPrivateDomainRows || empty;
    if (dp.borrowed) {
      dp.features = pool.features;
      dp.score = pool.score;
      dp.band_shares = empty ? pool.band_shares : band_shares_of(m + grids.offset[d], grids.columns[d]);
    } else {
      shape(dp, m);
    }
  }

  release_copulas(rows, released, shares[PrivacyPart::kCopula], p, random);
  return p;
}

}  // namespace synth
