#pragma once
// Processing-time attributes (Flink's PROCTIME()): a column whose value is a PROCTIME() call,
// either a computed column `p AS PROCTIME()` of a table or a select item `PROCTIME() AS p`,
// passed through unchanged by later projections. Window TVFs over such a column are
// processing-time windows; `FOR SYSTEM_TIME AS OF` such a column is a lookup join.
#include "glint/sql/expr/bound_expr.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

bool isProctimeCall(const BoundExpr& expr);
// Whether output column `column` of `node` is a processing-time attribute.
bool isProctimeAttribute(const RelNode& node, int column);

}  // namespace glint::sql
