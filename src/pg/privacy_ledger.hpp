// The privacy ledger (synth_privacy_ledger): what each source table has spent
// on differentially private fits, in rho (zCDP composes by adding rho), and
// the cap synthdata.privacy_budget puts on it. The table is written only by
// <schema>._synth_spend_privacy, which only the extension's owner may call by
// SQL: the fits call it here through the function manager (as synth_insert
// calls _synth_keep_profile), so no caller can forge or erase a spend.
#pragma once

#include <cstdint>
#include <string>

#include "pg/postgres.hpp"

namespace synth::pg {

struct PrivacySpend {
  bool granted = false;
  double spent_rho = 0;       // before this fit
  double budget_rho = 0;      // the cap, as rho
  double budget_epsilon = 0;  // synthdata.privacy_budget
  double budget_delta = 0;    // synthdata.privacy_budget_delta
  std::int64_t entry = 0;     // the ledger entry recorded when granted
};

// Asks the ledger for rho on behalf of source (a fit of epsilon at delta),
// before the fit draws any noise: under a lock per source table held to the
// end of the transaction, grants and records it (an entry without a profile
// hash yet), or refuses (granted false) when it would pass the cap. A fit
// that fails after this still counts, as long as its transaction commits.
// Backend code: call it inside pg_guard.
PrivacySpend spend_privacy(Oid extension_namespace, Oid source, double rho, double epsilon, double delta,
                           const char* mechanism);

// The profile a granted entry released, and (synth_refresh) the digest of
// the rows it fitted, which only roles that may read source see. Backend
// code: call it inside pg_guard.
void record_private_profile(Oid extension_namespace, Oid source, std::int64_t entry, const char* profile_hash,
                            const char* rows_digest);

// The refusal: 53400 (configuration_limit_exceeded: the cap is a server
// setting) naming epsilon of function_name, what was spent and what is left.
[[noreturn]] void refuse_privacy_spend(const PrivacySpend& spend, Oid source, double epsilon, double delta,
                                       const char* function_name);

// "budget spent: ..." for synth_refresh's result and NOTICE.
std::string privacy_refusal_text(const PrivacySpend& spend, Oid source, double epsilon, double delta);

}  // namespace synth::pg
