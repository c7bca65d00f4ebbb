// Decimal number text to double, as the pipeline's reader would see it: JSON
// number tokens, numeric_out() output, and Python's NaN/Infinity tokens. Total:
// any input gives an answer, nothing throws, nothing is read past the view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace synth {

enum class NumberClass : std::uint8_t {
  kFinite,     // a number that fits a double (underflow rounds to zero, as strtod does)
  kNonFinite,  // NaN, +-Infinity, or a number beyond the double range (1e999)
  kNotNumber,  // text that is not a number at all
};

struct ParsedNumber {
  NumberClass kind = NumberClass::kNotNumber;
  double value = 0.0;  // meaningful when kind is kFinite
};

// Parses the whole view; trailing or leading garbage makes it kNotNumber.
ParsedNumber parse_decimal(std::string_view text) noexcept;

// The shortest "%g" text that reads back as the same double: "0.05", not
// "0.050000000000000003" (what jsonb's numeric shows, and what people typed).
// Writes at most size bytes including the terminating NUL; returns out.
char* format_shortest(double value, char* out, std::size_t size) noexcept;

// A number for a person to read in a message or on a page: the shortest
// "%g" text within one part in 10^10 of value, so a sum's rounding noise
// goes ("0.9", not "0.8999999999999999") while the digits a caller typed
// stay (10 significant digits at most); "-0" reads "0". The jsonb results
// keep full precision (format_shortest).
std::string format_readable(double value);

}  // namespace synth
