// The report as JSON text, for synth_validate (which turns it into jsonb).
#include <cstdint>
#include <string>

#include "engine/model/json_writer.hpp"
#include "engine/quality/quality_report.hpp"

namespace synth {
namespace {

void write_summary(JsonWriter& w, const ValueSummary& s) {
  w.key("min").number(s.min);
  w.key("max").number(s.max);
  w.key("mean").number(s.mean);
  w.key("std").number(s.std);
}

}  // namespace

std::string quality_report_json(const QualityReport& report) {
  JsonWriter w;
  w.begin_object();
  w.key("table").string(report.source.table);
  w.key("layout").string(report.source.layout);
  w.key("filter").begin_object();
  w.key("data_source").string_or_null(report.source.data_source);
  w.key("only_active").boolean(report.source.only_active);
  w.end_object();

  w.key("sample_count").count(report.sample_count);
  w.key("valid_count").count(report.valid_count);
  w.key("invalid").begin_object();
  for (std::size_t r = 0; r < kInvalidReasonCount; ++r)
    w.key(kInvalidReasonNames[r]).count(report.invalid[r]);
  w.end_object();

  w.key("min_samples_met").boolean(report.min_samples_met);
  w.key("ensemble_ready").boolean(report.ensemble_ready);
  w.key("class_diversity").boolean(report.class_diversity);
  w.key("variance_sufficient").boolean(report.variance_sufficient);
  w.key("no_invalid_values").boolean(report.no_invalid_values);

  w.key("effectiveness").begin_object();
  write_summary(w, report.score);
  w.key("range_coverage").number(report.range_coverage);
  w.end_object();

  w.key("tiers").begin_object();
  for (std::size_t t = 0; t < kTierCount; ++t) w.key(kTierNames[t]).count(report.tiers[t]);
  w.key("between").count(report.between_tiers);
  w.end_object();

  w.key("domain_distribution").begin_object();
  for (const auto& [name, count] : report.domain_distribution) w.key(name).count(count);
  w.end_object();
  w.key("domains_covered").count(report.domains_covered);

  w.key("feature_dimension").count(report.dimension);
  w.key("features").begin_array();
  for (std::size_t f = 0; f < report.dimension; ++f) {
    w.begin_object();
    w.key("name").string(report.feature_names[f]);
    write_summary(w, report.features[f]);
    w.end_object();
  }
  w.end_array();

  w.key("feature_correlations").begin_object();
  w.key("max_correlation").number(report.max_correlation);
  w.key("mean_correlation").number(report.mean_correlation);
  w.key("max_pair");
  if (report.max_correlation_pair) {
    w.begin_array();
    w.string(report.feature_names[report.max_correlation_pair->first]);
    w.string(report.feature_names[report.max_correlation_pair->second]);
    w.end_array();
  } else {
    w.null();
  }
  w.key("correlation_threshold_met").boolean(report.correlation_threshold_met);
  w.end_object();

  w.key("label_signal").begin_object();
  w.key("correlations").begin_object();
  for (std::size_t f = 0; f < report.dimension; ++f)
    w.key(report.feature_names[f]).number(report.label_correlations[f]);
  w.end_object();
  w.key("linear_r2").number(report.linear_r2);
  w.end_object();

  w.key("distinct_prompts").begin_object();
  w.key("count");
  if (report.distinct_prompts)
    w.count(*report.distinct_prompts);
  else
    w.null();
  w.key("method");
  if (report.distinct_prompts)
    w.string(report.distinct_prompts_exact ? "exact" : "hyperloglog");
  else
    w.null();
  w.end_object();

  w.key("checks").begin_array();
  for (const QualityCheck& check : report.checks) {
    w.begin_object();
    w.key("name").string(check.name);
    w.key("passed").boolean(check.passed);
    w.key("value").number(check.value);
    w.key("threshold").number(check.threshold);
    w.end_object();
  }
  w.end_array();
  w.key("overall_quality").boolean(report.overall_quality);

  // Keyed by check name; the values come from report.thresholds via the checks.
  w.key("thresholds").begin_object();
  for (const QualityCheck& check : report.checks) w.key(check.name).number(check.threshold);
  w.key("score_range").begin_array().number(0.0).number(1.0).end_array();
  w.key("tier_bands").begin_object();
  for (std::size_t tier = 0; tier < kTierCount; ++tier)
    w.key(kTierNames[tier])
        .begin_array()
        .number(kTierBands[tier].low)
        .number(kTierBands[tier].high)
        .end_array();
  w.end_object();
  w.end_object();

  w.end_object();
  return w.take();
}

}  // namespace synth
