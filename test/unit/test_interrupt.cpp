// The engine's interrupt hook: long loops poll it, and a check that answers
// yes stops them with synth::Interrupted, whatever frames lie in between.
#include <gtest/gtest.h>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "engine/compare/compare_detail.hpp"
#include "engine/compare/compare_model.hpp"
#include "engine/compare/compare_report.hpp"
#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"
#include "engine/profile/profile.hpp"

namespace synth {
namespace {

int checks = 0;            // calls of the installed check
int stop_after = 1 << 30;  // the check answers yes from this call on
bool counting_check() { return ++checks >= stop_after; }

class InterruptHook : public ::testing::Test {
 protected:
  void SetUp() override {
    checks = 0;
    stop_after = 1 << 30;
    set_interrupt_check(counting_check);
  }
  void TearDown() override { set_interrupt_check(nullptr); }
};

compare::Design big_design(std::size_t rows, std::size_t width) {
  compare::Design d;
  d.width = width;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < width; ++j)
      d.values.push_back(static_cast<double>(mix64(i * 131 + j) >> 11) * 0x1.0p-53);
    d.labels.push_back(static_cast<double>(i % 2));
  }
  return d;
}

TEST_F(InterruptHook, PollRunsTheCheckOnceEveryStride) {
  for (std::uint32_t i = 0; i < 10 * kInterruptStride; ++i) poll_interrupt();
  EXPECT_GE(checks, 9);
  EXPECT_LE(checks, 11);
  checks = 0;
  for (int i = 0; i < 10; ++i) poll_interrupt(kInterruptStride);  // heavy iterations check every time
  EXPECT_EQ(checks, 10);
}

TEST_F(InterruptHook, NoCheckInstalledNeverStops) {
  set_interrupt_check(nullptr);
  for (std::uint32_t i = 0; i < 3 * kInterruptStride; ++i) poll_interrupt();
  EXPECT_NO_THROW(check_interrupt());
}

TEST_F(InterruptHook, TheExceptionIsNoStdException) {
  stop_after = 1;
  bool caught_as_interrupted = false;
  try {
    try {
      check_interrupt();
    } catch (const std::exception&) {
      FAIL() << "an interrupt must not look like an engine error";
    }
  } catch (const Interrupted&) {
    caught_as_interrupted = true;
  }
  EXPECT_TRUE(caught_as_interrupted);
}

TEST_F(InterruptHook, LogisticFitPollsAndStops) {
  const compare::Design d = big_design(4000, 8);
  compare::fit_logistic(d);
  EXPECT_GT(checks, 10) << "the fit never asked whether to stop";
  checks = 0;
  stop_after = 3;
  EXPECT_THROW(compare::fit_logistic(d), Interrupted);
  EXPECT_EQ(checks, 3);
}

TEST_F(InterruptHook, RocAucPollsAndStops) {
  std::vector<double> scores, labels;
  for (std::size_t i = 0; i < 100000; ++i) {
    scores.push_back(static_cast<double>(mix64(i) >> 11) * 0x1.0p-53);
    labels.push_back(static_cast<double>(i % 2));
  }
  const std::vector<std::size_t> order = compare::sort_order(scores);
  compare::roc_auc(scores, labels, order);
  EXPECT_GT(checks, 10);
  stop_after = checks + 2;
  EXPECT_THROW(compare::roc_auc(scores, labels, order), Interrupted);
}

CompareSideInput side_of(std::size_t rows, std::uint64_t key) {
  CompareSide collector;
  for (std::size_t i = 0; i < rows; ++i) {
    RowObservation r;
    r.reset();
    r.feature_shape = FeatureShape::kArray;
    r.feature_count = 6;
    for (std::size_t j = 0; j < 6; ++j)
      r.set_feature(j, ValueState::kNumber, static_cast<double>(mix64((key + i) * 31 + j) >> 11) * 0x1.0p-53);
    r.score_state = ValueState::kNumber;
    r.score = static_cast<double>(mix64(key + i) >> 11) * 0x1.0p-53;
    r.set_domain(i % 2 ? "coding" : "writing");
    collector.add(r);
  }
  CompareSideInput in;
  in.rows_read = collector.rows_seen();
  in.invalid = collector.invalid();
  in.columns = collector.finish();
  in.source.table = "t";
  return in;
}

TEST_F(InterruptHook, CompareStopsAtTheFirstCheckThatSaysSo) {
  CompareOptions options;
  options.bootstrap = 1000;
  const CompareSideInput real = side_of(3000, 1), synthetic = side_of(3000, 100000);
  stop_after = 40;
  EXPECT_THROW(compare_sides(real, synthetic, std::nullopt, options), Interrupted);
  EXPECT_EQ(checks, 40);
}

TEST_F(InterruptHook, CompareDetailPollsAndStops) {
  const CompareSideInput real = side_of(20000, 1), synthetic = side_of(20000, 100000);
  compare_detail(real, synthetic, std::nullopt, 20);
  EXPECT_GT(checks, 10);  // every pass over the rows polls
  checks = 0;
  stop_after = 10;
  EXPECT_THROW(compare_detail(real, synthetic, std::nullopt, 20), Interrupted);
  EXPECT_EQ(checks, 10);
}

TEST_F(InterruptHook, ProfileParsingPollsAndStops) {
  // A long string value: parsing it alone is a loop over its bytes.
  const std::string text = "{\"format_version\": 1, \"x\": \"" + std::string(1 << 20, 'a') + "\"}";
  try {
    parse_profile(text);
  } catch (const Error&) {
  }
  EXPECT_GT(checks, 100);
  checks = 0;
  stop_after = 5;
  EXPECT_THROW(parse_profile(text), Interrupted);
}

}  // namespace
}  // namespace synth
