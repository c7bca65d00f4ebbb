#include "pg/insert_skip.hpp"

#include "engine/model/version.hpp"
#include "pg/bridge.hpp"
#include "pg/enhancement_jsonb.hpp"

extern "C" {
#include "common/hashfn.h"
#include "utils/fmgrprotos.h"
}

namespace synth::pg {
namespace {

// First key of the transaction-level advisory lock that serialises cold starts per table.
constexpr int32 kColdStartLockKey = 0x53594e54;  // "SYNT"

// The condition that makes a row synthdata's own: data_source = 'synthetic',
// or (in the pipeline layout) a document whose metadata.source is synthdata's,
// so a BEFORE trigger that relabels data_source does not hide the batch. An
// empty string when the table has no data_source column (any row counts).
const char* synthetic_row_condition(const TargetTable& t, Layout layout) {
  if (!has_column(t, "data_source")) return "";
  if (layout != Layout::kPipeline) return "data_source OPERATOR(pg_catalog.=) 'synthetic'";
  return "(data_source OPERATOR(pg_catalog.=) 'synthetic' OR enhancement_result::pg_catalog.jsonb "
         "OPERATOR(pg_catalog.@>) '{\"metadata\": {\"source\": \"synthdata\"}}'::pg_catalog.jsonb)";
}

}  // namespace

DatasetNames dataset_names(bool fitted, const std::string& options_text, const std::string& profile_hash,
                           const DocumentContext& design) {
  return pg_guard([&] {
    DatasetNames made{};
    made.fitted = fitted;
    made.options[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(options_text.c_str()));
    made.options[1] = made.options[0];
    if (fitted)
      made.profile_hash = pstrdup(profile_hash.c_str());
    else
      made.options[1] = JsonbPGetDatum(JsonbDocumentBuilder::options(design));
    return made;
  });
}

// Under the cold-start lock, with a snapshot taken now (not at transaction
// start), so a batch committed by a session that held the lock before is seen
// at any isolation level. Backend calls only: it runs inside synth_insert's guard.
bool holds_synthetic_rows(Oid relid, const TargetTable& t, Layout layout) {
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

bool holds_slice_rows(Oid relid, const TargetTable& t, const InsertPlan& plan,
                      const GeneratorOptions& options, SliceRange slice, const DatasetNames& names) {
  uint64 key = hash_bytes_uint32_extended(static_cast<uint32>(relid), options.seed);
  key = hash_bytes_uint32_extended(static_cast<uint32>(slice.start), key ^ static_cast<uint64>(options.n));
  key = hash_bytes_uint32_extended(static_cast<uint32>(static_cast<uint64>(slice.start) >> 32), key);
  DirectFunctionCall1(pg_advisory_xact_lock_int8, Int64GetDatum(static_cast<int64>(key)));
  StringInfoData sql;
  initStringInfo(&sql);
  const char* synthetic = synthetic_row_condition(t, plan.layout);
  const char* and_ = *synthetic ? " AND " : "";
  if (plan.layout == Layout::kFlat) {
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
                     Int64GetDatum(kGeneratorVersion),
                     names.options[0],
                     names.options[1]};
  if (names.fitted) values[5] = CStringGetTextDatum(names.profile_hash);
  const int count = plan.layout == Layout::kFlat ? 4 : 7;
  SPIPlanPtr p = SPI_prepare(sql.data, count, types);
  if (p == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
  int rc = SPI_execute_snapshot(p, values, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
  return SPI_processed > 0;
}

}  // namespace synth::pg
