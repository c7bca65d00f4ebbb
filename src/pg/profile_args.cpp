#include "pg/profile_args.hpp"

#include "engine/model/error.hpp"
#include "pg/bridge.hpp"

extern "C" {
#include "utils/fmgrprotos.h"
#include "utils/json.h"
}

namespace synth::pg {
namespace {

// The text of a jsonb document, as JsonbToCString writes it but with a look
// for interrupts every few thousand tokens: printing the 1.6 million numbers
// of a 64-feature, 256-domain profile (44 MB) takes a second or more, and a
// cancel must not wait for it. Runs under pg_guard: a cancel there is an
// ERROR that pg_guard carries out as a PgError.
char* interruptible_jsonb_text(Jsonb* document) {
  StringInfoData out;
  initStringInfo(&out);
  JsonbIterator* it = JsonbIteratorInit(&document->root);
  JsonbValue v;
  JsonbIteratorToken token;
  bool first = true;  // the next member or element of the open container needs no comma
  bool raw_scalar = false;
  unsigned tokens = 0;
  while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
    if ((++tokens & 4095) == 0) CHECK_FOR_INTERRUPTS();
    switch (token) {
      case WJB_BEGIN_ARRAY:
        if (!first) appendStringInfoChar(&out, ',');
        raw_scalar = v.val.array.rawScalar;
        if (!raw_scalar) appendStringInfoChar(&out, '[');
        first = true;
        break;
      case WJB_BEGIN_OBJECT:
        if (!first) appendStringInfoChar(&out, ',');
        appendStringInfoChar(&out, '{');
        first = true;
        break;
      case WJB_KEY:
        if (!first) appendStringInfoChar(&out, ',');
        escape_json(&out, pnstrdup(v.val.string.val, v.val.string.len));
        appendStringInfoChar(&out, ':');
        first = true;  // the value follows without a comma
        break;
      case WJB_VALUE:
      case WJB_ELEM:
        if (!first) appendStringInfoChar(&out, ',');
        switch (v.type) {
          case jbvString:
            escape_json(&out, pnstrdup(v.val.string.val, v.val.string.len));
            break;
          case jbvNumeric:
            appendStringInfoString(
                &out, DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric))));
            break;
          case jbvBool:
            appendStringInfoString(&out, v.val.boolean ? "true" : "false");
            break;
          default:
            appendStringInfoString(&out, "null");
            break;
        }
        first = false;
        break;
      case WJB_END_ARRAY:
        if (!raw_scalar) appendStringInfoChar(&out, ']');
        raw_scalar = false;
        first = false;
        break;
      case WJB_END_OBJECT:
        appendStringInfoChar(&out, '}');
        first = false;
        break;
      default:
        break;
    }
  }
  return out.data;
}

}  // namespace

Profile read_profile(Jsonb* profile) {
  const char* text =
      pg_guard([profile] { return static_cast<const char*>(interruptible_jsonb_text(profile)); });
  return parse_profile(text);
}

std::vector<double> read_profile_domain_weights(Jsonb* weights, const Profile& profile) {
  if (!JB_ROOT_IS_OBJECT(weights) || JB_ROOT_IS_SCALAR(weights))
    throw_invalid_parameter(
        "domain_weights must be a JSON object", {},
        "Name the profile's domains, e.g. '{\"" + profile.domains.front().name + "\": 1}'.");
  const NamedNumbers members = read_named_numbers(weights);
  const char* non_numeric = nullptr;  // the last member that is not a number
  for (int i = 0; i < members.count; ++i)
    if (members.members[i].json_type != nullptr) non_numeric = members.members[i].name;
  if (non_numeric != nullptr)
    throw_invalid_parameter(std::string("domain_weights of \"") + non_numeric + "\" must be a number");
  std::vector<std::pair<std::string, double>> named;
  for (int i = 0; i < members.count; ++i)
    if (members.members[i].json_type == nullptr)
      named.emplace_back(members.members[i].name, members.members[i].value);
  return profile_domain_weights(profile, named);
}

void reject_options_a_profile_replaces(FunctionCallInfo fcinfo, int tier_shares_arg, int label_noise_arg) {
  if (!PG_ARGISNULL(tier_shares_arg)) {
    ArrayType* shares = pg_guard([&] { return PG_GETARG_ARRAYTYPE_P(tier_shares_arg); });
    bool is_default = ARR_NDIM(shares) == 1 && ARR_DIMS(shares)[0] == 3 && !ARR_HASNULL(shares) &&
                      ARR_ELEMTYPE(shares) == FLOAT8OID;
    if (is_default) {
      const double* v = reinterpret_cast<const double*>(ARR_DATA_PTR(shares));
      is_default = v[0] == 0.25 && v[1] == 0.5 && v[2] == 0.25;
    }
    if (!is_default)
      throw_invalid_parameter("tier_shares cannot be combined with profile",
                              "A profile's score bands follow the real rows' band shares.",
                              "Leave tier_shares at its default, or generate without a profile.");
  }
  if (!PG_ARGISNULL(label_noise_arg) && PG_GETARG_FLOAT8(label_noise_arg) != 0.05)
    throw_invalid_parameter("label_noise cannot be combined with profile",
                            "A profile keeps the real rows' dependence between features and score.",
                            "Leave label_noise at its default, or generate without a profile.");
}

FittedArguments read_fitted_arguments(FunctionCallInfo fcinfo, const GeneratorArgPositions& at,
                                      int profile_arg) {
  // The varlena arguments detoasted (which may raise an ERROR) before any
  // C++ object with a destructor exists in this frame.
  Jsonb* profile_jsonb = nullptr;
  Jsonb* weights_jsonb = nullptr;
  pg_guard([&] {
    profile_jsonb = PG_GETARG_JSONB_P(profile_arg);
    if (!PG_ARGISNULL(at.domain_weights)) weights_jsonb = PG_GETARG_JSONB_P(at.domain_weights);
  });
  reject_options_a_profile_replaces(fcinfo, at.tier_shares, at.label_noise);
  FittedArguments out{read_profile(profile_jsonb), {}, weights_jsonb != nullptr};
  if (PG_ARGISNULL(at.n))
    throw Error(sqlstate::kNullValueNotAllowed, "n must not be NULL", {},
                "Pass the number of rows to generate.");
  out.options.n = PG_GETARG_INT64(at.n);
  validate_row_count(out.options.n);
  out.options.seed =
      PG_ARGISNULL(at.seed) ? fresh_seed() : static_cast<std::uint64_t>(PG_GETARG_INT64(at.seed));
  if (out.weights_given) out.options.domain_weights = read_profile_domain_weights(weights_jsonb, out.profile);
  return out;
}

void format_utc_timestamp(TimestampTz ts, char* out, std::size_t size) {
  struct pg_tm tm;
  fsec_t fsec;
  if (timestamp2tm(ts, nullptr, &tm, &fsec, nullptr, nullptr) != 0) {
    strlcpy(out, "unknown", size);
    return;
  }
  snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec, static_cast<int>(fsec));
}

}  // namespace synth::pg
