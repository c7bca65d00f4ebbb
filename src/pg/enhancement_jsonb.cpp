#include "pg/enhancement_jsonb.hpp"

#include <algorithm>

#include "engine/model/version.hpp"

extern "C" {
#include "utils/numeric.h"
}

namespace synth::pg {
namespace {

JsonbValue string_value(std::string_view s) {
  JsonbValue v;
  v.type = jbvString;
  v.val.string.val = const_cast<char*>(s.data());
  v.val.string.len = static_cast<int>(s.size());
  return v;
}

JsonbValue numeric_value(Numeric n) {
  JsonbValue v;
  v.type = jbvNumeric;
  v.val.numeric = n;
  return v;
}

JsonbValue decimal_value(ScaledDecimal d) { return numeric_value(int64_div_fast_to_numeric(d.digits, d.scale)); }

JsonbValue float_value(double x) {
  return numeric_value(DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(x))));
}

JsonbValue array_value(JsonbValue* elements, int count) {
  JsonbValue v;
  v.type = jbvArray;
  v.val.array.nElems = count;
  v.val.array.elems = elements;
  v.val.array.rawScalar = false;
  return v;
}

JsonbValue object_value(JsonbPair* pairs, int count) {
  JsonbValue v;
  v.type = jbvObject;
  v.val.object.nPairs = count;
  v.val.object.pairs = pairs;
  return v;
}

// jsonb stores object keys shorter-first, then bytewise; lookups rely on it.
void sort_pairs(JsonbPair* pairs, int count) {
  for (int i = 0; i < count; ++i) pairs[i].order = static_cast<uint32>(i);
  std::sort(pairs, pairs + count, [](const JsonbPair& a, const JsonbPair& b) {
    const auto& x = a.key.val.string;
    const auto& y = b.key.val.string;
    if (x.len != y.len) return x.len < y.len;
    return std::memcmp(x.val, y.val, static_cast<std::size_t>(x.len)) < 0;
  });
}

int index_of(const JsonbPair* pairs, int count, std::string_view key) {
  for (int i = 0; i < count; ++i)
    if (std::string_view(pairs[i].key.val.string.val, static_cast<std::size_t>(pairs[i].key.val.string.len)) == key)
      return i;
  return -1;
}

}  // namespace

JsonbDocumentBuilder* JsonbDocumentBuilder::create(const DocumentContext& context) {
  auto* b = static_cast<JsonbDocumentBuilder*>(palloc0(sizeof(JsonbDocumentBuilder)));
  for (std::size_t i = 0; i < kFeatureCount; ++i) b->feature_names[i] = string_value(kFeatureNames[i]);
  for (std::size_t i = 0; i < kTierCount; ++i) b->tier_shares[i] = float_value(context.options.tier_shares[i]);
  for (std::size_t i = 0; i < kDomainCount; ++i) {
    b->domain_weights[i].key = string_value(kDomains[i].name);
    b->domain_weights[i].value = float_value(context.options.domain_weights[i]);
  }
  sort_pairs(b->domain_weights, kDomainCount);

  const char* timestamp = pstrdup(context.generation_timestamp);
  JsonbValue null_value;
  null_value.type = jbvNull;
  JsonbValue true_value;
  true_value.type = jbvBool;
  true_value.val.boolean = true;
  const std::pair<std::string_view, JsonbValue> meta[kMetadataKeys] = {
      {"source", string_value(kDocumentSource)},
      {"domain", null_value},
      {"tier", null_value},
      {"generation_timestamp", string_value(timestamp)},
      {"feature_names", array_value(b->feature_names, kFeatureCount)},
      {"quality_validated", true_value},
      {"seed", numeric_value(int64_to_numeric(static_cast<int64>(context.options.seed)))},
      {"n", numeric_value(int64_to_numeric(context.options.n))},
      {"sample_id", null_value},
      {"generator_version", numeric_value(int64_to_numeric(kGeneratorVersion))},
      {"label_noise", float_value(context.options.label_noise)},
      {"tier_shares", array_value(b->tier_shares, kTierCount)},
      {"domain_weights", context.domain_weights_given ? object_value(b->domain_weights, kDomainCount) : null_value},
  };
  for (int i = 0; i < kMetadataKeys; ++i) {
    b->metadata[i].key = string_value(meta[i].first);
    b->metadata[i].value = meta[i].second;
  }
  sort_pairs(b->metadata, kMetadataKeys);
  b->meta_domain = index_of(b->metadata, kMetadataKeys, "domain");
  b->meta_tier = index_of(b->metadata, kMetadataKeys, "tier");
  b->meta_sample_id = index_of(b->metadata, kMetadataKeys, "sample_id");

  const std::string_view top_keys[kTopKeys] = {"enhanced_prompt", "original_prompt", "effectiveness_score", "feature_vector",
                                                 "metadata"};
  for (int i = 0; i < kTopKeys; ++i) {
    b->top[i].key = string_value(top_keys[i]);
    b->top[i].value = null_value;
  }
  sort_pairs(b->top, kTopKeys);
  b->top_enhanced = index_of(b->top, kTopKeys, "enhanced_prompt");
  b->top_original = index_of(b->top, kTopKeys, "original_prompt");
  b->top_score = index_of(b->top, kTopKeys, "effectiveness_score");
  b->top_features = index_of(b->top, kTopKeys, "feature_vector");
  b->top[index_of(b->top, kTopKeys, "metadata")].value = object_value(b->metadata, kMetadataKeys);
  return b;
}

Jsonb* JsonbDocumentBuilder::build(const GeneratedRow& row) {
  for (std::size_t i = 0; i < kFeatureCount; ++i)
    feature_elements[i] = decimal_value(feature_decimal(i, row.features[i]));
  top[top_features].value = array_value(feature_elements, kFeatureCount);
  top[top_score].value = decimal_value(score_decimal(row.score));
  top[top_enhanced].value = string_value(row.prompts.enhanced_text());
  top[top_original].value = string_value(row.prompts.original_text());
  metadata[meta_domain].value = string_value(kDomains[row.domain].name);
  metadata[meta_tier].value = string_value(kTierNames[row.tier]);
  metadata[meta_sample_id].value = numeric_value(int64_to_numeric(row.sample_id));
  JsonbValue document = object_value(top, kTopKeys);
  return JsonbValueToJsonb(&document);
}

}  // namespace synth::pg
