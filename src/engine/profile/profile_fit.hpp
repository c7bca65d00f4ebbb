// Fitting a profile from real rows. Rows arrive in any order; quantiles and
// ranks come from sorted columns and every sum is exact (order-free), so the
// same rows in any physical order give the same profile, byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/profile/profile.hpp"

namespace synth {

class ProfileFitter {
 public:
  // Rows whose dimension differs from the first row's are counted, not kept:
  // fit() then reports how many rows of each dimension the source held.
  // Throws synth::Error (54000) for a dimension above kMaxProfileFeatures or
  // more than kMaxProfileDomains domains.
  void add(std::string_view domain, const double* features, std::size_t dimension, double score);
  std::uint64_t rows() const { return rows_; }

  // feature_names: from the rows' metadata, or empty for f1..fd.
  // Throws synth::Error: 22000 with fewer than kMinFitRows rows or mixed
  // dimensions, 22023 when the names do not match the dimension.
  Profile fit(std::vector<std::string> feature_names) const;

 private:
  std::map<std::string, std::uint16_t, std::less<>> domain_index_;  // name -> index in order of appearance
  std::vector<double> values_;                 // row-major, dimension + 1 per row (the score last)
  std::vector<std::uint16_t> row_domain_;      // each row's domain index
  std::map<std::size_t, std::uint64_t> dimension_rows_;
  std::size_t dimension_ = 0;
  bool have_dimension_ = false;
  std::uint64_t rows_ = 0;
};

}  // namespace synth
