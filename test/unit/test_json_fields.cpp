// The json-text scanner and the number parser: valid, malformed and hostile input.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>

#include "engine/rows/json_fields.hpp"
#include "engine/model/number_text.hpp"
#include "engine/model/text_encoding.hpp"

namespace synth {
namespace {

const char* const kRow =
    R"({"enhanced_prompt": "Write a \"test\"", "effectiveness_score": 0.83,
        "feature_vector": [0.5, 210, 0.75, 5, 0.6, 0.9],
        "metadata": {"source": "x", "domain": "technical", "feature_names": ["a", "b"]}})";

RowObservation scan(std::string_view json, JsonScan expected = JsonScan::kObject) {
  // A heap copy of exactly the view's size, so a read past the end is a real
  // out-of-bounds read under the sanitizers.
  std::unique_ptr<char[]> copy(new char[json.size() + 1]);
  std::copy(json.begin(), json.end(), copy.get());
  RowObservation row;
  EXPECT_EQ(scan_enhancement_result(std::string_view(copy.get(), json.size()), row), expected) << json;
  return row;
}

TEST(NumberText, Parses) {
  EXPECT_EQ(parse_decimal("0.83").kind, NumberClass::kFinite);
  EXPECT_DOUBLE_EQ(parse_decimal("0.83").value, 0.83);
  EXPECT_DOUBLE_EQ(parse_decimal("-12.5e-1").value, -1.25);
  EXPECT_DOUBLE_EQ(parse_decimal("210").value, 210.0);
  EXPECT_EQ(parse_decimal("1e999").kind, NumberClass::kNonFinite);
  EXPECT_EQ(parse_decimal("-1e999").kind, NumberClass::kNonFinite);
  EXPECT_EQ(parse_decimal(std::string(400, '9')).kind, NumberClass::kNonFinite);
  EXPECT_EQ(parse_decimal("1e-999").kind, NumberClass::kFinite);
  EXPECT_EQ(parse_decimal("1e-999").value, 0.0);
  EXPECT_EQ(parse_decimal("0.000000000000000000000001e-400").value, 0.0);
  EXPECT_EQ(parse_decimal("0.0000001e400").kind, NumberClass::kNonFinite);
  EXPECT_EQ(parse_decimal("NaN").kind, NumberClass::kNonFinite);
  EXPECT_EQ(parse_decimal("Infinity").kind, NumberClass::kNonFinite);
  EXPECT_EQ(parse_decimal("-Infinity").kind, NumberClass::kNonFinite);
  for (const char* bad : {"", "-", "+1", "inf", "nan", "0x10", "1.5x", " 1", "1 ", "e5", "--1"})
    EXPECT_EQ(parse_decimal(bad).kind, NumberClass::kNotNumber) << bad;
}

TEST(JsonFields, ReadsThePipelineRow) {
  RowObservation row = scan(kRow);
  EXPECT_EQ(row.feature_shape, FeatureShape::kArray);
  EXPECT_EQ(row.feature_count, 6u);
  EXPECT_EQ(row.features[1], 210.0);
  EXPECT_EQ(row.features[5], 0.9);
  EXPECT_EQ(row.score_state, ValueState::kNumber);
  EXPECT_EQ(row.score, 0.83);
  EXPECT_EQ(row.domain_name(), "technical");
  EXPECT_EQ(classify(row), std::nullopt);
}

TEST(JsonFields, EveryReason) {
  EXPECT_EQ(classify(scan(R"({"effectiveness_score": 0.5})")), InvalidReason::kMissingFeatures);
  EXPECT_EQ(classify(scan(R"({"feature_vector": null, "effectiveness_score": 0.5})")),
            InvalidReason::kMissingFeatures);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [], "effectiveness_score": 0.5})")),
            InvalidReason::kMissingFeatures);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3], "effectiveness_score": 0.5})")),
            InvalidReason::kWrongDimension);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6,7], "effectiveness_score": 0.5})")),
            InvalidReason::kWrongDimension);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,"3",4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,true,4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,null,4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,[3],4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": "[1,2,3,4,5,6]", "effectiveness_score": 0.5})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": "0.5"})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": false})")),
            InvalidReason::kNonNumeric);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,NaN,4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kNonFinite);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,-Infinity], "effectiveness_score": 0.5})")),
            InvalidReason::kNonFinite);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1e999,2,3,4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kNonFinite);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": Infinity})")),
            InvalidReason::kNonFinite);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6]})")), InvalidReason::kMissingScore);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": null})")),
            InvalidReason::kMissingScore);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": 1.5})")),
            InvalidReason::kScoreOutOfRange);
  EXPECT_EQ(classify(scan(R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": -0.01})")),
            InvalidReason::kScoreOutOfRange);
}

TEST(JsonFields, LastDuplicateKeyWins) {
  RowObservation row = scan(
      R"({"effectiveness_score": "x", "feature_vector": [1], "effectiveness_score": 0.25,
          "feature_vector": [1,2,3,4,5,6], "metadata": {"domain": "creative"}, "metadata": {}})");
  EXPECT_EQ(row.score, 0.25);
  EXPECT_EQ(row.feature_count, 6u);
  EXPECT_EQ(classify(row), std::nullopt);
  EXPECT_TRUE(row.domain_name().empty());  // the later metadata has no domain
}

TEST(JsonFields, EscapesInKeysAndDomain) {
  RowObservation row = scan(
      R"({"feature\u005fvector": [1,2,3,4,5,6], "effectiveness\u005Fscore": 0.5,
          "metadata": {"dom\u0061in": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"}})");
  EXPECT_EQ(classify(row), std::nullopt);
  EXPECT_EQ(row.domain_name(), "caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\ / \b\f\n\r\t");
  // Lone surrogates and U+0000 become U+FFFD.
  row = scan(R"({"metadata": {"domain": "a\ud800b\udc00c\u0000"}})");
  EXPECT_EQ(row.domain_name(),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD");
}

// A server encoding like LATIN1 for the length of a test: U+0080..U+00FF are
// its single bytes, and it has no other character.
class Latin1Server {
 public:
  Latin1Server() : saved_(text_encoding()) {
    text_encoding().utf8 = false;
    text_encoding().clip = nullptr;
    text_encoding().from_unicode = [](std::uint32_t cp, char* out) -> std::size_t {
      if (cp > 0xFF) return 0;
      out[0] = static_cast<char>(cp);
      return 1;
    };
  }
  ~Latin1Server() { text_encoding() = saved_; }

 private:
  TextEncoding saved_;
};

TEST(JsonFields, EscapesBecomeTheServerEncodingsCharacters) {
  Latin1Server latin1;
  EXPECT_EQ(scan(R"({"metadata": {"domain": "caf\u00e9 \u00E9t\u00e9"}})").domain_name(),
            "caf\xE9 \xE9t\xE9");
  // Bytes above 0x7F are the encoding's own, kept as they are.
  EXPECT_EQ(scan("{\"metadata\": {\"domain\": \"caf\xE9\"}}").domain_name(), "caf\xE9");
  // A character the encoding does not have makes the name unreadable: the
  // row has no domain (PostgreSQL's json would raise an error), and the rest
  // of the row is read as usual.
  RowObservation row = scan(
      R"({"feature_vector": [1,2,3,4,5,6], "effectiveness_score": 0.5, "metadata": {"domain": "x\u65e5"}})");
  EXPECT_TRUE(row.domain_name().empty());
  EXPECT_EQ(classify(row), std::nullopt);
  EXPECT_TRUE(scan(R"({"metadata": {"domain": "\ud83d\ude00"}})").domain_name().empty());
  // U+0000 and lone surrogates are U+FFFD, which LATIN1 does not have.
  EXPECT_TRUE(scan(R"({"metadata": {"domain": "a\u0000"}})").domain_name().empty());
  EXPECT_TRUE(scan(R"({"metadata": {"domain": "a\ud800"}})").domain_name().empty());
  // A key with such a character is not one the scanner looks for, even
  // when the rest of its bytes spell one.
  EXPECT_EQ(scan(R"({"metadata": {"domain": "yes", "domain\u65e5": "no"}})").domain_name(), "yes");
  EXPECT_EQ(classify(scan(R"({"feature_vector\u65e5": [1,2,3,4,5,6], "effectiveness_score": 0.5})")),
            InvalidReason::kMissingFeatures);
  // ASCII escapes need no conversion.
  EXPECT_EQ(scan(R"({"metadata": {"dom\u0061in": "\u0074ech"}})").domain_name(), "tech");
}

TEST(JsonFields, EscapesWithoutAConversionMakeNoName) {
  Latin1Server latin1;
  text_encoding().from_unicode = nullptr;  // SQL_ASCII: no character beyond ASCII
  EXPECT_TRUE(scan(R"({"metadata": {"domain": "caf\u00e9"}})").domain_name().empty());
  EXPECT_EQ(scan(R"({"metadata": {"domain": "cafe"}})").domain_name(), "cafe");
}

TEST(JsonFields, DomainVariants) {
  EXPECT_TRUE(scan(R"({"metadata": {"domain": 5}})").domain_name().empty());
  EXPECT_TRUE(scan(R"({"metadata": {"domain": null}})").domain_name().empty());
  EXPECT_TRUE(scan(R"({"metadata": "technical"})").domain_name().empty());
  EXPECT_TRUE(scan(R"({"domain": "technical"})").domain_name().empty());  // only under metadata
  EXPECT_EQ(scan(R"({"metadata": {"x": {"domain": "no"}, "domain": "yes"}})").domain_name(), "yes");
  std::string long_domain(200, 'd');
  EXPECT_EQ(scan(R"({"metadata": {"domain": ")" + long_domain + "\"}}").domain_name(),
            std::string(kMaxNameBytes, 'd'));
}

TEST(JsonFields, NotAnObject) {
  RowObservation row = scan("[1,2,3]", JsonScan::kNotObject);
  EXPECT_EQ(classify(row), InvalidReason::kMissingFeatures);
  scan("\"text\"", JsonScan::kNotObject);
  scan("  null ", JsonScan::kNotObject);
  scan("12", JsonScan::kNotObject);
}

TEST(JsonFields, MalformedRecordsNothing) {
  for (const char* bad : {"",
                          "   ",
                          "{",
                          "}",
                          "{\"a\"}",
                          "{\"a\" 1}",
                          "{\"a\": }",
                          "{\"a\": 1,}",
                          "{,}",
                          "[1,]",
                          "{\"feature_vector\": [1,2,3,4,5,6], \"effectiveness_score\": 0.5",
                          "{\"feature_vector\": [1,2,3,4,5,6] \"effectiveness_score\": 0.5}",
                          "{\"feature_vector\": [1 2], \"effectiveness_score\": 0.5}",
                          "{\"effectiveness_score\": 0.5} x",
                          "{\"a\": tru}",
                          "{\"a\": \"\\x\"}",
                          "{\"a\": \"\\u12\"}",
                          "{\"a\": \"tab\there\"}",
                          "{\"a\": [}",
                          "{\"a\": {]}",
                          "{'a': 1}",
                          "{\"a\": -}",
                          "{\"a\": 1.2.3}",
                          "{\"a\": -Inf}",
                          "{\"a\": \"unterminated}"}) {
    RowObservation row;
    row.has_prompt = true;
    row.prompt_hash = 42;
    row.score_state = ValueState::kNumber;  // stale values must be cleared
    EXPECT_EQ(scan_enhancement_result(bad, row), JsonScan::kMalformed) << bad;
    EXPECT_EQ(row.feature_shape, FeatureShape::kAbsent) << bad;
    EXPECT_EQ(row.score_state, ValueState::kAbsent) << bad;
    EXPECT_TRUE(row.has_prompt);  // the prompt is not the scanner's to touch
    EXPECT_EQ(row.prompt_hash, 42u);
  }
}

TEST(JsonFields, EveryPrefixIsSafe) {
  std::string full = kRow;
  for (std::size_t n = 0; n < full.size(); ++n) {
    RowObservation row;
    std::unique_ptr<char[]> copy(new char[n + 1]);
    std::copy(full.begin(), full.begin() + static_cast<long>(n), copy.get());
    JsonScan result = scan_enhancement_result(std::string_view(copy.get(), n), row);
    EXPECT_EQ(result, JsonScan::kMalformed) << n;
  }
}

TEST(JsonFields, DeepNestingNeitherRecursesNorCrashes) {
  std::string deep = "{\"x\": " + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  scan(deep, JsonScan::kMalformed);  // beyond the nesting limit
  std::string ok = "{\"x\": " + std::string(1000, '[') + std::string(1000, ']') +
                   ", \"feature_vector\": [1,2,3,4,5,6], \"effectiveness_score\": 1}";
  EXPECT_EQ(classify(scan(ok)), std::nullopt);
  std::string objects = "{\"x\": ";
  for (int i = 0; i < 1000; ++i) objects += "{\"k\": ";
  objects += "1" + std::string(1000, '}') + "}";
  scan(objects);
  scan(std::string(100000, '{'), JsonScan::kMalformed);
  scan(std::string(100000, '['), JsonScan::kMalformed);
}

TEST(JsonFields, LongVectorsAndStrings) {
  std::string many = "{\"feature_vector\": [";
  for (int i = 0; i < 100000; ++i) many += (i ? ",1" : "1");
  many += "], \"effectiveness_score\": 0.5}";
  RowObservation row = scan(many);
  EXPECT_EQ(row.feature_count, 100000u);
  EXPECT_EQ(classify(row), InvalidReason::kWrongDimension);
  std::string long_key = "{\"" + std::string(100000, 'k') + "\": 1, \"effectiveness_score\": 0.5}";
  EXPECT_EQ(scan(long_key).score, 0.5);
}

TEST(JsonFields, RandomMutationsAreTotal) {
  std::mt19937_64 rng(12345);
  const std::string base = kRow;
  const std::string alphabet = "{}[]\":,\\u0123456789eE+-.ntrfaulsNIy \t\n\x80\xff";
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string text = base;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = rng() % (text.size() + 1);
      switch (rng() % 3) {
        case 0:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = alphabet[rng() % alphabet.size()];
      }
    }
    RowObservation row;
    std::unique_ptr<char[]> copy(new char[text.size() + 1]);
    std::copy(text.begin(), text.end(), copy.get());
    JsonScan result = scan_enhancement_result(std::string_view(copy.get(), text.size()), row);
    if (result == JsonScan::kObject && row.score_state == ValueState::kNumber) {
      EXPECT_TRUE(std::isfinite(row.score));
    }
    // Elements are defined only for a row the gate accepts at its own dimension.
    if (row.feature_count > 0 && !classify(row, row.feature_count)) {
      for (std::size_t i = 0; i < row.feature_count; ++i) EXPECT_TRUE(std::isfinite(row.features[i]));
    }
  }
}

}  // namespace
}  // namespace synth

namespace synth {
namespace {

TEST(JsonFields, ReadsFeatureVectorsOfAnyDimension) {
  RowObservation row;
  row.reset();
  ASSERT_EQ(scan_enhancement_result(
                R"({"feature_vector": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "effectiveness_score": 0.5})", row),
            JsonScan::kObject);
  EXPECT_EQ(row.feature_count, 10u);
  EXPECT_FALSE(classify(row, 10).has_value());
  EXPECT_DOUBLE_EQ(row.features[9], 10.0);
  row.reset();
  ASSERT_EQ(scan_enhancement_result(R"({"feature_vector": [1, "x", 3], "effectiveness_score": 0.5})", row),
            JsonScan::kObject);
  EXPECT_EQ(classify(row, 3), InvalidReason::kNonNumeric);
}

}  // namespace
}  // namespace synth
