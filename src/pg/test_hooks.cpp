// Test-only entry points: they prove that both directions of the error wall
// hold. The extension does not install them; the regression test creates
// them from the module (sql/bridge.sql), so the module it tests is the one
// that ships. Without a superuser's CREATE FUNCTION ... LANGUAGE C no SQL
// reaches them.
#include <string>

#include "engine/model/fault_injection.hpp"
#include "pg/bridge.hpp"

namespace {

int guarded_cleanups = 0;  // CleanupProbe destructors run, on success and on ERROR alike

struct CleanupProbe {
  std::string owned = std::string(128, 'p');  // owns heap memory, like real engine objects
  ~CleanupProbe() { ++guarded_cleanups; }
};

}  // namespace

// Throws a C++ exception of the given kind from inside the engine.
SYNTH_FUNCTION(_synth_test_throw) {
  text* kind = PG_GETARG_TEXT_PP(0);
  std::string kind_str(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind));
  synth::testing::throw_from_engine(kind_str);
}

// Makes a backend call that raises an ERROR while a C++ object owning memory
// is alive; the guard must run its destructor and keep the SQLSTATE (22P02).
SYNTH_FUNCTION(_synth_test_backend_error) {
  CleanupProbe probe;
  text* input = PG_GETARG_TEXT_PP(0);
  char* cstr = text_to_cstring(input);
  int32 value = synth::pg::pg_guard(
      [cstr] { return DatumGetInt32(DirectFunctionCall1(int4in, CStringGetDatum(cstr))); });
  PG_RETURN_INT32(value + static_cast<int32>(probe.owned.size() - 128));
}

// How many guarded destructors have run in this backend.
SYNTH_FUNCTION(_synth_test_cleanup_count) { PG_RETURN_INT32(guarded_cleanups); }
