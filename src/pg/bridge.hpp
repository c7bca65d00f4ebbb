// The wall between C++ and PostgreSQL error handling.
//
// Two rules, each enforced in one place:
//  1. A C++ exception never unwinds into PostgreSQL: SYNTH_FUNCTION wraps every
//     SQL-callable body in call_guarded(), which catches everything, copies the
//     error into plain data, and calls ereport() only after the catch block ends.
//  2. A PostgreSQL ERROR (ereport, CHECK_FOR_INTERRUPTS) never longjmps over a
//     C++ frame that owns resources: backend calls made while such frames are
//     alive go through pg_guard(), which turns the ERROR into a PgError
//     exception keeping its SQLSTATE, so destructors run on the way out.
#pragma once

#include <type_traits>
#include <utility>

#include "pg/postgres.hpp"

namespace synth::pg {

// A PostgreSQL error caught by pg_guard, carried across C++ frames.
class PgError {
 public:
  explicit PgError(ErrorData* data) : data_(data) {}
  ErrorData* data() const noexcept { return data_; }

 private:
  ErrorData* data_;  // palloc'd in the memory context current at the guard
};

// How many pg_guard calls are active (a backend runs one thread).
inline int& pg_guard_depth() {
  static int depth = 0;
  return depth;
}

// Runs a backend call; a PostgreSQL ERROR inside it becomes a PgError.
// The callable must itself hold no C++ objects with destructors, and must not
// throw: a C++ exception leaving a PG_TRY block would skip PG_END_TRY and
// leave PostgreSQL's error stack pointing at a dead frame. For the same
// reason a guard inside a guard does not open a second PG_TRY: it runs its
// callable directly, and the outermost guard catches the ERROR.
template <typename Callable>
auto pg_guard(Callable&& call) -> decltype(call()) {
  using Result = decltype(call());
  if (pg_guard_depth() > 0) return call();
  if constexpr (std::is_void_v<Result>) {
    // One PG_TRY below serves both: a void call returns a value nobody reads.
    pg_guard([&call] {
      call();
      return true;
    });
  } else {
    static_assert(std::is_trivially_copyable_v<Result>,
                  "pg_guard returns only plain data across the longjmp boundary");
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* volatile caught = nullptr;
    Result volatile_safe{};
    Result* volatile out = &volatile_safe;
    pg_guard_depth() = 1;
    PG_TRY();
    { *out = call(); }
    PG_CATCH();
    {
      pg_guard_depth() = 0;
      MemoryContextSwitchTo(caller_context);
      caught = CopyErrorData();
      FlushErrorState();
    }
    PG_END_TRY();
    pg_guard_depth() = 0;
    if (caught != nullptr) throw PgError(caught);
    return volatile_safe;
  }
}

// Calls a C++ function body, mapping any exception to a PostgreSQL ERROR.
Datum call_guarded(Datum (*body)(FunctionCallInfo), FunctionCallInfo fcinfo);

// The engine's interrupt check (synth::set_interrupt_check, installed by
// _PG_init): true when a cancel, a statement timeout or a terminate request
// is pending and may be served now. The engine then throws
// synth::Interrupted; call_guarded catches it once the C++ frames are gone
// and lets CHECK_FOR_INTERRUPTS() raise the server's own error (57014, or
// the terminate). Other pending interrupts, which raise no error, are
// served on the spot.
bool engine_interrupt_pending();

}  // namespace synth::pg

// Declares a SQL-callable function whose body runs under call_guarded:
//   SYNTH_FUNCTION(synth_version) { ... return JsonbPGetDatum(...); }
#define SYNTH_FUNCTION(name)                                                                       \
  static Datum name##_body([[maybe_unused]] PG_FUNCTION_ARGS);                                     \
  extern "C" {                                                                                     \
  PG_FUNCTION_INFO_V1(name);                                                                       \
  }                                                                                                \
  extern "C" Datum name(PG_FUNCTION_ARGS) { return synth::pg::call_guarded(name##_body, fcinfo); } \
  static Datum name##_body([[maybe_unused]] PG_FUNCTION_ARGS)
