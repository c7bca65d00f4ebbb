// libFuzzer target: the comparison on columns full of extreme and non-finite
// values (+-1e308, DBL_MAX, subnormals, NaN, +-Inf, raw bit patterns), both
// through the table gate and handed to the engine directly. It must return
// (libFuzzer's -timeout turns a hang into a failure) or refuse with a
// synth::Error, and what it reports must lie in range.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "engine/compare/compare_report.hpp"
#include "engine/model/error.hpp"

namespace {

class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool done() const { return pos_ >= size_; }
  double value() {
    static const double kPalette[] = {0.0,
                                      -0.0,
                                      1.0,
                                      -1.0,
                                      0.5,
                                      1e308,
                                      -1e308,
                                      1e305,
                                      -1e305,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::lowest(),
                                      std::numeric_limits<double>::min(),
                                      std::numeric_limits<double>::denorm_min(),
                                      -std::numeric_limits<double>::denorm_min(),
                                      1e154,
                                      -1e-300,
                                      std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      1e-9,
                                      0.25,
                                      0.75,
                                      1.0 + 1e-15,
                                      1000000.125};
    const std::uint8_t b = byte();
    if (b < 0xf0)
      return kPalette[b % (sizeof kPalette / sizeof kPalette[0])] * (b >= 0x80 ? 1.0 + b / 1024.0 : 1.0);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = bits << 8 | byte();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_, pos_ = 0;
};

const char* const kDomains[] = {"coding", "writing", "analysis"};

synth::CompareSideInput side(Bytes& in, std::size_t dimension, std::size_t rows, bool through_gate) {
  synth::CompareSideInput out;
  out.source.table = "t";
  if (through_gate) {
    synth::CompareSide collector;
    for (std::size_t r = 0; r < rows; ++r) {
      synth::RowObservation row;
      row.reset();
      row.feature_shape = synth::FeatureShape::kArray;
      row.feature_count = static_cast<std::uint32_t>(dimension);
      for (std::size_t j = 0; j < dimension; ++j) {
        const double v = in.value();
        row.set_feature(j, std::isfinite(v) ? synth::ValueState::kNumber : synth::ValueState::kNonFinite, v);
      }
      row.score = in.value();
      row.score_state = std::isfinite(row.score) ? synth::ValueState::kNumber : synth::ValueState::kNonFinite;
      const std::uint8_t d = in.byte() % 4;
      if (d < 3) row.set_domain(kDomains[d]);
      collector.add(row);
    }
    out.rows_read = collector.rows_seen();
    out.invalid = collector.invalid();
    out.columns = collector.finish();
    return out;
  }
  // Columns handed over directly: nothing filtered them.
  synth::SideColumns& c = out.columns;
  c.dimension = dimension;
  c.numeric.resize(dimension + 1);
  c.domains.assign(kDomains, kDomains + 3);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j <= dimension; ++j) c.numeric[j].push_back(in.value());
    const std::uint8_t d = in.byte() % 4;
    c.domain.push_back(d < 3 ? d : -1);
    c.has_domain = c.has_domain || d < 3;
  }
  out.rows_read = rows;
  return out;
}

bool in_unit(double v) { return std::isnan(v) || (v >= 0.0 && v <= 1.0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  const std::uint8_t mode = in.byte();
  const std::size_t dimension = 1 + in.byte() % 6;
  const std::size_t real_rows = in.byte() % 48, synthetic_rows = in.byte() % 48;
  synth::CompareOptions options;
  options.bootstrap = in.byte() % 6;
  options.seed = in.byte();
  const bool gate = (mode & 1) != 0;
  synth::CompareSideInput real = side(in, dimension, real_rows, gate);
  synth::CompareSideInput synthetic = side(in, dimension, synthetic_rows, gate);
  std::optional<synth::CompareSideInput> holdout;
  if (mode & 2) holdout = side(in, dimension, in.byte() % 32, gate);
  synth::CompareReport report;
  try {
    report = synth::compare_sides(std::move(real), std::move(synthetic), std::move(holdout), options);
  } catch (const synth::Error&) {
    return 0;
  }
  if (!in_unit(report.quality) || !in_unit(report.shapes) || !in_unit(report.trends)) {
    std::fprintf(stderr, "quality %g shapes %g trends %g\n", report.quality, report.shapes, report.trends);
    for (const synth::ColumnShape& c : report.shape_columns)
      std::fprintf(stderr, "  %s %g\n", c.name.c_str(), c.score);
    for (const synth::PairTrend& p : report.pairs)
      std::fprintf(stderr, "  %s/%s %g (%g, %g)\n", p.first.c_str(), p.second.c_str(), p.score, p.real,
                   p.synthetic);
    std::abort();
  }
  if (!in_unit(report.detection.score) || !in_unit(report.detection.auc)) std::abort();
  if (!in_unit(report.privacy.dcr_median) || !in_unit(report.privacy.exact_copy_share)) std::abort();
  for (const synth::ColumnShape& c : report.shape_columns) {
    if (!in_unit(c.score)) std::abort();
    for (std::size_t k = 0; k < synth::kPageBins; ++k)
      if (!(c.real_shares[k] >= 0.0 && c.real_shares[k] <= 1.0 + 1e-9) ||
          !(c.synthetic_shares[k] >= 0.0 && c.synthetic_shares[k] <= 1.0 + 1e-9))
        std::abort();
  }
  for (const synth::PairTrend& p : report.pairs)
    if (!in_unit(p.score)) std::abort();
  // The JSON writer must take whatever the report holds.
  if (synth::compare_report_json(report).empty()) std::abort();
  return 0;
}
