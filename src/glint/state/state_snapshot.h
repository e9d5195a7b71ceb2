#pragma once
// What a keyed state backend hands to the checkpoint runtime, and takes back on restore.
// Two forms: canonical (backend-independent bytes per key group; savepoints and heap
// checkpoints) and native (files of a RocksDB checkpoint, shared between incremental
// checkpoints under <checkpoint root>/shared).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "glint/common/status.h"
#include "glint/state/key_group.h"

namespace glint {

// Canonical bytes of one key group.
struct KeyGroupBlock {
  int keyGroup = 0;
  std::string bytes;
};

struct NativeStateFile {
  // Relative to SnapshotLocation::checkpointRoot, e.g. "shared/<uuid>-000012.sst".
  std::string relativePath;
  // File name inside a RocksDB checkpoint, e.g. "000012.sst", "MANIFEST-000005", "CURRENT".
  std::string localName;
  uint64_t size = 0;
};

struct KeyedStateHandle {
  enum class Kind : uint8_t { kCanonical, kNative };
  Kind kind = Kind::kCanonical;
  KeyGroupRange keyGroups;             // key groups covered
  std::vector<KeyGroupBlock> blocks;   // kCanonical: persisted by the runtime
  std::vector<NativeStateFile> files;  // kNative: already written by the backend
  uint64_t bytesWritten = 0;           // bytes this snapshot wrote (new files only, incremental)
};

struct SnapshotLocation {
  std::filesystem::path checkpointRoot;  // state.checkpoints.dir
  std::filesystem::path exclusiveDir;    // <root>/chk-<n>/<uid>-<subtask>/, private to the snapshot
  std::filesystem::path sharedDir;       // <root>/shared/, shared across checkpoints
  bool savepoint = false;                // canonical format required
};

// The asynchronous part of a snapshot, run on a background thread while processing goes on.
class KeyedStateSnapshotTask {
 public:
  virtual ~KeyedStateSnapshotTask() = default;
  virtual Result<KeyedStateHandle> run() = 0;
};

}  // namespace glint
