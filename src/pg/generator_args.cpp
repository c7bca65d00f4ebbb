#include "pg/generator_args.hpp"

#include "engine/model/error.hpp"
#include "pg/bridge.hpp"

extern "C" {
#include "utils/fmgrprotos.h"
}

namespace synth::pg {
namespace {

[[noreturn]] void reject_null(const char* argument, const char* hint) {
  throw Error(sqlstate::kNullValueNotAllowed, std::string(argument) + " must not be NULL", {}, hint);
}

const char* json_type_name(const JsonbValue& v) {
  switch (v.type) {
    case jbvNull:
      return "null";
    case jbvString:
      return "a string";
    case jbvBool:
      return "a boolean";
    case jbvNumeric:
      return "a number";
    default:
      return "an object or array";
  }
}

bool numeric_is_positive(Numeric value) {
  Datum zero = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
  return DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(value), zero));
}

}  // namespace

std::uint64_t fresh_seed() {
  std::uint64_t seed = 0;
  if (!pg_strong_random(&seed, sizeof seed))
    seed = static_cast<std::uint64_t>(GetCurrentTimestamp()) ^ (static_cast<std::uint64_t>(MyProcPid) << 32);
  // Seeds are reported as bigint; keep them non-negative so they read back unchanged.
  return seed & 0x7fffffffffffffffULL;
}

NamedNumbers read_named_numbers(Jsonb* object) {
  return pg_guard([object] {
    NamedNumbers out{nullptr, 0};
    out.members = static_cast<NamedNumber*>(palloc0(sizeof(NamedNumber) * Max(JB_ROOT_COUNT(object), 1)));
    JsonbIterator* it = JsonbIteratorInit(&object->root);
    JsonbValue key;
    JsonbValue value;
    JsonbIteratorToken token;
    while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE) {
      if (token != WJB_KEY) continue;
      NamedNumber& member = out.members[out.count++];
      member.name = pnstrdup(key.val.string.val, key.val.string.len);
      member.name_length = key.val.string.len;
      JsonbIteratorNext(&it, &value, true);
      if (value.type != jbvNumeric) {
        member.json_type = json_type_name(value);
        continue;
      }
      // Huge numbers become infinity here (no error), for the caller to reject as non-finite.
      member.value =
          DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(value.val.numeric)));
      // ... and tiny ones become 0, which would read as "no weight".
      if (member.value == 0.0 && numeric_is_positive(value.val.numeric))
        member.underflow =
            DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value.val.numeric)));
    }
    return out;
  });
}

std::array<double, kDomainCount> parse_domain_weights(Jsonb* weights) {
  if (!JB_ROOT_IS_OBJECT(weights) || JB_ROOT_IS_SCALAR(weights))
    throw_invalid_parameter("domain_weights must be a JSON object",
                            "Valid domains: " + valid_domain_list() + ".",
                            "For example '{\"technical\": 3, \"creative\": 1}'.");
  const NamedNumbers members = read_named_numbers(weights);
  DomainWeightsBuilder builder;
  for (int i = 0; i < members.count; ++i) {
    const NamedNumber& member = members.members[i];
    const std::string_view name(member.name, static_cast<std::size_t>(member.name_length));
    if (member.json_type != nullptr) builder.reject_non_numeric(name, member.json_type);
    if (member.underflow != nullptr) builder.reject_underflow(name, member.underflow);
    builder.set(name, member.value);
  }
  return builder.finish();
}

std::array<double, kTierCount> parse_tier_shares(ArrayType* shares) {
  const char* hint = kTierSharesHint;
  if (ARR_NDIM(shares) != 1 || ARR_DIMS(shares)[0] != static_cast<int>(kTierCount))
    throw_invalid_parameter("tier_shares must be a one-dimensional array of 3 values (low, medium, high)",
                            "Got an array of " +
                                std::to_string(ArrayGetNItems(ARR_NDIM(shares), ARR_DIMS(shares))) +
                                " values in " + std::to_string(ARR_NDIM(shares)) + " dimension(s).",
                            hint);
  if (ARR_HASNULL(shares)) throw_invalid_parameter("tier_shares must not contain NULL", {}, hint);
  if (ARR_ELEMTYPE(shares) != FLOAT8OID)
    throw Error(sqlstate::kDatatypeMismatch, "tier_shares must be float8[]");
  std::array<double, kTierCount> out{};
  const double* data = reinterpret_cast<const double*>(ARR_DATA_PTR(shares));
  for (std::size_t i = 0; i < kTierCount; ++i) out[i] = data[i];
  validate_tier_shares(out);
  return out;
}

GeneratorOptions read_generator_options(FunctionCallInfo fcinfo, const GeneratorArgPositions& at) {
  GeneratorOptions options;
  if (PG_ARGISNULL(at.n)) reject_null("n", "Pass the number of rows to generate.");
  options.n = PG_GETARG_INT64(at.n);
  validate_row_count(options.n);

  options.seed = PG_ARGISNULL(at.seed) ? fresh_seed() : static_cast<std::uint64_t>(PG_GETARG_INT64(at.seed));

  if (!PG_ARGISNULL(at.domain_weights))
    options.domain_weights = parse_domain_weights(PG_GETARG_JSONB_P(at.domain_weights));

  if (PG_ARGISNULL(at.tier_shares)) reject_null("tier_shares", "The default is '{0.25,0.5,0.25}'.");
  options.tier_shares = parse_tier_shares(PG_GETARG_ARRAYTYPE_P(at.tier_shares));

  if (PG_ARGISNULL(at.label_noise)) reject_null("label_noise", "The default is 0.05.");
  options.label_noise = PG_GETARG_FLOAT8(at.label_noise);
  validate_label_noise(options.label_noise);
  return options;
}

SliceRange read_slice(FunctionCallInfo fcinfo, int start_arg, int rows_arg, std::int64_t n) {
  if (PG_ARGISNULL(start_arg)) reject_null("slice_start", "The default is 0, the first row.");
  const std::int64_t rows = PG_ARGISNULL(rows_arg) ? -1 : PG_GETARG_INT64(rows_arg);
  if (!PG_ARGISNULL(rows_arg) && rows < 0)
    throw_invalid_parameter("slice_rows must not be negative, got " + std::to_string(rows), {},
                            "Pass NULL for all rows to the end of the dataset.");
  return resolve_slice(n, PG_GETARG_INT64(start_arg), rows);
}

}  // namespace synth::pg
