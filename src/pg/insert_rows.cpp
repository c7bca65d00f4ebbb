// _synth_rows() and _synth_row(): the row source of synth_insert's
// INSERT ... SELECT, and the same rows one sample_id at a time. The set
// function runs in the SELECT list (value-per-call), so rows stream into the
// INSERT without a tuplestore; the scalar one keeps its sampler across calls
// in fn_extra, for INSERT ... SELECT forms that call it once per id (a Citus
// load that each worker runs on its own shards). Both build the pipeline's
// document per row.
#include <cstring>
#include <new>

#include "engine/generate/enhancement_document.hpp"
#include "engine/model/error.hpp"
#include "engine/model/mixing.hpp"
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
using synth::SliceRange;

// Where a call's arguments are, as declared in the install script.
struct RowSourceArgs {
  synth::pg::GeneratorArgPositions generator;
  int document_format;
  int report_progress;  // -1: the function has none
  int profile;          // -1: the function has none (1.0's _synth_rows)
};

// _synth_rows(n, seed, domain_weights, tier_shares, label_noise, document_format,
//             report_progress, slice_start, slice_rows[, profile])
constexpr RowSourceArgs kSetArgs = {{0, 1, 2, 3, 4}, 5, 6, 9};
constexpr int kSliceStartArg = 7;
constexpr int kSliceRowsArg = 8;
// _synth_row(n, seed, sample_id, domain_weights, tier_shares, label_noise, document_format, profile)
constexpr RowSourceArgs kRowArgs = {{0, 1, 3, 4, 5}, 6, -1, 7};
constexpr int kSampleIdArg = 2;
constexpr int kRowArgCount = 8;

enum DocumentFormat { kNoDocument = 0, kJsonbDocument = 1, kJsonDocument = 2 };
constexpr int kJsonbColumn = synth::pg::kGenerateColumnCount;
constexpr int kJsonColumn = kJsonbColumn + 1;
constexpr int kColumnCount = kJsonColumn + 1;
constexpr std::int64_t kRowsBetweenInterruptChecks = 1024;

bool has_profile(FunctionCallInfo fcinfo, const RowSourceArgs& at) {
  return at.profile >= 0 && PG_NARGS() > at.profile && !PG_ARGISNULL(at.profile);
}

// Whether the function's document_format is a name (text, 1.2) or 1.1's
// number (integer): the declared type tells, since the call was resolved
// against whichever declaration the database holds.
bool document_format_named(FunctionCallInfo fcinfo, int arg) {
  Oid type = get_fn_expr_argtype(fcinfo->flinfo, arg);
  if (!OidIsValid(type))
    type = synth::pg::pg_guard([&] {
      Oid* declared = nullptr;
      int count = 0;
      (void)get_func_signature(fcinfo->flinfo->fn_oid, &declared, &count);
      return arg < count ? declared[arg] : InvalidOid;
    });
  return type != INT4OID;
}

constexpr const char* kDocumentFormatChoices = "Write 'jsonb' (the default), 'json' or 'none'.";

// 1.2's names: 'jsonb' fills enhancement_jsonb, 'json' enhancement_json,
// 'none' neither. Anything else, NULL included, is an error naming the choices.
int read_document_format_name(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "document_format must not be NULL", {},
                       kDocumentFormatChoices);
  constexpr int kShownBytes = 40;
  int shown_length = 0;
  const char* given = synth::pg::pg_guard([&] {
    char* chars = text_to_cstring(PG_GETARG_TEXT_PP(arg));
    shown_length = pg_mbcliplen(chars, static_cast<int>(std::strlen(chars)), kShownBytes);
    return chars;
  });
  const std::string_view name(given);
  if (name == "jsonb") return kJsonbDocument;
  if (name == "json") return kJsonDocument;
  if (name == "none") return kNoDocument;
  const std::string shown = std::string(name.substr(0, shown_length)) +
                            (static_cast<std::size_t>(shown_length) < name.size() ? "..." : "");
  // 1.1 took numbers; say what each one is called now.
  const char* renamed = name == "1" ? "jsonb" : name == "2" ? "json" : name == "0" ? "none" : nullptr;
  synth::throw_invalid_parameter("document_format must be 'jsonb', 'json' or 'none', got '" + shown + "'", {},
                                 renamed != nullptr
                                     ? std::string("document_format is a name since synthdata 1.2: write '") +
                                           renamed + "' where 1.1 took " + shown + "."
                                     : std::string(kDocumentFormatChoices));
}

int read_document_format(FunctionCallInfo fcinfo, const RowSourceArgs& at) {
  if (document_format_named(fcinfo, at.document_format))
    return read_document_format_name(fcinfo, at.document_format);
  // 1.1's declaration: 1 jsonb, 2 json, 0 (or NULL) none.
  const int format = PG_ARGISNULL(at.document_format) ? kNoDocument : PG_GETARG_INT32(at.document_format);
  if (format < kNoDocument || format > kJsonDocument)
    synth::throw_invalid_parameter("document_format must be 0, 1 or 2, got " + std::to_string(format));
  return format;
}

bool read_progress(FunctionCallInfo fcinfo, const RowSourceArgs& at) {
  return at.report_progress >= 0 && !PG_ARGISNULL(at.report_progress) && PG_GETARG_BOOL(at.report_progress);
}

SliceRange read_slice_args(FunctionCallInfo fcinfo, std::int64_t n) {
  return synth::resolve_slice(n, PG_ARGISNULL(kSliceStartArg) ? 0 : PG_GETARG_INT64(kSliceStartArg),
                              PG_ARGISNULL(kSliceRowsArg) ? -1 : PG_GETARG_INT64(kSliceRowsArg));
}

// The call's row type, blessed, in `context`.
TupleDesc result_type(FunctionCallInfo fcinfo, MemoryContext context) {
  return synth::pg::pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(context);
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "synthdata row functions must be declared to return a row type");
    tupdesc = BlessTupleDesc(tupdesc);
    MemoryContextSwitchTo(old);
    return tupdesc;
  });
}

// The row's tuple, with its jsonb document from `build_jsonb` (nullptr: none),
// after the interrupt check and the progress NOTICE. Everything here may raise
// an ERROR; only plain data is alive, and the guard turns it into a C++
// exception all the same.
template <typename BuildJsonb>
HeapTuple form_row(TupleDesc tupdesc, Datum* values, bool* nulls, std::int64_t id, std::int64_t n,
                   std::int64_t progress_interval, BuildJsonb build_jsonb) {
  return synth::pg::pg_guard([&] {
    if (id % kRowsBetweenInterruptChecks == 0) CHECK_FOR_INTERRUPTS();
    if (progress_interval > 0 && id > 0 && id % progress_interval == 0)
      ereport(NOTICE, (errmsg("synth_insert: %lld of %lld rows generated", static_cast<long long>(id),
                              static_cast<long long>(n))));
    if (Jsonb* document = build_jsonb()) values[kJsonbColumn] = JsonbPGetDatum(document);
    return heap_form_tuple(tupdesc, values, nulls);
  });
}

// ---- rows of the design table ----------------------------------------------

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

// The state of one call in `memory`; the slice is read by `slice_of(n)`.
template <typename SliceOf>
InsertRowsState* start(FunctionCallInfo fcinfo, const RowSourceArgs& at, MemoryContext memory,
                       SliceOf slice_of) {
  synth::DocumentContext context;
  context.options = synth::pg::read_generator_options(fcinfo, at.generator);
  context.domain_weights_given = !PG_ARGISNULL(at.generator.domain_weights);
  synth::pg::format_utc_timestamp(GetCurrentTransactionStartTimestamp(), context.generation_timestamp,
                                  sizeof context.generation_timestamp);
  const int format = read_document_format(fcinfo, at);
  const bool progress = read_progress(fcinfo, at);
  const SliceRange slice = slice_of(context.options.n);
  RowSampler sampler(context.options);

  return synth::pg::pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(memory);
    auto* state = static_cast<InsertRowsState*>(palloc0(sizeof(InsertRowsState)));
    new (state) InsertRowsState{
        sampler,
        context,
        slice.start,
        slice.start + slice.count,
        format,
        progress && context.options.n > synth::pg::progress_interval_rows ? synth::pg::progress_interval_rows
                                                                          : 0,
        synth::pg::RowDatumBuffers::create(),
        format == kJsonbDocument ? synth::pg::JsonbDocumentBuilder::create(context) : nullptr,
        format == kJsonDocument ? static_cast<char*>(palloc(VARHDRSZ + synth::kMaxDocumentLength)) : nullptr,
        {}};
    MemoryContextSwitchTo(old);
    return state;
  });
}

// Row `id` as a tuple of `tupdesc`, in the current memory context.
HeapTuple design_row(InsertRowsState* state, TupleDesc tupdesc, std::int64_t id) {
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
  return form_row(tupdesc, values, nulls, id, state->context.options.n, state->progress_interval, [state] {
    return state->format == kJsonbDocument ? state->jsonb->build(state->row) : nullptr;
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
  char* json;  // VARHDRSZ + capacity (document_format 2)
  std::size_t capacity;
  synth::pg::FittedJsonbBuilder* jsonb;  // document_format 1
  synth::FittedRow row;
};
static_assert(std::is_trivially_destructible_v<FittedRowsState>);

template <typename SliceOf>
FittedRowsState* start_fitted(FunctionCallInfo fcinfo, const RowSourceArgs& at, MemoryContext memory,
                              SliceOf slice_of) {
  // The varlena arguments detoasted (which may raise an ERROR) before any
  // C++ object with a destructor exists in this frame.
  Jsonb* profile_arg = nullptr;
  Jsonb* weights_arg = nullptr;
  synth::pg::pg_guard([&] {
    profile_arg = PG_GETARG_JSONB_P(at.profile);
    if (!PG_ARGISNULL(at.generator.domain_weights))
      weights_arg = PG_GETARG_JSONB_P(at.generator.domain_weights);
  });
  synth::pg::reject_options_a_profile_replaces(fcinfo, at.generator.tier_shares, at.generator.label_noise);
  synth::Profile profile = synth::pg::read_profile(profile_arg);
  synth::ProfileOptions options;
  if (PG_ARGISNULL(at.generator.n))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "n must not be NULL");
  options.n = PG_GETARG_INT64(at.generator.n);
  synth::validate_row_count(options.n);
  options.seed = PG_ARGISNULL(at.generator.seed)
                     ? synth::pg::fresh_seed()
                     : static_cast<std::uint64_t>(PG_GETARG_INT64(at.generator.seed));
  const bool weighted = weights_arg != nullptr;
  if (weighted) options.domain_weights = synth::pg::read_profile_domain_weights(weights_arg, profile);
  const int format = read_document_format(fcinfo, at);
  const bool progress = read_progress(fcinfo, at);
  const SliceRange slice = slice_of(options.n);
  synth::FittedDocumentContext document;
  document.profile_hash = synth::profile_hash(profile);
  document.domain_weights_given = weighted;
  char timestamp[40];
  synth::pg::format_utc_timestamp(GetCurrentTransactionStartTimestamp(), timestamp, sizeof timestamp);
  document.generation_timestamp = timestamp;
  const std::size_t capacity = synth::fitted_document_capacity(profile);
  const std::int64_t n = options.n;
  synth::ProfileSampler sampler(std::move(profile), std::move(options));

  synth::pg::FittedCall* call =
      synth::pg::FittedCall::create(memory, std::move(sampler), std::move(document));
  synth::pg::FittedDatumBuffers* buffers =
      synth::pg::FittedDatumBuffers::create(call->sampler.profile(), memory);
  return synth::pg::pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(memory);
    auto* state = static_cast<FittedRowsState*>(palloc0(sizeof(FittedRowsState)));
    state->call = call;
    state->buffers = buffers;
    state->next_id = slice.start;
    state->end_id = slice.start + slice.count;
    state->format = format;
    state->progress_interval =
        progress && n > synth::pg::progress_interval_rows ? synth::pg::progress_interval_rows : 0;
    state->capacity = capacity;
    state->json = format == kJsonDocument ? static_cast<char*>(palloc(VARHDRSZ + capacity)) : nullptr;
    state->jsonb = format == kJsonbDocument
                       ? synth::pg::FittedJsonbBuilder::create(call->sampler, call->document)
                       : nullptr;
    MemoryContextSwitchTo(old);
    return state;
  });
}

HeapTuple fitted_row(FittedRowsState* state, TupleDesc tupdesc, std::int64_t id) {
  state->call->sampler.sample(id, state->row);
  Datum values[kColumnCount];
  bool nulls[kColumnCount] = {};
  state->buffers->fill(state->row, values);
  nulls[kJsonbColumn] = state->format != kJsonbDocument;
  nulls[kJsonColumn] = state->format != kJsonDocument;
  if (state->format == kJsonDocument) {
    const std::size_t length = synth::write_fitted_json(
        state->row, state->call->sampler, state->call->document, VARDATA(state->json), state->capacity);
    SET_VARSIZE(state->json, VARHDRSZ + length);
    values[kJsonColumn] = PointerGetDatum(state->json);
  }
  return form_row(
      tupdesc, values, nulls, id, state->call->sampler.options().n, state->progress_interval,
      [state] { return state->format == kJsonbDocument ? state->jsonb->build(state->row) : nullptr; });
}

// ---- one row per call ------------------------------------------------------

// What _synth_row keeps in fn_extra: the sampler of the last arguments seen
// (everything but sample_id, plus the transaction, whose start time the
// documents carry), and a digest of the dataset those arguments name.
struct RowCallCache {
  MemoryContext memory;  // child of fn_mcxt: the state, the key's copies, the last row
  TupleDesc tupdesc;     // in fn_mcxt
  bool valid;
  bool fitted;
  void* state;
  std::int64_t n;
  TimestampTz transaction_start;
  Datum key[kRowArgCount];      // varlena arguments detoasted
  Datum key_raw[kRowArgCount];  // and as passed, where their bytes name their content (else 0)
  bool key_null[kRowArgCount];
  bool constant[kRowArgCount];  // a Const in the call: the same value at every call
  bool format_named;            // document_format is text (1.2), not 1.1's integer
  std::uint64_t dataset[2];     // digest of the parsed options, document format and profile hash
};
static_assert(std::is_trivially_destructible_v<RowCallCache>);

// The last row made, shared by every call site of the backend: a planner
// that flattens `(SELECT id, synth_row(...) AS r FROM ids)` (as Citus needs
// for its push-down) turns each `(r).column` taken into a call of its own,
// with its own fn_extra; the second call of a row finds it here. Keyed by the
// dataset's digest, the transaction start and the sample_id.
struct SharedLastRow {
  MemoryContext memory;  // under TopMemoryContext, for the backend's life
  bool valid;
  std::uint64_t dataset[2];
  TimestampTz transaction_start;
  std::int64_t id;
  HeapTuple row;
};
SharedLastRow shared_last_row;
static_assert(std::is_trivially_destructible_v<SharedLastRow>);

// Two independent 64-bit lanes over the words of what names the dataset.
struct DatasetDigest {
  std::uint64_t a = 0x243f6a8885a308d3ULL;
  std::uint64_t b = 0x13198a2e03707344ULL;
  void word(std::uint64_t w) {
    a = synth::mix64(a ^ w) + 0x9e3779b97f4a7c15ULL;
    b = synth::mix64(b + synth::mix64(w ^ 0xa4093822299f31d0ULL));
  }
  void number(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    word(bits);
  }
  void text(std::string_view t) {
    word(t.size());
    for (std::size_t i = 0; i < t.size(); i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, t.data() + i, std::min<std::size_t>(8, t.size() - i));
      word(w);
    }
  }
};

bool is_varlena_arg(const RowCallCache& cache, int i) {
  return i == kRowArgs.generator.domain_weights || i == kRowArgs.generator.tier_shares ||
         i == kRowArgs.profile || (i == kRowArgs.document_format && cache.format_named);
}

// A Const argument of the call expression keeps its value for the life of the
// FmgrInfo. (A Param does not: PL/pgSQL keeps a simple expression's state for
// a whole transaction while its variables change.)
bool is_constant_arg(FmgrInfo* flinfo, int i) {
  Node* expr = flinfo->fn_expr;
  if (expr == nullptr || !IsA(expr, FuncExpr)) return false;
  List* args = castNode(FuncExpr, expr)->args;
  return i < list_length(args) && IsA(list_nth(args, i), Const);
}

// Bytes that stand for the value: an inline varlena (compressed or not) or an
// on-disk TOAST pointer, which is immutable while the transaction can see it.
// Not an expanded or indirect datum, which points at memory that can change.
bool bytes_name_content(const struct varlena* v) {
  return !VARATT_IS_EXTERNAL(v) || VARATT_IS_EXTERNAL_ONDISK(v);
}

bool same_bytes(const struct varlena* a, const struct varlena* b) {
  return VARSIZE_ANY(a) == VARSIZE_ANY(b) && std::memcmp(a, b, VARSIZE_ANY(a)) == 0;
}

// n, seed (int8), label_noise (float8), 1.1's document_format (int4); key holds the value.
Datum scalar_key(FunctionCallInfo fcinfo, int i) {
  if (i == kRowArgs.generator.label_noise) {
    const double x = PG_GETARG_FLOAT8(i);
    std::int64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return static_cast<Datum>(bits);
  }
  if (i == kRowArgs.document_format) return static_cast<Datum>(static_cast<std::int64_t>(PG_GETARG_INT32(i)));
  return static_cast<Datum>(PG_GETARG_INT64(i));
}

bool same_scalar(FunctionCallInfo fcinfo, int i, Datum key) { return scalar_key(fcinfo, i) == key; }

// Whether the call's arguments (all but sample_id) are those the cache was made for.
bool same_arguments(FunctionCallInfo fcinfo, RowCallCache& cache) {
  if (!cache.valid || cache.transaction_start != GetCurrentTransactionStartTimestamp()) return false;
  for (int i = 0; i < kRowArgCount; ++i) {
    if (i == kSampleIdArg) continue;
    if (PG_ARGISNULL(i) != cache.key_null[i]) return false;
    if (PG_ARGISNULL(i) || cache.constant[i]) continue;
    if (!is_varlena_arg(cache, i)) {
      // By value: int8 and float8 are passed by reference where Datums are 32 bits.
      if (!same_scalar(fcinfo, i, cache.key[i])) return false;
      continue;
    }
    // The same bytes as last time (the same TOAST pointer, say, for a profile
    // read from a table): the same value, without detoasting it.
    const auto* raw = reinterpret_cast<const struct varlena*>(DatumGetPointer(PG_GETARG_DATUM(i)));
    if (cache.key_raw[i] != 0 && bytes_name_content(raw) &&
        same_bytes(raw, reinterpret_cast<const struct varlena*>(DatumGetPointer(cache.key_raw[i]))))
      continue;
    const bool same = synth::pg::pg_guard([&] {
      struct varlena* now = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(i));
      struct varlena* then = reinterpret_cast<struct varlena*>(DatumGetPointer(cache.key[i]));
      const bool equal = VARSIZE_ANY_EXHDR(now) == VARSIZE_ANY_EXHDR(then) &&
                         std::memcmp(VARDATA_ANY(now), VARDATA_ANY(then), VARSIZE_ANY_EXHDR(now)) == 0;
      // Another TOAST pointer to the same value: remember it instead.
      if (equal && VARATT_IS_EXTERNAL_ONDISK(raw)) {
        // The copy first: an ERROR in palloc leaves the old pointer valid.
        void* copy = MemoryContextAlloc(cache.memory, VARSIZE_ANY(raw));
        std::memcpy(copy, raw, VARSIZE_ANY(raw));
        void* previous = cache.key_raw[i] != 0 ? DatumGetPointer(cache.key_raw[i]) : nullptr;
        cache.key_raw[i] = PointerGetDatum(copy);
        if (previous != nullptr) pfree(previous);
      }
      return equal;
    });
    if (!same) return false;
  }
  return true;
}

void remember_arguments(FunctionCallInfo fcinfo, RowCallCache& cache) {
  synth::pg::pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(cache.memory);
    for (int i = 0; i < kRowArgCount; ++i) {
      cache.key_null[i] = PG_ARGISNULL(i);
      cache.constant[i] = is_constant_arg(fcinfo->flinfo, i);
      cache.key[i] = Datum(0);
      cache.key_raw[i] = Datum(0);
      if (PG_ARGISNULL(i)) continue;
      if (!is_varlena_arg(cache, i)) {
        cache.key[i] = scalar_key(fcinfo, i);
        continue;
      }
      cache.key[i] = PointerGetDatum(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(i)));
      const auto* raw = reinterpret_cast<const struct varlena*>(DatumGetPointer(PG_GETARG_DATUM(i)));
      if (bytes_name_content(raw)) {
        cache.key_raw[i] = PointerGetDatum(palloc(VARSIZE_ANY(raw)));
        std::memcpy(DatumGetPointer(cache.key_raw[i]), raw, VARSIZE_ANY(raw));
      }
    }
    MemoryContextSwitchTo(old);
  });
}

RowCallCache* row_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<RowCallCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = synth::pg::pg_guard([&] {
      auto* made =
          static_cast<RowCallCache*>(MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RowCallCache)));
      made->memory = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "synth_row", ALLOCSET_DEFAULT_SIZES);
      return made;
    });
    cache->format_named = document_format_named(fcinfo, kRowArgs.document_format);
    cache->tupdesc = result_type(fcinfo, fcinfo->flinfo->fn_mcxt);
    fcinfo->flinfo->fn_extra = cache;
  }
  if (same_arguments(fcinfo, *cache)) return cache;

  // New arguments: drop the old sampler (its reset callback runs the
  // destructor of a fitted one) and make the next.
  cache->valid = false;
  cache->state = nullptr;
  synth::pg::pg_guard([&] { MemoryContextReset(cache->memory); });
  const auto whole = [](std::int64_t n) { return SliceRange{0, n}; };
  if (PG_ARGISNULL(kRowArgs.generator.seed))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL", {},
                       "synth_row returns one row of a dataset named by its seed: name the seed.");
  cache->fitted = has_profile(fcinfo, kRowArgs);
  DatasetDigest digest;
  digest.word(cache->fitted ? 2 : 1);
  if (cache->fitted) {
    auto* state = start_fitted(fcinfo, kRowArgs, cache->memory, whole);
    cache->state = state;
    const synth::ProfileOptions& o = state->call->sampler.options();
    cache->n = o.n;
    digest.word(static_cast<std::uint64_t>(o.n));
    digest.word(o.seed);
    digest.word(static_cast<std::uint64_t>(state->format));
    digest.word(state->call->document.domain_weights_given);
    digest.word(o.domain_weights.size());
    for (double w : o.domain_weights) digest.number(w);
    digest.text(state->call->document.profile_hash);
  } else {
    auto* state = start(fcinfo, kRowArgs, cache->memory, whole);
    cache->state = state;
    const synth::GeneratorOptions& o = state->context.options;
    cache->n = o.n;
    digest.word(static_cast<std::uint64_t>(o.n));
    digest.word(o.seed);
    digest.word(static_cast<std::uint64_t>(state->format));
    digest.word(state->context.domain_weights_given);
    for (double w : o.domain_weights) digest.number(w);
    for (double t : o.tier_shares) digest.number(t);
    digest.number(o.label_noise);
  }
  cache->dataset[0] = digest.a;
  cache->dataset[1] = digest.b;
  remember_arguments(fcinfo, *cache);
  cache->transaction_start = GetCurrentTransactionStartTimestamp();
  cache->valid = true;
  return cache;
}

}  // namespace

SYNTH_FUNCTION(_synth_rows) {
  FuncCallContext* funcctx;
  const bool fitted = has_profile(fcinfo, kSetArgs);
  if (SRF_IS_FIRSTCALL()) {
    funcctx = SRF_FIRSTCALL_INIT();
    const auto slice = [fcinfo](std::int64_t n) { return read_slice_args(fcinfo, n); };
    if (fitted)
      funcctx->user_fctx = start_fitted(fcinfo, kSetArgs, funcctx->multi_call_memory_ctx, slice);
    else
      funcctx->user_fctx = start(fcinfo, kSetArgs, funcctx->multi_call_memory_ctx, slice);
    funcctx->tuple_desc = result_type(fcinfo, funcctx->multi_call_memory_ctx);
  }
  funcctx = SRF_PERCALL_SETUP();
  HeapTuple tuple;
  if (fitted) {
    auto* state = static_cast<FittedRowsState*>(funcctx->user_fctx);
    if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
    tuple = fitted_row(state, funcctx->tuple_desc, state->next_id++);
  } else {
    auto* state = static_cast<InsertRowsState*>(funcctx->user_fctx);
    if (state->next_id >= state->end_id) SRF_RETURN_DONE(funcctx);
    tuple = design_row(state, funcctx->tuple_desc, state->next_id++);
  }
  SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

SYNTH_FUNCTION(_synth_row) {
  RowCallCache* cache = row_cache(fcinfo);
  if (PG_ARGISNULL(kSampleIdArg))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "sample_id must not be NULL");
  const std::int64_t id = PG_GETARG_INT64(kSampleIdArg);
  if (id < 0 || id >= cache->n)
    synth::throw_invalid_parameter(
        "sample_id must be in [0, n) = [0, " + std::to_string(cache->n) + "), got " + std::to_string(id),
        "A dataset of n rows has the sample_ids 0 to n - 1.");
  const TimestampTz started = GetCurrentTransactionStartTimestamp();
  SharedLastRow& last = shared_last_row;
  if (last.valid && last.id == id && last.transaction_start == started &&
      last.dataset[0] == cache->dataset[0] && last.dataset[1] == cache->dataset[1])
    return synth::pg::pg_guard([&] { return HeapTupleGetDatum(heap_copytuple(last.row)); });
  HeapTuple row = cache->fitted ? fitted_row(static_cast<FittedRowsState*>(cache->state), cache->tupdesc, id)
                                : design_row(static_cast<InsertRowsState*>(cache->state), cache->tupdesc, id);
  synth::pg::pg_guard([&] {
    if (last.memory == nullptr)
      last.memory = AllocSetContextCreate(TopMemoryContext, "synth_row last row", ALLOCSET_SMALL_SIZES);
    last.valid = false;
    HeapTuple copy = static_cast<HeapTuple>(MemoryContextAlloc(last.memory, HEAPTUPLESIZE + row->t_len));
    copy->t_len = row->t_len;
    copy->t_self = row->t_self;
    copy->t_tableOid = row->t_tableOid;
    copy->t_data = reinterpret_cast<HeapTupleHeader>(reinterpret_cast<char*>(copy) + HEAPTUPLESIZE);
    std::memcpy(copy->t_data, row->t_data, row->t_len);
    if (last.row != nullptr) pfree(last.row);
    last.row = copy;
  });
  last.dataset[0] = cache->dataset[0];
  last.dataset[1] = cache->dataset[1];
  last.transaction_start = started;
  last.id = id;
  last.valid = true;
  return HeapTupleGetDatum(row);
}
