#pragma once
// A queue of items that fall due when the watermark reaches their time (milliseconds): an
// operator's clean-up index, swept once per watermark instead of one keyed timer per key.
//
// A timing wheel: a ring of one bucket per millisecond covers [base, base + kRingMillis);
// items further ahead wait in a min-heap and move into the ring as the base approaches them.
// Pushing is an append and popping walks the buckets up to the watermark, whatever the order
// the items come in (a task interleaves its upstreams, an operator visits rows grouped by
// key, and sources emit out-of-order events: a heap over all items paid a cache miss per level
// for that). Items of one bucket pop in push order.
//
// Contract: after popUpTo(limit), every item pushed has time > limit (an operator buffers
// only what the watermark has not yet expired); an earlier time is treated as limit + 1.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace glint {

template <class Item>
class ExpiryQueue {
 public:
  static constexpr int64_t kRingMillis = 1 << 14;

  void push(int64_t time, Item item) {
    time = std::max(time, base_);
    if (withinRing(time)) {
      if (ring_.empty()) ring_.resize(static_cast<size_t>(kRingMillis));
      ring_[slot(time)].push_back(item);
      ++inRing_;
    } else {
      later_.push_back(Entry{time, item});
      std::push_heap(later_.begin(), later_.end(), Later{});
    }
  }

  // Removes every item with time <= limit, in time order, calling fn(time, item) for each.
  template <class Fn>
  void popUpTo(int64_t limit, Fn&& fn) {
    const int64_t end = limit == INT64_MAX ? INT64_MAX : limit + 1;  // the base stops there
    while (base_ < end) {
      if (inRing_ == 0) {
        // Nothing within the ring: skip to the next item instead of walking empty buckets.
        base_ = later_.empty() ? end : std::min(end, later_.front().time);
        admit();
        if (inRing_ == 0) break;
        continue;
      }
      std::vector<Item>& bucket = ring_[slot(base_)];
      // fn does not push (it runs within the sweep), so the bucket stays put.
      for (Item& item : bucket) fn(base_, item);
      inRing_ -= bucket.size();
      bucket.clear();
      ++base_;
      admit();
    }
    if (limit == INT64_MAX) {  // the end of time: also the items at INT64_MAX
      if (inRing_ > 0) {
        std::vector<Item>& bucket = ring_[slot(base_)];
        for (Item& item : bucket) fn(base_, item);
        inRing_ -= bucket.size();
        bucket.clear();
      }
      while (!later_.empty()) {
        std::pop_heap(later_.begin(), later_.end(), Later{});
        fn(later_.back().time, later_.back().item);
        later_.pop_back();
      }
    }
  }

  size_t size() const { return inRing_ + later_.size(); }
  bool empty() const { return size() == 0; }

 private:
  struct Entry {
    int64_t time;
    Item item;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const { return a.time > b.time; }
  };
  static size_t slot(int64_t time) {
    return static_cast<size_t>(static_cast<uint64_t>(time) & (kRingMillis - 1));
  }
  // Before the first popUpTo the base is unknown (a later push may be earlier): all items wait
  // in the heap until then.
  bool withinRing(int64_t time) const {
    if (base_ == INT64_MIN) return false;
    return base_ > INT64_MAX - kRingMillis || time < base_ + kRingMillis;
  }
  // Moves the heap's items that are now within the ring into it.
  void admit() {
    while (!later_.empty() && withinRing(later_.front().time)) {
      std::pop_heap(later_.begin(), later_.end(), Later{});
      if (ring_.empty()) ring_.resize(static_cast<size_t>(kRingMillis));
      ring_[slot(later_.back().time)].push_back(later_.back().item);
      ++inRing_;
      later_.pop_back();
    }
  }

  int64_t base_ = INT64_MIN;             // buckets before it are empty; INT64_MIN: no popUpTo yet
  std::vector<std::vector<Item>> ring_;  // kRingMillis buckets, allocated on first use
  size_t inRing_ = 0;
  std::vector<Entry> later_;  // min-heap of items at or beyond base_ + kRingMillis
};

}  // namespace glint
