// JSON text written token by token, for the reports that become jsonb
// (synth_validate, synth_compare). Commas and ": " are placed automatically;
// strings are escaped and, in a UTF-8 database, bytes that are not UTF-8
// become U+FFFD, so the text is always valid JSON for jsonb_in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synth {

class JsonWriter {
 public:
  std::string take() { return std::move(out_); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view s);
  JsonWriter& string_or_null(const std::optional<std::string>& s) { return s ? string(*s) : null(); }
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  JsonWriter& count(std::uint64_t n);
  JsonWriter& integer(std::int64_t n);
  // Shortest text that reads back as the same double ("-0" as "0"); null if not finite.
  JsonWriter& number(double x);
  JsonWriter& number(const std::optional<double>& x) { return x ? number(*x) : null(); }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void separate();
  template <typename Integer>
  JsonWriter& decimal(Integer n);
  void write_string(std::string_view s);

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace synth
