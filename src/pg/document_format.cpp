#include "pg/document_format.hpp"

#include <cstring>
#include <string>
#include <string_view>

#include "engine/model/error.hpp"
#include "pg/bridge.hpp"
#include "pg/row_source.hpp"

namespace synth::pg {
namespace {

constexpr const char* kDocumentFormatChoices = "Write 'jsonb' (the default), 'json' or 'none'.";

// 1.2's names: 'jsonb' fills enhancement_jsonb, 'json' enhancement_json,
// 'none' neither. Anything else, NULL included, is an error naming the choices.
int read_document_format_name(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg))
    throw Error(sqlstate::kNullValueNotAllowed, "document_format must not be NULL", {},
                kDocumentFormatChoices);
  constexpr int kShownBytes = 40;
  int shown_length = 0;
  const char* given = pg_guard([&] {
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
  throw_invalid_parameter("document_format must be 'jsonb', 'json' or 'none', got '" + shown + "'", {},
                          renamed != nullptr
                              ? std::string("document_format is a name since synthdata 1.2: write '") +
                                    renamed + "' where 1.1 took " + shown + "."
                              : std::string(kDocumentFormatChoices));
}

}  // namespace

bool document_format_named(FunctionCallInfo fcinfo, int arg) {
  Oid type = get_fn_expr_argtype(fcinfo->flinfo, arg);
  if (!OidIsValid(type))
    type = pg_guard([&] {
      Oid* declared = nullptr;
      int count = 0;
      (void)get_func_signature(fcinfo->flinfo->fn_oid, &declared, &count);
      return arg < count ? declared[arg] : InvalidOid;
    });
  return type != INT4OID;
}

int read_document_format(FunctionCallInfo fcinfo, int arg) {
  if (document_format_named(fcinfo, arg)) return read_document_format_name(fcinfo, arg);
  // 1.1's declaration: 1 jsonb, 2 json, 0 (or NULL) none.
  const int format = PG_ARGISNULL(arg) ? kNoDocument : PG_GETARG_INT32(arg);
  if (format < kNoDocument || format > kJsonDocument)
    throw_invalid_parameter("document_format must be 0, 1 or 2, got " + std::to_string(format));
  return format;
}

}  // namespace synth::pg
