#pragma once
// Window join of two keyed inputs, as Flink's
//   a.join(b).where(keyA).equalTo(keyB).window(Tumbling/SlidingEventTimeWindows...).apply(join)
// an inner join: when the watermark reaches window.maxTimestamp(), join(left, right, out) is
// called for every pair of a left row and a right row with equal keys in that window (left
// rows in the outer loop); output rows get the timestamp window.maxTimestamp(). A row whose
// windows have all fired (maxTimestamp <= watermark on arrival) is late: it is dropped and
// counted in JobMetrics::lateRecordsDropped (no allowed lateness, as Flink's window join).
// Only event-time tumbling and sliding windows are supported.
//
// Outer joins (setKeepUnmatched): joinKey is also called for a key with rows on one side only
// when that side is kept, so that a subclass can emit its rows padded with NULLs; windowFired
// follows the last joinKey of each window.
//
// Storage (kept in the operator, not in the keyed state backend): rows are buffered once, in
// "panes" of gcd(size, slide) ms (one pane = one tumbling window); each pane holds one Batch
// per input with all its rows, in arrival order, and the key id of every row in a small
// arena-backed key table. A window is the union of size/pane consecutive panes, so a sliding
// window does not copy a row into every window it belongs to. When a window fires its panes'
// rows are grouped by key (a counting sort); a pane is freed as soon as the last window that
// contains it has fired. Nothing is allocated per row besides the amortised growth of the
// pane's column vectors.
//
// Snapshots: the buffered rows, grouped by key group, are the operator's keyed operator data
// (KeyedOperator::snapshotOperatorData); on restore they are buffered again as if they had
// just arrived (nothing fires before the first watermark), at any parallelism.
#include <map>
#include <memory>

#include "glint/runtime/operators/window_operator.h"

namespace glint {

class WindowJoinOperatorBase : public WindowOperatorBase {
 public:
  WindowJoinOperatorBase(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                         std::vector<int> rightKeys, SchemaPtr outputSchema,
                         WindowAssigner assigner);

  void open() override;
  void processBatch(int input, Batch&& batch) override;
  void processWatermark(int64_t watermark) override;

  const WindowAssigner& assigner() const { return assigner_; }
  // Rows buffered in panes (both inputs) and the number of live panes, for tests and metrics.
  size_t numBufferedRows() const;
  size_t numPanes() const { return panes_.size(); }

 protected:
  void snapshotWindowData(std::map<int, std::string>& byKeyGroup) override;
  struct RowHandle {
    const Batch* batch;
    uint32_t row;
  };
  // Joins every left row of one key in window `w` with every right row of that key. With
  // keepUnmatched for a side, numLeft or numRight may be 0.
  virtual void joinKey(const TimeWindow& w, const RowHandle* left, size_t numLeft,
                       const RowHandle* right, size_t numRight) = 0;
  // After the last joinKey call of window `w`.
  virtual void windowFired(const TimeWindow& w) {}
  // Outer joins: the rows of `side` are passed to joinKey even when the other side has none.
  void setKeepUnmatched(bool left, bool right) {
    keepUnmatched_[0] = left;
    keepUnmatched_[1] = right;
  }

 private:
  struct Pane {
    Batch rows[2];
    std::vector<uint32_t> keyOf[2];  // key id (in `keys`) of each row
    windowing::KeyTable keys;
  };
  Pane& paneAt(int64_t start);
  void fireWindow(const TimeWindow& w);
  // The start of the latest window that contains time t (the last window to fire for it).
  int64_t lastWindowStart(int64_t t) const {
    return windowStartWithOffset(t, assigner_.offset(), assigner_.slide());
  }

  WindowAssigner assigner_;
  int64_t paneSize_;
  bool keepUnmatched_[2] = {false, false};
  std::map<int64_t, Pane> panes_;
  // Scratch
  std::vector<uint32_t> pending_;
  std::vector<int64_t> starts_;
  std::vector<Pane*> windowPanes_;
  std::vector<std::vector<uint32_t>> remap_;
  windowing::KeyTable windowKeys_;
  std::vector<uint32_t> offsets_[2];
  std::vector<RowHandle> handles_[2];
};

// JoinFn: void(RowRef left, RowRef right, RowWriter& out).
template <class JoinFn>
class WindowJoinOperator final : public WindowJoinOperatorBase {
 public:
  WindowJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                     std::vector<int> rightKeys, SchemaPtr outputSchema, WindowAssigner assigner,
                     JoinFn join)
      : WindowJoinOperatorBase(std::move(leftSchema), std::move(leftKeys), std::move(rightSchema),
                               std::move(rightKeys), std::move(outputSchema), assigner),
        join_(std::move(join)) {}

 private:
  void joinKey(const TimeWindow& w, const RowHandle* left, size_t numLeft, const RowHandle* right,
               size_t numRight) override {
    writer_.setTimestamp(w.maxTimestamp());
    for (size_t i = 0; i < numLeft; ++i) {
      const RowRef l(*left[i].batch, left[i].row);
      for (size_t j = 0; j < numRight; ++j)
        join_(l, RowRef(*right[j].batch, right[j].row), writer_);
    }
  }
  JoinFn join_;
};

template <class JoinFn>
auto makeWindowJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                            std::vector<int> rightKeys, SchemaPtr outputSchema,
                            WindowAssigner assigner, JoinFn join) {
  return std::make_unique<WindowJoinOperator<JoinFn>>(
      std::move(leftSchema), std::move(leftKeys), std::move(rightSchema), std::move(rightKeys),
      std::move(outputSchema), assigner, std::move(join));
}

}  // namespace glint
