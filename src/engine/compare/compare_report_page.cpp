// The comparison as a page of text for psql (synth_compare_report): at most
// style.width columns a line; each column's real and synthetic histograms
// side by side, the worst pairs, the model and privacy lines, a verdict.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "engine/compare/compare_report.hpp"
#include "engine/model/page_text.hpp"

namespace synth {
namespace {

std::string with_interval(double x, const Interval& i) {
  std::string out = fixed(x);
  if (std::isfinite(i.low) && std::isfinite(i.high)) out += " [" + fixed(i.low) + ", " + fixed(i.high) + "]";
  return out;
}

// Shares as a bar of kPageBins characters, scaled to the larger side's peak.
std::string bars(const std::array<double, kPageBins>& shares, double peak, bool unicode) {
  static const char kAscii[] = " .:-=+*#%@";
  std::string out;
  for (double s : shares) {
    const double level = peak > 0 ? s / peak : 0.0;
    if (unicode) {
      out += block_glyph(s > 0 ? std::max(1, static_cast<int>(std::lround(level * 8))) : 0);
    } else {
      out += kAscii[s > 0 ? std::max(1, static_cast<int>(std::lround(level * 9))) : 0];
    }
  }
  return out;
}

std::string short_metric(const std::string& metric) {
  if (metric == "KSComplement") return "KS";
  if (metric == "TVComplement") return "TV";
  if (metric == "CorrelationSimilarity") return "corr";
  return "cont";
}

std::string verdict(const CompareReport& r) {
  std::vector<std::string> parts;
  const double q = r.quality;
  parts.push_back(!std::isfinite(q) ? "quality unknown"
                  : q >= 0.9        ? "resembles the real rows"
                  : q >= 0.75       ? "partly resembles the real rows"
                                    : "does not resemble the real rows");
  const double d = r.detection.score;
  if (std::isfinite(d)) parts.push_back(d >= 0.5 ? "hard to tell apart" : "easy to tell apart");
  const double ratio = r.efficacy.ratio;
  if (std::isfinite(ratio)) parts.push_back(ratio >= 0.9 ? "transfers to real data" : "transfers poorly");
  if (r.privacy.exact_copies > 0)
    parts.push_back(std::to_string(r.privacy.exact_copies) + " exact copies");
  else
    parts.push_back("no exact copies");
  std::string out = "verdict: ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

}  // namespace

std::vector<std::string> compare_report_page(const CompareReport& r, const PageStyle& style) {
  std::vector<std::string> lines;
  const auto line = [&](std::string s) {
    s = clip(s, style.width);
    s.erase(s.find_last_not_of(' ') + 1);
    lines.push_back(std::move(s));
  };
  const auto side = [](const SideFacts& s) {
    std::uint64_t invalid = 0;
    for (std::uint64_t n : s.invalid) invalid += n;
    return std::to_string(s.rows) + " rows (" + std::to_string(invalid) + " left out)";
  };
  const bool one_table = r.synthetic.source.data_source.has_value();
  line("synthdata compare: " + r.real.source.table + (one_table ? " real" : "") + " vs " + r.synthetic.source.table +
       (one_table ? " synthetic" : ""));
  line("real " + side(r.real) + ", synthetic " + side(r.synthetic) + "; " + std::to_string(r.real.dimension) +
       " features");
  if (r.real.source.sources) line("real rows: " + *r.real.source.sources);
  line(r.bootstrap > 0 ? "95% intervals from " + std::to_string(r.bootstrap) + " bootstrap replicates, seed " +
                             std::to_string(static_cast<std::int64_t>(r.seed))
                       : "no intervals (bootstrap => 0)");
  line("");
  line("quality    " + with_interval(r.quality, r.quality_interval));
  line("  shapes   " + with_interval(r.shapes, r.shapes_interval));
  line("  pairs    " + with_interval(r.trends, r.trends_interval) + "  (" + std::to_string(r.counted_pairs) + " of " +
       std::to_string(r.pairs.size()) + " pairs show a trend)");
  line("");
  line(pad_right("column", 20) + pad_right("", 5) + pad_right("score", 7) + pad_right("real", 14) + "synthetic");
  for (const ColumnShape& c : r.shape_columns) {
    double peak = 0.0;
    for (std::size_t k = 0; k < kPageBins; ++k)
      peak = std::max({peak, c.real_shares[k], c.synthetic_shares[k]});
    line(pad_right(c.name, 19) + " " + pad_right(short_metric(c.metric), 5) + pad_right(fixed(c.score), 7) +
         pad_right(bars(c.real_shares, peak, style.unicode), 14) +
         bars(c.synthetic_shares, peak, style.unicode));
  }
  line("");
  std::vector<std::size_t> order(r.pairs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double sa = std::isfinite(r.pairs[a].score) ? r.pairs[a].score : 2.0;
    const double sb = std::isfinite(r.pairs[b].score) ? r.pairs[b].score : 2.0;
    return sa < sb;
  });
  line("worst pairs                      score   real  synth");
  for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
    const PairTrend& p = r.pairs[order[k]];
    line("  " + pad_right(p.first + " ~ " + p.second, 25) + " " + pad_right(short_metric(p.metric), 5) +
         pad_right(fixed(p.score), 7) + pad_right(fixed(p.real, 2), 7) + pad_right(fixed(p.synthetic, 2), 7) +
         (p.counted ? "counted" : ""));
  }
  line("");
  line("detection  " + with_interval(r.detection.score, r.detection.interval) + "  (1 = indistinguishable; AUC " +
       fixed(r.detection.auc) + ")");
  line("efficacy   TSTR AUC " + fixed(r.efficacy.tstr_auc) + ", TRTR AUC " + fixed(r.efficacy.trtr_auc) +
       ", ratio " + with_interval(r.efficacy.ratio, r.efficacy.ratio_interval));
  line("privacy    " + std::to_string(r.privacy.exact_copies) + " exact copies of " +
       std::to_string(r.privacy.rows_checked) + "; DCR median " + with_interval(r.privacy.dcr_median, r.privacy.dcr_interval));
  if (r.privacy.has_holdout)
    line("           nearer real than holdout " + with_interval(r.privacy.closer_to_real, r.privacy.closer_interval) +
         " (0.5 = none)");
  line("");
  // The verdict wrapped at word boundaries.
  std::string current;
  const std::string text = verdict(r);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!current.empty() && display_width(current) + 1 + display_width(word) > style.width) {
      line(current);
      current = "        ";
    }
    current += (current.empty() || current.back() == ' ' ? "" : " ") + word;
    start = end + 1;
  }
  if (!current.empty()) line(current);
  return lines;
}

}  // namespace synth
