// Three-valued logic, comparisons, NULL tests, conditional forms, IN, BETWEEN and LIKE; the
// predicate path (selection vectors) is checked against the value path and a reference.
#include "tests/sql/expr/expr_test_support.h"

namespace glint::sql::testing {
namespace {

// TRUE, FALSE, UNKNOWN as an optional<bool>.
using Tri = std::optional<bool>;
const Tri kTrue = true, kFalse = false, kUnknown = std::nullopt;

Value triValue(Tri t) {
  return t ? B(*t) : N(ExprType::kBoolean);
}
Tri triOf(const Value& v) {
  return v.isNull ? kUnknown : Tri(v.integer != 0);
}

// All nine (p, q) pairs as rows.
Table truthTable() {
  std::vector<std::vector<Value>> rows;
  for (Tri p : {kTrue, kFalse, kUnknown})
    for (Tri q : {kTrue, kFalse, kUnknown}) rows.push_back({triValue(p), triValue(q)});
  return Table({{"p", TypeId::kBoolean}, {"q", TypeId::kBoolean}}, rows);
}

Tri refAnd(Tri p, Tri q) {
  if (p == kFalse || q == kFalse) return kFalse;
  if (!p || !q) return kUnknown;
  return kTrue;
}
Tri refOr(Tri p, Tri q) {
  if (p == kTrue || q == kTrue) return kTrue;
  if (!p || !q) return kUnknown;
  return kFalse;
}

TEST(LogicTest, AndOrNotTruthTables) {
  const Table t = truthTable();
  const auto andValues = t.eval(call("AND", {t.col("p"), t.col("q")}));
  const auto orValues = t.eval(call("OR", {t.col("p"), t.col("q")}));
  const auto notValues = t.eval(call("NOT", {t.col("p")}));
  size_t row = 0;
  for (Tri p : {kTrue, kFalse, kUnknown}) {
    for (Tri q : {kTrue, kFalse, kUnknown}) {
      EXPECT_EQ(triOf(andValues[row]), refAnd(p, q)) << "row " << row;
      EXPECT_EQ(triOf(orValues[row]), refOr(p, q)) << "row " << row;
      EXPECT_EQ(triOf(notValues[row]), p ? Tri(!*p) : kUnknown);
      ++row;
    }
  }
  // Literal operands fold the same way.
  EXPECT_EQ(evalConst(call("AND", {lit(N(ExprType::kNull)), lit(B(false))})), B(false));
  EXPECT_TRUE(evalConst(call("AND", {lit(N(ExprType::kNull)), lit(B(true))})).isNull);
  EXPECT_EQ(evalConst(call("OR", {lit(B(true)), lit(N(ExprType::kBoolean))})), B(true));
}

TEST(LogicTest, IsTests) {
  const Table t = truthTable();
  struct Case {
    const char* name;
    bool (*ref)(Tri);
  };
  const Case cases[] = {
      {"IS TRUE", [](Tri p) { return p == kTrue; }},
      {"IS NOT TRUE", [](Tri p) { return p != kTrue; }},
      {"IS FALSE", [](Tri p) { return p == kFalse; }},
      {"IS NOT FALSE", [](Tri p) { return p != kFalse; }},
      {"IS UNKNOWN", [](Tri p) { return !p.has_value(); }},
      {"IS NOT UNKNOWN", [](Tri p) { return p.has_value(); }},
      {"IS NULL", [](Tri p) { return !p.has_value(); }},
      {"IS NOT NULL", [](Tri p) { return p.has_value(); }},
  };
  for (const Case& c : cases) {
    auto e = call(c.name, {t.col("p")});
    EXPECT_FALSE(e->nullable) << c.name;
    auto values = t.eval(e);
    size_t row = 0;
    for (Tri p : {kTrue, kFalse, kUnknown})
      for (int q = 0; q < 3; ++q) {
        EXPECT_FALSE(values[row].isNull);
        EXPECT_EQ(values[row].integer != 0, c.ref(p)) << c.name << " row " << row;
        ++row;
      }
  }
}

TEST(LogicTest, ComparisonsAcrossTypes) {
  const Table t(
      {{"a", TypeId::kBigint}, {"d", TypeId::kDouble}, {"s", TypeId::kVarchar}},
      {{I(1), D(1.0), S("b")}, {I(2), D(1.5), S("a")}, {N(ExprType::kBigint), D(3), S("")}});
  EXPECT_EQ(t.eval(call("=", {t.col("a"), t.col("d")})),
            (std::vector<Value>{B(true), B(false), N(ExprType::kBoolean)}));
  EXPECT_EQ(t.eval(call("<", {t.col("d"), t.col("a")})),
            (std::vector<Value>{B(false), B(true), N(ExprType::kBoolean)}));
  EXPECT_EQ(t.eval(call(">=", {t.col("s"), lit(S("a"))})),
            (std::vector<Value>{B(true), B(true), B(false)}));
  EXPECT_EQ(t.eval(call("<>", {t.col("s"), lit(S("a"))})),
            (std::vector<Value>{B(true), B(false), B(true)}));
  EXPECT_EQ(t.eval(call("!=", {t.col("a"), lit(I32(2))})),
            (std::vector<Value>{B(true), B(false), N(ExprType::kBoolean)}));
  // Byte order is code point order for UTF-8: 'é' > 'z'.
  EXPECT_EQ(evalConst(call(">", {lit(S("\xc3\xa9")), lit(S("z"))})), B(true));
  // A string compared with a timestamp is read as a timestamp.
  EXPECT_EQ(evalConst(call("<", {lit(Ts("2020-01-01 00:00:00")), lit(S("2020-01-01 00:00:01"))})),
            B(true));
  EXPECT_EQ(evalConst(call("=", {lit(Dt("2020-01-02")), lit(Ts("2020-01-02 00:00:00"))})), B(true));
  auto bad = makeCall("=", {lit(S("1")), lit(I(1))});
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(),
            "function = expects two comparable values, got (VARCHAR, BIGINT)");
}

TEST(LogicTest, IsDistinctFromTreatsNullsAsEqual) {
  const Table t({{"a", TypeId::kBigint}, {"b", TypeId::kBigint}},
                {{I(1), I(1)},
                 {I(1), I(2)},
                 {I(1), N(ExprType::kBigint)},
                 {N(ExprType::kBigint), N(ExprType::kBigint)}});
  EXPECT_EQ(t.eval(call("IS DISTINCT FROM", {t.col("a"), t.col("b")})),
            (std::vector<Value>{B(false), B(true), B(true), B(false)}));
  EXPECT_EQ(t.eval(call("IS NOT DISTINCT FROM", {t.col("a"), t.col("b")})),
            (std::vector<Value>{B(true), B(false), B(false), B(true)}));
}

TEST(LogicTest, CaseEvaluatesOnlyTheBranchARowReaches) {
  const Table t({{"x", TypeId::kBigint}}, {{I(5)}, {I(0)}, {N(ExprType::kBigint)}, {I(-2)}});
  // CASE WHEN x = 0 THEN NULL ELSE 10 / x END: no division by zero on the x = 0 row.
  auto e = unwrap(makeCase({{call("=", {t.col("x"), lit(I(0))}), lit(N(ExprType::kNull))}},
                           call("/", {lit(I(10)), t.col("x")})));
  EXPECT_EQ(e->type, ExprType::kBigint);
  EXPECT_EQ(t.eval(e),
            (std::vector<Value>{I(2), N(ExprType::kBigint), N(ExprType::kBigint), I(-5)}));
  // Simple CASE, several branches, no ELSE.
  auto simple = unwrap(makeSimpleCase(
      t.col("x"), {{lit(I(5)), lit(S("five"))}, {lit(I(0)), lit(S("zero"))}}, nullptr));
  EXPECT_EQ(t.eval(simple), (std::vector<Value>{S("five"), S("zero"), N(ExprType::kVarchar),
                                                N(ExprType::kVarchar)}));
  // Branch result types widen: INT and DOUBLE give DOUBLE.
  auto widened = unwrap(makeCase({{call(">", {t.col("x"), lit(I(0))}), lit(I32(1))}}, lit(D(0.5))));
  EXPECT_EQ(widened->type, ExprType::kDouble);
  EXPECT_EQ(t.eval(widened), (std::vector<Value>{D(1), D(0.5), D(0.5), D(0.5)}));
  auto bad = makeCase({{lit(I(1)), lit(I(1))}}, nullptr);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("BOOLEAN"), std::string::npos);
  auto noCommon = makeCase({{lit(B(true)), lit(I(1))}}, lit(S("x")));
  ASSERT_FALSE(noCommon.isOk());
  EXPECT_EQ(noCommon.status().message(), "CASE results: no common type for BIGINT and VARCHAR");
}

TEST(LogicTest, AndDoesNotEvaluateItsRightSideWhereTheLeftIsFalse) {
  const Table t({{"x", TypeId::kBigint}}, {{I(5)}, {I(0)}, {I(-2)}});
  auto e = call("AND", {call("<>", {t.col("x"), lit(I(0))}),
                        call(">", {call("/", {lit(I(10)), t.col("x")}), lit(I(0))})});
  EXPECT_EQ(t.eval(e), (std::vector<Value>{B(true), B(false), B(false)}));
  auto compiled = unwrap(CompiledExpr::compile(e, t.schema()));
  EXPECT_EQ(compiled.evaluatePredicate(t.batch()), (std::vector<uint32_t>{0}));
  auto o = call("OR", {call("=", {t.col("x"), lit(I(0))}),
                       call(">", {call("/", {lit(I(10)), t.col("x")}), lit(I(0))})});
  EXPECT_EQ(t.eval(o), (std::vector<Value>{B(true), B(true), B(false)}));
}

TEST(LogicTest, CoalesceNullifIfIfnull) {
  const Table t(
      {{"a", TypeId::kBigint}, {"b", TypeId::kBigint}},
      {{I(1), I(2)}, {N(ExprType::kBigint), I(3)}, {N(ExprType::kBigint), N(ExprType::kBigint)}});
  auto c = call("COALESCE", {t.col("a"), t.col("b"), lit(I(0))});
  EXPECT_FALSE(c->nullable);
  EXPECT_EQ(t.eval(c), (std::vector<Value>{I(1), I(3), I(0)}));
  EXPECT_EQ(t.eval(call("COALESCE", {t.col("a"), t.col("b")})),
            (std::vector<Value>{I(1), I(3), N(ExprType::kBigint)}));
  EXPECT_EQ(t.eval(call("IFNULL", {t.col("a"), lit(I(9))})),
            (std::vector<Value>{I(1), I(9), I(9)}));
  EXPECT_EQ(evalConst(call("COALESCE", {lit(N(ExprType::kNull)), lit(S("default"))})),
            S("default"));
  EXPECT_EQ(t.eval(call("NULLIF", {t.col("b"), lit(I(3))})),
            (std::vector<Value>{I(2), N(ExprType::kBigint), N(ExprType::kBigint)}));
  EXPECT_EQ(evalConst(call("NULLIF", {lit(I(5)), lit(I(5))})), N(ExprType::kBigint));
  EXPECT_EQ(evalConst(call("IF", {call(">", {lit(I(5)), lit(I(3))}), lit(I(5)), lit(I(3))})), I(5));
  // COALESCE evaluates an argument only where the earlier ones are NULL.
  const Table z({{"x", TypeId::kBigint}}, {{I(0)}, {I(5)}});
  auto lazy = call("COALESCE", {call("NULLIF", {z.col("x"), lit(I(0))}), lit(I(7))});
  EXPECT_EQ(z.eval(lazy), (std::vector<Value>{I(7), I(5)}));
  auto guarded = call("COALESCE", {z.col("x"), call("/", {lit(I(1)), z.col("x")})});
  EXPECT_EQ(z.eval(guarded), (std::vector<Value>{I(0), I(5)}));
}

TEST(LogicTest, InListWithNullsFollowsFlink) {
  // 4 IN (1, 2, 3) is FALSE; 1 IN (1, 2, NULL) is TRUE; 4 IN (1, 2, NULL) is UNKNOWN.
  EXPECT_EQ(evalConst(unwrap(makeIn(lit(I(4)), {lit(I(1)), lit(I(2)), lit(I(3))}))), B(false));
  EXPECT_EQ(evalConst(unwrap(makeIn(lit(I(1)), {lit(I(1)), lit(I(2)), lit(N(ExprType::kNull))}))),
            B(true));
  EXPECT_TRUE(
      evalConst(unwrap(makeIn(lit(I(4)), {lit(I(1)), lit(I(2)), lit(N(ExprType::kNull))}))).isNull);
  EXPECT_TRUE(evalConst(call("NOT IN", {lit(I(4)), lit(I(1)), lit(N(ExprType::kNull))})).isNull);
  EXPECT_EQ(evalConst(call("NOT IN", {lit(I(4)), lit(I(1)), lit(I(2))})), B(true));
  const Table t({{"s", TypeId::kVarchar}, {"a", TypeId::kBigint}},
                {{S("x"), I(1)}, {S("y"), I(2)}, {N(ExprType::kVarchar), I(3)}});
  EXPECT_EQ(t.eval(call("IN", {t.col("s"), lit(S("y")), lit(S("z"))})),
            (std::vector<Value>{B(false), B(true), N(ExprType::kBoolean)}));
  // Items that are expressions, with numeric widening (BIGINT against DOUBLE).
  EXPECT_EQ(t.eval(call("IN", {t.col("a"), call("+", {t.col("a"), lit(I(0))}), lit(D(9.5))})),
            (std::vector<Value>{B(true), B(true), B(true)}));
  EXPECT_EQ(t.eval(call("IN", {t.col("a"), lit(D(2.0)), lit(I(3))})),
            (std::vector<Value>{B(false), B(true), B(true)}));
  // A long literal list goes through the sorted lookup.
  std::vector<BoundExprPtr> many;
  for (int i = 0; i < 100; i += 2) many.push_back(lit(I(i)));
  EXPECT_EQ(t.eval(unwrap(makeIn(t.col("a"), many))),
            (std::vector<Value>{B(false), B(true), B(false)}));
}

TEST(LogicTest, BetweenExamplesFromFlinkDocs) {
  auto v = [](const char* name, int64_t a, std::optional<int64_t> lo, std::optional<int64_t> hi) {
    auto opt = [](std::optional<int64_t> x) { return x ? lit(I(*x)) : lit(N(ExprType::kNull)); };
    return evalConst(call(name, {lit(I(a)), opt(lo), opt(hi)}));
  };
  EXPECT_EQ(v("BETWEEN", 12, 15, 12), B(false));
  EXPECT_EQ(v("BETWEEN SYMMETRIC", 12, 15, 12), B(true));
  EXPECT_TRUE(v("BETWEEN", 12, 10, std::nullopt).isNull);
  EXPECT_EQ(v("BETWEEN", 12, std::nullopt, 10), B(false));
  EXPECT_TRUE(v("BETWEEN SYMMETRIC", 12, std::nullopt, 12).isNull);
  EXPECT_EQ(v("NOT BETWEEN", 12, 15, 12), B(true));
  EXPECT_EQ(v("NOT BETWEEN SYMMETRIC", 12, 15, 12), B(false));
  EXPECT_TRUE(v("NOT BETWEEN", 12, std::nullopt, 15).isNull);
  EXPECT_EQ(v("NOT BETWEEN", 12, 15, std::nullopt), B(true));
  EXPECT_TRUE(v("NOT BETWEEN SYMMETRIC", 12, 12, std::nullopt).isNull);
}

TEST(LogicTest, LikePatterns) {
  auto like = [](const std::string& s, const std::string& p) {
    return evalConst(call("LIKE", {lit(S(s)), lit(S(p))}));
  };
  EXPECT_EQ(like("JoKn", "Jo_n%"), B(true));
  EXPECT_EQ(like("abc", "abc"), B(true));
  EXPECT_EQ(like("abc", "ab"), B(false));
  EXPECT_EQ(like("abc", "a%"), B(true));
  EXPECT_EQ(like("abc", "%c"), B(true));
  EXPECT_EQ(like("abc", "%b%"), B(true));
  EXPECT_EQ(like("abc", "%d%"), B(false));
  EXPECT_EQ(like("", "%"), B(true));
  EXPECT_EQ(like("", "_"), B(false));
  EXPECT_EQ(like("a", "_"), B(true));
  EXPECT_EQ(like("\xc3\xa9", "_"), B(true));  // '_' is one character, not one byte
  EXPECT_EQ(like("ab", "a__"), B(false));
  EXPECT_EQ(like("aXbXc", "a%b%c"), B(true));
  EXPECT_EQ(like("abcbc", "%bc"), B(true));
  EXPECT_EQ(like("abcb", "%b_b"), B(true));
  EXPECT_EQ(like("abcd", "%b_b"), B(false));
  EXPECT_EQ(like("bb", "%b_b"), B(false));
  EXPECT_EQ(like("axbzb", "%b_b"), B(true));
  EXPECT_EQ(like("mississippi", "%ss%ss%"), B(true));
  EXPECT_EQ(like("mississippi", "%ss%ss%ss%"), B(false));
  EXPECT_EQ(like("a.c", "a.c"), B(true));
  EXPECT_EQ(like("abc", "a.c"), B(false));  // no regular-expression meaning
  // ESCAPE makes %, _ and the escape itself literal.
  auto likeEsc = [](const std::string& s, const std::string& p, const std::string& e) {
    return evalConst(call("LIKE", {lit(S(s)), lit(S(p)), lit(S(e))}));
  };
  EXPECT_EQ(likeEsc("10%", "10!%", "!"), B(true));
  EXPECT_EQ(likeEsc("100", "10!%", "!"), B(false));
  EXPECT_EQ(likeEsc("a_c", "a!_c", "!"), B(true));
  EXPECT_EQ(likeEsc("abc", "a!_c", "!"), B(false));
  EXPECT_EQ(likeEsc("a!c", "a!!c", "!"), B(true));
  auto bad = makeCall("LIKE", {lit(S("a")), lit(S("a!x")), lit(S("!"))});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("invalid escape"), std::string::npos);
  EXPECT_EQ(evalConst(call("NOT LIKE", {lit(S("abc")), lit(S("a%"))})), B(false));
  EXPECT_TRUE(evalConst(call("LIKE", {lit(N(ExprType::kVarchar)), lit(S("a%"))})).isNull);
  // A pattern per row.
  const Table t({{"s", TypeId::kVarchar}, {"p", TypeId::kVarchar}},
                {{S("abc"), S("a%")}, {S("abc"), S("b%")}, {S("abc"), N(ExprType::kVarchar)}});
  EXPECT_EQ(t.eval(call("LIKE", {t.col("s"), t.col("p")})),
            (std::vector<Value>{B(true), B(false), N(ExprType::kBoolean)}));
}

// The predicate path (selection vectors, AND/OR narrowing) against the value path on random
// data with NULLs.
TEST(LogicTest, PredicateSelectionAgreesWithValueEvaluation) {
  std::mt19937_64 g(3);
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 2000; ++i) {
    rows.push_back({g() % 5 == 0 ? N(ExprType::kBigint) : I(static_cast<int64_t>(g() % 100)),
                    g() % 7 == 0 ? N(ExprType::kDouble) : D(static_cast<double>(g() % 1000) / 3),
                    g() % 6 == 0 ? N(ExprType::kVarchar) : S(std::string(1, 'a' + g() % 5))});
  }
  const Table t({{"a", TypeId::kBigint}, {"d", TypeId::kDouble}, {"s", TypeId::kVarchar}}, rows);
  const BoundExprPtr predicates[] = {
      call("AND", {call(">", {call("*", {t.col("d"), lit(D(0.908))}), lit(I(100))}),
                   call("=", {call("%", {t.col("a"), lit(I(7))}), lit(I(0))})}),
      call("OR", {call("<", {t.col("a"), lit(I(10))}), call("LIKE", {t.col("s"), lit(S("b%"))})}),
      call("OR", {call("AND", {call("IS NULL", {t.col("a")}), call(">", {t.col("d"), lit(I(50))})}),
                  call("NOT", {call("IN", {t.col("s"), lit(S("a")), lit(S("c"))})})}),
      call("AND", {lit(B(true)), call("IS NOT NULL", {t.col("s")})}),
      call("OR", {lit(N(ExprType::kBoolean)), call("=", {t.col("s"), lit(S("e"))})}),
  };
  for (const auto& p : predicates) {
    const auto values = t.eval(p);
    std::vector<uint32_t> expected;
    for (uint32_t r = 0; r < values.size(); ++r)
      if (!values[r].isNull && values[r].integer) expected.push_back(r);
    auto compiled = unwrap(CompiledExpr::compile(p, t.schema()));
    EXPECT_EQ(compiled.evaluatePredicate(t.batch()), expected) << p->toString();
    // Under an existing selection: the even rows.
    std::vector<uint32_t> even, kept, want;
    for (uint32_t r = 0; r < values.size(); r += 2) even.push_back(r);
    for (uint32_t r : expected)
      if (r % 2 == 0) want.push_back(r);
    compiled.evaluatePredicate(t.batch(), even, kept);
    EXPECT_EQ(kept, want) << p->toString();
  }
}

}  // namespace
}  // namespace glint::sql::testing
