// Turns engine rows into Datums without per-row allocations: the text and
// array values live in buffers reused for every row (tuplestore and
// heap_form_tuple copy them), and the domain/tier texts are built once.
#pragma once

#include "engine/model/domain_table.hpp"
#include "engine/generate/prompt_composer.hpp"
#include "engine/generate/row_sampler.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Columns of synth_generate, in declaration order.
enum GenerateColumn {
  kSampleIdColumn = 0,
  kDomainColumn,
  kTierColumn,
  kOriginalColumn,
  kEnhancedColumn,
  kFeaturesColumn,
  kScoreColumn,
  kGenerateColumnCount
};

// Allocated with palloc in a long-lived context; plain data only.
struct RowDatumBuffers {
  Datum domain_text[kDomainCount];
  Datum tier_text[kTierCount];
  ArrayType* features;  // one-dimensional float8[6], values overwritten per row
  alignas(8) char original[VARHDRSZ + kMaxOriginalLength];
  alignas(8) char enhanced[VARHDRSZ + kMaxEnhancedLength];

  static RowDatumBuffers* create();  // in CurrentMemoryContext
  void fill(const GeneratedRow& row, Datum* values);
};

}  // namespace synth::pg
