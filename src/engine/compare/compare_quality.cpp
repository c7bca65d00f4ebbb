// Quality on every row and its bootstrap replicates (see compare_quality.hpp).
#include "engine/compare/compare_quality.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "engine/compare/compare_model.hpp"
#include "engine/compare/compare_stats.hpp"
#include "engine/model/interrupt.hpp"

namespace synth::compare {
namespace {

constexpr double kCorrelationThreshold = 0.5;  // SDMetrics' QualityReport defaults
constexpr double kAssociationThreshold = 0.3;

void category_totals(const SideColumns& side, const double* weights, std::size_t categories,
                     std::vector<double>& out) {
  out.assign(categories, 0.0);
  for (std::size_t i = 0; i < side.rows(); ++i)
    out[static_cast<std::size_t>(side.domain[i])] += weights ? weights[i] : 1.0;
}

// The pair scores and the domain's TVComplement from each side's own figures.
void combine(const QualityLayout& layout, const SidePairs& real, const SidePairs& synthetic,
             QualityValues& out) {
  const std::size_t pairs = layout.pairs.size();
  out.pair_score.assign(pairs, kNaN);
  out.pair_real.assign(pairs, kNaN);
  out.pair_synthetic.assign(pairs, kNaN);
  out.pair_counted.assign(pairs, 0);
  for (std::size_t k = 0; k < pairs; ++k) {
    if (!layout.pairs[k].contingency) {
      const double r = real.r[k], s = synthetic.r[k];
      out.pair_real[k] = r;
      out.pair_synthetic[k] = s;
      if (std::isfinite(r) && std::isfinite(s)) out.pair_score[k] = 1.0 - std::fabs(r - s) / 2.0;
      out.pair_counted[k] = std::isfinite(out.pair_score[k]) && std::fabs(r) > kCorrelationThreshold;
    } else {
      const Contingency& rt = real.tables[k];
      const Contingency& st = synthetic.tables[k];
      out.pair_score[k] = contingency_similarity(rt, st);
      out.pair_real[k] = cramers_v(rt);
      out.pair_synthetic[k] = cramers_v(st);
      out.pair_counted[k] = std::isfinite(out.pair_score[k]) && std::isfinite(out.pair_real[k]) &&
                            out.pair_real[k] > kAssociationThreshold;
    }
  }
  if (layout.domain) out.shapes[layout.numeric] = tv_complement(real.totals, synthetic.totals);
}

void pairs_and_domain(const QualityLayout& layout, const SideColumns& real, const double* real_weights,
                      const SideColumns& synthetic, const double* synthetic_weights, QualityValues& out) {
  combine(layout, side_pairs(layout, real, real_weights), side_pairs(layout, synthetic, synthetic_weights),
          out);
}

// The property scores as SDMetrics averages them: the mean of the column
// scores; the mean of the counted pairs' scores (NaN when none counts); the
// overall score the mean of the property scores that exist.
void assemble(QualityValues& v) {
  v.shape_score = finite_mean(v.shapes);
  v.trend_score = finite_mean(v.pair_score, &v.pair_counted);
  v.overall = finite_mean({v.shape_score, v.trend_score});
}

// Columns sorted once for the bootstrap sample: values ascending and the row
// each came from, so a replicate's weights can be laid out in sorted order.
struct SortedColumn {
  std::vector<double> values;
  std::vector<std::size_t> rows;
};

SortedColumn sorted_column(const std::vector<double>& column) {
  SortedColumn out;
  out.rows = sort_order(column);
  out.values.reserve(column.size());
  for (std::size_t r : out.rows) out.values.push_back(column[r]);
  return out;
}

double ks_replicate(const SortedColumn& a, const std::vector<double>& a_counts, const SortedColumn& b,
                    const std::vector<double>& b_counts, std::vector<double>& a_scratch,
                    std::vector<double>& b_scratch) {
  a_scratch.resize(a.rows.size());
  b_scratch.resize(b.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) a_scratch[i] = a_counts[a.rows[i]];
  for (std::size_t i = 0; i < b.rows.size(); ++i) b_scratch[i] = b_counts[b.rows[i]];
  return 1.0 - ks_statistic(a.values.data(), a_scratch.data(), a.values.size(), b.values.data(),
                            b_scratch.data(), b.values.size());
}

// Both sides binned over their common range (sorted columns), for the page.
void page_shares(const std::vector<double>& real, const std::vector<double>& synthetic,
                 std::array<double, kPageBins>& real_out, std::array<double, kPageBins>& synthetic_out) {
  const double lo = std::min(real.front(), synthetic.front()), hi = std::max(real.back(), synthetic.back());
  // Halves when the span overflows (-1e308..1e308): the position stays in [0, 1].
  const double half = std::isfinite(hi - lo) ? 1.0 : 0.5;
  const auto fill = [&](const std::vector<double>& x, std::array<double, kPageBins>& out) {
    for (double v : x) {
      poll_interrupt();
      const double at = hi > lo ? (v * half - lo * half) / (hi * half - lo * half) : 0.0;
      const std::size_t bin = at > 0.0 ? static_cast<std::size_t>(std::min(at, 1.0) * kPageBins) : 0;
      out[std::min(bin, kPageBins - 1)] += 1.0 / static_cast<double>(x.size());
    }
  };
  fill(real, real_out);
  fill(synthetic, synthetic_out);
}

}  // namespace

SidePairs side_pairs(const QualityLayout& layout, const SideColumns& side, const double* weights) {
  SidePairs out;
  out.r.assign(layout.pairs.size(), kNaN);
  for (std::size_t k = 0; k < layout.pairs.size(); ++k) {
    const PairSpec& pair = layout.pairs[k];
    const std::vector<double>& x = side.numeric[pair.first];
    if (!pair.contingency) {
      out.r[k] = pearson(x.data(), side.numeric[pair.second].data(), weights, side.rows());
      out.tables.emplace_back(0);
    } else {
      out.tables.push_back(
          bin_against(x.data(), side.domain.data(), weights, side.rows(), layout.categories));
    }
  }
  if (layout.domain) category_totals(side, weights, layout.categories, out.totals);
  return out;
}

QualityValues quality_of(const QualityLayout& layout, const SidePairs& a, const SidePairs& b) {
  QualityValues v;
  v.shapes.assign(layout.columns(), kNaN);
  combine(layout, a, b, v);
  return v;
}

QualityLayout quality_layout(const PreparedSides& prepared) {
  QualityLayout layout;
  layout.numeric = prepared.dimension + 1;
  layout.domain = prepared.domain;
  layout.categories = prepared.categories;
  for (std::size_t i = 0; i < layout.numeric; ++i) {
    for (std::size_t j = i + 1; j < layout.numeric; ++j) layout.pairs.push_back({i, j, false});
    if (layout.domain) layout.pairs.push_back({i, layout.numeric, true});
  }
  return layout;
}

void sort_columns(const QualityLayout& layout, SideColumns& side) {
  for (std::size_t j = 0; j < layout.numeric; ++j) {
    check_interrupt();
    std::sort(side.numeric[j].begin(), side.numeric[j].end());
  }
}

void quality_shapes(const QualityLayout& layout, const SideColumns& a, const SideColumns& b,
                    QualityValues& v) {
  for (std::size_t j = 0; j < layout.numeric; ++j) {
    check_interrupt();
    v.shapes[j] =
        1.0 - ks_statistic(a.numeric[j].data(), nullptr, a.rows(), b.numeric[j].data(), nullptr, b.rows());
  }
  assemble(v);
}

QualityReplicates quality_replicates(const QualityLayout& layout, const SideColumns& boot_a,
                                     const SideColumns& boot_b, std::size_t rows_a, std::size_t rows_b,
                                     int bootstrap, Random& resampler) {
  const std::size_t columns = layout.columns(), pairs = layout.pairs.size();
  QualityReplicates out;
  out.shapes.resize(columns);
  out.pairs.resize(pairs);
  out.sample.shapes.assign(columns, kNaN);
  if (bootstrap <= 0) return out;
  std::vector<SortedColumn> sorted_a, sorted_b;
  for (std::size_t j = 0; j < layout.numeric; ++j) {
    sorted_a.push_back(sorted_column(boot_a.numeric[j]));
    sorted_b.push_back(sorted_column(boot_b.numeric[j]));
  }
  std::vector<double> a_scratch, b_scratch;
  const auto evaluate = [&](const std::vector<double>& aw, const std::vector<double>& bw, QualityValues& v) {
    v.shapes.assign(columns, kNaN);
    for (std::size_t j = 0; j < layout.numeric; ++j)
      v.shapes[j] = ks_replicate(sorted_a[j], aw, sorted_b[j], bw, a_scratch, b_scratch);
    pairs_and_domain(layout, boot_a, aw.data(), boot_b, bw.data(), v);
    assemble(v);
  };
  evaluate(std::vector<double>(boot_a.rows(), 1.0), std::vector<double>(boot_b.rows(), 1.0), out.sample);
  const auto inverse_sum = [](double a, double b) { return 1.0 / a + 1.0 / b; };
  out.scale = std::sqrt(inverse_sum(static_cast<double>(rows_a), static_cast<double>(rows_b)) /
                        inverse_sum(static_cast<double>(boot_a.rows()), static_cast<double>(boot_b.rows())));
  QualityValues rep;
  for (int b = 0; b < bootstrap; ++b) {
    check_interrupt();
    const std::vector<double> aw = quarter_sample(boot_a.rows(), resampler);
    const std::vector<double> bw = quarter_sample(boot_b.rows(), resampler);
    evaluate(aw, bw, rep);
    for (std::size_t j = 0; j < columns; ++j) out.shapes[j].push_back(rep.shapes[j]);
    for (std::size_t k = 0; k < pairs; ++k) out.pairs[k].push_back(rep.pair_score[k]);
    out.shape_score.push_back(rep.shape_score);
    out.trend_score.push_back(rep.trend_score);
    out.overall.push_back(rep.overall);
  }
  return out;
}

void report_quality(const QualityLayout& layout, const QualityValues& full, const QualityReplicates& reps,
                    const SideColumns& real, const SideColumns& synthetic, int bootstrap,
                    CompareReport& report) {
  const auto interval = [&](const std::vector<double>& values, double estimate, double sample_estimate) {
    return bootstrap > 0 ? subsample_interval(values, estimate, sample_estimate, reps.scale, 0.0, 1.0)
                         : Interval{};
  };
  for (std::size_t j = 0; j < layout.columns(); ++j) {
    ColumnShape c;
    c.name = report.columns[j];
    c.metric = j < layout.numeric ? "KSComplement" : "TVComplement";
    c.score = full.shapes[j];
    c.interval = interval(reps.shapes[j], full.shapes[j], reps.sample.shapes[j]);
    if (j < layout.numeric) {
      page_shares(real.numeric[j], synthetic.numeric[j], c.real_shares, c.synthetic_shares);
    } else {
      std::vector<double> r, s;
      category_totals(real, nullptr, layout.categories, r);
      category_totals(synthetic, nullptr, layout.categories, s);
      for (std::size_t k = 0; k < layout.categories && k < kPageBins; ++k) {
        c.real_shares[k] = r[k] / static_cast<double>(real.rows());
        c.synthetic_shares[k] = s[k] / static_cast<double>(synthetic.rows());
        c.bin_labels.push_back(k < real.domains.size() ? real.domains[k] : std::string("(none)"));
      }
    }
    report.shape_columns.push_back(std::move(c));
  }
  for (std::size_t k = 0; k < layout.pairs.size(); ++k) {
    const PairSpec& spec = layout.pairs[k];
    PairTrend p;
    p.first = report.columns[spec.first];
    p.second = report.columns[spec.second];
    p.metric = spec.contingency ? "ContingencySimilarity" : "CorrelationSimilarity";
    p.score = full.pair_score[k];
    p.real = full.pair_real[k];
    p.synthetic = full.pair_synthetic[k];
    p.counted = full.pair_counted[k] != 0;
    p.interval = interval(reps.pairs[k], p.score, bootstrap > 0 ? reps.sample.pair_score[k] : kNaN);
    report.counted_pairs += p.counted ? 1 : 0;
    report.pairs.push_back(std::move(p));
  }
  report.shapes = full.shape_score;
  report.shapes_interval = interval(reps.shape_score, full.shape_score, reps.sample.shape_score);
  report.trends = full.trend_score;
  report.trends_interval = interval(reps.trend_score, full.trend_score, reps.sample.trend_score);
  report.quality = full.overall;
  report.quality_interval = interval(reps.overall, full.overall, reps.sample.overall);
}

}  // namespace synth::compare
