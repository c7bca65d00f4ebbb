// What the profile's reader and its checks share: the one error a bad
// profile raises, naming the key at fault.
#pragma once

#include <string>

namespace synth {

// Throws synth::Error (22023): "invalid profile: <where> <what>".
[[noreturn]] void invalid_profile(const std::string& where, const std::string& what);

}  // namespace synth
