// The gate's verdict per row: every reason, and the order in which they apply.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "engine/rows/row_observation.hpp"

namespace synth {
namespace {

RowObservation valid_row() {
  RowObservation row;
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = kFeatureCount;
  for (std::size_t i = 0; i < kFeatureCount; ++i) row.set_feature(i, ValueState::kNumber, 0.5);
  row.score_state = ValueState::kNumber;
  row.score = 0.7;
  return row;
}

TEST(QualityObservation, ValidRowHasNoReason) { EXPECT_EQ(classify(valid_row()), std::nullopt); }

TEST(QualityObservation, ScoreBoundsAreInclusive) {
  RowObservation row = valid_row();
  row.score = 0.0;
  EXPECT_EQ(classify(row), std::nullopt);
  row.score = 1.0;
  EXPECT_EQ(classify(row), std::nullopt);
  row.score = -0.0;
  EXPECT_EQ(classify(row), std::nullopt);
}

TEST(QualityObservation, EachReasonAlone) {
  RowObservation row = valid_row();
  row.feature_shape = FeatureShape::kAbsent;
  EXPECT_EQ(classify(row), InvalidReason::kMissingFeatures);

  row = valid_row();
  row.feature_count = 0;  // []
  EXPECT_EQ(classify(row), InvalidReason::kMissingFeatures);

  row = valid_row();
  row.feature_count = 5;
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);
  row.feature_count = 7;
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);

  row = valid_row();
  row.feature_shape = FeatureShape::kNested;
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);

  row = valid_row();
  row.feature_shape = FeatureShape::kNotArray;
  EXPECT_EQ(classify(row), InvalidReason::kNonNumeric);

  row = valid_row();
  row.set_feature(2, ValueState::kNonNumeric, 0);
  EXPECT_EQ(classify(row), InvalidReason::kNonNumeric);

  row = valid_row();
  row.set_feature(3, ValueState::kNull, 0);  // JSON null inside the vector
  EXPECT_EQ(classify(row), InvalidReason::kNonNumeric);

  row = valid_row();
  row.score_state = ValueState::kNonNumeric;  // "0.5" or true
  EXPECT_EQ(classify(row), InvalidReason::kNonNumeric);

  row = valid_row();
  row.set_feature(0, ValueState::kNonFinite, 0);
  EXPECT_EQ(classify(row), InvalidReason::kNonFinite);

  row = valid_row();
  row.score_state = ValueState::kNonFinite;
  EXPECT_EQ(classify(row), InvalidReason::kNonFinite);

  row = valid_row();
  row.score_state = ValueState::kAbsent;
  EXPECT_EQ(classify(row), InvalidReason::kMissingScore);
  row.score_state = ValueState::kNull;
  EXPECT_EQ(classify(row), InvalidReason::kMissingScore);

  row = valid_row();
  row.score = 1.0000001;
  EXPECT_EQ(classify(row), InvalidReason::kScoreOutOfRange);
  row.score = -0.1;
  EXPECT_EQ(classify(row), InvalidReason::kScoreOutOfRange);
}

TEST(QualityObservation, FirstReasonWins) {
  // Every later fault present at once: the earliest in the order wins.
  RowObservation row = valid_row();
  row.set_feature(1, ValueState::kNonNumeric, 0);
  row.set_feature(2, ValueState::kNonFinite, 0);
  row.score_state = ValueState::kAbsent;
  EXPECT_EQ(classify(row), InvalidReason::kNonNumeric);

  row.feature_count = 4;
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);

  row.feature_shape = FeatureShape::kAbsent;
  EXPECT_EQ(classify(row), InvalidReason::kMissingFeatures);

  // non_finite before missing_score, missing_score before out of range.
  row = valid_row();
  row.set_feature(5, ValueState::kNonFinite, 0);
  row.score_state = ValueState::kNull;
  EXPECT_EQ(classify(row), InvalidReason::kNonFinite);

  // A non-finite feature with a string score: the score is non-numeric first.
  row = valid_row();
  row.set_feature(5, ValueState::kNonFinite, 0);
  row.score_state = ValueState::kNonNumeric;
  EXPECT_EQ(classify(row), InvalidReason::kNonNumeric);

  // Wrong dimension hides non-numeric elements.
  row = valid_row();
  row.feature_count = 3;
  row.score_state = ValueState::kNonNumeric;
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);
}

TEST(QualityObservation, DomainIsCutAtCharacterBoundary) {
  RowObservation row;
  row.set_domain("technical");
  EXPECT_EQ(row.domain_name(), "technical");
  std::string long_name(kMaxNameBytes - 1, 'a');
  long_name += "\xC3\xA9\xC3\xA9";  // "éé": the first one straddles the limit
  row.set_domain(long_name);
  EXPECT_EQ(row.domain_name(), std::string(kMaxNameBytes - 1, 'a'));
  row.set_domain("");
  EXPECT_TRUE(row.domain_name().empty());
}

}  // namespace
}  // namespace synth

namespace synth {
namespace {

// Rows of any dimension up to kMaxProfileFeatures are read element by element and
// judged against the dimension the reader expects.
TEST(QualityObservation, AnyDimensionUpToTheLimit) {
  RowObservation row;
  row.reset();
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = 9;
  for (std::size_t i = 0; i < 9; ++i) row.set_feature(i, ValueState::kNumber, 0.1 * static_cast<double>(i));
  row.score_state = ValueState::kNumber;
  row.score = 0.5;
  EXPECT_FALSE(classify(row, 9).has_value());
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);  // six by default
  EXPECT_EQ(classify(row, 4), InvalidReason::kWrongDimension);
  EXPECT_DOUBLE_EQ(row.features[8], 0.8);

  row.set_feature(3, ValueState::kNonFinite, 0.0);
  EXPECT_EQ(classify(row, 9), InvalidReason::kNonFinite);

  row.reset();
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = kMaxProfileFeatures + 1;  // too long to read: no dimension accepts it
  row.score_state = ValueState::kNumber;
  EXPECT_FALSE(row.elements_read());
  EXPECT_EQ(classify(row, kMaxProfileFeatures), InvalidReason::kWrongDimension);
}

// The gate's rule for a row of any dimension: what synth_fit fits and what
// synth_insert weighs a table's dimension by.
TEST(GateKeeps, RowsOfAnyDimensionWithFiniteFeaturesAndAScoreInRange) {
  RowObservation row;
  row.reset();
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = 32;
  for (std::size_t i = 0; i < 32; ++i) row.set_feature(i, ValueState::kNumber, static_cast<double>(i));
  row.score_state = ValueState::kNumber;
  row.score = 0.5;
  EXPECT_TRUE(gate_keeps(row));
  row.score = 1.5;
  EXPECT_FALSE(gate_keeps(row));
  row.score = 1.0;
  EXPECT_TRUE(gate_keeps(row));
  row.set_feature(3, ValueState::kNonFinite, 0.0);
  EXPECT_FALSE(gate_keeps(row));
  row.reset();
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = 0;
  row.score_state = ValueState::kNumber;
  EXPECT_FALSE(gate_keeps(row));
}

}  // namespace
}  // namespace synth
