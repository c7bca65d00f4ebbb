#include "engine/quality/linear_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace synth {
namespace {

// Row-major n x n, sized at run time (up to kMaxLinearFitVariables).
class Matrix {
 public:
  explicit Matrix(std::size_t n) : n_(n), a_(n * n, 0.0) {}
  double* operator[](std::size_t i) { return &a_[i * n_]; }

 private:
  std::size_t n_;
  std::vector<double> a_;
};

// Cyclic Jacobi eigen-decomposition of a small symmetric matrix: a becomes
// diagonal (the eigenvalues), v holds the eigenvectors as columns.
void jacobi_eigen(Matrix& a, Matrix& v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) v[i][j] = i == j ? 1.0 : 0.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += a[p][q] * a[p][q];
    if (off < 1e-30) return;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        if (a[p][q] == 0.0) continue;
        double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
        double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        double c = 1.0 / std::sqrt(t * t + 1.0);
        double s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // columns p and q
          double akp = a[k][p];
          double akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // rows p and q
          double apk = a[p][k];
          double aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          double vkp = v[k][p];
          double vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
}

}  // namespace

std::optional<double> explained_variance(const double* comoments, std::size_t dim) noexcept {
  if (dim < 1 || dim > kMaxLinearFitVariables + 1) return std::nullopt;
  const std::size_t target = dim - 1;
  auto at = [&](std::size_t i, std::size_t j) { return comoments[i * dim + j]; };
  const double target_ss = at(target, target);
  if (!(target_ss > 0.0) || !std::isfinite(target_ss)) return std::nullopt;

  std::vector<std::size_t> used(target, 0);
  std::size_t n = 0;
  for (std::size_t i = 0; i < target; ++i)
    if (at(i, i) > 0.0 && std::isfinite(at(i, i))) used[n++] = i;
  if (n == 0) return 0.0;

  // On the correlation scale, so the pseudo-inverse tolerance is unit-free.
  Matrix r(n);
  std::vector<double> r_target(n, 0.0);
  for (std::size_t a = 0; a < n; ++a) {
    const double sa = std::sqrt(at(used[a], used[a]));
    r_target[a] = at(used[a], target) / (sa * std::sqrt(target_ss));
    for (std::size_t b = 0; b < n; ++b)
      r[a][b] = at(used[a], used[b]) / (sa * std::sqrt(at(used[b], used[b])));
  }
  Matrix vectors(n);
  jacobi_eigen(r, vectors, n);
  double largest = 0.0;
  for (std::size_t k = 0; k < n; ++k) largest = std::max(largest, r[k][k]);
  const double tolerance = 1e-10 * largest;
  double explained = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double eigenvalue = r[k][k];
    if (!(eigenvalue > tolerance)) continue;
    double projection = 0.0;
    for (std::size_t a = 0; a < n; ++a) projection += vectors[a][k] * r_target[a];
    explained += projection * projection / eigenvalue;
  }
  if (!std::isfinite(explained)) return std::nullopt;
  return std::clamp(explained, 0.0, 1.0);
}

}  // namespace synth
