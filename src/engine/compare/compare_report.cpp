// The comparison itself: one pass over the columns each side kept, bounded
// samples for the models and distances, bootstrap replicates as weights.
#include "engine/compare/compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "engine/compare/compare_model.hpp"
#include "engine/compare/compare_stats.hpp"
#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"

namespace synth {
namespace {

using compare::Contingency;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kCorrelationThreshold = 0.5;  // SDMetrics' QualityReport defaults
constexpr double kAssociationThreshold = 0.3;

// A counter-based generator: the same seed and stream give the same draws
// on every platform.
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t stream) : state_(derive_key(seed, stream)) {}
  std::uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

 private:
  std::uint64_t state_;
};

// Knuth's selection sampling: m of n row numbers, ascending, in one pass.
std::vector<std::size_t> choose_rows(std::size_t n, std::size_t m, Random& random) {
  std::vector<std::size_t> rows;
  if (m >= n) {
    rows.resize(n);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    return rows;
  }
  rows.reserve(m);
  for (std::size_t i = 0; i < n && rows.size() < m; ++i) {
    poll_interrupt();
    if (static_cast<double>(n - i) * random.uniform() < static_cast<double>(m - rows.size()))
      rows.push_back(i);
  }
  return rows;
}

SideColumns take_rows(const SideColumns& side, const std::vector<std::size_t>& rows) {
  SideColumns out;
  out.dimension = side.dimension;
  out.numeric.resize(side.numeric.size());
  for (std::size_t j = 0; j < side.numeric.size(); ++j) {
    out.numeric[j].reserve(rows.size());
    for (std::size_t r : rows) {
      poll_interrupt();
      out.numeric[j].push_back(side.numeric[j][r]);
    }
  }
  out.domain.reserve(rows.size());
  for (std::size_t r : rows) out.domain.push_back(side.domain[r]);
  out.has_domain = side.has_domain;
  return out;
}

// Multinomial counts of one bootstrap replicate: n draws with replacement.
std::vector<double> resample_counts(std::size_t n, Random& random) {
  std::vector<double> counts(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    poll_interrupt();
    counts[random.below(n)] += 1.0;
  }
  return counts;
}

// One bootstrap's view of the quality statistics.
struct QualityValues {
  std::vector<double> shapes;  // per column
  std::vector<double> pair_score, pair_real, pair_synthetic;
  std::vector<char> pair_counted;
  double shape_score = kNaN, trend_score = kNaN, overall = kNaN;
};

struct PairSpec {
  std::size_t first, second;  // second == numeric count: the domain
  bool contingency;
};

struct QualityLayout {
  std::size_t numeric = 0;  // feature columns + the score
  bool domain = false;
  std::size_t categories = 0;  // domain codes 0..categories-1 (the last: no domain)
  std::vector<PairSpec> pairs;
};

void category_totals(const SideColumns& side, const double* weights, std::size_t categories,
                     std::vector<double>& out) {
  out.assign(categories, 0.0);
  for (std::size_t i = 0; i < side.rows(); ++i)
    out[static_cast<std::size_t>(side.domain[i])] += weights ? weights[i] : 1.0;
}

// The pair scores and the domain's TVComplement (columns in row order).
void pairs_and_domain(const QualityLayout& layout, const SideColumns& real, const double* real_weights,
                      const SideColumns& synthetic, const double* synthetic_weights, QualityValues& out) {
  const std::size_t pairs = layout.pairs.size();
  out.pair_score.assign(pairs, kNaN);
  out.pair_real.assign(pairs, kNaN);
  out.pair_synthetic.assign(pairs, kNaN);
  out.pair_counted.assign(pairs, 0);
  for (std::size_t k = 0; k < pairs; ++k) {
    const PairSpec& pair = layout.pairs[k];
    const std::vector<double>& rx = real.numeric[pair.first];
    const std::vector<double>& sx = synthetic.numeric[pair.first];
    if (!pair.contingency) {
      const double r =
          compare::pearson(rx.data(), real.numeric[pair.second].data(), real_weights, real.rows());
      const double s = compare::pearson(sx.data(), synthetic.numeric[pair.second].data(), synthetic_weights,
                                        synthetic.rows());
      out.pair_real[k] = r;
      out.pair_synthetic[k] = s;
      if (std::isfinite(r) && std::isfinite(s)) out.pair_score[k] = 1.0 - std::fabs(r - s) / 2.0;
      out.pair_counted[k] = std::isfinite(out.pair_score[k]) && std::fabs(r) > kCorrelationThreshold;
    } else {
      const Contingency rt =
          compare::bin_against(rx.data(), real.domain.data(), real_weights, real.rows(), layout.categories);
      const Contingency st = compare::bin_against(sx.data(), synthetic.domain.data(), synthetic_weights,
                                                  synthetic.rows(), layout.categories);
      out.pair_score[k] = compare::contingency_similarity(rt, st);
      out.pair_real[k] = compare::cramers_v(rt);
      out.pair_synthetic[k] = compare::cramers_v(st);
      out.pair_counted[k] = std::isfinite(out.pair_score[k]) && std::isfinite(out.pair_real[k]) &&
                            out.pair_real[k] > kAssociationThreshold;
    }
  }
  if (layout.domain) {
    std::vector<double> r, s;
    category_totals(real, real_weights, layout.categories, r);
    category_totals(synthetic, synthetic_weights, layout.categories, s);
    out.shapes[layout.numeric] = compare::tv_complement(r, s);
  }
}

double finite_mean(const std::vector<double>& values, const std::vector<char>* keep = nullptr) {
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (keep && !(*keep)[i]) continue;
    if (std::isfinite(values[i])) sum += values[i], ++n;
  }
  return n ? sum / static_cast<double>(n) : kNaN;
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
  out.rows = compare::sort_order(column);
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
  return 1.0 - compare::ks_statistic(a.values.data(), a_scratch.data(), a.values.size(), b.values.data(),
                                     b_scratch.data(), b.values.size());
}

// The 95% interval from replicates of a statistic computed on a subsample:
// percentiles, shifted to centre on the full-data estimate and scaled by the
// ratio of standard errors (1 when the subsample is the whole data).
Interval interval_of(std::vector<double> replicates, double estimate, double subsample_estimate, double scale,
                     double low_bound, double high_bound) {
  Interval out;
  if (replicates.empty() || !std::isfinite(estimate)) return out;
  const double lo = compare::quantile(replicates, 0.025), hi = compare::quantile(replicates, 0.975);
  if (!std::isfinite(lo) || !std::isfinite(hi)) return out;
  const double centre = std::isfinite(subsample_estimate) ? subsample_estimate : estimate;
  out.low = std::clamp(estimate + scale * (lo - centre), low_bound, high_bound);
  out.high = std::clamp(estimate + scale * (hi - centre), low_bound, high_bound);
  out.low = std::min(out.low, estimate);
  out.high = std::max(out.high, estimate);
  return out;
}

Interval plain_interval(const std::vector<double>& replicates, double estimate, double low_bound,
                        double high_bound) {
  return interval_of(replicates, estimate, estimate, 1.0, low_bound, high_bound);
}

// Wilson's 95% interval for a share: the bootstrap of a proportion converges
// to it, and it needs no pass over the rows.
Interval wilson(std::uint64_t hits, std::uint64_t n) {
  Interval out;
  if (n == 0) return out;
  const double z = 1.959963984540054, nn = static_cast<double>(n);
  const double p = static_cast<double>(hits) / nn;
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
  out.low = std::max(0.0, centre - half);
  out.high = std::min(1.0, centre + half);
  return out;
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

// ---- Models -----------------------------------------------------------------

// Standardised numeric columns (optionally without the score) and the domain
// one-hot, for the rows of one sample.
struct Encoder {
  // Column j is standardised as (x / scale - mean) / sd: the scale is 1
  // unless the column's sums overflow, and then its largest magnitude.
  std::vector<double> scale, mean, sd;
  std::size_t numeric = 0;
  std::size_t categories = 0;  // 0: no domain columns

  std::size_t width() const { return numeric + categories; }
  void append(const SideColumns& side, std::size_t row, std::vector<double>& out) const {
    poll_interrupt(static_cast<std::uint32_t>(numeric + categories));
    for (std::size_t j = 0; j < numeric; ++j)
      out.push_back((side.numeric[j][row] / scale[j] - mean[j]) / sd[j]);
    for (std::size_t c = 0; c < categories; ++c)
      out.push_back(static_cast<std::size_t>(side.domain[row]) == c ? 1.0 : 0.0);
  }
};

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

// Held-out predictions of one fold, kept for the AUC bootstrap.
struct FoldScores {
  std::vector<double> scores, labels;
  std::vector<std::size_t> order;
  double auc = kNaN;
};

FoldScores score_rows(const compare::LogisticModel& model, const compare::Design& test) {
  FoldScores out;
  out.labels = test.labels;
  out.scores.reserve(test.rows());
  for (std::size_t i = 0; i < test.rows(); ++i) {
    poll_interrupt(static_cast<std::uint32_t>(test.width));
    out.scores.push_back(model.predict(test.row(i)));
  }
  out.order = compare::sort_order(out.scores);
  out.auc = compare::roc_auc(out.scores, out.labels, out.order);
  return out;
}

// Stratified k folds: each class shuffled, then dealt round the folds.
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

std::vector<FoldScores> cross_validate(const compare::Design& all, std::size_t folds, Random& random) {
  const std::vector<std::size_t> fold = fold_of(all.labels, folds, random);
  std::vector<FoldScores> out;
  for (std::size_t f = 0; f < folds; ++f) {
    compare::Design train, test;
    train.width = test.width = all.width;
    for (std::size_t i = 0; i < all.rows(); ++i) {
      poll_interrupt(static_cast<std::uint32_t>(all.width));
      compare::Design& into = fold[i] == f ? test : train;
      into.values.insert(into.values.end(), all.row(i), all.row(i) + all.width);
      into.labels.push_back(all.labels[i]);
    }
    out.push_back(score_rows(compare::fit_logistic(train), test));
  }
  return out;
}

// One bootstrap replicate of a fold's AUC: its test rows resampled within
// each class (the models are not refitted).
double auc_replicate(const FoldScores& fold, Random& random, std::vector<double>& weights) {
  weights.assign(fold.labels.size(), 0.0);
  std::vector<std::size_t> members[2];
  for (std::size_t i = 0; i < fold.labels.size(); ++i) members[fold.labels[i] > 0.5].push_back(i);
  for (const auto& m : members)
    for (std::size_t k = 0; k < m.size(); ++k) {
      poll_interrupt();
      weights[m[random.below(m.size())]] += 1.0;
    }
  return compare::roc_auc(fold.scores, fold.labels, fold.order, weights.data());
}

double detection_score(const std::vector<double>& aucs) {
  double sum = 0.0;
  for (double auc : aucs) {
    if (!std::isfinite(auc)) return kNaN;
    sum += 2.0 * std::max(auc, 0.5) - 1.0;
  }
  return aucs.empty() ? kNaN : 1.0 - sum / static_cast<double>(aucs.size());
}

// ---- Distances --------------------------------------------------------------

struct DistanceSpace {
  std::vector<double> range;       // per numeric column, over the real rows
  std::vector<double> half_range;  // the same from halved ends, finite where range overflows
  bool domain = false;

  void add_column(double low, double high) {
    range.push_back(high - low);
    half_range.push_back(high / 2 - low / 2);
  }
  double distance(const SideColumns& a, std::size_t i, const SideColumns& b, std::size_t j) const {
    double sum = 0.0;
    for (std::size_t c = 0; c < range.size(); ++c) {
      const double x = a.numeric[c][i], y = b.numeric[c][j];
      const double gap = std::fabs(x - y);
      if (!(range[c] > 0)) {
        sum += gap > 0 ? 1.0 : 0.0;
      } else if (std::isfinite(range[c])) {
        sum += std::min(1.0, gap / range[c]);
      } else {
        sum += std::min(1.0, std::fabs(x / 2 - y / 2) / half_range[c]);
      }
    }
    if (domain) sum += a.domain[i] == b.domain[j] ? 0.0 : 1.0;
    return sum / static_cast<double>(range.size() + (domain ? 1 : 0));
  }
  std::vector<double> closest(const SideColumns& queries, const SideColumns& reference) const {
    std::vector<double> out(queries.rows(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < queries.rows(); ++i)
      for (std::size_t j = 0; j < reference.rows() && out[i] > 0.0; ++j) {
        poll_interrupt(static_cast<std::uint32_t>(range.size() + 1));
        out[i] = std::min(out[i], distance(queries, i, reference, j));
      }
    return out;
  }
};

std::uint64_t row_hash(const SideColumns& side, std::size_t row) {
  std::uint64_t h = 0x243f6a8885a308d3ULL;
  for (std::size_t j = 0; j < side.dimension; ++j) {
    double x = side.numeric[j][row];
    if (x == 0.0) x = 0.0;  // -0 equals 0
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    h = mix64(h ^ bits);
  }
  return h;
}

std::uint64_t count_exact_copies(const SideColumns& real, const SideColumns& synthetic) {
  std::vector<std::pair<std::uint64_t, std::size_t>> index;
  index.reserve(real.rows());
  for (std::size_t i = 0; i < real.rows(); ++i) {
    poll_interrupt(static_cast<std::uint32_t>(real.dimension + 1));
    index.emplace_back(row_hash(real, i), i);
  }
  std::sort(index.begin(), index.end());
  std::uint64_t copies = 0;
  for (std::size_t i = 0; i < synthetic.rows(); ++i) {
    poll_interrupt(static_cast<std::uint32_t>(synthetic.dimension + 1));
    const std::uint64_t h = row_hash(synthetic, i);
    auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(h, std::size_t{0}));
    for (; it != index.end() && it->first == h; ++it) {
      bool same = true;
      for (std::size_t j = 0; same && j < real.dimension; ++j)
        same = real.numeric[j][it->second] == synthetic.numeric[j][i];
      if (same) {
        ++copies;
        break;
      }
    }
  }
  return copies;
}

// ---- Inputs -----------------------------------------------------------------

// The sides a table reader builds hold finite values only (the gate counts
// the others as non_finite); columns built any other way get the same
// treatment here, so no NaN or infinity reaches a sort or a tie loop.
void drop_non_finite(CompareSideInput& side) {
  SideColumns& c = side.columns;
  std::size_t kept = 0;
  for (std::size_t r = 0; r < c.rows(); ++r) {
    poll_interrupt(static_cast<std::uint32_t>(c.numeric.size()));
    bool finite = true;
    for (const std::vector<double>& column : c.numeric) finite = finite && std::isfinite(column[r]);
    if (!finite) continue;
    for (std::vector<double>& column : c.numeric) column[kept] = column[r];
    c.domain[kept++] = c.domain[r];
  }
  side.invalid[static_cast<std::size_t>(InvalidReason::kNonFinite)] += c.rows() - kept;
  for (std::vector<double>& column : c.numeric) column.resize(kept);
  c.domain.resize(kept);
}

void require_rows(const CompareSideInput& side, const char* which) {
  const std::uint64_t valid = side.columns.rows();
  if (valid >= 2) return;
  std::string message = std::string(which) + " side " + side.source.table;
  if (side.source.data_source)
    message += " (data_source = '" + *side.source.data_source + "')";
  else if (side.source.sources)
    message += " (real rows: " + *side.source.sources + ")";
  message += valid == 0 ? " has no valid rows" : " has only 1 valid row";
  throw Error(sqlstate::kDataException, message,
              "The comparison needs at least 2 valid rows on each side; " + std::to_string(side.rows_read) +
                  " rows were read and " + std::to_string(side.rows_read - valid) +
                  " of them failed the pipeline's gate or had another dimension.",
              "Check the table and its data_source values with synth_validate.");
}

// One name per feature, none empty, none twice (as synth_fit takes them):
// else the features go by position.
bool usable_names(const std::vector<std::string>& names, std::size_t dimension) {
  if (names.size() != dimension) return false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) return false;
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) return false;
  }
  return true;
}

std::vector<std::string> feature_names(const CompareSideInput& real, const CompareSideInput& synthetic,
                                       std::size_t dimension) {
  const std::vector<std::string>& a = real.source.feature_names;
  const std::vector<std::string>& b = synthetic.source.feature_names;
  const bool a_ok = usable_names(a, dimension), b_ok = usable_names(b, dimension);
  if (a_ok && b_ok && a != b) {
    const bool any_common = std::any_of(a.begin(), a.end(), [&](const std::string& n) {
      return std::find(b.begin(), b.end(), n) != b.end();
    });
    throw Error(any_common ? sqlstate::kDataException : sqlstate::kUndefinedColumn,
                any_common ? "the real and synthetic rows name their features differently"
                           : "the real and synthetic rows have no columns in common",
                "metadata.feature_names differs between " + real.source.table + " and " +
                    synthetic.source.table + ", so the features cannot be paired by position.",
                "Compare tables made by the same pipeline version.");
  }
  if (a_ok) return a;
  if (b_ok) return b;
  std::vector<std::string> names;
  for (std::size_t j = 0; j < dimension; ++j) names.push_back("f" + std::to_string(j + 1));
  return names;
}

// One dictionary of domain names for every side; "no domain" is the last code.
std::size_t unify_domains(std::vector<SideColumns*> sides) {
  std::unordered_map<std::string, std::int32_t> codes;
  std::vector<std::string> names;
  std::vector<std::vector<std::int32_t>> maps;
  for (SideColumns* s : sides) {
    std::vector<std::int32_t> map;
    for (const std::string& name : s->domains) {
      auto [it, inserted] = codes.try_emplace(name, static_cast<std::int32_t>(names.size()));
      if (inserted) names.push_back(name);
      map.push_back(it->second);
    }
    maps.push_back(std::move(map));
  }
  const auto none = static_cast<std::int32_t>(names.size());
  for (std::size_t k = 0; k < sides.size(); ++k)
    for (std::int32_t& code : sides[k]->domain)
      code = code < 0 ? none : maps[k][static_cast<std::size_t>(code)];
  for (SideColumns* s : sides) s->domains = names;
  return names.size() + 1;
}

}  // namespace

SideFacts facts_of(const CompareSideInput& in) {
  SideFacts f;
  f.source = in.source;
  f.rows_read = in.rows_read;
  f.rows = in.columns.rows();
  f.invalid = in.invalid;
  f.dimension = in.columns.dimension;
  f.has_domain = in.columns.has_domain;
  return f;
}

PreparedSides prepare_sides(CompareSideInput& real, CompareSideInput& synthetic, CompareSideInput* holdout) {
  drop_non_finite(real);
  drop_non_finite(synthetic);
  if (holdout) drop_non_finite(*holdout);
  require_rows(real, "the real");
  require_rows(synthetic, "the synthetic");
  if (holdout) require_rows(*holdout, "the holdout");
  const std::size_t d = real.columns.dimension;
  if (synthetic.columns.dimension != d)
    throw Error(sqlstate::kDataException,
                "feature dimensions differ: the real rows have " + std::to_string(d) +
                    " features, the synthetic rows " + std::to_string(synthetic.columns.dimension),
                "Each side's dimension is that of most of its valid rows.",
                "Compare tables made with the same feature set.");
  if (holdout && holdout->columns.dimension != d)
    throw Error(sqlstate::kDataException,
                "feature dimensions differ: the real rows have " + std::to_string(d) +
                    " features, the holdout rows " + std::to_string(holdout->columns.dimension),
                "The holdout must be real rows of the same kind as the real side.");
  PreparedSides out;
  out.dimension = d;
  std::vector<SideColumns*> all_sides = {&real.columns, &synthetic.columns};
  if (holdout) all_sides.push_back(&holdout->columns);
  out.domain = real.columns.has_domain && synthetic.columns.has_domain;
  out.categories = unify_domains(all_sides);
  out.columns = feature_names(real, synthetic, d);
  out.columns.push_back("effectiveness_score");
  if (out.domain) out.columns.push_back("domain");
  return out;
}

CompareReport compare_sides(CompareSideInput real_in, CompareSideInput synthetic_in,
                            std::optional<CompareSideInput> holdout_in, const CompareOptions& options) {
  if (options.bootstrap < 0 || options.bootstrap > kMaxBootstrap)
    throw_invalid_parameter("bootstrap must be between 0 and " + std::to_string(kMaxBootstrap) + ", not " +
                            std::to_string(options.bootstrap));
  const PreparedSides prepared = prepare_sides(real_in, synthetic_in, holdout_in ? &*holdout_in : nullptr);
  const std::size_t d = prepared.dimension;

  CompareReport report;
  report.real = facts_of(real_in);
  report.synthetic = facts_of(synthetic_in);
  if (holdout_in) report.holdout = facts_of(*holdout_in);
  report.bootstrap = options.bootstrap;
  report.seed = options.seed;

  SideColumns& real = real_in.columns;
  SideColumns& synthetic = synthetic_in.columns;
  QualityLayout layout;
  layout.numeric = d + 1;
  layout.domain = prepared.domain;
  layout.categories = prepared.categories;
  report.columns = prepared.columns;
  // Pairs in itertools.combinations order over the columns.
  for (std::size_t i = 0; i < layout.numeric; ++i) {
    for (std::size_t j = i + 1; j < layout.numeric; ++j) layout.pairs.push_back({i, j, false});
    if (layout.domain) layout.pairs.push_back({i, layout.numeric, true});
  }

  // Samples first: the full columns are sorted in place further down.
  Random sampler(options.seed, 1);
  const SideColumns boot_real = take_rows(real, choose_rows(real.rows(), kBootstrapSampleRows, sampler));
  const SideColumns boot_synthetic =
      take_rows(synthetic, choose_rows(synthetic.rows(), kBootstrapSampleRows, sampler));
  const SideColumns model_real = take_rows(real, choose_rows(real.rows(), kModelSampleRows, sampler));
  const SideColumns model_synthetic =
      take_rows(synthetic, choose_rows(synthetic.rows(), kModelSampleRows, sampler));
  const SideColumns dcr_queries = take_rows(synthetic, choose_rows(synthetic.rows(), kDcrQueryRows, sampler));
  const SideColumns dcr_reference = take_rows(real, choose_rows(real.rows(), kDcrReferenceRows, sampler));
  std::size_t holdout_rows = 0;
  SideColumns holdout_real, holdout_reference;
  if (holdout_in) {
    holdout_rows = std::min({real.rows(), holdout_in->columns.rows(), kDcrReferenceRows});
    holdout_real = take_rows(real, choose_rows(real.rows(), holdout_rows, sampler));
    holdout_reference =
        take_rows(holdout_in->columns, choose_rows(holdout_in->columns.rows(), holdout_rows, sampler));
    holdout_in->columns = SideColumns();  // its sample is all we need
  }
  report.privacy.exact_copies = count_exact_copies(real, synthetic);
  report.privacy.rows_checked = synthetic.rows();

  // ---- Quality on every row.
  QualityValues full;
  full.shapes.assign(layout.numeric + (layout.domain ? 1 : 0), kNaN);
  pairs_and_domain(layout, real, nullptr, synthetic, nullptr, full);
  DistanceSpace space;
  space.domain = layout.domain;
  for (std::size_t j = 0; j < layout.numeric; ++j) {
    check_interrupt();
    std::sort(real.numeric[j].begin(), real.numeric[j].end());
    std::sort(synthetic.numeric[j].begin(), synthetic.numeric[j].end());
    full.shapes[j] = 1.0 - compare::ks_statistic(real.numeric[j].data(), nullptr, real.rows(),
                                                 synthetic.numeric[j].data(), nullptr, synthetic.rows());
    space.add_column(real.numeric[j].front(), real.numeric[j].back());
  }
  assemble(full);
  const double median_score = compare::quantile(real.numeric[d], 0.5);

  // ---- Bootstrap replicates of the quality scores, on the bounded samples.
  const std::size_t columns = full.shapes.size(), pairs = layout.pairs.size();
  std::vector<std::vector<double>> shape_reps(columns), pair_reps(pairs);
  std::vector<double> shape_score_reps, trend_reps, overall_reps;
  QualityValues sub;
  sub.shapes.assign(columns, kNaN);
  report.bootstrap_rows_real = boot_real.rows();
  report.bootstrap_rows_synthetic = boot_synthetic.rows();
  double scale = 1.0;
  if (options.bootstrap > 0) {
    std::vector<SortedColumn> sorted_real, sorted_synthetic;
    for (std::size_t j = 0; j < layout.numeric; ++j) {
      sorted_real.push_back(sorted_column(boot_real.numeric[j]));
      sorted_synthetic.push_back(sorted_column(boot_synthetic.numeric[j]));
    }
    const std::vector<double> ones_real(boot_real.rows(), 1.0), ones_synthetic(boot_synthetic.rows(), 1.0);
    std::vector<double> a_scratch, b_scratch;
    const auto evaluate = [&](const std::vector<double>& rw, const std::vector<double>& sw,
                              QualityValues& v) {
      v.shapes.assign(columns, kNaN);
      for (std::size_t j = 0; j < layout.numeric; ++j)
        v.shapes[j] = ks_replicate(sorted_real[j], rw, sorted_synthetic[j], sw, a_scratch, b_scratch);
      pairs_and_domain(layout, boot_real, rw.data(), boot_synthetic, sw.data(), v);
      assemble(v);
    };
    evaluate(ones_real, ones_synthetic, sub);
    const auto inverse_sum = [](double a, double b) { return 1.0 / a + 1.0 / b; };
    scale = std::sqrt(
        inverse_sum(static_cast<double>(real.rows()), static_cast<double>(synthetic.rows())) /
        inverse_sum(static_cast<double>(boot_real.rows()), static_cast<double>(boot_synthetic.rows())));
    Random resampler(options.seed, 2);
    QualityValues rep;
    for (int b = 0; b < options.bootstrap; ++b) {
      check_interrupt();
      const std::vector<double> rw = resample_counts(boot_real.rows(), resampler);
      const std::vector<double> sw = resample_counts(boot_synthetic.rows(), resampler);
      evaluate(rw, sw, rep);
      for (std::size_t j = 0; j < columns; ++j) shape_reps[j].push_back(rep.shapes[j]);
      for (std::size_t k = 0; k < pairs; ++k) pair_reps[k].push_back(rep.pair_score[k]);
      shape_score_reps.push_back(rep.shape_score);
      trend_reps.push_back(rep.trend_score);
      overall_reps.push_back(rep.overall);
    }
  }
  const auto quality_interval = [&](const std::vector<double>& reps, double estimate, double sub_estimate) {
    return options.bootstrap > 0 ? interval_of(reps, estimate, sub_estimate, scale, 0.0, 1.0) : Interval{};
  };
  for (std::size_t j = 0; j < columns; ++j) {
    ColumnShape c;
    c.name = report.columns[j];
    c.metric = j < layout.numeric ? "KSComplement" : "TVComplement";
    c.score = full.shapes[j];
    c.interval = quality_interval(shape_reps[j], full.shapes[j], sub.shapes[j]);
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
  for (std::size_t k = 0; k < pairs; ++k) {
    const PairSpec& spec = layout.pairs[k];
    PairTrend p;
    p.first = report.columns[spec.first];
    p.second = report.columns[spec.second];
    p.metric = spec.contingency ? "ContingencySimilarity" : "CorrelationSimilarity";
    p.score = full.pair_score[k];
    p.real = full.pair_real[k];
    p.synthetic = full.pair_synthetic[k];
    p.counted = full.pair_counted[k] != 0;
    p.interval = quality_interval(pair_reps[k], p.score, options.bootstrap > 0 ? sub.pair_score[k] : kNaN);
    report.counted_pairs += p.counted ? 1 : 0;
    report.pairs.push_back(std::move(p));
  }
  report.shapes = full.shape_score;
  report.shapes_interval = quality_interval(shape_score_reps, full.shape_score, sub.shape_score);
  report.trends = full.trend_score;
  report.trends_interval = quality_interval(trend_reps, full.trend_score, sub.trend_score);
  report.quality = full.overall;
  report.quality_interval = quality_interval(overall_reps, full.overall, sub.overall);

  // ---- Detection: real (label 0) against synthetic (label 1).
  Random model_random(options.seed, 3);
  const std::size_t categories = layout.domain ? layout.categories : 0;
  {
    const Encoder encoder = make_encoder({&model_real, &model_synthetic}, layout.numeric, categories);
    compare::Design design;
    design.width = encoder.width();
    for (std::size_t i = 0; i < model_real.rows(); ++i)
      encoder.append(model_real, i, design.values), design.labels.push_back(0);
    for (std::size_t i = 0; i < model_synthetic.rows(); ++i)
      encoder.append(model_synthetic, i, design.values), design.labels.push_back(1);
    const std::vector<FoldScores> folds = cross_validate(design, kFolds, model_random);
    std::vector<double> aucs;
    for (const FoldScores& f : folds) aucs.push_back(f.auc);
    report.detection.score = detection_score(aucs);
    report.detection.auc = finite_mean(aucs);
    report.detection.rows_real = model_real.rows();
    report.detection.rows_synthetic = model_synthetic.rows();
    std::vector<double> reps, weights;
    for (int b = 0; b < options.bootstrap; ++b) {
      check_interrupt();
      std::vector<double> rep_aucs;
      for (const FoldScores& f : folds) rep_aucs.push_back(auc_replicate(f, model_random, weights));
      reps.push_back(detection_score(rep_aucs));
    }
    if (options.bootstrap > 0)
      report.detection.interval = plain_interval(reps, report.detection.score, 0.0, 1.0);
  }

  // ---- Efficacy: is a row's score above the real median, from its features.
  {
    report.efficacy.threshold = median_score;
    const Encoder encoder = make_encoder({&model_real}, d, categories);
    const auto design_of = [&](const SideColumns& side) {
      compare::Design design;
      design.width = encoder.width();
      for (std::size_t i = 0; i < side.rows(); ++i) {
        encoder.append(side, i, design.values);
        design.labels.push_back(side.numeric[d][i] > median_score ? 1.0 : 0.0);
      }
      return design;
    };
    const compare::Design real_design = design_of(model_real);
    const compare::Design synthetic_design = design_of(model_synthetic);
    const auto both_classes = [](const compare::Design& x) {
      const double positives = std::accumulate(x.labels.begin(), x.labels.end(), 0.0);
      return positives >= 1.0 && positives <= static_cast<double>(x.rows()) - 1.0;
    };
    report.efficacy.rows_real = model_real.rows();
    report.efficacy.rows_synthetic = model_synthetic.rows();
    FoldScores tstr;
    std::vector<FoldScores> trtr;
    if (both_classes(real_design)) {
      trtr = cross_validate(real_design, kFolds, model_random);
      if (both_classes(synthetic_design))
        tstr = score_rows(compare::fit_logistic(synthetic_design), real_design);
    }
    std::vector<double> trtr_aucs;
    for (const FoldScores& f : trtr) trtr_aucs.push_back(f.auc);
    report.efficacy.trtr_auc = trtr.empty() ? kNaN : finite_mean(trtr_aucs);
    report.efficacy.tstr_auc = tstr.scores.empty() ? kNaN : tstr.auc;
    report.efficacy.ratio = report.efficacy.tstr_auc / report.efficacy.trtr_auc;
    if (options.bootstrap > 0 && !trtr.empty()) {
      std::vector<double> tstr_reps, trtr_reps, ratio_reps, weights;
      for (int b = 0; b < options.bootstrap; ++b) {
        check_interrupt();
        double sum = 0.0;
        for (const FoldScores& f : trtr) sum += auc_replicate(f, model_random, weights);
        const double trtr_rep = sum / static_cast<double>(trtr.size());
        const double tstr_rep = tstr.scores.empty() ? kNaN : auc_replicate(tstr, model_random, weights);
        trtr_reps.push_back(trtr_rep);
        tstr_reps.push_back(tstr_rep);
        ratio_reps.push_back(tstr_rep / trtr_rep);
      }
      const double inf = std::numeric_limits<double>::infinity();
      report.efficacy.trtr_interval = plain_interval(trtr_reps, report.efficacy.trtr_auc, 0.0, 1.0);
      report.efficacy.tstr_interval = plain_interval(tstr_reps, report.efficacy.tstr_auc, 0.0, 1.0);
      report.efficacy.ratio_interval = plain_interval(ratio_reps, report.efficacy.ratio, 0.0, inf);
    }
  }

  // ---- Privacy: copies over every row; distances on the bounded samples.
  {
    auto& privacy = report.privacy;
    privacy.exact_copy_share =
        static_cast<double>(privacy.exact_copies) / static_cast<double>(privacy.rows_checked);
    if (options.bootstrap > 0)
      privacy.exact_copy_interval = wilson(privacy.exact_copies, privacy.rows_checked);
    const std::vector<double> dcr = space.closest(dcr_queries, dcr_reference);
    privacy.dcr_median = compare::quantile(dcr, 0.5);
    privacy.dcr_rows_synthetic = dcr_queries.rows();
    privacy.dcr_rows_real = dcr_reference.rows();
    Random privacy_random(options.seed, 4);
    const auto resampled = [&](const std::vector<double>& values) {
      std::vector<double> out(values.size());
      check_interrupt();
      for (double& v : out) v = values[privacy_random.below(values.size())];
      return out;
    };
    std::vector<double> reps;
    for (int b = 0; b < options.bootstrap; ++b) reps.push_back(compare::quantile(resampled(dcr), 0.5));
    if (options.bootstrap > 0) privacy.dcr_interval = plain_interval(reps, privacy.dcr_median, 0.0, 1.0);
    if (holdout_in) {
      privacy.has_holdout = true;
      privacy.holdout_rows = holdout_rows;
      const std::vector<double> to_real = space.closest(dcr_queries, holdout_real);
      const std::vector<double> to_holdout = space.closest(dcr_queries, holdout_reference);
      std::vector<double> closer(to_real.size());
      for (std::size_t i = 0; i < closer.size(); ++i)
        closer[i] = to_real[i] < to_holdout[i] ? 1.0 : to_real[i] == to_holdout[i] ? 0.5 : 0.0;
      privacy.closer_to_real = finite_mean(closer);
      std::vector<double> closer_reps;
      for (int b = 0; b < options.bootstrap; ++b) closer_reps.push_back(finite_mean(resampled(closer)));
      if (options.bootstrap > 0)
        privacy.closer_interval = plain_interval(closer_reps, privacy.closer_to_real, 0.0, 1.0);
    }
  }
  return report;
}

}  // namespace synth
