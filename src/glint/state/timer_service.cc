#include "glint/state/timer_service.h"

#include <cstring>
#include <utility>

#include "glint/state/state_serializer.h"

namespace glint {

size_t TimerQueue::findSlot(int64_t time, std::string_view key, uint64_t hash,
                            StateNamespace ns) const {
  if (index_.empty()) return SIZE_MAX;
  size_t i = hash & mask_;
  for (;;) {
    const uint32_t s = index_[i];
    if (s == 0) return SIZE_MAX;
    const Node& n = nodes_[s - 1];
    if (n.hash == hash && n.timer.time == time && n.timer.ns == ns && bytesEqual(n.timer.key, key))
      return i;
    i = (i + 1) & mask_;
  }
}

bool TimerQueue::insert(int64_t time, std::string_view key, uint64_t keyHash, int keyGroup,
                        StateNamespace ns) {
  const uint64_t hash = hashOf(time, keyHash, ns);
  if (findSlot(time, key, hash, ns) != SIZE_MAX) return false;
  if ((size_ + 1) * 2 > index_.size()) growIndex();
  uint32_t node;
  if (!freeNodes_.empty()) {
    node = freeNodes_.back();
    freeNodes_.pop_back();
  } else {
    node = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
  }
  Node& n = nodes_[node];
  n.timer.time = time;
  n.timer.key.assign(key.data(), key.size());
  n.timer.keyGroup = keyGroup;
  n.timer.ns = ns;
  n.hash = hash;
  n.dead = false;
  size_t i = hash & mask_;
  while (index_[i] != 0) i = (i + 1) & mask_;
  index_[i] = node + 1;
  ++size_;
  heap_.push_back(HeapItem{time, node});
  n.heapPos = static_cast<uint32_t>(heap_.size() - 1);
  siftUp(heap_.size() - 1);
  return true;
}

bool TimerQueue::erase(int64_t time, std::string_view key, uint64_t keyHash, StateNamespace ns) {
  const size_t slot = findSlot(time, key, hashOf(time, keyHash, ns), ns);
  if (slot == SIZE_MAX) return false;
  const uint32_t node = index_[slot] - 1;
  eraseSlot(slot);
  --size_;
  Node& n = nodes_[node];
  if (n.heapPos == kInBatch) {
    n.dead = true;  // fireUpTo frees it when it gets there
  } else {
    removeFromHeap(n.heapPos);
    freeNodes_.push_back(node);
  }
  return true;
}

void TimerQueue::takeDue(std::vector<uint32_t>& batch) {
  batch.clear();
  const int64_t time = heap_[0].time;
  while (!heap_.empty() && heap_[0].time == time) {
    const uint32_t node = heap_[0].node;
    removeFromHeap(0);
    nodes_[node].heapPos = kInBatch;
    batch.push_back(node);
  }
  if (batch.size() <= 1) return;
  // Sort by (ns, key) with the key's first 8 bytes as a big-endian integer, so that most
  // comparisons are integer ones; equal prefixes compare the whole keys.
  sortScratch_.clear();
  for (uint32_t node : batch) {
    const Timer& t = nodes_[node].timer;
    uint64_t prefix = 0;
    std::memcpy(&prefix, t.key.data(), std::min<size_t>(8, t.key.size()));
    sortScratch_.push_back(SortItem{t.ns, __builtin_bswap64(prefix), node});
  }
  std::sort(sortScratch_.begin(), sortScratch_.end(), [this](const SortItem& a, const SortItem& b) {
    if (!(a.ns == b.ns)) return a.ns < b.ns;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return nodes_[a.node].timer.key < nodes_[b.node].timer.key;
  });
  for (size_t i = 0; i < batch.size(); ++i) batch[i] = sortScratch_[i].node;
}

void TimerQueue::siftUp(size_t pos) {
  const HeapItem item = heap_[pos];
  while (pos > 0) {
    const size_t parent = (pos - 1) / 2;
    if (!(item.time < heap_[parent].time)) break;
    place(pos, heap_[parent]);
    pos = parent;
  }
  place(pos, item);
}

void TimerQueue::siftDown(size_t pos) {
  const HeapItem item = heap_[pos];
  const size_t n = heap_.size();
  for (;;) {
    size_t child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1].time < heap_[child].time) ++child;
    if (!(heap_[child].time < item.time)) break;
    place(pos, heap_[child]);
    pos = child;
  }
  place(pos, item);
}

void TimerQueue::removeFromHeap(size_t pos) {
  const size_t last = heap_.size() - 1;
  if (pos != last) {
    place(pos, heap_[last]);
    heap_.pop_back();
    if (pos > 0 && heap_[pos].time < heap_[(pos - 1) / 2].time)
      siftUp(pos);
    else
      siftDown(pos);
  } else {
    heap_.pop_back();
  }
}

void TimerQueue::eraseSlot(size_t slot) {
  // Backward-shift deletion (no tombstones).
  size_t i = slot;
  size_t j = slot;
  for (;;) {
    j = (j + 1) & mask_;
    const uint32_t s = index_[j];
    if (s == 0) break;
    const size_t home = nodes_[s - 1].hash & mask_;
    const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    index_[i] = s;
    i = j;
  }
  index_[i] = 0;
}

void TimerQueue::growIndex() {
  const size_t capacity = index_.empty() ? 16 : index_.size() * 2;
  std::vector<uint32_t> old;
  old.swap(index_);
  index_.assign(capacity, 0u);
  mask_ = capacity - 1;
  for (uint32_t s : old) {
    if (s == 0) continue;
    size_t i = nodes_[s - 1].hash & mask_;
    while (index_[i] != 0) i = (i + 1) & mask_;
    index_[i] = s;
  }
}

namespace {
constexpr uint8_t kTimerFormatVersion = 1;
}  // namespace

std::vector<KeyGroupBlock> TimerService::snapshotTimers() const {
  const KeyGroupRange range = backend_->keyGroups();
  struct Group {
    std::string timers[2];
    uint64_t counts[2] = {0, 0};
  };
  std::vector<Group> groups(static_cast<size_t>(range.size()));
  const TimerQueue* queues[2] = {&eventTimers_, &processingTimers_};
  for (int domain = 0; domain < 2; ++domain) {
    queues[domain]->forEach([&](const Timer& t) {
      GLINT_CHECK(range.contains(t.keyGroup));
      Group& g = groups[static_cast<size_t>(t.keyGroup - range.first)];
      std::string& out = g.timers[domain];
      writeFixed(out, t.time);
      writeBytes(out, t.key);
      writeFixed(out, t.ns.first);
      writeFixed(out, t.ns.second);
      ++g.counts[domain];
    });
  }
  std::vector<KeyGroupBlock> blocks;
  for (size_t i = 0; i < groups.size(); ++i) {
    const Group& g = groups[i];
    if (g.counts[0] == 0 && g.counts[1] == 0) continue;
    KeyGroupBlock block{range.first + static_cast<int>(i), {}};
    block.bytes.push_back(static_cast<char>(kTimerFormatVersion));
    for (int domain = 0; domain < 2; ++domain) {
      writeVarint(block.bytes, g.counts[domain]);
      block.bytes += g.timers[domain];
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

Status TimerService::restoreTimers(const std::vector<KeyGroupBlock>& blocks) {
  const KeyGroupRange range = backend_->keyGroups();
  for (const KeyGroupBlock& block : blocks) {
    if (!range.contains(block.keyGroup)) continue;
    const std::string where = "timers of key group " + std::to_string(block.keyGroup);
    BinaryReader in(block.bytes);
    uint8_t version;
    if (!in.read(&version)) return Status::corruption(where + ": empty block");
    if (version != kTimerFormatVersion)
      return Status::corruption(where + ": format version " + std::to_string(version) +
                                ", expected " + std::to_string(kTimerFormatVersion));
    TimerQueue* queues[2] = {&eventTimers_, &processingTimers_};
    for (int domain = 0; domain < 2; ++domain) {
      uint64_t count;
      if (!readVarint(in, &count)) return Status::corruption(where + ": truncated count");
      for (uint64_t i = 0; i < count; ++i) {
        int64_t time;
        std::string_view key;
        StateNamespace ns;
        if (!in.read(&time) || !readBytes(in, &key) || !in.read(&ns.first) || !in.read(&ns.second))
          return Status::corruption(where + ": timer " + std::to_string(i) + " of " +
                                    std::to_string(count) + " is truncated");
        queues[domain]->insert(time, key, hashBytes(key), block.keyGroup, ns);
      }
    }
    if (!in.atEnd()) return Status::corruption(where + ": unexpected bytes after the timers");
  }
  return Status::ok();
}

}  // namespace glint
