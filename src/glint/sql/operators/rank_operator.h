#pragma once
// Top-N by ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) with a rank filter `rn <= N`
// (Flink's rank operators; deduplication is the case N = 1).
#include <string>
#include <unordered_set>
#include <vector>

#include "glint/runtime/operators/keyed_operator.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// Keyed by the partition columns. Keeps each partition's rows sorted by the ORDER BY keys (ties
// in arrival order, so the first row of equal ones ranks first). Streaming: every input row
// changes the top N, and the operator emits the difference to what it emitted before, as
// Flink's retract rank does: with the rank column, -U/+U (or +I/-D) of the row at each rank
// whose row changed; without it, -D of rows that left the top N and +I of rows that entered.
// An insert-only input keeps only the top N rows per partition (Flink's append-only Top-N).
// With `finalOnly` (batch mode) it emits the top N of every partition as +I at end of input.
// With `windowEndColumn` >= 0 (window Top-N: the partition keys include window_start and
// window_end of an insert-only input) it emits each window's top N once, as +I with the event
// time window_end - 1, when the watermark passes the window, and forgets the window; rows of
// windows the watermark already passed are dropped, as Flink drops late rows.
class RankOperator final : public KeyedOperator {
 public:
  // Output: the input columns, then the rank (BIGINT) when `outputRank`.
  RankOperator(SchemaPtr input, std::vector<int> partitionKeys, std::vector<SortKey> sortKeys,
               int64_t limit, bool outputRank, bool retractingInput, bool finalOnly,
               SchemaPtr output, int windowEndColumn = -1);
  void open() override;
  void processBatch(int input, Batch&& batch) override;
  void finish() override;

 protected:
  void onEventTimeTimer(const Timer& timer) override;
  void flushOutput() override { flush(windowOut_); }

 private:
  // True when encoded row `a` sorts before `b`.
  bool before(std::string_view a, std::string_view b) const;
  void appendRow(std::string_view bytes, int64_t rank, RowKind kind, Batch& out);
  void emitDifference(const std::vector<std::string>& oldTop,
                      const std::vector<std::string>& newTop, Batch& out);
  void flush(Batch& out);

  SchemaPtr inputSchema_, outputSchema_;
  std::vector<SortKey> sortKeys_;
  std::vector<PhysicalType> sortPhysical_;
  int64_t limit_;
  bool outputRank_, retractingInput_, finalOnly_;
  int windowEndColumn_;
  Batch windowOut_;        // rows of the windows fired by the current watermark
  KeyEncoder rowEncoder_;  // all input columns
  ValueState<std::vector<std::string>>* rows_ = nullptr;
  std::vector<std::string> touched_;  // finalOnly: partitions seen, in order
  std::unordered_set<std::string> touchedSet_;
};

}  // namespace glint::sql
