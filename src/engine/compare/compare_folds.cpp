// Encoding, folds and held-out scores for the comparison's models (see compare_folds.hpp).
#include "engine/compare/compare_folds.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/model/interrupt.hpp"

namespace synth::compare {

void Encoder::append(const SideColumns& side, std::size_t row, std::vector<double>& out) const {
  poll_interrupt(static_cast<std::uint32_t>(numeric + categories));
  for (std::size_t j = 0; j < numeric; ++j)
    out.push_back((side.numeric[j][row] / scale[j] - mean[j]) / sd[j]);
  for (std::size_t c = 0; c < categories; ++c)
    out.push_back(static_cast<std::size_t>(side.domain[row]) == c ? 1.0 : 0.0);
}

Encoder make_encoder(const std::vector<const SideColumns*>& sides, std::size_t numeric,
                     std::size_t categories) {
  Encoder e;
  e.numeric = numeric;
  e.categories = categories;
  e.scale.assign(numeric, 1.0);
  e.mean.assign(numeric, 0.0);
  e.sd.assign(numeric, 1.0);
  for (std::size_t j = 0; j < numeric; ++j) {
    // Unscaled first; a column whose sum or squares overflow is divided by
    // its largest magnitude (every value then lies in [-1, 1]) and summed again.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const double scale = e.scale[j];
      double n = 0, sum = 0, squares = 0, largest = 0;
      for (const SideColumns* s : sides)
        for (double x : s->numeric[j]) {
          poll_interrupt();
          n += 1, sum += x / scale, largest = std::max(largest, std::fabs(x));
        }
      if (n == 0) break;
      const double mean = sum / n;
      for (const SideColumns* s : sides)
        for (double x : s->numeric[j]) {
          poll_interrupt();
          squares += (x / scale - mean) * (x / scale - mean);
        }
      const double sd = std::sqrt(squares / n);
      if (attempt == 0 && !(std::isfinite(mean) && std::isfinite(sd)) && std::isfinite(largest) &&
          largest > 0) {
        e.scale[j] = largest;
        continue;
      }
      e.mean[j] = std::isfinite(mean) ? mean : 0.0;
      e.sd[j] = sd > 0 && std::isfinite(sd) ? sd : 1.0;
      break;
    }
  }
  return e;
}

FoldScores score_rows(const LogisticModel& model, const Design& test) {
  FoldScores out;
  out.labels = test.labels;
  out.scores.reserve(test.rows());
  for (std::size_t i = 0; i < test.rows(); ++i) {
    poll_interrupt(static_cast<std::uint32_t>(test.width));
    out.scores.push_back(model.predict(test.row(i)));
  }
  out.order = sort_order(out.scores);
  out.auc = roc_auc(out.scores, out.labels, out.order);
  return out;
}

namespace {

std::vector<std::size_t> fold_of(const std::vector<double>& labels, std::size_t folds, Random& random) {
  std::vector<std::size_t> fold(labels.size(), 0);
  for (int cls = 0; cls < 2; ++cls) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if ((labels[i] > 0.5) == (cls == 1)) members.push_back(i);
    for (std::size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[random.below(i)]);
    for (std::size_t i = 0; i < members.size(); ++i) fold[members[i]] = i % folds;
  }
  return fold;
}

}  // namespace

std::vector<FoldScores> cross_validate(const Design& all, std::size_t folds, Random& random) {
  const std::vector<std::size_t> fold = fold_of(all.labels, folds, random);
  std::vector<FoldScores> out;
  for (std::size_t f = 0; f < folds; ++f) {
    Design train, test;
    train.width = test.width = all.width;
    for (std::size_t i = 0; i < all.rows(); ++i) {
      poll_interrupt(static_cast<std::uint32_t>(all.width));
      Design& into = fold[i] == f ? test : train;
      into.values.insert(into.values.end(), all.row(i), all.row(i) + all.width);
      into.labels.push_back(all.labels[i]);
    }
    out.push_back(score_rows(fit_logistic(train), test));
  }
  return out;
}

double auc_replicate(const FoldScores& fold, Random& random, std::vector<double>& weights) {
  weights.assign(fold.labels.size(), 0.0);
  std::vector<std::size_t> members[2];
  for (std::size_t i = 0; i < fold.labels.size(); ++i) members[fold.labels[i] > 0.5].push_back(i);
  for (const auto& m : members)
    for (std::size_t k = 0; k < m.size(); ++k) {
      poll_interrupt();
      weights[m[random.below(m.size())]] += 1.0;
    }
  return roc_auc(fold.scores, fold.labels, fold.order, weights.data());
}

double detection_score(const std::vector<double>& aucs) {
  double sum = 0.0;
  for (double auc : aucs) {
    if (!std::isfinite(auc)) return kNaN;
    sum += 2.0 * std::max(auc, 0.5) - 1.0;
  }
  return aucs.empty() ? kNaN : 1.0 - sum / static_cast<double>(aucs.size());
}

bool both_classes(const Design& design) {
  const double positives = std::accumulate(design.labels.begin(), design.labels.end(), 0.0);
  return positives >= 1.0 && positives <= static_cast<double>(design.rows()) - 1.0;
}

}  // namespace synth::compare
