#include "pg/jsonb_text.hpp"

#include "engine/model/error.hpp"
#include "pg/bridge.hpp"

namespace synth::pg {

Datum jsonb_from_json_text(const std::string& json) {
  const char* text = json.c_str();
  return pg_guard([text] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
}

TextArray text_array_argument(FunctionCallInfo fcinfo, int arg) {
  struct Read {  // palloc'd: no C++ object lives across the backend calls
    int count;
    int nulls;
    char** texts;
  };
  const Read read = pg_guard([fcinfo, arg] {
    Read out{0, 0, nullptr};
    Datum* elements = nullptr;
    bool* nulls = nullptr;
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(arg), TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls,
                      &out.count);
    out.texts = static_cast<char**>(palloc0(sizeof(char*) * Max(out.count, 1)));
    for (int i = 0; i < out.count; ++i) {
      if (nulls[i])
        ++out.nulls;
      else
        out.texts[i] = TextDatumGetCString(elements[i]);
    }
    return out;
  });
  TextArray out;
  out.nulls = read.nulls;
  for (int i = 0; i < read.count; ++i)
    if (read.texts[i] != nullptr) out.values.emplace_back(read.texts[i]);
  return out;
}

ReturnSetInfo* page_result_context(FunctionCallInfo fcinfo, const char* function_name) {
  auto* result_info = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  if (result_info == nullptr || !IsA(result_info, ReturnSetInfo) ||
      (result_info->allowedModes & SFRM_Materialize) == 0)
    throw Error(sqlstate::kFeatureNotSupported,
                std::string(function_name) + " called in a context that cannot accept a set");
  return result_info;
}

bool database_is_utf8() {
  return pg_guard([] { return static_cast<bool>(GetDatabaseEncoding() == PG_UTF8); });
}

void return_page_lines(ReturnSetInfo* result_info, const std::vector<std::string>& lines,
                       const char* column) {
  const std::string* const first = lines.data();
  const std::size_t count = lines.size();
  pg_guard([result_info, first, count, column] {
    MemoryContext previous = MemoryContextSwitchTo(result_info->econtext->ecxt_per_query_memory);
    TupleDesc desc = CreateTemplateTupleDesc(1);
    TupleDescInitEntry(desc, 1, column, TEXTOID, -1, 0);
    Tuplestorestate* store =
        tuplestore_begin_heap((result_info->allowedModes & SFRM_Materialize_Random) != 0, false, work_mem);
    result_info->returnMode = SFRM_Materialize;
    result_info->setResult = store;
    result_info->setDesc = desc;
    MemoryContextSwitchTo(previous);
    for (std::size_t i = 0; i < count; ++i) {
      Datum value = text_datum(first[i]);
      bool is_null = false;
      tuplestore_putvalues(store, desc, &value, &is_null);
      pfree(DatumGetPointer(value));
    }
  });
}

}  // namespace synth::pg
