// The design table's rows as a row source (see row_source.hpp): the
// RowSampler of the generator options, and the pipeline's document of each row.
#pragma once

#include "engine/generate/enhancement_document.hpp"
#include "engine/generate/row_sampler.hpp"
#include "pg/enhancement_jsonb.hpp"
#include "pg/row_source.hpp"

namespace synth::pg {

// json_buffer: VARHDRSZ + kMaxDocumentLength.
struct DesignRows : SampledRows<RowSampler, DocumentContext, JsonbDocumentBuilder> {
  static DesignRows* open(FunctionCallInfo fcinfo, const RowArgs& at, MemoryContext memory);

  void start_documents(int format, MemoryContext memory);
  struct varlena* json(const Row& row);
  void name_dataset(DatasetDigest& digest) const;
};
// Lives in memory contexts across backend calls that may longjmp.
static_assert(std::is_trivially_destructible_v<DesignRows>);

}  // namespace synth::pg
