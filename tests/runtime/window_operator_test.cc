#include "glint/runtime/operators/window_operator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "tests/support/operator_harness.h"

namespace glint {
namespace {

using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::TestRow;
using Rows = std::vector<std::string>;

SchemaPtr inputSchema() { return makeSchema({{"key", TypeId::kBigint}, {"value", TypeId::kBigint}}); }
SchemaPtr outputSchema() {
  return makeSchema({{"key", TypeId::kBigint},
                     {"window_start", TypeId::kBigint},
                     {"window_end", TypeId::kBigint},
                     {"cnt", TypeId::kBigint},
                     {"total", TypeId::kBigint}});
}

struct CountSum {
  int64_t count = 0;
  int64_t sum = 0;
};

auto countSumOperator(WindowAssigner assigner, int64_t allowedLateness = 0,
                      std::optional<OutputTag> lateTag = std::nullopt) {
  return makeWindowAggregateOperator(
      inputSchema(), {0}, outputSchema(), assigner, allowedLateness, std::move(lateTag), [] { return CountSum{}; },
      [](CountSum& acc, RowRef row) {
        ++acc.count;
        acc.sum += row.getLong(1);
      },
      [](CountSum& into, const CountSum& from) {
        into.count += from.count;
        into.sum += from.sum;
      },
      [](KeyRef key, const TimeWindow& w, const CountSum& acc, RowWriter& out) {
        out.emit(key.getLong(0), w.start, w.end, acc.count, acc.sum);
      });
}
using CountSumOperator = decltype(countSumOperator(WindowAssigner::tumbling(1)))::element_type;

// key, timestamp, value
struct In {
  int64_t key;
  int64_t ts;
  int64_t value;
};
Batch batchOf(const std::vector<In>& rows) {
  std::vector<TestRow> test;
  for (const In& r : rows) test.push_back(TestRow{r.ts, {r.key, r.value}});
  return makeBatch(inputSchema(), test);
}

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

void expectStateEmpty(OperatorHarness& h) {
  auto& op = h.op<CountSumOperator>();
  EXPECT_EQ(op.state().numEntries(), 0u);
  EXPECT_EQ(op.timers().numEventTimers(), 0u);
  EXPECT_EQ(op.timers().numProcessingTimers(), 0u);
  EXPECT_EQ(op.numSlices(), 0u);
  EXPECT_EQ(op.numSliceEntries(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Assigners

std::vector<TimeWindow> windowsOf(const WindowAssigner& a, int64_t t) {
  std::vector<TimeWindow> out{TimeWindow{1, 2}};  // replaced, not appended to
  a.assignWindows(t, out);
  return out;
}

TEST(WindowAssignerTest, TumblingAlignsToTheEpochIncludingNegativeTimestamps) {
  const auto a = WindowAssigner::tumbling(10);
  EXPECT_EQ(windowsOf(a, 0), (std::vector<TimeWindow>{{0, 10}}));
  EXPECT_EQ(windowsOf(a, 9), (std::vector<TimeWindow>{{0, 10}}));
  EXPECT_EQ(windowsOf(a, 10), (std::vector<TimeWindow>{{10, 20}}));
  EXPECT_EQ(windowsOf(a, -1), (std::vector<TimeWindow>{{-10, 0}}));
  EXPECT_EQ(windowsOf(a, -10), (std::vector<TimeWindow>{{-10, 0}}));
  EXPECT_EQ(windowsOf(a, -11), (std::vector<TimeWindow>{{-20, -10}}));
  const auto withOffset = WindowAssigner::tumbling(10, 3);
  EXPECT_EQ(windowsOf(withOffset, 2), (std::vector<TimeWindow>{{-7, 3}}));
  EXPECT_EQ(windowsOf(withOffset, 3), (std::vector<TimeWindow>{{3, 13}}));
  EXPECT_EQ(windowsOf(WindowAssigner::tumbling(10, -3), -4), (std::vector<TimeWindow>{{-13, -3}}));
  EXPECT_EQ(TimeWindow({0, 10}).maxTimestamp(), 9);
  EXPECT_FALSE(a.isMerging());
  EXPECT_TRUE(a.isEventTime());
}

TEST(WindowAssignerTest, SlidingGivesEveryWindowContainingTheTimestampLatestFirst) {
  const auto a = WindowAssigner::sliding(10, 5);
  EXPECT_EQ(windowsOf(a, 7), (std::vector<TimeWindow>{{5, 15}, {0, 10}}));
  EXPECT_EQ(windowsOf(a, 5), (std::vector<TimeWindow>{{5, 15}, {0, 10}}));
  EXPECT_EQ(windowsOf(a, 4), (std::vector<TimeWindow>{{0, 10}, {-5, 5}}));
  EXPECT_EQ(windowsOf(a, -3), (std::vector<TimeWindow>{{-5, 5}, {-10, 0}}));
  // size not a multiple of slide: ceil(10 / 3) = 4 windows
  EXPECT_EQ(windowsOf(WindowAssigner::sliding(10, 3), 0),
            (std::vector<TimeWindow>{{0, 10}, {-3, 7}, {-6, 4}, {-9, 1}}));
  EXPECT_EQ(windowsOf(WindowAssigner::sliding(10, 5, 2), 1), (std::vector<TimeWindow>{{-3, 7}, {-8, 2}}));
  EXPECT_EQ(windowsOf(WindowAssigner::sliding(10000, 2000), 12345).size(), 5u);
}

TEST(WindowAssignerTest, SessionAndValidation) {
  const auto s = WindowAssigner::session(5);
  EXPECT_EQ(windowsOf(s, -2), (std::vector<TimeWindow>{{-2, 3}}));
  EXPECT_TRUE(s.isMerging());
  EXPECT_TRUE(TimeWindow({0, 5}).intersects({5, 10}));  // touching sessions merge, as in Flink
  EXPECT_FALSE(TimeWindow({0, 5}).intersects({6, 10}));
  EXPECT_FALSE(WindowAssigner::tumbling(5, 0, TimeDomain::kProcessingTime).isEventTime());
  EXPECT_THROW(WindowAssigner::tumbling(0), GlintError);
  EXPECT_THROW(WindowAssigner::tumbling(10, 10), GlintError);
  EXPECT_THROW(WindowAssigner::sliding(10, 0), GlintError);
  EXPECT_THROW(WindowAssigner::sliding(10, 5, 5), GlintError);
  EXPECT_THROW(WindowAssigner::session(0), GlintError);
}

// ---------------------------------------------------------------------------------------------
// Grouping the rows of a batch by key

TEST(BatchKeyGroupsTest, IntegerKeysGroupLikeEncodedKeys) {
  // A single BIGINT key column takes the integer path; with a null it takes the encoded path.
  // Both give the KeyEncoder's bytes, their hashBytes and groups in first-appearance order.
  std::mt19937 rng(5);
  std::uniform_int_distribution<int64_t> v(-40, 40);
  std::vector<TestRow> rows;
  for (int i = 0; i < 3000; ++i) rows.push_back(TestRow{i, {i % 97 == 0 ? int64_t{INT64_MIN} : v(rng) * 1000003, i}});
  const Batch batch = makeBatch(inputSchema(), rows);
  const KeyEncoder encoder(*inputSchema(), {0});
  windowing::BatchKeyGroups groups;
  groups.build(encoder, batch);
  std::map<std::string, std::vector<uint32_t>> expected;
  std::vector<std::string> order;
  std::string key;
  for (uint32_t r = 0; r < batch.numRows(); ++r) {
    encoder.encode(batch, r, key);
    if (!expected.count(key)) order.push_back(key);
    expected[key].push_back(r);
  }
  ASSERT_EQ(groups.numGroups(), order.size());
  for (size_t g = 0; g < groups.numGroups(); ++g) {
    EXPECT_EQ(groups.key(g), order[g]);
    EXPECT_EQ(groups.keys.hash(static_cast<uint32_t>(g)), hashBytes(order[g]));
    EXPECT_EQ(groups.keyGroup(g, 128), keyGroupForKey(order[g], 128));
    EXPECT_EQ(std::vector<uint32_t>(groups.rowsOf(g), groups.rowsOf(g) + groups.countOf(g)), expected[order[g]]);
  }
  // Reused for a batch with a null key (encoded path), then an integer batch again.
  Batch withNull(inputSchema());
  RowWriter w(withNull, true);
  w.emit(Null{}, 1);
  w.emit(5, 2);
  w.emit(Null{}, 3);
  groups.build(encoder, withNull);
  ASSERT_EQ(groups.numGroups(), 2u);
  EXPECT_EQ(groups.countOf(0), 2u);
  groups.build(encoder, batch);
  EXPECT_EQ(groups.numGroups(), order.size());
}

// ---------------------------------------------------------------------------------------------
// Event-time windows with hand-computed results

TEST(WindowOperatorTest, TumblingCountAndSumPerKeyAtWindowBoundaries) {
  OperatorHarness h(countSumOperator(WindowAssigner::tumbling(10)));
  h.open();
  h.processBatch(0, batchOf({{1, 0, 1}, {1, 9, 2}, {1, 10, 4}, {2, -1, 8}, {2, -10, 16}, {2, -11, 32}}));
  EXPECT_TRUE(h.outputRows().empty());
  h.processWatermark(-12);
  EXPECT_TRUE(h.outputRows().empty());
  h.processWatermark(-11);  // [-20, -10) ends at -11
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"2, -20, -10, 1, 32 @-11"}));
  h.processWatermark(8);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"2, -20, -10, 1, 32 @-11", "2, -10, 0, 2, 24 @-1"}));
  h.clearOutput();
  h.processWatermark(9);  // t = 9 (end - 1) is in [0, 10); t = 10 is not
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 2, 3 @9"}));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 2, 3 @9", "1, 10, 20, 1, 4 @19"}));
  EXPECT_EQ(h.watermarks(), (std::vector<int64_t>{9, kMaxTimestamp}));
  EXPECT_EQ(h.outputBatches().size(), 2u);  // one batch per firing watermark
  h.finish();
  expectStateEmpty(h);
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 0);
}

TEST(WindowOperatorTest, ManyKeysFireInOneOutputBatch) {
  OperatorHarness h(countSumOperator(WindowAssigner::tumbling(100)));
  h.open();
  std::vector<In> rows;
  for (int k = 0; k < 50; ++k) rows.push_back({k, k, k});
  h.processBatch(0, batchOf(rows));
  h.processWatermark(99);
  ASSERT_EQ(h.outputBatches().size(), 1u);
  EXPECT_EQ(h.outputBatches()[0].numRows(), 50u);
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, SlidingCountAndSum) {
  OperatorHarness h(countSumOperator(WindowAssigner::sliding(10, 5)));
  h.open();
  // key 1: t = -3 -> [-10,0) [-5,5); t = 4 -> [-5,5) [0,10); t = 5 -> [0,10) [5,15)
  // key 2: t = 14 -> [5,15) [10,20)
  h.processBatch(0, batchOf({{1, -3, 1}, {1, 4, 2}, {2, 14, 100}, {1, 5, 4}}));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, -10, 0, 1, 1 @-1", "1, -5, 5, 2, 3 @4", "1, 0, 10, 2, 6 @9",
                                                "1, 5, 15, 1, 4 @14", "2, 5, 15, 1, 100 @14",
                                                "2, 10, 20, 1, 100 @19"}));
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, SessionWindowsMergeAcrossBatches) {
  OperatorHarness h(countSumOperator(WindowAssigner::session(5)));
  h.open();
  // key 1: [0,5) + [3,8) -> [0,8); [20,25); key 2: [-5,0)
  h.processBatch(0, batchOf({{1, 0, 1}, {1, 3, 2}, {1, 20, 4}, {2, -5, 1000}}));
  h.processWatermark(-1);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"2, -5, 0, 1, 1000 @-1"}));
  h.clearOutput();
  // t = 8: [8,13) touches [0,8) -> [0,13); t = 14: [14,19) stays apart from [0,13) and [20,25)
  h.processBatch(0, batchOf({{1, 8, 8}, {1, 14, 16}}));
  h.processWatermark(11);
  EXPECT_TRUE(h.outputRows().empty());
  // t = 17: [17,22) joins [14,19) and [20,25) -> [14,25)
  h.processBatch(0, batchOf({{1, 17, 32}}));
  h.processWatermark(12);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 13, 3, 11 @12"}));
  auto& op = h.op<CountSumOperator>();
  EXPECT_EQ(op.timers().numEventTimers(), 1u);  // only the merged [14,25) is pending
  h.processWatermark(23);
  EXPECT_EQ(h.outputRows().size(), 1u);
  h.processWatermark(24);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 13, 3, 11 @12", "1, 14, 25, 3, 52 @24"}));
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, SessionMergingWithinOneBatch) {
  OperatorHarness h(countSumOperator(WindowAssigner::session(10)));
  h.open();
  // Out of order in one batch: 50 and 30 are apart until 40 bridges them.
  h.processBatch(0, batchOf({{7, 50, 1}, {7, 30, 2}, {7, 0, 4}, {7, 40, 8}, {7, 80, 16}}));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(),
            (Rows{"7, 0, 10, 1, 4 @9", "7, 30, 60, 3, 11 @59", "7, 80, 90, 1, 16 @89"}));
  expectStateEmpty(h);
}

// ---------------------------------------------------------------------------------------------
// Out-of-order input gives the same result as sorted input

struct Generated {
  std::vector<In> sorted;
  std::vector<std::vector<In>> batches;  // arrival order
  std::vector<int64_t> watermarkAfter;   // after each batch
};

// Rows arrive ordered by ts + jitter with jitter in [0, delay); after the rows with arrival key
// <= A have arrived, every row with ts <= A - delay has, so watermark A - delay never makes a
// row late. We use A - delay - 1 so that a later row cannot even touch a session that already
// fired (at t = end of a fired session it would start a new session, as in Flink).
Generated generate(uint32_t seed, int numRows, int numKeys, int64_t from, int64_t to, int64_t delay) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> ts(from, to - 1), key(0, numKeys - 1), value(1, 100), jitter(0, delay - 1);
  std::vector<std::pair<int64_t, In>> arrival;
  Generated g;
  for (int i = 0; i < numRows; ++i) {
    In r{key(rng), ts(rng), value(rng)};
    g.sorted.push_back(r);
    arrival.push_back({r.ts + jitter(rng), r});
  }
  std::stable_sort(g.sorted.begin(), g.sorted.end(), [](const In& a, const In& b) { return a.ts < b.ts; });
  std::stable_sort(arrival.begin(), arrival.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::uniform_int_distribution<int> batchSize(1, 40);
  for (size_t i = 0; i < arrival.size();) {
    const size_t n = std::min<size_t>(batchSize(rng), arrival.size() - i);
    std::vector<In> b;
    for (size_t k = 0; k < n; ++k) b.push_back(arrival[i + k].second);
    i += n;
    g.batches.push_back(b);
    g.watermarkAfter.push_back(arrival[i - 1].first - delay - 1);
  }
  return g;
}

// An independent reference: (key, window) -> count, sum over all rows.
Rows referenceWindows(const WindowAssigner& a, const std::vector<In>& rows) {
  std::map<std::tuple<int64_t, int64_t, int64_t>, std::pair<int64_t, int64_t>> result;
  if (!a.isMerging()) {
    std::vector<TimeWindow> ws;
    for (const In& r : rows) {
      a.assignWindows(r.ts, ws);
      for (const TimeWindow& w : ws) {
        auto& cs = result[{r.key, w.start, w.end}];
        cs.first++;
        cs.second += r.value;
      }
    }
  } else {
    std::map<int64_t, std::vector<In>> byKey;
    for (const In& r : rows) byKey[r.key].push_back(r);
    for (auto& [k, rs] : byKey) {
      std::sort(rs.begin(), rs.end(), [](const In& x, const In& y) { return x.ts < y.ts; });
      size_t i = 0;
      while (i < rs.size()) {
        int64_t start = rs[i].ts, end = rs[i].ts + a.gap(), count = 0, sum = 0;
        while (i < rs.size() && rs[i].ts <= end) {  // [t, t+gap) touches [start, end)
          end = std::max(end, rs[i].ts + a.gap());
          ++count;
          sum += rs[i].value;
          ++i;
        }
        result[{k, start, end}] = {count, sum};
      }
    }
  }
  Rows out;
  for (const auto& [kw, cs] : result) {
    const auto [k, s, e] = kw;
    out.push_back(std::to_string(k) + ", " + std::to_string(s) + ", " + std::to_string(e) + ", " +
                  std::to_string(cs.first) + ", " + std::to_string(cs.second) + " @" + std::to_string(e - 1));
  }
  return sorted(out);
}

void checkOutOfOrderMatchesSorted(const WindowAssigner& assigner, uint32_t seed) {
  SCOPED_TRACE(assigner.toString());
  const Generated g = generate(seed, 600, 5, -700, 1300, 60);
  // Sorted input in one batch.
  OperatorHarness sortedRun(countSumOperator(assigner));
  sortedRun.open();
  sortedRun.processBatch(0, batchOf(g.sorted));
  sortedRun.processWatermark(kMaxTimestamp);
  const Rows expected = referenceWindows(assigner, g.sorted);
  EXPECT_EQ(sorted(sortedRun.outputRowsWithTimestamps()), expected);
  // Shuffled input in many batches with watermarks.
  OperatorHarness shuffled(countSumOperator(assigner));
  shuffled.open();
  int64_t wm = kMinTimestamp;
  for (size_t i = 0; i < g.batches.size(); ++i) {
    shuffled.processBatch(0, batchOf(g.batches[i]));
    if (g.watermarkAfter[i] > wm) {
      wm = g.watermarkAfter[i];
      shuffled.processWatermark(wm);
    }
  }
  shuffled.processWatermark(kMaxTimestamp);
  shuffled.finish();
  EXPECT_EQ(sorted(shuffled.outputRowsWithTimestamps()), expected);
  EXPECT_EQ(shuffled.op<CountSumOperator>().numLateRows(), 0);
  // Every row's timestamp is window end - 1 and no row came before the watermark passed it.
  expectStateEmpty(shuffled);
  expectStateEmpty(sortedRun);
}

TEST(WindowOperatorTest, OutOfOrderInputGivesTheSortedResultTumbling) {
  checkOutOfOrderMatchesSorted(WindowAssigner::tumbling(100), 1);
  checkOutOfOrderMatchesSorted(WindowAssigner::tumbling(7, 3), 2);
}

TEST(WindowOperatorTest, OutOfOrderInputGivesTheSortedResultSliding) {
  checkOutOfOrderMatchesSorted(WindowAssigner::sliding(100, 20), 3);
  checkOutOfOrderMatchesSorted(WindowAssigner::sliding(50, 30, 10), 4);
}

TEST(WindowOperatorTest, OutOfOrderInputGivesTheSortedResultSession) {
  checkOutOfOrderMatchesSorted(WindowAssigner::session(15), 5);
  checkOutOfOrderMatchesSorted(WindowAssigner::session(40), 6);
}

TEST(WindowOperatorTest, ManyWindowsOfOneKeyInOneBatch) {
  // More than 16 windows for one key in a batch exercises the per-key window index.
  OperatorHarness h(countSumOperator(WindowAssigner::sliding(20, 5)));
  h.open();
  std::vector<In> rows;
  for (int64_t t = 0; t < 200; t += 3) rows.push_back({1, t, 1});
  h.processBatch(0, batchOf(rows));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(sorted(h.outputRowsWithTimestamps()), referenceWindows(WindowAssigner::sliding(20, 5), rows));
  expectStateEmpty(h);
}

// ---------------------------------------------------------------------------------------------
// Late data and allowed lateness

TEST(WindowOperatorTest, LateRowsGoToTheSideOutputUnchanged) {
  OutputTag late{"late", inputSchema()};
  OperatorHarness h(countSumOperator(WindowAssigner::tumbling(10), 0, late), {"late"});
  h.open();
  h.processBatch(0, batchOf({{1, 5, 1}}));
  h.processWatermark(9);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 1, 1 @9"}));
  // t = 3 and t = 9 are late (window [0,10) has maxTimestamp 9 <= watermark 9), t = 10 is not.
  h.processBatch(0, batchOf({{1, 3, 2}, {2, 9, 4}, {1, 10, 8}}));
  EXPECT_EQ(h.sideOutputRowsWithTimestamps(1), (Rows{"1, 2 @3", "2, 4 @9"}));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 1, 1 @9", "1, 10, 20, 1, 8 @19"}));
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 0);
  EXPECT_EQ(h.op<CountSumOperator>().numLateRows(), 2);
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, LateRowsAreCountedWithoutAConsumedSideOutput) {
  // No tag at all, then a tag nobody consumes.
  for (bool withTag : {false, true}) {
    std::optional<OutputTag> tag;
    if (withTag) tag = OutputTag{"late", inputSchema()};
    OperatorHarness h(countSumOperator(WindowAssigner::sliding(10, 5), 0, tag));
    h.open();
    h.processWatermark(14);
    // t = 9: windows [0,10) and [5,15) both ended -> late; t = 10: [10,20) still open.
    h.processBatch(0, batchOf({{1, 9, 1}, {1, 4, 1}, {1, 10, 1}}));
    h.processWatermark(kMaxTimestamp);
    EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 2);
    EXPECT_TRUE(h.sideOutputRows(1).empty());
    EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 10, 20, 1, 1 @19"}));
  }
}

TEST(WindowOperatorTest, SlidingRowIsNotLateWhileOneOfItsWindowsIsOpen) {
  OperatorHarness h(countSumOperator(WindowAssigner::sliding(10, 5)));
  h.open();
  h.processWatermark(9);
  h.processBatch(0, batchOf({{1, 7, 1}}));  // [0,10) is over, [5,15) is not
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 5, 15, 1, 1 @14"}));
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 0);
}

TEST(WindowOperatorTest, AllowedLatenessRefiresWithTheUpdatedResult) {
  OutputTag late{"late", inputSchema()};
  OperatorHarness h(countSumOperator(WindowAssigner::tumbling(10), 5, late), {"late"});
  h.open();
  auto& op = h.op<CountSumOperator>();
  h.processBatch(0, batchOf({{1, 1, 1}}));
  h.processWatermark(9);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 1, 1 @9"}));
  EXPECT_EQ(op.state().numEntries(), 1u);  // kept until 9 + 5
  ASSERT_TRUE(op.isSliced());               // a tumbling window is one slice
  EXPECT_EQ(op.numSliceEntries(), 1u);
  // Each late-but-allowed row fires the window at once with everything so far.
  h.processBatch(0, batchOf({{1, 2, 2}}));
  h.processBatch(0, batchOf({{1, 3, 4}, {1, 4, 8}, {2, 0, 100}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 1, 1 @9", "1, 0, 10, 2, 3 @9", "1, 0, 10, 3, 7 @9",
                                                "1, 0, 10, 4, 15 @9", "2, 0, 10, 1, 100 @9"}));
  h.clearOutput();
  h.processWatermark(13);
  EXPECT_TRUE(h.outputRows().empty());
  EXPECT_EQ(op.state().numEntries(), 2u);
  h.processBatch(0, batchOf({{1, 9, 16}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 5, 31 @9"}));
  h.processWatermark(14);  // 9 + 5 <= 14: the window is gone, later rows are late
  EXPECT_EQ(op.state().numEntries(), 0u);
  EXPECT_EQ(op.numSlices(), 0u);
  h.processBatch(0, batchOf({{1, 5, 32}}));
  EXPECT_EQ(h.sideOutputRowsWithTimestamps(1), (Rows{"1, 32 @5"}));
  EXPECT_EQ(h.outputRows().size(), 1u);
  h.processWatermark(kMaxTimestamp);
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, AllowedLatenessWithSessions) {
  OperatorHarness h(countSumOperator(WindowAssigner::session(5), 10));
  h.open();
  h.processBatch(0, batchOf({{1, 0, 1}}));
  h.processWatermark(4);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 5, 1, 1 @4"}));
  // A late-but-allowed row merges into the fired session and fires the merged window at once.
  h.processBatch(0, batchOf({{1, -2, 2}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 5, 1, 1 @4", "1, -2, 5, 2, 3 @4"}));
  // One that extends the session beyond the watermark waits for it.
  h.processBatch(0, batchOf({{1, 3, 4}}));
  EXPECT_EQ(h.outputRows().size(), 2u);
  h.processWatermark(7);
  EXPECT_EQ(h.outputRowsWithTimestamps().back(), "1, -2, 8, 3, 7 @7");
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRows().size(), 3u);
  expectStateEmpty(h);
}

// ---------------------------------------------------------------------------------------------
// Sliced windows (one accumulator per key and slice) against the per-window path

// Rows with disorder larger than the watermark delay, so that some rows are late, some are
// within the allowed lateness of fired windows and some are on time; watermarks after random
// batches. After every step the two operators must have emitted the same rows (in any order
// within a step), the same late rows, and end with no state.
void checkSlicedMatchesPerWindow(const WindowAssigner& assigner, int64_t lateness, uint32_t seed) {
  SCOPED_TRACE(assigner.toString() + ", lateness " + std::to_string(lateness) + ", seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> key(0, 6), value(1, 100), jitter(0, 80), pct(0, 99);
  std::uniform_int_distribution<int> batchSize(1, 30);
  OutputTag late{"late", inputSchema()};
  OperatorHarness sliced(countSumOperator(assigner, lateness, late), {"late"});
  OperatorHarness perWindow(countSumOperator(assigner, lateness, late), {"late"});
  perWindow.op<CountSumOperator>().setSlicingEnabled(false);
  ASSERT_TRUE(sliced.op<CountSumOperator>().isSliced());
  ASSERT_FALSE(perWindow.op<CountSumOperator>().isSliced());
  sliced.open();
  perWindow.open();
  int64_t clock = -500, wm = kMinTimestamp;
  size_t seenOut = 0, seenLate = 0;
  auto compareStep = [&](const std::string& what) {
    SCOPED_TRACE(what);
    const Rows a = sliced.outputRowsWithTimestamps(), b = perWindow.outputRowsWithTimestamps();
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(sorted(Rows(a.begin() + static_cast<ptrdiff_t>(seenOut), a.end())),
              sorted(Rows(b.begin() + static_cast<ptrdiff_t>(seenOut), b.end())));
    seenOut = a.size();
    const Rows la = sliced.sideOutputRowsWithTimestamps(1), lb = perWindow.sideOutputRowsWithTimestamps(1);
    ASSERT_EQ(la.size(), lb.size());
    EXPECT_EQ(sorted(Rows(la.begin() + static_cast<ptrdiff_t>(seenLate), la.end())),
              sorted(Rows(lb.begin() + static_cast<ptrdiff_t>(seenLate), lb.end())));
    seenLate = la.size();
  };
  for (int step = 0; step < 120; ++step) {
    std::vector<In> rows;
    const int n = batchSize(rng);
    for (int i = 0; i < n; ++i) {
      clock += pct(rng) < 70 ? 1 : 0;
      // Mostly a little behind the clock, sometimes far behind (late or re-firing).
      const int64_t back = pct(rng) < 15 ? jitter(rng) * 3 : jitter(rng) / 4;
      rows.push_back({key(rng), clock - back, value(rng)});
    }
    sliced.processBatch(0, batchOf(rows));
    perWindow.processBatch(0, batchOf(rows));
    compareStep("batch " + std::to_string(step));
    if (pct(rng) < 60 && clock - 20 > wm) {
      wm = clock - 20;
      sliced.processWatermark(wm);
      perWindow.processWatermark(wm);
      compareStep("watermark " + std::to_string(wm));
    }
  }
  sliced.processWatermark(kMaxTimestamp);
  perWindow.processWatermark(kMaxTimestamp);
  compareStep("final watermark");
  sliced.finish();
  perWindow.finish();
  EXPECT_GT(sliced.outputRows().size(), 0u);
  EXPECT_EQ(sliced.op<CountSumOperator>().numLateRows(), perWindow.op<CountSumOperator>().numLateRows());
  expectStateEmpty(sliced);
  expectStateEmpty(perWindow);
}

TEST(WindowOperatorTest, SlicedWindowsMatchPerWindowWithLateDataAndLateness) {
  uint32_t seed = 100;
  for (int64_t lateness : {0, 7, 40, 1000}) {
    checkSlicedMatchesPerWindow(WindowAssigner::sliding(50, 10), lateness, ++seed);
    checkSlicedMatchesPerWindow(WindowAssigner::sliding(30, 15, 4), lateness, ++seed);
    checkSlicedMatchesPerWindow(WindowAssigner::sliding(20, 1), lateness, ++seed);
    checkSlicedMatchesPerWindow(WindowAssigner::tumbling(25), lateness, ++seed);
    checkSlicedMatchesPerWindow(WindowAssigner::tumbling(9, -4), lateness, ++seed);
  }
}

TEST(WindowOperatorTest, SlicedSlidingRefiresEveryFiredWindowOfALateRow) {
  // sliding(10, 5) with lateness 20: [0,10) and [5,15) have fired at watermark 14; a row at
  // t = 7 fires both at once (latest first), with everything they hold so far.
  OperatorHarness h(countSumOperator(WindowAssigner::sliding(10, 5), 20));
  h.open();
  ASSERT_TRUE(h.op<CountSumOperator>().isSliced());
  h.processBatch(0, batchOf({{1, 3, 1}, {1, 12, 2}}));
  h.processWatermark(14);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, -5, 5, 1, 1 @4", "1, 0, 10, 1, 1 @9", "1, 5, 15, 1, 2 @14"}));
  h.clearOutput();
  h.processBatch(0, batchOf({{1, 7, 4}, {1, 8, 8}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 5, 15, 2, 6 @14", "1, 0, 10, 2, 5 @9", "1, 5, 15, 3, 14 @14",
                                                "1, 0, 10, 3, 13 @9"}));
  h.clearOutput();
  h.processWatermark(19);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 10, 20, 1, 2 @19"}));
  // [-5,5) is cleaned at 4 + 20 = 24; the slice [0,5) lives until [0,10) is cleaned at 29.
  h.processWatermark(28);
  h.clearOutput();
  h.processBatch(0, batchOf({{1, 1, 16}}));  // [-5,5) is late, [0,10) is not
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 0, 10, 4, 29 @9"}));
  h.processWatermark(29);
  h.processBatch(0, batchOf({{1, 2, 32}}));
  EXPECT_EQ(h.outputRows().size(), 1u);
  EXPECT_EQ(h.op<CountSumOperator>().numLateRows(), 1);
  h.processWatermark(kMaxTimestamp);
  expectStateEmpty(h);
}

// ---------------------------------------------------------------------------------------------
// Processing time

TEST(WindowOperatorTest, ProcessingTimeTumblingFiresOnTheHarnessClock) {
  OperatorHarness h(countSumOperator(WindowAssigner::tumbling(100, 0, TimeDomain::kProcessingTime)));
  auto& op = h.op<CountSumOperator>();
  op.setProcessingTimeClock([&h] { return h.processingTime(); });
  h.open();
  h.setProcessingTime(1050);
  // Event timestamps are ignored: rows belong to the window of the clock, [1000, 1100).
  h.processBatch(0, batchOf({{1, 0, 1}, {1, 999999, 2}, {2, 5, 4}}));
  h.processWatermark(kMaxTimestamp);  // watermarks do not fire processing-time windows
  EXPECT_TRUE(h.outputRows().empty());
  h.setProcessingTime(1098);
  EXPECT_TRUE(h.outputRows().empty());
  h.setProcessingTime(1099);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 1000, 1100, 2, 3 @1099", "2, 1000, 1100, 1, 4 @1099"}));
  EXPECT_EQ(op.state().numEntries(), 0u);
  h.clearOutput();
  h.setProcessingTime(1250);
  h.processBatch(0, batchOf({{1, 0, 8}}));
  h.setProcessingTime(1260);
  EXPECT_TRUE(h.outputRows().empty());
  // The input ends before the window's time: finish() fires it.
  h.finish();
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 1200, 1300, 1, 8 @1299"}));
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, ProcessingTimeSessions) {
  OperatorHarness h(countSumOperator(WindowAssigner::session(10, TimeDomain::kProcessingTime)));
  h.op<CountSumOperator>().setProcessingTimeClock([&h] { return h.processingTime(); });
  h.open();
  h.setProcessingTime(100);
  h.processBatch(0, batchOf({{1, 0, 1}}));
  h.setProcessingTime(105);
  h.processBatch(0, batchOf({{1, 0, 2}}));  // [105, 115) merges with [100, 110)
  h.setProcessingTime(110);
  EXPECT_TRUE(h.outputRows().empty());
  h.setProcessingTime(114);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 100, 115, 2, 3 @114"}));
  expectStateEmpty(h);
}

TEST(WindowOperatorTest, EventTimeRowsNeedTimestamps) {
  OperatorHarness h(countSumOperator(WindowAssigner::tumbling(10)));
  h.open();
  Batch b(inputSchema());
  RowWriter w(b);
  w.emit(1, 1);
  EXPECT_THROW(h.processBatch(0, std::move(b)), GlintError);
}

}  // namespace
}  // namespace glint
