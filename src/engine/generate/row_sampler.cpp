#include "engine/generate/row_sampler.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/uniform_smallint.hpp>

#include "engine/generate/beta_quantiles.hpp"
#include "engine/generate/row_engine.hpp"
#include "engine/model/mixing.hpp"
#include "engine/generate/prompt_parts.hpp"

namespace synth {
namespace {

// Round half up for the non-negative values here; avoids a libm call per feature.
double round_to(double value, double scale) {
  return static_cast<double>(static_cast<std::int64_t>(value * scale + 0.5)) / scale;
}

double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

// How a feature's position inside its domain range follows the latent quality
// q in [0, 1]. The shapes differ on purpose: together they tell the score, but
// no two move in lockstep (pairwise correlations stay under 0.8).
struct FeatureShape {
  double intercept;
  double slope;     // linear part in q
  double hump;      // bump centred on q = 0.5 (medium prompts)
  double noise_sd;  // per-row noise in positions (uniform, with this standard deviation)
};
constexpr std::array<FeatureShape, kFeatureCount> kShapes = {{
    {0.10, 0.80, 0.0, 0.08},   // clarity
    {0.30, 0.40, 0.0, 0.25},   // length (target of the enhanced prompt)
    {0.10, 0.80, 0.0, 0.16},   // specificity
    {0.05, 0.90, 0.0, 0.22},   // complexity (requirement clauses)
    {0.20, 0.00, 0.65, 0.12},  // context_richness
    {0.15, 0.70, 0.0, 0.16},   // actionability
}};

template <typename Engine>
double feature_position(Feature feature, double q, Engine& engine) {
  const FeatureShape& s = kShapes[static_cast<std::size_t>(feature)];
  // A parabola, not a Gaussian: same shape where it matters, no exp() per row.
  const double d = (q - 0.5) / 0.3;
  const double bump = s.hump * std::max(0.0, 1.0 - d * d);
  // Uniform noise: one draw instead of a ziggurat normal, which was a third of
  // a row's cost; the forest and the correlations hardly see the difference.
  constexpr double kUniformHalfWidthPerSd = 1.7320508075688772;  // sqrt(3)
  const double noise =
      (2.0 * boost::random::uniform_01<double>()(engine) - 1.0) * s.noise_sd * kUniformHalfWidthPerSd;
  return clamp01(s.intercept + s.slope * q + bump + noise);
}

double in_range(const Range& r, double position) { return r.low + (r.high - r.low) * position; }

}  // namespace

RowSampler::RowSampler(const GeneratorOptions& options)
    : options_((validate_options(options), options)),
      domain_order_(static_cast<std::uint64_t>(options.n), derive_key(options.seed, kDomainStream)),
      tier_order_(static_cast<std::uint64_t>(options.n), derive_key(options.seed, kTierStream)),
      domain_quota_(static_cast<std::uint64_t>(options.n), options.domain_weights),
      tier_quota_(static_cast<std::uint64_t>(options.n), options.tier_shares),
      row_key_(derive_key(options.seed, kRowStream)) {}

void RowSampler::sample(std::int64_t sample_id, GeneratedRow& out) const noexcept {
  const auto id = static_cast<std::uint64_t>(sample_id);
  out.sample_id = sample_id;
  out.domain = domain_quota_.category_of(domain_order_(id));
  out.tier = tier_quota_.category_of(tier_order_(id));
  const DomainSpec& domain = kDomains[out.domain];

  RowEngine engine = engine_for_row(row_key_, sample_id);
  const BetaQuantiles score_shape = domain_score_quantiles(out.domain);
  boost::random::uniform_01<double> unit;

  const ScoreBand& band = kTierBands[out.tier];
  out.score = std::clamp(round_to(band.low + (band.high - band.low) * score_shape.at(unit(engine)), 1e4),
                         band.low, band.high);

  // Label noise: the draws are made for every row, and only the choice depends
  // on label_noise, so raising the noise changes a growing superset of rows.
  const double noise_draw = unit(engine);
  const std::size_t other_tier = boost::random::uniform_smallint<std::size_t>(0, 2)(engine);
  const ScoreBand& other_band = kTierBands[other_tier];
  const double other_latent =
      boost::random::uniform_real_distribution<double>(other_band.low, other_band.high)(engine);
  const bool noisy = noise_draw < options_.label_noise;
  out.feature_tier = noisy ? other_tier : out.tier;
  const double q = noisy ? other_latent : out.score;

  for (Feature f :
       {Feature::kClarity, Feature::kSpecificity, Feature::kContextRichness, Feature::kActionability}) {
    const auto i = static_cast<std::size_t>(f);
    out.features[i] = round_to(in_range(domain.feature_ranges[i], feature_position(f, q, engine)), 1e3);
  }

  PromptChoices choices;
  choices.domain = out.domain;
  const Range clauses = domain.feature_ranges[static_cast<std::size_t>(Feature::kComplexity)];
  choices.clause_count = static_cast<std::size_t>(
      std::lround(in_range(clauses, feature_position(Feature::kComplexity, q, engine))));
  const Range lengths = domain.feature_ranges[static_cast<std::size_t>(Feature::kLength)];
  choices.target_length =
      static_cast<std::size_t>(std::lround(in_range(lengths, feature_position(Feature::kLength, q, engine))));

  // uniform_smallint: exact enough for ranges this small, and far cheaper.
  // The five text choices come from one uniform draw over their product,
  // read back digit by digit (mixed radix): one engine call instead of five.
  set_text_choices(boost::random::uniform_int_distribution<std::uint32_t>(0, kTextChoices - 1)(engine),
                   choices);
  using Pick = boost::random::uniform_smallint<std::size_t>;
  // A partial Fisher-Yates shuffle picks clause_count distinct clauses.
  std::array<std::uint8_t, kMaxClauses> pool;
  for (std::size_t i = 0; i < kMaxClauses; ++i) pool[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < choices.clause_count; ++i) {
    std::size_t j = Pick(i, kMaxClauses - 1)(engine);
    std::swap(pool[i], pool[j]);
    choices.clauses[i] = pool[i];
  }

  compose_prompts(choices, out.prompts);
  out.features[static_cast<std::size_t>(Feature::kLength)] = out.prompts.enhanced_length;
  out.features[static_cast<std::size_t>(Feature::kComplexity)] = static_cast<double>(choices.clause_count);
}

}  // namespace synth
