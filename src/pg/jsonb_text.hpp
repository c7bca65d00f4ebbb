// Small helpers between C++ strings and PostgreSQL values.
#pragma once

#include <string>
#include <vector>

#include "engine/model/page_text.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Parses JSON text produced by the engine into a jsonb Datum.
Datum jsonb_from_json_text(const std::string& json);

// A text Datum copied from a C++ string (palloc'd in the current context).
inline Datum text_datum(const std::string& s) {
  return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size())));
}

// A text[] argument: its non-NULL elements in order, and how many were NULL.
struct TextArray {
  std::vector<std::string> values;
  int nulls = 0;
};
TextArray text_array_argument(FunctionCallInfo fcinfo, int arg);

// The set-returning context of a function that returns a page of text lines;
// refused (0A000) before anything is read when it cannot take a materialized set.
ReturnSetInfo* page_result_context(FunctionCallInfo fcinfo, const char* function_name);

// Whether a page may use block characters and check marks: only where the
// database encoding is UTF8. SQL_ASCII promises nothing about the client's,
// so it gets the ASCII page (as the documentation promises).
bool database_is_utf8();

// Stores the lines as a one-column text set (column named `column`) in the
// context page_result_context returned.
void return_page_lines(ReturnSetInfo* result_info, const std::vector<std::string>& lines, const char* column);

// The body of a function that returns a page: refuses a context that cannot
// take a set before anything is read, then returns the lines write(style)
// gives (a column named after the function), drawn in block characters
// where the database is UTF8.
template <typename WritePage>
Datum return_page(FunctionCallInfo fcinfo, const char* function_name, WritePage write) {
  ReturnSetInfo* result_info = page_result_context(fcinfo, function_name);
  PageStyle style;
  style.unicode = database_is_utf8();
  const std::vector<std::string> lines = write(static_cast<const PageStyle&>(style));
  return_page_lines(result_info, lines, function_name);
  return Datum(0);
}

}  // namespace synth::pg
