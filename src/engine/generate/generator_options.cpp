#include "engine/generate/generator_options.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "engine/model/error.hpp"
#include "engine/model/number_text.hpp"

namespace synth {
namespace {

// For messages: no rounding noise ("0.9", not "0.8999999999999999").
std::string format_double(double v) { return format_readable(v); }

}  // namespace

std::string valid_domain_list() {
  std::string out;
  for (std::size_t i = 0; i < kDomainCount; ++i) {
    if (i) out += ", ";
    out += kDomains[i].name;
  }
  return out;
}

namespace {

[[noreturn]] void reject_unknown_domain(std::string_view domain) {
  throw_invalid_parameter("unknown domain \"" + std::string(domain) + "\" in domain_weights",
                          "Valid domains: " + valid_domain_list() + ".");
}

// Whether every value is a float4 widened to float8 (a real[] argument).
template <std::size_t K>
bool all_float4(const std::array<double, K>& values) {
  for (double v : values)
    if (static_cast<double>(static_cast<float>(v)) != v) return false;
  return true;
}

}  // namespace

void validate_row_count(std::int64_t n) {
  if (n < 0)
    throw_invalid_parameter("n must not be negative, got " + std::to_string(n),
                            "n is the number of rows in the dataset.", "Pass 0 or more rows.");
  if (n > kMaxRows)
    throw Error(sqlstate::kProgramLimitExceeded,
                "n must be at most " + std::to_string(kMaxRows) + ", got " + std::to_string(n),
                "One dataset holds at most 10^12 rows.",
                "Split the work into several datasets with different seeds.");
}

void validate_tier_shares(const std::array<double, kTierCount>& shares) {
  double sum = 0;
  for (std::size_t i = 0; i < kTierCount; ++i) {
    if (!std::isfinite(shares[i]) || shares[i] < 0)
      throw_invalid_parameter("tier_shares[" + std::to_string(i + 1) +
                                  "] must be a finite number >= 0, got " + format_double(shares[i]),
                              "tier_shares holds the shares of the low, medium and high tiers.",
                              kTierSharesHint);
    sum += shares[i];
  }
  // real[] shares carry float4 rounding (0.3::real is 0.300000012): accept
  // what three such roundings can add up to, about 1.8e-7.
  const double tolerance = all_float4(shares) ? 3.0 * std::ldexp(1.0, -24) : 1e-9;
  if (std::fabs(sum - 1.0) > tolerance)
    throw_invalid_parameter("tier_shares must sum to 1, got " + format_double(sum),
                            "The sum may differ from 1 by 1e-9 (by 1.8e-7 for real[] shares).",
                            kTierSharesHint);
}

void validate_label_noise(double label_noise) {
  if (!(label_noise >= 0.0 && label_noise <= 1.0))
    throw_invalid_parameter(
        "label_noise must be between 0 and 1, got " + format_double(label_noise),
        "label_noise is the share of rows whose features come from a randomly chosen tier.",
        "Pass a value in [0, 1]; the default is 0.05.");
}

void validate_domain_weights(const std::array<double, kDomainCount>& weights) {
  double sum = 0;
  for (std::size_t i = 0; i < kDomainCount; ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0)
      throw_invalid_parameter("domain_weights.\"" + std::string(kDomains[i].name) +
                              "\" must be a finite number >= 0, got " + format_double(weights[i]));
    sum += weights[i];
  }
  if (!std::isfinite(sum))
    throw_invalid_parameter(
        "domain_weights are too large: their sum overflows", {},
        "Weights are relative: scale them down, e.g. '{\"technical\": 3, \"creative\": 1}'.");
  if (!(sum > 0))
    throw_invalid_parameter("domain_weights must give at least one domain a positive weight",
                            "Valid domains: " + valid_domain_list() + ".",
                            "For example '{\"technical\": 3, \"creative\": 1}'.");
}

void validate_options(const GeneratorOptions& options) {
  validate_row_count(options.n);
  validate_domain_weights(options.domain_weights);
  validate_tier_shares(options.tier_shares);
  validate_label_noise(options.label_noise);
}

SliceRange resolve_slice(std::int64_t n, std::int64_t slice_start, std::int64_t slice_rows) {
  if (slice_start < 0 || slice_start > n)
    throw_invalid_parameter(
        "slice_start must be between 0 and n (" + std::to_string(n) + "), got " + std::to_string(slice_start),
        "slice_start is the first sample_id to emit.");
  std::int64_t available = n - slice_start;
  if (slice_rows < 0) return {slice_start, available};
  if (slice_rows > available)
    throw_invalid_parameter("slice_rows must be at most n - slice_start (" + std::to_string(available) +
                                "), got " + std::to_string(slice_rows),
                            "The slice [slice_start, slice_start + slice_rows) must lie inside [0, n).");
  return {slice_start, slice_rows};
}

void DomainWeightsBuilder::set(std::string_view domain, double weight) {
  auto index = find_domain(domain);
  if (!index) reject_unknown_domain(domain);
  if (!std::isfinite(weight) || weight < 0)
    throw_invalid_parameter("domain_weights.\"" + std::string(domain) +
                                "\" must be a finite number >= 0, got " + format_double(weight),
                            {}, "Weights are relative: '{\"technical\": 3, \"creative\": 1}'.");
  if (seen_[*index])
    throw_invalid_parameter("domain \"" + std::string(domain) + "\" appears twice in domain_weights");
  seen_[*index] = true;
  weights_[*index] = weight;
}

// "0.000...0001234" (numeric's text for 1.234e-400) in scientific notation,
// with at most six significant digits.
std::string scientific_text(std::string_view fraction) {
  const std::size_t point = fraction.find('.');
  if (fraction.substr(0, 2) != "0." || point != 1) return std::string(fraction.substr(0, 40));
  const std::size_t first = fraction.find_first_not_of('0', 2);
  if (first == std::string_view::npos) return "0";
  std::string digits(fraction.substr(first, 6));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out(1, digits[0]);
  if (digits.size() > 1) out += "." + digits.substr(1);
  return out + "e-" + std::to_string(first - 1);
}

void DomainWeightsBuilder::reject_underflow(std::string_view domain, std::string_view number_text) const {
  if (!find_domain(domain)) reject_unknown_domain(domain);
  throw_invalid_parameter(
      "domain_weights.\"" + std::string(domain) + "\" is too small: " + scientific_text(number_text) +
          " is below the smallest positive float8 (4.9e-324)",
      "A positive weight this small would read as 0.",
      "Weights are relative: scale them all up, e.g. '{\"technical\": 3, \"creative\": 1}'.");
}

void DomainWeightsBuilder::reject_non_numeric(std::string_view domain, std::string_view json_type) const {
  if (!find_domain(domain)) reject_unknown_domain(domain);
  throw_invalid_parameter(
      "domain_weights.\"" + std::string(domain) + "\" must be a number, got " + std::string(json_type), {},
      "Weights are relative: '{\"technical\": 3, \"creative\": 1}'.");
}

std::array<double, kDomainCount> DomainWeightsBuilder::finish() const {
  validate_domain_weights(weights_);
  return weights_;
}

}  // namespace synth
