// Relational corner cases the logic tests cannot express: results at parallelism > 1, files a
// sink writes (read as bytes, not through Glint's own reader). Expected values by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "glint/runtime/job_runner.h"
#include "glint/sql/session.h"

namespace glint::sql {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

StatementResult run(SqlSession& s, const std::string& sql) {
  auto r = s.execute(sql);
  EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
  return r.isOk() ? std::move(r).value() : StatementResult{};
}

// The concatenated contents of the visible part files of `dir`, lines sorted.
std::vector<std::string> sinkLines(const std::filesystem::path& dir) {
  std::vector<std::string> lines;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string()[0] == '.') continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("glint_sqlrel_" + name)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// A global aggregate over no rows in batch mode: exactly one row, also when the plan around it
// runs at parallelism 2 (every subtask of a keyless aggregate would otherwise emit one).
TEST(SqlRelationalTest, EmptyGlobalAggregateIsOneRowInBatchAtParallelismTwo) {
  TempDir dir("empty_agg");
  writeFile(dir.file("t.csv"), "1,a\n2,b\n3,c\n");
  SqlSession s;
  s.config().parallelism = 2;
  run(s, "SET 'execution.runtime-mode' = 'batch'");
  run(s, "CREATE TABLE t (id INT, name STRING) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("t.csv") + "', 'format' = 'csv')");
  auto r = run(s, "SELECT COUNT(*), SUM(id), MIN(name) FROM t WHERE id > 10");
  EXPECT_EQ(r.table.rows, Rows({{"0", std::nullopt, std::nullopt}}));
  // Over rows: the totals.
  r = run(s, "SELECT COUNT(*), SUM(id), MIN(name) FROM t");
  EXPECT_EQ(r.table.rows, Rows({{"3", "6", "a"}}));
  // Streaming mode: no row for no input (Flink's group aggregate emits on input only).
  run(s, "SET 'execution.runtime-mode' = 'streaming'");
  r = run(s, "SELECT COUNT(*) FROM t WHERE id > 10");
  EXPECT_TRUE(r.table.rows.empty());
}

// Flink's csv format has no header: none is written or expected unless 'csv.header' = 'true'.
TEST(SqlRelationalTest, CsvHeaderOnlyWhenAskedFor) {
  TempDir dir("csv_header");
  writeFile(dir.file("in.csv"), "1,a\n2,b\n");
  SqlSession s;
  run(s, "CREATE TABLE t (id INT, name STRING) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("in.csv") + "', 'format' = 'csv')");
  run(s, "CREATE TABLE plain (id INT, name STRING) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("plain") + "', 'format' = 'csv')");
  run(s, "CREATE TABLE headed (id INT, name STRING) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("headed") + "', 'format' = 'csv', 'csv.header' = 'true')");
  run(s, "INSERT INTO plain SELECT id, name FROM t");
  run(s, "INSERT INTO headed SELECT id, name FROM t");
  EXPECT_EQ(sinkLines(dir.file("plain")), (std::vector<std::string>{"1,a", "2,b"}));
  EXPECT_EQ(sinkLines(dir.file("headed")), (std::vector<std::string>{"1,a", "2,b", "id,name"}));
  // Both read back the same rows.
  auto a = run(s, "SELECT id, name FROM plain");
  auto b = run(s, "SELECT id, name FROM headed");
  std::sort(a.table.rows.begin(), a.table.rows.end());
  std::sort(b.table.rows.begin(), b.table.rows.end());
  EXPECT_EQ(a.table.rows, Rows({{"1", "a"}, {"2", "b"}}));
  EXPECT_EQ(a.table.rows, b.table.rows);
}

// JSON objects carry the sink table's column names, also when the query's column is an
// expression (EXPR$0) of the sink column's type.
TEST(SqlRelationalTest, JsonSinkUsesTableColumnNames) {
  TempDir dir("json_names");
  writeFile(dir.file("in.csv"), "1\n2\n");
  SqlSession s;
  run(s, "CREATE TABLE t (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("in.csv") + "', 'format' = 'csv')");
  run(s, "CREATE TABLE j (total BIGINT) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("j") + "', 'format' = 'json')");
  run(s, "INSERT INTO j SELECT id + 10 FROM t");
  EXPECT_EQ(sinkLines(dir.file("j")),
            (std::vector<std::string>{"{\"total\":11}", "{\"total\":12}"}));
}

// Batch mode: an aggregating INSERT into an append-only sink writes the final rows; streaming
// mode rejects it at planning time.
TEST(SqlRelationalTest, BatchAggregateIntoAppendOnlySink) {
  TempDir dir("batch_insert");
  writeFile(dir.file("in.csv"), "a,1\nb,2\na,3\n");
  SqlSession s;
  run(s, "CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("in.csv") + "', 'format' = 'csv')");
  run(s, "CREATE TABLE out (k STRING, total INT) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("out") + "', 'format' = 'csv')");
  auto streaming = s.execute("INSERT INTO out SELECT k, SUM(v) FROM t GROUP BY k");
  ASSERT_FALSE(streaming.isOk());
  EXPECT_NE(streaming.status().message().find("update"), std::string::npos);
  run(s, "SET 'execution.runtime-mode' = 'batch'");
  run(s, "INSERT INTO out SELECT k, SUM(v) FROM t GROUP BY k");
  EXPECT_EQ(sinkLines(dir.file("out")), (std::vector<std::string>{"a,4", "b,2"}));
}

// Java's Double.toString names for the special values.
TEST(SqlRelationalTest, SpecialDoublesPrintAsFlink) {
  SqlSession s;
  auto r = run(s, "SELECT CAST(1 AS DOUBLE) / 0, CAST(-1 AS DOUBLE) / 0, CAST(0 AS DOUBLE) / 0");
  EXPECT_EQ(r.table.rows, Rows({{"Infinity", "-Infinity", "NaN"}}));
}

// Runs `sql` and returns its final rows (sorted) and the keyed-state accesses of its group
// aggregates.
std::pair<Rows, int64_t> rowsAndStateAccesses(SqlSession& s, const std::string& sql) {
  JobHandle* job = nullptr;
  int64_t accesses = -1;
  s.setJobObserver([&](JobHandle* j) {
    if (j) {
      job = j;
    } else if (job) {
      accesses = job->metrics().aggregateStateAccesses.load();
    }
  });
  auto r = run(s, sql);
  s.setJobObserver(nullptr);
  std::sort(r.table.rows.begin(), r.table.rows.end());
  return {r.table.rows, accesses};
}

// A skewed key: 95% of the rows have key "hot". Every strategy gives the hand-computed
// (model) result; mini-batch bundles and the local phase cut the global aggregate's state
// accesses (it already touches state once per key and input batch, not per row).
TEST(SqlRelationalTest, TwoPhaseAggregationUnderSkew) {
  TempDir dir("skew");
  std::string csv;
  std::map<std::string, std::array<int64_t, 3>> model;  // key -> count, sum, max
  constexpr int kRows = 20000;
  for (int i = 0; i < kRows; ++i) {
    const std::string key = i % 20 == 0 ? "k" + std::to_string(i % 1000 / 20) : "hot";
    const int v = i % 7;
    csv += key + "," + std::to_string(v) + "\n";
    auto it = model.find(key);
    if (it == model.end()) it = model.emplace(key, std::array<int64_t, 3>{0, 0, v}).first;
    it->second[0] += 1;
    it->second[1] += v;
    it->second[2] = std::max<int64_t>(it->second[2], v);
  }
  writeFile(dir.file("t.csv"), csv);
  Rows expected;
  for (const auto& [k, a] : model)
    expected.push_back({k, std::to_string(a[0]), std::to_string(a[1]), std::to_string(a[2])});
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(expected.size(), 51u);

  SqlSession s;
  s.config().parallelism = 2;
  run(s, "CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'filesystem', 'path' = '" +
             dir.file("t.csv") + "', 'format' = 'csv')");
  const std::string query = "SELECT k, COUNT(*), SUM(v), MAX(v) FROM t GROUP BY k";

  // Flink's default: no mini-batch, one phase.
  auto [plain, plainAccesses] = rowsAndStateAccesses(s, query);
  EXPECT_EQ(plain, expected);
  // At least one read and one write per key; at most one pair per row.
  EXPECT_GE(plainAccesses, 2 * 51);
  EXPECT_LE(plainAccesses, 2 * kRows);

  run(s, "SET 'table.exec.mini-batch.enabled' = 'true'");
  run(s, "SET 'table.exec.mini-batch.allow-latency' = '10 s'");
  run(s, "SET 'table.exec.mini-batch.size' = '1000000'");
  // AUTO with mini-batch: two phases. The whole input is one bundle per producing subtask, so
  // the global aggregate reads and writes each key's state at most once per producer.
  auto [twoPhase, twoPhaseAccesses] = rowsAndStateAccesses(s, query);
  EXPECT_EQ(twoPhase, expected);
  EXPECT_LE(twoPhaseAccesses, 2 * 51 * 2);
  EXPECT_LT(twoPhaseAccesses, plainAccesses);
  auto explain = run(s, "EXPLAIN " + query);
  const std::string& plan = explain.message;
  EXPECT_NE(plan.find("LocalGroupAggregate"), std::string::npos) << plan;
  EXPECT_NE(plan.find("GlobalGroupAggregate"), std::string::npos) << plan;

  run(s, "SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE'");
  auto [onePhase, onePhaseAccesses] = rowsAndStateAccesses(s, query);
  EXPECT_EQ(onePhase, expected);
  EXPECT_LE(onePhaseAccesses, 2 * 51);

  // Batch mode: two phases by default, one with ONE_PHASE; the same rows.
  run(s, "SET 'execution.runtime-mode' = 'batch'");
  EXPECT_EQ(rowsAndStateAccesses(s, query).first, expected);
  run(s, "SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE'");
  EXPECT_EQ(rowsAndStateAccesses(s, query).first, expected);
  // A global aggregate in two phases, over no rows: still one row.
  EXPECT_EQ(rowsAndStateAccesses(s, "SELECT COUNT(*), SUM(v) FROM t WHERE v > 100").first,
            Rows({{"0", std::nullopt}}));
}

// Mini-batch needs its latency and size; bad values are rejected when set.
TEST(SqlRelationalTest, MiniBatchOptionsAreValidated) {
  SqlSession s;
  run(s, "CREATE TABLE t (k STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10')");
  run(s, "SET 'table.exec.mini-batch.enabled' = 'true'");
  auto missing = s.execute("SELECT k, COUNT(*) FROM t GROUP BY k");
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.status().message().find("table.exec.mini-batch.allow-latency"),
            std::string::npos);
  EXPECT_FALSE(s.execute("SET 'table.exec.mini-batch.size' = '0'").isOk());
  EXPECT_FALSE(s.execute("SET 'table.exec.mini-batch.allow-latency' = 'soon'").isOk());
  EXPECT_FALSE(s.execute("SET 'table.optimizer.agg-phase-strategy' = 'THREE_PHASE'").isOk());
  EXPECT_FALSE(s.execute("SET 'table.exec.mini-batch.enabled' = 'yes'").isOk());
}

// Checkpoints during a mini-batch two-phase aggregation: the bundles are flushed before each
// barrier, and the result equals the one without mini-batch (and without checkpoints).
TEST(SqlRelationalTest, MiniBatchWithCheckpoints) {
  TempDir dir("minibatch_checkpoints");
  const std::string table =
      "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
      "dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'nexmark', 'table' = 'bid', "
      "'events.num' = '300000', 'rate.limited' = 'true', 'first-event.rate' = '1000000')";
  const std::string query =
      "SELECT auction % 10, COUNT(*), SUM(price), COUNT(DISTINCT bidder) FROM bid "
      "GROUP BY auction % 10";
  SqlSession plain;
  plain.config().parallelism = 2;
  run(plain, table);
  auto expected = rowsAndStateAccesses(plain, query).first;
  ASSERT_EQ(expected.size(), 10u);

  SqlSession s;
  s.config().parallelism = 2;
  run(s, table);
  run(s, "SET 'execution.checkpointing.interval' = '20 ms'");
  run(s, "SET 'state.checkpoints.dir' = '" + dir.file("checkpoints") + "'");
  run(s, "SET 'table.exec.mini-batch.enabled' = 'true'");
  run(s, "SET 'table.exec.mini-batch.allow-latency' = '10 s'");
  run(s, "SET 'table.exec.mini-batch.size' = '100000000'");
  EXPECT_EQ(rowsAndStateAccesses(s, query).first, expected);
  int checkpoints = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("checkpoints")))
    checkpoints += e.path().filename().string().rfind("chk-", 0) == 0;
  EXPECT_GT(checkpoints, 0);
}

}  // namespace
}  // namespace glint::sql
