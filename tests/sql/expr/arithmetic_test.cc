// Arithmetic and math functions against a per-row reference written with std::optional, over
// batches with and without NULLs, with constant operands and under selection vectors.
#include <cmath>
#include <functional>
#include <set>

#include "tests/sql/expr/expr_test_support.h"

namespace glint::sql::testing {
namespace {

using Opt = std::optional<int64_t>;
using OptD = std::optional<double>;

// Random BIGINT/INT/DOUBLE columns; `nullRate` of the cells NULL.
Table randomTable(size_t rows, double nullRate, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_int_distribution<int64_t> small(-1000, 1000);
  std::uniform_real_distribution<double> real(-500, 500);
  std::bernoulli_distribution isNull(nullRate);
  std::vector<std::vector<Value>> data;
  for (size_t i = 0; i < rows; ++i) {
    std::vector<Value> row;
    row.push_back(isNull(g) ? N(ExprType::kBigint) : I(small(g)));
    row.push_back(isNull(g) ? N(ExprType::kBigint) : I(small(g) % 50));  // may be 0
    row.push_back(isNull(g) ? N(ExprType::kInt) : I32(static_cast<int32_t>(small(g) * 3000000)));
    row.push_back(isNull(g) ? N(ExprType::kDouble) : D(real(g)));
    data.push_back(std::move(row));
  }
  return Table(
      {{"a", TypeId::kBigint}, {"b", TypeId::kBigint}, {"i", TypeId::kInt}, {"d", TypeId::kDouble}},
      data);
}

Opt intAt(const Table& t, const std::string& name, size_t row) {
  const Column& c = t.batch().column(static_cast<size_t>(t.schema().indexOf(name)));
  return c.isNull(row) ? Opt() : Opt(c.getInt(row));
}
OptD realAt(const Table& t, const std::string& name, size_t row) {
  const Column& c = t.batch().column(static_cast<size_t>(t.schema().indexOf(name)));
  return c.isNull(row) ? OptD() : OptD(c.getDouble(row));
}

void expectIntegers(const Table& t, const BoundExprPtr& e, const std::function<Opt(size_t)>& ref) {
  auto values = t.eval(e);
  for (size_t r = 0; r < values.size(); ++r) {
    const Opt want = ref(r);
    ASSERT_EQ(values[r].isNull, !want.has_value()) << e->toString() << " row " << r;
    if (want) {
      ASSERT_EQ(values[r].integer, *want) << e->toString() << " row " << r;
    }
  }
  // The same under a selection (every third row, in order): the second path must agree.
  std::vector<uint32_t> rows;
  for (uint32_t r = 1; r < t.batch().numRows(); r += 3) rows.push_back(r);
  auto compiled = unwrap(CompiledExpr::compile(e, t.schema()));
  Column c = compiled.evaluate(t.batch(), rows);
  ASSERT_EQ(c.size(), rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    const Opt want = ref(rows[k]);
    ASSERT_EQ(c.isNull(k), !want.has_value()) << e->toString() << " selected row " << rows[k];
    if (want) {
      ASSERT_EQ(c.getInt(k), *want);
    }
  }
}

void expectReals(const Table& t, const BoundExprPtr& e, const std::function<OptD(size_t)>& ref) {
  auto values = t.eval(e);
  for (size_t r = 0; r < values.size(); ++r) {
    const OptD want = ref(r);
    ASSERT_EQ(values[r].isNull, !want.has_value()) << e->toString() << " row " << r;
    if (want) {
      ASSERT_DOUBLE_EQ(values[r].real, *want) << e->toString() << " row " << r;
    }
  }
}

class ArithmeticTest : public ::testing::TestWithParam<double> {};

TEST_P(ArithmeticTest, BigintOperatorsMatchReference) {
  const Table t = randomTable(700, GetParam(), 7);
  auto a = t.col("a"), b = t.col("b");
  auto both = [&](size_t r, auto f) -> Opt {
    Opt x = intAt(t, "a", r), y = intAt(t, "b", r);
    if (!x || !y) return {};
    return f(*x, *y);
  };
  expectIntegers(t, call("+", {a, b}),
                 [&](size_t r) { return both(r, [](int64_t x, int64_t y) { return x + y; }); });
  expectIntegers(t, call("-", {a, b}),
                 [&](size_t r) { return both(r, [](int64_t x, int64_t y) { return x - y; }); });
  expectIntegers(t, call("*", {a, b}),
                 [&](size_t r) { return both(r, [](int64_t x, int64_t y) { return x * y; }); });
  expectIntegers(t, call("-", {a}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt(-*x) : Opt();
  });
  // Constant operands on either side.
  expectIntegers(t, call("*", {lit(I(3)), a}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt(3 * *x) : Opt();
  });
  expectIntegers(t, call("-", {a, lit(I(10))}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt(*x - 10) : Opt();
  });
  // Division and remainder by a non-zero constant: Java semantics (truncation, sign of the
  // dividend).
  expectIntegers(t, call("/", {a, lit(I(7))}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt(*x / 7) : Opt();
  });
  expectIntegers(t, call("%", {a, lit(I(-7))}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt(*x % -7) : Opt();
  });
  expectIntegers(t, call("ABS", {a}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt(std::abs(*x)) : Opt();
  });
  expectIntegers(t, call("SIGN", {a}), [&](size_t r) -> Opt {
    auto x = intAt(t, "a", r);
    return x ? Opt((*x > 0) - (*x < 0)) : Opt();
  });
}

TEST_P(ArithmeticTest, MixedTypesWidenToDouble) {
  const Table t = randomTable(500, GetParam(), 11);
  auto e = call("*", {t.col("a"), t.col("d")});
  EXPECT_EQ(e->type, ExprType::kDouble);
  expectReals(t, e, [&](size_t r) -> OptD {
    auto x = intAt(t, "a", r);
    auto y = realAt(t, "d", r);
    if (!x || !y) return {};
    return static_cast<double>(*x) * *y;
  });
  expectReals(t, call("/", {t.col("d"), lit(I(4))}), [&](size_t r) -> OptD {
    auto y = realAt(t, "d", r);
    return y ? OptD(*y / 4.0) : OptD();
  });
}

TEST_P(ArithmeticTest, IntArithmeticWrapsAt32Bits) {
  const Table t = randomTable(500, GetParam(), 13);
  auto e = call("*", {t.col("i"), lit(I32(3))});
  EXPECT_EQ(e->type, ExprType::kInt);
  expectIntegers(t, e, [&](size_t r) -> Opt {
    auto x = intAt(t, "i", r);
    if (!x) return {};
    return static_cast<int32_t>(static_cast<uint32_t>(*x) * 3u);
  });
  // INT with BIGINT is BIGINT: no wrap.
  auto wide = call("*", {t.col("i"), lit(I(3))});
  EXPECT_EQ(wide->type, ExprType::kBigint);
  expectIntegers(t, wide, [&](size_t r) -> Opt {
    auto x = intAt(t, "i", r);
    return x ? Opt(*x * 3) : Opt();
  });
}

INSTANTIATE_TEST_SUITE_P(NullRates, ArithmeticTest, ::testing::Values(0.0, 0.2));

TEST(ArithmeticSemanticsTest, IntegerDivisionTruncatesLikeFlink) {
  EXPECT_EQ(evalConst(call("/", {lit(I32(7)), lit(I32(2))})), I32(3));
  EXPECT_EQ(evalConst(call("/", {lit(I32(-7)), lit(I32(2))})), I32(-3));
  EXPECT_EQ(evalConst(call("/", {lit(I(7)), lit(D(2))})), D(3.5));
  EXPECT_EQ(evalConst(call("%", {lit(I(-7)), lit(I(3))})), I(-1));
  EXPECT_EQ(evalConst(call("MOD", {lit(I(7)), lit(I(-3))})), I(1));
  EXPECT_EQ(evalConst(call("/", {lit(I(INT64_MIN)), lit(I(-1))})), I(INT64_MIN));
  EXPECT_EQ(evalConst(call("/", {lit(I32(INT32_MIN)), lit(I32(-1))})), I32(INT32_MIN));
}

// Division by a constant takes a multiply-and-shift path: it must agree with the hardware
// division for every dividend, divisors of both signs and magnitudes included.
TEST(ArithmeticSemanticsTest, DivisionByConstantsAgreesWithHardwareDivision) {
  std::mt19937_64 g(17);
  std::vector<std::vector<Value>> rows;
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                    int64_t{6}, int64_t{7}, int64_t{-7}, int64_t{-8}})
    rows.push_back({I(v)});
  for (int i = 0; i < 2000; ++i) {
    const int64_t v = static_cast<int64_t>(g());
    rows.push_back({I(i % 2 ? v : v >> (g() % 60))});
  }
  const Table t({{"n", TypeId::kBigint}}, rows);
  std::vector<int64_t> divisors = {2,
                                   3,
                                   5,
                                   7,
                                   10,
                                   60,
                                   1000,
                                   86400000,
                                   -2,
                                   -3,
                                   -7,
                                   -1000,
                                   int64_t{1} << 40,
                                   (int64_t{1} << 62) - 1,
                                   int64_t{1} << 62,
                                   -(int64_t{1} << 62),
                                   1,
                                   -1,
                                   INT64_MAX,
                                   INT64_MIN};
  for (int i = 0; i < 30; ++i) divisors.push_back(static_cast<int64_t>(g()) >> (g() % 62));
  for (int64_t d : divisors) {
    if (d == 0) continue;
    const auto q = t.eval(call("/", {t.col("n"), lit(I(d))}));
    const auto r = t.eval(call("%", {t.col("n"), lit(I(d))}));
    for (size_t i = 0; i < rows.size(); ++i) {
      const int64_t n = rows[i][0].integer;
      const int64_t wantQ = d == -1 ? static_cast<int64_t>(0 - static_cast<uint64_t>(n)) : n / d;
      const int64_t wantR = d == -1 ? 0 : n % d;
      ASSERT_EQ(q[i], I(wantQ)) << n << " / " << d;
      ASSERT_EQ(r[i], I(wantR)) << n << " % " << d;
    }
  }
}

TEST(ArithmeticSemanticsTest, DivisionByZeroFailsForIntegersNotForDoubles) {
  const Table t({{"x", TypeId::kBigint}}, {{I(4)}, {I(0)}, {N(ExprType::kBigint)}});
  try {
    t.eval(call("/", {lit(I(10)), t.col("x")}));
    FAIL() << "expected an error";
  } catch (const GlintError& e) {
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/"), std::string::npos) << e.what();
  }
  EXPECT_THROW(t.eval(call("%", {lit(I(10)), t.col("x")})), GlintError);
  // A NULL divisor is NULL, not an error.
  const Table onlyNull({{"x", TypeId::kBigint}}, {{N(ExprType::kBigint)}});
  EXPECT_TRUE(onlyNull.one(call("/", {lit(I(10)), onlyNull.col("x")})).isNull);
  EXPECT_TRUE(std::isinf(evalConst(call("/", {lit(D(1)), lit(D(0))})).real));
  EXPECT_TRUE(std::isnan(evalConst(call("/", {lit(D(0)), lit(D(0))})).real));
}

TEST(ArithmeticSemanticsTest, RoundAndTruncateUseDecimalDigits) {
  EXPECT_EQ(evalConst(call("ROUND", {lit(D(2.675)), lit(I32(2))})), D(2.68));
  EXPECT_EQ(evalConst(call("ROUND", {lit(D(-2.5))})), D(-3.0));
  EXPECT_EQ(evalConst(call("ROUND", {lit(D(2.4))})), D(2.0));
  EXPECT_EQ(evalConst(call("ROUND", {lit(D(1234.5678)), lit(I32(-2))})), D(1200.0));
  EXPECT_EQ(evalConst(call("ROUND", {lit(D(9.99)), lit(I32(1))})), D(10.0));
  EXPECT_EQ(evalConst(call("ROUND", {lit(I(1250)), lit(I32(-2))})), I(1300));
  EXPECT_EQ(evalConst(call("ROUND", {lit(I(-1250)), lit(I32(-2))})), I(-1300));
  EXPECT_EQ(evalConst(call("ROUND", {lit(I(17)), lit(I32(1))})), I(17));
  EXPECT_EQ(evalConst(call("TRUNCATE", {lit(D(42.324)), lit(I32(2))})), D(42.32));
  EXPECT_EQ(evalConst(call("TRUNCATE", {lit(D(-42.329)), lit(I32(2))})), D(-42.32));
  EXPECT_EQ(evalConst(call("TRUNCATE", {lit(D(42.324))})), D(42.0));
  EXPECT_EQ(evalConst(call("TRUNCATE", {lit(I(1259)), lit(I32(-1))})), I(1250));
}

TEST(ArithmeticSemanticsTest, MathFunctions) {
  EXPECT_EQ(evalConst(call("FLOOR", {lit(D(-1.5))})), D(-2.0));
  EXPECT_EQ(evalConst(call("CEIL", {lit(D(-1.5))})), D(-1.0));
  EXPECT_EQ(evalConst(call("CEILING", {lit(D(1.2))})), D(2.0));
  EXPECT_EQ(evalConst(call("FLOOR", {lit(I(5))})), I(5));
  EXPECT_EQ(evalConst(call("POWER", {lit(I(2)), lit(I(10))})), D(1024.0));
  EXPECT_EQ(evalConst(call("SQRT", {lit(I(16))})), D(4.0));
  EXPECT_DOUBLE_EQ(evalConst(call("LN", {call("E", {})})).real, 1.0);
  EXPECT_DOUBLE_EQ(evalConst(call("LOG10", {lit(I(1000))})).real, 3.0);
  EXPECT_DOUBLE_EQ(evalConst(call("LOG2", {lit(I(8))})).real, 3.0);
  EXPECT_DOUBLE_EQ(evalConst(call("LOG", {lit(I(2)), lit(I(8))})).real, 3.0);
  EXPECT_DOUBLE_EQ(evalConst(call("EXP", {lit(I(0))})).real, 1.0);
  EXPECT_DOUBLE_EQ(evalConst(call("DEGREES", {call("PI", {})})).real, 180.0);
  EXPECT_EQ(evalConst(call("ABS", {lit(D(-2.5))})), D(2.5));
  EXPECT_EQ(evalConst(call("SIGN", {lit(D(-2.5))})), D(-1.0));
  EXPECT_EQ(evalConst(call("GREATEST", {lit(I(1)), lit(D(2.5)), lit(I(2))})), D(2.5));
  EXPECT_EQ(evalConst(call("LEAST", {lit(S("b")), lit(S("a"))})), S("a"));
  EXPECT_TRUE(evalConst(call("GREATEST", {lit(I(1)), lit(N(ExprType::kBigint))})).isNull);
  EXPECT_TRUE(evalConst(call("SQRT", {lit(N(ExprType::kNull))})).isNull);
}

TEST(ArithmeticSemanticsTest, RandIsInRangeAndSeededSequencesRepeat) {
  std::vector<std::vector<Value>> rows(64, std::vector<Value>{I(0)});
  const Table t({{"x", TypeId::kBigint}}, rows);
  auto values = t.eval(call("RAND", {}));
  std::set<double> distinct;
  for (const auto& v : values) {
    EXPECT_GE(v.real, 0.0);
    EXPECT_LT(v.real, 1.0);
    distinct.insert(v.real);
  }
  EXPECT_GT(distinct.size(), 60u);  // a value per row, not one per batch
  EXPECT_EQ(t.eval(call("RAND", {lit(I32(42))})), t.eval(call("RAND", {lit(I32(42))})));
  for (const auto& v : t.eval(call("RAND_INTEGER", {lit(I32(10))}))) {
    EXPECT_GE(v.integer, 0);
    EXPECT_LT(v.integer, 10);
  }
}

TEST(ArithmeticSemanticsTest, TypeErrorsNameTheFunctionAndTypes) {
  auto r = makeCall("+", {lit(S("a")), lit(I(1))});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "function + expects (numeric, numeric), got (VARCHAR, BIGINT)");
  auto m = makeCall("%", {lit(D(1.5)), lit(I(1))});
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.status().message().find("INT|BIGINT"), std::string::npos);
  auto unknown = makeCall("SQRTT", {lit(I(1))});
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().message(), "unknown function SQRTT; did you mean SQRT?");
}

}  // namespace
}  // namespace glint::sql::testing
