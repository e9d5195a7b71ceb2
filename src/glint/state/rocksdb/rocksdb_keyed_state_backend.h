#pragma once
// The RocksDB keyed state backend (state.backend.type: rocksdb). This header has no RocksDB
// include: the database lives behind a pointer to an implementation.
//
// Layout: one database per operator instance, under <localDir>/<scope>-<uuid>/db. A key is
//   [key group: 2 bytes big-endian][state id: 2 bytes big-endian][varint key length][key]
//   [namespace: 2 x int64 big-endian][map user key: OrderedKeyCodec]
// so one key group (and a key-group range) is one contiguous key range, and a map state's
// entries of one (key, namespace) are a prefix. Values as serialized_state.h describes (a TTL
// timestamp first, so the compaction filter can read it); list state appends through a merge
// operator (concatenation), without reading the list. State names, ids and kinds are stored
// under keys starting with 0xFFFF (no key group), so native checkpoints carry them.
//
// Memory: one block cache (LRU) of memoryBudgetBytes per process with a WriteBufferManager of
// half of it charged to the cache, shared by every instance (sized by the first instance
// created), so memory stays bounded however large the state grows.
//
// Snapshots:
//  * savepoints and checkpoints without state.backend.incremental: canonical. The synchronous
//    part takes a RocksDB snapshot; the asynchronous part iterates the key-group range under it.
//  * incremental checkpoints: native. The synchronous part flushes and creates a RocksDB
//    checkpoint (hard links) in the working directory; the asynchronous part copies SST files
//    not uploaded by a completed checkpoint to <shared>/<uuid>-<checkpoint>-<sst> and the
//    MANIFEST, CURRENT and OPTIONS files to the exclusive directory. `files` lists every file
//    (reused SSTs by their existing path); bytesWritten counts new files only. The backend
//    must outlive the snapshot tasks it returns.
// Restore: one native handle whose range equals ours is materialized (SSTs hard-linked when the
// file system allows, else copied) and opened; native handles with other ranges are opened
// read-only from a temporary copy and their key groups in our range copied over (through the
// canonical form); canonical blocks are written into the database directly.
// TTL: expired entries are removed when read and dropped by a compaction filter.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "glint/state/keyed_state.h"
#include "glint/state/state_backend.h"

namespace glint {

class RocksDbKeyedStateBackend final : public KeyedStateBackend, private RawStateStore {
 public:
  static Result<std::unique_ptr<RocksDbKeyedStateBackend>> create(
      const StateBackendOptions& options, KeyGroupRange keyGroups, int maxParallelism,
      const std::string& scopeName);
  ~RocksDbKeyedStateBackend() override;

  std::unique_ptr<KeyedStateSnapshotTask> snapshot(int64_t checkpointId,
                                                   const SnapshotLocation& location) override;
  void notifyCheckpointComplete(int64_t checkpointId) override;
  void notifyCheckpointAborted(int64_t checkpointId) override;
  Status restore(const std::vector<KeyedStateHandle>& handles,
                 const std::filesystem::path& checkpointRoot) override;

  // Compacts the whole database (runs the TTL compaction filter over every entry).
  Status compact();
  // The instance's working directory (database and checkpoint staging).
  const std::filesystem::path& workingDirectory() const;
  // Bytes of the process-wide block cache in use (includes charged write buffers).
  static size_t sharedCacheUsage();

  struct Impl;  // the database and everything that names RocksDB types

 protected:
  RawStateStore* rawStore() override { return this; }

 private:
  RocksDbKeyedStateBackend(KeyGroupRange keyGroups, int maxParallelism);

  int registerRawState(const std::string& name, StateKind kind, const StateTtlConfig& ttl) override;
  bool get(int state, std::string_view userKey, std::string* value) override;
  void put(int state, std::string_view userKey, std::string_view value) override;
  void remove(int state, std::string_view userKey) override;
  void append(int state, std::string_view element) override;
  void removeAll(int state) override;
  void scan(int state,
            const std::function<bool(std::string_view, std::string_view)>& visit) override;
  size_t countEntries(int state) const override;

  // The database key of (current key group, state, current key, current namespace, userKey).
  const std::string& dbKey(int state, std::string_view userKey);

  std::unique_ptr<Impl> impl_;
  std::string keyBuffer_;
  uint64_t keyBufferVersion_ = 0;
  size_t keyPrefixSize_ = 0;
};

}  // namespace glint
