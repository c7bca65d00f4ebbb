// Augmentation: does adding synthetic rows to the real ones help the
// pipeline's model? Its kind of model (a median split of its own training
// scores, here the comparison's logistic regression) trained on the real rows
// alone and on the real rows plus synthetic ones at the loader's ratio and at
// the caller's, each scored on the holdout; the differences with paired
// bootstrap intervals over the holdout rows.
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/compare/compare_folds.hpp"
#include "engine/compare/compare_measures.hpp"
#include "engine/compare/compare_stats.hpp"
#include "engine/model/interrupt.hpp"

namespace synth::compare {
namespace {

// A model with its own training median: a row is "high" above it.
struct MedianSplitModel {
  LogisticModel model;
  double threshold = kNaN;
  bool usable = false;
};

MedianSplitModel train(const Encoder& encoder, std::size_t d, const std::vector<const SideColumns*>& sides) {
  MedianSplitModel out;
  std::vector<double> scores;
  for (const SideColumns* s : sides) scores.insert(scores.end(), s->numeric[d].begin(), s->numeric[d].end());
  out.threshold = quantile(scores, 0.5);
  Design design;
  design.width = encoder.width();
  for (const SideColumns* s : sides)
    for (std::size_t i = 0; i < s->rows(); ++i) {
      encoder.append(*s, i, design.values);
      design.labels.push_back(s->numeric[d][i] > out.threshold ? 1.0 : 0.0);
    }
  out.usable = both_classes(design);
  if (out.usable) out.model = fit_logistic(design);
  return out;
}

// 1 where the model's call on a holdout row is right, 0 where not.
std::vector<double> hits(const MedianSplitModel& m, const Encoder& encoder, std::size_t d,
                         const SideColumns& holdout) {
  std::vector<double> out(holdout.rows(), kNaN);
  if (!m.usable) return out;
  std::vector<double> row;
  for (std::size_t i = 0; i < holdout.rows(); ++i) {
    row.clear();
    encoder.append(holdout, i, row);
    const bool high = m.model.predict(row.data()) > 0.0;
    out[i] = high == (holdout.numeric[d][i] > m.threshold) ? 1.0 : 0.0;
  }
  return out;
}

double weighted_mean(const std::vector<double>& values, const std::vector<double>* weights) {
  double sum = 0.0, total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double w = weights ? (*weights)[i] : 1.0;
    sum += w * values[i], total += w;
  }
  return total > 0 ? sum / total : kNaN;
}

}  // namespace

AugmentFigures measure_augmentation(std::size_t d, std::size_t categories, const Samples& samples,
                                    const std::vector<double>& ratios, int bootstrap, Random& random) {
  AugmentFigures out;
  const SideColumns& real = samples.model_real;
  const SideColumns& holdout = samples.model_holdout;
  out.real_rows = real.rows();
  out.holdout_rows = holdout.rows();
  const Encoder encoder = make_encoder({&real}, d, categories);
  const std::vector<double> base = hits(train(encoder, d, {&real}), encoder, d, holdout);
  out.real_accuracy = weighted_mean(base, nullptr);
  for (std::size_t a = 0; a < ratios.size(); ++a) {
    AugmentArm arm;
    arm.name = a == 0 ? "loader" : "named";
    arm.ratio = ratios[a];
    const SideColumns& added = samples.augment[a];
    arm.synthetic_rows = added.rows();
    const std::vector<double> mixed = hits(train(encoder, d, {&real, &added}), encoder, d, holdout);
    arm.accuracy = weighted_mean(mixed, nullptr);
    arm.difference = arm.accuracy - out.real_accuracy;
    std::vector<double> diff(base.size());
    for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = mixed[i] - base[i];
    std::vector<double> reps;
    for (int b = 0; b < bootstrap; ++b) {
      check_interrupt();
      const std::vector<double> w = resample_counts(diff.size(), random);
      reps.push_back(weighted_mean(diff, &w));
    }
    if (bootstrap > 0) arm.interval = plain_interval(reps, arm.difference, -1.0, 1.0);
    out.arms.push_back(arm);
  }
  return out;
}

}  // namespace synth::compare
