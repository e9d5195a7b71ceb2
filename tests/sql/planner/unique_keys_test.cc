// Unique keys of optimized plans (planner/unique_keys.h), as Calcite's RelMdUniqueKeys derives
// them, and the join input specs they give (Flink's JoinInputSideSpec) in EXPLAIN.
#include <gtest/gtest.h>

#include <functional>

#include "glint/sql/catalog/catalog.h"
#include "glint/sql/parser/parser.h"
#include "glint/sql/planner/binder.h"
#include "glint/sql/planner/optimizer.h"
#include "glint/sql/planner/unique_keys.h"
#include "glint/sql/session.h"

namespace glint::sql {
namespace {

class UniqueKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* ddl : {
             "CREATE TABLE t (id BIGINT, k STRING, v INT, ts TIMESTAMP(3), "
             "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND, PRIMARY KEY (id) NOT ENFORCED) "
             "WITH ('connector' = 'datagen', 'number-of-rows' = '1')",
             "CREATE TABLE u (uid BIGINT, tid BIGINT, w INT, PRIMARY KEY (uid) NOT ENFORCED) "
             "WITH ('connector' = 'datagen', 'number-of-rows' = '1')",
             "CREATE TABLE c (a INT, b STRING, x INT, PRIMARY KEY (a, b) NOT ENFORCED) "
             "WITH ('connector' = 'datagen', 'number-of-rows' = '1')",
             "CREATE TABLE n (id BIGINT, tid BIGINT) "
             "WITH ('connector' = 'datagen', 'number-of-rows' = '1')",
         }) {
      auto r = session_.execute(ddl);
      ASSERT_TRUE(r.isOk()) << r.status().message();
    }
  }

  RelPtr plan(const std::string& sql) {
    auto parsed = parseStatement(sql);
    EXPECT_TRUE(parsed.isOk()) << parsed.status(sql).message();
    if (!parsed.isOk()) return nullptr;
    statements_.push_back(std::move(parsed).value());
    const auto& query = *statements_.back()->as<QueryStatement>().query;
    auto bound = bindQuery(query, sql, session_.catalog());
    EXPECT_TRUE(bound.isOk()) << bound.status().message();
    return bound.isOk() ? optimize(*bound) : nullptr;
  }

  // The unique keys of the query's result as "{a, b}" sets of column names, "{}" for "at most
  // one row".
  std::vector<std::string> keysOf(const std::string& sql) {
    RelPtr p = plan(sql);
    if (!p) return {"<no plan>"};
    return names(*p);
  }
  static std::vector<std::string> names(const RelNode& node) {
    std::vector<std::string> out;
    for (const auto& key : node.uniqueKeys) {
      std::string s = "{";
      for (size_t i = 0; i < key.columns.size(); ++i)
        s += (i ? ", " : "") + node.columns[key.columns[i]].name;
      out.push_back(s + "}");
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // The first node of `kind` in `node` (pre-order).
  static const RelNode* find(const RelNode& node, RelKind kind) {
    if (node.kind == kind) return &node;
    for (const auto& in : node.inputs)
      if (const RelNode* found = find(*in, kind)) return found;
    return nullptr;
  }

  SqlSession session_;
  std::vector<StatementPtr> statements_;
};

using Keys = std::vector<std::string>;

TEST_F(UniqueKeysTest, PrimaryKeysOfTables) {
  EXPECT_EQ(keysOf("SELECT * FROM t"), (Keys{"{id}"}));
  EXPECT_EQ(keysOf("SELECT * FROM c"), (Keys{"{a, b}"}));
  EXPECT_EQ(keysOf("SELECT * FROM n"), Keys{});
  RelPtr p = plan("SELECT * FROM t");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->uniqueKeys.size(), 1u);
  EXPECT_EQ(describeUniqueKey(p->uniqueKeys[0], p->columns),
            "(id) from PRIMARY KEY (id) NOT ENFORCED of table `t`");
}

TEST_F(UniqueKeysTest, ProjectionsAndFiltersKeepKeysWhoseColumnsStay) {
  EXPECT_EQ(keysOf("SELECT v, id AS x FROM t WHERE v > 1"), (Keys{"{x}"}));
  EXPECT_EQ(keysOf("SELECT b, x, a FROM c"), (Keys{"{b, a}"}));  // in output column order
  EXPECT_EQ(keysOf("SELECT v, k FROM t"), Keys{});
  // An expression of the key is not known to be injective.
  EXPECT_EQ(keysOf("SELECT id + 1 AS y, v FROM t"), Keys{});
  EXPECT_EQ(keysOf("SELECT a, x FROM c"), Keys{});
}

TEST_F(UniqueKeysTest, AggregatesAreUniqueOnTheirGroupKeys) {
  EXPECT_EQ(keysOf("SELECT k, v, COUNT(*) AS n FROM t GROUP BY k, v"), (Keys{"{k, v}"}));
  EXPECT_EQ(keysOf("SELECT COUNT(*) AS n FROM t"), (Keys{"{}"}));
  EXPECT_EQ(keysOf("SELECT DISTINCT k FROM n, t WHERE n.id = t.id"), (Keys{"{k}"}));
  // Grouping sets are a union of aggregates: no key.
  EXPECT_EQ(keysOf("SELECT k, v, COUNT(*) AS n FROM t GROUP BY ROLLUP (k, v)"), Keys{});
}

TEST_F(UniqueKeysTest, WindowAggregatesAndTopN) {
  EXPECT_EQ(keysOf("SELECT k, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE("
                   "TABLE t, DESCRIPTOR(ts), INTERVAL '5' SECOND)) "
                   "GROUP BY k, window_start, window_end"),
            (Keys{"{k, window_start, window_end}"}));
  // Top-1 per k: one row per k; ROW_NUMBER with its number: (k, rn).
  EXPECT_EQ(keysOf("SELECT k, v, rn FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k "
                   "ORDER BY v DESC) AS rn FROM n, t WHERE n.id = t.id) WHERE rn <= 1"),
            (Keys{"{k}"}));
  EXPECT_EQ(keysOf("SELECT k, v, rn FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k "
                   "ORDER BY v DESC) AS rn FROM n, t WHERE n.id = t.id) WHERE rn <= 3"),
            (Keys{"{k, rn}"}));
}

TEST_F(UniqueKeysTest, InnerJoins) {
  // Each u row meets at most one t row (t is unique on its join key t.id): u's key stays.
  EXPECT_EQ(keysOf("SELECT * FROM t JOIN u ON t.id = u.tid"), (Keys{"{uid}"}));
  // Both join keys are unique: both keys stay.
  EXPECT_EQ(keysOf("SELECT * FROM t JOIN u ON t.id = u.uid"), (Keys{"{id}", "{uid}"}));
  // Neither join key is unique: only the pair of keys is.
  EXPECT_EQ(keysOf("SELECT * FROM t JOIN u ON t.v = u.w"), (Keys{"{id, uid}"}));
  // A table without key gives none to its pairs, but t's rows each meet one c row at most.
  EXPECT_EQ(keysOf("SELECT * FROM n JOIN t ON n.tid = t.id"), Keys{});
  EXPECT_EQ(keysOf("SELECT * FROM t JOIN c ON t.v = c.a AND t.k = c.b"), (Keys{"{id}"}));
  // A join key that contains the key (id, k) is still unique.
  EXPECT_EQ(keysOf("SELECT * FROM t JOIN u ON t.id = u.tid AND t.v = u.w"), (Keys{"{uid}"}));
}

TEST_F(UniqueKeysTest, OuterJoinsLoseTheKeysOfThePaddedSide) {
  // LEFT: u rows may be padded with NULLs (no u key), t rows are kept once each only if u is
  // unique on its join key, which u.tid is not.
  EXPECT_EQ(keysOf("SELECT * FROM t LEFT JOIN u ON t.id = u.tid"), (Keys{"{id, uid}"}));
  EXPECT_EQ(keysOf("SELECT * FROM u LEFT JOIN t ON u.tid = t.id"), (Keys{"{uid}"}));
  EXPECT_EQ(keysOf("SELECT * FROM t RIGHT JOIN u ON t.id = u.tid"), (Keys{"{uid}"}));
  EXPECT_EQ(keysOf("SELECT * FROM t FULL JOIN u ON t.id = u.uid"), (Keys{"{id, uid}"}));
}

TEST_F(UniqueKeysTest, UnionAllHasNoKey) {
  EXPECT_EQ(keysOf("SELECT id FROM t UNION ALL SELECT uid FROM u"), Keys{});
}

TEST_F(UniqueKeysTest, JoinInputSpecs) {
  RelPtr p = plan("SELECT * FROM t, u, n WHERE t.id = u.tid AND n.tid = u.uid");
  ASSERT_TRUE(p);
  std::vector<std::string> specs;
  std::function<void(const RelNode&)> visit = [&](const RelNode& node) {
    if (node.kind == RelKind::kJoin)
      specs.push_back(std::string(joinInputSpecName(joinInputSpec(node, 0))) + "/" +
                      joinInputSpecName(joinInputSpec(node, 1)));
    for (const auto& in : node.inputs) visit(*in);
  };
  visit(*p);
  // (t JOIN u) keyed by uid, joined with n on u.uid: the outer join's left input (t, u pairs)
  // is unique on its join key; t is unique on t.id, u has a key but not within u.tid.
  EXPECT_EQ(specs, (std::vector<std::string>{"JoinKeyContainsUniqueKey/NoUniqueKey",
                                             "JoinKeyContainsUniqueKey/HasUniqueKey"}));
}

TEST_F(UniqueKeysTest, ExplainShowsInputSpecsAndJoinStorage) {
  auto r = session_.execute(
      "EXPLAIN SELECT t.k, MAX(u.w) FROM t, u WHERE t.id = u.tid GROUP BY t.id, t.k");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const std::string& plan = r->message;
  // u's key column is pruned below the join: u's rows there have no key.
  EXPECT_NE(plan.find("leftInputSpec=[JoinKeyContainsUniqueKey], rightInputSpec=[NoUniqueKey]"),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("left=one row per key, right=rows kept until the other side's row arrives"),
            std::string::npos)
      << plan;
  // An updating input keeps its rows with counts even when unique on the join key: a row
  // can be retracted and replaced.
  r = session_.execute(
      "EXPLAIN SELECT * FROM (SELECT v, COUNT(*) AS c FROM t GROUP BY v) g JOIN u ON g.v = u.w");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_NE(r->message.find("leftInputSpec=[JoinKeyContainsUniqueKey]"), std::string::npos)
      << r->message;
  EXPECT_NE(r->message.find("left=rows with counts, right=all rows"), std::string::npos)
      << r->message;
}

}  // namespace
}  // namespace glint::sql
