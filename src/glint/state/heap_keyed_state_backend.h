#pragma once
// The heap keyed state backend (state.backend.type: heap): state objects in per-key-group hash
// maps (heap_state.h). Snapshots are canonical (canonical_format.h).
//
// Snapshot: the synchronous part serializes every key group into memory on the task thread and
// the asynchronous part only hands the blocks over. (Key-group-granular copy-on-write, which
// would move the serialization off the task thread, is not done yet.)
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

  std::unique_ptr<KeyedStateSnapshotTask> snapshot(int64_t checkpointId,
                                                   const SnapshotLocation& location) override;
  Status restore(const std::vector<KeyedStateHandle>& handles,
                 const std::filesystem::path& checkpointRoot) override;

  // The canonical blocks of the backend's key groups (empty key groups left out).
  std::vector<KeyGroupBlock> snapshotKeyGroups() const;

 protected:
  void onStateCreated(const std::string& name, StateKind kind, const StateTtlConfig& ttl,
                      StateBase* state) override;

 private:
  struct Registered {
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
  std::map<std::string, Registered> registered_;
  // Restored sections of states not registered yet: name -> key group -> section.
  std::map<std::string, std::map<int, PendingSection>> pending_;
};

}  // namespace glint
