// A source subtask that goes quiet must not hold back event time downstream once it is
// declared idle (WatermarkStrategy::withIdleness), as in Flink.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "glint/api/data_stream.h"
#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/runtime/executor.h"

namespace glint {
namespace {

SchemaPtr schema() {
  return makeSchema({{"k", TypeId::kBigint}, {"ts", TypeId::kTimestamp}});
}

// Emits `timestamps` in its first poll; then, when `keepTicking`, one row every 5 ms with
// event time advancing by 1 s from 30 s on, otherwise nothing; ends when `release` is set.
class TestSource final : public SourceOperator {
 public:
  TestSource(std::vector<int64_t> timestamps, bool keepTicking,
             std::shared_ptr<std::atomic<bool>> release)
      : timestamps_(std::move(timestamps)),
        keepTicking_(keepTicking),
        release_(std::move(release)) {}
  PollResult pollNext(int64_t* wakeAt) override {
    if (release_->load()) {
      output_->emitWatermark(kMaxTimestamp);
      return PollResult::kEnd;
    }
    if (!sent_ || keepTicking_) {
      Batch b(schema());
      RowWriter w(b);
      if (!sent_)
        for (int64_t t : timestamps_) w.emit(1, t);
      else
        w.emit(2, next_ += 1000);
      sent_ = true;
      output_->emit(std::move(b));
    }
    *wakeAt = monotonicNanos() + 5'000'000;
    return PollResult::kNothingNow;
  }

 private:
  std::vector<int64_t> timestamps_;
  bool keepTicking_;
  std::shared_ptr<std::atomic<bool>> release_;
  bool sent_ = false;
  int64_t next_ = 30'000;
};

void runWithIdleness(int64_t idleMillis, bool expectFiredWhileQuiet) {
  JobConfig config;
  config.autoWatermarkIntervalMillis = 10;
  config.bufferTimeoutMillis = 1;
  StreamExecutionEnvironment env(config);
  auto release = std::make_shared<std::atomic<bool>>(false);
  auto strategy = WatermarkStrategy::forMonotonousTimestamps().withTimestampColumn("ts");
  if (idleMillis > 0) strategy = strategy.withIdleness(idleMillis);
  // The busy source keeps going and is far ahead in event time; the quiet one saw only t = 1000.
  auto busy = env.fromSource("busy", schema(),
                             [release] {
                               return std::make_unique<TestSource>(
                                   std::vector<int64_t>{5000, 25000}, true, release);
                             })
                  .assignTimestampsAndWatermarks(strategy);
  auto quiet = env.fromSource("quiet", schema(),
                              [release] {
                                return std::make_unique<TestSource>(std::vector<int64_t>{1000},
                                                                    false, release);
                              })
                   .assignTimestampsAndWatermarks(strategy);
  auto rows = std::make_shared<CollectedRows>();
  busy.unionWith({quiet})
      .keyBy({"k"})
      .window(WindowAssigner::tumbling(10'000))
      .aggregate(
          makeSchema({{"k", TypeId::kBigint}, {"n", TypeId::kBigint}}), [] { return int64_t{0}; },
          [](int64_t& n, RowRef) { ++n; }, [](int64_t& a, const int64_t& b) { a += b; },
          [](KeyRef k, const TimeWindow&, const int64_t& n, RowWriter& out) {
            out.emit(k.getLong(0), n);
          })
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  auto job = env.executeAsync();
  ASSERT_TRUE(job.isOk());
  // Both sources stay open. With idleness the quiet one stops counting and the first window
  // [0, 10 s) fires from the busy source's watermark alone; without it nothing can fire.
  bool fired = false;
  for (int i = 0; i < 100 && !fired; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(expectFiredWhileQuiet ? 50 : 5));
    auto now = rows->finalRows();
    fired = std::find(now.begin(), now.end(), "1, 2") != now.end();
  }
  EXPECT_EQ(fired, expectFiredWhileQuiet);
  release->store(true);
  ASSERT_TRUE((*job)->wait().isOk());
  // Key 1: window [0, 10 s) holds 1000 and 5000, window [20 s, 30 s) holds 25000.
  auto all = rows->finalRows();
  EXPECT_EQ(std::count(all.begin(), all.end(), "1, 2"), 1);
  EXPECT_EQ(std::count(all.begin(), all.end(), "1, 1"), 1);
}

TEST(IdleSourceTest, IdleSourceDoesNotHoldBackWindows) {
  runWithIdleness(50, true);
}
TEST(IdleSourceTest, WithoutIdlenessTheQuietSourceHoldsBackEventTime) {
  runWithIdleness(0, false);
}

}  // namespace
}  // namespace glint
