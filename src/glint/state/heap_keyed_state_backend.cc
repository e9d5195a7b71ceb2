#include "glint/state/heap_keyed_state_backend.h"

#include "glint/state/canonical_format.h"
#include "glint/state/state_backend.h"

namespace glint {

std::vector<KeyGroupBlock> HeapKeyedStateBackend::snapshotKeyGroups() const {
  const int64_t now = ttlNow();
  std::vector<KeyGroupBlock> blocks;
  KeyGroupBlockWriter writer;
  std::string entries;
  for (int kg = keyGroups_.first; kg <= keyGroups_.last; ++kg) {
    // Registered and still-pending states have distinct names: merge both in name order so
    // the bytes do not depend on registration order.
    auto r = registered_.begin();
    auto p = pending_.begin();
    while (r != registered_.end() || p != pending_.end()) {
      if (p == pending_.end() || (r != registered_.end() && r->first < p->first)) {
        entries.clear();
        const size_t n = r->second.state->writeKeyGroup(kg, now, entries);
        if (n > 0) writer.addSection(r->first, r->second.kind, r->second.ttl, n, entries);
        ++r;
      } else {
        auto section = p->second.find(kg);
        if (section != p->second.end())
          writer.addSection(p->first, section->second.kind, section->second.ttl,
                            section->second.numEntries, section->second.entries);
        ++p;
      }
    }
    if (!writer.empty()) blocks.push_back(KeyGroupBlock{kg, writer.finish()});
  }
  return blocks;
}

std::unique_ptr<KeyedStateSnapshotTask> HeapKeyedStateBackend::snapshot(
    int64_t checkpointId, const SnapshotLocation& location) {
  KeyedStateHandle handle;
  handle.kind = KeyedStateHandle::Kind::kCanonical;
  handle.keyGroups = keyGroups_;
  handle.blocks = snapshotKeyGroups();
  for (const auto& b : handle.blocks) handle.bytesWritten += b.bytes.size();
  return std::make_unique<CompletedKeyedStateSnapshot>(std::move(handle));
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
    registered_[name] = Registered{kind, ttl.enabled(), heapState};
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
  registered_[name] = Registered{kind, ttl.enabled(), heapState};
}

}  // namespace glint
