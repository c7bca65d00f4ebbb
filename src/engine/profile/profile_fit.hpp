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

struct PrivacyRequest;  // engine/privacy/private_fit.hpp

class ProfileFitter {
 public:
  // Rows of every dimension are kept apart and counted; fit() fits the rows
  // of the dominant dimension (the most rows; the smaller dimension on a tie,
  // as synth_compare and synth_validate choose theirs) and passes over the
  // others. Rows of a dimension above kMaxProfileFeatures, and rows with a
  // value that is not finite (NaN, an infinity), are counted only.
  // Never throws on what the rows hold.
  void add(std::string_view domain, const double* features, std::size_t dimension, double score);
  // Every row added, of any dimension.
  std::uint64_t rows() const { return rows_; }
  // The dimension fit() fits (0 before any row) and its rows.
  std::size_t dimension() const;
  std::uint64_t dimension_rows() const;
  // How many rows of each dimension were added.
  const std::map<std::size_t, std::uint64_t>& rows_by_dimension() const { return dimension_rows_; }

  // feature_names: from the rows' metadata, or empty for f1..fd.
  // Throws synth::Error: 22000 with fewer than kMinFitRows rows of the
  // dominant dimension, 54000 for a dominant dimension above
  // kMaxProfileFeatures, 22023 when the names do not match the dimension.
  // Rows with more than kMaxProfileDomains domains are fitted on the most
  // common ones (rare_domain_rows() counts the rest).
  Profile fit(std::vector<std::string> feature_names) const;

  // The (epsilon, delta)-differentially private fit of
  // engine/privacy/private_fit.hpp: the dimension is feature_names.size()
  // (the schema is public; empty names: the bounds' size, else one chosen
  // privately from noisy counts of the rows of each dimension). Throws synth::Error 22023 for a bad request
  // (check_privacy_request), 22000 when the released row count is below
  // kMinFitRows; never on what a row holds. Defined in private_fit.cpp.
  Profile fit_private(std::vector<std::string> feature_names, const PrivacyRequest& request) const;

  // Rows of the fitted dimension that fit() leaves out because their domain
  // is not among the kMaxProfileDomains with the most rows (0 when the rows
  // have no more domains than a profile holds).
  std::uint64_t rare_domain_rows() const;

 private:
  struct Rows {
    std::map<std::string, std::uint32_t, std::less<>> domain_index;  // name -> index in order of appearance
    std::vector<double> values;         // row-major, dimension + 1 per row (the score last)
    std::vector<std::uint32_t> domain;  // each row's domain index
    std::uint64_t rows = 0;
  };
  // The rows of the kMaxProfileDomains domains with the most rows (ties to
  // the name that sorts first): an order-free choice.
  static Rows most_common_domains(const Rows& all);
  std::map<std::size_t, Rows> rows_of_;  // by dimension, 1..kMaxProfileFeatures
  std::map<std::size_t, std::uint64_t> dimension_rows_;
  std::uint64_t rows_ = 0;
};

}  // namespace synth
