// The vocabulary every wing shares: the score bands (the design table's three
// tiers and the gaps between them) and the limits a profile or a row is held
// to. Checks and messages read these constants, so a limit is written once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace synth {

// --- Score bands -----------------------------------------------------------

// Closed score bands of each tier; scores between bands belong to no tier.
struct ScoreBand {
  double low;
  double high;
  bool contains(double score) const { return score >= low && score <= high; }
};

inline constexpr std::size_t kTierCount = 3;
inline constexpr std::array<std::string_view, kTierCount> kTierNames = {"low", "medium", "high"};
inline constexpr std::array<ScoreBand, kTierCount> kTierBands = {ScoreBand{0.0, 0.3}, ScoreBand{0.4, 0.6},
                                                                 ScoreBand{0.7, 1.0}};

// A profile's score bands: the three tiers, and "between" for the gaps
// (0.3, 0.4) and (0.6, 0.7) that belong to no tier.
inline constexpr std::size_t kBandCount = kTierCount + 1;
inline constexpr std::size_t kBetweenBand = kTierCount;
inline constexpr std::array<std::string_view, kBandCount> kBandNames = {"low", "medium", "high", "between"};
// The gaps' interiors on the four-decimal grid scores are written on: a
// "between" score rounded to four decimals is kept inside one of these.
inline constexpr std::array<ScoreBand, 2> kBetweenInteriors = {ScoreBand{0.3001, 0.3999},
                                                               ScoreBand{0.6001, 0.6999}};
// A score for a band with no real row in it (the middle of each band).
inline constexpr std::array<double, kBandCount> kBandCentres = {0.15, 0.5, 0.85, 0.35};

// The band of a score: at or below the low tier's top is low, at or above the
// high tier's bottom is high (scores are in [0, 1]; NaN is "between").
inline std::size_t score_band(double score) noexcept {
  if (score <= kTierBands[0].high) return 0;
  if (kTierBands[1].contains(score)) return 1;
  if (score >= kTierBands[2].low) return 2;
  return kBetweenBand;
}

// --- Limits ------------------------------------------------------------------

// The most features a profile holds, and a row read element by element (a
// longer row is of a dimension no reader accepts; the quality report's
// dimension argument stops here too).
inline constexpr std::size_t kMaxProfileFeatures = 64;
// The most domains a profile holds.
inline constexpr std::size_t kMaxProfileDomains = 256;
// The longest domain or feature name, in bytes (PostgreSQL's NAMEDATALEN - 1).
inline constexpr std::size_t kMaxNameBytes = 63;
// The most rows one dataset (n, sample_id) holds: 10^12.
inline constexpr std::int64_t kMaxRows = 1'000'000'000'000;
// The training_priority synth_insert writes: the pipeline's range
// (synthetic rows 10 by default, real data 100).
inline constexpr int kMinPriority = 1;
inline constexpr int kMaxPriority = 1000;
// Fewer real rows than this cannot be fitted.
inline constexpr std::uint64_t kMinFitRows = 10;
// synth_compare's bootstrap: replicates behind each 95% interval (0: none).
inline constexpr int kDefaultBootstrap = 200;
inline constexpr int kMinBootstrap = 0;
inline constexpr int kMaxBootstrap = 10000;
// synth_compare's augmentation: synthetic rows per real row the caller names
// (beside the pipeline loader's 0.3, and its minimum of 20 rows in all).
inline constexpr double kDefaultAugmentRatio = 1.0;
inline constexpr double kMaxAugmentRatio = 10.0;
inline constexpr double kLoaderSyntheticRatio = 0.3;
inline constexpr std::size_t kLoaderMinSamples = 20;

}  // namespace synth
