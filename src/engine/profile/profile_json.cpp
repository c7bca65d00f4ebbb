// The profile's canonical JSON text (the bytes the content hash names) and
// its hash. Reading it back: profile_reader.cpp; its checks: profile_checks.cpp.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "engine/model/content_hash.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/number_text.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

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
  // [a,b,...]: each element written by write_one.
  template <typename List, typename WriteOne>
  void list(const List& values, WriteOne write_one) {
    text.push_back('[');
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) text.push_back(',');
      write_one(values[i]);
    }
    text.push_back(']');
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
    if (m.tails > 0) {  // a plain quantile function has none
      key("tails");
      integer(m.tails);
    }
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
    list(d.features, [this](const Marginal& m) { marginal(m); });
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
  w.list(p.feature_names, [&w](const std::string& name) { w.string(name); });
  w.key("integer_features");
  w.list(p.integer_features, [&w](bool integer) { w.boolean(integer); });
  w.key("decimal_grids");
  std::vector<int> grids(p.integer_features.size(), -1);
  std::copy_n(p.decimal_grids.begin(), std::min(grids.size(), p.decimal_grids.size()), grids.begin());
  w.list(grids, [&w](int grid) {
    if (grid < 0)
      w.raw("null");
    else
      w.integer(static_cast<std::uint64_t>(grid));
  });
  w.key("band_shares");
  w.bands(p.band_shares);
  w.key("pooled");
  w.domain(p.pooled, width);
  w.key("domains");
  w.list(p.domains, [&w, width](const DomainProfile& d) { w.domain(d, width); });
  if (p.privacy) {  // only private profiles carry the key: other profiles keep their bytes
    w.key("privacy");
    w.raw("{");
    w.key("epsilon", true);
    w.number(p.privacy->epsilon);
    w.key("delta");
    w.number(p.privacy->delta);
    w.key("rho");
    w.number(p.privacy->rho);
    w.key("mechanism");
    w.string(p.privacy->mechanism);
    w.key("bounds_source");
    w.string(p.privacy->bounds_source);
    w.raw("}");
  }
  w.raw("}");
  return std::move(w.text);
}

std::string profile_hash(const Profile& profile) { return content_hash(profile_json(profile)); }

}  // namespace synth
