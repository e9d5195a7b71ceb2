#pragma once
// The exactly-once contract for sinks, as Flink's TwoPhaseCommitSinkFunction: output goes into
// transactions that are invisible until committed. At a checkpoint barrier the open
// transaction is pre-committed (flushed, made durable, still invisible) and its committables
// go into the checkpoint; when the checkpoint completes they are committed. On restore, the
// committables in the restored checkpoint are committed (the checkpoint completed, so they
// belong to the output) and everything else a failed run left behind is discarded.
//
// Subclasses provide the transaction mechanics (files, Kafka transactions, database
// transactions). Commit must be idempotent: after a crash between a commit and the next
// checkpoint, a restore commits the same committable again.
//
// Without checkpointing, transactions are committed as soon as they are pre-committed (on
// rolling and at the end of input).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "glint/runtime/operators/sink_operator.h"

namespace glint {

class TwoPhaseCommitSink : public SinkOperator {
 public:
  void initializeState(OperatorRestoreState&& state) final;
  void open() override;
  void finish() override;
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) final;
  void notifyCheckpointComplete(int64_t checkpointId) final;

 protected:
  // Closes the open transaction (if any) for writing and makes it durable; returns what is
  // needed to commit it later (possibly several committables, e.g. rolled part files).
  virtual std::vector<std::string> preCommit() = 0;
  // Makes a pre-committed transaction visible. Idempotent.
  virtual void commit(const std::string& committable) = 0;
  // Called once after a restore, after the restored committables were committed and before
  // any input; `attemptId` names this run's transactions: anything from other runs that is
  // still uncommitted will never be committed and may be deleted.
  virtual void discardLeftovers() {}
  // Rolled transactions are pre-committed at once and wait for the next checkpoint.
  void addPreCommitted(std::vector<std::string> committables);

 private:
  void commitUpTo(int64_t checkpointId);
  // Pre-committed and not yet committed, by the checkpoint that holds them.
  std::map<int64_t, std::vector<std::string>> pending_;
  std::vector<std::string> rolled_;  // pre-committed since the last checkpoint
  std::vector<std::string> restored_;
  bool cleanupDue_ = false;
};

}  // namespace glint
