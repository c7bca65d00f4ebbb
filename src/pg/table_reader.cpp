#include "pg/table_reader.hpp"

#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/quality/quality_observation.hpp"
#include "pg/bridge.hpp"
#include "pg/row_observer.hpp"

namespace synth::pg {
namespace {

// One column as the catalogs describe it. Plain data: filled inside pg_guard.
struct ColumnFacts {
  AttrNumber attnum;  // InvalidAttrNumber when the table has no such column
  Oid type;           // with domains resolved to their base type
  Oid element_type;   // base type of the elements, for arrays
  int16 element_length;
  bool element_byval;
  char element_align;
  bool selectable;  // the caller may SELECT it (table or column privilege)

  bool present() const { return attnum != InvalidAttrNumber; }
};

struct TableFacts {
  bool exists;
  char relkind;
  bool table_selectable;
  const char* qualified_name;  // palloc'd; schema-qualified, quoted as needed
  ColumnFacts enhancement_result;
  ColumnFacts prompt_text;
  ColumnFacts feature_vector;
  ColumnFacts effectiveness_score;
  ColumnFacts domain;
  ColumnFacts original_prompt;
  ColumnFacts data_source;
  ColumnFacts is_active;
};

// Backend calls only: run inside pg_guard.
ColumnFacts column_facts(Oid relid, const char* name) {
  ColumnFacts c{};
  c.attnum = get_attnum(relid, name);
  if (c.attnum == InvalidAttrNumber || c.attnum < 0) {
    c.attnum = InvalidAttrNumber;
    return c;
  }
  c.type = getBaseType(get_atttype(relid, c.attnum));
  Oid element = get_element_type(c.type);
  if (OidIsValid(element)) {
    c.element_type = getBaseType(element);
    get_typlenbyvalalign(element, &c.element_length, &c.element_byval, &c.element_align);
  }
  c.selectable = DatumGetBool(DirectFunctionCall3(has_column_privilege_id_attnum, ObjectIdGetDatum(relid),
                                                  Int16GetDatum(c.attnum), CStringGetTextDatum("SELECT")));
  return c;
}

TableFacts table_facts(Oid relid) {
  return pg_guard([relid] {
    TableFacts facts{};
    char* name = get_rel_name(relid);
    if (name == nullptr) return facts;
    facts.exists = true;
    facts.relkind = get_rel_relkind(relid);
    facts.qualified_name = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
    facts.table_selectable = DatumGetBool(
        DirectFunctionCall2(has_table_privilege_id, ObjectIdGetDatum(relid), CStringGetTextDatum("SELECT")));
    facts.enhancement_result = column_facts(relid, "enhancement_result");
    facts.prompt_text = column_facts(relid, "prompt_text");
    facts.feature_vector = column_facts(relid, "feature_vector");
    facts.effectiveness_score = column_facts(relid, "effectiveness_score");
    facts.domain = column_facts(relid, "domain");
    facts.original_prompt = column_facts(relid, "original_prompt");
    facts.data_source = column_facts(relid, "data_source");
    facts.is_active = column_facts(relid, "is_active");
    return facts;
  });
}

std::string type_name(Oid type) {
  const char* name = pg_guard([type] { return static_cast<const char*>(format_type_be(type)); });
  return name;
}

struct Plan {
  RowLayout layout{};
  std::string query;
  ReportSource source;
};

std::string quoted(std::string_view column) { return "\"" + std::string(column) + "\""; }
std::string as_text(std::string_view column) { return "CAST(" + quoted(column) + " AS pg_catalog.text)"; }

[[noreturn]] void no_usable_columns(const std::string& table, const char* function_name) {
  throw Error(sqlstate::kUndefinedColumn, "table " + table + " has no columns " + function_name + " can read",
              "The pipeline layout needs enhancement_result (json or jsonb), and prompt_text "
              "to count distinct prompts; the flat layout needs feature_vector (float8[], "
              "real[] or numeric[]) and effectiveness_score (a number), optionally domain "
              "and original_prompt.");
}

[[noreturn]] void wrong_type(const std::string& table, const char* column, Oid type, const char* wanted) {
  throw Error(sqlstate::kDatatypeMismatch, std::string("column \"") + column + "\" of table " + table +
                                               " is of type " + type_name(type) + ", not " + wanted);
}

Plan plan_read(const TableFacts& facts, const TableReadRequest& request) {
  const std::string table = facts.qualified_name;
  Plan plan;
  RowLayout& layout = plan.layout;
  std::vector<const ColumnFacts*> read;  // every column the query touches
  std::vector<std::string> select;

  const ColumnFacts& result = facts.enhancement_result;
  const bool result_is_json = result.present() && (result.type == JSONBOID || result.type == JSONOID);
  if (result_is_json) {
    layout.pipeline = true;
    layout.json_text = result.type == JSONOID;
    select.push_back(quoted("enhancement_result"));
    layout.result_column = 1;
    read.push_back(&result);
    if (facts.prompt_text.present()) {
      select.push_back(as_text("prompt_text"));
      layout.prompt_column = static_cast<int>(select.size());
      read.push_back(&facts.prompt_text);
    }
    plan.source.layout = "pipeline";
    plan.source.column_type = layout.json_text ? "json" : "jsonb";
  } else if (facts.feature_vector.present() || facts.effectiveness_score.present()) {
    const ColumnFacts& features = facts.feature_vector;
    const ColumnFacts& score = facts.effectiveness_score;
    if (!features.present() || !score.present()) {
      if (result.present()) wrong_type(table, "enhancement_result", result.type, "json or jsonb");
      no_usable_columns(table, request.function_name);
    }
    layout.element_type = number_type(features.element_type);
    if (!OidIsValid(features.element_type) || layout.element_type == NumberType::kNone)
      wrong_type(table, "feature_vector", features.type, "an array of numbers");
    layout.score_type = number_type(score.type);
    if (layout.score_type == NumberType::kNone)
      wrong_type(table, "effectiveness_score", score.type, "a number");
    layout.element_length = features.element_length;
    layout.element_byval = features.element_byval;
    layout.element_align = features.element_align;
    select.push_back(quoted("feature_vector"));
    layout.features_column = 1;
    select.push_back(quoted("effectiveness_score"));
    layout.score_column = 2;
    read.push_back(&features);
    read.push_back(&score);
    if (facts.domain.present()) {
      select.push_back(as_text("domain"));
      layout.domain_column = static_cast<int>(select.size());
      read.push_back(&facts.domain);
    }
    if (facts.original_prompt.present()) {
      select.push_back(as_text("original_prompt"));
      layout.prompt_column = static_cast<int>(select.size());
      read.push_back(&facts.original_prompt);
    }
    plan.source.layout = "flat";
    plan.source.column_type = type_name(features.type);
  } else if (result.present()) {
    wrong_type(table, "enhancement_result", result.type, "json or jsonb");
  } else {
    no_usable_columns(table, request.function_name);
  }

  std::vector<std::string> where;
  if (request.data_source) {
    if (!facts.data_source.present())
      throw Error(sqlstate::kUndefinedColumn, "column \"data_source\" does not exist in table " + table,
                  "A data_source filter was given, but the table has no data_source column.",
                  "Pass data_source => NULL to read every row.");
    where.push_back(as_text("data_source") + " OPERATOR(pg_catalog.=) $1");
    read.push_back(&facts.data_source);
  }
  bool active_filter = false;
  if (request.only_active && facts.is_active.present()) {
    if (facts.is_active.type != BOOLOID) wrong_type(table, "is_active", facts.is_active.type, "boolean");
    where.push_back(quoted("is_active") + " IS NOT FALSE");
    read.push_back(&facts.is_active);
    active_filter = true;
  }

  // Column privileges are enough when the table privilege is missing.
  if (!facts.table_selectable) {
    for (const ColumnFacts* column : read) {
      if (!column->selectable)
        throw Error("42501", "permission denied for table " + table,
                    std::string(request.function_name) +
                        " reads the table with the caller's rights and needs SELECT on it.");
    }
  }

  std::string query = "SELECT ";
  for (std::size_t i = 0; i < select.size(); ++i) query += (i ? ", " : "") + select[i];
  query += " FROM " + table;
  for (std::size_t i = 0; i < where.size(); ++i) query += (i ? " AND " : " WHERE ") + where[i];
  plan.query = std::move(query);

  plan.source.table = table;
  plan.source.data_source = request.data_source;
  plan.source.only_active = active_filter;
  plan.source.has_prompt_column = layout.prompt_column != 0;
  return plan;
}

// ---- The receiving end of the query: the executor hands each row to
// ---- receive_row() in its own slot; rows become observations in a batch, and
// ---- full batches go to the accumulator. (A cursor, SPI_cursor_fetch, copies
// ---- every row into a tuple table first: on 1M rows that copying and its page
// ---- faults took a third of the time.)

constexpr std::size_t kBatchRows = 1024;  // observations handed over at once (~150 kB)
constexpr Size kRowMemory = 64 * 1024;    // a row's scratch (detoasting, numeric text)

struct ObservationReceiver {
  DestReceiver base;  // first, so the executor's pointer is ours
  RowLayout layout;
  RowObservation* slots;
  std::size_t filled;
  MemoryContext scratch;
  // C++ side, reached only through noexcept code: an exception thrown while
  // accumulating is kept here, the executor is asked to stop, and the caller
  // rethrows it once the backend frames are gone.
  QualityAccumulator* stats;
  std::exception_ptr failure;
};

// Hands the batch to the accumulator; false (with the exception kept) if it threw.
bool flush_batch(ObservationReceiver* receiver) noexcept {
  try {
    for (std::size_t i = 0; i < receiver->filled; ++i) receiver->stats->add(receiver->slots[i]);
    receiver->filled = 0;
    return true;
  } catch (...) {
    receiver->failure = std::current_exception();
    return false;
  }
}

bool receive_row(TupleTableSlot* slot, DestReceiver* self) {
  auto* receiver = reinterpret_cast<ObservationReceiver*>(self);
  slot_getallattrs(slot);
  MemoryContext previous = MemoryContextSwitchTo(receiver->scratch);
  observe_row(slot->tts_values, slot->tts_isnull, receiver->layout, &receiver->slots[receiver->filled]);
  MemoryContextSwitchTo(previous);
  // An observation holds no pointer into the scratch memory: free the row's
  // detoasted copies now, so even large documents keep the memory bounded.
  MemoryContextReset(receiver->scratch);
  if (++receiver->filled < kBatchRows) return true;
  CHECK_FOR_INTERRUPTS();
  return flush_batch(receiver);  // false stops the executor
}

void receiver_startup(DestReceiver*, int, TupleDesc) {}
void receiver_shutdown(DestReceiver*) {}
void receiver_destroy(DestReceiver*) {}

// Runs the query once, streaming its rows into stats.
void read_rows(const Plan& plan, const TableReadRequest& request, QualityAccumulator& stats) {
  std::vector<RowObservation> batch(kBatchRows);
  ObservationReceiver receiver{};
  receiver.base.receiveSlot = receive_row;
  receiver.base.rStartup = receiver_startup;
  receiver.base.rShutdown = receiver_shutdown;
  receiver.base.rDestroy = receiver_destroy;
  receiver.base.mydest = DestNone;
  receiver.layout = plan.layout;
  receiver.slots = batch.data();
  receiver.stats = &stats;

  ObservationReceiver* const target = &receiver;
  const char* const query = plan.query.c_str();
  const char* const data_source = request.data_source ? request.data_source->c_str() : nullptr;
  pg_guard([target, query, data_source] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    target->scratch =
        AllocSetContextCreate(CurrentMemoryContext, "synthdata quality rows", 0, kRowMemory, kRowMemory);
    SPIExecuteOptions options{};
    if (data_source != nullptr) {
      options.params = makeParamList(1);
      ParamExternData& param = options.params->params[0];
      param.value = CStringGetTextDatum(data_source);
      param.isnull = false;
      param.pflags = PARAM_FLAG_CONST;
      param.ptype = TEXTOID;
    }
    options.read_only = true;  // the caller's snapshot, as a STABLE function should
    options.dest = &target->base;
    const int result = SPI_execute_extended(query, &options);
    if (result < 0) elog(ERROR, "SPI_execute_extended failed: %s", SPI_result_code_string(result));
    MemoryContextDelete(target->scratch);
    SPI_finish();
  });
  if (receiver.failure) std::rethrow_exception(receiver.failure);
  if (receiver.filled > 0 && !flush_batch(&receiver)) std::rethrow_exception(receiver.failure);
}

}  // namespace

ReportSource read_training_table(const TableReadRequest& request, QualityAccumulator& stats) {
  const TableFacts facts = table_facts(request.relid);
  if (!facts.exists)
    throw Error("42P01", "relation with OID " + std::to_string(request.relid) + " does not exist");
  switch (facts.relkind) {
    case RELKIND_RELATION:
    case RELKIND_VIEW:
    case RELKIND_MATVIEW:
    case RELKIND_FOREIGN_TABLE:
    case RELKIND_PARTITIONED_TABLE:
      break;
    default:
      throw Error(sqlstate::kWrongObjectType,
                  std::string("relation ") + facts.qualified_name +
                      " is not a table, view, materialized view or foreign table");
  }
  Plan plan = plan_read(facts, request);
  read_rows(plan, request, stats);
  return std::move(plan.source);
}

}  // namespace synth::pg
