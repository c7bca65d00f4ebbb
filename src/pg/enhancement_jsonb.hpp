// Builds the enhancement_result document as binary jsonb straight from a row,
// without JSON text: constant parts (feature names, options) are built once
// per call, and object keys are sorted once into jsonb's key order.
#pragma once

#include "engine/generate/enhancement_document.hpp"
#include "engine/profile/fitted_document.hpp"
#include "engine/profile/profile_sampler.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Where a document's per-row values sit once its keys are in jsonb's order:
// the top-level prompts, score and features, the metadata's domain, tier and
// sample_id.
struct DocumentSlots {
  int enhanced, original, score, features;
  int domain, tier, sample_id;
};

struct JsonbDocumentBuilder {
  static constexpr int kTopKeys = 5;
  static constexpr int kMetadataKeys = 13;

  JsonbPair top[kTopKeys];
  JsonbPair metadata[kMetadataKeys];
  JsonbValue feature_elements[kFeatureCount];
  JsonbValue feature_names[kFeatureCount];
  JsonbValue tier_shares[kTierCount];
  JsonbPair domain_weights[kDomainCount];
  DocumentSlots at;

  // In CurrentMemoryContext, which must outlive every build() call.
  static JsonbDocumentBuilder* create(const DocumentContext& context);
  // The metadata's label_noise, tier_shares and domain_weights as every
  // document of the call holds them, as one jsonb object (the jsonb twin of
  // write_options_json: the numbers may differ in their 16th digit).
  static Jsonb* options(const DocumentContext& context);
  // A new jsonb in CurrentMemoryContext.
  Jsonb* build(const GeneratedRow& row);
};

// The same for a row drawn from a profile: the document write_fitted_json
// writes, as jsonb_in would read it back (numbers from the same shortest
// texts, so equal numerics and scales), without the text round trip. Plain
// data, palloc'd; it reads the sampler's profile and options and the
// document context, which must outlive it.
struct FittedJsonbBuilder {
  static constexpr int kTopKeys = 5;
  static constexpr int kMetadataKeys = 12;

  JsonbPair top[kTopKeys];
  JsonbPair metadata[kMetadataKeys];
  JsonbValue* feature_elements;  // dimension
  JsonbValue* feature_names;     // dimension
  JsonbPair* domain_weights;     // the domains with a weight other than 0
  std::uint32_t dimension;
  const char* const* domain_names;  // per profile domain, NUL-terminated copies
  const int* domain_name_lengths;
  DocumentSlots at;

  // In CurrentMemoryContext, which must outlive every build() call.
  static FittedJsonbBuilder* create(const ProfileSampler& sampler, const FittedDocumentContext& context);
  // A new jsonb in CurrentMemoryContext.
  Jsonb* build(const FittedRow& row);
};

}  // namespace synth::pg
