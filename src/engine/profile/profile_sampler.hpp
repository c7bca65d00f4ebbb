// One row from (seed, n, options, profile, sample_id): the fitted counterpart
// of RowSampler. Exact strata first: every row's (domain, score band) cell
// comes from a keyed permutation of its index into cells whose counts are
// fixed by largest remainder, so domain counts and band counts are exact for
// every n. Then the score is drawn from the domain's score marginal restricted
// to the band (a truncated normal in copula space), and the features from the
// Gaussian copula conditioned on it, each mapped through its own marginal.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/generate/keyed_permutation.hpp"
#include "engine/model/row_sampler_shape.hpp"
#include "engine/generate/prompt_composer.hpp"
#include "engine/profile/normal.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

// A domain of at most this many rows is drawn in Latin hypercube strata
// (profile_sampler.cpp, the constructor); a larger one independently.
inline constexpr std::uint64_t kStratifiedDomainRows = 65536;

struct ProfileOptions {
  std::int64_t n = 0;
  std::uint64_t seed = 0;
  // Empty: the profile's domain shares. Otherwise one weight per profile
  // domain (in the profile's order), as domain_weights gives them.
  std::vector<double> domain_weights;
};

// Weights by domain name -> one weight per profile domain (unnamed domains 0).
// Throws synth::Error (22023) for a name the profile does not hold, a
// negative or non-finite weight, or weights that sum to 0.
std::vector<double> profile_domain_weights(const Profile& profile,
                                           const std::vector<std::pair<std::string, double>>& weights);

struct FittedRow {
  std::int64_t sample_id;
  std::uint32_t domain;  // index into Profile::domains
  std::uint32_t band;    // index into kBandNames
  std::uint32_t dimension;
  std::array<double, kMaxProfileFeatures> features;
  double score;
  PromptPair prompts;
};
static_assert(std::is_trivially_destructible_v<FittedRow>);

class ProfileSampler {
 public:
  using Row = FittedRow;

  // Validates the profile and the options (throws synth::Error).
  ProfileSampler(Profile profile, ProfileOptions options);

  const Profile& profile() const { return profile_; }
  const ProfileOptions& options() const { return options_; }
  std::int64_t n() const { return options_.n; }
  std::uint64_t domain_count(std::size_t domain) const;
  std::uint64_t band_count(std::size_t band) const;
  std::uint64_t cell_count(std::size_t domain, std::size_t band) const {
    return cells_[domain * kBandCount + band];
  }
  // The features that describe the text, or -1.
  int length_feature() const { return length_feature_; }
  int complexity_feature() const { return complexity_feature_; }

  // sample_id must lie in [0, n). Never throws.
  void sample(std::int64_t sample_id, FittedRow& out) const noexcept;

 private:
  void prepare_strata();  // noise_strata_, score_strata_, domain_starts_, stratified_ (after cells_)

  struct Segment {
    double low;
    double high;
  };
  // A feature's marginal as sample() reads it: its knots at knots_[offset ..
  // offset + segments], its bounds, and how it is rounded.
  struct FeatureDraw {
    std::uint32_t offset;
    std::uint32_t segments;  // knots - 1
    std::uint32_t tails;     // Marginal::tails
    double min;
    double max;
    double scale;        // 10^decimals of a grid; 1 for integer features (round_to_scale then
                         // skips the division); 0: six significant digits of each value
    int least_decimals;  // with scale 0: decimals every value keeps at least
    bool jumps;          // a segment runs between two point masses (see marginal_quantile)
  };
  struct DomainDraw {
    std::vector<double> score_loading;                          // R[f][score]: mean of z_f given z_score = 1
    std::vector<double> residual;                               // Cholesky factor of R_ff - r r^T, d x d
    std::vector<FeatureDraw> features;                          // the domain's own marginals
    std::array<std::array<Segment, 2>, kBandCount> segments{};  // u-intervals of each band
    std::array<std::size_t, kBandCount> segment_count{};
    std::array<double, kBandCount> band_mass{};
    std::size_t parts;  // prompt vocabulary
  };

  Profile profile_;
  ProfileOptions options_;
  KeyedPermutation cell_order_;
  std::vector<std::uint64_t> cells_;      // counts, domain-major
  std::vector<std::uint64_t> cell_ends_;  // running sums of cells_
  std::vector<DomainDraw> draws_;
  DomainDraw pooled_draw_;
  std::vector<double> knots_;             // every domain's feature knots, end to end
  std::vector<std::uint8_t> knot_exact_;  // per knot: drawn exactly (profile_sampler.cpp)
  const NormalCdfSpline* cdf_;            // Phi, shared by every sampler
  const double* pow10_;                   // pow10_[k] = 10^k for k in [-330, 340] (profile_sampler.cpp)
  std::uint64_t row_key_;
  // Latin hypercube strata (profile_sampler.cpp, sample): per domain, one
  // permutation of its rows for each noise term, domain-major; per cell, one
  // for the score.
  std::vector<KeyedPermutation> noise_strata_;
  std::vector<KeyedPermutation> score_strata_;
  std::vector<std::uint64_t> domain_starts_;  // the first position of each domain
  std::vector<std::uint8_t> stratified_;      // per domain: at most kStratifiedDomainRows rows
  int length_feature_ = -1;
  int complexity_feature_ = -1;
};

static_assert(IsRowSampler<ProfileSampler>::value);

}  // namespace synth
