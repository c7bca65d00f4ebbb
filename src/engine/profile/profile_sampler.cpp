#include "engine/profile/profile_sampler.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_smallint.hpp>

#include "engine/generate/generator_options.hpp"
#include "engine/generate/prompt_parts.hpp"
#include "engine/generate/row_engine.hpp"
#include "engine/model/domain_table.hpp"
#include "engine/model/error.hpp"
#include "engine/model/mixing.hpp"
#include "engine/profile/normal.hpp"

namespace synth {
namespace {

// Streams of derive_key, apart from the design-table generator's (1..3).
constexpr std::uint64_t kCellStream = 11;
constexpr std::uint64_t kFittedRowStream = 13;
constexpr double kTieTolerance = 1e-9;

double round_to_scale(double x, double scale) { return std::round(x * scale) / scale; }

// Keeps a rounded score inside its band ("between" is open at both ends).
double keep_in_band(double s, std::size_t band, double raw) {
  switch (band) {
    case 0: return std::clamp(s, 0.0, 0.3);
    case 1: return std::clamp(s, 0.4, 0.6);
    case 2: return std::clamp(s, 0.7, 1.0);
    default: return raw < 0.5 ? std::clamp(s, 0.3001, 0.3999) : std::clamp(s, 0.6001, 0.6999);
  }
}

constexpr std::array<double, kBandCount> kBandCentres = {0.15, 0.5, 0.85, 0.35};

}  // namespace

std::vector<std::uint64_t> largest_remainder(std::uint64_t n, const std::vector<double>& weights) {
  const std::size_t k = weights.size();
  long double total = 0;
  for (double w : weights) total += w;
  std::vector<std::uint64_t> counts(k, 0);
  std::vector<double> remainders(k, -1.0);
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const long double exact = static_cast<long double>(n) * weights[i] / total;
    const long double whole = std::floor(exact);
    counts[i] = static_cast<std::uint64_t>(whole);
    remainders[i] = weights[i] > 0 ? static_cast<double>(exact - whole) : -1.0;
    assigned += counts[i];
  }
  while (assigned > n) {
    std::size_t worst = k;
    for (std::size_t i = 0; i < k; ++i)
      if (counts[i] > 0 && (worst == k || remainders[i] < remainders[worst])) worst = i;
    --counts[worst];
    remainders[worst] = 2.0;
    --assigned;
  }
  while (assigned < n) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < k; ++i)
      if (remainders[i] > remainders[best] + kTieTolerance) best = i;
    ++counts[best];
    remainders[best] = -1.0;
    ++assigned;
  }
  return counts;
}

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

ProfileSampler::ProfileSampler(Profile profile, ProfileOptions options)
    : profile_((validate_profile(profile), std::move(profile))),
      options_((validate_row_count(options.n), std::move(options))),
      cell_order_(static_cast<std::uint64_t>(options_.n), derive_key(options_.seed, kCellStream)),
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

  // Exact strata in both directions: domain counts by largest remainder of
  // the weights, band counts by largest remainder of the band shares the
  // domains imply (the real band shares, unless domain_weights re-weigh
  // them), and cells that keep each domain's own band mix as closely as the
  // two sets of totals allow.
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  std::vector<double> joint(domains * kBandCount);
  std::vector<double> band_weights(kBandCount, 0.0);
  for (std::size_t k = 0; k < domains; ++k)
    for (std::size_t b = 0; b < kBandCount; ++b) {
      joint[k * kBandCount + b] = weights[k] / weight_sum * profile_.domains[k].band_shares[b];
      band_weights[b] += joint[k * kBandCount + b];
    }
  const std::vector<std::uint64_t> domain_totals = largest_remainder(n, weights);
  const std::vector<std::uint64_t> band_totals = largest_remainder(n, band_weights);
  cells_.assign(domains * kBandCount, 0);
  std::vector<double> priority(domains * kBandCount);
  std::vector<std::uint64_t> row_left = domain_totals;
  std::vector<std::uint64_t> band_left = band_totals;
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    const long double exact = static_cast<long double>(n) * joint[c];
    std::uint64_t whole = static_cast<std::uint64_t>(std::floor(exact));
    const std::size_t k = c / kBandCount;
    const std::size_t b = c % kBandCount;
    whole = std::min({whole, row_left[k], band_left[b]});
    cells_[c] = whole;
    row_left[k] -= whole;
    band_left[b] -= whole;
    priority[c] = joint[c] > 0 ? static_cast<double>(exact - static_cast<long double>(whole)) : -10.0;
  }
  std::uint64_t left = 0;
  for (std::uint64_t r : row_left) left += r;
  for (; left > 0; --left) {
    std::size_t best = cells_.size();
    for (std::size_t c = 0; c < cells_.size(); ++c) {
      if (row_left[c / kBandCount] == 0 || band_left[c % kBandCount] == 0) continue;
      if (best == cells_.size() || priority[c] > priority[best] + kTieTolerance) best = c;
    }
    ++cells_[best];
    --row_left[best / kBandCount];
    --band_left[best % kBandCount];
    priority[best] -= 1.0;
  }
  cell_ends_.resize(cells_.size());
  std::uint64_t end = 0;
  for (std::size_t c = 0; c < cells_.size(); ++c) cell_ends_[c] = end += cells_[c];

  auto prepare = [&](const DomainProfile& dp) {
    DomainDraw draw;
    draw.score_loading.resize(d);
    std::vector<double> schur(d * d);
    for (std::size_t f = 0; f < d; ++f) draw.score_loading[f] = dp.correlation[f * width + d];
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b)
        schur[a * d + b] = dp.correlation[a * width + b] - draw.score_loading[a] * draw.score_loading[b];
    for (double jitter = 1e-9; !cholesky(schur, d, draw.residual); jitter *= 10)
      for (std::size_t a = 0; a < d; ++a) schur[a * d + a] += jitter;
    const Marginal& m = dp.score;
    auto add = [&](std::size_t band, double lo, double hi, bool open) {
      if (open ? hi <= lo : hi < lo) return;
      draw.segments[band][draw.segment_count[band]++] = {lo, hi};
      draw.band_mass[band] += hi - lo;
    };
    if (m.min() <= 0.3) add(0, 0.0, m.upper_probability(0.3), false);
    if (m.min() <= 0.6 && m.max() >= 0.4) add(1, m.lower_probability(0.4), m.upper_probability(0.6), false);
    if (m.max() >= 0.7) add(2, m.lower_probability(0.7), 1.0, false);
    if (m.max() > 0.3 && m.min() < 0.4) add(3, m.upper_probability(0.3), m.lower_probability(0.4), true);
    if (m.max() > 0.6 && m.min() < 0.7) add(3, m.upper_probability(0.6), m.lower_probability(0.7), true);
    const auto known = find_domain(dp.name);
    draw.parts = known ? *known : kNeutralParts;
    return draw;
  };
  for (const auto& dp : profile_.domains) draws_.push_back(prepare(dp));
  pooled_draw_ = prepare(profile_.pooled);

  feature_scale_.resize(d, 1.0);
  for (std::size_t f = 0; f < d; ++f) {
    const double magnitude = std::max(std::fabs(profile_.pooled.features[f].min()), std::fabs(profile_.pooled.features[f].max()));
    // Six significant digits of the largest observed value.
    const int decimals = magnitude > 0 ? std::clamp(5 - static_cast<int>(std::floor(std::log10(magnitude))), 0, 12) : 6;
    feature_scale_[f] = std::pow(10.0, decimals);
    const std::string& name = profile_.feature_names[f];
    const Marginal& pooled = profile_.pooled.features[f];
    if (name == "length" && profile_.integer_features[f] && pooled.max() >= 1) length_feature_ = static_cast<int>(f);
    if (name == "complexity" && profile_.integer_features[f] && pooled.min() >= 0 &&
        pooled.max() <= static_cast<double>(kMaxClauses))
      complexity_feature_ = static_cast<int>(f);
  }
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
  const std::size_t cell = static_cast<std::size_t>(
      std::upper_bound(cell_ends_.begin(), cell_ends_.end(), position) - cell_ends_.begin());
  const std::size_t k = cell / kBandCount;
  const std::size_t band = cell % kBandCount;
  const DomainProfile& dp = profile_.domains[k];
  const std::size_t d = profile_.dimension();
  out.sample_id = sample_id;
  out.domain = static_cast<std::uint32_t>(k);
  out.band = static_cast<std::uint32_t>(band);
  out.dimension = static_cast<std::uint32_t>(d);

  RowEngine engine = engine_for_row(row_key_, sample_id);
  boost::random::uniform_01<double> unit;

  // The score: a uniform over the band's probability segments of the score
  // marginal, i.e. the truncated normal of its normal score.
  const DomainDraw& own = draws_[k];
  const bool own_band = own.segment_count[band] > 0;
  const DomainDraw& draw = own_band ? own : pooled_draw_;
  const Marginal& score_marginal = own_band ? dp.score : profile_.pooled.score;
  const double score_draw = unit(engine);
  double u = 0.5;
  double raw;
  if (draw.segment_count[band] > 0) {
    double t = score_draw * draw.band_mass[band];
    u = draw.segments[band][0].low;
    for (std::size_t s = 0; s < draw.segment_count[band]; ++s) {
      const Segment& seg = draw.segments[band][s];
      const double width = seg.high - seg.low;
      u = seg.low + std::min(t, width);
      if (t <= width) break;
      t -= width;
    }
    raw = score_marginal.quantile(u);
  } else {
    raw = kBandCentres[band];  // no real row anywhere in this band: cannot happen with the profile's own shares
  }
  double score = std::clamp(round_to_scale(raw, 1e4), score_marginal.min(), score_marginal.max());
  out.score = std::clamp(keep_in_band(score, band, raw), 0.0, 1.0);
  const double z_score = normal_quantile(std::clamp(u, 1e-12, 1.0 - 1e-12));

  // The features: the copula conditioned on the score's normal score.
  std::array<double, kMaxProfileFeatures> noise;
  for (std::size_t f = 0; f < d; ++f) noise[f] = normal_quantile(std::clamp(unit(engine), 1e-12, 1.0 - 1e-12));
  const DomainDraw& shape = own;
  for (std::size_t f = 0; f < d; ++f) {
    double z = shape.score_loading[f] * z_score;
    for (std::size_t i = 0; i <= f; ++i) z += shape.residual[f * d + i] * noise[i];
    const Marginal& m = dp.features[f];
    double x = m.quantile(normal_cdf(z));
    x = profile_.integer_features[f] ? std::round(x) : round_to_scale(x, feature_scale_[f]);
    out.features[f] = std::clamp(x, m.min(), m.max()) + 0.0;  // + 0.0: no "-0"
  }

  // The text: the domain's vocabulary (neutral for unknown domains), with as
  // many clauses as `complexity` says and `length` reported from the text.
  const DomainParts& parts = parts_for(own.parts);
  PromptChoices choices;
  choices.domain = own.parts;
  constexpr std::uint32_t kVerbs = std::tuple_size_v<decltype(parts.verbs)>;
  constexpr std::uint32_t kSubjects = std::tuple_size_v<decltype(parts.subjects)>;
  constexpr std::uint32_t kFramings = kOriginalFramings.size();
  constexpr std::uint32_t kAudiences = std::tuple_size_v<decltype(parts.audiences)>;
  constexpr std::uint32_t kContexts = std::tuple_size_v<decltype(parts.contexts)>;
  std::uint32_t text_pick = boost::random::uniform_int_distribution<std::uint32_t>(
      0, kVerbs * kSubjects * kFramings * kAudiences * kContexts - 1)(engine);
  choices.verb = text_pick % kVerbs;
  text_pick /= kVerbs;
  choices.subject = text_pick % kSubjects;
  text_pick /= kSubjects;
  choices.framing = text_pick % kFramings;
  text_pick /= kFramings;
  choices.audience = text_pick % kAudiences;
  text_pick /= kAudiences;
  choices.first_context = text_pick;
  using Pick = boost::random::uniform_smallint<std::size_t>;
  const std::size_t free_clauses = Pick(2, 6)(engine);
  const double free_length = unit(engine);
  // (A validated profile keeps every domain's complexity within the pooled
  // 0..kMaxClauses; the clamp keeps the draw defined whatever the value.)
  choices.clause_count =
      complexity_feature_ >= 0
          ? static_cast<std::size_t>(std::clamp(out.features[static_cast<std::size_t>(complexity_feature_)], 0.0,
                                                static_cast<double>(kMaxClauses)))
          : free_clauses;
  if (length_feature_ >= 0) {
    const auto f = static_cast<std::size_t>(length_feature_);
    choices.target_length = static_cast<std::size_t>(std::max(0.0, out.features[f]));
    choices.min_length = static_cast<std::size_t>(std::max(1.0, dp.features[f].min()));
  } else {
    choices.target_length = static_cast<std::size_t>(80 + free_length * 170);
  }
  std::array<std::uint8_t, kMaxClauses> pool;
  for (std::size_t i = 0; i < kMaxClauses; ++i) pool[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < choices.clause_count; ++i) {
    std::size_t j = Pick(i, kMaxClauses - 1)(engine);
    std::swap(pool[i], pool[j]);
    choices.clauses[i] = pool[i];
  }
  compose_prompts(choices, out.prompts);
  if (length_feature_ >= 0) out.features[static_cast<std::size_t>(length_feature_)] = out.prompts.enhanced_length;
}

}  // namespace synth
