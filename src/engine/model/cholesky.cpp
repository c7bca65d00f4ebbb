#include "engine/model/cholesky.hpp"

#include <cmath>

namespace synth {

bool cholesky(const std::vector<double>& a, std::size_t k, std::vector<double>& l) {
  l.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i * k + j];
      for (std::size_t p = 0; p < j; ++p) s -= l[i * k + p] * l[j * k + p];
      if (i == j) {
        // A margin, not just > 0: the sampler divides by nothing, but a
        // near-singular factor would make the conditional draws meaningless.
        if (!(s > 1e-10)) return false;
        l[i * k + i] = std::sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  return true;
}

}  // namespace synth
