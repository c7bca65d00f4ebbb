// Efficacy (TSTR against TRTR): is a real row's score above the real median,
// predicted from its features by a model trained on synthetic rows, and by
// one cross-validated on real rows; AUC replicates for the intervals.
#include <limits>
#include <vector>

#include "engine/compare/compare_folds.hpp"
#include "engine/compare/compare_measures.hpp"
#include "engine/model/interrupt.hpp"

namespace synth::compare {

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
