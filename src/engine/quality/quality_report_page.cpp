// The report as a page of text for psql (synth_report): at most style.width
// display columns per line, histograms drawn with block characters.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/page_text.hpp"
#include "engine/quality/quality_report.hpp"

namespace synth {
namespace {

std::string format(const char* pattern, double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, x);
  return buffer;
}

std::string integer(std::uint64_t n) { return std::to_string(n); }

// x in scientific notation with `digits` decimals and a bare exponent
// ("-2.47e9", "1.0e-300"): the shortest form that still reads as a number.
std::string scientific(double x, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits, x);
  std::string text = buffer;
  std::size_t e = text.find('e');
  std::string exponent = text.substr(e + 1);
  const bool negative = exponent[0] == '-';
  exponent.erase(0, exponent.find_first_not_of("+-0"));
  if (exponent.empty()) exponent = "0";
  return text.substr(0, e + 1) + (negative ? "-" : "") + exponent;
}

// Text for a finite x in at most `room` characters: three decimals when they
// fit, else scientific notation with as many digits as fit. Any finite double
// fits 7 characters ("-2e-308"), so callers give room >= 7.
std::string compact(double x, std::size_t room) {
  const std::string decimals = fixed(x);
  if (decimals.size() <= room) return decimals;
  for (int digits = 3; digits > 0; --digits) {
    std::string text = scientific(x, digits);
    if (text.size() <= room) return text;
  }
  return scientific(x, 0);
}

// A value inside running text: three decimals, or "-" when undefined.
std::string plain(const std::optional<double>& x) {
  if (!x || !std::isfinite(*x)) return "-";
  return compact(*x, 12);
}

// A value right-aligned in a cell of `width` columns whose first column stays
// blank, so neighbouring cells never run together.
std::string number(const std::optional<double>& x, std::size_t width = 8) {
  if (!x || !std::isfinite(*x)) return pad_left("-", width);
  return pad_left(compact(*x, width - 1), width);
}

class Page {
 public:
  explicit Page(const PageStyle& style) : style_(style) {}

  void line(std::string_view text = {}) {
    std::string clipped = clip(text, style_.width);
    clipped.erase(clipped.find_last_not_of(' ') + 1);  // no trailing blanks
    lines_.push_back(std::move(clipped));
  }
  std::vector<std::string> take() { return std::move(lines_); }
  std::size_t width() const { return style_.width; }

  const char* bar_full() const { return style_.unicode ? "\u2588" : "#"; }
  // 1..7 eighths of a cell, for the tip of a horizontal bar.
  std::string bar_tip(int eighths) const {
    static const char* const kTips[] = {"",       "\u258F", "\u258E", "\u258D",
                                        "\u258C", "\u258B", "\u258A", "\u2589"};
    if (!style_.unicode) return eighths >= 4 ? "#" : (eighths > 0 ? "+" : "");
    return kTips[std::clamp(eighths, 0, 7)];
  }
  // A vertical block of height 1..8 (0: a blank cell).
  std::string block(int level) const {
    static const char kAscii[] = " .:-=+*#@";
    level = std::clamp(level, 0, 8);
    if (!style_.unicode) return std::string(1, kAscii[level]);
    return block_glyph(level);
  }
  const char* rule() const { return style_.unicode ? "\u2502" : "|"; }
  const char* mark(bool passed) const {
    if (style_.unicode) return passed ? "\u2713" : "\u2717";
    return passed ? "+" : "x";
  }
  const char* compare(Comparison c) const {
    if (style_.unicode) return c == Comparison::kAtLeast ? "\u2265" : "\u2264";
    return c == Comparison::kAtLeast ? ">=" : "<=";
  }
  const char* squared() const { return style_.unicode ? "\u00B2" : "^2"; }

  // A bar of count/max over `cells` columns, in eighths of a cell.
  std::string bar(std::uint64_t count, std::uint64_t max, std::size_t cells) const {
    if (count == 0 || max == 0) return {};
    long eighths =
        std::lround(static_cast<double>(count) / static_cast<double>(max) * static_cast<double>(cells * 8));
    eighths = std::max(eighths, 1L);
    std::string out;
    for (long i = 0; i < eighths / 8; ++i) out += bar_full();
    out += bar_tip(static_cast<int>(eighths % 8));
    return out;
  }

  // Block height 1..8 for a non-zero count, relative to the largest.
  int level(std::uint64_t count, std::uint64_t max) const {
    if (count == 0 || max == 0) return 0;
    return std::clamp(
        static_cast<int>(std::ceil(8.0 * static_cast<double>(count) / static_cast<double>(max))), 1, 8);
  }

  // below│bins│above, blanks padding the bins to kMaxHistogramBins cells.
  std::string sparkline(const Histogram& h, const HistogramSpec& spec) const {
    std::uint64_t max = std::max(h.below, h.above);
    for (std::size_t b = 0; b < spec.bins; ++b) max = std::max(max, h.bins[b]);
    std::string out = block(level(h.below, max));
    out += rule();
    for (std::size_t b = 0; b < kMaxHistogramBins; ++b)
      out += b < spec.bins ? block(level(h.bins[b], max)) : " ";
    out += rule();
    out += block(level(h.above, max));
    return out;
  }

 private:
  PageStyle style_;
  std::vector<std::string> lines_;
};

void render_header(Page& page, const QualityReport& r) {
  page.line("synthdata quality report: " + r.source.table);
  std::string source = "source: " + r.source.layout + " layout (" + r.source.column_type + ")";
  source += r.source.data_source ? ", data_source = '" + *r.source.data_source + "'"
                                 : std::string(", every data_source");
  source += r.source.only_active ? ", active rows only" : "";
  page.line(source);
  page.line("rows: " + integer(r.sample_count) + " read, " + integer(r.valid_count) + " valid, " +
            integer(r.sample_count - r.valid_count) + " dropped by the gate");
}

void render_invalid(Page& page, const QualityReport& r) {
  page.line();
  page.line("Rows the gate drops, by first reason");
  for (std::size_t i = 0; i < kInvalidReasonCount / 2; ++i) {
    const std::size_t j = i + kInvalidReasonCount / 2;
    page.line("  " + pad_right(kInvalidReasonNames[i], 20) + pad_left(integer(r.invalid[i]), 10) + "     " +
              pad_right(kInvalidReasonNames[j], 20) + pad_left(integer(r.invalid[j]), 10));
  }
}

void render_score(Page& page, const QualityReport& r) {
  page.line();
  page.line("Effectiveness score: min " + plain(r.score.min) + ", max " + plain(r.score.max) + ", mean " +
            plain(r.score.mean) + ", std " + plain(r.score.std));
  std::uint64_t max = 0;
  for (std::size_t b = 0; b < kScoreHistogram.bins; ++b) max = std::max(max, r.score_histogram.bins[b]);
  constexpr std::size_t kBarCells = 50;
  for (std::size_t b = 0; b < kScoreHistogram.bins; ++b) {
    const double low = static_cast<double>(b) / 10.0;
    std::string label = format("%.1f", low) + "-" + format("%.1f", low + 0.1);
    std::string bar = page.bar(r.score_histogram.bins[b], max, kBarCells);
    page.line("  " + label + " " + page.rule() + pad_right(bar, kBarCells) + " " +
              pad_left(integer(r.score_histogram.bins[b]), 10));
  }
  page.line("  tiers: low " + integer(r.tiers[0]) + ", medium " + integer(r.tiers[1]) + ", high " +
            integer(r.tiers[2]) + ", between " + integer(r.between_tiers));
  page.line("  range coverage " + format("%.1f", r.range_coverage) + ": " + integer(r.score_bins_used) +
            " of " + integer(kScoreHistogram.bins) + " bins hold a score");
  // The tier bands, and why generated rows leave two bins empty.
  std::string bands = "  tier bands:";
  for (std::size_t t = 0; t < kTierCount; ++t)
    bands += std::string(t ? "," : "") + " " + std::string(kTierNames[t]) + " " +
             format("%.1f", kTierBands[t].low) + "-" + format("%.1f", kTierBands[t].high);
  page.line(bands + "; generated rows");
  std::string gaps = "  leave";
  for (std::size_t t = 0; t + 1 < kTierCount; ++t)
    gaps += std::string(t ? " and " : " ") + format("%.1f", kTierBands[t].high) + "-" +
            format("%.1f", kTierBands[t + 1].low);
  page.line(gaps + " empty by design (real rows may fill them)");
}

// At most `bytes` bytes of a name, never cutting a UTF-8 sequence.
std::string clip_name(const std::string& name, std::size_t bytes) {
  if (name.size() <= bytes) return name;
  std::size_t length = bytes;
  while (length > 0 && (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) --length;
  return name.substr(0, length);
}

void render_features(Page& page, const QualityReport& r) {
  page.line();
  page.line(pad_right("Features", 19) + pad_right("histogram", 15) +
            "     min     max    mean     std r(score)");
  const bool histograms = r.feature_histograms.size() == r.dimension;
  for (std::size_t f = 0; f < r.dimension; ++f) {
    const ValueSummary& s = r.features[f];
    const std::string cells =
        histograms ? page.sparkline(r.feature_histograms[f], kFeatureHistograms[f]) : std::string(15, ' ');
    page.line("  " + pad_right(clip_name(r.feature_names[f], 16), 17) + cells + number(s.min) +
              number(s.max) + number(s.mean) + number(s.std) + number(r.label_correlations[f], 9));
  }
  if (histograms) {
    page.line("  bins: tenths of 0-1 (length: of 0-300), complexity one per integer 0-10;");
    page.line(std::string("  the cells outside ") + page.rule() + "..." + page.rule() +
              " count values below and above that range");
  } else {
    page.line("  " + std::to_string(r.dimension) +
              " features: histograms are drawn for the pipeline's six only");
  }
  page.line();
  page.line("Feature correlations: max |r| " + plain(r.max_correlation) + ", mean |r| " +
            plain(r.mean_correlation));
  if (r.max_correlation_pair)
    page.line("  largest between " + clip_name(r.feature_names[r.max_correlation_pair->first], 30) + " and " +
              clip_name(r.feature_names[r.max_correlation_pair->second], 30));
  page.line("Label signal: a linear fit on the " + std::to_string(r.dimension) + " features explains R" +
            page.squared() + " = " + plain(r.linear_r2));
  page.line("  of the score variance (the r(score) column: each feature alone)");
}

void render_domains(Page& page, const QualityReport& r) {
  page.line();
  page.line("Domains (valid rows)           rows   share");
  std::uint64_t max = 0;
  for (const auto& entry : r.domain_distribution) max = std::max(max, entry.second);
  for (const auto& [name, count] : r.domain_distribution) {
    std::string share =
        r.valid_count > 0
            ? format("%.1f%%", 100.0 * static_cast<double>(count) / static_cast<double>(r.valid_count))
            : std::string("-");
    page.line("  " + pad_right(name, 22) + pad_left(integer(count), 10) + pad_left(share, 8) + "  " +
              page.bar(count, max, 30));
  }
  page.line("  known domains covered: " + integer(r.domains_covered) + " of " + integer(kDomainCount));
  if (r.distinct_prompts)
    page.line("Distinct prompts: " + integer(*r.distinct_prompts) +
              (r.distinct_prompts_exact ? " (exact)" : " (HyperLogLog estimate, about 1% error)"));
  else
    page.line("Distinct prompts: - (no prompt column)");
}

void render_checks(Page& page, const QualityReport& r) {
  page.line();
  page.line("Checks");
  std::size_t passed = 0;
  bool first = true;
  CheckSource source = CheckSource::kGate;
  for (const QualityCheck& check : r.checks) {
    if (first || check.source != source) {
      source = check.source;
      page.line(source == CheckSource::kGate
                    ? "  the gate: the pipeline's hard limits; it will not train when one fails"
                    : "  the plan: the goals the pipeline's plan states for a training set");
    }
    first = false;
    if (check.passed) ++passed;
    // Counts against whole thresholds, ratios against fractional ones.
    const bool counted = check.threshold == std::floor(check.threshold);
    std::string value;
    if (!check.value || !std::isfinite(*check.value))
      value = "-";
    else if (counted && *check.value == std::floor(*check.value) && std::fabs(*check.value) < 1e8)
      value = format("%.0f", *check.value);
    else
      value = compact(*check.value, 8);
    std::string threshold = check.threshold == std::floor(check.threshold) ? format("%.0f", check.threshold)
                                                                           : format("%g", check.threshold);
    page.line(std::string("  ") + page.mark(check.passed) + " " + pad_right(check.name, 26) +
              pad_left(value, 8) + " " + page.compare(check.comparison) + " " + pad_right(threshold, 5) +
              " " + check.meaning);
  }
  std::string outcome = r.overall_quality ? "PASS" : "FAIL";
  std::string more;  // a second line, when the first would be too wide
  if (r.sample_count == 0) {
    // Plainly, and no wider than the filter that was applied.
    outcome += r.source.only_active   ? ": the table has no active rows"
               : r.source.data_source ? ": the table has no rows"
                                      : ": the table is empty";
    if (r.source.data_source) more = "with data_source = '" + *r.source.data_source + "'";
  } else if (r.valid_count == 0)
    outcome += ": no valid rows to judge (the gate drops all " + integer(r.sample_count) + ")";
  else
    outcome += " (" + integer(passed) + " of " + integer(r.checks.size()) + " checks pass)";
  const std::string last = "Overall quality: " + outcome;
  if (more.empty()) {
    page.line(last);
  } else if (display_width(last) + 1 + display_width(more) <= page.width()) {
    page.line(last + " " + more);
  } else {
    page.line(last);
    page.line("  " + more);
  }
}

}  // namespace

std::vector<std::string> quality_report_page(const QualityReport& report, const PageStyle& style) {
  Page page(style);
  render_header(page, report);
  render_invalid(page, report);
  render_score(page, report);
  render_features(page, report);
  render_domains(page, report);
  render_checks(page, report);
  return page.take();
}

}  // namespace synth
