// Window joins, interval joins and window TVFs without aggregation through SqlSession: the plan
// uses the time-bounded operators (EXPLAIN), and the rows equal a nested-loop model computed
// here over the same generated rows, in both runtime modes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "glint/sql/session.h"

namespace glint::sql {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

struct Event {
  int64_t id;
  int64_t key;
  int64_t ts;  // milliseconds after 2024-01-01 00:00:00
};

std::string timestampText(int64_t ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2024-01-01 %02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

// Rows in time order (nothing is late), keys 0..4, ids from `firstId`.
std::vector<Event> generate(uint64_t seed, int64_t firstId, int n) {
  std::mt19937_64 rng(seed);
  std::vector<Event> out;
  int64_t ts = 0;
  for (int i = 0; i < n; ++i) {
    ts += static_cast<int64_t>(rng() % 700);
    out.push_back({firstId + i, static_cast<int64_t>(rng() % 5), ts});
  }
  return out;
}

class WindowJoinSqlTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("glint_window_join_sql_" + std::to_string(::getpid()) + "_" + GetParam());
    std::filesystem::remove_all(dir_);
    left_ = generate(1, 0, 300);
    right_ = generate(2, 1000, 300);
    write("l", left_);
    write("r", right_);
    execute("SET 'execution.runtime-mode' = '" + GetParam() + "'");
    for (const char* t : {"l", "r"})
      execute(std::string("CREATE TABLE ") + t +
              " (id BIGINT, k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' "
              "SECOND) WITH ('connector' = 'filesystem', 'format' = 'csv', 'path' = '" +
              (dir_ / t).string() + "')");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::vector<Event>& events) {
    std::filesystem::create_directories(dir_ / name);
    std::ofstream f(dir_ / name / "part-0.csv");
    for (const auto& e : events) f << e.id << "," << e.key << "," << timestampText(e.ts) << "\n";
  }
  StatementResult execute(const std::string& sql) {
    auto r = session_.execute(sql);
    EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
    return r.isOk() ? std::move(r).value() : StatementResult{};
  }
  Rows query(const std::string& sql) {
    Rows rows = execute(sql).table.rows;
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  // Timestamps cast to STRING, to the second (the fraction's format is not under test here).
  static Rows secondsOf(Rows rows, size_t column) {
    for (auto& r : rows)
      if (r[column]) r[column] = r[column]->substr(0, 19);
    return sorted(rows);
  }
  static Rows sorted(Rows rows) {
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  static std::vector<std::optional<std::string>> ids(int64_t a, int64_t b) {
    return {std::to_string(a), std::to_string(b)};
  }

  SqlSession session_;
  std::filesystem::path dir_;
  std::vector<Event> left_, right_;
};

TEST_P(WindowJoinSqlTest, IntervalJoinBoundsBothTimeAttributes) {
  const std::string sql =
      "SELECT L.id, R.id FROM l L JOIN r R ON L.k = R.k "
      "AND L.ts BETWEEN R.ts - INTERVAL '1' SECOND AND R.ts + INTERVAL '2' SECOND";
  const std::string plan = execute("EXPLAIN " + sql).message;
  EXPECT_NE(plan.find("IntervalJoin(keys=1, right.rowtime - left.rowtime in [-2000, 1000] ms"),
            std::string::npos)
      << plan;
  Rows expected;
  for (const auto& a : left_)
    for (const auto& b : right_)
      if (a.key == b.key && a.ts >= b.ts - 1000 && a.ts <= b.ts + 2000)
        expected.push_back(ids(a.id, b.id));
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(query(sql), sorted(expected));
}

TEST_P(WindowJoinSqlTest, IntervalJoinWithStrictBoundsAndResidual) {
  // Strict bounds become inclusive ones a millisecond inside; the residual still applies.
  const std::string sql =
      "SELECT L.id, R.id FROM l L, r R WHERE L.k = R.k AND R.ts > L.ts "
      "AND R.ts < L.ts + INTERVAL '2' SECOND AND L.id % 3 <> R.id % 3";
  const std::string plan = execute("EXPLAIN " + sql).message;
  EXPECT_NE(plan.find("right.rowtime - left.rowtime in [1, 1999] ms"), std::string::npos) << plan;
  Rows expected;
  for (const auto& a : left_)
    for (const auto& b : right_)
      if (a.key == b.key && b.ts > a.ts && b.ts < a.ts + 2000 && a.id % 3 != b.id % 3)
        expected.push_back(ids(a.id, b.id));
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(query(sql), sorted(expected));
}

TEST_P(WindowJoinSqlTest, WindowJoinOfTwoTumbleTvfs) {
  const std::string sql =
      "SELECT L.id, R.id FROM (SELECT * FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), "
      "INTERVAL '5' SECOND))) L JOIN (SELECT * FROM TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), "
      "INTERVAL '5' SECOND))) R ON L.window_start = R.window_start "
      "AND L.window_end = R.window_end AND L.k = R.k";
  const std::string plan = execute("EXPLAIN " + sql).message;
  EXPECT_NE(plan.find("WindowJoin(joinType=[InnerJoin]"), std::string::npos) << plan;
  EXPECT_NE(plan.find("changelogMode=[I]"), std::string::npos) << plan;
  Rows expected;
  for (const auto& a : left_)
    for (const auto& b : right_)
      if (a.key == b.key && a.ts / 5000 == b.ts / 5000) expected.push_back(ids(a.id, b.id));
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(query(sql), sorted(expected));
}

TEST_P(WindowJoinSqlTest, HopTvfWithoutAggregationRepeatsRowsPerWindow) {
  // Every row once per 4 s window, every 2 s, that contains it; WHERE reads window columns.
  Rows rows = secondsOf(
      query("SELECT id, CAST(window_end AS STRING) FROM TABLE(HOP(TABLE l, DESCRIPTOR(ts), "
            "INTERVAL '2' SECOND, INTERVAL '4' SECOND)) WHERE window_start >= TIMESTAMP "
            "'2024-01-01 00:00:10'"),
      1);
  Rows expected;
  for (const auto& e : left_) {
    const int64_t last = e.ts / 2000 * 2000;
    for (int64_t start = last; start > e.ts - 4000; start -= 2000)
      if (start >= 10000)
        expected.push_back({std::to_string(e.id), timestampText(start + 4000).substr(0, 19)});
  }
  EXPECT_EQ(rows, sorted(expected));
}

TEST_P(WindowJoinSqlTest, CumulateWindowAggregate) {
  Rows rows = secondsOf(
      query("SELECT k, CAST(window_end AS STRING), COUNT(*), MAX(id) FROM TABLE(CUMULATE(TABLE l, "
            "DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '6' SECOND)) GROUP BY k, window_start, "
            "window_end"),
      1);
  std::map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>> model;  // count, max id
  for (const auto& e : left_) {
    const int64_t base = e.ts / 6000 * 6000;
    for (int64_t end = base + 2000; end <= base + 6000; end += 2000)
      if (end > e.ts) {
        auto& m = model[{e.key, end}];
        ++m.first;
        m.second = std::max(m.second, e.id);
      }
  }
  Rows expected;
  for (const auto& [k, v] : model)
    expected.push_back({std::to_string(k.first), timestampText(k.second).substr(0, 19),
                        std::to_string(v.first), std::to_string(v.second)});
  EXPECT_EQ(rows, sorted(expected));
}

INSTANTIATE_TEST_SUITE_P(Modes, WindowJoinSqlTest, ::testing::Values("streaming", "batch"));

}  // namespace
}  // namespace glint::sql
