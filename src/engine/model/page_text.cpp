#include "engine/model/page_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/model/text_encoding.hpp"

namespace synth {

std::size_t display_width(std::string_view s) {
  if (!text_encoding().utf8) return s.size();
  std::size_t width = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  return width;
}

std::string clip(std::string_view s, std::size_t width) {
  if (!text_encoding().utf8) return std::string(s.substr(0, clip_text(s.data(), s.size(), width)));
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == width) return std::string(s.substr(0, i));
      ++seen;
    }
  }
  return std::string(s);
}

std::string pad_right(std::string_view s, std::size_t width) {
  std::string out = clip(s, width);
  out.append(width - display_width(out), ' ');
  return out;
}

std::string pad_left(std::string_view s, std::size_t width) {
  std::string out = clip(s, width);
  return std::string(width - display_width(out), ' ') + out;
}

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "-";
  char buffer[352];  // %.Nf of the largest double, with room for 30 decimals
  std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(decimals, 0, 30), x);
  std::string out = buffer;
  if (out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

const char* block_glyph(int eighths) {
  static const char* const kBlocks[] = {" ",      "\u2581", "\u2582", "\u2583", "\u2584",
                                        "\u2585", "\u2586", "\u2587", "\u2588"};
  return kBlocks[std::clamp(eighths, 0, 8)];
}

}  // namespace synth
