// The comparison itself: the inputs settled, the bounded samples drawn in one
// fixed order, then each measure in its own unit (compare_quality,
// compare_detection, compare_efficacy, compare_privacy).
#include "engine/compare/compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "engine/compare/compare_measures.hpp"
#include "engine/compare/compare_stats.hpp"
#include "engine/model/mixing.hpp"

namespace synth {
namespace {

using compare::choose_rows;
using compare::Random;
using compare::take_rows;

// Samples first: the full columns are sorted in place afterwards.
compare::Samples draw_samples(const SideColumns& real, const SideColumns& synthetic,
                              const SideColumns* holdout, std::uint64_t seed) {
  compare::Samples s;
  Random sampler(seed, kCompareSampleStream);
  s.boot_real = take_rows(real, choose_rows(real.rows(), kBootstrapSampleRows, sampler));
  s.boot_synthetic = take_rows(synthetic, choose_rows(synthetic.rows(), kBootstrapSampleRows, sampler));
  s.model_real = take_rows(real, choose_rows(real.rows(), kModelSampleRows, sampler));
  s.model_synthetic = take_rows(synthetic, choose_rows(synthetic.rows(), kModelSampleRows, sampler));
  s.dcr_queries = take_rows(synthetic, choose_rows(synthetic.rows(), kDcrQueryRows, sampler));
  s.dcr_reference = take_rows(real, choose_rows(real.rows(), kDcrReferenceRows, sampler));
  if (holdout) {
    s.holdout_rows = std::min({real.rows(), holdout->rows(), kDcrReferenceRows});
    s.holdout_real = take_rows(real, choose_rows(real.rows(), s.holdout_rows, sampler));
    s.holdout_reference = take_rows(*holdout, choose_rows(holdout->rows(), s.holdout_rows, sampler));
  }
  return s;
}

// With a holdout, on a stream of their own (the samples above stay as they
// were): the holdout's model sample and the synthetic rows augmentation adds
// to the real model sample, the loader's count and then the caller's ratio's.
void draw_holdout_samples(const SideColumns& synthetic, const SideColumns& holdout,
                          const CompareOptions& options, compare::Samples& s) {
  Random sampler(options.seed, kCompareHoldoutSampleStream);
  s.model_holdout = take_rows(holdout, choose_rows(holdout.rows(), kModelSampleRows, sampler));
  const std::size_t real = s.model_real.rows();
  const auto named = static_cast<std::size_t>(std::floor(options.augment_ratio * static_cast<double>(real)));
  for (std::size_t count : {loader_synthetic_rows(real), named})
    s.augment.push_back(take_rows(synthetic, choose_rows(synthetic.rows(), count, sampler)));
}

}  // namespace

CompareReport compare_sides(CompareSideInput real_in, CompareSideInput synthetic_in,
                            std::optional<CompareSideInput> holdout_in, const CompareOptions& options) {
  check_bootstrap(options.bootstrap);
  check_augment_ratio(options.augment_ratio);
  const PreparedSides prepared = prepare_sides(real_in, synthetic_in, holdout_in ? &*holdout_in : nullptr);
  const std::size_t d = prepared.dimension;

  CompareReport report;
  report.real = facts_of(real_in);
  report.synthetic = facts_of(synthetic_in);
  if (holdout_in) report.holdout = facts_of(*holdout_in);
  report.bootstrap = options.bootstrap;
  report.seed = options.seed;
  report.columns = prepared.columns;

  SideColumns& real = real_in.columns;
  SideColumns& synthetic = synthetic_in.columns;
  const compare::QualityLayout layout = compare::quality_layout(prepared);
  compare::Samples samples =
      draw_samples(real, synthetic, holdout_in ? &holdout_in->columns : nullptr, options.seed);
  if (holdout_in) draw_holdout_samples(synthetic, holdout_in->columns, options, samples);
  report.privacy.exact_copies = compare::count_exact_copies(real, synthetic);
  report.privacy.rows_checked = synthetic.rows();

  // Quality on every row (each side's pair figures before the sorts, kept for
  // the holdout); replicates on the bounded samples.
  const compare::SidePairs real_pairs = compare::side_pairs(layout, real);
  const compare::SidePairs synthetic_pairs = compare::side_pairs(layout, synthetic);
  compare::QualityValues full = compare::quality_of(layout, real_pairs, synthetic_pairs);
  compare::sort_columns(layout, real);
  compare::sort_columns(layout, synthetic);
  compare::quality_shapes(layout, real, synthetic, full);
  if (holdout_in) {
    report.against_holdout = compare::measure_against_holdout(layout, holdout_in->columns, real, real_pairs,
                                                              synthetic, synthetic_pairs, samples, options);
    holdout_in->columns = SideColumns();  // its samples are all we need now
  }
  const double median_score = compare::quantile(real.numeric[d], 0.5);
  report.bootstrap_rows_real = samples.boot_real.rows();
  report.bootstrap_rows_synthetic = samples.boot_synthetic.rows();
  Random resampler(options.seed, kCompareResampleStream);
  const compare::QualityReplicates reps =
      compare::quality_replicates(layout, samples.boot_real, samples.boot_synthetic, real.rows(),
                                  synthetic.rows(), options.bootstrap, resampler);
  compare::report_quality(layout, full, reps, real, synthetic, options.bootstrap, report);

  // Detection, then efficacy, on one stream of draws.
  Random model_random(options.seed, kCompareModelStream);
  const std::size_t categories = layout.domain ? layout.categories : 0;
  report.detection = compare::measure_detection(samples.model_real, samples.model_synthetic, layout.numeric,
                                                categories, options.bootstrap, model_random);
  compare::measure_efficacy(d, categories, samples, median_score, options.bootstrap, model_random, report);

  compare::measure_privacy(layout, real, samples, holdout_in.has_value(), options, report);
  if (holdout_in) {
    Random augment_random(options.seed, kCompareAugmentStream);
    report.augmentation =
        compare::measure_augmentation(d, categories, samples, {kLoaderSyntheticRatio, options.augment_ratio},
                                      options.bootstrap, augment_random);
  }
  return report;
}

}  // namespace synth
