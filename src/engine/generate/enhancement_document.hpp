// The pipeline's enhancement_result document for a generated row
// (docs/design.md §1): what the pipeline reads, plus what regenerates the row.
// This file writes it as JSON text (for json columns); src/pg builds the
// same document as binary jsonb from the same pieces.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/model/domain_table.hpp"
#include "engine/generate/generator_options.hpp"
#include "engine/generate/row_sampler.hpp"

namespace synth {

inline constexpr const char* kDocumentSource = "synthdata";
inline constexpr std::size_t kMaxDocumentLength = 4096;

// Per-call facts shared by every row's metadata.
struct DocumentContext {
  GeneratorOptions options;
  bool domain_weights_given = false;
  char generation_timestamp[40] = {};  // ISO 8601, UTC
};

// A decimal with `scale` digits after the point, trailing zeros dropped:
// the exact value the engine rounded to (digits / 10^scale).
struct ScaledDecimal {
  std::int64_t digits;
  int scale;
};
ScaledDecimal to_scaled_decimal(double value, int max_scale);
// Features carry 3 decimals (length and complexity none), scores 4.
ScaledDecimal feature_decimal(std::size_t feature, double value);
ScaledDecimal score_decimal(double score);

// Writes the document into buffer (capacity kMaxDocumentLength); returns its length.
std::size_t write_enhancement_json(const GeneratedRow& row, const DocumentContext& context, char* buffer);

// The metadata's label_noise, tier_shares and domain_weights, as the document
// writes them, in a JSON object of their own: with seed, n and
// generator_version they name the dataset a design-table row belongs to.
std::string write_options_json(const DocumentContext& context);

}  // namespace synth
