#include "glint/runtime/stream_task.h"

#include <climits>
#include <exception>

namespace glint {

namespace {
constexpr int kMaxStepsPerQuantum = 64;
constexpr int64_t kMaxQuantumNanos = 2'000'000;
}  // namespace

void RoutingOutput::addWriter(int output, PartitionWriter* writer) {
  if (writers_.size() <= static_cast<size_t>(output)) writers_.resize(output + 1);
  writers_[output].push_back(writer);
}

void RoutingOutput::route(int output, Batch&& batch) {
  if (batch.empty()) return;
  const bool hasChained = output == 0 && chained_ != nullptr;
  const std::vector<PartitionWriter*>* writers =
      static_cast<size_t>(output) < writers_.size() ? &writers_[output] : nullptr;
  const size_t nWriters = writers ? writers->size() : 0;
  const int64_t now = task_->nowNanos();
  // Copies for all consumers but the last, which gets the batch itself.
  for (size_t i = 0; i < nWriters; ++i) {
    const bool last = !hasChained && i + 1 == nWriters;
    if (last) {
      (*writers)[i]->emit(std::move(batch), now);
    } else {
      Batch copy(batch.schema());
      copy.appendRange(batch, 0, batch.numRows());
      copy.setSourceNanos(batch.sourceNanos());
      (*writers)[i]->emit(std::move(copy), now);
    }
  }
  if (hasChained) chained_->processBatch(0, std::move(batch));
}

void RoutingOutput::emitWatermark(int64_t watermark) {
  if (chained_) chained_->processWatermark(watermark);
  for (auto& ws : writers_)
    for (auto* w : ws) w->emitControl(ElementKind::kWatermark, watermark);
}

void RoutingOutput::emitIdle() {
  for (auto& ws : writers_)
    for (auto* w : ws) w->emitControl(ElementKind::kIdle, 0);
}

StreamTask::StreamTask(std::string name, JobMetrics* metrics, FailureHandler onFailure,
                       std::function<void()> onFinished)
    : name_(std::move(name)),
      metrics_(metrics),
      onFailure_(std::move(onFailure)),
      onFinished_(std::move(onFinished)) {}

void StreamTask::addOperator(std::unique_ptr<StreamOperator> op, OperatorContext context) {
  context.task = this;
  context.metrics = metrics_;
  outputs_.push_back(std::make_unique<RoutingOutput>(this));
  op->setup(std::move(context), outputs_.back().get());
  if (chain_.empty()) source_ = dynamic_cast<SourceOperator*>(op.get());
  if (!chain_.empty()) outputs_[outputs_.size() - 2]->addChained(op.get());
  chain_.push_back(std::move(op));
}

void StreamTask::addInput(std::shared_ptr<Channel> channel, int input) {
  InputChannel ch;
  ch.channel = std::move(channel);
  ch.input = input;
  inputs_.push_back(std::move(ch));
}

PartitionWriter* StreamTask::addWriter(std::unique_ptr<PartitionWriter> writer) {
  writers_.push_back(std::move(writer));
  return writers_.back().get();
}

bool StreamTask::outputsHaveCredit() const {
  for (const auto& w : writers_)
    if (!w->hasCredit()) return false;
  return true;
}

void StreamTask::registerProcessingTimeCallback(int64_t timeMillis, StreamOperator* op) {
  processingTimers_.push({timeMillis, op});
}

void StreamTask::fireProcessingTimers() {
  if (processingTimers_.empty()) return;
  const int64_t now = wallClockMillis();
  while (!processingTimers_.empty() && processingTimers_.top().timeMillis <= now) {
    auto timer = processingTimers_.top();
    processingTimers_.pop();
    timer.op->onProcessingTime(now);
  }
}

void StreamTask::advanceWatermark() {
  int64_t min = INT64_MAX;
  bool anyActive = false;
  for (const auto& ch : inputs_) {
    if (ch.ended || ch.idle) continue;
    anyActive = true;
    min = std::min(min, ch.watermark);
  }
  if (!anyActive) {
    // Every open input is idle. As Flink's StatusWatermarkValve does, event time advances to
    // the highest watermark among them, and the task itself becomes idle downstream.
    int64_t max = INT64_MIN;
    bool anyIdle = false;
    for (const auto& ch : inputs_) {
      if (ch.ended || !ch.idle) continue;
      anyIdle = true;
      max = std::max(max, ch.watermark);
    }
    if (anyIdle && max > combinedWatermark_) {
      combinedWatermark_ = max;
      chain_.front()->processWatermark(max);
    }
    if (anyIdle && !allIdle_) {
      allIdle_ = true;
      for (auto& w : writers_) w->emitControl(ElementKind::kIdle, 0);
    }
    return;
  }
  allIdle_ = false;
  if (min > combinedWatermark_) {
    combinedWatermark_ = min;
    chain_.front()->processWatermark(min);
  }
}

void StreamTask::handle(InputChannel& ch, StreamElement&& element) {
  switch (element.kind) {
    case ElementKind::kBatch:
      chain_.front()->processBatch(ch.input, std::move(element.batch));
      break;
    case ElementKind::kWatermark:
      ch.idle = false;
      if (element.watermark > ch.watermark) ch.watermark = element.watermark;
      advanceWatermark();
      break;
    case ElementKind::kIdle:
      ch.idle = true;
      advanceWatermark();
      break;
    case ElementKind::kEndOfInput:
      ch.ended = true;
      advanceWatermark();
      break;
  }
}

void StreamTask::finishChain() {
  for (auto& op : chain_) op->finish();
  for (auto& w : writers_) w->emitControl(ElementKind::kEndOfInput, 0);
  for (auto& op : chain_) op->close();
  finished_ = true;
}

void StreamTask::scheduleNextWake() {
  int64_t next = sourceWakeAt_;
  for (auto& w : writers_) next = std::min(next, w->flushDue(stepNanos_));
  if (!processingTimers_.empty()) {
    const int64_t inMillis = processingTimers_.top().timeMillis - wallClockMillis();
    next = std::min(next, stepNanos_ + std::max<int64_t>(inMillis, 0) * 1'000'000);
  }
  if (next != INT64_MAX) executorRef_->wakeAt(this, next);
}

bool StreamTask::runQuantum() {
  if (finished_) return false;
  bool more = false;
  try {
    if (cancelled_.load()) {
      finished_ = true;
      markDone();
      onFinished_();
      return false;
    }
    stepNanos_ = monotonicNanos();
    if (!opened_) {
      for (auto& op : chain_) op->open();
      opened_ = true;
    }
    fireProcessingTimers();
    const int64_t start = stepNanos_;
    sourceWakeAt_ = INT64_MAX;
    for (int steps = 0;; ++steps) {
      if (steps >= kMaxStepsPerQuantum || stepNanos_ - start > kMaxQuantumNanos) {
        more = true;
        break;
      }
      if (!outputsHaveCredit()) {
        metrics_->backpressuredSteps.fetch_add(1, std::memory_order_relaxed);
        break;  // a consumer wakes us when it frees a slot
      }
      if (source_) {
        int64_t wakeAt = INT64_MAX;
        auto r = source_->pollNext(&wakeAt);
        if (r == SourceOperator::PollResult::kEnd) {
          finishChain();
          break;
        }
        if (r == SourceOperator::PollResult::kNothingNow) {
          sourceWakeAt_ = wakeAt;
          break;
        }
      } else {
        bool got = false;
        StreamElement element;
        for (size_t i = 0; i < inputs_.size() && !got; ++i) {
          InputChannel& ch = inputs_[nextInput_];
          nextInput_ = (nextInput_ + 1) % inputs_.size();
          if (ch.channel->poll(&element)) {
            got = true;
            handle(ch, std::move(element));
          }
        }
        if (!got) break;
        bool allEnded = true;
        for (const auto& ch : inputs_) allEnded &= ch.ended;
        if (allEnded) {
          finishChain();
          break;
        }
      }
      stepNanos_ = monotonicNanos();
    }
    if (finished_) {
      markDone();
      onFinished_();
      return false;
    }
    stepNanos_ = monotonicNanos();
    scheduleNextWake();
  } catch (const std::exception& e) {
    finished_ = true;
    markDone();
    onFailure_(name_ + ": " + e.what());
    onFinished_();
    return false;
  }
  return more;
}

}  // namespace glint
