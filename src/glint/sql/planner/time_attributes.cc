#include "glint/sql/planner/time_attributes.h"

namespace glint::sql {

bool isProctimeCall(const BoundExpr& expr) {
  return expr.kind == ExprKind::kCall && expr.functionName() == "PROCTIME";
}

bool isProctimeAttribute(const RelNode& node, int column) {
  if (column < 0 || column >= static_cast<int>(node.columns.size())) return false;
  switch (node.kind) {
    case RelKind::kScan:
    case RelKind::kCalc: {
      if (column >= static_cast<int>(node.projections.size())) return false;
      const BoundExpr& e = *node.projections[column];
      if (isProctimeCall(e)) return true;
      // A scan's projections read the physical columns, which are never attributes.
      return node.kind == RelKind::kCalc && e.kind == ExprKind::kColumn &&
             isProctimeAttribute(*node.inputs[0], e.column);
    }
    case RelKind::kJoin: {
      const int left = static_cast<int>(node.inputs[0]->columns.size());
      return column < left ? isProctimeAttribute(*node.inputs[0], column)
                           : isProctimeAttribute(*node.inputs[1], column - left);
    }
    case RelKind::kUnion:
      return isProctimeAttribute(*node.inputs[0], column) &&
             isProctimeAttribute(*node.inputs[1], column);
    default:
      return false;
  }
}

}  // namespace glint::sql
