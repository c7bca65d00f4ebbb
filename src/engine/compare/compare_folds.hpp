// What the comparison's models share: rows encoded for a logistic fit
// (standardised numbers, the domain one-hot), stratified cross-validation,
// held-out scores kept for their AUC replicates, and the detection score.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/compare/compare_interval.hpp"
#include "engine/compare/compare_model.hpp"
#include "engine/compare/compare_sampling.hpp"
#include "engine/compare/compare_side.hpp"

namespace synth::compare {

// Standardised numeric columns (optionally without the score) and the domain
// one-hot, for the rows of one sample.
struct Encoder {
  // Column j is standardised as (x / scale - mean) / sd: the scale is 1
  // unless the column's sums overflow, and then its largest magnitude.
  std::vector<double> scale, mean, sd;
  std::size_t numeric = 0;
  std::size_t categories = 0;  // 0: no domain columns

  std::size_t width() const { return numeric + categories; }
  void append(const SideColumns& side, std::size_t row, std::vector<double>& out) const;
};

// The first `numeric` columns standardised over every row of the sides.
Encoder make_encoder(const std::vector<const SideColumns*>& sides, std::size_t numeric,
                     std::size_t categories);

// Held-out predictions of one fold, kept for the AUC bootstrap.
struct FoldScores {
  std::vector<double> scores, labels;
  std::vector<std::size_t> order;
  double auc = kNaN;
};

FoldScores score_rows(const LogisticModel& model, const Design& test);

// Stratified k folds (each class shuffled, then dealt round the folds), a
// model fitted on the others and scored on each.
std::vector<FoldScores> cross_validate(const Design& all, std::size_t folds, Random& random);

// One bootstrap replicate of a fold's AUC: its test rows resampled within
// each class (the models are not refitted).
double auc_replicate(const FoldScores& fold, Random& random, std::vector<double>& weights);

// LogisticDetection's score: 1 - mean over folds of (2 max(AUC, 1/2) - 1).
double detection_score(const std::vector<double>& aucs);

// Both labels present, each at least once.
bool both_classes(const Design& design);

}  // namespace synth::compare
