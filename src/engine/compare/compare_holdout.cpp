// Measured against rows the fit never saw: the synthetic rows against the
// holdout beside the ceiling, the real (train) rows against the same holdout.
// No generator beats fresh real data there, so the gap to the ceiling is how
// far the synthetic rows are from "as good as fresh real data"; synthetic rows
// that score above the ceiling against their own train rows but not against
// the holdout have memorised.
#include "engine/compare/compare_measures.hpp"
#include "engine/model/mixing.hpp"

namespace synth::compare {

HoldoutFigures measure_against_holdout(const QualityLayout& layout, SideColumns& holdout,
                                       const SideColumns& real, const SidePairs& real_pairs,
                                       const SideColumns& synthetic, const SidePairs& synthetic_pairs,
                                       const Samples& samples, const CompareOptions& options) {
  HoldoutFigures out;
  out.rows = holdout.rows();
  const SidePairs holdout_pairs = side_pairs(layout, holdout);
  QualityValues versus_synthetic = quality_of(layout, holdout_pairs, synthetic_pairs);
  QualityValues versus_real = quality_of(layout, holdout_pairs, real_pairs);
  sort_columns(layout, holdout);
  quality_shapes(layout, holdout, synthetic, versus_synthetic);
  quality_shapes(layout, holdout, real, versus_real);
  out.quality = versus_synthetic.overall;
  out.quality_ceiling = versus_real.overall;
  out.shapes = versus_synthetic.shape_score;
  out.shapes_ceiling = versus_real.shape_score;
  out.trends = versus_synthetic.trend_score;
  out.trends_ceiling = versus_real.trend_score;
  out.column_shapes = versus_synthetic.shapes;
  out.column_ceilings = versus_real.shapes;

  // Detection on one stream of its own, so the figures without a holdout stay.
  Random random(options.seed, kCompareCeilingStream);
  const std::size_t categories = layout.domain ? layout.categories : 0;
  const DetectionFigures synthetic_detection = measure_detection(
      samples.model_holdout, samples.model_synthetic, layout.numeric, categories, 0, random);
  const DetectionFigures real_detection =
      measure_detection(samples.model_holdout, samples.model_real, layout.numeric, categories, 0, random);
  out.detection = synthetic_detection.score;
  out.detection_ceiling = real_detection.score;
  out.model_rows_holdout = samples.model_holdout.rows();
  out.model_rows_real = samples.model_real.rows();
  out.model_rows_synthetic = samples.model_synthetic.rows();
  return out;
}

}  // namespace synth::compare
