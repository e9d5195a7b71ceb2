#include "glint/sql/planner/window_rules.h"

#include <algorithm>

namespace glint::sql {

namespace {

// The output position of input column `column` when a projection passes it through unchanged.
int passedThrough(const RelNode& calc, int column) {
  if (column < 0) return -1;
  for (size_t i = 0; i < calc.projections.size(); ++i)
    if (calc.projections[i]->kind == ExprKind::kColumn && calc.projections[i]->column == column)
      return static_cast<int>(i);
  return -1;
}

int positionIn(const std::vector<int>& v, int x) {
  auto it = std::find(v.begin(), v.end(), x);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

bool keysEquate(const RelNode& join, int left, int right) {
  for (size_t i = 0; i < join.leftKeys.size(); ++i)
    if (join.leftKeys[i] == left && join.rightKeys[i] == right) return true;
  return false;
}

}  // namespace

void annotateWindows(RelNode& node) {
  for (auto& in : node.inputs) annotateWindows(*in);
  node.windowStartColumn = node.windowEndColumn = node.windowTimeColumn = -1;
  node.perWindow = false;
  switch (node.kind) {
    case RelKind::kWindowAggregate: {
      const int k = static_cast<int>(node.groupKeys.size());
      node.windowStartColumn = k;
      node.windowEndColumn = k + 1;
      node.windowTimeColumn = k + 2;
      break;
    }
    case RelKind::kWindowAssign:
      node.windowStartColumn = static_cast<int>(node.columns.size()) - 3;
      node.windowEndColumn = node.windowStartColumn + 1;
      node.windowTimeColumn = node.windowStartColumn + 2;
      break;
    case RelKind::kCalc: {
      // A filter keeps rows whole; a projection keeps the window if it keeps start and end.
      const RelNode& in = *node.inputs[0];
      if (!in.hasWindowColumns()) break;
      const int start = passedThrough(node, in.windowStartColumn);
      const int end = passedThrough(node, in.windowEndColumn);
      if (start < 0 || end < 0) break;
      node.windowStartColumn = start;
      node.windowEndColumn = end;
      node.windowTimeColumn = passedThrough(node, in.windowTimeColumn);
      break;
    }
    case RelKind::kAggregate: {
      const RelNode& in = *node.inputs[0];
      if (!in.hasWindowColumns() || node.aggregates.empty() && node.groupKeys.empty()) break;
      const int start = positionIn(node.groupKeys, in.windowStartColumn);
      const int end = positionIn(node.groupKeys, in.windowEndColumn);
      if (start < 0 || end < 0) break;
      node.perWindow = true;
      node.windowStartColumn = start;
      node.windowEndColumn = end;
      node.windowTimeColumn = positionIn(node.groupKeys, in.windowTimeColumn);
      break;
    }
    case RelKind::kJoin: {
      const RelNode& l = *node.inputs[0];
      const RelNode& r = *node.inputs[1];
      if (node.joinType != RelJoinType::kInner || !l.hasWindowColumns() || !r.hasWindowColumns())
        break;
      if (!keysEquate(node, l.windowStartColumn, r.windowStartColumn) ||
          !keysEquate(node, l.windowEndColumn, r.windowEndColumn))
        break;
      node.perWindow = true;
      node.windowStartColumn = l.windowStartColumn;
      node.windowEndColumn = l.windowEndColumn;
      node.windowTimeColumn = l.windowTimeColumn;
      break;
    }
    default:
      break;
  }
}

}  // namespace glint::sql
