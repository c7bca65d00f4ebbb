// The pipeline's own figures (docs/design.md §2): domains, their shares, feature
// ranges and score shapes, and the three score tiers. One table, read by the
// generator and by the quality report alike.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "engine/model/limits.hpp"

namespace synth {

inline constexpr std::size_t kDomainCount = 5;
inline constexpr std::size_t kFeatureCount = 6;

enum class Feature : std::size_t {
  kClarity = 0,
  kLength = 1,
  kSpecificity = 2,
  kComplexity = 3,
  kContextRichness = 4,
  kActionability = 5,
};

inline constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    "clarity", "length", "specificity", "complexity", "context_richness", "actionability"};

enum class Tier : std::size_t { kLow = 0, kMedium = 1, kHigh = 2 };

// The tiers' names and score bands: engine/model/limits.hpp.
inline constexpr std::array<double, kTierCount> kDefaultTierShares = {0.25, 0.50, 0.25};

struct Range {
  double low;
  double high;
};

struct DomainSpec {
  std::string_view name;
  double default_share;
  std::array<Range, kFeatureCount> feature_ranges;  // in Feature order
  double score_alpha;                               // Beta(alpha, beta) shape of scores
  double score_beta;
};

inline constexpr std::array<DomainSpec, kDomainCount> kDomains = {{
    {"technical", 0.25, {{{0.4, 0.9}, {150, 300}, {0.7, 1.0}, {4, 8}, {0.5, 0.9}, {0.8, 1.0}}}, 3.0, 2.0},
    {"creative", 0.20, {{{0.3, 0.8}, {80, 250}, {0.4, 0.9}, {2, 7}, {0.6, 1.0}, {0.5, 0.9}}}, 2.0, 2.0},
    {"analytical", 0.20, {{{0.5, 0.9}, {120, 280}, {0.6, 1.0}, {3, 7}, {0.7, 1.0}, {0.6, 0.9}}}, 2.5, 1.8},
    {"instructional", 0.20, {{{0.6, 1.0}, {100, 220}, {0.5, 0.8}, {2, 6}, {0.6, 0.9}, {0.7, 1.0}}}, 2.2, 1.5},
    {"conversational", 0.15, {{{0.4, 0.9}, {60, 180}, {0.3, 0.7}, {1, 5}, {0.5, 0.8}, {0.4, 0.8}}}, 2.0, 2.5},
}};

// The domain index for a name, if it is one of the five.
inline std::optional<std::size_t> find_domain(std::string_view name) {
  for (std::size_t i = 0; i < kDomainCount; ++i)
    if (kDomains[i].name == name) return i;
  return std::nullopt;
}

}  // namespace synth
