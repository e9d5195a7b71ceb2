// Physical planning: a GROUP BY whose input is already hash-partitioned by some of its keys (a
// regular join on one of them, through projections that keep it) reads it without another
// exchange; anything else gets its hash exchange as before.
#include <gtest/gtest.h>

#include "glint/sql/session.h"

namespace glint::sql {
namespace {

class ExchangePlanningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* ddl : {
             "CREATE TABLE t (id BIGINT, k STRING, v INT) "
             "WITH ('connector' = 'datagen', 'number-of-rows' = '1')",
             "CREATE TABLE u (tid BIGINT, w INT) "
             "WITH ('connector' = 'datagen', 'number-of-rows' = '1')",
         }) {
      auto r = session_.execute(ddl);
      ASSERT_TRUE(r.isOk()) << r.status().message();
    }
  }
  // The physical plan's GroupAggregate lines, inputs first.
  std::vector<std::string> aggregates(const std::string& query) {
    auto r = session_.execute("EXPLAIN " + query);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    std::vector<std::string> lines;
    if (!r.isOk()) return lines;
    const std::string& text = r->message;
    const size_t physical = text.find("== Physical Execution Plan");
    size_t at = physical;
    while ((at = text.find("GroupAggregate(", at)) != std::string::npos) {
      const size_t end = text.find(')', at);
      lines.push_back(text.substr(at, end + 1 - at));
      at = end;
    }
    return lines;
  }
  SqlSession session_;
};

using Lines = std::vector<std::string>;

TEST_F(ExchangePlanningTest, GroupByContainingTheJoinKeyHasNoExchange) {
  EXPECT_EQ(aggregates("SELECT t.id, t.k, SUM(u.w) FROM t JOIN u ON t.id = u.tid GROUP BY t.id, t.k"),
            (Lines{"GroupAggregate(keys=2, aggregates=1, input partitioned by [id] already: no "
                   "exchange)"}));
  // The right side's key column carries the same values.
  EXPECT_EQ(aggregates("SELECT u.tid, COUNT(*) FROM t JOIN u ON t.id = u.tid GROUP BY u.tid"),
            (Lines{"GroupAggregate(keys=1, aggregates=1, input partitioned by [tid] already: no "
                   "exchange)"}));
  // Not so for a left join's right side (NULL-padded rows are wherever their left key was).
  EXPECT_EQ(aggregates("SELECT u.tid, COUNT(*) FROM t LEFT JOIN u ON t.id = u.tid GROUP BY u.tid"),
            (Lines{"GroupAggregate(keys=1, aggregates=1, retracting input)"}));
  EXPECT_EQ(aggregates("SELECT t.k, t.id, COUNT(*) FROM t JOIN u ON t.id = u.tid "
                       "GROUP BY t.k, t.id"),
            (Lines{"GroupAggregate(keys=2, aggregates=1, input partitioned by [id] already: no "
                   "exchange)"}));
  // A GROUP BY of fewer keys than the GROUP BY below it: rows of one k are spread over the
  // subtasks of (k, v).
  EXPECT_EQ(aggregates("SELECT k, SUM(c) FROM (SELECT k, v, COUNT(*) AS c FROM t GROUP BY k, v) "
                       "GROUP BY k"),
            (Lines{"GroupAggregate(keys=2, aggregates=1)",
                   "GroupAggregate(keys=1, aggregates=1, retracting input)"}));
}

TEST_F(ExchangePlanningTest, OtherGroupingsAreExchanged) {
  EXPECT_EQ(aggregates("SELECT t.k, COUNT(*) FROM t JOIN u ON t.id = u.tid GROUP BY t.k"),
            (Lines{"GroupAggregate(keys=1, aggregates=1)"}));
  // An expression of the key is not the key.
  EXPECT_EQ(aggregates("SELECT id2, COUNT(*) FROM (SELECT t.id + 1 AS id2 FROM t JOIN u "
                       "ON t.id = u.tid) GROUP BY id2"),
            (Lines{"GroupAggregate(keys=1, aggregates=1)"}));
  // A full outer join pads both sides' keys with NULLs: its rows are not partitioned by either.
  EXPECT_EQ(aggregates("SELECT t.id, COUNT(*) FROM t FULL JOIN u ON t.id = u.tid GROUP BY t.id"),
            (Lines{"GroupAggregate(keys=1, aggregates=1, retracting input)"}));
}

TEST_F(ExchangePlanningTest, ASecondGroupByOverTheSameKeyHasNoExchange) {
  // The inner GROUP BY (id, k) runs at the join's partitioning; the outer one groups by id,
  // which its input is partitioned by.
  EXPECT_EQ(aggregates("SELECT id, MAX(s) FROM (SELECT t.id, t.k, SUM(u.w) AS s FROM t JOIN u "
                       "ON t.id = u.tid GROUP BY t.id, t.k) GROUP BY id"),
            (Lines{"GroupAggregate(keys=2, aggregates=1, input partitioned by [id] already: no "
                   "exchange)",
                   "GroupAggregate(keys=1, aggregates=1, retracting input, input partitioned by "
                   "[id] already: no exchange)"}));
}

}  // namespace
}  // namespace glint::sql
