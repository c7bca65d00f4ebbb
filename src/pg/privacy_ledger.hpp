// The privacy ledger (synth_privacy_ledger): what each source table has spent
// on differentially private fits, in rho (zCDP composes by adding rho), and
// the cap synthdata.privacy_budget puts on it. The table is written only by
// <schema>._synth_spend_privacy, which only the extension's owner may call by
// SQL: the fits call it here through the function manager (as synth_insert
// calls _synth_keep_profile), so no caller can forge or erase a spend.
#pragma once

#include <string>

#include "pg/postgres.hpp"

namespace synth::pg {

struct PrivacySpend {
  bool granted = false;
  double spent_rho = 0;       // before this fit
  double budget_rho = 0;      // the cap, as rho
  double budget_epsilon = 0;  // synthdata.privacy_budget
  double budget_delta = 0;    // synthdata.privacy_budget_delta
};

// Asks the ledger for rho on behalf of source (a fit of epsilon at delta).
// With an empty profile_hash: whether it would be granted (no lock, no
// entry). With one: under a lock per source table held to the end of the
// transaction, grants and records it, or refuses (granted false) when it
// would pass the cap. Backend code: call it inside pg_guard.
PrivacySpend spend_privacy(Oid extension_namespace, Oid source, double rho, double epsilon, double delta,
                           const char* profile_hash, const char* mechanism);

// The refusal: 53400 (configuration_limit_exceeded: the cap is a server
// setting) naming epsilon of function_name, what was spent and what is left.
[[noreturn]] void refuse_privacy_spend(const PrivacySpend& spend, Oid source, double epsilon, double delta,
                                       const char* function_name);

// "budget spent: ..." for synth_refresh's result and NOTICE.
std::string privacy_refusal_text(const PrivacySpend& spend, Oid source, double epsilon, double delta);

}  // namespace synth::pg
