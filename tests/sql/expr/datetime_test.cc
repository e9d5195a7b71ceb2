// Date/time functions against known epoch values (computed independently with Python's
// datetime in UTC) and Flink's documented examples.
#include "tests/sql/expr/expr_test_support.h"

namespace glint::sql::testing {
namespace {

constexpr int64_t kLeapDay = 1582982055678;    // 2020-02-29 13:14:15.678 UTC
constexpr int64_t kDocExample = 780671655000;  // 1994-09-27 13:14:15.000 UTC

BoundExprPtr ts(int64_t millis) {
  return lit(Value::integerOf(ExprType::kTimestamp, millis));
}
BoundExprPtr date(const std::string& text) {
  return lit(Dt(text));
}
BoundExprPtr s(const std::string& v) {
  return lit(S(v));
}
Value tsValue(int64_t millis) {
  return Value::integerOf(ExprType::kTimestamp, millis);
}

TEST(DateTimeTest, ExtractFieldsFromKnownInstants) {
  auto extract = [](const char* unit, BoundExprPtr x) {
    return evalConst(call("EXTRACT", {s(unit), std::move(x)}));
  };
  EXPECT_EQ(extract("YEAR", ts(kLeapDay)), I(2020));
  EXPECT_EQ(extract("MONTH", ts(kLeapDay)), I(2));
  EXPECT_EQ(extract("DAY", ts(kLeapDay)), I(29));
  EXPECT_EQ(extract("HOUR", ts(kLeapDay)), I(13));
  EXPECT_EQ(extract("MINUTE", ts(kLeapDay)), I(14));
  EXPECT_EQ(extract("SECOND", ts(kLeapDay)), I(15));
  EXPECT_EQ(extract("MILLISECOND", ts(kLeapDay)), I(15678));
  EXPECT_EQ(extract("QUARTER", ts(kLeapDay)), I(1));
  EXPECT_EQ(extract("DOY", ts(kLeapDay)), I(60));
  EXPECT_EQ(extract("EPOCH", ts(kLeapDay)), I(1582982055));
  EXPECT_EQ(extract("HOUR", ts(-1)), I(23));  // 1969-12-31 23:59:59.999
  EXPECT_EQ(extract("YEAR", ts(-1)), I(1969));
  EXPECT_EQ(extract("DAY", date("2006-06-05")), I(5));
  // Flink's examples for the shortcuts, on DATE '1994-09-27' and TIMESTAMP '1994-09-27 13:14:15'.
  const BoundExprPtr d = date("1994-09-27");
  EXPECT_EQ(evalConst(call("YEAR", {d})), I(1994));
  EXPECT_EQ(evalConst(call("QUARTER", {d})), I(3));
  EXPECT_EQ(evalConst(call("MONTH", {d})), I(9));
  EXPECT_EQ(evalConst(call("WEEK", {d})), I(39));
  EXPECT_EQ(evalConst(call("DAYOFYEAR", {d})), I(270));
  EXPECT_EQ(evalConst(call("DAYOFMONTH", {d})), I(27));
  EXPECT_EQ(evalConst(call("DAYOFWEEK", {d})), I(3));
  EXPECT_EQ(evalConst(call("HOUR", {ts(kDocExample)})), I(13));
  EXPECT_EQ(evalConst(call("MINUTE", {ts(kDocExample)})), I(14));
  EXPECT_EQ(evalConst(call("SECOND", {ts(kDocExample)})), I(15));
  // ISO weeks at year boundaries.
  EXPECT_EQ(evalConst(call("WEEK", {date("2024-12-30")})), I(1));
  EXPECT_EQ(evalConst(call("WEEK", {date("2021-01-03")})), I(53));
  EXPECT_FALSE(makeCall("EXTRACT", {s("FORTNIGHT"), ts(0)}).isOk());
  EXPECT_FALSE(makeCall("YEAR", {lit(S("2020"))}).isOk());
}

TEST(DateTimeTest, DateFormatUsesJavaPatterns) {
  auto fmt = [](BoundExprPtr x, const std::string& p) {
    return evalConst(call("DATE_FORMAT", {std::move(x), s(p)}));
  };
  EXPECT_EQ(fmt(ts(kLeapDay), "yyyy-MM-dd HH:mm"), S("2020-02-29 13:14"));
  EXPECT_EQ(fmt(ts(kLeapDay), "yyyy-MM-dd HH:mm:ss.SSS"), S("2020-02-29 13:14:15.678"));
  EXPECT_EQ(fmt(ts(kLeapDay), "yyMMdd"), S("200229"));
  EXPECT_EQ(fmt(ts(kLeapDay), "EEE, d MMM yyyy h:mm a"), S("Sat, 29 Feb 2020 1:14 PM"));
  EXPECT_EQ(fmt(ts(kLeapDay), "EEEE MMMM"), S("Saturday February"));
  EXPECT_EQ(fmt(ts(kLeapDay), "'day' D 'of' yyyy, h 'o''clock' ''"),
            S("day 60 of 2020, 1 o'clock '"));
  EXPECT_EQ(fmt(date("1994-09-27"), "dd/MM/yyyy"), S("27/09/1994"));
  EXPECT_EQ(fmt(s("2020-02-29 13:14:15"), "HH'h'"), S("13h"));
  EXPECT_TRUE(fmt(s("not a time"), "HH").isNull);
  auto bad = makeCall("DATE_FORMAT", {ts(0), s("yyyy-qq")});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("unknown pattern letter 'q'"), std::string::npos);
}

TEST(DateTimeTest, ParsingFunctions) {
  EXPECT_EQ(evalConst(call("TO_TIMESTAMP", {s("2020-02-29 13:14:15")})), tsValue(kLeapDay - 678));
  EXPECT_EQ(evalConst(call("TO_TIMESTAMP", {s("2020-02-29 13:14:15.678")})), tsValue(kLeapDay));
  EXPECT_EQ(
      evalConst(call("TO_TIMESTAMP", {s("29/02/2020 13:14:15.678"), s("dd/MM/yyyy HH:mm:ss.SSS")})),
      tsValue(kLeapDay));
  EXPECT_EQ(evalConst(call("TO_TIMESTAMP", {s("20200229131415"), s("yyyyMMddHHmmss")})),
            tsValue(kLeapDay - 678));
  EXPECT_EQ(
      evalConst(call("TO_TIMESTAMP", {s("Feb 29 2020 01:14:15 PM"), s("MMM d yyyy hh:mm:ss a")})),
      tsValue(kLeapDay - 678));
  EXPECT_TRUE(evalConst(call("TO_TIMESTAMP", {s("2020-02-30 00:00:00")})).isNull);
  EXPECT_TRUE(evalConst(call("TO_TIMESTAMP", {s("garbage")})).isNull);
  EXPECT_TRUE(
      evalConst(call("TO_TIMESTAMP", {s("2020-02-29 13:14:15 trailing"), s("yyyy-MM-dd HH:mm:ss")}))
          .isNull);
  EXPECT_EQ(evalConst(call("TO_DATE", {s("2020-02-29")})), Dt("2020-02-29"));
  EXPECT_EQ(evalConst(call("TO_DATE", {s("29.02.2020"), s("dd.MM.yyyy")})), Dt("2020-02-29"));
  EXPECT_EQ(evalConst(call("UNIX_TIMESTAMP", {s("2020-02-29 13:14:15")})), I(1582982055));
  // With an offset in the text, the text's offset wins (Flink's documented example).
  EXPECT_EQ(evalConst(call("UNIX_TIMESTAMP",
                           {s("1970-01-01 08:00:01.001 +0800"), s("yyyy-MM-dd HH:mm:ss.SSS X")})),
            I(1));
  EXPECT_EQ(evalConst(call("UNIX_TIMESTAMP", {s("nope"), s("yyyy")})), I(INT64_MIN));
  EXPECT_EQ(evalConst(call("FROM_UNIXTIME", {lit(I(44))})), S("1970-01-01 00:00:44"));
  EXPECT_EQ(evalConst(call("FROM_UNIXTIME", {lit(I(1582982055)), s("yyyy/MM/dd")})),
            S("2020/02/29"));
  EXPECT_EQ(evalConst(call("TO_TIMESTAMP_LTZ", {lit(I(1582982055)), lit(I32(0))})),
            Value::integerOf(ExprType::kTimestampLtz, kLeapDay - 678));
  EXPECT_EQ(evalConst(call("TO_TIMESTAMP_LTZ", {lit(I(kLeapDay)), lit(I32(3))})),
            Value::integerOf(ExprType::kTimestampLtz, kLeapDay));
  EXPECT_FALSE(makeCall("TO_TIMESTAMP_LTZ", {lit(I(1)), lit(I32(6))}).isOk());
}

TEST(DateTimeTest, TimestampArithmeticAndIntervals) {
  // ts + INTERVAL '1' HOUR, ts - INTERVAL '5' SECOND (watermark expressions).
  EXPECT_EQ(evalConst(call("+", {ts(kLeapDay), makeIntervalDayTime(3600000)})),
            tsValue(kLeapDay + 3600000));
  EXPECT_EQ(evalConst(call("-", {ts(kLeapDay), makeIntervalDayTime(5000)})),
            tsValue(kLeapDay - 5000));
  EXPECT_EQ(evalConst(call("+", {makeIntervalDayTime(1000), ts(0)})), tsValue(1000));
  // Months clamp to the end of the month: 2020-01-31 + 1 month = 2020-02-29.
  int64_t jan31 = 0;
  ASSERT_TRUE(parseTimestamp("2020-01-31 10:00:00", &jan31));
  int64_t feb29 = 0;
  ASSERT_TRUE(parseTimestamp("2020-02-29 10:00:00", &feb29));
  EXPECT_EQ(evalConst(call("+", {ts(jan31), makeIntervalYearMonth(1)})), tsValue(feb29));
  EXPECT_EQ(evalConst(call("-", {date("2020-03-31"), makeIntervalYearMonth(1)})), Dt("2020-02-29"));
  EXPECT_EQ(evalConst(call("+", {date("2020-02-28"), makeIntervalDayTime(86400000)})),
            Dt("2020-02-29"));
  EXPECT_EQ(evalConst(call("+", {makeIntervalDayTime(1), makeIntervalDayTime(2)})),
            Value::integerOf(ExprType::kIntervalDayTime, 3));
  EXPECT_FALSE(makeCall("+", {ts(0), lit(I(1))}).isOk());
  EXPECT_FALSE(makeCall("-", {makeIntervalDayTime(1), ts(0)}).isOk());
  // TIMESTAMPADD / TIMESTAMPDIFF.
  EXPECT_EQ(evalConst(call("TIMESTAMPADD", {s("HOUR"), lit(I32(2)), ts(kLeapDay)})),
            tsValue(kLeapDay + 7200000));
  EXPECT_EQ(evalConst(call("TIMESTAMPADD", {s("YEAR"), lit(I32(1)), ts(kLeapDay)})),
            tsValue(kLeapDay + 365LL * 86400000 - 0));  // 2021-02-28 13:14:15.678
  EXPECT_EQ(evalConst(call("TIMESTAMPADD", {s("DAY"), lit(I32(1)), date("2020-02-28")})),
            Dt("2020-02-29"));
  EXPECT_EQ(evalConst(call("TIMESTAMPDIFF", {s("DAY"), date("2020-01-01"), date("2020-03-01")})),
            I32(60));
  EXPECT_EQ(evalConst(call("TIMESTAMPDIFF", {s("SECOND"), ts(1999), ts(0)})), I32(-1));
  EXPECT_EQ(evalConst(call("TIMESTAMPDIFF", {s("MONTH"), date("2020-01-31"), date("2020-02-29")})),
            I32(0));
  EXPECT_EQ(evalConst(call("TIMESTAMPDIFF", {s("MONTH"), date("2020-01-15"), date("2020-03-15")})),
            I32(2));
  EXPECT_EQ(evalConst(call("TIMESTAMPDIFF", {s("YEAR"), date("2019-03-01"), date("2020-02-29")})),
            I32(0));
  EXPECT_EQ(evalConst(call("TIMESTAMPDIFF", {s("MONTH"), date("2020-03-15"), date("2020-01-16")})),
            I32(-1));
  auto badUnit = makeCall("TIMESTAMPADD", {s("FORTNIGHT"), lit(I32(1)), ts(0)});
  ASSERT_FALSE(badUnit.isOk());
  EXPECT_NE(badUnit.status().message().find("unknown time unit FORTNIGHT"), std::string::npos);
}

TEST(DateTimeTest, FloorAndCeilToUnits) {
  auto at = [](const char* text) {
    int64_t m = 0;
    EXPECT_TRUE(parseTimestamp(text, &m)) << text;
    return m;
  };
  const int64_t t = at("2020-02-29 13:14:15.678");  // a Saturday
  EXPECT_EQ(evalConst(call("FLOOR", {ts(t), s("MINUTE")})), tsValue(at("2020-02-29 13:14:00")));
  EXPECT_EQ(evalConst(call("CEIL", {ts(t), s("MINUTE")})), tsValue(at("2020-02-29 13:15:00")));
  EXPECT_EQ(evalConst(call("FLOOR", {ts(t), s("HOUR")})), tsValue(at("2020-02-29 13:00:00")));
  EXPECT_EQ(evalConst(call("FLOOR", {ts(t), s("DAY")})), tsValue(at("2020-02-29 00:00:00")));
  EXPECT_EQ(evalConst(call("CEIL", {ts(t), s("DAY")})), tsValue(at("2020-03-01 00:00:00")));
  EXPECT_EQ(evalConst(call("FLOOR", {ts(t), s("WEEK")})), tsValue(at("2020-02-23 00:00:00")));
  EXPECT_EQ(evalConst(call("FLOOR", {ts(t), s("MONTH")})), tsValue(at("2020-02-01 00:00:00")));
  EXPECT_EQ(evalConst(call("CEIL", {ts(t), s("MONTH")})), tsValue(at("2020-03-01 00:00:00")));
  EXPECT_EQ(evalConst(call("FLOOR", {ts(t), s("QUARTER")})), tsValue(at("2020-01-01 00:00:00")));
  EXPECT_EQ(evalConst(call("CEIL", {ts(t), s("YEAR")})), tsValue(at("2021-01-01 00:00:00")));
  EXPECT_EQ(evalConst(call("CEIL", {ts(at("2020-01-01 00:00:00")), s("YEAR")})),
            tsValue(at("2020-01-01 00:00:00")));
  EXPECT_EQ(evalConst(call("FLOOR", {ts(-1), s("SECOND")})), tsValue(-1000));
  EXPECT_EQ(evalConst(call("FLOOR", {date("2020-02-29"), s("MONTH")})), Dt("2020-02-01"));
  // Over a column (the vectorised floor) against a scalar reference.
  std::vector<std::vector<Value>> rows;
  std::mt19937_64 g(9);
  for (int i = 0; i < 300; ++i)
    rows.push_back({tsValue(static_cast<int64_t>(g() % 4000000000000ULL) - 1000000000000LL)});
  const Table table({{"t", TypeId::kTimestamp}}, rows);
  const auto floors = table.eval(call("FLOOR", {table.col("t"), s("HOUR")}));
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t v = rows[i][0].integer;
    int64_t q = v / 3600000;
    if (v % 3600000 != 0 && v < 0) --q;
    EXPECT_EQ(floors[i].integer, q * 3600000);
  }
}

TEST(DateTimeTest, ClockFunctionsReadTheContextClockOncePerBatch) {
  const Table t({{"x", TypeId::kBigint}}, {{I(1)}, {I(2)}});
  EvalOptions options;
  int reads = 0;
  options.clock = [&reads] {
    ++reads;
    return kLeapDay;
  };
  EXPECT_EQ(t.eval(call("CURRENT_TIMESTAMP", {}), options),
            (std::vector<Value>(2, Value::integerOf(ExprType::kTimestampLtz, kLeapDay))));
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(t.eval(call("LOCALTIMESTAMP", {}), options),
            (std::vector<Value>(2, tsValue(kLeapDay))));
  EXPECT_EQ(t.eval(call("CURRENT_DATE", {}), options), (std::vector<Value>(2, Dt("2020-02-29"))));
  EXPECT_EQ(t.eval(call("UNIX_TIMESTAMP", {}), options), (std::vector<Value>(2, I(1582982055))));
  EXPECT_EQ(t.eval(call("HOUR", {call("NOW", {})}), options), (std::vector<Value>(2, I(13))));
  // Never folded: the value belongs to the batch being evaluated.
  auto now = call("CURRENT_TIMESTAMP", {});
  EXPECT_FALSE(foldConstants(now)->isLiteral());
}

}  // namespace
}  // namespace glint::sql::testing
