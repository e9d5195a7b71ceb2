#include "glint/sql/planner/window_rules.h"

#include <algorithm>
#include <optional>
#include <string>

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

// A time attribute plus a constant: `column`, `column + INTERVAL`, `column - INTERVAL`.
struct TimeTerm {
  int column = -1;
  int64_t offset = 0;
};

std::optional<TimeTerm> timeTerm(const BoundExpr& e) {
  if (e.kind == ExprKind::kColumn) return TimeTerm{e.column, 0};
  if (e.kind != ExprKind::kCall || e.args.size() != 2) return std::nullopt;
  const std::string_view name = e.functionName();
  if (name != "+" && name != "-") return std::nullopt;
  auto interval = [](const BoundExpr& x) {
    return x.isLiteral() && !x.literal.isNull && x.type == ExprType::kIntervalDayTime;
  };
  if (interval(*e.args[1])) {
    auto t = timeTerm(*e.args[0]);
    if (!t) return std::nullopt;
    t->offset += name == "+" ? e.args[1]->literal.integer : -e.args[1]->literal.integer;
    return t;
  }
  if (name == "+" && interval(*e.args[0])) {
    auto t = timeTerm(*e.args[1]);
    if (t) t->offset += e.args[0]->literal.integer;
    return t;
  }
  return std::nullopt;
}

void splitAnd(const BoundExprPtr& e, std::vector<BoundExprPtr>& out) {
  if (e->kind == ExprKind::kCall && e->functionName() == "AND") {
    for (const auto& a : e->args) splitAnd(a, out);
    return;
  }
  out.push_back(e);
}

// Flink's interval join condition: comparisons between the two rowtime columns (each plus an
// optional interval) that bound right - left from both sides.
void detectIntervalJoin(RelNode& join) {
  const RelNode& l = *join.inputs[0];
  const RelNode& r = *join.inputs[1];
  if (!join.joinCondition || l.updating || r.updating ||
      (l.rowtimeColumn < 0 && l.windowEndColumn < 0) ||
      (r.rowtimeColumn < 0 && r.windowEndColumn < 0))
    return;
  // Columns that equal a row's event time plus a constant: the rowtime, and window_end of
  // per-window rows (timestamped window_end - 1), so that q7's `B1.dateTime` (a window_end)
  // bounds the join as Flink's window_time would.
  const int width = static_cast<int>(l.columns.size());
  auto timeOffset = [&](int column, bool* isLeft, int64_t* delta) {
    const RelNode& side = column < width ? l : r;
    const int c = column < width ? column : column - width;
    *isLeft = column < width;
    if (c == side.rowtimeColumn || c == side.windowTimeColumn) {
      *delta = 0;
      return true;
    }
    if (c == side.windowEndColumn) {
      *delta = 1;
      return true;
    }
    return false;
  };
  std::vector<BoundExprPtr> conjuncts;
  splitAnd(join.joinCondition, conjuncts);
  bool hasLower = false, hasUpper = false;
  int64_t lower = INT64_MIN, upper = INT64_MAX;
  for (const auto& c : conjuncts) {
    if (c->kind != ExprKind::kCall || c->args.size() != 2) continue;
    std::string op(c->functionName());
    if (op != "<" && op != "<=" && op != ">" && op != ">=") continue;
    auto a = timeTerm(*c->args[0]);
    auto b = timeTerm(*c->args[1]);
    if (!a || !b) continue;
    bool aLeft, bLeft;
    int64_t aDelta, bDelta;
    if (!timeOffset(a->column, &aLeft, &aDelta) || !timeOffset(b->column, &bLeft, &bDelta) ||
        aLeft == bLeft)
      continue;
    a->offset += aDelta;
    b->offset += bDelta;
    // Rewrite `a op b` over the rows' event times as `right - left op k`.
    int64_t k;
    if (!aLeft) {
      k = b->offset - a->offset;  // tR + oa op tL + ob
    } else {
      k = a->offset - b->offset;  // tL + oa op tR + ob  <=>  tR - tL flip(op) oa - ob
      op = op[0] == '<' ? ">" + op.substr(1) : "<" + op.substr(1);
    }
    if (op == ">=" || op == ">") {
      const int64_t bound = op == ">" ? k + 1 : k;  // millisecond timestamps
      lower = hasLower ? std::max(lower, bound) : bound;
      hasLower = true;
    } else {
      const int64_t bound = op == "<" ? k - 1 : k;
      upper = hasUpper ? std::min(upper, bound) : bound;
      hasUpper = true;
    }
  }
  if (!hasLower || !hasUpper || lower > upper) return;
  join.intervalJoin = true;
  join.intervalLower = lower;
  join.intervalUpper = upper;
}

}  // namespace

void annotateWindows(RelNode& node) {
  for (auto& in : node.inputs) annotateWindows(*in);
  node.windowStartColumn = node.windowEndColumn = node.windowTimeColumn = -1;
  node.perWindow = false;
  node.intervalJoin = false;
  // Changelog modes of the inputs decide whether a join can be an interval join.
  for (auto& in : node.inputs) deriveChangelogModes(*in);
  switch (node.kind) {
    case RelKind::kWindowAggregate: {
      // Processing-time window results carry no event time later operators could window on.
      if (node.window.processingTime) break;
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
      // Calcs added by the optimizer did not get the rowtime: pass it through as the binder does.
      const RelNode& in = *node.inputs[0];
      node.rowtimeColumn = passedThrough(node, in.rowtimeColumn);
      // A filter keeps rows whole; a projection keeps the window if it keeps start and end
      // (window_end or window_time alone still tell the rows' event time, for interval joins).
      node.windowStartColumn = passedThrough(node, in.windowStartColumn);
      node.windowEndColumn = passedThrough(node, in.windowEndColumn);
      node.windowTimeColumn = passedThrough(node, in.windowTimeColumn);
      break;
    }
    case RelKind::kAggregate: {
      const RelNode& in = *node.inputs[0];
      if (!in.hasWindowColumns() || (node.aggregates.empty() && node.groupKeys.empty())) break;
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
      if (l.updating || r.updating || !l.hasWindowColumns() || !r.hasWindowColumns() ||
          !keysEquate(node, l.windowStartColumn, r.windowStartColumn) ||
          !keysEquate(node, l.windowEndColumn, r.windowEndColumn)) {
        detectIntervalJoin(node);
        break;
      }
      node.perWindow = true;
      // The window columns of a side that is never padded with NULLs (none for FULL).
      if (node.joinType == RelJoinType::kInner || node.joinType == RelJoinType::kLeft) {
        node.windowStartColumn = l.windowStartColumn;
        node.windowEndColumn = l.windowEndColumn;
        node.windowTimeColumn = l.windowTimeColumn;
      } else if (node.joinType == RelJoinType::kRight) {
        const int width = static_cast<int>(l.columns.size());
        node.windowStartColumn = r.windowStartColumn + width;
        node.windowEndColumn = r.windowEndColumn + width;
        node.windowTimeColumn = r.windowTimeColumn < 0 ? -1 : r.windowTimeColumn + width;
      }
      break;
    }
    case RelKind::kRank: {
      // Partitioned by an insert-only input's window: a window Top-N. It appends its rank, so
      // the input's columns keep their positions.
      const RelNode& in = *node.inputs[0];
      if (in.updating || !in.hasWindowColumns() ||
          positionIn(node.groupKeys, in.windowStartColumn) < 0 ||
          positionIn(node.groupKeys, in.windowEndColumn) < 0)
        break;
      node.perWindow = true;
      node.windowStartColumn = in.windowStartColumn;
      node.windowEndColumn = in.windowEndColumn;
      node.windowTimeColumn = in.windowTimeColumn;
      node.rowtimeColumn = in.windowTimeColumn;
      break;
    }
    default:
      break;
  }
}

}  // namespace glint::sql
