// What defines a dataset: every row is a pure function of these options and
// its sample_id. Validation lives here so SQL, the unit tests and the fuzzers
// reject the same inputs with the same messages.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/model/domain_table.hpp"
#include "engine/model/limits.hpp"

namespace synth {

inline constexpr double kDefaultLabelNoise = 0.05;
// The hint of every refusal of tier_shares.
inline constexpr const char* kTierSharesHint =
    "Pass three non-negative values summing to 1, e.g. '{0.25,0.5,0.25}'.";

struct GeneratorOptions {
  std::int64_t n = 0;
  std::uint64_t seed = 0;
  std::array<double, kDomainCount> domain_weights = default_domain_weights();
  std::array<double, kTierCount> tier_shares = kDefaultTierShares;
  double label_noise = kDefaultLabelNoise;

  static constexpr std::array<double, kDomainCount> default_domain_weights() {
    std::array<double, kDomainCount> w{};
    for (std::size_t i = 0; i < kDomainCount; ++i) w[i] = kDomains[i].default_share;
    return w;
  }
};

// The rows of one dataset that a call emits: sample_ids [start, start + count).
struct SliceRange {
  std::int64_t start = 0;
  std::int64_t count = 0;
};

// Throws synth::Error (22023, 54000) naming the argument and the allowed values.
void validate_row_count(std::int64_t n);
void validate_tier_shares(const std::array<double, kTierCount>& shares);
void validate_label_noise(double label_noise);
void validate_domain_weights(const std::array<double, kDomainCount>& weights);
void validate_options(const GeneratorOptions& options);
// slice_rows < 0 means "to the end".
SliceRange resolve_slice(std::int64_t n, std::int64_t slice_start, std::int64_t slice_rows);

// Collects domain_weights from a JSON object, one key at a time.
class DomainWeightsBuilder {
 public:
  // Every domain starts at weight 0: naming some domains generates only those.
  void set(std::string_view domain, double weight);
  // A value that is not a JSON number.
  // A value that is not a number; an unknown domain is named first.
  [[noreturn]] void reject_non_numeric(std::string_view domain, std::string_view json_type) const;
  // A positive number too small for a double (it would read as 0).
  [[noreturn]] void reject_underflow(std::string_view domain, std::string_view number_text) const;
  std::array<double, kDomainCount> finish() const;

 private:
  std::array<double, kDomainCount> weights_{};
  std::array<bool, kDomainCount> seen_{};
};

// "technical, creative, analytical, instructional, conversational"
std::string valid_domain_list();

}  // namespace synth
