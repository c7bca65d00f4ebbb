// Times ProfileFitter::fit over the design table's rows (default 1,000,000),
// the engine's share of synth_fit: `fit_timing [rows] [repeats]` prints the
// seconds of each fit and the profile's hash.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/generate/row_sampler.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  synth::GeneratorOptions options;
  options.n = n;
  options.seed = 1;
  synth::RowSampler sampler(options);
  synth::ProfileFitter fitter;
  synth::GeneratedRow row;
  for (std::int64_t i = 0; i < n; ++i) {
    sampler.sample(i, row);
    fitter.add(synth::kDomains[row.domain].name, row.features.data(), row.features.size(), row.score);
  }
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const synth::Profile p = fitter.fit({});
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf("fit of %lld rows, %zu features: %.3f s (%.3f s CPU), profile %s\n",
                static_cast<long long>(n), p.dimension(), took.count(), cpu, synth::profile_hash(p).c_str());
  }
  return 0;
}
