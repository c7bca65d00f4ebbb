#include "pg/insert_target.hpp"

#include <algorithm>
#include <map>

#include "engine/model/error.hpp"
#include "engine/rows/observation_sink.hpp"
#include "pg/bridge.hpp"
#include "pg/table_reader.hpp"

extern "C" {
#include "access/relation.h"
#include "catalog/pg_class.h"
#include "parser/parse_coerce.h"
#include "rewrite/prs2lock.h"
#include "rewrite/rewriteDefine.h"
#include "storage/lmgr.h"
#include "utils/typcache.h"
}

namespace synth::pg {
namespace {

// Whether a column of this type holds the field without losing what it means:
// stricter than an assignment cast, which would also accept text for the
// feature vector or an integer for the score.
bool column_type_fits(RowField field, Oid column_type) {
  const Oid type = getBaseType(column_type);  // a domain over a fitting type fits
  auto one_of = [type](std::initializer_list<Oid> types) {
    for (Oid t : types)
      if (t == type) return true;
    return false;
  };
  switch (field) {
    case RowField::kSampleId:
      return one_of({INT4OID, INT8OID, NUMERICOID});
    case RowField::kDomain:
    case RowField::kTier:
    case RowField::kOriginalPrompt:
    case RowField::kEnhancedPrompt:
    case RowField::kDataSource:
      return TypeCategory(type) == TYPCATEGORY_STRING;
    case RowField::kFeatureVector: {
      const Oid element = get_element_type(type);
      return element == FLOAT8OID || element == FLOAT4OID || element == NUMERICOID;
    }
    case RowField::kEffectivenessScore:
      return one_of({FLOAT8OID, FLOAT4OID, NUMERICOID});
    case RowField::kEnhancementResult:
      return one_of({JSONOID, JSONBOID});
    case RowField::kPriority:
      return one_of({INT2OID, INT4OID, INT8OID, NUMERICOID});
    case RowField::kCreatedAt:
      return one_of({TIMESTAMPOID, TIMESTAMPTZOID, DATEOID});
    case RowField::kIsActive:
      return type == BOOLOID;
  }
  return false;
}

const char* fitting_types(RowField field) {
  switch (field) {
    case RowField::kSampleId:
      return "integer, bigint or numeric";
    case RowField::kFeatureVector:
      return "an array of double precision, real or numeric";
    case RowField::kEffectivenessScore:
      return "double precision, real or numeric";
    case RowField::kEnhancementResult:
      return "json or jsonb";
    case RowField::kPriority:
      return "smallint, integer, bigint or numeric";
    case RowField::kCreatedAt:
      return "timestamp, timestamptz or date";
    case RowField::kIsActive:
      return "boolean";
    default:
      return "a string type (text, varchar, char)";
  }
}

// Counts the feature dimensions of the target's existing active rows that
// the pipeline's ML gate keeps (rows it drops never meet the fitted ones in
// training), and of rows too wide to judge.
class DimensionSink final : public ObservationSink {
 public:
  void add(const RowObservation& row) override {
    if (row.feature_shape != FeatureShape::kArray || row.feature_count == 0) return;
    if (row.elements_read() && !gate_keeps(row)) return;
    ++rows_[row.feature_count];
  }
  const std::map<std::uint32_t, std::uint64_t>& rows() const { return rows_; }

 private:
  std::map<std::uint32_t, std::uint64_t> rows_;
};

}  // namespace

TargetTable describe_target(Oid relid) {
  return pg_guard([relid] {
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

bool has_column(const TargetTable& t, const char* name) {
  for (int i = 0; i < t.column_count; ++i)
    if (std::strcmp(NameStr(t.columns[i].name), name) == 0) return true;
  return false;
}

void check_column_types(const TargetTable& t, const InsertPlan& plan) {
  for (const auto& a : plan.assignments) {
    const CatalogColumn& c = t.columns[a.column];
    const bool fits = pg_guard([&] { return column_type_fits(a.field, c.type); });
    if (!fits)
      throw Error(sqlstate::kDatatypeMismatch,
                  std::string("column \"") + NameStr(c.name) + "\" of table \"" + t.display_name +
                      "\" has type " + pg_guard([&] { return format_type_be(c.type); }) +
                      ", which cannot hold the " + row_field_name(a.field),
                  std::string("synthdata needs ") + fitting_types(a.field) + " there.",
                  "Change the column's type or rename the column.");
  }
}

void check_target_dimension(Oid relid, const std::string& table, std::uint32_t dimension) {
  TableReadRequest request;
  request.relid = relid;
  request.only_active = true;
  request.function_name = "synth_insert";
  DimensionSink sink;
  read_training_table(request, sink);
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
  throw Error(sqlstate::kInvalidParameterValue,
              "the profile has " + std::to_string(dimension) + " features but table \"" + table + "\"" +
                  " holds rows of " + std::to_string(common),
              std::to_string(most) + " of the table's active rows have " + std::to_string(common) +
                  " features; rows of another dimension would count as wrong_dimension there.",
              "Fit the profile on rows of the table's dimension, or insert into a table of the profile's.");
}

}  // namespace synth::pg
