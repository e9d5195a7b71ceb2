// The outer interval join operator on its own: left / full joins over out-of-order,
// interleaved inputs with NULL keys, against a nested-loop model; and checkpointed at several
// points and restored, the rows of the run before the cut plus those of the restored run equal
// an uninterrupted run's (a row matched before the checkpoint is not padded after it).
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/sql/operators/outer_time_joins.h"
#include "tests/support/operator_harness.h"

namespace glint::sql {
namespace {

using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::TestRow;
using testutil::TestValue;
using Rows = std::vector<std::string>;

SchemaPtr leftSchema() {
  return makeSchema({{"k", TypeId::kBigint}, {"lid", TypeId::kBigint}});
}
SchemaPtr rightSchema() {
  return makeSchema({{"rid", TypeId::kBigint}, {"k", TypeId::kBigint}});
}
SchemaPtr joinedSchema() {
  return makeSchema({{"k", TypeId::kBigint},
                     {"lid", TypeId::kBigint},
                     {"rid", TypeId::kBigint},
                     {"k0", TypeId::kBigint}});
}

std::unique_ptr<OuterIntervalJoinOperator> makeJoin(RelJoinType type, int64_t lower,
                                                    int64_t upper) {
  return std::make_unique<OuterIntervalJoinOperator>(leftSchema(), std::vector<int>{0},
                                                     rightSchema(), std::vector<int>{1},
                                                     joinedSchema(), lower, upper, type, nullptr);
}

struct Row {
  int side;
  std::optional<int64_t> key;
  int64_t id, ts;
};
struct Step {
  int side;
  std::vector<Row> rows;
  int64_t watermark;  // after the batch, INT64_MIN for none
};

Batch batchOf(int side, const std::vector<Row>& rows) {
  std::vector<TestRow> test;
  for (const Row& r : rows) {
    TestValue key = r.key ? TestValue(*r.key) : TestValue(Null{});
    test.push_back(side == 0 ? TestRow{r.ts, {key, r.id}} : TestRow{r.ts, {r.id, key}});
  }
  return makeBatch(side == 0 ? leftSchema() : rightSchema(), test);
}

// Two upstreams per input, each in time order, interleaved batch by batch; one key in ten is
// NULL. The watermark trails the slowest upstream, so nothing is late.
std::vector<Step> schedule(uint32_t seed) {
  std::mt19937 rng(seed);
  int64_t clock[2][2] = {{0, 0}, {0, 0}};
  std::vector<Step> steps;
  int64_t id = 0;
  for (int b = 0; b < 200; ++b) {
    const int side = static_cast<int>(rng() % 2), upstream = static_cast<int>(rng() % 2);
    Step step{side, {}, INT64_MIN};
    for (int i = 0, n = 1 + static_cast<int>(rng() % 6); i < n; ++i) {
      clock[side][upstream] += static_cast<int64_t>(rng() % 6);
      const uint32_t k = rng() % 10;
      step.rows.push_back(
          {side, k == 9 ? std::nullopt : std::optional<int64_t>(k), id++, clock[side][upstream]});
    }
    if (rng() % 3 == 0) {
      int64_t slowest = INT64_MAX;
      for (auto& input : clock)
        for (int64_t c : input) slowest = std::min(slowest, c);
      step.watermark = slowest;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string text(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : "NULL";
}

// Pairs with equal, non-NULL keys and lower <= tR - tL <= upper, then unmatched kept rows.
Rows model(const std::vector<Step>& steps, RelJoinType type, int64_t lower, int64_t upper) {
  std::vector<Row> left, right;
  for (const Step& s : steps)
    for (const Row& r : s.rows) (r.side == 0 ? left : right).push_back(r);
  Rows out;
  std::vector<bool> leftMatched(left.size()), rightMatched(right.size());
  for (size_t i = 0; i < left.size(); ++i)
    for (size_t j = 0; j < right.size(); ++j) {
      const Row& l = left[i];
      const Row& r = right[j];
      if (!l.key || !r.key || *l.key != *r.key || r.ts - l.ts < lower || r.ts - l.ts > upper)
        continue;
      leftMatched[i] = rightMatched[j] = true;
      out.push_back(text(l.key) + ", " + std::to_string(l.id) + ", " + std::to_string(r.id) + ", " +
                    text(r.key));
    }
  for (size_t i = 0; i < left.size(); ++i)
    if (!leftMatched[i] && keepsLeft(type))
      out.push_back(text(left[i].key) + ", " + std::to_string(left[i].id) + ", NULL, NULL");
  for (size_t j = 0; j < right.size(); ++j)
    if (!rightMatched[j] && keepsRight(type))
      out.push_back("NULL, NULL, " + std::to_string(right[j].id) + ", " + text(right[j].key));
  std::sort(out.begin(), out.end());
  return out;
}

void replay(OperatorHarness& h, const std::vector<Step>& steps, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    h.processBatch(steps[i].side, batchOf(steps[i].side, steps[i].rows));
    if (steps[i].watermark != INT64_MIN) h.processWatermark(steps[i].watermark);
  }
}

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(OuterIntervalJoinTest, EqualsNestedLoopModel) {
  const int64_t lower = -3, upper = 8;
  for (RelJoinType type : {RelJoinType::kLeft, RelJoinType::kRight, RelJoinType::kFull}) {
    for (uint32_t seed = 1; seed <= 4; ++seed) {
      SCOPED_TRACE("type " + std::to_string(static_cast<int>(type)) + " seed " +
                   std::to_string(seed));
      const auto steps = schedule(seed);
      OperatorHarness h(makeJoin(type, lower, upper));
      h.open();
      replay(h, steps, 0, steps.size());
      h.processWatermark(kMaxTimestamp);
      EXPECT_EQ(sorted(h.outputRows()), model(steps, type, lower, upper));
      EXPECT_EQ(h.op<OuterIntervalJoinOperator>().numBufferedRows(), 0u);
    }
  }
}

TEST(OuterIntervalJoinTest, RestoredOperatorKeepsMatchedFlags) {
  const int64_t lower = -4, upper = 9;
  for (RelJoinType type : {RelJoinType::kLeft, RelJoinType::kFull}) {
    for (uint32_t seed = 21; seed <= 23; ++seed) {
      const auto steps = schedule(seed);
      const Rows expected = model(steps, type, lower, upper);
      for (size_t cut : {steps.size() / 3, steps.size() / 2, steps.size() * 4 / 5}) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " cut " + std::to_string(cut));
        OperatorHarness before(makeJoin(type, lower, upper));
        before.open();
        replay(before, steps, 0, cut);
        OperatorSnapshot snapshot;
        before.op().snapshotState(CheckpointBarrier{1, 0}, SnapshotLocation{}, snapshot);
        OperatorRestoreState restore;
        restore.restored = true;
        restore.checkpointId = 1;
        restore.keyedOperatorData = snapshot.keyedOperatorData;
        OperatorHarness after(makeJoin(type, lower, upper));
        after.op().initializeState(std::move(restore));
        after.open();
        EXPECT_EQ(after.op<OuterIntervalJoinOperator>().numBufferedRows(),
                  before.op<OuterIntervalJoinOperator>().numBufferedRows());
        replay(after, steps, cut, steps.size());
        after.processWatermark(kMaxTimestamp);
        Rows got = before.outputRows();
        for (auto& row : after.outputRows()) got.push_back(row);
        EXPECT_EQ(sorted(got), expected);
      }
    }
  }
}

}  // namespace
}  // namespace glint::sql
