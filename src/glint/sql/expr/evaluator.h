#pragma once
// The vectorised expression evaluator. A bound expression is compiled once into a tree of
// nodes that each process a whole batch: a node evaluates its arguments to columns (or
// constants) and runs one tight loop over them (the function's kernel, chosen at compile time
// for the argument types and their constness). So the per-row work is a loop body, and the
// per-batch work is one call per node.
//
// Lazy forms follow SQL and Flink: AND/OR evaluate their right operand only on rows the left
// one does not decide, CASE evaluates a branch only on the rows that reach it, COALESCE an
// argument only where the previous ones were NULL. So `CASE WHEN x = 0 THEN NULL ELSE 10 / x
// END` never divides by zero. (Each node evaluates under a selection of row indexes and
// produces dense results for those rows.)
//
// Runtime errors of user data (a CAST of text that is not a number, integer division by zero)
// throw GlintError with the function and the value, and fail the query as in Flink.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "glint/common/status.h"
#include "glint/sql/expr/bound_expr.h"
#include "glint/types/batch.h"

namespace glint::sql {

struct EvalOptions {
  // Epoch milliseconds for CURRENT_TIMESTAMP and friends, read once per evaluated batch;
  // the system clock when empty.
  std::function<int64_t()> clock;
  uint64_t randomSeed = 0x5eed;  // for RAND() without a seed
};

class CompiledExpr {
 public:
  // Checks the expression against the input schema (column indexes and types) and builds
  // the kernels (a malformed literal LIKE pattern or date format is reported here).
  static Result<CompiledExpr> compile(const BoundExprPtr& expr, const Schema& input,
                                      EvalOptions options = {});
  CompiledExpr(CompiledExpr&&) noexcept;
  CompiledExpr& operator=(CompiledExpr&&) noexcept;
  ~CompiledExpr();

  const BoundExprPtr& expr() const;
  ExprType type() const;

  // One value per row of `batch`, in a column of storageTypeOf(type()).
  Column evaluate(const Batch& batch);
  // One value per listed row, in the order of `rows`.
  Column evaluate(const Batch& batch, const std::vector<uint32_t>& rows);

  // For a BOOLEAN expression: the rows where it is TRUE (NULL and FALSE drop the row),
  // ascending. AND narrows the selection step by step (the right side only sees rows the left
  // side kept); OR evaluates its right side only on the rows the left side did not keep.
  std::vector<uint32_t> evaluatePredicate(const Batch& batch);
  void evaluatePredicate(const Batch& batch, std::vector<uint32_t>& selection);
  // The same under an existing selection (ascending row indexes).
  void evaluatePredicate(const Batch& batch, const std::vector<uint32_t>& rows,
                         std::vector<uint32_t>& selection);

 private:
  struct Impl;
  explicit CompiledExpr(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Several expressions over the same input producing a new batch (a projection). Row kinds,
// event timestamps and the source time of the input carry over.
class ProjectionProgram {
 public:
  static Result<ProjectionProgram> compile(const std::vector<BoundExprPtr>& exprs,
                                           const Schema& input, SchemaPtr output,
                                           EvalOptions options = {});
  Batch project(const Batch& input);
  // The same, taking the input's columns that are projected as they are (the last reference
  // to each) instead of copying them.
  Batch project(Batch&& input);
  const SchemaPtr& outputSchema() const { return output_; }

 private:
  std::vector<CompiledExpr> exprs_;
  // By expression: the input column it moves (a plain reference, the column's last one), or -1.
  std::vector<int> movedColumn_;
  SchemaPtr output_;
};

// Replaces every deterministic call, cast, CASE or IN whose operands are all literals by its
// value (bottom-up, so nested constant subtrees fold completely). RAND and the clock
// functions are never folded; a constant expression whose evaluation fails (CAST('x' AS INT),
// 1 / 0) is left as it is, so the error is raised when (and only if) a row evaluates it.
BoundExprPtr foldConstants(const BoundExprPtr& expr);

// The value of row `row` of a column as a literal of `type`.
Value valueAt(const Column& column, size_t row, ExprType type);

}  // namespace glint::sql
