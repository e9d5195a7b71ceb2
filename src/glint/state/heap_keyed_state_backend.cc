#include "glint/state/heap_keyed_state_backend.h"

#include <mutex>

#include "glint/state/canonical_format.h"
#include "glint/state/state_backend.h"

namespace glint {

namespace {

// The canonical block of one key group ("" when it has no entries): registered states and
// restored-but-unregistered ones merged in name order, so the bytes do not depend on the order
// of registration.
std::string writeKeyGroupBlock(int keyGroup, int64_t now,
                               const std::vector<HeapKeyedStateBackend::RegisteredState>& states,
                               const HeapKeyedStateBackend::PendingSections& pending) {
  KeyGroupBlockWriter writer;
  std::string entries;
  auto r = states.begin();
  auto p = pending.begin();
  while (r != states.end() || p != pending.end()) {
    if (p == pending.end() || (r != states.end() && r->name < p->first)) {
      entries.clear();
      const size_t n = r->state->writeKeyGroup(keyGroup, now, entries);
      if (n > 0) writer.addSection(r->name, r->kind, r->ttl, n, entries);
      ++r;
    } else {
      auto section = p->second.find(keyGroup);
      if (section != p->second.end())
        writer.addSection(p->first, section->second.kind, section->second.ttl,
                          section->second.numEntries, section->second.entries);
      ++p;
    }
  }
  return writer.empty() ? std::string() : writer.finish();
}

}  // namespace

struct HeapKeyedStateBackend::SnapshotJob {
  SnapshotJob(KeyGroupRange range, int64_t now, std::vector<RegisteredState> states,
              PendingSections pending)
      : range(range),
        now(now),
        states(std::move(states)),
        pending(std::move(pending)),
        blocks(static_cast<size_t>(range.size())),
        done(static_cast<size_t>(range.size()), 0),
        frozen(std::make_unique<std::atomic<uint8_t>[]>(static_cast<size_t>(range.size()))) {
    for (int i = 0; i < range.size(); ++i) frozen[i].store(1, std::memory_order_relaxed);
  }
  // Serializes a key group unless that is done; the caller holds `mutex`.
  void serialize(int keyGroup) {
    const size_t i = static_cast<size_t>(keyGroup - range.first);
    if (done[i]) return;
    if (!abandoned) blocks[i] = writeKeyGroupBlock(keyGroup, now, states, pending);
    done[i] = 1;
    frozen[i].store(0, std::memory_order_release);  // the task thread may write it from now on
  }
  void finishAll() {
    std::lock_guard lock(mutex);
    for (int kg = range.first; kg <= range.last; ++kg) serialize(kg);
  }

  std::mutex mutex;
  const KeyGroupRange range;
  const int64_t now;
  const std::vector<RegisteredState> states;  // as registered at the barrier
  const PendingSections pending;
  std::vector<std::string> blocks;
  std::vector<uint8_t> done;
  std::unique_ptr<std::atomic<uint8_t>[]> frozen;
  bool abandoned = false;  // the task was dropped without running: nothing to serialize
};

namespace {

class HeapSnapshotTask final : public KeyedStateSnapshotTask {
 public:
  explicit HeapSnapshotTask(std::shared_ptr<HeapKeyedStateBackend::SnapshotJob> job)
      : job_(std::move(job)) {}
  ~HeapSnapshotTask() override {
    std::lock_guard lock(job_->mutex);
    job_->abandoned = true;
    for (int kg = job_->range.first; kg <= job_->range.last; ++kg) job_->serialize(kg);
  }
  Result<KeyedStateHandle> run() override {
    // One key group at a time, so the task thread waits at most for one when it needs one.
    for (int kg = job_->range.first; kg <= job_->range.last; ++kg) {
      std::lock_guard lock(job_->mutex);
      job_->serialize(kg);
    }
    KeyedStateHandle handle;
    handle.kind = KeyedStateHandle::Kind::kCanonical;
    handle.keyGroups = job_->range;
    std::lock_guard lock(job_->mutex);
    for (int i = 0; i < job_->range.size(); ++i) {
      std::string& bytes = job_->blocks[static_cast<size_t>(i)];
      if (bytes.empty()) continue;
      handle.bytesWritten += bytes.size();
      handle.blocks.push_back(KeyGroupBlock{job_->range.first + i, std::move(bytes)});
    }
    return handle;
  }

 private:
  std::shared_ptr<HeapKeyedStateBackend::SnapshotJob> job_;
};

}  // namespace

HeapKeyedStateBackend::~HeapKeyedStateBackend() {
  frozen_ = nullptr;
}

std::vector<HeapKeyedStateBackend::RegisteredState> HeapKeyedStateBackend::registeredStates()
    const {
  std::vector<RegisteredState> out;
  for (const auto& [name, r] : registered_) out.push_back(r);
  return out;
}

std::vector<KeyGroupBlock> HeapKeyedStateBackend::snapshotKeyGroups() const {
  if (job_) job_->finishAll();  // key groups must not be frozen while we read them here
  const int64_t now = ttlNow();
  const std::vector<RegisteredState> states = registeredStates();
  std::vector<KeyGroupBlock> blocks;
  for (int kg = keyGroups_.first; kg <= keyGroups_.last; ++kg) {
    std::string bytes = writeKeyGroupBlock(kg, now, states, pending_);
    if (!bytes.empty()) blocks.push_back(KeyGroupBlock{kg, std::move(bytes)});
  }
  return blocks;
}

std::unique_ptr<KeyedStateSnapshotTask> HeapKeyedStateBackend::snapshot(
    int64_t checkpointId, const SnapshotLocation& location) {
  // A previous snapshot still running keeps its barrier's view: finish its key groups first.
  if (job_) job_->finishAll();
  job_ = std::make_shared<SnapshotJob>(keyGroups_, ttlNow(), registeredStates(), pending_);
  frozen_ = job_->frozen.get();
  ++version_;  // states drop their cached entries, so their next access checks the flags
  return std::make_unique<HeapSnapshotTask>(job_);
}

void HeapKeyedStateBackend::thawKeyGroup(int keyGroup) const {
  std::lock_guard lock(job_->mutex);
  job_->serialize(keyGroup);
}

Status HeapKeyedStateBackend::restore(const std::vector<KeyedStateHandle>& handles,
                                      const std::filesystem::path& checkpointRoot) {
  if (!states_.empty())
    return Status::internal("keyed state backend: restore() after states were registered");
  auto take = [&](const KeyGroupBlock& block) -> Status {
    if (!keyGroups_.contains(block.keyGroup)) return Status::ok();
    auto sections = parseKeyGroupBlock(block);
    if (!sections.isOk()) return sections.status();
    for (const CanonicalSection& s : *sections) {
      PendingSection& p = pending_[s.name][block.keyGroup];
      if (p.numEntries > 0 && (p.kind != s.kind || p.ttl != s.ttl))
        return Status::corruption("keyed state snapshot, key group " +
                                  std::to_string(block.keyGroup) + ": state '" + s.name +
                                  "' appears with two different kinds");
      p.kind = s.kind;
      p.ttl = s.ttl;
      p.numEntries += s.numEntries;
      p.entries.append(s.entries.data(), s.entries.size());
    }
    return Status::ok();
  };
  for (const KeyedStateHandle& handle : handles) {
    if (handle.kind == KeyedStateHandle::Kind::kNative) {
      auto blocks = readNativeSnapshot(handle, checkpointRoot, keyGroups_);
      if (!blocks.isOk()) return blocks.status();
      for (const KeyGroupBlock& b : *blocks) GLINT_RETURN_IF_ERROR(take(b));
    } else {
      for (const KeyGroupBlock& b : handle.blocks) GLINT_RETURN_IF_ERROR(take(b));
    }
  }
  return Status::ok();
}

void HeapKeyedStateBackend::onStateCreated(const std::string& name, StateKind kind,
                                           const StateTtlConfig& ttl, StateBase* state) {
  auto* heapState = static_cast<HeapStateBase*>(state);
  auto it = pending_.find(name);
  if (it == pending_.end()) {
    registered_[name] = RegisteredState{name, kind, ttl.enabled(), heapState};
    return;
  }
  for (const auto& [kg, section] : it->second) {
    if (!sameStateStorage(section.kind, kind))
      throw GlintError("state '" + name + "' was restored as " + stateKindName(section.kind) +
                       " state and is registered as " + stateKindName(kind) + " state");
    if (section.ttl != ttl.enabled())
      throw GlintError("state '" + name + "' was restored with TTL " +
                       (section.ttl ? "on" : "off") + " and is registered with TTL " +
                       (ttl.enabled() ? "on" : "off") +
                       " (changing TTL of existing state is not supported, as in Flink)");
    CanonicalSection view{name, section.kind, section.ttl, section.numEntries, section.entries};
    if (!heapState->restoreEntries(kg, view))
      throw GlintError("state '" + name + "': restored entries of key group " + std::to_string(kg) +
                       " do not deserialize as the registered type");
  }
  pending_.erase(it);
  registered_[name] = RegisteredState{name, kind, ttl.enabled(), heapState};
}

}  // namespace glint
