// A profile: what synthdata learns from real rows (synth_fit) and samples new
// rows from (synth_generate/synth_insert with profile =>). Per domain, the
// marginal of every feature and of the score as monotone quantile knots, the
// share of scores in each band, and a Gaussian copula (the correlation of
// normal scores) that keeps how features move with each other and the score.
// docs/profile.md documents every key of its JSON form.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/content_hash.hpp"
#include "engine/model/limits.hpp"

namespace synth {

inline constexpr int kProfileFormatVersion = 1;
inline constexpr std::size_t kMaxQuantileKnots = 65;
// A domain with fewer rows than this takes the pooled marginals and copula.
inline constexpr std::uint64_t kMinDomainRows = 5;
// The copula of a domain with n rows is w R_domain + (1 - w) R_within, w = n / (n + this),
// R_within the correlation of every row's normal scores within its own domain.
inline constexpr double kCopulaShrinkRows = 30.0;

// Score bands (kBandNames, score_band) and the limits on features, domains
// and rows: engine/model/limits.hpp.

// A marginal distribution as a piecewise-linear quantile function:
// knots[i] = Q(i / (knots.size() - 1)); knots.front() is the observed minimum,
// knots.back() the maximum, and the knots never decrease.
struct Marginal {
  std::vector<double> knots;

  double min() const { return knots.front(); }
  double max() const { return knots.back(); }
  double quantile(double u) const noexcept {  // inline: the sampler calls it d + 1 times a row
    const std::size_t m = knots.size();
    if (!(u > 0)) return knots.front();
    if (u >= 1) return knots.back();
    const double pos = u * static_cast<double>(m - 1);
    // pos is in (0, m - 1): the signed conversion is one instruction, the unsigned one a branch.
    const std::size_t i = std::min(static_cast<std::size_t>(static_cast<std::int64_t>(pos)), m - 2);
    const double frac = pos - static_cast<double>(i);
    const double lo = knots[i], hi = knots[i + 1];
    return std::clamp(lo + frac * (hi - lo), lo, hi);
  }
  // The smallest u with quantile(u) >= x, and the largest with quantile(u) <= x (u in [0,1]).
  double lower_probability(double x) const noexcept;
  double upper_probability(double x) const noexcept;
};

struct DomainProfile {
  std::string name;
  std::uint64_t rows = 0;
  double share = 0;          // rows / all rows
  bool borrowed = false;     // too few rows: marginals and copula are the pooled ones
  double copula_weight = 0;  // w of the shrinkage toward the pooled within-domain copula
  std::array<double, kBandCount> band_shares{};
  std::vector<Marginal> features;  // one per feature
  Marginal score;
  // Correlation of normal scores over (features..., score), row-major, (d+1)^2,
  // positive definite.
  std::vector<double> correlation;
};

// How a differentially private profile was made (synth_fit with epsilon):
// the guarantee with respect to adding or removing one row, and where the
// feature bounds came from. A profile without it holds real extremes.
struct PrivacyInfo {
  double epsilon = 0, delta = 0, rho = 0;  // (epsilon, delta)-DP from rho-zCDP
  std::string mechanism;                   // e.g. "discrete_gaussian"
  std::string bounds_source;               // "given", "estimated" or "mixed"
};

struct Profile {
  int format_version = kProfileFormatVersion;
  std::uint64_t rows = 0;
  std::vector<std::string> feature_names;
  std::vector<bool> integer_features;
  std::array<double, kBandCount> band_shares{};
  DomainProfile pooled;                // every row together (name "*")
  std::vector<DomainProfile> domains;  // sorted by name (bytewise)
  std::optional<PrivacyInfo> privacy;  // set by a private fit only

  std::size_t dimension() const { return feature_names.size(); }
};

// Canonical JSON text: fixed key order, shortest round-trip numbers, no
// whitespace. The same profile always gives the same bytes.
std::string profile_json(const Profile& profile);
// 32 hex digits naming the canonical text (content_hash of profile_json).
std::string profile_hash(const Profile& profile);
// Parses and checks a profile given back as JSON; throws synth::Error (22023)
// saying what is wrong, at which key.
Profile parse_profile(std::string_view json);
// The checks parse_profile applies, for profiles built in memory.
void validate_profile(const Profile& profile);

}  // namespace synth
