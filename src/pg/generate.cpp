// synth_generate(): the set-returning function over the row sampler.
//
// In FROM, PostgreSQL materializes any SRF into a tuplestore, so there we fill
// the tuplestore in one call (no per-row call overhead). In the SELECT list the
// caller may stop early (LIMIT), so there we stream one row per call.
#include <new>

#include "engine/model/error.hpp"

#include "engine/generate/row_sampler.hpp"
#include "pg/bridge.hpp"
#include "pg/generator_args.hpp"
#include "pg/profile_args.hpp"
#include "pg/row_datums.hpp"

namespace {

using synth::GeneratedRow;
using synth::RowSampler;
using synth::pg::RowDatumBuffers;

constexpr synth::pg::GeneratorArgPositions kArgs = {0, 1, 2, 3, 4};
constexpr int kSliceStartArg = 5;
constexpr int kSliceRowsArg = 6;
constexpr int kProfileArg = 7;  // 1.1 and later
constexpr std::int64_t kRowsBetweenInterruptChecks = 1024;

// State of a streaming (value-per-call) scan, palloc'd in the multi-call context.
struct StreamState {
  RowSampler sampler;
  std::int64_t next_id;
  std::int64_t end_id;
  RowDatumBuffers* buffers;
  GeneratedRow row;
};
static_assert(std::is_trivially_destructible_v<StreamState>);

// Fills the tuplestore with the whole slice. Only plain data is alive here, and
// the batches run inside pg_guard, so a cancel unwinds as a C++ exception.
Datum generate_materialized(FunctionCallInfo fcinfo, const RowSampler& sampler, synth::SliceRange slice) {
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

  RowDatumBuffers* buffers = synth::pg::pg_guard([] { return RowDatumBuffers::create(); });
  GeneratedRow row;
  Datum values[synth::pg::kGenerateColumnCount];
  bool nulls[synth::pg::kGenerateColumnCount] = {};
  const std::int64_t end = slice.start + slice.count;
  for (std::int64_t batch = slice.start; batch < end; batch += kRowsBetweenInterruptChecks) {
    const std::int64_t batch_end = std::min(end, batch + kRowsBetweenInterruptChecks);
    synth::pg::pg_guard([&] {
      CHECK_FOR_INTERRUPTS();
      for (std::int64_t id = batch; id < batch_end; ++id) {
        sampler.sample(id, row);
        buffers->fill(row, values);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      }
    });
  }
  return (Datum)0;
}

Datum generate_streaming(FunctionCallInfo fcinfo) {
  FuncCallContext* funcctx;
  if (SRF_IS_FIRSTCALL()) {
    funcctx = SRF_FIRSTCALL_INIT();
    synth::GeneratorOptions options = synth::pg::read_generator_options(fcinfo, kArgs);
    synth::SliceRange slice = synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, options.n);
    RowSampler sampler(options);
    synth::pg::pg_guard([&] {
      MemoryContext old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
      TupleDesc tupdesc;
      if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "synth_generate must be declared to return a row type");
      funcctx->tuple_desc = BlessTupleDesc(tupdesc);
      auto* state = static_cast<StreamState*>(palloc(sizeof(StreamState)));
      new (state) StreamState{sampler, slice.start, slice.start + slice.count, RowDatumBuffers::create(), {}};
      funcctx->user_fctx = state;
      MemoryContextSwitchTo(old);
    });
  }
  funcctx = SRF_PERCALL_SETUP();
  auto* state = static_cast<StreamState*>(funcctx->user_fctx);
  if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
  state->sampler.sample(state->next_id++, state->row);
  Datum values[synth::pg::kGenerateColumnCount];
  bool nulls[synth::pg::kGenerateColumnCount] = {};
  state->buffers->fill(state->row, values);
  HeapTuple tuple = synth::pg::pg_guard([&] { return heap_form_tuple(funcctx->tuple_desc, values, nulls); });
  SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

// ---- rows drawn from a profile ---------------------------------------------

struct FittedStreamState {
  synth::pg::FittedCall* call;
  synth::pg::FittedDatumBuffers* buffers;
  std::int64_t next_id;
  std::int64_t end_id;
  synth::FittedRow row;
};
static_assert(std::is_trivially_destructible_v<FittedStreamState>);

synth::ProfileSampler fitted_sampler(FunctionCallInfo fcinfo, synth::SliceRange& slice) {
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(kProfileArg));
  synth::pg::reject_options_a_profile_replaces(fcinfo, kArgs.tier_shares, kArgs.label_noise);
  synth::ProfileOptions options;
  if (PG_ARGISNULL(kArgs.n))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "n must not be NULL", {},
                       "Pass the number of rows to generate.");
  options.n = PG_GETARG_INT64(kArgs.n);
  synth::validate_row_count(options.n);
  options.seed = PG_ARGISNULL(kArgs.seed) ? synth::pg::fresh_seed()
                                          : static_cast<std::uint64_t>(PG_GETARG_INT64(kArgs.seed));
  if (!PG_ARGISNULL(kArgs.domain_weights))
    options.domain_weights =
        synth::pg::read_profile_domain_weights(PG_GETARG_JSONB_P(kArgs.domain_weights), profile);
  slice = synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, options.n);
  return synth::ProfileSampler(std::move(profile), std::move(options));
}

Datum generate_fitted_materialized(FunctionCallInfo fcinfo) {
  synth::SliceRange slice;
  const synth::ProfileSampler sampler = fitted_sampler(fcinfo, slice);
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
  synth::pg::FittedDatumBuffers* buffers =
      synth::pg::FittedDatumBuffers::create(sampler.profile(), CurrentMemoryContext);
  synth::FittedRow row;
  Datum values[synth::pg::kGenerateColumnCount];
  bool nulls[synth::pg::kGenerateColumnCount] = {};
  const std::int64_t end = slice.start + slice.count;
  for (std::int64_t batch = slice.start; batch < end; batch += kRowsBetweenInterruptChecks) {
    const std::int64_t batch_end = std::min(end, batch + kRowsBetweenInterruptChecks);
    synth::pg::pg_guard([&] {
      CHECK_FOR_INTERRUPTS();
      for (std::int64_t id = batch; id < batch_end; ++id) {
        sampler.sample(id, row);
        buffers->fill(row, values);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      }
    });
  }
  return (Datum)0;
}

Datum generate_fitted_streaming(FunctionCallInfo fcinfo) {
  FuncCallContext* funcctx;
  if (SRF_IS_FIRSTCALL()) {
    funcctx = SRF_FIRSTCALL_INIT();
    synth::SliceRange slice;
    synth::ProfileSampler sampler = fitted_sampler(fcinfo, slice);
    synth::pg::FittedCall* call =
        synth::pg::FittedCall::create(funcctx->multi_call_memory_ctx, std::move(sampler), {});
    synth::pg::pg_guard([&] {
      MemoryContext old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
      TupleDesc tupdesc;
      if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "synth_generate must be declared to return a row type");
      funcctx->tuple_desc = BlessTupleDesc(tupdesc);
      MemoryContextSwitchTo(old);
    });
    synth::pg::FittedDatumBuffers* buffers =
        synth::pg::FittedDatumBuffers::create(call->sampler.profile(), funcctx->multi_call_memory_ctx);
    MemoryContext multi_call = funcctx->multi_call_memory_ctx;
    auto* state = static_cast<FittedStreamState*>(synth::pg::pg_guard(
        [multi_call] { return MemoryContextAllocZero(multi_call, sizeof(FittedStreamState)); }));
    state->call = call;
    state->buffers = buffers;
    state->next_id = slice.start;
    state->end_id = slice.start + slice.count;
    funcctx->user_fctx = state;
  }
  funcctx = SRF_PERCALL_SETUP();
  auto* state = static_cast<FittedStreamState*>(funcctx->user_fctx);
  if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
  state->call->sampler.sample(state->next_id++, state->row);
  Datum values[synth::pg::kGenerateColumnCount];
  bool nulls[synth::pg::kGenerateColumnCount] = {};
  state->buffers->fill(state->row, values);
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
  const bool fitted = PG_NARGS() > kProfileArg && !PG_ARGISNULL(kProfileArg);
  if (fitted) return materialize ? generate_fitted_materialized(fcinfo) : generate_fitted_streaming(fcinfo);
  if (!materialize) return generate_streaming(fcinfo);

  synth::GeneratorOptions options = synth::pg::read_generator_options(fcinfo, kArgs);
  synth::SliceRange slice = synth::pg::read_slice(fcinfo, kSliceStartArg, kSliceRowsArg, options.n);
  RowSampler sampler(options);
  return generate_materialized(fcinfo, sampler, slice);
}
