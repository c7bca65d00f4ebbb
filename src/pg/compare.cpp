// synth_compare() and synth_compare_report(): how close synthetic rows are to
// real ones, as jsonb and as a page of text for psql; synth_compare_detail():
// the distributions and correlations a picture of the comparison draws. Each side is read once,
// with the caller's rights, through table_reader; the engine does the rest.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/compare/compare_detail.hpp"
#include "engine/compare/compare_report.hpp"
#include "engine/compare/compare_side.hpp"
#include "engine/model/error.hpp"
#include "engine/model/number_text.hpp"
#include "pg/bridge.hpp"
#include "pg/progress.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/table_reader.hpp"

extern "C" {
#include "catalog/pg_proc.h"
#include "mb/pg_wchar.h"
#include "utils/syscache.h"
}

namespace {

// How a side picks its rows: one data_source, the real rows (real_sources,
// or every data_source but 'synthetic'), or every row.
struct SidePick {
  std::optional<std::string> data_source;
  bool real_rows = false;
  std::optional<std::vector<std::string>> real_sources;
};

synth::CompareSideInput read_side(Oid relid, SidePick pick, const char* function_name) {
  synth::pg::TableReadRequest request;
  request.relid = relid;
  request.data_source = std::move(pick.data_source);
  request.real_rows = pick.real_rows;
  request.real_sources = std::move(pick.real_sources);
  request.only_active = true;
  request.function_name = function_name;
  request.want_feature_names = true;
  // One table split by data_source needs the column; say how else to call.
  request.missing_data_source_advice = std::make_pair(
      std::string(
          "Without synthetic =>, the real and synthetic rows come from one table's data_source column."),
      std::string("Name the synthetic table: synthetic => 'synthetic_rows'."));
  synth::CompareSide collector;
  synth::CompareSideInput side;
  synth::pg::ReadProgress progress(collector, function_name, relid);
  side.source = synth::pg::read_training_table(request, progress);
  progress.finish();
  side.rows_read = collector.rows_seen();
  side.columns = collector.finish();
  side.invalid = collector.invalid();
  return side;
}

struct Sides {
  synth::CompareSideInput real, synthetic;
  std::optional<synth::CompareSideInput> holdout;
};

// The sides named by arguments 0 (source), 1 (synthetic) and 2 (holdout);
// real_sources_arg: the text[] argument naming the real rows' sources, or -1
// for 1.1's functions, which took data_source = 'real' of one table.
Sides read_sides(FunctionCallInfo fcinfo, int real_sources_arg, const char* function_name) {
  const Oid real_table = PG_GETARG_OID(0);
  // The real rows (of source, and of holdout): those real_sources names, by
  // default every data_source but 'synthetic', every row of a table without
  // the column. 1.1 counted data_source = 'real' in one table, every row of
  // two.
  SidePick real_pick;
  if (real_sources_arg >= 0) {
    real_pick.real_rows = true;
    real_pick.real_sources = synth::pg::real_sources_argument(fcinfo, real_sources_arg, function_name, false);
  }
  SidePick synthetic_pick;
  Sides sides;
  if (PG_ARGISNULL(1)) {
    // One table: its real rows against its synthetic ones.
    if (real_sources_arg < 0) real_pick.data_source = std::string("real");
    synthetic_pick.data_source = std::string("synthetic");
    sides.real = read_side(real_table, real_pick, function_name);
    sides.synthetic = read_side(real_table, synthetic_pick, function_name);
  } else {
    sides.real = read_side(real_table, real_pick, function_name);
    sides.synthetic = read_side(PG_GETARG_OID(1), synthetic_pick, function_name);
  }
  if (!PG_ARGISNULL(2)) sides.holdout = read_side(PG_GETARG_OID(2), real_pick, function_name);
  return sides;
}

// Arguments: (source regclass, synthetic regclass, holdout regclass,
// bootstrap integer, seed bigint, real_sources text[], augment_ratio
// float8); 1.2 declares the first six, 1.1 the first five (the first named
// "real").
synth::CompareReport build_report(FunctionCallInfo fcinfo, const char* function_name) {
  const bool named_source = PG_NARGS() >= 6;
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed,
                       named_source ? "source must not be NULL" : "real must not be NULL", "",
                       named_source ? "Name the table of real rows, e.g. source => 'training_prompts'."
                                    : "Name the table of real rows, e.g. \"real\" => 'training_prompts'.");
  if (PG_ARGISNULL(3))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "bootstrap must not be NULL", "",
                       "Pass bootstrap => 0 to leave the intervals out.");
  if (PG_ARGISNULL(4)) throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL");
  synth::CompareOptions options;
  options.bootstrap = PG_GETARG_INT32(3);
  options.seed = static_cast<std::uint64_t>(PG_GETARG_INT64(4));
  synth::check_bootstrap(options.bootstrap);
  if (PG_NARGS() >= 7) {  // 1.3: augment_ratio
    if (PG_ARGISNULL(6))
      throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "augment_ratio must not be NULL", "",
                         "Leave augment_ratio out for " +
                             synth::format_readable(synth::kDefaultAugmentRatio) +
                             " synthetic row per real row.");
    options.augment_ratio = PG_GETARG_FLOAT8(6);
    synth::check_augment_ratio(options.augment_ratio);
  }

  Sides sides = read_sides(fcinfo, named_source ? 5 : -1, function_name);
  synth::pg::pg_guard([] { CHECK_FOR_INTERRUPTS(); });
  return synth::compare_sides(std::move(sides.real), std::move(sides.synthetic), std::move(sides.holdout),
                              options);
}

}  // namespace

// 1.3: the private profiles the synthetic rows were drawn from, as
// <schema>._synth_rows_privacy finds them in the privacy ledger; NULL
// (Datum 0) when none, or before 1.3.
static Datum rows_privacy(FunctionCallInfo fcinfo) {
  return synth::pg::pg_guard([fcinfo]() -> Datum {
    Oid types[2] = {REGCLASSOID, BOOLOID};
    const Oid privacy =
        GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum("_synth_rows_privacy"),
                        PointerGetDatum(buildoidvector(types, 2)),
                        ObjectIdGetDatum(get_func_namespace(fcinfo->flinfo->fn_oid)));
    if (!OidIsValid(privacy)) return (Datum)0;
    const bool same_table = PG_ARGISNULL(1);
    const Oid synthetic = same_table ? PG_GETARG_OID(0) : PG_GETARG_OID(1);
    LOCAL_FCINFO(call, 2);
    InitFunctionCallInfoData(*call, nullptr, 2, InvalidOid, nullptr, nullptr);
    FmgrInfo info;
    fmgr_info(privacy, &info);
    call->flinfo = &info;
    call->args[0].value = ObjectIdGetDatum(synthetic);
    call->args[0].isnull = false;
    call->args[1].value = BoolGetDatum(same_table);
    call->args[1].isnull = false;
    const Datum found = FunctionCallInvoke(call);
    return call->isnull ? (Datum)0 : found;
  });
}

// The result with "profile_privacy" (rows_privacy) when the rows name a
// private profile; else as in 1.2.
static Datum with_profile_privacy(FunctionCallInfo fcinfo, Datum result) {
  const Datum found = rows_privacy(fcinfo);
  if (found == (Datum)0) return result;
  return synth::pg::pg_guard([found, result] {
    JsonbParseState* state = nullptr;
    JsonbValue key;
    key.type = jbvString;
    key.val.string.val = const_cast<char*>("profile_privacy");
    key.val.string.len = static_cast<int>(strlen("profile_privacy"));
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
    pushJsonbValue(&state, WJB_KEY, &key);
    JsonbValue value;
    value.type = jbvBinary;
    value.val.binary.data = &DatumGetJsonbP(found)->root;
    value.val.binary.len = static_cast<int>(VARSIZE(DatumGetJsonbP(found)));
    pushJsonbValue(&state, WJB_VALUE, &value);
    const Datum wrapped = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, nullptr)));
    return DirectFunctionCall2(jsonb_concat, result, wrapped);
  });
}

// The page's privacy block: the private profiles the synthetic rows were
// drawn from (what synth_compare says under "profile_privacy"), and how
// many profiles they name that are not private.
static void append_privacy_lines(Datum found, std::vector<std::string>& lines) {
  if (found == (Datum)0) return;
  // Read as palloc'd C strings first: no C++ object lives across a backend call.
  struct Entries {
    int count;
    char** text;  // per profile: source_table, epsilon, delta, mechanism
    char* others;
  };
  const Entries read = synth::pg::pg_guard([found] {
    const char* keys[4] = {"source_table", "epsilon", "delta", "mechanism"};
    const Datum profiles =
        DirectFunctionCall2(jsonb_object_field, found, CStringGetTextDatum("private_profiles"));
    Entries out{DatumGetInt32(DirectFunctionCall1(jsonb_array_length, profiles)), nullptr, nullptr};
    out.text = static_cast<char**>(palloc0(sizeof(char*) * 4 * Max(out.count, 1)));
    for (int i = 0; i < out.count; ++i) {
      const Datum entry = DirectFunctionCall2(jsonb_array_element, profiles, Int32GetDatum(i));
      for (int k = 0; k < 4; ++k)
        out.text[4 * i + k] = TextDatumGetCString(
            DirectFunctionCall2(jsonb_object_field_text, entry, CStringGetTextDatum(keys[k])));
    }
    out.others = TextDatumGetCString(
        DirectFunctionCall2(jsonb_object_field_text, found, CStringGetTextDatum("other_profiles")));
    return out;
  });
  lines.emplace_back("");
  lines.emplace_back(
      "Privacy: drawn from " + std::to_string(read.count) +
      (read.count == 1 ? " differentially private profile" : " differentially private profiles") +
      " (synth_privacy_ledger)");
  for (int i = 0; i < read.count; ++i)
    lines.emplace_back(std::string("  ") + read.text[4 * i] + ": epsilon " + read.text[4 * i + 1] +
                       ", delta " + read.text[4 * i + 2] + " (" + read.text[4 * i + 3] + ")");
  if (std::string(read.others) != "0")
    lines.emplace_back(std::string("  and from ") + read.others +
                       " profiles that are not private (they hold real extremes)");
}

SYNTH_FUNCTION(synth_compare) {
  synth::CompareReport report = build_report(fcinfo, "synth_compare");
  const Datum result = synth::pg::jsonb_from_json_text(synth::compare_report_json(report));
  PG_RETURN_DATUM(with_profile_privacy(fcinfo, result));
}

SYNTH_FUNCTION(synth_compare_report) {
  return synth::pg::return_page(fcinfo, "synth_compare_report", [fcinfo](const synth::PageStyle& style) {
    std::vector<std::string> lines =
        synth::compare_report_page(build_report(fcinfo, "synth_compare_report"), style);
    append_privacy_lines(rows_privacy(fcinfo), lines);
    return lines;
  });
}

// Arguments: (source regclass, synthetic regclass, holdout regclass,
// real_sources text[], bins integer).
SYNTH_FUNCTION(synth_compare_detail) {
  const char* function_name = "synth_compare_detail";
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "source must not be NULL", "",
                       "Name the table of real rows, e.g. source => 'training_prompts'.");
  if (PG_ARGISNULL(4))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "bins must not be NULL", "",
                       "Leave bins out for " + std::to_string(synth::kDefaultDetailBins) + " bins.");
  const int bins = PG_GETARG_INT32(4);
  if (bins < 1 || bins > synth::kMaxDetailBins)
    synth::throw_invalid_parameter(
        "bins must be between 1 and " + std::to_string(synth::kMaxDetailBins) + ", not " +
            std::to_string(bins),
        "bins is the number of equal-width bins each numeric column is counted in.",
        "Leave bins out for " + std::to_string(synth::kDefaultDetailBins) + ".");
  Sides sides = read_sides(fcinfo, 3, function_name);
  synth::pg::pg_guard([] { CHECK_FOR_INTERRUPTS(); });
  const synth::CompareDetail detail = synth::compare_detail(std::move(sides.real), std::move(sides.synthetic),
                                                            std::move(sides.holdout), bins);
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::compare_detail_json(detail)));
}
