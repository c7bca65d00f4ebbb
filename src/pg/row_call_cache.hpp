// What _synth_row keeps between calls: the row source of the last arguments
// seen at a call site (in fn_extra), found again without re-reading a profile
// when the arguments are the same, and the last row made, shared by every call
// site of the backend.
#pragma once

#include <cstdint>

#include "pg/postgres.hpp"
#include "pg/row_source.hpp"

namespace synth::pg {

// Where _synth_row's arguments are, as declared in the install script.
struct RowCallArgs {
  RowArgs rows;
  int document_format;
  int sample_id;
  int count;
};
inline constexpr int kMaxRowCallArgs = 8;

// A call's rows as the cache keeps them: an opaque state in the cache's
// memory and the function that makes row `id` of it.
struct OpenedRows {
  void* state;
  HeapTuple (*make_row)(void* state, TupleDesc tupdesc, std::int64_t id);
  std::int64_t n;
  DatasetDigest digest;  // what names the dataset
};
using OpenRows = OpenedRows (*)(FunctionCallInfo fcinfo, MemoryContext memory);

struct RowCallCache;

// The call site's cache, holding the rows of this call's arguments (all but
// sample_id): the same as the last call's, or made anew by `open`.
RowCallCache* row_cache(FunctionCallInfo fcinfo, const RowCallArgs& at, OpenRows open);

// How many rows the cache's dataset has.
std::int64_t dataset_rows(const RowCallCache* cache);

// Row `id` (in [0, n)) of the cache's dataset, as a tuple of the call's row type.
Datum cached_row(RowCallCache* cache, std::int64_t id);

}  // namespace synth::pg
