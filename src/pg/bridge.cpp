#include "pg/bridge.hpp"

#include <climits>
#include <cstring>
#include <new>
#include <stdexcept>

#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"

namespace synth::pg {
namespace {

// What we know about an error once the exception object is gone: plain data
// only, so the ereport() below can longjmp without skipping a destructor.
struct PendingError {
  ErrorData* backend_error = nullptr;  // set when a PgError crossed C++ frames
  int sqlerrcode = 0;
  // Left uninitialised: set() writes all three before raise() reads them, and
  // zeroing 2.5 KB per call was 8% of a streaming (value-per-call) scan.
  char message[1024];
  char detail[1024];
  char hint[512];

  void set(int code, const char* msg, const char* det = "", const char* hnt = "") {
    sqlerrcode = code;
    copy_clipped(message, sizeof(message), msg);
    copy_clipped(detail, sizeof(detail), det);
    copy_clipped(hint, sizeof(hint), hnt);
  }

  // At most size - 1 bytes of text, cut at a character boundary of the server
  // encoding: half a character would make the whole message invalid text, so
  // a client in another encoding would get a conversion error instead of
  // this one. (pg_mbcliplen only reads the string; it raises no ERROR.)
  static void copy_clipped(char* out, std::size_t size, const char* text) {
    const std::size_t length = std::strlen(text);
    int cut = static_cast<int>(Min(length, size - 1));
    if (length > size - 1) {
      cut = pg_mbcliplen(text, static_cast<int>(Min(length, static_cast<std::size_t>(INT_MAX))),
                         static_cast<int>(size - 1));
      // SQL_ASCII knows no characters; the engine writes UTF-8, so do not split one.
      if (GetDatabaseEncoding() == PG_SQL_ASCII)
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    }
    std::memcpy(out, text, static_cast<std::size_t>(cut));
    out[cut] = '\0';
  }
};

int sqlstate_code(const char* sqlstate) {
  if (sqlstate == nullptr || std::strlen(sqlstate) != 5) return ERRCODE_INTERNAL_ERROR;
  return MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2], sqlstate[3], sqlstate[4]);
}

[[noreturn]] void raise(const PendingError& pending) {
  if (pending.backend_error != nullptr) ReThrowError(pending.backend_error);
  ereport(ERROR, (errcode(pending.sqlerrcode), errmsg("%s", pending.message),
                  pending.detail[0] ? errdetail("%s", pending.detail) : 0,
                  pending.hint[0] ? errhint("%s", pending.hint) : 0));
  pg_unreachable();
}

}  // namespace

bool engine_interrupt_pending() {
  if (!INTERRUPTS_PENDING_CONDITION() || !INTERRUPTS_CAN_BE_PROCESSED()) return false;
  if (QueryCancelPending || ProcDiePending) return true;
  pg_guard([] { CHECK_FOR_INTERRUPTS(); });
  return false;
}

Datum call_guarded(Datum (*body)(FunctionCallInfo), FunctionCallInfo fcinfo) {
  PendingError pending;
  bool interrupted = false;
  try {
    return body(fcinfo);
  } catch (const synth::Interrupted&) {
    interrupted = true;
  } catch (const PgError& e) {
    pending.backend_error = e.data();
  } catch (const synth::Error& e) {
    pending.set(sqlstate_code(e.sqlstate()), e.what(), e.detail().c_str(), e.hint().c_str());
  } catch (const std::bad_alloc&) {
    pending.set(ERRCODE_OUT_OF_MEMORY, "out of memory in synthdata");
  } catch (const std::invalid_argument& e) {
    pending.set(ERRCODE_INVALID_PARAMETER_VALUE, e.what());
  } catch (const std::length_error& e) {
    pending.set(ERRCODE_PROGRAM_LIMIT_EXCEEDED, e.what());
  } catch (const std::range_error& e) {
    pending.set(ERRCODE_DATA_EXCEPTION, e.what());
  } catch (const std::out_of_range& e) {
    pending.set(ERRCODE_DATA_EXCEPTION, e.what());
  } catch (const std::exception& e) {
    pending.set(ERRCODE_INTERNAL_ERROR, "unexpected C++ exception in synthdata", e.what());
  } catch (...) {
    pending.set(ERRCODE_INTERNAL_ERROR, "unexpected non-standard C++ exception in synthdata");
  }
  // Outside every catch block: the exception object is already destroyed.
  if (interrupted) {
    // The request that stopped the engine is still pending: the server
    // raises its own error for it (cancel, statement timeout, terminate).
    CHECK_FOR_INTERRUPTS();
    ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement due to user request")));
  }
  raise(pending);
}

}  // namespace synth::pg
