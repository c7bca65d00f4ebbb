// Quality, as SDMetrics' QualityReport scores it: each column's shape (KS or
// TV complement) and each pair's trend (correlation or contingency
// similarity), on every row, with subsample replicates on bounded samples.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/compare/compare_report.hpp"
#include "engine/compare/compare_sampling.hpp"
#include "engine/compare/compare_stats.hpp"

namespace synth::compare {

struct PairSpec {
  std::size_t first, second;  // second == numeric count: the domain
  bool contingency;
};

struct QualityLayout {
  std::size_t numeric = 0;  // feature columns + the score
  bool domain = false;
  std::size_t categories = 0;   // domain codes 0..categories-1 (the last: no domain)
  std::vector<PairSpec> pairs;  // in itertools.combinations order over the columns
  std::size_t columns() const { return numeric + (domain ? 1 : 0); }
};
QualityLayout quality_layout(const PreparedSides& prepared);

// One reading of the quality statistics (on every row, or one replicate).
struct QualityValues {
  std::vector<double> shapes;  // per column
  std::vector<double> pair_score, pair_real, pair_synthetic;
  std::vector<char> pair_counted;
  double shape_score = kNaN, trend_score = kNaN, overall = kNaN;
};

// One side's own pair figures (Pearson's r, or the binned table crossed with
// the domain) and domain totals; the columns must still be in row order.
struct SidePairs {
  std::vector<double> r;            // per pair (NaN for a contingency pair)
  std::vector<Contingency> tables;  // per pair (empty for a correlation pair)
  std::vector<double> totals;       // per domain code
};
SidePairs side_pairs(const QualityLayout& layout, const SideColumns& side, const double* weights = nullptr);

// The pair scores and the domain's TVComplement of `a` (as the real side)
// against `b`; the numeric shapes are left NaN (see quality_shapes).
QualityValues quality_of(const QualityLayout& layout, const SidePairs& a, const SidePairs& b);
// Sorts each numeric column of the side in place (after side_pairs).
void sort_columns(const QualityLayout& layout, SideColumns& side);
// The numeric columns' KSComplement of sorted sides, and the property scores.
void quality_shapes(const QualityLayout& layout, const SideColumns& a, const SideColumns& b,
                    QualityValues& v);

// Replicates of every quality statistic on quarter-subsamples of the bounded
// samples (see subsample_interval), and what
// rescales them to the full data (rows_a, rows_b: the full sides' rows).
struct QualityReplicates {
  QualityValues sample;  // the statistics on the samples themselves
  std::vector<std::vector<double>> shapes, pairs;
  std::vector<double> shape_score, trend_score, overall;
  double scale = 1.0;
};
QualityReplicates quality_replicates(const QualityLayout& layout, const SideColumns& boot_a,
                                     const SideColumns& boot_b, std::size_t rows_a, std::size_t rows_b,
                                     int bootstrap, Random& resampler);

// Writes the quality part of the report (sorted full sides, for the page's bars).
void report_quality(const QualityLayout& layout, const QualityValues& full, const QualityReplicates& reps,
                    const SideColumns& real, const SideColumns& synthetic, int bootstrap,
                    CompareReport& report);

}  // namespace synth::compare
