#pragma once
// Event-time and processing-time timers of one keyed operator instance, scoped by key and
// namespace like state. Registering the same (time, key, namespace) twice keeps one timer.
//
// Each domain is a TimerQueue: an indexed binary heap ordered by time, plus an open-addressing
// hash index over (time, key, namespace) for deduplication and deletion (as Flink's
// HeapPriorityQueueSet). Firing takes all timers of the earliest time at once and sorts them by
// (namespace, key), so timers fire in (time, namespace, key) order while heap operations only
// compare integers (a window operator's timers mostly share a few times). Timers live in a
// slab of reused nodes: registering, deleting and firing allocate nothing once warmed up (a
// key longer than std::string's inline buffer may allocate once per node).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "glint/state/keyed_state.h"
#include "glint/state/state_snapshot.h"

namespace glint {

struct Timer {
  int64_t time;
  std::string key;
  int keyGroup;
  StateNamespace ns;
};

// Orders timers by (time, namespace, key): the order in which they fire.
struct TimerOrder {
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    if (a.time != b.time) return a.time < b.time;
    if (!(a.ns == b.ns)) return a.ns < b.ns;
    return std::string_view(a.key) < std::string_view(b.key);
  }
};

class TimerQueue {
 public:
  // Adds the timer unless it exists; returns true when it was added.
  bool insert(int64_t time, std::string_view key, uint64_t keyHash, int keyGroup,
              StateNamespace ns);
  // Removes the timer if it exists (also one that is due in the current fireUpTo and has not
  // fired yet); returns true when it did.
  bool erase(int64_t time, std::string_view key, uint64_t keyHash, StateNamespace ns);
  bool contains(int64_t time, std::string_view key, uint64_t keyHash, StateNamespace ns) const {
    return findSlot(time, key, hashOf(time, keyHash, ns), ns) != SIZE_MAX;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // The time of the earliest timer not being fired, or INT64_MAX.
  int64_t earliestTime() const { return heap_.empty() ? INT64_MAX : heap_[0].time; }
  // Fires (removes, then calls fire(const Timer&)) every timer at or before `limit` in
  // (time, namespace, key) order. Timers registered meanwhile at or before `limit` fire too
  // (those at the time being fired after the ones already due).
  template <class Fire>
  void fireUpTo(int64_t limit, Fire&& fire);
  // Visits every registered timer (also due ones not fired yet), in no particular order.
  template <class Visit>
  void forEach(Visit&& visit) const {
    for (uint32_t s : index_)
      if (s != 0) visit(static_cast<const Timer&>(nodes_[s - 1].timer));
  }

 private:
  static constexpr uint32_t kInBatch = UINT32_MAX;  // heapPos of a due timer taken off the heap
  struct Node {
    Timer timer;
    uint64_t hash = 0;
    uint32_t heapPos = 0;
    bool dead = false;  // deleted while due (freed when the batch reaches it)
  };
  struct HeapItem {
    int64_t time;
    uint32_t node;
  };
  static uint64_t hashOf(int64_t time, uint64_t keyHash, StateNamespace ns) {
    uint64_t h = keyHash ^ (static_cast<uint64_t>(time) * 0x9e3779b97f4a7c15ULL) ^
                 (static_cast<uint64_t>(ns.first) * 0xc2b2ae3d27d4eb4fULL) ^
                 (static_cast<uint64_t>(ns.second) * 0x165667b19e3779f9ULL);
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
  }
  void place(size_t pos, HeapItem item) {
    heap_[pos] = item;
    nodes_[item.node].heapPos = static_cast<uint32_t>(pos);
  }
  void siftUp(size_t pos);
  void siftDown(size_t pos);
  void removeFromHeap(size_t pos);
  // Takes every timer of the earliest time off the heap into `batch`, sorted by (ns, key).
  void takeDue(std::vector<uint32_t>& batch);
  // Slot of the timer in index_, or SIZE_MAX.
  size_t findSlot(int64_t time, std::string_view key, uint64_t hash, StateNamespace ns) const;
  void eraseSlot(size_t slot);
  void growIndex();

  std::vector<Node> nodes_;
  std::vector<uint32_t> freeNodes_;
  std::vector<HeapItem> heap_;
  std::vector<uint32_t> index_;  // node id + 1, 0 = empty; size is a power of two
  size_t mask_ = 0;
  size_t size_ = 0;  // registered timers (in the heap or due and not fired yet)
  std::vector<uint32_t> batchScratch_;
  struct SortItem {
    StateNamespace ns;
    uint64_t prefix;
    uint32_t node;
  };
  std::vector<SortItem> sortScratch_;
};

template <class Fire>
void TimerQueue::fireUpTo(int64_t limit, Fire&& fire) {
  std::vector<uint32_t> batch;
  batch.swap(batchScratch_);  // (fire must not call fireUpTo, but stay safe if it does)
  Timer t{0, std::string(), 0, kVoidNamespace};
  while (!heap_.empty() && heap_[0].time <= limit) {
    takeDue(batch);
    for (uint32_t node : batch) {
      Node& n = nodes_[node];
      if (!n.dead) {
        eraseSlot(findSlot(n.timer.time, n.timer.key, n.hash, n.timer.ns));
        --size_;
        t.time = n.timer.time;
        t.key.swap(n.timer.key);  // the node keeps t's old buffer for its next key
        t.keyGroup = n.timer.keyGroup;
        t.ns = n.timer.ns;
      }
      const bool fires = !n.dead;
      n.dead = false;
      freeNodes_.push_back(node);
      if (fires) fire(static_cast<const Timer&>(t));
    }
  }
  batch.clear();
  batchScratch_.swap(batch);
}

class TimerService {
 public:
  explicit TimerService(KeyedStateBackend* backend) : backend_(backend) {}

  // For the backend's current key, with the given namespace.
  void registerEventTimeTimer(StateNamespace ns, int64_t time) { insert(eventTimers_, ns, time); }
  void deleteEventTimeTimer(StateNamespace ns, int64_t time) { erase(eventTimers_, ns, time); }
  // Returns true when this timer is earlier than every other processing-time timer (the
  // operator then asks its task for a callback).
  bool registerProcessingTimeTimer(StateNamespace ns, int64_t time) {
    const bool earliest = processingTimers_.empty() || time < processingTimers_.earliestTime();
    insert(processingTimers_, ns, time);
    return earliest;
  }
  void deleteProcessingTimeTimer(StateNamespace ns, int64_t time) {
    erase(processingTimers_, ns, time);
  }

  // Fires, in time order, every event-time timer at or before `watermark`; the backend's
  // current key and namespace are set to the timer's before `fire` is called. Timers that
  // `fire` registers at or before `watermark` fire in the same call.
  void advanceWatermark(int64_t watermark, const std::function<void(const Timer&)>& fire) {
    fireUpTo(eventTimers_, watermark, fire);
  }
  void advanceProcessingTime(int64_t now, const std::function<void(const Timer&)>& fire) {
    fireUpTo(processingTimers_, now, fire);
  }
  int64_t nextProcessingTime() const { return processingTimers_.earliestTime(); }
  size_t numEventTimers() const { return eventTimers_.size(); }
  size_t numProcessingTimers() const { return processingTimers_.size(); }

  // Checkpoints: the timers of both domains, one block per key group of the backend's range
  // that has timers. Block layout (version 1): u8 version, then for event time and processing
  // time: varint count, count x (i64 time, varint key length, key, i64 ns first, i64 ns second).
  std::vector<KeyGroupBlock> snapshotTimers() const;
  // Adds the timers of the blocks whose key group is in the backend's range (others are
  // skipped). After restoring, processing-time timers need a callback from the task
  // (nextProcessingTime()).
  Status restoreTimers(const std::vector<KeyGroupBlock>& blocks);

 private:
  void insert(TimerQueue& timers, StateNamespace ns, int64_t time) {
    timers.insert(time, backend_->currentKey(), backend_->currentKeyHash(),
                  backend_->currentKeyGroup(), ns);
  }
  void erase(TimerQueue& timers, StateNamespace ns, int64_t time) {
    timers.erase(time, backend_->currentKey(), backend_->currentKeyHash(), ns);
  }
  void fireUpTo(TimerQueue& timers, int64_t limit, const std::function<void(const Timer&)>& fire) {
    timers.fireUpTo(limit, [&](const Timer& t) {
      backend_->setCurrentKey(t.key, t.keyGroup);
      backend_->setCurrentNamespace(t.ns);
      fire(t);
    });
  }
  KeyedStateBackend* backend_;
  TimerQueue eventTimers_;
  TimerQueue processingTimers_;
};

}  // namespace glint
