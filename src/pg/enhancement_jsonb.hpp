// Builds the enhancement_result document as binary jsonb straight from a row,
// without JSON text: constant parts (feature names, options) are built once
// per call, and object keys are sorted once into jsonb's key order.
#pragma once

#include "engine/generate/enhancement_document.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

struct JsonbDocumentBuilder {
  static constexpr int kTopKeys = 5;
  static constexpr int kMetadataKeys = 13;

  JsonbPair top[kTopKeys];
  JsonbPair metadata[kMetadataKeys];
  JsonbValue feature_elements[kFeatureCount];
  JsonbValue feature_names[kFeatureCount];
  JsonbValue tier_shares[kTierCount];
  JsonbPair domain_weights[kDomainCount];
  // Where the per-row values sit after sorting.
  int top_enhanced, top_original, top_score, top_features;
  int meta_domain, meta_tier, meta_sample_id;

  // In CurrentMemoryContext, which must outlive every build() call.
  static JsonbDocumentBuilder* create(const DocumentContext& context);
  // A new jsonb in CurrentMemoryContext.
  Jsonb* build(const GeneratedRow& row);
};

}  // namespace synth::pg
