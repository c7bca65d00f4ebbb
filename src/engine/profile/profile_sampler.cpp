#include "engine/profile/profile_sampler.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/random/normal_distribution.hpp>

#include "engine/generate/generator_options.hpp"
#include "engine/generate/quota.hpp"
#include "engine/generate/prompt_parts.hpp"
#include "engine/model/cholesky.hpp"
#include "engine/model/domain_table.hpp"
#include "engine/model/limits.hpp"
#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"
#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/normal.hpp"

namespace synth {
namespace {

// Cells whose fractional parts lie this close take the spare row in index
// order (the totals themselves are exact: largest_remainder, quota.hpp).
constexpr double kTieTolerance = 1e-9;

// x rounded to a multiple of 1 / scale (scale 1: to an integer), ties to
// even: adding and taking away 2^52 leaves the nearest integer in the
// default rounding mode (IEEE arithmetic is not reassociated without
// -ffast-math), inline where std::round is a call into libm on x86-64
// without SSE4.1. Values of 2^52 and above are integers already.
// An infinite scale leaves every x as it is (x * scale is infinite or NaN).
double round_to_scale(double x, double scale) {
  constexpr double kTwo52 = 4503599627370496.0;
  const double y = x * scale;
  const double a = std::fabs(y);
  if (!(a < kTwo52)) return x;
  const double r = std::copysign((a + kTwo52) - kTwo52, y);
  return scale == 1.0 ? r : r / scale;
}

// 10^k for k in [kLowestPower, kHighestPower], each the double nearest to it
// (read by strtod, which rounds correctly); 10^309 and above are infinite.
constexpr int kLowestPower = -330;
constexpr int kExactPowers = 22;  // 10^0 .. 10^22 are doubles exactly
constexpr int kHighestPower = 340;
const double* powers_of_ten() {
  static const std::array<double, kHighestPower - kLowestPower + 1> table = [] {
    std::array<double, kHighestPower - kLowestPower + 1> t{};
    for (int k = kLowestPower; k <= kHighestPower; ++k)
      t[static_cast<std::size_t>(k - kLowestPower)] =
          std::strtod(("1e" + std::to_string(k)).c_str(), nullptr);
    return t;
  }();
  return table.data() - kLowestPower;
}

// Six significant digits of x itself, and at least `least` decimals (0 or
// more, so a value of a million or more keeps all its integer digits): a
// value is rounded by its own magnitude, so one far row cannot round the
// body of its column to integers. Zero and subnormals stay as they are.
double round_to_digits(double x, int least, const double* pow10) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  if (biased == 0 || biased == 0x7ff) return x;
  // floor(log10 |x|) is floor(b log10 2) or one more, for |x| in [2^b, 2^(b+1))
  // (78913 / 2^18 gives floor(b log10 2) exactly for every |b| <= 1100).
  const int b = biased - 1023;
  int exponent = (b * 78913) >> 18;
  if (std::fabs(x) >= pow10[exponent + 1]) ++exponent;
  const int decimals = std::max(least, 5 - exponent);
  if (decimals <= kExactPowers) return round_to_scale(x, pow10[decimals]);
  // Beyond 10^22 no power of ten is a double, and dividing by the nearest
  // one can miss the decimal by an ulp (1.23457e-18 came out as
  // 1.2345700000000002e-18): the decimal text, read back, is the nearest
  // double. Only values below about 1e-17 take this way.
  const int digits = decimals + exponent + 1;
  if (digits > 17) return x;  // as many digits as a double holds
  char text[40];
  std::snprintf(text, sizeof text, "%.*e", digits - 1, x);
  return std::strtod(text, nullptr);
}

// The random stream of one fitted row: SplitMix64 (a Weyl sequence through
// the mix64 finalizer), started from a mix of the row key and the sample_id.
// 64 bits a call, so Boost's ziggurat takes one call a normal draw, and a
// uniform one; the state is one word, so starting it costs one mix.
class FittedRowEngine {
 public:
  using result_type = std::uint64_t;
  FittedRowEngine(std::uint64_t row_key, std::int64_t sample_id)
      : state_(mix64(row_key ^ static_cast<std::uint64_t>(sample_id))) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }

 private:
  std::uint64_t state_;
};

// A uniform double in [0, 1): the top 53 bits of one call.
double unit(FittedRowEngine& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }

// A uniform integer in [0, range) from the top 32 bits of one call, by
// multiply and shift (the bias is below range / 2^32, under 1e-5 for every
// range here).
std::uint32_t pick_below(FittedRowEngine& engine, std::uint32_t range) {
  return static_cast<std::uint32_t>(((engine() >> 32) * range) >> 32);
}

// Marginal::quantile over the knots k[0..segments] with `tails` tail levels.
// With jumps (the marginal has point masses next to each other), a segment
// between two point masses (each end repeated by its neighbour knot) holds no
// mass of its own: its draws go to the nearer end, so two point masses (0 and
// 1e308) come back as two, not with a spread of values between them.
// knot: the index of the knot the value is (a point mass, either end or a
// jump's end), or kNoKnot.
constexpr std::size_t kNoKnot = ~std::size_t{0};
inline double marginal_quantile(const double* k, std::uint32_t segments, std::uint32_t tails, double u,
                                bool jumps, std::size_t& knot) noexcept {
  if (!(u > 0)) return k[knot = 0];
  if (u >= 1) return k[knot = segments];
  const KnotPosition at = knot_position(segments, tails, u);
  const std::size_t i = at.segment;
  const double frac = at.frac;
  const double lo = k[i], hi = k[i + 1];
  if (lo == hi) return k[knot = i];
  if (jumps && i > 0 && i + 2 <= segments && k[i - 1] == lo && k[i + 2] == hi)
    return k[knot = frac < 0.5 ? i : i + 1];
  knot = kNoKnot;
  // Weighted, not lo + frac * (hi - lo): hi - lo overflows for -1e308..1e308.
  return std::clamp((1.0 - frac) * lo + frac * hi, lo, hi);
}

// Whether some segment of the knots runs between two point masses.
bool has_jumps(const std::vector<double>& k) {
  for (std::size_t i = 1; i + 2 < k.size(); ++i)
    if (k[i - 1] == k[i] && k[i] < k[i + 1] && k[i + 1] == k[i + 2]) return true;
  return false;
}

// Keeps a rounded score inside its band ("between" is open at both ends:
// the gap below the medium band's middle, or the one above it).
double keep_in_band(double s, std::size_t band, double raw) {
  const ScoreBand& keep = band < kTierCount ? kTierBands[band] : kBetweenInteriors[raw < 0.5 ? 0 : 1];
  return std::clamp(s, keep.low, keep.high);
}

// Exact strata in both directions: domain counts by largest remainder of
// the weights, band counts by largest remainder of the band shares the
// domains imply (the real band shares, unless domain_weights re-weigh
// them), and cells that keep each domain's own band mix as closely as the
// two sets of totals allow.
std::vector<std::uint64_t> strata_cells(std::uint64_t n, const std::vector<double>& weights,
                                        const Profile& profile) {
  const std::size_t domains = profile.domains.size();
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  std::vector<double> joint(domains * kBandCount);
  std::vector<double> band_weights(kBandCount, 0.0);
  for (std::size_t k = 0; k < domains; ++k)
    for (std::size_t b = 0; b < kBandCount; ++b) {
      joint[k * kBandCount + b] = weights[k] / weight_sum * profile.domains[k].band_shares[b];
      band_weights[b] += joint[k * kBandCount + b];
    }
  const std::vector<std::uint64_t> domain_totals = largest_remainder(n, weights);
  const std::vector<std::uint64_t> band_totals = largest_remainder(n, band_weights);
  std::vector<std::uint64_t> cells(domains * kBandCount, 0);
  std::vector<double> priority(domains * kBandCount);
  std::vector<std::uint64_t> row_left = domain_totals;
  std::vector<std::uint64_t> band_left = band_totals;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const long double exact = static_cast<long double>(n) * joint[c];
    std::uint64_t whole = static_cast<std::uint64_t>(std::floor(exact));
    const std::size_t k = c / kBandCount;
    const std::size_t b = c % kBandCount;
    whole = std::min({whole, row_left[k], band_left[b]});
    cells[c] = whole;
    row_left[k] -= whole;
    band_left[b] -= whole;
    priority[c] = joint[c] > 0 ? static_cast<double>(exact - static_cast<long double>(whole)) : -10.0;
  }
  std::uint64_t left = 0;
  for (std::uint64_t r : row_left) left += r;
  for (; left > 0; --left) {
    std::size_t best = cells.size();
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (row_left[c / kBandCount] == 0 || band_left[c % kBandCount] == 0) continue;
      if (best == cells.size() || priority[c] > priority[best] + kTieTolerance) best = c;
    }
    ++cells[best];
    --row_left[best / kBandCount];
    --band_left[best % kBandCount];
    priority[best] -= 1.0;
  }
  return cells;
}

// A fitted row's prompts: the vocabulary of parts_index, as many clauses as
// the complexity feature says (or 2 to 6), the length feature's value as the
// target (or 80 to 250 characters), and `length` then set to the text's own.
inline void draw_text(FittedRowEngine& engine, std::size_t parts_index, int complexity_feature,
                      int length_feature, double length_min, FittedRow& out) noexcept {
  PromptChoices choices;
  choices.domain = parts_index;
  set_text_choices(pick_below(engine, kTextChoices), choices);
  // (A validated profile keeps every domain's complexity within the pooled
  // 0..kMaxClauses; the clamp keeps the draw defined whatever the value.)
  choices.clause_count =
      complexity_feature >= 0
          ? static_cast<std::size_t>(std::clamp(out.features[static_cast<std::size_t>(complexity_feature)],
                                                0.0, static_cast<double>(kMaxClauses)))
          : 2 + pick_below(engine, 5);
  choices.elaborate = true;
  if (length_feature >= 0) {
    // A length beyond kMaxEnhancedText is clamped to it (the composer keeps
    // every prompt within it); `length` is then the text's own length.
    constexpr double kLongest = static_cast<double>(kMaxEnhancedText);
    const auto f = static_cast<std::size_t>(length_feature);
    choices.target_length = static_cast<std::size_t>(std::clamp(out.features[f], 0.0, kLongest));
    choices.min_length = static_cast<std::size_t>(std::clamp(length_min, 1.0, kLongest));
  } else {
    choices.target_length = static_cast<std::size_t>(80 + unit(engine) * 170);
  }
  std::array<std::uint8_t, kMaxClauses> pool;
  for (std::size_t i = 0; i < kMaxClauses; ++i) pool[i] = static_cast<std::uint8_t>(i);
  // The clauses by Fisher-Yates, every pick from one 64-bit draw: the high
  // word of draw * range is the pick and the low word the next draw (12
  // picks use under 29 of the 64 bits, so each stays within 2^-35 of uniform).
  std::uint64_t clause_draw = engine();
  for (std::size_t i = 0; i < choices.clause_count; ++i) {
    const unsigned __int128 product = static_cast<unsigned __int128>(clause_draw) * (kMaxClauses - i);
    const std::size_t j = i + static_cast<std::size_t>(product >> 64);
    clause_draw = static_cast<std::uint64_t>(product);
    std::swap(pool[i], pool[j]);
    choices.clauses[i] = pool[i];
  }
  compose_prompts(choices, out.prompts);
  if (length_feature >= 0)
    out.features[static_cast<std::size_t>(length_feature)] = out.prompts.enhanced_length;
}

}  // namespace

std::vector<double> profile_domain_weights(const Profile& profile,
                                           const std::vector<std::pair<std::string, double>>& weights) {
  std::vector<double> out(profile.domains.size(), 0.0);
  double sum = 0;
  for (const auto& [name, w] : weights) {
    auto it = std::lower_bound(profile.domains.begin(), profile.domains.end(), name,
                               [](const DomainProfile& d, const std::string& n) { return d.name < n; });
    if (it == profile.domains.end() || it->name != name) {
      std::string valid;
      for (std::size_t i = 0; i < profile.domains.size() && i < 20; ++i)
        valid += (i ? ", " : "") + profile.domains[i].name;
      if (profile.domains.size() > 20) valid += ", ...";
      throw_invalid_parameter("domain_weights names \"" + name + "\", which the profile does not hold",
                              "The profile's domains: " + valid + ".");
    }
    if (!std::isfinite(w) || w < 0)
      throw_invalid_parameter("domain_weights of \"" + name + "\" must be finite and non-negative");
    out[static_cast<std::size_t>(it - profile.domains.begin())] = w;
    sum += w;
  }
  if (!(sum > 0)) throw_invalid_parameter("domain_weights must give at least one domain a positive weight");
  return out;
}

namespace {

// Latin hypercube draws: within a domain, each noise term of the copula
// takes every one of the domain's m equal-probability strata exactly once
// (a keyed permutation of the row's place in the domain picks the stratum,
// the row's own draw its place inside it), and within a cell the score
// does the same over the cell's band. The terms stay independent, so the
// copula is the same; what goes is the sampling noise of a domain's means
// and spreads, which a linear detector reads as a difference from the rows
// (the mean of m independent draws misses by sd / sqrt(m)). Beyond
// kStratifiedDomainRows rows a domain that miss is below 0.004 sd, and the
// domain's rows are drawn independently: the strata cost 0.3 to 0.6 µs a
// row of 6 features (docs/performance.md). Up to kNarrowStrata rows, where
// a Feistel network's halves are narrow, the permutations take
// kUniformRounds; above, kWideRounds over a tight domain, so a walk takes
// under two steps on average (keyed_permutation.hpp).
constexpr std::uint64_t kNarrowStrata = 256;

KeyedPermutation strata(std::uint64_t rows, std::uint64_t key) {
  return rows <= kNarrowStrata
             ? KeyedPermutation(rows, key, KeyedPermutation::kUniformRounds)
             : KeyedPermutation(rows, key, KeyedPermutation::kWideRounds, KeyedPermutation::Domain::kTight);
}

}  // namespace

void ProfileSampler::prepare_strata() {
  const std::size_t domains = profile_.domains.size();
  const std::size_t d = profile_.dimension();
  const std::uint64_t strata_key = derive_key(options_.seed, kStratumStream);
  domain_starts_.resize(domains);
  stratified_.resize(domains);
  noise_strata_.reserve(domains * d);
  score_strata_.reserve(cells_.size());
  for (std::size_t k = 0; k < domains; ++k) {
    domain_starts_[k] = k == 0 ? 0 : cell_ends_[k * kBandCount - 1];
    const std::uint64_t rows = cell_ends_[k * kBandCount + kBandCount - 1] - domain_starts_[k];
    stratified_[k] = rows <= kStratifiedDomainRows;
    for (std::size_t f = 0; f < d; ++f)
      noise_strata_.push_back(strata(rows, derive_key(strata_key, k * d + f)));
    for (std::size_t b = 0; b < kBandCount; ++b) {
      const std::size_t c = k * kBandCount + b;
      score_strata_.push_back(strata(cells_[c], derive_key(strata_key, domains * d + c)));
    }
    check_interrupt();
  }
}

ProfileSampler::ProfileSampler(Profile profile, ProfileOptions options)
    : profile_((validate_profile(profile), std::move(profile))),
      options_((validate_row_count(options.n), std::move(options))),
      cell_order_(static_cast<std::uint64_t>(options_.n), derive_key(options_.seed, kCellStream)),
      cdf_(&NormalCdfSpline::instance()),
      pow10_(powers_of_ten()),
      row_key_(derive_key(options_.seed, kFittedRowStream)) {
  const std::size_t domains = profile_.domains.size();
  const std::size_t d = profile_.dimension();
  const std::size_t width = d + 1;
  std::vector<double> weights = options_.domain_weights;
  if (weights.empty()) {
    for (const auto& dp : profile_.domains) weights.push_back(dp.share);
  } else if (weights.size() != domains) {
    throw_invalid_parameter("domain_weights must hold one weight per profile domain");
  }
  const auto n = static_cast<std::uint64_t>(options_.n);

  cells_ = strata_cells(n, weights, profile_);
  cell_ends_.resize(cells_.size());
  std::uint64_t end = 0;
  for (std::size_t c = 0; c < cells_.size(); ++c) cell_ends_[c] = end += cells_[c];
  prepare_strata();

  std::vector<double> feature_scale(d, 1.0);
  std::vector<int> least_decimals(d, 0);
  for (std::size_t f = 0; f < d; ++f) {
    const Marginal& observed = profile_.pooled.features[f];
    // Each value keeps six significant digits of its own (round_to_digits),
    // and at least as many decimals as give six significant digits of the
    // column's body, the spread between its 1/16 and 15/16 quantiles (the
    // whole range where the body is one value), so values
    // 1000000.125..1000000.144 keep their differences and one far row
    // changes nothing. A spread too fine for six digits of it to fit in a
    // double (subnormals) leaves the values as they are (round_to_digits).
    double spread = observed.quantile(15.0 / 16) - observed.quantile(1.0 / 16);
    if (!(spread > 0) || !std::isfinite(spread)) spread = observed.max() - observed.min();
    least_decimals[f] = spread > 0 && std::isfinite(spread)
                            ? std::max(0, 5 - static_cast<int>(std::floor(std::log10(spread))))
                            : 0;
    // A feature whose every real value lay on a decimal grid keeps that grid.
    const int grid = f < profile_.decimal_grids.size() ? profile_.decimal_grids[f] : -1;
    if (profile_.integer_features[f]) {
      feature_scale[f] = 1.0;
    } else if (grid >= 0) {
      feature_scale[f] = std::pow(10.0, grid);
    } else {
      feature_scale[f] = 0.0;  // by the value's own digits
    }
    const std::string& name = profile_.feature_names[f];
    const Marginal& pooled = observed;
    if (name == "length" && profile_.integer_features[f] && pooled.max() >= 1)
      length_feature_ = static_cast<int>(f);
    if (name == "complexity" && profile_.integer_features[f] && pooled.min() >= 0 &&
        pooled.max() <= static_cast<double>(kMaxClauses))
      complexity_feature_ = static_cast<int>(f);
  }

  auto prepare = [&](const DomainProfile& dp) {
    DomainDraw draw;
    draw.score_loading.resize(d);
    std::vector<double> schur(d * d);
    for (std::size_t f = 0; f < d; ++f) draw.score_loading[f] = dp.correlation[f * width + d];
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b)
        schur[a * d + b] = dp.correlation[a * width + b] - draw.score_loading[a] * draw.score_loading[b];
    check_interrupt();
    for (double jitter = 1e-9; !cholesky(schur, d, draw.residual); jitter *= 10, check_interrupt())
      for (std::size_t a = 0; a < d; ++a) schur[a * d + a] += jitter;
    const Marginal& m = dp.score;
    auto add = [&](std::size_t band, double lo, double hi, bool open) {
      if (open ? hi <= lo : hi < lo) return;
      draw.segments[band][draw.segment_count[band]++] = {lo, hi};
      draw.band_mass[band] += hi - lo;
    };
    const ScoreBand& low = kTierBands[0];
    const ScoreBand& medium = kTierBands[1];
    const ScoreBand& high = kTierBands[2];
    if (m.min() <= low.high) add(0, 0.0, m.upper_probability(low.high), false);
    if (m.min() <= medium.high && m.max() >= medium.low)
      add(1, m.lower_probability(medium.low), m.upper_probability(medium.high), false);
    if (m.max() >= high.low) add(2, m.lower_probability(high.low), 1.0, false);
    if (m.max() > low.high && m.min() < medium.low)
      add(kBetweenBand, m.upper_probability(low.high), m.lower_probability(medium.low), true);
    if (m.max() > medium.high && m.min() < high.low)
      add(kBetweenBand, m.upper_probability(medium.high), m.lower_probability(high.low), true);
    for (std::size_t f = 0; f < d; ++f) {
      const Marginal& fm = dp.features[f];
      draw.features.push_back({static_cast<std::uint32_t>(knots_.size()),
                               static_cast<std::uint32_t>(fm.knots.size() - 1), fm.tails, fm.min(), fm.max(),
                               feature_scale[f], least_decimals[f], has_jumps(fm.knots)});
      knots_.insert(knots_.end(), fm.knots.begin(), fm.knots.end());
      for (double v : fm.knots) {
        const double mass = fm.upper_probability(v) - fm.lower_probability(v);
        // A mass of kBoundMassMinRows rows or more at the column's least or
        // greatest value is drawn as that value (the profile holds both):
        // rounded inward, a top-coded 70.66713851 came back as 70.6671.
        const double rows = mass * static_cast<double>(dp.rows);
        const bool bound = (v == fm.min() || v == fm.max()) && rows >= static_cast<double>(kBoundMassMinRows);
        knot_exact_.push_back(bound || rows >= static_cast<double>(kAtomMinRows));
      }
    }
    const auto known = find_domain(dp.name);
    draw.parts = known ? *known : kNeutralParts;
    return draw;
  };
  for (const auto& dp : profile_.domains) draws_.push_back(prepare(dp));
  pooled_draw_ = prepare(profile_.pooled);
}

std::uint64_t ProfileSampler::domain_count(std::size_t domain) const {
  std::uint64_t sum = 0;
  for (std::size_t b = 0; b < kBandCount; ++b) sum += cells_[domain * kBandCount + b];
  return sum;
}

std::uint64_t ProfileSampler::band_count(std::size_t band) const {
  std::uint64_t sum = 0;
  for (std::size_t k = 0; k < profile_.domains.size(); ++k) sum += cells_[k * kBandCount + band];
  return sum;
}

void ProfileSampler::sample(std::int64_t sample_id, FittedRow& out) const noexcept {
  const std::uint64_t position = cell_order_(static_cast<std::uint64_t>(sample_id));
  // std::upper_bound without branches: the cell is whatever the permutation
  // says, so a branching search mispredicts about every other step.
  const std::uint64_t* ends = cell_ends_.data();
  std::size_t cell = 0;
  for (std::size_t count = cell_ends_.size(); count > 1;) {
    const std::size_t half = count / 2;
    cell = ends[cell + half - 1] <= position ? cell + half : cell;
    count -= half;
  }
  cell += ends[cell] <= position;
  const std::size_t k = cell / kBandCount;
  const std::size_t band = cell % kBandCount;
  const DomainProfile& dp = profile_.domains[k];
  const std::size_t d = profile_.dimension();
  out.sample_id = sample_id;
  out.domain = static_cast<std::uint32_t>(k);
  out.band = static_cast<std::uint32_t>(band);
  out.dimension = static_cast<std::uint32_t>(d);

  FittedRowEngine engine(row_key_, sample_id);

  // The score: a uniform over the band's probability segments of the score
  // marginal, i.e. the truncated normal of its normal score.
  const DomainDraw& own = draws_[k];
  const bool own_band = own.segment_count[band] > 0;
  const DomainDraw& draw = own_band ? own : pooled_draw_;
  const Marginal& score_marginal = own_band ? dp.score : profile_.pooled.score;
  const bool stratified = stratified_[k];
  const double score_draw =
      stratified ? (static_cast<double>(score_strata_[cell](position - (cell_ends_[cell] - cells_[cell]))) +
                    unit(engine)) /
                       static_cast<double>(cells_[cell])
                 : unit(engine);
  double score_u = 0.5;
  double raw;
  if (draw.segment_count[band] > 0) {
    double t = score_draw * draw.band_mass[band];
    score_u = draw.segments[band][0].low;
    for (std::size_t s = 0; s < draw.segment_count[band]; ++s) {
      const Segment& seg = draw.segments[band][s];
      const double width = seg.high - seg.low;
      score_u = seg.low + std::min(t, width);
      if (t <= width) break;
      t -= width;
    }
    raw = score_marginal.quantile(score_u);
  } else {
    raw =
        kBandCentres[band];  // no real row anywhere in this band: cannot happen with the profile's own shares
  }
  double score = std::clamp(round_to_scale(raw, 1e4), score_marginal.min(), score_marginal.max());
  out.score = std::clamp(keep_in_band(score, band, raw), 0.0, 1.0);
  const double z_score = normal_quantile(std::clamp(score_u, 1e-12, 1.0 - 1e-12));

  // The features: the copula conditioned on the score's normal score, each
  // mapped through its own marginal. The noise terms are standard normals,
  // drawn in the domain's strata (the constructor) or, in a large domain, by
  // Boost's ziggurat; Phi is the spline of normal.hpp.
  std::array<double, kMaxProfileFeatures> noise;
  if (stratified) {
    const std::uint64_t in_domain = position - domain_starts_[k];
    const KeyedPermutation* strata = noise_strata_.data() + k * d;
    for (std::size_t f = 0; f < d; ++f)
      noise[f] = normal_quantile((static_cast<double>(strata[f](in_domain)) + unit(engine)) /
                                 static_cast<double>(strata[f].size()));
  } else {
    boost::random::normal_distribution<double> standard_normal;
    for (std::size_t f = 0; f < d; ++f) noise[f] = standard_normal(engine);
  }
  const DomainDraw& shape = own;
  const NormalCdfSpline& cdf = *cdf_;
  const double* const knots = knots_.data();
  const double* const pow10 = pow10_;
  const std::uint8_t* const exact = knot_exact_.data();
  // In passes (normal scores, then Phi, then the marginals), so the features'
  // independent chains of arithmetic overlap.
  std::array<double, kMaxProfileFeatures> feature_u;
  for (std::size_t f = 0; f < d; ++f) {
    const double* row = &shape.residual[f * d];
    double z = shape.score_loading[f] * z_score;
    for (std::size_t i = 0; i <= f; ++i) z += row[i] * noise[i];
    feature_u[f] = z;
  }
  for (std::size_t f = 0; f < d; ++f) feature_u[f] = cdf(feature_u[f]);
  for (std::size_t f = 0; f < d; ++f) {
    const FeatureDraw& m = shape.features[f];
    std::size_t knot;
    const double q = marginal_quantile(knots + m.offset, m.segments, m.tails, feature_u[f], m.jumps, knot);
    // A point mass of kAtomMinRows rows or more, or of kBoundMassMinRows at
    // the column's least or greatest value, comes back as the profile's own value: six
    // digits of 3.258096538 (a value thousands of rows share) would move its
    // whole mass off it. A value fewer rows hold inside the range is rounded
    // like any other, so no row's own digits are copied.
    const double x = m.scale > 0 ? round_to_scale(q, m.scale)
                     : knot != kNoKnot && exact[m.offset + knot]
                         ? q
                         : round_to_digits(q, m.least_decimals, pow10);
    out.features[f] = std::clamp(x, m.min, m.max) + 0.0;  // + 0.0: no "-0"
  }

  // The text: the domain's vocabulary (neutral for unknown domains), with as
  // many clauses as `complexity` says and `length` reported from the text.
  const double length_min =
      length_feature_ >= 0 ? shape.features[static_cast<std::size_t>(length_feature_)].min : 0.0;
  draw_text(engine, own.parts, complexity_feature_, length_feature_, length_min, out);
}

}  // namespace synth
