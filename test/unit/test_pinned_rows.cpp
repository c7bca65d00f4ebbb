// The first rows of seed 42, n 1000, pinned exactly (docs/design.md §3.5). They
// catch any change to the output: a new vocabulary, a changed feature shape, a
// Boost upgrade that alters a distribution's algorithm.
//
// A CHANGE TO THESE ROWS MUST BUMP kGeneratorVersion in src/engine/model/version.hpp
// (stored rows record the generator that can regenerate them), and the pinned
// rows of sql/generate.sql must change with them.
#include <gtest/gtest.h>

#include <array>
#include <string_view>

#include "engine/generate/row_sampler.hpp"
#include "engine/model/version.hpp"

namespace synth {
namespace {

struct PinnedRow {
  std::string_view domain;
  std::string_view tier;
  std::array<double, kFeatureCount>
      features;  // clarity, length, specificity, complexity, context, actionability
  double score;
  std::string_view original;
  std::string_view enhanced;
};

// Printed from the engine with tools/dump_rows 1000 42 (generator_version 2). Version 3
// changed only quotas whose shares nearly tie and added original_prompt to the stored
// document, so these rows, on the default shares, stayed; versions 4 to 11 changed only
// rows drawn from a profile.
constexpr PinnedRow kSeed42[] = {
    {"analytical",
     "medium",
     {0.722, 163, 0.902, 5, 0.997, 0.722},
     0.5145,
     "interpret a survey on remote work",
     "Interpret a survey on remote work for a finance team. Requirements: state assumptions; show key "
     "figures; cite data sources; quantify uncertainty; rank the options."},
    {"instructional",
     "low",
     {0.662, 170, 0.55, 2, 0.7, 0.816},
     0.1689,
     "i need you to coach brewing green tea",
     "Coach brewing green tea for a student. It is for a handout. No prior experience is assumed. Only basic "
     "tools are at hand. Requirements: use plain words; give time needed."},
    {"creative",
     "medium",
     {0.622, 115, 0.727, 3, 0.929, 0.605},
     0.5202,
     "please imagine a world with two moons",
     "Imagine a world with two moons for a writing class. Requirements: use short lines; avoid cliches; add "
     "one dialogue."},
    {"analytical",
     "medium",
     {0.705, 188, 0.839, 6, 0.957, 0.712},
     0.5656,
     "i need you to model a survey on remote work",
     "Model a survey on remote work for a data science team. Requirements: rank the options; define each "
     "metric; explain outliers; check significance; quantify uncertainty; recommend next steps."},
    {"instructional",
     "high",
     {0.865, 181, 0.732, 6, 0.65, 0.878},
     0.8446,
     "teach knitting a scarf",
     "Teach knitting a scarf for a student. Time is limited to an hour. Requirements: number each step; warn "
     "of mistakes; include a tip; show an example; list the tools; end with a check."},
};

TEST(PinnedRows, FirstFiveRowsOfSeed42) {
  EXPECT_EQ(kGeneratorVersion, 12) << "the pinned rows below belong to generator_version 2 to 12";
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
    for (std::size_t f = 0; f < kFeatureCount; ++f)
      EXPECT_EQ(row.features[f], want.features[f]) << kFeatureNames[f];
    EXPECT_EQ(row.score, want.score);
    EXPECT_EQ(row.prompts.original_text(), want.original);
    EXPECT_EQ(row.prompts.enhanced_text(), want.enhanced);
    EXPECT_EQ(row.features[static_cast<std::size_t>(Feature::kLength)],
              static_cast<double>(want.enhanced.size()));
  }
}

}  // namespace
}  // namespace synth
