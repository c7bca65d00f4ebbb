// The database's text encoding, as far as the engine needs it. Names read
// from a table (domains, feature names) are kept and reported as stored, in
// the server's encoding, so a cut must fall on a character boundary of that
// encoding and a JSON \u escape must become that encoding's character.
// The PostgreSQL layer sets this before it reads a table; a backend runs one
// thread, and the default (UTF-8) is what the unit tests and fuzzers use.
#pragma once

#include <cstddef>
#include <cstdint>

namespace synth {

// The most bytes one code point takes in any server encoding.
inline constexpr std::size_t kMaxEncodedCharacter = 16;

struct TextEncoding {
  // The server encoding is UTF-8. Otherwise bytes above 0x7F are the
  // encoding's own, passed through unchanged.
  bool utf8 = true;
  // For other encodings: the length of the longest prefix of the first
  // `length` bytes of s that is at most `limit` bytes and ends on a
  // character boundary. Must not fail. Without it bytes are cut anywhere.
  std::size_t (*clip)(const char* s, std::size_t length, std::size_t limit) = nullptr;
  // For other encodings: writes the character of Unicode code point cp
  // (above 0x7F) in the server encoding to out (kMaxEncodedCharacter bytes
  // of room) and returns its length, or 0 when the encoding has no such
  // character. Must not fail. Without it no such character can be written.
  // PostgreSQL's json decodes a \u escape the same way (and raises an error
  // where it returns 0; bad data is counted here, never an error).
  std::size_t (*from_unicode)(std::uint32_t cp, char* out) = nullptr;
};

inline TextEncoding& text_encoding() {
  static TextEncoding encoding;
  return encoding;
}

// The UTF-8 bytes of Unicode code point cp (at most 0x10FFFF, not a
// surrogate) in out; returns how many (1 to 4).
inline std::size_t encode_utf8(std::uint32_t cp, char out[4]) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// The character a JSON two-character escape \e stands for (e one of
// " \ / b f n r t), or '\0' for any other e (\u escapes included).
inline char json_short_escape(char e) noexcept {
  switch (e) {
    case '"':
    case '\\':
    case '/':
      return e;
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return '\0';
  }
}

// At most `limit` bytes of s (of `length`), cut at a character boundary.
inline std::size_t clip_text(const char* s, std::size_t length, std::size_t limit) {
  if (length <= limit) return length;
  const TextEncoding& e = text_encoding();
  if (e.utf8) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return cut;
  }
  return e.clip != nullptr ? e.clip(s, length, limit) : limit;
}

}  // namespace synth
