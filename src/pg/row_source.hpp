// What the SQL row functions (synth_generate, _synth_rows, _synth_row) ask of
// a row source, and the vocabulary they share. A source owns its sampler, its
// Datum buffers and its documents; the functions are templates over it, so a
// new kind of rows is a new source (a file like design_rows or fitted_rows)
// and one line in row_sources.hpp, not another copy of each function.
//
// A source S offers:
//   using Row = ...;  the sampler's row, trivially destructible
//   static S* open(FunctionCallInfo, const RowArgs&, MemoryContext memory);
//       reads and checks the call's arguments (throws synth::Error naming the
//       argument at fault) and makes the source in `memory`, freed with it
//   std::int64_t n() const;
//   void sample(std::int64_t id, Row&) const noexcept;
//   void fill(const Row&, Datum* values);  the seven synth_generate columns
//   void start_documents(int format, MemoryContext memory);  a DocumentFormat
//   struct varlena* json(const Row&);  the document as json, in a reused buffer
//   Jsonb* jsonb(const Row&);  the document as jsonb, new in CurrentMemoryContext
//   void name_dataset(DatasetDigest&) const;  what names the rows it makes
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include "engine/model/mixing.hpp"
#include "pg/bridge.hpp"
#include "pg/generator_args.hpp"
#include "pg/row_datums.hpp"

namespace synth::pg {

// Where a call's arguments are, as declared in the install script.
struct RowArgs {
  GeneratorArgPositions generator;
  int profile;  // -1: the function has none (1.0's _synth_rows, synth_generate before 1.1)
};

// Which document a row carries: 'jsonb' fills enhancement_jsonb, 'json'
// enhancement_json, 'none' neither (1.1 numbered them 1, 2 and 0).
enum DocumentFormat { kNoDocument = 0, kJsonbDocument = 1, kJsonDocument = 2 };

// Two independent 64-bit lanes over the words of what names a dataset.
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

// Moves `value` into `context`. A value that needs its destructor gets it
// from a reset callback, so an ERROR between calls (or the end of the query)
// frees what it holds on the C++ heap.
template <typename T>
T* make_in_context(MemoryContext context, T&& value) {
  void* memory = pg_guard([context] { return MemoryContextAlloc(context, sizeof(T)); });
  T* made = new (memory) T(std::move(value));
  if constexpr (!std::is_trivially_destructible_v<T>) {
    try {
      pg_guard([context, made] {
        auto* callback =
            static_cast<MemoryContextCallback*>(MemoryContextAlloc(context, sizeof(MemoryContextCallback)));
        callback->func = [](void* arg) { static_cast<T*>(arg)->~T(); };
        callback->arg = made;
        MemoryContextRegisterResetCallback(context, callback);
      });
    } catch (...) {
      made->~T();
      throw;
    }
  }
  return made;
}

// What every source holds: its sampler (IsRowSampler), the Datum buffers
// of its rows, and what its documents need. A source derives from it and
// says how it opens, and how it writes its documents.
template <typename Sampler, typename DocumentContext, typename JsonbBuilder>
struct SampledRows {
  using Row = typename Sampler::Row;

  Sampler sampler;
  RowDatumBuffers* buffers;
  DocumentContext document;
  JsonbBuilder* jsonb_builder = nullptr;  // with document format 'jsonb'
  char* json_buffer = nullptr;            // a varlena, with 'json'

  std::int64_t n() const { return sampler.n(); }
  void sample(std::int64_t id, Row& row) const noexcept { sampler.sample(id, row); }
  void fill(const Row& row, Datum* values) { buffers->fill(row, values); }
  Jsonb* jsonb(const Row& row) { return jsonb_builder->build(row); }
};

// The call's row type, blessed, in `context`.
inline TupleDesc blessed_result_type(FunctionCallInfo fcinfo, MemoryContext context) {
  return pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(context);
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "synthdata row functions must be declared to return a row type");
    tupdesc = BlessTupleDesc(tupdesc);
    MemoryContextSwitchTo(old);
    return tupdesc;
  });
}

}  // namespace synth::pg
