// Counts distinct values (original prompts) in bounded memory: exact over
// 64-bit hashes up to kExactLimit distinct values, then a HyperLogLog sketch
// of 2^14 registers (standard error about 0.8%), estimated with Ertl's
// improved estimator, which needs no bias tables at any cardinality.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace synth {

// A 64-bit hash of a byte string, mixed well enough for HyperLogLog.
std::uint64_t hash_bytes(std::string_view bytes) noexcept;

class DistinctCounter {
 public:
  static constexpr std::size_t kExactLimit = 65536;
  static constexpr int kPrecision = 14;  // 2^14 registers

  void add(std::uint64_t hash);
  // Exact while is_exact(); a HyperLogLog estimate afterwards.
  std::uint64_t count() const;
  bool is_exact() const { return registers_.empty(); }

 private:
  bool contains_exact(std::uint64_t hash) const;
  void grow();
  void switch_to_sketch();
  void add_to_sketch(std::uint64_t hash);

  std::vector<std::uint64_t> slots_;  // open addressing; 0 marks an empty slot
  std::size_t exact_count_ = 0;       // distinct hashes stored, counting a zero hash
  bool holds_zero_ = false;           // the hash 0 cannot sit in a slot
  std::vector<std::uint8_t> registers_;
};

}  // namespace synth
