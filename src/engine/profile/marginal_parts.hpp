// A column's values split into what a fitted marginal keeps exactly (its
// point masses) and what it smooths (marginal_fit.cpp).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "engine/profile/marginal_fit.hpp"

namespace synth {

// The parts of a column: its point masses (value, rows) and the values to smooth.
struct ColumnParts {
  std::vector<std::pair<double, double>> atoms;
  std::vector<Ranked> rest;
  const Ranked* smooth = nullptr;  // sorted, smooth_rows of them (nullptr: nothing to smooth)
  std::size_t smooth_rows = 0;
  // What the smoothing space is chosen from: the values to smooth with any
  // mass at a bound still in (split_bound_masses), so that taking one end
  // out does not change how the other end is smoothed.
  std::vector<Ranked> with_bounds;
  const Ranked* shape = nullptr;
  std::size_t shape_rows = 0;
};

// The point masses of sorted values (those kAtomMinRows rows or a 64th of
// them hold, a mass at a bound (kBoundMassMinRows), every value of a column
// of two) and the values to smooth.
ColumnParts split_column(const Ranked* values, std::size_t n);

}  // namespace synth
