#include "glint/runtime/operators/watermark_operator.h"

#include "glint/runtime/executor.h"

namespace glint {

void TimestampsAndWatermarksOperator::open() {
  lastEmitMillis_ = lastRowMillis_ = wallClockMillis();
  const int64_t interval = context_.config.autoWatermarkIntervalMillis;
  int64_t next = interval > 0 ? lastEmitMillis_ + interval : INT64_MAX;
  if (strategy_.idleTimeoutMillis > 0)
    next = std::min(next, lastEmitMillis_ + strategy_.idleTimeoutMillis);
  if (next != INT64_MAX) context_.task->registerProcessingTimeCallback(next, this);
}

void TimestampsAndWatermarksOperator::processBatch(int, Batch&& batch) {
  const auto& values = batch.column(timestampColumn_).ints();
  auto& ts = batch.mutableTimestamps();
  ts.assign(values.begin(), values.end());
  int64_t max = maxTimestamp_;
  for (int64_t t : ts) max = t > max ? t : max;
  maxTimestamp_ = max;
  output_->emit(std::move(batch));
  const int64_t interval = context_.config.autoWatermarkIntervalMillis;
  if (interval == 0) {
    maybeEmit(0, true);
  } else if (idle_) {
    maybeEmit(wallClockMillis(), true);
  }
  if (strategy_.idleTimeoutMillis > 0 || idle_) lastRowMillis_ = wallClockMillis();
  idle_ = false;
}

void TimestampsAndWatermarksOperator::maybeEmit(int64_t nowMillis, bool force) {
  if (maxTimestamp_ == INT64_MIN) return;
  const int64_t wm = maxTimestamp_ - strategy_.maxOutOfOrdernessMillis - 1;
  lastEmitMillis_ = nowMillis;
  if (wm > lastEmitted_ || (force && idle_)) {
    lastEmitted_ = std::max(wm, lastEmitted_);
    output_->emitWatermark(lastEmitted_);
    if (context_.metrics)
      context_.metrics->sourceWatermark.store(lastEmitted_, std::memory_order_relaxed);
  }
}

void TimestampsAndWatermarksOperator::onProcessingTime(int64_t nowMillis) {
  maybeEmit(nowMillis, false);
  if (strategy_.idleTimeoutMillis > 0 && !idle_ &&
      nowMillis - lastRowMillis_ >= strategy_.idleTimeoutMillis) {
    idle_ = true;
    output_->emitIdle();
  }
  const int64_t interval = context_.config.autoWatermarkIntervalMillis;
  int64_t next = interval > 0 ? nowMillis + interval : INT64_MAX;
  if (strategy_.idleTimeoutMillis > 0)
    next = std::min(next, nowMillis + strategy_.idleTimeoutMillis);
  if (next != INT64_MAX) context_.task->registerProcessingTimeCallback(next, this);
}

void TimestampsAndWatermarksOperator::processWatermark(int64_t watermark) {
  if (watermark == kMaxTimestamp) {
    lastEmitted_ = kMaxTimestamp;
    output_->emitWatermark(kMaxTimestamp);
  }
}

}  // namespace glint
