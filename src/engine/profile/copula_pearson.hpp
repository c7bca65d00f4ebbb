// The copula's correlation from the rows' own (Pearson) correlation.
//
// A Gaussian copula draws a row as z ~ N(0, R) and sets each column to
// f(z) = its marginal's quantile at Phi(z) (rounded to the column's grid). The
// Pearson correlation of two such columns is not R's entry: a column with a
// large point mass or a handful of values (a step function of z), or a skewed
// one, moves less linearly with z, so the drawn correlation falls short of the
// rows' (boston's rad and tax: 0.91 in the rows, 0.48 drawn from the normal
// scores' correlation). The remedy is NORTA's (Cario and Nelson 1997): find
// the latent rho whose drawn correlation is the rows'.
//
// With f written in normalised Hermite polynomials, f(z) = sum a_k h_k(z),
// the drawn correlation of two columns is sum_k a_k b_k rho^k (Mehler's
// formula), a polynomial in rho solved by bisection. The column is taken as
// a step function on a grid of kHermiteGrid probabilities (its values at their
// midpoints), whose coefficients are exact sums over its steps; the series is
// cut after kHermiteTerms terms, and what it leaves out is added as a share of
// its value at rho = +1 and -1 (the correlation of f1 and f2 at equal and at
// mirrored probabilities, which are exact), so the whole attainable range is
// kept: toward +1 the share a pair of steps' series has (copula_pearson.cpp,
// tail_shape), toward -1 |rho|^(K+1). Against 400,000 Monte Carlo draws the
// curve is within 0.004 from rho -0.9 to 0.997 on flags, point masses,
// ratings and log-normal columns (test_copula_pearson.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

inline constexpr std::size_t kHermiteTerms = 100;
inline constexpr std::size_t kHermiteGrid = 2048;

// One column's drawn values at the grid's probabilities, standardised, and
// their Hermite coefficients a_1 .. a_K; usable is false for a column that
// draws (nearly) one value, whose correlation is left as it is.
struct PearsonShape {
  bool usable = false;
  std::array<double, kHermiteTerms + 1> a{};  // a[0] is 0 (standardised)
  std::vector<double> values;                 // kHermiteGrid standardised values, ascending
};

// The share of each end at which the rows and the drawn columns are both
// clipped before their Pearson correlations are compared: one extreme row
// (a typo of 1e6 among values near 1) would otherwise decide the rows'
// correlation, and the copula would be bent to follow that one row.
inline constexpr double kPearsonClip = 0.005;

// The range a column's values are clipped to before its correlation is
// taken: its marginal's quantiles at kPearsonClip and 1 - kPearsonClip, or
// its whole range where that would leave one value and the rest holds at
// least kAtomMinRows of the `rows` (a flag of fewer than 0.5% ones, whose
// rare value is the column's information, not a typo: its Pearson
// correlation of 0.14 with a column it follows was drawn at 0.015). A
// value fewer rows hold (one odd row) is clipped away as before.
inline std::pair<double, double> pearson_clip(const Marginal& m, double rows) {
  const double low = m.quantile(kPearsonClip), high = m.quantile(1.0 - kPearsonClip);
  if (low < high) return {low, high};
  const double rest = 1.0 - (m.upper_probability(low) - m.lower_probability(low));
  if (rest * rows >= static_cast<double>(kAtomMinRows)) return {m.min(), m.max()};
  return {low, high};
}

// The grid the sampler rounds scores to (four decimals).
inline constexpr int kScoreGridDecimals = 4;

// Undoing ties (the latent whose drawn normal-score correlation is a given
// one) multiplies a correlation by at most kMaxUntie (a flag of 5% against a
// continuous column needs about 2.1; two 1% flags would multiply their
// noise by about 14) and gives no latent beyond +-kMaxTiedLatent.
inline constexpr double kMaxUntie = 2.5;
inline constexpr double kMaxTiedLatent = 0.995;

// The latent a pair's ties are undone to: `solved` (the latent whose drawn
// normal-score correlation is `figure`) within the limits above, or the
// figure itself where no latent reaches it (solved at +-1).
inline double untied_latent(double solved, double figure) {
  if (!(std::fabs(solved) < 1.0)) return figure;
  const double most = std::min(kMaxTiedLatent, kMaxUntie * std::fabs(figure));
  return std::clamp(solved, -most, most);
}

// grid_decimals: the grid the sampler rounds the column to (0: integers), or
// -1 for none. rows: the rows the marginal was fitted on. The column is
// clipped as above.
PearsonShape pearson_shape(const Marginal& marginal, int grid_decimals, double rows);

// The same for the column's normal scores (the drawn value's Phi^-1 of the
// middle of the probabilities that draw it, ties sharing one), unclipped:
// drawn_pearson of two rank shapes is the normal-score correlation the rows
// drawn at rho have, the rank statistic the copula is fitted from.
PearsonShape rank_shape(const Marginal& marginal, int grid_decimals);

// The Pearson correlation of the two columns drawn at latent rho.
double drawn_pearson(const PearsonShape& a, const PearsonShape& b, double rho);

// The latent rhos in [-1, 1] whose drawn correlations are `targets`, all
// solved on one curve of the pair; the nearer end for a target beyond what
// the two marginals can reach, 0 for a target that is not a number.
std::vector<double> latents_for_pearson(const PearsonShape& a, const PearsonShape& b,
                                        const std::vector<double>& targets);

// The pair's latent correlation moved just far enough that the drawn
// correlation comes within `band` of `target`; `latent` itself when it
// already does.
double matched_latent(const PearsonShape& a, const PearsonShape& b, double latent, double target,
                      double band);

}  // namespace synth
