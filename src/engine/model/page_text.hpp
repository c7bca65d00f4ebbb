// Text pieces shared by the psql pages (synth_report, synth_compare_report):
// widths, padding that never cuts a character, fixed decimals. Every character
// a page draws is one column wide, so in a UTF-8 database a line's width is its
// number of code points. In other server encodings the page is ASCII and only
// names hold other bytes: a byte counts as a column (wide for LATIN1 letters,
// right for two-byte EUC_JP ones), and cuts fall on the encoding's boundaries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace synth {

// How a page is drawn.
struct PageStyle {
  bool unicode = true;     // block characters and check marks; ASCII otherwise
  std::size_t width = 78;  // psql adds a leading space: 78 fits an 80-column terminal
};

// Display width of s.
std::size_t display_width(std::string_view s);

// At most `width` columns of s, cut at a character boundary.
std::string clip(std::string_view s, std::size_t width);

// s clipped to `width` and padded with blanks on the right or the left.
std::string pad_right(std::string_view s, std::size_t width);
std::string pad_left(std::string_view s, std::size_t width);

// x with `decimals` decimals ("%.3f"), "-" when not finite, never "-0.000".
std::string fixed(double x, int decimals = 3);

// A vertical block of 0..8 eighths of a cell (" " for 0), UTF-8.
const char* block_glyph(int eighths);

}  // namespace synth
