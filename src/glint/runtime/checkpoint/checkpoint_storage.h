#pragma once
// Checkpoints and savepoints on disk.
//
//   <state.checkpoints.dir>/
//     chk-<n>/_metadata            written last, atomically (temp file, fsync, rename)
//     chk-<n>/<uid>-<subtask>.state  one file per operator instance
//     chk-<n>/<uid>-<subtask>/     native keyed-state files private to the checkpoint
//     shared/                      native files shared by incremental checkpoints
//   <savepoint dir>/savepoint-<n>-<hex>/  same layout as chk-<n>, self-contained
//
// A checkpoint without _metadata is incomplete and never used. Every file carries a format
// version and a checksum; _metadata lists each state file with its size and checksum, so a
// truncated or corrupt file is reported by name and recovery can fall back to an older
// checkpoint.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "glint/common/status.h"
#include "glint/runtime/checkpoint/operator_snapshot.h"

namespace glint {

// One operator instance's entry in a checkpoint's metadata.
struct StateFileEntry {
  std::string uid;
  int subtask = 0;
  int parallelism = 1;
  std::string file;  // relative to the checkpoint's directory
  uint64_t size = 0;
  uint64_t checksum = 0;
  std::vector<std::string> sharedFiles;  // native keyed-state files, relative to the root
  uint64_t bytesWritten = 0;             // what this checkpoint wrote for the instance
  bool hasInFlightData = false;
};

struct CheckpointMetadata {
  int64_t checkpointId = 0;
  int64_t timestampMillis = 0;
  bool savepoint = false;
  bool unaligned = false;
  int maxParallelism = 0;
  std::vector<StateFileEntry> entries;
  uint64_t bytesWritten() const {
    uint64_t n = 0;
    for (const auto& e : entries) n += e.bytesWritten;
    return n;
  }
};

// An operator instance's state as read back from a checkpoint.
struct LoadedOperatorState {
  std::string uid;
  int subtask = 0;
  int parallelism = 1;
  std::vector<std::string> operatorState;
  bool hasKeyedState = false;
  KeyedStateHandle keyedHandle;
  std::vector<KeyGroupBlock> keyedOperatorData;
  std::vector<InFlightBatch> inFlight;
};

// A complete checkpoint or savepoint read back for restoring a job.
struct RestoredCheckpoint {
  std::filesystem::path directory;  // chk-<n> or the savepoint directory
  std::filesystem::path root;       // what native file paths are relative to
  CheckpointMetadata metadata;
  std::vector<LoadedOperatorState> operators;
};

namespace checkpoint_files {
constexpr const char* kMetadataName = "_metadata";

// Writes one operator instance's snapshot (keyed part already run) as <uid>-<subtask>.state.
Result<StateFileEntry> writeOperatorState(const std::filesystem::path& checkpointDir,
                                          const OperatorSnapshot& snapshot);
Result<LoadedOperatorState> readOperatorState(const std::filesystem::path& checkpointDir,
                                              const StateFileEntry& entry);
// Atomic: the metadata appears whole or not at all.
Status writeMetadata(const std::filesystem::path& checkpointDir, const CheckpointMetadata& metadata);
Result<CheckpointMetadata> readMetadata(const std::filesystem::path& checkpointDir);
// A file name made safe from an operator uid.
std::string sanitize(const std::string& uid);
}  // namespace checkpoint_files

class CheckpointStorage {
 public:
  explicit CheckpointStorage(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path checkpointDir(int64_t id) const { return root_ / ("chk-" + std::to_string(id)); }
  std::filesystem::path sharedDir() const { return root_ / "shared"; }

  // Creates the directories.
  Status init();
  // Ids of checkpoints that have metadata, newest first.
  std::vector<int64_t> completedCheckpoints() const;
  // The highest id of any checkpoint directory, complete or not (0 if none).
  int64_t highestCheckpointId() const;
  // Deletes checkpoint directories without metadata (left by a crash or an abort).
  void removeIncomplete(int64_t aboveOrAt = 0) const;
  void removeCheckpoint(int64_t id) const;
  // Keeps the newest `numRetained` complete checkpoints with id >= `firstOwnedId` and deletes
  // the older ones of those, then the shared files that only deleted checkpoints referenced.
  // Checkpoints below `firstOwnedId` belong to earlier runs (one may be what this run restored
  // from) and are left alone, as Flink's default NO_CLAIM restore mode does.
  void retain(int numRetained, int64_t firstOwnedId = 0) const;

 private:
  std::filesystem::path root_;
};

// Reads a checkpoint or savepoint for restoring. `path` is a checkpoint or savepoint directory
// (it holds _metadata), or a checkpoint root, meaning its newest complete checkpoint that reads
// back without error; the older ones are tried in turn, and `notes` says why each was skipped.
Result<RestoredCheckpoint> loadCheckpoint(const std::filesystem::path& path,
                                          std::vector<std::string>* notes = nullptr);

}  // namespace glint
