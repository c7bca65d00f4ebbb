// libFuzzer target: any options the validator accepts give rows that keep
// every promise — exact quotas, ranges, text/feature agreement, and a slice
// equal to the same rows of the whole.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "engine/model/error.hpp"
#include "engine/generate/row_sampler.hpp"

namespace {

struct Input {
  const std::uint8_t* data;
  std::size_t size;
  template <typename T>
  T take() {
    T value{};
    std::size_t n = size < sizeof(T) ? size : sizeof(T);
    std::memcpy(&value, data, n);
    data += n;
    size -= n;
    return value;
  }
};

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in{data, size};
  synth::GeneratorOptions options;
  options.n = in.take<std::uint16_t>() % 3000;
  options.seed = in.take<std::uint64_t>();
  for (auto& w : options.domain_weights) w = in.take<std::uint8_t>() % 4;
  const std::uint8_t tier_pick = in.take<std::uint8_t>();
  options.tier_shares = {(tier_pick % 5) / 10.0, 0, 0};
  options.tier_shares[1] = (tier_pick / 5 % 5) / 10.0;
  options.tier_shares[2] = 1.0 - options.tier_shares[0] - options.tier_shares[1];
  options.label_noise = in.take<std::uint8_t>() / 255.0;
  const std::int64_t slice_start = options.n ? in.take<std::uint16_t>() % (options.n + 1) : 0;

  try {
    synth::RowSampler sampler(options);
    std::uint64_t domain_counts[synth::kDomainCount] = {};
    std::uint64_t tier_counts[synth::kTierCount] = {};
    synth::GeneratedRow whole;
    synth::GeneratedRow alone;
    for (std::int64_t id = 0; id < options.n; ++id) {
      sampler.sample(id, whole);
      ++domain_counts[whole.domain];
      ++tier_counts[whole.tier];
      const synth::DomainSpec& d = synth::kDomains[whole.domain];
      require(options.domain_weights[whole.domain] > 0);
      for (std::size_t f = 0; f < synth::kFeatureCount; ++f) {
        require(std::isfinite(whole.features[f]));
        require(whole.features[f] >= d.feature_ranges[f].low &&
                whole.features[f] <= d.feature_ranges[f].high);
      }
      require(synth::kTierBands[whole.tier].contains(whole.score));
      require(whole.features[1] == whole.prompts.enhanced_length);
      if (id >= slice_start && id < slice_start + 3) {
        sampler.sample(id, alone);
        require(std::memcmp(&alone.features, &whole.features, sizeof whole.features) == 0);
        require(alone.score == whole.score);
        require(alone.prompts.enhanced_text() == whole.prompts.enhanced_text());
      }
    }
    for (std::size_t k = 0; k < synth::kDomainCount; ++k)
      require(domain_counts[k] == sampler.domain_count(k));
    for (std::size_t k = 0; k < synth::kTierCount; ++k) require(tier_counts[k] == sampler.tier_count(k));
  } catch (const synth::Error&) {
    // Rejected options (e.g. all-zero weights) are fine; anything else escapes and crashes.
  }
  return 0;
}
