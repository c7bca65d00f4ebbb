// Sums that do not depend on the order of their terms, so a fit gives the
// same bytes however the rows came: each term is cut to a multiple of 2^-40
// and the multiples are added as integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace synth {

// One exact sum. A term must lie within +-kMaxTerm: it is then below 2^52
// units, and the 128-bit total holds 2^75 of them. Normal scores lie within
// [-38.5, 8.3] (normal_quantile's clamp), so a product of two centred scores
// is such a term. The cut changes a correlation of n rows by at most about
// 2^-40 / (sd_a sd_b / n), below 1e-12 for any n.
class ExactSum {
 public:
  static constexpr double kMaxTerm = 4096.0;  // 2^12
  // A term in the sum's integer units (multiples of 2^-40, toward 0).
  static std::int64_t units(double term) noexcept { return static_cast<std::int64_t>(term * kScale); }
  // A product's units from its factors each scaled by root_scaled: the
  // same integer as units(a * b), as a scale by a power of two is exact,
  // with one multiplication less for a factor used in many products.
  static double root_scaled(double factor) noexcept { return factor * kRootScale; }
  static std::int64_t product_units(double a_scaled, double b_scaled) noexcept {
    return static_cast<std::int64_t>(a_scaled * b_scaled);
  }
  void add(double term) noexcept { total_ += units(term); }
  void add_units(std::int64_t units) noexcept { total_ += units; }
  void add(const ExactSum& other) noexcept { total_ += other.total_; }
  double value() const noexcept { return static_cast<double>(total_) / kScale; }

 private:
  static constexpr double kScale = 1099511627776.0;  // 2^40
  static constexpr double kRootScale = 1048576.0;    // 2^20
  __extension__ __int128 total_ = 0;
};

// Several groups of `width` exact sums, their terms gathered in 64-bit
// integers first (an add, where a 128-bit total takes two and a wider
// store): kBlockTerms terms below 2^52 units stay below 2^62, and a group's
// block goes into its 128-bit totals when it fills. Integer sums do not
// depend on the order of their terms, so the totals are the bytes adding
// each term to an ExactSum gives.
class BlockedSums {
 public:
  static constexpr std::uint32_t kBlockTerms = 1024;
  BlockedSums(std::size_t groups, std::size_t width)
      : width_(width), totals_(groups * width), block_(groups * width, 0), filled_(groups, 0) {}
  // Group g's block: add ExactSum::units(term) to each of its `width` sums...
  std::int64_t* block(std::size_t g) noexcept { return &block_[g * width_]; }
  // ...then say so, once for the group's one term a sum.
  void added(std::size_t g) noexcept {
    if (++filled_[g] == kBlockTerms) flush(g);
  }
  // The totals (group-major), every block added; the sums are spent.
  std::vector<ExactSum> totals() && {
    for (std::size_t g = 0; g < filled_.size(); ++g) flush(g);
    return std::move(totals_);
  }

 private:
  void flush(std::size_t g) noexcept {
    for (std::size_t k = 0; k < width_; ++k) {
      totals_[g * width_ + k].add_units(block_[g * width_ + k]);
      block_[g * width_ + k] = 0;
    }
    filled_[g] = 0;
  }
  std::size_t width_;
  std::vector<ExactSum> totals_;
  std::vector<std::int64_t> block_;
  std::vector<std::uint32_t> filled_;
};

}  // namespace synth
