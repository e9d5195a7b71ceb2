// SqlSession's result listener: a streaming query's changes reach it while the job runs, in
// emission order, and replaying them gives the same final table the session returns.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "glint/sql/session.h"

namespace glint::sql {
namespace {

using Row = std::vector<std::optional<std::string>>;

struct Recorded {
  std::vector<std::string> header;
  std::vector<std::pair<std::string, Row>> changes;
};

TEST(ResultListenerTest, StreamingChangesReachTheListenerAndReplayToTheFinalTable) {
  SqlSession s;
  Recorded seen;
  int starts = 0;
  s.setResultListener({[&](const ResultTable& header) {
                         ++starts;
                         seen.header = header.columnNames;
                         EXPECT_TRUE(header.rows.empty());
                       },
                       [&](std::string_view op, const Row& row) {
                         seen.changes.emplace_back(std::string(op), row);
                       }});
  auto r = s.execute(
      "SELECT k, COUNT(*) AS c FROM (VALUES ('a'), ('b'), ('a'), (CAST(NULL AS STRING))) AS t(k) "
      "GROUP BY k");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(seen.header, (std::vector<std::string>{"k", "c"}));
  // The listener saw the changelog, so the session does not keep a second copy.
  EXPECT_TRUE(r->table.changelog.empty());
  // Replaying the changes (a retraction removes one equal row) gives the final table.
  std::multiset<Row> replayed;
  for (const auto& [op, row] : seen.changes) {
    if (op == "+I" || op == "+U") {
      replayed.insert(row);
    } else {
      ASSERT_TRUE(op == "-U" || op == "-D") << op;
      auto it = replayed.find(row);
      ASSERT_NE(it, replayed.end()) << "retraction of a row never inserted";
      replayed.erase(it);
    }
  }
  std::multiset<Row> final(r->table.rows.begin(), r->table.rows.end());
  EXPECT_EQ(replayed, final);
  EXPECT_EQ(final, (std::multiset<Row>{{"a", "2"}, {"b", "1"}, {std::nullopt, "1"}}));
  // 'a' was counted twice: +I[a, 1], then -U[a, 1] and +U[a, 2], in that order.
  std::vector<std::string> forA;
  for (const auto& [op, row] : seen.changes)
    if (row[0] == "a") forA.push_back(op + "[" + *row[1] + "]");
  EXPECT_EQ(forA, (std::vector<std::string>{"+I[1]", "-U[1]", "+U[2]"}));
}

TEST(ResultListenerTest, BatchQueriesAlsoReportTheirFinalRowsAndNothingIsKeptTwice) {
  SqlSession s;
  ASSERT_TRUE(s.execute("SET 'execution.runtime-mode' = 'batch'").isOk());
  std::vector<std::string> ops;
  s.setResultListener({nullptr, [&](std::string_view op, const Row&) { ops.emplace_back(op); }});
  auto r = s.execute("SELECT x * 2 FROM (VALUES (1), (2), (3)) AS t(x)");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(ops, (std::vector<std::string>{"+I", "+I", "+I"}));
  EXPECT_EQ(r->table.rows.size(), 3u);
  EXPECT_TRUE(r->table.changelog.empty());
  // Without a listener, the session keeps the changelog again (streaming only).
  s.setResultListener({});
  ASSERT_TRUE(s.execute("SET 'execution.runtime-mode' = 'streaming'").isOk());
  auto again = s.execute("SELECT x FROM (VALUES (1)) AS t(x)");
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->table.changelog, (std::vector<std::string>{"+I[1]"}));
}

}  // namespace
}  // namespace glint::sql
