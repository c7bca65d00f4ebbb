// Small helpers between C++ strings and PostgreSQL values.
#pragma once

#include <string>
#include <vector>

#include "pg/postgres.hpp"

namespace synth::pg {

// Parses JSON text produced by the engine into a jsonb Datum.
Datum jsonb_from_json_text(const std::string& json);

// A text Datum copied from a C++ string (palloc'd in the current context).
inline Datum text_datum(const std::string& s) {
  return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size())));
}

// The set-returning context of a function that returns a page of text lines;
// refused (0A000) before anything is read when it cannot take a materialized set.
ReturnSetInfo* page_result_context(FunctionCallInfo fcinfo, const char* function_name);

// Stores the lines as a one-column text set (column named `column`) in the
// context page_result_context returned.
void return_page_lines(ReturnSetInfo* result_info, const std::vector<std::string>& lines, const char* column);

}  // namespace synth::pg
