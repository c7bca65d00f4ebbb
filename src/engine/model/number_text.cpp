#include "engine/model/number_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace synth {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// from_chars reports overflow and underflow alike as result_out_of_range; the
// decimal exponent of the first significant digit tells them apart.
bool magnitude_is_large(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  long long integer_digits = 0;  // digits before the point, from the first non-zero one
  long long leading_fraction_zeros = 0;
  bool seen_nonzero = false;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    if (text[i] != '0') seen_nonzero = true;
    if (seen_nonzero) ++integer_digits;
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i) {
      if (text[i] != '0') seen_nonzero = true;
      if (!seen_nonzero) ++leading_fraction_zeros;
    }
  }
  long long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    for (; i < text.size() && is_digit(text[i]); ++i)
      if (exponent < 1000000000LL) exponent = exponent * 10 + (text[i] - '0');  // saturates
    if (negative) exponent = -exponent;
  }
  long long first_digit_power = integer_digits > 0 ? integer_digits - 1 : -(leading_fraction_zeros + 1);
  return first_digit_power + exponent >= 0;
}

}  // namespace

ParsedNumber parse_decimal(std::string_view text) noexcept {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity" || text == "-NaN")
    return {NumberClass::kNonFinite, 0.0};
  if (text.empty() || !(is_digit(text.front()) || text.front() == '-' || text.front() == '.'))
    return {};  // from_chars would also take "inf" and "nan": numbers here never start so
  if (text.front() == '-' && (text.size() < 2 || !(is_digit(text[1]) || text[1] == '.'))) return {};
  const char* first = text.data();
  const char* last = first + text.size();
  double value = 0.0;
  std::from_chars_result result = std::from_chars(first, last, value, std::chars_format::general);
  if (result.ptr != last) return {};
  if (result.ec == std::errc::result_out_of_range) {
    if (magnitude_is_large(text)) return {NumberClass::kNonFinite, 0.0};
    return {NumberClass::kFinite, text.front() == '-' ? -0.0 : 0.0};
  }
  if (result.ec != std::errc()) return {};
  if (!std::isfinite(value)) return {NumberClass::kNonFinite, 0.0};
  return {NumberClass::kFinite, value};
}

namespace {

// The number of significant digits of the shortest text that reads back as
// value (std::to_chars in scientific form without a precision gives such a
// text: its mantissa has exactly those digits): no "%.*g" with fewer digits
// can read back as value, so the search below starts there.
int shortest_digits(double value) noexcept {
  char text[64];
  const std::to_chars_result r =
      std::to_chars(text, text + sizeof text, value, std::chars_format::scientific);
  if (r.ec != std::errc()) return 1;
  const char* end = r.ptr;
  for (const char* c = text; c != r.ptr; ++c)
    if (*c == 'e') end = c;
  const char* first = text;
  while (first != end && (*first == '-' || *first == '0' || *first == '.')) ++first;
  const char* last = end;
  while (last != first && (last[-1] == '0' || last[-1] == '.')) --last;
  int digits = 0;
  for (const char* c = first; c != last; ++c) digits += is_digit(*c);
  return std::clamp(digits, 1, 17);
}

}  // namespace

char* format_shortest(double value, char* out, std::size_t size) noexcept {
  // The smallest precision whose "%.*g" reads back as value. Starting from
  // the shortest digit count gives the same answer as starting from 1, with
  // one or two tries instead of up to 17. std::to_chars with a precision and
  // chars_format::general writes what printf's "%.*g" writes, and
  // std::from_chars reads as strtod does in the C locale, both without the
  // locale and stream machinery of the C calls (a row's document holds a
  // dozen numbers).
  const int start = std::isfinite(value) ? shortest_digits(value) : 1;
  for (int precision = start; precision <= 17; ++precision) {
    const std::to_chars_result r =
        size > 1 ? std::to_chars(out, out + size - 1, value, std::chars_format::general, precision)
                 : std::to_chars_result{out, std::errc::value_too_large};
    if (r.ec != std::errc()) {
      std::snprintf(out, size, "%.*g", precision,
                    value);  // a buffer too small: what fits, cut as snprintf cuts
      return out;
    }
    *r.ptr = '\0';
    if (std::isnan(value)) break;
    double back = 0;
    const std::from_chars_result read = std::from_chars(out, r.ptr, back);
    if (read.ec == std::errc() && back == value) break;
  }
  return out;
}

std::string format_readable(double value) {
  if (value == 0.0) return "0";
  char text[32];
  if (!std::isfinite(value)) return format_shortest(value, text, sizeof text);
  for (int precision = 1; precision <= 10; ++precision) {
    const std::to_chars_result r =
        std::to_chars(text, text + sizeof text - 1, value, std::chars_format::general, precision);
    if (r.ec != std::errc()) break;
    double back = 0;
    const std::from_chars_result read = std::from_chars(text, r.ptr, back);
    if (read.ec == std::errc() && (std::fabs(back - value) <= 1e-10 * std::fabs(value) || precision == 10))
      return std::string(text, r.ptr);
  }
  return format_shortest(value, text, sizeof text);  // unreachable: 10 digits always fit
}

}  // namespace synth
