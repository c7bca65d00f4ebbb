// The profile's JSON form: a canonical writer (the bytes the content hash
// names), a small strict JSON reader, and the checks a profile must pass
// before anything samples from it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"
#include "engine/model/number_text.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

// ---- quantile functions --------------------------------------------------

double Marginal::lower_probability(double x) const noexcept {
  const std::size_t m = knots.size();
  if (x <= knots.front()) return 0.0;
  if (x > knots.back()) return 1.0;
  const std::size_t i =
      static_cast<std::size_t>(std::lower_bound(knots.begin(), knots.end(), x) - knots.begin());
  const double width = knots[i] - knots[i - 1];
  const double frac = width > 0 ? (x - knots[i - 1]) / width : 1.0;
  return (static_cast<double>(i - 1) + frac) / static_cast<double>(m - 1);
}

double Marginal::upper_probability(double x) const noexcept {
  const std::size_t m = knots.size();
  if (x >= knots.back()) return 1.0;
  if (x < knots.front()) return 0.0;
  const std::size_t i =
      static_cast<std::size_t>(std::upper_bound(knots.begin(), knots.end(), x) - knots.begin()) - 1;
  const double width = knots[i + 1] - knots[i];
  const double frac = width > 0 ? (x - knots[i]) / width : 0.0;
  return (static_cast<double>(i) + frac) / static_cast<double>(m - 1);
}

bool cholesky(const std::vector<double>& a, std::size_t k, std::vector<double>& l) {
  l.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i * k + j];
      for (std::size_t p = 0; p < j; ++p) s -= l[i * k + p] * l[j * k + p];
      if (i == j) {
        // A margin, not just > 0: the sampler divides by nothing, but a
        // near-singular factor would make the conditional draws meaningless.
        if (!(s > 1e-10)) return false;
        l[i * k + i] = std::sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  return true;
}

// ---- canonical writer ------------------------------------------------------

namespace {

class CanonicalWriter {
 public:
  std::string text;
  void raw(std::string_view s) { text.append(s); }
  void number(double v) {
    char buffer[40];
    format_shortest(v == 0 ? 0.0 : v, buffer, sizeof buffer);  // no "-0"
    text.append(buffer);
  }
  void integer(std::uint64_t v) { text.append(std::to_string(v)); }
  void boolean(bool v) { text.append(v ? "true" : "false"); }
  void string(std::string_view s) {
    text.push_back('"');
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        text.push_back('\\');
        text.push_back(c);
      } else if (u < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(u));
        text.append(escaped);
      } else {
        text.push_back(c);
      }
    }
    text.push_back('"');
  }
  void key(std::string_view k, bool first = false) {
    if (!first) text.push_back(',');
    string(k);
    text.push_back(':');
  }
  void numbers(const std::vector<double>& values) {
    text.push_back('[');
    for (std::size_t i = 0; i < values.size(); ++i) {
      poll_interrupt(16);  // formatting a number costs about 16 bytes' worth of polls
      if (i) text.push_back(',');
      number(values[i]);
    }
    text.push_back(']');
  }
  void bands(const std::array<double, kBandCount>& shares) {
    text.push_back('{');
    for (std::size_t b = 0; b < kBandCount; ++b) {
      key(kBandNames[b], b == 0);
      number(shares[b]);
    }
    text.push_back('}');
  }
  void marginal(const Marginal& m) {
    text.push_back('{');
    key("knots", true);
    numbers(m.knots);
    text.push_back('}');
  }
  void domain(const DomainProfile& d, std::size_t width) {
    text.push_back('{');
    key("name", true);
    string(d.name);
    key("rows");
    integer(d.rows);
    key("share");
    number(d.share);
    key("borrowed");
    boolean(d.borrowed);
    key("copula_weight");
    number(d.copula_weight);
    key("band_shares");
    bands(d.band_shares);
    key("features");
    text.push_back('[');
    for (std::size_t i = 0; i < d.features.size(); ++i) {
      if (i) text.push_back(',');
      marginal(d.features[i]);
    }
    text.push_back(']');
    key("score");
    marginal(d.score);
    key("correlation");
    text.push_back('[');
    for (std::size_t r = 0; r < width; ++r) {
      if (r) text.push_back(',');
      numbers(std::vector<double>(d.correlation.begin() + static_cast<std::ptrdiff_t>(r * width),
                                  d.correlation.begin() + static_cast<std::ptrdiff_t>((r + 1) * width)));
    }
    text.push_back(']');
    text.push_back('}');
  }
};

}  // namespace

std::string profile_json(const Profile& p) {
  CanonicalWriter w;
  const std::size_t width = p.dimension() + 1;
  w.raw("{");
  w.key("format_version", true);
  w.integer(static_cast<std::uint64_t>(p.format_version));
  w.key("rows");
  w.integer(p.rows);
  w.key("dimension");
  w.integer(p.dimension());
  w.key("feature_names");
  w.raw("[");
  for (std::size_t i = 0; i < p.feature_names.size(); ++i) {
    if (i) w.raw(",");
    w.string(p.feature_names[i]);
  }
  w.raw("]");
  w.key("integer_features");
  w.raw("[");
  for (std::size_t i = 0; i < p.integer_features.size(); ++i) {
    if (i) w.raw(",");
    w.boolean(p.integer_features[i]);
  }
  w.raw("]");
  w.key("band_shares");
  w.bands(p.band_shares);
  w.key("pooled");
  w.domain(p.pooled, width);
  w.key("domains");
  w.raw("[");
  for (std::size_t i = 0; i < p.domains.size(); ++i) {
    if (i) w.raw(",");
    w.domain(p.domains[i], width);
  }
  w.raw("]}");
  return std::move(w.text);
}

// Two 64-bit lanes over the text in 8-byte little-endian words, each step a
// SplitMix64 finalisation (src/engine/model/mixing.hpp). It names content and
// is not a defence against someone forging a collision.
std::string content_hash(std::string_view text) {
  std::uint64_t a = 0x6a09e667f3bcc908ULL ^ text.size();
  std::uint64_t b = 0xbb67ae8584caa73bULL ^ mix64(text.size());
  for (std::size_t i = 0; i < text.size(); i += 8) {
    poll_interrupt();
    std::uint64_t word = 0;
    for (std::size_t k = 0; k < 8 && i + k < text.size(); ++k)
      word |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[i + k])) << (8 * k);
    a = mix64(a ^ word) + 0x9e3779b97f4a7c15ULL;
    b = mix64(b + (word ^ 0xd6e8feb86659fd93ULL)) ^ a;
  }
  a = mix64(a ^ (b >> 1));
  b = mix64(b ^ a);
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return out;
}

std::string profile_hash(const Profile& profile) { return content_hash(profile_json(profile)); }

// ---- reader ----------------------------------------------------------------

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw_invalid_parameter("invalid profile: " + where + " " + what,
                          "A profile is the jsonb synth_fit returns, passed back unchanged.",
                          "Fit again with synth_fit and pass its result as profile.");
}

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
  void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
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
      switch (c) {
        case '"':
        case '\\':
        case '/':
          out.push_back(c);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
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
          utf8(out, cp);
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
  if (object.type != Json::kObject) bad(where, "must be an object");
  const Json* found = nullptr;
  for (const auto& [k, v] : object.members)
    if (k == key) {
      if (found != nullptr) bad(where, "has the key \"" + std::string(key) + "\" twice");
      found = &v;
    }
  if (found == nullptr) bad(where, "lacks the key \"" + std::string(key) + "\"");
  return *found;
}

void only_keys(const Json& object, const std::string& where, std::initializer_list<std::string_view> keys) {
  for (const auto& [k, v] : object.members)
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) bad(where, "has an unknown key \"" + k + "\"");
}

double number(const Json& v, const std::string& where) {
  if (v.type != Json::kNumber) bad(where, "must be a number");
  if (!v.number_finite) bad(where, "must be finite");
  return v.number;
}

std::uint64_t count(const Json& v, const std::string& where) {
  double x = number(v, where);
  if (x < 0 || x > 9.0e15 || std::floor(x) != x) bad(where, "must be a non-negative integer");
  return static_cast<std::uint64_t>(x);
}

const std::vector<Json>& array(const Json& v, const std::string& where) {
  if (v.type != Json::kArray) bad(where, "must be an array");
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

Marginal marginal(const Json& v, const std::string& where) {
  only_keys(v, where, {"knots"});
  return Marginal{numbers(member(v, where, "knots"), where + ".knots")};
}

DomainProfile domain(const Json& v, const std::string& where, std::size_t width) {
  only_keys(v, where,
            {"name", "rows", "share", "borrowed", "copula_weight", "band_shares", "features", "score",
             "correlation"});
  DomainProfile d;
  const Json& name = member(v, where, "name");
  if (name.type != Json::kString) bad(where + ".name", "must be a string");
  d.name = name.text;
  d.rows = count(member(v, where, "rows"), where + ".rows");
  d.share = number(member(v, where, "share"), where + ".share");
  const Json& borrowed = member(v, where, "borrowed");
  if (borrowed.type != Json::kBool) bad(where + ".borrowed", "must be a boolean");
  d.borrowed = borrowed.boolean;
  d.copula_weight = number(member(v, where, "copula_weight"), where + ".copula_weight");
  d.band_shares = bands(member(v, where, "band_shares"), where + ".band_shares");
  const auto& features = array(member(v, where, "features"), where + ".features");
  for (std::size_t i = 0; i < features.size(); ++i)
    d.features.push_back(marginal(features[i], where + ".features[" + std::to_string(i) + "]"));
  d.score = marginal(member(v, where, "score"), where + ".score");
  const auto& rows = array(member(v, where, "correlation"), where + ".correlation");
  if (rows.size() != width)
    bad(where + ".correlation", "must have " + std::to_string(width) + " rows (features and score), has " +
                                    std::to_string(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<double> row = numbers(rows[r], where + ".correlation[" + std::to_string(r) + "]");
    if (row.size() != width)
      bad(where + ".correlation[" + std::to_string(r) + "]",
          "must have " + std::to_string(width) + " values");
    d.correlation.insert(d.correlation.end(), row.begin(), row.end());
  }
  return d;
}

void check_shares(const std::array<double, kBandCount>& shares, const std::string& where) {
  double sum = 0;
  for (double s : shares) {
    if (!(s >= 0 && s <= 1)) bad(where, "must hold shares in [0, 1]");
    sum += s;
  }
  if (std::fabs(sum - 1.0) > 1e-9) bad(where, "must sum to 1, sums to " + format_readable(sum));
}

void check_marginal(const Marginal& m, const std::string& where, bool integer, bool unit) {
  if (m.knots.size() < 2 || m.knots.size() > kMaxQuantileKnots)
    bad(where + ".knots", "must hold 2 to " + std::to_string(kMaxQuantileKnots) + " values, holds " +
                              std::to_string(m.knots.size()));
  for (std::size_t i = 0; i < m.knots.size(); ++i) {
    if (!std::isfinite(m.knots[i])) bad(where + ".knots", "must be finite");
    if (i && m.knots[i] < m.knots[i - 1]) bad(where + ".knots", "must not decrease");
  }
  if (integer && (std::floor(m.min()) != m.min() || std::floor(m.max()) != m.max()))
    bad(where + ".knots", "of an integer feature must start and end on integers");
  if (unit && (m.min() < 0 || m.max() > 1)) bad(where + ".knots", "of the score must lie in [0, 1]");
}

void check_domain(const DomainProfile& d, const std::string& where, const Profile& p) {
  const std::size_t dim = p.dimension();
  const std::size_t width = dim + 1;
  if (d.name.empty()) bad(where + ".name", "must not be empty");
  if (!(d.share >= 0 && d.share <= 1)) bad(where + ".share", "must lie in [0, 1]");
  if (!(d.copula_weight >= 0 && d.copula_weight <= 1)) bad(where + ".copula_weight", "must lie in [0, 1]");
  check_shares(d.band_shares, where + ".band_shares");
  if (d.features.size() != dim)
    bad(where + ".features", "must hold " + std::to_string(dim) + " marginals (the dimension), holds " +
                                 std::to_string(d.features.size()));
  for (std::size_t f = 0; f < dim; ++f)
    check_marginal(d.features[f], where + ".features[" + std::to_string(f) + "]", p.integer_features[f],
                   false);
  check_marginal(d.score, where + ".score", false, true);
  if (d.correlation.size() != width * width) bad(where + ".correlation", "has the wrong size");
  for (std::size_t a = 0; a < width; ++a)
    for (std::size_t b = 0; b < width; ++b) {
      const double v = d.correlation[a * width + b];
      if (!std::isfinite(v) || v < -1 || v > 1) bad(where + ".correlation", "must hold values in [-1, 1]");
      if (a == b && v != 1.0) bad(where + ".correlation", "must have 1 on its diagonal");
      if (std::fabs(v - d.correlation[b * width + a]) > 1e-12)
        bad(where + ".correlation", "must be symmetric");
    }
  std::vector<double> lower;
  if (!cholesky(d.correlation, width, lower)) bad(where + ".correlation", "must be positive definite");
}

}  // namespace

void validate_profile(const Profile& p) {
  if (p.format_version != kProfileFormatVersion)
    throw_invalid_parameter(
        "unsupported profile format_version " + std::to_string(p.format_version),
        "This synthdata reads profiles of format_version " + std::to_string(kProfileFormatVersion) + ".",
        "Fit again with synth_fit.");
  const std::size_t dim = p.dimension();
  if (dim == 0 || dim > kMaxProfileFeatures)
    bad("dimension", "must be 1 to " + std::to_string(kMaxProfileFeatures));
  if (p.integer_features.size() != dim) bad("integer_features", "must hold one flag per feature");
  std::set<std::string> names;
  for (const auto& n : p.feature_names) {
    if (n.empty()) bad("feature_names", "must not hold an empty name");
    if (!names.insert(n).second) bad("feature_names", "names \"" + n + "\" twice");
  }
  if (p.rows < kMinFitRows) bad("rows", "must be at least " + std::to_string(kMinFitRows));
  check_shares(p.band_shares, "band_shares");
  check_domain(p.pooled, "pooled", p);
  if (p.domains.empty() || p.domains.size() > kMaxProfileDomains)
    bad("domains", "must hold 1 to " + std::to_string(kMaxProfileDomains) + " domains");
  double share_sum = 0;
  std::uint64_t row_sum = 0;
  for (std::size_t i = 0; i < p.domains.size(); ++i) {
    check_interrupt();
    const std::string where = "domains[" + std::to_string(i) + "]";
    check_domain(p.domains[i], where, p);
    // Every domain's rows are among the pooled rows, so its bounds lie within
    // the pool's (the sampler relies on it: a complexity feature judged by the
    // pooled bounds counts requirement clauses).
    for (std::size_t f = 0; f <= dim; ++f) {
      const Marginal& own = f < dim ? p.domains[i].features[f] : p.domains[i].score;
      const Marginal& pool = f < dim ? p.pooled.features[f] : p.pooled.score;
      if (own.min() < pool.min() || own.max() > pool.max()) {
        bad(where + (f < dim ? ".features[" + std::to_string(f) + "]" : std::string(".score")) + ".knots",
            "must lie within the pooled marginal's bounds [" + format_readable(pool.min()) + ", " +
                format_readable(pool.max()) + "]");
      }
    }
    if (i && !(p.domains[i - 1].name < p.domains[i].name))
      bad(where + ".name", "must sort after the previous domain's name, without repeats");
    share_sum += p.domains[i].share;
    row_sum += p.domains[i].rows;
  }
  if (std::fabs(share_sum - 1.0) > 1e-9)
    bad("domains", "shares must sum to 1, sum to " + format_readable(share_sum));
  if (row_sum != p.rows) bad("domains", "rows must add up to the profile's rows");
}

Profile parse_profile(std::string_view json) {
  const Json root = Reader(json).document();
  if (root.type != Json::kObject) bad("the document", "must be a JSON object");
  const Json& version = member(root, "the profile", "format_version");
  if (version.type != Json::kNumber || !version.number_finite ||
      std::floor(version.number) != version.number || std::fabs(version.number) > 1e6)
    bad("format_version", "must be an integer");
  Profile p;
  p.format_version = static_cast<int>(version.number);
  if (p.format_version != kProfileFormatVersion)
    validate_profile(p);  // the clear error for a foreign version
  only_keys(root, "the profile",
            {"format_version", "rows", "dimension", "feature_names", "integer_features", "band_shares",
             "pooled", "domains"});
  p.rows = count(member(root, "the profile", "rows"), "rows");
  const std::uint64_t dim = count(member(root, "the profile", "dimension"), "dimension");
  if (dim == 0 || dim > kMaxProfileFeatures)
    bad("dimension", "must be 1 to " + std::to_string(kMaxProfileFeatures) + ", is " + std::to_string(dim));
  const auto& names = array(member(root, "the profile", "feature_names"), "feature_names");
  for (const auto& n : names) {
    if (n.type != Json::kString) bad("feature_names", "must hold strings");
    p.feature_names.push_back(n.text);
  }
  if (p.feature_names.size() != dim)
    bad("feature_names", "must hold " + std::to_string(dim) + " names (the dimension), holds " +
                             std::to_string(p.feature_names.size()));
  const auto& integers = array(member(root, "the profile", "integer_features"), "integer_features");
  for (const auto& b : integers) {
    if (b.type != Json::kBool) bad("integer_features", "must hold booleans");
    p.integer_features.push_back(b.boolean);
  }
  if (p.integer_features.size() != dim) bad("integer_features", "must hold one flag per feature");
  p.band_shares = bands(member(root, "the profile", "band_shares"), "band_shares");
  p.pooled = domain(member(root, "the profile", "pooled"), "pooled", dim + 1);
  const auto& domains = array(member(root, "the profile", "domains"), "domains");
  if (domains.size() > kMaxProfileDomains)
    bad("domains", "must hold at most " + std::to_string(kMaxProfileDomains) + " domains");
  for (std::size_t i = 0; i < domains.size(); ++i)
    p.domains.push_back(domain(domains[i], "domains[" + std::to_string(i) + "]", dim + 1));
  validate_profile(p);
  return p;
}

}  // namespace synth
