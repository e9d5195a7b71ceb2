#pragma once
// Outer joins on the time-bounded join operators (Flink's window join and interval join with
// LEFT / RIGHT / FULL OUTER). Both emit insert-only rows:
// - window join: when a window fires, its pairs that satisfy the residual condition, then the
//   rows of each outer side that joined no row of that window, padded with NULLs;
// - interval join: pairs as rows arrive; a row of an outer side that has joined nothing is
//   emitted padded with NULLs once the watermark makes a match impossible (its clean-up time),
//   or at once when it can never match (NULL key, or behind the watermark's reach).
// Whether a row matched depends on the residual condition, so it is evaluated inside the
// operator, vectorised over all candidate pairs of a fired window or an input batch (an inner
// join applies it afterwards in a Calc instead). SQL equality: a NULL key matches nothing.
#include <memory>
#include <optional>
#include <vector>

#include "glint/runtime/operators/interval_join_operator.h"
#include "glint/runtime/operators/window_join_operator.h"
#include "glint/sql/expr/evaluator.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// Candidate pairs as rows of the join's output (left columns, then right columns) and the
// residual condition over them.
class JoinCandidates {
 public:
  JoinCandidates(SchemaPtr output, size_t leftWidth, const BoundExprPtr& residual);
  void add(const Batch& left, size_t leftRow, const Batch& right, size_t rightRow);
  // The pairs that satisfy the residual (all of them without one), ascending.
  const std::vector<uint32_t>& evaluate();
  // Appends pair `p` to `out` (the caller finishes the row).
  void appendPair(Batch& out, uint32_t p) const;
  size_t size() const { return pairs_.numRows(); }
  void clear() { pairs_.clear(); }

 private:
  size_t leftWidth_;
  Batch pairs_;
  std::optional<CompiledExpr> residual_;
  std::vector<uint32_t> selected_;
};

// Appends a row with `side`'s columns from `rows` and NULLs for the other side.
void appendPaddedRow(Batch& out, int side, size_t leftWidth, const Batch& rows, size_t row);

// Whether a join type keeps the unmatched rows of the left / right input.
inline bool keepsLeft(RelJoinType t) {
  return t == RelJoinType::kLeft || t == RelJoinType::kFull;
}
inline bool keepsRight(RelJoinType t) {
  return t == RelJoinType::kRight || t == RelJoinType::kFull;
}

class OuterWindowJoinOperator final : public WindowJoinOperatorBase {
 public:
  OuterWindowJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                          std::vector<int> rightKeys, SchemaPtr outputSchema,
                          WindowAssigner assigner, RelJoinType type, const BoundExprPtr& residual);

 private:
  void joinKey(const TimeWindow& w, const RowHandle* left, size_t numLeft, const RowHandle* right,
               size_t numRight) override;
  void windowFired(const TimeWindow& w) override;

  bool keep_[2];
  size_t leftWidth_;
  JoinCandidates candidates_;
  // The window's rows of the kept sides and whether each joined; each candidate pair's rows.
  std::vector<RowHandle> rows_[2];
  std::vector<uint8_t> matched_[2];
  std::vector<uint32_t> pairRow_[2];
};

class OuterIntervalJoinOperator final : public IntervalJoinOperatorBase {
 public:
  OuterIntervalJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
                            std::vector<int> rightKeys, SchemaPtr outputSchema, int64_t lowerBound,
                            int64_t upperBound, RelJoinType type, const BoundExprPtr& residual);
  void processBatch(int input, Batch&& batch) override;

 private:
  void rowExpired(int input, const Slice& slice, uint32_t row) override;
  bool hasNullKey(int input, const Batch& batch, size_t row) const;
  void emitPadded(int input, const Batch& rows, size_t row, int64_t ts);

  bool keep_[2];
  size_t leftWidth_;
  JoinCandidates candidates_;
  std::vector<uint32_t> arrivals_;  // the batch's rows that are not late
  std::vector<uint8_t> arrivalMatched_;
  std::vector<uint32_t> pairArrival_;
  std::vector<BufferedRow> pairOther_;  // slices do not move
  std::vector<uint8_t> storedMatched_;
  std::vector<int64_t> pairTime_;
};

}  // namespace glint::sql
