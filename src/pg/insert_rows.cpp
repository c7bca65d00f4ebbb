// _synth_rows(): the row source of synth_insert's INSERT ... SELECT. It runs
// in the SELECT list (value-per-call), so rows stream into the INSERT without
// a tuplestore, and it builds the pipeline's document per row.
#include <new>

#include "engine/generate/enhancement_document.hpp"
#include "engine/model/error.hpp"
#include "engine/generate/row_sampler.hpp"
#include "pg/bridge.hpp"
#include "pg/enhancement_jsonb.hpp"
#include "pg/generator_args.hpp"
#include "pg/profile_args.hpp"
#include "pg/row_datums.hpp"
#include "pg/settings.hpp"

namespace {

using synth::GeneratedRow;
using synth::RowSampler;

constexpr synth::pg::GeneratorArgPositions kArgs = {0, 1, 2, 3, 4};
constexpr int kDocumentFormatArg = 5;
constexpr int kReportProgressArg = 6;
constexpr int kSliceStartArg = 7;
constexpr int kSliceRowsArg = 8;
constexpr int kProfileArg = 9;  // 1.1 and later

enum DocumentFormat { kNoDocument = 0, kJsonbDocument = 1, kJsonDocument = 2 };
constexpr int kJsonbColumn = synth::pg::kGenerateColumnCount;
constexpr int kJsonColumn = kJsonbColumn + 1;
constexpr int kColumnCount = kJsonColumn + 1;
constexpr std::int64_t kRowsBetweenInterruptChecks = 1024;

struct InsertRowsState {
  RowSampler sampler;
  synth::DocumentContext context;
  std::int64_t next_id;
  std::int64_t end_id;
  int format;
  std::int64_t progress_interval;  // 0: silent
  synth::pg::RowDatumBuffers* buffers;
  synth::pg::JsonbDocumentBuilder* jsonb;
  char* json;  // varlena buffer of VARHDRSZ + kMaxDocumentLength
  GeneratedRow row;
};
static_assert(std::is_trivially_destructible_v<InsertRowsState>);

InsertRowsState* start(FunctionCallInfo fcinfo, FuncCallContext* funcctx) {
  synth::DocumentContext context;
  context.options = synth::pg::read_generator_options(fcinfo, kArgs);
  context.domain_weights_given = !PG_ARGISNULL(kArgs.domain_weights);
  synth::pg::format_utc_timestamp(GetCurrentTransactionStartTimestamp(), context.generation_timestamp,
                       sizeof context.generation_timestamp);
  const int format = PG_ARGISNULL(kDocumentFormatArg) ? kNoDocument : PG_GETARG_INT32(kDocumentFormatArg);
  if (format < kNoDocument || format > kJsonDocument)
    synth::throw_invalid_parameter("document format must be 0, 1 or 2, got " + std::to_string(format));
  const bool progress = !PG_ARGISNULL(kReportProgressArg) && PG_GETARG_BOOL(kReportProgressArg);
  const synth::SliceRange slice = synth::resolve_slice(
      context.options.n, PG_ARGISNULL(kSliceStartArg) ? 0 : PG_GETARG_INT64(kSliceStartArg),
      PG_ARGISNULL(kSliceRowsArg) ? -1 : PG_GETARG_INT64(kSliceRowsArg));
  RowSampler sampler(context.options);

  return synth::pg::pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "_synth_rows must be declared to return a row type");
    funcctx->tuple_desc = BlessTupleDesc(tupdesc);
    auto* state = static_cast<InsertRowsState*>(palloc0(sizeof(InsertRowsState)));
    new (state) InsertRowsState{sampler, context, slice.start, slice.start + slice.count, format,
                                progress && context.options.n > synth::pg::progress_interval_rows
                                    ? synth::pg::progress_interval_rows
                                    : 0,
                                synth::pg::RowDatumBuffers::create(),
                                format == kJsonbDocument ? synth::pg::JsonbDocumentBuilder::create(context) : nullptr,
                                format == kJsonDocument ? static_cast<char*>(palloc(VARHDRSZ + synth::kMaxDocumentLength))
                                                        : nullptr,
                                {}};
    MemoryContextSwitchTo(old);
    return state;
  });
}


// ---- rows drawn from a profile ---------------------------------------------

struct FittedRowsState {
  synth::pg::FittedCall* call;
  synth::pg::FittedDatumBuffers* buffers;
  std::int64_t next_id;
  std::int64_t end_id;
  int format;
  std::int64_t progress_interval;
  char* json;  // VARHDRSZ + capacity + 1 (a NUL for jsonb_in)
  std::size_t capacity;
  synth::FittedRow row;
};
static_assert(std::is_trivially_destructible_v<FittedRowsState>);

FittedRowsState* start_fitted(FunctionCallInfo fcinfo, FuncCallContext* funcctx) {
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(kProfileArg));
  synth::pg::reject_options_a_profile_replaces(fcinfo, kArgs.tier_shares, kArgs.label_noise);
  synth::ProfileOptions options;
  if (PG_ARGISNULL(kArgs.n)) throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "n must not be NULL");
  options.n = PG_GETARG_INT64(kArgs.n);
  synth::validate_row_count(options.n);
  options.seed = PG_ARGISNULL(kArgs.seed) ? synth::pg::fresh_seed() : static_cast<std::uint64_t>(PG_GETARG_INT64(kArgs.seed));
  const bool weighted = !PG_ARGISNULL(kArgs.domain_weights);
  if (weighted)
    options.domain_weights = synth::pg::read_profile_domain_weights(PG_GETARG_JSONB_P(kArgs.domain_weights), profile);
  const int format = PG_ARGISNULL(kDocumentFormatArg) ? kNoDocument : PG_GETARG_INT32(kDocumentFormatArg);
  if (format < kNoDocument || format > kJsonDocument)
    synth::throw_invalid_parameter("document format must be 0, 1 or 2, got " + std::to_string(format));
  const bool progress = !PG_ARGISNULL(kReportProgressArg) && PG_GETARG_BOOL(kReportProgressArg);
  const synth::SliceRange slice = synth::resolve_slice(
      options.n, PG_ARGISNULL(kSliceStartArg) ? 0 : PG_GETARG_INT64(kSliceStartArg),
      PG_ARGISNULL(kSliceRowsArg) ? -1 : PG_GETARG_INT64(kSliceRowsArg));
  synth::FittedDocumentContext document;
  document.profile_hash = synth::profile_hash(profile);
  document.domain_weights_given = weighted;
  char timestamp[40];
  synth::pg::format_utc_timestamp(GetCurrentTransactionStartTimestamp(), timestamp, sizeof timestamp);
  document.generation_timestamp = timestamp;
  const std::size_t capacity = synth::fitted_document_capacity(profile);
  const std::int64_t n = options.n;
  synth::ProfileSampler sampler(std::move(profile), std::move(options));

  MemoryContext multi_call = funcctx->multi_call_memory_ctx;
  synth::pg::FittedCall* call = synth::pg::FittedCall::create(multi_call, std::move(sampler), std::move(document));
  synth::pg::FittedDatumBuffers* buffers = synth::pg::FittedDatumBuffers::create(call->sampler.profile(), multi_call);
  return synth::pg::pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(multi_call);
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "_synth_rows must be declared to return a row type");
    funcctx->tuple_desc = BlessTupleDesc(tupdesc);
    auto* state = static_cast<FittedRowsState*>(palloc0(sizeof(FittedRowsState)));
    state->call = call;
    state->buffers = buffers;
    state->next_id = slice.start;
    state->end_id = slice.start + slice.count;
    state->format = format;
    state->progress_interval =
        progress && n > synth::pg::progress_interval_rows ? synth::pg::progress_interval_rows : 0;
    state->capacity = capacity;
    state->json = format == kNoDocument ? nullptr : static_cast<char*>(palloc(VARHDRSZ + capacity + 1));
    MemoryContextSwitchTo(old);
    return state;
  });
}

Datum next_fitted_row(FunctionCallInfo fcinfo, FuncCallContext* funcctx) {
  auto* state = static_cast<FittedRowsState*>(funcctx->user_fctx);
  if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
  const std::int64_t id = state->next_id++;
  state->call->sampler.sample(id, state->row);
  Datum values[kColumnCount];
  bool nulls[kColumnCount] = {};
  state->buffers->fill(state->row, values);
  nulls[kJsonbColumn] = state->format != kJsonbDocument;
  nulls[kJsonColumn] = state->format != kJsonDocument;
  if (state->format != kNoDocument) {
    const std::size_t length = synth::write_fitted_json(state->row, state->call->sampler, state->call->document,
                                                        VARDATA(state->json), state->capacity);
    SET_VARSIZE(state->json, VARHDRSZ + length);
    VARDATA(state->json)[length] = '\0';
    values[kJsonColumn] = PointerGetDatum(state->json);
  }
  HeapTuple tuple = synth::pg::pg_guard([&] {
    if (id % kRowsBetweenInterruptChecks == 0) CHECK_FOR_INTERRUPTS();
    if (state->progress_interval > 0 && id > 0 && id % state->progress_interval == 0)
      ereport(NOTICE, (errmsg("synth_insert: %lld of %lld rows generated", static_cast<long long>(id),
                              static_cast<long long>(state->call->sampler.options().n))));
    // The document's text, parsed once more as jsonb: fitted rows have a
    // profile's dimension and names, which the fixed jsonb builder does not.
    if (state->format == kJsonbDocument)
      values[kJsonbColumn] = DirectFunctionCall1(jsonb_in, CStringGetDatum(VARDATA(state->json)));
    return heap_form_tuple(funcctx->tuple_desc, values, nulls);
  });
  SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

}  // namespace

SYNTH_FUNCTION(_synth_rows) {
  FuncCallContext* funcctx;
  const bool fitted = PG_NARGS() > kProfileArg && !PG_ARGISNULL(kProfileArg);
  if (SRF_IS_FIRSTCALL()) {
    funcctx = SRF_FIRSTCALL_INIT();
    if (fitted)
      funcctx->user_fctx = start_fitted(fcinfo, funcctx);
    else
      funcctx->user_fctx = start(fcinfo, funcctx);
  }
  funcctx = SRF_PERCALL_SETUP();
  if (fitted) return next_fitted_row(fcinfo, funcctx);
  auto* state = static_cast<InsertRowsState*>(funcctx->user_fctx);
  if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);

  const std::int64_t id = state->next_id++;
  state->sampler.sample(id, state->row);
  Datum values[kColumnCount];
  bool nulls[kColumnCount] = {};
  state->buffers->fill(state->row, values);
  nulls[kJsonbColumn] = state->format != kJsonbDocument;
  nulls[kJsonColumn] = state->format != kJsonDocument;
  if (state->format == kJsonDocument) {
    std::size_t length = synth::write_enhancement_json(state->row, state->context, VARDATA(state->json));
    SET_VARSIZE(state->json, VARHDRSZ + length);
    values[kJsonColumn] = PointerGetDatum(state->json);
  }
  // Everything below may raise an ERROR; only plain data is alive, and the guard
  // turns it into a C++ exception all the same.
  HeapTuple tuple = synth::pg::pg_guard([&] {
    if (id % kRowsBetweenInterruptChecks == 0) CHECK_FOR_INTERRUPTS();
    if (state->progress_interval > 0 && id > 0 && id % state->progress_interval == 0)
      ereport(NOTICE, (errmsg("synth_insert: %lld of %lld rows generated", static_cast<long long>(id),
                              static_cast<long long>(state->context.options.n))));
    if (state->format == kJsonbDocument) values[kJsonbColumn] = JsonbPGetDatum(state->jsonb->build(state->row));
    return heap_form_tuple(funcctx->tuple_desc, values, nulls);
  });
  SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}
