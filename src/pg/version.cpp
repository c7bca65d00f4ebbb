// synth_version(): which extension and which generator produced a row.
#include <string>

#include "engine/model/version.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"

SYNTH_FUNCTION(synth_version) {
  std::string json = std::string("{\"extension_version\": \"") + synth::kExtensionVersion +
                     "\", \"generator_version\": " + std::to_string(synth::kGeneratorVersion) +
                     ", \"postgresql_version_num\": " + std::to_string(PG_VERSION_NUM) + "}";
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(json));
}
