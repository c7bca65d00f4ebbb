#include "engine/profile/copula_pearson.hpp"

#include <algorithm>
#include <cmath>

#include "engine/model/interrupt.hpp"
#include "engine/profile/normal.hpp"

namespace synth {
namespace {

// The grid's inner edges e_j = Phi^-1(j / N), j = 1 .. N - 1, and at each the
// weights phi(e_j) h_{k-1}(e_j) / sqrt(k), k = 1 .. K, of the normalised
// Hermite polynomials (h_0 = 1, h_1 = z, h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k + 1)):
// a column drawn as a step at each edge, f = v_0 + sum_j (v_j - v_{j-1}) [z > e_j],
// has E[f h_k] = sum_j (v_j - v_{j-1}) phi(e_j) h_{k-1}(e_j) / sqrt(k) exactly,
// as the integral of h_k phi from e to infinity is h_{k-1}(e) phi(e) / sqrt(k).
// Exact coefficients keep the high terms right, which a step (a flag, a point
// mass) needs: its series converges slowly.
struct HermiteTable {
  std::vector<double> weight;  // weight[j * K + (k - 1)]
  HermiteTable() : weight(kHermiteGrid * kHermiteTerms, 0.0) {
    for (std::size_t j = 1; j < kHermiteGrid; ++j) {
      const double e = normal_quantile(static_cast<double>(j) / static_cast<double>(kHermiteGrid));
      const double density = std::exp(-0.5 * e * e) * 0.39894228040143267794;
      double previous = 0, h = 1;  // h_{-1}, h_0
      for (std::size_t k = 1; k <= kHermiteTerms; ++k) {
        weight[j * kHermiteTerms + (k - 1)] = density * h / std::sqrt(static_cast<double>(k));
        const double next =
            (e * h - std::sqrt(static_cast<double>(k - 1)) * previous) / std::sqrt(static_cast<double>(k));
        previous = h;
        h = next;
      }
    }
  }
};

const HermiteTable& table() {
  static const HermiteTable t;
  return t;
}

// The drawn correlation of one pair as a polynomial in rho: the series'
// products a_k b_k, and the coefficient of rho^(K+1) on each side that makes
// it exact at rho = -1 and +1 (the correlation at mirrored and at equal
// probabilities).
struct PairCurve {
  std::array<double, kHermiteTerms + 1> product{};
  double rest_below = 0, rest_above = 0;

  double series(double rho) const {
    double sum = 0, power = 1;
    for (std::size_t k = 1; k <= kHermiteTerms; ++k) {
      power *= rho;
      sum += product[k] * power;
    }
    return sum;
  }
  double at(double rho) const {
    rho = std::clamp(rho, -1.0, 1.0);
    if (rho < 0) return series(rho) + rest_below * std::pow(-rho, static_cast<double>(kHermiteTerms + 1));
    return series(rho) + rest_above * tail_shape(rho);
  }

  // How the rest of the series, sum over k > K of a_k b_k rho^k, grows
  // toward rho = 1, as a share of its value there. The products of a pair of
  // steps (a flag, a point mass) fall off as k^(-3/2), and
  // sum_{k > K} k^(-3/2) rho^k, as an integral from K + 1/2, is
  // proportional to e^(-y) - sqrt(pi y) erfc(sqrt(y)) with
  // y = (K + 1/2) (-ln rho), which is 1 at rho = 1. (rho^(K+1) in its place
  // put a shared point mass's drawn correlation 0.02 too high at rho 0.993.)
  static double tail_shape(double rho) {
    if (rho >= 1.0) return 1.0;
    if (!(rho > 0.0)) return 0.0;
    const double y = (static_cast<double>(kHermiteTerms) + 0.5) * -std::log(rho);
    return std::exp(-y) - std::sqrt(3.14159265358979323846 * y) * std::erfc(std::sqrt(y));
  }
};

PairCurve pair_curve(const PearsonShape& a, const PearsonShape& b) {
  PairCurve c;
  for (std::size_t k = 1; k <= kHermiteTerms; ++k) c.product[k] = a.a[k] * b.a[k];
  double equal = 0, mirrored = 0;
  for (std::size_t i = 0; i < kHermiteGrid; ++i) {
    equal += a.values[i] * b.values[i];
    mirrored += a.values[i] * b.values[kHermiteGrid - 1 - i];
  }
  c.rest_above = equal / static_cast<double>(kHermiteGrid) - c.series(1.0);
  c.rest_below = mirrored / static_cast<double>(kHermiteGrid) - c.series(-1.0);
  return c;
}

}  // namespace

namespace {

// The column's drawn values at the grid's probabilities (rounded to its grid).
std::vector<double> drawn_values(const Marginal& marginal, int grid_decimals) {
  std::vector<double> values(kHermiteGrid);
  const double scale = grid_decimals >= 0 ? std::pow(10.0, grid_decimals) : 0.0;
  for (std::size_t i = 0; i < kHermiteGrid; ++i) {
    double x = marginal.quantile((static_cast<double>(i) + 0.5) / static_cast<double>(kHermiteGrid));
    if (scale > 0 && std::isfinite(x * scale)) x = std::nearbyint(x * scale) / scale;
    values[i] = x;
  }
  return values;
}

// The shape of ascending values on the grid: standardised, with their
// Hermite coefficients.
PearsonShape shape_of(std::vector<double> values) {
  PearsonShape shape;
  const HermiteTable& t = table();
  shape.values = std::move(values);
  // Centre and scale in two passes, by the largest magnitude first, so that
  // columns near +-1e308 neither overflow nor lose their spread.
  double big = 0;
  for (double x : shape.values) big = std::max(big, std::fabs(x));
  if (!(big > 0) || !std::isfinite(big)) return shape;
  double mean = 0;
  for (double& x : shape.values) mean += (x /= big);
  mean /= static_cast<double>(kHermiteGrid);
  double var = 0;
  for (double& x : shape.values) {
    x -= mean;
    var += x * x;
  }
  var /= static_cast<double>(kHermiteGrid);
  // A column whose drawn values hardly vary (one value but for a few grid
  // points) has no correlation worth matching.
  if (!(var > 1e-18)) return shape;
  const double sd = std::sqrt(var);
  for (double& x : shape.values) x /= sd;
  for (std::size_t j = 1; j < kHermiteGrid; ++j) {
    const double jump = shape.values[j] - shape.values[j - 1];
    if (jump == 0) continue;
    const double* w = &t.weight[j * kHermiteTerms];
    for (std::size_t k = 1; k <= kHermiteTerms; ++k) shape.a[k] += jump * w[k - 1];
  }
  shape.usable = true;
  return shape;
}

}  // namespace

PearsonShape pearson_shape(const Marginal& marginal, int grid_decimals, double rows) {
  std::vector<double> values = drawn_values(marginal, grid_decimals);
  const auto [low, high] = pearson_clip(marginal, rows);
  for (double& x : values) x = std::clamp(x, low, high);
  return shape_of(std::move(values));
}

PearsonShape rank_shape(const Marginal& marginal, int grid_decimals) {
  std::vector<double> values = drawn_values(marginal, grid_decimals);
  // Each drawn value's normal score: Phi^-1 of the middle of the stretch of
  // probabilities that draws it, as the fit scores tied rows.
  std::vector<double> scores(kHermiteGrid);
  for (std::size_t i = 0; i < kHermiteGrid;) {
    std::size_t j = i;
    while (j + 1 < kHermiteGrid && values[j + 1] == values[i]) ++j;
    const double middle = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;
    const double score = normal_quantile(middle / static_cast<double>(kHermiteGrid));
    for (std::size_t k = i; k <= j; ++k) scores[k] = score;
    i = j + 1;
  }
  return shape_of(std::move(scores));
}

double drawn_pearson(const PearsonShape& a, const PearsonShape& b, double rho) {
  return pair_curve(a, b).at(rho);
}

namespace {

double solve(const PairCurve& curve, double target) {
  // The drawn correlation rises with rho for the marginals a copula meets;
  // bisection needs only that, and its ends are what is reachable.
  double lo = -1.0, hi = 1.0;
  if (target <= curve.at(lo)) return lo;
  if (target >= curve.at(hi)) return hi;
  for (int i = 0; i < 44; ++i) {
    const double mid = 0.5 * (lo + hi);
    (curve.at(mid) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

std::vector<double> latents_for_pearson(const PearsonShape& a, const PearsonShape& b,
                                        const std::vector<double>& targets) {
  const PairCurve curve = pair_curve(a, b);
  std::vector<double> out;
  out.reserve(targets.size());
  for (double target : targets) out.push_back(std::isfinite(target) ? solve(curve, target) : 0.0);
  return out;
}

double matched_latent(const PearsonShape& a, const PearsonShape& b, double latent, double target,
                      double band) {
  if (!std::isfinite(target) || !std::isfinite(band)) return latent;
  const PairCurve curve = pair_curve(a, b);
  const double drawn = curve.at(latent);
  if (std::fabs(drawn - target) <= band) return latent;
  return solve(curve, drawn < target ? target - band : target + band);
}

}  // namespace synth
