// The checks a profile must pass before anything samples from it, whether it
// was read back from JSON or built in memory.
#include "engine/profile/profile_checks.hpp"

#include <cmath>
#include <set>

#include "engine/model/cholesky.hpp"
#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/model/number_text.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

void invalid_profile(const std::string& where, const std::string& what) {
  throw_invalid_parameter("invalid profile: " + where + " " + what,
                          "A profile is the jsonb synth_fit returns, passed back unchanged.",
                          "Fit again with synth_fit and pass its result as profile.");
}

namespace {

void check_shares(const std::array<double, kBandCount>& shares, const std::string& where) {
  double sum = 0;
  for (double s : shares) {
    if (!(s >= 0 && s <= 1)) invalid_profile(where, "must hold shares in [0, 1]");
    sum += s;
  }
  if (std::fabs(sum - 1.0) > 1e-9) invalid_profile(where, "must sum to 1, sums to " + format_readable(sum));
}

void check_marginal(const Marginal& m, const std::string& where, bool integer, bool unit) {
  if (m.tails > kMaxTailLevels)
    invalid_profile(where + ".tails", "must be 0 to " + std::to_string(kMaxTailLevels));
  const std::size_t extra = 2 * static_cast<std::size_t>(m.tails);
  const std::size_t least = m.tails > 0 ? 4 : 2;  // tail knots cut a body of at least 3 segments
  if (m.knots.size() < least + extra || m.knots.size() > kMaxQuantileKnots + extra)
    invalid_profile(where + ".knots", "must hold " + std::to_string(least + extra) + " to " +
                                          std::to_string(kMaxQuantileKnots + extra) + " values with " +
                                          std::to_string(m.tails) + " tail levels, holds " +
                                          std::to_string(m.knots.size()));
  for (std::size_t i = 0; i < m.knots.size(); ++i) {
    if (!std::isfinite(m.knots[i])) invalid_profile(where + ".knots", "must be finite");
    if (i && m.knots[i] < m.knots[i - 1]) invalid_profile(where + ".knots", "must not decrease");
  }
  if (integer && (std::floor(m.min()) != m.min() || std::floor(m.max()) != m.max()))
    invalid_profile(where + ".knots", "of an integer feature must start and end on integers");
  if (unit && (m.min() < 0 || m.max() > 1))
    invalid_profile(where + ".knots", "of the score must lie in [0, 1]");
}

void check_domain(const DomainProfile& d, const std::string& where, const Profile& p) {
  const std::size_t dim = p.dimension();
  const std::size_t width = dim + 1;
  if (d.name.empty()) invalid_profile(where + ".name", "must not be empty");
  if (!(d.share >= 0 && d.share <= 1)) invalid_profile(where + ".share", "must lie in [0, 1]");
  if (!(d.copula_weight >= 0 && d.copula_weight <= 1))
    invalid_profile(where + ".copula_weight", "must lie in [0, 1]");
  check_shares(d.band_shares, where + ".band_shares");
  if (d.features.size() != dim)
    invalid_profile(where + ".features", "must hold " + std::to_string(dim) +
                                             " marginals (the dimension), holds " +
                                             std::to_string(d.features.size()));
  for (std::size_t f = 0; f < dim; ++f)
    check_marginal(d.features[f], where + ".features[" + std::to_string(f) + "]", p.integer_features[f],
                   false);
  check_marginal(d.score, where + ".score", false, true);
  if (d.correlation.size() != width * width) invalid_profile(where + ".correlation", "has the wrong size");
  for (std::size_t a = 0; a < width; ++a)
    for (std::size_t b = 0; b < width; ++b) {
      const double v = d.correlation[a * width + b];
      if (!std::isfinite(v) || v < -1 || v > 1)
        invalid_profile(where + ".correlation", "must hold values in [-1, 1]");
      if (a == b && v != 1.0) invalid_profile(where + ".correlation", "must have 1 on its diagonal");
      if (std::fabs(v - d.correlation[b * width + a]) > 1e-12)
        invalid_profile(where + ".correlation", "must be symmetric");
    }
  std::vector<double> lower;
  if (!cholesky(d.correlation, width, lower))
    invalid_profile(where + ".correlation", "must be positive definite");
}

}  // namespace

void validate_profile(const Profile& p) {
  if (p.format_version != kProfileFormatVersion)
    throw_invalid_parameter(
        "unsupported profile format_version " + std::to_string(p.format_version),
        "This synthdata reads profiles of format_version " + std::to_string(kProfileFormatVersion) + ".",
        "Fit again with synth_fit.");
  const std::size_t dim = p.dimension();
  if (dim == 0 || dim > kMaxProfileFeatures)
    invalid_profile("dimension", "must be 1 to " + std::to_string(kMaxProfileFeatures));
  if (p.integer_features.size() != dim) invalid_profile("integer_features", "must hold one flag per feature");
  if (!p.decimal_grids.empty()) {
    if (p.decimal_grids.size() != dim) invalid_profile("decimal_grids", "must hold one entry per feature");
    for (std::size_t f = 0; f < dim; ++f) {
      const int g = p.decimal_grids[f];
      if (g < -1 || g > kMaxGridDecimals || (g == 0 && !p.integer_features[f]) ||
          (g > 0 && p.integer_features[f]))
        invalid_profile("decimal_grids[" + std::to_string(f) + "]",
                        "must be 0 for an integer feature, null or 1 to " + std::to_string(kMaxGridDecimals) +
                            " for another");
    }
  }
  std::set<std::string> names;
  for (const auto& n : p.feature_names) {
    if (n.empty()) invalid_profile("feature_names", "must not hold an empty name");
    if (!names.insert(n).second) invalid_profile("feature_names", "names \"" + n + "\" twice");
  }
  if (p.rows < kMinFitRows) invalid_profile("rows", "must be at least " + std::to_string(kMinFitRows));
  check_shares(p.band_shares, "band_shares");
  check_domain(p.pooled, "pooled", p);
  if (p.domains.empty() || p.domains.size() > kMaxProfileDomains)
    invalid_profile("domains", "must hold 1 to " + std::to_string(kMaxProfileDomains) + " domains");
  double share_sum = 0;
  std::uint64_t row_sum = 0;
  for (std::size_t i = 0; i < p.domains.size(); ++i) {
    check_interrupt();
    const std::string where = "domains[" + std::to_string(i) + "]";
    check_domain(p.domains[i], where, p);
    // Every domain's rows are among the pooled rows, so its bounds lie within
    // the pool's (the sampler relies on it: a complexity feature judged by the
    // pooled bounds counts requirement clauses).
    for (std::size_t f = 0; f <= dim; ++f) {
      const Marginal& own = f < dim ? p.domains[i].features[f] : p.domains[i].score;
      const Marginal& pool = f < dim ? p.pooled.features[f] : p.pooled.score;
      if (own.min() < pool.min() || own.max() > pool.max()) {
        invalid_profile(
            where + (f < dim ? ".features[" + std::to_string(f) + "]" : std::string(".score")) + ".knots",
            "must lie within the pooled marginal's bounds [" + format_readable(pool.min()) + ", " +
                format_readable(pool.max()) + "]");
      }
    }
    if (i && !(p.domains[i - 1].name < p.domains[i].name))
      invalid_profile(where + ".name", "must sort after the previous domain's name, without repeats");
    share_sum += p.domains[i].share;
    row_sum += p.domains[i].rows;
  }
  if (std::fabs(share_sum - 1.0) > 1e-9)
    invalid_profile("domains", "shares must sum to 1, sum to " + format_readable(share_sum));
  if (row_sum != p.rows) invalid_profile("domains", "rows must add up to the profile's rows");
  if (p.privacy) {
    const PrivacyInfo& info = *p.privacy;
    if (!(info.epsilon > 0 && std::isfinite(info.epsilon)))
      invalid_profile("privacy.epsilon", "must be a positive finite number");
    if (!(info.delta > 0 && info.delta < 1)) invalid_profile("privacy.delta", "must lie in (0, 1)");
    if (!(info.rho > 0 && std::isfinite(info.rho)))
      invalid_profile("privacy.rho", "must be a positive finite number");
    if (info.mechanism.empty() || info.mechanism.size() > kMaxNameBytes)
      invalid_profile("privacy.mechanism",
                      "must be a name of 1 to " + std::to_string(kMaxNameBytes) + " bytes");
    if (info.bounds_source != "given" && info.bounds_source != "estimated" && info.bounds_source != "mixed")
      invalid_profile("privacy.bounds_source", "must be \"given\", \"estimated\" or \"mixed\"");
  }
}

}  // namespace synth
