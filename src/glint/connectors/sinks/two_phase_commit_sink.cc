#include "glint/connectors/sinks/two_phase_commit_sink.h"

#include "glint/types/serialization.h"

namespace glint {

void TwoPhaseCommitSink::initializeState(OperatorRestoreState&& state) {
  if (!state.restored) return;
  for (auto& item : state.operatorState) restored_.push_back(std::move(item));
  cleanupDue_ = true;
}

void TwoPhaseCommitSink::open() {
  // The restored checkpoint completed, so everything it pre-committed is part of the output.
  for (const auto& c : restored_) commit(c);
  restored_.clear();
}

void TwoPhaseCommitSink::addPreCommitted(std::vector<std::string> committables) {
  if (!context_.checkpointing) {
    for (const auto& c : committables) commit(c);
    return;
  }
  for (auto& c : committables) rolled_.push_back(std::move(c));
}

void TwoPhaseCommitSink::finish() {
  // Without checkpointing the end of input commits; with it, the final checkpoint does
  // (snapshotState pre-commits, notifyCheckpointComplete commits).
  if (!context_.checkpointing) addPreCommitted(preCommit());
}

void TwoPhaseCommitSink::snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation&,
                                       OperatorSnapshot& snapshot) {
  std::vector<std::string> now = std::move(rolled_);
  rolled_.clear();
  for (auto& c : preCommit()) now.push_back(std::move(c));
  if (!now.empty()) pending_[barrier.checkpointId] = std::move(now);
  for (const auto& [id, committables] : pending_)
    for (const auto& c : committables) snapshot.operatorState.push_back(c);
}

void TwoPhaseCommitSink::notifyCheckpointComplete(int64_t checkpointId) {
  commitUpTo(checkpointId);
  if (cleanupDue_ && context_.subtaskIndex == 0) {
    // Every subtask committed its restored committables in open(), before this checkpoint
    // could complete, so what other runs left uncommitted is garbage now.
    discardLeftovers();
  }
  cleanupDue_ = false;
}

void TwoPhaseCommitSink::commitUpTo(int64_t checkpointId) {
  while (!pending_.empty() && pending_.begin()->first <= checkpointId) {
    for (const auto& c : pending_.begin()->second) commit(c);
    pending_.erase(pending_.begin());
  }
}

}  // namespace glint
