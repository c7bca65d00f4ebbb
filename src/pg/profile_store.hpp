// Keeping the profiles synth_insert uses in synth_profiles.
#pragma once

#include "pg/postgres.hpp"

namespace synth::pg {

// Stores profile (a jsonb synth_insert has read and validated) through
// <namespace>._synth_keep_profile, which only the extension's owner may call
// by SQL: it is called here through the function manager, which checks no
// EXECUTE privilege and runs it with its owner's rights. Rows of a temporary
// table end with the session, so their profile is not kept: no role holding
// only TEMP can write into synth_profiles. Backend code: call it inside
// pg_guard. source_table (or null) and fitted_at say where and when this
// backend fitted the profile (pg/profile_source.hpp); synth_profiles records
// them where the extension's SQL is 1.2.
void keep_profile(Oid extension_namespace, Oid target, Datum profile, const char* source_table = nullptr,
                  TimestampTz fitted_at = 0);

}  // namespace synth::pg
