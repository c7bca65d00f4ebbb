// _synth_rows() and _synth_row(): the row source of synth_insert's
// INSERT ... SELECT, and the same rows one sample_id at a time. The set
// function runs in the SELECT list (value-per-call), so rows stream into the
// INSERT without a tuplestore; the scalar one keeps its rows across calls in
// fn_extra (row_call_cache), for INSERT ... SELECT forms that call it once
// per id (a Citus load that each worker runs on its own shards). Both build
// the pipeline's document per row. Both are templates over the row source
// (row_sources.hpp): the design table's rows, or rows drawn from a profile.
#include "engine/model/error.hpp"
#include "pg/bridge.hpp"
#include "pg/document_format.hpp"
#include "pg/generator_args.hpp"
#include "pg/row_call_cache.hpp"
#include "pg/row_datums.hpp"
#include "pg/row_sources.hpp"
#include "pg/settings.hpp"

namespace {

using synth::SliceRange;
using synth::pg::kJsonbDocument;
using synth::pg::kJsonDocument;
using synth::pg::RowArgs;

// _synth_rows(n, seed, domain_weights, tier_shares, label_noise, document_format,
//             report_progress, slice_start, slice_rows[, profile])
constexpr RowArgs kSetArgs = {{0, 1, 2, 3, 4}, 9};
constexpr int kSetDocumentFormatArg = 5;
constexpr int kReportProgressArg = 6;
constexpr int kSliceStartArg = 7;
constexpr int kSliceRowsArg = 8;
// _synth_row(n, seed, sample_id, domain_weights, tier_shares, label_noise, document_format, profile)
constexpr synth::pg::RowCallArgs kRowArgs = {{{0, 1, 3, 4, 5}, 7}, 6, 2, 8};
static_assert(kRowArgs.count <= synth::pg::kMaxRowCallArgs);

constexpr int kJsonbColumn = synth::pg::kGenerateColumnCount;
constexpr int kJsonColumn = kJsonbColumn + 1;
constexpr int kColumnCount = kJsonColumn + 1;
constexpr std::int64_t kRowsBetweenInterruptChecks = 1024;

// One call's rows: the source, the slice left, and the row in flight.
template <typename Source>
struct RowsState {
  Source* source;
  std::int64_t next_id;
  std::int64_t end_id;
  int format;
  std::int64_t progress_interval;  // 0: silent
  typename Source::Row row;
};

// The rows of one call in `memory`; the slice is read by `slice_of(n)`.
template <typename Source, typename SliceOf>
RowsState<Source>* start(FunctionCallInfo fcinfo, const RowArgs& at, int format_arg, bool progress,
                         MemoryContext memory, SliceOf slice_of) {
  Source* source = Source::open(fcinfo, at, memory);
  const int format = synth::pg::read_document_format(fcinfo, format_arg);
  const SliceRange slice = slice_of(source->n());
  source->start_documents(format, memory);
  const std::int64_t interval =
      progress && source->n() > synth::pg::progress_interval_rows ? synth::pg::progress_interval_rows : 0;
  return synth::pg::pg_guard([&] {
    auto* state = static_cast<RowsState<Source>*>(MemoryContextAllocZero(memory, sizeof(RowsState<Source>)));
    state->source = source;
    state->next_id = slice.start;
    state->end_id = slice.start + slice.count;
    state->format = format;
    state->progress_interval = interval;
    return state;
  });
}

// Row `id` as a tuple of `tupdesc`, in the current memory context, after the
// interrupt check and the progress NOTICE. Everything in the guard may raise
// an ERROR; only plain data is alive, and the guard turns it into a C++
// exception all the same.
template <typename Source>
HeapTuple make_row(RowsState<Source>* state, TupleDesc tupdesc, std::int64_t id) {
  Source& source = *state->source;
  source.sample(id, state->row);
  Datum values[kColumnCount];
  bool nulls[kColumnCount] = {};
  source.fill(state->row, values);
  nulls[kJsonbColumn] = state->format != kJsonbDocument;
  nulls[kJsonColumn] = state->format != kJsonDocument;
  if (state->format == kJsonDocument) values[kJsonColumn] = PointerGetDatum(source.json(state->row));
  const std::int64_t n = source.n();
  return synth::pg::pg_guard([&] {
    if (id % kRowsBetweenInterruptChecks == 0) CHECK_FOR_INTERRUPTS();
    if (state->progress_interval > 0 && id > 0 && id % state->progress_interval == 0)
      ereport(NOTICE, (errmsg("synth_insert: %lld of %lld rows generated", static_cast<long long>(id),
                              static_cast<long long>(n))));
    if (state->format == kJsonbDocument) values[kJsonbColumn] = JsonbPGetDatum(source.jsonb(state->row));
    return heap_form_tuple(tupdesc, values, nulls);
  });
}

template <typename Source>
Datum set_of_rows(FunctionCallInfo fcinfo) {
  FuncCallContext* funcctx;
  if (SRF_IS_FIRSTCALL()) {
    funcctx = SRF_FIRSTCALL_INIT();
    const auto slice = [fcinfo](std::int64_t n) {
      return synth::resolve_slice(n, PG_ARGISNULL(kSliceStartArg) ? 0 : PG_GETARG_INT64(kSliceStartArg),
                                  PG_ARGISNULL(kSliceRowsArg) ? -1 : PG_GETARG_INT64(kSliceRowsArg));
    };
    const bool progress = !PG_ARGISNULL(kReportProgressArg) && PG_GETARG_BOOL(kReportProgressArg);
    MemoryContext memory = funcctx->multi_call_memory_ctx;
    funcctx->user_fctx = start<Source>(fcinfo, kSetArgs, kSetDocumentFormatArg, progress, memory, slice);
    funcctx->tuple_desc = synth::pg::blessed_result_type(fcinfo, memory);
  }
  funcctx = SRF_PERCALL_SETUP();
  auto* state = static_cast<RowsState<Source>*>(funcctx->user_fctx);
  if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
  HeapTuple tuple = make_row(state, funcctx->tuple_desc, state->next_id++);
  SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

// _synth_row's rows for the call's arguments, in `memory`: the whole dataset.
synth::pg::OpenedRows open_row_call(FunctionCallInfo fcinfo, MemoryContext memory) {
  if (PG_ARGISNULL(kRowArgs.rows.generator.seed))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL", {},
                       "synth_row returns one row of a dataset named by its seed: name the seed.");
  return synth::pg::with_row_source(fcinfo, kRowArgs.rows, [&](auto tag) {
    using Source = typename decltype(tag)::type;
    const auto whole = [](std::int64_t n) { return SliceRange{0, n}; };
    RowsState<Source>* state =
        start<Source>(fcinfo, kRowArgs.rows, kRowArgs.document_format, false, memory, whole);
    synth::pg::OpenedRows opened;
    opened.state = state;
    opened.make_row = [](void* made, TupleDesc tupdesc, std::int64_t id) {
      return make_row(static_cast<RowsState<Source>*>(made), tupdesc, id);
    };
    opened.n = state->source->n();
    state->source->name_dataset(opened.digest);
    opened.digest.word(static_cast<std::uint64_t>(state->format));
    return opened;
  });
}

}  // namespace

SYNTH_FUNCTION(_synth_rows) {
  return synth::pg::with_row_source(
      fcinfo, kSetArgs, [&](auto tag) { return set_of_rows<typename decltype(tag)::type>(fcinfo); });
}

SYNTH_FUNCTION(_synth_row) {
  synth::pg::RowCallCache* cache = synth::pg::row_cache(fcinfo, kRowArgs, open_row_call);
  if (PG_ARGISNULL(kRowArgs.sample_id))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "sample_id must not be NULL");
  const std::int64_t id = PG_GETARG_INT64(kRowArgs.sample_id);
  const std::int64_t n = synth::pg::dataset_rows(cache);
  if (id < 0 || id >= n)
    synth::throw_invalid_parameter(
        "sample_id must be in [0, n) = [0, " + std::to_string(n) + "), got " + std::to_string(id),
        "A dataset of n rows has the sample_ids 0 to n - 1.");
  return synth::pg::cached_row(cache, id);
}
