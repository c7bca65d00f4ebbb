// A test-only path: throws the named kind of exception from a few frames deep
// in the engine, so the regression suite can prove every kind reaches SQL as a
// clean ERROR with the right SQLSTATE.
#pragma once

#include <string_view>

namespace synth::testing {

// Kinds: "bad_alloc", "invalid_argument", "length_error", "range_error",
// "synth_error", "non_std". Anything else throws synth::Error (22023).
[[noreturn]] void throw_from_engine(std::string_view kind);

}  // namespace synth::testing
