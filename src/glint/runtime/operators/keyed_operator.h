#pragma once
// Base of operators on keyed streams: owns the keyed state backend and timers of its key-group
// range, sets the current key from rows, and fires timers as the watermark or the clock moves.
#include <memory>
#include <string>
#include <vector>

#include "glint/runtime/executor.h"
#include "glint/runtime/operator.h"
#include "glint/state/keyed_state.h"
#include "glint/state/timer_service.h"

namespace glint {

class KeyedOperator : public StreamOperator {
 public:
  // keyColumns[i] are the key columns of input i, in the schema inputSchemas[i].
  KeyedOperator(std::vector<SchemaPtr> inputSchemas, std::vector<std::vector<int>> keyColumns);

  void initializeState(OperatorRestoreState&& state) override;
  void open() override;
  void processWatermark(int64_t watermark) override;
  void onProcessingTime(int64_t nowMillis) override;
  // Keyed state through the backend's snapshot (asynchronous part run by the runtime), timers
  // and the subclass's own per-key-group data as keyed operator data.
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) override;
  void notifyCheckpointComplete(int64_t checkpointId) override;
  void notifyCheckpointAborted(int64_t checkpointId) override;

  KeyedStateBackend& state() { return *state_; }
  TimerService& timers() { return *timers_; }
  int64_t currentWatermark() const { return currentWatermark_; }
  KeyRef currentKey() const { return KeyRef(state_->currentKey(), &keyEncoders_[0].keyTypes()); }
  // Registers a processing-time timer for the current key and asks the task for a callback.
  void registerProcessingTimeTimer(StateNamespace ns, int64_t time);
  // The input already arrives partitioned by the fields at `keyPositions` of the key (an
  // operator keyed on those columns feeds this one through a forward edge, as when GROUP BY
  // a, b reads the output of a join on a): the key group of a key is then that of these fields
  // alone, the one the upstream partitioner and rescaling use, so that every key's state lies
  // in this subtask's key groups. Call before open(); one-input operators.
  void partitionKeyGroupsBy(std::vector<int> keyPositions) {
    keyGroupPositions_ = std::move(keyPositions);
  }
  const std::vector<int>& keyGroupPositions() const { return keyGroupPositions_; }

 protected:
  // Sets the current key from row `row` of a batch of input `input`.
  void setCurrentKeyFromRow(int input, const Batch& batch, size_t row) {
    keyEncoders_[input].encode(batch, row, keyBuffer_);
    state_->setCurrentKey(keyBuffer_);
  }
  // Sets the current key from its encoding (input 0) and hashBytes, with its key group.
  void setCurrentKeyWithHash(std::string_view key, uint64_t keyHash);
  virtual void onEventTimeTimer(const Timer& timer) {}
  virtual void onProcessingTimeTimer(const Timer& timer) {}
  // Called after the timers of a watermark fired, before it is forwarded.
  virtual void flushOutput() {}
  // Operators that keep keyed data outside the state backend (join buffers) write it per key
  // group here, and get the blocks of their key groups back from takeRestoredOperatorData()
  // at the end of their open().
  virtual void snapshotOperatorData(std::vector<KeyGroupBlock>& blocks) {}
  std::vector<KeyGroupBlock> takeRestoredOperatorData() { return std::move(restoredOperatorData_); }
  // The key group of row `row` of input `input` (for snapshotOperatorData).
  int keyGroupOfRow(int input, const Batch& batch, size_t row);

  std::vector<KeyEncoder> keyEncoders_;
  std::unique_ptr<KeyedStateBackend> state_;
  std::unique_ptr<TimerService> timers_;
  int64_t currentWatermark_ = INT64_MIN;
  std::string keyBuffer_;
  OperatorRestoreState restore_;
  bool nativeSnapshots_ = false;  // state.backend.incremental
  std::vector<KeyGroupBlock> restoredOperatorData_;
  std::vector<int> keyGroupPositions_;  // empty: the key group of the whole key
  std::string keyGroupKey_;
};

}  // namespace glint
