// Lower-triangular Cholesky factor of a symmetric matrix: the profile's
// checks, the fitter and the sampler all factor correlation matrices.
#pragma once

#include <cstddef>
#include <vector>

namespace synth {

// Lower-triangular Cholesky factor of a symmetric matrix (row-major, size k);
// false when it is not positive definite.
bool cholesky(const std::vector<double>& matrix, std::size_t k, std::vector<double>& lower);

}  // namespace synth
