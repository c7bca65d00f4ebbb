// The database's text encoding, as far as the engine needs it. Names read
// from a table (domains, feature names) are kept and reported as stored, in
// the server's encoding, so a cut must fall on a character boundary of that
// encoding and a JSON \u escape can only become UTF-8 when the server is UTF-8.
// The PostgreSQL layer sets this before it reads a table; a backend runs one
// thread, and the default (UTF-8) is what the unit tests and fuzzers use.
#pragma once

#include <cstddef>

namespace synth {

struct TextEncoding {
  // The server encoding is UTF-8. Otherwise bytes above 0x7F are the
  // encoding's own, passed through unchanged, and a \u escape beyond ASCII is
  // kept as its escape text (PostgreSQL's json would convert it or raise an
  // error; bad data is counted here, never an error).
  bool utf8 = true;
  // For other encodings: the length of the longest prefix of the first
  // `length` bytes of s that is at most `limit` bytes and ends on a
  // character boundary. Must not fail. Without it bytes are cut anywhere.
  std::size_t (*clip)(const char* s, std::size_t length, std::size_t limit) = nullptr;
};

inline TextEncoding& text_encoding() {
  static TextEncoding encoding;
  return encoding;
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
