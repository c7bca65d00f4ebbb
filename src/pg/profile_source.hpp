// Where a profile came from, and whether it suits the table it goes into.
//
// A profile's hash names its content only (the same rows fitted anywhere give
// the same profile), so the profile carries no source. The backend that
// fitted it remembers instead: synth_fit and synth_refresh's fit note the
// hash, the table and the time of their last few fits, and synth_insert,
// keeping a profile this backend fitted, records that table and time in
// synth_profiles (source_table, fitted_at). A profile fitted elsewhere (in
// another session, or edited by hand) is kept without them.
#pragma once

#include <string>

#include "engine/profile/profile.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Notes that this backend fitted the profile of this canonical hash from relid, now.
void remember_fitted_profile(const std::string& hash, Oid relid);

// The source this backend noted for a hash: false when it fitted no such profile.
bool fitted_profile_source(const std::string& hash, std::string& table, TimestampTz& fitted_at);

// WARNING (one line) when the domains of the target's active real rows
// (data_source other than 'synthetic') and the profile's domains have none
// in common. One query of at most 257 distinct domains; nothing when the
// table has no real rows, no data_source column or no domain. Backend code:
// call it inside pg_guard, connected to SPI.
void warn_foreign_domains(Oid relid, const char* table, const Profile& profile);

}  // namespace synth::pg
