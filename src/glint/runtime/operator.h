#pragma once
// The operator contract. Operators are pushed batches and control events by their task and
// push results to an OperatorOutput; they never block (docs/architecture.md, rule 2). One
// operator instance belongs to one subtask and is only ever called by one thread at a time.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "glint/common/config.h"
#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/runtime/metrics.h"
#include "glint/state/key_group.h"
#include "glint/types/batch.h"

namespace glint {

class StreamOperator;

// Where an operator's results go: the next operator of its chain, or the network.
class OperatorOutput {
 public:
  virtual ~OperatorOutput() = default;
  virtual void emit(Batch&& batch) = 0;
  // Side outputs are numbered from 1 (0 is the main output).
  virtual void emitSide(int output, Batch&& batch) = 0;
  virtual void emitWatermark(int64_t watermark) = 0;
  // The operator will not emit data or watermarks for a while (idle source).
  virtual void emitIdle() = 0;
};

// Services a task offers its operators.
class TaskServices {
 public:
  virtual ~TaskServices() = default;
  // Calls op->onProcessingTime(t) once wall-clock time reaches `timeMillis`.
  virtual void registerProcessingTimeCallback(int64_t timeMillis, StreamOperator* op) = 0;
};

struct OperatorContext {
  std::string name;
  std::string uid;  // stable identity of the operator's state across job versions
  int subtaskIndex = 0;
  int parallelism = 1;
  int maxParallelism = kDefaultMaxParallelism;
  KeyGroupRange keyGroups;
  JobConfig config;
  // Checkpointing is on: side effects must wait for notifyCheckpointComplete.
  bool checkpointing = false;
  // Differs between runs and restarts of a job, same for all its operators (unique names).
  std::string attemptId;
  JobMetrics* metrics = nullptr;
  TaskServices* task = nullptr;
  // Names of the operator's consumed side outputs; side output k has name sideOutputNames[k-1].
  std::vector<std::string> sideOutputNames;
  // 1-based index of the side output with this name, or 0 when nobody consumes it.
  int sideOutputIndex(const std::string& tag) const {
    for (size_t i = 0; i < sideOutputNames.size(); ++i)
      if (sideOutputNames[i] == tag) return static_cast<int>(i) + 1;
    return 0;
  }
};

class StreamOperator {
 public:
  virtual ~StreamOperator() = default;
  void setup(OperatorContext context, OperatorOutput* output) {
    context_ = std::move(context);
    output_ = output;
  }
  virtual void open() {}
  // `input` is 0 for one-input operators, 0 or 1 for two-input operators.
  virtual void processBatch(int input, Batch&& batch) = 0;
  // A batch that other operators of the chain read too (a stream with several consumers): it
  // may be read but not kept. The default copies it for processBatch.
  virtual void processSharedBatch(int input, const Batch& batch) {
    Batch copy(batch.schema());
    copy.appendRange(batch, 0, batch.numRows());
    copy.setSourceNanos(batch.sourceNanos());
    processBatch(input, std::move(copy));
  }
  // How many columns processSharedBatch copies (SIZE_MAX: all of them): of several consumers,
  // the one that would copy the most gets the batch itself.
  virtual size_t sharedBatchCopyWidth() const { return SIZE_MAX; }
  // The combined watermark of all inputs advanced. Fire event-time timers, then forward.
  virtual void processWatermark(int64_t watermark) { output_->emitWatermark(watermark); }
  virtual void onProcessingTime(int64_t nowMillis) {}
  // All inputs ended (after the final watermark): emit what is left.
  virtual void finish() {}
  virtual void close() {}

  // ---- checkpointing (runtime/checkpoint/operator_snapshot.h)
  // Called before open() with the state of a restored checkpoint (restored == false on a
  // fresh start).
  virtual void initializeState(OperatorRestoreState&& state) {}
  // Called on the task thread when the checkpoint barrier passes this operator: everything
  // before the barrier has been processed, nothing after it. Fill `snapshot`; anything slow
  // goes into snapshot.keyedTask, which runs asynchronously.
  virtual void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                             OperatorSnapshot& snapshot) {}
  // The checkpoint completed everywhere (its metadata is durable): commit side effects.
  virtual void notifyCheckpointComplete(int64_t checkpointId) {}
  virtual void notifyCheckpointAborted(int64_t checkpointId) {}

  const OperatorContext& context() const { return context_; }

 protected:
  OperatorContext context_;
  OperatorOutput* output_ = nullptr;
};

// A source is the head of its task's chain; the task polls it instead of reading channels.
class SourceOperator : public StreamOperator {
 public:
  enum class PollResult { kMore, kNothingNow, kEnd };
  // Emits at most about one batch. kNothingNow sets *wakeAtNanos (monotonicNanos clock) to
  // when to poll again. kEnd: the source is exhausted and has emitted its final watermark.
  virtual PollResult pollNext(int64_t* wakeAtNanos) = 0;
  void processBatch(int, Batch&&) override {}
};

using OperatorFactory = std::function<std::unique_ptr<StreamOperator>()>;

}  // namespace glint
