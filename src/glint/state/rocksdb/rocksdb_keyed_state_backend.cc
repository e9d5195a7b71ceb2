#include "glint/state/rocksdb/rocksdb_keyed_state_backend.h"

#include <rocksdb/sst_file_reader.h>
#include <rocksdb/cache.h>
#include <rocksdb/compaction_filter.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <map>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <system_error>

#include "glint/state/canonical_format.h"

namespace glint {

namespace fs = std::filesystem;

namespace {

// Keys starting with this (no key group has it) hold the state catalogue: name -> id, kind.
constexpr char kCatalogPrefix[2] = {'\xff', '\xff'};
constexpr int kMaxStates = 0xffff;

void appendBigEndian16(std::string& out, int v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}
int readBigEndian16(const char* p) {
  return (static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]);
}
void appendBigEndian64(std::string& out, int64_t v) {
  const uint64_t be = __builtin_bswap64(static_cast<uint64_t>(v));
  out.append(reinterpret_cast<const char*>(&be), 8);
}
int64_t readBigEndian64(const char* p) {
  uint64_t be;
  std::memcpy(&be, p, 8);
  return static_cast<int64_t>(__builtin_bswap64(be));
}
std::string keyGroupPrefix(int keyGroup) {
  std::string p;
  appendBigEndian16(p, keyGroup);
  return p;
}
std::string catalogKey(const std::string& name) {
  return std::string(kCatalogPrefix, 2) + name;
}

// The parts of a database key.
struct ParsedKey {
  int keyGroup;
  int state;
  std::string_view key;
  StateNamespace ns;
  std::string_view userKey;
  size_t prefixSize;  // up to and including the namespace
};
bool parseDbKey(std::string_view k, ParsedKey* out) {
  if (k.size() < 4) return false;
  out->keyGroup = readBigEndian16(k.data());
  out->state = readBigEndian16(k.data() + 2);
  BinaryReader in(k.data() + 4, k.data() + k.size());
  if (!readBytes(in, &out->key) || in.end() - in.pos() < 16) return false;
  out->ns.first = readBigEndian64(in.pos());
  out->ns.second = readBigEndian64(in.pos() + 8);
  in.pos() += 16;
  out->prefixSize = static_cast<size_t>(in.pos() - k.data());
  out->userKey = k.substr(out->prefixSize);
  return true;
}

std::string randomHex(int bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::random_device rd;
  std::string s;
  for (int i = 0; i < bytes; ++i) {
    const unsigned v = rd() & 0xff;
    s.push_back(kDigits[v >> 4]);
    s.push_back(kDigits[v & 15]);
  }
  return s;
}

Status fromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::ok();
  return Status::ioError("RocksDB state backend: " + what + ": " + s.ToString());
}

// List state: the stored list is the concatenation of its (length-prefixed) elements.
class ListAppendOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* out, rocksdb::Logger*) const override {
    out->clear();
    if (existing) out->assign(existing->data(), existing->size());
    out->append(value.data(), value.size());
    return true;
  }
  const char* Name() const override { return "GlintListAppend"; }
};

// What the compaction filter and snapshots need to know of a state id.
struct StateInfo {
  std::string name;
  StateKind kind = StateKind::kValue;
  bool ttl = false;
  int64_t ttlMillis = 0;  // 0 until registered with a TTL config (restored states)
};

// TTL configuration by state id, shared with the compaction filter (which runs on RocksDB's
// background threads).
struct TtlCatalogue {
  std::shared_mutex mutex;
  std::map<int, StateInfo> states;
  const KeyedStateBackend* backend = nullptr;
};

// Drops expired values and expired list elements during compactions.
class TtlCompactionFilter final : public rocksdb::CompactionFilter {
 public:
  explicit TtlCompactionFilter(std::shared_ptr<TtlCatalogue> catalogue)
      : catalogue_(std::move(catalogue)) {}
  // Values and merge operands alike: a list's operand has the layout of a list value.
  Decision FilterV2(int, const rocksdb::Slice& key, ValueType type, const rocksdb::Slice& value,
                    std::string* newValue, std::string*) const override {
    if (type == ValueType::kBlobIndex) return Decision::kKeep;
    if (key.size() < 4 || std::memcmp(key.data(), kCatalogPrefix, 2) == 0) return Decision::kKeep;
    int64_t ttl = 0;
    StateKind kind;
    {
      std::shared_lock lock(catalogue_->mutex);
      auto it = catalogue_->states.find(readBigEndian16(key.data() + 2));
      if (it == catalogue_->states.end() || !it->second.ttl) return Decision::kKeep;
      ttl = it->second.ttlMillis;
      kind = it->second.kind;
    }
    if (ttl <= 0) return Decision::kKeep;
    const int64_t limit = catalogue_->backend->ttlNow() - ttl;  // expired: timestamp <= limit
    auto expired = [&](std::string_view stored) {
      int64_t ts;
      return stored.size() >= 8 && (std::memcpy(&ts, stored.data(), 8), ts <= limit);
    };
    if (kind != StateKind::kList)
      return expired(std::string_view(value.data(), value.size())) ? Decision::kRemove
                                                                   : Decision::kKeep;
    BinaryReader in(value.data(), value.data() + value.size());
    std::string kept;
    bool dropped = false;
    while (!in.atEnd()) {
      std::string_view element;
      if (!readBytes(in, &element)) return Decision::kKeep;  // malformed: the reader reports it
      if (expired(element)) {
        dropped = true;
        continue;
      }
      writeBytes(kept, element);
    }
    if (kept.empty()) return Decision::kRemove;
    if (!dropped) return Decision::kKeep;
    *newValue = std::move(kept);
    return Decision::kChangeValue;
  }
  const char* Name() const override { return "GlintTtlCompactionFilter"; }

 private:
  std::shared_ptr<TtlCatalogue> catalogue_;
};

// The process-wide block cache and write buffer manager.
struct SharedMemory {
  std::shared_ptr<rocksdb::Cache> cache;
  std::shared_ptr<rocksdb::WriteBufferManager> writeBuffers;
  int64_t budget = 0;
};
SharedMemory& sharedMemory(int64_t budget) {
  static std::mutex mutex;
  static SharedMemory memory;
  std::lock_guard lock(mutex);
  if (!memory.cache) {
    memory.budget = budget;
    memory.cache = rocksdb::NewLRUCache(static_cast<size_t>(budget), -1, false, 0.1);
    memory.writeBuffers = std::make_shared<rocksdb::WriteBufferManager>(
        static_cast<size_t>(budget / 2), memory.cache, false);
  }
  return memory;
}

rocksdb::Options databaseOptions(int64_t budget, const rocksdb::CompactionFilter* filter) {
  SharedMemory& memory = sharedMemory(budget);
  rocksdb::Options o;
  o.create_if_missing = true;
  o.merge_operator = std::make_shared<ListAppendOperator>();
  o.compaction_filter = filter;
  o.write_buffer_manager = memory.writeBuffers;
  o.write_buffer_size =
      static_cast<size_t>(std::clamp<int64_t>(memory.budget / 8, 1 << 20, 64 << 20));
  o.max_write_buffer_number = 2;
  o.max_background_jobs = 2;
  o.target_file_size_base = 32 << 20;
  o.max_bytes_for_level_base = 128 << 20;
  o.stats_dump_period_sec = 0;
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  o.keep_log_file_num = 1;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = memory.cache;
  // Index and filter blocks live in the cache too, so they count against the budget.
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_size = 16 << 10;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

Status copyOrLink(const fs::path& from, const fs::path& to, bool link) {
  std::error_code ec;
  if (link) {
    fs::create_hard_link(from, to, ec);
    if (!ec) return Status::ok();
  }
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec)
    return Status::ioError("copying " + from.string() + " to " + to.string() + ": " + ec.message());
  return Status::ok();
}

// Puts the files of a native handle into `dir` under their local names (SSTs hard-linked
// when possible: RocksDB never changes an SST file).
Status materialize(const KeyedStateHandle& handle, const fs::path& checkpointRoot,
                   const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::ioError("creating " + dir.string() + ": " + ec.message());
  for (const NativeStateFile& f : handle.files) {
    if (f.localName.empty() || f.localName.find('/') != std::string::npos)
      return Status::corruption("native keyed state handle: bad local file name '" + f.localName +
                                "'");
    const fs::path from = checkpointRoot / f.relativePath;
    if (!fs::exists(from, ec))
      return Status::notFound("native keyed state file " + from.string() + " is missing");
    const bool sst = f.localName.ends_with(".sst");
    GLINT_RETURN_IF_ERROR(copyOrLink(from, dir / f.localName, sst));
  }
  return Status::ok();
}

// Loads the state catalogue stored in a database.
Status loadCatalogue(rocksdb::DB* db, const rocksdb::Snapshot* snapshot,
                     std::map<int, StateInfo>* states) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
  for (it->Seek(rocksdb::Slice(kCatalogPrefix, 2)); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    if (k.size() < 2 || std::memcmp(k.data(), kCatalogPrefix, 2) != 0) break;
    const rocksdb::Slice v = it->value();
    if (v.size() != 4) return Status::corruption("RocksDB state catalogue: malformed entry");
    StateInfo info;
    info.name.assign(k.data() + 2, k.size() - 2);
    const int id = readBigEndian16(v.data());
    const uint8_t kind = static_cast<uint8_t>(v[2]);
    if (kind < 1 || kind > 5)
      return Status::corruption("RocksDB state catalogue: unknown kind of '" + info.name + "'");
    info.kind = static_cast<StateKind>(kind);
    info.ttl = v[3] != 0;
    (*states)[id] = std::move(info);
  }
  return fromRocks(it->status(), "reading the state catalogue");
}

// Writes the canonical blocks of the key groups in `range` (empty ones left out), from the
// database as of `snapshot`. Expired entries (at `now`) are left out.
Status writeCanonicalBlocks(rocksdb::DB* db, const rocksdb::Snapshot* snapshot,
                            const std::map<int, StateInfo>& states, KeyGroupRange range,
                            int64_t now, std::vector<KeyGroupBlock>* blocks) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  ro.fill_cache = false;  // a snapshot scan must not evict the working set
  const std::string upper = keyGroupPrefix(range.last + 1);
  rocksdb::Slice upperSlice(upper);
  ro.iterate_upper_bound = &upperSlice;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));

  struct Section {
    const StateInfo* info = nullptr;
    std::string entries;
    uint64_t numEntries = 0;
    // Map state: the (key, namespace) being collected, its user entries and their count.
    std::string mapPrefix;
    std::string mapHeader;
    std::string mapEntries;
    uint64_t mapCount = 0;
    void flushMap() {
      if (mapCount > 0) {
        entries += mapHeader;
        writeVarint(entries, mapCount);
        entries += mapEntries;
        ++numEntries;
      }
      mapPrefix.clear();
      mapEntries.clear();
      mapCount = 0;
    }
  };
  std::map<int, Section> sections;
  int currentGroup = -1;
  KeyGroupBlockWriter writer;
  auto finishGroup = [&] {
    for (auto& [id, s] : sections) {
      s.flushMap();
      if (s.numEntries > 0)
        writer.addSection(s.info->name, s.info->kind, s.info->ttl, s.numEntries, s.entries);
    }
    sections.clear();
    if (!writer.empty()) blocks->push_back(KeyGroupBlock{currentGroup, writer.finish()});
  };
  auto expired = [&](const StateInfo& info, std::string_view stored) {
    if (!info.ttl || info.ttlMillis <= 0) return false;
    int64_t ts;
    return stored.size() >= 8 && (std::memcpy(&ts, stored.data(), 8), ts <= now - info.ttlMillis);
  };
  std::string listBody;
  for (it->Seek(keyGroupPrefix(range.first)); it->Valid(); it->Next()) {
    const std::string_view k(it->key().data(), it->key().size());
    const std::string_view v(it->value().data(), it->value().size());
    ParsedKey pk;
    if (!parseDbKey(k, &pk)) return Status::corruption("RocksDB state backend: malformed key");
    if (pk.keyGroup != currentGroup) {
      if (currentGroup >= 0) finishGroup();
      currentGroup = pk.keyGroup;
    }
    auto info = states.find(pk.state);
    if (info == states.end())
      return Status::corruption("RocksDB state backend: entry of unknown state id " +
                                std::to_string(pk.state));
    Section& s = sections[pk.state];
    s.info = &info->second;
    switch (info->second.kind) {
      case StateKind::kValue:
      case StateKind::kAggregating:
      case StateKind::kReducing:
        if (expired(info->second, v)) break;
        writeEntryHeader(s.entries, pk.key, pk.ns);
        writeBytes(s.entries, v);
        ++s.numEntries;
        break;
      case StateKind::kList: {
        BinaryReader in(v);
        listBody.clear();
        uint64_t count = 0;
        while (!in.atEnd()) {
          std::string_view element;
          if (!readBytes(in, &element))
            return Status::corruption("RocksDB state backend: malformed list value");
          if (expired(info->second, element)) continue;
          writeBytes(listBody, element);
          ++count;
        }
        if (count == 0) break;
        writeEntryHeader(s.entries, pk.key, pk.ns);
        writeVarint(s.entries, count);
        s.entries += listBody;
        ++s.numEntries;
        break;
      }
      case StateKind::kMap: {
        const std::string_view prefix = k.substr(0, pk.prefixSize);
        if (prefix != s.mapPrefix) {
          s.flushMap();
          s.mapPrefix.assign(prefix.data(), prefix.size());
          s.mapHeader.clear();
          writeEntryHeader(s.mapHeader, pk.key, pk.ns);
        }
        if (expired(info->second, v)) break;
        writeBytes(s.mapEntries, pk.userKey);
        writeBytes(s.mapEntries, v);
        ++s.mapCount;
        break;
      }
    }
  }
  GLINT_RETURN_IF_ERROR(fromRocks(it->status(), "iterating for a snapshot"));
  if (currentGroup >= 0) finishGroup();
  return Status::ok();
}

// Opens a native snapshot read-only from a temporary copy and returns the canonical blocks of
// the key groups in `range`.
Result<std::vector<KeyGroupBlock>> readNative(const KeyedStateHandle& handle,
                                              const fs::path& checkpointRoot, KeyGroupRange range,
                                              const fs::path& tempParent) {
  const fs::path dir = tempParent / ("glint-native-read-" + randomHex(8));
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  GLINT_RETURN_IF_ERROR(materialize(handle, checkpointRoot, dir));
  rocksdb::Options options = databaseOptions(256 << 20, nullptr);
  options.create_if_missing = false;
  rocksdb::DB* raw = nullptr;
  GLINT_RETURN_IF_ERROR(fromRocks(rocksdb::DB::OpenForReadOnly(options, dir.string(), &raw),
                                  "opening native snapshot " + dir.string()));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::map<int, StateInfo> states;
  GLINT_RETURN_IF_ERROR(loadCatalogue(db.get(), nullptr, &states));
  std::vector<KeyGroupBlock> blocks;
  // Nothing is dropped for TTL here: the restoring backend does that (ttlMillis is unknown).
  GLINT_RETURN_IF_ERROR(writeCanonicalBlocks(db.get(), nullptr, states, range, 0, &blocks));
  return blocks;
}

}  // namespace

struct RocksDbKeyedStateBackend::Impl {
  StateBackendOptions options;
  std::string scope;
  std::string uuid;
  fs::path workDir;
  fs::path dbDir;
  std::shared_ptr<TtlCatalogue> catalogue = std::make_shared<TtlCatalogue>();
  std::unique_ptr<TtlCompactionFilter> filter;
  rocksdb::Options dbOptions;
  rocksdb::WriteOptions writeOptions;
  rocksdb::ReadOptions readOptions;
  std::unique_ptr<rocksdb::DB> db;
  std::map<std::string, int> idsByName;
  int nextId = 0;
  std::string value;  // scratch for reads

  // Incremental checkpoints: SSTs (local name -> path relative to the checkpoint root) of the
  // last completed checkpoint, and of checkpoints in flight.
  std::mutex uploadsMutex;
  std::map<std::string, std::string> confirmedUploads;
  std::map<int64_t, std::map<std::string, std::string>> pendingUploads;
  int64_t lastCompleted = -1;

  Status open() {
    rocksdb::DB* raw = nullptr;
    GLINT_RETURN_IF_ERROR(
        fromRocks(rocksdb::DB::Open(dbOptions, dbDir.string(), &raw), "opening " + dbDir.string()));
    db.reset(raw);
    return Status::ok();
  }
  // Reads the catalogue of an opened (restored) database.
  Status loadStates() {
    std::map<int, StateInfo> states;
    GLINT_RETURN_IF_ERROR(loadCatalogue(db.get(), nullptr, &states));
    std::unique_lock lock(catalogue->mutex);
    for (auto& [id, info] : states) {
      idsByName[info.name] = id;
      nextId = std::max(nextId, id + 1);
      catalogue->states[id] = std::move(info);
    }
    return Status::ok();
  }
  // The id of a state name, adding it to the catalogue (and the database) when new.
  Result<int> ensureState(const std::string& name, StateKind kind, bool ttl) {
    auto it = idsByName.find(name);
    if (it != idsByName.end()) return it->second;
    if (nextId >= kMaxStates)
      return Status::invalidArgument("RocksDB state backend: too many states");
    const int id = nextId++;
    std::string v;
    appendBigEndian16(v, id);
    v.push_back(static_cast<char>(kind));
    v.push_back(ttl ? 1 : 0);
    GLINT_RETURN_IF_ERROR(
        fromRocks(db->Put(writeOptions, catalogKey(name), v), "writing the state catalogue"));
    idsByName[name] = id;
    std::unique_lock lock(catalogue->mutex);
    catalogue->states[id] = StateInfo{name, kind, ttl, 0};
    return id;
  }
  std::map<int, StateInfo> statesCopy() {
    std::shared_lock lock(catalogue->mutex);
    return catalogue->states;
  }
  // Writes canonical blocks of our key groups into the database.
  Status writeBlocks(const std::vector<KeyGroupBlock>& blocks, KeyGroupRange range) {
    for (const KeyGroupBlock& block : blocks) {
      if (!range.contains(block.keyGroup)) continue;
      auto sections = parseKeyGroupBlock(block);
      if (!sections.isOk()) return sections.status();
      rocksdb::WriteBatch batch;
      std::string key;
      for (const CanonicalSection& s : *sections) {
        auto id = ensureState(s.name, s.kind, s.ttl);
        if (!id.isOk()) return id.status();
        {
          std::shared_lock lock(catalogue->mutex);
          const StateInfo& info = catalogue->states[*id];
          if (!sameStateStorage(info.kind, s.kind) || info.ttl != s.ttl)
            return Status::corruption("keyed state snapshot, key group " +
                                      std::to_string(block.keyGroup) + ": state '" + s.name +
                                      "' appears with two different kinds");
        }
        CanonicalEntryReader reader(s);
        CanonicalEntry e;
        for (uint64_t i = 0; i < s.numEntries; ++i) {
          if (!reader.next(&e)) return Status::corruption("keyed state snapshot: malformed entry");
          key.clear();
          appendBigEndian16(key, block.keyGroup);
          appendBigEndian16(key, *id);
          writeBytes(key, e.key);
          appendBigEndian64(key, e.ns.first);
          appendBigEndian64(key, e.ns.second);
          if (s.kind == StateKind::kList) {
            // The stored list is the canonical body without its count.
            BinaryReader in(e.body);
            uint64_t count;
            if (!readVarint(in, &count))
              return Status::corruption("keyed state snapshot: malformed list");
            batch.Put(key, rocksdb::Slice(in.pos(), static_cast<size_t>(in.end() - in.pos())));
          } else if (s.kind == StateKind::kMap) {
            const size_t prefix = key.size();
            if (!forEachMapEntry(e.body, [&](std::string_view userKey, std::string_view v) {
                  key.resize(prefix);
                  key.append(userKey.data(), userKey.size());
                  batch.Put(key, rocksdb::Slice(v.data(), v.size()));
                }))
              return Status::corruption("keyed state snapshot: malformed map");
          } else {
            batch.Put(key, rocksdb::Slice(e.body.data(), e.body.size()));
          }
        }
      }
      GLINT_RETURN_IF_ERROR(fromRocks(db->Write(writeOptions, &batch), "restoring key group"));
    }
    return Status::ok();
  }
};

namespace {

// Canonical snapshot: iterates the key-group range under a RocksDB snapshot taken at the
// barrier.
class CanonicalRocksDbSnapshot final : public KeyedStateSnapshotTask {
 public:
  CanonicalRocksDbSnapshot(rocksdb::DB* db, std::map<int, StateInfo> states, KeyGroupRange range,
                           int64_t now)
      : db_(db),
        snapshot_(db->GetSnapshot()),
        states_(std::move(states)),
        range_(range),
        now_(now) {}
  ~CanonicalRocksDbSnapshot() override { db_->ReleaseSnapshot(snapshot_); }
  Result<KeyedStateHandle> run() override {
    KeyedStateHandle handle;
    handle.kind = KeyedStateHandle::Kind::kCanonical;
    handle.keyGroups = range_;
    GLINT_RETURN_IF_ERROR(
        writeCanonicalBlocks(db_, snapshot_, states_, range_, now_, &handle.blocks));
    for (const auto& b : handle.blocks) handle.bytesWritten += b.bytes.size();
    return handle;
  }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
  std::map<int, StateInfo> states_;
  KeyGroupRange range_;
  int64_t now_;
};

// Native incremental snapshot: uploads the files of a RocksDB checkpoint taken at the barrier.
class NativeRocksDbSnapshot final : public KeyedStateSnapshotTask {
 public:
  NativeRocksDbSnapshot(RocksDbKeyedStateBackend::Impl* impl, int64_t checkpointId,
                        SnapshotLocation location, fs::path staging,
                        std::map<std::string, std::string> confirmed, KeyGroupRange range)
      : impl_(impl),
        checkpointId_(checkpointId),
        location_(std::move(location)),
        staging_(std::move(staging)),
        confirmed_(std::move(confirmed)),
        range_(range) {}
  ~NativeRocksDbSnapshot() override {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
  Result<KeyedStateHandle> run() override {
    KeyedStateHandle handle;
    handle.kind = KeyedStateHandle::Kind::kNative;
    handle.keyGroups = range_;
    std::map<std::string, std::string> uploaded;
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(staging_, ec)) files.push_back(entry.path());
    if (ec) return Status::ioError("listing " + staging_.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const std::string name = file.filename().string();
      NativeStateFile f;
      f.localName = name;
      f.size = fs::file_size(file, ec);
      if (ec) return Status::ioError("reading size of " + file.string() + ": " + ec.message());
      if (name.ends_with(".sst")) {
        auto it = confirmed_.find(name);
        if (it != confirmed_.end()) {
          f.relativePath = it->second;
        } else {
          const std::string sharedName =
              impl_->uuid + "-" + std::to_string(checkpointId_) + "-" + name;
          GLINT_RETURN_IF_ERROR(copyOrLink(file, location_.sharedDir / sharedName, false));
          f.relativePath = relative(location_.sharedDir / sharedName);
          handle.bytesWritten += f.size;
        }
        uploaded[name] = f.relativePath;
      } else {
        GLINT_RETURN_IF_ERROR(copyOrLink(file, location_.exclusiveDir / name, false));
        f.relativePath = relative(location_.exclusiveDir / name);
        handle.bytesWritten += f.size;
      }
      handle.files.push_back(std::move(f));
    }
    {
      std::lock_guard lock(impl_->uploadsMutex);
      impl_->pendingUploads[checkpointId_] = std::move(uploaded);
    }
    fs::remove_all(staging_, ec);
    return handle;
  }

 private:
  std::string relative(const fs::path& p) const {
    return p.lexically_relative(location_.checkpointRoot).generic_string();
  }
  RocksDbKeyedStateBackend::Impl* impl_;
  int64_t checkpointId_;
  SnapshotLocation location_;
  fs::path staging_;
  std::map<std::string, std::string> confirmed_;
  KeyGroupRange range_;
};

}  // namespace

RocksDbKeyedStateBackend::RocksDbKeyedStateBackend(KeyGroupRange keyGroups, int maxParallelism)
    : KeyedStateBackend(keyGroups, maxParallelism, Storage::kSerialized),
      impl_(std::make_unique<Impl>()) {}

RocksDbKeyedStateBackend::~RocksDbKeyedStateBackend() {
  if (impl_->db) {
    (void)impl_->db->Close();
    impl_->db.reset();
  }
  std::error_code ec;
  fs::remove_all(impl_->workDir, ec);
}

Result<std::unique_ptr<RocksDbKeyedStateBackend>> RocksDbKeyedStateBackend::create(
    const StateBackendOptions& options, KeyGroupRange keyGroups, int maxParallelism,
    const std::string& scopeName) {
  if (maxParallelism > 32768)
    return Status::invalidArgument("RocksDB state backend: max parallelism " +
                                   std::to_string(maxParallelism) + " is above 32768");
  std::unique_ptr<RocksDbKeyedStateBackend> backend(
      new RocksDbKeyedStateBackend(keyGroups, maxParallelism));
  Impl& impl = *backend->impl_;
  impl.options = options;
  impl.scope = scopeName;
  impl.uuid = randomHex(8);
  fs::path local = options.localDir;
  if (local.empty()) local = fs::temp_directory_path() / "glint-rocksdb";
  impl.workDir = local / (scopeName + "-" + impl.uuid);
  impl.dbDir = impl.workDir / "db";
  std::error_code ec;
  fs::create_directories(impl.workDir, ec);
  if (ec)
    return Status::ioError("state.backend.rocksdb.localdir: cannot create " +
                           impl.workDir.string() + ": " + ec.message());
  impl.catalogue->backend = backend.get();
  impl.filter = std::make_unique<TtlCompactionFilter>(impl.catalogue);
  impl.dbOptions = databaseOptions(options.memoryBudgetBytes, impl.filter.get());
  if (options.compactionStyle == "UNIVERSAL") impl.dbOptions.compaction_style = rocksdb::kCompactionStyleUniversal;
  // Durability comes from checkpoints (the database is flushed for native ones), as in Flink.
  impl.writeOptions.disableWAL = true;
  GLINT_RETURN_IF_ERROR(impl.open());
  return backend;
}

const fs::path& RocksDbKeyedStateBackend::workingDirectory() const {
  return impl_->workDir;
}

size_t RocksDbKeyedStateBackend::sharedCacheUsage() {
  SharedMemory& memory = sharedMemory(256 << 20);
  return memory.cache->GetUsage();
}

Status RocksDbKeyedStateBackend::compact() {
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  GLINT_RETURN_IF_ERROR(fromRocks(impl_->db->Flush(rocksdb::FlushOptions()), "flush"));
  return fromRocks(impl_->db->CompactRange(options, nullptr, nullptr), "compaction");
}

// ---- RawStateStore

const std::string& RocksDbKeyedStateBackend::dbKey(int state, std::string_view userKey) {
  if (keyBufferVersion_ != version_) {
    keyBuffer_.clear();
    appendBigEndian16(keyBuffer_, currentKeyGroup_);
    appendBigEndian16(keyBuffer_, 0);
    writeBytes(keyBuffer_, currentKey_);
    appendBigEndian64(keyBuffer_, currentNamespace_.first);
    appendBigEndian64(keyBuffer_, currentNamespace_.second);
    keyPrefixSize_ = keyBuffer_.size();
    keyBufferVersion_ = version_;
  }
  keyBuffer_.resize(keyPrefixSize_);
  keyBuffer_[2] = static_cast<char>((state >> 8) & 0xff);
  keyBuffer_[3] = static_cast<char>(state & 0xff);
  keyBuffer_.append(userKey.data(), userKey.size());
  return keyBuffer_;
}

int RocksDbKeyedStateBackend::registerRawState(const std::string& name, StateKind kind,
                                               const StateTtlConfig& ttl) {
  auto existing = impl_->idsByName.find(name);
  if (existing != impl_->idsByName.end()) {
    std::unique_lock lock(impl_->catalogue->mutex);
    StateInfo& info = impl_->catalogue->states[existing->second];
    if (!sameStateStorage(info.kind, kind))
      throw GlintError("state '" + name + "' was restored as " + stateKindName(info.kind) +
                       " state and is registered as " + stateKindName(kind) + " state");
    if (info.ttl != ttl.enabled())
      throw GlintError("state '" + name + "' was restored with TTL " + (info.ttl ? "on" : "off") +
                       " and is registered with TTL " + (ttl.enabled() ? "on" : "off") +
                       " (changing TTL of existing state is not supported, as in Flink)");
    info.ttlMillis = ttl.ttlMillis;
    return existing->second;
  }
  auto id = impl_->ensureState(name, kind, ttl.enabled());
  if (!id.isOk()) throw GlintError(id.status().message());
  std::unique_lock lock(impl_->catalogue->mutex);
  impl_->catalogue->states[*id].ttlMillis = ttl.ttlMillis;
  return *id;
}

bool RocksDbKeyedStateBackend::get(int state, std::string_view userKey, std::string* value) {
  const rocksdb::Status s = impl_->db->Get(impl_->readOptions, dbKey(state, userKey), value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) throw GlintError("RocksDB state backend: read failed: " + s.ToString());
  return true;
}

void RocksDbKeyedStateBackend::put(int state, std::string_view userKey, std::string_view value) {
  const rocksdb::Status s = impl_->db->Put(impl_->writeOptions, dbKey(state, userKey),
                                           rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) throw GlintError("RocksDB state backend: write failed: " + s.ToString());
}

void RocksDbKeyedStateBackend::remove(int state, std::string_view userKey) {
  const rocksdb::Status s = impl_->db->Delete(impl_->writeOptions, dbKey(state, userKey));
  if (!s.ok()) throw GlintError("RocksDB state backend: delete failed: " + s.ToString());
}

void RocksDbKeyedStateBackend::append(int state, std::string_view element) {
  const rocksdb::Status s = impl_->db->Merge(impl_->writeOptions, dbKey(state, {}),
                                             rocksdb::Slice(element.data(), element.size()));
  if (!s.ok()) throw GlintError("RocksDB state backend: merge failed: " + s.ToString());
}

void RocksDbKeyedStateBackend::scan(
    int state, const std::function<bool(std::string_view, std::string_view)>& visit) {
  const std::string prefix = dbKey(state, {});
  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    if (!k.starts_with(prefix)) break;
    if (!visit(std::string_view(k.data() + prefix.size(), k.size() - prefix.size()),
               std::string_view(it->value().data(), it->value().size())))
      break;
  }
  if (!it->status().ok())
    throw GlintError("RocksDB state backend: scan failed: " + it->status().ToString());
}

void RocksDbKeyedStateBackend::removeAll(int state) {
  rocksdb::WriteBatch batch;
  scan(state, [&](std::string_view userKey, std::string_view) {
    batch.Delete(dbKey(state, userKey));
    return true;
  });
  const rocksdb::Status s = impl_->db->Write(impl_->writeOptions, &batch);
  if (!s.ok()) throw GlintError("RocksDB state backend: delete failed: " + s.ToString());
}

size_t RocksDbKeyedStateBackend::countEntries(int state) const {
  size_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  std::string last;
  for (int kg = keyGroups_.first; kg <= keyGroups_.last; ++kg) {
    std::string prefix = keyGroupPrefix(kg);
    appendBigEndian16(prefix, state);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      ParsedKey pk;
      const std::string_view k(it->key().data(), it->key().size());
      if (!parseDbKey(k, &pk)) continue;
      const std::string_view entry = k.substr(0, pk.prefixSize);
      if (entry == last) continue;  // another user key of the same map entry
      last.assign(entry.data(), entry.size());
      ++n;
    }
  }
  return n;
}

// ---- checkpoints

std::unique_ptr<KeyedStateSnapshotTask> RocksDbKeyedStateBackend::snapshot(
    int64_t checkpointId, const SnapshotLocation& location) {
  Impl& impl = *impl_;
  if (location.savepoint || !impl.options.incremental)
    return std::make_unique<CanonicalRocksDbSnapshot>(impl.db.get(), impl.statesCopy(), keyGroups_,
                                                      ttlNow());
  const fs::path staging =
      impl.workDir / ("chk-" + std::to_string(checkpointId) + "-" + randomHex(4));
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(impl.db.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: always flush, so the SST files hold everything (no WAL).
  if (s.ok()) s = checkpoint->CreateCheckpoint(staging.string(), 0);
  if (!s.ok()) {
    // Reported by the task, so the checkpoint fails rather than the job.
    class Failed final : public KeyedStateSnapshotTask {
     public:
      explicit Failed(Status st) : st_(std::move(st)) {}
      Result<KeyedStateHandle> run() override { return st_; }

     private:
      Status st_;
    };
    return std::make_unique<Failed>(fromRocks(s, "creating a checkpoint in " + staging.string()));
  }
  std::map<std::string, std::string> confirmed;
  {
    std::lock_guard lock(impl.uploadsMutex);
    confirmed = impl.confirmedUploads;
  }
  return std::make_unique<NativeRocksDbSnapshot>(&impl, checkpointId, location, staging,
                                                 std::move(confirmed), keyGroups_);
}

void RocksDbKeyedStateBackend::notifyCheckpointComplete(int64_t checkpointId) {
  std::lock_guard lock(impl_->uploadsMutex);
  auto it = impl_->pendingUploads.find(checkpointId);
  if (it != impl_->pendingUploads.end() && checkpointId > impl_->lastCompleted) {
    // The completed checkpoint references every SST the database had then; older ones are
    // compacted away and their numbers never come back.
    impl_->confirmedUploads = std::move(it->second);
    impl_->lastCompleted = checkpointId;
  }
  impl_->pendingUploads.erase(impl_->pendingUploads.begin(),
                              impl_->pendingUploads.upper_bound(checkpointId));
}

void RocksDbKeyedStateBackend::notifyCheckpointAborted(int64_t checkpointId) {
  std::lock_guard lock(impl_->uploadsMutex);
  impl_->pendingUploads.erase(checkpointId);
}

Status RocksDbKeyedStateBackend::restore(const std::vector<KeyedStateHandle>& handles,
                                         const fs::path& checkpointRoot) {
  Impl& impl = *impl_;
  if (!states_.empty())
    return Status::internal("keyed state backend: restore() after states were registered");
  if (handles.size() == 1 && handles[0].kind == KeyedStateHandle::Kind::kNative &&
      handles[0].keyGroups.first == keyGroups_.first &&
      handles[0].keyGroups.last == keyGroups_.last) {
    // Same key groups: take the checkpoint's database as it is.
    GLINT_RETURN_IF_ERROR(fromRocks(impl.db->Close(), "closing"));
    impl.db.reset();
    std::error_code ec;
    fs::remove_all(impl.dbDir, ec);
    GLINT_RETURN_IF_ERROR(materialize(handles[0], checkpointRoot, impl.dbDir));
    GLINT_RETURN_IF_ERROR(impl.open());
    GLINT_RETURN_IF_ERROR(impl.loadStates());
    // Its SSTs are already in checkpoint storage: the next incremental checkpoint reuses them.
    std::lock_guard lock(impl.uploadsMutex);
    for (const NativeStateFile& f : handles[0].files)
      if (f.localName.ends_with(".sst")) impl.confirmedUploads[f.localName] = f.relativePath;
    return Status::ok();
  }
  for (const KeyedStateHandle& handle : handles) {
    if (handle.kind == KeyedStateHandle::Kind::kNative) {
      if (handle.keyGroups.last < keyGroups_.first || handle.keyGroups.first > keyGroups_.last)
        continue;
      auto blocks = readNative(handle, checkpointRoot, keyGroups_, impl.workDir);
      if (!blocks.isOk()) return blocks.status();
      GLINT_RETURN_IF_ERROR(impl.writeBlocks(*blocks, keyGroups_));
    } else {
      GLINT_RETURN_IF_ERROR(impl.writeBlocks(handle.blocks, keyGroups_));
    }
  }
  return Status::ok();
}

// ---- registration

namespace {

struct Registrar {
  Registrar() {
    registerKeyedStateBackendFactory(
        "rocksdb",
        [](const StateBackendOptions& options, KeyGroupRange keyGroups, int maxParallelism,
           const std::string& scopeName) -> Result<std::unique_ptr<KeyedStateBackend>> {
          auto backend =
              RocksDbKeyedStateBackend::create(options, keyGroups, maxParallelism, scopeName);
          if (!backend.isOk()) return backend.status();
          return std::unique_ptr<KeyedStateBackend>(std::move(backend).value());
        });
    registerNativeFileVerifier([](const KeyedStateHandle& handle, const fs::path& checkpointRoot) {
      // Every block of every SST is read and its checksum checked (RocksDB's own format).
      rocksdb::Options options;
      for (const NativeStateFile& f : handle.files) {
        if (fs::path(f.localName).extension() != ".sst") continue;
        const fs::path path = checkpointRoot / f.relativePath;
        rocksdb::SstFileReader reader(options);
        rocksdb::Status st = reader.Open(path.string());
        if (st.ok()) st = reader.VerifyChecksum();
        if (!st.ok())
          return Status::corruption("checkpoint file '" + path.string() + "' is corrupt: " + st.ToString());
      }
      return Status::ok();
    });
    registerNativeSnapshotReader([](const KeyedStateHandle& handle, const fs::path& checkpointRoot,
                                    KeyGroupRange keyGroups) {
      return readNative(handle, checkpointRoot, keyGroups, fs::temp_directory_path());
    });
  }
} registrar;

}  // namespace

}  // namespace glint
