// synth_profile_summary() and synth_profile_report(): what a profile holds, as
// a small jsonb and as a page for psql. The engine summarizes
// (engine/profile/profile_summary.hpp); this file only reads the argument and
// hands the result back.
#include <string>
#include <vector>

#include "engine/profile/profile_summary.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/profile_args.hpp"

SYNTH_FUNCTION(synth_profile_summary) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(0));
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::profile_summary_json(profile)));
}

SYNTH_FUNCTION(synth_profile_report) {
  // Refuse a context that cannot take a set before reading anything.
  ReturnSetInfo* result_info = synth::pg::page_result_context(fcinfo, "synth_profile_report");
  if (PG_ARGISNULL(0)) return Datum(0);
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(0));
  const std::vector<std::string> lines = synth::profile_summary_page(profile);
  synth::pg::return_page_lines(result_info, lines, "synth_profile_report");
  return Datum(0);
}
