// The quality report of a training table: the facts the pipeline's ML gate and
// its plan care about, built from a QualityAccumulator, written as JSON
// (synth_validate) or as a page of text for psql (synth_report).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/model/domain_table.hpp"
#include "engine/model/page_text.hpp"
#include "engine/quality/quality_accumulator.hpp"
#include "engine/rows/row_observation.hpp"
#include "engine/rows/table_source.hpp"

namespace synth {

// docs/design.md §1: the gate's hard limits, then the plan's targets.
struct QualityThresholds {
  double min_samples = 10;         // gate: fewer valid rows refuse the set
  double ensemble_samples = 20;    // gate: ensembles need this many
  double min_distinct_scores = 2;  // gate: a single class cannot be split
  double min_score_std = 0.05;     // gate: score std below refuses the set
  double max_invalid_rows = 0;     // plan: no NaN/inf, nothing the gate drops
  double target_samples = 1000;    // plan: 1000+ rows
  double target_score_std = 0.15;  // plan
  double target_tiers = 3;         // plan: low, medium and high all present
  double target_domains = 5;       // plan: 5+ domains
  // Plan: "the whole 0..1 range covered". The tier bands leave the bins
  // [0.3, 0.4) and [0.6, 0.7) empty by design, so 8 of 10 bins is full coverage.
  double min_range_coverage = 0.8;
  double max_feature_correlation = 0.8;  // no two features nearly redundant
  // Scores a model can learn: a linear fit on the six features must explain at
  // least this share of score variance (independent scores explain ~0).
  double min_label_r2 = 0.2;
};

struct ValueSummary {  // over valid rows; no values for an empty set
  std::optional<double> min;
  std::optional<double> max;
  std::optional<double> mean;
  std::optional<double> std;  // population standard deviation (numpy's default)
};

enum class Comparison { kAtLeast, kAtMost };

// Whose limit a check applies: the pipeline's gate (below it the pipeline
// refuses to train on the rows) or its plan (the goals it states for a
// training set).
enum class CheckSource { kGate, kPlan };

struct QualityCheck {
  std::string_view name;
  CheckSource source = CheckSource::kPlan;
  bool passed = false;
  std::optional<double> value;  // a check without a value fails
  double threshold = 0.0;
  Comparison comparison = Comparison::kAtLeast;
  std::string meaning;  // one line for the report page
};

struct QualityReport {
  TableSource source;
  QualityThresholds thresholds;

  std::uint64_t sample_count = 0;
  std::uint64_t valid_count = 0;
  std::array<std::uint64_t, kInvalidReasonCount> invalid{};

  bool min_samples_met = false;
  bool ensemble_ready = false;
  bool class_diversity = false;
  bool variance_sufficient = false;
  bool no_invalid_values = false;

  ValueSummary score;
  double range_coverage = 0.0;      // share of the ten 0.1-wide bins of [0, 1] holding a score
  std::size_t score_bins_used = 0;  // those bins, counted
  Histogram score_histogram;
  std::array<std::uint64_t, kTierCount> tiers{};
  std::uint64_t between_tiers = 0;

  std::vector<std::pair<std::string, std::uint64_t>> domain_distribution;
  std::size_t domains_covered = 0;

  // The dimension the report is about (the caller's, or the table's most
  // common), and its features' names: metadata.feature_names when they have
  // that many elements, the pipeline's six names for six, else f1..fd.
  std::size_t dimension = kFeatureCount;
  std::vector<std::string> feature_names;
  std::vector<ValueSummary> features;
  std::vector<Histogram> feature_histograms;  // six features only (their ranges are the pipeline's)

  // Absolute pairwise Pearson correlations; pairs with a constant feature are undefined.
  std::optional<double> max_correlation;
  std::optional<double> mean_correlation;
  std::optional<std::pair<std::size_t, std::size_t>> max_correlation_pair;
  bool correlation_threshold_met = false;

  std::vector<std::optional<double>> label_correlations;
  std::optional<double> linear_r2;

  std::uint64_t distinct_scores = 0;  // over valid rows
  bool distinct_scores_exact = true;  // else a HyperLogLog estimate (beyond 65536)

  std::optional<std::uint64_t> distinct_prompts;  // over valid rows; none without a prompt column
  bool distinct_prompts_exact = true;

  std::vector<QualityCheck> checks;
  bool overall_quality = false;
};

// dimension: the feature dimension the report judges rows by (1..kMaxProfileFeatures);
// none: the table's most common.
QualityReport build_quality_report(const QualityAccumulator& stats, TableSource source,
                                   const QualityThresholds& thresholds = {},
                                   std::optional<std::size_t> dimension = std::nullopt);

// The report as JSON text: every number finite (null where undefined).
std::string quality_report_json(const QualityReport& report);

// The same facts as lines of text for psql.
std::vector<std::string> quality_report_page(const QualityReport& report, const PageStyle& style);

}  // namespace synth
