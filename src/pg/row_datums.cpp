#include "pg/row_datums.hpp"

#include "pg/bridge.hpp"

namespace synth::pg {

RowDatumBuffers* RowDatumBuffers::create(const std::string_view* domain_names, std::size_t domains,
                                         const std::string_view* tier_names, std::size_t tiers,
                                         std::uint32_t dimension, MemoryContext context) {
  return pg_guard([=] {
    MemoryContext old = MemoryContextSwitchTo(context);
    auto* b = static_cast<RowDatumBuffers*>(palloc0(sizeof(RowDatumBuffers)));
    b->dimension = dimension;
    b->domain_text = static_cast<Datum*>(palloc(sizeof(Datum) * Max(domains, 1)));
    for (std::size_t k = 0; k < domains; ++k)
      b->domain_text[k] = PointerGetDatum(
          cstring_to_text_with_len(domain_names[k].data(), static_cast<int>(domain_names[k].size())));
    b->tier_text = static_cast<Datum*>(palloc(sizeof(Datum) * Max(tiers, 1)));
    for (std::size_t t = 0; t < tiers; ++t)
      b->tier_text[t] = PointerGetDatum(
          cstring_to_text_with_len(tier_names[t].data(), static_cast<int>(tier_names[t].size())));
    Datum* zeros = static_cast<Datum*>(palloc(sizeof(Datum) * Max(dimension, 1u)));
    for (std::uint32_t i = 0; i < dimension; ++i) zeros[i] = Float8GetDatum(0.0);
    b->features = construct_array(zeros, static_cast<int>(dimension), FLOAT8OID, sizeof(double),
                                  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
    MemoryContextSwitchTo(old);
    return b;
  });
}

void RowDatumBuffers::fill_columns(std::int64_t sample_id, std::size_t domain, std::size_t tier,
                                   const PromptPair& prompts, const double* feature_values, double score,
                                   Datum* values) {
  values[kSampleIdColumn] = Int64GetDatum(sample_id);
  values[kDomainColumn] = domain_text[domain];
  values[kTierColumn] = tier_text[tier];

  SET_VARSIZE(original, VARHDRSZ + prompts.original_length);
  std::memcpy(VARDATA(original), prompts.original, prompts.original_length);
  values[kOriginalColumn] = PointerGetDatum(original);

  SET_VARSIZE(enhanced, VARHDRSZ + prompts.enhanced_length);
  std::memcpy(VARDATA(enhanced), prompts.enhanced, prompts.enhanced_length);
  values[kEnhancedColumn] = PointerGetDatum(enhanced);

  std::memcpy(ARR_DATA_PTR(features), feature_values, sizeof(double) * dimension);
  values[kFeaturesColumn] = PointerGetDatum(features);
  values[kScoreColumn] = Float8GetDatum(score);
}

}  // namespace synth::pg
