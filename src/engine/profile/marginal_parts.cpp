#include "engine/profile/marginal_parts.hpp"

#include <algorithm>

#include "engine/model/interrupt.hpp"
#include "engine/profile/profile.hpp"

namespace synth {
namespace {

// The point masses of sorted values (a value at least atom_rows rows hold:
// value, rows) into atoms and, when there are any, the other values into rest.
void split_point_masses(const Ranked* values, std::size_t n, std::size_t atom_rows,
                        std::vector<std::pair<double, double>>& atoms, std::vector<Ranked>& rest) {
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && values[j].first == values[i].first) {
      poll_interrupt();
      ++j;
    }
    if (j - i >= atom_rows) {
      if (atoms.empty()) rest.assign(values, values + i);
      atoms.emplace_back(values[i].first, static_cast<double>(j - i));
    } else if (!atoms.empty()) {
      rest.insert(rest.end(), values + i, values + j);
    }
    i = j;
  }
}

// Rows a value at the column's least or greatest value must hold, and how
// many times one more than the rows of the next value smoothed, to be a
// point mass at the bound whatever kAtomMinRows says: a reading that
// saturates (a pixel at 16 in 8% of a domain's rows), a top-coded income, a
// score capped at 1. Smoothed, such a mass is spread inward from the bound.
// The "one more" keeps chance out: a column even over 1..10 in 25 rows
// often holds 6 rows at one end and 2 beside it, rarely 6 against 1.
constexpr std::size_t kBoundMassRatio = 3;

// Takes a mass at either end of the values still to smooth into the point
// masses, when it sits at the column's own extreme (values[0], values[n - 1])
// and holds kBoundMassMinRows rows and kBoundMassRatio times one more than
// the rows of the next value smoothed; never when fewer than three distinct
// values would be left to smooth (the flag rule of split_column would then
// make single rows point masses, copied whole into the draws).
void split_bound_masses(const Ranked* values, std::size_t n, ColumnParts& parts) {
  const Ranked* s = parts.smooth;
  const std::size_t m = parts.smooth_rows;
  parts.shape = s;
  parts.shape_rows = m;
  if (m < 2 * kBoundMassMinRows) return;
  auto run_up = [&](std::size_t i) {
    std::size_t j = i;
    while (j < m && s[j].first == s[i].first) {
      poll_interrupt();
      ++j;
    }
    return j - i;
  };
  auto run_down = [&](std::size_t end) {  // the run ending at end - 1
    std::size_t i = end;
    while (i > 0 && s[i - 1].first == s[end - 1].first) {
      poll_interrupt();
      --i;
    }
    return end - i;
  };
  std::size_t low = 0, high = m;
  const std::size_t first = run_up(0);
  if (s[0].first == values[0].first && first < m && first >= kBoundMassMinRows &&
      first >= kBoundMassRatio * (run_up(first) + 1))
    low = first;
  const std::size_t last = run_down(m);
  if (s[m - 1].first == values[n - 1].first && last < m - low && last >= kBoundMassMinRows &&
      last >= kBoundMassRatio * (run_down(m - last) + 1))
    high = m - last;
  if (low == 0 && high == m) return;
  std::size_t distinct = 1;
  for (std::size_t i = low + 1; i < high && distinct < 3; ++i) {
    poll_interrupt();
    distinct += s[i].first != s[i - 1].first;
  }
  if (distinct < 3) return;
  if (low > 0) parts.atoms.emplace_back(s[0].first, static_cast<double>(low));
  if (high < m) parts.atoms.emplace_back(s[m - 1].first, static_cast<double>(m - high));
  std::sort(parts.atoms.begin(), parts.atoms.end());
  std::vector<Ranked> rest(s + low, s + high);
  // parts.shape may point into parts.rest: its buffer moves with it.
  parts.with_bounds = std::move(parts.rest);
  parts.rest = std::move(rest);
  parts.smooth = parts.rest.data();
  parts.smooth_rows = parts.rest.size();
}

}  // namespace

ColumnParts split_column(const Ranked* values, std::size_t n) {
  ColumnParts parts;
  const std::size_t atom_rows =
      std::max<std::size_t>(kAtomMinRows, (n + kMaxQuantileKnots - 2) / (kMaxQuantileKnots - 1));
  split_point_masses(values, n, atom_rows, parts.atoms, parts.rest);
  parts.smooth = parts.atoms.empty() ? values : parts.rest.data();
  parts.smooth_rows = parts.atoms.empty() ? n : parts.rest.size();
  split_bound_masses(values, n, parts);
  // Two values are a flag, not a continuous value: smoothing would spread
  // their mass over the whole gap between them (0 and 1e308), so they are
  // point masses whatever their counts; so are the values of a part too
  // small to smooth.
  std::size_t distinct = parts.smooth_rows > 0 ? 1 : 0;
  for (std::size_t i = 1; i < parts.smooth_rows && distinct <= 2; ++i) {
    poll_interrupt();
    distinct += parts.smooth[i].first != parts.smooth[i - 1].first;
  }
  if (distinct <= 2) {
    for (std::size_t i = 0; i < parts.smooth_rows;) {
      std::size_t j = i + 1;
      while (j < parts.smooth_rows && parts.smooth[j].first == parts.smooth[i].first) {
        poll_interrupt();
        ++j;
      }
      parts.atoms.emplace_back(parts.smooth[i].first, static_cast<double>(j - i));
      i = j;
    }
    std::sort(parts.atoms.begin(), parts.atoms.end());
    parts.rest.clear();
    parts.smooth = nullptr;
    parts.smooth_rows = 0;
  }
  return parts;
}

}  // namespace synth
