// The comparison end to end on sides built from observations.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/compare/compare_report.hpp"
#include "engine/model/error.hpp"
#include "engine/model/mixing.hpp"

namespace synth {
namespace {

RowObservation row(std::size_t dimension, std::uint64_t key, double shift, const char* domain = "coding") {
  RowObservation r;
  r.reset();
  r.feature_shape = FeatureShape::kArray;
  r.feature_count = static_cast<std::uint32_t>(dimension);
  double sum = 0;
  for (std::size_t j = 0; j < dimension; ++j) {
    const double u = static_cast<double>(mix64(key * 31 + j) >> 11) * 0x1.0p-53;
    r.set_feature(j, ValueState::kNumber, u + shift);
    sum += u;
  }
  r.score_state = ValueState::kNumber;
  r.score = std::min(1.0, sum / static_cast<double>(dimension));
  r.set_domain(domain);
  return r;
}

CompareSideInput side(std::size_t rows, std::uint64_t first_key, double shift, std::size_t dimension = 6) {
  CompareSide collector;
  for (std::size_t i = 0; i < rows; ++i)
    collector.add(row(dimension, first_key + i, shift, i % 3 == 0 ? "coding" : "writing"));
  CompareSideInput in;
  in.rows_read = collector.rows_seen();
  in.invalid = collector.invalid();
  in.columns = collector.finish();
  in.source.table = "t";
  return in;
}

TEST(CompareReport, IdenticalSidesScoreOne) {
  CompareOptions options;
  options.bootstrap = 20;
  const CompareReport r = compare_sides(side(600, 1, 0), side(600, 1, 0), std::nullopt, options);
  EXPECT_DOUBLE_EQ(r.shapes, 1.0);
  for (const PairTrend& p : r.pairs) EXPECT_DOUBLE_EQ(p.score, 1.0) << p.first << " " << p.second;
  EXPECT_EQ(r.columns.size(), 8u);  // six features, the score, the domain
  EXPECT_EQ(r.columns[0], "f1");
  EXPECT_GT(r.detection.score, 0.9);
  EXPECT_EQ(r.privacy.exact_copies, 600u);
  EXPECT_DOUBLE_EQ(r.privacy.dcr_median, 0.0);
  EXPECT_LE(r.quality_interval.low, r.quality);
  EXPECT_GE(r.quality_interval.high, r.quality);
}

TEST(CompareReport, ShiftedSideScoresLower) {
  CompareOptions options;
  options.bootstrap = 0;
  const CompareReport same = compare_sides(side(800, 1, 0), side(800, 5000, 0), std::nullopt, options);
  const CompareReport shifted = compare_sides(side(800, 1, 0), side(800, 5000, 0.3), std::nullopt, options);
  EXPECT_GT(same.shapes, 0.9);
  EXPECT_LT(shifted.shapes, same.shapes - 0.1);
  EXPECT_GT(same.detection.score, 0.8);
  EXPECT_LT(shifted.detection.score, 0.3);
  EXPECT_TRUE(std::isnan(shifted.quality_interval.low));  // no bootstrap, no intervals
}

TEST(CompareReport, SameSeedSameReport) {
  CompareOptions options;
  options.bootstrap = 30;
  options.seed = 7;
  const std::string a =
      compare_report_json(compare_sides(side(300, 1, 0), side(300, 900, 0.05), std::nullopt, options));
  const std::string b =
      compare_report_json(compare_sides(side(300, 1, 0), side(300, 900, 0.05), std::nullopt, options));
  EXPECT_EQ(a, b);
  options.seed = 8;
  const std::string c =
      compare_report_json(compare_sides(side(300, 1, 0), side(300, 900, 0.05), std::nullopt, options));
  EXPECT_NE(a, c);
}

TEST(CompareReport, RefusesWhatCannotBeCompared) {
  CompareOptions options;
  try {
    compare_sides(side(50, 1, 0), side(50, 1, 0, 5), std::nullopt, options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), sqlstate::kDataException);
    EXPECT_NE(std::string(e.what()).find("6 features, the synthetic rows 5"), std::string::npos);
  }
  EXPECT_THROW(compare_sides(side(50, 1, 0), side(1, 1, 0), std::nullopt, options), Error);
  EXPECT_THROW(compare_sides(side(50, 1, 0), side(50, 1, 0), side(50, 1, 0, 4), options), Error);
  options.bootstrap = 10001;
  EXPECT_THROW(compare_sides(side(50, 1, 0), side(50, 1, 0), std::nullopt, options), Error);
}

TEST(CompareSide, KeepsTheMostCommonDimension) {
  CompareSide collector;
  for (std::uint64_t i = 0; i < 10; ++i) collector.add(row(6, i, 0));
  for (std::uint64_t i = 0; i < 3; ++i) collector.add(row(4, i, 0));
  RowObservation bad = row(6, 99, 0);
  bad.score = 1.5;
  collector.add(bad);
  const SideColumns columns = collector.finish();
  EXPECT_EQ(columns.dimension, 6u);
  EXPECT_EQ(columns.rows(), 10u);
  EXPECT_EQ(collector.invalid()[static_cast<std::size_t>(InvalidReason::kWrongDimension)], 3u);
  EXPECT_EQ(collector.invalid()[static_cast<std::size_t>(InvalidReason::kScoreOutOfRange)], 1u);
  EXPECT_EQ(collector.rows_seen(), 14u);
}

TEST(CompareReport, HoldoutShareNearHalfWithoutMemorisation) {
  CompareOptions options;
  options.bootstrap = 0;
  const CompareReport fresh =
      compare_sides(side(1000, 1, 0), side(400, 10000, 0), side(1000, 20000, 0), options);
  EXPECT_NEAR(fresh.privacy.closer_to_real, 0.5, 0.08);
  const CompareReport copied =
      compare_sides(side(1000, 1, 0), side(400, 1, 0), side(1000, 20000, 0), options);
  EXPECT_GT(copied.privacy.closer_to_real, 0.95);
}

}  // namespace
}  // namespace synth

namespace synth {
namespace {

RowObservation side_row(double a, double b, double score, std::string_view domain) {
  RowObservation row;
  row.reset();
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = 2;
  row.set_feature(0, ValueState::kNumber, a);
  row.set_feature(1, ValueState::kNumber, b);
  row.score_state = ValueState::kNumber;
  row.score = score;
  row.set_domain(domain);
  return row;
}

// The same rows in any order give the same columns, so every sample, fold
// and replicate downstream (all chosen by position) is the same.
TEST(CompareSide, ColumnsDoNotDependOnRowOrder) {
  std::vector<RowObservation> rows;
  for (int i = 0; i < 500; ++i)
    rows.push_back(side_row(i % 17, i * 0.5, (i % 100) / 100.0, i % 3 == 0 ? "b" : (i % 3 == 1 ? "a" : "")));
  CompareSide forward;
  for (const RowObservation& r : rows) forward.add(r);
  CompareSide backward;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) backward.add(*it);
  const SideColumns one = forward.finish();
  const SideColumns two = backward.finish();
  ASSERT_EQ(one.rows(), 500u);
  EXPECT_EQ(one.numeric, two.numeric);
  EXPECT_EQ(one.domain, two.domain);
  EXPECT_EQ(one.domains, two.domains);
  EXPECT_EQ(one.domains, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(one.has_domain);
}

// The page cuts no name (a title or a pair too long for its cell is wrapped)
// and says what its abbreviations, markers, bars and scales mean.
TEST(ComparePage, WrapsNamesAndExplainsItself) {
  CompareOptions options;
  options.bootstrap = 20;
  CompareSideInput real = side(300, 1, 0), synthetic = side(300, 5000, 0.1);
  real.source.table = "public.training_prompts";
  real.source.data_source = "real";
  synthetic.source.table = "public.training_prompts";
  synthetic.source.data_source = "synthetic";
  CompareReport r = compare_sides(std::move(real), std::move(synthetic), std::nullopt, options);
  r.synthetic.source.table = "analytics." + std::string(90, 'x');  // wider than a line
  for (PairTrend& p : r.pairs)
    if (p.second == "domain") p.first = "a_rather_long_feature";  // wider than the pair cell
  for (bool unicode : {true, false}) {
    PageStyle style;
    style.unicode = unicode;
    const std::vector<std::string> page = compare_report_page(r, style);
    std::string joined;  // the lines as running text: wrapping undone
    for (const std::string& line : page) {
      std::size_t width = 0;
      for (char c : line) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      EXPECT_LE(width, style.width) << line;
      if (!unicode) {
        for (char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << line;
      }
      const std::size_t text = line.find_first_not_of(' ');
      if (text != std::string::npos) joined += (joined.empty() ? "" : " ") + line.substr(text);
    }
    std::string unbroken;  // and the long word put back together
    for (const std::string& line : page) unbroken += line + "\n";
    EXPECT_NE(
        joined.find("synthdata compare: public.training_prompts real vs analytics." + std::string(66, 'x')),
        std::string::npos)
        << joined;
    EXPECT_NE(unbroken.find("\n  " + std::string(24, 'x') + " synthetic\n"), std::string::npos) << unbroken;
    EXPECT_NE(unbroken.find("\n  [low, high] is a 95% interval."), std::string::npos) << unbroken;
    EXPECT_NE(unbroken.find("\n           DCR: distance"), std::string::npos) << unbroken;
    EXPECT_NE(joined.find("a_rather_long_feature ~ domain cont"), std::string::npos) << joined;
    EXPECT_NE(joined.find("A quality score often sits low in its own interval"), std::string::npos) << joined;
    EXPECT_NE(joined.find(
                  "cont: a column by domain, real/synth its Cramer's V; counted: the real rows show a trend"),
              std::string::npos)
        << joined;
    EXPECT_NE(joined.find("domain bars, left to right: coding, writing, (none)"), std::string::npos)
        << joined;
    EXPECT_NE(
        joined.find("DCR: distance to the closest real row, each column's gap a share of its real range"),
        std::string::npos)
        << joined;
  }
}

}  // namespace
}  // namespace synth
