// A slow sink must throttle the source through the bounded channels: the records emitted by the
// source but not yet received by the sink stay below a fixed bound.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "glint/api/data_stream.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

class SlowSink final : public SinkOperator {
 public:
  explicit SlowSink(std::shared_ptr<std::atomic<int64_t>> maxInFlight)
      : maxInFlight_(std::move(maxInFlight)) {}

 protected:
  void consume(Batch&&) override {
    const int64_t inFlight =
        context_.metrics->sourceRecords.load() - context_.metrics->sinkRecords.load();
    int64_t seen = maxInFlight_->load();
    while (inFlight > seen && !maxInFlight_->compare_exchange_weak(seen, inFlight)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }

 private:
  std::shared_ptr<std::atomic<int64_t>> maxInFlight_;
};

TEST(BackpressureTest, SlowSinkBoundsRecordsInFlight) {
  JobConfig config;
  config.batchSize = 64;
  config.channelCapacity = 2;
  config.bufferTimeoutMillis = 1;
  StreamExecutionEnvironment env(config);
  auto schema = makeSchema({{"v", TypeId::kBigint}});
  std::vector<Batch> input;
  for (int b = 0; b < 1000; ++b) {
    Batch batch(schema);
    RowWriter w(batch);
    for (int i = 0; i < 64; ++i) w.emit(b * 64 + i);
    input.push_back(std::move(batch));
  }
  auto maxInFlight = std::make_shared<std::atomic<int64_t>>(0);
  env.fromBatches(schema, std::move(input))
      .map(schema, [](RowRef r, RowWriter& w) { w.emit(r.getLong(0) + 1); })
      .rebalance()
      .sinkTo("slow", [maxInFlight] { return std::make_unique<SlowSink>(maxInFlight); });
  auto job = env.executeAsync();
  ASSERT_TRUE(job.isOk());
  ASSERT_TRUE((*job)->wait().isOk());
  EXPECT_EQ((*job)->metrics().sinkRecords.load(), 64000);
  // Without flow control the source would run ahead by all 64,000 rows. With it: the channel's
  // 2 batches, the writer's pending batch, the batch being consumed and one step's overshoot.
  EXPECT_LE(maxInFlight->load(), 6 * 64) << "source ran ahead of the slow sink";
  EXPECT_GT((*job)->metrics().backpressuredSteps.load(), 0);
}

}  // namespace
}  // namespace glint
