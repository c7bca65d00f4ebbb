#include "engine/profile/fitted_document.hpp"

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <algorithm>
#include <string_view>

#include "engine/generate/enhancement_document.hpp"
#include "engine/model/number_text.hpp"
#include "engine/model/version.hpp"

namespace synth {
namespace {

class Writer {
 public:
  Writer(char* buffer, std::size_t capacity) : buffer_(buffer), capacity_(capacity) {}
  void raw(std::string_view text) {
    const std::size_t room = capacity_ - length_;
    const std::size_t take = std::min(room, text.size());
    std::memcpy(buffer_ + length_, text.data(), take);
    length_ += take;
    if (take < text.size()) overflowed_ = true;
  }
  // A JSON string: runs that need no escape are copied whole.
  void string(std::string_view text) {
    put('"');
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      const bool plain = c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
      if (plain) continue;
      raw(text.substr(run, i - run));
      run = i + 1;
      if (c == '"' || c == '\\') {
        put('\\');
        put(c);
      } else {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x",
                      static_cast<unsigned>(static_cast<unsigned char>(c)));
        raw(escaped);
      }
    }
    raw(text.substr(run));
    put('"');
  }
  void number(double v) {
    char text[40];
    raw(format_shortest(v, text, sizeof text));
  }
  void integer(std::int64_t v) {
    char text[32];
    const std::to_chars_result r = std::to_chars(text, text + sizeof text, v);
    raw(std::string_view(text, static_cast<std::size_t>(r.ptr - text)));
  }
  std::size_t length() const { return length_; }
  bool overflowed() const { return overflowed_; }

 private:
  void put(char c) {
    if (length_ < capacity_)
      buffer_[length_++] = c;
    else
      overflowed_ = true;
  }
  char* buffer_;
  std::size_t capacity_;
  std::size_t length_ = 0;
  bool overflowed_ = false;
};

// The weights a call gave (null when none): the domains with a weight other than 0.
void write_domain_weights(Writer& w, const Profile& p, const std::vector<double>& weights, bool given) {
  if (!given) {
    w.raw("null");
    return;
  }
  w.raw("{");
  bool first = true;
  for (std::size_t i = 0; i < p.domains.size() && i < weights.size(); ++i) {
    const double weight = weights[i];
    if (weight == 0) continue;
    if (!first) w.raw(", ");
    first = false;
    w.string(p.domains[i].name);
    w.raw(": ");
    w.number(weight);
  }
  w.raw("}");
}

}  // namespace

// Every text at its longest escaped form (6 bytes a character, \u00XX), every
// number at 32: the keys and fixed values, both prompts, the feature names,
// the row's domain name, and with domain_weights every domain's name again.
std::size_t fitted_document_capacity(const Profile& profile) {
  std::size_t names = 0;
  for (const auto& n : profile.feature_names) names += 6 * n.size() + 4;
  std::size_t domains = 0;
  std::size_t longest_domain = 0;
  for (const auto& d : profile.domains) {
    domains += 6 * d.name.size() + 40;
    longest_domain = std::max(longest_domain, 6 * d.name.size() + 4);
  }
  return 1024 + 6 * (kMaxOriginalLength + kMaxEnhancedLength) + names + domains + longest_domain +
         32 * (profile.dimension() + 1);
}

std::size_t write_fitted_json(const FittedRow& row, const ProfileSampler& sampler,
                              const FittedDocumentContext& context, char* buffer, std::size_t capacity) {
  const Profile& p = sampler.profile();
  Writer w(buffer, capacity);
  w.raw("{\"enhanced_prompt\": ");
  w.string(row.prompts.enhanced_text());
  w.raw(", \"original_prompt\": ");
  w.string(row.prompts.original_text());
  w.raw(", \"effectiveness_score\": ");
  w.number(row.score);
  w.raw(", \"feature_vector\": [");
  for (std::size_t i = 0; i < row.dimension; ++i) {
    if (i) w.raw(", ");
    w.number(row.features[i]);
  }
  w.raw("], \"metadata\": {\"source\": ");
  w.string(kDocumentSource);
  w.raw(", \"domain\": ");
  w.string(p.domains[row.domain].name);
  w.raw(", \"tier\": ");
  w.string(kBandNames[row.band]);
  w.raw(", \"generation_timestamp\": ");
  w.string(context.generation_timestamp);
  w.raw(", \"feature_names\": [");
  for (std::size_t i = 0; i < p.dimension(); ++i) {
    if (i) w.raw(", ");
    w.string(p.feature_names[i]);
  }
  w.raw("], \"quality_validated\": true, \"seed\": ");
  w.integer(static_cast<std::int64_t>(sampler.options().seed));
  w.raw(", \"n\": ");
  w.integer(sampler.options().n);
  w.raw(", \"sample_id\": ");
  w.integer(row.sample_id);
  w.raw(", \"generator_version\": ");
  w.integer(kGeneratorVersion);
  w.raw(", \"profile_hash\": ");
  w.string(context.profile_hash);
  w.raw(", \"domain_weights\": ");
  write_domain_weights(w, p, sampler.options().domain_weights, context.domain_weights_given);
  w.raw("}}");
  // Cannot happen with fitted_document_capacity's room; a cut document would be invalid JSON.
  if (w.overflowed())
    throw std::length_error("a fitted document needs more than its " + std::to_string(capacity) + " bytes");
  return w.length();
}

std::string write_domain_weights_json(const Profile& profile, const std::vector<double>& weights,
                                      bool given) {
  std::size_t capacity = 8;
  for (const auto& d : profile.domains) capacity += 6 * d.name.size() + 40;
  std::string out(capacity, '\0');
  Writer w(out.data(), capacity);
  write_domain_weights(w, profile, weights, given);
  out.resize(w.length());
  return out;
}

}  // namespace synth
