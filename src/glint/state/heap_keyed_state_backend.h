#pragma once
// The heap keyed state backend (state.backend.type: heap): state objects in per-key-group hash
// maps (heap_state.h). Snapshots are canonical (canonical_format.h).
//
// Snapshot: key-group-granular copy-on-write. The synchronous part only freezes every key group
// (a flag each) and notes the registered states; the asynchronous part serializes the frozen
// key groups one by one. Before the task thread touches a key group that is still frozen, it
// serializes that key group itself (under the snapshot's lock), so the snapshot sees every
// key group as of the barrier while processing continues. A snapshot taken while the previous
// one still runs first finishes the previous one's key groups on the task thread. The backend
// must outlive the tasks it returns.
//
// Restore: restored sections are kept as bytes per state name until the state is registered
// (its types are only known then), and are carried into later snapshots if it never is.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "glint/state/keyed_state.h"

namespace glint {

class HeapKeyedStateBackend final : public KeyedStateBackend {
 public:
  HeapKeyedStateBackend(KeyGroupRange keyGroups, int maxParallelism)
      : KeyedStateBackend(keyGroups, maxParallelism, Storage::kHeap) {}
  ~HeapKeyedStateBackend() override;

  std::unique_ptr<KeyedStateSnapshotTask> snapshot(int64_t checkpointId,
                                                   const SnapshotLocation& location) override;
  Status restore(const std::vector<KeyedStateHandle>& handles,
                 const std::filesystem::path& checkpointRoot) override;

  // The canonical blocks of the backend's key groups (empty key groups left out), serialized
  // now on the calling thread.
  std::vector<KeyGroupBlock> snapshotKeyGroups() const;

  void thawKeyGroup(int keyGroup) const override;

  struct RegisteredState {
    std::string name;
    StateKind kind;
    bool ttl;
    HeapStateBase* state;
  };
  struct PendingSection {
    StateKind kind;
    bool ttl;
    uint64_t numEntries = 0;
    std::string entries;
  };
  using PendingSections = std::map<std::string, std::map<int, PendingSection>>;
  struct SnapshotJob;

 protected:
  void onStateCreated(const std::string& name, StateKind kind, const StateTtlConfig& ttl,
                      StateBase* state) override;

 private:
  std::vector<RegisteredState> registeredStates() const;

  std::map<std::string, RegisteredState> registered_;
  // Restored sections of states not registered yet: name -> key group -> section.
  PendingSections pending_;
  // The latest copy-on-write snapshot (its frozen flags are frozen_).
  std::shared_ptr<SnapshotJob> job_;
};

}  // namespace glint
