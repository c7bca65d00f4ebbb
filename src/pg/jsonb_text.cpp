#include "pg/jsonb_text.hpp"

#include "pg/bridge.hpp"

namespace synth::pg {

Datum jsonb_from_json_text(const std::string& json) {
  const char* text = json.c_str();
  return pg_guard([text] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
}

}  // namespace synth::pg
