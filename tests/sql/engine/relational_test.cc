// Relational corner cases the logic tests cannot express: results at parallelism > 1, files a
// sink writes (read as bytes, not through Glint's own reader). Expected values by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  run(s,
      "CREATE TABLE headed (id INT, name STRING) WITH ('connector' = 'filesystem', 'path' = '" +
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

}  // namespace
}  // namespace glint::sql
