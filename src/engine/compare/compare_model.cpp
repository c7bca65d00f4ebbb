#include "engine/compare/compare_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/model/interrupt.hpp"

namespace synth::compare {
namespace {

// log(1 + exp(z)) without overflow.
double softplus(double z) { return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
double sigmoid(double z) { return z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z)); }

// Solves A x = b for a symmetric positive definite A (n x n, overwritten) by
// Cholesky; adds a small ridge when the factorisation meets a tiny pivot.
std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    d = std::sqrt(std::max(d, 1e-12));
    a[j * n + j] = d;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / d;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {  // L y = b
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {  // L^T x = y
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
  return b;
}

}  // namespace

double LogisticModel::predict(const double* row) const {
  double z = intercept;
  for (std::size_t j = 0; j < weights.size(); ++j) z += weights[j] * row[j];
  return z;
}

LogisticModel fit_logistic(const Design& data, double penalty) {
  const std::size_t p = data.width + 1;  // the intercept last
  const std::size_t n = data.rows();
  std::vector<double> beta(p, 0.0);
  const auto objective = [&](const std::vector<double>& b) {
    double loss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      poll_interrupt(static_cast<std::uint32_t>(p));
      const double* x = data.row(i);
      double z = b[p - 1];
      for (std::size_t j = 0; j + 1 < p; ++j) z += b[j] * x[j];
      loss += softplus(z) - data.labels[i] * z;
    }
    for (std::size_t j = 0; j + 1 < p; ++j) loss += 0.5 * penalty * b[j] * b[j];
    return loss;
  };
  double current = objective(beta);
  std::vector<double> gradient(p), hessian(p * p), z(n);
  for (int iteration = 0; iteration < 50; ++iteration) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    std::fill(hessian.begin(), hessian.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      poll_interrupt(static_cast<std::uint32_t>(p * p));
      const double* x = data.row(i);
      double zi = beta[p - 1];
      for (std::size_t j = 0; j + 1 < p; ++j) zi += beta[j] * x[j];
      const double prob = sigmoid(zi);
      const double residual = prob - data.labels[i];
      const double w = prob * (1.0 - prob);
      for (std::size_t j = 0; j < p; ++j) {
        const double xj = j + 1 < p ? x[j] : 1.0;
        gradient[j] += residual * xj;
        for (std::size_t k = 0; k <= j; ++k) hessian[j * p + k] += w * xj * (k + 1 < p ? x[k] : 1.0);
      }
    }
    for (std::size_t j = 0; j < p; ++j) {
      if (j + 1 < p) {
        gradient[j] += penalty * beta[j];
        hessian[j * p + j] += penalty;
      }
      hessian[j * p + j] += 1e-9;
      for (std::size_t k = 0; k < j; ++k) hessian[k * p + j] = hessian[j * p + k];
    }
    const std::vector<double> step = solve_spd(hessian, gradient, p);
    // Backtracking: halve the Newton step until the objective decreases.
    double scale = 1.0;
    std::vector<double> trial(p);
    double next = current;
    for (int halving = 0; halving < 30; ++halving, scale /= 2.0) {
      for (std::size_t j = 0; j < p; ++j) trial[j] = beta[j] - scale * step[j];
      next = objective(trial);
      if (next <= current) break;
    }
    if (!(next <= current)) break;
    double largest = 0.0;
    for (std::size_t j = 0; j < p; ++j) largest = std::max(largest, std::fabs(trial[j] - beta[j]));
    beta = trial;
    const double gain = current - next;
    current = next;
    if (largest < 1e-10 || gain < 1e-12 * (1.0 + std::fabs(current))) break;
  }
  LogisticModel model;
  model.weights.assign(beta.begin(), beta.end() - 1);
  model.intercept = beta.back();
  return model;
}

namespace {

// A total order on doubles: NaN after every number, all NaNs equal. A NaN
// score (a model fitted on values that overflowed) must neither break the
// sort's strict weak ordering nor stop a tie group from advancing.
bool score_less(double a, double b) { return std::isnan(a) ? false : std::isnan(b) || a < b; }
bool score_same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

std::vector<std::size_t> sort_order(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score_less(scores[a], scores[b]); });
  return order;
}

double roc_auc(const std::vector<double>& scores, const std::vector<double>& labels,
               const std::vector<std::size_t>& order, const double* weights) {
  double negatives_below = 0.0, sum = 0.0, positives = 0.0;
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t end = i;
    double group_positive = 0.0, group_negative = 0.0;
    // The group holds at least row i itself, so the loop always advances.
    do {
      poll_interrupt();
      const std::size_t row = order[end++];
      const double w = weights ? weights[row] : 1.0;
      (labels[row] > 0.5 ? group_positive : group_negative) += w;
    } while (end < order.size() && score_same(scores[order[end]], scores[order[i]]));
    sum += group_positive * (negatives_below + 0.5 * group_negative);
    negatives_below += group_negative;
    positives += group_positive;
    i = end;
  }
  if (positives <= 0.0 || negatives_below <= 0.0) return std::numeric_limits<double>::quiet_NaN();
  return sum / (positives * negatives_below);
}

}  // namespace synth::compare
