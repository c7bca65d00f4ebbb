#include "engine/rows/json_fields.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

#include "engine/model/number_text.hpp"
#include "engine/model/text_encoding.hpp"

namespace synth {
namespace {

constexpr std::size_t kMaxDepth = 65536;  // deeper nesting is reported as malformed

// Decoded bytes of a JSON string, kept up to a fixed capacity.
template <std::size_t Capacity>
struct DecodedString {
  std::array<char, Capacity> bytes{};
  std::size_t length = 0;
  bool overflowed = false;
  bool untranslatable = false;  // an escape of a character the server encoding does not have

  void push(char c) {
    if (length < Capacity)
      bytes[length++] = c;
    else
      overflowed = true;
  }
  void push_code_point(std::uint32_t cp) {
    if (cp == 0) cp = 0xFFFD;  // U+0000 cannot live in text or jsonb
    char encoded[4];
    const std::size_t length = encode_utf8(cp, encoded);
    for (std::size_t i = 0; i < length; ++i) push(encoded[i]);
  }
  void push_untranslatable() { untranslatable = true; }
  std::string_view view() const { return {bytes.data(), length}; }
};

struct Discard {
  void push(char) {}
  void push_code_point(std::uint32_t) {}
  void push_untranslatable() {}
};

enum class Key { kOther, kFeatureVector, kEffectivenessScore, kMetadata, kDomain };

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  JsonScan scan(RowObservation& row) {
    skip_ws();
    if (at_end()) return JsonScan::kMalformed;
    if (peek() != '{') {
      if (!skip_value()) return JsonScan::kMalformed;
      skip_ws();
      return at_end() ? JsonScan::kNotObject : JsonScan::kMalformed;
    }
    ++pos_;
    if (!scan_root_members(row)) return JsonScan::kMalformed;
    skip_ws();
    return at_end() ? JsonScan::kObject : JsonScan::kMalformed;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }
  bool consume(char c) {
    skip_ws();
    if (at_end() || peek() != c) return false;
    ++pos_;
    return true;
  }

  // Members of an object whose '{' was consumed, calling on_member(key) with
  // the position at the member's value; on_member must consume the value.
  template <typename OnMember>
  bool scan_members(OnMember&& on_member) {
    skip_ws();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      DecodedString<24> key;
      if (at_end() || peek() != '"' || !read_string(key)) return false;
      if (!consume(':')) return false;
      skip_ws();
      if (!on_member(key.overflowed || key.untranslatable ? Key::kOther : identify(key.view()))) return false;
      skip_ws();
      if (at_end()) return false;
      char c = text_[pos_++];
      if (c == '}') return true;
      if (c != ',') return false;
    }
  }

  static Key identify(std::string_view key) {
    if (key == "feature_vector") return Key::kFeatureVector;
    if (key == "effectiveness_score") return Key::kEffectivenessScore;
    if (key == "metadata") return Key::kMetadata;
    if (key == "domain") return Key::kDomain;
    return Key::kOther;
  }

  bool scan_root_members(RowObservation& row) {
    return scan_members([&](Key key) {
      switch (key) {
        case Key::kFeatureVector:
          return read_features(row);
        case Key::kEffectivenessScore:
          return read_score(row);
        case Key::kMetadata:
          return read_metadata(row);
        default:
          return skip_value();
      }
    });
  }

  bool read_metadata(RowObservation& row) {
    row.set_domain({});  // a later "metadata" replaces an earlier one whole
    if (at_end()) return false;
    if (peek() != '{') return skip_value();
    ++pos_;
    return scan_members([&](Key key) {
      if (key != Key::kDomain) return skip_value();
      if (at_end()) return false;
      if (peek() != '"') {
        row.set_domain({});
        return skip_value();
      }
      DecodedString<kMaxNameBytes + 4> name;
      if (!read_string(name)) return false;
      // A name the server encoding cannot hold is no name (PostgreSQL's json
      // could not read it either): the row counts without a domain.
      row.set_domain(name.untranslatable ? std::string_view() : name.view());
      return true;
    });
  }

  bool read_score(RowObservation& row) {
    double value = 0.0;
    ValueState state = ValueState::kAbsent;
    if (!read_scalar(state, value)) return false;
    row.score_state = state;
    row.score = state == ValueState::kNumber ? value : 0.0;
    return true;
  }

  bool read_features(RowObservation& row) {
    row.feature_shape = FeatureShape::kAbsent;
    row.feature_count = 0;
    row.non_numeric_features = 0;
    row.non_finite_features = 0;
    if (at_end()) return false;
    if (peek() != '[') {
      ValueState state = ValueState::kAbsent;
      double ignored = 0.0;
      if (!read_scalar(state, ignored)) return false;
      row.feature_shape = state == ValueState::kNull ? FeatureShape::kAbsent : FeatureShape::kNotArray;
      return true;
    }
    ++pos_;
    std::array<ValueState, kMaxProfileFeatures> states{};
    std::array<double, kMaxProfileFeatures> values{};
    std::uint32_t count = 0;
    skip_ws();
    if (!at_end() && peek() == ']') {
      ++pos_;
    } else {
      for (;;) {
        skip_ws();
        ValueState state = ValueState::kAbsent;
        double value = 0.0;
        if (!read_scalar(state, value)) return false;
        if (count < kMaxProfileFeatures) {
          states[count] = state;
          values[count] = value;
        }
        if (count < UINT32_MAX) ++count;
        skip_ws();
        if (at_end()) return false;
        char c = text_[pos_++];
        if (c == ']') break;
        if (c != ',') return false;
      }
    }
    row.feature_shape = FeatureShape::kArray;
    row.feature_count = count;
    if (count <= kMaxProfileFeatures)
      for (std::size_t i = 0; i < count; ++i) row.set_feature(i, states[i], values[i]);
    return true;
  }

  // One value, judged as a number would be: containers and strings are skipped
  // and reported as non-numeric.
  bool read_scalar(ValueState& state, double& value) {
    if (at_end()) return false;
    char c = peek();
    if (c == '"' || c == '[' || c == '{') {
      state = ValueState::kNonNumeric;
      return skip_value();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      if (c == '-' && pos_ + 1 < text_.size() && text_[pos_ + 1] == 'I') {
        ++pos_;
        if (read_word() != "Infinity") return false;
        state = ValueState::kNonFinite;
        return true;
      }
      ParsedNumber number = parse_decimal(read_number_token());
      if (number.kind == NumberClass::kNotNumber) return false;
      state = number.kind == NumberClass::kFinite ? ValueState::kNumber : ValueState::kNonFinite;
      value = number.value;
      return true;
    }
    std::string_view word = read_word();
    if (word == "null") {
      state = ValueState::kNull;
    } else if (word == "true" || word == "false") {
      state = ValueState::kNonNumeric;
    } else if (word == "NaN" || word == "Infinity") {
      state = ValueState::kNonFinite;
    } else {
      return false;
    }
    return true;
  }

  std::string_view read_word() {
    std::size_t start = pos_;
    while (!at_end() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z'))) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::string_view read_number_token() {
    std::size_t start = pos_;
    while (!at_end()) {
      char c = peek();
      if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) break;
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool read_hex4(std::uint32_t& out) {
    if (text_.size() - pos_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex_value(text_[pos_ + i]);
      if (h < 0) return false;
      out = out * 16 + static_cast<std::uint32_t>(h);
    }
    pos_ += 4;
    return true;
  }

  // A string starting at the opening quote; decoded bytes go to out.
  template <typename Sink>
  bool read_string(Sink& out) {
    ++pos_;  // the opening quote
    while (!at_end()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out.push(c);
        continue;
      }
      if (at_end()) return false;
      char e = text_[pos_++];
      if (const char plain = json_short_escape(e)) {
        out.push(plain);
        continue;
      }
      switch (e) {
        case 'u': {
          std::uint32_t cp = 0;
          if (!read_hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            std::size_t save = pos_;
            if (text_.size() - pos_ >= 6 && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
              pos_ += 2;
              if (read_hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              } else {
                pos_ = save;  // not a pair: the lone half becomes U+FFFD below
                cp = 0xFFFD;
              }
            } else {
              cp = 0xFFFD;
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          if (cp == 0) cp = 0xFFFD;  // U+0000 cannot live in text or jsonb
          const TextEncoding& encoding = text_encoding();
          if (cp < 0x80 || encoding.utf8) {
            out.push_code_point(cp);
            break;
          }
          // Elsewhere the server encoding's own character, where it has one.
          char encoded[kMaxEncodedCharacter];
          const std::size_t length =
              encoding.from_unicode != nullptr ? encoding.from_unicode(cp, encoded) : 0;
          if (length == 0 || length > kMaxEncodedCharacter) {
            out.push_untranslatable();
            break;
          }
          for (std::size_t i = 0; i < length; ++i) out.push(encoded[i]);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  // Skips one value of any kind without recursion: containers are tracked on
  // a fixed-size stack of bracket kinds.
  bool skip_value() {
    std::array<std::uint64_t, kMaxDepth / 64> is_array{};
    std::size_t depth = 0;
    for (;;) {
      skip_ws();
      if (at_end()) return false;
      char c = peek();
      // One value (or the opening of a container).
      if (c == '{' || c == '[') {
        if (depth == kMaxDepth) return false;
        std::uint64_t bit = std::uint64_t{1} << (depth % 64);
        if (c == '[')
          is_array[depth / 64] |= bit;
        else
          is_array[depth / 64] &= ~bit;
        ++depth;
        ++pos_;
        skip_ws();
        if (at_end()) return false;
        if (peek() == (c == '[' ? ']' : '}')) {
          ++pos_;
          --depth;
        } else {
          if (c == '{' && !skip_member_key()) return false;
          continue;
        }
      } else if (c == '"') {
        Discard sink;
        if (!read_string(sink)) return false;
      } else {
        ValueState state = ValueState::kAbsent;
        double value = 0.0;
        if (!read_scalar(state, value)) return false;
      }
      // After a value: close containers or move to the next element.
      for (;;) {
        if (depth == 0) return true;
        skip_ws();
        if (at_end()) return false;
        bool in_array = (is_array[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;
        char next = text_[pos_++];
        if (next == ',') {
          if (!in_array && !skip_member_key()) return false;
          break;
        }
        if (next != (in_array ? ']' : '}')) return false;
        --depth;
      }
    }
  }

  bool skip_member_key() {
    skip_ws();
    if (at_end() || peek() != '"') return false;
    Discard sink;
    if (!read_string(sink)) return false;
    return consume(':');
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

JsonScan scan_enhancement_result(std::string_view json, RowObservation& row) noexcept {
  RowObservation found = row;
  found.feature_shape = FeatureShape::kAbsent;
  found.feature_count = 0;
  found.non_numeric_features = 0;
  found.non_finite_features = 0;
  found.score_state = ValueState::kAbsent;
  found.score = 0.0;
  found.set_domain({});
  Scanner scanner(json);
  JsonScan result = scanner.scan(found);
  if (result == JsonScan::kObject) {
    row = found;
  } else {
    // Not an object: nothing to record, so the row reads as having no fields.
    RowObservation empty;
    empty.reset();
    empty.has_prompt = row.has_prompt;
    empty.prompt_hash = row.prompt_hash;
    row = empty;
  }
  return result;
}

}  // namespace synth
