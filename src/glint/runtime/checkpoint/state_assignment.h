#pragma once
// Deals a restored checkpoint out to the operator instances of the job being started, which
// may differ from the job that took it: another parallelism (key groups and operator-state
// items are redistributed), or changed operators (state is matched by uid).
#include <map>
#include <string>
#include <vector>

#include "glint/runtime/checkpoint/checkpoint_storage.h"
#include "glint/runtime/job_graph.h"

namespace glint {

class StateAssignment {
 public:
  // Checks that every operator state in the checkpoint has an operator with its uid in
  // `graph` (unless `ignoreUnclaimedState`), that max parallelism matches, and that in-flight
  // data of an unaligned checkpoint is only restored at the same parallelism.
  static Result<StateAssignment> create(RestoredCheckpoint checkpoint, const StreamGraph& graph,
                                        int maxParallelism, bool ignoreUnclaimedState);

  // The state of instance `subtask` of `parallelism` of operator `uid`.
  OperatorRestoreState stateFor(const std::string& uid, int subtask, int parallelism,
                                KeyGroupRange keyGroups) const;
  int64_t checkpointId() const { return checkpoint_.metadata.checkpointId; }
  const RestoredCheckpoint& checkpoint() const { return checkpoint_; }

 private:
  RestoredCheckpoint checkpoint_;
  // uid -> the old instances, by subtask.
  std::map<std::string, std::vector<const LoadedOperatorState*>> byUid_;
};

}  // namespace glint
