// How much of a target's variance a least-squares linear fit on several
// predictors explains (R^2), computed from co-moments alone, so it needs no
// second pass over the rows.
#pragma once

#include <cstddef>
#include <optional>

namespace synth {

inline constexpr std::size_t kMaxLinearFitVariables = 64;  // predictors

// comoments: a dim x dim symmetric matrix (row-major) of sums of products of
// deviations; variables 0..dim-2 are the predictors, dim-1 the target.
// Constant predictors are left out; collinear ones are handled by a
// pseudo-inverse, so the answer is always in [0, 1]. No value when the target
// is constant (or dim is out of range).
std::optional<double> explained_variance(const double* comoments, std::size_t dim) noexcept;

}  // namespace synth
