// The interval join's clean-up (IntervalJoinBuffer::expire) and snapshot/restore: exact
// clean-up with many keys and interleaved (out-of-order) upstreams, and a restored operator
// that continues exactly as an uninterrupted one.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/runtime/operators/interval_join_buffer.h"
#include "glint/runtime/operators/interval_join_operator.h"
#include "tests/support/operator_harness.h"

namespace glint {
namespace {

using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::TestRow;
using Rows = std::vector<std::string>;

// IntervalJoinBuffer::expire against a reference: rows in random order within wide slices
// (so that new rows are sorted by each of its three paths: in order, counting sort, pair
// sort) expire exactly when the watermark reaches them, in time order, and probes see the live
// rows only.
TEST(IntervalJoinBufferTest, ExpiresExactlyTheDueRowsInTimeOrder) {
  std::mt19937 rng(5);
  const SchemaPtr schema = makeSchema({{"k", TypeId::kBigint}, {"id", TypeId::kBigint}});
  const KeyEncoder encoder(*schema, {0});
  for (int64_t sliceMillis : {int64_t{100}, int64_t{100000}}) {
    SCOPED_TRACE("slice " + std::to_string(sliceMillis));
    IntervalJoinBuffer buffer(schema, sliceMillis);
    std::multimap<int64_t, int64_t> live;  // ts -> id
    int64_t watermark = 0, id = 0;
    for (int step = 0; step < 400; ++step) {
      // A batch: mostly ascending, sometimes shuffled, sometimes spread over a wide range.
      const int n = 1 + static_cast<int>(rng() % 40);
      const int shape = static_cast<int>(rng() % 3);
      std::vector<TestRow> rows;
      for (int i = 0; i < n; ++i) {
        int64_t ts = watermark + (shape == 2 ? static_cast<int64_t>(rng() % 50000)
                                             : static_cast<int64_t>(rng() % 300));
        if (shape == 0) ts = watermark + i;
        rows.push_back(TestRow{ts, {static_cast<int64_t>(rng() % 5), id}});
        live.emplace(ts, id++);
      }
      Batch batch = makeBatch(schema, rows);
      RowKeys keys;
      keys.build(encoder, batch);
      std::vector<uint32_t> all(batch.numRows());
      for (uint32_t r = 0; r < all.size(); ++r) all[r] = r;
      buffer.add(std::move(batch), keys, all.data(), all.size(), [](size_t) { return uint8_t{0}; });
      watermark += static_cast<int64_t>(rng() % 400);
      // Clean-up at ts + 1000: rows with ts + 1000 <= watermark expire, in time order.
      std::vector<std::pair<int64_t, int64_t>> expired;
      buffer.expire(
          watermark, [](int64_t ts) { return ts + 1000; },
          [&](const IntervalJoinBuffer::Slice& slice, uint32_t row) {
            expired.emplace_back(slice.timestamp(row),
                                 slice.batchOf(row).column(1).getInt(slice.offset(row)));
          });
      std::vector<std::pair<int64_t, int64_t>> due;
      while (!live.empty() && live.begin()->first + 1000 <= watermark) {
        due.emplace_back(live.begin()->first, live.begin()->second);
        live.erase(live.begin());
      }
      std::sort(due.begin(), due.end());
      std::vector<std::pair<int64_t, int64_t>> got = expired;
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, due) << "step " << step;
      for (size_t i = 1; i < expired.size(); ++i)
        ASSERT_LE(expired[i - 1].first, expired[i].first) << "not in time order";
      ASSERT_EQ(buffer.numLiveRows(), live.size());
    }
  }
}

SchemaPtr leftSchema() {
  return makeSchema({{"k", TypeId::kBigint}, {"lid", TypeId::kBigint}});
}
SchemaPtr rightSchema() {
  return makeSchema({{"rid", TypeId::kBigint}, {"k", TypeId::kBigint}});
}
SchemaPtr joinedSchema() {
  return makeSchema({{"k", TypeId::kBigint}, {"lid", TypeId::kBigint}, {"rid", TypeId::kBigint}});
}

auto makeJoin(int64_t lower, int64_t upper) {
  return makeIntervalJoinOperator(leftSchema(), {0}, rightSchema(), {1}, joinedSchema(), lower,
                                  upper, [](RowRef l, RowRef r, RowWriter& out) {
                                    out.emit(l.getLong(0), l.getLong(1), r.getLong(0));
                                  });
}
using Join = decltype(makeJoin(0, 0))::element_type;

struct Row {
  int side;
  int64_t key, id, ts;
};
struct Step {
  int side;
  std::vector<Row> rows;
  int64_t watermark;  // after the batch
};

Batch batchOf(int side, const std::vector<Row>& rows) {
  std::vector<TestRow> test;
  for (const Row& r : rows)
    test.push_back(side == 0 ? TestRow{r.ts, {r.key, r.id}} : TestRow{r.ts, {r.id, r.key}});
  return makeBatch(side == 0 ? leftSchema() : rightSchema(), test);
}

// Two upstreams per input, each in time order, interleaved batch by batch (as a join task sees
// its producer subtasks), with many keys: the shape of Nexmark q7's join on the price. No row
// is late: the watermark trails the slowest upstream.
std::vector<Step> interleavedSchedule(uint32_t seed, int numKeys) {
  std::mt19937 rng(seed);
  int64_t clock[2][2] = {{0, 0}, {0, 0}};
  std::vector<Step> steps;
  int64_t id = 0;
  for (int b = 0; b < 300; ++b) {
    const int side = static_cast<int>(rng() % 2), upstream = static_cast<int>(rng() % 2);
    Step step{side, {}, INT64_MIN};
    for (int i = 0, n = 1 + static_cast<int>(rng() % 8); i < n; ++i) {
      clock[side][upstream] += static_cast<int64_t>(rng() % 5);
      step.rows.push_back({side, static_cast<int64_t>(rng() % static_cast<uint32_t>(numKeys)), id++,
                           clock[side][upstream]});
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

TEST(IntervalJoinCleanupTest, ExactWithManyKeysAndInterleavedUpstreams) {
  const int64_t lower = -3, upper = 12;
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    OperatorHarness h(makeJoin(lower, upper));
    h.open();
    auto& op = h.op<Join>();
    std::vector<Row> arrived;
    Rows expected;
    int64_t watermark = INT64_MIN;
    for (const Step& step : interleavedSchedule(seed, 50)) {
      h.processBatch(step.side, batchOf(step.side, step.rows));
      for (const Row& row : step.rows) {
        for (const Row& other : arrived) {
          if (other.side == row.side || other.key != row.key) continue;
          const Row& l = row.side == 0 ? row : other;
          const Row& r = row.side == 0 ? other : row;
          if (l.ts + lower <= r.ts && r.ts <= l.ts + upper)
            expected.push_back(std::to_string(l.key) + ", " + std::to_string(l.id) + ", " +
                               std::to_string(r.id));
        }
        arrived.push_back(row);
      }
      if (step.watermark == INT64_MIN) continue;
      watermark = std::max(watermark, step.watermark);
      h.processWatermark(watermark);
      // Exactly the rows that may still match are kept: a left row while watermark <=
      // ts + upper, a right row while watermark <= ts - lower.
      size_t live = 0;
      std::set<int64_t> liveKeys;
      for (const Row& row : arrived)
        if (row.ts + (row.side == 0 ? upper : -lower) >= watermark) {
          ++live;
          liveKeys.insert(row.key);
        }
      EXPECT_EQ(op.numBufferedRows(), live) << "watermark " << watermark;
      EXPECT_EQ(op.numKeys(), liveKeys.size()) << "watermark " << watermark;
    }
    h.processWatermark(kMaxTimestamp);
    std::sort(expected.begin(), expected.end());
    Rows got = h.outputRows();
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(op.numBufferedRows(), 0u);
    EXPECT_EQ(op.numKeys(), 0u);
    EXPECT_EQ(op.timers().numEventTimers(), 0u);
  }
}

TEST(IntervalJoinCleanupTest, RestoredOperatorContinuesAsAnUninterruptedOne) {
  const int64_t lower = -4, upper = 9;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    const std::vector<Step> steps = interleavedSchedule(seed, 20);
    for (size_t cut : {steps.size() / 3, steps.size() / 2, steps.size() * 4 / 5}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " cut " + std::to_string(cut));
      auto replay = [&](OperatorHarness& h, size_t from, size_t to) {
        for (size_t i = from; i < to; ++i) {
          h.processBatch(steps[i].side, batchOf(steps[i].side, steps[i].rows));
          if (steps[i].watermark != INT64_MIN) h.processWatermark(steps[i].watermark);
        }
      };
      OperatorHarness straight(makeJoin(lower, upper));
      straight.open();
      replay(straight, 0, steps.size());
      straight.processWatermark(kMaxTimestamp);

      OperatorHarness before(makeJoin(lower, upper));
      before.open();
      replay(before, 0, cut);
      OperatorSnapshot snapshot;
      before.op().snapshotState(CheckpointBarrier{1, 0}, SnapshotLocation{}, snapshot);
      OperatorRestoreState restore;
      restore.restored = true;
      restore.checkpointId = 1;
      restore.keyedOperatorData = snapshot.keyedOperatorData;
      OperatorHarness after(makeJoin(lower, upper));
      after.op().initializeState(std::move(restore));
      after.open();
      EXPECT_EQ(after.op<Join>().numBufferedRows(), before.op<Join>().numBufferedRows());
      EXPECT_EQ(after.op<Join>().numKeys(), before.op<Join>().numKeys());
      replay(after, cut, steps.size());
      after.processWatermark(kMaxTimestamp);

      Rows expected = straight.outputRows();
      Rows got = before.outputRows();
      for (auto& row : after.outputRows()) got.push_back(row);
      std::sort(expected.begin(), expected.end());
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected);
      EXPECT_EQ(after.op<Join>().numBufferedRows(), 0u);
      EXPECT_EQ(after.op<Join>().numKeys(), 0u);
    }
  }
}

}  // namespace
}  // namespace glint
