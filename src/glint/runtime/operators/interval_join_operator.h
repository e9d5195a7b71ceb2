#pragma once
// Interval join of two keyed inputs, as Flink's
//   a.keyBy(ka).intervalJoin(b.keyBy(kb)).between(lower, upper).process(fn)
// A left row at tL joins every right row with the same key and tL + lower <= tR <= tL + upper
// (bounds inclusive unless lowerExclusive / upperExclusive, which, as in Flink, turn them into
// lower + 1 / upper - 1), whatever order the rows arrive in: each arriving row is joined with
// the buffered rows of the other input and then buffered itself. process(left, right, out)
// writes the result rows, which get the timestamp max(tL, tR).
//
// Late rows (timestamp < current watermark, as Flink's IntervalJoinOperator.isLate) are dropped
// and counted in JobMetrics::lateRecordsDropped.
//
// Clean-up: a buffered row is removed as soon as the watermark makes a further match
// impossible. Later rows of the other input are not late, so their timestamps are >= the
// watermark; a left row can still match while watermark <= tL + upper, a right row while
// watermark <= tR - lower. The clean-up time of a row is tL + upper + 1, resp. tR - lower + 1.
// Each input has an ExpiryQueue with one (clean-up time, key) entry per buffered row, swept when
// the watermark advances: a due entry drops its key's expired rows, and the key is forgotten
// with its last entry. Keyed timers would cost a hashed timer per key, and a join keyed by a
// near-unique column (Nexmark q7 joins bids on the price) has about one key per row. (Flink
// registers a timer per row at tL + upper and so drops a left row while a right row at exactly
// tL + upper = watermark, which it does not consider late, could still match it; we keep it
// one millisecond longer.)
// Rows that can never match when they arrive are joined but not buffered.
//
// Storage (in the operator, nothing in the keyed state backend): the buffered rows of
// each input live in one arena Batch; each key has, per input, a vector of (timestamp, arena
// row) sorted by timestamp. The arena is compacted when more than half of it is expired rows.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "glint/runtime/operators/expiry_queue.h"
#include "glint/runtime/operators/join_key_index.h"
#include "glint/runtime/operators/window_operator.h"

namespace glint {

struct IntervalJoinOptions {
  bool lowerExclusive = false;
  bool upperExclusive = false;
};

class IntervalJoinOperatorBase : public WindowOperatorBase {
 public:
  IntervalJoinOperatorBase(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                           std::vector<int> rightKeys, SchemaPtr outputSchema, int64_t lowerBound,
                           int64_t upperBound, IntervalJoinOptions options);

  void open() override;
  void processWatermark(int64_t watermark) override;

  // The effective inclusive bounds.
  int64_t lowerBound() const { return lower_; }
  int64_t upperBound() const { return upper_; }
  // Buffered rows (both inputs) and keys with buffered rows, for tests and metrics.
  size_t numBufferedRows() const;
  size_t numKeys() const { return keys_.size(); }

 protected:
  struct Stamp {
    int64_t ts;
    uint32_t row;          // in arena_[input]
    bool matched = false;  // outer joins: the row has joined at least once
  };
  struct SideRows {
    std::vector<Stamp> stamps;  // sorted by ts (arrival order among equal ts), from `head`
    size_t head = 0;
  };
  struct KeyRows {
    SideRows side[2];
    uint32_t pending = 0;  // entries of expiry_[0] and expiry_[1] naming this key
    // JoinKeyIndex's bookkeeping.
    std::string key;
    uint64_t hash = 0;
    uint32_t id = 0;
    bool live = false;
    void reset() {
      for (SideRows& s : side) {
        s.stamps.clear();  // keeps the capacity for the key that reuses the entry
        s.head = 0;
      }
      pending = 0;
    }
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  // Relative bounds of a row of `input` against the other input's timestamps.
  int64_t relLower(int input) const { return input == 0 ? lower_ : -upper_; }
  int64_t relUpper(int input) const { return input == 0 ? upper_ : -lower_; }
  // The watermark from which a row of `input` at `ts` can no longer match anything.
  int64_t cleanupTime(int input, int64_t ts) const {
    return saturatingAdd(saturatingAdd(ts, relUpper(input)), 1);
  }

  KeyRows* findKey(std::string_view key) { return keys_.find(key); }
  KeyRows& insertKey(std::string_view key) {
    bool isNew;
    return keys_.findOrInsert(key, &isNew);
  }
  // Buffers a row (its arena index must be `row`) for the backend's current key.
  void bufferRow(KeyRows& rows, int input, int64_t ts, uint32_t row, bool matched = false) {
    stampRow(rows, input, ts, row, matched);
    scheduleExpiry(rows, input, ts);
  }
  // bufferRow in two steps, for callers that visit rows grouped by key: the expiry queue is
  // cheapest when its entries come in arrival (about time) order, so they schedule afterwards.
  void stampRow(KeyRows& rows, int input, int64_t ts, uint32_t row, bool matched = false);
  void scheduleExpiry(KeyRows& rows, int input, int64_t ts) {
    expiry_[input].push(cleanupTime(input, ts), &rows);
    ++rows.pending;
  }
  // Outer joins (SQL): called with the rows of `input` the clean-up drops, before their arena
  // rows can be reused, so that unmatched ones can be emitted padded with NULLs.
  virtual void rowsExpired(int input, const Stamp* first, const Stamp* last) {}
  // Snapshots then carry each buffered row's matched flag (readable with or without them).
  bool snapshotMatchedFlags_ = false;

  int64_t lower_;
  int64_t upper_;
  Batch arena_[2];
  size_t dead_[2] = {0, 0};
  JoinKeyIndex<KeyRows> keys_;
  ExpiryQueue<KeyRows*> expiry_[2];  // per input: (clean-up time, key) of each buffered row
  std::vector<uint32_t> toStore_;
  std::vector<KeyRows*> keyOfRow_;  // processBatch: by input row, the key a stored row went to

 private:
  // Snapshots: the live buffered rows of every key, grouped by key group; restored rows are
  // buffered again without being joined (their matches were emitted before the checkpoint).
  void snapshotWindowData(std::map<int, std::string>& byKeyGroup) override;
  void onEventTimeTimer(const Timer& timer) override;
  // Drops the rows of `input` of `rows` whose clean-up time is <= `watermark`.
  void dropExpired(KeyRows& rows, int input, int64_t watermark);
  void maybeCompact(int input);
  std::vector<uint32_t> gather_;
};

// ProcessFn: void(RowRef left, RowRef right, RowWriter& out).
template <class ProcessFn>
class IntervalJoinOperator final : public IntervalJoinOperatorBase {
 public:
  IntervalJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                       std::vector<int> rightKeys, SchemaPtr outputSchema, int64_t lowerBound,
                       int64_t upperBound, ProcessFn process, IntervalJoinOptions options = {})
      : IntervalJoinOperatorBase(std::move(leftSchema), std::move(leftKeys), std::move(rightSchema),
                                 std::move(rightKeys), std::move(outputSchema), lowerBound,
                                 upperBound, options),
        process_(std::move(process)) {}

  void processBatch(int input, Batch&& batch) override {
    if (batch.empty()) return;
    sourceNanos_ = batch.sourceNanos();
    const int other = 1 - input;
    const int64_t lo = relLower(input);
    const int64_t hi = relUpper(input);
    const Batch& otherRows = arena_[other];
    const uint32_t base = static_cast<uint32_t>(arena_[input].numRows());
    toStore_.clear();
    keyOfRow_.assign(batch.numRows(), nullptr);
    groups_.build(keyEncoders_[input], batch);
    for (size_t g = 0; g < groups_.numGroups(); ++g) {
      const int kg = groups_.keyGroup(g, context_.maxParallelism);
      checkKeyGroup(kg);
      const std::string_view key = groups_.key(g);
      state_->setCurrentKey(key, kg);
      // One hash lookup per key and batch (a join on a near-unique column mostly meets new
      // keys); a key that ends up with no rows is dropped again below.
      bool isNew;
      KeyRows* rows = &keys_.findOrInsert(key, &isNew);
      const uint32_t* rowIds = groups_.rowsOf(g);
      for (size_t i = 0, n = groups_.countOf(g); i < n; ++i) {
        const uint32_t r = rowIds[i];
        const int64_t t = batch.timestamp(r);
        if (t == kMinTimestamp)
          throw GlintError(
              "interval join on a row without timestamp (is a timestamp/watermark assigner "
              "missing?)");
        if (currentWatermark_ != INT64_MIN && t < currentWatermark_) {
          handleLateRow(batch, r);
          continue;
        }
        if (!isNew) {
          const SideRows& o = rows->side[other];
          const int64_t from = saturatingAdd(t, lo);
          const int64_t to = saturatingAdd(t, hi);
          auto it =
              std::lower_bound(o.stamps.begin() + static_cast<ptrdiff_t>(o.head), o.stamps.end(),
                               from, [](const Stamp& s, int64_t v) { return s.ts < v; });
          const RowRef self(batch, r);
          for (; it != o.stamps.end() && it->ts <= to; ++it) {
            writer_.setTimestamp(std::max(t, it->ts));
            if (input == 0)
              process_(self, RowRef(otherRows, it->row), writer_);
            else
              process_(RowRef(otherRows, it->row), self, writer_);
          }
        }
        // Buffer the row unless no later row of the other input can match it.
        if (cleanupTime(input, t) > currentWatermark_) {
          stampRow(*rows, input, t, base + static_cast<uint32_t>(toStore_.size()));
          toStore_.push_back(r);
          keyOfRow_[r] = rows;
        }
      }
      if (isNew && rows->side[input].stamps.empty()) keys_.erase(*rows);
    }
    for (size_t r = 0; r < batch.numRows(); ++r)
      if (keyOfRow_[r]) scheduleExpiry(*keyOfRow_[r], input, batch.timestamp(r));
    arena_[input].appendRows(batch, toStore_.data(), toStore_.size());
    flushOutput();
    sourceNanos_ = 0;
  }

 private:
  ProcessFn process_;
};

template <class ProcessFn>
auto makeIntervalJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys,
                              SchemaPtr rightSchema, std::vector<int> rightKeys,
                              SchemaPtr outputSchema, int64_t lowerBound, int64_t upperBound,
                              ProcessFn process, IntervalJoinOptions options = {}) {
  return std::make_unique<IntervalJoinOperator<ProcessFn>>(
      std::move(leftSchema), std::move(leftKeys), std::move(rightSchema), std::move(rightKeys),
      std::move(outputSchema), lowerBound, upperBound, std::move(process), options);
}

}  // namespace glint
