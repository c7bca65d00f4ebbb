// Sampling from a profile: exact strata for every n, bounds, integrality,
// text that agrees with length and complexity, purity (slices equal the whole),
// and dependence that survives the round trip through the copula.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/generate/quota.hpp"
#include "engine/generate/row_sampler.hpp"
#include "engine/model/error.hpp"
#include "engine/profile/fitted_document.hpp"
#include "engine/profile/normal.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_sampler.hpp"

namespace synth {
namespace {

Profile design_profile(std::int64_t n) {
  GeneratorOptions options;
  options.n = n;
  options.seed = 5;
  RowSampler sampler(options);
  ProfileFitter fitter;
  GeneratedRow row;
  for (std::int64_t i = 0; i < n; ++i) {
    sampler.sample(i, row);
    fitter.add(kDomains[row.domain].name, row.features.data(), kFeatureCount, row.score);
  }
  return fitter.fit({kFeatureNames.begin(), kFeatureNames.end()});
}

Profile foreign_profile(std::size_t n) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal(0.0, 1.0);
  ProfileFitter fitter;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = normal(rng);
    const double f[2] = {std::exp(a), std::round(3 + 2 * (0.7 * a + 0.7 * normal(rng)))};
    const double score = std::round(1e4 / (1.0 + std::exp(-(1.5 * a + 0.5 * normal(rng))))) / 1e4;
    fitter.add(i % 4 == 0 ? "north" : "south", f, 2, score);
  }
  return fitter.fit({});
}

ProfileSampler sampler_for(const Profile& p, std::int64_t n, std::uint64_t seed = 1) {
  ProfileOptions o;
  o.n = n;
  o.seed = seed;
  return ProfileSampler(p, o);
}

TEST(ProfileSampler, StrataAreExactForEveryN) {
  const Profile p = foreign_profile(500);
  std::vector<double> shares;
  for (const auto& d : p.domains) shares.push_back(d.share);
  const std::vector<double> bands(p.band_shares.begin(), p.band_shares.end());
  for (std::int64_t n : {1, 2, 3, 4, 7, 10, 11, 99, 100, 101, 997, 2000}) {
    SCOPED_TRACE("n " + std::to_string(n));
    ProfileSampler s = sampler_for(p, n, static_cast<std::uint64_t>(n));
    std::vector<std::uint64_t> domain_seen(p.domains.size()), band_seen(kBandCount);
    FittedRow row;
    for (std::int64_t i = 0; i < n; ++i) {
      s.sample(i, row);
      ++domain_seen[row.domain];
      ++band_seen[row.band];
      EXPECT_EQ(score_band(row.score), row.band) << row.score;
    }
    EXPECT_EQ(domain_seen, largest_remainder(static_cast<std::uint64_t>(n), shares));
    EXPECT_EQ(band_seen, largest_remainder(static_cast<std::uint64_t>(n), bands));
  }
}

TEST(ProfileSampler, DomainWeightsOverrideTheShares) {
  const Profile p = foreign_profile(200);
  ProfileOptions o;
  o.n = 100;
  o.domain_weights = profile_domain_weights(p, {{"north", 3}, {"south", 1}});
  ProfileSampler s(p, o);
  EXPECT_EQ(s.domain_count(0), 75u);
  EXPECT_EQ(s.domain_count(1), 25u);
  EXPECT_THROW(profile_domain_weights(p, {{"east", 1}}), Error);
}

// The fitted path rounds with the design-table path's exact rule: weights that
// differ in their last decimal digit are not a tie.
TEST(ProfileSampler, DomainCountsRoundExactlyLikeTheDesignTable) {
  const Profile p = foreign_profile(200);
  ProfileOptions o;
  o.n = 1;
  o.domain_weights = {0.3333333333333333, 0.3333333333333334};
  ProfileSampler s(p, o);
  EXPECT_EQ(s.domain_count(0), 0u);
  EXPECT_EQ(s.domain_count(1), 1u);
  o.domain_weights = {0.3, 0.3};
  EXPECT_EQ(ProfileSampler(p, o).domain_count(0), 1u);  // a true tie: the lower index
}

TEST(ProfileSampler, RowsStayInsideTheObservedBounds) {
  const Profile p = foreign_profile(300);
  ProfileSampler s = sampler_for(p, 5000);
  FittedRow row;
  for (std::int64_t i = 0; i < 5000; ++i) {
    s.sample(i, row);
    const DomainProfile& d = p.domains[row.domain];
    ASSERT_EQ(row.dimension, 2u);
    for (std::size_t f = 0; f < 2; ++f) {
      EXPECT_GE(row.features[f], d.features[f].min());
      EXPECT_LE(row.features[f], d.features[f].max());
    }
    EXPECT_EQ(row.features[1], std::round(row.features[1]));  // an integer feature stays whole
    EXPECT_GE(row.score, 0.0);
    EXPECT_LE(row.score, 1.0);
  }
}

TEST(ProfileSampler, SameSeedSameRowsAndSlicesEqualTheWhole) {
  const Profile p = foreign_profile(200);
  ProfileSampler a = sampler_for(p, 1000, 77);
  ProfileSampler b = sampler_for(p, 1000, 77);
  ProfileSampler other = sampler_for(p, 1000, 78);
  FittedRow x, y, z;
  int differ = 0;
  for (std::int64_t i : {999, 0, 500, 3, 42}) {  // any order: no sequence state
    a.sample(i, x);
    b.sample(i, y);
    other.sample(i, z);
    EXPECT_EQ(x.domain, y.domain);
    EXPECT_EQ(x.score, y.score);
    EXPECT_TRUE(std::equal(x.features.begin(), x.features.begin() + 2, y.features.begin()));
    EXPECT_EQ(x.prompts.enhanced_text(), y.prompts.enhanced_text());
    differ += x.score != z.score;
  }
  EXPECT_GT(differ, 0);
}

TEST(ProfileSampler, LengthAndComplexityDescribeTheText) {
  const Profile p = design_profile(1000);
  ProfileSampler s = sampler_for(p, 500);
  ASSERT_EQ(s.length_feature(), 1);
  ASSERT_EQ(s.complexity_feature(), 3);
  FittedRow row;
  for (std::int64_t i = 0; i < 500; ++i) {
    s.sample(i, row);
    const std::string_view text = row.prompts.enhanced_text();
    EXPECT_EQ(row.features[1], static_cast<double>(text.size()));
    const std::size_t at = text.find("Requirements: ");
    ASSERT_NE(at, std::string_view::npos);
    const auto clauses = 1 + std::count(text.begin() + static_cast<std::ptrdiff_t>(at), text.end(), ';');
    EXPECT_EQ(row.features[3], static_cast<double>(clauses)) << text;
  }
}

double spearman(std::vector<double> a, std::vector<double> b) {
  auto ranks = [](const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return v[x] < v[y]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < v.size();) {
      std::size_t j = i;
      while (j + 1 < v.size() && v[order[j + 1]] == v[order[i]]) ++j;
      for (std::size_t k = i; k <= j; ++k) r[order[k]] = (i + j) / 2.0;
      i = j + 1;
    }
    return r;
  };
  a = ranks(a);
  b = ranks(b);
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= a.size();
  mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

TEST(FittedDocument, HasRoomForDomainNamesThatEscapeToSixBytesACharacter) {
  // Each name is written twice with domain_weights (metadata.domain and the
  // weights), and a control character escapes to \u00XX.
  Profile p = foreign_profile(200);
  p.domains[0].name = std::string(2000, '\x01') + "north";
  p.domains[1].name = std::string(2000, '\x01') + "south";
  ProfileOptions o;
  o.n = 20;
  o.seed = 3;
  o.domain_weights = {1.0, 2.0};
  ProfileSampler s(p, o);
  FittedDocumentContext context;
  context.profile_hash = std::string(32, '0');
  context.generation_timestamp = "2026-01-01T00:00:00.000000Z";
  context.domain_weights_given = true;
  const std::size_t capacity = fitted_document_capacity(p);
  std::vector<char> buffer(capacity);
  FittedRow row;
  for (std::int64_t i = 0; i < o.n; ++i) {
    s.sample(i, row);
    const std::size_t length = write_fitted_json(row, s, context, buffer.data(), capacity);
    const std::string text(buffer.data(), length);
    ASSERT_GE(text.size(), 2u);
    EXPECT_EQ(text.substr(text.size() - 2), "}}");
    std::size_t escapes = 0;
    for (std::size_t at = text.find("\\u0001"); at != std::string::npos; at = text.find("\\u0001", at + 1))
      ++escapes;
    EXPECT_EQ(escapes, 6000u) << "row " << i;  // its domain, then both weights
  }
  // A buffer too small is an error, never a cut document.
  s.sample(0, row);
  EXPECT_THROW(write_fitted_json(row, s, context, buffer.data(), 1000), std::length_error);
}

TEST(ProfileSampler, KeepsHowFeaturesMoveWithTheScore) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal(0.0, 1.0);
  ProfileFitter fitter;
  std::vector<double> real_f, real_s;
  for (int i = 0; i < 3000; ++i) {
    const double a = normal(rng);
    const double f[1] = {std::exp(a)};
    const double score = std::round(1e4 / (1.0 + std::exp(-(1.5 * a + 0.5 * normal(rng))))) / 1e4;
    fitter.add("one", f, 1, score);
    real_f.push_back(f[0]);
    real_s.push_back(score);
  }
  const Profile p = fitter.fit({});
  ProfileSampler s = sampler_for(p, 3000);
  std::vector<double> fake_f, fake_s;
  FittedRow row;
  for (std::int64_t i = 0; i < 3000; ++i) {
    s.sample(i, row);
    fake_f.push_back(row.features[0]);
    fake_s.push_back(row.score);
  }
  EXPECT_NEAR(spearman(fake_f, fake_s), spearman(real_f, real_s), 0.05);
}

TEST(NormalCdfSpline, IsNormalCdfToWithinTwoBillionths) {
  const NormalCdfSpline& cdf = NormalCdfSpline::instance();
  double worst = 0, last = 0;
  for (double z = -9.5; z <= 9.5; z += 1.0 / 4096 + 1e-7) {  // off the grid's nodes as well as on them
    const double p = cdf(z);
    worst = std::max(worst, std::fabs(p - normal_cdf(z)));
    EXPECT_GE(p, last) << z;  // monotone
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    last = p;
  }
  EXPECT_LT(worst, 2e-9);
  EXPECT_EQ(cdf(-40), 0.0);
  EXPECT_EQ(cdf(40), 1.0);
  EXPECT_EQ(cdf(std::nan("")), 0.0);
}

// Each feature's values follow its domain's marginal: at every knot, the share
// of values at or below it is the knot's probability (the copula's normal
// scores are standard normal, whatever the score's band).
TEST(ProfileSampler, FeaturesFollowTheirMarginals) {
  const Profile p = design_profile(20000);
  const std::int64_t n = 60000;
  ProfileSampler s = sampler_for(p, n, 3);
  std::vector<std::vector<std::vector<double>>> values(p.domains.size(),
                                                       std::vector<std::vector<double>>(p.dimension()));
  FittedRow row;
  for (std::int64_t i = 0; i < n; ++i) {
    s.sample(i, row);
    for (std::size_t f = 0; f < p.dimension(); ++f) values[row.domain][f].push_back(row.features[f]);
  }
  for (std::size_t k = 0; k < p.domains.size(); ++k)
    for (std::size_t f = 0; f < p.dimension(); ++f) {
      if (p.integer_features[f]) continue;  // rounding to integers moves mass between knots
      std::vector<double>& v = values[k][f];
      std::sort(v.begin(), v.end());
      const std::vector<double>& knots = p.domains[k].features[f].knots;
      double worst = 0;
      for (std::size_t i = 1; i + 1 < knots.size(); ++i) {
        if (knots[i] == knots[i - 1] || knots[i] == knots[i + 1]) continue;  // a point mass
        double below = static_cast<double>(std::upper_bound(v.begin(), v.end(), knots[i]) - v.begin());
        if (p.decimal_grids[f] > 0) {
          // Values are rounded to the feature's grid: the knot's share of the
          // grid value nearest it is the part of that value's cell below the knot.
          const double step = std::pow(10.0, -p.decimal_grids[f]);
          const double at = std::nearbyint(knots[i] / step) * step;
          const auto first = std::lower_bound(v.begin(), v.end(), at - step / 4);
          const auto last = std::upper_bound(v.begin(), v.end(), at + step / 4);
          below =
              static_cast<double>(first - v.begin()) +
              std::clamp((knots[i] - (at - step / 2)) / step, 0.0, 1.0) * static_cast<double>(last - first);
        }
        worst = std::max(worst, std::fabs(below / static_cast<double>(v.size()) -
                                          p.domains[k].features[f].probability(i)));
      }
      // A Kolmogorov-Smirnov bound at 1% over the 20 (domain, feature)
      // checks together: 0.05% each, c = sqrt(ln(2 / 0.0005) / 2) = 2.04, over
      // sqrt(values) (about 12000 a domain: 0.0186). A bound of 1% for each
      // check alone (0.015) failed one sampler seed in five at version 8.
      // At 240,000 rows a small bias shows in the feature most tied to the
      // score (clarity, about 0.010 against a bound of 0.009, in both
      // versions 8 and 9), not traced yet: the score is its only input.
      EXPECT_LT(worst, 2.04 / std::sqrt(static_cast<double>(v.size())))
          << p.domains[k].name << " " << p.feature_names[f];
    }
}

TEST(ProfileSampler, FromTenRows) {
  ProfileFitter fitter;
  for (int i = 0; i < 10; ++i) {
    const double f[2] = {static_cast<double>(i), 0.5 * i};
    fitter.add(i < 7 ? "a" : "b", f, 2, 0.1 * i);
  }
  ProfileSampler s = sampler_for(fitter.fit({"x", "y"}), 100);
  EXPECT_EQ(s.domain_count(0), 70u);
  EXPECT_EQ(s.domain_count(1), 30u);
  EXPECT_TRUE(s.profile().domains[1].borrowed);  // 3 rows: below kMinDomainRows
  FittedRow row;
  for (std::int64_t i = 0; i < 100; ++i) {
    s.sample(i, row);
    EXPECT_EQ(row.features[0], std::round(row.features[0]));
    EXPECT_GE(row.features[0], 0);
    EXPECT_LE(row.features[0], 9);
  }
}

// Real rows whose prompts run far past the design table's (lengths up to
// 5,000 characters) and carry 0 to 12 clauses: every fitted row's text is
// written to its last byte (no NUL, no stale fragment; the row is poisoned
// before each draw), `length` is its length in characters (clamped to
// kMaxEnhancedText) and `complexity` its clause count, in the row and in its
// document.
TEST(ProfileSampler, LongLengthsAndZeroComplexityGiveWellFormedText) {
  std::mt19937_64 rng(31);
  ProfileFitter fitter;
  for (int i = 0; i < 400; ++i) {
    const double length = i < 200 ? 300 + (i * 37) % 4700 : 60 + (i * 13) % 400;
    const double complexity = i % 3 == 0 ? 0 : (i * 7) % 13;
    const double f[3] = {length, complexity, (i % 10) / 10.0};
    fitter.add(i % 2 ? "technical" : "support desk", f, 3, (i % 100) / 100.0);
  }
  const Profile p = fitter.fit({"length", "complexity", "clarity"});
  ProfileOptions o;
  o.n = 3000;
  o.seed = 3;
  ProfileSampler s(p, o);
  ASSERT_EQ(s.length_feature(), 0);
  ASSERT_EQ(s.complexity_feature(), 1);
  FittedDocumentContext context;
  context.profile_hash = std::string(32, '0');
  context.generation_timestamp = "2026-01-01T00:00:00.000000Z";
  const std::size_t capacity = fitted_document_capacity(p);
  std::vector<char> buffer(capacity);
  FittedRow row;
  std::size_t long_rows = 0, bare_rows = 0;
  for (std::int64_t i = 0; i < o.n; ++i) {
    std::memset(&row, 0, sizeof row);
    s.sample(i, row);
    const std::string_view enhanced = row.prompts.enhanced_text();
    ASSERT_EQ(enhanced.find('\0'), std::string_view::npos) << i;
    ASSERT_EQ(row.prompts.original_text().find('\0'), std::string_view::npos) << i;
    for (char ch : enhanced) ASSERT_TRUE(ch >= 0x20 && ch <= 0x7e) << enhanced;
    ASSERT_EQ(row.features[0], static_cast<double>(enhanced.size())) << enhanced;
    ASSERT_LE(enhanced.size(), kMaxEnhancedText);
    const std::size_t label = enhanced.find("Requirements: ");
    std::size_t clauses = 0;
    if (label != std::string_view::npos) {
      clauses = 1;
      for (std::size_t at = enhanced.find("; ", label); at != std::string_view::npos;
           at = enhanced.find("; ", at + 2))
        ++clauses;
    }
    ASSERT_EQ(static_cast<double>(clauses), row.features[1]) << enhanced;
    ASSERT_EQ(enhanced.find("Requirements: ."), std::string_view::npos) << enhanced;
    long_rows += enhanced.size() > 1000;
    bare_rows += clauses == 0;
    const std::size_t length = write_fitted_json(row, s, context, buffer.data(), capacity);
    const std::string_view document(buffer.data(), length);
    ASSERT_EQ(document.find('\0'), std::string_view::npos) << document;
    ASSERT_NE(document.find(std::string("\"enhanced_prompt\": \"") + std::string(enhanced) + "\""),
              std::string_view::npos)
        << document;
  }
  // The long prompts are honoured, not cut at the design table's 384 bytes.
  EXPECT_GT(long_rows, 300u);
  EXPECT_GT(bare_rows, 300u);
}

// The first feature's values over 1,000 fitted rows of a profile fitted on
// `values` (a second feature and the score vary alongside).
std::map<double, int> first_feature_drawn(const std::vector<double>& values) {
  ProfileFitter fitter;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double f[2] = {values[i], static_cast<double>(i % 5)};
    fitter.add("d", f, 2, static_cast<double>(i % 10) / 10.0);
  }
  // Through its JSON form and back: the profile passes its own checks.
  const Profile p = parse_profile(profile_json(fitter.fit({})));
  ProfileSampler s = sampler_for(p, 1000);
  std::map<double, int> seen;
  FittedRow row;
  for (std::int64_t i = 0; i < 1000; ++i) {
    s.sample(i, row);
    EXPECT_TRUE(std::isfinite(row.features[0])) << row.features[0];
    EXPECT_GE(row.features[0], p.pooled.features[0].min());
    EXPECT_LE(row.features[0], p.pooled.features[0].max());
    ++seen[row.features[0]];
  }
  return seen;
}

TEST(ProfileSampler, RoundingFollowsTheSpreadNotTheMagnitude) {
  // 40 values over 1000000.125..1000000.1445: six significant digits of the
  // magnitude would round them all to one constant.
  std::vector<double> values;
  for (int i = 0; i < 40; ++i) values.push_back(1000000.125 + i * 0.0005);
  EXPECT_GT(first_feature_drawn(values).size(), 100u);
}

// Drawn values under 1000 in magnitude that are whole numbers, and the
// largest number of times one value is drawn.
std::pair<int, int> whole_and_most_copies(const std::map<double, int>& seen) {
  int whole = 0;
  int most = 0;
  for (const auto& [v, count] : seen) {
    if (std::fabs(v) < 1000 && v == std::round(v)) whole += count;
    most = std::max(most, count);
  }
  return {whole, most};
}

TEST(ProfileSampler, OneFarRowLeavesTheDrawnDigitsAlone) {
  // 2,000 values of N(0, 1) and one at 1e6 (a typo). Rounding every value to
  // six significant digits of the largest made the body integers: the drawn
  // median 0 and about half the draws exact copies of -1, 0 or 1.
  std::mt19937_64 rng(17);
  std::normal_distribution<double> normal;
  for (double far : {1e6, -1e9, 1e300}) {
    std::vector<double> values;
    for (int i = 0; i < 2000; ++i) values.push_back(normal(rng));
    values.push_back(far);
    const std::map<double, int> seen = first_feature_drawn(values);
    const auto [whole, most] = whole_and_most_copies(seen);
    EXPECT_LT(whole, 10) << far;
    EXPECT_LE(most, 2) << far;
    // Six significant digits of each value of the body (under 10 here), not
    // float noise: the value reads back from its six-digit text.
    for (const auto& [v, count] : seen) {
      if (std::fabs(v) >= 10) continue;
      char text[32];
      std::snprintf(text, sizeof text, "%.6g", v);
      EXPECT_EQ(v, std::strtod(text, nullptr)) << v;
    }
  }
}

TEST(ProfileSampler, AColumnOfManyMagnitudesDrawsNoCopies) {
  // exp(6 z) spans about 19 orders of magnitude: six digits of the largest
  // value made 46% of the draws exact integer copies (mostly 0).
  std::mt19937_64 rng(23);
  std::normal_distribution<double> normal;
  std::vector<double> values;
  for (int i = 0; i < 2000; ++i) values.push_back(std::exp(6 * normal(rng)));
  const std::map<double, int> seen = first_feature_drawn(values);
  const auto [whole, most] = whole_and_most_copies(seen);
  EXPECT_LT(whole, 50);  // values of 1 and above are about half, so few are whole
  EXPECT_LE(most, 2);
  for (const auto& [v, count] : seen) EXPECT_GT(v, 0) << v;
}

TEST(ProfileSampler, APointMassOffAnyGridKeepsItsExactValue) {
  // 40% of the rows hold log(26) = 3.258096538..., the rest are spread with
  // all their digits: six significant digits would draw the point mass as
  // 3.2581, beside the value the rows hold, which a Kolmogorov-Smirnov
  // comparison counts as its whole mass misplaced.
  std::mt19937_64 rng(29);
  std::normal_distribution<double> normal(5.0, 1.0);
  const double atom = std::log(26.0);
  std::vector<double> values;
  for (int i = 0; i < 1000; ++i) values.push_back(i % 5 < 2 ? atom : normal(rng));
  const std::map<double, int> seen = first_feature_drawn(values);
  ASSERT_EQ(seen.count(atom), 1u);
  EXPECT_NEAR(seen.at(atom), 400, 60);
  EXPECT_EQ(seen.count(3.2581), 0u);
}

TEST(ProfileSampler, ASaturatedValueKeepsItsShareAtTheBound) {
  // A reading that saturates at both ends: 8% of the rows at 0, 8% at 16,
  // the rest 1..15. Fewer than kAtomMinRows rows a bound, but many times the
  // rows of the next value in: each is a point mass, drawn about as often
  // as the rows hold it (smoothed, 16 was drawn for about 1% of the rows).
  std::mt19937_64 rng(37);
  std::normal_distribution<double> normal(8.0, 3.0);
  std::vector<double> values;
  for (int i = 0; i < 200; ++i)
    values.push_back(i % 25 == 0 || i % 25 == 1   ? 0.0
                     : i % 25 == 2 || i % 25 == 3 ? 16.0
                                                  : std::clamp(std::round(normal(rng)), 1.0, 15.0));
  const std::map<double, int> seen = first_feature_drawn(values);
  ASSERT_EQ(seen.count(0.0), 1u);
  ASSERT_EQ(seen.count(16.0), 1u);
  EXPECT_NEAR(seen.at(0.0), 80, 30);
  EXPECT_NEAR(seen.at(16.0), 80, 30);
}

TEST(ProfileSampler, ATopCodedValueIsDrawnAsItself) {
  // 1% of the rows at a cap off any decimal grid: a mass at the bound,
  // drawn as the cap itself; six digits of it (71.9876) would put its whole
  // mass beside the rows' value.
  std::mt19937_64 rng(41);
  std::normal_distribution<double> normal(50.0, 8.0);
  const double cap = 71.9876449;
  std::vector<double> values;
  for (int i = 0; i < 1000; ++i) values.push_back(i % 100 == 0 ? cap : std::min(normal(rng), cap - 0.5));
  const std::map<double, int> seen = first_feature_drawn(values);
  ASSERT_EQ(seen.count(cap), 1u);
  EXPECT_GE(seen.at(cap), 4);
  EXPECT_EQ(seen.count(71.9876), 0u);
}

// Drawn from `values` (first_feature_drawn): how often each of `held` came
// back with every digit.
std::vector<int> exact_copies(const std::vector<double>& values, const std::vector<double>& held) {
  const std::map<double, int> seen = first_feature_drawn(values);
  std::vector<int> out;
  for (double v : held) out.push_back(seen.count(v) ? seen.at(v) : 0);
  return out;
}

TEST(ProfileSampler, ABoundMassLeavesNoSingleRowToCopy) {
  // Ten zeros and two amounts of one row each: taking the zeros as a mass
  // at the bound would leave two values, which the flag rule makes point
  // masses drawn with every digit of one row.
  std::vector<double> values(10, 0.0);
  values.push_back(12.37);
  values.push_back(240.55);
  EXPECT_EQ(exact_copies(values, {12.37, 240.55}), (std::vector<int>{0, 0}));
}

TEST(ProfileSampler, AValueOneRowHoldsIsRoundedNotCopied) {
  // 30 zeros and two rows of their own: the two are point masses of the
  // fit (two values are not smoothed), but drawing them exactly would copy
  // one row's every digit into the output.
  std::vector<double> values(30, 0.0);
  values.push_back(7.123456789012345);
  values.push_back(9.87654321098765);
  const std::vector<int> copies =
      exact_copies(values, {7.123456789012345, 9.87654321098765, 7.12346, 9.87654});
  EXPECT_EQ(copies[0], 0);
  EXPECT_EQ(copies[1], 0);
  EXPECT_GT(copies[2] + copies[3], 0);
}

TEST(ProfileSampler, TinyValuesHaveNoFloatNoise) {
  // Below 1e-17 the power of ten the sampler divides by is not a double;
  // every drawn value must still read back from its six-digit text.
  std::mt19937_64 rng(31);
  std::normal_distribution<double> normal;
  std::vector<double> values;
  for (int i = 0; i < 500; ++i) values.push_back(1e-20 * normal(rng));
  for (const auto& [v, count] : first_feature_drawn(values)) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    EXPECT_EQ(v, std::strtod(text, nullptr)) << v;
  }
}

TEST(ProfileSampler, ExtremeMagnitudesAndSubnormals) {
  // Two point masses, whatever their magnitude, come back as two in about
  // their shares.
  for (double low : {0.0, -1e308, 1.0}) {
    std::vector<double> values;
    for (int i = 0; i < 30; ++i) values.push_back(i < 15 ? low : 1e308);
    const std::map<double, int> seen = first_feature_drawn(values);
    ASSERT_EQ(seen.size(), 2u) << low;
    EXPECT_GT(seen.at(low), 400) << low;
    EXPECT_GT(seen.at(1e308), 400) << low;
  }
  // Subnormals keep distinct values (rounding to 12 decimals made them one).
  std::vector<double> values;
  for (int i = 0; i < 30; ++i) values.push_back((i + 1) * 4.9406564584124654e-321);
  const std::map<double, int> seen = first_feature_drawn(values);
  EXPECT_GT(seen.size(), 100u);
  for (const auto& [v, n] : seen) EXPECT_LT(v, 2.3e-308) << v;
  // Values spread over the whole double range fit and draw finite values.
  values.clear();
  for (int i = 0; i < 40; ++i) values.push_back((i % 2 ? 1 : -1) * std::ldexp(1.0, 1023 - i));
  EXPECT_GT(first_feature_drawn(values).size(), 20u);
  // Small values beside 1e308 underflow in the scaled fit: the knots still
  // never decrease, so the profile passes its own checks (a column the
  // refresh fuzzer drew; its case 275 is the one that failed).
  values = {
      1e+308, 0.0,    0.0,    1e+308, 1e+308, 1e+308, 0.0,    1e+308, 0.0,    0.8404, -0.004874702452303859,
      2715,   0.0,    1e+308, 1e+308, 0.0,    0.0,    0.0,    0.0,    1e+308, 1e+308, 0.0,
      0.0,    1e+308, 0.0,    0.45,   1e+308, 0.0,    0.0,    1e+308, 1e+308, 1e+308, 1e+308,
      0.0,    1e+308, 4.25,   0.0,    0.0,    0.0,    1e-07,  0.0,    0.0,    0.0,    1e+308,
      1e+308, 1e+308, 629060, 0.0,    1e+308, 1e+308, 1e+308, 1e+308, 1e+308, 0.0,    0.0,
      1e+308, 1e+308, 0.0,    0.0,    0.0,    1e+308, 0.004,  0.0,    1e+308, 1e+308, 0.0,
      0.0,    1e+308, 0.0,    0.0,    0.0,    1e+308};
  const std::map<double, int> drawn = first_feature_drawn(values);
  EXPECT_GE(drawn.begin()->first, -0.004874702452303859);
  EXPECT_LE(drawn.rbegin()->first, 1e308);
}

}  // namespace
}  // namespace synth
