// A differentially private fit: a Profile in which every number comes from
// noised statistics of the rows, with respect to adding or removing one row.
// The mechanism (docs/privacy.md tells it for users):
//  1. Domains: each domain's row count plus discrete Gaussian noise. Public
//     domains (PrivacyRequest::public_domains) are all released; otherwise a
//     domain is released only when its noisy count passes the threshold of
//     accountant.hpp, and rows of unreleased domains are dropped. At most
//     kMaxProfileDomains with the largest noisy counts are kept.
//  2. Integer features: per feature the noisy count of rows holding a
//     non-integer value; a feature is integer when it is below 1% of rows.
//  3. Bounds: public ones as given (rounded outward to integers for integer
//     features); the others from a noisy histogram on a signed log2 grid of
//     all released rows: the outermost bins whose noisy count passes both
//     0.2% of the rows and a cut no empty bin passes but with chance 1%.
//     Values are clamped into the bounds, never dropped, never an error.
//  4. Frequent values: per column, values held by at least max(2, noisy
//     rows / 128) rows get a noisy count and are released (as atoms) when
//     it passes the threshold of accountant.hpp, so a value one row tipped
//     over is released with probability below delta / 4 (at most kMaxAtoms
//     a column).
//     Marginals: per released domain and column a noisy histogram: even bins
//     inside the bounds (the score on [0, 1] with the band edges as bin
//     edges) and one bin per atom; negative bins cut to 0; knots are its
//     quantiles, linear inside a bin, on the value inside an atom's, so the
//     first and last knots are grid points or atoms, never the observed
//     extremes. Band shares are the score histogram's mass per band. The
//     pooled marginals add the domains' noisy histograms.
//  5. Copula: per domain the Gram matrix of the rows' normal scores under
//     the released marginals, each row's score vector clipped to an L2 norm
//     of kCopulaClipNorm * sqrt(d + 1) and scaled to integers, plus discrete
//     Gaussian noise; the pooled within-domain copula adds them; each
//     domain's own is shrunk toward it by its noisy rows; made positive
//     definite by the fitter's blend toward the identity.
//  Small domains (noisy rows below kMinPrivateDomainRows) borrow the pooled
//  marginals and copula, as in the non-private fit.
//  The dimension: the names' count, else the bounds' count (both public).
//  With neither it is chosen privately (accountant.hpp's dimension part):
//  the rows of every dimension 1 .. kMaxProfileFeatures plus noise, the
//  largest noisy count; a few rows of another dimension never decide it.
//  Rows with a value that is not finite never reach the fit
//  (ProfileFitter::add keeps them out).
// Every loop polls the interrupt hook.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/privacy/random_source.hpp"

namespace synth {

struct PrivacyRequest {
  double epsilon = 0, delta = 1e-9;
  // Per feature (by index; size = the dimension, or empty): public bounds
  // [lo, hi]; nullopt => estimated privately.
  std::vector<std::optional<std::pair<double, double>>> feature_bounds;
  // Empty => domains released by a threshold on noisy counts.
  std::vector<std::string> public_domains;
  RandomSource* noise = nullptr;
  // The noise comes from a seeded (reproducible) source: whoever knows the
  // seed can subtract the noise, so the profile says so (kSeededMechanism).
  bool seeded = false;
};

// The profile's privacy.mechanism: fresh noise, or seeded noise.
inline constexpr const char* kMechanism = "discrete_gaussian";
inline constexpr const char* kSeededMechanism = "discrete_gaussian, seeded noise: not private";

// The checks of a request that depend on the arguments alone (never on the
// rows): throws synth::Error 22023 naming the SQL argument (epsilon, delta,
// bounds, domains): epsilon not a positive finite number, delta outside
// (0, kMaxPrivacyDelta] (accountant.hpp), bounds of another size than the dimension, non-finite or with
// lo >= hi, an empty or repeated public domain name, no noise source.
// Whether bounds hold any row, or a listed domain has any, is never checked:
// the answer would depend on the rows. A fit whose released (noisy) row
// count falls below kMinFitRows fails with 22000 instead, which is a
// function of the released counts only.
void check_privacy_request(const PrivacyRequest& request, std::size_t dimension);

// Clipping of the copula's per-row normal scores: each row's vector of d + 1
// normal scores is scaled down to an L2 norm of at most this times sqrt(d + 1).
inline constexpr double kCopulaClipNorm = 1.0;
// Below this many noisy rows a domain borrows the pooled shape.
inline constexpr double kMinPrivateDomainRows = 20;
// Grid bins of a feature's histogram inside its bounds, and of the score.
// (at most; halved down to kMinPrivateFeatureBins while a domain of the mean
// noisy size would hold fewer than 2 sigma of rows a bin; the score then
// takes 10 bins of 0.1)
inline constexpr std::size_t kPrivateFeatureBins = 32;
inline constexpr std::size_t kMinPrivateFeatureBins = 4;
inline constexpr std::size_t kPrivateScoreBins = 100;

}  // namespace synth
