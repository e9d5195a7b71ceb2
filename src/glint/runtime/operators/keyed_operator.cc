#include "glint/runtime/operators/keyed_operator.h"

namespace glint {

KeyedOperator::KeyedOperator(std::vector<SchemaPtr> inputSchemas,
                             std::vector<std::vector<int>> keyColumns) {
  for (size_t i = 0; i < inputSchemas.size(); ++i)
    keyEncoders_.emplace_back(*inputSchemas[i], keyColumns[i]);
}

void KeyedOperator::open() {
  state_ = std::make_unique<KeyedStateBackend>(context_.keyGroups, context_.maxParallelism);
  timers_ = std::make_unique<TimerService>(state_.get());
}

void KeyedOperator::processWatermark(int64_t watermark) {
  currentWatermark_ = watermark;
  timers_->advanceWatermark(watermark, [this](const Timer& t) { onEventTimeTimer(t); });
  flushOutput();
  output_->emitWatermark(watermark);
}

void KeyedOperator::onProcessingTime(int64_t nowMillis) {
  timers_->advanceProcessingTime(nowMillis, [this](const Timer& t) { onProcessingTimeTimer(t); });
  flushOutput();
  const int64_t next = timers_->nextProcessingTime();
  if (next != INT64_MAX) context_.task->registerProcessingTimeCallback(next, this);
}

void KeyedOperator::registerProcessingTimeTimer(StateNamespace ns, int64_t time) {
  if (timers_->registerProcessingTimeTimer(ns, time))
    context_.task->registerProcessingTimeCallback(time, this);
}

}  // namespace glint
