#pragma once
// Top-N by ROW_NUMBER(), RANK() or DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...) with a
// rank filter `rn <= N` (Flink's rank operators; deduplication is ROW_NUMBER with N = 1).
#include <string>
#include <unordered_set>
#include <vector>

#include "glint/runtime/operators/keyed_operator.h"
#include "glint/sql/operators/row_order.h"
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
// RANK and DENSE_RANK give peers (rows equal on the ORDER BY keys) the same rank, RANK leaving
// gaps after them; the top N is every row whose rank is at most N, so a tie can keep more
// than N rows. Limit -1 (batch mode only) keeps every row.
class RankOperator final : public KeyedOperator {
 public:
  // Output: the input columns, then the rank (BIGINT) when `outputRank`.
  RankOperator(SchemaPtr input, std::vector<int> partitionKeys, std::vector<SortKey> sortKeys,
               int64_t limit, bool outputRank, bool retractingInput, bool finalOnly,
               SchemaPtr output, int windowEndColumn = -1,
               RankFunction function = RankFunction::kRowNumber);
  void open() override;
  void processBatch(int input, Batch&& batch) override;
  void finish() override;

 protected:
  void onEventTimeTimer(const Timer& timer) override;
  void flushOutput() override { flush(windowOut_); }

 private:
  // The ranks of the leading rows of `rows` (sorted) whose rank is within the limit.
  std::vector<int64_t> topRanks(const std::vector<std::string>& rows) const;
  void appendRow(std::string_view bytes, int64_t rank, RowKind kind, Batch& out);
  void emitDifference(const std::vector<std::string>& oldTop,
                      const std::vector<std::string>& newTop, Batch& out);
  // RANK / DENSE_RANK with the rank in the output: a row's rank can change without the row
  // leaving the top, so (row, rank) pairs are compared.
  void emitRankedDifference(const std::vector<std::string>& oldTop,
                            const std::vector<int64_t>& oldRanks,
                            const std::vector<std::string>& newTop,
                            const std::vector<int64_t>& newRanks, Batch& out);
  void flush(Batch& out);

  SchemaPtr inputSchema_, outputSchema_;
  RowOrder order_;  // the ORDER BY of the window over encoded rows (all input columns)
  int64_t limit_;
  RankFunction function_;
  bool outputRank_, retractingInput_, finalOnly_;
  int windowEndColumn_;
  Batch windowOut_;  // rows of the windows fired by the current watermark
  ValueState<std::vector<std::string>>* rows_ = nullptr;
  std::vector<std::string> touched_;  // finalOnly: partitions seen, in order
  std::unordered_set<std::string> touchedSet_;
};

}  // namespace glint::sql
