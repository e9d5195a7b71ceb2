// LEFT / RIGHT / FULL window joins and interval joins through SqlSession: EXPLAIN shows the
// time-bounded operators with an insert-only changelog, and the rows equal a nested-loop
// model computed here (pairs that satisfy the condition, then each outer row that has none,
// padded with NULLs), in both runtime modes. Keys include NULLs, which match nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>

#include "glint/sql/session.h"

namespace glint::sql {
namespace {

using Row = std::vector<std::optional<std::string>>;
using Rows = std::vector<Row>;

struct Event {
  int64_t id;
  std::optional<int64_t> key;  // NULL now and then
  int64_t ts;                  // milliseconds after 2024-01-01 00:00:00
};

std::string timestampText(int64_t ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2024-01-01 %02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

// Rows in time order (nothing is late), keys 0..6 or NULL, ids from `firstId`.
std::vector<Event> generate(uint64_t seed, int64_t firstId, int n) {
  std::mt19937_64 rng(seed);
  std::vector<Event> out;
  int64_t ts = 0;
  for (int i = 0; i < n; ++i) {
    ts += static_cast<int64_t>(rng() % 900);
    const uint64_t k = rng() % 8;
    out.push_back({firstId + i, k == 7 ? std::nullopt : std::optional<int64_t>(k), ts});
  }
  return out;
}

enum class Side { kLeft, kRight, kFull };

class OuterTimeJoinSqlTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("glint_outer_time_join_sql_" + std::to_string(::getpid()) + "_" + GetParam());
    std::filesystem::remove_all(dir_);
    left_ = generate(11, 0, 250);
    right_ = generate(12, 1000, 250);
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
    for (const auto& e : events)
      f << e.id << "," << (e.key ? std::to_string(*e.key) : "") << "," << timestampText(e.ts)
        << "\n";
  }
  StatementResult execute(const std::string& sql) {
    auto r = session_.execute(sql);
    EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
    return r.isOk() ? std::move(r).value() : StatementResult{};
  }
  Rows query(const std::string& sql) { return sorted(execute(sql).table.rows); }
  static Rows sorted(Rows rows) {
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // Nested loops: the pairs `match` accepts (keys equal and not NULL), then the unmatched
  // rows of the kept sides padded with NULLs; (left id, right id) per row.
  template <class Match>
  Rows model(Side side, Match match) const {
    Rows out;
    std::vector<bool> leftMatched(left_.size()), rightMatched(right_.size());
    for (size_t i = 0; i < left_.size(); ++i)
      for (size_t j = 0; j < right_.size(); ++j) {
        const Event& a = left_[i];
        const Event& b = right_[j];
        if (!a.key || !b.key || *a.key != *b.key || !match(a, b)) continue;
        leftMatched[i] = rightMatched[j] = true;
        out.push_back({std::to_string(a.id), std::to_string(b.id)});
      }
    if (side != Side::kRight)
      for (size_t i = 0; i < left_.size(); ++i)
        if (!leftMatched[i]) out.push_back({std::to_string(left_[i].id), std::nullopt});
    if (side != Side::kLeft)
      for (size_t j = 0; j < right_.size(); ++j)
        if (!rightMatched[j]) out.push_back({std::nullopt, std::to_string(right_[j].id)});
    return sorted(out);
  }

  void expectPlan(const std::string& sql, const std::string& logical, const std::string& physical) {
    const std::string explained = execute("EXPLAIN " + sql).message;
    // The optimized and physical plans (the syntax tree before them is a regular join).
    const size_t optimized = explained.find("== Optimized Logical Plan ==");
    ASSERT_NE(optimized, std::string::npos) << explained;
    const std::string plan = explained.substr(optimized);
    EXPECT_NE(plan.find(logical), std::string::npos) << plan;
    EXPECT_NE(plan.find(physical), std::string::npos) << plan;
    // Insert-only everywhere: no operator of the plan produces updates.
    EXPECT_EQ(plan.find("changelogMode=[I,UB,UA,D]"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("[changelog: I,UB,UA,D]"), std::string::npos) << plan;
  }

  SqlSession session_;
  std::filesystem::path dir_;
  std::vector<Event> left_, right_;
};

std::string windowJoin(const std::string& type, const std::string& extra) {
  return "SELECT L.id, R.id FROM (SELECT * FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), "
         "INTERVAL '5' SECOND))) L " +
         type +
         " JOIN (SELECT * FROM TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), INTERVAL '5' SECOND))) R "
         "ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.k = R.k" +
         extra;
}

TEST_P(OuterTimeJoinSqlTest, LeftWindowJoin) {
  const std::string sql = windowJoin("LEFT", "");
  expectPlan(sql, "WindowJoin(joinType=[LeftOuterJoin]", "WindowJoin(left, keys=3");
  Rows expected =
      model(Side::kLeft, [](const Event& a, const Event& b) { return a.ts / 5000 == b.ts / 5000; });
  ASSERT_GT(expected.size(), left_.size());  // several matches per row happen
  EXPECT_EQ(query(sql), expected);
}

TEST_P(OuterTimeJoinSqlTest, RightWindowJoinWithResidual) {
  // The residual decides the matches: a right row whose pairs all fail it is padded.
  const std::string sql = windowJoin("RIGHT", " AND L.id % 3 <> R.id % 3");
  expectPlan(sql, "WindowJoin(joinType=[RightOuterJoin]", "WindowJoin(right, keys=3");
  EXPECT_EQ(query(sql), model(Side::kRight, [](const Event& a, const Event& b) {
              return a.ts / 5000 == b.ts / 5000 && a.id % 3 != b.id % 3;
            }));
}

TEST_P(OuterTimeJoinSqlTest, FullWindowJoinWithResidual) {
  const std::string sql = windowJoin("FULL", " AND L.id % 2 = R.id % 2");
  expectPlan(sql, "WindowJoin(joinType=[FullOuterJoin]", "WindowJoin(full, keys=3");
  EXPECT_EQ(query(sql), model(Side::kFull, [](const Event& a, const Event& b) {
              return a.ts / 5000 == b.ts / 5000 && a.id % 2 == b.id % 2;
            }));
}

std::string intervalJoin(const std::string& type, const std::string& extra) {
  return "SELECT L.id, R.id FROM l L " + type +
         " JOIN r R ON L.k = R.k AND R.ts BETWEEN L.ts - INTERVAL '1' SECOND AND L.ts + "
         "INTERVAL '2' SECOND" +
         extra;
}

TEST_P(OuterTimeJoinSqlTest, LeftIntervalJoin) {
  const std::string sql = intervalJoin("LEFT", "");
  expectPlan(sql, "LeftOuterJoin",
             "IntervalJoin(left, keys=1, right.rowtime - left.rowtime in [-1000, 2000] ms");
  Rows expected = model(Side::kLeft, [](const Event& a, const Event& b) {
    return b.ts >= a.ts - 1000 && b.ts <= a.ts + 2000;
  });
  ASSERT_GT(expected.size(), left_.size());
  EXPECT_EQ(query(sql), expected);
}

TEST_P(OuterTimeJoinSqlTest, RightIntervalJoinWithResidual) {
  const std::string sql = intervalJoin("RIGHT", " AND L.id % 3 <> R.id % 3");
  expectPlan(sql, "RightOuterJoin", "IntervalJoin(right, keys=1");
  EXPECT_EQ(query(sql), model(Side::kRight, [](const Event& a, const Event& b) {
              return b.ts >= a.ts - 1000 && b.ts <= a.ts + 2000 && a.id % 3 != b.id % 3;
            }));
}

TEST_P(OuterTimeJoinSqlTest, FullIntervalJoinStrictBounds) {
  const std::string sql =
      "SELECT L.id, R.id FROM l L FULL JOIN r R ON L.k = R.k AND R.ts > L.ts "
      "AND R.ts < L.ts + INTERVAL '3' SECOND AND L.id % 2 = R.id % 2";
  expectPlan(sql, "FullOuterJoin",
             "IntervalJoin(full, keys=1, right.rowtime - left.rowtime in [1, 2999] ms");
  EXPECT_EQ(query(sql), model(Side::kFull, [](const Event& a, const Event& b) {
              return b.ts > a.ts && b.ts < a.ts + 3000 && a.id % 2 == b.id % 2;
            }));
}

INSTANTIATE_TEST_SUITE_P(Modes, OuterTimeJoinSqlTest, ::testing::Values("streaming", "batch"));

}  // namespace
}  // namespace glint::sql
