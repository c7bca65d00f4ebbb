// The report model: its JSON is well-formed with every number finite, and its
// page fits 78 columns, for an empty table, one row and a realistic one.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "engine/quality/quality_report.hpp"

namespace synth {
namespace {

// A strict JSON checker (RFC 8259): no NaN/Infinity, no trailing garbage,
// no duplicate keys in one object. Small and recursive: test input only.
class StrictJson {
 public:
  explicit StrictJson(std::string_view s) : s_(s) {}
  bool valid() {
    ws();
    if (!value(0)) return false;
    ws();
    return i_ == s_.size();
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  bool lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool string(std::string* out = nullptr) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      auto c = static_cast<unsigned char>(s_[i_]);
      if (c < 0x20) return false;
      if (c == '\\') {
        ++i_;
        if (i_ >= s_.size()) return false;
        if (s_[i_] == 'u') {
          if (s_.substr(i_ + 1, 4) == "0000") return false;  // jsonb refuses U+0000
          i_ += 4;
        }
      }
      if (out) out->push_back(s_[i_]);
      ++i_;
    }
    if (i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  bool number() {
    std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size() || !isdigit(static_cast<unsigned char>(s_[i_]))) return false;
    if (s_[i_] == '0')
      ++i_;
    else
      while (i_ < s_.size() && isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || !isdigit(static_cast<unsigned char>(s_[i_]))) return false;
      while (i_ < s_.size() && isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || !isdigit(static_cast<unsigned char>(s_[i_]))) return false;
      while (i_ < s_.size() && isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    return std::isfinite(std::stod(std::string(s_.substr(start, i_ - start))));
  }
  bool value(int depth) {
    if (depth > 64 || i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      std::vector<std::string> keys;
      ws();
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
      for (;;) {
        ws();
        std::string k;
        if (!string(&k)) return false;
        for (const auto& seen : keys)
          if (seen == k) return false;
        keys.push_back(k);
        ws();
        if (!lit(":")) return false;
        ws();
        if (!value(depth + 1)) return false;
        ws();
        if (lit("}")) return true;
        if (!lit(",")) return false;
      }
    }
    if (c == '[') {
      ++i_;
      ws();
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
      for (;;) {
        ws();
        if (!value(depth + 1)) return false;
        ws();
        if (lit("]")) return true;
        if (!lit(",")) return false;
      }
    }
    if (c == '"') return string();
    if (c == 't') return lit("true");
    if (c == 'f') return lit("false");
    if (c == 'n') return lit("null");
    return number();
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

TableSource source(std::string table = "public.training_prompts") {
  TableSource s;
  s.table = std::move(table);
  s.layout = "pipeline";
  s.column_type = "jsonb";
  s.data_source = "synthetic";
  s.only_active = true;
  s.has_prompt_column = true;
  return s;
}

RowObservation row(double score, std::string_view domain, std::uint64_t prompt, double a = 0.5) {
  RowObservation r;
  r.feature_shape = FeatureShape::kArray;
  r.feature_count = kFeatureCount;
  double values[kFeatureCount] = {a, 100 + 200 * a, 1 - a, std::floor(10 * a), a * a, 0.5};
  for (std::size_t i = 0; i < kFeatureCount; ++i) r.set_feature(i, ValueState::kNumber, values[i]);
  r.score_state = ValueState::kNumber;
  r.score = score;
  r.set_domain(domain);
  r.has_prompt = true;
  r.prompt_hash = prompt;
  return r;
}

// ascii_names: the data's own names (table, domains) are ASCII, so the ASCII
// style must produce pure ASCII lines.
void expect_page_fits(const QualityReport& report, bool ascii_names = true) {
  for (bool unicode : {true, false}) {
    PageStyle style;
    style.unicode = unicode;
    for (const std::string& line : quality_report_page(report, style)) {
      std::size_t width = 0;
      for (char c : line)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
      EXPECT_LE(width, 78u) << line;
      if (!unicode && ascii_names) {
        for (char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << line;
      }
    }
  }
}

TEST(QualityReport, EmptyTable) {
  QualityAccumulator acc;
  QualityReport report = build_quality_report(acc, source());
  std::string json = quality_report_json(report);
  EXPECT_TRUE(StrictJson(json).valid()) << json;
  EXPECT_NE(json.find("\"mean\": null"), std::string::npos);
  EXPECT_NE(json.find("\"linear_r2\": null"), std::string::npos);
  EXPECT_NE(json.find("\"count\": 0, \"method\": \"exact\""), std::string::npos);
  EXPECT_FALSE(report.overall_quality);
  for (const QualityCheck& c : report.checks) {
    if (c.name == "no_invalid_values") continue;
    EXPECT_FALSE(c.passed) << c.name;
  }
  expect_page_fits(report);
}

TEST(QualityReport, OneRow) {
  QualityAccumulator acc;
  acc.add(row(0.5, "technical", 1));
  QualityReport report = build_quality_report(acc, source());
  std::string json = quality_report_json(report);
  EXPECT_TRUE(StrictJson(json).valid()) << json;
  EXPECT_EQ(report.score.std, 0.0);
  EXPECT_FALSE(report.max_correlation.has_value());
  EXPECT_FALSE(report.linear_r2.has_value());
  EXPECT_EQ(report.range_coverage, 0.1);
  expect_page_fits(report);
}

TEST(QualityReport, HostileNamesStayValidJson) {
  QualityAccumulator acc;
  acc.add(row(0.5, "quote\" back\\slash \x01 ctl", 1));
  acc.add(row(0.6, "bad utf8 \xC3 \xFF end", 2));
  acc.add(row(0.7, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E wide", 3));
  std::string name(200, 'x');
  QualityReport report = build_quality_report(acc, source("\"we\"\"ird\".\"tab\nle\" " + name));
  std::string json = quality_report_json(report);
  EXPECT_TRUE(StrictJson(json).valid()) << json;
  expect_page_fits(report, false);
}

TEST(QualityReport, RealisticSetPassesAndPageReads) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  QualityAccumulator acc;
  const double bands[3][2] = {{0.0, 0.3}, {0.4, 0.6}, {0.7, 1.0}};
  for (int i = 0; i < 2000; ++i) {
    int tier = i % 4 == 0 ? 0 : (i % 4 == 3 ? 2 : 1);
    double score = bands[tier][0] + (bands[tier][1] - bands[tier][0]) * unit(rng);
    RowObservation r;
    r.feature_shape = FeatureShape::kArray;
    r.feature_count = kFeatureCount;
    double t = tier / 2.0;
    double values[kFeatureCount] = {0.3 + 0.5 * t + 0.2 * unit(rng), 60 + 240 * unit(rng),
                                    0.3 + 0.7 * unit(rng),           std::floor(1 + 7 * unit(rng)),
                                    0.5 + 0.2 * t + 0.3 * unit(rng), 0.4 + 0.6 * unit(rng)};
    for (std::size_t f = 0; f < kFeatureCount; ++f) r.set_feature(f, ValueState::kNumber, values[f]);
    r.score_state = ValueState::kNumber;
    r.score = score;
    r.set_domain(kDomains[static_cast<std::size_t>(i) % kDomainCount].name);
    r.has_prompt = true;
    r.prompt_hash = static_cast<std::uint64_t>(i) * 2654435761u;
    acc.add(r);
  }
  QualityReport report = build_quality_report(acc, source());
  for (const QualityCheck& c : report.checks) EXPECT_TRUE(c.passed) << c.name;
  EXPECT_TRUE(report.overall_quality);
  EXPECT_EQ(report.range_coverage, 0.8);
  EXPECT_EQ(report.domains_covered, 5u);
  std::string json = quality_report_json(report);
  EXPECT_TRUE(StrictJson(json).valid()) << json;
  expect_page_fits(report);
  std::vector<std::string> page = quality_report_page(report, {});
  std::string all;
  for (const auto& line : page) all += line + "\n";
  EXPECT_NE(all.find("Overall quality: PASS (12 of 12 checks pass)"), std::string::npos) << all;
}

std::string page_text(const QualityReport& report) {
  std::string all;
  for (const auto& line : quality_report_page(report, {})) all += line + "\n";
  return all;
}

// What a reader needs on the page itself: the real number of distinct scores
// (not a "2: or more" cap), the bins range_coverage counts, whose limits the
// checks apply, and why generated rows leave two score bins empty.
TEST(QualityReport, PageExplainsItsChecks) {
  QualityAccumulator acc;
  const double scores[] = {0.05, 0.15, 0.25, 0.45, 0.55, 0.75, 0.85, 0.95, 0.35, 0.65, 0.05, -0.0, 0.0};
  std::uint64_t prompt = 1;
  for (double s : scores) {
    acc.add(row(s, kDomains[prompt % kDomainCount].name, prompt, s));
    ++prompt;
  }
  QualityReport report = build_quality_report(acc, source());
  EXPECT_EQ(report.distinct_scores, 11u);  // 0.05 twice, -0 and 0 alike
  EXPECT_EQ(report.score_bins_used, 10u);
  const std::string all = page_text(report);
  EXPECT_NE(all.find("class_diversity                 11 \u2265 2     distinct scores\n"), std::string::npos)
      << all;
  EXPECT_NE(all.find("range_coverage               1.000 \u2265 0.8   score bins used: 10 of 10\n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("range coverage 1.0: 10 of 10 bins hold a score\n"), std::string::npos) << all;
  EXPECT_NE(all.find("  the gate: the pipeline's hard limits; it will not train when one fails\n"
                     "  \u2713 min_samples"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("  the plan: the goals the pipeline's plan states for a training set\n"
                     "  \u2713 no_invalid_values"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("0.3-0.4 and 0.6-0.7 empty by design"), std::string::npos) << all;
  EXPECT_EQ(all.find("gate minimum"), std::string::npos) << all;
  EXPECT_EQ(all.find("plan target"), std::string::npos) << all;
  expect_page_fits(report);
}

// An empty table, or one the gate empties, says so rather than counting checks.
TEST(QualityReport, PageSaysWhenNothingIsJudged) {
  QualityAccumulator empty;
  TableSource unfiltered = source();
  unfiltered.data_source.reset();
  unfiltered.only_active = false;
  EXPECT_NE(
      page_text(build_quality_report(empty, unfiltered)).find("Overall quality: FAIL: the table is empty\n"),
      std::string::npos);
  EXPECT_NE(
      page_text(build_quality_report(empty, source()))
          .find("Overall quality: FAIL: the table has no active rows\n  with data_source = 'synthetic'\n"),
      std::string::npos);
  QualityAccumulator dropped;
  dropped.add(row(1.5, "technical", 1));
  dropped.add(row(-1, "technical", 2));
  const std::string all = page_text(build_quality_report(dropped, source()));
  EXPECT_NE(all.find("Overall quality: FAIL: no valid rows to judge (the gate drops all 2)\n"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find("checks pass"), std::string::npos) << all;
}

// Every cell of the feature table and the checks keeps a blank before it and
// reads back as its value, for any finite value (1.00e+062.00e+07 ran
// together, -2.47e+09 lost its last digit).
TEST(QualityReport, ExtremeValuesKeepEveryCellApart) {
  QualityAccumulator acc;
  acc.add(row(0.5, "technical", 1));
  QualityReport report = build_quality_report(acc, source());
  const double extremes[] = {
      0.0,    1e6,     2e7,     -2.47e9, -99999.9995, 9999999.5, 123456.789, 1e308,   -1.7976931348623157e308,
      5e-324, -5e-324, -1e-300, -1e100,  12345678,    -12345678, 1e15,       -0.0004, 0.0005};
  for (double a : extremes) {
    for (double b : extremes) {
      for (std::size_t f = 0; f < kFeatureCount; ++f) {
        report.features[f] = {a, b, a, b};
        report.label_correlations[f] = b;
      }
      for (QualityCheck& c : report.checks) c.value = a;
      expect_page_fits(report);
      for (bool unicode : {true, false}) {
        PageStyle style;
        style.unicode = unicode;
        std::vector<std::string> page = quality_report_page(report, style);
        std::size_t feature_lines = 0;
        for (const std::string& line : page) {
          bool is_feature = false;
          for (std::size_t f = 0; f < kFeatureCount; ++f)
            if (line.rfind("  " + std::string(kFeatureNames[f]) + " ", 0) == 0) is_feature = true;
          if (!is_feature) continue;
          ++feature_lines;
          // The five cells end the line (8 columns each, r(score) 9), all ASCII.
          ASSERT_GE(line.size(), 4 * 8 + 9u) << line;
          std::string cells = line.substr(line.size() - (4 * 8 + 9));
          const double want[] = {a, b, a, b, b};
          for (std::size_t k = 0; k < 5; ++k) {
            std::string cell = cells.substr(k * 8, k < 4 ? 8 : 9);
            ASSERT_EQ(cell[0], ' ') << "cell " << k << " of: " << line;
            char* end = nullptr;
            double got = std::strtod(cell.c_str(), &end);
            EXPECT_EQ(*end, '\0') << "cell " << k << " of: " << line;
            if (std::isinf(got)) {  // the largest doubles round up to "2e308"
              EXPECT_GT(std::fabs(want[k]), 1.5e308) << line;
              continue;
            }
            // One significant digit at least; three decimals for small values.
            double tolerance = std::max(std::fabs(want[k]) * 0.5, 0.0006);
            EXPECT_NEAR(got, want[k], tolerance) << "cell " << k << " of: " << line;
          }
        }
        EXPECT_EQ(feature_lines, kFeatureCount);
      }
    }
  }
}

TEST(QualityReport, JsonKeysAreTheContract) {
  QualityAccumulator acc;
  QualityReport report = build_quality_report(acc, source());
  std::string json = quality_report_json(report);
  for (const char* key : {"table",
                          "layout",
                          "sample_count",
                          "valid_count",
                          "invalid",
                          "missing_features",
                          "wrong_dimension",
                          "non_numeric",
                          "non_finite",
                          "missing_score",
                          "score_out_of_range",
                          "min_samples_met",
                          "ensemble_ready",
                          "class_diversity",
                          "variance_sufficient",
                          "no_invalid_values",
                          "effectiveness",
                          "range_coverage",
                          "tiers",
                          "between",
                          "domain_distribution",
                          "unknown",
                          "domains_covered",
                          "features",
                          "feature_correlations",
                          "max_correlation",
                          "mean_correlation",
                          "correlation_threshold_met",
                          "label_signal",
                          "distinct_prompts",
                          "checks",
                          "overall_quality",
                          "thresholds"})
    EXPECT_NE(json.find(std::string("\"") + key + "\":"), std::string::npos) << key;
}

}  // namespace
}  // namespace synth

namespace synth {
namespace {

RowObservation row_of_dimension(std::size_t d, double base, double score) {
  RowObservation row;
  row.reset();
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = static_cast<std::uint32_t>(d);
  for (std::size_t i = 0; i < d; ++i) row.set_feature(i, ValueState::kNumber, base + static_cast<double>(i));
  row.score_state = ValueState::kNumber;
  row.score = score;
  return row;
}

// A fitted profile keeps the real rows' dimension: the report judges rows by
// the table's most common dimension (or the caller's) and counts the others.
TEST(QualityReport, JudgesRowsByTheMostCommonDimension) {
  QualityAccumulator acc;
  for (int i = 0; i < 30; ++i) acc.add(row_of_dimension(9, 0.01 * i, 0.02 * i));
  for (int i = 0; i < 5; ++i) acc.add(row_of_dimension(6, 0.1 * i, 0.1 * i));
  RowObservation nested;
  nested.reset();
  nested.feature_shape = FeatureShape::kNested;
  nested.feature_count = 4;
  acc.add(nested);
  EXPECT_EQ(acc.most_common_dimension(), 9u);

  QualityReport report = build_quality_report(acc, {});
  EXPECT_EQ(report.dimension, 9u);
  EXPECT_EQ(report.sample_count, 36u);
  EXPECT_EQ(report.valid_count, 30u);
  EXPECT_EQ(report.invalid[static_cast<std::size_t>(InvalidReason::kWrongDimension)],
            6u);  // 5 six-wide, 1 nested
  ASSERT_EQ(report.features.size(), 9u);
  EXPECT_EQ(report.feature_names[0], "f1");
  EXPECT_EQ(report.feature_names[8], "f9");
  EXPECT_TRUE(report.feature_histograms.empty());
  EXPECT_NEAR(report.features[8].mean.value(), 8 + 0.01 * 14.5, 1e-12);
  EXPECT_NEAR(report.label_correlations[3].value(), 1.0, 1e-12);  // f4 = 3 + score/2
  EXPECT_NEAR(report.linear_r2.value(), 1.0, 1e-9);

  TableSource named;
  for (int i = 0; i < 9; ++i) named.feature_names.push_back("p" + std::to_string(i));
  QualityReport with_names = build_quality_report(acc, named);
  EXPECT_EQ(with_names.feature_names[2], "p2");
  const std::string json = quality_report_json(with_names);
  EXPECT_NE(json.find("\"feature_dimension\": 9"), std::string::npos) << json.substr(0, 400);
  EXPECT_NE(json.find("\"name\": \"p8\""), std::string::npos);

  // The caller names six: the nine-wide rows are the wrong dimension now.
  QualityReport six = build_quality_report(acc, {}, {}, kFeatureCount);
  EXPECT_EQ(six.dimension, kFeatureCount);
  EXPECT_EQ(six.valid_count, 5u);
  EXPECT_EQ(six.invalid[static_cast<std::size_t>(InvalidReason::kWrongDimension)], 31u);
  EXPECT_EQ(six.feature_names[1], "length");
  EXPECT_EQ(six.feature_histograms.size(), kFeatureCount);

  // A dimension no row has: an empty report of that width, every row counted.
  QualityReport none = build_quality_report(acc, {}, {}, 3);
  EXPECT_EQ(none.valid_count, 0u);
  EXPECT_EQ(none.features.size(), 3u);
  EXPECT_FALSE(none.features[0].mean.has_value());
  for (const std::string& line : quality_report_page(with_names, PageStyle{}))
    EXPECT_LE(line.size(), 78u * 3) << line;  // bytes; block characters take three
}

TEST(QualityReport, TiesGoToSixThenTheSmallest) {
  QualityAccumulator acc;
  for (int i = 0; i < 3; ++i) acc.add(row_of_dimension(8, 0.1 * i, 0.2));
  for (int i = 0; i < 3; ++i) acc.add(row_of_dimension(4, 0.1 * i, 0.2));
  EXPECT_EQ(acc.most_common_dimension(), 4u);
  for (int i = 0; i < 3; ++i) acc.add(row_of_dimension(6, 0.1 * i, 0.2));
  EXPECT_EQ(acc.most_common_dimension(), 6u);
  QualityAccumulator empty;
  EXPECT_EQ(empty.most_common_dimension(), kFeatureCount);
}

// Up to 64 predictors: R^2 of a target that is an exact sum of them is 1.
TEST(LinearFit, ManyPredictors) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  QualityAccumulator acc;
  for (int i = 0; i < 2000; ++i) {
    RowObservation row = row_of_dimension(40, 0.0, 0.0);
    double sum = 0.0;
    for (std::size_t f = 0; f < 40; ++f) {
      const double v = unit(rng);
      row.set_feature(f, ValueState::kNumber, v);
      sum += v;
    }
    row.score = sum / 40.0;
    acc.add(row);
  }
  QualityReport report = build_quality_report(acc, {});
  EXPECT_EQ(report.dimension, 40u);
  EXPECT_NEAR(report.linear_r2.value(), 1.0, 1e-9);
}

}  // namespace
}  // namespace synth
