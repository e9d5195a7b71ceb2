#pragma once
// Syntax errors of the SQL parser, and the two helpers every SQL layer uses to report user
// mistakes: a caret under the offending text, and "did you mean ...?" suggestions.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "glint/common/status.h"

namespace glint::sql {

// A syntax error: where (1-based line and column, the column counted in characters) and what.
struct ParseError {
  int line = 1;
  int column = 1;
  int offset = 0;  // byte offset in the SQL text
  int length = 1;  // bytes of the offending token (at least 1), for the caret
  std::string message;
  std::string hint;  // a likely fix, or empty

  // "SQL error at line L, column C: message", the offending line with a caret under the
  // position, and the hint on a last line if there is one.
  std::string render(std::string_view sql) const;
};

// Two lines: the source line `line` (1-based) indented by two spaces, and below it a caret
// under `column` (1-based, in characters) followed by '~' for the rest of `length` characters
// (clipped to the end of the line). Very long lines are cut to a window around the column.
std::string renderCaret(std::string_view sql, int line, int column, int length);

// Edit distance counting insertions, deletions, substitutions and swaps of adjacent
// characters, case-insensitively ("FORM" is one edit from "FROM").
int editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo (words of 1-2
// characters: only a different case; 3 characters: 1 edit; up to 6: 2; beyond: 3), compared
// case-insensitively. Ties go to
// the first candidate. For "unknown column `prise`; did you mean `price`?".
std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

// The parsed value or the syntax error.
template <class T>
class [[nodiscard]] ParseResult {
 public:
  ParseResult(T value) : value_(std::move(value)) {}           // NOLINT: implicit on purpose
  ParseResult(ParseError error) : value_(std::move(error)) {}  // NOLINT
  bool isOk() const { return std::holds_alternative<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& value() const& { return std::get<T>(value_); }
  const ParseError& error() const { return std::get<ParseError>(value_); }
  // The error as a Status (kParseError, the rendered message), for layers that speak Status.
  Status status(std::string_view sql) const {
    return isOk() ? Status::ok() : Status::parseError(error().render(sql));
  }

 private:
  std::variant<T, ParseError> value_;
};

}  // namespace glint::sql
