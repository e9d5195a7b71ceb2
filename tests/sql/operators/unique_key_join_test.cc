// The regular inner join with a unique side (JoinOperator with `uniqueSides`): the unique
// input keeps one row per join key, the other input's rows wait only until it arrives. Both
// arrival orders, retractions of the other side, NULL keys, the residual condition, the error
// for a second row with the same key, equality with the general join on random schedules, and
// snapshot/restore on both state backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/operators/sql_operators.h"
#include "glint/state/state_snapshot.h"
#include "tests/support/operator_harness.h"

namespace glint::sql {
namespace {

using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::TestRow;
using testutil::TestValue;
using Rows = std::vector<std::string>;

// Left: auctions (id, category), unique on id. Right: bids (bid, auction, price).
SchemaPtr leftSchema() {
  return makeSchema({{"id", TypeId::kBigint}, {"category", TypeId::kBigint}});
}
SchemaPtr rightSchema() {
  return makeSchema(
      {{"bid", TypeId::kBigint}, {"auction", TypeId::kBigint}, {"price", TypeId::kBigint}});
}
SchemaPtr joinedSchema() {
  return makeSchema({{"id", TypeId::kBigint},
                     {"category", TypeId::kBigint},
                     {"bid", TypeId::kBigint},
                     {"auction", TypeId::kBigint},
                     {"price", TypeId::kBigint}});
}

const std::string kLeftUnique =
    "left input of the join on [id = auction], whose join key contains its unique key (id) "
    "from PRIMARY KEY (id) NOT ENFORCED of table `auctions`";

struct JoinSetup {
  bool rightUpdating = false;
  bool leftUnique = true;
  bool rightUnique = false;
  BoundExprPtr residual;
};

std::unique_ptr<JoinOperator> makeJoin(const JoinSetup& s) {
  std::array<std::optional<std::string>, 2> unique;
  if (s.leftUnique) unique[0] = kLeftUnique;
  if (s.rightUnique) unique[1] = "right input, unique on (auction)";
  return std::make_unique<JoinOperator>(leftSchema(), std::vector<int>{0}, rightSchema(),
                                        std::vector<int>{1}, joinedSchema(), RelJoinType::kInner,
                                        s.residual, StateOptions{},
                                        std::array<bool, 2>{false, s.rightUpdating}, unique);
}

// price > category, over the joined row.
BoundExprPtr priceAboveCategory() {
  auto call = makeCall(">", {makeColumnRef(4, TypeId::kBigint, true, "price"),
                             makeColumnRef(1, TypeId::kBigint, true, "category")});
  EXPECT_TRUE(call.isOk());
  return *call;
}

Batch auctions(const std::vector<std::pair<TestValue, int64_t>>& rows) {
  std::vector<TestRow> test;
  for (const auto& [id, category] : rows) test.push_back(TestRow{0, {id, category}});
  return makeBatch(leftSchema(), test);
}

struct Bid {
  int64_t bid;
  TestValue auction;
  int64_t price;
  RowKind kind = RowKind::kInsert;
};
Batch bids(const std::vector<Bid>& rows) {
  std::vector<TestRow> test;
  for (const auto& b : rows) test.push_back(TestRow{0, {b.bid, b.auction, b.price}, b.kind});
  return makeBatch(rightSchema(), test);
}

// Every output row with its kind ("+I 1, 10, 100, 1, 5"), in emission order.
Rows changes(const OperatorHarness& h) {
  Rows out;
  for (const Batch& b : h.outputBatches())
    for (size_t r = 0; r < b.numRows(); ++r) {
      std::string row(rowKindShortString(b.rowKind(r)));
      for (size_t c = 0; c < b.numColumns(); ++c) {
        row += c ? ", " : " ";
        if (!formatValue(b.column(c), r, row)) row += "NULL";
      }
      out.push_back(row);
    }
  return out;
}

size_t stateEntries(OperatorHarness& h) {
  return h.op<JoinOperator>().state().numEntries();
}

TEST(UniqueKeyJoinTest, UniqueRowFirstJoinsLaterRowsWithoutKeepingThem) {
  OperatorHarness h(makeJoin({}));
  h.open();
  h.processBatch(0, auctions({{1, 10}, {2, 20}}));
  EXPECT_TRUE(changes(h).empty());
  EXPECT_EQ(stateEntries(h), 2u);  // the two auctions
  h.processBatch(1, bids({{100, 1, 5}, {101, 2, 6}, {102, 1, 7}, {103, 3, 8}}));
  EXPECT_EQ(changes(h), (Rows{"+I 1, 10, 100, 1, 5", "+I 1, 10, 102, 1, 7",
                              "+I 2, 20, 101, 2, 6"}));
  // Bids 100-102 met their auction and are not kept; bid 103 waits for auction 3.
  EXPECT_EQ(stateEntries(h), 3u);
}

TEST(UniqueKeyJoinTest, OtherRowsWaitForTheUniqueRowThenAreDropped) {
  OperatorHarness h(makeJoin({}));
  h.open();
  h.processBatch(1, bids({{100, 1, 5}, {101, 1, 6}}));
  h.processBatch(1, bids({{102, 1, 7}, {103, 2, 8}}));
  EXPECT_TRUE(changes(h).empty());
  h.processBatch(0, auctions({{1, 10}}));
  EXPECT_EQ(changes(h), (Rows{"+I 1, 10, 100, 1, 5", "+I 1, 10, 101, 1, 6",
                              "+I 1, 10, 102, 1, 7"}));
  // Auction 1 and bid 103's list; auction 1's waiting bids are gone.
  EXPECT_EQ(stateEntries(h), 2u);
  h.clearOutput();
  h.processBatch(1, bids({{104, 1, 9}}));
  EXPECT_EQ(changes(h), (Rows{"+I 1, 10, 104, 1, 9"}));
  EXPECT_EQ(stateEntries(h), 2u);
  h.clearOutput();
  h.processBatch(0, auctions({{2, 20}}));
  EXPECT_EQ(changes(h), (Rows{"+I 2, 20, 103, 2, 8"}));
  EXPECT_EQ(stateEntries(h), 2u);  // the two auctions
}

TEST(UniqueKeyJoinTest, RetractionsOfTheOtherSide) {
  OperatorHarness h(makeJoin({.rightUpdating = true}));
  h.open();
  // Before the auction: a retraction cancels a waiting bid (twice inserted, once retracted).
  h.processBatch(1, bids({{100, 1, 5}, {100, 1, 5}, {101, 1, 6}}));
  h.processBatch(1, bids({{100, 1, 5, RowKind::kUpdateBefore}, {101, 1, 6, RowKind::kDelete}}));
  h.processBatch(0, auctions({{1, 10}}));
  EXPECT_EQ(changes(h), (Rows{"+I 1, 10, 100, 1, 5"}));
  h.clearOutput();
  // After it: changes join the auction and keep their kind.
  h.processBatch(1, bids({{100, 1, 5, RowKind::kUpdateBefore},
                          {100, 1, 15, RowKind::kUpdateAfter},
                          {102, 1, 7},
                          {102, 1, 7, RowKind::kDelete}}));
  EXPECT_EQ(changes(h), (Rows{"-U 1, 10, 100, 1, 5", "+U 1, 10, 100, 1, 15",
                              "+I 1, 10, 102, 1, 7", "-D 1, 10, 102, 1, 7"}));
  EXPECT_EQ(stateEntries(h), 1u);  // the auction only
}

TEST(UniqueKeyJoinTest, NullKeysMatchNothingAndAreNotKept) {
  OperatorHarness h(makeJoin({}));
  h.open();
  h.processBatch(1, bids({{100, Null{}, 5}}));
  // Two auctions with a NULL id are not a duplicate key: NULL equals nothing.
  h.processBatch(0, auctions({{Null{}, 10}, {Null{}, 11}}));
  h.processBatch(1, bids({{101, Null{}, 6}}));
  EXPECT_TRUE(changes(h).empty());
  EXPECT_EQ(stateEntries(h), 0u);
}

TEST(UniqueKeyJoinTest, ResidualConditionFiltersPairsInBothOrders) {
  OperatorHarness h(makeJoin({.residual = priceAboveCategory()}));
  h.open();
  h.processBatch(1, bids({{100, 1, 5}, {101, 1, 50}}));
  h.processBatch(0, auctions({{1, 10}}));
  h.processBatch(1, bids({{102, 1, 9}, {103, 1, 11}}));
  EXPECT_EQ(changes(h), (Rows{"+I 1, 10, 101, 1, 50", "+I 1, 10, 103, 1, 11"}));
  // The bid that did not qualify is dropped with the others: no later auction can want it.
  EXPECT_EQ(stateEntries(h), 1u);
}

TEST(UniqueKeyJoinTest, BothSidesUnique) {
  OperatorHarness h(makeJoin({.rightUnique = true}));
  h.open();
  h.processBatch(1, bids({{100, 1, 5}}));
  h.processBatch(0, auctions({{1, 10}, {2, 20}}));
  h.processBatch(1, bids({{101, 2, 6}}));
  EXPECT_EQ(changes(h), (Rows{"+I 1, 10, 100, 1, 5", "+I 2, 20, 101, 2, 6"}));
  EXPECT_THROW(h.processBatch(1, bids({{102, 2, 7}})), GlintError);
}

TEST(UniqueKeyJoinTest, SecondRowWithTheSameKeyFailsNamingTheKey) {
  for (bool sameBatch : {false, true}) {
    SCOPED_TRACE(sameBatch ? "same batch" : "later batch");
    OperatorHarness h(makeJoin({}));
    h.open();
    h.processBatch(1, bids({{100, 7, 5}}));
    try {
      if (sameBatch) {
        h.processBatch(0, auctions({{7, 10}, {8, 11}, {7, 12}}));
      } else {
        h.processBatch(0, auctions({{7, 10}}));
        h.processBatch(0, auctions({{7, 12}}));
      }
      ADD_FAILURE() << "no error for a duplicate key";
    } catch (const GlintError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("join key (id=7)"), std::string::npos) << message;
      EXPECT_NE(message.find(kLeftUnique), std::string::npos) << message;
      EXPECT_NE(message.find("NOT ENFORCED"), std::string::npos) << message;
    }
  }
}

// Random interleavings of auctions (each id once) and bids (with retractions of earlier bids
// on an updating bid input) give the same changes, per key in the same order, as the general
// join, which keeps every row.
TEST(UniqueKeyJoinTest, SameChangesAsTheGeneralJoin) {
  for (bool updating : {false, true}) {
    for (uint32_t seed = 1; seed <= 6; ++seed) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (updating ? " updating" : ""));
      std::mt19937 rng(seed);
      std::vector<int64_t> unseen;
      for (int64_t id = 0; id < 12; ++id) unseen.push_back(id);
      std::shuffle(unseen.begin(), unseen.end(), rng);
      std::vector<Bid> live;
      std::vector<std::pair<int, Batch>> steps;
      int64_t next = 100;
      for (int step = 0; step < 60; ++step) {
        if (rng() % 4 == 0 && !unseen.empty()) {
          std::vector<std::pair<TestValue, int64_t>> rows;
          for (int i = 0, n = 1 + static_cast<int>(rng() % 3); i < n && !unseen.empty(); ++i) {
            rows.push_back({unseen.back(), static_cast<int64_t>(rng() % 20)});
            unseen.pop_back();
          }
          steps.push_back({0, auctions(rows)});
          continue;
        }
        std::vector<Bid> rows;
        for (int i = 0, n = 1 + static_cast<int>(rng() % 5); i < n; ++i) {
          if (updating && !live.empty() && rng() % 3 == 0) {
            const size_t at = rng() % live.size();
            Bid b = live[at];
            live.erase(live.begin() + static_cast<ptrdiff_t>(at));
            b.kind = rng() % 2 ? RowKind::kUpdateBefore : RowKind::kDelete;
            rows.push_back(b);
            continue;
          }
          const uint32_t k = rng() % 13;  // 12: NULL
          Bid b{next++, k == 12 ? TestValue(Null{}) : TestValue(static_cast<int64_t>(k)),
                static_cast<int64_t>(rng() % 30)};
          rows.push_back(b);
          live.push_back(b);
        }
        steps.push_back({1, bids(rows)});
      }
      auto run = [&](bool unique) {
        OperatorHarness h(makeJoin(
            {.rightUpdating = updating, .leftUnique = unique, .residual = priceAboveCategory()}));
        h.open();
        for (const auto& [side, batch] : steps) h.processBatch(side, batch);
        Rows rows = changes(h);
        h.close();
        // Keys interleave differently between batches; per key the order is the same.
        std::stable_sort(rows.begin(), rows.end(), [](const std::string& a, const std::string& b) {
          return a.substr(3, a.find(',') - 3) < b.substr(3, b.find(',') - 3);
        });
        return rows;
      };
      const Rows general = run(false);
      ASSERT_GT(general.size(), 10u);
      EXPECT_EQ(run(true), general);
    }
  }
}

// A snapshot with an auction stored and bids waiting, restored into a new operator on each
// backend: the restored join joins the waiting bids, does not keep the late ones and still
// rejects a second auction with a stored id.
TEST(UniqueKeyJoinTest, StateSurvivesSnapshotAndRestore) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("glint_unique_join_restore_" + std::to_string(::getpid()));
  for (const char* backend : {"heap", "rocksdb"}) {
    SCOPED_TRACE(backend);
    std::filesystem::remove_all(dir);
    OperatorHarness before(makeJoin({.rightUpdating = true}));
    before.useStateBackend(backend, dir);
    before.open();
    before.processBatch(0, auctions({{1, 10}}));
    before.processBatch(1, bids({{100, 2, 5}, {101, 2, 6}, {102, 1, 7}}));
    OperatorRestoreState restore = before.checkpointForRestore(dir, "join-0");
    EXPECT_EQ(changes(before), (Rows{"+I 1, 10, 102, 1, 7"}));
    before.close();

    OperatorHarness after(makeJoin({.rightUpdating = true}));
    after.useStateBackend(backend, dir);
    after.op().initializeState(std::move(restore));
    after.open();
    after.processBatch(1, bids({{101, 2, 6, RowKind::kDelete}, {103, 1, 8}}));
    after.processBatch(0, auctions({{2, 20}}));
    EXPECT_EQ(changes(after), (Rows{"+I 1, 10, 103, 1, 8", "+I 2, 20, 100, 2, 5"}));
    EXPECT_THROW(after.processBatch(0, auctions({{1, 11}})), GlintError);
    after.close();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace glint::sql
