// The models the comparison fits: L2-penalised logistic regression by
// Newton's method (IRLS) with a backtracking line search, and the ROC AUC of
// its held-out predictions. Deterministic: no randomness inside.
#pragma once

#include <cstddef>
#include <vector>

namespace synth::compare {

// Rows of `width` doubles, row-major.
struct Design {
  std::size_t width = 0;
  std::vector<double> values;
  std::vector<double> labels;  // 0 or 1

  std::size_t rows() const { return labels.size(); }
  const double* row(std::size_t i) const { return values.data() + i * width; }
};

struct LogisticModel {
  std::vector<double> weights;  // one per column
  double intercept = 0.0;

  double predict(const double* row) const;  // the linear score (monotone in the probability)
};

// Minimises sum of log-losses + penalty/2 * |w|^2 (the intercept is not
// penalised): sklearn's LogisticRegression(C = 1 / penalty).
LogisticModel fit_logistic(const Design& data, double penalty = 1.0);

// Area under the ROC curve (Mann-Whitney, ties counted half), with optional
// weights; `order` sorts the scores ascending (see sort_order). NaN when a
// class carries no weight.
double roc_auc(const std::vector<double>& scores, const std::vector<double>& labels,
               const std::vector<std::size_t>& order, const double* weights = nullptr);
std::vector<std::size_t> sort_order(const std::vector<double>& scores);

}  // namespace synth::compare
