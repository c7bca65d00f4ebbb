// synth_insert(): INSERT ... SELECT from _synth_rows into the caller's table,
// run through SPI with the caller's rights, so privileges, row-level security,
// constraints, triggers and partition routing all apply. Large batches run as
// several INSERTs of kRowsPerStatement rows in the caller's transaction: still
// all rows or none, but PostgreSQL frees each statement's queue of foreign-key
// checks when it ends, so memory stays flat at any n.
#include <map>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/generate/enhancement_document.hpp"
#include "engine/generate/table_layout.hpp"
#include "engine/model/version.hpp"
#include "engine/profile/fitted_document.hpp"
#include "pg/bridge.hpp"
#include "pg/enhancement_jsonb.hpp"
#include "pg/generator_args.hpp"
#include "pg/profile_args.hpp"
#include "pg/profile_source.hpp"
#include "pg/progress.hpp"
#include "pg/profile_store.hpp"
#include "pg/table_reader.hpp"
#include "engine/rows/observation_sink.hpp"

extern "C" {
#include "access/relation.h"
#include "catalog/pg_class.h"
#include "common/hashfn.h"
#include "storage/lmgr.h"
#include "parser/parse_coerce.h"
#include "commands/trigger.h"
#include "rewrite/prs2lock.h"
#include "rewrite/rewriteDefine.h"
#include "utils/typcache.h"
#include "utils/fmgrprotos.h"
#include "utils/syscache.h"
}

namespace {

constexpr synth::pg::GeneratorArgPositions kArgs = {1, 2, 5, 6, 7};
constexpr int kTargetArg = 0;
constexpr int kPriorityArg = 3;
constexpr int kSkipIfPresentArg = 4;
// Declared from version 1.1 on; a 1.0 install calls with 8 arguments.
constexpr int kSliceStartArg = 8;
constexpr int kSliceRowsArg = 9;
constexpr int kProfileArg = 10;  // 1.1 and later
constexpr std::int64_t kRowsPerStatement = 1000000;
constexpr int kMinPriority = 1;
constexpr int kMaxPriority = 1000;
// First key of the transaction-level advisory lock that serialises cold starts per table.
constexpr int32 kColdStartLockKey = 0x53594e54;  // "SYNT"

// A column as the catalog has it: plain data, copied out under pg_guard.
struct CatalogColumn {
  NameData name;
  Oid type;
  bool not_null;
  bool has_default;
  bool insertable;
};

struct TargetTable {
  char* qualified_name;  // quoted schema.table, palloc'd
  char* display_name;    // unquoted relname, palloc'd
  CatalogColumn* columns;
  int column_count;
};

TargetTable describe_target(Oid relid) {
  return synth::pg::pg_guard([relid] {
    TargetTable t{};
    if (get_rel_relkind(relid) == '\0')
      ereport(ERROR,
              (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation with OID %u does not exist", relid)));
    // Stops concurrent DDL from changing the columns between this look and the INSERT.
    LockRelationOid(relid, RowExclusiveLock);
    // The table may have been dropped while we waited for the lock.
    Relation rel = try_relation_open(relid, NoLock);
    if (rel == nullptr)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                      errmsg("the target table was dropped while synth_insert waited for it")));
    // Everything below is read under the lock, the kind too (an empty table can
    // still become a view by a rule in PostgreSQL 15).
    const char relkind = rel->rd_rel->relkind;
    t.display_name = pstrdup(RelationGetRelationName(rel));
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE) {
      const char* hint = "Pass an ordinary or partitioned table.";
      if (relkind == RELKIND_VIEW || relkind == RELKIND_MATVIEW)
        hint = "Pass the table behind the view or materialized view.";
      else if (relkind == RELKIND_FOREIGN_TABLE)
        hint =
            "Run synth_insert on the server that holds the table, or INSERT INTO the foreign table "
            "SELECT ... FROM synth_generate(...).";
      ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE), errmsg("\"%s\" is not a table", t.display_name),
                      errdetail("synth_insert writes only to ordinary or partitioned tables."),
                      errhint("%s", hint)));
    }
    // An INSTEAD rule replaces the INSERT by other commands, so synth_insert
    // could not count what it inserted; ALSO rules run beside it and are fine.
    if (rel->rd_rules != nullptr) {
      for (int i = 0; i < rel->rd_rules->numLocks; ++i) {
        const RewriteRule* rule = rel->rd_rules->rules[i];
        // The rewriter's own test of whether a rule fires in this session.
        const bool replica = SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA;
        if (rule->enabled == RULE_DISABLED ||
            rule->enabled == (replica ? RULE_FIRES_ON_ORIGIN : RULE_FIRES_ON_REPLICA))
          continue;
        if (rule->event == CMD_INSERT && rule->isInstead)
          ereport(ERROR,
                  (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                   errmsg("synth_insert cannot write to \"%s\": an ON INSERT DO INSTEAD rule rewrites "
                          "its INSERT",
                          t.display_name),
                   errdetail("The rule replaces the INSERT by other commands, so the rows synth_insert "
                             "makes would not be the rows the table receives."),
                   errhint("Drop or disable the rule, or run INSERT INTO the table SELECT ... FROM "
                           "synth_generate(...) and let the rule act on it.")));
      }
    }
    t.qualified_name =
        quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)), t.display_name);
    TupleDesc desc = RelationGetDescr(rel);
    t.columns = static_cast<CatalogColumn*>(palloc0(sizeof(CatalogColumn) * Max(desc->natts, 1)));
    for (int i = 0; i < desc->natts; ++i) {
      Form_pg_attribute att = TupleDescAttr(desc, i);
      if (att->attisdropped) continue;
      CatalogColumn& c = t.columns[t.column_count++];
      c.name = att->attname;
      c.type = att->atttypid;
      c.not_null = att->attnotnull;
      c.has_default = att->atthasdef || att->attidentity != '\0' || att->attgenerated != '\0';
      c.insertable = att->attgenerated == '\0' && att->attidentity != ATTRIBUTE_IDENTITY_ALWAYS;
    }
    relation_close(rel, NoLock);
    return t;
  });
}

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
      return "$8";
    case synth::RowField::kCreatedAt:
      return "pg_catalog.now()";
    case synth::RowField::kIsActive:
      return "true";
  }
  return "NULL";
}

// Whether a column of this type holds the field without losing what it means:
// stricter than an assignment cast, which would also accept text for the
// feature vector or an integer for the score.
bool column_type_fits(synth::RowField field, Oid column_type) {
  const Oid type = getBaseType(column_type);  // a domain over a fitting type fits
  auto one_of = [type](std::initializer_list<Oid> types) {
    for (Oid t : types)
      if (t == type) return true;
    return false;
  };
  switch (field) {
    case synth::RowField::kSampleId:
      return one_of({INT4OID, INT8OID, NUMERICOID});
    case synth::RowField::kDomain:
    case synth::RowField::kTier:
    case synth::RowField::kOriginalPrompt:
    case synth::RowField::kEnhancedPrompt:
    case synth::RowField::kDataSource:
      return TypeCategory(type) == TYPCATEGORY_STRING;
    case synth::RowField::kFeatureVector: {
      const Oid element = get_element_type(type);
      return element == FLOAT8OID || element == FLOAT4OID || element == NUMERICOID;
    }
    case synth::RowField::kEffectivenessScore:
      return one_of({FLOAT8OID, FLOAT4OID, NUMERICOID});
    case synth::RowField::kEnhancementResult:
      return one_of({JSONOID, JSONBOID});
    case synth::RowField::kPriority:
      return one_of({INT2OID, INT4OID, INT8OID, NUMERICOID});
    case synth::RowField::kCreatedAt:
      return one_of({TIMESTAMPOID, TIMESTAMPTZOID, DATEOID});
    case synth::RowField::kIsActive:
      return type == BOOLOID;
  }
  return false;
}

const char* fitting_types(synth::RowField field) {
  switch (field) {
    case synth::RowField::kSampleId:
      return "integer, bigint or numeric";
    case synth::RowField::kFeatureVector:
      return "an array of double precision, real or numeric";
    case synth::RowField::kEffectivenessScore:
      return "double precision, real or numeric";
    case synth::RowField::kEnhancementResult:
      return "json or jsonb";
    case synth::RowField::kPriority:
      return "smallint, integer, bigint or numeric";
    case synth::RowField::kCreatedAt:
      return "timestamp, timestamptz or date";
    case synth::RowField::kIsActive:
      return "boolean";
    default:
      return "a string type (text, varchar, char)";
  }
}

void check_column_types(const TargetTable& t, const synth::InsertPlan& plan) {
  for (const auto& a : plan.assignments) {
    const CatalogColumn& c = t.columns[a.column];
    const bool fits = synth::pg::pg_guard([&] { return column_type_fits(a.field, c.type); });
    if (!fits)
      throw synth::Error(synth::sqlstate::kDatatypeMismatch,
                         std::string("column \"") + NameStr(c.name) + "\" of table \"" + t.display_name +
                             "\" has type " + synth::pg::pg_guard([&] { return format_type_be(c.type); }) +
                             ", which cannot hold the " + synth::row_field_name(a.field),
                         std::string("synthdata needs ") + fitting_types(a.field) + " there.",
                         "Change the column's type or rename the column.");
  }
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
    StringInfoData sql;
    initStringInfo(&sql);
    // OFFSET 0 keeps the subquery, so the set-returning call runs once per row
    // in the SELECT list and streams instead of being materialized.
    appendStringInfo(&sql,
                     "INSERT INTO %s (%s) SELECT %s FROM (SELECT %s._synth_rows($1, $2, $3, $4, $5, $6, $7, "
                     "$9, $10%s) AS r "
                     "OFFSET 0) AS s",
                     t.qualified_name, columns.data, exprs.data, extension_schema, fitted ? ", $11" : "");
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

bool has_column(const TargetTable& t, const char* name) {
  for (int i = 0; i < t.column_count; ++i)
    if (std::strcmp(NameStr(t.columns[i].name), name) == 0) return true;
  return false;
}

// The condition that makes a row synthdata's own: data_source = 'synthetic',
// or (in the pipeline layout) a document whose metadata.source is synthdata's,
// so a BEFORE trigger that relabels data_source does not hide the batch. An
// empty string when the table has no data_source column (any row counts).
const char* synthetic_row_condition(const TargetTable& t, synth::Layout layout) {
  if (!has_column(t, "data_source")) return "";
  if (layout != synth::Layout::kPipeline) return "data_source OPERATOR(pg_catalog.=) 'synthetic'";
  return "(data_source OPERATOR(pg_catalog.=) 'synthetic' OR enhancement_result::pg_catalog.jsonb "
         "OPERATOR(pg_catalog.@>) '{\"metadata\": {\"source\": \"synthdata\"}}'::pg_catalog.jsonb)";
}

// Under the cold-start lock, with a snapshot taken now (not at transaction
// start), so a batch committed by a session that held the lock before is seen
// at any isolation level. Backend calls only: it runs inside synth_insert's guard.
bool holds_synthetic_rows(Oid relid, const TargetTable& t, synth::Layout layout) {
  DirectFunctionCall2(pg_advisory_xact_lock_int4, Int32GetDatum(kColdStartLockKey),
                      Int32GetDatum(static_cast<int32>(relid)));
  const char* synthetic = synthetic_row_condition(t, layout);
  StringInfoData sql;
  initStringInfo(&sql);
  appendStringInfo(&sql, "SELECT 1 FROM %s%s%s LIMIT 1", t.qualified_name, *synthetic ? " WHERE " : "",
                   synthetic);
  SPIPlanPtr plan = SPI_prepare(sql.data, 0, nullptr);
  if (plan == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
  int rc = SPI_execute_snapshot(plan, nullptr, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
  return SPI_processed > 0;
}

// What names a dataset in its rows' metadata besides seed and n: the
// generator_version, and either the profile's hash and the domain_weights of
// a fitted call or the design table's options. Plain data, palloc'd.
struct DatasetNames {
  bool fitted;
  const char* profile_hash;  // fitted only
  // Design: {label_noise, tier_shares, domain_weights} as a jsonb column holds
  // them (numbers to 15 digits) and as a json column does (the shortest
  // text); fitted: the domain_weights, twice (both columns hold the same).
  Datum options[2];
};

// skip_if_present for a slice: whether the table already holds a synthetic
// row of this slice, i.e. of this dataset (what its document's metadata says
// of it: seed, n, generator_version, the profile's hash or its absence, and
// the options) with a sample_id in [start, start + count). Serialised per
// (table, seed, n, slice) rather than per table, so the slices of one load
// run side by side while a retry of a slice waits for the first attempt. A
// flat table keeps no metadata: there any synthetic row in the sample_id
// range counts.
bool holds_slice_rows(Oid relid, const TargetTable& t, const synth::InsertPlan& plan,
                      const synth::GeneratorOptions& options, synth::SliceRange slice,
                      const DatasetNames& names) {
  uint64 key = hash_bytes_uint32_extended(static_cast<uint32>(relid), options.seed);
  key = hash_bytes_uint32_extended(static_cast<uint32>(slice.start), key ^ static_cast<uint64>(options.n));
  key = hash_bytes_uint32_extended(static_cast<uint32>(static_cast<uint64>(slice.start) >> 32), key);
  DirectFunctionCall1(pg_advisory_xact_lock_int8, Int64GetDatum(static_cast<int64>(key)));
  StringInfoData sql;
  initStringInfo(&sql);
  const char* synthetic = synthetic_row_condition(t, plan.layout);
  const char* and_ = *synthetic ? " AND " : "";
  if (plan.layout == synth::Layout::kFlat) {
    appendStringInfo(&sql,
                     "SELECT 1 FROM %s WHERE %s%ssample_id OPERATOR(pg_catalog.>=) $3 AND sample_id "
                     "OPERATOR(pg_catalog.<) $4 LIMIT 1",
                     t.qualified_name, synthetic, and_);
  } else {
    // The containment of the scalars first (what an index on the metadata
    // could serve), then the options, which must be equal, not contained.
    const char* metadata = "(enhancement_result::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'metadata')";
    appendStringInfo(&sql,
                     "SELECT 1 FROM %s WHERE %s%s%s OPERATOR(pg_catalog.@>) "
                     "pg_catalog.jsonb_build_object('seed', $1, 'n', $2, 'generator_version', $5%s) AND ",
                     t.qualified_name, synthetic, and_, metadata, names.fitted ? ", 'profile_hash', $6" : "");
    if (names.fitted)
      appendStringInfo(&sql, "(%s OPERATOR(pg_catalog.->) 'domain_weights') OPERATOR(pg_catalog.=) $7 AND ",
                       metadata);
    else
      appendStringInfo(
          &sql,
          "NOT (%s OPERATOR(pg_catalog.?) 'profile_hash') AND "
          "pg_catalog.jsonb_build_object('label_noise', %s OPERATOR(pg_catalog.->) 'label_noise', "
          "'tier_shares', %s OPERATOR(pg_catalog.->) 'tier_shares', "
          "'domain_weights', %s OPERATOR(pg_catalog.->) 'domain_weights') "
          "OPERATOR(pg_catalog.=) ANY (ARRAY[$6, $7]) AND ",
          metadata, metadata, metadata, metadata);
    appendStringInfoString(
        &sql,
        "((enhancement_result::pg_catalog.jsonb OPERATOR(pg_catalog.#>>) '{metadata,sample_id}')"
        "::pg_catalog.int8 OPERATOR(pg_catalog.>=) $3) AND "
        "((enhancement_result::pg_catalog.jsonb OPERATOR(pg_catalog.#>>) '{metadata,sample_id}')"
        "::pg_catalog.int8 OPERATOR(pg_catalog.<) $4) LIMIT 1");
  }
  Oid types[7] = {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, names.fitted ? Oid{TEXTOID} : Oid{JSONBOID},
                  JSONBOID};
  Datum values[7] = {Int64GetDatum(static_cast<int64>(options.seed)),
                     Int64GetDatum(options.n),
                     Int64GetDatum(slice.start),
                     Int64GetDatum(slice.start + slice.count),
                     Int64GetDatum(synth::kGeneratorVersion),
                     names.options[0],
                     names.options[1]};
  if (names.fitted) values[5] = CStringGetTextDatum(names.profile_hash);
  const int count = plan.layout == synth::Layout::kFlat ? 4 : 7;
  SPIPlanPtr p = SPI_prepare(sql.data, count, types);
  if (p == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
  int rc = SPI_execute_snapshot(p, values, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
  return SPI_processed > 0;
}

// Counts the feature dimensions of the target's existing active rows that
// the pipeline's ML gate keeps (rows it drops never meet the fitted ones in
// training), and of rows too wide to judge.
class DimensionSink final : public synth::ObservationSink {
 public:
  void add(const synth::RowObservation& row) override {
    if (row.feature_shape != synth::FeatureShape::kArray || row.feature_count == 0) return;
    if (row.elements_read() && !synth::gate_keeps(row)) return;
    ++rows_[row.feature_count];
  }
  const std::map<std::uint32_t, std::uint64_t>& rows() const { return rows_; }

 private:
  std::map<std::uint32_t, std::uint64_t> rows_;
};

// A fitted profile's rows must fit the dimension the target already holds:
// the most common dimension of its active rows the ML gate keeps, when it
// has any. Read with the caller's rights, before anything is written.
void check_target_dimension(Oid relid, const std::string& table, std::uint32_t dimension) {
  synth::pg::TableReadRequest request;
  request.relid = relid;
  request.only_active = true;
  request.function_name = "synth_insert";
  DimensionSink sink;
  synth::pg::read_training_table(request, sink);
  std::uint64_t most = 0;
  for (const auto& [d, count] : sink.rows()) most = std::max(most, count);
  if (most == 0) return;
  const auto same = sink.rows().find(dimension);
  if (same != sink.rows().end() && same->second == most) return;
  std::uint32_t common = 0;
  for (const auto& [d, count] : sink.rows())
    if (count == most) {
      common = d;
      break;
    }
  throw synth::Error(
      synth::sqlstate::kInvalidParameterValue,
      "the profile has " + std::to_string(dimension) + " features but table \"" + table + "\"" +
          " holds rows of " + std::to_string(common),
      std::to_string(most) + " of the table's active rows have " + std::to_string(common) +
          " features; rows of another dimension would count as wrong_dimension there.",
      "Fit the profile on rows of the table's dimension, or insert into a table of the profile's.");
}

}  // namespace

SYNTH_FUNCTION(synth_insert) {
  if (PG_ARGISNULL(kTargetArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "target must not be NULL", {},
                       "Pass a table name, e.g. 'training_prompts'.");
  const Oid relid = PG_GETARG_OID(kTargetArg);
  const bool fitted = PG_NARGS() > kProfileArg && !PG_ARGISNULL(kProfileArg);
  synth::GeneratorOptions options;
  std::uint32_t fitted_dimension = 0;
  // A slice is rows [slice_start, slice_start + slice_rows) of the dataset
  // (n, seed, options); the whole dataset when neither is given.
  const bool sliced =
      PG_NARGS() > kSliceRowsArg &&
      !(!PG_ARGISNULL(kSliceStartArg) && PG_GETARG_INT64(kSliceStartArg) == 0 && PG_ARGISNULL(kSliceRowsArg));
  // What names the dataset in its documents, for skip_if_present's test of a slice.
  const bool may_skip = sliced && !PG_ARGISNULL(kSkipIfPresentArg) && PG_GETARG_BOOL(kSkipIfPresentArg);
  std::string fitted_hash;
  std::string options_text;
  synth::Profile fitted_profile;
  std::string source_table;  // where this backend fitted the profile, when it did
  TimestampTz fitted_at = 0;
  bool have_source = false;
  if (fitted) {
    // Every check of the profile and its options runs before anything is written.
    synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(kProfileArg));
    synth::pg::reject_options_a_profile_replaces(fcinfo, kArgs.tier_shares, kArgs.label_noise);
    if (PG_ARGISNULL(kArgs.n))
      throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "n must not be NULL");
    options.n = PG_GETARG_INT64(kArgs.n);
    synth::validate_row_count(options.n);
    options.seed = PG_ARGISNULL(kArgs.seed) ? synth::pg::fresh_seed()
                                            : static_cast<std::uint64_t>(PG_GETARG_INT64(kArgs.seed));
    std::vector<double> weights;
    if (!PG_ARGISNULL(kArgs.domain_weights))
      weights = synth::pg::read_profile_domain_weights(PG_GETARG_JSONB_P(kArgs.domain_weights), profile);
    fitted_dimension = static_cast<std::uint32_t>(profile.dimension());
    fitted_hash = synth::profile_hash(profile);
    if (synth::pg::fitted_profile_source(fitted_hash, source_table, fitted_at)) have_source = true;
    if (may_skip) {
      options_text = synth::write_domain_weights_json(profile, weights, !PG_ARGISNULL(kArgs.domain_weights));
    }
    fitted_profile = std::move(profile);
  } else {
    options = synth::pg::read_generator_options(fcinfo, kArgs);
  }
  if (PG_ARGISNULL(kPriorityArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "priority must not be NULL", {},
                       "Synthetic rows use 10 by default; real data uses 100.");
  const int32 priority = PG_GETARG_INT32(kPriorityArg);
  if (priority < kMinPriority || priority > kMaxPriority)
    synth::throw_invalid_parameter("priority must be between 1 and 1000, got " + std::to_string(priority), {},
                                   "Synthetic rows use 10 by default; real data uses 100.");
  if (PG_ARGISNULL(kSkipIfPresentArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "skip_if_present must not be NULL", {},
                       "Pass true to insert only into a table without synthetic rows, false otherwise.");
  const bool skip_if_present = PG_GETARG_BOOL(kSkipIfPresentArg);
  const synth::SliceRange slice =
      sliced ? synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, options.n)
             : synth::SliceRange{0, options.n};
  if (sliced && PG_ARGISNULL(kArgs.seed))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL for a slice",
                       "Each slice would draw its own seed, so the slices would not make one dataset.",
                       "Pass the same seed to every slice of the load.");

  TargetTable target = describe_target(relid);
  std::vector<synth::ColumnDescription> described;
  for (int i = 0; i < target.column_count; ++i) {
    const CatalogColumn& c = target.columns[i];
    described.push_back({NameStr(c.name), c.not_null, c.has_default, c.insertable});
  }
  const synth::InsertPlan plan = synth::plan_insert(target.display_name, described);
  check_column_types(target, plan);
  if (fitted) check_target_dimension(relid, target.display_name, fitted_dimension);
  if (fitted) synth::pg::warn_foreign_domains(relid, target.qualified_name, fitted_profile);

  if (skip_if_present && sliced && plan.layout == synth::Layout::kFlat && !has_column(target, "sample_id"))
    throw synth::Error(
        synth::sqlstate::kFeatureNotSupported,
        std::string("skip_if_present needs a sample_id column in \"") + target.display_name +
            "\" to skip a slice",
        "A slice is skipped when a row of its sample_id range is there; this table does not keep them.",
        "Add a sample_id column, or load the whole dataset in one call.");
  const char* extension_schema = synth::pg::pg_guard(
      [&] { return quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid))); });
  const char* sql = build_insert_sql(target, plan, extension_schema, fitted);
  DatasetNames names{};
  if (skip_if_present && sliced && plan.layout != synth::Layout::kFlat) {
    synth::DocumentContext context;
    if (!fitted) {
      context.options = options;
      context.domain_weights_given = !PG_ARGISNULL(kArgs.domain_weights);
      options_text = synth::write_options_json(context);
    }
    names = synth::pg::pg_guard([&] {
      DatasetNames made{};
      made.fitted = fitted;
      made.options[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(options_text.c_str()));
      made.options[1] = made.options[0];
      if (fitted)
        made.profile_hash = pstrdup(fitted_hash.c_str());
      else
        made.options[1] = JsonbPGetDatum(synth::pg::JsonbDocumentBuilder::options(context));
      return made;
    });
  }

  // Parameters of the INSERT: the generator options as _synth_rows takes them.
  // The pipeline document goes where the table keeps it: jsonb, json or none
  // (1.1 numbered them 1, 2 and 0, the indexes of kFormatNames).
  static const char* const kFormatNames[] = {"none", "jsonb", "json"};
  int document_format = 1;  // jsonb
  for (const auto& a : plan.assignments)
    if (a.field == synth::RowField::kEnhancementResult && target.columns[a.column].type == JSONOID)
      document_format = 2;
  if (plan.layout == synth::Layout::kFlat) document_format = 0;
  // Keeps the profile where pg_dump carries it, so every row's profile_hash
  // finds it again (pg/profile_store.hpp: callers cannot write the table).
  const Oid extension_namespace =
      synth::pg::pg_guard([&] { return get_func_namespace(fcinfo->flinfo->fn_oid); });
  // 1.2 names the format; a database still at 1.1 declares it a number.
  const bool format_named = row_source_takes_format_name(extension_namespace);
  const Datum format_datum =
      format_named ? synth::pg::pg_guard([&] { return CStringGetTextDatum(kFormatNames[document_format]); })
                   : Int32GetDatum(document_format);

  const Oid format_type = format_named ? TEXTOID : INT4OID;
  Oid types[11] = {INT8OID, INT8OID, JSONBOID, FLOAT8ARRAYOID, FLOAT8OID, format_type,
                   BOOLOID, INT4OID, INT8OID,  INT8OID,        JSONBOID};
  Datum values[11] = {Int64GetDatum(options.n),
                      Int64GetDatum(static_cast<int64>(options.seed)),
                      PG_ARGISNULL(kArgs.domain_weights) ? (Datum)0 : PG_GETARG_DATUM(kArgs.domain_weights),
                      PG_GETARG_DATUM(kArgs.tier_shares),
                      Float8GetDatum(options.label_noise),
                      format_datum,
                      BoolGetDatum(true),
                      Int32GetDatum(priority),
                      Int64GetDatum(0),  // $9: first sample_id of the statement
                      Int64GetDatum(0),  // $10: rows in the statement
                      fitted ? PG_GETARG_DATUM(kProfileArg) : (Datum)0};
  char nulls[11] = {' ',
                    ' ',
                    PG_ARGISNULL(kArgs.domain_weights) ? 'n' : ' ',
                    ' ',
                    ' ',
                    ' ',
                    ' ',
                    ' ',
                    ' ',
                    ' ',
                    fitted ? ' ' : 'n'};

  const char* kept_source = have_source ? source_table.c_str() : nullptr;
  const TimestampTz began = synth::pg::pg_guard([] { return GetCurrentTimestamp(); });
  bool announced = false;
  int64 inserted = synth::pg::pg_guard([&] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    if (skip_if_present && sliced && holds_slice_rows(relid, target, plan, options, slice, names)) {
      SPI_finish();
      ereport(NOTICE,
              (errmsg("synth_insert skipped: \"%s\" already holds rows of slice [%lld, %lld)",
                      target.display_name, static_cast<long long>(slice.start),
                      static_cast<long long>(slice.start + slice.count)),
               plan.layout == synth::Layout::kFlat
                   ? errdetail("skip_if_present => true inserts a slice only when no synthetic row with a "
                               "sample_id in it is there.")
                   : errdetail("skip_if_present => true inserts a slice only when no synthetic row of this "
                               "dataset (the same seed, n, profile or options and generator_version) "
                               "with a sample_id in it is there.")));
      return static_cast<int64>(0);
    }
    if (skip_if_present && !sliced && holds_synthetic_rows(relid, target, plan.layout)) {
      SPI_finish();
      ereport(NOTICE,
              (errmsg("synth_insert skipped: \"%s\" already holds synthetic rows", target.display_name),
               errdetail("skip_if_present => true inserts only into a table without synthetic rows.")));
      return static_cast<int64>(0);
    }
    if (fitted) synth::pg::keep_profile(extension_namespace, relid, values[10], kept_source, fitted_at);
    announced = true;
    // The start line of a run long enough for progress lines (pg/progress.hpp).
    if (synth::pg::progress_interval() > 0 && options.n > synth::pg::progress_interval())
      ereport(NOTICE, (errmsg("synth_insert: generating %lld rows into %s",
                              static_cast<long long>(slice.count), target.qualified_name)));
    SPIPlanPtr plan = SPI_prepare(sql, 11, types);
    if (plan == nullptr)
      elog(ERROR, "synth_insert: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    int64 count = 0;
    const int64 end = slice.start + slice.count;
    for (int64 start = slice.start; start < end; start += kRowsPerStatement) {
      values[8] = Int64GetDatum(start);
      values[9] = Int64GetDatum(Min(kRowsPerStatement, end - start));
      int rc = SPI_execute_plan(plan, values, nulls, false, 0);
      if (rc != SPI_OK_INSERT) elog(ERROR, "synth_insert: INSERT failed: %s", SPI_result_code_string(rc));
      count += static_cast<int64>(SPI_processed);
    }
    SPI_finish();
    return count;
  });
  if (announced) synth::pg::insert_finished(target.qualified_name, inserted, options.n, began);
  PG_RETURN_INT64(inserted);
}
