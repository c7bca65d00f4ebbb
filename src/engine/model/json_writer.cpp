#include "engine/model/json_writer.hpp"

#include <charconv>
#include <cmath>

#include "engine/model/text_encoding.hpp"

namespace synth {
namespace {

// Length of a well-formed UTF-8 sequence starting at i, or 0.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  std::uint32_t min_code = 0;
  std::uint32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, min_code = 0x80, code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, min_code = 0x800, code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, min_code = 0x10000, code = lead & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    code = (code << 6) | (c & 0x3F);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  write_string(name);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  separate();
  write_string(s);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::count(std::uint64_t n) { return decimal(n); }

JsonWriter& JsonWriter::integer(std::int64_t n) { return decimal(n); }

template <typename Integer>
JsonWriter& JsonWriter::decimal(Integer n) {
  separate();
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
  out_.append(buffer, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::number(double x) {
  if (!std::isfinite(x)) return null();
  separate();
  if (x == 0.0) x = 0.0;  // no "-0"
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  out_.append(buffer, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::open(char c) {
  separate();
  out_ += c;
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  out_ += c;
  first_ = false;
  return *this;
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) out_ += ", ";
  first_ = false;
}

// Escapes quotes, backslashes and control characters; NUL becomes U+FFFD. In
// a UTF-8 database bytes that are not UTF-8 become U+FFFD too, so the text is
// always valid JSON for jsonb_in; in other encodings names pass through as
// stored (they are valid there, and cut at its character boundaries).
void JsonWriter::write_string(std::string_view s) {
  out_ += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += static_cast<char>(c);
      ++i;
    } else if (c == 0) {
      out_ += "\\ufffd";
      ++i;
    } else if (c < 0x20) {
      static const char* const kHex = "0123456789abcdef";
      out_ += "\\u00";
      out_ += kHex[c >> 4];
      out_ += kHex[c & 0xF];
      ++i;
    } else if (c < 0x80) {
      out_ += static_cast<char>(c);
      ++i;
    } else if (!text_encoding().utf8) {
      out_ += static_cast<char>(c);  // the server encoding's own bytes, as stored
      ++i;
    } else if (const std::size_t length = utf8_sequence_length(s, i)) {
      out_.append(s.data() + i, length);
      i += length;
    } else {
      out_ += "\xEF\xBF\xBD";
      ++i;
    }
  }
  out_ += '"';
}

}  // namespace synth
