// Efficacy (TSTR against TRTR): is a real row's score above the real median,
// predicted from its features by a model trained on synthetic rows, and by
// one cross-validated on real rows; AUC replicates for the intervals.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "engine/compare/compare_folds.hpp"
#include "engine/compare/compare_measures.hpp"
#include "engine/model/interrupt.hpp"

namespace synth::compare {
namespace {

// The lower end of a 95% normal interval for an AUC over `positives` and
// `negatives` rows, by Hanley and McNeil's (1982) standard error.
double auc_lower_bound(double auc, double positives, double negatives) {
  if (!std::isfinite(auc) || positives < 1 || negatives < 1) return kNaN;
  const double q1 = auc / (2.0 - auc), q2 = 2.0 * auc * auc / (1.0 + auc);
  const double variance =
      (auc * (1.0 - auc) + (positives - 1.0) * (q1 - auc * auc) + (negatives - 1.0) * (q2 - auc * auc)) /
      (positives * negatives);
  return auc - 1.96 * std::sqrt(std::max(0.0, variance));
}

}  // namespace

void measure_efficacy(std::size_t d, std::size_t categories, const Samples& samples, double median_score,
                      int bootstrap, Random& random, CompareReport& report) {
  auto& efficacy = report.efficacy;
  efficacy.threshold = median_score;
  const Encoder encoder = make_encoder({&samples.model_real}, d, categories);
  const auto design_of = [&](const SideColumns& side) {
    Design design;
    design.width = encoder.width();
    for (std::size_t i = 0; i < side.rows(); ++i) {
      encoder.append(side, i, design.values);
      design.labels.push_back(side.numeric[d][i] > median_score ? 1.0 : 0.0);
    }
    return design;
  };
  const Design real_design = design_of(samples.model_real);
  const Design synthetic_design = design_of(samples.model_synthetic);
  efficacy.rows_real = samples.model_real.rows();
  efficacy.rows_synthetic = samples.model_synthetic.rows();
  FoldScores tstr;
  std::vector<FoldScores> trtr;
  if (both_classes(real_design)) {
    trtr = cross_validate(real_design, kFolds, random);
    if (both_classes(synthetic_design)) tstr = score_rows(fit_logistic(synthetic_design), real_design);
  }
  std::vector<double> trtr_aucs;
  for (const FoldScores& f : trtr) trtr_aucs.push_back(f.auc);
  efficacy.trtr_auc = trtr.empty() ? kNaN : finite_mean(trtr_aucs);
  efficacy.tstr_auc = tstr.scores.empty() ? kNaN : tstr.auc;
  efficacy.ratio = efficacy.tstr_auc / efficacy.trtr_auc;
  // Every real row is scored once across the folds, so the fold mean has
  // about the spread of one AUC over all of them.
  double positives = 0.0;
  for (double label : real_design.labels) positives += label;
  const double negatives = static_cast<double>(real_design.labels.size()) - positives;
  efficacy.trtr_low = auc_lower_bound(efficacy.trtr_auc, positives, negatives);
  efficacy.above_chance = efficacy.trtr_low >= kChanceAuc + kChanceMargin;
  if (bootstrap <= 0 || trtr.empty()) return;
  std::vector<double> tstr_reps, trtr_reps, ratio_reps, weights;
  for (int b = 0; b < bootstrap; ++b) {
    check_interrupt();
    double sum = 0.0;
    for (const FoldScores& f : trtr) sum += auc_replicate(f, random, weights);
    const double trtr_rep = sum / static_cast<double>(trtr.size());
    const double tstr_rep = tstr.scores.empty() ? kNaN : auc_replicate(tstr, random, weights);
    trtr_reps.push_back(trtr_rep);
    tstr_reps.push_back(tstr_rep);
    ratio_reps.push_back(tstr_rep / trtr_rep);
  }
  const double inf = std::numeric_limits<double>::infinity();
  efficacy.trtr_interval = plain_interval(trtr_reps, efficacy.trtr_auc, 0.0, 1.0);
  efficacy.tstr_interval = plain_interval(tstr_reps, efficacy.tstr_auc, 0.0, 1.0);
  efficacy.ratio_interval = plain_interval(ratio_reps, efficacy.ratio, 0.0, inf);
}

}  // namespace synth::compare
