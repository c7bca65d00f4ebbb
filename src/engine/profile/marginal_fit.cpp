// Fitting one marginal from a sorted column: see marginal_fit.hpp and
// docs/profile.md ("Marginals").
#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/marginal_grid.hpp"
#include "engine/profile/marginal_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "engine/model/interrupt.hpp"
#include "engine/profile/normal.hpp"

namespace synth {

double sorted_quantile(const Ranked* values, std::size_t n, double probability) {
  const double h = static_cast<double>(n - 1) * probability;
  const std::size_t lo = std::min(static_cast<std::size_t>(std::floor(h)), n - 1);
  const std::size_t hi = std::min(lo + 1, n - 1);
  const double v = values[lo].first + (h - static_cast<double>(lo)) * (values[hi].first - values[lo].first);
  return std::clamp(v, values[lo].first, values[hi].first);
}

namespace {

// The bits of x as an unsigned key in x's numeric order: negative values
// have every bit flipped (larger magnitude, smaller key), the others only
// the sign bit.
std::uint64_t order_key(double x) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & (std::uint64_t{1} << 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

}  // namespace

void sort_by_value(std::vector<Ranked>& values, std::vector<Ranked>& scratch) {
  constexpr std::size_t kSmall = 512;  // below this, a comparison sort is faster
  if (values.size() < kSmall) {
    std::sort(values.begin(), values.end(),
              [](const Ranked& a, const Ranked& b) { return a.first < b.first; });
    return;
  }
  constexpr int kDigitBits = 11;
  constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
  constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  std::vector<std::size_t> counts(kPasses * kBuckets, 0);
  for (const Ranked& v : values) {
    poll_interrupt();
    const std::uint64_t key = order_key(v.first);
    for (int pass = 0; pass < kPasses; ++pass)
      ++counts[pass * kBuckets + ((key >> (pass * kDigitBits)) & (kBuckets - 1))];
  }
  scratch.resize(values.size());
  for (int pass = 0; pass < kPasses; ++pass) {
    std::size_t* count = &counts[pass * kBuckets];
    // A digit every value shares moves nothing: integer and grid columns
    // skip most of their low mantissa bits this way.
    if (std::find(count, count + kBuckets, values.size()) != count + kBuckets) continue;
    std::size_t start = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) start += std::exchange(count[b], start);
    const int shift = pass * kDigitBits;
    for (const Ranked& v : values) {
      poll_interrupt();
      scratch[count[(order_key(v.first) >> shift) & (kBuckets - 1)]++] = v;
    }
    values.swap(scratch);
  }
}

double SmoothingTransform::apply(double x) const noexcept {
  switch (kind) {
    case kLogLow:
      return std::log(x - low + offset);
    case kLogHigh:
      return -std::log(high - x + offset);
    case kLogBoth:
      return std::log(x - low + offset) - std::log(high - x + offset);
    case kIdentity:
      break;
  }
  return x;
}

double SmoothingTransform::invert(double y) const noexcept {
  switch (kind) {
    case kLogLow:
      return low + (std::exp(y) - offset);
    case kLogHigh:
      return high - (std::exp(-y) - offset);
    case kLogBoth:  // a / b = e^y with a + b = high - low + 2 offset
      return low + ((high - low + 2 * offset) / (1 + std::exp(-y)) - offset);
    case kIdentity:
      break;
  }
  return y;
}

SmoothingTransform choose_transform(const Ranked* values, std::size_t n, double low, double high) {
  SmoothingTransform best;
  best.low = low;
  best.high = high;
  const double q1 = sorted_quantile(values, n, 0.125);
  const double q4 = sorted_quantile(values, n, 0.5);
  const double q7 = sorted_quantile(values, n, 0.875);
  auto skewness = [&](const SmoothingTransform& t) {
    const double a = t.apply(q1), b = t.apply(q4), c = t.apply(q7);
    return c > a && std::isfinite(c - a) ? std::fabs((c - b) - (b - a)) / (c - a)
                                         : std::numeric_limits<double>::infinity();
  };
  double least = skewness(best) - kTransformMargin;
  const double span = high - low;
  if (!(span > 0) || !std::isfinite(span)) return best;
  for (SmoothingTransform::Kind kind :
       {SmoothingTransform::kLogLow, SmoothingTransform::kLogHigh, SmoothingTransform::kLogBoth}) {
    double offset = span;
    for (int j = 1; j <= 6; ++j) {
      offset /= 10;
      const SmoothingTransform t{kind, low, high, offset};
      const double s = skewness(t);
      if (s < least) {
        least = s;
        best = t;
      }
    }
  }
  return best;
}

namespace {

// The smoothed marginal of sorted values: the quantiles of a Gaussian kernel
// density estimate truncated to the observed [min, max], taken in the space
// choose_transform picks (a column bunched against a bound is smoothed in
// the log of its distance to it, so the kernel narrows toward the bound
// instead of pushing the mass there inward).
//
// The empirical quantile function of few rows is the rows themselves: values
// drawn from it sit between (and, where values tie, exactly on) the rows the
// fit saw, so synthetic rows come out closer to those rows than to other real
// rows of the same population, and copies of real vectors appear. A kernel
// estimate with Silverman's bandwidth, 0.9 min(sd, IQR / 1.349) n^(-1/5),
// removes that: its quantiles fall between the rows. (Wider kernels, up to
// twice Silverman's, moved the holdout DCR share of the fidelity sets by less
// than its own noise and cost column-shape fidelity, so the rule stands as is.)
// Large samples are summarised first by kSketchPoints of their own quantiles
// (the bandwidth, far below their spacing then, hardly smooths at all), equal
// values are taken once with their count, Phi comes from a table, and the
// estimate is inverted on a grid of kGridPoints: the cost per column does not
// grow with the rows. Sums run over sorted values: the same values in any
// order give the same knots.

// Phi(t) by linear interpolation in a table of step 1/512 over [-8.5, 8.5]
// (error below 1.2e-7; beyond the table Phi is 0 or 1 to double precision,
// within 1e-17).
class NormalCdfTable {
 public:
  NormalCdfTable() {
    for (std::size_t i = 0; i < kSize; ++i)
      table_[i] = normal_cdf(-kReach + static_cast<double>(i) / kPerUnit);
  }
  double operator()(double t) const noexcept {
    if (!(t > -kReach)) return 0.0;
    if (!(t < kReach)) return 1.0;
    const double at = (t + kReach) * kPerUnit;
    const std::size_t i = std::min(static_cast<std::size_t>(at), kSize - 2);
    const double frac = at - static_cast<double>(i);
    return table_[i] + frac * (table_[i + 1] - table_[i]);
  }

 private:
  static constexpr double kReach = 8.5;
  static constexpr double kPerUnit = 512.0;
  static constexpr std::size_t kSize = 2 * 8 * 512 + 512 + 1;  // 2 * 8.5 * 512 + 1
  std::array<double, kSize> table_{};
};

// Columns whose largest magnitude lies outside [2^-400, 2^400] are fitted
// scaled by a power of two (exact, but for values that underflow beside the
// largest): sums of squares of 1e308 overflow, and the spread of subnormals
// is too fine for a kernel's arithmetic.
constexpr int kScaledExponent = 400;
// The whole CDF at the grid points and at each point mass (its value on
// both sides of the jump), in order of x.
struct Step {
  double x, below, at;  // the CDF just below x, and at x
};

// The inner knots of m: where the CDF steps reach each knot's probability
// (Marginal::probability), interpolated between steps, on a point mass itself.
void knots_from_steps(const std::vector<Step>& steps, Marginal& m) {
  std::size_t s = 0;
  for (std::size_t k = 1; k + 1 < m.knots.size(); ++k) {
    const double target = m.probability(k);
    while (s + 1 < steps.size() && steps[s].at < target) ++s;
    const Step& step = steps[s];
    if (s == 0 || step.below <= target) {
      m.knots[k] = step.x;  // on a point mass (or a grid point exactly)
    } else {
      const Step& prev = steps[s - 1];
      const double rise = step.below - prev.at;
      const double frac = rise > 0 ? std::clamp((target - prev.at) / rise, 0.0, 1.0) : 0.0;
      m.knots[k] = prev.x + frac * (step.x - prev.x);
    }
  }
}

// The kernels' centres in the smoothing space (sorted), equal ones merged
// into one with their count: every value, or beyond kSketchPoints values the
// type-7 quantiles at the middles of kSketchPoints equal cells of probability
// (so a lone outlier beyond the outermost cells' middles weighs no more than
// its own rows).
std::vector<std::pair<double, double>> kernel_centres(const Ranked* values, std::size_t n,
                                                      const SmoothingTransform& t) {
  std::vector<std::pair<double, double>> points;
  const std::size_t centres = std::min(n, kSketchPoints);
  for (std::size_t i = 0; i < centres; ++i) {
    const double x =
        n <= kSketchPoints
            ? values[i].first
            : sorted_quantile(values, n, (static_cast<double>(i) + 0.5) / static_cast<double>(kSketchPoints));
    const double y = t.apply(x);
    if (!points.empty() && points.back().first == y)
      points.back().second += 1.0;
    else
      points.emplace_back(y, 1.0);
  }
  return points;
}

// Silverman's bandwidth, 0.9 min(sd, IQR / 1.349) n^(-1/5), in the smoothing
// space: sd over the centres, the IQR of the transformed values (type 7), n
// the rows smoothed.
double silverman_bandwidth(const std::vector<std::pair<double, double>>& points, const Ranked* values,
                           std::size_t n, const SmoothingTransform& t) {
  double total = 0, mean = 0;
  for (const auto& [y, count] : points) {
    total += count;
    mean += count * y;
  }
  mean /= total;
  double ss = 0;
  for (const auto& [y, count] : points) ss += count * (y - mean) * (y - mean);
  const double sd = std::sqrt(ss / (total > 1 ? total - 1 : 1));
  auto quantile = [&](double p) {  // type 7 over the transformed values
    const double h = static_cast<double>(n - 1) * p;
    const std::size_t lo = std::min(static_cast<std::size_t>(std::floor(h)), n - 1);
    const std::size_t hi = std::min(lo + 1, n - 1);
    const double a = t.apply(values[lo].first), b = t.apply(values[hi].first);
    return a + (h - static_cast<double>(lo)) * (b - a);
  };
  const double iqr = (quantile(0.75) - quantile(0.25)) / 1.349;
  const double spread = iqr > 0 ? std::min(sd, iqr) : sd;
  return 0.9 * spread * std::pow(static_cast<double>(n), -0.2);
}

// Where no kernel is usable (a spread too small for doubles): numpy's quantiles.
Marginal empirical_marginal(const Ranked* values, std::size_t n) {
  Marginal m;
  m.knots.resize(std::min<std::size_t>(kMaxQuantileKnots, n));
  for (std::size_t i = 0; i < m.knots.size(); ++i)
    m.knots[i] = sorted_quantile(values, n, static_cast<double>(i) / static_cast<double>(m.knots.size() - 1));
  return m;
}

// The rows' own quantiles at the knots of a fitted marginal (tails included),
// for a column whose smoothed body misses the rows (marginal_grid.hpp,
// body_follows_rows): the tail knots keep a far group's draws near it.
Marginal rows_quantiles(const Ranked* values, std::size_t n) {
  Marginal m;
  m.tails = kTailLevels;
  m.knots.resize(kMaxQuantileKnots + 2 * kTailLevels);
  for (std::size_t k = 0; k < m.knots.size(); ++k) m.knots[k] = sorted_quantile(values, n, m.probability(k));
  m.knots.front() = values[0].first;
  m.knots.back() = values[n - 1].first;
  return m;
}

// Columns of extreme magnitude, fitted scaled by 2^-exponent and scaled back.
Marginal scaled_marginal(const Ranked* values, std::size_t n, int exponent) {
  const double low = values[0].first, high = values[n - 1].first;
  std::vector<Ranked> scaled(values, values + n);
  for (Ranked& v : scaled) v.first = std::ldexp(v.first, -exponent);
  Marginal m = marginal_of_sorted(scaled.data(), n, false);
  for (double& k : m.knots) k = std::ldexp(k, exponent);
  // Values that underflowed in the scaled copy come back only roughly, so
  // the bounds are set first and every knot is kept between its
  // predecessor and the maximum: the knots never decrease.
  m.knots.front() = low;
  for (std::size_t k = 1; k < m.knots.size(); ++k) m.knots[k] = std::clamp(m.knots[k], m.knots[k - 1], high);
  m.knots.back() = high;
  return m;
}

// A kernel spreads mass past the data's own extreme quantiles (the estimate's
// variance is the data's plus the bandwidth's), and in the tails that is the
// mass a reader notices: draws beyond the values only a few rows exceed. So
// from kTailReach inward, no knot lies outside the type-7 quantile of the
// rows at its probability: the share of draws below the rows' p-quantile is
// at most p there (and above the (1 - p)-quantile likewise).
constexpr double kTailReach = 1.0 / 32;

void hold_tails_to_the_data(const Ranked* values, std::size_t n, Marginal& m) {
  for (std::size_t k = 1; k + 1 < m.knots.size(); ++k) {
    const double p = m.probability(k);
    if (p <= kTailReach)
      m.knots[k] = std::max(m.knots[k], sorted_quantile(values, n, p));
    else if (p >= 1 - kTailReach)
      m.knots[k] = std::min(m.knots[k], sorted_quantile(values, n, p));
  }
}

// The integral over [from, to] of a quantile function that is linear between
// points (p(i), x(i)), i = 0 .. count - 1, p increasing from 0 to 1.
template <typename P, typename X>
double body_integral(std::size_t count, P p, X x, double from, double to) {
  long double sum = 0;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    poll_interrupt();  // count is a domain's rows for the rows' side
    const double p0 = p(i), p1 = p(i + 1);
    const double lo = std::max(p0, from), hi = std::min(p1, to);
    if (!(hi > lo) || !(p1 > p0)) continue;
    const double x0 = x(i), slope = (x(i + 1) - x0) / (p1 - p0);
    sum += static_cast<long double>(hi - lo) * (x0 + slope * ((lo + hi) / 2 - p0));
  }
  return static_cast<double>(sum);
}

// A kernel's spread is symmetric in the smoothing space, not in the
// column's own (a log toward a bound stretches one side), and bounds cut it
// unevenly: the smoothed marginal's body drifts from the rows' by a few
// hundredths of a standard deviation. Alone that is nothing; summed over
// correlated columns it is a direction a linear detector finds. So the knots
// of the smoothed stretches move, in the smoothing space, by one shift
// (found by bisection) that brings the marginal's mean over the body (the
// probabilities between kTailReach and 1 - kTailReach) to the rows' own
// there (numpy's linear quantiles). Fixed: the ends, the knots on point
// masses, and the tails held to the data (hold_tails_to_the_data); a moved
// knot stays between the fixed knots around it, so the knots never decrease
// and the bounds hold.
constexpr double kMeanShiftLimit = 0.1;

void match_mean(const Ranked* values, std::size_t n, const std::vector<std::pair<double, double>>& atoms,
                const SmoothingTransform& t, const std::vector<std::pair<double, double>>& centres,
                Marginal& m) {
  const double from = kTailReach, to = 1 - kTailReach;
  const double last = static_cast<double>(n - 1);
  const double target = body_integral(
      n, [&](std::size_t i) { return static_cast<double>(i) / last; },
      [&](std::size_t i) { return values[i].first; }, from, to);
  // The spread of the smoothed values in the smoothing space: the standard
  // deviation of the kernel centres within Tukey's far fences (3
  // interquartile ranges beyond the quartiles), so that one far row (1e4
  // among 30 values near 0) cannot widen the shift it allows (it moved that
  // column's median from 0.13 to 0.90).
  const CentreFences fences = centre_fences(centres);
  const double fence_low = fences.low, fence_high = fences.high;
  long double inside = 0, y_sum = 0, squares = 0;
  for (const auto& [centre, weight] : centres)
    if (centre >= fence_low && centre <= fence_high) inside += weight, y_sum += weight * centre;
  const long double y_mean = y_sum / inside;
  for (const auto& [centre, weight] : centres)
    if (centre >= fence_low && centre <= fence_high)
      squares += weight * (centre - y_mean) * (centre - y_mean);
  const std::size_t count = m.knots.size();
  std::vector<bool> fixed(count, false);
  fixed.front() = fixed.back() = true;
  for (std::size_t k = 1; k + 1 < count; ++k) {
    const double p = m.probability(k);
    const bool on_atom = std::binary_search(atoms.begin(), atoms.end(), std::make_pair(m.knots[k], -HUGE_VAL),
                                            [](const auto& a, const auto& b) { return a.first < b.first; });
    fixed[k] = on_atom || p <= from || p >= to;
  }
  // In the smoothing space, where the kernel was symmetric: each knot and
  // the fixed knots around it (the interval a moved knot stays in).
  std::vector<double> y(count), below(count), above(count);
  for (std::size_t k = 0; k < count; ++k) y[k] = t.apply(m.knots[k]);
  for (std::size_t k = 0, at = 0; k < count; ++k) {
    if (fixed[k]) at = k;
    below[k] = y[at];
  }
  for (std::size_t k = count, at = count - 1; k-- > 0;) {
    if (fixed[k]) at = k;
    above[k] = y[at];
  }
  const std::vector<double> original = m.knots;
  auto shifted = [&](double delta) {
    for (std::size_t k = 0; k < count; ++k)
      m.knots[k] = fixed[k] ? original[k]
                            : std::clamp(t.invert(std::clamp(y[k] + delta, below[k], above[k])),
                                         original.front(), original.back());
    for (std::size_t k = 1; k < count; ++k) m.knots[k] = std::max(m.knots[k], m.knots[k - 1]);
    return body_integral(
        count, [&](std::size_t k) { return m.probability(k); }, [&](std::size_t k) { return m.knots[k]; },
        from, to);
  };
  // The shift corrects the smoothing's drift, never reshapes: at most
  // kMeanShiftLimit of that standard deviation.
  const double span = kMeanShiftLimit * static_cast<double>(std::sqrt(squares / inside));
  if (!(span > 0) || !std::isfinite(span) || !std::isfinite(target)) return;
  double low = -span, high = span;
  for (int step = 0; step < 64; ++step) {
    const double mid = low + (high - low) / 2;
    (shifted(mid) < target ? low : high) = mid;
  }
  const double best = std::fabs(shifted(low) - target) <= std::fabs(shifted(high) - target) ? low : high;
  shifted(best);
}

}  // namespace

Marginal marginal_of_sorted(const Ranked* values, std::size_t n, bool match_body_mean) {
  Marginal m;
  const double low = values[0].first;
  const double high = values[n - 1].first;
  if (n > 1) m.tails = kTailLevels;
  m.knots.assign(n == 1 ? 2 : kMaxQuantileKnots + 2 * kTailLevels, low);
  m.knots.back() = high;
  if (!(high > low)) return m;

  const double magnitude = std::max(std::fabs(low), std::fabs(high));
  if (magnitude > std::ldexp(1.0, kScaledExponent) || magnitude < std::ldexp(1.0, -kScaledExponent)) {
    Marginal scaled = scaled_marginal(values, n, std::ilogb(magnitude));
    return body_follows_rows(values, n, scaled) ? scaled : rows_quantiles(values, n);
  }

  const ColumnParts parts = split_column(values, n);
  const SmoothingTransform t = parts.smooth_rows > 0
                                   ? choose_transform(parts.shape, parts.shape_rows, low, high)
                                   : SmoothingTransform{SmoothingTransform::kIdentity, low, high, 0};
  const std::vector<std::pair<double, double>> points =
      parts.smooth_rows > 0 ? kernel_centres(parts.smooth, parts.smooth_rows, t)
                            : std::vector<std::pair<double, double>>{};
  const double bandwidth =
      points.empty() ? 0.0 : silverman_bandwidth(points, parts.smooth, parts.smooth_rows, t);
  if (!points.empty() && !(bandwidth > 0 && std::isfinite(bandwidth))) return empirical_marginal(values, n);

  // The smoothed part's CDF in the smoothing space: sum of count * Phi((y -
  // centre) / bandwidth), scaled to [0, 1] between the bounds (the mass
  // outside them is dropped).
  static const NormalCdfTable phi;
  auto kernel_sum = [&](double y) {
    double sum = 0;
    for (const auto& [centre, count] : points) sum += count * phi((y - centre) / bandwidth);
    return sum;
  };
  const double y_low = t.apply(low), y_high = t.apply(high);
  const double base = points.empty() ? 0.0 : kernel_sum(y_low);
  const double mass = points.empty() ? 0.0 : kernel_sum(y_high) - base;
  if (!points.empty() && !(mass > 0 && std::isfinite(mass))) return empirical_marginal(values, n);
  const double rows = static_cast<double>(n);
  const double smooth_share = static_cast<double>(parts.smooth_rows) / rows;
  auto smooth_cdf = [&](double y) {  // the smoothed part's share of the rows at or below y
    return points.empty() ? 0.0 : smooth_share * ((kernel_sum(y) - base) / mass);
  };

  // Point masses in the smoothing space, to be found again exactly.
  std::vector<std::pair<double, double>> atom_at;  // (y, x)
  for (const auto& [x, count] : parts.atoms) atom_at.emplace_back(t.apply(x), x);
  std::vector<Step> steps;
  std::size_t next_atom = 0;
  double atoms_below = 0;
  auto add_atoms_up_to = [&](double y) {  // the point masses at or below y
    for (; next_atom < parts.atoms.size() && atom_at[next_atom].first <= y; ++next_atom) {
      const double below = smooth_cdf(atom_at[next_atom].first) + atoms_below;
      atoms_below += parts.atoms[next_atom].second / rows;
      steps.push_back({atom_at[next_atom].first, below, below + parts.atoms[next_atom].second / rows});
    }
  };
  for (const double y : grid_points(points, bandwidth, y_low, y_high)) {
    poll_interrupt(static_cast<std::uint32_t>(points.size() + 1));
    add_atoms_up_to(y);
    if (!steps.empty() && steps.back().x == y) continue;  // a point mass sits on the grid point
    const double cdf = smooth_cdf(y) + atoms_below;
    steps.push_back({y, cdf, cdf});
  }
  knots_from_steps(steps, m);
  // Back to the column's own values: a point mass exactly, the rest through the inverse.
  for (std::size_t k = 1; k + 1 < m.knots.size(); ++k) {
    const double y = m.knots[k];
    const auto atom = std::lower_bound(atom_at.begin(), atom_at.end(), std::make_pair(y, -HUGE_VAL));
    m.knots[k] = atom != atom_at.end() && atom->first == y ? atom->second : t.invert(y);
  }
  hold_tails_to_the_data(values, n, m);
  m.knots.front() = low;
  for (std::size_t k = 1; k < m.knots.size(); ++k) m.knots[k] = std::clamp(m.knots[k], m.knots[k - 1], high);
  m.knots.back() = high;
  if (match_body_mean && parts.smooth_rows > 0) match_mean(values, n, parts.atoms, t, points, m);
  return body_follows_rows(values, n, m) ? m : rows_quantiles(values, n);
}

}  // namespace synth
