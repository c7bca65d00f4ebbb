// The UTF-8 encoder and JSON escapes the profile reader and the row reader share.
#include <gtest/gtest.h>

#include <string>

#include "engine/model/text_encoding.hpp"

namespace synth {
namespace {

std::string encoded(std::uint32_t cp) {
  char bytes[4];
  return std::string(bytes, encode_utf8(cp, bytes));
}

TEST(EncodeUtf8, EveryLengthAndItsEdges) {
  EXPECT_EQ(encoded(0x41), "A");
  EXPECT_EQ(encoded(0x7F), "\x7F");
  EXPECT_EQ(encoded(0x80), "\xC2\x80");
  EXPECT_EQ(encoded(0xE9), "\xC3\xA9");
  EXPECT_EQ(encoded(0x7FF), "\xDF\xBF");
  EXPECT_EQ(encoded(0x800), "\xE0\xA0\x80");
  EXPECT_EQ(encoded(0x20AC), "\xE2\x82\xAC");
  EXPECT_EQ(encoded(0xFFFD), "\xEF\xBF\xBD");
  EXPECT_EQ(encoded(0x10000), "\xF0\x90\x80\x80");
  EXPECT_EQ(encoded(0x1F600), "\xF0\x9F\x98\x80");
  EXPECT_EQ(encoded(0x10FFFF), "\xF4\x8F\xBF\xBF");
}

TEST(JsonShortEscape, TheEightAndNothingElse) {
  EXPECT_EQ(json_short_escape('"'), '"');
  EXPECT_EQ(json_short_escape('\\'), '\\');
  EXPECT_EQ(json_short_escape('/'), '/');
  EXPECT_EQ(json_short_escape('b'), '\b');
  EXPECT_EQ(json_short_escape('f'), '\f');
  EXPECT_EQ(json_short_escape('n'), '\n');
  EXPECT_EQ(json_short_escape('r'), '\r');
  EXPECT_EQ(json_short_escape('t'), '\t');
  for (char e : {'u', 'a', 'N', '0', '\'', ' ', '\0'}) EXPECT_EQ(json_short_escape(e), '\0') << e;
}

}  // namespace
}  // namespace synth
