#pragma once
// The heap state backend's table for one key group: (key bytes, namespace) -> V.
//
// Open addressing with linear probing; the entries are stored in the probe array itself, so a
// lookup that finds its entry touches one cache line (for small values: an entry of a BIGINT
// key and an 8-byte value is 64 bytes, aligned to a line), and a miss rarely more than two.
// An entry's hash is never 0; 0 marks an empty slot. The table grows at 3/4 load (about as
// much memory per entry as a node-based map). Erase closes the gap by backward shifting
// (no tombstones). Keys are std::string, which holds short keys (up to 15 bytes: every BIGINT
// key) without allocating.
//
// The hash is computed by the caller (StateMap::hashOf) from the key's hashBytes, which the
// state backend computes once per current key, and the namespace. Every key of one key group
// has the same hashBytes modulo max parallelism, so hashOf remixes all bits.
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glint/common/status.h"

namespace glint {

// The namespace of a state entry or timer: {0, 0} for none, {start, end} for a time window.
struct StateNamespace {
  int64_t first = 0;
  int64_t second = 0;
  bool operator==(const StateNamespace& o) const { return first == o.first && second == o.second; }
  bool operator<(const StateNamespace& o) const {
    return first != o.first ? first < o.first : second < o.second;
  }
};
constexpr StateNamespace kVoidNamespace{};

// a == b for short byte strings (keys are mostly 9 bytes) without a call to memcmp.
inline bool bytesEqual(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    uint64_t a0, b0, a1, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  return n == 0 || std::memcmp(a.data(), b.data(), n) == 0;
}

template <class V>
class StateMap {
  struct SlotFields {
    uint64_t hash;
    StateNamespace ns;
    std::string key;
    union {
      V value;
    };
  };
  static constexpr size_t kSlotAlign = sizeof(SlotFields) <= 64 ? 64 : alignof(SlotFields);

 public:
  // One slot: empty (hash == 0) or an entry.
  struct alignas(kSlotAlign) Entry {
    uint64_t hash = 0;
    StateNamespace ns;
    std::string key;
    union {
      V value;
    };
    Entry() {}
    ~Entry() {
      if (hash != 0) value.~V();
    }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
  };
  static constexpr int64_t kAbsent = -1;

  StateMap() = default;
  StateMap(StateMap&& o) noexcept { swap(o); }
  StateMap& operator=(StateMap&& o) noexcept {
    swap(o);
    return *this;
  }

  // The hash of (key, namespace) from the key's hashBytes (never 0).
  static uint64_t hashOf(uint64_t keyHash, StateNamespace ns) {
    uint64_t h = keyHash ^ (static_cast<uint64_t>(ns.first) * 0x9e3779b97f4a7c15ULL) ^
                 (static_cast<uint64_t>(ns.second) * 0xc2b2ae3d27d4eb4fULL);
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h == 0 ? 1 : h;
  }

  // Position of the entry, or kAbsent; *slotOut (if given) is where it would be inserted.
  int64_t find(std::string_view key, StateNamespace ns, uint64_t hash, size_t* slotOut = nullptr) const {
    if (capacity_ == 0) {
      if (slotOut) *slotOut = SIZE_MAX;
      return kAbsent;
    }
    size_t i = hash & mask_;
    for (;;) {
      const Entry& e = slots_[i];
      if (e.hash == 0) {
        if (slotOut) *slotOut = i;
        return kAbsent;
      }
      if (e.hash == hash && e.ns == ns && bytesEqual(e.key, key)) {
        if (slotOut) *slotOut = i;
        return static_cast<int64_t>(i);
      }
      i = (i + 1) & mask_;
    }
  }

  // Adds an entry that is not in the map; `slot` from a find() with no modification since
  // (SIZE_MAX: look it up). Returns its position.
  template <class... Args>
  size_t insert(std::string_view key, StateNamespace ns, uint64_t hash, size_t slot, Args&&... value) {
    if ((size_ + 1) * 4 > capacity_ * 3) {
      grow();
      slot = SIZE_MAX;
    }
    if (slot == SIZE_MAX) {
      slot = hash & mask_;
      while (slots_[slot].hash != 0) slot = (slot + 1) & mask_;
    }
    Entry& e = slots_[slot];
    new (&e.value) V(std::forward<Args>(value)...);
    e.hash = hash;
    e.ns = ns;
    e.key.assign(key.data(), key.size());
    ++size_;
    ++mods_;
    return slot;
  }

  // Removes the entry at `pos` (from find()).
  void eraseAt(size_t pos) {
    Entry& victim = slots_[pos];
    victim.value.~V();
    victim.hash = 0;
    // Backward-shift deletion: move later members of the probe run into the hole when their
    // home slot is not between the hole and them.
    size_t i = pos;
    size_t j = pos;
    for (;;) {
      j = (j + 1) & mask_;
      Entry& s = slots_[j];
      if (s.hash == 0) break;
      const size_t home = s.hash & mask_;
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (stays) continue;
      moveEntry(slots_[i], s);
      i = j;
    }
    --size_;
    ++mods_;
  }

  Entry& at(size_t pos) { return slots_[pos]; }
  const Entry& at(size_t pos) const { return slots_[pos]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Changes whenever an insert or erase may have moved entries.
  uint64_t modifications() const { return mods_; }
  // Visits every entry (key, namespace, value), in no particular order (e.g. for a snapshot
  // of the key group).
  template <class F>
  void forEach(F&& visit) const {
    for (size_t i = 0; i < capacity_; ++i)
      if (slots_[i].hash != 0) visit(slots_[i]);
  }
  void clear() {
    slots_.reset();
    capacity_ = 0;
    mask_ = 0;
    size_ = 0;
    ++mods_;
  }
  size_t capacity() const { return capacity_; }

 private:
  // Moves the entry `from` into the empty slot `to` and leaves `from` empty.
  static void moveEntry(Entry& to, Entry& from) {
    new (&to.value) V(std::move(from.value));
    from.value.~V();
    to.hash = from.hash;
    to.ns = from.ns;
    to.key.swap(from.key);
    from.hash = 0;
  }
  void grow() {
    const size_t capacity = capacity_ == 0 ? 8 : capacity_ * 2;
    std::unique_ptr<Entry[]> old = std::move(slots_);
    const size_t oldCapacity = capacity_;
    slots_ = std::make_unique<Entry[]>(capacity);
    capacity_ = capacity;
    mask_ = capacity - 1;
    for (size_t k = 0; k < oldCapacity; ++k) {
      Entry& e = old[k];
      if (e.hash == 0) continue;
      size_t i = e.hash & mask_;
      while (slots_[i].hash != 0) i = (i + 1) & mask_;
      moveEntry(slots_[i], e);
    }
    ++mods_;
  }
  void swap(StateMap& o) noexcept {
    std::swap(slots_, o.slots_);
    std::swap(capacity_, o.capacity_);
    std::swap(mask_, o.mask_);
    std::swap(size_, o.size_);
    std::swap(mods_, o.mods_);
  }

  std::unique_ptr<Entry[]> slots_;
  size_t capacity_ = 0;
  size_t mask_ = 0;
  size_t size_ = 0;
  uint64_t mods_ = 0;
};

}  // namespace glint
