#pragma once
// The operators the SQL planner adds on top of the engine's: vectorised Calc (filter and
// projection), group aggregation (group_aggregate.h), regular joins with a changelog, and a
// final sort/limit over bounded input.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "glint/runtime/operators/keyed_operator.h"
#include "glint/runtime/operators/window_operator.h"
#include "glint/sql/expr/evaluator.h"
#include "glint/sql/operators/aggregate_functions.h"
#include "glint/sql/operators/group_aggregate.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// Filter then projection over whole batches, as one function for DataStream::mapBatch. Each
// copy (one per subtask) compiles its own programs on first use: compiled programs keep
// scratch buffers and are not shared between threads.
class CalcFunction {
 public:
  CalcFunction(SchemaPtr input, SchemaPtr output, BoundExprPtr condition,
               std::vector<BoundExprPtr> projections);
  CalcFunction(const CalcFunction& other);
  Batch operator()(Batch&& batch);
  // The same over a batch other operators read too: copies only what it projects.
  Batch fromShared(const Batch& batch);
  size_t sharedCopyWidth() const { return sharedCopyWidth_; }
  // Checks that the expressions compile against the input (called once at planning time).
  Status validate() const;

 private:
  void compile();
  struct Compiled {
    std::optional<CompiledExpr> condition;
    std::optional<ProjectionProgram> projection;
    std::vector<uint32_t> selection;
  };
  SchemaPtr input_, outputSchema_;
  BoundExprPtr condition_;
  std::vector<BoundExprPtr> projections_;
  bool identityProjection_ = false;
  size_t sharedCopyWidth_ = SIZE_MAX;  // input columns fromShared copies (SIZE_MAX: all)
  std::unique_ptr<Compiled> compiled_;
};

// A window TVF without aggregation: every row once per window that contains its time column
// (TUMBLE, HOP, CUMULATE), followed by window_start, window_end, window_time; the row's event
// time becomes window_time (= window_end - 1), so later per-window operators fire on it.
// Rows whose time is NULL belong to no window.
class WindowAssignFunction {
 public:
  WindowAssignFunction(SchemaPtr output, WindowSpecification spec)
      : output_(std::move(output)), spec_(spec) {}
  Batch operator()(Batch&& batch);

 private:
  SchemaPtr output_;
  WindowSpecification spec_;
  std::vector<uint32_t> rows_;
  std::vector<int64_t> starts_, ends_;
};

// Regular join on equal keys with a residual condition: keyed state of both sides' rows
// (row -> multiplicity, number of matches), Flink's changelog semantics for inner, left,
// right and full joins. A side of an inner join whose input is insert-only (`updatingInputs`
// false) keeps its rows in list state (appended, never looked up: no retraction can come and
// no match count is needed), which is much cheaper than the row -> counts map.
//
// Inner join with a unique side (`uniqueSides[s]` set: the planner found that input s is
// insert-only and its join key contains one of its unique keys, Flink's
// JoinKeyContainsUniqueKey): side s keeps its one row per join key in value state, and
// because no second row of s can come for that key, the other side's rows are kept only until
// it arrives: it joins them and drops them, and a later row of the other side is joined and
// not kept (a retraction of one joins and emits the retraction). A second row of s with the
// same join key (the NOT ENFORCED key was violated) fails the job; the text of
// `uniqueSides[s]` says which input and key that is.
class JoinOperator final : public KeyedOperator {
 public:
  JoinOperator(SchemaPtr left, std::vector<int> leftKeys, SchemaPtr right,
               std::vector<int> rightKeys, SchemaPtr output, RelJoinType type,
               BoundExprPtr residual, StateOptions state,
               std::array<bool, 2> updatingInputs = {true, true},
               std::array<std::optional<std::string>, 2> uniqueSides = {});
  void open() override;
  void processBatch(int input, Batch&& batch) override;

 private:
  struct StoredRow {
    std::string bytes;
    int64_t count = 0;
    int64_t associations = 0;
  };
  void processWithUniqueSide(int side, Batch&& batch);
  // Emits the candidate pairs (pairRows_ of `input`, arriving on `side`, with pairOthers_ of
  // otherRows_) that satisfy the residual condition, and forgets them.
  void emitMatchingPairs(const Batch& input, int side);
  [[noreturn]] void failDuplicate(int side, const Batch& batch, size_t row);
  void appendSide(int side, const Batch* batch, size_t row, const std::string* bytes, Batch& out);
  // Appends a stored row of `side` to columns [base, base + width) of `out`.
  void decodeInto(int side, std::string_view bytes, Batch& out, size_t base);

  SchemaPtr schemas_[2];
  SchemaPtr outputSchema_;
  RelJoinType type_;
  BoundExprPtr residual_;
  StateOptions stateOptions_;
  std::optional<CompiledExpr> residualProgram_;
  // The residual over just the columns it reads (residualColumns_ of the output, in order).
  std::vector<int> residualColumns_;
  SchemaPtr narrowSchema_;
  std::optional<CompiledExpr> narrowResidual_;
  SchemaPtr pairSchema_;
  KeyEncoder rowEncoders_[2];
  MapState<std::string, std::pair<int64_t, int64_t>>* rows_[2] = {nullptr, nullptr};
  bool appendOnly_[2] = {false, false};
  ListState<std::string>* appended_[2] = {nullptr, nullptr};
  std::array<std::optional<std::string>, 2> uniqueSides_;
  ValueState<std::string>* uniqueRow_[2] = {nullptr, nullptr};
  std::vector<uint32_t> selection_;
  std::string rowBytes_, storedRow_;
  Batch otherRows_;  // stored rows of the other side met by this batch, decoded
  std::vector<uint32_t> pairRows_, pairOthers_;
  windowing::BatchKeyGroups groups_;
};

// ORDER BY / LIMIT / OFFSET over a bounded input: materializes the input changelog and emits
// the sorted rows at the end (parallelism 1).
class SortLimitOperator final : public StreamOperator {
 public:
  SortLimitOperator(SchemaPtr schema, std::vector<SortKey> keys, int64_t limit, int64_t offset);
  void processBatch(int input, Batch&& batch) override;
  void processWatermark(int64_t) override {}
  void finish() override;

 private:
  SchemaPtr schema_;
  std::vector<SortKey> keys_;
  int64_t limit_, offset_;
  Batch rows_;
};

// Writes one value of `column` at `row` as Flink's SQL client prints it (nullopt for NULL).
std::optional<std::string> formatSqlValue(const Column& column, size_t row, ExprType type);

}  // namespace glint::sql
