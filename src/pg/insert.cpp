// synth_insert(): INSERT ... SELECT from _synth_rows into the caller's table,
// run through SPI with the caller's rights, so privileges, row-level security,
// constraints, triggers and partition routing all apply. Large batches run as
// several INSERTs of kRowsPerStatement rows in the caller's transaction: still
// all rows or none, but PostgreSQL frees each statement's queue of foreign-key
// checks when it ends, so memory stays flat at any n.
#include <optional>
#include <string>
#include <vector>

#include "engine/generate/enhancement_document.hpp"
#include "engine/generate/table_layout.hpp"
#include "engine/model/error.hpp"
#include "engine/model/limits.hpp"
#include "engine/profile/fitted_document.hpp"
#include "pg/bridge.hpp"
#include "pg/generator_args.hpp"
#include "pg/insert_skip.hpp"
#include "pg/insert_target.hpp"
#include "pg/profile_args.hpp"
#include "pg/profile_source.hpp"
#include "pg/profile_store.hpp"
#include "pg/progress.hpp"
#include "pg/row_source.hpp"

extern "C" {
#include "utils/syscache.h"
}

namespace {

using synth::pg::CatalogColumn;
using synth::pg::TargetTable;

constexpr synth::pg::GeneratorArgPositions kArgs = {1, 2, 5, 6, 7};
constexpr int kTargetArg = 0;
constexpr int kPriorityArg = 3;
constexpr int kSkipIfPresentArg = 4;
// Declared from version 1.1 on; a 1.0 install calls with 8 arguments.
constexpr int kSliceStartArg = 8;
constexpr int kSliceRowsArg = 9;
constexpr int kProfileArg = 10;  // 1.1 and later
constexpr std::int64_t kRowsPerStatement = 1000000;

// The INSERT's parameters by name: _synth_rows' arguments and the priority
// its SELECT list writes. A slot's number is its index + 1 ($1 is kN).
struct InsertParams {
  enum Slot {
    kN,
    kSeed,
    kDomainWeights,
    kTierShares,
    kLabelNoise,
    kDocumentFormat,
    kReportProgress,
    kPriority,
    kSliceStart,  // first sample_id of the statement
    kSliceRows,   // rows in the statement
    kProfile,
    kCount
  };
  Oid types[kCount];
  Datum values[kCount];
  char nulls[kCount];

  void set(Slot slot, Oid type, Datum value) {
    types[slot] = type;
    values[slot] = value;
    nulls[slot] = ' ';
  }
  void set_null(Slot slot, Oid type) {
    types[slot] = type;
    values[slot] = (Datum)0;
    nulls[slot] = 'n';
  }
};

// The SELECT-list expression for a field over the subquery alias s.
const char* select_expression(synth::RowField field, Oid column_type) {
  switch (field) {
    case synth::RowField::kSampleId:
      return "(s.r).sample_id";
    case synth::RowField::kDomain:
      return "(s.r).domain";
    case synth::RowField::kTier:
      return "(s.r).tier";
    case synth::RowField::kOriginalPrompt:
      return "(s.r).original_prompt";
    case synth::RowField::kEnhancedPrompt:
      return "(s.r).enhanced_prompt";
    case synth::RowField::kFeatureVector:
      return "(s.r).feature_vector";
    case synth::RowField::kEffectivenessScore:
      return "(s.r).effectiveness_score";
    case synth::RowField::kEnhancementResult:
      return column_type == JSONOID ? "(s.r).enhancement_json" : "(s.r).enhancement_jsonb";
    case synth::RowField::kDataSource:
      return "'synthetic'::pg_catalog.text";
    case synth::RowField::kPriority:
      static_assert(InsertParams::kPriority + 1 == 8);
      return "$8";
    case synth::RowField::kCreatedAt:
      return "pg_catalog.now()";
    case synth::RowField::kIsActive:
      return "true";
  }
  return "NULL";
}

// Builds the statement in palloc'd memory, so no C++ object owns it while SPI runs.
char* build_insert_sql(const TargetTable& t, const synth::InsertPlan& plan, const char* extension_schema,
                       bool fitted) {
  return synth::pg::pg_guard([&] {
    StringInfoData columns;
    StringInfoData exprs;
    initStringInfo(&columns);
    initStringInfo(&exprs);
    for (std::size_t i = 0; i < plan.assignments.size(); ++i) {
      const auto& a = plan.assignments[i];
      const CatalogColumn& c = t.columns[a.column];
      appendStringInfo(&columns, "%s%s", i ? ", " : "", quote_identifier(NameStr(c.name)));
      appendStringInfo(&exprs, "%s%s", i ? ", " : "", select_expression(a.field, c.type));
    }
    // _synth_rows(n, seed, domain_weights, tier_shares, label_noise,
    // document_format, report_progress, slice_start, slice_rows[, profile]).
    StringInfoData call;
    initStringInfo(&call);
    for (int slot = InsertParams::kN; slot <= InsertParams::kReportProgress; ++slot)
      appendStringInfo(&call, "%s$%d", slot > 0 ? ", " : "", slot + 1);
    appendStringInfo(&call, ", $%d, $%d", InsertParams::kSliceStart + 1, InsertParams::kSliceRows + 1);
    if (fitted) appendStringInfo(&call, ", $%d", InsertParams::kProfile + 1);
    StringInfoData sql;
    initStringInfo(&sql);
    // OFFSET 0 keeps the subquery, so the set-returning call runs once per row
    // in the SELECT list and streams instead of being materialized.
    appendStringInfo(&sql,
                     "INSERT INTO %s (%s) SELECT %s FROM (SELECT %s._synth_rows(%s) AS r OFFSET 0) AS s",
                     t.qualified_name, columns.data, exprs.data, extension_schema, call.data);
    return sql.data;
  });
}

// Whether the extension's _synth_rows takes document_format as a name (text,
// 1.2) rather than 1.1's number: the module serves a database at either.
bool row_source_takes_format_name(Oid extension_namespace) {
  return synth::pg::pg_guard([&] {
    Oid argument_types[10] = {INT8OID, INT8OID, JSONBOID, FLOAT8ARRAYOID, FLOAT8OID,
                              TEXTOID, BOOLOID, INT8OID,  INT8OID,        JSONBOID};
    return SearchSysCacheExists3(PROCNAMEARGSNSP, CStringGetDatum("_synth_rows"),
                                 PointerGetDatum(buildoidvector(argument_types, 10)),
                                 ObjectIdGetDatum(extension_namespace));
  });
}

// What synth_insert's arguments ask for, read and checked before anything is written.
struct InsertRequest {
  Oid relid = InvalidOid;
  bool fitted = false;
  synth::GeneratorOptions options;  // n and seed of a fitted call too
  std::optional<synth::pg::FittedArguments> profile;
  std::string profile_hash;
  std::string options_text;  // the options as the documents write them, for skip_if_present
  std::string source_table;  // where this backend fitted the profile, when it did
  TimestampTz fitted_at = 0;
  bool have_source = false;
  int32 priority = 0;
  bool skip_if_present = false;
  // A slice is rows [slice_start, slice_start + slice_rows) of the dataset
  // (n, seed, options); the whole dataset when neither is given.
  bool sliced = false;
  synth::SliceRange slice;
};

void read_profile_arguments(FunctionCallInfo fcinfo, bool may_skip, InsertRequest& request) {
  request.profile = synth::pg::read_fitted_arguments(fcinfo, kArgs, kProfileArg);
  const synth::Profile& profile = request.profile->profile;
  request.options.n = request.profile->options.n;
  request.options.seed = request.profile->options.seed;
  request.profile_hash = synth::profile_hash(profile);
  request.have_source =
      synth::pg::fitted_profile_source(request.profile_hash, request.source_table, request.fitted_at);
  // What names the dataset in its documents, for skip_if_present's test of a slice.
  if (may_skip)
    request.options_text = synth::write_domain_weights_json(profile, request.profile->options.domain_weights,
                                                            request.profile->weights_given);
}

InsertRequest read_request(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(kTargetArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "target must not be NULL", {},
                       "Pass a table name, e.g. 'training_prompts'.");
  InsertRequest request;
  request.relid = PG_GETARG_OID(kTargetArg);
  request.fitted = PG_NARGS() > kProfileArg && !PG_ARGISNULL(kProfileArg);
  request.sliced =
      PG_NARGS() > kSliceRowsArg &&
      !(!PG_ARGISNULL(kSliceStartArg) && PG_GETARG_INT64(kSliceStartArg) == 0 && PG_ARGISNULL(kSliceRowsArg));
  const bool may_skip =
      request.sliced && !PG_ARGISNULL(kSkipIfPresentArg) && PG_GETARG_BOOL(kSkipIfPresentArg);
  if (request.fitted)
    read_profile_arguments(fcinfo, may_skip, request);
  else
    request.options = synth::pg::read_generator_options(fcinfo, kArgs);
  if (PG_ARGISNULL(kPriorityArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "priority must not be NULL", {},
                       "Synthetic rows use 10 by default; real data uses 100.");
  request.priority = PG_GETARG_INT32(kPriorityArg);
  if (request.priority < synth::kMinPriority || request.priority > synth::kMaxPriority)
    synth::throw_invalid_parameter("priority must be between " + std::to_string(synth::kMinPriority) +
                                       " and " + std::to_string(synth::kMaxPriority) + ", got " +
                                       std::to_string(request.priority),
                                   {}, "Synthetic rows use 10 by default; real data uses 100.");
  if (PG_ARGISNULL(kSkipIfPresentArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "skip_if_present must not be NULL", {},
                       "Pass true to insert only into a table without synthetic rows, false otherwise.");
  request.skip_if_present = PG_GETARG_BOOL(kSkipIfPresentArg);
  request.slice = request.sliced
                      ? synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, request.options.n)
                      : synth::SliceRange{0, request.options.n};
  if (request.sliced && PG_ARGISNULL(kArgs.seed))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL for a slice",
                       "Each slice would draw its own seed, so the slices would not make one dataset.",
                       "Pass the same seed to every slice of the load.");
  return request;
}

// The checks of the target against what the request writes into it.
void check_target(const InsertRequest& request, const TargetTable& target, const synth::InsertPlan& plan) {
  synth::pg::check_column_types(target, plan);
  if (request.fitted) {
    const synth::Profile& profile = request.profile->profile;
    synth::pg::check_target_dimension(request.relid, target.display_name,
                                      static_cast<std::uint32_t>(profile.dimension()));
    synth::pg::warn_foreign_domains(request.relid, target.qualified_name, profile);
  }
  if (request.skip_if_present && request.sliced && plan.layout == synth::Layout::kFlat &&
      !synth::pg::has_column(target, "sample_id"))
    throw synth::Error(
        synth::sqlstate::kFeatureNotSupported,
        std::string("skip_if_present needs a sample_id column in \"") + target.display_name +
            "\" to skip a slice",
        "A slice is skipped when a row of its sample_id range is there; this table does not keep them.",
        "Add a sample_id column, or load the whole dataset in one call.");
}

// The document goes where the table keeps it: jsonb, json or none.
int document_format_of(const TargetTable& target, const synth::InsertPlan& plan) {
  if (plan.layout == synth::Layout::kFlat) return synth::pg::kNoDocument;
  for (const auto& a : plan.assignments)
    if (a.field == synth::RowField::kEnhancementResult && target.columns[a.column].type == JSONOID)
      return synth::pg::kJsonDocument;
  return synth::pg::kJsonbDocument;
}

// The generator options as _synth_rows takes them, in the format the
// database's declaration of it takes (1.2 names the document format; a
// database still at 1.1 declares it a number).
InsertParams insert_params(FunctionCallInfo fcinfo, const InsertRequest& request, int document_format,
                           bool format_named) {
  using P = InsertParams;
  static const char* const kFormatNames[] = {"none", "jsonb", "json"};  // by DocumentFormat
  P params;
  params.set(P::kN, INT8OID, Int64GetDatum(request.options.n));
  params.set(P::kSeed, INT8OID, Int64GetDatum(static_cast<int64>(request.options.seed)));
  if (PG_ARGISNULL(kArgs.domain_weights))
    params.set_null(P::kDomainWeights, JSONBOID);
  else
    params.set(P::kDomainWeights, JSONBOID, PG_GETARG_DATUM(kArgs.domain_weights));
  if (PG_ARGISNULL(kArgs.tier_shares))  // only with a profile, which leaves them to it
    params.set_null(P::kTierShares, FLOAT8ARRAYOID);
  else
    params.set(P::kTierShares, FLOAT8ARRAYOID, PG_GETARG_DATUM(kArgs.tier_shares));
  params.set(P::kLabelNoise, FLOAT8OID, Float8GetDatum(request.options.label_noise));
  if (format_named)
    params.set(P::kDocumentFormat, TEXTOID,
               synth::pg::pg_guard([&] { return CStringGetTextDatum(kFormatNames[document_format]); }));
  else
    params.set(P::kDocumentFormat, INT4OID, Int32GetDatum(document_format));
  params.set(P::kReportProgress, BOOLOID, BoolGetDatum(true));
  params.set(P::kPriority, INT4OID, Int32GetDatum(request.priority));
  params.set(P::kSliceStart, INT8OID, Int64GetDatum(0));
  params.set(P::kSliceRows, INT8OID, Int64GetDatum(0));
  if (request.fitted)
    params.set(P::kProfile, JSONBOID, PG_GETARG_DATUM(kProfileArg));
  else
    params.set_null(P::kProfile, JSONBOID);
  return params;
}

// What the run needs besides the request: all plain data or palloc'd.
struct InsertRun {
  const TargetTable* target;
  const synth::InsertPlan* plan;
  const char* sql;
  InsertParams* params;
  synth::pg::DatasetNames names;
  Oid extension_namespace;
  const char* kept_source;  // nullptr: not fitted in this backend
};

// skip_if_present's NOTICE, or false when the rows are to be inserted.
bool skip_insert(const InsertRequest& request, const InsertRun& run) {
  const TargetTable& target = *run.target;
  const synth::Layout layout = run.plan->layout;
  if (request.sliced && synth::pg::holds_slice_rows(request.relid, target, *run.plan, request.options,
                                                    request.slice, run.names)) {
    SPI_finish();
    ereport(NOTICE,
            (errmsg("synth_insert skipped: \"%s\" already holds rows of slice [%lld, %lld)",
                    target.display_name, static_cast<long long>(request.slice.start),
                    static_cast<long long>(request.slice.start + request.slice.count)),
             layout == synth::Layout::kFlat
                 ? errdetail("skip_if_present => true inserts a slice only when no synthetic row with a "
                             "sample_id in it is there.")
                 : errdetail("skip_if_present => true inserts a slice only when no synthetic row of this "
                             "dataset (the same seed, n, profile or options and generator_version) "
                             "with a sample_id in it is there.")));
    return true;
  }
  if (!request.sliced && synth::pg::holds_synthetic_rows(request.relid, target, layout)) {
    SPI_finish();
    ereport(NOTICE, (errmsg("synth_insert skipped: \"%s\" already holds synthetic rows", target.display_name),
                     errdetail("skip_if_present => true inserts only into a table without synthetic rows.")));
    return true;
  }
  return false;
}

// The INSERTs, kRowsPerStatement rows each; -1 when skip_if_present skipped
// them. Backend calls only: it runs inside one guard.
int64 run_inserts(const InsertRequest& request, const InsertRun& run) {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  if (request.skip_if_present && skip_insert(request, run)) return -1;
  InsertParams& params = *run.params;
  // Keeps the profile where pg_dump carries it, so every row's profile_hash
  // finds it again (pg/profile_store.hpp: callers cannot write the table).
  if (request.fitted)
    synth::pg::keep_profile(run.extension_namespace, request.relid, params.values[InsertParams::kProfile],
                            run.kept_source, request.fitted_at);
  // The start line of a run long enough for progress lines (pg/progress.hpp).
  if (synth::pg::progress_interval() > 0 && request.options.n > synth::pg::progress_interval())
    ereport(NOTICE, (errmsg("synth_insert: generating %lld rows into %s",
                            static_cast<long long>(request.slice.count), run.target->qualified_name)));
  SPIPlanPtr statement = SPI_prepare(run.sql, InsertParams::kCount, params.types);
  if (statement == nullptr)
    elog(ERROR, "synth_insert: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
  int64 count = 0;
  const int64 end = request.slice.start + request.slice.count;
  for (int64 first = request.slice.start; first < end; first += kRowsPerStatement) {
    params.values[InsertParams::kSliceStart] = Int64GetDatum(first);
    params.values[InsertParams::kSliceRows] = Int64GetDatum(Min(kRowsPerStatement, end - first));
    const int rc = SPI_execute_plan(statement, params.values, params.nulls, false, 0);
    if (rc != SPI_OK_INSERT) elog(ERROR, "synth_insert: INSERT failed: %s", SPI_result_code_string(rc));
    count += static_cast<int64>(SPI_processed);
  }
  SPI_finish();
  return count;
}

}  // namespace

SYNTH_FUNCTION(synth_insert) {
  const InsertRequest request = read_request(fcinfo);
  TargetTable target = synth::pg::describe_target(request.relid);
  std::vector<synth::ColumnDescription> described;
  for (int i = 0; i < target.column_count; ++i) {
    const CatalogColumn& c = target.columns[i];
    described.push_back({NameStr(c.name), c.not_null, c.has_default, c.insertable});
  }
  const synth::InsertPlan plan = synth::plan_insert(target.display_name, described);
  check_target(request, target, plan);

  const Oid extension_namespace =
      synth::pg::pg_guard([&] { return get_func_namespace(fcinfo->flinfo->fn_oid); });
  const char* extension_schema =
      synth::pg::pg_guard([&] { return quote_identifier(get_namespace_name(extension_namespace)); });
  InsertRun run{&target,
                &plan,
                build_insert_sql(target, plan, extension_schema, request.fitted),
                nullptr,
                {},
                extension_namespace,
                request.have_source ? request.source_table.c_str() : nullptr};
  if (request.skip_if_present && request.sliced && plan.layout != synth::Layout::kFlat) {
    synth::DocumentContext design;
    std::string options_text = request.options_text;
    if (!request.fitted) {
      design.options = request.options;
      design.domain_weights_given = !PG_ARGISNULL(kArgs.domain_weights);
      options_text = synth::write_options_json(design);
    }
    run.names = synth::pg::dataset_names(request.fitted, options_text, request.profile_hash, design);
  }
  InsertParams params = insert_params(fcinfo, request, document_format_of(target, plan),
                                      row_source_takes_format_name(extension_namespace));
  run.params = &params;

  const TimestampTz began = synth::pg::pg_guard([] { return GetCurrentTimestamp(); });
  const int64 inserted = synth::pg::pg_guard([&] { return run_inserts(request, run); });
  if (inserted < 0) PG_RETURN_INT64(0);
  synth::pg::insert_finished(target.qualified_name, inserted, request.options.n, began);
  PG_RETURN_INT64(inserted);
}
