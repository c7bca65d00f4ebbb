#include "engine/compare/compare_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/model/interrupt.hpp"

namespace synth::compare {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kBins = 12;  // digitize over 11 edges gives 0..11

double weight_at(const double* weights, std::size_t i) { return weights ? weights[i] : 1.0; }

// Equality that also holds between two NaNs, so a run of equal values is
// never empty.
bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
// a <= b in the order that puts NaN after every number.
bool not_after(double a, double b) { return std::isnan(b) || (!std::isnan(a) && a <= b); }

// The largest magnitude among the rows that carry weight (1 when there is
// none or it is not finite): dividing by it keeps sums of values and of
// their products finite whatever the values are.
double magnitude(const double* x, const double* weights, std::size_t count) {
  double largest = 0.0;
  for (std::size_t i = 0; i < count; ++i)
    if (weight_at(weights, i) > 0.0 && std::isfinite(x[i])) largest = std::max(largest, std::fabs(x[i]));
  return largest > 0.0 && std::isfinite(largest) ? largest : 1.0;
}

}  // namespace

double ks_statistic(const double* a, const double* a_weights, std::size_t a_count, const double* b,
                    const double* b_weights, std::size_t b_count) {
  double a_total = 0.0, b_total = 0.0;
  for (std::size_t i = 0; i < a_count; ++i) a_total += weight_at(a_weights, i);
  for (std::size_t i = 0; i < b_count; ++i) b_total += weight_at(b_weights, i);
  if (a_total <= 0.0 || b_total <= 0.0) return kNaN;
  std::size_t i = 0, j = 0;
  double a_seen = 0.0, b_seen = 0.0, largest = 0.0;
  while (i < a_count || j < b_count) {
    // The next value of the union; every copy of it on both sides is
    // consumed before the CDFs are compared (searchsorted side="right").
    // A NaN (sorted last) is consumed like any value: some side always advances.
    poll_interrupt();
    const double x = j == b_count || (i < a_count && not_after(a[i], b[j])) ? a[i] : b[j];
    while (i < a_count && same_value(a[i], x)) a_seen += weight_at(a_weights, i++);
    while (j < b_count && same_value(b[j], x)) b_seen += weight_at(b_weights, j++);
    largest = std::max(largest, std::fabs(a_seen / a_total - b_seen / b_total));
  }
  return largest;
}

double tv_complement(const std::vector<double>& real, const std::vector<double>& synthetic) {
  const std::size_t n = std::max(real.size(), synthetic.size());
  std::vector<double> r(n, 0.0), s(n, 0.0);
  std::copy(real.begin(), real.end(), r.begin());
  std::copy(synthetic.begin(), synthetic.end(), s.begin());
  for (std::size_t k = 0; k < n; ++k)
    if (s[k] > 0.0 && r[k] <= 0.0) r[k] += 1e-6;
  double r_total = 0.0, s_total = 0.0;
  for (std::size_t k = 0; k < n; ++k) r_total += r[k], s_total += s[k];
  if (r_total <= 0.0 || s_total <= 0.0) return kNaN;
  double variation = 0.0;
  for (std::size_t k = 0; k < n; ++k)
    if (r[k] > 0.0) variation += std::fabs(s[k] / s_total - r[k] / r_total);
  return std::max(0.0, 1.0 - 0.5 * variation);
}

namespace {

// The two passes of pearson() over x / x_scale and y / y_scale (r does not
// depend on the scales). NaN when a sum is not finite or a column constant.
double pearson_scaled(const double* x, double x_scale, const double* y, double y_scale, const double* weights,
                      std::size_t count) {
  double total = 0.0, x_sum = 0.0, y_sum = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    poll_interrupt();
    const double w = weight_at(weights, i);
    total += w;
    x_sum += w * (x[i] / x_scale);
    y_sum += w * (y[i] / y_scale);
  }
  if (!(total > 0.0)) return kNaN;
  const double x_mean = x_sum / total, y_mean = y_sum / total;
  double xx = 0.0, yy = 0.0, xy = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    poll_interrupt();
    const double w = weight_at(weights, i);
    const double dx = x[i] / x_scale - x_mean, dy = y[i] / y_scale - y_mean;
    xx += w * dx * dx;
    yy += w * dy * dy;
    xy += w * dx * dy;
  }
  if (!(xx > 0.0) || !(yy > 0.0) || !std::isfinite(xx * yy) || !std::isfinite(xy)) return kNaN;
  return std::clamp(xy / std::sqrt(xx * yy), -1.0, 1.0);
}

}  // namespace

double pearson(const double* x, const double* y, const double* weights, std::size_t count) {
  // Unscaled first, as scipy computes it; values whose sums or squares
  // overflow are divided by their largest magnitude and summed again.
  const double r = pearson_scaled(x, 1.0, y, 1.0, weights, count);
  if (!std::isnan(r)) return r;
  return pearson_scaled(x, magnitude(x, weights, count), y, magnitude(y, weights, count), weights, count);
}

std::array<double, 11> histogram_edges(double min, double max) {
  if (min == max) {
    min -= 0.5;
    max += 0.5;
  }
  std::array<double, 11> edges{};
  const double step = (max - min) / 10.0;
  for (int i = 0; i < 11; ++i) edges[i] = static_cast<double>(i) * step + min;
  if (!std::isfinite(step)) {
    // The span overflows (say -1e308..1e308): points of the segment as
    // weighted means of its ends, which stay finite.
    for (int i = 0; i < 11; ++i) edges[i] = min * (1.0 - i / 10.0) + max * (i / 10.0);
  }
  edges[10] = max;  // numpy.linspace sets the end point exactly
  return edges;
}

int digitize(const std::array<double, 11>& edges, double x) {
  return static_cast<int>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin());
}

void weighted_range(const double* x, const double* weights, std::size_t count, double* min, double* max) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < count; ++i) {
    if (weight_at(weights, i) <= 0.0 || !std::isfinite(x[i])) continue;
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  *min = lo;
  *max = hi;
}

Contingency::Contingency(std::size_t category_count)
    : categories(category_count), cells(kBins * category_count, 0.0) {}

void Contingency::add(int bin, std::int32_t category, double weight) {
  cells[static_cast<std::size_t>(bin) * categories + static_cast<std::size_t>(category)] += weight;
  total += weight;
}

Contingency bin_against(const double* x, const std::int32_t* categories, const double* weights,
                        std::size_t count, std::size_t category_count) {
  Contingency table(category_count);
  double min = 0.0, max = 0.0;
  weighted_range(x, weights, count, &min, &max);
  if (!(min <= max)) return table;
  const std::array<double, 11> edges = histogram_edges(min, max);
  for (std::size_t i = 0; i < count; ++i) {
    poll_interrupt();
    const double w = weight_at(weights, i);
    if (w > 0.0) table.add(digitize(edges, x[i]), categories[i], w);
  }
  return table;
}

double contingency_similarity(const Contingency& real, const Contingency& synthetic) {
  if (real.total <= 0.0 || synthetic.total <= 0.0) return kNaN;
  double variation = 0.0;
  for (std::size_t k = 0; k < real.cells.size(); ++k) {
    const double r = real.cells[k], s = synthetic.cells[k];
    if (r > 0.0 || s > 0.0) variation += std::fabs(r / real.total - s / synthetic.total);
  }
  // Rounding can carry the sum of |differences| a few ulps past 2.
  return std::max(0.0, 1.0 - variation / 2.0);
}

double cramers_v(const Contingency& table) {
  const std::size_t columns = table.categories;
  std::vector<double> row_sum(kBins, 0.0), column_sum(columns, 0.0);
  for (std::size_t r = 0; r < kBins; ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      row_sum[r] += table.cells[r * columns + c];
      column_sum[c] += table.cells[r * columns + c];
    }
  const auto observed = [](const std::vector<double>& sums) {
    return static_cast<std::size_t>(
        std::count_if(sums.begin(), sums.end(), [](double v) { return v > 0.0; }));
  };
  const std::size_t rows_seen = observed(row_sum), columns_seen = observed(column_sum);
  if (rows_seen < 2 || columns_seen < 2 || table.total <= 0.0) return kNaN;
  double chi2 = 0.0;
  for (std::size_t r = 0; r < kBins; ++r) {
    if (row_sum[r] <= 0.0) continue;
    for (std::size_t c = 0; c < columns; ++c) {
      if (column_sum[c] <= 0.0) continue;
      const double expected = row_sum[r] * column_sum[c] / table.total;
      const double gap = table.cells[r * columns + c] - expected;
      chi2 += gap * gap / expected;
    }
  }
  const double phi2 = chi2 / table.total;
  return std::sqrt(phi2 / static_cast<double>(std::min(rows_seen, columns_seen) - 1));
}

double quantile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
               values.end());
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return values[below] + (values[above] - values[below]) * fraction;
}

double weighted_median(const std::vector<double>& sorted_values, const double* weights) {
  double total = 0.0;
  for (std::size_t i = 0; i < sorted_values.size(); ++i) total += weight_at(weights, i);
  if (total <= 0.0) return kNaN;
  double seen = 0.0;
  for (std::size_t i = 0; i < sorted_values.size(); ++i) {
    seen += weight_at(weights, i);
    if (seen >= total / 2.0) return sorted_values[i];
  }
  return sorted_values.back();
}

}  // namespace synth::compare
