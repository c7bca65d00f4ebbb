// One side of a comparison (the real rows, the synthetic rows or a holdout),
// kept as columns of doubles: what the KS sorts need and nothing more. The
// table reader streams observations in; rows the pipeline's gate would drop
// are counted by reason and left out.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/rows/observation_sink.hpp"
#include "engine/rows/row_observation.hpp"

namespace synth {

// The valid rows of one side, column by column: features 0..d-1, then the
// effectiveness score; the domain as a code into `domains` (-1: no domain).
struct SideColumns {
  std::size_t dimension = 0;
  std::vector<std::vector<double>> numeric;  // dimension + 1 columns of equal length
  std::vector<std::int32_t> domain;          // one code a row
  std::vector<std::string> domains;          // code -> name
  bool has_domain = false;                   // some kept row names a domain

  std::size_t rows() const { return domain.size(); }
};

class CompareSide : public ObservationSink {
 public:
  void add(const RowObservation& row) override;

  // Keeps the rows of the most common dimension (the smaller one on a tie);
  // rows of other dimensions move to the wrong_dimension count.
  SideColumns finish();

  std::uint64_t rows_seen() const { return rows_seen_; }
  const std::array<std::uint64_t, kInvalidReasonCount>& invalid() const { return invalid_; }
  std::uint64_t invalid_rows() const;

 private:
  struct Bucket {
    std::vector<std::vector<double>> numeric;
    std::vector<std::int32_t> domain;
  };
  std::uint64_t rows_seen_ = 0;
  std::array<std::uint64_t, kInvalidReasonCount> invalid_{};
  std::map<std::size_t, Bucket> buckets_;  // by dimension
  std::unordered_map<std::string, std::int32_t> codes_;
  std::vector<std::string> domains_;
};

}  // namespace synth
