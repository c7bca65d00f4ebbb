// Turns engine rows into the Datums of synth_generate's columns without
// per-row allocations: the text and array values live in buffers reused for
// every row (tuplestore and heap_form_tuple copy them), and the domain and
// tier texts are built once. One set of buffers serves every row source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/generate/prompt_composer.hpp"
#include "engine/generate/row_sampler.hpp"
#include "engine/profile/profile_sampler.hpp"
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

// The row's tier column: a design row's tier, a fitted row's score band.
inline std::size_t row_tier(const GeneratedRow& row) { return row.tier; }
inline std::size_t row_tier(const FittedRow& row) { return row.band; }

// Allocated with palloc in a long-lived context; plain data only.
struct RowDatumBuffers {
  Datum* domain_text;   // per domain index
  Datum* tier_text;     // per tier (or score band) index
  ArrayType* features;  // one-dimensional float8[dimension], values overwritten per row
  std::uint32_t dimension;
  alignas(8) char original[VARHDRSZ + kMaxOriginalLength];
  alignas(8) char enhanced[VARHDRSZ + kMaxEnhancedLength];

  // In `context`; the names are copied.
  static RowDatumBuffers* create(const std::string_view* domain_names, std::size_t domains,
                                 const std::string_view* tier_names, std::size_t tiers,
                                 std::uint32_t dimension, MemoryContext context);

  // Fills the seven synth_generate columns from a sampler's row.
  template <typename Row>
  void fill(const Row& row, Datum* values) {
    fill_columns(row.sample_id, row.domain, row_tier(row), row.prompts, row.features.data(), row.score,
                 values);
  }

 private:
  void fill_columns(std::int64_t sample_id, std::size_t domain, std::size_t tier, const PromptPair& prompts,
                    const double* feature_values, double score, Datum* values);
};

}  // namespace synth::pg
