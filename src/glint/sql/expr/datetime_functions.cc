// Date/time functions. The session time zone is UTC, so TIMESTAMP and TIMESTAMP_LTZ values
// (both epoch milliseconds) read the same; DATE values are epoch days.
#include <memory>
#include <optional>

#include "glint/sql/expr/datetime.h"
#include "glint/sql/expr/function_registry.h"

namespace glint::sql {

namespace {

// Epoch milliseconds of row i of a time-point argument (DATE arguments are days).
inline int64_t timeMillis(const KernelArg& a, size_t i, bool isDate) {
  const int64_t v = a.integer(i);
  return isDate ? v * kMillisPerDay : v;
}

enum class Field {
  kYear,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kDayOfYear,
  kDayOfWeek,
  kIsoDayOfWeek,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kEpoch,
  kDecade,
  kCentury,
  kMillennium,
};

bool parseField(std::string_view k, Field* f) {
  static const std::pair<const char*, Field> kFields[] = {
      {"YEAR", Field::kYear},
      {"QUARTER", Field::kQuarter},
      {"MONTH", Field::kMonth},
      {"WEEK", Field::kWeek},
      {"DAY", Field::kDay},
      {"DOY", Field::kDayOfYear},
      {"DOW", Field::kDayOfWeek},
      {"ISODOW", Field::kIsoDayOfWeek},
      {"HOUR", Field::kHour},
      {"MINUTE", Field::kMinute},
      {"SECOND", Field::kSecond},
      {"MILLISECOND", Field::kMillisecond},
      {"MICROSECOND", Field::kMicrosecond},
      {"EPOCH", Field::kEpoch},
      {"DECADE", Field::kDecade},
      {"CENTURY", Field::kCentury},
      {"MILLENNIUM", Field::kMillennium},
  };
  for (const auto& [name, field] : kFields)
    if (k == name) {
      *f = field;
      return true;
    }
  return false;
}

int64_t extractField(Field f, int64_t millis) {
  const int64_t days = floorDivide(millis, kMillisPerDay);
  const CivilTime t = civilFromMillis(millis);
  switch (f) {
    case Field::kYear:
      return t.year;
    case Field::kQuarter:
      return (t.month - 1) / 3 + 1;
    case Field::kMonth:
      return t.month;
    case Field::kWeek:
      return isoWeek(days);
    case Field::kDay:
      return t.day;
    case Field::kDayOfYear:
      return days - daysFromCivil(t.year, 1, 1) + 1;
    case Field::kDayOfWeek:
      return dayOfWeek(days);
    case Field::kIsoDayOfWeek:
      return floorModulo(days + 3, 7) + 1;
    case Field::kHour:
      return t.hour;
    case Field::kMinute:
      return t.minute;
    case Field::kSecond:
      return t.second;
    case Field::kMillisecond:
      return t.second * 1000 + t.millis;
    case Field::kMicrosecond:
      return (t.second * 1000 + t.millis) * 1000;
    case Field::kEpoch:
      return floorDivide(millis, 1000);
    case Field::kDecade:
      return floorDivide(t.year, 10);
    case Field::kCentury:
      return t.year > 0 ? (t.year + 99) / 100 : -((99 - t.year) / 100);
    case Field::kMillennium:
      return t.year > 0 ? (t.year + 999) / 1000 : -((999 - t.year) / 1000);
  }
  return 0;
}

// Extraction over a column: one loop; the field is a compile-time choice of the call.
KernelFn extractKernel(Field field, bool isDate) {
  return [field, isDate](KernelCall& c) {
    const KernelArg& a = c.arg(c.argCount - 1);
    int64_t* out = outIntegers(c);
    if (field == Field::kHour && !isDate) {  // the common case, without calendar math
      withIntegers(a, [&](auto v) {
        for (size_t i = 0; i < c.rows; ++i)
          out[i] = floorModulo(v[i], kMillisPerDay) / kMillisPerHour;
      });
      return;
    }
    for (size_t i = 0; i < c.rows; ++i) out[i] = extractField(field, timeMillis(a, i, isDate));
  };
}

Status expectTimePoint(std::string_view name, std::vector<BoundExprPtr>& args, size_t index,
                       std::string_view expected) {
  args[index] = adoptNullType(args[index], ExprType::kTimestamp);
  if (!isTimePoint(args[index]->type)) return signatureError(name, expected, args);
  return Status::ok();
}

Status expectText(std::string_view name, std::vector<BoundExprPtr>& args, size_t index,
                  std::string_view expected) {
  args[index] = adoptNullType(args[index], ExprType::kVarchar);
  if (args[index]->type != ExprType::kVarchar) return signatureError(name, expected, args);
  return Status::ok();
}

// A pattern compiled once when it is a literal, else when it changes from row to row.
class PatternCache {
 public:
  PatternCache(const BoundExpr& call, size_t index, std::string_view defaultPattern) {
    if (index >= call.args.size()) {
      fixed_ = true;
      get(defaultPattern);
    } else if (call.args[index]->isLiteral() && !call.args[index]->literal.isNull) {
      get(call.args[index]->literal.text);
    }
  }
  bool fixed() const { return fixed_; }
  // nullptr for an invalid pattern.
  const DateTimePattern* get(std::string_view text) {
    if (!pattern_ || text_ != text) {
      text_ = std::string(text);
      auto p = DateTimePattern::compile(text);
      pattern_ = p.isOk() ? std::optional<DateTimePattern>(std::move(p).value())
                          : std::optional<DateTimePattern>();
      valid_ = pattern_.has_value();
      if (!valid_) pattern_.emplace();  // remember the text even when it is invalid
    }
    return valid_ ? &*pattern_ : nullptr;
  }

 private:
  bool fixed_ = false;
  bool valid_ = false;
  std::string text_;
  std::optional<DateTimePattern> pattern_;
};

Result<TimeUnit> unitArgument(std::string_view name, const BoundExprPtr& arg) {
  auto keyword = keywordArgument(name, arg, "a time unit (SECOND, MINUTE, HOUR, DAY, ...)");
  if (!keyword.isOk()) return keyword.status();
  TimeUnit unit;
  if (!parseTimeUnit(*keyword, &unit))
    return Status::invalidArgument("function " + std::string(name) + ": unknown time unit " +
                                   *keyword +
                                   "; expected MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, "
                                   "MONTH, QUARTER or YEAR");
  return unit;
}

int64_t unitMillis(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillisecond:
      return 1;
    case TimeUnit::kSecond:
      return kMillisPerSecond;
    case TimeUnit::kMinute:
      return kMillisPerMinute;
    case TimeUnit::kHour:
      return kMillisPerHour;
    case TimeUnit::kDay:
      return kMillisPerDay;
    case TimeUnit::kWeek:
      return 7 * kMillisPerDay;
    default:
      return 0;
  }
}

int64_t unitMonths(TimeUnit unit) {
  return unit == TimeUnit::kMonth ? 1 : unit == TimeUnit::kQuarter ? 3 : 12;
}

}  // namespace

Result<BoundExprPtr> resolveTimeFloorCeil(std::vector<BoundExprPtr>& args, bool ceil) {
  const std::string name = ceil ? "CEIL" : "FLOOR";
  static const FunctionDef* defs[2] = {};
  if (defs[ceil] == nullptr) {
    defs[ceil] = functionRegistry().define(
        {name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
         [ceil](const BoundExpr& call) -> Result<KernelFn> {
           TimeUnit unit;
           parseTimeUnit(upperCase(call.args[1]->literal.text), &unit);
           const bool isDate = call.args[0]->type == ExprType::kDate;
           return KernelFn([unit, isDate, ceil](KernelCall& c) {
             int64_t* out = outIntegers(c);
             const KernelArg& a = c.arg(0);
             if (!isDate && unitMillis(unit) != 0 && unit != TimeUnit::kWeek && !ceil) {
               const int64_t step = unitMillis(unit);
               withIntegers(a, [&](auto v) {
                 for (size_t i = 0; i < c.rows; ++i) out[i] = floorDivide(v[i], step) * step;
               });
               return;
             }
             for (size_t i = 0; i < c.rows; ++i) {
               const int64_t millis = timeMillis(a, i, isDate);
               const int64_t r = ceil ? ceilMillisTo(millis, unit) : floorMillisTo(millis, unit);
               out[i] = isDate ? floorDivide(r, kMillisPerDay) : r;
             }
           });
         }});
  }
  const char* expected = "(TIMESTAMP|DATE, unit)";
  GLINT_RETURN_IF_ERROR(expectTimePoint(name, args, 0, expected));
  auto unit = unitArgument(name, args[1]);
  if (!unit.isOk()) return unit.status();
  const ExprType type = args[0]->type;
  const bool nullable = args[0]->nullable;
  return makeCallNode(defs[ceil], type, std::move(args), nullable);
}

void registerDateTimeFunctions(FunctionRegistry& r) {
  // EXTRACT(unit, x) and the named shortcuts (YEAR(x) = EXTRACT(YEAR FROM x)).
  const FunctionDef* extract =
      r.define({"EXTRACT", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                [](const BoundExpr& call) -> Result<KernelFn> {
                  Field f;
                  parseField(upperCase(call.args[0]->literal.text), &f);
                  return extractKernel(f, call.args[1]->type == ExprType::kDate);
                }});
  r.add("EXTRACT", [extract](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    const char* expected = "(unit, TIMESTAMP|TIMESTAMP_LTZ|DATE)";
    if (args.size() != 2) return signatureError("EXTRACT", expected, args);
    auto keyword = keywordArgument("EXTRACT", args[0], "a field (YEAR, MONTH, DAY, HOUR, ...)");
    if (!keyword.isOk()) return keyword.status();
    Field f;
    if (!parseField(*keyword, &f))
      return Status::invalidArgument("function EXTRACT: unknown field " + *keyword);
    GLINT_RETURN_IF_ERROR(expectTimePoint("EXTRACT", args, 1, expected));
    const bool nullable = args[1]->nullable;
    return makeCallNode(extract, ExprType::kBigint, std::move(args), nullable);
  });
  static const std::pair<const char*, const char*> kShortcuts[] = {
      {"YEAR", "YEAR"},     {"QUARTER", "QUARTER"}, {"MONTH", "MONTH"},   {"WEEK", "WEEK"},
      {"DAYOFYEAR", "DOY"}, {"DAYOFMONTH", "DAY"},  {"DAYOFWEEK", "DOW"}, {"HOUR", "HOUR"},
      {"MINUTE", "MINUTE"}, {"SECOND", "SECOND"},
  };
  for (const auto& [name, field] : kShortcuts) {
    Field f;
    parseField(field, &f);
    const FunctionDef* def =
        r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [f](const BoundExpr& call) -> Result<KernelFn> {
                    return extractKernel(f, call.args[0]->type == ExprType::kDate);
                  }});
    r.add(name,
          [def, name = std::string(name)](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
            const char* expected = "(DATE|TIMESTAMP|TIMESTAMP_LTZ)";
            if (args.size() != 1) return signatureError(name, expected, args);
            GLINT_RETURN_IF_ERROR(expectTimePoint(name, args, 0, expected));
            return makeCallNode(def, ExprType::kBigint, std::move(args));
          });
  }

  // DATE_FORMAT(timestamp|date|string, pattern) -> VARCHAR.
  {
    const FunctionDef* def =
        r.define({"DATE_FORMAT", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    auto cache = std::make_shared<PatternCache>(call, 1, "");
                    const ExprType input = call.args[0]->type;
                    return KernelFn([cache, input](KernelCall& c) {
                      std::string buf;
                      for (size_t i = 0; i < c.rows; ++i) {
                        if (c.skip(i)) {
                          c.out->appendString({});
                          continue;
                        }
                        int64_t millis;
                        if (input == ExprType::kVarchar) {
                          if (!parseTimestampText(c.arg(0).text(i), &millis)) {
                            c.out->appendNull();
                            continue;
                          }
                        } else {
                          millis = timeMillis(c.arg(0), i, input == ExprType::kDate);
                        }
                        const DateTimePattern* p = cache->get(c.arg(1).text(i));
                        if (p == nullptr) {
                          c.out->appendNull();
                          continue;
                        }
                        buf.clear();
                        p->format(millis, buf);
                        c.out->appendString(buf);
                      }
                    });
                  }});
    r.add("DATE_FORMAT", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(TIMESTAMP|DATE|VARCHAR, VARCHAR)";
      if (args.size() != 2) return signatureError("DATE_FORMAT", expected, args);
      args[0] = adoptNullType(args[0], ExprType::kTimestamp);
      if (!isTimePoint(args[0]->type) && args[0]->type != ExprType::kVarchar)
        return signatureError("DATE_FORMAT", expected, args);
      GLINT_RETURN_IF_ERROR(expectText("DATE_FORMAT", args, 1, expected));
      if (args[1]->isLiteral() && !args[1]->literal.isNull) {
        auto p = DateTimePattern::compile(args[1]->literal.text);
        if (!p.isOk())
          return Status::invalidArgument("function DATE_FORMAT: " + p.status().message());
      }
      const bool nullable = anyNullable(args) || args[0]->type == ExprType::kVarchar;
      return makeCallNode(def, ExprType::kVarchar, std::move(args), nullable);
    });
  }

  // TO_TIMESTAMP / TO_DATE / UNIX_TIMESTAMP(string[, pattern]): parse text.
  struct Parser {
    const char* name;
    ExprType result;
    const char* defaultPattern;
  };
  for (const Parser& parser :
       {Parser{"TO_TIMESTAMP", ExprType::kTimestamp, "yyyy-MM-dd HH:mm:ss"},
        Parser{"TO_DATE", ExprType::kDate, "yyyy-MM-dd"},
        Parser{"UNIX_TIMESTAMP", ExprType::kBigint, "yyyy-MM-dd HH:mm:ss"}}) {
    const ExprType result = parser.result;
    const std::string defaultPattern = parser.defaultPattern;
    const FunctionDef* def =
        r.define({parser.name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [result, defaultPattern](const BoundExpr& call) -> Result<KernelFn> {
                    auto cache = std::make_shared<PatternCache>(call, 1, defaultPattern);
                    return KernelFn([cache, result](KernelCall& c) {
                      int64_t* out = outIntegers(c);
                      uint8_t* nulls = nullptr;
                      for (size_t i = 0; i < c.rows; ++i) {
                        out[i] = 0;
                        if (c.skip(i)) continue;
                        const std::string_view text = c.arg(0).text(i);
                        int64_t millis = 0;
                        bool ok;
                        if (cache->fixed()) {
                          // The default format also takes fractional seconds and date-only text.
                          ok = parseTimestampText(text, &millis);
                        } else {
                          const DateTimePattern* p = cache->get(c.arg(1).text(i));
                          ok = p != nullptr && p->parse(text, &millis);
                        }
                        if (result == ExprType::kBigint) {
                          // Flink returns Long.MIN_VALUE for text that does not parse.
                          out[i] = ok ? floorDivide(millis, 1000) : INT64_MIN;
                          continue;
                        }
                        if (!ok) {
                          if (nulls == nullptr) nulls = outNulls(c);
                          nulls[i] = 1;
                          continue;
                        }
                        out[i] =
                            result == ExprType::kDate ? floorDivide(millis, kMillisPerDay) : millis;
                      }
                    });
                  }});
    const std::string name = parser.name;
    r.add(name, [def, name, result](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (name == "UNIX_TIMESTAMP" && args.empty()) {
        auto now = makeCall("CURRENT_UNIX_TIMESTAMP", {});
        return now;
      }
      const char* expected = "(VARCHAR[, VARCHAR pattern])";
      if (args.empty() || args.size() > 2) return signatureError(name, expected, args);
      for (size_t k = 0; k < args.size(); ++k)
        GLINT_RETURN_IF_ERROR(expectText(name, args, k, expected));
      const bool nullable = anyNullable(args) || result != ExprType::kBigint;
      return makeCallNode(def, result, std::move(args), nullable);
    });
  }

  // TO_TIMESTAMP_LTZ(epoch[, 0|3]): seconds (0) or milliseconds (3, the default).
  {
    const FunctionDef* def =
        r.define({"TO_TIMESTAMP_LTZ", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    const int64_t scale =
                        call.args.size() > 1 && call.args[1]->literal.integer == 0 ? 1000 : 1;
                    if (call.args[0]->type == ExprType::kDouble)
                      return KernelFn([scale](KernelCall& c) {
                        int64_t* out = outIntegers(c);
                        withReals(c.arg(0), [&](auto v) {
                          for (size_t i = 0; i < c.rows; ++i)
                            out[i] = static_cast<int64_t>(v[i] * static_cast<double>(scale));
                        });
                      });
                    return KernelFn([scale](KernelCall& c) {
                      int64_t* out = outIntegers(c);
                      withIntegers(c.arg(0), [&](auto v) {
                        for (size_t i = 0; i < c.rows; ++i) out[i] = v[i] * scale;
                      });
                    });
                  }});
    r.add("TO_TIMESTAMP_LTZ", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(numeric[, 0|3])";
      if (args.empty() || args.size() > 2)
        return signatureError("TO_TIMESTAMP_LTZ", expected, args);
      args[0] = adoptNullType(args[0], ExprType::kBigint);
      if (!isNumeric(args[0]->type)) return signatureError("TO_TIMESTAMP_LTZ", expected, args);
      if (args.size() == 2 &&
          (!args[1]->isLiteral() || !isIntegral(args[1]->type) || args[1]->literal.isNull ||
           (args[1]->literal.integer != 0 && args[1]->literal.integer != 3)))
        return Status::invalidArgument(
            "function TO_TIMESTAMP_LTZ expects precision 0 (seconds) or 3 (milliseconds), got " +
            args[1]->toString());
      const bool nullable = args[0]->nullable;
      return makeCallNode(def, ExprType::kTimestampLtz, std::move(args), nullable);
    });
  }

  // FROM_UNIXTIME(seconds[, pattern]) -> VARCHAR.
  {
    const FunctionDef* def =
        r.define({"FROM_UNIXTIME", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    auto cache = std::make_shared<PatternCache>(call, 1, "yyyy-MM-dd HH:mm:ss");
                    return KernelFn([cache](KernelCall& c) {
                      std::string buf;
                      for (size_t i = 0; i < c.rows; ++i) {
                        const DateTimePattern* p =
                            c.skip(i) ? nullptr
                                      : cache->get(cache->fixed() ? "yyyy-MM-dd HH:mm:ss"
                                                                  : c.arg(1).text(i));
                        if (p == nullptr) {
                          if (c.skip(i))
                            c.out->appendString({});
                          else
                            c.out->appendNull();
                          continue;
                        }
                        buf.clear();
                        p->format(c.arg(0).integer(i) * 1000, buf);
                        c.out->appendString(buf);
                      }
                    });
                  }});
    r.add("FROM_UNIXTIME", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(BIGINT[, VARCHAR])";
      if (args.empty() || args.size() > 2) return signatureError("FROM_UNIXTIME", expected, args);
      args[0] = adoptNullType(args[0], ExprType::kBigint);
      if (!isIntegral(args[0]->type)) return signatureError("FROM_UNIXTIME", expected, args);
      if (args.size() == 2) GLINT_RETURN_IF_ERROR(expectText("FROM_UNIXTIME", args, 1, expected));
      return makeCallNode(def, ExprType::kVarchar, std::move(args));
    });
  }

  // TIMESTAMPADD(unit, n, t).
  {
    const FunctionDef* def =
        r.define({"TIMESTAMPADD", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    TimeUnit unit;
                    parseTimeUnit(upperCase(call.args[0]->literal.text), &unit);
                    const bool dateIn = call.args[2]->type == ExprType::kDate;
                    const bool dateOut = call.type == ExprType::kDate;
                    return KernelFn([unit, dateIn, dateOut](KernelCall& c) {
                      int64_t* out = outIntegers(c);
                      const int64_t step = unitMillis(unit);
                      for (size_t i = 0; i < c.rows; ++i) {
                        if (c.skip(i)) {
                          out[i] = 0;
                          continue;
                        }
                        const int64_t n = c.arg(1).integer(i);
                        const int64_t t = timeMillis(c.arg(2), i, dateIn);
                        const int64_t r =
                            step != 0 ? t + n * step : addMonthsToMillis(t, n * unitMonths(unit));
                        out[i] = dateOut ? floorDivide(r, kMillisPerDay) : r;
                      }
                    });
                  }});
    r.add("TIMESTAMPADD", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(unit, INT, TIMESTAMP|DATE)";
      if (args.size() != 3) return signatureError("TIMESTAMPADD", expected, args);
      auto unit = unitArgument("TIMESTAMPADD", args[0]);
      if (!unit.isOk()) return unit.status();
      args[1] = adoptNullType(args[1], ExprType::kInt);
      if (!isIntegral(args[1]->type)) return signatureError("TIMESTAMPADD", expected, args);
      GLINT_RETURN_IF_ERROR(expectTimePoint("TIMESTAMPADD", args, 2, expected));
      // A DATE stays a DATE for whole-day units; a finer unit makes it a TIMESTAMP.
      ExprType type = args[2]->type;
      if (type == ExprType::kDate && unitMillis(*unit) != 0 && unitMillis(*unit) < kMillisPerDay)
        type = ExprType::kTimestamp;
      return makeCallNode(def, type, std::move(args));
    });
  }

  // TIMESTAMPDIFF(unit, t1, t2) -> INT: whole units from t1 to t2.
  {
    const FunctionDef* def =
        r.define({"TIMESTAMPDIFF", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    TimeUnit unit;
                    parseTimeUnit(upperCase(call.args[0]->literal.text), &unit);
                    const bool date1 = call.args[1]->type == ExprType::kDate;
                    const bool date2 = call.args[2]->type == ExprType::kDate;
                    return KernelFn([unit, date1, date2](KernelCall& c) {
                      int64_t* out = outIntegers(c);
                      const int64_t step = unitMillis(unit);
                      for (size_t i = 0; i < c.rows; ++i) {
                        if (c.skip(i)) {
                          out[i] = 0;
                          continue;
                        }
                        const int64_t a = timeMillis(c.arg(1), i, date1);
                        const int64_t b = timeMillis(c.arg(2), i, date2);
                        const int64_t r =
                            step != 0 ? (b - a) / step : monthsBetween(a, b) / unitMonths(unit);
                        out[i] = static_cast<int32_t>(r);
                      }
                    });
                  }});
    r.add("TIMESTAMPDIFF", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(unit, TIMESTAMP|DATE, TIMESTAMP|DATE)";
      if (args.size() != 3) return signatureError("TIMESTAMPDIFF", expected, args);
      auto unit = unitArgument("TIMESTAMPDIFF", args[0]);
      if (!unit.isOk()) return unit.status();
      GLINT_RETURN_IF_ERROR(expectTimePoint("TIMESTAMPDIFF", args, 1, expected));
      GLINT_RETURN_IF_ERROR(expectTimePoint("TIMESTAMPDIFF", args, 2, expected));
      return makeCallNode(def, ExprType::kInt, std::move(args));
    });
  }

  // The clock: read once per batch from the evaluation context (never folded).
  struct Clock {
    const char* name;
    ExprType type;
  };
  for (const Clock& clock :
       {Clock{"CURRENT_TIMESTAMP", ExprType::kTimestampLtz}, Clock{"NOW", ExprType::kTimestampLtz},
        Clock{"CURRENT_ROW_TIMESTAMP", ExprType::kTimestampLtz},
        // A processing-time attribute: the planner recognises the call (time_attributes.h).
        Clock{"PROCTIME", ExprType::kTimestampLtz},
        Clock{"LOCALTIMESTAMP", ExprType::kTimestamp}, Clock{"CURRENT_DATE", ExprType::kDate},
        Clock{"CURRENT_UNIX_TIMESTAMP", ExprType::kBigint}}) {
    const ExprType type = clock.type;
    const std::string name = clock.name;
    const std::string display = name == "CURRENT_UNIX_TIMESTAMP" ? "UNIX_TIMESTAMP" : name;
    const FunctionDef* def = r.define({display, Syntax::kFunction, SpecialForm::kNone, false, false,
                                       true, stateless([type](KernelCall& c) {
                                         int64_t v = c.state->nowMillis;
                                         if (type == ExprType::kDate)
                                           v = floorDivide(v, kMillisPerDay);
                                         if (type == ExprType::kBigint) v = floorDivide(v, 1000);
                                         int64_t* out = outIntegers(c);
                                         for (size_t i = 0; i < c.rows; ++i) out[i] = v;
                                       })});
    r.add(name, [def, name, type](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (!args.empty()) return signatureError(name, "()", args);
      return makeCallNode(def, type, {}, false);
    });
  }
}

}  // namespace glint::sql
