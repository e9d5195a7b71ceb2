#pragma once
#include "glint/api/watermark_strategy.h"
#include "glint/runtime/operator.h"

namespace glint {

// Assigns each row's event timestamp from a column and emits bounded-out-of-orderness
// watermarks: periodically (pipeline.auto-watermark-interval; 0 = after every batch), and
// +inf when the input ends. Upstream watermarks other than +inf are replaced, as in Flink.
// With an idle timeout, a subtask that sees no rows for that long declares itself idle so
// that downstream operators do not wait for it.
class TimestampsAndWatermarksOperator final : public StreamOperator {
 public:
  TimestampsAndWatermarksOperator(WatermarkStrategy strategy, int timestampColumn)
      : strategy_(std::move(strategy)), timestampColumn_(timestampColumn) {}
  void open() override;
  void processBatch(int, Batch&& batch) override;
  void processWatermark(int64_t watermark) override;
  void onProcessingTime(int64_t nowMillis) override;

 private:
  void maybeEmit(int64_t nowMillis, bool force);
  WatermarkStrategy strategy_;
  int timestampColumn_;
  int64_t maxTimestamp_ = INT64_MIN;
  int64_t lastEmitted_ = INT64_MIN;
  int64_t lastEmitMillis_ = 0;
  int64_t lastRowMillis_ = 0;
  bool idle_ = false;
};

}  // namespace glint
