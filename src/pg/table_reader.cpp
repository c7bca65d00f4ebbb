#include "pg/table_reader.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/model/text_encoding.hpp"
#include "engine/quality/quality_observation.hpp"
#include "pg/bridge.hpp"
#include "pg/row_observer.hpp"

extern "C" {
#include "storage/lmgr.h"
}

namespace synth::pg {
namespace {

constexpr const char* kAllRows = "all rows (the table has no data_source column)";

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
  bool dropped_while_waiting;
  bool waited;  // another session held a conflicting lock when we came
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

// Takes the lock the query will hold before looking at the catalog: a
// concurrent ALTER TABLE then either committed before this look (and we see
// its columns) or waits for us. Without it the types read here could be
// stale by the time the query runs.
TableFacts table_facts(Oid relid) {
  return pg_guard([relid] {
    TableFacts facts{};
    if (get_rel_name(relid) == nullptr) return facts;
    if (!ConditionalLockRelationOid(relid, AccessShareLock)) {
      facts.waited = true;
      LockRelationOid(relid, AccessShareLock);
    }
    // The relation may have been dropped while we waited for the lock.
    char* name = get_rel_name(relid);
    if (name == nullptr) {
      facts.dropped_while_waiting = true;
      return facts;
    }
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
  std::string names_query;  // metadata.feature_names of one row; empty: not wanted
  ReportSource source;
  std::vector<Oid> column_types;  // base type of each selected column, as looked up
  // Read with a snapshot taken after the lock was granted, as a plain SELECT
  // that waited for the lock would (READ COMMITTED only): the statement's
  // snapshot predates the DDL we waited for, and would see a table rewritten
  // by it as empty.
  bool fresh_snapshot = false;
};

std::string quoted(std::string_view column) { return "\"" + std::string(column) + "\""; }
std::string sql_literal(const std::string& value) {
  const char* text = value.c_str();
  const char* literal = pg_guard([text] { return static_cast<const char*>(quote_literal_cstr(text)); });
  return literal;
}
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
    plan.column_types.push_back(result.type);
    layout.result_column = 1;
    read.push_back(&result);
    if (facts.prompt_text.present()) {
      select.push_back(as_text("prompt_text"));
      plan.column_types.push_back(TEXTOID);
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
    plan.column_types.push_back(features.type);
    layout.features_column = 1;
    select.push_back(quoted("effectiveness_score"));
    plan.column_types.push_back(score.type);
    layout.score_column = 2;
    read.push_back(&features);
    read.push_back(&score);
    if (facts.domain.present()) {
      select.push_back(as_text("domain"));
      plan.column_types.push_back(TEXTOID);
      layout.domain_column = static_cast<int>(select.size());
      read.push_back(&facts.domain);
    }
    if (facts.original_prompt.present()) {
      select.push_back(as_text("original_prompt"));
      plan.column_types.push_back(TEXTOID);
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
  if (!request.data_source && request.real_rows) {
    if (request.real_sources) {
      if (!facts.data_source.present())
        throw Error(
            sqlstate::kUndefinedColumn, "column \"data_source\" does not exist in table " + table,
            std::string("real_sources names data_source values, but the table has no data_source column."),
            "Leave real_sources out (NULL): every row of a table without data_source counts as real.");
      std::string list;
      for (const std::string& name : *request.real_sources)
        list += (list.empty() ? "" : ", ") + sql_literal(name);
      where.push_back(as_text("data_source") + " OPERATOR(pg_catalog.=) ANY (ARRAY[" + list +
                      "]::pg_catalog.text[])");
      read.push_back(&facts.data_source);
      plan.source.sources = real_sources_phrase(request.real_sources);
    } else if (facts.data_source.present()) {
      where.push_back(as_text("data_source") + " IS DISTINCT FROM 'synthetic'");
      read.push_back(&facts.data_source);
      plan.source.sources = real_sources_phrase(std::nullopt);
    } else {
      plan.source.sources = kAllRows;
    }
  }
  if (request.data_source && !(request.data_source_optional && !facts.data_source.present())) {
    if (!facts.data_source.present())
      throw Error(sqlstate::kUndefinedColumn, "column \"data_source\" does not exist in table " + table,
                  request.missing_data_source_advice
                      ? request.missing_data_source_advice->first
                      : "A data_source filter was given, but the table has no data_source column.",
                  request.missing_data_source_advice ? request.missing_data_source_advice->second
                                                     : "Pass data_source => NULL to read every row.");
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

  if (request.want_feature_names && layout.pipeline) {
    // The pipeline's own operators pick the names out (-> returns NULL for a
    // document of another shape, so bad documents are passed over, never an
    // error), stopping at the first row that has an array of them.
    const std::string kind = layout.json_text ? "json" : "jsonb";
    const std::string names = quoted("enhancement_result") +
                              " OPERATOR(pg_catalog.->) 'metadata' OPERATOR(pg_catalog.->) 'feature_names'";
    std::string q = "SELECT ARRAY(SELECT CASE WHEN pg_catalog." + kind +
                    "_typeof(e) OPERATOR(pg_catalog.=) 'string' THEN e OPERATOR(pg_catalog.#>>) '{}' ELSE '' "
                    "END FROM pg_catalog." +
                    kind + "_array_elements(n) WITH ORDINALITY AS a (e, i) ORDER BY i) FROM (SELECT " +
                    names + " AS n FROM " + table;
    for (std::size_t i = 0; i < where.size(); ++i) q += (i ? " AND " : " WHERE ") + where[i];
    // A json document whose escapes json's operators cannot decode (U+0000,
    // a lone surrogate, or a character the server encoding lacks) makes them
    // fail (22P05), even for another key, and newer servers decode every
    // escape of the document: the names of a json document with any escape
    // beyond ASCII are passed over, as a row without names is. (A json
    // value's text is its literal; the row's other fields are read by the
    // engine's scanner, which counts what it cannot decode.)
    if (layout.json_text) {
      q += std::string(where.empty() ? " WHERE " : " AND ") + "NOT " + quoted("enhancement_result") +
           "::pg_catalog.text OPERATOR(pg_catalog.~) E'\\\\\\\\u(0000|(?!00[0-7][0-9a-fA-F]))'";
    }
    q += ") AS d WHERE pg_catalog." + kind + "_typeof(n) OPERATOR(pg_catalog.=) 'array' LIMIT 1";
    plan.names_query = std::move(q);
  }

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
  const Oid* column_types;  // what the plan expects the query to return
  int column_count;
  const char* table_name;
  const char* function_name;
  RowObservation* slots;
  std::size_t filled;
  MemoryContext scratch;
  // C++ side, reached only through noexcept code: an exception thrown while
  // accumulating is kept here, the executor is asked to stop, and the caller
  // rethrows it once the backend frames are gone.
  ObservationSink* sink;
  std::exception_ptr failure;
};

// Hands the batch to the accumulator; false (with the exception kept) if it threw.
bool flush_batch(ObservationReceiver* receiver) noexcept {
  try {
    for (std::size_t i = 0; i < receiver->filled; ++i) receiver->sink->add(receiver->slots[i]);
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

// The rows must have the shape the plan was made for: the layout decides how
// each Datum is read, so a column of another type would be misread (or
// crash the reader). The lock taken before the catalog look makes this
// unreachable in practice; the check keeps a mismatch a clean error.
void receiver_startup(DestReceiver* self, int, TupleDesc desc) {
  auto* receiver = reinterpret_cast<ObservationReceiver*>(self);
  bool same = desc->natts == receiver->column_count;
  for (int i = 0; same && i < desc->natts; ++i) {
    Form_pg_attribute att = TupleDescAttr(desc, i);
    same = !att->attisdropped && getBaseType(att->atttypid) == receiver->column_types[i];
  }
  if (!same)
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("the columns of table %s changed while %s read it", receiver->table_name,
                           receiver->function_name),
                    errhint("Run %s again.", receiver->function_name)));
}
void receiver_shutdown(DestReceiver*) {}
void receiver_destroy(DestReceiver*) {}

// Runs the query once, streaming its rows into stats.
void read_rows(const Plan& plan, const TableReadRequest& request, ObservationSink& sink) {
  std::vector<RowObservation> batch(kBatchRows);
  ObservationReceiver receiver{};
  receiver.base.receiveSlot = receive_row;
  receiver.base.rStartup = receiver_startup;
  receiver.base.rShutdown = receiver_shutdown;
  receiver.base.rDestroy = receiver_destroy;
  receiver.base.mydest = DestNone;
  receiver.layout = plan.layout;
  receiver.column_types = plan.column_types.data();
  receiver.column_count = static_cast<int>(plan.column_types.size());
  receiver.table_name = plan.source.table.c_str();
  receiver.function_name = request.function_name;
  receiver.slots = batch.data();
  receiver.sink = &sink;

  ObservationReceiver* const target = &receiver;
  const char* const query = plan.query.c_str();
  const char* const data_source = request.data_source ? request.data_source->c_str() : nullptr;
  const bool fresh_snapshot = plan.fresh_snapshot;
  pg_guard([target, query, data_source, fresh_snapshot] {
    const bool push_snapshot = fresh_snapshot && !IsolationUsesXactSnapshot();
    if (push_snapshot) PushActiveSnapshot(GetTransactionSnapshot());
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
    if (push_snapshot) PopActiveSnapshot();
  });
  if (receiver.failure) std::rethrow_exception(receiver.failure);
  if (receiver.filled > 0 && !flush_batch(&receiver)) std::rethrow_exception(receiver.failure);
}

// Names as plain data out of the guard: a palloc'd array of C strings.
struct NameList {
  int count;
  char** names;
};

std::vector<std::string> read_feature_names(const Plan& plan, const TableReadRequest& request) {
  const char* const query = plan.names_query.c_str();
  const char* const data_source = request.data_source ? request.data_source->c_str() : nullptr;
  const bool fresh_snapshot = plan.fresh_snapshot;
  NameList list = pg_guard([query, data_source, fresh_snapshot] {
    NameList out{0, nullptr};
    MemoryContext caller = CurrentMemoryContext;  // survives SPI_finish
    const bool push_snapshot = fresh_snapshot && !IsolationUsesXactSnapshot();
    if (push_snapshot) PushActiveSnapshot(GetTransactionSnapshot());
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    Oid types[1] = {TEXTOID};
    Datum values[1] = {data_source ? CStringGetTextDatum(data_source) : (Datum)0};
    const int result = SPI_execute_with_args(query, data_source ? 1 : 0, types, values, nullptr, true, 1);
    if (result != SPI_OK_SELECT)
      elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(result));
    if (SPI_processed == 1) {
      bool is_null = false;
      Datum array = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
      if (!is_null) {
        Datum* elements = nullptr;
        bool* nulls = nullptr;
        int count = 0;
        MemoryContext previous = MemoryContextSwitchTo(caller);
        deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls,
                          &count);
        out.names = static_cast<char**>(palloc0(sizeof(char*) * Max(count, 1)));
        for (int i = 0; i < count; ++i)
          out.names[i] = nulls[i] ? pstrdup("") : TextDatumGetCString(elements[i]);
        out.count = count;
        MemoryContextSwitchTo(previous);
      }
    }
    SPI_finish();
    if (push_snapshot) PopActiveSnapshot();
    return out;
  });
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(list.count));
  for (int i = 0; i < list.count; ++i) names.emplace_back(list.names[i]);
  return names;
}

// A cut at a character boundary of the server encoding. pg_mbcliplen only
// reads the bytes (it raises no ERROR); SQL_ASCII knows no characters, so
// there a cut does not split UTF-8 either.
std::size_t clip_in_server_encoding(const char* s, std::size_t length, std::size_t limit) {
  int cut = pg_mbcliplen(s, static_cast<int>(Min(length, static_cast<std::size_t>(INT_MAX))),
                         static_cast<int>(Min(limit, static_cast<std::size_t>(INT_MAX))));
  if (GetDatabaseEncoding() == PG_SQL_ASCII)
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return static_cast<std::size_t>(cut);
}

#if !SYNTH_HAVE_UNICODE_TO_SERVER_NOERROR
// The UTF-8-to-server conversion, looked up once a backend as PostgreSQL's
// own json does at the backend's start; nullptr where the server encoding
// has none (SQL_ASCII) or needs none (UTF8).
FmgrInfo* utf8_to_server = nullptr;
bool utf8_to_server_looked_up = false;

void look_up_utf8_to_server() {
  if (utf8_to_server_looked_up) return;
  pg_guard([] {
    const int encoding = GetDatabaseEncoding();
    if (encoding == PG_UTF8 || encoding == PG_SQL_ASCII) return;
    const Oid proc = FindDefaultConversionProc(PG_UTF8, encoding);
    if (!OidIsValid(proc)) return;
    auto* info = static_cast<FmgrInfo*>(MemoryContextAlloc(TopMemoryContext, sizeof(FmgrInfo)));
    fmgr_info_cxt(proc, info, TopMemoryContext);
    utf8_to_server = info;
  });
  utf8_to_server_looked_up = true;
}
#endif

// A code point above 0x7F as the server encoding's character, as
// PostgreSQL's json decodes a \u escape outside UTF8; 0 where the encoding
// has no such character (PostgreSQL raises an error there; this never does).
std::size_t unicode_in_server_encoding(std::uint32_t cp, char* out) {
  unsigned char encoded[MAX_UNICODE_EQUIVALENT_STRING + 1] = {};
#if SYNTH_HAVE_UNICODE_TO_SERVER_NOERROR
  if (!pg_unicode_to_server_noerror(static_cast<pg_wchar>(cp), encoded)) return 0;
#else
  if (!is_valid_unicode_codepoint(static_cast<pg_wchar>(cp)) || utf8_to_server == nullptr) return 0;
  unsigned char utf8[MAX_MULTIBYTE_CHAR_LEN + 1] = {};
  unicode_to_utf8(static_cast<pg_wchar>(cp), utf8);
  const int length = pg_utf_mblen(utf8);
  const int converted = DatumGetInt32(FunctionCall6(
      utf8_to_server, Int32GetDatum(PG_UTF8), Int32GetDatum(GetDatabaseEncoding()),
      CStringGetDatum(reinterpret_cast<char*>(utf8)), CStringGetDatum(reinterpret_cast<char*>(encoded)),
      Int32GetDatum(length), BoolGetDatum(true)));
  // Converted iff the whole character was consumed.
  if (converted != length) return 0;
#endif
  const std::size_t size = std::strlen(reinterpret_cast<const char*>(encoded));
  if (size > kMaxEncodedCharacter) return 0;
  std::memcpy(out, encoded, size);
  return size;
}

}  // namespace

std::string rows_with(const std::string& sources) {
  return sources == kAllRows ? sources : "rows with " + sources;
}

std::string real_sources_phrase(const std::optional<std::vector<std::string>>& real_sources) {
  if (!real_sources) return "data_source other than 'synthetic'";
  if (real_sources->size() == 1) return "data_source = '" + real_sources->front() + "'";
  std::string list;
  for (const std::string& name : *real_sources) list += (list.empty() ? "'" : ", '") + name + "'";
  return "data_source in (" + list + ")";
}

std::optional<std::vector<std::string>> real_sources_argument(FunctionCallInfo fcinfo, int arg,
                                                              const char* function_name,
                                                              bool allow_synthetic) {
  if (PG_NARGS() <= arg || PG_ARGISNULL(arg)) return std::nullopt;
  struct Names {
    int count;
    int nulls;
    char** names;
  };
  const Names names = pg_guard([fcinfo, arg] {
    Names out{0, 0, nullptr};
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(arg);
    Datum* elements = nullptr;
    bool* nulls = nullptr;
    deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &out.count);
    out.names = static_cast<char**>(palloc0(sizeof(char*) * Max(out.count, 1)));
    for (int i = 0; i < out.count; ++i) {
      if (nulls[i])
        ++out.nulls;
      else
        out.names[i] = TextDatumGetCString(elements[i]);
    }
    return out;
  });
  const std::string example =
      "e.g. real_sources => '{real,user}', or NULL for every data_source but 'synthetic'.";
  if (names.nulls > 0)
    throw Error(sqlstate::kNullValueNotAllowed,
                std::string("real_sources of ") + function_name + " must not hold NULL", {},
                "Name the data_source values of real rows, " + example);
  if (names.count == 0)
    throw_invalid_parameter(
        std::string("real_sources of ") + function_name + " must name at least one data_source", {},
        "Name the data_source values of real rows, " + example);
  std::vector<std::string> out;
  for (int i = 0; i < names.count; ++i) {
    std::string name = names.names[i];
    if (name.empty())
      throw_invalid_parameter(
          std::string("real_sources of ") + function_name + " must not hold an empty name", {},
          "Name the data_source values of real rows, " + example);
    if (name == "synthetic" && !allow_synthetic)
      throw_invalid_parameter(
          std::string("real_sources of ") + function_name + " must not name 'synthetic'",
          std::string(function_name) +
              " compares the real rows with the data_source = 'synthetic' rows it writes or reads.",
          "Leave real_sources out (NULL) to count every data_source but 'synthetic' as real.");
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

void use_server_encoding() {
  TextEncoding& encoding = text_encoding();
  encoding.utf8 = GetDatabaseEncoding() == PG_UTF8;
  encoding.clip = clip_in_server_encoding;
#if !SYNTH_HAVE_UNICODE_TO_SERVER_NOERROR
  look_up_utf8_to_server();
#endif
  encoding.from_unicode = unicode_in_server_encoding;
}

ReportSource read_training_table(const TableReadRequest& request, ObservationSink& sink) {
  use_server_encoding();
  const TableFacts facts = table_facts(request.relid);
  if (facts.dropped_while_waiting)
    throw Error("42P01",
                std::string("the table was dropped while ") + request.function_name + " waited for it");
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
  plan.fresh_snapshot = facts.waited;
  TableReadRequest effective = request;
  if (request.data_source_optional && !facts.data_source.present()) effective.data_source.reset();
  plan.source.data_source = effective.data_source;
  read_rows(plan, effective, sink);
  if (!plan.names_query.empty()) plan.source.feature_names = read_feature_names(plan, effective);
  return std::move(plan.source);
}

}  // namespace synth::pg
