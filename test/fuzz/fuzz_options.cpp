// libFuzzer target: argument validation accepts or rejects any doubles with a
// synth::Error, never another exception, and never accepts a bad value.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "engine/model/error.hpp"
#include "engine/generate/generator_options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  double values[8] = {};
  std::memcpy(values, data, size < sizeof values ? size : sizeof values);
  std::string_view names(reinterpret_cast<const char*>(data), size);

  try {
    synth::validate_tier_shares({values[0], values[1], values[2]});
    for (int i = 0; i < 3; ++i)
      if (!(std::isfinite(values[i]) && values[i] >= 0)) std::abort();
  } catch (const synth::Error&) {
  }
  try {
    synth::validate_label_noise(values[3]);
    if (!(values[3] >= 0 && values[3] <= 1)) std::abort();
  } catch (const synth::Error&) {
  }
  try {
    synth::DomainWeightsBuilder builder;
    builder.set(names.substr(0, size / 2), values[4]);
    builder.set(names.substr(size / 2), values[5]);
    auto weights = builder.finish();
    double sum = 0;
    for (double w : weights) {
      if (!(std::isfinite(w) && w >= 0)) std::abort();
      sum += w;
    }
    if (!(sum > 0)) std::abort();
  } catch (const synth::Error&) {
  }
  try {
    const std::int64_t n = size > 2 ? data[2] : 0;
    const std::int64_t start = size > 0 ? static_cast<std::int64_t>(data[0]) - 3 : 0;
    const std::int64_t rows = size > 1 ? static_cast<std::int64_t>(data[1]) - 5 : -1;
    auto slice = synth::resolve_slice(n, start, rows);
    if (slice.start < 0 || slice.count < 0 || slice.start + slice.count > n) std::abort();
  } catch (const synth::Error&) {
  }
  return 0;
}
