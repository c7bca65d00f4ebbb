// Reading the real rows a profile is fitted on (synth_fit, synth_refresh).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/profile/profile_fit.hpp"
#include "pg/postgres.hpp"
#include "pg/profile_args.hpp"

namespace synth::pg {

struct FitSource {
  std::string table;
  std::uint64_t rows_read = 0;
  std::vector<std::string> feature_names;  // from metadata.feature_names, or empty
};

// Streams the matching rows of relid into fitter, with the caller's rights.
// data_source may be NULL (every row). Opens and closes its own SPI connection.
FitSource fit_source_rows(Oid relid, const char* data_source, bool only_active, const char* function_name,
                          ProfileFitter& fitter);

}  // namespace synth::pg
