#pragma once
// OVER aggregation (Flink's OverAggregate): `agg(x) OVER (PARTITION BY k ORDER BY t frame)`
// appends to every input row the aggregates over its frame, which ends at the row, and
// `LAG(x, n, d)` / `LEAD(x, n, d)` the value of x n rows before / after the row in its
// partition's order (d, or NULL, when there is no such row).
#include <string>
#include <unordered_set>
#include <vector>

#include "glint/runtime/operators/keyed_operator.h"
#include "glint/sql/operators/aggregate_functions.h"
#include "glint/sql/operators/row_order.h"

namespace glint::sql {

// The rows of a partition's frame that a later row's frame can still contain, and the
// aggregates over them (keyed state of the streaming operator). Bounded frames only keep rows:
// `orderValues` has each retained row's ORDER BY value, in order; in streaming mode the rows
// themselves stay in the pending map under their time (so this state holds no row bytes), in
// batch mode they are in `rows`.
struct OverFrameState {
  AggAccumulator accumulator;
  std::vector<std::string> rows;      // batch mode: the retained rows, encoded
  std::vector<int64_t> orderValues;   // each retained row's ORDER BY value
  std::vector<uint8_t> orderNull;     // batch mode: 1 when that value is NULL
  std::vector<std::string> previous;  // streaming LAG: the partition's last rows, encoded

  auto glintFields() { return std::tie(accumulator, rows, orderValues, orderNull, previous); }
  auto glintFields() const { return std::tie(accumulator, rows, orderValues, orderNull, previous); }
};

// Keyed by the partition columns. Output: the input columns, then one column per call.
// Streaming (`finalOnly` false): the ORDER BY is one ascending event-time column. Rows wait in
// keyed state until the watermark passes their timestamp, then are processed in timestamp
// order, all rows of one timestamp together (they are peers for RANGE frames). Rows whose
// timestamp is not after the current watermark are late: dropped and counted in
// JobMetrics::lateRecordsDropped, as Flink does. Output is insert-only, one row per input row,
// with the row's timestamp; rows of one timestamp are in arrival order for LAG (LEAD is batch
// only). Batch (`finalOnly`): each partition's rows are sorted by the ORDER BY keys at end of
// input and run through the same frame logic.
class OverAggregateOperator final : public KeyedOperator {
 public:
  OverAggregateOperator(SchemaPtr input, std::vector<int> partitionKeys,
                        std::vector<SortKey> sortKeys, std::vector<AggCall> calls, bool rowsFrame,
                        int64_t preceding, bool finalOnly, SchemaPtr output, int64_t following = 0);
  void open() override;
  void processBatch(int input, Batch&& batch) override;
  void finish() override;

 protected:
  void onEventTimeTimer(const Timer& timer) override;
  void flushOutput() override { flush(); }

 private:
  // Batch mode: runs the peers rows[begin, end) (of a partition's rows in ORDER BY order,
  // equal on it) through the frame and appends their output rows.
  void processSortedPeers(OverFrameState& frame, const std::vector<std::string>& rows, size_t begin,
                          size_t end, bool orderNull, int64_t orderValue);
  // Batch mode, frames that end after the current row: runs a partition's sorted rows through
  // a frame whose both ends move forward, adding the rows that enter it and retracting those
  // that leave.
  void processSlidingFrames(const std::vector<std::string>& rows);
  // Appends the aggregates of `acc` to the output row being written.
  void appendAggregates(const AggAccumulator& acc);
  // Appends the NTILE / PERCENT_RANK / CUME_DIST values of row `i` of a sorted partition of
  // `rows` rows, whose peers are [peerBegin, peerEnd).
  void appendDistributions(size_t i, size_t peerBegin, size_t peerEnd, size_t rows);
  // Appends the LAG/LEAD values of the current row (encoded `current`): `at(delta)` is the
  // encoded row `delta` rows after it in the partition (negative: before), or null.
  template <class At>
  void appendOffsets(std::string_view current, At&& at);
  // Whether the retained row `i` of `frame` lies before the RANGE frame of a row whose ORDER
  // BY value is (orderNull, orderValue).
  bool beforeRange(const OverFrameState& frame, size_t i, bool orderNull, int64_t orderValue) const;
  void flush();
  void countLate(int64_t rows);

  SchemaPtr inputSchema_, outputSchema_;
  std::vector<SortKey> sortKeys_;
  RowOrder order_;
  // LAG / LEAD calls, computed here; the other calls go to the evaluator.
  struct OffsetCall {
    int64_t delta;  // rows after the current one (LAG: -offset)
    size_t argument;
    int defaultArgument;
    size_t outputColumn;
  };
  std::vector<OffsetCall> offsets_;
  // NTILE / PERCENT_RANK / CUME_DIST calls (batch mode), computed here too.
  struct DistributionCall {
    AggKind kind;
    int64_t buckets;  // NTILE's n
    size_t outputColumn;
  };
  std::vector<DistributionCall> distributions_;
  int64_t maxLag_ = 0;                    // streaming: rows LAG looks back
  std::vector<size_t> aggregateColumns_;  // the evaluator's calls' output columns
  AggregateEvaluator evaluator_;
  bool rowsFrame_;
  int64_t preceding_;  // -1: unbounded
  int64_t following_;  // 0: the current row (RANGE: its peers), -1: unbounded (batch only)
  bool finalOnly_;
  int orderColumn_ = -1;  // the single ORDER BY column, or -1
  Batch out_;
  MapState<int64_t, std::vector<std::string>>* pending_ = nullptr;  // streaming: by timestamp
  ValueState<OverFrameState>* frame_ = nullptr;                     // streaming
  ListState<std::string>* partitionRows_ = nullptr;                 // batch: arrival order
  std::vector<std::string> touched_;  // batch: partitions seen, in order
  std::unordered_set<std::string> touchedSet_;
};

}  // namespace glint::sql
