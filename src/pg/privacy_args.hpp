// The privacy arguments of synth_fit and synth_refresh (epsilon, delta,
// bounds, domains, seed) read and checked, the noise source they choose, and
// the checks that need the rows (bounds that exclude every row, a domain list
// that names no real domain). The engine's private fit does the rest
// (engine/privacy/private_fit.hpp); the ledger is pg/privacy_ledger.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/privacy/private_fit.hpp"
#include "engine/privacy/random_source.hpp"
#include "engine/rows/observation_sink.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

struct PrivacyArguments {
  double epsilon = 0;
  double delta = 1e-9;
  // As the caller named them: feature name -> [lo, hi], lo < hi, both
  // finite, or none (null: the feature is named, its bounds estimated).
  std::vector<std::pair<std::string, std::optional<std::pair<double, double>>>> bounds;
  std::vector<std::string> domains;  // public domain list; empty: found by a noisy threshold
  std::optional<std::int64_t> seed;  // reproducible noise (tests); none: the server's strong random source
};

// The arguments at epsilon_arg, epsilon_arg + 1 (delta), + 2 (bounds),
// + 3 (domains) and seed_arg (or -1 where the function has no noise seed).
// Without epsilon (NULL) the fit is not private: nullopt, and bounds,
// domains or seed given anyway are an error (22023) naming them. Every bad
// value is an error naming the argument of function_name.
std::optional<PrivacyArguments> privacy_arguments(FunctionCallInfo fcinfo, int epsilon_arg, int seed_arg,
                                                  const char* function_name);

// The bounds per feature index of the fitted features (named as the profile
// names them); a name no feature has is an error naming bounds.
std::vector<std::optional<std::pair<double, double>>> bounds_by_feature(
    const PrivacyArguments& arguments, const std::vector<std::string>& feature_names,
    const char* function_name);

// The names a fitted profile gives its features: names, or f1..fd without.
std::vector<std::string> profile_feature_names(std::vector<std::string> names, std::size_t dimension);

// The feature names of a private fit, from its public arguments only (never
// from the rows): bounds whose keys are all f1, f2, ... name f1..fk, k the
// largest index (features without bounds get estimated ones); other keys
// name one feature each, in the order jsonb keeps them (shorter names first,
// then bytewise). Without bounds: none, and the fit chooses the dimension
// privately.
std::vector<std::string> public_feature_names(const PrivacyArguments& arguments);

// Rows on their way to the fit: per dimension, the range each feature spans
// among the rows the ML gate keeps, and how many rows of each dimension lie
// in the public domain list. What check() needs, nothing more.
class PrivacyRowCheck final : public ObservationSink {
 public:
  PrivacyRowCheck(ObservationSink& next, const PrivacyArguments* arguments);
  void add(const RowObservation& row) override;
  // Bounds that exclude every fitted row, or a domain list that names no
  // domain of the fitted rows: an error naming the argument (22023).
  void check(std::size_t dimension, const std::vector<std::string>& feature_names,
             const char* function_name) const;

 private:
  ObservationSink& next_;
  const PrivacyArguments* arguments_;
  std::set<std::string, std::less<>> domains_;
  std::map<std::size_t, std::vector<std::pair<double, double>>> ranges_;
  std::map<std::size_t, std::uint64_t> listed_rows_;
};

// pg_strong_random as the engine's noise source.
class StrongRandomSource final : public RandomSource {
 public:
  void fill(unsigned char* out, std::size_t n) override;
};

}  // namespace synth::pg
