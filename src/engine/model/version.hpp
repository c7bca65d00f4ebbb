// Versions a row's metadata carries. GENERATOR_VERSION changes whenever the
// rows for a given (seed, n, options) change, so a stored row says which
// generator can regenerate it.
#pragma once

namespace synth {
inline constexpr const char* kExtensionVersion = "1.3";
inline constexpr int kGeneratorVersion = 12;
}  // namespace synth
