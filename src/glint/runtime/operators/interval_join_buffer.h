#pragma once
// The buffered rows of one input of an interval join, in time slices.
//
// A row is stored in the slice of its timestamp (slice id = floor(ts / sliceMillis)), with its
// key's hash and encoded bytes. A probe for the rows with key k and timestamps in [from, to]
// visits only the slices that overlap [from, to], each through a hash index over its rows.
// The index is built the first time the slice is probed and kept up to date from then on: an
// input whose rows are rarely probed (Nexmark q7 joins every bid with one window maximum per
// 10 s) pays for storing a row and nothing else.
//
// Storing: a slice keeps the input batches themselves (segments). A batch whose rows all go to
// one slice is moved in as it is; otherwise its rows are copied into the slice's last segment.
//
// Why not one hash table of keys for the whole input: a join on a near-unique column (q7 joins
// on the price) has about one key per row, so the table is large, every insert and every
// clean-up is a cache miss, and each key needs its own row list. Slices keep the rows of the
// same time together, so rows are appended and forgotten in the order they came in.
//
// Clean-up: expire(watermark) visits the slices whose earliest row is due, in time order; a
// slice sorts its rows by time the first time it is visited (then only the rows that came
// since) and walks them with a cursor; it is freed with its last row. Rows of one input expire
// in the order of their timestamps, as the clean-up time is the timestamp plus a constant.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "glint/state/key_group.h"
#include "glint/types/batch.h"

namespace glint {

// The encoded key and its hash of every row of a batch.
struct RowKeys {
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> ends;  // row r's bytes: bytes[ends[r-1] .. ends[r])
  std::string bytes;

  void build(const KeyEncoder& encoder, const Batch& batch);
  std::string_view key(size_t r) const {
    const uint32_t begin = r == 0 ? 0 : ends[r - 1];
    return std::string_view(bytes).substr(begin, ends[r] - begin);
  }
};

class IntervalJoinBuffer {
 public:
  // Per-row flags.
  static constexpr uint8_t kMatched = 1;  // outer joins: the row has joined at least once
  static constexpr uint8_t kExpired = 2;  // no further row can match it (clean-up done)

  struct Slice {
    int64_t minTs = INT64_MAX;
    int64_t maxTs = INT64_MIN;
    std::vector<Batch> segments;
    // By row of the slice (arrival order): where it is, its timestamp, key and flags.
    std::vector<uint32_t> segmentOf;
    std::vector<uint32_t> offsetOf;
    std::vector<int64_t> timestamps;
    RowKeys keys;
    std::vector<uint8_t> flags;
    size_t expired = 0;
    // Clean-up: rows by timestamp up to `sorted` rows (those that came later are merged in
    // when the slice is next visited); order[0, expired) are expired.
    std::vector<uint32_t> order;
    // The hash index (empty until the first probe): bucket -> row + 1, row -> next row + 1.
    std::vector<uint32_t> heads;
    std::vector<uint32_t> next;

    size_t size() const { return timestamps.size(); }
    const Batch& batchOf(uint32_t r) const { return segments[segmentOf[r]]; }
    uint32_t offset(uint32_t r) const { return offsetOf[r]; }
    int64_t timestamp(uint32_t r) const { return timestamps[r]; }
    bool live(uint32_t r) const { return (flags[r] & kExpired) == 0; }
  };

  IntervalJoinBuffer() = default;
  IntervalJoinBuffer(SchemaPtr schema, int64_t sliceMillis)
      : schema_(std::move(schema)), sliceMillis_(std::max<int64_t>(1, sliceMillis)) {}

  // Stores rows[0..count) (ascending) of `batch`, whose keys are `keys`, with initial flags
  // flagsOf(i) for rows[i]. Takes the batch when it can.
  template <class FlagsOf>
  void add(Batch&& batch, const RowKeys& keys, const uint32_t* rows, size_t count,
           FlagsOf&& flagsOf) {
    size_t i = 0;
    while (i < count) {
      // A run of rows of the same slice (input in about time order has long runs).
      const int64_t id = sliceOf(batch.timestamp(rows[i]));
      size_t end = i + 1;
      while (end < count && sliceOf(batch.timestamp(rows[end])) == id) ++end;
      Slice& slice = slices_[id];
      const auto first = static_cast<uint32_t>(slice.size());
      uint32_t segment, offset;
      const bool moved = i == 0 && end == count && count == batch.numRows() && count >= kMoveRows;
      if (moved) {
        segment = static_cast<uint32_t>(slice.segments.size());
        offset = 0;
        slice.segments.push_back(std::move(batch));
      } else {
        if (slice.segments.empty() || slice.segments.back().numRows() >= kSegmentRows)
          slice.segments.emplace_back(schema_);
        segment = static_cast<uint32_t>(slice.segments.size() - 1);
        offset = static_cast<uint32_t>(slice.segments.back().numRows());
        slice.segments.back().appendRows(batch, rows + i, end - i);
      }
      const Batch& source = moved ? slice.segments[segment] : batch;
      for (size_t j = i; j < end; ++j) {
        const uint32_t r = rows[j];
        const int64_t ts = source.timestamps()[r];
        slice.minTs = std::min(slice.minTs, ts);
        slice.maxTs = std::max(slice.maxTs, ts);
        slice.segmentOf.push_back(segment);
        slice.offsetOf.push_back(moved ? r : offset + static_cast<uint32_t>(j - i));
        slice.timestamps.push_back(ts);
        slice.keys.hashes.push_back(keys.hashes[r]);
        const std::string_view key = keys.key(r);
        slice.keys.bytes.append(key.data(), key.size());
        slice.keys.ends.push_back(static_cast<uint32_t>(slice.keys.bytes.size()));
        slice.flags.push_back(flagsOf(j));
      }
      if (!slice.heads.empty()) indexNewRows(slice, first);
      live_ += end - i;
      i = end;
    }
  }

  // The slices that may hold rows with timestamps in [from, to], for probe().
  void slicesOverlapping(int64_t from, int64_t to, std::vector<Slice*>& out) {
    out.clear();
    if (from > to) return;
    for (auto it = slices_.lower_bound(sliceOf(from));
         it != slices_.end() && it->first <= sliceOf(to); ++it)
      if (it->second.minTs <= to && it->second.maxTs >= from) out.push_back(&it->second);
  }

  // Calls fn(slice, row) for every row among `slices` with this key and from <= ts <= to.
  template <class Fn>
  static void probe(const std::vector<Slice*>& slices, int64_t from, int64_t to, uint64_t hash,
                    std::string_view key, Fn&& fn) {
    for (Slice* slice : slices) {
      if (slice->minTs > to || slice->maxTs < from) continue;
      if (slice->heads.empty()) buildIndex(*slice);
      const size_t mask = slice->heads.size() - 1;
      for (uint32_t r = slice->heads[hash & mask]; r != 0; r = slice->next[r - 1]) {
        const uint32_t row = r - 1;
        if (slice->keys.hashes[row] != hash) continue;
        const int64_t ts = slice->timestamps[row];
        if (ts < from || ts > to || slice->keys.key(row) != key) continue;
        fn(*slice, row);
      }
    }
  }

  // Expires every row whose clean-up time cleanupOf(ts) (non-decreasing in ts) is <=
  // watermark, calling onExpired(slice, row) for each, in time order, and frees the slices left
  // empty.
  template <class CleanupOf, class OnExpired>
  void expire(int64_t watermark, CleanupOf&& cleanupOf, OnExpired&& onExpired) {
    for (auto it = slices_.begin(); it != slices_.end();) {
      Slice& slice = it->second;
      // Slices cover disjoint, ascending time ranges: once one is not due, none after it is.
      if (cleanupOf(slice.minTs) > watermark) break;
      sortNewRows(slice);
      while (slice.expired < slice.size()) {
        const uint32_t row = slice.order[slice.expired];
        if (cleanupOf(slice.timestamps[row]) > watermark) break;
        onExpired(slice, row);
        slice.flags[row] |= kExpired;
        ++slice.expired;
        --live_;
      }
      if (slice.expired == slice.size()) {
        it = slices_.erase(it);
      } else {
        // The earliest live row bounds when this slice is next due.
        slice.minTs = slice.timestamps[slice.order[slice.expired]];
        break;
      }
    }
  }

  size_t numLiveRows() const { return live_; }
  const std::map<int64_t, Slice>& slices() const { return slices_; }

 private:
  // Batches with fewer rows are copied into a segment rather than kept (a segment per small
  // batch would cost more than the copy); copied segments grow to kSegmentRows.
  static constexpr size_t kMoveRows = 256;
  static constexpr size_t kSegmentRows = 4096;

  int64_t sliceOf(int64_t ts) const {
    // Floor division: slices of negative timestamps too.
    const int64_t q = ts / sliceMillis_;
    return (ts % sliceMillis_ != 0 && ts < 0) ? q - 1 : q;
  }
  // Brings slice.order up to date: the rows that came since are sorted by time and merged into
  // the live part.
  static void sortNewRows(Slice& slice) {
    const size_t sorted = slice.order.size();
    if (sorted == slice.size()) return;
    const size_t count = slice.size() - sorted;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    bool inOrder = true;
    for (size_t r = sorted; r < slice.size(); ++r) {
      const int64_t t = slice.timestamps[r];
      inOrder &= r == sorted || slice.timestamps[r - 1] <= t;
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    if (inOrder) {
      for (size_t r = sorted; r < slice.size(); ++r)
        slice.order.push_back(static_cast<uint32_t>(r));
    } else if (static_cast<uint64_t>(hi - lo) <= 2 * count + 1024) {
      // Timestamps within a narrow range (the usual case: a slice is a fraction of the
      // interval, rows a few per millisecond): a stable counting sort.
      std::vector<uint32_t>& starts = countScratch();
      starts.assign(static_cast<size_t>(hi - lo) + 2, 0);
      for (size_t r = sorted; r < slice.size(); ++r)
        ++starts[static_cast<size_t>(slice.timestamps[r] - lo) + 1];
      for (size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
      slice.order.resize(slice.size());
      for (size_t r = sorted; r < slice.size(); ++r)
        slice.order[sorted + starts[static_cast<size_t>(slice.timestamps[r] - lo)]++] =
            static_cast<uint32_t>(r);
    } else {
      std::vector<std::pair<int64_t, uint32_t>> byTime;
      byTime.reserve(count);
      for (size_t r = sorted; r < slice.size(); ++r)
        byTime.emplace_back(slice.timestamps[r], static_cast<uint32_t>(r));
      std::sort(byTime.begin(), byTime.end());
      for (const auto& [t, r] : byTime) slice.order.push_back(r);
    }
    const auto byTime = [&](uint32_t a, uint32_t b) {
      return slice.timestamps[a] < slice.timestamps[b] ||
             (slice.timestamps[a] == slice.timestamps[b] && a < b);
    };
    const auto middle = slice.order.begin() + static_cast<ptrdiff_t>(sorted);
    const auto live = slice.order.begin() + static_cast<ptrdiff_t>(slice.expired);
    // Usually every new row is later than the buffered ones: nothing to merge.
    if (live != middle && middle != slice.order.end() && byTime(*middle, *(middle - 1)))
      std::inplace_merge(live, middle, slice.order.end(), byTime);
  }
  static std::vector<uint32_t>& countScratch() {
    static thread_local std::vector<uint32_t> scratch;
    return scratch;
  }
  static void buildIndex(Slice& slice) {
    size_t buckets = 16;
    while (buckets < 2 * slice.size()) buckets *= 2;
    slice.heads.assign(buckets, 0);
    indexNewRows(slice, 0);
  }
  static void indexNewRows(Slice& slice, uint32_t first) {
    if (2 * slice.size() > slice.heads.size()) {  // grow: rebuild with more buckets
      size_t buckets = slice.heads.size() * 2;
      while (2 * slice.size() > buckets) buckets *= 2;
      slice.heads.assign(buckets, 0);
      first = 0;
    }
    const size_t mask = slice.heads.size() - 1;
    slice.next.resize(slice.size());
    for (uint32_t r = first; r < slice.size(); ++r) {
      uint32_t& head = slice.heads[slice.keys.hashes[r] & mask];
      slice.next[r] = head;
      head = r + 1;
    }
  }

  SchemaPtr schema_;
  int64_t sliceMillis_ = 1;
  std::map<int64_t, Slice> slices_;  // by slice id; nodes stay put, so Slice& stays valid
  size_t live_ = 0;
};

}  // namespace glint
