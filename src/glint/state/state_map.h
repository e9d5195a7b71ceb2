#pragma once
// The heap state backend's table for one key group: (key bytes, namespace) -> V.
//
// Open addressing with linear probing over an index of 8-byte slots; the entries themselves
// are kept densely in a vector (so a snapshot can walk them in one pass and the probe sequence
// touches only the small slots):
//   slot = (upper 32 bits of the hash) << 32 | (entry position + 1), 0 = empty.
// A lookup compares the slot's hash bits first and only then the entry's namespace and key,
// so a miss rarely touches an entry. Erase moves the last entry into the hole (dense entries)
// and closes the gap in the slots by backward shifting (no tombstones). Keys are std::string,
// which holds short keys (up to 15 bytes: every BIGINT key) without allocating.
//
// The hash is computed by the caller (StateMap::hashOf) from the key's hashBytes, which the
// state backend computes once per current key, and the namespace. Every key of one key group
// has the same hashBytes modulo max parallelism, so hashOf remixes all bits.
#include <cstdint>
#include <cstring>
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
 public:
  struct Entry {
    uint64_t hash;
    StateNamespace ns;
    std::string key;
    V value;
  };
  static constexpr int64_t kAbsent = -1;

  // The hash of (key, namespace) from the key's hashBytes.
  static uint64_t hashOf(uint64_t keyHash, StateNamespace ns) {
    uint64_t h = keyHash ^ (static_cast<uint64_t>(ns.first) * 0x9e3779b97f4a7c15ULL) ^
                 (static_cast<uint64_t>(ns.second) * 0xc2b2ae3d27d4eb4fULL);
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
  }

  // Position of the entry, or kAbsent; *slotOut (if given) is the slot where it is or where it
  // would be inserted.
  int64_t find(std::string_view key, StateNamespace ns, uint64_t hash, size_t* slotOut = nullptr) const {
    if (slots_.empty()) {
      if (slotOut) *slotOut = SIZE_MAX;
      return kAbsent;
    }
    const uint64_t tag = hash & kTagMask;
    size_t i = hash & mask_;
    for (;;) {
      const uint64_t s = slots_[i];
      if (s == 0) {
        if (slotOut) *slotOut = i;
        return kAbsent;
      }
      if ((s & kTagMask) == tag) {
        const size_t pos = (s & kPosMask) - 1;
        const Entry& e = entries_[pos];
        if (e.hash == hash && e.ns == ns && bytesEqual(e.key, key)) {
          if (slotOut) *slotOut = i;
          return static_cast<int64_t>(pos);
        }
      }
      i = (i + 1) & mask_;
    }
  }

  // Adds an entry that is not in the map; `slot` from a find() with no modification since
  // (SIZE_MAX: look it up). Returns its position.
  template <class... Args>
  size_t insert(std::string_view key, StateNamespace ns, uint64_t hash, size_t slot, Args&&... value) {
    if ((entries_.size() + 1) * 2 > slots_.size()) {
      grow();
      slot = SIZE_MAX;
    }
    if (slot == SIZE_MAX) {
      slot = hash & mask_;
      while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    }
    const size_t pos = entries_.size();
    entries_.push_back(Entry{hash, ns, std::string(key), V(std::forward<Args>(value)...)});
    GLINT_CHECK(pos + 1 <= kPosMask);
    slots_[slot] = (hash & kTagMask) | (pos + 1);
    ++mods_;
    return pos;
  }

  // Removes the entry at `pos` (from find()).
  void eraseAt(size_t pos) {
    const size_t hole = slotOf(pos);
    const size_t last = entries_.size() - 1;
    if (pos != last) {
      const size_t lastSlot = slotOf(last);
      entries_[pos] = std::move(entries_[last]);
      slots_[lastSlot] = (slots_[lastSlot] & kTagMask) | (pos + 1);
    }
    entries_.pop_back();
    // Backward-shift deletion: move later members of the probe run into the hole when their
    // home slot is not between the hole and them.
    size_t i = hole;
    size_t j = hole;
    for (;;) {
      j = (j + 1) & mask_;
      const uint64_t s = slots_[j];
      if (s == 0) break;
      const size_t home = entries_[(s & kPosMask) - 1].hash & mask_;
      // Keep s at j when its home is cyclically in (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (stays) continue;
      slots_[i] = s;
      i = j;
    }
    slots_[i] = 0;
    ++mods_;
  }

  Entry& at(size_t pos) { return entries_[pos]; }
  const Entry& at(size_t pos) const { return entries_[pos]; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Changes whenever an insert or erase may have moved entries or slots.
  uint64_t modifications() const { return mods_; }
  // All entries, in no particular order (e.g. for a snapshot of the key group).
  const std::vector<Entry>& entries() const { return entries_; }
  void clear() {
    entries_.clear();
    slots_.clear();
    mask_ = 0;
    ++mods_;
  }
  size_t capacity() const { return slots_.size(); }

 private:
  static constexpr uint64_t kTagMask = 0xffffffff00000000ULL;
  static constexpr uint64_t kPosMask = 0x00000000ffffffffULL;

  size_t slotOf(size_t pos) const {
    size_t i = entries_[pos].hash & mask_;
    while ((slots_[i] & kPosMask) != pos + 1) i = (i + 1) & mask_;
    return i;
  }
  void grow() {
    const size_t capacity = slots_.empty() ? 8 : slots_.size() * 2;
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    for (size_t pos = 0; pos < entries_.size(); ++pos) {
      size_t i = entries_[pos].hash & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = (entries_[pos].hash & kTagMask) | (pos + 1);
    }
    ++mods_;
  }

  std::vector<Entry> entries_;
  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
  uint64_t mods_ = 0;
};

}  // namespace glint
