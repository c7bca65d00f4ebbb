#include "engine/generate/quota.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace synth {
namespace {

// A non-negative integer of any size, little-endian base-2^32 limbs: just the
// operations largest remainder needs, so shares that span 600 decimal orders of
// magnitude are still compared exactly.
class BigNat {
 public:
  BigNat() = default;
  explicit BigNat(std::uint64_t v) {
    while (v != 0) {
      limbs_.push_back(static_cast<std::uint32_t>(v));
      v >>= 32;
    }
  }

  bool is_zero() const { return limbs_.empty(); }

  void multiply_small(std::uint32_t factor) {
    std::uint64_t carry = 0;
    for (std::uint32_t& limb : limbs_) {
      const std::uint64_t product = static_cast<std::uint64_t>(limb) * factor + carry;
      limb = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<std::uint32_t>(carry));
    trim();
  }

  BigNat times(std::uint64_t factor) const {
    BigNat low = *this;
    low.multiply_small(static_cast<std::uint32_t>(factor));
    BigNat high = *this;
    high.multiply_small(static_cast<std::uint32_t>(factor >> 32));
    if (!high.is_zero()) high.limbs_.insert(high.limbs_.begin(), 0u);  // times 2^32
    low.add(high);
    return low;
  }

  void add(const BigNat& other) {
    if (limbs_.size() < other.limbs_.size()) limbs_.resize(other.limbs_.size(), 0u);
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      const std::uint64_t sum =
          static_cast<std::uint64_t>(limbs_[i]) + (i < other.limbs_.size() ? other.limbs_[i] : 0u) + carry;
      limbs_[i] = static_cast<std::uint32_t>(sum);
      carry = sum >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<std::uint32_t>(carry));
  }

  // *this -= other; requires *this >= other.
  void subtract(const BigNat& other) {
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      std::int64_t diff = static_cast<std::int64_t>(limbs_[i]) -
                          (i < other.limbs_.size() ? static_cast<std::int64_t>(other.limbs_[i]) : 0) - borrow;
      borrow = diff < 0 ? 1 : 0;
      limbs_[i] = static_cast<std::uint32_t>(diff + (borrow << 32));
    }
    trim();
  }

  friend int compare(const BigNat& a, const BigNat& b) {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
    for (std::size_t i = a.limbs_.size(); i-- > 0;)
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    return 0;
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<std::uint32_t> limbs_;
};

// A share as the decimal PostgreSQL prints for it (the shortest text that
// reads back as the same double): digits * 10^exponent.
struct DecimalShare {
  std::uint64_t digits = 0;
  int exponent = 0;
};

DecimalShare decimal_share(double w) {
  DecimalShare out;
  if (!(w > 0)) return out;
  char text[64];
  const std::to_chars_result r =
      std::to_chars(text, text + sizeof text - 1, w, std::chars_format::scientific);
  *r.ptr = '\0';
  const char* p = text;
  int fraction_digits = 0;
  bool in_fraction = false;
  for (; p < r.ptr && *p != 'e'; ++p) {
    if (*p == '.') {
      in_fraction = true;
      continue;
    }
    out.digits = out.digits * 10 + static_cast<std::uint64_t>(*p - '0');
    if (in_fraction) ++fraction_digits;
  }
  out.exponent = std::atoi(p + 1) - fraction_digits;  // atoi stops at the end of the text
  return out;
}

}  // namespace

std::vector<std::uint64_t> largest_remainder(std::uint64_t n, const std::vector<double>& weights) {
  const std::size_t k_count = weights.size();
  std::vector<std::uint64_t> counts(k_count, 0);
  // Every share as an integer on one common decimal scale: a_k = share_k / 10^lowest.
  std::vector<DecimalShare> shares(k_count);
  int lowest = 0;
  bool any = false;
  for (std::size_t k = 0; k < k_count; ++k) {
    shares[k] = decimal_share(weights[k]);
    if (shares[k].digits == 0) continue;
    lowest = any ? std::min(lowest, shares[k].exponent) : shares[k].exponent;
    any = true;
  }
  if (!any) return counts;  // no weight: validation refuses this before any quota is made
  std::vector<BigNat> scaled(k_count);
  BigNat total;
  for (std::size_t k = 0; k < k_count; ++k) {
    if (shares[k].digits == 0) continue;
    scaled[k] = BigNat(shares[k].digits);
    for (int e = lowest; e < shares[k].exponent; ++e) scaled[k].multiply_small(10);
    total.add(scaled[k]);
  }
  long double approximate_total = 0;
  for (double w : weights) approximate_total += w > 0 ? w : 0;

  // count_k = floor(n a_k / total) exactly, remainder_k = n a_k - count_k total.
  std::vector<BigNat> remainders(k_count);
  std::uint64_t assigned = 0;
  for (std::size_t k = 0; k < k_count; ++k) {
    if (shares[k].digits == 0) continue;
    const BigNat numerator = scaled[k].times(n);
    // A long double guess, within a row or two of the truth, then corrected exactly.
    long double guess = std::floor(static_cast<long double>(n) * weights[k] / approximate_total);
    std::uint64_t count = guess <= 0                             ? 0
                          : guess >= static_cast<long double>(n) ? n
                                                                 : static_cast<std::uint64_t>(guess);
    while (count > 0 && compare(total.times(count), numerator) > 0) --count;
    while (count < n && compare(total.times(count + 1), numerator) <= 0) ++count;
    remainders[k] = numerator;
    remainders[k].subtract(total.times(count));
    counts[k] = count;
    assigned += count;
  }
  // The floors leave fewer than k_count rows; each goes to a category with one
  // of the largest remainders (ties to the lower index), at most one per category.
  std::vector<bool> took(k_count, false);
  for (; assigned < n; ++assigned) {
    std::size_t best = k_count;
    for (std::size_t k = 0; k < k_count; ++k) {
      if (took[k] || shares[k].digits == 0) continue;
      if (best == k_count || compare(remainders[k], remainders[best]) > 0) best = k;
    }
    if (best == k_count) break;  // unreachable: the remainders sum to (n - assigned) * total
    ++counts[best];
    took[best] = true;
  }
  return counts;
}

template <std::size_t K>
LargestRemainderQuota<K>::LargestRemainderQuota(std::uint64_t n, const std::array<double, K>& weights) {
  const std::vector<std::uint64_t> counts =
      largest_remainder(n, std::vector<double>(weights.begin(), weights.end()));
  std::uint64_t end = 0;
  for (std::size_t k = 0; k < K; ++k) {
    counts_[k] = counts[k];
    end += counts_[k];
    ends_[k] = end;
  }
}

template class LargestRemainderQuota<3>;
template class LargestRemainderQuota<5>;

}  // namespace synth
