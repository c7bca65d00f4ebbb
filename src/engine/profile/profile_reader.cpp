// A small strict JSON reader for the profile synth_fit returns, and
// parse_profile, which reads one back and checks it (profile_checks.cpp).
#include <cmath>
#include <cstring>

#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/limits.hpp"
#include "engine/model/number_text.hpp"
#include "engine/model/text_encoding.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_checks.hpp"

namespace synth {

namespace {

struct Json {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  bool boolean = false;
  double number = 0;
  bool number_finite = true;
  std::string text;  // the string, or the number's token
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  Json document() {
    Json v = value(0);
    space();
    if (pos_ != s_.size()) fail("trailing text after the profile");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 16;
  [[noreturn]] void fail(const std::string& what) {
    throw_invalid_parameter("invalid profile: " + what + " at byte " + std::to_string(pos_),
                            "A profile is the jsonb synth_fit returns, passed back unchanged.");
  }
  void space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      poll_interrupt();
      ++pos_;
    }
  }
  bool eat(char c) {
    space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  unsigned hex4() {
    if (pos_ + 4 > s_.size()) fail("short \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        fail("bad \\u escape");
    }
    return v;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      poll_interrupt();
      if (pos_ >= s_.size()) fail("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) fail("unterminated escape");
      c = s_[pos_++];
      if (const char plain = json_short_escape(c)) {
        out.push_back(plain);
        continue;
      }
      switch (c) {
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xd800 && cp < 0xdc00) {
            if (!literal("\\u")) fail("lone surrogate");
            unsigned low = hex4();
            if (low < 0xdc00 || low >= 0xe000) fail("lone surrogate");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp < 0xe000) {
            fail("lone surrogate");
          }
          if (cp == 0) fail("\\u0000 in a string");
          char bytes[4];
          out.append(bytes, encode_utf8(cp, bytes));
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }
  Json value(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    poll_interrupt();
    space();
    if (pos_ >= s_.size()) fail("unexpected end");
    Json v;
    const char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      v.type = Json::kObject;
      if (eat('}')) return v;
      do {
        space();
        std::string k = string();
        expect(':');
        v.members.emplace_back(std::move(k), value(depth + 1));
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      ++pos_;
      v.type = Json::kArray;
      if (eat(']')) return v;
      do v.items.push_back(value(depth + 1));
      while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.type = Json::kString;
      v.text = string();
    } else if (literal("true")) {
      v.type = Json::kBool;
      v.boolean = true;
    } else if (literal("false")) {
      v.type = Json::kBool;
    } else if (literal("null")) {
      v.type = Json::kNull;
    } else if (literal("NaN") || literal("Infinity") || literal("-Infinity")) {
      // Not JSON, but what Python writes: name it as the non-finite number it means.
      v.type = Json::kNumber;
      v.number_finite = false;
    } else {
      const std::size_t start = pos_;
      while (pos_ < s_.size() && std::strchr("+-.0123456789eE", s_[pos_]) != nullptr && s_[pos_] != '\0') {
        poll_interrupt();
        ++pos_;
      }
      if (pos_ == start) fail("unexpected character");
      v.type = Json::kNumber;
      v.text = std::string(s_.substr(start, pos_ - start));
      ParsedNumber n = parse_decimal(v.text);
      if (n.kind == NumberClass::kNotNumber) fail("bad number");
      v.number_finite = n.kind == NumberClass::kFinite;
      v.number = n.value;
    }
    return v;
  }
  std::string_view s_;
  std::size_t pos_ = 0;
};

const Json& member(const Json& object, const std::string& where, std::string_view key) {
  if (object.type != Json::kObject) invalid_profile(where, "must be an object");
  const Json* found = nullptr;
  for (const auto& [k, v] : object.members)
    if (k == key) {
      if (found != nullptr) invalid_profile(where, "has the key \"" + std::string(key) + "\" twice");
      found = &v;
    }
  if (found == nullptr) invalid_profile(where, "lacks the key \"" + std::string(key) + "\"");
  return *found;
}

// The member `key` of an object, or nullptr where the object lacks it (an optional key).
const Json* optional_member(const Json& object, const std::string& where, std::string_view key) {
  for (const auto& [k, v] : object.members)
    if (k == key) return &member(object, where, key);
  return nullptr;
}

void only_keys(const Json& object, const std::string& where, std::initializer_list<std::string_view> keys) {
  for (const auto& [k, v] : object.members)
    if (std::find(keys.begin(), keys.end(), k) == keys.end())
      invalid_profile(where, "has an unknown key \"" + k + "\"");
}

double number(const Json& v, const std::string& where) {
  if (v.type != Json::kNumber) invalid_profile(where, "must be a number");
  if (!v.number_finite) invalid_profile(where, "must be finite");
  return v.number;
}

std::uint64_t count(const Json& v, const std::string& where) {
  double x = number(v, where);
  if (x < 0 || x > 9.0e15 || std::floor(x) != x) invalid_profile(where, "must be a non-negative integer");
  return static_cast<std::uint64_t>(x);
}

const std::vector<Json>& array(const Json& v, const std::string& where) {
  if (v.type != Json::kArray) invalid_profile(where, "must be an array");
  return v.items;
}

std::vector<double> numbers(const Json& v, const std::string& where) {
  std::vector<double> out;
  const auto& items = array(v, where);
  for (std::size_t i = 0; i < items.size(); ++i) {
    poll_interrupt(16);
    out.push_back(number(items[i], where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

std::array<double, kBandCount> bands(const Json& v, const std::string& where) {
  only_keys(v, where, {"low", "medium", "high", "between"});
  std::array<double, kBandCount> out{};
  for (std::size_t b = 0; b < kBandCount; ++b)
    out[b] = number(member(v, where, kBandNames[b]), where + "." + std::string(kBandNames[b]));
  return out;
}

std::string text(const Json& v, const std::string& where) {
  if (v.type != Json::kString) invalid_profile(where, "must be a string");
  return v.text;
}

PrivacyInfo privacy(const Json& v) {
  only_keys(v, "privacy", {"epsilon", "delta", "rho", "mechanism", "bounds_source"});
  PrivacyInfo info;
  info.epsilon = number(member(v, "privacy", "epsilon"), "privacy.epsilon");
  info.delta = number(member(v, "privacy", "delta"), "privacy.delta");
  info.rho = number(member(v, "privacy", "rho"), "privacy.rho");
  info.mechanism = text(member(v, "privacy", "mechanism"), "privacy.mechanism");
  info.bounds_source = text(member(v, "privacy", "bounds_source"), "privacy.bounds_source");
  return info;
}

Marginal marginal(const Json& v, const std::string& where) {
  only_keys(v, where, {"knots", "tails"});
  Marginal m{numbers(member(v, where, "knots"), where + ".knots")};
  if (const Json* tails = optional_member(v, where, "tails")) {
    const std::uint64_t levels = count(*tails, where + ".tails");
    if (levels > kMaxTailLevels)
      invalid_profile(where + ".tails", "must be 0 to " + std::to_string(kMaxTailLevels));
    m.tails = static_cast<std::uint32_t>(levels);
  }
  return m;
}

DomainProfile domain(const Json& v, const std::string& where, std::size_t width) {
  only_keys(v, where,
            {"name", "rows", "share", "borrowed", "copula_weight", "band_shares", "features", "score",
             "correlation"});
  DomainProfile d;
  const Json& name = member(v, where, "name");
  if (name.type != Json::kString) invalid_profile(where + ".name", "must be a string");
  d.name = name.text;
  d.rows = count(member(v, where, "rows"), where + ".rows");
  d.share = number(member(v, where, "share"), where + ".share");
  const Json& borrowed = member(v, where, "borrowed");
  if (borrowed.type != Json::kBool) invalid_profile(where + ".borrowed", "must be a boolean");
  d.borrowed = borrowed.boolean;
  d.copula_weight = number(member(v, where, "copula_weight"), where + ".copula_weight");
  d.band_shares = bands(member(v, where, "band_shares"), where + ".band_shares");
  const auto& features = array(member(v, where, "features"), where + ".features");
  for (std::size_t i = 0; i < features.size(); ++i)
    d.features.push_back(marginal(features[i], where + ".features[" + std::to_string(i) + "]"));
  d.score = marginal(member(v, where, "score"), where + ".score");
  const auto& rows = array(member(v, where, "correlation"), where + ".correlation");
  if (rows.size() != width)
    invalid_profile(where + ".correlation", "must have " + std::to_string(width) +
                                                " rows (features and score), has " +
                                                std::to_string(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<double> row = numbers(rows[r], where + ".correlation[" + std::to_string(r) + "]");
    if (row.size() != width)
      invalid_profile(where + ".correlation[" + std::to_string(r) + "]",
                      "must have " + std::to_string(width) + " values");
    d.correlation.insert(d.correlation.end(), row.begin(), row.end());
  }
  return d;
}

}  // namespace

Profile parse_profile(std::string_view json) {
  const Json root = Reader(json).document();
  if (root.type != Json::kObject) invalid_profile("the document", "must be a JSON object");
  const Json& version = member(root, "the profile", "format_version");
  if (version.type != Json::kNumber || !version.number_finite ||
      std::floor(version.number) != version.number || std::fabs(version.number) > 1e6)
    invalid_profile("format_version", "must be an integer");
  Profile p;
  p.format_version = static_cast<int>(version.number);
  if (p.format_version != kProfileFormatVersion)
    validate_profile(p);  // the clear error for a foreign version
  only_keys(root, "the profile",
            {"format_version", "rows", "dimension", "feature_names", "integer_features", "decimal_grids",
             "band_shares", "pooled", "domains", "privacy"});
  p.rows = count(member(root, "the profile", "rows"), "rows");
  const std::uint64_t dim = count(member(root, "the profile", "dimension"), "dimension");
  if (dim == 0 || dim > kMaxProfileFeatures)
    invalid_profile("dimension",
                    "must be 1 to " + std::to_string(kMaxProfileFeatures) + ", is " + std::to_string(dim));
  const auto& names = array(member(root, "the profile", "feature_names"), "feature_names");
  for (const auto& n : names) {
    if (n.type != Json::kString) invalid_profile("feature_names", "must hold strings");
    p.feature_names.push_back(n.text);
  }
  if (p.feature_names.size() != dim)
    invalid_profile("feature_names", "must hold " + std::to_string(dim) + " names (the dimension), holds " +
                                         std::to_string(p.feature_names.size()));
  const auto& integers = array(member(root, "the profile", "integer_features"), "integer_features");
  for (const auto& b : integers) {
    if (b.type != Json::kBool) invalid_profile("integer_features", "must hold booleans");
    p.integer_features.push_back(b.boolean);
  }
  if (p.integer_features.size() != dim) invalid_profile("integer_features", "must hold one flag per feature");
  p.decimal_grids.assign(dim, -1);  // a profile written before grids were kept: none
  if (const Json* grids = optional_member(root, "the profile", "decimal_grids")) {
    const auto& items = array(*grids, "decimal_grids");
    if (items.size() != dim) invalid_profile("decimal_grids", "must hold one entry per feature");
    for (std::size_t f = 0; f < dim; ++f)
      if (items[f].type != Json::kNull) {
        const std::uint64_t decimals = count(items[f], "decimal_grids[" + std::to_string(f) + "]");
        if (decimals > static_cast<std::uint64_t>(kMaxGridDecimals))
          invalid_profile("decimal_grids[" + std::to_string(f) + "]",
                          "must be null or 0 to " + std::to_string(kMaxGridDecimals));
        p.decimal_grids[f] = static_cast<int>(decimals);
      }
  }
  p.band_shares = bands(member(root, "the profile", "band_shares"), "band_shares");
  p.pooled = domain(member(root, "the profile", "pooled"), "pooled", dim + 1);
  const auto& domains = array(member(root, "the profile", "domains"), "domains");
  if (domains.size() > kMaxProfileDomains)
    invalid_profile("domains", "must hold at most " + std::to_string(kMaxProfileDomains) + " domains");
  for (std::size_t i = 0; i < domains.size(); ++i)
    p.domains.push_back(domain(domains[i], "domains[" + std::to_string(i) + "]", dim + 1));
  for (const auto& [key, value] : root.members)
    if (key == "privacy") p.privacy = privacy(member(root, "the profile", "privacy"));
  validate_profile(p);
  return p;
}

}  // namespace synth
