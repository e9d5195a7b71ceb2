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
  const size_t nChained = output == 0 ? chained_.size() : 0;
  const std::vector<PartitionWriter*>* writers =
      static_cast<size_t>(output) < writers_.size() ? &writers_[output] : nullptr;
  const size_t nWriters = writers ? writers->size() : 0;
  const int64_t now = task_->nowNanos();
  auto copyOf = [&] {
    Batch copy(batch.schema());
    copy.appendRange(batch, 0, batch.numRows());
    copy.setSourceNanos(batch.sourceNanos());
    return copy;
  };
  // Copies for all consumers but the last, which gets the batch itself.
  for (size_t i = 0; i < nWriters; ++i) {
    const bool last = nChained == 0 && i + 1 == nWriters;
    (*writers)[i]->emit(last ? std::move(batch) : copyOf(), now);
  }
  if (nChained == 0) return;
  // Several operators read this stream: the one that would copy the most gets the batch
  // itself, the others read it first without taking it (a projection copies only its columns).
  size_t taker = nChained - 1;
  for (size_t i = 0; i < nChained; ++i)
    if (chained_[i]->sharedBatchCopyWidth() > chained_[taker]->sharedBatchCopyWidth()) taker = i;
  for (size_t i = 0; i < nChained; ++i)
    if (i != taker) chained_[i]->processSharedBatch(0, batch);
  chained_[taker]->processBatch(0, std::move(batch));
}

void RoutingOutput::emitWatermark(int64_t watermark) {
  for (StreamOperator* op : chained_) op->processWatermark(watermark);
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

void StreamTask::addOperator(std::unique_ptr<StreamOperator> op, OperatorContext context,
                             int parent) {
  context.task = this;
  context.metrics = metrics_;
  outputs_.push_back(std::make_unique<RoutingOutput>(this));
  op->setup(std::move(context), outputs_.back().get());
  if (chain_.empty()) source_ = dynamic_cast<SourceOperator*>(op.get());
  if (!chain_.empty())
    outputs_[parent < 0 ? chain_.size() - 1 : static_cast<size_t>(parent)]->addChained(op.get());
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

void StreamTask::handle(size_t channelIndex, StreamElement&& element) {
  InputChannel& ch = inputs_[channelIndex];
  if (ch.recording) recordInFlight(channelIndex, element);
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
      ch.blocked = false;
      ch.recording = false;
      advanceWatermark();
      // An ended channel counts as aligned for every checkpoint.
      checkAlignment();
      checkUnalignedDone();
      break;
    case ElementKind::kBarrier:
      onBarrier(channelIndex, element.barrier);
      break;
  }
}

std::string StreamTask::describe() const {
  std::string s = name_ + ": " + (finished_ ? "finished" : inputFinished_ ? "input finished" : "running") +
                  ", last snapshot " + std::to_string(lastSnapshotId_) + ", aligning " +
                  std::to_string(alignmentId_) + (unaligned_ ? ", recording in-flight" : "");
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const InputChannel& ch = inputs_[i];
    s += "; in" + std::to_string(i) + (ch.ended ? " ended" : "") + (ch.blocked ? " blocked" : "") +
         " barrier " + std::to_string(ch.barrierId) + " queued " + std::to_string(ch.channel->queuedBatches());
  }
  return s;
}

void StreamTask::finishInput() {
  for (auto& op : chain_) op->finish();
  for (auto& w : writers_) w->emitControl(ElementKind::kEndOfInput, 0);
  if (coordinator_ == nullptr) {
    closeAndFinish();
    return;
  }
  // Stay until a checkpoint taken after this point completes: the operators' last
  // transactions (a sink's final files) are committed by it.
  inputFinished_ = true;
  coordinator_->taskFinishedInput();
}

void StreamTask::closeAndFinish() {
  for (auto& op : chain_) op->close();
  finished_ = true;
}

// ---------------------------------------------------------------------------------------------
// Checkpointing

void StreamTask::restoreState(size_t chainIndex, OperatorRestoreState&& state) {
  if (chainIndex == 0) {
    replay_ = std::move(state.inFlight);
    state.inFlight.clear();
  }
  chain_[chainIndex]->initializeState(std::move(state));
}

void StreamTask::offerCheckpoint(const CheckpointBarrier& barrier) {
  {
    std::lock_guard<std::mutex> lock(signalMu_);
    if (!offered_ || offered_->checkpointId < barrier.checkpointId) offered_ = barrier;
  }
  wake();
}

void StreamTask::offerNotification(int64_t checkpointId, bool complete) {
  {
    std::lock_guard<std::mutex> lock(signalMu_);
    notifications_.emplace_back(checkpointId, complete);
  }
  wake();
}

void StreamTask::commitCompletedBeforeExit() {
  if (coordinator_ == nullptr) return;
  std::vector<std::pair<int64_t, bool>> notes;
  {
    std::lock_guard<std::mutex> lock(signalMu_);
    notes.swap(notifications_);
  }
  for (auto [id, complete] : notes)
    if (complete)
      for (auto& op : chain_) op->notifyCheckpointComplete(id);
}

void StreamTask::processCheckpointSignals() {
  if (coordinator_ == nullptr) return;
  std::optional<CheckpointBarrier> offered;
  std::vector<std::pair<int64_t, bool>> notes;
  {
    std::lock_guard<std::mutex> lock(signalMu_);
    offered = offered_;
    notes.swap(notifications_);
  }
  for (auto [id, complete] : notes) {
    if (complete) {
      for (auto& op : chain_) op->notifyCheckpointComplete(id);
      if (inputFinished_ && id >= exitAfterId_) {
        closeAndFinish();
        coordinator_->taskExited(taskIndex_);
        return;
      }
    } else {
      if (alignmentId_ == id) cancelAlignment();
      if (unaligned_ && unaligned_->barrier.checkpointId == id) {
        unaligned_.reset();
        for (auto& ch : inputs_) ch.recording = false;
      }
      for (auto& op : chain_) op->notifyCheckpointAborted(id);
    }
  }
  if (!offered || offered->checkpointId <= lastSnapshotId_) return;
  // Sources start checkpoints; a task whose input has ended snapshots its final state. Other
  // tasks wait for the barrier to reach them through their channels.
  if (inputFinished_) {
    performCheckpoint(*offered, /*emitBarrier=*/false);
    exitAfterId_ = std::min(exitAfterId_, offered->checkpointId);
  } else if (source_ != nullptr) {
    performCheckpoint(*offered, /*emitBarrier=*/true);
    if (offered->stop) sourceStopped_ = true;
  }
}

void StreamTask::onBarrier(size_t channelIndex, const CheckpointBarrier& barrier) {
  InputChannel& ch = inputs_[channelIndex];
  const int64_t id = barrier.checkpointId;
  if (id > ch.barrierId) ch.barrierId = id;
  if (barrier.unaligned) {
    if (unaligned_ && unaligned_->barrier.checkpointId == id) {
      // The checkpoint is already taken; what this barrier overtook still belongs to it.
      ch.recording = barrier.overtaken > 0;
      ch.barrierSeen = true;
      ch.overtakenLeft = barrier.overtaken;
      checkUnalignedDone();
      return;
    }
    if (id <= lastSnapshotId_) return;
    if (unaligned_) {  // a newer checkpoint supersedes an unfinished one
      unaligned_.reset();
      for (auto& c : inputs_) c.recording = false;
    }
    // First barrier: snapshot now, send the barrier on ahead of queued output, and record
    // what is still in flight on every channel until that channel's barrier has passed.
    performCheckpoint(barrier, /*emitBarrier=*/true);
    if (unaligned_) {
      ch.barrierSeen = true;
      ch.overtakenLeft = barrier.overtaken;
      ch.recording = barrier.overtaken > 0;
      checkUnalignedDone();
    }
    return;
  }
  if (id <= lastSnapshotId_ || id < alignmentId_) return;
  if (id > alignmentId_) {
    cancelAlignment();
    alignmentId_ = id;
    alignmentBarrier_ = barrier;
  }
  if (checkpointMode_ == CheckpointingMode::kExactlyOnce) ch.blocked = true;
  checkAlignment();
}

void StreamTask::checkAlignment() {
  if (alignmentId_ == 0) return;
  for (const auto& ch : inputs_)
    if (!ch.ended && ch.barrierId < alignmentId_) return;
  const CheckpointBarrier barrier = alignmentBarrier_;
  cancelAlignment();
  performCheckpoint(barrier, /*emitBarrier=*/true);
}

void StreamTask::cancelAlignment() {
  alignmentId_ = 0;
  for (auto& ch : inputs_) ch.blocked = false;
}

void StreamTask::performCheckpoint(const CheckpointBarrier& barrier, bool emitBarrier) {
  const int64_t id = barrier.checkpointId;
  lastSnapshotId_ = id;
  auto dir = coordinator_->directoryOf(id);
  std::vector<OperatorSnapshot> snapshots;
  if (dir) {
    for (auto& op : chain_) {
      const OperatorContext& ctx = op->context();
      OperatorSnapshot snap;
      snap.uid = ctx.uid;
      snap.subtask = ctx.subtaskIndex;
      snap.parallelism = ctx.parallelism;
      SnapshotLocation location;
      location.checkpointRoot = coordinator_->root();
      location.exclusiveDir = *dir / (checkpoint_files::sanitize(ctx.uid) + "-" +
                                      std::to_string(ctx.subtaskIndex));
      location.sharedDir = coordinator_->root() / "shared";
      location.savepoint = barrier.savepoint;
      op->snapshotState(barrier, location, snap);
      snapshots.push_back(std::move(snap));
    }
  }
  if (emitBarrier && !inputFinished_)
    for (auto& w : writers_) w->emitBarrier(barrier);
  if (!dir) return;  // aborted meanwhile: nothing to acknowledge
  if (barrier.unaligned && !inputs_.empty() && !inputFinished_) {
    unaligned_ = PendingUnaligned{barrier, std::move(snapshots)};
    for (auto& ch : inputs_) {
      ch.barrierSeen = false;
      ch.recording = !ch.ended;
      ch.overtakenLeft = 0;
    }
    return;  // onBarrier() sets up the channel that delivered the barrier
  }
  submitSnapshot(id, std::move(snapshots));
}

void StreamTask::recordInFlight(size_t channelIndex, const StreamElement& element) {
  InputChannel& ch = inputs_[channelIndex];
  if (element.kind == ElementKind::kBarrier) return;
  if (element.kind == ElementKind::kBatch && unaligned_) {
    InFlightBatch copy;
    copy.channel = static_cast<int>(channelIndex);
    copy.input = ch.input;
    copy.batch = Batch(element.batch.schema());
    copy.batch.appendRange(element.batch, 0, element.batch.numRows());
    unaligned_->snapshots.front().inFlight.push_back(std::move(copy));
  }
  if (ch.barrierSeen && --ch.overtakenLeft == 0) {
    ch.recording = false;
    checkUnalignedDone();
  }
}

void StreamTask::checkUnalignedDone() {
  if (!unaligned_) return;
  for (const auto& ch : inputs_)
    if (!ch.ended && (ch.recording || !ch.barrierSeen)) return;
  PendingUnaligned done = std::move(*unaligned_);
  unaligned_.reset();
  submitSnapshot(done.barrier.checkpointId, std::move(done.snapshots));
}

void StreamTask::submitSnapshot(int64_t checkpointId, std::vector<OperatorSnapshot> snapshots) {
  auto dir = coordinator_->directoryOf(checkpointId);
  if (!dir) return;
  auto shared = std::make_shared<std::vector<OperatorSnapshot>>(std::move(snapshots));
  CheckpointCoordinator* coordinator = coordinator_;
  const std::string taskName = name_;
  const std::filesystem::path directory = *dir;
  const int taskIndex = taskIndex_;
  checkpointIo_->submit([coordinator, shared, checkpointId, taskName, directory, taskIndex] {
    std::vector<StateFileEntry> entries;
    for (auto& snap : *shared) {
      if (snap.keyedTask) {
        auto handle = snap.keyedTask->run();
        if (!handle.isOk()) {
          coordinator->decline(checkpointId, taskName + ": " + handle.status().message());
          return;
        }
        snap.keyedHandle = std::move(*handle);
        snap.hasKeyedState = true;
        snap.keyedTask.reset();
      }
      auto entry = checkpoint_files::writeOperatorState(directory, snap);
      if (!entry.isOk()) {
        coordinator->decline(checkpointId, taskName + ": " + entry.status().message());
        return;
      }
      entries.push_back(std::move(*entry));
    }
    coordinator->acknowledge(checkpointId, taskIndex, std::move(entries));
  });
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
      // Checkpoints that completed are part of the output even when the job stops now (as
      // after stop-with-savepoint): let the operators commit them before leaving.
      if (opened_) commitCompletedBeforeExit();
      finished_ = true;
      markDone();
      onFinished_();
      return false;
    }
    stepNanos_ = monotonicNanos();
    if (!opened_) {
      for (auto& op : chain_) op->open();
      opened_ = true;
      // In-flight data of an unaligned checkpoint comes before anything new.
      for (auto& f : replay_) chain_.front()->processBatch(f.input, std::move(f.batch));
      replay_.clear();
    }
    processCheckpointSignals();
    if (finished_ || inputFinished_) {
      if (finished_) {
        markDone();
        onFinished_();
      }
      return false;
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
        if (sourceStopped_) break;  // stop-with-savepoint: nothing after the barrier
        int64_t wakeAt = INT64_MAX;
        auto r = source_->pollNext(&wakeAt);
        if (r == SourceOperator::PollResult::kEnd) {
          finishInput();
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
          const size_t index = nextInput_;
          InputChannel& ch = inputs_[index];
          nextInput_ = (nextInput_ + 1) % inputs_.size();
          // A channel that delivered its barrier waits for the others (aligned checkpoint).
          if (!ch.blocked && ch.channel->poll(&element)) {
            got = true;
            handle(index, std::move(element));
          }
        }
        if (!got) break;
        bool allEnded = true;
        for (const auto& ch : inputs_) allEnded &= ch.ended;
        if (allEnded) {
          finishInput();
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
    if (inputFinished_) {
      // Flush what finish() emitted. A checkpoint may have been triggered while the input was
      // still running (this task then waited for its barrier); now the task answers it itself.
      // Then it sleeps until a checkpoint notification wakes it.
      for (auto& w : writers_) w->flushAll();
      processCheckpointSignals();
      if (finished_) {
        markDone();
        onFinished_();
      }
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
