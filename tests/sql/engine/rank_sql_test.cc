// ROW_NUMBER() OVER Top-N and deduplication in both runtime modes: final rows against a
// hand-written model (sort each partition, keep the first N), streaming changelogs by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "glint/sql/session.h"

namespace glint::sql {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

StatementResult run(SqlSession& s, const std::string& sql) {
  auto r = s.execute(sql);
  EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
  return r.isOk() ? std::move(r).value() : StatementResult{};
}

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::optional<std::string>> row(std::vector<std::optional<std::string>> v) {
  return v;
}

class RankBothModes : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    run(s, std::string("SET 'execution.runtime-mode' = '") + GetParam() + "'");
  }
  bool streaming() const { return std::string(GetParam()) == "streaming"; }
  SqlSession s;
};

const char* kInput =
    "(VALUES ('a', 1), ('a', 5), ('a', 3), ('b', 2), ('a', 7), ('b', 4)) AS t(k, x)";

TEST_P(RankBothModes, TopNWithRankColumn) {
  auto r = run(s, std::string("SELECT * FROM (SELECT k, x, ROW_NUMBER() OVER (PARTITION BY k "
                              "ORDER BY x DESC) AS rn FROM ") +
                      kInput + ") WHERE rn <= 2");
  EXPECT_EQ(r.table.columnNames, (std::vector<std::string>{"k", "x", "rn"}));
  EXPECT_EQ(sorted(r.table.rows), Rows({row({"a", "5", "2"}), row({"a", "7", "1"}),
                                        row({"b", "2", "2"}), row({"b", "4", "1"})}));
  if (!streaming()) return;
  // Partition a, in input order: each rank whose row changes is updated (retract rank).
  std::vector<std::string> a;
  for (const auto& line : r.table.changelog)
    if (line.find("[a,") != std::string::npos) a.push_back(line);
  EXPECT_EQ(a, (std::vector<std::string>{"+I[a, 1, 1]", "-U[a, 1, 1]", "+U[a, 5, 1]", "+I[a, 1, 2]",
                                         "-U[a, 1, 2]", "+U[a, 3, 2]", "-U[a, 5, 1]", "+U[a, 7, 1]",
                                         "-U[a, 3, 2]", "+U[a, 5, 2]"}));
}

TEST_P(RankBothModes, TopNWithoutRankColumn) {
  auto r = run(s, std::string("SELECT k, x FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k "
                              "ORDER BY x DESC) AS rn FROM ") +
                      kInput + ") WHERE rn < 3");
  EXPECT_EQ(r.table.columnNames, (std::vector<std::string>{"k", "x"}));
  EXPECT_EQ(sorted(r.table.rows),
            Rows({row({"a", "5"}), row({"a", "7"}), row({"b", "2"}), row({"b", "4"})}));
  if (!streaming()) return;
  // Only rows entering (+I) and leaving (-D) the top 2.
  std::vector<std::string> a;
  for (const auto& line : r.table.changelog)
    if (line.find("[a,") != std::string::npos) a.push_back(line);
  EXPECT_EQ(a, (std::vector<std::string>{"+I[a, 1]", "+I[a, 5]", "-D[a, 1]", "+I[a, 3]", "-D[a, 3]",
                                         "+I[a, 7]"}));
}

TEST_P(RankBothModes, TopNMatchesModelOnRandomInput) {
  std::mt19937 rng(7);
  std::vector<int> xs(300);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<int>(i);
  std::shuffle(xs.begin(), xs.end(), rng);  // distinct values: the top N has no ties
  std::string values;
  std::map<int, std::vector<int>> byKey;
  for (size_t i = 0; i < xs.size(); ++i) {
    const int k = static_cast<int>(rng() % 7);
    values += (i ? ", (" : "(") + std::to_string(k) + ", " + std::to_string(xs[i]) + ")";
    byKey[k].push_back(xs[i]);
  }
  Rows expected;
  for (auto& [k, v] : byKey) {
    std::sort(v.begin(), v.end());  // ascending: rank 1 is the smallest
    for (size_t i = 0; i < v.size() && i < 3; ++i)
      expected.push_back(row({std::to_string(k), std::to_string(v[i]), std::to_string(i + 1)}));
  }
  auto r = run(s,
               "SELECT k, x, rn FROM (SELECT k, x, ROW_NUMBER() OVER (PARTITION BY k ORDER "
               "BY x) AS rn FROM (VALUES " +
                   values + ") AS t(k, x)) WHERE 3 >= rn");
  EXPECT_EQ(sorted(r.table.rows), sorted(expected));
}

TEST_P(RankBothModes, DeduplicateKeepFirstAndLast) {
  const std::string input =
      "(VALUES ('a', 10, 'first'), ('b', 5, 'b1'), ('a', 20, 'second'), ('a', 30, 'third'), "
      "('b', 6, 'b2')) AS t(k, ts, v)";
  auto first = run(s,
                   "SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY "
                   "ts ASC) AS rn FROM " +
                       input + ") WHERE rn = 1");
  EXPECT_EQ(sorted(first.table.rows), Rows({row({"a", "first"}), row({"b", "b1"})}));
  if (streaming()) {
    // Keep-first never changes a row once emitted: insert-only in effect.
    for (const auto& line : first.table.changelog) EXPECT_EQ(line.substr(0, 2), "+I") << line;
  }
  auto last = run(s,
                  "SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY "
                  "ts DESC) AS rn FROM " +
                      input + ") WHERE rn = 1");
  EXPECT_EQ(sorted(last.table.rows), Rows({row({"a", "third"}), row({"b", "b2"})}));
}

TEST_P(RankBothModes, TopNOverUpdatingAggregate) {
  // Counts: a=3, b=1, c=4, d=2 at the end; the top 2 by count are c and a.
  auto r = run(s,
               "SELECT k, c FROM (SELECT k, c, ROW_NUMBER() OVER (ORDER BY c DESC) AS rn FROM "
               "(SELECT k, COUNT(*) AS c FROM (VALUES ('a'), ('b'), ('a'), ('c'), ('d'), ('c'), "
               "('a'), ('c'), ('d'), ('c')) AS t(k) GROUP BY k)) WHERE rn <= 2");
  EXPECT_EQ(sorted(r.table.rows), Rows({row({"a", "3"}), row({"c", "4"})}));
}

TEST_P(RankBothModes, RowNumberWithoutFilter) {
  const std::string sql =
      "SELECT k, x, ROW_NUMBER() OVER (PARTITION BY k ORDER BY x) AS rn FROM (VALUES ('a', 2), "
      "('a', 1), ('b', 3)) AS t(k, x)";
  auto r = s.execute(sql);
  if (streaming()) {
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.status().message().find("rn <= N"), std::string::npos) << r.status().message();
    return;
  }
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(sorted(r->table.rows),
            Rows({row({"a", "1", "1"}), row({"a", "2", "2"}), row({"b", "3", "1"})}));
}

INSTANTIATE_TEST_SUITE_P(RuntimeModes, RankBothModes, ::testing::Values("streaming", "batch"));

TEST(SqlRankTest, ExplainShowsRankWithLimit) {
  SqlSession s;
  auto r = run(s, std::string("EXPLAIN SELECT k, x FROM (SELECT *, ROW_NUMBER() OVER (PARTITION "
                              "BY k ORDER BY x DESC) AS rn FROM ") +
                      kInput + ") WHERE rn <= 2");
  const std::string optimized = r.message.substr(r.message.find("Optimized"));
  // The filter became the rank's limit, and the unread rank column is gone.
  EXPECT_NE(optimized.find("DESC], rankRange=[1..2])"), std::string::npos) << r.message;
  EXPECT_EQ(optimized.find("rn <="), std::string::npos) << r.message;
  EXPECT_NE(optimized.find("AppendRank(partitionKeys=1, limit=2)"), std::string::npos) << r.message;
}

TEST(SqlRankTest, OtherWindowFunctionsAndMissingOrderAreErrors) {
  SqlSession s;
  auto noOrder = s.execute("SELECT ROW_NUMBER() OVER (PARTITION BY k) FROM (VALUES (1)) AS t(k)");
  ASSERT_FALSE(noOrder.isOk());
  EXPECT_NE(noOrder.status().message().find("ORDER BY"), std::string::npos);
  auto rank = s.execute("SELECT RANK() OVER (ORDER BY k) FROM (VALUES (1)) AS t(k)");
  ASSERT_FALSE(rank.isOk());
  EXPECT_NE(rank.status().message().find("RANK"), std::string::npos);
}

}  // namespace
}  // namespace glint::sql

namespace glint::sql {
namespace {

// Window Top-N over a window aggregate: insert-only, one row per window and rank when the
// window fires. Totals per 10 s window: [0,10) a 3, b 9; [10,20) a 4, b 1.
TEST(SqlRankTest, WindowTopNIsInsertOnly) {
  SqlSession s;
  const std::string sql =
      "SELECT window_start, k, total, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
      "window_start, window_end ORDER BY total DESC) AS rn FROM (SELECT window_start, "
      "window_end, k, SUM(v) AS total FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' "
      "SECOND)) GROUP BY window_start, window_end, k)) WHERE rn <= 1";
  const auto path = std::filesystem::temp_directory_path() / "glint_sqltopn_window.csv";
  {
    std::ofstream out(path);
    out << "a,1,2024-01-01 00:00:01\nb,9,2024-01-01 00:00:02\na,2,2024-01-01 00:00:05\n"
           "a,4,2024-01-01 00:00:11\nb,1,2024-01-01 00:00:12\n";
  }
  run(s,
      "CREATE TABLE t (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL "
      "'1' SECOND) WITH ('connector' = 'filesystem', 'path' = '" +
          path.string() + "', 'format' = 'csv')");
  auto plan = s.execute("EXPLAIN " + sql);
  ASSERT_TRUE(plan.isOk()) << plan.status().message();
  EXPECT_NE(plan->message.find("WindowRank("), std::string::npos) << plan->message;
  auto r = run(s, sql);
  EXPECT_EQ(sorted(r.table.rows), Rows({row({"2024-01-01 00:00:00.000", "b", "9", "1"}),
                                        row({"2024-01-01 00:00:10.000", "a", "4", "1"})}));
  EXPECT_EQ(r.table.changelog.size(), 2u);
  for (const auto& line : r.table.changelog) EXPECT_EQ(line.substr(0, 2), "+I") << line;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace glint::sql
