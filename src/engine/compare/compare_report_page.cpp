// The comparison as a page of text for psql (synth_compare_report): at most
// style.width columns a line; each column's real and synthetic histograms
// side by side, the worst pairs, the model and privacy lines, a verdict.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "engine/compare/compare_report.hpp"
#include "engine/model/number_text.hpp"
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
  if (std::isfinite(ratio) && !r.efficacy.above_chance)
    parts.push_back("transfer not judged (TRTR near chance)");
  else if (std::isfinite(ratio))
    parts.push_back(ratio >= 0.9 ? "transfers to real data" : "transfers poorly");
  if (r.privacy.exact_copies > 0)
    parts.push_back(std::to_string(r.privacy.exact_copies) + " exact copies");
  else
    parts.push_back("no exact copies");
  std::string out = "verdict: ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

// text in lines of at most `width` columns, broken at blanks; a word wider
// than a line is broken at character boundaries, never cut short. Lines after
// the first start with `indent`.
std::vector<std::string> wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::vector<std::string> out;
  std::size_t start = std::min(text.find_first_not_of(' '), text.size());
  const std::string lead = text.substr(0, start);  // the first line's own indent
  std::string current = lead;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    const auto room = [&] { return width - display_width(current); };
    if (current != lead && current != indent && display_width(word) + 1 > room()) {
      out.push_back(current);
      current = indent;
    }
    if (current != lead && current != indent) current += ' ';
    while (display_width(word) > room()) {  // only a word wider than a whole line
      const std::string head = clip(word, room());
      out.push_back(current + head);
      current = indent;
      word.erase(0, head.size());
    }
    current += word;
  }
  if (current != lead && current != indent) out.push_back(current);
  return out;
}

// With a holdout: the synthetic rows and the ceiling against it, the columns
// furthest below their ceiling, and the augmentation lines.
void holdout_lines(const CompareReport& r, const std::function<void(std::string)>& line,
                   const std::function<void(const std::string&, const std::string&)>& paragraph) {
  if (r.against_holdout) {
    const HoldoutFigures& h = *r.against_holdout;
    line("against the holdout   synthetic  ceiling (the real rows against it)");
    line("  quality             " + pad_right(fixed(h.quality), 11) + fixed(h.quality_ceiling));
    line("  detection           " + pad_right(fixed(h.detection), 11) + fixed(h.detection_ceiling));
    std::vector<std::size_t> order(h.column_shapes.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto gap = [&](std::size_t c) {
      const double g = h.column_ceilings[c] - h.column_shapes[c];
      return std::isfinite(g) ? g : -2.0;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return gap(a) > gap(b); });
    std::string worst = "  furthest below the ceiling:";
    for (std::size_t k = 0; k < std::min<std::size_t>(3, order.size()); ++k)
      worst += (k ? ", " : " ") + r.shape_columns[order[k]].name + " " + fixed(h.column_shapes[order[k]]) +
               " (" + fixed(h.column_ceilings[order[k]]) + ")";
    paragraph(worst, "    ");
    paragraph(
        "  the ceiling is fresh real data: scoring above it against the real rows but not against the "
        "holdout means the synthetic rows memorise",
        "  ");
  }
  if (r.augmentation) {
    const AugmentFigures& a = *r.augmentation;
    line("augmentation  accuracy on the holdout, real rows alone " + fixed(a.real_accuracy));
    for (const AugmentArm& arm : a.arms)
      line("  + " +
           pad_right(
               format_readable(arm.ratio) + " synthetic a row (" + std::to_string(arm.synthetic_rows) + ")",
               26) +
           fixed(arm.accuracy) + ", difference " + with_interval(arm.difference, arm.interval));
    paragraph(
        "  model: a median split of its training rows' scores from the features, trained on the real rows "
        "with and without synthetic ones (the loader adds 0.3 a row)",
        "  ");
  }
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
  const auto paragraph = [&](const std::string& text, const std::string& indent) {
    for (std::string& l : wrap(text, style.width, indent)) line(std::move(l));
  };
  const bool one_table = r.synthetic.source.data_source.has_value();
  paragraph("synthdata compare: " + r.real.source.table + (one_table ? " real" : "") + " vs " +
                r.synthetic.source.table + (one_table ? " synthetic" : ""),
            "  ");
  line("real " + side(r.real) + ", synthetic " + side(r.synthetic) + "; " + std::to_string(r.real.dimension) +
       " features");
  if (r.real.source.sources) paragraph("real rows: " + *r.real.source.sources, "  ");
  line(r.bootstrap > 0
           ? "95% intervals from " + std::to_string(r.bootstrap) + " bootstrap replicates, seed " +
                 std::to_string(static_cast<std::int64_t>(r.seed))
           : "no intervals (bootstrap => 0)");
  line("");
  line("quality    " + with_interval(r.quality, r.quality_interval));
  line("  shapes   " + with_interval(r.shapes, r.shapes_interval));
  line("  pairs    " + with_interval(r.trends, r.trends_interval) + "  (" + std::to_string(r.counted_pairs) +
       " of " + std::to_string(r.pairs.size()) + " pairs show a trend)");
  if (r.bootstrap > 0)
    paragraph(
        "  [low, high] is a 95% interval. A quality score often sits low in its own interval: the score "
        "of a finite sample is biased low, and the interval allows for it.",
        "  ");
  line("");
  // A name wider than its cell goes on a line of its own, the figures below it.
  const auto named_row = [&](const std::string& lead, const std::string& name, std::size_t cell,
                             const std::string& rest) {
    if (display_width(name) <= cell) {
      line(lead + pad_right(name, cell) + rest);
      return;
    }
    paragraph(lead + name, lead + "  ");
    line(lead + std::string(cell, ' ') + rest);
  };
  line(pad_right("column", 20) + pad_right("", 5) + pad_right("score", 7) + pad_right("real", 14) +
       "synthetic");
  std::vector<std::string> domain_labels;
  for (const ColumnShape& c : r.shape_columns) {
    double peak = 0.0;
    for (std::size_t k = 0; k < kPageBins; ++k)
      peak = std::max({peak, c.real_shares[k], c.synthetic_shares[k]});
    named_row("", c.name, 19,
              " " + pad_right(short_metric(c.metric), 5) + pad_right(fixed(c.score), 7) +
                  pad_right(bars(c.real_shares, peak, style.unicode), 14) +
                  bars(c.synthetic_shares, peak, style.unicode));
    if (!c.bin_labels.empty()) domain_labels = c.bin_labels;
  }
  paragraph(
      "  KS = 1 - the largest gap between the two CDFs (numeric columns), TV = 1 - the total variation "
      "distance of the domain shares; bars: each side's shares in 12 equal bins over both sides' range",
      "  ");
  if (!domain_labels.empty()) {
    std::string text = "  domain bars, left to right:";
    for (std::size_t k = 0; k < domain_labels.size(); ++k) text += (k ? ", " : " ") + domain_labels[k];
    paragraph(text, "    ");
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
    named_row("  ", p.first + " ~ " + p.second, 25,
              " " + pad_right(short_metric(p.metric), 5) + pad_right(fixed(p.score), 7) +
                  pad_right(fixed(p.real, 2), 7) + pad_right(fixed(p.synthetic, 2), 7) +
                  (p.counted ? "counted" : ""));
  }
  if (!order.empty())
    paragraph(
        "  corr: two numeric columns, real/synth their Pearson r; cont: a column by domain, real/synth "
        "its Cramer's V; counted: the real rows show a trend (|r|>0.5, V>0.3), so the pair counts "
        "toward the pairs score",
        "  ");
  line("");
  line("detection  " + with_interval(r.detection.score, r.detection.interval) +
       "  (1 = indistinguishable; AUC " + fixed(r.detection.auc) + ")");
  line("efficacy   TSTR AUC " + fixed(r.efficacy.tstr_auc) + ", TRTR AUC " + fixed(r.efficacy.trtr_auc) +
       ", ratio " + with_interval(r.efficacy.ratio, r.efficacy.ratio_interval));
  line("privacy    " + std::to_string(r.privacy.exact_copies) + " exact copies of " +
       std::to_string(r.privacy.rows_checked) + "; DCR median " +
       with_interval(r.privacy.dcr_median, r.privacy.dcr_interval));
  paragraph(
      "           DCR: distance to the closest real row, each column's gap a share of its real range: 0 = a "
      "copy, 1 = a whole range away in every column",
      "           ");
  if (r.privacy.has_holdout)
    line("           nearer real than holdout " +
         with_interval(r.privacy.closer_to_real, r.privacy.closer_interval) + " (0.5 = none)");
  line("");
  if (r.against_holdout || r.augmentation) {
    holdout_lines(r, line, paragraph);
    line("");
  }
  paragraph(verdict(r), "        ");
  return lines;
}

}  // namespace synth
