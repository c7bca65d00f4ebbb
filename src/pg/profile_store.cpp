#include "pg/profile_store.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "utils/syscache.h"
}

namespace synth::pg {

void keep_profile(Oid extension_namespace, Oid target, Datum profile) {
  if (get_rel_persistence(target) == RELPERSISTENCE_TEMP) return;
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
