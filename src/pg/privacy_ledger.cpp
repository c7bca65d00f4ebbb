// The privacy ledger: see privacy_ledger.hpp.
#include "pg/privacy_ledger.hpp"

#include <algorithm>

#include "engine/model/error.hpp"
#include "engine/model/number_text.hpp"
#include "engine/privacy/accountant.hpp"
#include "pg/bridge.hpp"

extern "C" {
#include "catalog/pg_proc.h"
#include "utils/syscache.h"
}

namespace synth::pg {
namespace {

constexpr const char* kConfigurationLimitExceeded = "53400";

std::string relation_text(Oid source) {
  return pg_guard([source] {
    return static_cast<const char*>(
        DatumGetCString(DirectFunctionCall1(regclassout, ObjectIdGetDatum(source))));
  });
}

std::string rho_text(double rho) { return format_readable(rho); }

// The ledger's internal function name(types) in the extension's schema.
Oid ledger_function(Oid extension_namespace, const char* name, Oid* types, int count) {
  const Oid function =
      GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum(name),
                      PointerGetDatum(buildoidvector(types, count)), ObjectIdGetDatum(extension_namespace));
  if (!OidIsValid(function))
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("a private fit needs the privacy ledger: %s is missing from schema %s", name,
                           get_namespace_name(extension_namespace)),
                    errhint("ALTER EXTENSION synthdata UPDATE.")));
  return function;
}

}  // namespace

PrivacySpend spend_privacy(Oid extension_namespace, Oid source, double rho, double epsilon, double delta,
                           const char* mechanism) {
  Oid types[7] = {REGCLASSOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, TEXTOID, TEXTOID, NAMEOID};
  const Oid spend = ledger_function(extension_namespace, "_synth_spend_privacy", types, 7);
  // The role the fit runs as (the ledger's fitted_by): inside the SECURITY
  // DEFINER function it would read as the owner.
  const Datum fitted_by = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(GetUserId(), false)));
  const Datum result = OidFunctionCall7(spend, ObjectIdGetDatum(source), Float8GetDatum(rho),
                                        Float8GetDatum(epsilon), Float8GetDatum(delta),
                                        CStringGetTextDatum(""), CStringGetTextDatum(mechanism), fitted_by);
  Datum* elements = nullptr;
  bool* nulls = nullptr;
  int count = 0;
  deconstruct_array(DatumGetArrayTypeP(result), FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elements,
                    &nulls, &count);
  if (count != 6) elog(ERROR, "_synth_spend_privacy must return 6 numbers, returned %d", count);
  PrivacySpend out;
  out.granted = DatumGetFloat8(elements[0]) > 0;
  out.spent_rho = DatumGetFloat8(elements[1]);
  out.budget_rho = DatumGetFloat8(elements[2]);
  out.budget_epsilon = DatumGetFloat8(elements[3]);
  out.budget_delta = DatumGetFloat8(elements[4]);
  out.entry = static_cast<std::int64_t>(DatumGetFloat8(elements[5]));
  return out;
}

void record_private_profile(Oid extension_namespace, Oid source, std::int64_t entry, const char* profile_hash,
                            const char* rows_digest) {
  Oid types[4] = {REGCLASSOID, INT8OID, TEXTOID, TEXTOID};
  const Oid record = ledger_function(extension_namespace, "_synth_record_private_profile", types, 4);
  OidFunctionCall4(record, ObjectIdGetDatum(source), Int64GetDatum(entry), CStringGetTextDatum(profile_hash),
                   CStringGetTextDatum(rows_digest));
}

std::string privacy_refusal_text(const PrivacySpend& spend, Oid source, double epsilon, double delta) {
  const double left = std::max(spend.budget_rho - spend.spent_rho, 0.0);
  return "the privacy budget of " + relation_text(source) + " is spent: a fit at epsilon " +
         format_readable(epsilon) + " needs more than the rho " + rho_text(left) + " left of " +
         rho_text(spend.budget_rho) +
         " (synthdata.privacy_budget = " + format_readable(spend.budget_epsilon) + " at delta " +
         format_readable(spend.budget_delta) + "); one more fit at delta " + format_readable(delta) +
         " may spend at most epsilon " + format_readable(left > 0 ? epsilon_for(left, delta) : 0.0);
}

void refuse_privacy_spend(const PrivacySpend& spend, Oid source, double epsilon, double delta,
                          const char* function_name) {
  const double spent_epsilon = spend.spent_rho > 0 ? epsilon_for(spend.spent_rho, spend.budget_delta) : 0.0;
  throw Error(kConfigurationLimitExceeded,
              std::string("epsilon of ") + function_name +
                  " would pass the privacy budget: " + privacy_refusal_text(spend, source, epsilon, delta),
              "Spent so far: rho " + rho_text(spend.spent_rho) + " (epsilon " +
                  format_readable(spent_epsilon) + " at delta " + format_readable(spend.budget_delta) +
                  "); zCDP composes by adding rho, synth_privacy_ledger lists every fit.",
              "Pass a smaller epsilon, reuse an earlier private profile (sampling from it costs nothing), or "
              "have a superuser raise synthdata.privacy_budget.");
}

}  // namespace synth::pg

// synth_privacy_rho(epsilon, delta) and synth_privacy_epsilon(rho, delta):
// the accountant's conversions between (epsilon, delta)-DP and rho-zCDP, the
// ones the ledger and the private fit use.
SYNTH_FUNCTION(synth_privacy_rho) {
  const double epsilon = PG_GETARG_FLOAT8(0), delta = PG_GETARG_FLOAT8(1);
  if (!std::isfinite(epsilon) || !(epsilon > 0))
    synth::throw_invalid_parameter("epsilon of synth_privacy_rho must be a finite number above 0, got " +
                                   synth::format_readable(epsilon));
  if (!(delta > 0 && delta < 1))
    synth::throw_invalid_parameter("delta of synth_privacy_rho must lie strictly between 0 and 1, got " +
                                   synth::format_readable(delta));
  PG_RETURN_FLOAT8(synth::rho_for(epsilon, delta));
}

SYNTH_FUNCTION(synth_privacy_epsilon) {
  const double rho = PG_GETARG_FLOAT8(0), delta = PG_GETARG_FLOAT8(1);
  if (!std::isfinite(rho) || !(rho >= 0))
    synth::throw_invalid_parameter(
        "rho of synth_privacy_epsilon must be a finite number of at least 0, got " +
        synth::format_readable(rho));
  if (!(delta > 0 && delta < 1))
    synth::throw_invalid_parameter("delta of synth_privacy_epsilon must lie strictly between 0 and 1, got " +
                                   synth::format_readable(delta));
  PG_RETURN_FLOAT8(synth::epsilon_for(rho, delta));
}
