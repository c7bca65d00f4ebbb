// The private fit spends what the accountant says: the delta split, the
// conversion's monotonicity over the deltas a fit accepts, a trace of every
// noise generator a fit builds checked against the rho split and the
// sensitivities, the key sets of the thresholded releases, the dimension
// chosen without names or bounds, and rows with values that are not finite.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/model/limits.hpp"
#include "engine/privacy/accountant.hpp"
#include "engine/privacy/private_fit.hpp"
#include "engine/privacy/private_parts.hpp"
#include "engine/privacy/private_statistics.hpp"
#include "engine/privacy/random_source.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"

namespace synth {
namespace {

TEST(Accountant, DeltaSplitSumsToAtMostDelta) {
  for (double delta : {1e-3, 3e-7, 1e-9, 1e-15, 1e-300})
    for (bool listed : {false, true}) {
      const DeltaSplit s = split_delta(delta, listed);
      EXPECT_LE(s.conversion + s.domains + s.atoms, delta);
      EXPECT_GT(s.conversion, 0.0 * delta);
      EXPECT_EQ(s.domains == 0, listed);  // listed domains: no domain threshold
      EXPECT_GE(s.atoms, 0.0);
    }
}

TEST(Accountant, EpsilonGrowsWithRhoOverTheDeltasAFitAccepts) {
  // A fit converts at delta / 2 with delta in (0, kMaxPrivacyDelta].
  for (double delta : {kMaxPrivacyDelta / 2, 1e-4, 1e-6, 5e-10, 1e-20}) {
    double last = 0;
    for (double rho = 1e-7; rho < 200; rho *= 1.25) {
      const double eps = epsilon_for(rho, delta);
      EXPECT_GE(eps, 0.0) << rho << " " << delta;
      EXPECT_GE(eps, last) << rho << " " << delta;
      last = eps;
    }
    // The inversion errs on the side of less rho.
    for (double eps : {0.05, 1.0, 20.0}) EXPECT_LE(epsilon_for(rho_for(eps, delta), delta), eps);
  }
  // Never negative, even where the bound is loose (large delta).
  EXPECT_GE(epsilon_for(0.01, 0.9), 0.0);
}

TEST(PrivacyRequest, DeltaAboveTheCapIsRefusedByName) {
  SeededRandomSource random(1);
  PrivacyRequest r;
  r.epsilon = 1;
  r.noise = &random;
  r.delta = kMaxPrivacyDelta;
  EXPECT_NO_THROW(check_privacy_request(r, 2));
  for (double delta : {0.0011, 0.01, 0.5}) {
    r.delta = delta;
    try {
      check_privacy_request(r, 2);
      ADD_FAILURE() << delta;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22023");
      EXPECT_NE(std::string(e.what()).find("delta"), std::string::npos);
    }
  }
}

ProfileFitter random_fitter(std::mt19937_64& rng, std::size_t d, std::size_t n, int domains) {
  ProfileFitter fitter;
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> x(d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < d; ++f) x[f] = f % 2 ? std::round(3 + 2 * normal(rng)) : 10 * normal(rng);
    fitter.add("g" + std::to_string(rng() % static_cast<std::uint64_t>(domains)), x.data(), d,
               std::round(1e3 / (1 + std::exp(-normal(rng)))) / 1e3);
  }
  return fitter;
}

double expected_sensitivity_squared(PrivacyPart part, std::size_t d, std::size_t estimated) {
  switch (part) {
    case PrivacyPart::kCounts:
    case PrivacyPart::kDimension:
      return 1;
    case PrivacyPart::kIntegers:
      return static_cast<double>(d);
    case PrivacyPart::kBounds:
      return static_cast<double>(estimated);
    case PrivacyPart::kMarginals:
    case PrivacyPart::kAtoms:
      return static_cast<double>(d + 1);
    case PrivacyPart::kCopula: {
      const double norm = kCopulaClipNorm * std::sqrt(d + 1.0) * kGramScale + std::sqrt(d + 1.0) / 2;
      return norm * norm * norm * norm;
    }
  }
  return -1;
}

TEST(PrivacyTrace, FitsSpendTheSplitWithTheSensitivitiesAssumed) {
  std::mt19937_64 rng(17);
  PrivacyTrace trace;
  set_privacy_trace(&trace);
  int moved = 0;  // rounds whose shape steps moved a part's rho to the marginals
  for (int round = 0; round < 24; ++round) {
    const std::size_t d = 1 + rng() % 4;
    // Few rows make the atoms' threshold or the copula's noise too large (shape_split).
    const ProfileFitter fitter =
        random_fitter(rng, d, round % 2 ? 3000 : 1000, 1 + static_cast<int>(rng() % 3));
    SeededRandomSource noise(static_cast<std::uint64_t>(round));
    PrivacyRequest r;
    r.epsilon = std::vector<double>{0.5, 2.0, 8.0}[rng() % 3];
    r.delta = std::vector<double>{1e-9, 1e-6, 1e-3}[rng() % 3];
    r.noise = &noise;
    const int mode = round % 3;  // names, bounds (some estimated), neither
    std::vector<std::string> names;
    std::size_t estimated = d;
    if (mode == 0)
      for (std::size_t f = 0; f < d; ++f) names.push_back("x" + std::to_string(f));
    if (mode == 1)
      for (std::size_t f = 0; f < d; ++f) {
        if (rng() % 2) --estimated;
        r.feature_bounds.push_back(estimated + f < d ? std::nullopt
                                                     : std::optional(std::make_pair(-30.0, 30.0)));
      }
    estimated = 0;
    for (std::size_t f = 0; f < d; ++f) estimated += r.feature_bounds.empty() || !r.feature_bounds[f];
    if (rng() % 2) r.public_domains = {"g0", "g1"};
    trace = PrivacyTrace{};
    Profile p;
    try {
      p = fitter.fit_private(names, r);
    } catch (const Error& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    ASSERT_EQ(p.feature_names.size(), d) << round;  // rows of one dimension: chosen right
    const DeltaSplit deltas = split_delta(r.delta, !r.public_domains.empty());
    const BudgetSplit whole = split_budget(rho_for(r.epsilon, deltas.conversion), estimated > 0, mode == 2);
    EXPECT_NEAR(p.privacy->rho, whole.total, 1e-15);
    // The shape steps' split: the same total, parts only ever moved to the marginals.
    const BudgetSplit split = shape_split(whole, d, p.rows, p.domains.size(), deltas.atoms);
    moved += split[PrivacyPart::kMarginals] > whole[PrivacyPart::kMarginals];
    EXPECT_NEAR(split.rho[0] + split.rho[1] + split.rho[2] + split.rho[3] + split.rho[4] + split.rho[5] +
                    split.rho[6],
                whole.total, 1e-12 * whole.total);
    double rho = 0;
    std::set<PrivacyPart> parts;
    for (const PrivacyTrace::Noise& n : trace.noise) {
      EXPECT_TRUE(parts.insert(n.part).second) << "two generators of one part";
      EXPECT_EQ(n.rho, split[n.part]) << privacy_part_name(n.part);
      const double want = expected_sensitivity_squared(n.part, d, estimated);
      EXPECT_NEAR(n.sensitivity_squared, want, 1e-12 * want) << privacy_part_name(n.part);
      if (n.part != PrivacyPart::kCopula) {
        EXPECT_EQ(n.sensitivity_squared, want) << privacy_part_name(n.part);
      }
      EXPECT_GE(n.variance, n.sensitivity_squared / (2 * n.rho)) << privacy_part_name(n.part);
      // Every part draws (frequent values only when some value is a candidate).
      if (n.part != PrivacyPart::kAtoms) {
        EXPECT_GT(n.draws, 0u) << privacy_part_name(n.part);
      }
      rho += n.rho;
    }
    EXPECT_NEAR(rho, split.total, 1e-12 * split.total);
    for (std::size_t i = 0; i < kPrivacyPartCount; ++i)
      EXPECT_EQ(parts.count(static_cast<PrivacyPart>(i)) == 1, split.rho[i] > 0) << i;
    EXPECT_EQ(parts.count(PrivacyPart::kDimension), mode == 2 ? 1u : 0u);
    double delta = 0, conversion = 0;
    for (const auto& [what, x] : trace.deltas) {
      delta += x;
      if (what == "conversion") conversion = x;
    }
    EXPECT_LE(delta, r.delta);
    EXPECT_LE(epsilon_for(rho, conversion), r.epsilon * (1 + 1e-12));
  }
  EXPECT_GT(moved, 0) << "no round moved a part: the test does not reach shape_split's moves";
  EXPECT_LT(moved, 24) << "every round moved a part";
  set_privacy_trace(nullptr);
}

// --- Key sets of the thresholded releases --------------------------------

TEST(PrivateKeySets, ANeighbourAddsOneCandidateAtTheCountTheThresholdAssumes) {
  std::mt19937_64 rng(23);
  for (int round = 0; round < 200; ++round) {
    const std::size_t d = 1 + rng() % 3, n = 50 + rng() % 400;
    std::vector<double> values;
    std::vector<std::uint32_t> domain;
    for (std::size_t i = 0; i <= n; ++i) {  // the last row is the neighbour's
      for (std::size_t c = 0; c <= d; ++c)
        values.push_back(static_cast<double>(rng() % 12) / (c == d ? 12 : 1));
      domain.push_back(static_cast<std::uint32_t>(rng() % 6));
    }
    const PrivateRows small{values.data(), domain.data(), n, d}, big{values.data(), domain.data(), n + 1, d};
    // Domains: every domain with a row is a candidate (the threshold assumes 1 row).
    const auto a = count_domains(small, 6), b = count_domains(big, 6);
    std::size_t new_keys = 0;
    for (std::size_t g = 0; g < 6; ++g) {
      if ((a[g] > 0) == (b[g] > 0)) continue;
      ++new_keys;
      EXPECT_EQ(b[g], 1);
    }
    EXPECT_LE(new_keys, 1u);
    // Frequent values: with the least count fixed (it follows the released
    // total, noisy), one candidate a column at most, holding exactly least.
    std::vector<int> slot(6);
    for (auto& s : slot) s = rng() % 5 ? 0 : -1;
    std::vector<ColumnGrid> grids(d + 1);
    for (std::size_t c = 0; c < d; ++c) grids[c].lo = 0, grids[c].hi = 11;
    grids[d].score = true;
    const double least = std::max(atom_least(static_cast<std::uint64_t>(n)), std::floor(n / 40.0));
    const auto va = value_counts(small, slot, grids), vb = value_counts(big, slot, grids);
    for (std::size_t c = 0; c <= d; ++c) {
      const auto ca = atom_candidates(va[c], least), cb = atom_candidates(vb[c], least);
      std::map<double, std::int64_t> in_a(ca.begin(), ca.end()), in_b(cb.begin(), cb.end());
      std::size_t added = 0;
      for (const auto& [value, count] : in_b) {
        EXPECT_GE(static_cast<double>(count), least);
        if (in_a.count(value)) {
          EXPECT_LE(count - in_a[value], 1);
          continue;
        }
        ++added;
        EXPECT_EQ(static_cast<double>(count), least) << "a new candidate must hold exactly least rows";
      }
      EXPECT_LE(added, 1u);
      for (const auto& [value, count] : in_a) EXPECT_TRUE(in_b.count(value)) << "adding a row drops no key";
    }
  }
}

// --- The dimension, and values that are not finite ------------------------

ProfileFitter two_dimensions(std::size_t of_two, std::size_t of_three) {
  ProfileFitter fitter;
  std::mt19937_64 rng(31);
  std::normal_distribution<double> normal(0, 1);
  for (std::size_t i = 0; i < of_two + of_three; ++i) {
    const double x[3] = {normal(rng), normal(rng), normal(rng)};
    fitter.add("a", x, i < of_two ? 2 : 3, 0.5);
  }
  return fitter;
}

TEST(PrivateDimension, OneRowDoesNotDecideTheDimension) {
  // D: 30 rows of dimension 2 and 30 of 3; D': one more row of dimension 3.
  // Without names or bounds the released dimension is a noisy choice: both
  // 2 and 3 come out of both, in shares one row barely moves.
  const ProfileFitter d = two_dimensions(30, 30), d_plus = two_dimensions(30, 31);
  std::map<std::size_t, int> seen[2];
  const int trials = 150;
  for (int t = 0; t < trials; ++t)
    for (int which = 0; which < 2; ++which) {
      SeededRandomSource noise(static_cast<std::uint64_t>(t));
      PrivacyRequest r;
      r.epsilon = 1;
      r.noise = &noise;
      r.public_domains = {"a"};
      try {
        ++seen[which][(which ? d_plus : d).fit_private({}, r).feature_names.size()];
      } catch (const Error& e) {
        EXPECT_STREQ(e.sqlstate(), "22000");  // too few (noisy) rows of the dimension chosen
        ++seen[which][0];
      }
    }
  for (int which = 0; which < 2; ++which) {
    EXPECT_GT(seen[which][2], 0) << which;
    EXPECT_GT(seen[which][3], 0) << which;
  }
  for (int which = 0; which < 2; ++which)
    RecordProperty("chose_3_of_" + std::to_string(which), seen[which][3]);
  // In shares one row barely moves.
  EXPECT_LT(std::abs(seen[0][3] - seen[1][3]), trials / 5);
  // The choice itself, on the counts alone, with the rho a fit at epsilon 1 gives it.
  const double rho = split_budget(rho_for(1.0, 5e-10), true, true)[PrivacyPart::kDimension];
  int three[2] = {0, 0};
  for (int t = 0; t < 2000; ++t) {
    SeededRandomSource a(static_cast<std::uint64_t>(t)), b(static_cast<std::uint64_t>(t));
    three[0] += choose_dimension({{2, 30}, {3, 30}}, rho, a) == 3;
    three[1] += choose_dimension({{2, 30}, {3, 31}}, rho, b) == 3;
  }
  EXPECT_GT(three[0], 50);
  EXPECT_GT(three[1], 50);
  EXPECT_LT(std::abs(three[0] - three[1]), 200);
  // Many rows of one dimension: chosen (almost) surely, whatever the others.
  SeededRandomSource c(1);
  EXPECT_EQ(choose_dimension({{2, 5000}, {3, 40}}, rho, c), 2u);
}

TEST(PrivateFit, ValuesThatAreNotFiniteNeverReachTheFit) {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  ProfileFitter clean, dirty;
  std::mt19937_64 rng(41);
  std::normal_distribution<double> normal(0, 1);
  for (int i = 0; i < 2000; ++i) {
    const double x[2] = {normal(rng), std::round(5 * normal(rng))};
    clean.add("a", x, 2, 0.25);
    dirty.add("a", x, 2, 0.25);
    if (i % 50 == 0) {
      const double bad[3][2] = {{nan, 1}, {1, inf}, {-inf, nan}};
      dirty.add("a", bad[i % 3], 2, 0.5);
      dirty.add("a", x, 2, nan);
    }
  }
  for (bool listed : {false, true}) {
    SeededRandomSource a(3), b(3);
    PrivacyRequest r;
    r.epsilon = 2;
    if (listed) r.public_domains = {"a"};
    r.noise = &a;
    const Profile want = clean.fit_private({"x", "y"}, r);
    r.noise = &b;
    EXPECT_EQ(profile_json(dirty.fit_private({"x", "y"}, r)), profile_json(want));
  }
  EXPECT_EQ(profile_json(dirty.fit({"x", "y"})), profile_json(clean.fit({"x", "y"})));
}

TEST(PrivateFit, SeededNoiseIsSaidInThePrivacyKey) {
  std::mt19937_64 rng(43);
  const ProfileFitter fitter = random_fitter(rng, 2, 1000, 1);
  SeededRandomSource noise(1);
  PrivacyRequest r;
  r.epsilon = 1;
  r.noise = &noise;
  EXPECT_EQ(fitter.fit_private({"x", "y"}, r).privacy->mechanism, kMechanism);
  r.seeded = true;
  const Profile p = fitter.fit_private({"x", "y"}, r);
  EXPECT_EQ(p.privacy->mechanism, "discrete_gaussian, seeded noise: not private");
  EXPECT_NE(profile_json(p).find("seeded noise: not private"), std::string::npos);
  EXPECT_EQ(profile_json(parse_profile(profile_json(p))), profile_json(p));
}

}  // namespace
}  // namespace synth
