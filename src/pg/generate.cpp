// synth_generate(): the set-returning function over a row source (the design
// table's rows, or rows drawn from a profile: row_sources.hpp).
//
// In FROM, PostgreSQL materializes any SRF into a tuplestore, so there we fill
// the tuplestore in one call (no per-row call overhead). In the SELECT list the
// caller may stop early (LIMIT), so there we stream one row per call.
#include "engine/model/error.hpp"

#include "pg/bridge.hpp"
#include "pg/generator_args.hpp"
#include "pg/row_datums.hpp"
#include "pg/row_sources.hpp"

namespace {

using synth::pg::RowArgs;

constexpr RowArgs kArgs = {{0, 1, 2, 3, 4}, 7};  // profile: 1.1 and later
constexpr int kSliceStartArg = 5;
constexpr int kSliceRowsArg = 6;
constexpr std::int64_t kRowsBetweenInterruptChecks = 1024;

// State of a streaming (value-per-call) scan, in the multi-call context.
template <typename Source>
struct StreamState {
  Source* source;
  std::int64_t next_id;
  std::int64_t end_id;
  typename Source::Row row;
};

// Fills the tuplestore with the whole slice. The source lives in the call's
// memory; the batches run inside pg_guard, so a cancel unwinds as a C++ exception.
template <typename Source>
Datum generate_materialized(FunctionCallInfo fcinfo) {
  Source* source = Source::open(fcinfo, kArgs, CurrentMemoryContext);
  const synth::SliceRange slice = synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, source->n());
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  synth::pg::pg_guard([&] {
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "synth_generate must be declared to return a row type");
    MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
    tupdesc = CreateTupleDescCopy(tupdesc);
    Tuplestorestate* store =
        tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0, false, work_mem);
    MemoryContextSwitchTo(old);
    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    rsinfo->setDesc = tupdesc;
  });

  typename Source::Row row;
  Datum values[synth::pg::kGenerateColumnCount];
  bool nulls[synth::pg::kGenerateColumnCount] = {};
  const std::int64_t end = slice.start + slice.count;
  for (std::int64_t batch = slice.start; batch < end; batch += kRowsBetweenInterruptChecks) {
    const std::int64_t batch_end = std::min(end, batch + kRowsBetweenInterruptChecks);
    synth::pg::pg_guard([&] {
      CHECK_FOR_INTERRUPTS();
      for (std::int64_t id = batch; id < batch_end; ++id) {
        source->sample(id, row);
        source->fill(row, values);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      }
    });
  }
  return (Datum)0;
}

template <typename Source>
Datum generate_streaming(FunctionCallInfo fcinfo) {
  using State = StreamState<Source>;
  FuncCallContext* funcctx;
  if (SRF_IS_FIRSTCALL()) {
    funcctx = SRF_FIRSTCALL_INIT();
    MemoryContext multi_call = funcctx->multi_call_memory_ctx;
    Source* source = Source::open(fcinfo, kArgs, multi_call);
    const synth::SliceRange slice = synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, source->n());
    funcctx->tuple_desc = synth::pg::blessed_result_type(fcinfo, multi_call);
    auto* state = synth::pg::pg_guard(
        [&] { return static_cast<State*>(MemoryContextAllocZero(multi_call, sizeof(State))); });
    state->source = source;
    state->next_id = slice.start;
    state->end_id = slice.start + slice.count;
    funcctx->user_fctx = state;
  }
  funcctx = SRF_PERCALL_SETUP();
  auto* state = static_cast<State*>(funcctx->user_fctx);
  if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
  state->source->sample(state->next_id++, state->row);
  Datum values[synth::pg::kGenerateColumnCount];
  bool nulls[synth::pg::kGenerateColumnCount] = {};
  state->source->fill(state->row, values);
  HeapTuple tuple = synth::pg::pg_guard([&] { return heap_form_tuple(funcctx->tuple_desc, values, nulls); });
  SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

}  // namespace

SYNTH_FUNCTION(synth_generate) {
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  if (rsinfo == nullptr || !IsA(rsinfo, ReturnSetInfo))
    throw synth::Error(synth::sqlstate::kFeatureNotSupported,
                       "synth_generate was called in a context that cannot accept a set");
  // FROM asks for materialize mode; the SELECT list does not and may stop early.
  const bool materialize = (rsinfo->allowedModes & SFRM_Materialize) != 0 &&
                           (rsinfo->allowedModes & SFRM_Materialize_Preferred) != 0;
  return synth::pg::with_row_source(fcinfo, kArgs, [&](auto tag) {
    using Source = typename decltype(tag)::type;
    return materialize ? generate_materialized<Source>(fcinfo) : generate_streaming<Source>(fcinfo);
  });
}
