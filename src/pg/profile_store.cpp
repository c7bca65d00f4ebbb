#include "pg/profile_store.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "utils/builtins.h"
#include "utils/syscache.h"
}

namespace synth::pg {

void keep_profile(Oid extension_namespace, Oid target, Datum profile, const char* source_table,
                  TimestampTz fitted_at) {
  if (get_rel_persistence(target) == RELPERSISTENCE_TEMP) return;
  // 1.2: the profile's source table and fit time, where this backend fitted it.
  if (source_table != nullptr) {
    Oid with_source_types[3] = {JSONBOID, TEXTOID, TIMESTAMPTZOID};
    const Oid keep_with_source = GetSysCacheOid3(
        PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum("_synth_keep_profile"),
        PointerGetDatum(buildoidvector(with_source_types, 3)), ObjectIdGetDatum(extension_namespace));
    if (OidIsValid(keep_with_source)) {
      (void)OidFunctionCall3(keep_with_source, profile, CStringGetTextDatum(source_table),
                             TimestampTzGetDatum(fitted_at));
      return;
    }
  }
  Oid argument_types[1] = {JSONBOID};
  const Oid keep = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum("_synth_keep_profile"),
                                   PointerGetDatum(buildoidvector(argument_types, 1)),
                                   ObjectIdGetDatum(extension_namespace));
  if (!OidIsValid(keep))
    ereport(
        ERROR,
        (errcode(ERRCODE_UNDEFINED_FUNCTION),
         errmsg("synth_insert cannot keep the profile: _synth_keep_profile(jsonb) is missing from schema %s",
                get_namespace_name(extension_namespace))));
  (void)OidFunctionCall1(keep, profile);
}

}  // namespace synth::pg
