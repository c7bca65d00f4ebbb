// Errors raised by the pure C++ engine. They carry a standard five-character
// SQLSTATE so the PostgreSQL layer can report them without guessing, while the
// engine itself stays free of PostgreSQL headers.
#pragma once

#include <stdexcept>
#include <string>

namespace synth {

namespace sqlstate {
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kNullValueNotAllowed = "22004";
inline constexpr const char* kDataException = "22000";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kInternalError = "XX000";
}  // namespace sqlstate

class Error : public std::runtime_error {
 public:
  Error(const char* sqlstate, const std::string& message, std::string detail = {}, std::string hint = {})
      : std::runtime_error(message),
        sqlstate_(sqlstate),
        detail_(std::move(detail)),
        hint_(std::move(hint)) {}

  const char* sqlstate() const noexcept { return sqlstate_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  const char* sqlstate_;
  std::string detail_;
  std::string hint_;
};

// Shorthand for the most common case: a caller passed an argument we cannot use.
[[noreturn]] inline void throw_invalid_parameter(const std::string& message, std::string detail = {},
                                                 std::string hint = {}) {
  throw Error(sqlstate::kInvalidParameterValue, message, std::move(detail), std::move(hint));
}

}  // namespace synth
