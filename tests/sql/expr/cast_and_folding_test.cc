// CAST / TRY_CAST (round trips, Flink's text forms, failures that name the value), constant
// folding, and the IR's printing, comparison and rewriting.
#include <cmath>

#include "tests/sql/expr/expr_test_support.h"

namespace glint::sql::testing {
namespace {

Value cast(Value v, ExprType to, bool tryCast = false) {
  return evalConst(unwrap(makeCast(lit(std::move(v)), to, tryCast)));
}

TEST(CastTest, NumbersToTextAndBack) {
  EXPECT_EQ(cast(I(42), ExprType::kVarchar), S("42"));
  EXPECT_EQ(cast(I(-7), ExprType::kVarchar), S("-7"));
  // DOUBLE prints as Java's Double.toString.
  EXPECT_EQ(cast(D(1.0), ExprType::kVarchar), S("1.0"));
  EXPECT_EQ(cast(D(0.1), ExprType::kVarchar), S("0.1"));
  EXPECT_EQ(cast(D(123.456), ExprType::kVarchar), S("123.456"));
  EXPECT_EQ(cast(D(1e7), ExprType::kVarchar), S("1.0E7"));
  EXPECT_EQ(cast(D(12345678.9), ExprType::kVarchar), S("1.23456789E7"));
  EXPECT_EQ(cast(D(0.001), ExprType::kVarchar), S("0.001"));
  EXPECT_EQ(cast(D(0.0001), ExprType::kVarchar), S("1.0E-4"));
  EXPECT_EQ(cast(D(-0.0), ExprType::kVarchar), S("-0.0"));
  EXPECT_EQ(cast(D(NAN), ExprType::kVarchar), S("NaN"));
  EXPECT_EQ(cast(D(-INFINITY), ExprType::kVarchar), S("-Infinity"));
  EXPECT_EQ(cast(B(true), ExprType::kVarchar), S("TRUE"));
  EXPECT_EQ(cast(S(" 42 "), ExprType::kInt), I32(42));
  EXPECT_EQ(cast(S("-9000000000"), ExprType::kBigint), I(-9000000000));
  EXPECT_EQ(cast(S("+5"), ExprType::kBigint), I(5));
  EXPECT_EQ(cast(S("1.5e3"), ExprType::kDouble), D(1500));
  EXPECT_EQ(cast(S("yes"), ExprType::kBoolean), B(true));
  EXPECT_EQ(cast(S("FALSE"), ExprType::kBoolean), B(false));
  // Round trips through text for a spread of doubles.
  std::mt19937_64 g(1);
  for (int i = 0; i < 200; ++i) {
    const double d =
        std::ldexp(static_cast<double>(g() % 1000000) - 500000, static_cast<int>(g() % 80) - 40);
    const Value text = cast(D(d), ExprType::kVarchar);
    EXPECT_EQ(cast(text, ExprType::kDouble), D(d)) << text.text;
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, INT64_MAX, INT64_MIN, int64_t{123456789}})
    EXPECT_EQ(cast(cast(I(v), ExprType::kVarchar), ExprType::kBigint), I(v));
}

TEST(CastTest, NumericConversionsFollowJava) {
  EXPECT_EQ(cast(D(2.9), ExprType::kBigint), I(2));
  EXPECT_EQ(cast(D(-2.9), ExprType::kInt), I32(-2));
  EXPECT_EQ(cast(D(1e30), ExprType::kBigint), I(INT64_MAX));
  EXPECT_EQ(cast(D(-1e30), ExprType::kInt), I32(INT32_MIN));
  EXPECT_EQ(cast(D(NAN), ExprType::kBigint), I(0));
  EXPECT_EQ(cast(I(4294967297), ExprType::kInt), I32(1));  // wraps like (int)
  EXPECT_EQ(cast(I32(7), ExprType::kDouble), D(7));
  EXPECT_EQ(cast(B(true), ExprType::kInt), I32(1));
  EXPECT_EQ(cast(D(0.5), ExprType::kBoolean), B(true));
  EXPECT_EQ(cast(I(0), ExprType::kBoolean), B(false));
}

TEST(CastTest, DateAndTimestampConversions) {
  EXPECT_EQ(cast(S("2020-02-29 13:14:15.678"), ExprType::kTimestamp),
            Ts("2020-02-29 13:14:15.678"));
  EXPECT_EQ(cast(S("2020-02-29T13:14:15"), ExprType::kTimestamp), Ts("2020-02-29 13:14:15"));
  EXPECT_EQ(cast(S("2020-02-29"), ExprType::kTimestamp), Ts("2020-02-29 00:00:00"));
  EXPECT_EQ(cast(S("2020-02-29"), ExprType::kDate), Dt("2020-02-29"));
  EXPECT_EQ(cast(Ts("2020-02-29 13:14:15.678"), ExprType::kVarchar), S("2020-02-29 13:14:15.678"));
  EXPECT_EQ(cast(Dt("2020-02-29"), ExprType::kVarchar), S("2020-02-29"));
  EXPECT_EQ(cast(Ts("2020-02-29 13:14:15"), ExprType::kDate), Dt("2020-02-29"));
  EXPECT_EQ(cast(Ts("1969-12-31 23:00:00"), ExprType::kDate), Dt("1969-12-31"));
  EXPECT_EQ(cast(Dt("2020-02-29"), ExprType::kTimestamp), Ts("2020-02-29 00:00:00"));
  EXPECT_EQ(cast(Ts("2020-02-29 13:14:15"), ExprType::kTimestampLtz).integer,
            Ts("2020-02-29 13:14:15").integer);
  EXPECT_EQ(evalConst(unwrap(makeCast(makeIntervalDayTime(90061001), ExprType::kVarchar))),
            S("+1 01:01:01.001"));
  EXPECT_EQ(evalConst(unwrap(makeCast(makeIntervalYearMonth(-14), ExprType::kVarchar))),
            S("-1-02"));
}

TEST(CastTest, BadTextFailsCastAndNullsTryCast) {
  const Table t({{"s", TypeId::kVarchar}}, {{S("12")}, {S("abc")}, {N(ExprType::kVarchar)}});
  auto strict = unwrap(makeCast(t.col("s"), ExprType::kInt));
  try {
    t.eval(strict);
    FAIL() << "expected a cast error";
  } catch (const GlintError& e) {
    EXPECT_EQ(std::string(e.what()), "CAST: cannot cast 'abc' to INT");
  }
  auto lenient = unwrap(makeCast(t.col("s"), ExprType::kInt, /*tryCast=*/true));
  EXPECT_EQ(t.eval(lenient), (std::vector<Value>{I32(12), N(ExprType::kInt), N(ExprType::kInt)}));
  EXPECT_TRUE(cast(S("99999999999"), ExprType::kInt, true).isNull);  // out of INT range
  EXPECT_TRUE(cast(S("1x"), ExprType::kDouble, true).isNull);
  EXPECT_TRUE(cast(S("2020-13-01"), ExprType::kDate, true).isNull);
  EXPECT_TRUE(cast(S("maybe"), ExprType::kBoolean, true).isNull);
  EXPECT_THROW(cast(S("2020-02-30 00:00:00"), ExprType::kTimestamp), GlintError);
  // COALESCE(TRY_CAST('non-number' AS INT), 0) is 0 (Flink's example).
  EXPECT_EQ(
      evalConst(call("COALESCE",
                     {unwrap(makeCast(lit(S("non-number")), ExprType::kInt, true)), lit(I32(0))})),
      I32(0));
  // Unsupported conversions are rejected when the query is planned.
  auto r = makeCast(lit(I(1)), ExprType::kTimestamp);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("cannot cast BIGINT to TIMESTAMP(3)"), std::string::npos);
  EXPECT_NE(r.status().message().find("TO_TIMESTAMP_LTZ"), std::string::npos);
  EXPECT_FALSE(makeCast(lit(B(true)), ExprType::kDate).isOk());
}

TEST(ConstantFoldingTest, FoldsDeterministicConstantSubtrees) {
  const Table t({{"price", TypeId::kBigint}}, {{I(100)}});
  // price * (1 + 2) > UPPER('a') || 'b' is not well-typed; use a numeric one:
  auto e = call(">", {call("*", {t.col("price"), call("+", {lit(I(1)), lit(I(2))})}),
                      call("CHAR_LENGTH", {call("||", {lit(S("ab")), lit(S("cd"))})})});
  auto folded = foldConstants(e);
  EXPECT_EQ(folded->toString(), "(price * 3) > 4");
  EXPECT_EQ(t.eval(folded), t.eval(e));
  // Fully constant trees become one literal of the same type.
  auto constant = call("ROUND", {call("/", {lit(D(10)), lit(I(4))}), lit(I32(0))});
  auto lit1 = foldConstants(constant);
  ASSERT_TRUE(lit1->isLiteral());
  EXPECT_EQ(lit1->literal, D(3.0));
  auto c = foldConstants(
      unwrap(makeCase({{call("=", {lit(I(1)), lit(I(2))}), lit(S("x"))}}, lit(S("y")))));
  ASSERT_TRUE(c->isLiteral());
  EXPECT_EQ(c->literal, S("y"));
  auto n = foldConstants(call("+", {lit(I(1)), lit(N(ExprType::kNull))}));
  ASSERT_TRUE(n->isLiteral());
  EXPECT_EQ(n->literal, N(ExprType::kBigint));
  auto interval = foldConstants(call("+", {makeIntervalDayTime(1000), makeIntervalDayTime(500)}));
  ASSERT_TRUE(interval->isLiteral());
  EXPECT_EQ(interval->literal, Value::integerOf(ExprType::kIntervalDayTime, 1500));
  // Not folded: RAND, the clock, and constants whose evaluation fails.
  EXPECT_FALSE(foldConstants(call("RAND", {}))->isLiteral());
  EXPECT_FALSE(foldConstants(call("+", {call("RAND", {lit(I32(1))}), lit(I(1))}))->isLiteral());
  auto failing = call("/", {lit(I(1)), lit(I(0))});
  EXPECT_FALSE(foldConstants(failing)->isLiteral());
  EXPECT_FALSE(foldConstants(unwrap(makeCast(lit(S("x")), ExprType::kInt)))->isLiteral());
  // ... but a failing constant in a CASE branch no row reaches is fine.
  auto guarded = unwrap(makeCase({{lit(B(false)), failing}}, lit(I(7))));
  ASSERT_TRUE(foldConstants(guarded)->isLiteral());
  EXPECT_EQ(foldConstants(guarded)->literal, I(7));
  // Constant conditions prune CASE branches; constant left operands decide AND/OR.
  auto price = t.col("price");
  auto pruned = unwrap(makeCase({{lit(B(false)), lit(I(1))},
                                 {call(">", {price, lit(I(5))}), lit(I(2))},
                                 {lit(B(true)), price},
                                 {call("<", {price, lit(I(0))}), lit(I(4))}},
                                lit(I(5))));
  EXPECT_EQ(foldConstants(pruned)->toString(), "CASE WHEN price > 5 THEN 2 ELSE price END");
  EXPECT_EQ(t.eval(foldConstants(pruned)), t.eval(pruned));
  auto positive = call(">", {price, lit(I(1))});
  EXPECT_EQ(foldConstants(call("AND", {lit(B(true)), positive}))->toString(), "price > 1");
  EXPECT_EQ(foldConstants(call("OR", {positive, lit(B(false))}))->toString(), "price > 1");
  auto never = foldConstants(
      call("AND", {lit(B(false)), call(">", {call("/", {lit(I(1)), price}), lit(I(0))})}));
  ASSERT_TRUE(never->isLiteral());
  EXPECT_EQ(never->literal, B(false));
  EXPECT_EQ(foldConstants(call("AND", {lit(N(ExprType::kBoolean)), positive}))->toString(),
            "CAST(NULL AS BOOLEAN) AND (price > 1)");
}

TEST(BoundExprTest, PrintsComparesAndRemaps) {
  const Table t(
      {{"auction", TypeId::kBigint}, {"price", TypeId::kBigint}, {"name", TypeId::kVarchar}},
      {{I(7), I(200), S("x")}});
  auto e = call("AND", {call(">", {call("*", {t.col("price"), lit(D(0.908))}), lit(I(100))}),
                        call("=", {call("%", {t.col("auction"), lit(I(7))}), lit(I(0))})});
  EXPECT_EQ(e->toString(),
            "((CAST(price AS DOUBLE) * 9.08E-1) > CAST(100 AS DOUBLE)) AND ((auction % 7) = 0)");
  auto again = call("AND", {call(">", {call("*", {t.col("price"), lit(D(0.908))}), lit(I(100))}),
                            call("=", {call("%", {t.col("auction"), lit(I(7))}), lit(I(0))})});
  EXPECT_TRUE(e->equals(*again));
  auto other = call("AND", {call(">", {call("*", {t.col("price"), lit(D(0.908))}), lit(I(100))}),
                            call("=", {call("%", {t.col("auction"), lit(I(5))}), lit(I(0))})});
  EXPECT_FALSE(e->equals(*other));
  EXPECT_EQ(call("IS NULL", {t.col("name")})->toString(), "name IS NULL");
  EXPECT_EQ(call("SUBSTRING", {t.col("name"), lit(I32(1)), lit(I32(2))})->toString(),
            "SUBSTRING(name, 1, 2)");
  EXPECT_EQ(unwrap(makeIn(t.col("auction"), {lit(I(1)), lit(I(2))}))->toString(),
            "auction IN (1, 2)");
  EXPECT_EQ(call("-", {t.col("price")})->toString(), "-price");
  EXPECT_EQ(unwrap(makeCast(t.col("name"), ExprType::kBigint, true))->toString(),
            "TRY_CAST(name AS BIGINT)");
  EXPECT_EQ(referencedColumns(*e), (std::vector<int>{0, 1}));
  // After projecting (price, auction) the columns move: 1 -> 0, 0 -> 1.
  auto moved = unwrap(remapColumns(e, {1, 0, -1}));
  EXPECT_EQ(referencedColumns(*moved), (std::vector<int>{0, 1}));
  const Table projected({{"price", TypeId::kBigint}, {"auction", TypeId::kBigint}},
                        {{I(200), I(7)}});
  EXPECT_EQ(projected.eval(moved), t.eval(e));
  EXPECT_FALSE(remapColumns(call("UPPER", {t.col("name")}), {0, 1, -1}).isOk());
}

TEST(BoundExprTest, CompileChecksTheInputSchema) {
  auto wrongType = makeColumnRef(0, TypeId::kVarchar, true, "x");
  const Schema schema({{"x", TypeId::kBigint}});
  auto r = CompiledExpr::compile(wrongType, schema);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("expects column 0 to be VARCHAR"), std::string::npos);
  auto outOfRange = CompiledExpr::compile(makeColumnRef(3, TypeId::kBigint), schema);
  ASSERT_FALSE(outOfRange.isOk());
}

// (a BIGINT, s VARCHAR): +I (1, 'x') at time 10, -U (2, NULL) at time 20.
Batch twoRowsWithMetadata(const SchemaPtr& schema) {
  Batch in(schema);
  RowWriter w(in, true);
  w.setTimestamp(10);
  w.emit(1, "x");
  w.setTimestamp(20);
  w.setRowKind(RowKind::kUpdateBefore);
  w.emit(2, Null{});
  return in;
}

TEST(ProjectionProgramTest, ProjectsExpressionsAndKeepsRowMetadata) {
  auto schema = makeSchema({{"a", TypeId::kBigint}, {"s", TypeId::kVarchar}});
  Batch in = twoRowsWithMetadata(schema);
  auto a = makeColumnRef(0, TypeId::kBigint, true, "a");
  auto s = makeColumnRef(1, TypeId::kVarchar, true, "s");
  auto out = makeSchema({{"b", TypeId::kBigint}, {"t", TypeId::kVarchar}});
  auto program = unwrap(ProjectionProgram::compile(
      {call("*", {a, lit(I(10))}), call("COALESCE", {call("UPPER", {s}), lit(S("?"))})}, *schema,
      out));
  Batch result = program.project(in);
  EXPECT_EQ(result.toString(), "+I 10, X\n-U 20, ?\n");
  EXPECT_EQ(result.timestamps(), (std::vector<int64_t>{10, 20}));
  EXPECT_FALSE(
      ProjectionProgram::compile({a}, *schema, makeSchema({{"b", TypeId::kVarchar}})).isOk());
}

// project(Batch&&) moves plain column references out of the input: a column referenced twice
// is copied for the first reference and moved for the last, and expressions over a moved
// column still see its values.
TEST(ProjectionProgramTest, MovingProjectionEqualsCopyingProjection) {
  auto schema = makeSchema({{"a", TypeId::kBigint}, {"s", TypeId::kVarchar}});
  Batch in = twoRowsWithMetadata(schema);
  auto a = makeColumnRef(0, TypeId::kBigint, true, "a");
  auto s = makeColumnRef(1, TypeId::kVarchar, true, "s");
  auto out = makeSchema({{"s1", TypeId::kVarchar},
                         {"a1", TypeId::kBigint},
                         {"a2", TypeId::kBigint},
                         {"a3", TypeId::kBigint},
                         {"s2", TypeId::kVarchar}});
  auto program = unwrap(ProjectionProgram::compile(
      {s, a, call("*", {a, lit(I(10))}), a, call("UPPER", {s})}, *schema, out));
  const std::string expected = "+I x, 1, 10, 1, X\n-U NULL, 2, 20, 2, NULL\n";
  EXPECT_EQ(program.project(in).toString(), expected);
  Batch moved = program.project(Batch(in));
  EXPECT_EQ(moved.toString(), expected);
  EXPECT_EQ(moved.timestamps(), (std::vector<int64_t>{10, 20}));
}

}  // namespace
}  // namespace glint::sql::testing
