// The comparison as a picture needs it: each side's distribution of every
// column on one binning, quantiles, and the correlation matrices. One sort
// per column and side, one pass per pair of columns: no sample, no model.
#include "engine/compare/compare_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "engine/compare/compare_stats.hpp"
#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"

namespace synth {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLargestExactInteger = 9007199254740992.0;  // 2^53

// numpy's linear quantile of sorted finite values, without overflowing
// between two values of opposite sign near the ends of the range.
double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  const double a = sorted[below], b = sorted[above];
  if (fraction == 0.0 || a == b) return a;
  const double gap = b - a;
  const double value = std::isfinite(gap) ? a + gap * fraction : a * (1.0 - fraction) + b * fraction;
  return std::clamp(value, a, b);
}

// Pearson's r between every two columns of a side (rows still aligned).
std::vector<std::vector<double>> correlation_matrix(const SideColumns& side, std::size_t numeric) {
  std::vector<std::vector<double>> r(numeric, std::vector<double>(numeric, kNaN));
  for (std::size_t i = 0; i < numeric; ++i)
    for (std::size_t j = i; j < numeric; ++j) {
      check_interrupt();
      r[i][j] = r[j][i] =
          compare::pearson(side.numeric[i].data(), side.numeric[j].data(), nullptr, side.rows());
    }
  return r;
}

DetailSide numeric_side(const std::vector<double>& sorted, const std::vector<double>& edges) {
  DetailSide out;
  out.rows = sorted.size();
  out.counts = detail_counts(sorted, edges);
  for (std::size_t k = 0; k < kDetailQuantiles.size(); ++k)
    out.quantiles[k] = sorted_quantile(sorted, kDetailQuantiles[k]);
  return out;
}

DetailSide categorical_side(const SideColumns& side, std::size_t categories) {
  DetailSide out;
  out.rows = side.rows();
  out.counts.assign(categories, 0);
  for (std::int32_t code : side.domain) {
    poll_interrupt();
    ++out.counts[static_cast<std::size_t>(code)];
  }
  out.quantiles.fill(kNaN);
  return out;
}

bool whole_numbers(const std::vector<double>& sorted) {
  for (double v : sorted) {
    poll_interrupt();
    if (!(std::fabs(v) <= kLargestExactInteger) || std::floor(v) != v) return false;
  }
  return true;
}

}  // namespace

bool integer_grid(double low, double high, int bins, bool integers) {
  return integers && high - low < static_cast<double>(bins) && std::fabs(low) <= kLargestExactInteger &&
         std::fabs(high) <= kLargestExactInteger;
}

std::vector<double> detail_edges(double low, double high, int bins, bool integers) {
  if (integer_grid(low, high, bins, integers)) {
    std::vector<double> edges;
    for (double v = low; v <= high; v += 1.0) edges.push_back(v - 0.5);
    edges.push_back(high + 0.5);
    return edges;
  }
  if (low == high) {
    low -= 0.5;
    high += 0.5;
    if (low == high) {  // 0.5 is below the spacing of doubles this large
      low = std::nextafter(low, -std::numeric_limits<double>::infinity());
      high = std::nextafter(high, std::numeric_limits<double>::infinity());
    }
  }
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  const double span = high - low, n = static_cast<double>(bins);
  for (int k = 0; k <= bins; ++k) {
    const double t = static_cast<double>(k);
    // span * k / n keeps edges such as 0.15 the double closest to them; an
    // overflowing span (-1e308..1e308) is walked from halved ends instead.
    edges[static_cast<std::size_t>(k)] =
        std::isfinite(span) ? low + span * t / n : 2.0 * (low / 2.0 + (high / 2.0 - low / 2.0) * t / n);
  }
  edges.front() = low;
  edges.back() = high;
  for (std::size_t k = 1; k < edges.size(); ++k) edges[k] = std::clamp(edges[k], edges[k - 1], high);
  return edges;
}

std::vector<std::uint64_t> detail_counts(const std::vector<double>& sorted,
                                         const std::vector<double>& edges) {
  const std::size_t bins = edges.size() - 1;
  std::vector<std::uint64_t> counts(bins, 0);
  std::size_t bin = 0;
  for (double v : sorted) {
    poll_interrupt();
    while (bin + 1 < bins && v >= edges[bin + 1]) ++bin;
    ++counts[bin];
  }
  return counts;
}

CompareDetail compare_detail(CompareSideInput real_in, CompareSideInput synthetic_in,
                             std::optional<CompareSideInput> holdout_in, int bins) {
  if (bins < 1 || bins > kMaxDetailBins)
    throw_invalid_parameter(
        "bins must be between 1 and " + std::to_string(kMaxDetailBins) + ", not " + std::to_string(bins),
        "bins is the number of equal-width bins each numeric column is counted in.",
        "The default, " + std::to_string(kDefaultDetailBins) + ", suits a histogram.");
  const PreparedSides prepared = prepare_sides(real_in, synthetic_in, holdout_in ? &*holdout_in : nullptr);
  CompareDetail out;
  out.real = facts_of(real_in);
  out.synthetic = facts_of(synthetic_in);
  if (holdout_in) out.holdout = facts_of(*holdout_in);
  out.columns = prepared.columns;
  out.bins = bins;

  SideColumns& real = real_in.columns;
  SideColumns& synthetic = synthetic_in.columns;
  SideColumns* holdout = holdout_in ? &holdout_in->columns : nullptr;
  const std::size_t numeric = prepared.dimension + 1;

  // Correlations first: the sorts below break the rows apart.
  out.correlation_columns.assign(prepared.columns.begin(),
                                 prepared.columns.begin() + static_cast<std::ptrdiff_t>(numeric));
  out.real_correlation = correlation_matrix(real, numeric);
  out.synthetic_correlation = correlation_matrix(synthetic, numeric);
  if (holdout) out.holdout_correlation = correlation_matrix(*holdout, numeric);

  std::vector<DetailColumn> columns;
  for (std::size_t j = 0; j < numeric; ++j) {
    check_interrupt();
    std::vector<double>& r = real.numeric[j];
    std::vector<double>& s = synthetic.numeric[j];
    std::sort(r.begin(), r.end());
    std::sort(s.begin(), s.end());
    double low = std::min(r.front(), s.front()), high = std::max(r.back(), s.back());
    bool integers = whole_numbers(r) && whole_numbers(s);
    if (holdout) {
      std::vector<double>& h = holdout->numeric[j];
      std::sort(h.begin(), h.end());
      low = std::min(low, h.front());
      high = std::max(high, h.back());
      integers = integers && whole_numbers(h);
    }
    DetailColumn c;
    c.name = prepared.columns[j];
    c.metric = "KSComplement";
    c.score = 1.0 - compare::ks_statistic(r.data(), nullptr, r.size(), s.data(), nullptr, s.size());
    c.edges = detail_edges(low, high, bins, integers);
    c.integers = integer_grid(low, high, bins, integers);
    c.real = numeric_side(r, c.edges);
    c.synthetic = numeric_side(s, c.edges);
    if (holdout) c.holdout = numeric_side(holdout->numeric[j], c.edges);
    columns.push_back(std::move(c));
  }
  if (prepared.domain) {
    DetailColumn c;
    c.name = "domain";
    c.categorical = true;
    c.metric = "TVComplement";
    c.real = categorical_side(real, prepared.categories);
    c.synthetic = categorical_side(synthetic, prepared.categories);
    if (holdout) c.holdout = categorical_side(*holdout, prepared.categories);
    std::vector<double> r(c.real.counts.begin(), c.real.counts.end());
    std::vector<double> s(c.synthetic.counts.begin(), c.synthetic.counts.end());
    c.score = compare::tv_complement(r, s);
    c.categories = real.domains;
    // "(none)" only when some side has rows without a domain.
    const std::size_t none = prepared.categories - 1;
    const bool any_none =
        c.real.counts[none] + c.synthetic.counts[none] + (c.holdout ? c.holdout->counts[none] : 0) > 0;
    if (any_none) {
      c.categories.push_back("(none)");
    } else {
      c.real.counts.pop_back();
      c.synthetic.counts.pop_back();
      if (c.holdout) c.holdout->counts.pop_back();
    }
    columns.push_back(std::move(c));
  }
  out.distributions = std::move(columns);
  return out;
}

}  // namespace synth
