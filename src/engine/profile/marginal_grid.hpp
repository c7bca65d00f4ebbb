// Two steps of a marginal's fit (marginal_fit.cpp): where its smoothed CDF is
// evaluated, and the check that the result still follows the rows.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

// The points spread evenly over a column's body (marginal_fit.cpp).
inline constexpr std::size_t kGridPoints = 257;

// The quartiles of kernel centres' weight (`points`: centre, weight; sorted,
// not empty) and Tukey's far fences, 3 interquartile ranges beyond them: the
// centres within the fences are a column's body, which one far row cannot
// stretch.
struct CentreFences {
  double q1, q3, low, high;
};
CentreFences centre_fences(const std::vector<std::pair<double, double>>& points);

// The points (ascending, in the smoothing space) at which the smoothed CDF of
// kernels at `points` (centre, weight; sorted) of width `bandwidth` is
// evaluated between the bounds y_low and y_high.
std::vector<double> grid_points(const std::vector<std::pair<double, double>>& points, double bandwidth,
                                double y_low, double y_high);

// Whether the body of m (probabilities 1/16 .. 15/16) lies where the sorted
// rows are.
bool body_follows_rows(const Ranked* values, std::size_t n, const Marginal& m);

}  // namespace synth
