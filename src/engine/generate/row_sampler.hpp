// One row from (options, sample_id): the pure function at the heart of
// synthdata. There is no sequence state: any row can be made alone, in any
// order, on any machine, and equals the same row of the whole dataset.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "engine/model/domain_table.hpp"
#include "engine/generate/generator_options.hpp"
#include "engine/generate/keyed_permutation.hpp"
#include "engine/model/row_sampler_shape.hpp"
#include "engine/generate/prompt_composer.hpp"
#include "engine/generate/quota.hpp"

namespace synth {

struct GeneratedRow {
  std::int64_t sample_id;
  std::size_t domain;
  std::size_t tier;
  std::size_t feature_tier;  // the tier the features were drawn from (differs under label noise)
  std::array<double, kFeatureCount> features;
  double score;
  PromptPair prompts;
};

class RowSampler {
 public:
  using Row = GeneratedRow;

  // Validates the options (throws synth::Error).
  explicit RowSampler(const GeneratorOptions& options);

  const GeneratorOptions& options() const { return options_; }
  std::int64_t n() const { return options_.n; }
  std::uint64_t domain_count(std::size_t domain) const { return domain_quota_.count(domain); }
  std::uint64_t tier_count(std::size_t tier) const { return tier_quota_.count(tier); }

  // sample_id must lie in [0, n).
  // Never throws: it runs inside pg_guard blocks, where an exception must not escape.
  void sample(std::int64_t sample_id, GeneratedRow& out) const noexcept;

 private:
  GeneratorOptions options_;
  KeyedPermutation domain_order_;
  KeyedPermutation tier_order_;
  LargestRemainderQuota<kDomainCount> domain_quota_;
  LargestRemainderQuota<kTierCount> tier_quota_;
  std::uint64_t row_key_;
};

// Rows in flight and the sampler live across backend calls that may longjmp
// (see src/pg/bridge.hpp): they must own nothing that needs a destructor.
static_assert(std::is_trivially_destructible_v<GeneratedRow>);
static_assert(std::is_trivially_destructible_v<RowSampler>);

static_assert(IsRowSampler<RowSampler>::value);

}  // namespace synth
