#pragma once
// One parallel instance of a chain of operators. It reads its input channels (or polls its
// source), pushes batches through the chain, and writes results to its partition writers.
// It runs in quanta on the TaskExecutor and never blocks: with no input or no output credit it
// returns and is woken by the channel that changes that.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "glint/network/partition_writer.h"
#include "glint/runtime/checkpoint/checkpoint_coordinator.h"
#include "glint/runtime/checkpoint/checkpoint_io.h"
#include "glint/runtime/executor.h"
#include "glint/runtime/operator.h"

namespace glint {

class StreamTask;

// Routes an operator's outputs: to the next operator of the chain and/or to network writers.
class RoutingOutput : public OperatorOutput {
 public:
  explicit RoutingOutput(StreamTask* task) : task_(task) {}
  void emit(Batch&& batch) override { route(0, std::move(batch)); }
  void emitSide(int output, Batch&& batch) override { route(output, std::move(batch)); }
  void emitWatermark(int64_t watermark) override;
  void emitIdle() override;

  void addChained(StreamOperator* next) { chained_.push_back(next); }
  void addWriter(int output, PartitionWriter* writer);

 private:
  void route(int output, Batch&& batch);
  StreamTask* task_;
  std::vector<StreamOperator*> chained_;                // main output only
  std::vector<std::vector<PartitionWriter*>> writers_;  // by output index
};

class StreamTask : public Schedulable, public TaskServices {
 public:
  using FailureHandler = std::function<void(const std::string&)>;
  StreamTask(std::string name, JobMetrics* metrics, FailureHandler onFailure,
             std::function<void()> onFinished);

  // ---- assembly (by the job runner, before the task first runs)
  // A chain is a tree: the operator reads the main output of chain_[parent] (by default the
  // operator added before it).
  void addOperator(std::unique_ptr<StreamOperator> op, OperatorContext context, int parent = -1);
  RoutingOutput* outputOf(size_t chainIndex) { return outputs_[chainIndex].get(); }
  void addInput(std::shared_ptr<Channel> channel, int input);
  PartitionWriter* addWriter(std::unique_ptr<PartitionWriter> writer);
  void setIsSink(bool sink) { isSink_ = sink; }
  void attachTo(TaskExecutor* executor) {
    executor->attach(this);
    executorRef_ = executor;
  }
  // Checkpointing: barriers, snapshots and notifications go through the coordinator.
  void enableCheckpointing(CheckpointCoordinator* coordinator, CheckpointIoExecutor* io,
                           CheckpointingMode mode, int taskIndex) {
    coordinator_ = coordinator;
    taskIndex_ = taskIndex;
    checkpointIo_ = io;
    checkpointMode_ = mode;
  }
  // Restore: gives each operator its state (before it opens) and the in-flight data of an
  // unaligned checkpoint to replay.
  void restoreState(size_t chainIndex, OperatorRestoreState&& state);
  const std::vector<std::unique_ptr<StreamOperator>>& chain() const { return chain_; }

  // ---- from the coordinator's thread
  void offerCheckpoint(const CheckpointBarrier& barrier);
  void offerNotification(int64_t checkpointId, bool complete);

  // ---- Schedulable
  bool runQuantum() override;
  void cancel() { cancelled_.store(true); }

  // ---- TaskServices
  void registerProcessingTimeCallback(int64_t timeMillis, StreamOperator* op) override;

  const std::string& name() const { return name_; }
  // A one-line state summary for diagnosing a stuck job (racy by nature: debugging only).
  std::string describe() const;
  int64_t nowNanos() const { return stepNanos_; }
  JobMetrics* metrics() { return metrics_; }
  bool isSink() const { return isSink_; }

 private:
  struct InputChannel {
    std::shared_ptr<Channel> channel;
    int input = 0;
    int64_t watermark = INT64_MIN;
    bool idle = false;
    bool ended = false;
    // Checkpointing: the newest barrier seen, whether the channel waits for the others
    // (aligned), and for an unaligned checkpoint whether its elements are being recorded and
    // how many overtaken elements remain after its barrier.
    int64_t barrierId = 0;
    bool blocked = false;
    bool recording = false;
    uint32_t overtakenLeft = 0;
    bool barrierSeen = false;
  };
  bool outputsHaveCredit() const;
  void handle(size_t channelIndex, StreamElement&& element);
  void advanceWatermark();
  void finishInput();
  void closeAndFinish();

  // ---- checkpointing
  void processCheckpointSignals();
  void commitCompletedBeforeExit();
  void onBarrier(size_t channelIndex, const CheckpointBarrier& barrier);
  void checkAlignment();
  void cancelAlignment();
  // Snapshots every operator of the chain and, with `emitBarrier`, sends the barrier on.
  void performCheckpoint(const CheckpointBarrier& barrier, bool emitBarrier);
  void recordInFlight(size_t channelIndex, const StreamElement& element);
  void checkUnalignedDone();
  void submitSnapshot(int64_t checkpointId, std::vector<OperatorSnapshot> snapshots);
  void fireProcessingTimers();
  void scheduleNextWake();

  std::string name_;
  JobMetrics* metrics_;
  FailureHandler onFailure_;
  std::function<void()> onFinished_;
  TaskExecutor* executorRef_ = nullptr;
  std::vector<std::unique_ptr<StreamOperator>> chain_;
  std::vector<std::unique_ptr<RoutingOutput>> outputs_;
  SourceOperator* source_ = nullptr;
  std::vector<InputChannel> inputs_;
  size_t nextInput_ = 0;
  std::vector<std::unique_ptr<PartitionWriter>> writers_;
  int64_t combinedWatermark_ = INT64_MIN;
  bool allIdle_ = false;
  bool opened_ = false;
  bool finished_ = false;
  bool isSink_ = false;
  int64_t stepNanos_ = 0;
  int64_t sourceWakeAt_ = INT64_MAX;
  std::atomic<bool> cancelled_{false};
  struct ProcessingTimer {
    int64_t timeMillis;
    StreamOperator* op;
    bool operator>(const ProcessingTimer& o) const { return timeMillis > o.timeMillis; }
  };
  std::priority_queue<ProcessingTimer, std::vector<ProcessingTimer>, std::greater<>>
      processingTimers_;

  // Checkpointing.
  CheckpointCoordinator* coordinator_ = nullptr;
  int taskIndex_ = 0;
  CheckpointIoExecutor* checkpointIo_ = nullptr;
  CheckpointingMode checkpointMode_ = CheckpointingMode::kExactlyOnce;
  std::mutex signalMu_;
  std::optional<CheckpointBarrier> offered_;                   // newest trigger
  std::vector<std::pair<int64_t, bool>> notifications_;       // (id, complete)
  int64_t lastSnapshotId_ = 0;
  int64_t alignmentId_ = 0;  // barrier being aligned (0: none)
  CheckpointBarrier alignmentBarrier_;
  bool inputFinished_ = false;  // finished input; waiting for a checkpoint to complete
  int64_t exitAfterId_ = INT64_MAX;
  bool sourceStopped_ = false;
  std::vector<InFlightBatch> replay_;
  struct PendingUnaligned {
    CheckpointBarrier barrier;
    std::vector<OperatorSnapshot> snapshots;
  };
  std::optional<PendingUnaligned> unaligned_;
};

}  // namespace glint
