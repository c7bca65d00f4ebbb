// Detection: can a logistic model tell two sides apart (SDMetrics'
// LogisticDetection, stratified 3 folds), with AUC replicates for its interval.
#include <vector>

#include "engine/compare/compare_folds.hpp"
#include "engine/compare/compare_measures.hpp"
#include "engine/model/interrupt.hpp"

namespace synth::compare {

DetectionFigures measure_detection(const SideColumns& a, const SideColumns& b, std::size_t numeric,
                                   std::size_t categories, int bootstrap, Random& random) {
  DetectionFigures out;
  const Encoder encoder = make_encoder({&a, &b}, numeric, categories);
  Design design;
  design.width = encoder.width();
  for (std::size_t i = 0; i < a.rows(); ++i) encoder.append(a, i, design.values), design.labels.push_back(0);
  for (std::size_t i = 0; i < b.rows(); ++i) encoder.append(b, i, design.values), design.labels.push_back(1);
  const std::vector<FoldScores> folds = cross_validate(design, kFolds, random);
  std::vector<double> aucs;
  for (const FoldScores& f : folds) aucs.push_back(f.auc);
  out.score = detection_score(aucs);
  out.auc = finite_mean(aucs);
  out.rows_real = a.rows();
  out.rows_synthetic = b.rows();
  std::vector<double> reps, weights;
  for (int r = 0; r < bootstrap; ++r) {
    check_interrupt();
    std::vector<double> rep_aucs;
    for (const FoldScores& f : folds) rep_aucs.push_back(auc_replicate(f, random, weights));
    reps.push_back(detection_score(rep_aucs));
  }
  if (bootstrap > 0) out.interval = plain_interval(reps, out.score, 0.0, 1.0);
  return out;
}

}  // namespace synth::compare
