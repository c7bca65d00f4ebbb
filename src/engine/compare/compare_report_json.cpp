// The comparison as JSON text, for synth_compare (which turns it into jsonb).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/compare/compare_report.hpp"

namespace synth {
namespace {

// Length of a well-formed UTF-8 sequence starting at i, or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  std::uint32_t min_code = 0, code = 0;
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

// JSON tokens with the commas placed automatically; strings escaped, bytes
// that are not UTF-8 replaced by U+FFFD so jsonb_in always accepts the text.
class Json {
 public:
  std::string take() { return std::move(out_); }
  Json& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  Json& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  Json& key(std::string_view name) {
    separate();
    quote(name);
    out_ += ": ";
    after_key_ = true;
    return *this;
  }
  Json& string(std::string_view s) {
    separate();
    quote(s);
    return *this;
  }
  Json& boolean(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  Json& null() {
    separate();
    out_ += "null";
    return *this;
  }
  Json& count(std::uint64_t n) {
    separate();
    out_ += std::to_string(n);
    return *this;
  }
  Json& integer(std::int64_t n) {
    separate();
    out_ += std::to_string(n);
    return *this;
  }
  Json& number(double x) {
    if (!std::isfinite(x)) return null();
    separate();
    if (x == 0.0) x = 0.0;
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    out_.append(buffer, result.ptr);
    return *this;
  }
  Json& interval(const Interval& i) {
    if (!std::isfinite(i.low) || !std::isfinite(i.high)) return null();
    open('[').number(i.low).number(i.high);
    return close(']');
  }

 private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ", ";
    first_ = false;
  }
  void quote(std::string_view s) {
    out_ += '"';
    for (std::size_t i = 0; i < s.size();) {
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
      } else if (std::size_t length = utf8_length(s, i)) {
        out_.append(s.data() + i, length);
        i += length;
      } else {
        out_ += "\xEF\xBF\xBD";
        ++i;
      }
    }
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

void side(Json& j, const SideFacts& s) {
  j.open('{');
  j.key("table").string(s.source.table);
  j.key("layout").string(s.source.layout);
  j.key("column_type").string(s.source.column_type);
  j.key("data_source");
  if (s.source.data_source)
    j.string(*s.source.data_source);
  else
    j.null();
  j.key("only_active").boolean(s.source.only_active);
  j.key("rows_read").count(s.rows_read);
  j.key("rows").count(s.rows);
  std::uint64_t invalid = 0;
  for (std::uint64_t n : s.invalid) invalid += n;
  j.key("invalid_rows").count(invalid);
  j.key("invalid").open('{');
  for (std::size_t k = 0; k < kInvalidReasonCount; ++k) j.key(kInvalidReasonNames[k]).count(s.invalid[k]);
  j.close('}');
  j.key("dimension").count(s.dimension);
  j.key("has_domain").boolean(s.has_domain);
  j.close('}');
}

void rows(Json& j, std::uint64_t real, std::uint64_t synthetic) {
  j.key("rows").open('{').key("real").count(real).key("synthetic").count(synthetic).close('}');
}

}  // namespace

std::string compare_report_json(const CompareReport& r) {
  Json j;
  j.open('{');
  j.key("columns").open('[');
  for (const std::string& c : r.columns) j.string(c);
  j.close(']');
  j.key("real");
  side(j, r.real);
  j.key("synthetic");
  side(j, r.synthetic);
  j.key("holdout");
  if (r.holdout)
    side(j, *r.holdout);
  else
    j.null();
  j.key("bootstrap").open('{');
  j.key("replicates").count(static_cast<std::uint64_t>(r.bootstrap));
  j.key("seed").integer(static_cast<std::int64_t>(r.seed));
  j.key("level").number(0.95);
  rows(j, r.bootstrap_rows_real, r.bootstrap_rows_synthetic);
  j.close('}');

  j.key("quality").open('{');
  j.key("score").number(r.quality);
  j.key("interval").interval(r.quality_interval);
  rows(j, r.real.rows, r.synthetic.rows);
  j.key("column_shapes").open('{');
  j.key("score").number(r.shapes);
  j.key("interval").interval(r.shapes_interval);
  j.key("columns").open('[');
  for (const ColumnShape& c : r.shape_columns) {
    j.open('{').key("name").string(c.name).key("metric").string(c.metric).key("score").number(c.score);
    j.key("interval").interval(c.interval).close('}');
  }
  j.close(']').close('}');
  j.key("column_pair_trends").open('{');
  j.key("score").number(r.trends);
  j.key("interval").interval(r.trends_interval);
  j.key("counted").count(r.counted_pairs);
  j.key("pairs").open('[');
  for (const PairTrend& p : r.pairs) {
    j.open('{').key("columns").open('[').string(p.first).string(p.second).close(']');
    j.key("metric").string(p.metric).key("score").number(p.score);
    j.key("real").number(p.real).key("synthetic").number(p.synthetic).key("counted").boolean(p.counted);
    j.key("interval").interval(p.interval).close('}');
  }
  j.close(']').close('}');
  j.close('}');

  j.key("detection").open('{');
  j.key("metric").string("LogisticDetection");
  j.key("score").number(r.detection.score);
  j.key("interval").interval(r.detection.interval);
  j.key("auc").number(r.detection.auc);
  j.key("folds").count(r.detection.folds);
  rows(j, r.detection.rows_real, r.detection.rows_synthetic);
  j.close('}');

  j.key("efficacy").open('{');
  j.key("threshold").number(r.efficacy.threshold);
  j.key("tstr_auc").number(r.efficacy.tstr_auc);
  j.key("tstr_interval").interval(r.efficacy.tstr_interval);
  j.key("trtr_auc").number(r.efficacy.trtr_auc);
  j.key("trtr_interval").interval(r.efficacy.trtr_interval);
  j.key("ratio").number(r.efficacy.ratio);
  j.key("ratio_interval").interval(r.efficacy.ratio_interval);
  j.key("folds").count(kFolds);
  rows(j, r.efficacy.rows_real, r.efficacy.rows_synthetic);
  j.close('}');

  const auto& p = r.privacy;
  j.key("privacy").open('{');
  j.key("exact_copies").count(p.exact_copies);
  j.key("exact_copy_share").number(p.exact_copy_share);
  j.key("exact_copy_interval").interval(p.exact_copy_interval);
  j.key("rows_checked").count(p.rows_checked);
  j.key("dcr_median").number(p.dcr_median);
  j.key("dcr_interval").interval(p.dcr_interval);
  rows(j, p.dcr_rows_real, p.dcr_rows_synthetic);
  j.key("holdout");
  if (p.has_holdout) {
    j.open('{').key("closer_to_real").number(p.closer_to_real).key("interval").interval(p.closer_interval);
    j.key("rows").count(p.holdout_rows).close('}');
  } else {
    j.null();
  }
  j.close('}');
  j.close('}');
  return j.take();
}

}  // namespace synth
