// Turns the Datums of one fetched row into a RowObservation: walks the jsonb
// binary in place (no text round trip), scans json text with the engine's
// scanner, reads SQL arrays and number columns for the flat layout.
#pragma once

#include <cstdint>

#include "engine/rows/row_observation.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Types a feature or a score may have in the flat layout.
enum class NumberType : std::uint8_t { kNone, kFloat8, kFloat4, kNumeric, kInt2, kInt4, kInt8 };

inline NumberType number_type(Oid type) {
  switch (type) {
    case FLOAT8OID:
      return NumberType::kFloat8;
    case FLOAT4OID:
      return NumberType::kFloat4;
    case NUMERICOID:
      return NumberType::kNumeric;
    case INT2OID:
      return NumberType::kInt2;
    case INT4OID:
      return NumberType::kInt4;
    case INT8OID:
      return NumberType::kInt8;
    default:
      return NumberType::kNone;
  }
}

// Where the query puts each column (1-based; 0: not selected) and how to read
// the flat layout's numbers. Plain data.
struct RowLayout {
  bool pipeline;
  bool json_text;  // pipeline layout with a json (not jsonb) column
  int result_column;
  int features_column;
  int score_column;
  int domain_column;
  int prompt_column;
  NumberType element_type;
  NumberType score_type;
  int16 element_length;
  bool element_byval;
  char element_align;
};

// Fills *row from one row's values. Calls the backend (detoasting, numeric
// output) and holds only plain data, so a backend ERROR may longjmp out of it:
// call it inside pg_guard or from an executor callback. Allocates in the
// current memory context; *row keeps no pointer into that memory.
void observe_row(const Datum* values, const bool* nulls, const RowLayout& layout, RowObservation* row);

}  // namespace synth::pg
