#include "pg/enhancement_jsonb.hpp"

#include <algorithm>
#include <vector>

#include "engine/model/number_text.hpp"
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

JsonbValue decimal_value(ScaledDecimal d) {
  return numeric_value(int64_div_fast_to_numeric(d.digits, d.scale));
}

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

// A number as jsonb_in reads the text format_shortest writes for it: a plain
// decimal ("0.612", "148", "-3.5") straight from its digits and scale, which
// gives numeric_in's value and display scale; anything else ("1e-07",
// "3.1e+16") through numeric_in itself.
JsonbValue shortest_value(double x) {
  char text[40];
  format_shortest(x, text, sizeof text);
  const char* c = text;
  const bool negative = *c == '-';
  if (negative) ++c;
  int64 digits = 0;
  int scale = 0;
  int count = 0;
  bool point = false;
  bool plain = *c != '\0';
  for (; *c != '\0'; ++c) {
    if (*c == '.' && !point) {
      point = true;
    } else if (*c >= '0' && *c <= '9' && count < 18) {
      digits = digits * 10 + (*c - '0');
      ++count;
      if (point) ++scale;
    } else {
      plain = false;
      break;
    }
  }
  if (plain) {
    if (negative) digits = -digits;
    return numeric_value(scale == 0 ? int64_to_numeric(digits) : int64_div_fast_to_numeric(digits, scale));
  }
  return numeric_value(DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
                                                           ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1))));
}

int index_of(const JsonbPair* pairs, int count, std::string_view key) {
  for (int i = 0; i < count; ++i)
    if (std::string_view(pairs[i].key.val.string.val,
                         static_cast<std::size_t>(pairs[i].key.val.string.len)) == key)
      return i;
  return -1;
}

// Fills the metadata pairs and the top-level keys, sorts both into jsonb's
// key order, hangs the metadata under "metadata", and says where the per-row
// values sit.
DocumentSlots lay_out(JsonbPair* top, int top_count, JsonbPair* metadata,
                      const std::pair<std::string_view, JsonbValue>* meta, int meta_count) {
  for (int i = 0; i < meta_count; ++i) {
    metadata[i].key = string_value(meta[i].first);
    metadata[i].value = meta[i].second;
  }
  sort_pairs(metadata, meta_count);
  JsonbValue null_value;
  null_value.type = jbvNull;
  const std::string_view top_keys[] = {"enhanced_prompt", "original_prompt", "effectiveness_score",
                                       "feature_vector", "metadata"};
  for (int i = 0; i < top_count; ++i) {
    top[i].key = string_value(top_keys[i]);
    top[i].value = null_value;
  }
  sort_pairs(top, top_count);
  top[index_of(top, top_count, "metadata")].value = object_value(metadata, meta_count);
  return {index_of(top, top_count, "enhanced_prompt"),     index_of(top, top_count, "original_prompt"),
          index_of(top, top_count, "effectiveness_score"), index_of(top, top_count, "feature_vector"),
          index_of(metadata, meta_count, "domain"),        index_of(metadata, meta_count, "tier"),
          index_of(metadata, meta_count, "sample_id")};
}

}  // namespace

JsonbDocumentBuilder* JsonbDocumentBuilder::create(const DocumentContext& context) {
  auto* b = static_cast<JsonbDocumentBuilder*>(palloc0(sizeof(JsonbDocumentBuilder)));
  for (std::size_t i = 0; i < kFeatureCount; ++i) b->feature_names[i] = string_value(kFeatureNames[i]);
  for (std::size_t i = 0; i < kTierCount; ++i)
    b->tier_shares[i] = float_value(context.options.tier_shares[i]);
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
      {"domain_weights",
       context.domain_weights_given ? object_value(b->domain_weights, kDomainCount) : null_value},
  };
  b->at = lay_out(b->top, kTopKeys, b->metadata, meta, kMetadataKeys);
  return b;
}

Jsonb* JsonbDocumentBuilder::options(const DocumentContext& context) {
  JsonbDocumentBuilder* b = create(context);
  JsonbPair pairs[3];
  const std::string_view keys[] = {"label_noise", "tier_shares", "domain_weights"};
  for (int i = 0; i < 3; ++i) pairs[i] = b->metadata[index_of(b->metadata, kMetadataKeys, keys[i])];
  sort_pairs(pairs, 3);
  JsonbValue object = object_value(pairs, 3);
  return JsonbValueToJsonb(&object);
}

Jsonb* JsonbDocumentBuilder::build(const GeneratedRow& row) {
  for (std::size_t i = 0; i < kFeatureCount; ++i)
    feature_elements[i] = decimal_value(feature_decimal(i, row.features[i]));
  top[at.features].value = array_value(feature_elements, kFeatureCount);
  top[at.score].value = decimal_value(score_decimal(row.score));
  top[at.enhanced].value = string_value(row.prompts.enhanced_text());
  top[at.original].value = string_value(row.prompts.original_text());
  metadata[at.domain].value = string_value(kDomains[row.domain].name);
  metadata[at.tier].value = string_value(kTierNames[row.tier]);
  metadata[at.sample_id].value = numeric_value(int64_to_numeric(row.sample_id));
  JsonbValue document = object_value(top, kTopKeys);
  return JsonbValueToJsonb(&document);
}

FittedJsonbBuilder* FittedJsonbBuilder::create(const ProfileSampler& sampler,
                                               const FittedDocumentContext& context) {
  const Profile& p = sampler.profile();
  auto* b = static_cast<FittedJsonbBuilder*>(palloc0(sizeof(FittedJsonbBuilder)));
  b->dimension = static_cast<std::uint32_t>(p.dimension());
  b->feature_elements = static_cast<JsonbValue*>(palloc0(sizeof(JsonbValue) * b->dimension));
  b->feature_names = static_cast<JsonbValue*>(palloc0(sizeof(JsonbValue) * b->dimension));
  for (std::uint32_t i = 0; i < b->dimension; ++i)
    b->feature_names[i] = string_value(pstrdup(p.feature_names[i].c_str()));
  // Copies of the names: the jsonb values point at memory of this context.
  const std::size_t domains = p.domains.size();
  auto** names = static_cast<char**>(palloc(sizeof(char*) * domains));
  auto* lengths = static_cast<int*>(palloc(sizeof(int) * domains));
  for (std::size_t k = 0; k < domains; ++k) {
    lengths[k] = static_cast<int>(p.domains[k].name.size());
    names[k] = static_cast<char*>(palloc(p.domains[k].name.size() + 1));
    std::memcpy(names[k], p.domains[k].name.data(), p.domains[k].name.size());
    names[k][p.domains[k].name.size()] = '\0';
  }
  b->domain_names = names;
  b->domain_name_lengths = lengths;

  JsonbValue null_value;
  null_value.type = jbvNull;
  JsonbValue true_value;
  true_value.type = jbvBool;
  true_value.val.boolean = true;
  JsonbValue weights = null_value;
  if (context.domain_weights_given) {
    int given = 0;
    b->domain_weights =
        static_cast<JsonbPair*>(palloc0(sizeof(JsonbPair) * std::max<std::size_t>(domains, 1)));
    for (std::size_t k = 0; k < domains; ++k) {
      const double weight = sampler.options().domain_weights[k];
      if (weight == 0) continue;
      b->domain_weights[given].key =
          string_value(std::string_view(names[k], static_cast<std::size_t>(lengths[k])));
      b->domain_weights[given].value = shortest_value(weight);
      ++given;
    }
    sort_pairs(b->domain_weights, given);
    weights = object_value(b->domain_weights, given);
  }
  const std::pair<std::string_view, JsonbValue> meta[kMetadataKeys] = {
      {"source", string_value(kDocumentSource)},
      {"domain", null_value},
      {"tier", null_value},
      {"generation_timestamp", string_value(pstrdup(context.generation_timestamp.c_str()))},
      {"feature_names", array_value(b->feature_names, static_cast<int>(b->dimension))},
      {"quality_validated", true_value},
      {"seed", numeric_value(int64_to_numeric(static_cast<int64>(sampler.options().seed)))},
      {"n", numeric_value(int64_to_numeric(sampler.options().n))},
      {"sample_id", null_value},
      {"generator_version", numeric_value(int64_to_numeric(kGeneratorVersion))},
      {"profile_hash", string_value(pstrdup(context.profile_hash.c_str()))},
      {"domain_weights", weights},
  };
  b->at = lay_out(b->top, kTopKeys, b->metadata, meta, kMetadataKeys);
  return b;
}

Jsonb* FittedJsonbBuilder::build(const FittedRow& row) {
  for (std::uint32_t i = 0; i < dimension; ++i) feature_elements[i] = shortest_value(row.features[i]);
  top[at.features].value = array_value(feature_elements, static_cast<int>(dimension));
  top[at.score].value = shortest_value(row.score);
  top[at.enhanced].value = string_value(row.prompts.enhanced_text());
  top[at.original].value = string_value(row.prompts.original_text());
  metadata[at.domain].value = string_value(
      std::string_view(domain_names[row.domain], static_cast<std::size_t>(domain_name_lengths[row.domain])));
  metadata[at.tier].value = string_value(kBandNames[row.band]);
  metadata[at.sample_id].value = numeric_value(int64_to_numeric(row.sample_id));
  JsonbValue document = object_value(top, kTopKeys);
  return JsonbValueToJsonb(&document);
}

}  // namespace synth::pg
