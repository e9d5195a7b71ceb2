#pragma once
// Internal to sql/expr: value <-> text conversions shared by CAST and the string functions,
// and UTF-8 helpers (SQL string functions count characters, i.e. code points, not bytes).
#include <cstdint>
#include <string>
#include <string_view>

#include "glint/sql/expr/bound_expr.h"
#include "glint/types/column.h"

namespace glint::sql {

bool parseIntegerText(std::string_view text, bool toInt, int64_t* out);
bool parseDoubleText(std::string_view text, double* out);
bool parseBooleanText(std::string_view text, bool* out);
// java.lang.Double.toString formatting (Flink's DOUBLE -> STRING).
void appendDoubleText(double value, std::string& out);
// The text CAST(value AS VARCHAR) gives for one row of a column of `type`.
void appendValueText(ExprType type, const Column& column, size_t row, std::string& out);

inline bool isAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}
// Length in bytes of the UTF-8 sequence starting with `lead` (1 for invalid lead bytes, so
// malformed text still advances).
inline size_t utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}
inline size_t codePointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
// Byte offset of code point `index` (clamped to the end).
inline size_t codePointOffset(std::string_view s, size_t index) {
  size_t pos = 0;
  while (index > 0 && pos < s.size()) {
    pos += utf8SequenceLength(static_cast<unsigned char>(s[pos]));
    --index;
  }
  return pos < s.size() ? pos : s.size();
}

}  // namespace glint::sql
