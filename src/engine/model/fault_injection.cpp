#include "engine/model/fault_injection.hpp"

#include <new>
#include <stdexcept>
#include <string>

#include "engine/model/error.hpp"

namespace synth::testing {
namespace {

struct NotAStdException {
  int code;
};

[[noreturn]] void innermost(std::string_view kind) {
  if (kind == "bad_alloc") throw std::bad_alloc();
  if (kind == "invalid_argument") throw std::invalid_argument("engine rejected an argument");
  if (kind == "length_error") throw std::length_error("engine container grew too long");
  if (kind == "range_error") throw std::range_error("engine value out of range");
  if (kind == "synth_error")
    throw Error(sqlstate::kProgramLimitExceeded, "engine limit exceeded",
                "The engine raised its own error type.", "This is a test-only path.");
  if (kind == "non_std") throw NotAStdException{42};
  throw_invalid_parameter("unknown fault kind \"" + std::string(kind) + "\"", {},
                          "Use bad_alloc, invalid_argument, length_error, range_error, "
                          "synth_error or non_std.");
}

// Two extra frames that own memory, so unwinding has real work to do.
[[noreturn]] void middle(std::string_view kind) {
  std::string owned(256, 'x');
  innermost(kind);
}

}  // namespace

void throw_from_engine(std::string_view kind) {
  std::string owned(kind);
  middle(owned);
}

}  // namespace synth::testing
