// The comparison's inputs: non-finite rows dropped, enough rows on each
// side, one dimension, one dictionary of domains and the column names.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/compare/compare_report.hpp"
#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/number_text.hpp"

namespace synth {
namespace {

// The sides a table reader builds hold finite values only (the gate counts
// the others as non_finite); columns built any other way get the same
// treatment here, so no NaN or infinity reaches a sort or a tie loop.
void drop_non_finite(CompareSideInput& side) {
  SideColumns& c = side.columns;
  std::size_t kept = 0;
  for (std::size_t r = 0; r < c.rows(); ++r) {
    poll_interrupt(static_cast<std::uint32_t>(c.numeric.size()));
    bool finite = true;
    for (const std::vector<double>& column : c.numeric) finite = finite && std::isfinite(column[r]);
    if (!finite) continue;
    for (std::vector<double>& column : c.numeric) column[kept] = column[r];
    c.domain[kept++] = c.domain[r];
  }
  side.invalid[static_cast<std::size_t>(InvalidReason::kNonFinite)] += c.rows() - kept;
  for (std::vector<double>& column : c.numeric) column.resize(kept);
  c.domain.resize(kept);
}

void require_rows(const CompareSideInput& side, const char* which) {
  const std::uint64_t valid = side.columns.rows();
  if (valid >= 2) return;
  std::string message = std::string(which) + " side " + side.source.table;
  if (side.source.data_source)
    message += " (data_source = '" + *side.source.data_source + "')";
  else if (side.source.sources)
    message += " (real rows: " + *side.source.sources + ")";
  message += valid == 0 ? " has no valid rows" : " has only 1 valid row";
  throw Error(sqlstate::kDataException, message,
              "The comparison needs at least 2 valid rows on each side; " + std::to_string(side.rows_read) +
                  " rows were read and " + std::to_string(side.rows_read - valid) +
                  " of them failed the pipeline's gate or had another dimension.",
              "Check the table and its data_source values with synth_validate.");
}

// One name per feature, none empty, none twice (as synth_fit takes them):
// else the features go by position.
bool usable_names(const std::vector<std::string>& names, std::size_t dimension) {
  if (names.size() != dimension) return false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) return false;
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) return false;
  }
  return true;
}

std::vector<std::string> feature_names(const CompareSideInput& real, const CompareSideInput& synthetic,
                                       std::size_t dimension) {
  const std::vector<std::string>& a = real.source.feature_names;
  const std::vector<std::string>& b = synthetic.source.feature_names;
  const bool a_ok = usable_names(a, dimension), b_ok = usable_names(b, dimension);
  if (a_ok && b_ok && a != b) {
    const bool any_common = std::any_of(a.begin(), a.end(), [&](const std::string& n) {
      return std::find(b.begin(), b.end(), n) != b.end();
    });
    throw Error(any_common ? sqlstate::kDataException : sqlstate::kUndefinedColumn,
                any_common ? "the real and synthetic rows name their features differently"
                           : "the real and synthetic rows have no columns in common",
                "metadata.feature_names differs between " + real.source.table + " and " +
                    synthetic.source.table + ", so the features cannot be paired by position.",
                "Compare tables made by the same pipeline version.");
  }
  if (a_ok) return a;
  if (b_ok) return b;
  std::vector<std::string> names;
  for (std::size_t j = 0; j < dimension; ++j) names.push_back("f" + std::to_string(j + 1));
  return names;
}

// One dictionary of domain names for every side; "no domain" is the last code.
std::size_t unify_domains(std::vector<SideColumns*> sides) {
  std::unordered_map<std::string, std::int32_t> codes;
  std::vector<std::string> names;
  std::vector<std::vector<std::int32_t>> maps;
  for (SideColumns* s : sides) {
    std::vector<std::int32_t> map;
    for (const std::string& name : s->domains) {
      auto [it, inserted] = codes.try_emplace(name, static_cast<std::int32_t>(names.size()));
      if (inserted) names.push_back(name);
      map.push_back(it->second);
    }
    maps.push_back(std::move(map));
  }
  const auto none = static_cast<std::int32_t>(names.size());
  for (std::size_t k = 0; k < sides.size(); ++k)
    for (std::int32_t& code : sides[k]->domain)
      code = code < 0 ? none : maps[k][static_cast<std::size_t>(code)];
  for (SideColumns* s : sides) s->domains = names;
  return names.size() + 1;
}

}  // namespace

SideFacts facts_of(const CompareSideInput& in) {
  SideFacts f;
  f.source = in.source;
  f.rows_read = in.rows_read;
  f.rows = in.columns.rows();
  f.invalid = in.invalid;
  f.dimension = in.columns.dimension;
  f.has_domain = in.columns.has_domain;
  return f;
}

PreparedSides prepare_sides(CompareSideInput& real, CompareSideInput& synthetic, CompareSideInput* holdout) {
  drop_non_finite(real);
  drop_non_finite(synthetic);
  if (holdout) drop_non_finite(*holdout);
  require_rows(real, "the real");
  require_rows(synthetic, "the synthetic");
  if (holdout) require_rows(*holdout, "the holdout");
  const std::size_t d = real.columns.dimension;
  if (synthetic.columns.dimension != d)
    throw Error(sqlstate::kDataException,
                "feature dimensions differ: the real rows have " + std::to_string(d) +
                    " features, the synthetic rows " + std::to_string(synthetic.columns.dimension),
                "Each side's dimension is that of most of its valid rows.",
                "Compare tables made with the same feature set.");
  if (holdout && holdout->columns.dimension != d)
    throw Error(sqlstate::kDataException,
                "feature dimensions differ: the real rows have " + std::to_string(d) +
                    " features, the holdout rows " + std::to_string(holdout->columns.dimension),
                "The holdout must be real rows of the same kind as the real side.");
  PreparedSides out;
  out.dimension = d;
  std::vector<SideColumns*> all_sides = {&real.columns, &synthetic.columns};
  if (holdout) all_sides.push_back(&holdout->columns);
  out.domain = real.columns.has_domain && synthetic.columns.has_domain;
  out.categories = unify_domains(all_sides);
  out.columns = feature_names(real, synthetic, d);
  out.columns.push_back("effectiveness_score");
  if (out.domain) out.columns.push_back("domain");
  return out;
}

void check_bootstrap(int bootstrap) {
  if (bootstrap < kMinBootstrap || bootstrap > kMaxBootstrap)
    throw_invalid_parameter("bootstrap must be between " + std::to_string(kMinBootstrap) + " and " +
                                std::to_string(kMaxBootstrap) + ", not " + std::to_string(bootstrap),
                            "bootstrap is the number of replicates behind each 95% interval.",
                            "Use " + std::to_string(kMinBootstrap) + " to turn the intervals off.");
}

void check_augment_ratio(double augment_ratio) {
  if (!(augment_ratio > 0.0 && augment_ratio <= kMaxAugmentRatio))
    throw_invalid_parameter(
        "augment_ratio must be above 0 and at most " + std::to_string(static_cast<int>(kMaxAugmentRatio)) +
            ", not " + (std::isnan(augment_ratio) ? std::string("NaN") : format_readable(augment_ratio)),
        "augment_ratio is the number of synthetic rows added per real row when the "
        "augmentation measure trains its model on both (with a holdout).",
        "The pipeline's loader adds " + format_readable(kLoaderSyntheticRatio) +
            " per real row; that ratio is always reported too.");
}

std::size_t loader_synthetic_rows(std::size_t real) {
  const auto share = static_cast<std::size_t>(std::floor(kLoaderSyntheticRatio * static_cast<double>(real)));
  return std::max(real < kLoaderMinSamples ? kLoaderMinSamples - real : 0, share);
}

}  // namespace synth
