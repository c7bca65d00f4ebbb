// Prints generated rows as CSV, straight from the engine (no database):
//   dump_rows N SEED [LABEL_NOISE]
// Used by bench/ and by hand when tuning the feature shapes.
#include <cstdio>
#include <cstdlib>

#include "engine/generate/row_sampler.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s N SEED [LABEL_NOISE]\n", argv[0]);
    return 2;
  }
  synth::GeneratorOptions options;
  options.n = std::atoll(argv[1]);
  options.seed = std::strtoull(argv[2], nullptr, 10);
  if (argc > 3) options.label_noise = std::atof(argv[3]);
  synth::RowSampler sampler(options);
  std::printf(
      "sample_id,domain,tier,clarity,length,specificity,complexity,context_richness,"
      "actionability,score,original,enhanced\n");
  synth::GeneratedRow row;
  for (std::int64_t i = 0; i < options.n; ++i) {
    sampler.sample(i, row);
    std::printf("%lld,%s,%s", static_cast<long long>(i), synth::kDomains[row.domain].name.data(),
                synth::kTierNames[row.tier].data());
    for (double f : row.features) std::printf(",%.17g", f);
    std::printf(",%.17g,\"%.*s\",\"%.*s\"\n", row.score, row.prompts.original_length, row.prompts.original,
                row.prompts.enhanced_length, row.prompts.enhanced);
  }
  return 0;
}
