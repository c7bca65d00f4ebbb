#include "engine/quality/quality_report.hpp"

#include <algorithm>
#include <cmath>

#include "engine/quality/linear_fit.hpp"

namespace synth {
namespace {

using Stats = DimensionStats;

ValueSummary summarize(const Stats& stats, std::size_t variable) {
  ValueSummary summary;
  const auto& moments = stats.moments();
  if (moments.count() == 0) return summary;
  summary.min = stats.min(variable);
  summary.max = stats.max(variable);
  summary.mean = moments.mean(variable);
  summary.std = moments.std_dev(variable);
  return summary;
}

// Pearson's r from co-moments; undefined when either variable is constant.
std::optional<double> correlation(const Stats& stats, std::size_t a, std::size_t b) {
  return stats.moments().correlation(a, b);
}

QualityCheck make_check(std::string_view name, CheckSource source, std::optional<double> value,
                        double threshold, Comparison comparison, std::string meaning) {
  QualityCheck check;
  check.name = name;
  check.source = source;
  check.value = value;
  check.threshold = threshold;
  check.comparison = comparison;
  check.meaning = std::move(meaning);
  check.passed =
      value.has_value() && (comparison == Comparison::kAtLeast ? *value >= threshold : *value <= threshold);
  return check;
}

// Rows read, valid rows of the report's dimension, and the rows the gate
// drops by reason (rows of other dimensions count as of the wrong dimension).
void count_rows(QualityReport& report, const QualityAccumulator& table, const Stats& stats) {
  report.sample_count = table.sample_count();
  report.valid_count = stats.valid_count();
  for (std::size_t r = 0; r < kInvalidReasonCount; ++r) {
    const auto reason = static_cast<InvalidReason>(r);
    report.invalid[r] = table.undimensioned_invalid(reason) + stats.invalid_count(reason);
  }
  report.invalid[static_cast<std::size_t>(InvalidReason::kWrongDimension)] +=
      table.rows_of_other_dimensions(report.dimension);
}

void name_features(QualityReport& report) {
  const std::size_t dim = report.dimension;
  const std::vector<std::string>& given = report.source.feature_names;
  for (std::size_t f = 0; f < dim; ++f) {
    if (given.size() == dim && !given[f].empty())
      report.feature_names.push_back(given[f]);
    else if (dim == kFeatureCount)
      report.feature_names.emplace_back(kFeatureNames[f]);
    else
      report.feature_names.push_back("f" + std::to_string(f + 1));
  }
}

void describe_scores(QualityReport& report, const Stats& stats) {
  report.score = summarize(stats, stats.score_index());
  report.score_histogram = stats.score_histogram();
  std::size_t filled_bins = 0;
  for (std::size_t b = 0; b < kScoreHistogram.bins; ++b)
    if (report.score_histogram.bins[b] > 0) ++filled_bins;
  report.score_bins_used = filled_bins;
  report.range_coverage = static_cast<double>(filled_bins) / static_cast<double>(kScoreHistogram.bins);
  for (std::size_t t = 0; t < kTierCount; ++t) report.tiers[t] = stats.tier_count(t);
  report.between_tiers = stats.between_tiers();
  report.distinct_scores = stats.scores().count();
  report.distinct_scores_exact = stats.scores().is_exact();
}

void describe_domains(QualityReport& report, const Stats& stats) {
  const DomainCounter& domains = stats.domains();
  for (std::size_t k = 0; k < kDomainCount; ++k) {
    report.domain_distribution.emplace_back(std::string(kDomains[k].name), domains.known(k));
    if (domains.known(k) > 0) ++report.domains_covered;
  }
  auto others = domains.named_others();
  std::sort(others.begin(), others.end());
  for (auto& other : others) report.domain_distribution.push_back(std::move(other));
  if (domains.other() > 0) report.domain_distribution.emplace_back("other", domains.other());
  report.domain_distribution.emplace_back("unknown", domains.unknown());
}

// Each feature's summary, histogram and correlation with the score; the
// largest and mean |r| between features; the R2 of a linear fit.
void describe_features(QualityReport& report, const Stats& stats) {
  const std::size_t dim = report.dimension;
  for (std::size_t f = 0; f < dim; ++f) {
    report.features.push_back(summarize(stats, f));
    if (stats.has_feature_histograms()) report.feature_histograms.push_back(stats.feature_histogram(f));
    report.label_correlations.push_back(correlation(stats, f, stats.score_index()));
  }

  double sum = 0.0;
  std::size_t defined = 0;
  for (std::size_t a = 0; a < dim; ++a) {
    for (std::size_t b = a + 1; b < dim; ++b) {
      std::optional<double> r = correlation(stats, a, b);
      if (!r) continue;
      const double magnitude = std::fabs(*r);
      sum += magnitude;
      ++defined;
      if (!report.max_correlation || magnitude > *report.max_correlation) {
        report.max_correlation = magnitude;
        report.max_correlation_pair = std::make_pair(a, b);
      }
    }
  }
  if (defined > 0) report.mean_correlation = sum / static_cast<double>(defined);

  const std::size_t variables = dim + 1;
  std::vector<double> comoments(variables * variables, 0.0);
  for (std::size_t i = 0; i < variables; ++i)
    for (std::size_t j = 0; j < variables; ++j)
      comoments[i * variables + j] = stats.moments().scaled_comoment(i, j);
  if (stats.valid_count() >= 2) report.linear_r2 = explained_variance(comoments.data(), variables);
}

// The gate's checks, then the plan's, in the order the report lists them.
void add_checks(QualityReport& report) {
  const QualityThresholds& t = report.thresholds;
  const auto valid = static_cast<double>(report.valid_count);
  std::size_t filled_tiers = 0;
  for (std::uint64_t count : report.tiers)
    if (count > 0) ++filled_tiers;
  auto& checks = report.checks;
  const CheckSource gate = CheckSource::kGate;
  const CheckSource plan = CheckSource::kPlan;
  checks.push_back(make_check("min_samples", gate, valid, t.min_samples, Comparison::kAtLeast, "valid rows"));
  checks.push_back(make_check("ensemble_ready", gate, valid, t.ensemble_samples, Comparison::kAtLeast,
                              "valid rows, ensembles"));
  checks.push_back(make_check(
      "class_diversity", gate, static_cast<double>(report.distinct_scores), t.min_distinct_scores,
      Comparison::kAtLeast, report.distinct_scores_exact ? "distinct scores" : "distinct scores (estimate)"));
  checks.push_back(make_check("variance_sufficient", gate, report.score.std, t.min_score_std,
                              Comparison::kAtLeast, "score std"));
  std::uint64_t invalid_rows = 0;
  for (std::uint64_t count : report.invalid) invalid_rows += count;
  checks.push_back(make_check("no_invalid_values", plan, static_cast<double>(invalid_rows),
                              t.max_invalid_rows, Comparison::kAtMost, "rows the gate drops"));
  checks.push_back(
      make_check("target_sample_count", plan, valid, t.target_samples, Comparison::kAtLeast, "valid rows"));
  checks.push_back(make_check("target_score_std", plan, report.score.std, t.target_score_std,
                              Comparison::kAtLeast, "score std"));
  checks.push_back(make_check("three_tiers", plan, static_cast<double>(filled_tiers), t.target_tiers,
                              Comparison::kAtLeast, "tiers holding scores"));
  checks.push_back(make_check("domains_covered", plan, static_cast<double>(report.domains_covered),
                              t.target_domains, Comparison::kAtLeast, "known domains with rows"));
  checks.push_back(make_check("range_coverage", plan, report.range_coverage, t.min_range_coverage,
                              Comparison::kAtLeast,
                              "score bins used: " + std::to_string(report.score_bins_used) + " of " +
                                  std::to_string(kScoreHistogram.bins)));
  checks.push_back(make_check("correlation_threshold_met", plan, report.max_correlation,
                              t.max_feature_correlation, Comparison::kAtMost, "max |r| between features"));
  checks.push_back(make_check("label_signal", plan, report.linear_r2, t.min_label_r2, Comparison::kAtLeast,
                              "R2 of a linear fit on features"));

  auto passed = [&](std::string_view name) {
    for (const QualityCheck& check : checks)
      if (check.name == name) return check.passed;
    return false;
  };
  report.min_samples_met = passed("min_samples");
  report.ensemble_ready = passed("ensemble_ready");
  report.class_diversity = passed("class_diversity");
  report.variance_sufficient = passed("variance_sufficient");
  report.no_invalid_values = passed("no_invalid_values");
  report.correlation_threshold_met = passed("correlation_threshold_met");
  report.overall_quality =
      std::all_of(checks.begin(), checks.end(), [](const QualityCheck& c) { return c.passed; });
}

}  // namespace

QualityReport build_quality_report(const QualityAccumulator& table, TableSource source,
                                   const QualityThresholds& thresholds,
                                   std::optional<std::size_t> dimension) {
  QualityReport report;
  report.source = std::move(source);
  report.thresholds = thresholds;
  report.dimension = dimension.value_or(table.most_common_dimension());
  const Stats no_rows(report.dimension);
  const Stats& stats =
      table.dimension_stats(report.dimension) ? *table.dimension_stats(report.dimension) : no_rows;
  count_rows(report, table, stats);
  name_features(report);
  describe_scores(report, stats);
  describe_domains(report, stats);
  describe_features(report, stats);
  if (report.source.has_prompt_column) {
    report.distinct_prompts = stats.prompts().count();
    report.distinct_prompts_exact = stats.prompts().is_exact();
  }
  add_checks(report);
  return report;
}

}  // namespace synth
