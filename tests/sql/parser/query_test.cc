// Queries: SELECT clauses, set operations, ORDER BY / LIMIT / FETCH, WITH, VALUES, FROM with
// joins, subqueries, window table functions, lateral table functions and temporal joins.
#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

using testing::printStatement;

const SelectBody& selectOf(const StatementPtr& statement) {
  return statement->as<QueryStatement>().query->body->as<SelectBody>();
}

StatementPtr parseOk(std::string_view sql) {
  auto parsed = parseStatement(sql);
  EXPECT_TRUE(parsed.isOk()) << parsed.error().render(sql);
  return parsed.isOk() ? std::move(parsed).value() : nullptr;
}

TEST(ParserQuery, SelectList) {
  EXPECT_EQ(printStatement("select * from t"), "SELECT * FROM t");
  EXPECT_EQ(printStatement("SELECT t.*, u.* FROM t, u"), "SELECT t.*, u.* FROM t, u");
  EXPECT_EQ(printStatement("SELECT db.t.* FROM db.t"), "SELECT db.t.* FROM db.t");
  EXPECT_EQ(printStatement("SELECT a AS x, b y, c FROM t"), "SELECT a AS x, b AS y, c FROM t");
  EXPECT_EQ(printStatement("SELECT DISTINCT a FROM t"), "SELECT DISTINCT a FROM t");
  EXPECT_EQ(printStatement("SELECT ALL a FROM t"), "SELECT a FROM t");
  EXPECT_EQ(printStatement("SELECT 1"), "SELECT 1");
  EXPECT_EQ(printStatement("SELECT a AS `from` FROM t"), "SELECT a AS `from` FROM t");
  auto statement = parseOk("SELECT *, a + 1 total, t.* FROM t");
  const SelectBody& select = selectOf(statement);
  ASSERT_EQ(select.items.size(), 3u);
  EXPECT_TRUE(select.items[0].star);
  EXPECT_TRUE(select.items[0].starQualifier.parts.empty());
  EXPECT_FALSE(select.items[1].star);
  EXPECT_EQ(select.items[1].alias->name, "total");
  EXPECT_EQ(select.items[2].starQualifier.toString(), "t");
}

TEST(ParserQuery, Clauses) {
  EXPECT_EQ(printStatement("SELECT a, COUNT(*) FROM t WHERE b > 1 GROUP BY a HAVING COUNT(*) > 2"),
            "SELECT a, COUNT(*) FROM t WHERE b > 1 GROUP BY a HAVING COUNT(*) > 2");
  EXPECT_EQ(printStatement("SELECT SUM(x) OVER w FROM t WINDOW w AS (PARTITION BY k ORDER BY ts)"),
            "SELECT SUM(x) OVER w FROM t WINDOW w AS (PARTITION BY k ORDER BY ts)");
  auto statement = parseOk("SELECT a FROM t WHERE a = 1 GROUP BY a, b HAVING SUM(c) > 0");
  const SelectBody& select = selectOf(statement);
  ASSERT_NE(select.where, nullptr);
  EXPECT_EQ(select.groupBy.size(), 2u);
  ASSERT_NE(select.having, nullptr);
  EXPECT_EQ(select.from->kind, TableRefKind::kNamed);
}

TEST(ParserQuery, GroupingSetsRollupCube) {
  EXPECT_EQ(printStatement("SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ())"),
            "SELECT a FROM t GROUP BY GROUPING SETS((a, b), a, ())");
  EXPECT_EQ(printStatement("SELECT a FROM t GROUP BY ROLLUP (a, b)"),
            "SELECT a FROM t GROUP BY ROLLUP(a, b)");
  EXPECT_EQ(printStatement("SELECT a FROM t GROUP BY CUBE (a, (b, c)), d"),
            "SELECT a FROM t GROUP BY CUBE(a, (b, c)), d");
  EXPECT_EQ(printStatement("SELECT a FROM t GROUP BY (a + b), (c)"),
            "SELECT a FROM t GROUP BY a + b, c");
  auto statement = parseOk("SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b), ())");
  const GroupingElement& sets = selectOf(statement).groupBy[0];
  EXPECT_EQ(sets.kind, GroupingKind::kGroupingSets);
  ASSERT_EQ(sets.elements.size(), 2u);
  EXPECT_EQ(sets.elements[0].kind, GroupingKind::kTuple);
  EXPECT_EQ(sets.elements[0].elements.size(), 2u);
  EXPECT_EQ(sets.elements[1].kind, GroupingKind::kTuple);
  EXPECT_TRUE(sets.elements[1].elements.empty());
}

TEST(ParserQuery, OrderLimitOffsetFetch) {
  EXPECT_EQ(printStatement("SELECT a FROM t ORDER BY a DESC NULLS LAST, b ASC LIMIT 10"),
            "SELECT a FROM t ORDER BY a DESC NULLS LAST, b LIMIT 10");
  EXPECT_EQ(printStatement("SELECT a FROM t LIMIT 10 OFFSET 20"),
            "SELECT a FROM t LIMIT 10 OFFSET 20");
  EXPECT_EQ(printStatement("SELECT a FROM t OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY"),
            "SELECT a FROM t LIMIT 10 OFFSET 5");
  EXPECT_EQ(printStatement("SELECT a FROM t FETCH NEXT ROW ONLY"), "SELECT a FROM t LIMIT 1");
  EXPECT_EQ(printStatement("SELECT a FROM t LIMIT ALL"), "SELECT a FROM t");
  auto statement = parseOk("SELECT a FROM t ORDER BY a DESC NULLS FIRST LIMIT 3");
  const Query& query = *statement->as<QueryStatement>().query;
  ASSERT_EQ(query.orderBy.size(), 1u);
  EXPECT_TRUE(query.orderBy[0].descending);
  EXPECT_EQ(query.orderBy[0].nulls, NullOrder::kFirst);
  ASSERT_NE(query.limit, nullptr);
  EXPECT_EQ(query.limit->as<LiteralExpr>().text, "3");
}

TEST(ParserQuery, SetOperations) {
  EXPECT_EQ(printStatement("SELECT a FROM t UNION ALL SELECT a FROM u UNION SELECT a FROM v"),
            "SELECT a FROM t UNION ALL SELECT a FROM u UNION SELECT a FROM v");
  EXPECT_EQ(printStatement("SELECT 1 UNION DISTINCT SELECT 2"), "SELECT 1 UNION SELECT 2");
  EXPECT_EQ(printStatement("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)"),
            "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)");
  // INTERSECT binds more tightly than UNION and EXCEPT.
  auto statement = parseOk("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4");
  const auto& except = statement->as<QueryStatement>().query->body->as<SetOperationBody>();
  EXPECT_EQ(except.op, SetOperator::kExcept);
  EXPECT_TRUE(except.all);
  const auto& unionBody = except.left->as<SetOperationBody>();
  EXPECT_EQ(unionBody.op, SetOperator::kUnion);
  EXPECT_FALSE(unionBody.all);
  EXPECT_EQ(unionBody.left->kind, QueryBodyKind::kSelect);
  const auto& intersect = unionBody.right->as<SetOperationBody>();
  EXPECT_EQ(intersect.op, SetOperator::kIntersect);
  printStatement("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4");
}

TEST(ParserQuery, WithAndValues) {
  EXPECT_EQ(printStatement("WITH a AS (SELECT 1 AS x), b (y) AS (SELECT x FROM a) SELECT * FROM b"),
            "WITH a AS (SELECT 1 AS x), b (y) AS (SELECT x FROM a) SELECT * FROM b");
  EXPECT_EQ(printStatement("VALUES (1, 'a'), (2, 'b')"), "VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(printStatement("VALUES 1, 2"), "VALUES (1), (2)");
  EXPECT_EQ(printStatement("SELECT * FROM (VALUES (1), (2)) AS v (x)"),
            "SELECT * FROM (VALUES (1), (2)) AS v (x)");
  auto statement = parseOk("WITH c (n) AS (SELECT 1) SELECT n FROM c");
  const Query& query = *statement->as<QueryStatement>().query;
  ASSERT_EQ(query.with.size(), 1u);
  EXPECT_EQ(query.with[0].name.name, "c");
  ASSERT_EQ(query.with[0].columns.size(), 1u);
  EXPECT_EQ(query.with[0].columns[0].name, "n");
}

TEST(ParserQuery, Joins) {
  EXPECT_EQ(printStatement("SELECT * FROM a JOIN b ON a.id = b.id"),
            "SELECT * FROM a INNER JOIN b ON a.id = b.id");
  EXPECT_EQ(printStatement("SELECT * FROM a INNER JOIN b USING (id, k)"),
            "SELECT * FROM a INNER JOIN b USING (id, k)");
  EXPECT_EQ(printStatement("SELECT * FROM a LEFT OUTER JOIN b ON x RIGHT JOIN c ON y FULL OUTER "
                           "JOIN d ON z"),
            "SELECT * FROM a LEFT JOIN b ON x RIGHT JOIN c ON y FULL JOIN d ON z");
  EXPECT_EQ(printStatement("SELECT * FROM a CROSS JOIN b NATURAL JOIN c"),
            "SELECT * FROM a CROSS JOIN b NATURAL INNER JOIN c");
  // ',' binds more loosely than JOIN.
  EXPECT_EQ(printStatement("SELECT * FROM a, b JOIN c ON x"),
            "SELECT * FROM a, (b INNER JOIN c ON x)");
  EXPECT_EQ(printStatement("SELECT * FROM (a, b) JOIN c ON x"),
            "SELECT * FROM (a, b) INNER JOIN c ON x");
  EXPECT_EQ(printStatement("SELECT * FROM a JOIN (b JOIN c ON y) ON x"),
            "SELECT * FROM a INNER JOIN (b INNER JOIN c ON y) ON x");
  auto statement = parseOk("SELECT * FROM a LEFT JOIN b ON a.k = b.k JOIN c USING (k)");
  const auto& outer = selectOf(statement).from->as<JoinTableRef>();
  EXPECT_EQ(outer.joinType, JoinType::kInner);
  ASSERT_EQ(outer.usingColumns.size(), 1u);
  const auto& inner = outer.left->as<JoinTableRef>();
  EXPECT_EQ(inner.joinType, JoinType::kLeft);
  EXPECT_NE(inner.condition, nullptr);
  EXPECT_EQ(inner.right->as<NamedTableRef>().name.toString(), "b");
}

TEST(ParserQuery, TableAliasesAndSubqueries) {
  EXPECT_EQ(printStatement("SELECT * FROM cat.db.orders o"), "SELECT * FROM cat.db.orders AS o");
  EXPECT_EQ(printStatement("SELECT * FROM t AS x (a, b)"), "SELECT * FROM t AS x (a, b)");
  EXPECT_EQ(printStatement("SELECT * FROM (SELECT a FROM t) q"),
            "SELECT * FROM (SELECT a FROM t) AS q");
  EXPECT_EQ(printStatement("SELECT * FROM (SELECT a FROM t)"), "SELECT * FROM (SELECT a FROM t)");
  EXPECT_EQ(printStatement("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u"),
            "SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u");
  EXPECT_EQ(printStatement("SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.a = t.a) v"),
            "SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.a = t.a) AS v");
}

TEST(ParserQuery, WindowTableFunctions) {
  EXPECT_EQ(printStatement("SELECT * FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL "
                           "'10' MINUTES))"),
            "SELECT * FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTE))");
  EXPECT_EQ(printStatement("SELECT * FROM TABLE(HOP(DATA => TABLE Bid, TIMECOL => "
                           "DESCRIPTOR(bidtime), SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL "
                           "'10' MINUTES))"),
            "SELECT * FROM TABLE(HOP(DATA => TABLE Bid, TIMECOL => DESCRIPTOR(bidtime), SLIDE => "
            "INTERVAL '5' MINUTE, SIZE => INTERVAL '10' MINUTE))");
  EXPECT_EQ(printStatement("SELECT * FROM TABLE(SESSION(TABLE Bid PARTITION BY item, "
                           "DESCRIPTOR(bidtime), INTERVAL '5' MINUTES))"),
            "SELECT * FROM TABLE(SESSION(TABLE Bid PARTITION BY (item), DESCRIPTOR(bidtime), "
            "INTERVAL '5' MINUTE))");
  auto statement = parseOk(
      "SELECT * FROM TABLE(CUMULATE(TABLE db.Bid PARTITION BY (a, b), DESCRIPTOR(ts), "
      "STEP => INTERVAL '2' MINUTES, INTERVAL '10' MINUTES)) AS w");
  const auto& fn = selectOf(statement).from->as<TableFunctionRef>();
  EXPECT_EQ(fn.function.toString(), "CUMULATE");
  EXPECT_FALSE(fn.lateral);
  EXPECT_EQ(fn.alias->name, "w");
  ASSERT_EQ(fn.arguments.size(), 4u);
  EXPECT_EQ(fn.arguments[0].kind, TableArgumentKind::kTable);
  EXPECT_EQ(fn.arguments[0].table.toString(), "db.Bid");
  ASSERT_EQ(fn.arguments[0].partitionBy.size(), 2u);
  EXPECT_EQ(fn.arguments[1].kind, TableArgumentKind::kDescriptor);
  ASSERT_EQ(fn.arguments[1].descriptorColumns.size(), 1u);
  EXPECT_EQ(fn.arguments[1].descriptorColumns[0].name, "ts");
  EXPECT_EQ(fn.arguments[2].name->name, "STEP");
  EXPECT_EQ(fn.arguments[2].kind, TableArgumentKind::kExpression);
  EXPECT_EQ(fn.arguments[2].expression->kind, AstExprKind::kInterval);
  EXPECT_FALSE(fn.arguments[3].name.has_value());
}

TEST(ParserQuery, LateralTableFunctionsAndTemporalJoins) {
  EXPECT_EQ(printStatement("SELECT id, w FROM t, LATERAL TABLE(split(s)) AS T(w)"),
            "SELECT id, w FROM t, LATERAL TABLE(split(s)) AS T (w)");
  EXPECT_EQ(printStatement("SELECT id, w FROM t LEFT JOIN LATERAL TABLE(split(s)) AS T(w) ON TRUE"),
            "SELECT id, w FROM t LEFT JOIN LATERAL TABLE(split(s)) AS T (w) ON TRUE");
  EXPECT_EQ(printStatement("SELECT * FROM o JOIN r FOR SYSTEM_TIME AS OF o.ts AS r2 ON o.c = r2.c"),
            "SELECT * FROM o INNER JOIN r FOR SYSTEM_TIME AS OF o.ts AS r2 ON o.c = r2.c");
  auto statement = parseOk("SELECT * FROM o JOIN r FOR SYSTEM_TIME AS OF o.proc AS x ON TRUE");
  const auto& join = selectOf(statement).from->as<JoinTableRef>();
  const auto& versioned = join.right->as<NamedTableRef>();
  ASSERT_NE(versioned.systemTimeAsOf, nullptr);
  EXPECT_EQ(toString(*versioned.systemTimeAsOf), "o.proc");
  EXPECT_EQ(versioned.alias->name, "x");
  auto lateral = parseOk("SELECT * FROM t, LATERAL TABLE(f(a, 1))");
  const auto& fn = selectOf(lateral).from->as<JoinTableRef>().right->as<TableFunctionRef>();
  EXPECT_TRUE(fn.lateral);
  EXPECT_EQ(fn.arguments.size(), 2u);
}

TEST(ParserQuery, Unnest) {
  EXPECT_EQ(printStatement("SELECT o.id, t.tag FROM orders o CROSS JOIN UNNEST(o.tags) AS t (tag)"),
            "SELECT o.id, t.tag FROM orders AS o CROSS JOIN UNNEST(o.tags) AS t (tag)");
  EXPECT_EQ(printStatement("SELECT * FROM UNNEST(ARRAY[1, 2], m) WITH ORDINALITY u (x, k, v, n)"),
            "SELECT * FROM UNNEST(ARRAY[1, 2], m) WITH ORDINALITY AS u (x, k, v, n)");
  auto statement = parseOk("SELECT * FROM t, UNNEST(t.a) WITH ORDINALITY AS x (v, i)");
  const auto& unnest = selectOf(statement).from->as<JoinTableRef>().right->as<UnnestTableRef>();
  EXPECT_TRUE(unnest.withOrdinality);
  ASSERT_EQ(unnest.arguments.size(), 1u);
  EXPECT_EQ(unnest.alias->name, "x");
  EXPECT_EQ(unnest.columnAliases.size(), 2u);
}

TEST(ParserQuery, Hints) {
  EXPECT_EQ(printStatement("SELECT * FROM kafka /*+ OPTIONS('scan.startup.mode'='earliest-offset') "
                           "*/ k"),
            "SELECT * FROM kafka /*+ OPTIONS('scan.startup.mode' = 'earliest-offset') */ AS k");
  EXPECT_EQ(printStatement("SELECT /*+ BROADCAST(d), STATE_TTL('o' = '1d') */ * FROM o JOIN d ON "
                           "TRUE"),
            "SELECT /*+ BROADCAST(d), STATE_TTL('o' = '1d') */ * FROM o INNER JOIN d ON TRUE");
  // Hint comments anywhere else are comments, as in Flink.
  EXPECT_EQ(printStatement("SELECT a /*+ X */ FROM t WHERE /*+ Y */ a > 1"),
            "SELECT a FROM t WHERE a > 1");
  auto statement = parseOk(
      "SELECT /*+ NO_HINT */ * FROM t /*+ OPTIONS('a' = '1', 'b' = '2'), X(t1, t2) */ FOR "
      "SYSTEM_TIME AS OF p AS x");
  const SelectBody& select = selectOf(statement);
  ASSERT_EQ(select.hints.size(), 1u);
  EXPECT_EQ(select.hints[0].name.name, "NO_HINT");
  const auto& table = select.from->as<NamedTableRef>();
  ASSERT_EQ(table.hints.size(), 2u);
  EXPECT_EQ(table.hints[0].name.name, "OPTIONS");
  ASSERT_EQ(table.hints[0].options.size(), 2u);
  EXPECT_EQ(table.hints[0].options[1].key, "b");
  EXPECT_EQ(table.hints[0].options[1].value, "2");
  ASSERT_EQ(table.hints[1].names.size(), 2u);
  EXPECT_EQ(table.hints[1].names[1].name, "t2");
  EXPECT_NE(table.systemTimeAsOf, nullptr);
  EXPECT_EQ(table.alias->name, "x");
  // Positions inside hints are positions in the statement.
  auto bad = parseStatement("SELECT * FROM t /*+\n  OPTIONS('a' 5) */");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.error().line, 2);
  EXPECT_EQ(bad.error().column, 15);
  EXPECT_EQ(bad.error().message, "expected '=' after the hint option key, found number 5");
}

TEST(ParserQuery, SpansOfQueryParts) {
  std::string_view sql = "SELECT a,\n       price + 1 AS p\nFROM bid B";
  auto statement = parseOk(sql);
  const SelectBody& select = selectOf(statement);
  const SelectItem& item = select.items[1];
  EXPECT_EQ(item.span.line, 2);
  EXPECT_EQ(item.span.column, 8);
  EXPECT_EQ(sql.substr(item.span.offset, item.span.length), "price + 1 AS p");
  EXPECT_EQ(item.alias->span.column, 21);
  const auto& table = select.from->as<NamedTableRef>();
  EXPECT_EQ(table.span.line, 3);
  EXPECT_EQ(sql.substr(table.span.offset, table.span.length), "bid B");
  EXPECT_EQ(statement->span.offset, 0);
  EXPECT_EQ(statement->span.length, static_cast<int>(sql.size()));
}

}  // namespace
}  // namespace glint::sql
