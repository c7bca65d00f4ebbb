// A 128-bit name for a text (32 hex digits): profiles and the rows a
// profile was fitted on are named by it.
#pragma once

#include <string>
#include <string_view>

namespace synth {

std::string content_hash(std::string_view text);

}  // namespace synth
