#include "engine/compare/compare_side.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"
#include "engine/quality/distinct_counter.hpp"

namespace synth {

void CompareSide::add(const RowObservation& row) {
  ++rows_seen_;
  // A row may carry any readable dimension; the side's dimension is settled
  // at the end, so each row is judged against its own length here.
  const bool readable =
      row.feature_shape == FeatureShape::kArray && row.feature_count > 0 && row.elements_read();
  const std::size_t dimension = readable ? row.feature_count : kFeatureCount;
  if (auto reason = classify(row, dimension)) {
    ++invalid_[static_cast<std::size_t>(*reason)];
    return;
  }
  Bucket& bucket = buckets_[dimension];
  if (bucket.numeric.empty()) bucket.numeric.resize(dimension + 1);
  for (std::size_t j = 0; j < dimension; ++j) bucket.numeric[j].push_back(row.features[j]);
  bucket.numeric[dimension].push_back(row.score);
  std::int32_t code = -1;
  if (row.domain_length > 0) {
    std::string name(row.domain_name());
    auto [it, inserted] = codes_.try_emplace(name, static_cast<std::int32_t>(domains_.size()));
    if (inserted) domains_.push_back(std::move(name));
    code = it->second;
  }
  bucket.domain.push_back(code);
}

namespace {

// Rows in the order of a hash of their content (values, then domain name),
// whatever order the table returned them in. Every bounded sample, fold and
// bootstrap replicate picks rows by position, so this makes the whole report
// a function of the rows alone: the same rows on one server, in another
// physical order, or spread over a Citus cluster give the same report. The
// hash order is also a uniform shuffle, so a prefix is a fair sample.
void put_in_content_order(SideColumns& side) {
  const std::size_t n = side.rows();
  if (n < 2) return;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(n);
  for (std::size_t r = 0; r < n; ++r) {
    poll_interrupt(static_cast<std::uint32_t>(side.numeric.size()));
    std::uint64_t h = 0x6a09e667f3bcc909ULL;
    for (const std::vector<double>& column : side.numeric) {
      double v = column[r] == 0.0 ? 0.0 : column[r];  // -0 and 0 are the same value
      std::uint64_t bits = 0;
      std::memcpy(&bits, &v, sizeof bits);
      h = mix64(h ^ bits);
    }
    const std::int32_t code = side.domain[r];
    h = mix64(h ^
              (code >= 0 ? hash_bytes(side.domains[static_cast<std::size_t>(code)]) : 0x9e3779b97f4a7c15ULL));
    keys[r] = {h, static_cast<std::uint32_t>(r)};
  }
  // Equal hashes are equal rows (or a 2^-64 collision): either order of them
  // gives the same columns, so ties need no further key.
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> moved(n);
  for (std::vector<double>& column : side.numeric) {
    for (std::size_t i = 0; i < n; ++i) moved[i] = column[keys[i].second];
    column.swap(moved);
  }
  std::vector<std::int32_t> codes(n);
  for (std::size_t i = 0; i < n; ++i) codes[i] = side.domain[keys[i].second];
  side.domain.swap(codes);
}

}  // namespace

std::uint64_t CompareSide::invalid_rows() const {
  return std::accumulate(invalid_.begin(), invalid_.end(), std::uint64_t{0});
}

SideColumns CompareSide::finish() {
  SideColumns out;
  std::size_t best = 0, best_rows = 0;
  for (const auto& [dimension, bucket] : buckets_)
    if (bucket.domain.size() > best_rows) best = dimension, best_rows = bucket.domain.size();
  for (auto& [dimension, bucket] : buckets_) {
    if (dimension == best) continue;
    invalid_[static_cast<std::size_t>(InvalidReason::kWrongDimension)] += bucket.domain.size();
  }
  if (best_rows > 0) {
    Bucket& kept = buckets_[best];
    out.dimension = best;
    out.numeric = std::move(kept.numeric);
    out.domain = std::move(kept.domain);
  }
  buckets_.clear();
  // Domain codes in name order, not in the order rows arrived.
  std::vector<std::int32_t> by_name(domains_.size());
  std::iota(by_name.begin(), by_name.end(), 0);
  std::sort(by_name.begin(), by_name.end(),
            [&](std::int32_t a, std::int32_t b) { return domains_[a] < domains_[b]; });
  std::vector<std::int32_t> recode(domains_.size());
  for (std::size_t i = 0; i < by_name.size(); ++i) {
    recode[by_name[i]] = static_cast<std::int32_t>(i);
    out.domains.push_back(domains_[by_name[i]]);
  }
  for (std::int32_t& code : out.domain)
    if (code >= 0) code = recode[code];
  put_in_content_order(out);
  for (std::int32_t code : out.domain) out.has_domain = out.has_domain || code >= 0;
  return out;
}

}  // namespace synth
