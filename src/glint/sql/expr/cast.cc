// CAST and TRY_CAST between the SQL types, following Flink's rules: numeric conversions as
// Java casts (DOUBLE -> integer truncates toward zero and saturates, BIGINT -> INT wraps),
// text formats as Flink prints them, and text parsing that fails the query (CAST) or gives
// NULL (TRY_CAST) when the text is not a value of the target type.
#include <charconv>
#include <cmath>
#include <limits>

#include "glint/sql/expr/datetime.h"
#include "glint/sql/expr/function_registry.h"
#include "glint/sql/expr/text.h"

namespace glint::sql {

namespace {

bool castable(ExprType from, ExprType to) {
  if (from == to || from == ExprType::kNull) return true;
  if (to == ExprType::kNull) return false;
  if (to == ExprType::kVarchar) return true;
  const bool fromScalar = isNumeric(from) || from == ExprType::kBoolean;
  const bool toScalar = isNumeric(to) || to == ExprType::kBoolean;
  if (fromScalar && toScalar) return true;
  if (from == ExprType::kVarchar) return !isInterval(to);
  if (isTimePoint(from) && isTimePoint(to)) return true;
  return false;
}

int64_t doubleToInteger(double d, bool toInt) {
  // Java's (long)/(int) casts: NaN -> 0, out-of-range values saturate.
  if (std::isnan(d)) return 0;
  const double lo = toInt ? -2147483648.0 : -9223372036854775808.0;
  const double hi = toInt ? 2147483647.0 : 9223372036854775807.0;
  if (d <= lo) return static_cast<int64_t>(lo);
  if (d >= hi) return toInt ? 2147483647 : INT64_MAX;
  return static_cast<int64_t>(d);
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string intervalText(ExprType type, int64_t v) {
  std::string out = v < 0 ? "-" : "+";
  uint64_t a = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char buf[64];
  if (type == ExprType::kIntervalYearMonth) {
    std::snprintf(buf, sizeof buf, "%llu-%02llu", static_cast<unsigned long long>(a / 12),
                  static_cast<unsigned long long>(a % 12));
  } else {
    const uint64_t days = a / kMillisPerDay, rem = a % kMillisPerDay;
    std::snprintf(buf, sizeof buf, "%llu %02llu:%02llu:%02llu.%03llu",
                  static_cast<unsigned long long>(days),
                  static_cast<unsigned long long>(rem / kMillisPerHour),
                  static_cast<unsigned long long>(rem / kMillisPerMinute % 60),
                  static_cast<unsigned long long>(rem / 1000 % 60),
                  static_cast<unsigned long long>(rem % 1000));
  }
  return out + buf;
}

}  // namespace

bool parseIntegerText(std::string_view text, bool toInt, int64_t* out) {
  std::string_view s = trimSpaces(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  // A fractional part is accepted and dropped, as Flink's string-to-integer cast does.
  const size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    for (char c : frac)
      if (c < '0' || c > '9') return false;
    if (whole.empty() || whole == "-") return false;
  }
  int64_t v;
  auto r = std::from_chars(whole.data(), whole.data() + whole.size(), v);
  if (r.ec != std::errc() || r.ptr != whole.data() + whole.size() || whole.empty()) return false;
  if (toInt && (v < INT32_MIN || v > INT32_MAX)) return false;
  *out = v;
  return true;
}

bool parseDoubleText(std::string_view text, double* out) {
  std::string_view s = trimSpaces(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  double v;
  if (s == "NaN") {
    v = std::numeric_limits<double>::quiet_NaN();
  } else if (s == "Infinity") {
    v = std::numeric_limits<double>::infinity();
  } else {
    if (s.empty() || s.front() == '-' || s.front() == '+') return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
  }
  *out = negative ? -v : v;
  return true;
}

bool parseBooleanText(std::string_view text, bool* out) {
  const std::string s = upperCase(trimSpaces(text));
  if (s == "TRUE" || s == "T" || s == "YES" || s == "Y" || s == "1") {
    *out = true;
    return true;
  }
  if (s == "FALSE" || s == "F" || s == "NO" || s == "N" || s == "0") {
    *out = false;
    return true;
  }
  return false;
}

void appendDoubleText(double d, std::string& out) {
  // java.lang.Double.toString: plain notation for 1e-3 <= |d| < 1e7, else d.dddE±n; always
  // at least one fraction digit; shortest digits that read back to the same double.
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d > 0 ? "Infinity" : "-Infinity";
    return;
  }
  if (d == 0) {
    out += std::signbit(d) ? "-0.0" : "0.0";
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view s(buf, r.ptr - buf);
  if (s.front() == '-') {
    out += '-';
    s.remove_prefix(1);
  }
  const size_t e = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  const int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
  const double magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const size_t intDigits = static_cast<size_t>(exponent) + 1;
      while (digits.size() < intDigits) digits += '0';
      out.append(digits, 0, intDigits);
      out += '.';
      out += digits.size() > intDigits ? digits.substr(intDigits) : "0";
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
  } else {
    out += digits[0];
    out += '.';
    out += digits.size() > 1 ? digits.substr(1) : "0";
    out += 'E';
    out += std::to_string(exponent);
  }
}

void appendValueText(ExprType type, const Column& column, size_t row, std::string& out) {
  switch (type) {
    case ExprType::kBoolean:
      out += column.getInt(row) ? "TRUE" : "FALSE";
      break;
    case ExprType::kInt:
    case ExprType::kBigint:
      out += std::to_string(column.getInt(row));
      break;
    case ExprType::kDouble:
      appendDoubleText(column.getDouble(row), out);
      break;
    case ExprType::kVarchar:
      out += column.getString(row);
      break;
    case ExprType::kTimestamp:
    case ExprType::kTimestampLtz:
      out += formatTimestamp(column.getInt(row));
      break;
    case ExprType::kDate:
      out += formatDate(column.getInt(row));
      break;
    case ExprType::kIntervalDayTime:
    case ExprType::kIntervalYearMonth:
      out += intervalText(type, column.getInt(row));
      break;
    case ExprType::kNull:
      break;
  }
}

Result<KernelFn> makeCastKernel(ExprType from, ExprType to, bool tryCast) {
  if (!castable(from, to))
    return Status::invalidArgument("cannot cast " + std::string(exprTypeName(from)) + " to " +
                                   std::string(exprTypeName(to)));
  if (from == ExprType::kNull) {
    return KernelFn([](KernelCall& c) {
      Column& out = *c.out;
      out.clear();
      for (size_t i = 0; i < c.rows; ++i) out.appendNull();
    });
  }
  // Same physical values: copy through.
  const bool sameInts =
      physicalTypeOf(storageTypeOf(from)) == PhysicalType::kInt64 &&
      physicalTypeOf(storageTypeOf(to)) == PhysicalType::kInt64 &&
      (from == to || (isIntegral(from) && to == ExprType::kBigint) ||
       (from == ExprType::kBoolean && isIntegral(to)) ||
       (isTimePoint(from) && isTimePoint(to) && from != ExprType::kDate && to != ExprType::kDate));
  if (sameInts) {
    return KernelFn([](KernelCall& c) {
      int64_t* out = outIntegers(c);
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = a[i];
      });
    });
  }
  if (from == ExprType::kDouble && to == ExprType::kDouble) {
    return KernelFn([](KernelCall& c) {
      double* out = outReals(c);
      withReals(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = a[i];
      });
    });
  }
  if (to == ExprType::kVarchar) {
    return KernelFn([from](KernelCall& c) {
      std::string text;
      for (size_t i = 0; i < c.rows; ++i) {
        text.clear();
        if (!c.skip(i)) appendValueText(from, *c.arg(0).column, c.arg(0).at(i), text);
        c.out->appendString(text);
      }
    });
  }
  if (isIntegral(from) && to == ExprType::kInt) {  // BIGINT -> INT wraps like Java's (int)
    return KernelFn([](KernelCall& c) {
      int64_t* out = outIntegers(c);
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = static_cast<int32_t>(a[i]);
      });
    });
  }
  if ((isIntegral(from) || from == ExprType::kBoolean) && to == ExprType::kDouble) {
    return KernelFn([](KernelCall& c) {
      double* out = outReals(c);
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = static_cast<double>(a[i]);
      });
    });
  }
  if (from == ExprType::kDouble && isIntegral(to)) {
    const bool toInt = to == ExprType::kInt;
    return KernelFn([toInt](KernelCall& c) {
      int64_t* out = outIntegers(c);
      withReals(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = doubleToInteger(a[i], toInt);
      });
    });
  }
  if (to == ExprType::kBoolean && isNumeric(from)) {
    return KernelFn([from](KernelCall& c) {
      int64_t* out = outIntegers(c);
      if (from == ExprType::kDouble) {
        withReals(c.arg(0), [&](auto a) {
          for (size_t i = 0; i < c.rows; ++i) out[i] = a[i] != 0;
        });
      } else {
        withIntegers(c.arg(0), [&](auto a) {
          for (size_t i = 0; i < c.rows; ++i) out[i] = a[i] != 0;
        });
      }
    });
  }
  if (isTimePoint(from) && to == ExprType::kDate) {
    return KernelFn([](KernelCall& c) {
      int64_t* out = outIntegers(c);
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = floorDivide(a[i], kMillisPerDay);
      });
    });
  }
  if (from == ExprType::kDate && isTimePoint(to)) {
    return KernelFn([](KernelCall& c) {
      int64_t* out = outIntegers(c);
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = a[i] * kMillisPerDay;
      });
    });
  }
  if (from == ExprType::kVarchar) {
    // Parsing text: a value that does not parse fails the query or, for TRY_CAST, is NULL.
    return KernelFn([to, tryCast](KernelCall& c) {
      const KernelArg& a = c.arg(0);
      uint8_t* nulls = tryCast ? outNulls(c) : nullptr;
      auto fail = [&](size_t i) {
        if (tryCast) {
          nulls[i] = 1;
          return;
        }
        raiseEvalError(
            c, "cannot cast '" + std::string(a.text(i)) + "' to " + std::string(exprTypeName(to)));
      };
      if (to == ExprType::kDouble) {
        double* out = outReals(c);
        for (size_t i = 0; i < c.rows; ++i) {
          out[i] = 0;
          if (!c.skip(i) && !parseDoubleText(a.text(i), &out[i])) fail(i);
        }
        return;
      }
      int64_t* out = outIntegers(c);
      for (size_t i = 0; i < c.rows; ++i) {
        out[i] = 0;
        if (c.skip(i)) continue;
        const std::string_view s = a.text(i);
        bool ok = false;
        switch (to) {
          case ExprType::kBoolean: {
            bool b = false;
            ok = parseBooleanText(s, &b);
            out[i] = b;
            break;
          }
          case ExprType::kInt:
          case ExprType::kBigint:
            ok = parseIntegerText(s, to == ExprType::kInt, &out[i]);
            break;
          case ExprType::kTimestamp:
          case ExprType::kTimestampLtz:
            ok = parseTimestampText(s, &out[i]);
            break;
          case ExprType::kDate: {
            int64_t millis;
            ok = parseTimestampText(s, &millis) && trimSpaces(s).size() == 10;
            out[i] = floorDivide(millis, kMillisPerDay);
            break;
          }
          default:
            break;
        }
        if (!ok) fail(i);
      }
    });
  }
  return Status::invalidArgument("cannot cast " + std::string(exprTypeName(from)) + " to " +
                                 std::string(exprTypeName(to)));
}

Result<BoundExprPtr> makeCast(BoundExprPtr operand, ExprType target, bool tryCast) {
  if (operand->type == target) return operand;
  if (operand->isNullLiteral()) return makeNullLiteral(target);
  if (!castable(operand->type, target)) {
    std::string hint;
    if (isNumeric(operand->type) && isTimePoint(target))
      hint = " (use TO_TIMESTAMP_LTZ(epoch, 0|3) for epoch numbers)";
    return Status::invalidArgument(std::string(tryCast ? "TRY_CAST" : "CAST") + ": cannot cast " +
                                   std::string(exprTypeName(operand->type)) + " to " +
                                   std::string(exprTypeName(target)) + hint + " in " +
                                   operand->toString());
  }
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kCast;
  e->type = target;
  e->tryCast = tryCast;
  // Parsing text may fail: TRY_CAST from VARCHAR can produce NULL from a non-null value.
  e->nullable = operand->nullable || (tryCast && operand->type == ExprType::kVarchar);
  e->args.push_back(std::move(operand));
  return BoundExprPtr(e);
}

Result<BoundExprPtr> makeCast(BoundExprPtr operand, TypeId target, bool tryCast) {
  return makeCast(std::move(operand), exprTypeOf(target), tryCast);
}

}  // namespace glint::sql
