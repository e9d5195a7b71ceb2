#include "glint/runtime/checkpoint/state_assignment.h"

#include <algorithm>
#include <set>

namespace glint {

Result<StateAssignment> StateAssignment::create(RestoredCheckpoint checkpoint,
                                                const StreamGraph& graph, int maxParallelism,
                                                bool ignoreUnclaimedState) {
  StateAssignment a;
  a.checkpoint_ = std::move(checkpoint);
  const auto& meta = a.checkpoint_.metadata;
  const std::string what = std::string(meta.savepoint ? "savepoint" : "checkpoint") + " '" +
                           a.checkpoint_.directory.string() + "'";
  if (meta.maxParallelism != maxParallelism)
    return Status::invalidArgument(
        what + " was taken with pipeline.max-parallelism " + std::to_string(meta.maxParallelism) +
        " but the job has " + std::to_string(maxParallelism) +
        "; key groups would not match. Set pipeline.max-parallelism to " +
        std::to_string(meta.maxParallelism));
  for (const auto& op : a.checkpoint_.operators) a.byUid_[op.uid].push_back(&op);
  std::map<std::string, const StreamNode*> nodes;
  for (const auto& n : graph.nodes()) nodes[n.uid] = &n;
  for (auto& [uid, instances] : a.byUid_) {
    std::sort(instances.begin(), instances.end(),
              [](auto* x, auto* y) { return x->subtask < y->subtask; });
    auto it = nodes.find(uid);
    if (it == nodes.end()) {
      if (ignoreUnclaimedState) continue;
      std::string known;
      for (const auto& [u, n] : nodes) known += (known.empty() ? "" : ", ") + u;
      return Status::invalidArgument(
          what + " holds state of operator uid '" + uid +
          "', which this job does not have (its operators: " + known +
          "). Give the operator that should own it this uid, or skip the state with "
          "execution.savepoint.ignore-unclaimed-state=true (--allow-non-restored-state)");
    }
    const int oldParallelism = instances.front()->parallelism;
    bool inflight = false;
    for (auto* s : instances) inflight |= !s->inFlight.empty();
    if (inflight && oldParallelism != it->second->parallelism)
      return Status::invalidArgument(
          what + " is unaligned and holds in-flight data of operator '" + it->second->name +
          "' at parallelism " + std::to_string(oldParallelism) +
          "; it can only be restored at that parallelism (not " +
          std::to_string(it->second->parallelism) +
          "). Rescale from a savepoint or an aligned checkpoint");
  }
  return a;
}

OperatorRestoreState StateAssignment::stateFor(const std::string& uid, int subtask, int parallelism,
                                               KeyGroupRange keyGroups) const {
  OperatorRestoreState r;
  r.restored = true;
  r.checkpointId = checkpoint_.metadata.checkpointId;
  r.checkpointRoot = checkpoint_.root;
  auto it = byUid_.find(uid);
  if (it == byUid_.end()) return r;
  const auto& old = it->second;
  const int oldParallelism = old.front()->parallelism;
  if (oldParallelism == parallelism) {
    // Same parallelism: each instance gets exactly its own items back (positions of the same
    // splits, transactions it opened).
    for (auto* s : old)
      if (s->subtask == subtask) {
        r.operatorState = s->operatorState;
        r.inFlight.reserve(s->inFlight.size());
        for (const auto& f : s->inFlight) {
          InFlightBatch copy{f.channel, f.input, Batch(f.batch.schema())};
          copy.batch.appendRange(f.batch, 0, f.batch.numRows());
          r.inFlight.push_back(std::move(copy));
        }
      }
  } else {
    // Round-robin over all items of all old instances, in a fixed order.
    size_t index = 0;
    for (auto* s : old)
      for (const auto& item : s->operatorState) {
        if (static_cast<int>(index % static_cast<size_t>(parallelism)) == subtask)
          r.operatorState.push_back(item);
        ++index;
      }
  }
  for (auto* s : old) {
    if (s->hasKeyedState && s->keyedHandle.keyGroups.first <= keyGroups.last &&
        keyGroups.first <= s->keyedHandle.keyGroups.last) {
      KeyedStateHandle h;
      h.kind = s->keyedHandle.kind;
      h.keyGroups = s->keyedHandle.keyGroups;
      h.files = s->keyedHandle.files;
      for (const auto& b : s->keyedHandle.blocks)
        if (keyGroups.contains(b.keyGroup)) h.blocks.push_back(b);
      r.keyedHandles.push_back(std::move(h));
    }
    for (const auto& b : s->keyedOperatorData)
      if (keyGroups.contains(b.keyGroup)) r.keyedOperatorData.push_back(b);
  }
  return r;
}

}  // namespace glint
