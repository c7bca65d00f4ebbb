// Option validation: every bad input throws synth::Error with the SQLSTATE the
// SQL layer reports, and a message naming the argument at fault.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "engine/model/error.hpp"
#include "engine/generate/generator_options.hpp"
#include "engine/generate/row_sampler.hpp"

namespace synth {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

::testing::AssertionResult throws_error(const std::function<void()>& call, const std::string& sqlstate,
                                        const std::string& message_part) {
  try {
    call();
  } catch (const Error& e) {
    if (sqlstate != e.sqlstate())
      return ::testing::AssertionFailure()
             << "SQLSTATE " << e.sqlstate() << ", expected " << sqlstate << " (message: " << e.what() << ")";
    if (std::string(e.what()).find(message_part) == std::string::npos)
      return ::testing::AssertionFailure()
             << "message \"" << e.what() << "\" lacks \"" << message_part << "\"";
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another type: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

GeneratorOptions valid() {
  GeneratorOptions options;
  options.n = 100;
  options.seed = 1;
  return options;
}

TEST(GeneratorOptions, DefaultsAreValid) {
  EXPECT_NO_THROW(validate_options(valid()));
  GeneratorOptions defaults;
  EXPECT_NO_THROW(validate_options(defaults));  // n = 0 is an empty dataset
  EXPECT_EQ(defaults.label_noise, 0.05);
  EXPECT_EQ(defaults.tier_shares, kDefaultTierShares);
  for (std::size_t d = 0; d < kDomainCount; ++d)
    EXPECT_EQ(defaults.domain_weights[d], kDomains[d].default_share);
}

TEST(GeneratorOptions, RowCount) {
  EXPECT_TRUE(throws_error([] { validate_row_count(-1); }, "22023", "n must not be negative, got -1"));
  EXPECT_TRUE(throws_error([] { validate_row_count(std::numeric_limits<std::int64_t>::min()); }, "22023",
                           "n must not be negative"));
  EXPECT_TRUE(throws_error([] { validate_row_count(kMaxRows + 1); }, "54000",
                           "n must be at most 1000000000000, got 1000000000001"));
  EXPECT_TRUE(throws_error([] { validate_row_count(std::numeric_limits<std::int64_t>::max()); }, "54000",
                           "n must be at most"));
  EXPECT_NO_THROW(validate_row_count(0));
  EXPECT_NO_THROW(validate_row_count(kMaxRows));
  GeneratorOptions options = valid();
  options.n = -5;
  EXPECT_TRUE(throws_error([&] { validate_options(options); }, "22023", "n must not be negative"));
  EXPECT_TRUE(throws_error([&] { RowSampler sampler(options); }, "22023", "n must not be negative"));
  options.n = kMaxRows + 1;
  EXPECT_TRUE(throws_error([&] { RowSampler sampler(options); }, "54000", "n must be at most"));
}

TEST(GeneratorOptions, TierShares) {
  using Shares = std::array<double, kTierCount>;
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{kNaN, 0.5, 0.5});
      },
      "22023", "tier_shares[1] must be a finite number >= 0, got nan"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{0.5, kInf, 0.5});
      },
      "22023", "tier_shares[2] must be a finite number >= 0"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{0.5, 0.75, -0.25});
      },
      "22023", "tier_shares[3] must be a finite number >= 0, got -0.25"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{0.3, 0.3, 0.3});
      },
      "22023", "tier_shares must sum to 1"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{0.5, 0.5, 0.5});
      },
      "22023", "tier_shares must sum to 1, got 1.5"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{0, 0, 0});
      },
      "22023", "tier_shares must sum to 1"));
  EXPECT_NO_THROW(validate_tier_shares(Shares{0, 1, 0}));
  EXPECT_NO_THROW(validate_tier_shares(Shares{0.1, 0.7, 0.2}));  // 0.1 + 0.7 + 0.2 != 1 exactly in binary
  EXPECT_NO_THROW(validate_tier_shares(Shares{1.0 / 3, 1.0 / 3, 1.0 / 3}));
  GeneratorOptions options = valid();
  options.tier_shares = {0.2, 0.2, 0.2};
  EXPECT_TRUE(throws_error([&] { RowSampler sampler(options); }, "22023", "tier_shares"));
}

TEST(GeneratorOptions, LabelNoise) {
  for (double bad : {-0.1, 1.5, -0.0000001, 1.0000001, kNaN, kInf, -kInf})
    EXPECT_TRUE(
        throws_error([bad] { validate_label_noise(bad); }, "22023", "label_noise must be between 0 and 1"))
        << bad;
  for (double good : {0.0, -0.0, 0.05, 0.5, 1.0}) EXPECT_NO_THROW(validate_label_noise(good)) << good;
  GeneratorOptions options = valid();
  options.label_noise = kNaN;
  EXPECT_TRUE(throws_error([&] { RowSampler sampler(options); }, "22023", "label_noise"));
}

TEST(GeneratorOptions, DomainWeightsArrays) {
  using Weights = std::array<double, kDomainCount>;
  EXPECT_TRUE(throws_error(
      [] {
        validate_domain_weights(Weights{1, -1, 0, 0, 0});
      },
      "22023", "domain_weights.\"creative\" must be a finite number >= 0, got -1"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_domain_weights(Weights{1, 0, kNaN, 0, 0});
      },
      "22023", "domain_weights.\"analytical\" must be a finite number >= 0"));
  EXPECT_TRUE(throws_error(
      [] {
        validate_domain_weights(Weights{1, 0, 0, kInf, 0});
      },
      "22023", "domain_weights.\"instructional\""));
  EXPECT_TRUE(throws_error(
      [] {
        validate_domain_weights(Weights{0, 0, 0, 0, 0});
      },
      "22023", "at least one domain a positive weight"));
  // Finite weights whose sum overflows.
  const double big = std::numeric_limits<double>::max();
  EXPECT_TRUE(throws_error(
      [big] {
        validate_domain_weights(Weights{big, big, 0, 0, 0});
      },
      "22023", "domain_weights"));
  EXPECT_NO_THROW(validate_domain_weights(Weights{0, 0, 0, 0, 1e-300}));
  GeneratorOptions options = valid();
  options.domain_weights = {0, 0, 0, 0, 0};
  EXPECT_TRUE(throws_error([&] { RowSampler sampler(options); }, "22023", "domain_weights"));
}

TEST(GeneratorOptions, DomainWeightsBuilder) {
  {
    DomainWeightsBuilder b;
    b.set("technical", 3);
    b.set("creative", 1);
    const auto w = b.finish();
    EXPECT_EQ(w, (std::array<double, kDomainCount>{3, 1, 0, 0, 0}));  // unnamed domains weigh 0
  }
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("technica", 1); }, "22023",
                           "unknown domain \"technica\" in domain_weights"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("Technical", 1); }, "22023", "unknown domain"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("", 1); }, "22023", "unknown domain \"\""));
  EXPECT_TRUE(throws_error(
      [] {
        DomainWeightsBuilder b;
        b.set("creative", 1);
        b.set("creative", 2);
      },
      "22023", "domain \"creative\" appears twice in domain_weights"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("technical", -1); }, "22023",
                           "domain_weights.\"technical\" must be a finite number >= 0, got -1"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("technical", kNaN); }, "22023",
                           "domain_weights.\"technical\" must be a finite number >= 0, got nan"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("technical", kInf); }, "22023",
                           "domain_weights.\"technical\" must be a finite number >= 0, got inf"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().set("technical", -kInf); }, "22023",
                           "must be a finite number >= 0"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().finish(); }, "22023",
                           "domain_weights must give at least one domain a positive weight"));
  EXPECT_TRUE(throws_error(
      [] {
        DomainWeightsBuilder b;
        b.set("technical", 0);
        b.set("conversational", 0);
        b.finish();
      },
      "22023", "at least one domain a positive weight"));
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().reject_non_numeric("creative", "a string"); }, "22023",
                           "domain_weights.\"creative\" must be a number, got a string"));
}

// real[] shares arrive widened to float8 with float4 rounding: accepted when
// every share is a float4 value; float8 shares keep the tight tolerance.
TEST(GeneratorOptions, TierSharesFromReal) {
  using Shares = std::array<double, kTierCount>;
  const Shares real = {static_cast<float>(0.2), static_cast<float>(0.3), static_cast<float>(0.5)};
  EXPECT_NO_THROW(validate_tier_shares(real));
  const Shares thirds = {static_cast<float>(0.1), static_cast<float>(0.6), static_cast<float>(0.3)};
  EXPECT_NO_THROW(validate_tier_shares(thirds));
  EXPECT_TRUE(throws_error(
      [] {
        validate_tier_shares(Shares{0.2, 0.3, 0.5000001});
      },
      "22023", "tier_shares must sum to 1"));
  const Shares off = {static_cast<float>(0.2), static_cast<float>(0.3), static_cast<float>(0.501)};
  EXPECT_TRUE(throws_error([off] { validate_tier_shares(off); }, "22023", "tier_shares must sum to 1"));
}

// Which mistake a weight is reported for: an unknown name before its type,
// and a positive weight too small for a double as such, not as "no weight".
TEST(GeneratorOptions, DomainWeightsMessagesNameTheMistake) {
  EXPECT_TRUE(throws_error([] { DomainWeightsBuilder().reject_non_numeric("a", "an object or array"); },
                           "22023", "unknown domain \"a\" in domain_weights"));
  EXPECT_TRUE(
      throws_error([] { DomainWeightsBuilder().reject_non_numeric("technical", "an object or array"); },
                   "22023", "domain_weights.\"technical\" must be a number, got an object or array"));
  const std::string tiny = "0." + std::string(399, '0') + "1234";
  EXPECT_TRUE(throws_error([&] { DomainWeightsBuilder().reject_underflow("technical", tiny); }, "22023",
                           "domain_weights.\"technical\" is too small: 1.234e-400 is below"));
  EXPECT_TRUE(throws_error([&] { DomainWeightsBuilder().reject_underflow("nope", tiny); }, "22023",
                           "unknown domain \"nope\""));
}

TEST(GeneratorOptions, ErrorsCarryDetailAndHint) {
  try {
    validate_row_count(kMaxRows + 1);
    FAIL() << "did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.detail(), "One dataset holds at most 10^12 rows.");
    EXPECT_EQ(e.hint(), "Split the work into several datasets with different seeds.");
  }
  try {
    DomainWeightsBuilder().set("nope", 1);
    FAIL() << "did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.detail(), "Valid domains: technical, creative, analytical, instructional, conversational.");
  }
  EXPECT_EQ(valid_domain_list(), "technical, creative, analytical, instructional, conversational");
}

TEST(GeneratorOptions, Slices) {
  EXPECT_TRUE(throws_error([] { resolve_slice(10, -1, -1); }, "22023",
                           "slice_start must be between 0 and n (10), got -1"));
  EXPECT_TRUE(throws_error([] { resolve_slice(10, 11, -1); }, "22023",
                           "slice_start must be between 0 and n (10), got 11"));
  EXPECT_TRUE(throws_error([] { resolve_slice(10, 4, 7); }, "22023",
                           "slice_rows must be at most n - slice_start (6), got 7"));
  EXPECT_TRUE(throws_error([] { resolve_slice(0, 0, 1); }, "22023", "slice_rows must be at most"));
  EXPECT_TRUE(throws_error([] { resolve_slice(kMaxRows, kMaxRows, 1); }, "22023", "slice_rows"));

  auto check = [](std::int64_t n, std::int64_t start, std::int64_t rows, std::int64_t want_start,
                  std::int64_t want_count) {
    const SliceRange r = resolve_slice(n, start, rows);
    EXPECT_EQ(r.start, want_start) << n << " " << start << " " << rows;
    EXPECT_EQ(r.count, want_count) << n << " " << start << " " << rows;
  };
  check(10, 0, -1, 0, 10);  // the whole dataset
  check(10, 4, -1, 4, 6);   // to the end
  check(10, 4, 6, 4, 6);
  check(10, 4, 0, 4, 0);
  check(10, 10, -1, 10, 0);  // an empty slice at the end
  check(10, 10, 0, 10, 0);
  check(0, 0, -1, 0, 0);
  check(1000000000, 999999995, 5, 999999995, 5);
  check(kMaxRows, 0, 5, 0, 5);
}

}  // namespace
}  // namespace synth
