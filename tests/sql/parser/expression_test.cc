// Expressions: every form, operator precedence and associativity (shown by the printer, which
// parenthesizes every operator), literal kinds and source spans.
#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

using testing::printExpression;

TEST(ParserExpression, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_EQ(printExpression("a + b * c"), "a + (b * c)");
  EXPECT_EQ(printExpression("a * b + c"), "(a * b) + c");
  EXPECT_EQ(printExpression("a - b - c"), "a - b - c");
  EXPECT_EQ(printExpression("a / b * c % d"), "a / b * c % d");
  EXPECT_EQ(printExpression("(a + b) * c"), "(a + b) * c");
  EXPECT_EQ(printExpression("a || b + c"), "a || b + c");
  EXPECT_EQ(printExpression("a + b || c"), "a + b || c");
  EXPECT_EQ(printExpression("a || b * c"), "a || (b * c)");
}

TEST(ParserExpression, UnaryOperators) {
  EXPECT_EQ(printExpression("-a * b"), "(-a) * b");
  EXPECT_EQ(printExpression("a * -b"), "a * (-b)");
  EXPECT_EQ(printExpression("-a.b"), "-a.b");
  EXPECT_EQ(printExpression("- -a"), "- -a");
  EXPECT_EQ(printExpression("+a"), "+a");
  EXPECT_EQ(printExpression("-(a + b)"), "-(a + b)");
  // A minus before a number is part of the literal.
  EXPECT_EQ(printExpression("-5 * 2"), "-5 * 2");
  EXPECT_EQ(printExpression("a - -5"), "a - -5");
  EXPECT_EQ(printExpression("- -5"), "- -5");
  auto parsed = parseExpression("-9223372036854775808");
  ASSERT_TRUE(parsed.isOk());
  ASSERT_EQ(parsed.value()->kind, AstExprKind::kLiteral);
  EXPECT_EQ(parsed.value()->as<LiteralExpr>().text, "-9223372036854775808");
  EXPECT_EQ(parsed.value()->as<LiteralExpr>().literalKind, LiteralKind::kInteger);
}

TEST(ParserExpression, BooleanPrecedence) {
  EXPECT_EQ(printExpression("a OR b AND c"), "a OR (b AND c)");
  EXPECT_EQ(printExpression("a AND b OR c"), "(a AND b) OR c");
  EXPECT_EQ(printExpression("NOT a AND b"), "(NOT a) AND b");
  EXPECT_EQ(printExpression("NOT a = b"), "NOT (a = b)");
  EXPECT_EQ(printExpression("a AND NOT b"), "a AND (NOT b)");
  EXPECT_EQ(printExpression("NOT NOT a"), "NOT NOT a");
  EXPECT_EQ(printExpression("a = b AND c < d OR e"), "((a = b) AND (c < d)) OR e");
  EXPECT_EQ(printExpression("a OR b OR c"), "a OR b OR c");
}

TEST(ParserExpression, Comparisons) {
  EXPECT_EQ(printExpression("a = 1"), "a = 1");
  EXPECT_EQ(printExpression("a <> 1"), "a <> 1");
  EXPECT_EQ(printExpression("a != 1"), "a <> 1");
  EXPECT_EQ(printExpression("a < 1"), "a < 1");
  EXPECT_EQ(printExpression("a <= 1"), "a <= 1");
  EXPECT_EQ(printExpression("a > 1"), "a > 1");
  EXPECT_EQ(printExpression("a >= 1"), "a >= 1");
  EXPECT_EQ(printExpression("a + 1 < b * 2"), "(a + 1) < (b * 2)");
  EXPECT_EQ(printExpression("a = b = c"), "a = b = c");
}

TEST(ParserExpression, IsPredicates) {
  EXPECT_EQ(printExpression("a IS NULL"), "a IS NULL");
  EXPECT_EQ(printExpression("a IS NOT NULL"), "a IS NOT NULL");
  EXPECT_EQ(printExpression("a IS TRUE"), "a IS TRUE");
  EXPECT_EQ(printExpression("a IS NOT FALSE"), "a IS NOT FALSE");
  EXPECT_EQ(printExpression("a is unknown"), "a IS UNKNOWN");
  EXPECT_EQ(printExpression("a + b IS NULL"), "(a + b) IS NULL");
  EXPECT_EQ(printExpression("a IS DISTINCT FROM b + 1"), "a IS DISTINCT FROM (b + 1)");
  EXPECT_EQ(printExpression("a IS NOT DISTINCT FROM b"), "a IS NOT DISTINCT FROM b");
  EXPECT_EQ(printExpression("NOT a IS NULL"), "NOT (a IS NULL)");
  auto parsed = parseExpression("x IS NOT TRUE");
  ASSERT_TRUE(parsed.isOk());
  const auto& is = parsed.value()->as<IsExpr>();
  EXPECT_EQ(is.test, IsTest::kTrue);
  EXPECT_TRUE(is.negated);
}

TEST(ParserExpression, InBetweenLikeSimilar) {
  EXPECT_EQ(printExpression("a IN (1, 2, 3)"), "a IN (1, 2, 3)");
  EXPECT_EQ(printExpression("a NOT IN ('x')"), "a NOT IN ('x')");
  EXPECT_EQ(printExpression("a IN (SELECT b FROM t)"), "a IN (SELECT b FROM t)");
  EXPECT_EQ(printExpression("a NOT IN (SELECT b FROM t WHERE c)"),
            "a NOT IN (SELECT b FROM t WHERE c)");
  EXPECT_EQ(printExpression("a BETWEEN 1 AND 10"), "a BETWEEN 1 AND 10");
  EXPECT_EQ(printExpression("a BETWEEN 1 AND 2 AND b"), "(a BETWEEN 1 AND 2) AND b");
  EXPECT_EQ(printExpression("a BETWEEN b + 1 AND c * 2"), "a BETWEEN (b + 1) AND (c * 2)");
  EXPECT_EQ(printExpression("a NOT BETWEEN SYMMETRIC 5 AND 1"), "a NOT BETWEEN SYMMETRIC 5 AND 1");
  EXPECT_EQ(printExpression("a BETWEEN ASYMMETRIC 1 AND 5"), "a BETWEEN 1 AND 5");
  EXPECT_EQ(printExpression("s LIKE 'a%'"), "s LIKE 'a%'");
  EXPECT_EQ(printExpression("s NOT LIKE b || '%' ESCAPE '!'"), "s NOT LIKE (b || '%') ESCAPE '!'");
  EXPECT_EQ(printExpression("s SIMILAR TO '(a|b)*'"), "s SIMILAR TO '(a|b)*'");
  EXPECT_EQ(printExpression("s NOT SIMILAR TO 'x' ESCAPE '\\'"),
            "s NOT SIMILAR TO 'x' ESCAPE '\\'");
  EXPECT_EQ(printExpression("a IN (1) OR b LIKE 'x' AND c BETWEEN 1 AND 2"),
            "(a IN (1)) OR ((b LIKE 'x') AND (c BETWEEN 1 AND 2))");
  auto parsed = parseExpression("a NOT BETWEEN 1 AND 2");
  ASSERT_TRUE(parsed.isOk());
  EXPECT_TRUE(parsed.value()->as<BetweenExpr>().negated);
}

TEST(ParserExpression, ExistsAndScalarSubqueries) {
  EXPECT_EQ(printExpression("EXISTS (SELECT 1 FROM t)"), "EXISTS (SELECT 1 FROM t)");
  EXPECT_EQ(printExpression("NOT EXISTS (SELECT 1 FROM t)"), "NOT EXISTS (SELECT 1 FROM t)");
  EXPECT_EQ(printExpression("(SELECT MAX(a) FROM t) + 1"), "(SELECT MAX(a) FROM t) + 1");
  auto parsed = parseExpression("EXISTS (SELECT 1)");
  ASSERT_TRUE(parsed.isOk());
  EXPECT_EQ(parsed.value()->as<SubqueryExpr>().subqueryKind, SubqueryKind::kExists);
}

TEST(ParserExpression, Case) {
  EXPECT_EQ(printExpression("CASE WHEN a > 0 THEN 'p' WHEN a < 0 THEN 'n' ELSE 'z' END"),
            "CASE WHEN a > 0 THEN 'p' WHEN a < 0 THEN 'n' ELSE 'z' END");
  EXPECT_EQ(printExpression("CASE a WHEN 1 THEN 'one' END"), "CASE a WHEN 1 THEN 'one' END");
  EXPECT_EQ(printExpression("case when x then case when y then 1 end end"),
            "CASE WHEN x THEN CASE WHEN y THEN 1 END END");
  auto parsed = parseExpression("CASE k WHEN 1 THEN 2 END");
  ASSERT_TRUE(parsed.isOk());
  const auto& c = parsed.value()->as<CaseExpr>();
  ASSERT_NE(c.operand, nullptr);
  EXPECT_EQ(c.whens.size(), 1u);
  EXPECT_EQ(c.elseResult, nullptr);
}

TEST(ParserExpression, Casts) {
  EXPECT_EQ(printExpression("CAST(a AS BIGINT)"), "CAST(a AS BIGINT)");
  EXPECT_EQ(printExpression("TRY_CAST(s AS INT)"), "TRY_CAST(s AS INT)");
  EXPECT_EQ(printExpression("cast(a as decimal(10, 2) not null)"),
            "CAST(a AS DECIMAL(10, 2) NOT NULL)");
  EXPECT_EQ(printExpression("a::INT + 1"), "CAST(a AS INT) + 1");
  EXPECT_EQ(printExpression("CAST(ts AS TIMESTAMP(3) WITH LOCAL TIME ZONE)"),
            "CAST(ts AS TIMESTAMP_LTZ(3))");
  auto parsed = parseExpression("TRY_CAST(x AS STRING)");
  ASSERT_TRUE(parsed.isOk());
  EXPECT_TRUE(parsed.value()->as<CastExpr>().tryCast);
  EXPECT_EQ(parsed.value()->as<CastExpr>().type->name, TypeName::kString);
}

TEST(ParserExpression, FunctionCalls) {
  EXPECT_EQ(printExpression("COUNT(*)"), "COUNT(*)");
  EXPECT_EQ(printExpression("count(DISTINCT a)"), "count(DISTINCT a)");
  EXPECT_EQ(printExpression("SUM(ALL a)"), "SUM(a)");
  EXPECT_EQ(printExpression("f()"), "f()");
  EXPECT_EQ(printExpression("cat.db.f(a, b + 1)"), "cat.db.f(a, b + 1)");
  EXPECT_EQ(printExpression("COUNT(*) FILTER (WHERE price < 10)"),
            "COUNT(*) FILTER (WHERE price < 10)");
  EXPECT_EQ(printExpression("COUNT(DISTINCT bidder) filter (where price >= 1)"),
            "COUNT(DISTINCT bidder) FILTER (WHERE price >= 1)");
  EXPECT_EQ(printExpression("IF(a > 0, 'p', 'n')"), "IF(a > 0, 'p', 'n')");
  EXPECT_EQ(printExpression("LEFT(s, 2)"), "`LEFT`(s, 2)");
  EXPECT_EQ(printExpression("HOUR(ts)"), "HOUR(ts)");
  EXPECT_EQ(printExpression("PROCTIME()"), "PROCTIME()");
  auto parsed = parseExpression("COUNT(DISTINCT x) FILTER (WHERE y)");
  ASSERT_TRUE(parsed.isOk());
  const auto& f = parsed.value()->as<FunctionCallExpr>();
  EXPECT_EQ(f.name.toString(), "COUNT");
  EXPECT_TRUE(f.distinct);
  EXPECT_NE(f.filter, nullptr);
  EXPECT_EQ(f.arguments.size(), 1u);
}

TEST(ParserExpression, SpecialFunctionSyntax) {
  EXPECT_EQ(printExpression("EXTRACT(HOUR FROM ts)"), "EXTRACT(HOUR FROM ts)");
  EXPECT_EQ(printExpression("extract(doy from ts)"), "EXTRACT(DOY FROM ts)");
  EXPECT_EQ(printExpression("TRIM(s)"), "TRIM(BOTH FROM s)");
  EXPECT_EQ(printExpression("TRIM(BOTH ' ' FROM s)"), "TRIM(BOTH ' ' FROM s)");
  EXPECT_EQ(printExpression("TRIM(LEADING FROM s)"), "TRIM(LEADING FROM s)");
  EXPECT_EQ(printExpression("TRIM(TRAILING 'x' FROM s)"), "TRIM(TRAILING 'x' FROM s)");
  EXPECT_EQ(printExpression("TRIM('x' FROM s)"), "TRIM(BOTH 'x' FROM s)");
  EXPECT_EQ(printExpression("SUBSTRING(s FROM 2 FOR 3)"), "SUBSTRING(s, 2, 3)");
  EXPECT_EQ(printExpression("SUBSTRING(s FROM 2)"), "SUBSTRING(s, 2)");
  EXPECT_EQ(printExpression("SUBSTRING(s, 2, 3)"), "SUBSTRING(s, 2, 3)");
  EXPECT_EQ(printExpression("POSITION('a' IN s)"), "POSITION('a' IN s)");
  EXPECT_EQ(printExpression("POSITION(a || b IN s)"), "POSITION((a || b) IN s)");
  EXPECT_EQ(printExpression("FLOOR(ts TO HOUR)"), "FLOOR(ts TO HOUR)");
  EXPECT_EQ(printExpression("CEIL(ts TO DAY)"), "CEIL(ts TO DAY)");
  EXPECT_EQ(printExpression("CEILING(ts TO MINUTE)"), "CEIL(ts TO MINUTE)");
  EXPECT_EQ(printExpression("FLOOR(x)"), "FLOOR(x)");
  EXPECT_EQ(printExpression("CURRENT_TIMESTAMP"), "CURRENT_TIMESTAMP");
  EXPECT_EQ(printExpression("localtimestamp"), "localtimestamp");
  EXPECT_EQ(printExpression("CURRENT_DATE + 1"), "CURRENT_DATE + 1");
  auto parsed = parseExpression("CURRENT_TIMESTAMP");
  ASSERT_TRUE(parsed.isOk());
  EXPECT_TRUE(parsed.value()->as<FunctionCallExpr>().withoutParentheses);
  auto floor = parseExpression("FLOOR(ts TO HOUR)");
  ASSERT_TRUE(floor.isOk());
  EXPECT_EQ(floor.value()->as<TimeFloorExpr>().unit, TimeUnit::kHour);
  EXPECT_FALSE(floor.value()->as<TimeFloorExpr>().ceil);
}

TEST(ParserExpression, OverWindows) {
  EXPECT_EQ(printExpression("ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC)"),
            "ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC)");
  EXPECT_EQ(printExpression("SUM(x) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' "
                            "HOUR PRECEDING AND CURRENT ROW)"),
            "SUM(x) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING "
            "AND CURRENT ROW)");
  EXPECT_EQ(printExpression("AVG(x) OVER (ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)"),
            "AVG(x) OVER (ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(printExpression("AVG(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND "
                            "UNBOUNDED FOLLOWING)"),
            "AVG(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)");
  EXPECT_EQ(printExpression("MIN(x) OVER (ORDER BY ts ROWS 5 PRECEDING)"),
            "MIN(x) OVER (ORDER BY ts ROWS 5 PRECEDING)");
  EXPECT_EQ(printExpression("MAX(x) OVER w"), "MAX(x) OVER w");
  EXPECT_EQ(printExpression("MAX(x) OVER (w ORDER BY y)"), "MAX(x) OVER (w ORDER BY y)");
  EXPECT_EQ(printExpression("RANK() OVER (ORDER BY a NULLS FIRST, b ASC NULLS LAST)"),
            "RANK() OVER (ORDER BY a NULLS FIRST, b NULLS LAST)");
  auto parsed =
      parseExpression("SUM(x) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)");
  ASSERT_TRUE(parsed.isOk());
  const WindowSpec& spec = *parsed.value()->as<FunctionCallExpr>().over;
  ASSERT_TRUE(spec.frame.has_value());
  EXPECT_EQ(spec.frame->unit, FrameUnit::kRows);
  EXPECT_EQ(spec.frame->start.kind, FrameBoundKind::kPreceding);
  ASSERT_TRUE(spec.frame->end.has_value());
  EXPECT_EQ(spec.frame->end->kind, FrameBoundKind::kFollowing);
}

TEST(ParserExpression, Literals) {
  struct Case {
    const char* sql;
    LiteralKind kind;
    const char* text;
  };
  const Case cases[] = {
      {"42", LiteralKind::kInteger, "42"},
      {"0.908", LiteralKind::kDecimal, "0.908"},
      {".5", LiteralKind::kDecimal, ".5"},
      {"2.", LiteralKind::kDecimal, "2."},
      {"1e3", LiteralKind::kApproximate, "1e3"},
      {"2.5E-4", LiteralKind::kApproximate, "2.5E-4"},
      {"'it''s'", LiteralKind::kString, "it's"},
      {"''", LiteralKind::kString, ""},
      {"'two\nlines'", LiteralKind::kString, "two\nlines"},
      {"NULL", LiteralKind::kNull, ""},
      {"true", LiteralKind::kBoolean, "TRUE"},
      {"FALSE", LiteralKind::kBoolean, "FALSE"},
      {"DATE '2024-01-31'", LiteralKind::kDate, "2024-01-31"},
      {"TIME '12:00:01'", LiteralKind::kTime, "12:00:01"},
      {"TIMESTAMP '2024-01-31 12:00:01.5'", LiteralKind::kTimestamp, "2024-01-31 12:00:01.5"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    auto parsed = parseExpression(c.sql);
    ASSERT_TRUE(parsed.isOk()) << parsed.error().render(c.sql);
    ASSERT_EQ(parsed.value()->kind, AstExprKind::kLiteral);
    EXPECT_EQ(parsed.value()->as<LiteralExpr>().literalKind, c.kind);
    EXPECT_EQ(parsed.value()->as<LiteralExpr>().text, c.text);
    printExpression(c.sql);
  }
  EXPECT_EQ(printExpression("'it''s'"), "'it''s'");
}

TEST(ParserExpression, Intervals) {
  EXPECT_EQ(printExpression("INTERVAL '5' SECOND"), "INTERVAL '5' SECOND");
  EXPECT_EQ(printExpression("INTERVAL '1' HOUR"), "INTERVAL '1' HOUR");
  EXPECT_EQ(printExpression("INTERVAL '10' MINUTES"), "INTERVAL '10' MINUTE");
  EXPECT_EQ(printExpression("INTERVAL '1:30' MINUTE TO SECOND"),
            "INTERVAL '1:30' MINUTE TO SECOND");
  EXPECT_EQ(printExpression("INTERVAL '1-2' YEAR TO MONTH"), "INTERVAL '1-2' YEAR TO MONTH");
  EXPECT_EQ(printExpression("INTERVAL -'3' DAY"), "INTERVAL -'3' DAY");
  EXPECT_EQ(printExpression("ts - INTERVAL '4' SECOND"), "ts - INTERVAL '4' SECOND");
  auto parsed = parseExpression("INTERVAL '2 03:04' DAY TO MINUTE");
  ASSERT_TRUE(parsed.isOk());
  const auto& interval = parsed.value()->as<IntervalExpr>();
  EXPECT_EQ(interval.value, "2 03:04");
  EXPECT_EQ(interval.from, TimeUnit::kDay);
  EXPECT_EQ(interval.to, TimeUnit::kMinute);
}

TEST(ParserExpression, NamesFieldsAndSubscripts) {
  EXPECT_EQ(printExpression("price"), "price");
  EXPECT_EQ(printExpression("B.price"), "B.price");
  EXPECT_EQ(printExpression("cat.db.t.col"), "cat.db.t.col");
  EXPECT_EQ(printExpression("`select`.`from`"), "`select`.`from`");
  EXPECT_EQ(printExpression("`weird name`"), "`weird name`");
  EXPECT_EQ(printExpression("`a``b`"), "`a``b`");
  EXPECT_EQ(printExpression("`MixedCase`"), "MixedCase");
  EXPECT_EQ(printExpression("arr[1]"), "arr[1]");
  EXPECT_EQ(printExpression("m['k'][2]"), "m['k'][2]");
  EXPECT_EQ(printExpression("f(x).field"), "f(x).field");
  EXPECT_EQ(printExpression("(a.b).c"), "(a.b).c");
  EXPECT_EQ(printExpression("x[1].f"), "x[1].f");
  auto parsed = parseExpression("person.dateTime");
  ASSERT_TRUE(parsed.isOk());
  const QualifiedName& name = parsed.value()->as<ColumnRefExpr>().name;
  ASSERT_EQ(name.parts.size(), 2u);
  EXPECT_EQ(name.parts[0].name, "person");
  EXPECT_EQ(name.parts[1].name, "dateTime");  // case kept
  auto quoted = parseExpression("`value`");
  ASSERT_TRUE(quoted.isOk());
  EXPECT_EQ(quoted.value()->as<ColumnRefExpr>().name.parts[0].name, "value");
}

TEST(ParserExpression, ArrayAndMapConstructors) {
  EXPECT_EQ(printExpression("ARRAY[1, 2 + 3]"), "ARRAY[1, 2 + 3]");
  EXPECT_EQ(printExpression("map['a', 1, 'b', 2]"), "MAP['a', 1, 'b', 2]");
  EXPECT_EQ(printExpression("ARRAY[ARRAY[1], ARRAY[2]][1]"), "ARRAY[ARRAY[1], ARRAY[2]][1]");
  // A column named array stays a column when quoted, and prints quoted.
  EXPECT_EQ(printExpression("`array`[1]"), "`array`[1]");
  auto parsed = parseExpression("MAP['k', v]");
  ASSERT_TRUE(parsed.isOk());
  const auto& map = parsed.value()->as<CollectionExpr>();
  EXPECT_TRUE(map.map);
  EXPECT_EQ(map.elements.size(), 2u);
  auto odd = parseExpression("MAP['k']");
  ASSERT_FALSE(odd.isOk());
  EXPECT_EQ(odd.error().message,
            "MAP[...] takes keys and values in pairs, but has an odd number of elements");
}

TEST(ParserExpression, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(printExpression("a iS nOt NuLl aNd b"), "(a IS NOT NULL) AND b");
  EXPECT_EQ(printExpression("CaSe WhEn x ThEn 1 EnD"), "CASE WHEN x THEN 1 END");
}

TEST(ParserExpression, NonReservedKeywordsAreNames) {
  // Flink's Nexmark queries use these as plain column names.
  EXPECT_EQ(printExpression("key + final + `value`"), "key + final + value");
  EXPECT_EQ(printExpression("date"), "date");
  EXPECT_EQ(printExpression("date || 'x'"), "date || 'x'");
  EXPECT_EQ(printExpression("session"), "session");
}

TEST(ParserExpression, SpansPointAtTheSource) {
  std::string_view sql = "a +\n  price * 2";
  auto parsed = parseExpression(sql);
  ASSERT_TRUE(parsed.isOk());
  const auto& add = parsed.value()->as<BinaryExpr>();
  EXPECT_EQ(add.span.offset, 0);
  EXPECT_EQ(add.span.length, static_cast<int>(sql.size()));
  const auto& multiply = add.right->as<BinaryExpr>();
  EXPECT_EQ(multiply.span.line, 2);
  EXPECT_EQ(multiply.span.column, 3);
  EXPECT_EQ(sql.substr(multiply.span.offset, multiply.span.length), "price * 2");
  const auto& price = multiply.left->as<ColumnRefExpr>();
  EXPECT_EQ(price.span.line, 2);
  EXPECT_EQ(price.span.column, 3);
  EXPECT_EQ(price.span.length, 5);
  EXPECT_EQ(price.name.parts[0].span.column, 3);
  // A caret can be put under any node.
  EXPECT_EQ(renderCaret(sql, price.span.line, price.span.column, price.span.length),
            "    price * 2\n    ^~~~~");
}

TEST(ParserExpression, ColumnsCountCharactersNotBytes) {
  std::string_view sql = "'Grüße' || ü";
  auto parsed = parseExpression(sql);
  ASSERT_TRUE(parsed.isOk());
  const auto& right = parsed.value()->as<BinaryExpr>().right->as<ColumnRefExpr>();
  EXPECT_EQ(right.name.parts[0].name, "ü");
  EXPECT_EQ(right.span.column, 12);
  EXPECT_EQ(right.span.offset, 13);
}

}  // namespace
}  // namespace glint::sql

namespace glint::sql {
namespace {

// Counts nodes and collects column names with forEachChild, as a binder pass would.
void collect(const Expr& e, int& nodes, std::vector<std::string>& columns) {
  ++nodes;
  if (e.kind == AstExprKind::kColumn) columns.push_back(e.as<ColumnRefExpr>().name.toString());
  forEachChild(e, [&](const Expr& child) { collect(child, nodes, columns); });
}

TEST(ParserExpression, ForEachChildVisitsEveryOperandInSourceOrder) {
  auto parsed = parseExpression(
      "CASE WHEN a BETWEEN b AND c THEN SUM(d) FILTER (WHERE e) OVER (PARTITION BY f ORDER BY g "
      "ROWS h PRECEDING) ELSE TRIM(i FROM j) END || k[l].m || CAST(n AS INT) || ARRAY[o] || "
      "EXTRACT(DAY FROM p) || FLOOR(q TO DAY) || r LIKE s ESCAPE t || u IN (v, w) || x IS NULL || "
      "-y || (z IN (SELECT zz FROM t))");
  ASSERT_TRUE(parsed.isOk());
  int nodes = 0;
  std::vector<std::string> columns;
  collect(*parsed.value(), nodes, columns);
  // Every column in source order; not `m` (a field of k[l]) nor zz (inside the subquery, a
  // separate scope).
  std::vector<std::string> expected;
  for (char c = 'a'; c <= 'z'; ++c) {
    if (c != 'm') expected.emplace_back(1, c);
  }
  EXPECT_EQ(columns, expected);
  EXPECT_GT(nodes, 40);
}

TEST(ParserExpression, ForEachChildCanReplaceNodes) {
  auto parsed = parseExpression("a + f(b, c * a)");
  ASSERT_TRUE(parsed.isOk());
  // Replace every column `a` by the literal 1, recursively.
  std::function<void(ExprPtr&)> rewrite = [&](ExprPtr& e) {
    if (e->kind == AstExprKind::kColumn && e->as<ColumnRefExpr>().name.toString() == "a") {
      auto one = std::make_unique<LiteralExpr>();
      one->literalKind = LiteralKind::kInteger;
      one->text = "1";
      e = std::move(one);
      return;
    }
    forEachChild(*e, rewrite);
  };
  rewrite(parsed.value());
  EXPECT_EQ(toString(*parsed.value()), "1 + f(b, c * 1)");
}

}  // namespace
}  // namespace glint::sql
