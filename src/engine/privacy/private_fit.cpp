// The private fit's checks and its first releases: which domains, which
// features are integers, and the bounds (private_fit.hpp tells the whole
// mechanism; private_shape.cpp releases the marginals and the copula).
#include "engine/privacy/private_fit.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/privacy/accountant.hpp"
#include "engine/privacy/discrete_gaussian.hpp"
#include "engine/privacy/private_parts.hpp"
#include "engine/privacy/private_statistics.hpp"
#include "engine/profile/profile_fit.hpp"

namespace synth {

void check_privacy_request(const PrivacyRequest& request, std::size_t dimension) {
  if (!(request.epsilon > 0) || !std::isfinite(request.epsilon))
    throw_invalid_parameter("epsilon must be a positive finite number",
                            "epsilon is the privacy loss the profile may cost; smaller is more private.");
  if (!(request.delta > 0 && request.delta <= kMaxPrivacyDelta))
    throw_invalid_parameter(
        "delta must lie in (0, 0.001]",
        "delta is the chance the guarantee may fail; 1e-9 is the default, and it must stay far "
        "below 1 / (the rows).");
  if (!request.feature_bounds.empty() && request.feature_bounds.size() != dimension)
    throw_invalid_parameter("bounds must give one entry per feature: the rows have " +
                            std::to_string(dimension) + " features, bounds has " +
                            std::to_string(request.feature_bounds.size()));
  for (std::size_t f = 0; f < request.feature_bounds.size(); ++f) {
    const auto& b = request.feature_bounds[f];
    if (!b) continue;
    if (!std::isfinite(b->first) || !std::isfinite(b->second) || !(b->first < b->second))
      throw_invalid_parameter(
          "bounds of feature " + std::to_string(f + 1) + " must be finite numbers [lo, hi] with lo < hi",
          "Bounds are public: values outside them are clamped into them.");
  }
  std::set<std::string> seen;
  for (const std::string& name : request.public_domains) {
    if (name.empty() || name.size() > kMaxNameBytes)
      throw_invalid_parameter("domains must hold names of 1 to " + std::to_string(kMaxNameBytes) + " bytes");
    if (!seen.insert(name).second) throw_invalid_parameter("domains names \"" + name + "\" twice");
  }
  if (request.public_domains.size() > kMaxProfileDomains)
    throw_invalid_parameter("domains may name at most " + std::to_string(kMaxProfileDomains) + " domains");
  if (request.noise == nullptr) throw_invalid_parameter("a private fit needs a source of noise");
}

namespace {
PrivacyTrace* privacy_trace = nullptr;
}  // namespace

void set_privacy_trace(PrivacyTrace* trace) { privacy_trace = trace; }
void trace_delta(const char* what, double delta) {
  if (privacy_trace) privacy_trace->deltas.emplace_back(what, delta);
}

std::int64_t NoiseGenerator::add(std::int64_t value) {
  if (privacy_trace && trace_index_ < privacy_trace->noise.size()) ++privacy_trace->noise[trace_index_].draws;
  return value + gaussian_.sample(*random_);
}

NoiseGenerator::NoiseGenerator(PrivacyPart part, double sensitivity_squared, double rho, RandomSource& random)
    : gaussian_(variance_at_least(
          std::min(checked_variance(gaussian_variance(sensitivity_squared, rho)), kMaxNoiseVariance))),
      random_(&random),
      trace_index_(SIZE_MAX) {
  if (privacy_trace) {
    trace_index_ = privacy_trace->noise.size();
    privacy_trace->noise.push_back({part, sensitivity_squared, rho, variance(), 0});
  }
}

double NoiseGenerator::variance() const {
  const Rational v = gaussian_.variance();
  return static_cast<double>(v.numerator) / static_cast<double>(v.denominator);
}

double NoiseGenerator::sigma() const { return std::sqrt(variance()) * (1.0 + 1e-12); }

double NoiseGenerator::checked_variance(double variance) {
  if (!(variance <= kMaxNoiseVariance))
    throw_invalid_parameter("epsilon is too small for a profile of this dimension",
                            "The noise it needs exceeds what the sampler draws; choose a larger epsilon.");
  return variance;
}

namespace {

// Step 1: the released domains, by name, with their noisy counts.
ReleasedDomains release_domains(const PrivateRows& rows, const std::vector<std::string>& names,
                                const PrivacyRequest& request, double rho, double delta_threshold) {
  NoiseGenerator noise(PrivacyPart::kCounts, 1.0, rho, *request.noise);
  const std::vector<std::int64_t> counts = count_domains(rows, names.size());
  std::vector<std::pair<std::string, std::int64_t>> released;  // name, noisy rows
  if (!request.public_domains.empty()) {
    std::vector<std::string> listed = request.public_domains;
    std::sort(listed.begin(), listed.end());
    for (const std::string& name : listed) {
      check_interrupt();
      const auto it = std::find(names.begin(), names.end(), name);
      const std::int64_t count = it == names.end() ? 0 : counts[static_cast<std::size_t>(it - names.begin())];
      const std::int64_t noisy = noise.add(count);
      if (noisy >= 1) released.emplace_back(name, noisy);
    }
  } else {
    // Noise is drawn in name order: the same rows in any order, the same draws.
    std::vector<std::size_t> order(names.size());
    for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    trace_delta("domains", delta_threshold);
    const double threshold = domain_threshold(noise.sigma(), delta_threshold);
    for (std::size_t g : order) {
      check_interrupt();
      const std::int64_t noisy = noise.add(counts[g]);
      if (static_cast<double>(noisy) >= threshold) released.emplace_back(names[g], noisy);
    }
  }
  // The most rows first (ties by name), cut to what a profile holds, then by name.
  std::stable_sort(released.begin(), released.end(), [](const auto& a, const auto& b) {
    return a.second > b.second || (a.second == b.second && a.first < b.first);
  });
  if (released.size() > kMaxProfileDomains) released.resize(kMaxProfileDomains);
  std::sort(released.begin(), released.end());
  ReleasedDomains out;
  out.slot.assign(names.size(), -1);
  for (std::size_t s = 0; s < released.size(); ++s) {
    out.names.push_back(released[s].first);
    out.rows.push_back(static_cast<std::uint64_t>(released[s].second));
    out.total += out.rows.back();
    const auto it = std::find(names.begin(), names.end(), released[s].first);
    if (it != names.end()) out.slot[static_cast<std::size_t>(it - names.begin())] = static_cast<int>(s);
  }
  if (out.total < kMinFitRows)
    throw Error(sqlstate::kDataException,
                "synth_fit with epsilon needs at least " + std::to_string(kMinFitRows) +
                    " rows in released domains, the noisy count is " + std::to_string(out.total),
                "Domains are released when their noisy row counts are large enough; with domains listed, "
                "only rows of those domains count.",
                "Fit more rows, list the domains the rows hold, or spend a larger epsilon.");
  return out;
}

// Step 2: a feature is integer when its noisy count of non-integer rows is
// below 1% of the released rows.
std::vector<bool> release_integer_features(const PrivateRows& rows, const ReleasedDomains& released,
                                           double rho, RandomSource& random) {
  NoiseGenerator noise(PrivacyPart::kIntegers, non_integer_sensitivity_squared(rows.d), rho, random);
  const std::vector<std::int64_t> counts = count_non_integers(rows, released.slot);
  std::vector<bool> integer(rows.d);
  for (std::size_t f = 0; f < rows.d; ++f)
    integer[f] = static_cast<double>(noise.add(counts[f])) < 0.01 * static_cast<double>(released.total);
  return integer;
}

// Step 3: bounds, given or estimated from the noisy log-grid histograms: the
// outermost bins whose noisy count reaches max(sigma sqrt(2 log(100 bins)),
// 0.2% of the rows).
std::vector<std::pair<double, double>> release_bounds(const PrivateRows& rows,
                                                      const ReleasedDomains& released,
                                                      const PrivacyRequest& request, double rho,
                                                      const std::vector<bool>& integer) {
  std::vector<std::pair<double, double>> bounds(rows.d);
  std::vector<std::size_t> estimated;
  for (std::size_t f = 0; f < rows.d; ++f) {
    if (!request.feature_bounds.empty() && request.feature_bounds[f])
      bounds[f] = *request.feature_bounds[f];
    else
      estimated.push_back(f);
  }
  if (!estimated.empty()) {
    NoiseGenerator noise(PrivacyPart::kBounds, log_histogram_sensitivity_squared(estimated.size()), rho,
                         *request.noise);
    const std::vector<std::int64_t> counts = log_histograms(rows, released.slot, estimated);
    // A bin of no row passes with probability below 1% per feature (the
    // noise is sigma^2-subgaussian; a union bound over the bins).
    const double cut = std::max(noise.sigma() * std::sqrt(2.0 * std::log(100.0 * kLogBins)),
                                0.002 * static_cast<double>(released.total));
    for (std::size_t k = 0; k < estimated.size(); ++k) {
      std::size_t first = kLogBins, last = 0, best = kLogSide;
      std::int64_t most = INT64_MIN;
      for (std::size_t b = 0; b < kLogBins; ++b) {
        poll_interrupt();
        const std::int64_t noisy = noise.add(counts[k * kLogBins + b]);
        if (noisy > most) most = noisy, best = b;
        if (static_cast<double>(noisy) >= cut) first = std::min(first, b), last = b;
      }
      if (first == kLogBins) first = last = best;  // nothing passed: the fullest bin
      bounds[estimated[k]] = {log_bin_edges(first).first, log_bin_edges(last).second};
    }
  }
  for (std::size_t f = 0; f < rows.d; ++f) {
    auto& [lo, hi] = bounds[f];
    if (integer[f]) lo = std::floor(lo), hi = std::ceil(hi);
    if (!(hi > lo)) hi = lo + 1;
  }
  return bounds;
}

}  // namespace

// The dimension of a fit without names or bounds, chosen privately: the
// rows of each dimension 1 .. kMaxProfileFeatures plus noise (a row has one
// dimension: L2 sensitivity 1), the largest noisy count (ties to the smaller).
std::size_t choose_dimension(const std::map<std::size_t, std::uint64_t>& rows_by_dimension, double rho,
                             RandomSource& random) {
  NoiseGenerator noise(PrivacyPart::kDimension, 1.0, rho, random);
  std::size_t best = 1;
  std::int64_t most = INT64_MIN;
  for (std::size_t d = 1; d <= kMaxProfileFeatures; ++d) {
    check_interrupt();
    const auto it = rows_by_dimension.find(d);
    const std::int64_t noisy =
        noise.add(it == rows_by_dimension.end() ? 0 : static_cast<std::int64_t>(it->second));
    if (noisy > most) most = noisy, best = d;
  }
  return best;
}

Profile ProfileFitter::fit_private(std::vector<std::string> feature_names,
                                   const PrivacyRequest& request) const {
  // The dimension is public input (the names, else the bounds), or chosen privately.
  const bool choose = feature_names.empty() && request.feature_bounds.empty();
  check_privacy_request(request, choose                   ? 1
                                 : !feature_names.empty() ? feature_names.size()
                                                          : request.feature_bounds.size());
  const std::size_t given = !feature_names.empty() ? feature_names.size() : request.feature_bounds.size();
  if (!choose && given > kMaxProfileFeatures)
    throw_invalid_parameter("a profile holds 1 to " + std::to_string(kMaxProfileFeatures) +
                            " features; name them (feature_names) or bound them (bounds)");
  const bool any_estimated = request.feature_bounds.empty() ||
                             std::any_of(request.feature_bounds.begin(), request.feature_bounds.end(),
                                         [](const auto& b) { return !b; });
  const bool any_given = std::any_of(request.feature_bounds.begin(), request.feature_bounds.end(),
                                     [](const auto& b) { return !!b; });
  const DeltaSplit deltas = split_delta(request.delta, !request.public_domains.empty());
  trace_delta("conversion", deltas.conversion);
  const BudgetSplit split = split_budget(rho_for(request.epsilon, deltas.conversion), any_estimated, choose);
  const std::size_t d =
      choose ? choose_dimension(dimension_rows_, split[PrivacyPart::kDimension], *request.noise) : given;
  if (feature_names.empty())
    for (std::size_t i = 0; i < d; ++i) feature_names.push_back("f" + std::to_string(i + 1));

  static const Rows kNone;
  const auto found = rows_of_.find(d);
  const Rows& kept = found == rows_of_.end() ? kNone : found->second;
  std::vector<std::string> names(kept.domain_index.size());
  for (const auto& [name, index] : kept.domain_index) names[index] = name;
  PrivateRows rows{kept.values.data(), kept.domain.data(), static_cast<std::size_t>(kept.rows), d};

  const ReleasedDomains released =
      release_domains(rows, names, request, split[PrivacyPart::kCounts], deltas.domains);
  const std::vector<bool> integer =
      release_integer_features(rows, released, split[PrivacyPart::kIntegers], *request.noise);
  const std::vector<std::pair<double, double>> bounds =
      release_bounds(rows, released, request, split[PrivacyPart::kBounds], integer);

  Profile p = release_shape(rows, released, bounds, integer, split, deltas.atoms, *request.noise);
  p.feature_names = std::move(feature_names);
  p.privacy =
      PrivacyInfo{request.epsilon, request.delta, split.total, request.seeded ? kSeededMechanism : kMechanism,
                  any_given && any_estimated ? "mixed"
                  : any_given                ? "given"
                                             : "estimated"};
  validate_profile(p);
  return p;
}

}  // namespace synth
