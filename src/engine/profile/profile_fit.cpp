#include "engine/profile/profile_fit.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "engine/model/error.hpp"
#include "engine/profile/normal.hpp"

namespace synth {
namespace {

constexpr const char* kNoRowsHint =
    "Point synth_fit at a table or view with at least 10 rows of numeric features and scores in [0, 1], "
    "or use synth_insert without a profile (the design table).";

Marginal fit_marginal(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  Marginal m;
  if (n == 1) {
    m.knots = {values[0], values[0]};
    return m;
  }
  const std::size_t knots = std::min<std::size_t>(kMaxQuantileKnots, n);
  m.knots.resize(knots);
  // Hyndman-Fan type 7 quantiles (numpy's default) at i / (knots - 1).
  for (std::size_t i = 0; i < knots; ++i) {
    const double h = static_cast<double>(n - 1) * static_cast<double>(i) / static_cast<double>(knots - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, n - 1);
    const double frac = h - static_cast<double>(lo);
    double v = values[lo] + frac * (values[hi] - values[lo]);
    v = std::clamp(v, values[lo], values[hi]);
    m.knots[i] = i ? std::max(v, m.knots[i - 1]) : v;
  }
  m.knots.front() = values.front();
  m.knots.back() = values.back();
  return m;
}

// Normal scores of one column: Phi^-1((mid-rank - 1/2) / n), ties sharing their mean rank.
// Every member of a tie gets the same score, so the order inside a tie does not matter: sorting
// (value, row) pairs in place is enough, and much faster than an indirect stable sort of row
// numbers, whose comparisons each miss the cache at 1M rows (half of synth_fit's time).
std::vector<double> normal_scores(const std::vector<double>& rows, std::size_t width, std::size_t column) {
  const std::size_t n = rows.size() / width;
  std::vector<std::pair<double, std::size_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {rows[i * width + column], i};
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> z(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && order[j + 1].first == order[i].first) ++j;
    const double mid_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    const double score = normal_quantile((mid_rank - 0.5) / static_cast<double>(n));
    for (std::size_t k = i; k <= j; ++k) z[order[k].second] = score;
    i = j + 1;
  }
  return z;
}

// Pearson correlation of the normal scores; a constant column correlates with nothing.
std::vector<double> copula_correlation(const std::vector<double>& rows, std::size_t width) {
  const std::size_t n = rows.size() / width;
  std::vector<std::vector<double>> z(width);
  for (std::size_t c = 0; c < width; ++c) {
    z[c] = normal_scores(rows, width, c);
    double mean = 0;
    for (double v : z[c]) mean += v;
    mean /= static_cast<double>(n);
    for (double& v : z[c]) v -= mean;
  }
  std::vector<double> sd(width);
  for (std::size_t c = 0; c < width; ++c) {
    double ss = 0;
    for (double v : z[c]) ss += v * v;
    sd[c] = std::sqrt(ss);
  }
  std::vector<double> r(width * width, 0.0);
  for (std::size_t a = 0; a < width; ++a) {
    r[a * width + a] = 1.0;
    for (std::size_t b = a + 1; b < width; ++b) {
      double value = 0;
      if (sd[a] > 1e-12 && sd[b] > 1e-12) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += z[a][i] * z[b][i];
        value = std::clamp(s / (sd[a] * sd[b]), -1.0, 1.0);
      }
      r[a * width + b] = r[b * width + a] = value;
    }
  }
  return r;
}

// Blends toward the identity until the Cholesky factor exists with a margin.
void make_positive_definite(std::vector<double>& r, std::size_t width) {
  std::vector<double> lower;
  for (double eps = 1e-6; !cholesky(r, width, lower) && eps <= 1.0; eps *= 10) {
    for (std::size_t a = 0; a < width; ++a)
      for (std::size_t b = 0; b < width; ++b)
        if (a != b) r[a * width + b] *= 1.0 - eps;
  }
}

DomainProfile fit_domain(const std::string& name, std::vector<double> rows, std::size_t width,
                         std::uint64_t total_rows) {
  DomainProfile d;
  d.name = name;
  const std::size_t n = rows.size() / width;
  d.rows = n;
  d.share = static_cast<double>(n) / static_cast<double>(total_rows);
  // Rows sorted as whole vectors: every later sum runs in one canonical order.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::lexicographical_compare(rows.begin() + a * width, rows.begin() + (a + 1) * width,
                                        rows.begin() + b * width, rows.begin() + (b + 1) * width);
  });
  std::vector<double> sorted(rows.size());
  for (std::size_t i = 0; i < n; ++i)
    std::copy(rows.begin() + order[i] * width, rows.begin() + (order[i] + 1) * width, sorted.begin() + i * width);
  rows.swap(sorted);

  std::array<std::uint64_t, kBandCount> bands{};
  for (std::size_t i = 0; i < n; ++i) ++bands[score_band(rows[i * width + width - 1])];
  for (std::size_t b = 0; b < kBandCount; ++b)
    d.band_shares[b] = static_cast<double>(bands[b]) / static_cast<double>(n);

  std::vector<double> column(n);
  for (std::size_t c = 0; c < width; ++c) {
    for (std::size_t i = 0; i < n; ++i) column[i] = rows[i * width + c];
    Marginal m = fit_marginal(column);
    if (c + 1 < width)
      d.features.push_back(std::move(m));
    else
      d.score = std::move(m);
  }
  d.correlation = copula_correlation(rows, width);
  return d;
}

}  // namespace

std::size_t score_band(double score) noexcept {
  if (score <= 0.3) return 0;
  if (score >= 0.4 && score <= 0.6) return 1;
  if (score >= 0.7) return 2;
  return 3;
}

void ProfileFitter::add(std::string_view domain, const double* features, std::size_t dimension, double score) {
  if (!have_dimension_) {
    if (dimension == 0 || dimension > kMaxProfileFeatures)
      throw Error(sqlstate::kProgramLimitExceeded,
                  "a profile holds 1 to 64 features, the rows have " + std::to_string(dimension), {},
                  "Fit on rows with a feature vector of at most 64 values.");
    dimension_ = dimension;
    have_dimension_ = true;
  }
  ++dimension_rows_[dimension];
  if (dimension != dimension_) return;
  auto it = by_domain_.find(domain);
  if (it == by_domain_.end()) {
    if (by_domain_.size() >= kMaxProfileDomains)
      throw Error(sqlstate::kProgramLimitExceeded, "a profile holds at most 256 domains", {},
                  "Group rare domains together in a view before fitting.");
    it = by_domain_.emplace(std::string(domain), std::vector<double>{}).first;
  }
  it->second.insert(it->second.end(), features, features + dimension);
  it->second.push_back(score);
  ++rows_;
}

Profile ProfileFitter::fit(std::vector<std::string> feature_names) const {
  if (dimension_rows_.size() > 1) {
    std::string detail = "The source holds ";
    bool first = true;
    for (const auto& [dim, count] : dimension_rows_) {
      detail += (first ? "" : ", ") + std::to_string(count) + " rows of dimension " + std::to_string(dim);
      first = false;
    }
    throw Error(sqlstate::kDataException, "the source rows have mixed feature dimensions", detail + ".",
                "Fit on rows of one dimension, e.g. through a view that filters on the length of feature_vector.");
  }
  if (rows_ < kMinFitRows)
    throw Error(sqlstate::kDataException,
                "synth_fit needs at least 10 usable rows, found " + std::to_string(rows_),
                "A usable row has a numeric, finite feature vector and a score in [0, 1].", kNoRowsHint);
  const std::size_t d = dimension_;
  const std::size_t width = d + 1;
  if (feature_names.empty())
    for (std::size_t i = 0; i < d; ++i) feature_names.push_back("f" + std::to_string(i + 1));
  if (feature_names.size() != d)
    throw_invalid_parameter("the rows name " + std::to_string(feature_names.size()) + " features but carry " +
                                std::to_string(d),
                            "metadata.feature_names must have one name per feature_vector element.");

  Profile p;
  p.rows = rows_;
  p.feature_names = std::move(feature_names);
  p.integer_features.assign(d, true);
  std::vector<double> all;
  all.reserve(rows_ * width);
  for (const auto& [name, rows] : by_domain_) {
    all.insert(all.end(), rows.begin(), rows.end());
    for (std::size_t i = 0; i < rows.size(); i += width)
      for (std::size_t f = 0; f < d; ++f)
        if (std::floor(rows[i + f]) != rows[i + f]) p.integer_features[f] = false;
  }
  p.pooled = fit_domain("*", std::move(all), width, rows_);
  p.pooled.copula_weight = 1.0;
  make_positive_definite(p.pooled.correlation, width);
  p.band_shares = p.pooled.band_shares;

  for (const auto& [name, rows] : by_domain_) {
    DomainProfile dp = fit_domain(name, rows, width, rows_);
    if (dp.rows < kMinDomainRows) {
      // Too few rows for their own shape: keep the domain's count and its
      // band shares (for the strata), take everything else from the pool.
      dp.borrowed = true;
      dp.features = p.pooled.features;
      dp.score = p.pooled.score;
      dp.correlation = p.pooled.correlation;
      dp.copula_weight = 0.0;
    } else {
      const double n = static_cast<double>(dp.rows);
      dp.copula_weight = n / (n + kCopulaShrinkRows);
      for (std::size_t i = 0; i < dp.correlation.size(); ++i)
        dp.correlation[i] = dp.copula_weight * dp.correlation[i] + (1.0 - dp.copula_weight) * p.pooled.correlation[i];
      make_positive_definite(dp.correlation, width);
    }
    p.domains.push_back(std::move(dp));
  }
  validate_profile(p);
  return p;
}

}  // namespace synth
