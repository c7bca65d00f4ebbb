// An order-free digest of the rows a reader observed: the count, and two
// 64-bit lanes, each the wrapping sum of a per-row hash of what was read from
// the row (domain, feature array, score, prompt hash, with their states). The
// same rows in any physical order give the same digest; any change to what a
// fit or a report reads from a row changes it (but for a 2^-64 chance per lane).
#pragma once

#include <cstdint>
#include <string>

#include "engine/rows/row_observation.hpp"

namespace synth {

class RowsDigest {
 public:
  void add(const RowObservation& row) noexcept;
  std::uint64_t rows() const { return rows_; }
  // "rows:<32 hex digits>".
  std::string text() const;

 private:
  std::uint64_t rows_ = 0;
  std::uint64_t lane_a_ = 0;
  std::uint64_t lane_b_ = 0;
};

}  // namespace synth
