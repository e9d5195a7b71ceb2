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
// Clean-up: a buffered row is dropped as soon as the watermark makes a further match
// impossible. Later rows of the other input are not late, so their timestamps are >= the
// watermark; a left row can still match while watermark <= tL + upper, a right row while
// watermark <= tR - lower. The clean-up time of a row is tL + upper + 1, resp. tR - lower + 1.
// The buffers expire rows in time order as the watermark advances (IntervalJoinBuffer::expire).
// (Flink registers a timer per row at tL + upper and so drops a left
// row while a right row at exactly tL + upper = watermark, which it does not consider late,
// could still match it; we keep it one millisecond longer.)
// Rows that can never match when they arrive are joined but not buffered.
//
// Storage (in the operator, nothing in the keyed state backend): an IntervalJoinBuffer per
// input, rows in time slices of a quarter of the interval (at least kMinSliceMillis), so that a
// probe visits about five slices and a slice's rows expire together.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "glint/runtime/operators/interval_join_buffer.h"
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
  size_t numKeys() const;

 protected:
  using Slice = IntervalJoinBuffer::Slice;
  struct BufferedRow {
    Slice* slice;
    uint32_t row;
  };
  static constexpr int64_t kMinSliceMillis = 100;

  // Relative bounds of a row of `input` against the other input's timestamps.
  int64_t relLower(int input) const { return input == 0 ? lower_ : -upper_; }
  int64_t relUpper(int input) const { return input == 0 ? upper_ : -lower_; }
  // The watermark from which a row of `input` at `ts` can no longer match anything.
  int64_t cleanupTime(int input, int64_t ts) const {
    return saturatingAdd(saturatingAdd(ts, relUpper(input)), 1);
  }
  // Throws for a row without timestamp; true (after counting it) for a late row.
  bool skipRow(const Batch& batch, size_t row) {
    const int64_t t = batch.timestamp(row);
    if (t == kMinTimestamp)
      throw GlintError(
          "interval join on a row without timestamp (is a timestamp/watermark assigner "
          "missing?)");
    if (currentWatermark_ != INT64_MIN && t < currentWatermark_) {
      handleLateRow(batch, row);
      return true;
    }
    return false;
  }
  // rowKeys_ of `batch` and the key-group check of each row.
  void encodeKeys(int input, const Batch& batch);
  // The other input's slices a row of `input` in `batch` may join, for probing row by row.
  void candidateSlices(int input, const Batch& batch) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t t : batch.timestamps()) {
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    buffers_[1 - input].slicesOverlapping(saturatingAdd(lo, relLower(input)),
                                          saturatingAdd(hi, relUpper(input)), slices_);
  }
  // Calls fn(slice, row) for each buffered row of the other input that row `r` of `batch`
  // (its keys in rowKeys_) joins.
  template <class Fn>
  void probe(int input, const Batch& batch, uint32_t r, Fn&& fn) {
    if (slices_.empty()) return;
    const int64_t t = batch.timestamp(r);
    IntervalJoinBuffer::probe(slices_, saturatingAdd(t, relLower(input)),
                              saturatingAdd(t, relUpper(input)), rowKeys_.hashes[r],
                              rowKeys_.key(r), fn);
  }
  // Buffers rows[0..count) (ascending) of `batch` (its keys in rowKeys_), with initial flags
  // flagsOf(i).
  template <class FlagsOf>
  void store(int input, Batch&& batch, const uint32_t* rows, size_t count, FlagsOf&& flagsOf) {
    buffers_[input].add(std::move(batch), rowKeys_, rows, count, flagsOf);
  }
  // Outer joins (SQL): called for each row the clean-up drops (before its slice can be freed),
  // when notifyExpiry_ is set, so that unmatched ones can be emitted padded with NULLs.
  virtual void rowExpired(int input, const Slice& slice, uint32_t row) {}
  bool notifyExpiry_ = false;
  // Snapshots then carry each buffered row's matched flag (readable with or without them).
  bool snapshotMatchedFlags_ = false;

  int64_t lower_;
  int64_t upper_;
  SchemaPtr inputSchemas_[2];
  IntervalJoinBuffer buffers_[2];
  std::vector<Slice*> slices_;          // candidateSlices
  RowKeys rowKeys_;                     // encodeKeys
  std::vector<uint32_t> toStore_;

 private:
  // Snapshots: the live buffered rows, grouped by key group; restored rows are buffered again
  // without being joined (their matches were emitted before the checkpoint).
  void snapshotWindowData(std::map<int, std::string>& byKeyGroup) override;
  void onEventTimeTimer(const Timer& timer) override;
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
    encodeKeys(input, batch);
    candidateSlices(input, batch);
    toStore_.clear();
    for (uint32_t r = 0; r < batch.numRows(); ++r) {
      if (skipRow(batch, r)) continue;
      const int64_t t = batch.timestamp(r);
      const RowRef self(batch, r);
      probe(input, batch, r, [&](const Slice& slice, uint32_t row) {
        writer_.setTimestamp(std::max(t, slice.timestamp(row)));
        const RowRef buffered(slice.batchOf(row), slice.offset(row));
        if (input == 0)
          process_(self, buffered, writer_);
        else
          process_(buffered, self, writer_);
      });
      // Buffer the row unless no later row of the other input can match it.
      if (cleanupTime(input, t) > currentWatermark_) toStore_.push_back(r);
    }
    store(input, std::move(batch), toStore_.data(), toStore_.size(),
          [](size_t) { return uint8_t{0}; });
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
