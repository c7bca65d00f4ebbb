#include "engine/profile/profile_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <utility>

#include "engine/model/cholesky.hpp"
#include "engine/model/error.hpp"
#include "engine/model/exact_sum.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/profile/copula_pearson.hpp"
#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/normal.hpp"

namespace synth {
namespace {

std::string no_rows_hint() {
  return "Point synth_fit at a table or view with at least " + std::to_string(kMinFitRows) +
         " rows of numeric features and scores in [0, 1], "
         "or use synth_insert without a profile (the design table).";
}

// Normal scores of sorted values, written to z[row]: Phi^-1((mid-rank - 1/2) / n),
// ties sharing their mean rank. Every member of a tie gets the same score, so
// the order inside a tie does not matter.
void normal_scores_of_sorted(const Ranked* values, std::size_t n, double* z) {
  for (std::size_t i = 0; i < n;) {
    poll_interrupt();
    std::size_t j = i;
    while (j + 1 < n && values[j + 1].first == values[i].first) ++j;
    const double mid_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    const double score = normal_quantile((mid_rank - 0.5) / static_cast<double>(n));
    for (std::size_t k = i; k <= j; ++k) z[values[k].second] = score;
    i = j + 1;
  }
}

// The copula correlations of several groups of rows at once: group[i] names
// row i's group, z[c * n + i] its normal score in column c within its group.
// One more matrix follows the groups': the pooled within-group correlation,
// from the groups' centred cross products added together. Every sum is
// exact, so the rows may come in any order.
std::vector<std::vector<double>> copula_correlations(const std::vector<double>& z, std::size_t n,
                                                     std::size_t width,
                                                     const std::vector<std::uint16_t>& group,
                                                     std::size_t groups,
                                                     const std::vector<std::uint64_t>& group_rows) {
  std::vector<double> mean(groups * width);
  for (std::size_t c = 0; c < width; ++c) {
    BlockedSums column(groups, 1);
    for (std::size_t i = 0; i < n; ++i) {
      poll_interrupt();
      *column.block(group[i]) += ExactSum::units(z[c * n + i]);
      column.added(group[i]);
    }
    const std::vector<ExactSum> sums = std::move(column).totals();
    for (std::size_t g = 0; g < groups; ++g)
      mean[g * width + c] = group_rows[g] ? sums[g].value() / static_cast<double>(group_rows[g]) : 0.0;
  }

  // Centered cross products, (a, b) with a <= b, per group.
  const std::size_t pairs = width * (width + 1) / 2;
  BlockedSums cross(groups, pairs);
  std::vector<double> centered(width);
  for (std::size_t i = 0; i < n; ++i) {
    poll_interrupt(static_cast<std::uint32_t>(pairs));
    const std::size_t g = group[i];
    for (std::size_t c = 0; c < width; ++c)
      centered[c] = ExactSum::root_scaled(z[c * n + i] - mean[g * width + c]);
    std::int64_t* out = cross.block(g);
    for (std::size_t a = 0, k = 0; a < width; ++a)
      for (std::size_t b = a; b < width; ++b, ++k)
        out[k] += ExactSum::product_units(centered[a], centered[b]);
    cross.added(g);
  }
  std::vector<ExactSum> products = std::move(cross).totals();

  products.resize((groups + 1) * pairs);
  for (std::size_t g = 0; g < groups; ++g)
    for (std::size_t k = 0; k < pairs; ++k) products[groups * pairs + k].add(products[g * pairs + k]);

  std::vector<std::vector<double>> result(groups + 1);
  std::vector<std::size_t> diagonal(width);
  for (std::size_t a = 0, k = 0; a < width; k += width - a, ++a) diagonal[a] = k;
  for (std::size_t g = 0; g <= groups; ++g) {
    const ExactSum* sum = &products[g * pairs];
    std::vector<double> sd(width);
    for (std::size_t a = 0; a < width; ++a) sd[a] = std::sqrt(std::max(0.0, sum[diagonal[a]].value()));
    std::vector<double>& r = result[g];
    r.assign(width * width, 0.0);
    for (std::size_t a = 0, k = 0; a < width; ++a) {
      r[a * width + a] = 1.0;
      ++k;  // the diagonal term
      for (std::size_t b = a + 1; b < width; ++b, ++k) {
        double value = 0;  // a constant column correlates with nothing
        if (sd[a] > 1e-12 && sd[b] > 1e-12) value = std::clamp(sum[k].value() / (sd[a] * sd[b]), -1.0, 1.0);
        r[a * width + b] = r[b * width + a] = value;
      }
    }
  }
  return result;
}

// Shrinks the correlations toward 0 by the least factor (to within 2^-20,
// plus a margin of 5%) that gives a Cholesky factor: a matrix of matched
// correlations is often just outside, and a coarse step would weaken every
// pair to mend one.
void make_positive_definite(std::vector<double>& r, std::size_t width) {
  std::vector<double> lower;
  if (cholesky(r, width, lower)) return;
  const std::vector<double> original = r;
  auto shrunk = [&](double s) {
    for (std::size_t a = 0; a < width; ++a)
      for (std::size_t b = 0; b < width; ++b)
        r[a * width + b] = a == b ? 1.0 : original[a * width + b] * (1.0 - s);
    return cholesky(r, width, lower);
  };
  double bad = 0.0, good = 1.0;
  for (double s = 1e-6; s < 1.0; s *= 10) {
    check_interrupt();
    if (shrunk(s)) {
      good = s;
      break;
    }
    bad = s;
  }
  for (int i = 0; i < 20; ++i) {
    check_interrupt();
    const double mid = 0.5 * (bad + good);
    (shrunk(mid) ? good : bad) = mid;
  }
  const double s = std::min(1.0, good * 1.05 + 1e-6);
  if (!shrunk(s)) shrunk(1.0);
}

// A matched matrix need not be positive definite where the normal scores'
// one (a correlation of scores, shrunk toward another) is: moves the matched
// pairs back toward their unmatched values by the least share (bisection,
// plus 5%) that gives a Cholesky factor, so that pairs that were never
// matched, and a monotone pair's 1, stay as they were; shrinking every pair
// toward 0 instead cost an untouched pair at 0.905 two hundredths. When the
// unmatched matrix itself has no factor, the shrink toward the identity.
void make_positive_definite_toward(std::vector<double>& r, const std::vector<double>& unmatched,
                                   std::size_t width) {
  std::vector<double> lower;
  if (cholesky(r, width, lower)) return;
  if (!cholesky(unmatched, width, lower)) {
    r = unmatched;
    make_positive_definite(r, width);
    return;
  }
  const std::vector<double> matched = r;
  auto mixed = [&](double t) {
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = (1.0 - t) * matched[i] + t * unmatched[i];
    return cholesky(r, width, lower);
  };
  double bad = 0.0, good = 1.0;
  for (int i = 0; i < 30; ++i) {
    check_interrupt();
    const double mid = 0.5 * (bad + good);
    (mixed(mid) ? good : bad) = mid;
  }
  if (!mixed(std::min(1.0, good * 1.05 + 1e-6))) mixed(1.0);
}

// Whether x lies on the decimal grid of step 10^-decimals: the nearest
// multiple, divided back, is x itself (as a decimal of that many places
// reads into the double nearest it, so does k / 10^d, both correctly rounded).
bool on_decimal_grid(double x, int decimals) {
  static constexpr std::array<double, kMaxGridDecimals + 1> kPowers{1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  const double power = kPowers[static_cast<std::size_t>(decimals)];
  const double scaled = x * power;
  if (!std::isfinite(scaled)) return std::floor(x) == x && decimals == 0;
  return std::nearbyint(scaled) / power == x;
}

// Per feature, the fewest decimals (0 .. kMaxGridDecimals) of a grid every
// value lies on, or -1: one pass, each value raising the column's decimals
// until it fits. 0 is an integer feature.
std::vector<int> decimal_grids(const std::vector<double>& values, std::size_t n, std::size_t d) {
  std::vector<int> grids(d, 0);
  const std::size_t width = d + 1;
  for (std::size_t i = 0; i < n; ++i) {
    poll_interrupt(static_cast<std::uint32_t>(d));
    for (std::size_t f = 0; f < d; ++f) {
      int& g = grids[f];
      while (g >= 0 && !on_decimal_grid(values[i * width + f], g)) g = g < kMaxGridDecimals ? g + 1 : -1;
    }
  }
  return grids;
}

// The band shares of every group's scores (the last column of each row) and,
// in fitted.back(), of all rows; each fitted[g].rows is already set.
void fit_band_shares(const std::vector<double>& values, std::size_t width,
                     const std::vector<std::uint16_t>& group, std::vector<DomainProfile>& fitted) {
  const std::size_t groups = fitted.size() - 1;
  std::vector<std::array<std::uint64_t, kBandCount>> bands(groups + 1);
  for (std::size_t i = 0; i < group.size(); ++i) {
    const std::size_t band = score_band(values[i * width + width - 1]);
    ++bands[group[i]][band];
    ++bands[groups][band];
  }
  for (std::size_t g = 0; g <= groups; ++g)
    for (std::size_t b = 0; b < kBandCount; ++b)
      fitted[g].band_shares[b] = static_cast<double>(bands[g][b]) / static_cast<double>(fitted[g].rows);
}

// The limits a fit is held to: the dimension and enough usable rows of it
// (0 when none). More domains than a profile holds is no error (fit()).
void check_fit_size(std::size_t d, std::uint64_t rows) {
  if (d > kMaxProfileFeatures)
    throw Error(
        sqlstate::kProgramLimitExceeded,
        "a profile holds 1 to " + std::to_string(kMaxProfileFeatures) + " features, the rows have " +
            std::to_string(d),
        {},
        "Fit on rows with a feature vector of at most " + std::to_string(kMaxProfileFeatures) + " values.");
  if (rows < kMinFitRows)
    throw Error(sqlstate::kDataException,
                "synth_fit needs at least " + std::to_string(kMinFitRows) + " usable rows, found " +
                    std::to_string(rows),
                "A usable row has a numeric, finite feature vector and a score in [0, 1].", no_rows_hint());
}

// Domains of fewer rows keep the normal scores' correlations: two standard
// errors of a correlation are 0.14 (1 - r^2) or more below 200 rows, a band
// the copula already meets.
inline constexpr std::uint64_t kMinPearsonRows = 200;

// First the ties are undone: tied columns (point masses, few values) draw a
// weaker normal-score correlation than their latent one, so each pair starts
// from the latent whose drawn normal-score correlation is the rows' own
// (the rank curve of copula_pearson.hpp; fair's pair trends 0.984 -> 0.990).
// Where the copula there would draw a Pearson correlation clearly off the
// rows' own (both clipped at kPearsonClip, copula_pearson.hpp), the pair's
// latent correlation moves just far enough: "clearly" is beyond two
// standard errors of the rows' correlation, 2 (1 - r^2) / sqrt(rows). The
// move stays where the rows drawn keep the rows' normal-score correlation
// within as many of its standard errors: a column of few values or a point
// mass needs a stronger latent correlation for both, but two continuous
// columns that move together only in their far tails would trade their
// ranks for a Pearson correlation a Gaussian copula cannot give them (5% of
// rows sharing a factor of 10 to 20: rank correlation 0.11 in the rows, 0.67
// drawn without this bound). A pair whose ranks move together (|latent| >=
// 0.999: one column a monotone function of the other) keeps that, and a
// pair with a column that draws one value is left as it is. `latent` holds
// the normal scores' correlations on entry.
void match_pearson(const DomainProfile& dp, const std::vector<int>& grids, const std::vector<double>& target,
                   double rows, std::vector<double>& latent) {
  const std::size_t width = dp.features.size() + 1;
  std::vector<PearsonShape> shapes, ranks;
  shapes.reserve(width);
  ranks.reserve(width);
  for (std::size_t f = 0; f < width; ++f) {
    check_interrupt();
    const Marginal& m = f + 1 < width ? dp.features[f] : dp.score;
    const int grid = f + 1 < width ? grids[f] : kScoreGridDecimals;
    shapes.push_back(pearson_shape(m, grid, rows));
    ranks.push_back(rank_shape(m, grid));
  }
  for (std::size_t a = 0; a < width; ++a)
    for (std::size_t b = a + 1; b < width; ++b) {
      check_interrupt();
      double& here = latent[a * width + b];
      if (!shapes[a].usable || !shapes[b].usable || !ranks[a].usable || !ranks[b].usable ||
          std::fabs(here) >= 0.999)
        continue;
      const double r = target[a * width + b], ranked = here;
      const double rank_band = 2.0 * (1.0 - ranked * ranked) / std::sqrt(rows);
      const std::vector<double> solved =
          latents_for_pearson(ranks[a], ranks[b], {ranked, ranked - rank_band, ranked + rank_band});
      const double low = solved[1], high = solved[2];
      const double untied = untied_latent(solved[0], ranked);
      const double moved =
          matched_latent(shapes[a], shapes[b], untied, r, 2.0 * (1.0 - r * r) / std::sqrt(rows));
      double matched = std::clamp(moved, std::min(low, high), std::max(low, high));
      // A band out of reach at one end would pin the pair at +-1, and one
      // such pair takes the matrix's Cholesky factor (and with it every
      // pair's match) away.
      if (std::fabs(matched) > kMaxTiedLatent && std::fabs(ranked) < kMaxTiedLatent)
        matched = std::copysign(kMaxTiedLatent, matched);
      here = latent[b * width + a] = matched;
    }
}

// A domain's share and copula: its own correlation (the normal scores',
// matched to the rows' Pearson correlations in a domain of kMinPearsonRows
// or more) shrunk toward the pooled within-domain one (weight rows / (rows +
// kCopulaShrinkRows)), or, with too few rows for a shape of its own, the
// pool's marginals and copula.
void finish_domain(DomainProfile& dp, std::uint64_t n, const DomainProfile& pooled,
                   const std::vector<int>& grids, std::vector<double> own_correlation,
                   const std::vector<double>& within_correlation, const std::vector<double>& own_pearson) {
  const std::size_t width = pooled.features.size() + 1;
  dp.share = static_cast<double>(dp.rows) / static_cast<double>(n);
  if (dp.rows < kMinDomainRows) {
    // Too few rows for their own shape: keep the domain's count and its
    // band shares (for the strata), take everything else from the pool.
    dp.borrowed = true;
    dp.features = pooled.features;
    dp.score = pooled.score;
    dp.correlation = pooled.correlation;
    dp.copula_weight = 0.0;
  } else {
    const double rows = static_cast<double>(dp.rows);
    dp.copula_weight = rows / (rows + kCopulaShrinkRows);
    const double w = dp.copula_weight;
    // The normal scores' matrix (shrunk), and the same with matched pairs.
    std::vector<double> unmatched(own_correlation.size());
    for (std::size_t i = 0; i < unmatched.size(); ++i)
      unmatched[i] = w * own_correlation[i] + (1.0 - w) * within_correlation[i];
    dp.correlation = std::move(own_correlation);
    if (dp.rows >= kMinPearsonRows) match_pearson(dp, grids, own_pearson, rows, dp.correlation);
    for (std::size_t i = 0; i < dp.correlation.size(); ++i)
      dp.correlation[i] = w * dp.correlation[i] + (1.0 - w) * within_correlation[i];
    make_positive_definite_toward(dp.correlation, unmatched, width);
  }
}

// The rows' own (Pearson) correlations in each domain, each value clipped
// to its domain's marginal at kPearsonClip and 1 - kPearsonClip (as
// pearson_shape clips the drawn column) and scaled into [-1, 1] by that
// range (halved first, so +-1e308 does not overflow), so that every domain's
// values keep their resolution in the exact sums whatever the other domains
// hold. Written over `scratch`, the pooled normal scores, no longer needed.
std::vector<std::vector<double>> rows_pearson(const std::vector<double>& values,
                                              const std::vector<DomainProfile>& fitted, std::size_t n,
                                              std::size_t width, const std::vector<std::uint16_t>& group,
                                              std::size_t groups,
                                              const std::vector<std::uint64_t>& group_rows,
                                              std::vector<double>& scratch) {
  std::vector<double> low(groups), middle(groups), half(groups);
  for (std::size_t c = 0; c < width; ++c) {
    check_interrupt();
    for (std::size_t g = 0; g < groups; ++g) {
      const Marginal& m = c + 1 < width ? fitted[g].features[c] : fitted[g].score;
      const auto [clip_from, high] = pearson_clip(m, static_cast<double>(group_rows[g]));
      low[g] = clip_from;
      middle[g] = low[g] / 2 + high / 2;
      half[g] = high / 2 - low[g] / 2;
    }
    for (std::size_t i = 0; i < n; ++i) {
      poll_interrupt();
      const std::size_t g = group[i];
      const double x = std::clamp(values[i * width + c], low[g], middle[g] + half[g]);
      scratch[c * n + i] = half[g] > 0 ? std::clamp((x - middle[g]) / half[g], -1.0, 1.0) : 0.0;
    }
  }
  return copula_correlations(scratch, n, width, group, groups, group_rows);
}

}  // namespace

void ProfileFitter::add(std::string_view domain, const double* features, std::size_t dimension,
                        double score) {
  ++dimension_rows_[dimension];
  ++rows_;
  if (dimension == 0 || dimension > kMaxProfileFeatures) return;
  // A value that is not finite: counted, never fitted (no histogram bin or
  // sort has a place for it).
  if (!std::isfinite(score)) return;
  for (std::size_t f = 0; f < dimension; ++f)
    if (!std::isfinite(features[f])) return;
  Rows& kept = rows_of_[dimension];
  auto it = kept.domain_index.find(domain);
  if (it == kept.domain_index.end())
    it = kept.domain_index.emplace(std::string(domain), static_cast<std::uint32_t>(kept.domain_index.size()))
             .first;
  // x + 0.0 turns -0.0 into 0.0: equal values must have equal bytes, or the
  // order of the rows would decide which of the two a knot shows.
  for (std::size_t f = 0; f < dimension; ++f) kept.values.push_back(features[f] + 0.0);
  kept.values.push_back(score + 0.0);
  kept.domain.push_back(it->second);
  ++kept.rows;
}

std::size_t ProfileFitter::dimension() const {
  std::size_t best = 0;
  std::uint64_t most = 0;
  for (const auto& [dim, count] : dimension_rows_)  // ascending: a tie keeps the smaller
    if (count > most) {
      best = dim;
      most = count;
    }
  return best;
}

std::uint64_t ProfileFitter::dimension_rows() const {
  const auto it = dimension_rows_.find(dimension());
  return it == dimension_rows_.end() ? 0 : it->second;
}

ProfileFitter::Rows ProfileFitter::most_common_domains(const Rows& all) {
  std::vector<std::uint64_t> count(all.domain_index.size(), 0);
  for (std::uint32_t g : all.domain) ++count[g];
  // The map iterates in name order; a stable sort by rows keeps it for ties.
  std::vector<std::pair<const std::string*, std::uint32_t>> order;
  for (const auto& [name, index] : all.domain_index) order.emplace_back(&name, index);
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto& a, const auto& b) { return count[a.second] > count[b.second]; });
  Rows kept;
  constexpr std::uint32_t kLeftOut = UINT32_MAX;
  std::vector<std::uint32_t> new_index(count.size(), kLeftOut);
  for (std::size_t k = 0; k < kMaxProfileDomains && k < order.size(); ++k) {
    new_index[order[k].second] = static_cast<std::uint32_t>(k);
    kept.domain_index.emplace(*order[k].first, static_cast<std::uint32_t>(k));
  }
  const std::size_t width = all.domain.empty() ? 0 : all.values.size() / all.domain.size();
  for (std::size_t i = 0; i < all.domain.size(); ++i) {
    poll_interrupt();
    const std::uint32_t g = new_index[all.domain[i]];
    if (g == kLeftOut) continue;
    const auto row = all.values.begin() + static_cast<std::ptrdiff_t>(i * width);
    kept.values.insert(kept.values.end(), row, row + static_cast<std::ptrdiff_t>(width));
    kept.domain.push_back(g);
    ++kept.rows;
  }
  return kept;
}

std::uint64_t ProfileFitter::rare_domain_rows() const {
  const auto found = rows_of_.find(dimension());
  if (found == rows_of_.end() || found->second.domain_index.size() <= kMaxProfileDomains) return 0;
  return found->second.rows - most_common_domains(found->second).rows;
}

Profile ProfileFitter::fit(std::vector<std::string> feature_names) const {
  const std::size_t d = dimension();
  const auto found = rows_of_.find(d);
  const bool any = found != rows_of_.end();
  check_fit_size(d, any ? found->second.rows : 0);
  // More domains than a profile holds (a long tail of rare ones): the most
  // common are fitted and the rows of the others left out, so real rows
  // always give a profile.
  Rows capped;
  const bool too_many_domains = found->second.domain_index.size() > kMaxProfileDomains;
  if (too_many_domains) capped = most_common_domains(found->second);
  const Rows& kept = too_many_domains ? capped : found->second;
  const std::vector<double>& values = kept.values;
  const std::vector<std::uint32_t>& row_domain = kept.domain;
  const std::uint64_t rows_of_dimension = kept.rows;
  const std::size_t width = d + 1;
  if (feature_names.empty())
    for (std::size_t i = 0; i < d; ++i) feature_names.push_back("f" + std::to_string(i + 1));
  if (feature_names.size() != d)
    throw_invalid_parameter(
        "the rows name " + std::to_string(feature_names.size()) + " features but carry " + std::to_string(d),
        "metadata.feature_names must have one name per feature_vector element.");

  Profile p;
  p.rows = rows_of_dimension;
  p.feature_names = std::move(feature_names);
  p.integer_features.assign(d, true);
  const std::size_t n = rows_of_dimension;

  // Domains in name order (the map's), whatever order the rows came in.
  const std::size_t groups = kept.domain_index.size();
  std::vector<std::uint16_t> rank_of(groups);
  std::vector<std::string> names;
  for (const auto& [name, index] : kept.domain_index) {
    rank_of[index] = static_cast<std::uint16_t>(names.size());
    names.push_back(name);
  }
  std::vector<std::uint16_t> group(n);
  std::vector<std::uint64_t> group_rows(groups, 0);
  for (std::size_t i = 0; i < n; ++i) ++group_rows[group[i] = rank_of[row_domain[i]]];
  std::vector<std::size_t> group_start(groups + 1, 0);
  for (std::size_t g = 0; g < groups; ++g) group_start[g + 1] = group_start[g] + group_rows[g];

  p.decimal_grids = decimal_grids(values, n, d);
  for (std::size_t f = 0; f < d; ++f) p.integer_features[f] = p.decimal_grids[f] == 0;

  std::vector<DomainProfile> fitted(groups + 1);  // [0, groups): the domains, [groups]: the pool
  DomainProfile& pool = fitted[groups];
  pool.name = "*";
  pool.rows = n;
  for (std::size_t g = 0; g < groups; ++g) {
    fitted[g].name = names[g];
    fitted[g].rows = group_rows[g];
  }
  fit_band_shares(values, width, group, fitted);

  // One sort per column serves everything: the pooled marginal and normal
  // scores come from the sorted column, and a stable pass that deals the
  // sorted values out by domain leaves each domain's values sorted too.
  std::vector<double> pooled_z(width * n);
  std::vector<double> domain_z(width * n);
  std::vector<Ranked> column(n);
  std::vector<Ranked> dealt(n);
  std::vector<Ranked> scratch;
  std::vector<std::size_t> next(groups);
  for (std::size_t c = 0; c < width; ++c) {
    check_interrupt();
    for (std::size_t i = 0; i < n; ++i) column[i] = {values[i * width + c], i};
    sort_by_value(column, scratch);
    const bool feature = c + 1 < width;
    Marginal pooled = marginal_of_sorted(column.data(), n, feature);
    normal_scores_of_sorted(column.data(), n, &pooled_z[c * n]);
    std::copy(group_start.begin(), group_start.end() - 1, next.begin());
    for (const Ranked& v : column) dealt[next[group[v.second]]++] = v;
    for (std::size_t g = 0; g < groups; ++g) {
      check_interrupt();
      const Ranked* first = dealt.data() + group_start[g];
      Marginal m = marginal_of_sorted(first, group_rows[g], feature);
      normal_scores_of_sorted(first, group_rows[g], &domain_z[c * n]);
      (c + 1 < width ? fitted[g].features.emplace_back() : fitted[g].score) = std::move(m);
    }
    (c + 1 < width ? pool.features.emplace_back() : pool.score) = std::move(pooled);
  }
  // normal_scores_of_sorted wrote each row's score at its row number; within
  // a domain the ranks run over that domain's rows only.
  pool.correlation = std::move(copula_correlations(pooled_z, n, width, std::vector<std::uint16_t>(n, 0), 1,
                                                   std::vector<std::uint64_t>{n})[0]);
  std::vector<std::vector<double>> domain_correlation =
      copula_correlations(domain_z, n, width, group, groups, group_rows);
  const std::vector<std::vector<double>> pearson =
      rows_pearson(values, fitted, n, width, group, groups, group_rows, pooled_z);
  // What each domain's copula is shrunk toward: the pooled within-domain
  // correlation of the normal scores (every domain's centred cross products
  // added together), i.e. how the columns move together inside a domain,
  // pooled over the domains. The pool's own
  // copula also carries the differences between the domains' locations: on
  // iris, sepal length and width correlate at -0.09 over all rows but at 0.58
  // within the species pooled, and the mean gap between a species' own
  // copula and the target falls from 0.51 to 0.16 with this one.
  std::vector<double> within_correlation = std::move(domain_correlation.back());
  make_positive_definite(within_correlation, width);

  pool.share = 1.0;
  pool.copula_weight = 1.0;
  make_positive_definite(pool.correlation, width);
  p.band_shares = pool.band_shares;
  p.pooled = std::move(pool);

  for (std::size_t g = 0; g < groups; ++g) {
    check_interrupt();
    finish_domain(fitted[g], n, p.pooled, p.decimal_grids, std::move(domain_correlation[g]),
                  within_correlation, pearson[g]);
    p.domains.push_back(std::move(fitted[g]));
  }
  validate_profile(p);
  return p;
}

}  // namespace synth
