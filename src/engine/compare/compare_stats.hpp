// The statistics behind the comparison, as SDMetrics 0.29 and the scipy /
// numpy functions it calls define them. Every function takes optional
// weights (nullptr: each row counts once): a bootstrap replicate is the same
// data with multinomial counts as weights, so no resampled copy is made.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace synth::compare {

// scipy.stats.ks_2samp's statistic: the largest gap between the two
// right-continuous empirical CDFs, ties consumed together. Both samples
// sorted ascending; weights (if any) in the same order as the values.
double ks_statistic(const double* a, const double* a_weights, std::size_t a_count, const double* b,
                    const double* b_weights, std::size_t b_count);

// SDMetrics' TVComplement from per-category totals (index = category code):
// a category seen only in the synthetic data gets 1e-6 in the real data
// (SDMetrics' get_frequencies), then 1 - 1/2 sum |p_real - p_synthetic| over
// the real data's categories.
double tv_complement(const std::vector<double>& real, const std::vector<double>& synthetic);

// scipy.stats.pearsonr's r (two passes); NaN when a column is constant.
double pearson(const double* x, const double* y, const double* weights, std::size_t count);

// numpy.histogram_bin_edges(values, bins=10) from the sample's min and max
// (widened by 0.5 each way when they are equal), as numpy.linspace makes them.
std::array<double, 11> histogram_edges(double min, double max);
// numpy.digitize(x, edges): how many edges are <= x (0..11).
int digitize(const std::array<double, 11>& edges, double x);

// Min and max over the finite values of the rows that carry weight.
void weighted_range(const double* x, const double* weights, std::size_t count, double* min, double* max);

// A two-way table of weighted counts: cells keyed by (bin, category).
struct Contingency {
  std::size_t categories = 0;  // category codes 0..categories-1
  std::vector<double> cells;   // 12 bins x categories, row-major
  double total = 0.0;

  explicit Contingency(std::size_t category_count);
  void add(int bin, std::int32_t category, double weight);
};

// x binned on its own range (as SDMetrics' ColumnPairTrends does for each
// side separately), crossed with the categories.
Contingency bin_against(const double* x, const std::int32_t* categories, const double* weights,
                        std::size_t count, std::size_t category_count);

// ContingencySimilarity: 1 - 1/2 sum over the union of observed cells of
// |p_real - p_synthetic|.
double contingency_similarity(const Contingency& real, const Contingency& synthetic);

// scipy.stats.contingency.association(method="cramer") over the observed rows
// and columns of the table: sqrt(chi2 / n / min(r - 1, c - 1)), chi2 without
// Yates' correction; NaN when fewer than two rows or columns were observed.
double cramers_v(const Contingency& table);

// Linear-interpolated quantile (numpy's default) of the finite values; NaN when none.
double quantile(std::vector<double> values, double q);

// Weighted median: the smallest value whose cumulative weight reaches half.
double weighted_median(const std::vector<double>& sorted_values, const double* weights);

}  // namespace synth::compare
