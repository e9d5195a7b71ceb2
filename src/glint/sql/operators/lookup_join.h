#pragma once
// The lookup join (Flink's processing-time temporal join `JOIN t FOR SYSTEM_TIME AS OF
// left.proctime`) against a bounded table: every task loads the table once, when it opens,
// into a hash table on the lookup keys, and joins each left row with the table's rows whose
// keys equal the row's key expressions (then the residual condition). LEFT keeps left rows
// without a match, padded with NULLs. Append-only: the table does not change while the job
// runs (Flink's lookup source without a cache reload).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "glint/connectors/file/file_source.h"
#include "glint/runtime/operator.h"
#include "glint/sql/expr/bound_expr.h"
#include "glint/sql/expr/evaluator.h"
#include "glint/sql/operators/sql_operators.h"

namespace glint::sql {

// Reads a bounded filesystem table and applies its Calcs (computed columns, filters,
// projections pushed below the join), in order.
struct LookupTableReader {
  FileSourceOptions file;
  SchemaPtr fileSchema;
  std::vector<CalcFunction> calcs;
  // The rows of the table, in one batch of the last Calc's output schema.
  Result<Batch> read(const SchemaPtr& output) const;
};

struct LookupJoinSpec {
  SchemaPtr left, right, output;  // output = left columns ++ right columns
  // Per key: an expression over the left row (of the right key's storage type) and the right
  // column it must equal. NULL keys match nothing.
  std::vector<BoundExprPtr> leftKeys;
  std::vector<int> rightKeys;
  BoundExprPtr residual;  // over the output row; may be null
  bool leftOuter = false;
  std::shared_ptr<const LookupTableReader> table;
};

class LookupJoinOperator final : public StreamOperator {
 public:
  explicit LookupJoinOperator(LookupJoinSpec spec) : spec_(std::move(spec)) {}
  void open() override;
  void processBatch(int input, Batch&& batch) override;

  size_t tableRows() const { return table_.numRows(); }

 private:
  LookupJoinSpec spec_;
  Batch table_;
  std::unordered_map<std::string, std::vector<uint32_t>> index_;
  std::vector<CompiledExpr> keyPrograms_;
  std::optional<CompiledExpr> residual_;
};

}  // namespace glint::sql
