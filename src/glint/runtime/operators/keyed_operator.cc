#include "glint/runtime/operators/keyed_operator.h"

#include <filesystem>
#include <map>

#include "glint/state/state_backend.h"
#include "glint/types/serialization.h"

namespace glint {

KeyedOperator::KeyedOperator(std::vector<SchemaPtr> inputSchemas,
                             std::vector<std::vector<int>> keyColumns) {
  for (size_t i = 0; i < inputSchemas.size(); ++i)
    keyEncoders_.emplace_back(*inputSchemas[i], keyColumns[i]);
}

void KeyedOperator::initializeState(OperatorRestoreState&& state) { restore_ = std::move(state); }

void KeyedOperator::open() {
  auto options = StateBackendOptions::fromConfig(context_.config.options);
  if (!options.isOk()) throw GlintError(options.status().message());
  nativeSnapshots_ = options->incremental;
  // The scope names the instance's working directory (RocksDB); the attempt keeps a restarted
  // job from opening a directory the failed attempt still holds.
  const std::string scope = context_.uid + "-" + std::to_string(context_.subtaskIndex) + "-" +
                            context_.attemptId;
  auto backend = createKeyedStateBackend(*options, context_.keyGroups, context_.maxParallelism, scope);
  if (!backend.isOk())
    throw GlintError("operator '" + context_.name + "': " + backend.status().message());
  state_ = std::move(*backend);
  timers_ = std::make_unique<TimerService>(state_.get());
  if (!restore_.restored) return;
  Status st = state_->restore(restore_.keyedHandles, restore_.checkpointRoot);
  if (!st.isOk()) throw GlintError("operator '" + context_.name + "': restoring keyed state: " + st.message());
  // Each block is [u32 length][timers][u32 length][operator data].
  std::vector<KeyGroupBlock> timerBlocks;
  for (auto& block : restore_.keyedOperatorData) {
    BinaryReader r(block.bytes);
    KeyGroupBlock timers{block.keyGroup, {}}, data{block.keyGroup, {}};
    if (!r.readString(&timers.bytes) || !r.readString(&data.bytes) || !r.atEnd())
      throw GlintError("operator '" + context_.name + "': unreadable timers in the checkpoint (key group " +
                       std::to_string(block.keyGroup) + ")");
    if (!timers.bytes.empty()) timerBlocks.push_back(std::move(timers));
    if (!data.bytes.empty()) restoredOperatorData_.push_back(std::move(data));
  }
  st = timers_->restoreTimers(timerBlocks);
  if (!st.isOk()) throw GlintError("operator '" + context_.name + "': restoring timers: " + st.message());
  const int64_t next = timers_->nextProcessingTime();
  if (next != INT64_MAX) context_.task->registerProcessingTimeCallback(next, this);
  restore_ = OperatorRestoreState();
}

void KeyedOperator::snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                                  OperatorSnapshot& snapshot) {
  // Native (incremental) snapshots write the instance's private files there.
  if (!location.savepoint && nativeSnapshots_) {
    std::error_code ec;
    std::filesystem::create_directories(location.exclusiveDir, ec);
    if (ec)
      throw GlintError("operator '" + context_.name + "': cannot create '" +
                       location.exclusiveDir.string() + "': " + ec.message());
  }
  snapshot.keyedTask = state_->snapshot(barrier.checkpointId, location);
  std::map<int, std::pair<std::string, std::string>> byGroup;
  for (auto& b : timers_->snapshotTimers()) byGroup[b.keyGroup].first = std::move(b.bytes);
  std::vector<KeyGroupBlock> data;
  snapshotOperatorData(data);
  for (auto& b : data) byGroup[b.keyGroup].second += b.bytes;
  for (auto& [group, parts] : byGroup) {
    KeyGroupBlock block{group, {}};
    BinaryWriter w(block.bytes);
    w.writeString(parts.first);
    w.writeString(parts.second);
    snapshot.keyedOperatorData.push_back(std::move(block));
  }
}

void KeyedOperator::notifyCheckpointComplete(int64_t checkpointId) {
  if (state_) state_->notifyCheckpointComplete(checkpointId);
}

void KeyedOperator::notifyCheckpointAborted(int64_t checkpointId) {
  if (state_) state_->notifyCheckpointAborted(checkpointId);
}

void KeyedOperator::setCurrentKeyWithHash(std::string_view key, uint64_t keyHash) {
  if (keyGroupPositions_.empty()) {
    state_->setCurrentKeyWithHash(key, keyHash);
    return;
  }
  keyGroupKey_.clear();
  const KeyRef ref(key, &keyEncoders_[0].keyTypes());
  for (int p : keyGroupPositions_) keyGroupKey_ += ref.field(static_cast<size_t>(p));
  const int keyGroup = keyGroupForKey(keyGroupKey_, context_.maxParallelism);
  // The planner's claim that the input is partitioned so; a wrong one would mix up state.
  if (!state_->keyGroups().contains(keyGroup))
    throw GlintError("operator '" + context_.name + "': a row of key group " +
                     std::to_string(keyGroup) + " reached the subtask of key groups [" +
                     std::to_string(state_->keyGroups().first) + ", " +
                     std::to_string(state_->keyGroups().last) +
                     "]: its input is not partitioned as planned");
  state_->setCurrentKeyWithHash(key, keyHash, keyGroup);
}

int KeyedOperator::keyGroupOfRow(int input, const Batch& batch, size_t row) {
  keyEncoders_[input].encode(batch, row, keyBuffer_);
  return keyGroupForKey(keyBuffer_, context_.maxParallelism);
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
