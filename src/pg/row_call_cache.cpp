#include "pg/row_call_cache.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "pg/bridge.hpp"
#include "pg/document_format.hpp"

namespace synth::pg {

// What _synth_row keeps in fn_extra: the rows of the last arguments seen
// (everything but sample_id, plus the transaction, whose start time the
// documents carry), and a digest of the dataset those arguments name.
struct RowCallCache {
  MemoryContext memory;  // child of fn_mcxt: the state, the key's copies, the last row
  TupleDesc tupdesc;     // in fn_mcxt
  RowCallArgs at;
  bool valid;
  void* state;
  HeapTuple (*make_row)(void* state, TupleDesc tupdesc, std::int64_t id);
  std::int64_t n;
  TimestampTz transaction_start;
  Datum key[kMaxRowCallArgs];      // varlena arguments detoasted
  Datum key_raw[kMaxRowCallArgs];  // and as passed, where their bytes name their content (else 0)
  bool key_null[kMaxRowCallArgs];
  bool constant[kMaxRowCallArgs];  // a Const in the call: the same value at every call
  bool format_named;               // document_format is text (1.2), not 1.1's integer
  std::uint64_t dataset[2];        // digest of the parsed options, document format and profile hash
};
static_assert(std::is_trivially_destructible_v<RowCallCache>);

namespace {

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

bool is_varlena_arg(const RowCallCache& cache, int i) {
  const RowCallArgs& at = cache.at;
  return i == at.rows.generator.domain_weights || i == at.rows.generator.tier_shares ||
         i == at.rows.profile || (i == at.document_format && cache.format_named);
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
Datum scalar_key(FunctionCallInfo fcinfo, const RowCallArgs& at, int i) {
  if (i == at.rows.generator.label_noise) {
    const double x = PG_GETARG_FLOAT8(i);
    std::int64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return static_cast<Datum>(bits);
  }
  if (i == at.document_format) return static_cast<Datum>(static_cast<std::int64_t>(PG_GETARG_INT32(i)));
  return static_cast<Datum>(PG_GETARG_INT64(i));
}

// Whether the call's arguments (all but sample_id) are those the cache was made for.
bool same_arguments(FunctionCallInfo fcinfo, RowCallCache& cache) {
  if (!cache.valid || cache.transaction_start != GetCurrentTransactionStartTimestamp()) return false;
  for (int i = 0; i < cache.at.count; ++i) {
    if (i == cache.at.sample_id) continue;
    if (PG_ARGISNULL(i) != cache.key_null[i]) return false;
    if (PG_ARGISNULL(i) || cache.constant[i]) continue;
    if (!is_varlena_arg(cache, i)) {
      // By value: int8 and float8 are passed by reference where Datums are 32 bits.
      if (scalar_key(fcinfo, cache.at, i) != cache.key[i]) return false;
      continue;
    }
    // The same bytes as last time (the same TOAST pointer, say, for a profile
    // read from a table): the same value, without detoasting it.
    const auto* raw = reinterpret_cast<const struct varlena*>(DatumGetPointer(PG_GETARG_DATUM(i)));
    if (cache.key_raw[i] != 0 && bytes_name_content(raw) &&
        same_bytes(raw, reinterpret_cast<const struct varlena*>(DatumGetPointer(cache.key_raw[i]))))
      continue;
    const bool same = pg_guard([&] {
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
  pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(cache.memory);
    for (int i = 0; i < cache.at.count; ++i) {
      cache.key_null[i] = PG_ARGISNULL(i);
      cache.constant[i] = is_constant_arg(fcinfo->flinfo, i);
      cache.key[i] = Datum(0);
      cache.key_raw[i] = Datum(0);
      if (PG_ARGISNULL(i)) continue;
      if (!is_varlena_arg(cache, i)) {
        cache.key[i] = scalar_key(fcinfo, cache.at, i);
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

}  // namespace

RowCallCache* row_cache(FunctionCallInfo fcinfo, const RowCallArgs& at, OpenRows open) {
  auto* cache = static_cast<RowCallCache*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = pg_guard([&] {
      auto* made =
          static_cast<RowCallCache*>(MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RowCallCache)));
      made->memory = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "synth_row", ALLOCSET_DEFAULT_SIZES);
      return made;
    });
    cache->at = at;
    cache->format_named = document_format_named(fcinfo, at.document_format);
    cache->tupdesc = blessed_result_type(fcinfo, fcinfo->flinfo->fn_mcxt);
    fcinfo->flinfo->fn_extra = cache;
  }
  if (same_arguments(fcinfo, *cache)) return cache;

  // New arguments: drop the old rows (a reset callback runs the destructor
  // of a source that needs one) and make the next.
  cache->valid = false;
  cache->state = nullptr;
  pg_guard([&] { MemoryContextReset(cache->memory); });
  const OpenedRows opened = open(fcinfo, cache->memory);
  cache->state = opened.state;
  cache->make_row = opened.make_row;
  cache->n = opened.n;
  cache->dataset[0] = opened.digest.a;
  cache->dataset[1] = opened.digest.b;
  remember_arguments(fcinfo, *cache);
  cache->transaction_start = GetCurrentTransactionStartTimestamp();
  cache->valid = true;
  return cache;
}

std::int64_t dataset_rows(const RowCallCache* cache) { return cache->n; }

Datum cached_row(RowCallCache* cache, std::int64_t id) {
  const TimestampTz started = GetCurrentTransactionStartTimestamp();
  SharedLastRow& last = shared_last_row;
  if (last.valid && last.id == id && last.transaction_start == started &&
      last.dataset[0] == cache->dataset[0] && last.dataset[1] == cache->dataset[1])
    return pg_guard([&] { return HeapTupleGetDatum(heap_copytuple(last.row)); });
  HeapTuple row = cache->make_row(cache->state, cache->tupdesc, id);
  pg_guard([&] {
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

}  // namespace synth::pg
