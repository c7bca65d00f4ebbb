// The report as JSON text, for synth_validate (which turns it into jsonb).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/quality/quality_report.hpp"

namespace synth {
namespace {

// Appends JSON tokens to a string; commas are placed automatically.
class JsonWriter {
 public:
  std::string take() { return std::move(out_); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view name) {
    separate();
    write_string(name);
    out_ += ": ";
    after_key_ = true;
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    separate();
    write_string(s);
    return *this;
  }
  JsonWriter& boolean(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }
  JsonWriter& count(std::uint64_t n) {
    separate();
    char buffer[24];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
    out_.append(buffer, result.ptr);
    return *this;
  }
  // Shortest text that reads back as the same double; null if not finite.
  JsonWriter& number(double x) {
    if (!std::isfinite(x)) return null();
    separate();
    if (x == 0.0) x = 0.0;  // no "-0"
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    out_.append(buffer, result.ptr);
    return *this;
  }
  JsonWriter& number(const std::optional<double>& x) { return x ? number(*x) : null(); }

 private:
  JsonWriter& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ", ";
    first_ = false;
  }

  // Escapes quotes, backslashes and control characters; bytes that are not
  // UTF-8 become U+FFFD, so the text is always valid JSON for jsonb_in.
  void write_string(std::string_view s) {
    out_ += '"';
    std::size_t i = 0;
    while (i < s.size()) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += static_cast<char>(c);
        ++i;
      } else if (c == 0) {
        out_ += "\\ufffd";
        ++i;
      } else if (c < 0x20) {
        static const char* const kHex = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xF];
        ++i;
      } else if (c < 0x80) {
        out_ += static_cast<char>(c);
        ++i;
      } else {
        std::size_t length = utf8_sequence_length(s, i);
        if (length == 0) {
          out_ += "\xEF\xBF\xBD";
          ++i;
        } else {
          out_.append(s.data() + i, length);
          i += length;
        }
      }
    }
    out_ += '"';
  }

  // Length of a well-formed UTF-8 sequence starting at i, or 0.
  static std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = 0;
    std::uint32_t min_code = 0;
    std::uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, min_code = 0x80, code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, min_code = 0x800, code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, min_code = 0x10000, code = lead & 0x07;
    } else {
      return 0;
    }
    if (s.size() - i < length) return 0;
    for (std::size_t k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return 0;
      code = (code << 6) | (c & 0x3F);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return length;
  }

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

void write_summary(JsonWriter& w, const ValueSummary& s) {
  w.key("min").number(s.min);
  w.key("max").number(s.max);
  w.key("mean").number(s.mean);
  w.key("std").number(s.std);
}

}  // namespace

std::string quality_report_json(const QualityReport& report) {
  JsonWriter w;
  w.begin_object();
  w.key("table").string(report.source.table);
  w.key("layout").string(report.source.layout);
  w.key("filter").begin_object();
  w.key("data_source");
  if (report.source.data_source)
    w.string(*report.source.data_source);
  else
    w.null();
  w.key("only_active").boolean(report.source.only_active);
  w.end_object();

  w.key("sample_count").count(report.sample_count);
  w.key("valid_count").count(report.valid_count);
  w.key("invalid").begin_object();
  for (std::size_t r = 0; r < kInvalidReasonCount; ++r)
    w.key(kInvalidReasonNames[r]).count(report.invalid[r]);
  w.end_object();

  w.key("min_samples_met").boolean(report.min_samples_met);
  w.key("ensemble_ready").boolean(report.ensemble_ready);
  w.key("class_diversity").boolean(report.class_diversity);
  w.key("variance_sufficient").boolean(report.variance_sufficient);
  w.key("no_invalid_values").boolean(report.no_invalid_values);

  w.key("effectiveness").begin_object();
  write_summary(w, report.score);
  w.key("range_coverage").number(report.range_coverage);
  w.end_object();

  w.key("tiers").begin_object();
  for (std::size_t t = 0; t < kTierCount; ++t) w.key(kTierNames[t]).count(report.tiers[t]);
  w.key("between").count(report.between_tiers);
  w.end_object();

  w.key("domain_distribution").begin_object();
  for (const auto& [name, count] : report.domain_distribution) w.key(name).count(count);
  w.end_object();
  w.key("domains_covered").count(report.domains_covered);

  w.key("feature_dimension").count(report.dimension);
  w.key("features").begin_array();
  for (std::size_t f = 0; f < report.dimension; ++f) {
    w.begin_object();
    w.key("name").string(report.feature_names[f]);
    write_summary(w, report.features[f]);
    w.end_object();
  }
  w.end_array();

  w.key("feature_correlations").begin_object();
  w.key("max_correlation").number(report.max_correlation);
  w.key("mean_correlation").number(report.mean_correlation);
  w.key("max_pair");
  if (report.max_correlation_pair) {
    w.begin_array();
    w.string(report.feature_names[report.max_correlation_pair->first]);
    w.string(report.feature_names[report.max_correlation_pair->second]);
    w.end_array();
  } else {
    w.null();
  }
  w.key("correlation_threshold_met").boolean(report.correlation_threshold_met);
  w.end_object();

  w.key("label_signal").begin_object();
  w.key("correlations").begin_object();
  for (std::size_t f = 0; f < report.dimension; ++f)
    w.key(report.feature_names[f]).number(report.label_correlations[f]);
  w.end_object();
  w.key("linear_r2").number(report.linear_r2);
  w.end_object();

  w.key("distinct_prompts").begin_object();
  w.key("count");
  if (report.distinct_prompts)
    w.count(*report.distinct_prompts);
  else
    w.null();
  w.key("method");
  if (report.distinct_prompts)
    w.string(report.distinct_prompts_exact ? "exact" : "hyperloglog");
  else
    w.null();
  w.end_object();

  w.key("checks").begin_array();
  for (const QualityCheck& check : report.checks) {
    w.begin_object();
    w.key("name").string(check.name);
    w.key("passed").boolean(check.passed);
    w.key("value").number(check.value);
    w.key("threshold").number(check.threshold);
    w.end_object();
  }
  w.end_array();
  w.key("overall_quality").boolean(report.overall_quality);

  // Keyed by check name; the values come from report.thresholds via the checks.
  w.key("thresholds").begin_object();
  for (const QualityCheck& check : report.checks) w.key(check.name).number(check.threshold);
  w.key("score_range").begin_array().number(0.0).number(1.0).end_array();
  w.key("tier_bands").begin_object();
  for (std::size_t tier = 0; tier < kTierCount; ++tier)
    w.key(kTierNames[tier])
        .begin_array()
        .number(kTierBands[tier].low)
        .number(kTierBands[tier].high)
        .end_array();
  w.end_object();
  w.end_object();

  w.end_object();
  return w.take();
}

}  // namespace synth
