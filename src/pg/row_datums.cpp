#include "pg/row_datums.hpp"

namespace synth::pg {

RowDatumBuffers* RowDatumBuffers::create() {
  auto* buffers = static_cast<RowDatumBuffers*>(palloc0(sizeof(RowDatumBuffers)));
  for (std::size_t d = 0; d < kDomainCount; ++d)
    buffers->domain_text[d] = PointerGetDatum(
        cstring_to_text_with_len(kDomains[d].name.data(), static_cast<int>(kDomains[d].name.size())));
  for (std::size_t t = 0; t < kTierCount; ++t)
    buffers->tier_text[t] = PointerGetDatum(
        cstring_to_text_with_len(kTierNames[t].data(), static_cast<int>(kTierNames[t].size())));
  Datum zeros[kFeatureCount];
  for (auto& z : zeros) z = Float8GetDatum(0.0);
  buffers->features =
      construct_array(zeros, kFeatureCount, FLOAT8OID, sizeof(double), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
  return buffers;
}

void RowDatumBuffers::fill(const GeneratedRow& row, Datum* values) {
  values[kSampleIdColumn] = Int64GetDatum(row.sample_id);
  values[kDomainColumn] = domain_text[row.domain];
  values[kTierColumn] = tier_text[row.tier];

  SET_VARSIZE(original, VARHDRSZ + row.prompts.original_length);
  std::memcpy(VARDATA(original), row.prompts.original, row.prompts.original_length);
  values[kOriginalColumn] = PointerGetDatum(original);

  SET_VARSIZE(enhanced, VARHDRSZ + row.prompts.enhanced_length);
  std::memcpy(VARDATA(enhanced), row.prompts.enhanced, row.prompts.enhanced_length);
  values[kEnhancedColumn] = PointerGetDatum(enhanced);

  std::memcpy(ARR_DATA_PTR(features), row.features.data(), sizeof(double) * kFeatureCount);
  values[kFeaturesColumn] = PointerGetDatum(features);
  values[kScoreColumn] = Float8GetDatum(row.score);
}

}  // namespace synth::pg
