// Pinned profiles: fits of varied data sets (ties, point masses, several
// domains, small domains, extreme magnitudes, -0.0) must keep their bytes, so
// that a faster fit cannot change a profile unnoticed. The hashes were
// computed by the fit as it stood before its speed-ups; a change that is meant
// to change profiles bumps kGeneratorVersion and the hashes with it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"

namespace synth {
namespace {

// splitmix64: the same numbers on every platform (unlike <random>'s distributions).
class Stream {
 public:
  explicit Stream(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double normal() {                                                           // Box-Muller
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  std::uint64_t state_;
};

// One value of feature f (of kinds cycling through continuous, skewed,
// integer, one-decimal grid, point mass plus noise, flag, extreme, tiny).
double feature_value(Stream& s, std::size_t f, std::uint32_t domain, double shared) {
  const double z = 0.6 * shared + 0.8 * s.normal() + 0.5 * domain;
  switch (f % 8) {
    case 0:
      return z;
    case 1:
      return std::exp(z);
    case 2:
      return std::round(3 + 2 * z);
    case 3:
      return std::round(z * 10) / 10;
    case 4:
      return s.uniform() < 0.4 ? 0.0 : (s.uniform() < 0.1 ? -0.0 : z * 7);
    case 5:
      return s.uniform() < 0.3 ? 1.0 : 0.0;
    case 6:
      return s.uniform() < 0.5 ? 0.0 : 1e300 * std::fabs(z);
    default:
      return 1e-310 * std::floor(std::fabs(z) * 50);
  }
}

std::string fitted_hash(std::size_t n, std::size_t d, std::uint32_t domains, std::uint64_t seed) {
  Stream s(seed);
  ProfileFitter fitter;
  std::vector<double> features(d);
  for (std::size_t i = 0; i < n; ++i) {
    // Domain sizes differ a lot: the last domain is rare (borrowed when small).
    std::uint32_t g = static_cast<std::uint32_t>(s.next() % (domains * 4));
    g = g < 4 * (domains - 1) ? g / 4 : domains - 1;
    if (g == domains - 1 && domains > 1 && s.uniform() < 0.9) g = 0;
    const double shared = s.normal();
    for (std::size_t f = 0; f < d; ++f) features[f] = feature_value(s, f, g, shared);
    const double score = std::round(1e4 / (1 + std::exp(-shared - 0.3 * s.normal()))) / 1e4;
    fitter.add("d" + std::to_string(g), features.data(), d, score);
  }
  return profile_hash(fitter.fit({}));
}

struct Case {
  std::size_t n, d;
  std::uint32_t domains;
  std::uint64_t seed;
  const char* hash;
};

TEST(FitPinned, ProfilesKeepTheirBytes) {
  const Case cases[] = {
      {10, 1, 1, 1, "343e600f3e9f39a2b0873dcb231dec71"},
      {37, 3, 2, 2, "67cb942378cc66193efbf43edae45c35"},
      {200, 8, 3, 3, "7e8fffc5285661cea648293142caf160"},
      {1000, 8, 1, 4, "14509567d55dbda1b5fbd5e3b4e48fba"},
      {5000, 5, 4, 5, "332e4dc9dd6354ad5834bcf515bf13d5"},
      {20000, 8, 5, 6, "c0c23cbe324a3bac93d8e701225452df"},
      {20000, 2, 2, 7, "592241c2bf74be52c787198f7fbf467a"},
      {60000, 9, 3, 8, "86719a99df20fdc813d42de73f54cae3"},
      {3000, 16, 6, 9, "c33e25956a18e113f98c2c7e8a7088bf"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(fitted_hash(c.n, c.d, c.domains, c.seed), c.hash)
        << "n=" << c.n << " d=" << c.d << " domains=" << c.domains << " seed=" << c.seed;
}

}  // namespace
}  // namespace synth
