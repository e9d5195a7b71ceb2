// The Nexmark queries of queries/nexmark/*.sql against the DataStream versions
// (connectors/nexmark/queries.cc) on the same generated events: equal final rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

namespace glint::sql {
namespace {

// Runs a query file's DDL (smaller event count; relative paths made absolute) and returns the
// session, with the file's INSERT query in *query.
std::unique_ptr<SqlSession> nexmarkSession(int number, std::string* query) {
  std::string script = readQueryFile(number);
  const std::string events = "'events.num' = '10000000'";
  for (size_t p; (p = script.find(events)) != std::string::npos;)
    script.replace(p, events.size(), "'events.num' = '" + std::to_string(kEvents) + "'");
  const std::string data = "'queries/nexmark/data/";
  const std::string root =
      (std::filesystem::path(__FILE__).parent_path() / "../../..").lexically_normal().string();
  for (size_t p; (p = script.find(data)) != std::string::npos;)
    script.replace(p, 1, "'" + root + "/");
  const std::string marker = "INSERT INTO nexmark_q" + std::to_string(number) + "\n";
  const size_t at = script.find(marker);
  EXPECT_NE(at, std::string::npos);
  auto session = std::make_unique<SqlSession>();
  auto ddl = session->executeScript(script.substr(0, at));
  EXPECT_TRUE(ddl.isOk()) << ddl.status().message();
  *query = script.substr(at + marker.size());
  return session;
}

using TextRows = std::vector<std::vector<std::optional<std::string>>>;

TextRows rowsOf(SqlSession& session, const std::string& sql) {
  auto r = session.execute(sql);
  EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
  return r.isOk() ? r->table.rows : TextRows{};
}

// q14 against the same projection computed here from the plain bid rows: the price filter,
// the CASE on the hour and count_char (occurrences of 'c').
TEST(NexmarkSqlReferenceTest, Q14EqualsHandComputedProjection) {
  std::string query;
  auto session = nexmarkSession(14, &query);
  auto actual = rowsOf(*session, query);
  auto bids = rowsOf(*session, "SELECT auction, bidder, price, dateTime, extra FROM bid");
  ASSERT_FALSE(bids.empty());
  std::vector<std::string> expected, got;
  for (const auto& b : bids) {
    const double price = 0.908 * std::stod(*b[2]);
    if (!(price > 1000000 && price < 50000000)) continue;
    const int hour = std::stoi(b[3]->substr(11, 2));
    const char* type = hour >= 8 && hour <= 18   ? "dayTime"
                       : hour <= 6 || hour >= 20 ? "nightTime"
                                                 : "otherTime";
    const auto c = std::count(b[4]->begin(), b[4]->end(), 'c');
    expected.push_back(*b[0] + "|" + *b[1] + "|" + std::to_string(std::llround(price * 1000)) +
                       "|" + type + "|" + *b[3] + "|" + *b[4] + "|" + std::to_string(c));
  }
  for (const auto& r : actual) {
    ASSERT_EQ(r.size(), 7u);
    got.push_back(*r[0] + "|" + *r[1] + "|" +
                  std::to_string(std::llround(std::stod(*r[2]) * 1000)) + "|" + *r[3] + "|" +
                  *r[4] + "|" + *r[5] + "|" + *r[6]);
  }
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << (got.empty() ? "" : got[0]) << " vs " << expected[0];
}

// q13 against the bids joined here with the side input's rule (value = 'v' || key).
TEST(NexmarkSqlReferenceTest, Q13EqualsHandComputedLookup) {
  std::string query;
  auto session = nexmarkSession(13, &query);
  auto actual = rowsOf(*session, query);
  auto bids = rowsOf(*session, "SELECT auction, bidder, price, dateTime FROM bid");
  std::vector<std::string> expected, got;
  for (const auto& b : bids)
    expected.push_back(*b[0] + "|" + *b[1] + "|" + *b[2] + "|" + *b[3] + "|v" +
                       std::to_string(std::stoll(*b[0]) % 10000));
  for (const auto& r : actual)
    got.push_back(*r[0] + "|" + *r[1] + "|" + *r[2] + "|" + *r[3] + "|" + r[4].value_or("NULL"));
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  ASSERT_FALSE(expected.empty());
  EXPECT_TRUE(got == expected) << got.size() << " vs " << expected.size();
}

// q12: processing-time windows; the per-bidder window counts add up to the bids per bidder.
TEST(NexmarkSqlReferenceTest, Q12WindowCountsSumToTheBids) {
  std::string query;
  auto session = nexmarkSession(12, &query);
  while (!query.empty() && (query.back() == '\n' || query.back() == ';')) query.pop_back();
  auto sums =
      rowsOf(*session, "SELECT bidder, SUM(bid_count) FROM (" + query + ") GROUP BY bidder");
  auto counts = rowsOf(*session, "SELECT bidder, COUNT(*) FROM bid GROUP BY bidder");
  std::sort(sums.begin(), sums.end());
  std::sort(counts.begin(), counts.end());
  ASSERT_FALSE(counts.empty());
  EXPECT_TRUE(sums == counts) << sums.size() << " vs " << counts.size();
}

}  // namespace
}  // namespace glint::sql
