// Rows drawn from a profile as a row source (see row_source.hpp): the
// ProfileSampler of a profile passed as jsonb, and each row's document.
#pragma once

#include "engine/profile/fitted_document.hpp"
#include "engine/profile/profile_sampler.hpp"
#include "pg/enhancement_jsonb.hpp"
#include "pg/row_source.hpp"

namespace synth::pg {

struct FittedRows : SampledRows<ProfileSampler, FittedDocumentContext, FittedJsonbBuilder> {
  std::size_t json_capacity = 0;  // of json_buffer's data

  // Reads profile, n, seed and domain_weights; tier_shares and label_noise
  // must keep their defaults (a profile replaces them).
  static FittedRows* open(FunctionCallInfo fcinfo, const RowArgs& at, MemoryContext memory);

  // Every document names the profile's hash and the transaction's start.
  void start_documents(int format, MemoryContext memory);
  struct varlena* json(const Row& row);
  void name_dataset(DatasetDigest& digest) const;
};

}  // namespace synth::pg
