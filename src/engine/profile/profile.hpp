// A profile: what synthdata learns from real rows (synth_fit) and samples new
// rows from (synth_generate/synth_insert with profile =>). Per domain, the
// marginal of every feature and of the score as monotone quantile knots, the
// share of scores in each band, and a Gaussian copula (the correlation of
// normal scores) that keeps how features move with each other and the score.
// docs/profile.md documents every key of its JSON form.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
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

// Tail knots: a fitted marginal resolves the ends of its quantile function
// with this many extra knots at each end (see Marginal::tails).
inline constexpr std::uint32_t kTailLevels = 3;
inline constexpr std::uint32_t kMaxTailLevels = 6;
// A feature on a decimal grid of up to this many decimals keeps it (Profile::decimal_grids).
inline constexpr int kMaxGridDecimals = 6;

// Where probability u falls among the knots of a quantile function with
// `segments` segments and `tails` tail levels: the segment (its first knot)
// and the fraction of the way along it. u must lie in (0, 1).
//
// With tails == 0 the knots sit at probabilities i / segments. With tails L
// the body's S = segments - 2L segments sit at i / S, and each end segment of
// the body is cut at 2^-1, ..., 2^-L of its width from the end: knot j
// (1 <= j <= L) at 2^(j - L - 1) / S, and symmetrically at the top. So the
// outermost segment holds 2^-L / S of the mass: an outlying minimum is
// reached, but by few draws.
struct KnotPosition {
  std::size_t segment;
  double frac;
};
inline KnotPosition knot_position(std::uint32_t segments, std::uint32_t tails, double u) noexcept {
  const std::uint32_t body = segments - 2 * tails;
  const double pos = u * static_cast<double>(body);
  if (tails == 0 || (pos >= 1.0 && pos <= static_cast<double>(body - 1))) {
    // pos is in (0, body): the signed conversion is one instruction, the unsigned one a branch.
    const std::size_t lowest = tails == 0 ? 0 : 1;
    const std::size_t highest = body - 1 - lowest;
    const std::size_t b =
        std::clamp(static_cast<std::size_t>(static_cast<std::int64_t>(pos)), lowest, highest);
    return {b + tails, pos - static_cast<double>(b)};
  }
  if (pos < 1.0) {  // the lower tail: t in (0, 1), in [2^e, 2^(e + 1))
    const int e = std::ilogb(pos);
    if (e < -static_cast<int>(tails)) return {0, std::ldexp(pos, static_cast<int>(tails))};
    return {static_cast<std::size_t>(static_cast<int>(tails) + 1 + e), std::ldexp(pos, -e) - 1.0};
  }
  // The upper tail, by the distance from the top (1 - u is exact for u >= 1/2).
  const double t = (1.0 - u) * static_cast<double>(body);
  const int e = std::ilogb(t);
  if (e < -static_cast<int>(tails)) return {segments - 1, 1.0 - std::ldexp(t, static_cast<int>(tails))};
  return {static_cast<std::size_t>(static_cast<int>(tails + body) - 2 - e), 2.0 - std::ldexp(t, -e)};
}

// A marginal distribution as a piecewise-linear quantile function:
// knots.front() = Q(0) is the observed minimum, knots.back() = Q(1) the
// maximum, and the knots never decrease. With tails == 0 (the default, a
// plain quantile function) knots[i] = Q(i / (knots.size() - 1)); with tails
// L > 0 the ends are resolved more finely (knot_position).
struct Marginal {
  std::vector<double> knots;
  std::uint32_t tails = 0;

  double min() const { return knots.front(); }
  double max() const { return knots.back(); }
  std::uint32_t segments() const { return static_cast<std::uint32_t>(knots.size() - 1); }
  double quantile(double u) const noexcept {  // inline: the sampler calls it once a row
    if (!(u > 0)) return knots.front();
    if (u >= 1) return knots.back();
    const KnotPosition at = knot_position(segments(), tails, u);
    const double lo = knots[at.segment], hi = knots[at.segment + 1];
    return std::clamp(lo + at.frac * (hi - lo), lo, hi);
  }
  // The probability at knot i.
  double probability(std::size_t i) const noexcept;
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
  // Per feature: d when every observed value lies on the grid of step 10^-d
  // (0: integers, up to kMaxGridDecimals), else -1 (no grid learned, or a
  // profile written before grids were kept).
  std::vector<int> decimal_grids;
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
