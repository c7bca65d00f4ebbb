// The test-only fault path behind _synth_test_throw: each kind leaves the
// engine as the C++ type the error wall (src/pg/bridge.cpp) maps to a SQLSTATE.
#include <gtest/gtest.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "engine/model/error.hpp"
#include "engine/model/fault_injection.hpp"

namespace synth {
namespace {

using testing::throw_from_engine;

TEST(FaultInjection, StandardKinds) {
  EXPECT_THROW(throw_from_engine("bad_alloc"), std::bad_alloc);
  EXPECT_THROW(throw_from_engine("invalid_argument"), std::invalid_argument);
  EXPECT_THROW(throw_from_engine("length_error"), std::length_error);
  EXPECT_THROW(throw_from_engine("range_error"), std::range_error);
}

TEST(FaultInjection, MessagesOfStandardKinds) {
  try {
    throw_from_engine("invalid_argument");
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "engine rejected an argument");
  }
  try {
    throw_from_engine("length_error");
  } catch (const std::length_error& e) {
    EXPECT_STREQ(e.what(), "engine container grew too long");
  }
  try {
    throw_from_engine("range_error");
  } catch (const std::range_error& e) {
    EXPECT_STREQ(e.what(), "engine value out of range");
  }
}

TEST(FaultInjection, SynthErrorCarriesSqlstateDetailAndHint) {
  try {
    throw_from_engine("synth_error");
    FAIL() << "did not throw";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "54000");
    EXPECT_STREQ(e.what(), "engine limit exceeded");
    EXPECT_EQ(e.detail(), "The engine raised its own error type.");
    EXPECT_EQ(e.hint(), "This is a test-only path.");
  }
}

TEST(FaultInjection, NonStandardExceptionIsNotAStdException) {
  bool caught_std = false, caught_other = false;
  try {
    throw_from_engine("non_std");
  } catch (const std::exception&) {
    caught_std = true;
  } catch (...) {
    caught_other = true;
  }
  EXPECT_FALSE(caught_std);
  EXPECT_TRUE(caught_other);
}

TEST(FaultInjection, UnknownKindIsAnInvalidParameter) {
  for (const char* kind : {"", "bad alloc", "BAD_ALLOC", "segfault"}) {
    try {
      throw_from_engine(kind);
      FAIL() << "did not throw for " << kind;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22023") << kind;
      EXPECT_EQ(std::string(e.what()), "unknown fault kind \"" + std::string(kind) + "\"");
      EXPECT_NE(e.hint().find("bad_alloc"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace synth
