// The quality-epsilon curve of private fits, straight from the engine (no
// database): reads rows as CSV (domain,f1,...,fd,score with a header) on
// stdin, splits them in halves (HALVINGS random splits), fits one half
// without privacy and at each epsilon (delta 1e-9, bounds estimated, domains
// thresholded), samples as many rows, and prints the mean quality, detection
// and holdout DCR share (closer_to_real) of synth_compare against that half.
//   dp_quality [HALVINGS] < rows.csv
// DP_PUBLIC_DOMAINS=1 passes the domains as public; DP_QUALITY_DETAIL=1
// prints each column's shape score.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/compare/compare_report.hpp"
#include "engine/model/error.hpp"
#include "engine/privacy/private_fit.hpp"
#include "engine/privacy/random_source.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_sampler.hpp"

namespace {

struct Row {
  std::string domain;
  std::vector<double> values;  // features, then the score
};

synth::CompareSideInput side_of(const std::vector<Row>& rows, const std::vector<std::string>& domains) {
  synth::CompareSideInput in;
  const std::size_t width = rows.front().values.size();
  in.columns.dimension = width - 1;
  in.columns.numeric.assign(width, {});
  in.columns.domains = domains;
  in.columns.has_domain = true;
  for (const Row& r : rows) {
    for (std::size_t c = 0; c < width; ++c) in.columns.numeric[c].push_back(r.values[c]);
    std::int32_t code = 0;
    while (domains[static_cast<std::size_t>(code)] != r.domain) ++code;
    in.columns.domain.push_back(code);
  }
  in.rows_read = rows.size();
  in.source.table = "t";
  return in;
}

std::vector<Row> sample(const synth::Profile& profile, std::size_t n, std::uint64_t seed) {
  synth::ProfileOptions options;
  options.n = static_cast<std::int64_t>(n);
  options.seed = seed;
  synth::ProfileSampler sampler(profile, options);
  std::vector<Row> rows;
  synth::FittedRow row;
  for (std::int64_t i = 0; i < options.n; ++i) {
    sampler.sample(i, row);
    Row r{profile.domains[row.domain].name, {}};
    for (std::size_t f = 0; f < row.dimension; ++f) r.values.push_back(row.features[f]);
    r.values.push_back(row.score);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  const int halvings = argc > 1 ? std::atoi(argv[1]) : 3;
  std::vector<Row> rows;
  std::vector<std::string> domains;
  std::string line;
  std::getline(std::cin, line);  // header
  while (std::getline(std::cin, line)) {
    std::stringstream in(line);
    std::string cell;
    Row r;
    std::getline(in, r.domain, ',');
    while (std::getline(in, cell, ',')) r.values.push_back(std::strtod(cell.c_str(), nullptr));
    bool known = false;
    for (const auto& d : domains) known |= d == r.domain;
    if (!known) domains.push_back(r.domain);
    rows.push_back(std::move(r));
  }
  const std::vector<double> epsilons = {0.1, 0.3, 1, 3, 10, 0};  // 0: not private
  std::printf("%8s %8s %10s %10s\n", "epsilon", "quality", "detection", "dcr_share");
  for (double epsilon : epsilons) {
    double quality = 0, detection = 0, closer = 0;
    for (int h = 0; h < halvings; ++h) {
      std::vector<Row> shuffled = rows;
      std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(static_cast<std::uint64_t>(h)));
      const std::vector<Row> half(shuffled.begin(),
                                  shuffled.begin() + static_cast<std::ptrdiff_t>(rows.size() / 2));
      const std::vector<Row> rest(shuffled.begin() + static_cast<std::ptrdiff_t>(rows.size() / 2),
                                  shuffled.end());
      synth::ProfileFitter fitter;
      for (const Row& r : half) fitter.add(r.domain, r.values.data(), r.values.size() - 1, r.values.back());
      synth::Profile profile;
      if (epsilon > 0) {
        synth::SeededRandomSource noise(static_cast<std::uint64_t>(h) + 100);
        synth::PrivacyRequest request;
        request.epsilon = epsilon;
        request.noise = &noise;
        if (std::getenv("DP_PUBLIC_DOMAINS") != nullptr) request.public_domains = domains;
        try {
          profile = fitter.fit_private({}, request);
        } catch (const synth::Error& e) {  // too few rows released at this epsilon
          quality = detection = closer = std::nan("");
          break;
        }
      } else {
        profile = fitter.fit({});
      }
      synth::CompareOptions options;
      options.bootstrap = 0;
      const synth::CompareReport report =
          synth::compare_sides(side_of(half, domains), side_of(sample(profile, half.size(), 7), domains),
                               side_of(rest, domains), options);
      if (std::getenv("DP_QUALITY_DETAIL") != nullptr) {
        for (const auto& c : report.shape_columns) std::printf(" %s=%.2f", c.name.c_str(), c.score);
        std::printf(" trends=%.2f\n", report.trends);
        for (const auto& t : report.pairs)
          if (t.counted)
            std::printf("   %s~%s real %.3f synthetic %.3f\n", t.first.c_str(), t.second.c_str(), t.real,
                        t.synthetic);
      }
      quality += report.quality / halvings;
      detection += report.detection.score / halvings;
      closer += report.privacy.closer_to_real / halvings;
    }
    std::printf("%8s %8.3f %10.3f %10.3f\n",
                epsilon > 0 ? std::to_string(epsilon).substr(0, 4).c_str() : "none", quality, detection,
                closer);
  }
  return 0;
}
