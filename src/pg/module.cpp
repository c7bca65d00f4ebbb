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
}

extern "C" void _PG_init(void) {
  DefineCustomIntVariable(
      "synthdata.progress_interval", "Rows between progress NOTICEs of synth_insert; 0 turns them off.",
      "Only inserts of more rows than this report progress.", &synth::pg::progress_interval_rows, 1000000, 0,
      INT_MAX, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  MarkGUCPrefixReserved("synthdata");
  // Long loops of the engine poll this, so cancel and statement_timeout reach them.
  synth::set_interrupt_check(synth::pg::engine_interrupt_pending);
}
