#include "engine/generate/enhancement_document.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/model/number_text.hpp"
#include "engine/model/version.hpp"

namespace synth {
namespace {

class JsonWriter {
 public:
  explicit JsonWriter(char* buffer) : buffer_(buffer) {}
  void raw(std::string_view text) {
    for (char c : text) put(c);
  }
  void string(std::string_view text) {
    put('"');
    for (char c : text) {
      if (c == '"' || c == '\\') {
        put('\\');
        put(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
        raw(escaped);
      } else {
        put(c);
      }
    }
    put('"');
  }
  void decimal(ScaledDecimal d) {
    char text[48];
    std::int64_t scale = 1;
    for (int i = 0; i < d.scale; ++i) scale *= 10;
    const char* sign = d.digits < 0 ? "-" : "";
    std::int64_t magnitude = d.digits < 0 ? -d.digits : d.digits;
    if (d.scale == 0)
      std::snprintf(text, sizeof text, "%s%" PRId64, sign, magnitude);
    else
      std::snprintf(text, sizeof text, "%s%" PRId64 ".%0*" PRId64, sign, magnitude / scale, d.scale,
                    magnitude % scale);
    raw(text);
  }
  // "0.05", as jsonb's numeric shows the same option.
  void number(double v) {
    char text[40];
    raw(format_shortest(v, text, sizeof text));
  }
  void integer(std::int64_t v) {
    char text[32];
    std::snprintf(text, sizeof text, "%" PRId64, v);
    raw(text);
  }
  std::size_t length() const { return length_; }

 private:
  void put(char c) {
    if (length_ < kMaxDocumentLength) buffer_[length_++] = c;
  }
  char* buffer_;
  std::size_t length_ = 0;
};

// The options the rows were drawn with, as metadata members.
void write_options(JsonWriter& w, const DocumentContext& context) {
  w.raw("\"label_noise\": ");
  w.number(context.options.label_noise);
  w.raw(", \"tier_shares\": [");
  for (std::size_t i = 0; i < kTierCount; ++i) {
    if (i) w.raw(", ");
    w.number(context.options.tier_shares[i]);
  }
  w.raw("], \"domain_weights\": ");
  if (!context.domain_weights_given) {
    w.raw("null");
  } else {
    w.raw("{");
    for (std::size_t i = 0; i < kDomainCount; ++i) {
      if (i) w.raw(", ");
      w.string(kDomains[i].name);
      w.raw(": ");
      w.number(context.options.domain_weights[i]);
    }
    w.raw("}");
  }
}

}  // namespace

ScaledDecimal to_scaled_decimal(double value, int max_scale) {
  double factor = std::pow(10.0, max_scale);
  ScaledDecimal d{static_cast<std::int64_t>(std::llround(value * factor)), max_scale};
  while (d.scale > 0 && d.digits % 10 == 0) {
    d.digits /= 10;
    --d.scale;
  }
  return d;
}

ScaledDecimal feature_decimal(std::size_t feature, double value) {
  const bool whole = feature == static_cast<std::size_t>(Feature::kLength) ||
                     feature == static_cast<std::size_t>(Feature::kComplexity);
  return to_scaled_decimal(value, whole ? 0 : 3);
}

ScaledDecimal score_decimal(double score) { return to_scaled_decimal(score, 4); }

std::size_t write_enhancement_json(const GeneratedRow& row, const DocumentContext& context, char* buffer) {
  JsonWriter w(buffer);
  w.raw("{\"enhanced_prompt\": ");
  w.string(row.prompts.enhanced_text());
  w.raw(", \"original_prompt\": ");
  w.string(row.prompts.original_text());
  w.raw(", \"effectiveness_score\": ");
  w.decimal(score_decimal(row.score));
  w.raw(", \"feature_vector\": [");
  for (std::size_t i = 0; i < kFeatureCount; ++i) {
    if (i) w.raw(", ");
    w.decimal(feature_decimal(i, row.features[i]));
  }
  w.raw("], \"metadata\": {\"source\": ");
  w.string(kDocumentSource);
  w.raw(", \"domain\": ");
  w.string(kDomains[row.domain].name);
  w.raw(", \"tier\": ");
  w.string(kTierNames[row.tier]);
  w.raw(", \"generation_timestamp\": ");
  w.string(context.generation_timestamp);
  w.raw(", \"feature_names\": [");
  for (std::size_t i = 0; i < kFeatureCount; ++i) {
    if (i) w.raw(", ");
    w.string(kFeatureNames[i]);
  }
  w.raw("], \"quality_validated\": true, \"seed\": ");
  w.integer(static_cast<std::int64_t>(context.options.seed));
  w.raw(", \"n\": ");
  w.integer(context.options.n);
  w.raw(", \"sample_id\": ");
  w.integer(row.sample_id);
  w.raw(", \"generator_version\": ");
  w.integer(kGeneratorVersion);
  w.raw(", ");
  write_options(w, context);
  w.raw("}}");
  return w.length();
}

std::string write_options_json(const DocumentContext& context) {
  char buffer[kMaxDocumentLength];
  JsonWriter w(buffer);
  w.raw("{");
  write_options(w, context);
  w.raw("}");
  return std::string(buffer, w.length());
}

}  // namespace synth
