// The first rows of seed 42, n 1000, pinned exactly (DESIGN.md §3.5). They
// catch any change to the output: a new vocabulary, a changed feature shape, a
// Boost upgrade that alters a distribution's algorithm.
//
// A CHANGE TO THESE ROWS MUST BUMP kGeneratorVersion in src/engine/version.hpp
// (stored rows record the generator that can regenerate them), and the pinned
// rows of sql/generate.sql must change with them.
#include <gtest/gtest.h>

#include <array>
#include <string_view>

#include "engine/row_sampler.hpp"
#include "engine/version.hpp"

namespace synth {
namespace {

struct PinnedRow {
  std::string_view domain;
  std::string_view tier;
  std::array<double, kFeatureCount> features;  // clarity, length, specificity, complexity, context, actionability
  double score;
  std::string_view original;
  std::string_view enhanced;
};

// Printed from the engine with tools/dump_rows 1000 42 (generator_version 1).
constexpr PinnedRow kSeed42[] = {
    {"analytical", "medium", {0.718, 159, 0.728, 5, 0.976, 0.701}, 0.5145,
     "i need you to analyze ad spend efficiency",
     "Analyze ad spend efficiency for a product manager. Requirements: note the biases; show key figures; "
     "define each metric; explain outliers; recommend next steps."},
    {"instructional", "low", {0.691, 121, 0.536, 2, 0.649, 0.779}, 0.1689,
     "can you teach tying a bowline knot?",
     "Teach tying a bowline knot for a retiree. Explain why each step matters. Requirements: show an "
     "example; keep steps short."},
    {"creative", "medium", {0.59, 172, 0.713, 3, 0.991, 0.741}, 0.5202,
     "i need you to compose a fable about a fox",
     "Compose a fable about a fox for young readers. Keep it suitable for all ages. Let it surprise the "
     "reader. Requirements: include a refrain; set it at dawn; add one dialogue."},
    {"analytical", "medium", {0.771, 225, 0.842, 6, 0.967, 0.692}, 0.5656,
     "i need you to compare app retention cohorts",
     "Compare app retention cohorts for investors. The audience is not technical. Compare against last "
     "year. Requirements: explain outliers; show key figures; note the biases; give a summary; rank the "
     "options; quantify uncertainty."},
    {"instructional", "high", {0.96, 129, 0.782, 4, 0.607, 0.87}, 0.8446,
     "walk through planting tomatoes",
     "Walk through planting tomatoes for a retiree. Requirements: show an example; give time needed; end "
     "with a check; name a shortcut."},
};

TEST(PinnedRows, FirstFiveRowsOfSeed42) {
  EXPECT_EQ(kGeneratorVersion, 1) << "the pinned rows below belong to generator_version 1";
  GeneratorOptions options;
  options.n = 1000;
  options.seed = 42;
  RowSampler sampler(options);
  GeneratedRow row;
  for (std::size_t i = 0; i < std::size(kSeed42); ++i) {
    SCOPED_TRACE("sample_id " + std::to_string(i));
    const PinnedRow& want = kSeed42[i];
    sampler.sample(static_cast<std::int64_t>(i), row);
    EXPECT_EQ(row.sample_id, static_cast<std::int64_t>(i));
    EXPECT_EQ(kDomains[row.domain].name, want.domain);
    EXPECT_EQ(kTierNames[row.tier], want.tier);
    EXPECT_EQ(row.feature_tier, row.tier);
    // Exact: features are rounded to 3 decimals and scores to 4, so each equals
    // the double nearest its decimal literal.
    for (std::size_t f = 0; f < kFeatureCount; ++f) EXPECT_EQ(row.features[f], want.features[f]) << kFeatureNames[f];
    EXPECT_EQ(row.score, want.score);
    EXPECT_EQ(row.prompts.original_text(), want.original);
    EXPECT_EQ(row.prompts.enhanced_text(), want.enhanced);
    EXPECT_EQ(row.features[static_cast<std::size_t>(Feature::kLength)], static_cast<double>(want.enhanced.size()));
  }
}

}  // namespace
}  // namespace synth
