#pragma once
// The keys of a join buffer: encoded key -> an entry with a stable address. Open addressing
// (linear probing over a power-of-two table of entry ids, backward-shift deletion), entries in
// a deque whose erased slots are reused with their vectors' capacity. A join keyed by a
// near-unique column (Nexmark q7: the price) inserts and erases about one key per row, which
// in a node-based map cost an allocation each and a division and two cache misses per lookup.
//
// Entry must have the members `std::string key`, `uint64_t hash`, `uint32_t id`, `bool live`,
// and `void reset()` (called on erase: drops its contents, may keep capacity).
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glint/state/key_group.h"

namespace glint {

template <class Entry>
class JoinKeyIndex {
 public:
  Entry* find(std::string_view key) const {
    if (size_ == 0) return nullptr;
    const uint64_t hash = hashBytes(key);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const uint32_t s = table_[i];
      if (s == 0) return nullptr;
      Entry& e = entries_[s - 1];
      if (e.hash == hash && e.key == key) return &e;
    }
  }

  // The entry of `key`, added (empty) when new; *isNew says which.
  Entry& findOrInsert(std::string_view key, bool* isNew) {
    if ((size_ + 1) * 2 > table_.size()) grow();
    const uint64_t hash = hashBytes(key);
    size_t i = hash & mask_;
    for (;; i = (i + 1) & mask_) {
      const uint32_t s = table_[i];
      if (s == 0) break;
      Entry& e = entries_[s - 1];
      if (e.hash == hash && e.key == key) {
        *isNew = false;
        return e;
      }
    }
    uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<uint32_t>(entries_.size());
      entries_.emplace_back();
    }
    Entry& e = entries_[id];
    e.key.assign(key.data(), key.size());
    e.hash = hash;
    e.id = id;
    e.live = true;
    table_[i] = id + 1;
    ++size_;
    *isNew = true;
    return e;
  }

  void erase(Entry& e) {
    size_t i = e.hash & mask_;
    while (table_[i] != e.id + 1) i = (i + 1) & mask_;
    // Backward shift: move later entries of the probe run into the hole when their home
    // slot allows it, so that lookups never need tombstones.
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      const uint32_t s = table_[j];
      if (s == 0) break;
      const size_t home = entries_[s - 1].hash & mask_;
      if (((j - home) & mask_) >= ((j - i) & mask_)) {
        table_[i] = s;
        i = j;
      }
    }
    table_[i] = 0;
    e.live = false;
    e.reset();
    free_.push_back(e.id);
    --size_;
  }

  size_t size() const { return size_; }

  // Iterates the live entries as (key, entry) pairs: for (auto& [key, entry] : index).
  class Iterator {
   public:
    Iterator(std::deque<Entry>* entries, size_t at) : entries_(entries), at_(at) { skip(); }
    // A pair of references, held so that `auto& [key, entry]` can bind to it.
    std::pair<const std::string&, Entry&>& operator*() { return *current_; }
    Iterator& operator++() {
      ++at_;
      skip();
      return *this;
    }
    bool operator!=(const Iterator& other) const { return at_ != other.at_; }

   private:
    void skip() {
      while (at_ < entries_->size() && !(*entries_)[at_].live) ++at_;
      if (at_ < entries_->size()) current_.emplace((*entries_)[at_].key, (*entries_)[at_]);
    }
    std::deque<Entry>* entries_;
    size_t at_;
    std::optional<std::pair<const std::string&, Entry&>> current_;
  };
  Iterator begin() const { return Iterator(&entries_, 0); }
  Iterator end() const { return Iterator(&entries_, entries_.size()); }

 private:
  void grow() {
    const size_t n = table_.empty() ? 1024 : table_.size() * 2;
    table_.assign(n, 0);
    mask_ = n - 1;
    for (const Entry& e : entries_) {
      if (!e.live) continue;
      size_t i = e.hash & mask_;
      while (table_[i] != 0) i = (i + 1) & mask_;
      table_[i] = e.id + 1;
    }
  }

  mutable std::deque<Entry> entries_;  // mutable: find hands out entries to change
  std::vector<uint32_t> free_;
  std::vector<uint32_t> table_;  // entry id + 1, 0 = empty
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace glint
