// synth_compare's report: how close the synthetic rows are to the real ones
// (SDMetrics 0.29's single-table QualityReport, number for number), whether a
// classifier tells them apart (detection), whether a model trained on them
// transfers (efficacy), and whether they copy real rows (privacy); every score
// with a 95% bootstrap interval and the counts behind it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/compare/compare_interval.hpp"
#include "engine/compare/compare_side.hpp"
#include "engine/model/limits.hpp"
#include "engine/quality/quality_report.hpp"

namespace synth {

// Bounded samples (per side) for the parts that cost more than a sort.
inline constexpr std::size_t kBootstrapSampleRows = 10000;  // quality replicates
inline constexpr std::size_t kModelSampleRows = 5000;       // detection and efficacy fits
// An AUC's chance level (0.5 whatever the class shares), and the margin the
// lower end of TRTR's interval must clear before the ratio means anything:
// features that barely predict the score (noise-only rows reach TRTR 0.55,
// significantly but uselessly above 0.5) make TSTR/TRTR a ratio of two
// coin flips.
inline constexpr double kChanceAuc = 0.5;
inline constexpr double kChanceMargin = 0.1;
inline constexpr std::size_t kDcrQueryRows = 1000;       // synthetic rows whose DCR is measured
inline constexpr std::size_t kDcrReferenceRows = 10000;  // real (and holdout) rows searched
inline constexpr std::size_t kFolds = 3;                 // SDMetrics' LogisticDetection uses 3

struct CompareOptions {
  int bootstrap = kDefaultBootstrap;  // 0: no intervals
  std::uint64_t seed = 0;
  double augment_ratio = kDefaultAugmentRatio;  // synthetic rows per real row, beside the loader's
};

struct CompareSideInput {
  SideColumns columns;
  TableSource source;
  std::uint64_t rows_read = 0;
  std::array<std::uint64_t, kInvalidReasonCount> invalid{};
};

struct SideFacts {
  TableSource source;
  std::uint64_t rows_read = 0;
  std::uint64_t rows = 0;  // valid rows compared
  std::array<std::uint64_t, kInvalidReasonCount> invalid{};
  std::size_t dimension = 0;
  bool has_domain = false;
};

inline constexpr std::size_t kPageBins = 12;

struct ColumnShape {
  std::string name;
  std::string metric;  // KSComplement or TVComplement
  double score = 0.0;
  Interval interval;
  // For the page: shares of each side in equal bins over both sides' range
  // (numeric), or per domain (categorical, at most kPageBins domains).
  std::array<double, kPageBins> real_shares{}, synthetic_shares{};
  // Categorical: what each bin holds, in order (a domain's name, "(none)" for
  // rows without one); empty for a numeric column.
  std::vector<std::string> bin_labels;
};

struct PairTrend {
  std::string first, second;
  std::string metric;  // CorrelationSimilarity or ContingencySimilarity
  double score = 0.0;
  double real = 0.0;       // Pearson's r, or Cramer's V for a contingency pair
  double synthetic = 0.0;  // the same on the synthetic rows
  bool counted = false;    // the real data shows a trend: |r| > 0.5, or V > 0.3
  Interval interval;
};

struct DetectionFigures {
  double score = 0.0;
  Interval interval;
  double auc = 0.0;  // mean held-out AUC over the folds
  std::size_t folds = kFolds;
  std::size_t rows_real = 0, rows_synthetic = 0;
};

// With a holdout: the synthetic rows against real rows the fit never saw,
// beside the ceiling, the real (train) rows against the same holdout. Holdout
// plays the real side in both (as SDMetrics' real_data).
struct HoldoutFigures {
  double quality = 0.0, quality_ceiling = 0.0;
  double shapes = 0.0, shapes_ceiling = 0.0;
  double trends = 0.0, trends_ceiling = 0.0;  // NaN when no pair counts
  double detection = 0.0, detection_ceiling = 0.0;
  std::vector<double> column_shapes, column_ceilings;  // in shape_columns order
  std::size_t rows = 0;                                // holdout rows in the quality scores
  std::size_t model_rows_holdout = 0, model_rows_real = 0, model_rows_synthetic = 0;
};

// With a holdout: the pipeline-style model (a median split of its own
// training scores) trained on the real rows, and on the real rows plus
// synthetic ones at a ratio, each scored on the holdout (accuracy).
struct AugmentArm {
  std::string name;  // "loader" or "named"
  double ratio = 0.0;
  std::size_t synthetic_rows = 0;
  double accuracy = 0.0;
  double difference = 0.0;  // accuracy - the real rows' alone
  Interval interval;        // of the difference
};

struct AugmentFigures {
  std::size_t real_rows = 0, holdout_rows = 0;
  double real_accuracy = 0.0;
  std::vector<AugmentArm> arms;
};

struct CompareReport {
  SideFacts real, synthetic;
  std::optional<SideFacts> holdout;
  std::vector<std::string> columns;
  int bootstrap = 0;
  std::uint64_t seed = 0;
  std::size_t bootstrap_rows_real = 0, bootstrap_rows_synthetic = 0;

  double quality = 0.0;
  Interval quality_interval;
  double shapes = 0.0;
  Interval shapes_interval;
  std::vector<ColumnShape> shape_columns;
  double trends = 0.0;  // NaN when no pair counts
  Interval trends_interval;
  std::size_t counted_pairs = 0;
  std::vector<PairTrend> pairs;

  DetectionFigures detection;

  struct {
    double threshold = 0.0;  // median real score: a row is "high" above it
    double tstr_auc = 0.0, trtr_auc = 0.0, ratio = 0.0;
    Interval tstr_interval, trtr_interval, ratio_interval;
    std::size_t rows_real = 0, rows_synthetic = 0;
    // TRTR's 95% lower bound (Hanley-McNeil standard error, whatever the
    // bootstrap), and whether it clears kChanceAuc + kChanceMargin: only then
    // does the ratio say whether the synthetic rows transfer.
    double trtr_low = 0.0;
    bool above_chance = false;
  } efficacy;

  struct {
    std::uint64_t exact_copies = 0;
    std::uint64_t rows_checked = 0;  // every synthetic row
    double exact_copy_share = 0.0;
    Interval exact_copy_interval;
    double dcr_median = 0.0;
    Interval dcr_interval;
    std::size_t dcr_rows_synthetic = 0, dcr_rows_real = 0;
    bool has_holdout = false;
    double closer_to_real = 0.0;  // share of synthetic rows nearer the real rows than the holdout
    Interval closer_interval;
    std::size_t holdout_rows = 0;  // real and holdout references, each this size
  } privacy;

  std::optional<HoldoutFigures> against_holdout;
  std::optional<AugmentFigures> augmentation;
};

// What every form of the comparison checks and settles first: rows with a
// non-finite value dropped (counted as non_finite), at least 2 valid rows on
// each side, one dimension, one dictionary of domain codes for every side
// (no domain: the last code), and the column names. Raises synth::Error for
// sides that cannot be compared.
struct PreparedSides {
  std::size_t dimension = 0;
  std::vector<std::string>
      columns;  // the features, effectiveness_score, then "domain" when both sides have one
  bool domain = false;
  std::size_t categories = 0;  // domain codes 0..categories-1
};
PreparedSides prepare_sides(CompareSideInput& real, CompareSideInput& synthetic, CompareSideInput* holdout);
SideFacts facts_of(const CompareSideInput& side);

// Raises 22023 unless bootstrap is within kMinBootstrap..kMaxBootstrap.
void check_bootstrap(int bootstrap);
// Raises 22023 unless augment_ratio is finite and within (0, kMaxAugmentRatio].
void check_augment_ratio(double augment_ratio);

// How many synthetic rows the pipeline's loader puts beside `real` real rows:
// max(min_samples - R, floor(0.3 R)) with min_samples = 20.
std::size_t loader_synthetic_rows(std::size_t real);

// Compares the sides; raises synth::Error for sides that cannot be compared
// (fewer than two valid rows, dimensions that differ, features named apart).
CompareReport compare_sides(CompareSideInput real, CompareSideInput synthetic,
                            std::optional<CompareSideInput> holdout, const CompareOptions& options);

std::string compare_report_json(const CompareReport& report);
std::vector<std::string> compare_report_page(const CompareReport& report, const PageStyle& style);

}  // namespace synth
