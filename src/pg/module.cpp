// Module entry: the magic block and the server settings synthdata reads.
#include "engine/model/interrupt.hpp"
#include "engine/model/version.hpp"
#include "pg/bridge.hpp"
#include "pg/settings.hpp"

#include "pg/postgres.hpp"

extern "C" {
SYNTH_PG_MODULE_MAGIC("synthdata", synth::kExtensionVersion);
void _PG_init(void);
}

namespace synth::pg {
int progress_interval_rows = 1000000;
double privacy_budget = 10;
double privacy_budget_delta = 1e-9;
}  // namespace synth::pg

extern "C" void _PG_init(void) {
  DefineCustomIntVariable(
      "synthdata.progress_interval", "Rows between progress NOTICEs of synth_insert; 0 turns them off.",
      "Only inserts of more rows than this report progress.", &synth::pg::progress_interval_rows, 1000000, 0,
      INT_MAX, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  // The cap on what differentially private fits of one source table may
  // spend together (the ledger sums their rho; _synth_spend_privacy reads
  // these): only a superuser may change it, so no role raises its own cap.
  DefineCustomRealVariable(
      "synthdata.privacy_budget",
      "Total epsilon the private fits of one source table may spend (at synthdata.privacy_budget_delta).",
      "zCDP composition: the rho of every committed fit in synth_privacy_ledger adds up; a fit past the cap "
      "is "
      "refused. A guard for the profiles a pipeline releases: a fit whose transaction rolls back leaves no "
      "entry, and a role that may read the rows is trusted.",
      &synth::pg::privacy_budget, 10, 0, 1e6, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomRealVariable(
      "synthdata.privacy_budget_delta", "The delta at which synthdata.privacy_budget is stated.",
      "Strictly between 0 and 1; far below 1 / (real rows).", &synth::pg::privacy_budget_delta, 1e-9, 1e-300,
      0.5, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  MarkGUCPrefixReserved("synthdata");
  // Long loops of the engine poll this, so cancel and statement_timeout reach them.
  synth::set_interrupt_check(synth::pg::engine_interrupt_pending);
}
