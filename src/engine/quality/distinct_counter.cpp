#include "engine/quality/distinct_counter.hpp"

#include "engine/model/mixing.hpp"

#include <array>
#include <cmath>
#include <cstring>

namespace synth {
namespace {

constexpr std::uint64_t kSeed0 = 0xa0761d6478bd642fULL;
constexpr std::uint64_t kSeed1 = 0xe7037ed1a0b428dbULL;
constexpr std::uint64_t kSeed2 = 0x8ebc6af09c88c6e3ULL;

std::uint64_t multiply_fold(std::uint64_t a, std::uint64_t b) {
  unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

std::uint64_t load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// sigma and tau of Ertl, "New cardinality estimation algorithms for
// HyperLogLog sketches" (2017), algorithm 6.
double sigma(double x) {
  if (x == 1.0) return INFINITY;
  double y = 1.0;
  double z = x;
  for (;;) {
    x *= x;
    double previous = z;
    z += x * y;
    y += y;
    if (z == previous) return z;
  }
}

double tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  for (;;) {
    x = std::sqrt(x);
    double previous = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == previous) return z / 3.0;
  }
}

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes) noexcept {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  std::uint64_t h = kSeed0 ^ multiply_fold(left ^ kSeed1, kSeed2);
  while (left >= 16) {
    h = multiply_fold(load64(p) ^ kSeed1, load64(p + 8) ^ h);
    p += 16;
    left -= 16;
  }
  if (left >= 8) {
    h = multiply_fold(load64(p) ^ kSeed1, h ^ kSeed2);
    p += 8;
    left -= 8;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < left; ++i) tail |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  h = multiply_fold(tail ^ kSeed2, h ^ kSeed1 ^ left);
  return mix64(h);
}

void DistinctCounter::add(std::uint64_t hash) {
  if (!is_exact()) {
    add_to_sketch(hash);
    return;
  }
  if (contains_exact(hash)) return;
  if (exact_count_ == kExactLimit) {
    switch_to_sketch();
    add_to_sketch(hash);
    return;
  }
  if (hash == 0) {
    holds_zero_ = true;
  } else {
    if ((exact_count_ + 1) * 2 > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = hash;
  }
  ++exact_count_;
}

bool DistinctCounter::contains_exact(std::uint64_t hash) const {
  if (hash == 0) return holds_zero_;
  if (slots_.empty()) return false;
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == hash) return true;
    if (slots_[i] == 0) return false;
  }
}

void DistinctCounter::grow() {
  std::vector<std::uint64_t> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  std::size_t mask = slots_.size() - 1;
  for (std::uint64_t hash : old) {
    if (hash == 0) continue;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = hash;
  }
}

void DistinctCounter::switch_to_sketch() {
  registers_.assign(std::size_t{1} << kPrecision, 0);
  if (holds_zero_) add_to_sketch(0);
  for (std::uint64_t hash : slots_)
    if (hash != 0) add_to_sketch(hash);
  std::vector<std::uint64_t>().swap(slots_);
}

void DistinctCounter::add_to_sketch(std::uint64_t hash) {
  std::size_t index = static_cast<std::size_t>(hash >> (64 - kPrecision));
  std::uint64_t rest = hash << kPrecision;  // the low 50 bits, at the top
  constexpr int kMaxRank = 64 - kPrecision + 1;
  int rank = rest == 0 ? kMaxRank : __builtin_clzll(rest) + 1;
  if (rank > kMaxRank) rank = kMaxRank;
  if (registers_[index] < rank) registers_[index] = static_cast<std::uint8_t>(rank);
}

std::uint64_t DistinctCounter::count() const {
  if (is_exact()) return exact_count_;
  constexpr int q = 64 - kPrecision;
  const double m = static_cast<double>(registers_.size());
  std::array<double, q + 2> histogram{};
  for (std::uint8_t r : registers_) histogram[r] += 1.0;
  double z = m * tau(1.0 - histogram[q + 1] / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + histogram[k]);
  z += m * sigma(histogram[0] / m);
  const double alpha_infinity = 0.5 / std::log(2.0);
  return static_cast<std::uint64_t>(std::llround(alpha_infinity * m * m / z));
}

}  // namespace synth
