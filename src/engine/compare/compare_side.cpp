#include "engine/compare/compare_side.hpp"

#include <numeric>

namespace synth {

void CompareSide::add(const RowObservation& row) {
  ++rows_seen_;
  // A row may carry any readable dimension; the side's dimension is settled
  // at the end, so each row is judged against its own length here.
  const bool readable = row.feature_shape == FeatureShape::kArray && row.feature_count > 0 && row.elements_read();
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
  out.domains = domains_;
  for (std::int32_t code : out.domain) out.has_domain = out.has_domain || code >= 0;
  return out;
}

}  // namespace synth
