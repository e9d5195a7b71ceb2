// PROCTIME() and processing-time windows, lookup joins against bounded tables, and
// user-defined scalar functions (built-in and loaded from a shared library). Expected rows are
// computed by hand from the test data.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "glint/sql/session.h"

namespace glint::sql {
namespace {

using Row = std::vector<std::optional<std::string>>;
using Rows = std::vector<Row>;

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

Row row(std::initializer_list<const char*> values) {
  Row r;
  for (const char* v : values) r.push_back(v ? std::optional<std::string>(v) : std::nullopt);
  return r;
}

StatementResult run(SqlSession& s, const std::string& sql) {
  auto r = s.execute(sql);
  EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
  return r.isOk() ? std::move(r).value() : StatementResult{};
}

std::string errorOf(SqlSession& s, const std::string& sql) {
  auto r = s.execute(sql);
  EXPECT_FALSE(r.isOk()) << sql;
  return r.isOk() ? "" : r.status().message();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("glint_proctime_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

// 30 rows: key k<i % 3> for i in 0..29, so 10 rows per key.
std::string eventsCsv() {
  std::string text;
  for (int i = 0; i < 30; ++i) text += std::to_string(i) + ",k" + std::to_string(i % 3) + "\n";
  return text;
}

TEST(ProctimeTest, DescribeShowsTheProcessingTimeAttribute) {
  TempDir dir;
  SqlSession s;
  run(s,
      "CREATE TABLE t (id BIGINT, k STRING, p AS PROCTIME()) WITH ('connector' = "
      "'filesystem', 'path' = '" +
          dir.write("t.csv", eventsCsv()) + "', 'format' = 'csv')");
  auto d = run(s, "DESCRIBE t");
  ASSERT_EQ(d.table.rows.size(), 3u);
  EXPECT_EQ(d.table.rows[2][0], "p");
  EXPECT_EQ(d.table.rows[2][1], "TIMESTAMP_LTZ(3) *PROCTIME*");
  EXPECT_EQ(d.table.rows[2][2], "FALSE");  // PROCTIME() is never NULL
}

TEST(ProctimeTest, TumblingWindowCountsSumToTheInput) {
  TempDir dir;
  SqlSession s;
  run(s,
      "CREATE TABLE t (id BIGINT, k STRING, p AS PROCTIME()) WITH ('connector' = "
      "'filesystem', 'path' = '" +
          dir.write("t.csv", eventsCsv()) + "', 'format' = 'csv')");
  // Every row falls in some 1-minute window of the clock; the windows left at the end of the
  // bounded input fire then, so the per-key totals are the input's.
  const std::string windows =
      "SELECT k, COUNT(*) AS c, window_start, window_end FROM TABLE(TUMBLE(TABLE t, "
      "DESCRIPTOR(p), INTERVAL '1' MINUTE)) GROUP BY k, window_start, window_end";
  auto r = run(s, "SELECT k, SUM(c) FROM (" + windows + ") GROUP BY k");
  EXPECT_EQ(sorted(r.table.rows), Rows({row({"k0", "10"}), row({"k1", "10"}), row({"k2", "10"})}));
  // HOP: every row is in size / slide = 2 windows.
  auto hop = run(s,
                 "SELECT SUM(c) FROM (SELECT COUNT(*) AS c FROM TABLE(HOP(TABLE t, DESCRIPTOR(p), "
                 "INTERVAL '30' SECOND, INTERVAL '1' MINUTE)) GROUP BY window_start, window_end)");
  EXPECT_EQ(hop.table.rows, Rows({row({"60"})}));
  // The window's bounds are from the clock: window_end - window_start is the size.
  auto bounds = run(
      s, "SELECT DISTINCT TIMESTAMPDIFF(SECOND, window_start, window_end) FROM (" + windows + ")");
  EXPECT_EQ(bounds.table.rows, Rows({row({"60"})}));
}

TEST(ProctimeTest, SelectItemProctimeIsATimeAttribute) {
  TempDir dir;
  SqlSession s;
  run(s, "CREATE TABLE t (id BIGINT, k STRING) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.write("t.csv", eventsCsv()) + "', 'format' = 'csv')");
  run(s, "CREATE VIEW v AS SELECT *, PROCTIME() AS p FROM t");
  auto r = run(s,
               "SELECT SUM(c) FROM (SELECT COUNT(*) AS c FROM TABLE(TUMBLE(TABLE v, DESCRIPTOR(p), "
               "INTERVAL '1' HOUR)) GROUP BY window_start, window_end)");
  EXPECT_EQ(r.table.rows, Rows({row({"30"})}));
}

TEST(ProctimeTest, Errors) {
  TempDir dir;
  SqlSession s;
  run(s,
      "CREATE TABLE t (id BIGINT, k STRING, p AS PROCTIME()) WITH ('connector' = "
      "'filesystem', 'path' = '" +
          dir.write("t.csv", eventsCsv()) + "', 'format' = 'csv')");
  // Batch mode has no processing time (as Flink).
  run(s, "SET 'execution.runtime-mode' = 'batch'");
  std::string e = errorOf(s,
                          "SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(p), INTERVAL '1' "
                          "MINUTE)) GROUP BY window_start, window_end");
  EXPECT_TRUE(contains(e, "processing-time")) << e;
  EXPECT_TRUE(contains(e, "batch")) << e;
  run(s, "SET 'execution.runtime-mode' = 'streaming'");
  // A column that is no time attribute: the hint names both kinds.
  e = errorOf(s,
              "SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(id), INTERVAL '1' MINUTE)) "
              "GROUP BY window_start, window_end");
  EXPECT_TRUE(contains(e, "line 1, column 55")) << e;
  EXPECT_TRUE(contains(e, "PROCTIME()")) << e;
  e = errorOf(s,
              "SELECT COUNT(*) FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(p), INTERVAL '1' MINUTE, "
              "INTERVAL '1' HOUR)) GROUP BY window_start, window_end");
  EXPECT_TRUE(contains(e, "CUMULATE")) << e;
  EXPECT_TRUE(contains(e, "line 1, column")) << e;
  e = errorOf(s, "SELECT PROCTIME(1) FROM t");
  EXPECT_TRUE(contains(e, "PROCTIME")) << e;
}

// ---- lookup joins

struct LookupTables {
  TempDir dir;
  SqlSession s;
  LookupTables() {
    // Orders 1..6 with a customer key; customers 1..3 (key 4 has none; order 6 has NULL).
    run(s,
        "CREATE TABLE orders (id BIGINT, customer BIGINT, p AS PROCTIME(), ts TIMESTAMP(3), "
        "WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' = '" +
            dir.write("orders.csv",
                      "1,1,2024-01-01 00:00:00\n2,2,2024-01-01 00:00:01\n3,1,2024-01-01 "
                      "00:00:02\n4,4,2024-01-01 00:00:03\n5,13,2024-01-01 00:00:04\n6,,"
                      "2024-01-01 00:00:05\n") +
            "', 'format' = 'csv')");
    run(s,
        "CREATE TABLE customers (key BIGINT, name STRING, tier INT) WITH ('connector' = "
        "'filesystem', 'path' = '" +
            dir.write("customers.csv", "1,ann,1\n2,bob,2\n3,cid,1\n") + "', 'format' = 'csv')");
  }
};

TEST(LookupJoinTest, InnerAndLeftJoinEqualTheReference) {
  LookupTables t;
  auto inner = run(t.s,
                   "SELECT o.id, c.name FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.p "
                   "AS c ON o.customer = c.key");
  EXPECT_EQ(sorted(inner.table.rows),
            Rows({row({"1", "ann"}), row({"2", "bob"}), row({"3", "ann"})}));
  auto left = run(t.s,
                  "SELECT o.id, c.name, c.tier FROM orders AS o LEFT JOIN customers FOR "
                  "SYSTEM_TIME AS OF o.p AS c ON o.customer = c.key");
  EXPECT_EQ(sorted(left.table.rows),
            sorted(Rows({row({"1", "ann", "1"}), row({"2", "bob", "2"}), row({"3", "ann", "1"}),
                         row({"4", nullptr, nullptr}), row({"5", nullptr, nullptr}),
                         row({"6", nullptr, nullptr})})));
  // An expression key (as Nexmark q13's MOD) and a residual condition on the table's columns:
  // MOD(13, 10) = 3 finds cid; the residual keeps tier 1 only, LEFT pads the others.
  auto expr = run(t.s,
                  "SELECT o.id, c.name FROM orders AS o LEFT JOIN customers FOR SYSTEM_TIME AS OF "
                  "o.p AS c ON MOD(o.customer, 10) = c.key AND c.tier = 1");
  EXPECT_EQ(sorted(expr.table.rows),
            sorted(Rows({row({"1", "ann"}), row({"2", nullptr}), row({"3", "ann"}),
                         row({"4", nullptr}), row({"5", "cid"}), row({"6", nullptr})})));
  // The same in batch mode (a lookup join needs no clock).
  run(t.s, "SET 'execution.runtime-mode' = 'batch'");
  auto batch = run(t.s,
                   "SELECT o.id, c.name FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.p "
                   "AS c ON o.customer = c.key WHERE c.tier = 1");
  EXPECT_EQ(sorted(batch.table.rows), Rows({row({"1", "ann"}), row({"3", "ann"})}));
}

TEST(LookupJoinTest, Errors) {
  LookupTables t;
  std::string e = errorOf(t.s,
                          "SELECT o.id FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.p "
                          "AS c\nON o.customer > c.key");
  EXPECT_TRUE(contains(e, "line 2, column 4")) << e;
  EXPECT_TRUE(contains(e, "equality")) << e;
  run(t.s,
      "CREATE TABLE endless (key BIGINT, name STRING) WITH ('connector' = 'datagen', "
      "'rows-per-second' = '10')");
  e = errorOf(t.s,
              "SELECT o.id FROM orders AS o JOIN endless FOR SYSTEM_TIME AS OF o.p AS c ON "
              "o.customer = c.key");
  EXPECT_TRUE(contains(e, "line 1, column 35")) << e;
  EXPECT_TRUE(contains(e, "lookup table")) << e;
  e = errorOf(t.s,
              "SELECT o.id FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.ts AS c ON "
              "o.customer = c.key");
  EXPECT_TRUE(contains(e, "event-time temporal joins")) << e;
  e = errorOf(t.s,
              "SELECT o.id FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.id AS c ON "
              "o.customer = c.key");
  EXPECT_TRUE(contains(e, "processing-time attribute")) << e;
  e = errorOf(t.s,
              "SELECT o.id FROM orders AS o FULL JOIN customers FOR SYSTEM_TIME AS OF o.p AS c ON "
              "o.customer = c.key");
  EXPECT_TRUE(contains(e, "INNER or LEFT")) << e;
}

// ---- user-defined functions

TEST(UdfTest, BuiltinCountCharAndCatalog) {
  SqlSession s;
  run(s, "CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar'");
  auto r = run(s,
               "SELECT count_char('character', 'c'), count_char('abc', ''), "
               "count_char(CAST(NULL AS STRING), 'c'), COUNT_CHAR('xyzz', 'zc')");
  EXPECT_EQ(r.table.rows, Rows({row({"2", "0", nullptr, "2"})}));
  EXPECT_EQ(run(s, "SHOW USER FUNCTIONS").table.rows, Rows({row({"count_char"})}));
  auto all = run(s, "SHOW FUNCTIONS").table.rows;
  EXPECT_NE(std::find(all.begin(), all.end(), row({"count_char"})), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), row({"UPPER"})), all.end());
  std::string e =
      errorOf(s, "CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar'");
  EXPECT_TRUE(contains(e, "already exists")) << e;
  run(s, "CREATE FUNCTION IF NOT EXISTS count_char AS 'com.github.nexmark.flink.udf.CountChar'");
  run(s, "DROP FUNCTION count_char");
  e = errorOf(s, "SELECT count_char('a', 'a')");
  EXPECT_TRUE(contains(e, "unknown function")) << e;
  run(s, "DROP FUNCTION IF EXISTS count_char");
  e = errorOf(s, "DROP FUNCTION count_char");
  EXPECT_TRUE(contains(e, "does not exist")) << e;
}

TEST(UdfTest, Errors) {
  SqlSession s;
  std::string e = errorOf(s, "CREATE FUNCTION f AS 'com.github.nexmark.flink.udf.CountCha'");
  EXPECT_TRUE(contains(e, "'com.github.nexmark.flink.udf.CountCha'")) << e;
  EXPECT_TRUE(contains(e, "did you mean 'com.github.nexmark.flink.udf.CountChar'")) << e;
  e = errorOf(s, "CREATE FUNCTION upper AS 'com.github.nexmark.flink.udf.CountChar'");
  EXPECT_TRUE(contains(e, "built-in")) << e;
  run(s, "CREATE FUNCTION cc AS 'com.github.nexmark.flink.udf.CountChar'");
  e = errorOf(s, "SELECT 1,\n  cc('abc')");
  EXPECT_TRUE(contains(e, "line 2, column 3")) << e;
  EXPECT_TRUE(contains(e, "expects (STRING, STRING) -> BIGINT, got (VARCHAR)")) << e;
  e = errorOf(s, "SELECT cc('abc', 5)");
  EXPECT_TRUE(contains(e, "line 1, column 8")) << e;
  EXPECT_TRUE(contains(e, "got (VARCHAR, INT)")) << e;
  e = errorOf(s, "CREATE FUNCTION g AS 'x' USING JAR '/nonexistent/libnothing.so'");
  EXPECT_TRUE(contains(e, "/nonexistent/libnothing.so")) << e;
  EXPECT_TRUE(contains(e, "No such file")) << e;  // dlerror's text
  e = errorOf(s, "CREATE FUNCTION g AS 'x' LANGUAGE PYTHON");
  EXPECT_TRUE(contains(e, "PYTHON")) << e;
}

TEST(UdfTest, SharedLibraryFunctions) {
  const std::string library = std::string(GLINT_BINARY_DIR) + "/libglint_test_udfs.so";
  SqlSession s;
  run(s, "CREATE TEMPORARY FUNCTION twice AS 'glint.test.Twice' LANGUAGE JAVA USING JAR '" +
             library + "'");
  // The library is loaded once; later functions from it need no JAR clause.
  run(s, "CREATE FUNCTION greet AS 'glint.test.Greet'");
  run(s, "CREATE FUNCTION square_sum AS 'glint.test.SquareSum' USING JAR '" + library + "'");
  auto r = run(s,
               "SELECT twice(x), greet(n), square_sum(x, 0.5) FROM (VALUES (1, 'ann'), (-4, ''), "
               "(CAST(NULL AS INT), CAST(NULL AS STRING))) AS v(x, n)");
  EXPECT_EQ(sorted(r.table.rows),
            sorted(Rows({row({"2", "hello ann", "1.25"}), row({"-8", nullptr, "16.25"}),
                         row({nullptr, nullptr, nullptr})})));
  // A constant call is folded at planning time and gives the same value.
  EXPECT_EQ(run(s, "SELECT twice(21)").table.rows, Rows({row({"42"})}));
}

}  // namespace
}  // namespace glint::sql
