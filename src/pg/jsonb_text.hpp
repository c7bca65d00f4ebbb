// Small helpers between C++ strings and PostgreSQL values.
#pragma once

#include <string>

#include "pg/postgres.hpp"

namespace synth::pg {

// Parses JSON text produced by the engine into a jsonb Datum.
Datum jsonb_from_json_text(const std::string& json);

// A text Datum copied from a C++ string (palloc'd in the current context).
inline Datum text_datum(const std::string& s) {
  return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size())));
}

}  // namespace synth::pg
