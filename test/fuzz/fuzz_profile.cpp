// libFuzzer target: the profile parser accepts or rejects any text with a
// synth::Error, never another exception or a crash; whatever it accepts
// writes back canonically, parses again to the same bytes, and samples rows
// inside the observed bounds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/model/error.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_sampler.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  synth::Profile profile;
  try {
    profile = synth::parse_profile(text);
  } catch (const synth::Error&) {
    return 0;
  }
  const std::string canonical = synth::profile_json(profile);
  try {
    if (synth::profile_json(synth::parse_profile(canonical)) != canonical) std::abort();
  } catch (const synth::Error&) {
    std::abort();  // a profile that passed must read back
  }
  synth::ProfileOptions options;
  options.n = 16;
  synth::ProfileSampler sampler(profile, options);
  synth::FittedRow row;
  for (std::int64_t i = 0; i < options.n; ++i) {
    sampler.sample(i, row);
    if (!(row.score >= 0 && row.score <= 1)) std::abort();
    const synth::DomainProfile& d = profile.domains[row.domain];
    for (std::size_t f = 0; f < row.dimension; ++f)
      if (static_cast<int>(f) != sampler.length_feature() &&
          !(row.features[f] >= d.features[f].min() && row.features[f] <= d.features[f].max()))
        std::abort();
  }
  return 0;
}
