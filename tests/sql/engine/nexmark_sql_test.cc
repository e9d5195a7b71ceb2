// The Nexmark queries of queries/nexmark/*.sql against the DataStream versions
// (connectors/nexmark/queries.cc) on the same generated events: equal final rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "glint/connectors/nexmark/queries.h"
#include "glint/runtime/operators/sink_operator.h"
#include "glint/sql/operators/sql_operators.h"
#include "glint/sql/session.h"

namespace glint::sql {
namespace {

constexpr int64_t kEvents = 50'000;

struct Collected {
  std::mutex mu;
  std::vector<Batch> batches;
};

class BatchSink final : public SinkOperator {
 public:
  explicit BatchSink(std::shared_ptr<Collected> c) : c_(std::move(c)) {}

 protected:
  void consume(Batch&& b) override {
    std::lock_guard<std::mutex> lock(c_->mu);
    c_->batches.push_back(std::move(b));
  }

 private:
  std::shared_ptr<Collected> c_;
};

// The DataStream query's final rows (changelog applied), values printed as the SQL client does.
std::vector<std::string> dataStreamRows(int query, int parallelism) {
  JobConfig config;
  config.parallelism = parallelism;
  StreamExecutionEnvironment env(config);
  nexmark::NexmarkSourceOptions options;
  options.numEvents = kEvents;
  auto streams = nexmark::generatorStreams(env, query, options);
  auto result = nexmark::buildQuery(query, streams);
  EXPECT_TRUE(result.isOk()) << result.status().toString();
  auto collected = std::make_shared<Collected>();
  result->sinkTo("collect", [collected] { return std::make_unique<BatchSink>(collected); });
  Status st = env.execute();
  EXPECT_TRUE(st.isOk()) << st.toString();
  std::map<std::string, int64_t> counts;
  for (const auto& b : collected->batches)
    for (size_t r = 0; r < b.numRows(); ++r) {
      std::string line;
      for (size_t c = 0; c < b.numColumns(); ++c) {
        auto v = formatSqlValue(b.column(c), r, exprTypeOf(b.schema()->field(c).type));
        line += (c ? "|" : "") + v.value_or("NULL");
      }
      counts[line] += isAccumulate(b.rowKind(r)) ? 1 : -1;
    }
  std::vector<std::string> out;
  for (const auto& [line, n] : counts) {
    EXPECT_GE(n, 0) << line;
    for (int64_t i = 0; i < n; ++i) out.push_back(line);
  }
  return out;
}

std::string readQueryFile(int query) {
  auto path = std::filesystem::path(__FILE__).parent_path() / "../../../queries/nexmark" /
              ("q" + std::to_string(query) + ".sql");
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the file's DDL with a smaller event count, then its INSERT's query as a SELECT.
std::vector<std::string> sqlRows(int query, int parallelism, const std::string& mode) {
  std::string script = readQueryFile(query);
  const std::string events = "'events.num' = '10000000'";
  for (size_t p; (p = script.find(events)) != std::string::npos;)
    script.replace(p, events.size(), "'events.num' = '" + std::to_string(kEvents) + "'");
  const std::string marker = "INSERT INTO nexmark_q" + std::to_string(query) + "\n";
  const size_t at = script.find(marker);
  EXPECT_NE(at, std::string::npos);
  SqlSession session;
  session.config().parallelism = parallelism;
  auto ddl = session.executeScript(script.substr(0, at));
  EXPECT_TRUE(ddl.isOk()) << ddl.status().message();
  GLINT_CHECK(session.execute("SET 'execution.runtime-mode' = '" + mode + "'").isOk());
  auto result = session.execute(script.substr(at + marker.size()));
  EXPECT_TRUE(result.isOk()) << result.status().message();
  std::vector<std::string> out;
  if (!result.isOk()) return out;
  for (const auto& row : result->table.rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) line += (c ? "|" : "") + row[c].value_or("NULL");
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  int query;
  int parallelism;
  const char* mode;
};

class NexmarkSqlTest : public ::testing::TestWithParam<Case> {};

TEST_P(NexmarkSqlTest, SqlEqualsDataStream) {
  const Case c = GetParam();
  auto expected = dataStreamRows(c.query, c.parallelism);
  auto actual = sqlRows(c.query, c.parallelism, c.mode);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_TRUE(actual == expected) << "first rows: " << (actual.empty() ? "" : actual[0]) << " vs "
                                  << expected[0];
}

INSTANTIATE_TEST_SUITE_P(Queries, NexmarkSqlTest,
                         ::testing::Values(Case{0, 1, "streaming"}, Case{1, 2, "streaming"},
                                           Case{2, 2, "batch"}, Case{3, 1, "streaming"},
                                           Case{3, 2, "batch"}, Case{4, 2, "streaming"},
                                           Case{4, 1, "batch"}, Case{5, 2, "streaming"},
                                           Case{5, 1, "batch"}, Case{7, 2, "streaming"},
                                           Case{8, 2, "streaming"}, Case{8, 1, "batch"}),
                         [](const auto& info) {
                           return "q" + std::to_string(info.param.query) + "_p" +
                                  std::to_string(info.param.parallelism) + "_" + info.param.mode;
                         });

}  // namespace
}  // namespace glint::sql
