#include "glint/sql/planner/streaming_sort.h"

#include "glint/sql/catalog/catalog.h"

namespace glint::sql {

Status checkStreamingOrderBy(const Query& query, const RelNode& plan, std::string_view sql) {
  if (query.orderBy.empty() || query.limit) return Status::ok();
  // The query's sort is the plan's top Sort, under the Calcs that drop hidden sort columns.
  const RelNode* node = &plan;
  while (node->kind == RelKind::kCalc && !node->inputs.empty()) node = node->inputs[0].get();
  if (node->kind != RelKind::kSort || node->limit >= 0 || node->sortKeys.empty())
    return Status::ok();
  const RelNode& input = *node->inputs[0];
  const SortKey& first = node->sortKeys[0];
  const OrderItem& item = query.orderBy[0];
  const std::string hint =
      "; add a LIMIT for a Top-N, or set 'execution.runtime-mode' = 'batch' to sort on anything";
  if (first.column != input.rowtimeColumn) {
    std::string attribute =
        input.rowtimeColumn >= 0 ? " (here `" + input.columns[input.rowtimeColumn].name + "`)" : "";
    return sqlError(sql, item.expr->span,
                    "Sort on a non-time-attribute field is not supported in streaming mode: "
                    "ORDER BY must sort first on a time attribute in ascending order" +
                        attribute + hint);
  }
  if (first.descending)
    return sqlError(sql, item.span,
                    "Sort on the time attribute `" + input.columns[first.column].name +
                        "` must be ascending in streaming mode" + hint);
  return Status::ok();
}

}  // namespace glint::sql
