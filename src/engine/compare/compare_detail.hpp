// synth_compare_detail's answer: what a picture of the comparison needs and
// no raw row. Per column, the real and synthetic (and holdout) rows counted
// on one common binning, their quantiles and the column's shape score; and
// the Pearson correlation matrix of each side over the same numeric columns.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/compare/compare_report.hpp"

namespace synth {

inline constexpr int kDefaultDetailBins = 20;
inline constexpr int kMaxDetailBins = 1000;

// The quantile levels every numeric column reports, in this order.
inline constexpr std::array<double, 9> kDetailQuantiles = {0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0};

struct DetailSide {
  std::uint64_t rows = 0;
  std::vector<std::uint64_t> counts;                        // one per bin (numeric) or per category
  std::array<double, kDetailQuantiles.size()> quantiles{};  // numeric columns only
};

struct DetailColumn {
  std::string name;
  bool categorical = false;  // the domain; else a feature or the score
  std::string metric;        // KSComplement or TVComplement, as synth_compare scores the column
  double score = 0.0;
  bool integers = false;                // numeric: every value a whole number, one bin per value
  std::vector<double> edges;            // numeric: bins + 1 ascending edges, the last bin closed
  std::vector<std::string> categories;  // categorical: the domain names, "(none)" last when rows lack one
  DetailSide real, synthetic;
  std::optional<DetailSide> holdout;
};

struct CompareDetail {
  SideFacts real, synthetic;
  std::optional<SideFacts> holdout;
  std::vector<std::string> columns;  // as synth_compare names them
  int bins = kDefaultDetailBins;
  std::vector<DetailColumn> distributions;  // one per column, in that order
  // Pearson's r over the numeric columns (the features and the score), row
  // by row; NaN where a column is constant.
  std::vector<std::string> correlation_columns;
  std::vector<std::vector<double>> real_correlation, synthetic_correlation, holdout_correlation;
};

// Whether whole numbers from low to high get one bin each: at most `bins`
// of them, all exact in a double.
bool integer_grid(double low, double high, int bins, bool integers);

// Equal-width edges over [low, high] (widened by 0.5 each way when equal),
// finite even when high - low overflows; or, on an integer_grid, one bin
// per whole number (edges at the half-ways).
std::vector<double> detail_edges(double low, double high, int bins, bool integers);

// Counts of sorted finite values in the bins of `edges` (numpy.histogram's
// rule: each bin [e_k, e_k+1), the last closed).
std::vector<std::uint64_t> detail_counts(const std::vector<double>& sorted, const std::vector<double>& edges);

// Raises synth::Error as compare_sides does for sides that cannot be compared.
CompareDetail compare_detail(CompareSideInput real, CompareSideInput synthetic,
                             std::optional<CompareSideInput> holdout, int bins);

std::string compare_detail_json(const CompareDetail& detail);

}  // namespace synth
