#pragma once
// Choosing and creating keyed state backends from job options (Flink's option names):
//   state.backend.type                    heap | rocksdb                      (default heap)
//   state.backend.incremental             true | false: RocksDB native incremental checkpoints
//   state.backend.rocksdb.localdir        working directory of RocksDB instances (default: a
//                                         fresh directory under /tmp)
//   state.backend.rocksdb.memory.fixed-per-tm
//                                         memory size ("256mb", "1gb", bytes) of the block cache
//                                         plus write buffers shared by every RocksDB instance of
//                                         the process
// Backends other than heap register a factory (the RocksDB backend does so from its own object
// library, so the core does not depend on RocksDB).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "glint/common/status.h"
#include "glint/state/keyed_state.h"

namespace glint {

struct StateBackendOptions {
  std::string type = "heap";       // state.backend.type: heap | rocksdb
  bool incremental = false;        // state.backend.incremental
  std::filesystem::path localDir;  // state.backend.rocksdb.localdir (empty: fresh dir under /tmp)
  int64_t memoryBudgetBytes = 256 << 20;  // state.backend.rocksdb.memory.fixed-per-tm
  // state.backend.rocksdb.compaction.style: LEVEL (default, as Flink) or UNIVERSAL (less write
  // amplification when updates are spread over the key space, so incremental checkpoints
  // upload less; more space and read amplification).
  std::string compactionStyle = "LEVEL";

  // Reads the options above from a job's option map (other keys are ignored); errors name the
  // option and what was expected.
  static Result<StateBackendOptions> fromConfig(const std::map<std::string, std::string>& options);
};

// Parses a memory size as Flink does: a number with an optional unit b, k/kb, m/mb, g/gb,
// t/tb (case-insensitive, 1k = 1024).
Result<int64_t> parseMemorySize(const std::string& text);

// scopeName: "<uid>-<subtask>", unique per operator instance (names the instance's working
// directory of a RocksDB backend).
Result<std::unique_ptr<KeyedStateBackend>> createKeyedStateBackend(
    const StateBackendOptions& options, KeyGroupRange keyGroups, int maxParallelism,
    const std::string& scopeName);

using KeyedStateBackendFactory = std::function<Result<std::unique_ptr<KeyedStateBackend>>(
    const StateBackendOptions& options, KeyGroupRange keyGroups, int maxParallelism,
    const std::string& scopeName)>;
void registerKeyedStateBackendFactory(const std::string& type, KeyedStateBackendFactory factory);

// Reads the canonical blocks of the key groups in `keyGroups` out of a native snapshot handle
// (registered by the backend that writes native snapshots), so any backend can restore one.
using NativeSnapshotReader = std::function<Result<std::vector<KeyGroupBlock>>(
    const KeyedStateHandle& handle, const std::filesystem::path& checkpointRoot,
    KeyGroupRange keyGroups)>;
void registerNativeSnapshotReader(NativeSnapshotReader reader);
Result<std::vector<KeyGroupBlock>> readNativeSnapshot(const KeyedStateHandle& handle,
                                                      const std::filesystem::path& checkpointRoot,
                                                      KeyGroupRange keyGroups);

// Checks the files of a native snapshot handle for damage (block checksums), so that loading a
// checkpoint finds a corrupt shared file and can fall back to an older checkpoint. Registered
// by the backend that writes native snapshots; without one, native files are not checked.
using NativeFileVerifier = std::function<Status(const KeyedStateHandle& handle,
                                                const std::filesystem::path& checkpointRoot)>;
void registerNativeFileVerifier(NativeFileVerifier verifier);
Status verifyNativeFiles(const KeyedStateHandle& handle, const std::filesystem::path& checkpointRoot);

// A snapshot whose work was all done in the synchronous part.
class CompletedKeyedStateSnapshot final : public KeyedStateSnapshotTask {
 public:
  explicit CompletedKeyedStateSnapshot(KeyedStateHandle handle) : handle_(std::move(handle)) {}
  Result<KeyedStateHandle> run() override { return std::move(handle_); }

 private:
  KeyedStateHandle handle_;
};

}  // namespace glint
