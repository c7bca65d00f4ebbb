#include "pg/table_reader.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/model/text_encoding.hpp"
#include "engine/rows/row_observation.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/row_observer.hpp"
#include "pg/table_plan.hpp"

namespace synth::pg {
namespace {

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
  const TextArray names = text_array_argument(fcinfo, arg);
  const std::string example =
      "e.g. real_sources => '{real,user}', or NULL for every data_source but 'synthetic'.";
  if (names.nulls > 0)
    throw Error(sqlstate::kNullValueNotAllowed,
                std::string("real_sources of ") + function_name + " must not hold NULL", {},
                "Name the data_source values of real rows, " + example);
  if (names.values.empty() && names.nulls == 0)
    throw_invalid_parameter(
        std::string("real_sources of ") + function_name + " must name at least one data_source", {},
        "Name the data_source values of real rows, " + example);
  std::vector<std::string> out;
  for (std::string name : names.values) {
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

TableSource read_training_table(const TableReadRequest& request, ObservationSink& sink) {
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
