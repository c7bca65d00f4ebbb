// The JSON writer behind synth_validate's and synth_compare's jsonb: commas,
// numbers, and strings that jsonb_in always accepts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "engine/model/json_writer.hpp"

namespace synth {
namespace {

TEST(JsonWriter, PlacesCommasAndKeys) {
  JsonWriter w;
  w.begin_object();
  w.key("a").begin_array().count(1).count(2).end_array();
  w.key("b").begin_object().end_object();
  w.key("c").begin_array().end_array();
  w.key("d").boolean(true).key("e").null();
  w.end_object();
  EXPECT_EQ(w.take(), R"({"a": [1, 2], "b": {}, "c": [], "d": true, "e": null})");
}

TEST(JsonWriter, Numbers) {
  JsonWriter w;
  w.begin_array();
  w.number(0.1)
      .number(-0.0)
      .number(1e300)
      .number(std::nan(""))
      .number(std::numeric_limits<double>::infinity());
  w.number(std::optional<double>()).number(std::optional<double>(2.5));
  w.count(std::numeric_limits<std::uint64_t>::max()).integer(std::numeric_limits<std::int64_t>::min());
  w.end_array();
  EXPECT_EQ(w.take(), "[0.1, 0, 1e+300, null, null, null, 2.5, 18446744073709551615, -9223372036854775808]");
}

TEST(JsonWriter, StringsAreEscapedAndAlwaysUtf8) {
  JsonWriter w;
  w.begin_array();
  w.string("q\"b\\s\n\x01");
  w.string(std::string("a\0b", 3));
  w.string("caf\xC3\xA9 \xF0\x9F\x98\x80");               // kept as is
  w.string("\xC3(\xED\xA0\x80\xF5\x80\x80\x80\xC0\xAF");  // lone lead, surrogate, beyond U+10FFFF, overlong
  w.string_or_null(std::nullopt).string_or_null(std::string("x"));
  w.end_array();
  // Each byte of an ill-formed sequence is replaced: one before "(", then 3 + 4 + 2.
  std::string bad;
  for (int k = 0; k < 9; ++k) bad += "\xEF\xBF\xBD";
  EXPECT_EQ(w.take(),
            "[\"q\\\"b\\\\s\\u000a\\u0001\", \"a\\ufffdb\", \"caf\xC3\xA9 \xF0\x9F\x98\x80\", "
            "\"\xEF\xBF\xBD(" +
                bad + "\", null, \"x\"]");
}

}  // namespace
}  // namespace synth
