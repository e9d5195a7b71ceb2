#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "glint/runtime/operators/interval_join_operator.h"
#include "glint/runtime/operators/window_join_operator.h"
#include "tests/support/operator_harness.h"

namespace glint {
namespace {

using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::TestRow;
using Rows = std::vector<std::string>;

// Left rows: (key, id); right rows: (id, key, name) -- the key is not the first column on the
// right, and the right key is a string on purpose in the string-key tests.
SchemaPtr leftSchema() {
  return makeSchema({{"key", TypeId::kBigint}, {"lid", TypeId::kBigint}});
}
SchemaPtr rightSchema() {
  return makeSchema(
      {{"rid", TypeId::kBigint}, {"key", TypeId::kBigint}, {"name", TypeId::kVarchar}});
}
SchemaPtr joinedSchema() {
  return makeSchema({{"key", TypeId::kBigint},
                     {"lid", TypeId::kBigint},
                     {"rid", TypeId::kBigint},
                     {"name", TypeId::kVarchar}});
}

auto joinRows = [](RowRef left, RowRef right, RowWriter& out) {
  out.emit(left.getLong(0), left.getLong(1), right.getLong(0), right.getString(2));
};

struct Row {
  int side;  // 0 left, 1 right
  int64_t key;
  int64_t id;
  int64_t ts;
};

Batch batchOf(int side, const std::vector<Row>& rows) {
  std::vector<TestRow> test;
  for (const Row& r : rows) {
    if (side == 0)
      test.push_back(TestRow{r.ts, {r.key, r.id}});
    else
      test.push_back(TestRow{r.ts, {r.id, r.key, "n" + std::to_string(r.id)}});
  }
  return makeBatch(side == 0 ? leftSchema() : rightSchema(), test);
}

std::string joined(const Row& l, const Row& r, int64_t ts) {
  return std::to_string(l.key) + ", " + std::to_string(l.id) + ", " + std::to_string(r.id) + ", n" +
         std::to_string(r.id) + " @" + std::to_string(ts);
}

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A random arrival schedule over both inputs: batches of one input each, a watermark after
// some batches. With `allowLate`, watermarks may run ahead of rows still to come.
struct Schedule {
  struct Step {
    int side;
    std::vector<Row> rows;
    int64_t watermark;  // kMinTimestamp: none after this batch
  };
  std::vector<Row> all;
  std::vector<Step> steps;
};

Schedule makeSchedule(uint32_t seed, int numRows, int numKeys, int64_t from, int64_t to,
                      int64_t delay, bool allowLate) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> ts(from, to - 1), key(0, numKeys - 1),
      jitter(0, delay - 1);
  std::uniform_int_distribution<int> side(0, 1), batchSize(1, 12), coin(0, 3);
  Schedule s;
  std::vector<std::pair<int64_t, Row>> arrival;
  for (int i = 0; i < numRows; ++i) {
    Row r{side(rng), key(rng), i, ts(rng)};
    s.all.push_back(r);
    arrival.push_back({r.ts + jitter(rng), r});
  }
  std::stable_sort(arrival.begin(), arrival.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Cut into runs of one side.
  size_t i = 0;
  int64_t wm = kMinTimestamp;
  while (i < arrival.size()) {
    const int sd = arrival[i].second.side;
    Schedule::Step step{sd, {}, kMinTimestamp};
    const int n = batchSize(rng);
    // Take up to n rows of side sd from the next rows, leaving the other side's rows for later
    // batches (a reordering across inputs, bounded by the window of 2n rows we look at).
    std::vector<size_t> taken;
    for (size_t k = i; k < arrival.size() && static_cast<int>(taken.size()) < n && k < i + 2 * n;
         ++k)
      if (arrival[k].second.side == sd) taken.push_back(k);
    for (size_t k : taken) step.rows.push_back(arrival[k].second);
    for (auto it = taken.rbegin(); it != taken.rend(); ++it)
      arrival.erase(arrival.begin() + static_cast<ptrdiff_t>(*it));
    // Everything with arrival key < the smallest remaining one has arrived.
    const int64_t next = i < arrival.size() ? arrival[i].first : kMaxTimestamp;
    int64_t candidate = next == kMaxTimestamp ? kMinTimestamp : next - delay - 1;
    if (allowLate && coin(rng) == 0 && next != kMaxTimestamp) candidate = next - delay / 4;
    if (candidate > wm && coin(rng) != 0) {
      wm = candidate;
      step.watermark = wm;
    }
    s.steps.push_back(std::move(step));
  }
  return s;
}

struct RunResult {
  Rows rows;
  std::vector<Row> onTime;  // rows that were not late on arrival under `isLate`
  int64_t late = 0;
};

// Feeds a schedule and records which rows were late by the operator's rule `isLate(row, wm)`.
template <class IsLate>
RunResult run(OperatorHarness& h, const Schedule& s, IsLate isLate) {
  RunResult result;
  int64_t wm = kMinTimestamp;
  for (const auto& step : s.steps) {
    for (const Row& r : step.rows) {
      if (isLate(r, wm))
        ++result.late;
      else
        result.onTime.push_back(r);
    }
    h.processBatch(step.side, batchOf(step.side, step.rows));
    if (step.watermark != kMinTimestamp) {
      wm = step.watermark;
      h.processWatermark(wm);
    }
  }
  h.processWatermark(kMaxTimestamp);
  h.finish();
  result.rows = sorted(h.outputRowsWithTimestamps());
  return result;
}

// ---------------------------------------------------------------------------------------------
// Window join

Rows windowJoinReference(const WindowAssigner& a, const std::vector<Row>& rows) {
  Rows out;
  std::vector<TimeWindow> wl, wr;
  for (const Row& l : rows) {
    if (l.side != 0) continue;
    a.assignWindows(l.ts, wl);
    for (const Row& r : rows) {
      if (r.side != 1 || r.key != l.key) continue;
      a.assignWindows(r.ts, wr);
      for (const TimeWindow& w : wl)
        if (std::find(wr.begin(), wr.end(), w) != wr.end())
          out.push_back(joined(l, r, w.maxTimestamp()));
    }
  }
  return sorted(out);
}

auto windowJoin(const WindowAssigner& a) {
  return makeWindowJoinOperator(leftSchema(), {0}, rightSchema(), {1}, joinedSchema(), a, joinRows);
}
using WindowJoin = decltype(windowJoin(WindowAssigner::tumbling(1)))::element_type;

TEST(WindowJoinTest, TumblingHandComputed) {
  OperatorHarness h(windowJoin(WindowAssigner::tumbling(10)));
  h.open();
  h.processBatch(0, batchOf(0, {{0, 1, 1, 0}, {0, 1, 2, 9}, {0, 2, 3, -1}, {0, 1, 4, 10}}));
  h.processBatch(1,
                 batchOf(1, {{1, 1, 100, 5}, {1, 1, 101, 10}, {1, 2, 102, -10}, {1, 2, 103, 0}}));
  h.processWatermark(9);
  EXPECT_EQ(sorted(h.outputRowsWithTimestamps()),
            (Rows{"1, 1, 100, n100 @9", "1, 2, 100, n100 @9", "2, 3, 102, n102 @-1"}));
  auto& op = h.op<WindowJoin>();
  EXPECT_EQ(op.numBufferedRows(), 2u);  // [10,20): lid 4, rid 101; rid 103 left with [0,10)
  h.clearOutput();
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 4, 101, n101 @19"}));
  EXPECT_EQ(op.numBufferedRows(), 0u);
  EXPECT_EQ(op.numPanes(), 0u);
  EXPECT_EQ(op.state().numEntries(), 0u);
  EXPECT_EQ(op.timers().numEventTimers(), 0u);
}

TEST(WindowJoinTest, LateRowsAreDroppedAndCounted) {
  OperatorHarness h(windowJoin(WindowAssigner::tumbling(10)));
  h.open();
  h.processBatch(0, batchOf(0, {{0, 1, 1, 5}}));
  h.processWatermark(9);
  h.processBatch(1, batchOf(1, {{1, 1, 100, 9}, {1, 1, 101, 10}}));  // 9 is late
  h.processBatch(0, batchOf(0, {{0, 1, 2, 15}}));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 2, 101, n101 @19"}));
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 1);
}

// Returns the number of late rows.
int64_t checkWindowJoin(const WindowAssigner& a, uint32_t seed, bool allowLate) {
  SCOPED_TRACE(a.toString() + " seed " + std::to_string(seed));
  const Schedule s = makeSchedule(seed, 300, 4, -300, 700, 40, allowLate);
  OperatorHarness h(windowJoin(a));
  h.open();
  const RunResult r = run(h, s, [&](const Row& row, int64_t wm) {
    const int64_t lastStart = windowStartWithOffset(row.ts, a.offset(), a.slide());
    if (row.ts >= lastStart + a.size()) return row.ts <= wm;  // in no window (slide > size)
    return lastStart + a.size() - 1 <= wm;
  });
  // Late rows only lose the windows that had fired when they arrived; rows in no open window
  // are dropped. Without late rows the result is the full nested-loop join.
  EXPECT_FALSE(r.rows.empty());
  if (!allowLate) {
    EXPECT_EQ(r.late, 0);
    EXPECT_EQ(r.rows, windowJoinReference(a, s.all));
  } else {
    // Reference: a pair joins in window w iff both rows arrived before w fired.
    Rows expected;
    std::vector<std::pair<Row, int64_t>> arrivedAtWm;  // row, watermark at its arrival
    int64_t wm = kMinTimestamp;
    for (const auto& step : s.steps) {
      for (const Row& row : step.rows) arrivedAtWm.push_back({row, wm});
      if (step.watermark != kMinTimestamp) wm = step.watermark;
    }
    std::vector<TimeWindow> wl, wr;
    for (const auto& [l, wml] : arrivedAtWm) {
      if (l.side != 0) continue;
      a.assignWindows(l.ts, wl);
      for (const auto& [rr, wmr] : arrivedAtWm) {
        if (rr.side != 1 || rr.key != l.key) continue;
        a.assignWindows(rr.ts, wr);
        for (const TimeWindow& w : wl)
          if (std::find(wr.begin(), wr.end(), w) != wr.end() && w.maxTimestamp() > wml &&
              w.maxTimestamp() > wmr)
            expected.push_back(joined(l, rr, w.maxTimestamp()));
      }
    }
    EXPECT_EQ(r.rows, sorted(expected));
    EXPECT_EQ(h.metrics().lateRecordsDropped.load(), r.late);
  }
  auto& op = h.op<WindowJoin>();
  EXPECT_EQ(op.numBufferedRows(), 0u);
  EXPECT_EQ(op.numPanes(), 0u);
  return r.late;
}

TEST(WindowJoinTest, TumblingMatchesNestedLoopInAnyArrivalOrder) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    checkWindowJoin(WindowAssigner::tumbling(50), seed, false);
    checkWindowJoin(WindowAssigner::tumbling(30, 7), seed, false);
  }
}

TEST(WindowJoinTest, SlidingMatchesNestedLoopInAnyArrivalOrder) {
  for (uint32_t seed = 10; seed <= 14; ++seed) {
    checkWindowJoin(WindowAssigner::sliding(100, 50), seed, false);
    checkWindowJoin(WindowAssigner::sliding(100, 30, 10), seed, false);  // panes of gcd = 10 ms
    checkWindowJoin(WindowAssigner::sliding(20, 40), seed, false);       // gaps between windows
  }
}

TEST(WindowJoinTest, LateRowsOnlyMissWindowsThatHaveFired) {
  int64_t late = 0;
  for (uint32_t seed = 20; seed <= 24; ++seed) {
    late += checkWindowJoin(WindowAssigner::tumbling(50), seed, true);
    late += checkWindowJoin(WindowAssigner::sliding(100, 30), seed, true);
  }
  EXPECT_GT(late, 20);
}

TEST(WindowJoinTest, StringKeys) {
  auto l = makeSchema({{"name", TypeId::kVarchar}, {"v", TypeId::kBigint}});
  auto r = makeSchema({{"v", TypeId::kBigint}, {"name", TypeId::kVarchar}});
  auto out =
      makeSchema({{"name", TypeId::kVarchar}, {"lv", TypeId::kBigint}, {"rv", TypeId::kBigint}});
  OperatorHarness h(makeWindowJoinOperator(l, {0}, r, {1}, out, WindowAssigner::tumbling(100),
                                           [](RowRef a, RowRef b, RowWriter& o) {
                                             o.emit(a.getString(0), a.getLong(1), b.getLong(0));
                                           }));
  h.open();
  h.processBatch(
      1,
      makeBatch(r, {{5, {1, "alice"}}, {6, {2, "bob"}}, {7, {3, "a very long name beyond sso"}}}));
  h.processBatch(
      0, makeBatch(
             l, {{1, {"bob", 10}}, {2, {"alice", 20}}, {3, {"a very long name beyond sso", 30}}}));
  h.processWatermark(kMaxTimestamp);
  EXPECT_EQ(sorted(h.outputRowsWithTimestamps()),
            (Rows{"a very long name beyond sso, 30, 3 @99", "alice, 20, 1 @99", "bob, 10, 2 @99"}));
}

TEST(WindowJoinTest, RejectsSessionAndProcessingTimeWindows) {
  EXPECT_THROW(windowJoin(WindowAssigner::session(10)), GlintError);
  EXPECT_THROW(windowJoin(WindowAssigner::tumbling(10, 0, TimeDomain::kProcessingTime)),
               GlintError);
}

// ---------------------------------------------------------------------------------------------
// Interval join

auto intervalJoin(int64_t lower, int64_t upper, IntervalJoinOptions options = {}) {
  return makeIntervalJoinOperator(leftSchema(), {0}, rightSchema(), {1}, joinedSchema(), lower,
                                  upper, joinRows, options);
}
using IntervalJoin = decltype(intervalJoin(0, 0))::element_type;

void expectIntervalJoinEmpty(OperatorHarness& h) {
  auto& op = h.op<IntervalJoin>();
  EXPECT_EQ(op.numBufferedRows(), 0u);
  EXPECT_EQ(op.numKeys(), 0u);
  EXPECT_EQ(op.timers().numEventTimers(), 0u);
  EXPECT_EQ(op.state().numEntries(), 0u);
}

TEST(IntervalJoinTest, BoundsAreInclusiveByDefault) {
  OperatorHarness h(intervalJoin(-5, 10));
  h.open();
  // right rows at 100 + {-6, -5, 10, 11}: only -5 and 10 match the left row at 100
  h.processBatch(1, batchOf(1, {{1, 1, 1, 94}, {1, 1, 2, 95}, {1, 1, 3, 110}, {1, 1, 4, 111}}));
  h.processBatch(0, batchOf(0, {{0, 1, 10, 100}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 10, 2, n2 @100", "1, 10, 3, n3 @110"}));
  h.processWatermark(kMaxTimestamp);
  expectIntervalJoinEmpty(h);
}

TEST(IntervalJoinTest, ExclusiveBounds) {
  struct Case {
    IntervalJoinOptions options;
    Rows expected;
  };
  const std::vector<Case> cases = {
      {{true, false}, {"1, 10, 3, n3 @110"}},
      {{false, true}, {"1, 10, 2, n2 @100"}},
      {{true, true}, {}},
  };
  for (const Case& c : cases) {
    OperatorHarness h(intervalJoin(-5, 10, c.options));
    h.open();
    // Left row first this time: the right rows find it in the buffer.
    h.processBatch(0, batchOf(0, {{0, 1, 10, 100}}));
    h.processBatch(1, batchOf(1, {{1, 1, 1, 94}, {1, 1, 2, 95}, {1, 1, 3, 110}, {1, 1, 4, 111}}));
    h.processWatermark(kMaxTimestamp);
    EXPECT_EQ(h.outputRowsWithTimestamps(), c.expected);
    expectIntervalJoinEmpty(h);
  }
  EXPECT_THROW(intervalJoin(5, 5, {true, false}), GlintError);
  EXPECT_THROW(intervalJoin(6, 5), GlintError);
}

TEST(IntervalJoinTest, CleanupKeepsRowsWhileAMatchIsPossible) {
  OperatorHarness h(intervalJoin(0, 10));
  h.open();
  auto& op = h.op<IntervalJoin>();
  h.processBatch(0, batchOf(0, {{0, 1, 1, 100}, {0, 2, 2, 105}}));
  h.processWatermark(109);
  EXPECT_EQ(op.numBufferedRows(), 2u);
  h.processWatermark(110);  // a right row at exactly 110 is not late and still matches lid 1
  EXPECT_EQ(op.numBufferedRows(), 2u);
  h.processBatch(1, batchOf(1, {{1, 1, 7, 110}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 1, 7, n7 @110"}));
  EXPECT_EQ(op.numBufferedRows(), 3u);
  // lid 1 can no longer match, nor can rid 7 (it matches left rows in [100, 110] and left rows
  // from now on are >= 111); lid 2 can until the watermark passes 115.
  h.processWatermark(111);
  EXPECT_EQ(op.numBufferedRows(), 1u);
  EXPECT_EQ(op.numKeys(), 1u);
  h.processWatermark(115);
  EXPECT_EQ(op.numBufferedRows(), 1u);
  h.processWatermark(116);
  EXPECT_EQ(op.numBufferedRows(), 0u);
  expectIntervalJoinEmpty(h);
  // Late rows are dropped and counted.
  h.processBatch(0, batchOf(0, {{0, 1, 3, 115}}));
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 1);
  EXPECT_EQ(op.numBufferedRows(), 0u);
}

TEST(IntervalJoinTest, RowsThatCanNeverMatchAreNotBuffered) {
  OperatorHarness h(intervalJoin(-30, -20));
  h.open();
  auto& op = h.op<IntervalJoin>();
  h.processBatch(1, batchOf(1, {{1, 1, 1, 75}}));
  h.processWatermark(100);
  // A left row at 100 matches right rows in [70, 80] that are all in already: it is joined
  // but not kept; the right row at 75 waits for left rows up to 105.
  h.processBatch(0, batchOf(0, {{0, 1, 1, 100}}));
  EXPECT_EQ(h.outputRowsWithTimestamps(), (Rows{"1, 1, 1, n1 @100"}));
  EXPECT_EQ(op.numBufferedRows(), 1u);
  h.processBatch(0, batchOf(0, {{0, 1, 2, 105}}));
  EXPECT_EQ(h.outputRows().size(), 2u);
  h.processWatermark(106);
  expectIntervalJoinEmpty(h);
}

Rows intervalReference(const std::vector<Row>& rows, int64_t lower, int64_t upper) {
  Rows out;
  for (const Row& l : rows) {
    if (l.side != 0) continue;
    for (const Row& r : rows)
      if (r.side == 1 && r.key == l.key && l.ts + lower <= r.ts && r.ts <= l.ts + upper)
        out.push_back(joined(l, r, std::max(l.ts, r.ts)));
  }
  return sorted(out);
}

// Returns the number of late rows.
int64_t checkIntervalJoin(int64_t lower, int64_t upper, IntervalJoinOptions options, uint32_t seed,
                          bool allowLate) {
  SCOPED_TRACE("between(" + std::to_string(lower) + ", " + std::to_string(upper) + ") seed " +
               std::to_string(seed));
  const Schedule s = makeSchedule(seed, 300, 4, -300, 700, 60, allowLate);
  OperatorHarness h(intervalJoin(lower, upper, options));
  h.open();
  const RunResult r =
      run(h, s, [](const Row& row, int64_t wm) { return wm != kMinTimestamp && row.ts < wm; });
  if (!allowLate) {
    EXPECT_EQ(r.late, 0);
  }
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), r.late);
  const int64_t lo = options.lowerExclusive ? lower + 1 : lower;
  const int64_t hi = options.upperExclusive ? upper - 1 : upper;
  EXPECT_EQ(r.rows, intervalReference(r.onTime, lo, hi));
  EXPECT_FALSE(r.rows.empty());
  expectIntervalJoinEmpty(h);
  return r.late;
}

TEST(IntervalJoinTest, MatchesNestedLoopInAnyArrivalOrder) {
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    checkIntervalJoin(-20, 30, {}, seed, false);
    checkIntervalJoin(5, 40, {}, seed, false);
    checkIntervalJoin(-40, -5, {}, seed, false);
    checkIntervalJoin(0, 0, {}, seed, false);
    checkIntervalJoin(-10, 10, {true, true}, seed, false);
  }
}

TEST(IntervalJoinTest, LateRowsAreDroppedAndTheRestStillJoins) {
  int64_t late = 0;
  for (uint32_t seed = 30; seed <= 34; ++seed) {
    late += checkIntervalJoin(-20, 30, {}, seed, true);
    late += checkIntervalJoin(10, 50, {}, seed, true);
    late += checkIntervalJoin(-50, -10, {false, true}, seed, true);
  }
  EXPECT_GT(late, 20);
}

TEST(IntervalJoinTest, ArenaCompactionKeepsRowsIntact) {
  // Enough rows to trigger compaction of the buffers (> 4096 expired rows).
  OperatorHarness h(intervalJoin(-5, 5));
  h.open();
  int64_t expectedMatches = 0;
  for (int64_t t = 0; t < 12000; t += 100) {
    std::vector<Row> left, right;
    for (int64_t k = 0; k < 100; ++k) {
      left.push_back({0, k % 7, t + k, t + k});
      if (k % 3 == 0) right.push_back({1, k % 7, 100000 + t + k, t + k + 2});
    }
    h.processBatch(0, batchOf(0, left));
    h.processBatch(1, batchOf(1, right));
    h.processWatermark(t + 50);
  }
  h.processWatermark(kMaxTimestamp);
  // Reference: each right row at t+k+2 (k % 3 == 0) matches left rows of the same key (k % 7)
  // with timestamps in [t+k-3, t+k+7]: ids are timestamps, keys are id % 100 % 7.
  Rows expected;
  for (int64_t t = 0; t < 12000; t += 100)
    for (int64_t k = 0; k < 100; k += 3) {
      const int64_t rts = t + k + 2;
      for (int64_t lts = rts - 5; lts <= rts + 5; ++lts)
        if (lts >= 0 && lts < 12000 && (lts % 100) % 7 == k % 7) {
          // the left row at lts was not late when the right row came, or vice versa
          expected.push_back(
              joined({0, k % 7, lts, lts}, {1, k % 7, 100000 + t + k, rts}, std::max(lts, rts)));
          ++expectedMatches;
        }
    }
  EXPECT_GT(expectedMatches, 0);
  // Right rows only arrive right after the left rows of their batch, before the batch's
  // watermark, so no row is late; left rows of the next batch (>= t + 100) also join them.
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 0);
  EXPECT_EQ(sorted(h.outputRowsWithTimestamps()), sorted(expected));
  expectIntervalJoinEmpty(h);
}

}  // namespace
}  // namespace glint
