#include "glint/sql/planner/over_rules.h"

#include <algorithm>
#include <set>

#include "glint/sql/expr/functions.h"

namespace glint::sql {

namespace {

std::string upperName(const FunctionCallExpr& call) {
  std::string s = call.name.parts.back().name;
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The column `e` reads when it is a plain column reference (through casts that keep values).
int columnOf(const BoundExpr& e) {
  return e.kind == ExprKind::kColumn ? e.column : -1;
}

void splitConjuncts(const BoundExprPtr& e, std::vector<BoundExprPtr>& out) {
  if (e->kind == ExprKind::kCall && e->functionName() == "AND") {
    for (const auto& a : e->args) splitConjuncts(a, out);
    return;
  }
  out.push_back(e);
}

BoundExprPtr conjunction(const std::vector<BoundExprPtr>& parts) {
  if (parts.empty()) return nullptr;
  BoundExprPtr e = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    auto r = makeCall("AND", {e, parts[i]});
    GLINT_CHECK(r.isOk());
    e = *r;
  }
  return e;
}

bool integerLiteral(const BoundExpr& e, int64_t* value) {
  if (!e.isLiteral() || e.literal.isNull) return false;
  switch (e.literal.type) {
    case ExprType::kInt:
    case ExprType::kBigint:
      *value = e.literal.integer;
      return true;
    default:
      return false;
  }
}

// The largest rank `condition` admits when it bounds column `rank` from above, or -1.
int64_t rankBound(const BoundExpr& condition, int rank) {
  if (condition.kind != ExprKind::kCall || condition.args.size() != 2) return -1;
  std::string op(condition.functionName());
  const BoundExpr* column = condition.args[0].get();
  const BoundExpr* literal = condition.args[1].get();
  if (columnOf(*column) != rank) {
    std::swap(column, literal);
    // Mirror the comparison: `N >= rn` is `rn <= N`.
    if (op == ">=")
      op = "<=";
    else if (op == ">")
      op = "<";
    else if (op == "<=")
      op = ">=";
    else if (op == "<")
      op = ">";
  }
  int64_t n = 0;
  if (columnOf(*column) != rank || !integerLiteral(*literal, &n)) return -1;
  if (op == "<=") return n;
  if (op == "<") return n - 1;
  if (op == "=" && n == 1) return 1;  // deduplication
  return -1;
}

// Follows column `c` of `node` down through Calcs that pass columns through; returns the node
// that produces it and its column there.
std::pair<RelNode*, int> origin(RelNode* node, int c) {
  while (node->kind == RelKind::kCalc && !node->condition) {
    const BoundExpr& p = *node->projections[static_cast<size_t>(c)];
    if (p.kind != ExprKind::kColumn) break;
    c = p.column;
    node = node->inputs[0].get();
  }
  return {node, c};
}

// Whether `calc` (above `rank` through pass-through Calcs) reads the rank column.
bool rankColumnRead(const RelNode& calc, const RelNode* rank) {
  for (const auto& p : calc.projections)
    for (int c : referencedColumns(*p)) {
      auto [node, column] = origin(calc.inputs[0].get(), c);
      if (node == rank && column == static_cast<int>(rank->columns.size()) - 1) return true;
    }
  if (calc.condition)
    for (int c : referencedColumns(*calc.condition)) {
      auto [node, column] = origin(calc.inputs[0].get(), c);
      if (node == rank && column == static_cast<int>(rank->columns.size()) - 1) return true;
    }
  return false;
}

// Removes the rank column of `rank` where the Calcs between `calc` and it pass it through.
void dropRankColumn(RelNode& calc, RelNode& rank) {
  // Walk down, removing the passed-through column from each intermediate Calc.
  std::vector<RelNode*> chain;
  for (RelNode* n = calc.inputs[0].get(); n != &rank; n = n->inputs[0].get()) chain.push_back(n);
  const int rankColumn = static_cast<int>(rank.columns.size()) - 1;
  rank.columns.pop_back();
  rank.rankColumn = false;
  int removed = rankColumn;  // the removed column of the node below the current one
  // Bottom-up: each Calc drops projections of the removed column and renumbers the rest.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    RelNode& c = **it;
    const size_t inputWidth = c.inputs[0]->columns.size() + 1;
    std::vector<int> mapping(inputWidth);
    for (size_t i = 0; i < inputWidth; ++i)
      mapping[i] = static_cast<int>(i) < removed ? static_cast<int>(i) : static_cast<int>(i) - 1;
    int next = -1;
    std::vector<BoundExprPtr> projections;
    std::vector<RelColumn> columns;
    for (size_t i = 0; i < c.projections.size(); ++i) {
      if (columnOf(*c.projections[i]) == removed) {
        next = static_cast<int>(i);
        continue;
      }
      auto r = remapColumns(c.projections[i], mapping);
      GLINT_CHECK(r.isOk());
      projections.push_back(*r);
      columns.push_back(c.columns[i]);
    }
    if (c.rowtimeColumn > next && next >= 0) --c.rowtimeColumn;
    c.projections = projections;
    c.columns = columns;
    removed = next;
    if (removed < 0) break;
  }
  if (removed < 0) return;
  const size_t inputWidth = calc.inputs[0]->columns.size() + 1;
  std::vector<int> mapping(inputWidth);
  for (size_t i = 0; i < inputWidth; ++i)
    mapping[i] = static_cast<int>(i) < removed ? static_cast<int>(i) : static_cast<int>(i) - 1;
  for (auto& p : calc.projections) {
    auto r = remapColumns(p, mapping);
    GLINT_CHECK(r.isOk());
    p = *r;
  }
  if (calc.condition) {
    auto r = remapColumns(calc.condition, mapping);
    GLINT_CHECK(r.isOk());
    calc.condition = *r;
  }
}

void pushInto(RelNode& calc) {
  if (!calc.condition) return;
  std::vector<BoundExprPtr> parts, kept;
  splitConjuncts(calc.condition, parts);
  for (const auto& p : parts) {
    int64_t bound = -1;
    for (int c : referencedColumns(*p)) {
      auto [node, column] = origin(calc.inputs[0].get(), c);
      if (node->kind != RelKind::kRank || !node->rankColumn ||
          column != static_cast<int>(node->columns.size()) - 1)
        continue;
      bound = rankBound(*p, c);
      if (bound >= 0) node->limit = node->limit < 0 ? bound : std::min(node->limit, bound);
    }
    // Every row a rank node with limit N emits has a rank <= N: the conjunct is implied.
    if (bound < 0) kept.push_back(p);
  }
  calc.condition = conjunction(kept);
}

// Drops the rank column below `calc` when `calc` does not read it: nothing above can then.
void dropUnreadRankColumn(RelNode& calc) {
  RelNode* rank = calc.inputs[0].get();
  while (rank->kind == RelKind::kCalc && !rank->condition) rank = rank->inputs[0].get();
  if (rank->kind != RelKind::kRank || !rank->rankColumn || rankColumnRead(calc, rank)) return;
  // Every Calc between must pass the column through unchanged (or drop it).
  for (RelNode* n = calc.inputs[0].get(); n != rank; n = n->inputs[0].get())
    for (const auto& p : n->projections)
      if (p->kind != ExprKind::kColumn) {
        auto refs = referencedColumns(*p);
        for (int c : refs)
          if (origin(n->inputs[0].get(), c) ==
              std::pair<RelNode*, int>{rank, static_cast<int>(rank->columns.size()) - 1})
            return;
      }
  dropRankColumn(calc, *rank);
}

}  // namespace

Result<RelPtr> planRowNumber(const FunctionCallExpr& call, RelPtr input, const BindFunction& bind,
                             const ErrorFunction& error) {
  const std::string name = upperName(call);
  const WindowSpec& over = *call.over;
  if (name != "ROW_NUMBER")
    return error(call.span, "the window function " + name + " is not supported yet", "");
  if (!call.arguments.empty()) return error(call.span, "ROW_NUMBER() takes no arguments", "");
  if (over.baseWindow) return error(over.span, "named windows are not supported yet", "");
  if (over.frame) return error(over.span, "ROW_NUMBER() does not take a window frame", "");
  if (over.orderBy.empty())
    return error(over.span, "ROW_NUMBER() needs an ORDER BY in its OVER window",
                 "e.g. OVER (PARTITION BY k ORDER BY x DESC)");
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kRank;
  for (const auto& p : over.partitionBy) {
    auto b = bind(*p);
    if (!b.isOk()) return b.status();
    if (columnOf(**b) < 0)
      return error(p->span, "PARTITION BY of an OVER window must name a column", "");
    node->groupKeys.push_back((*b)->column);
  }
  for (const auto& o : over.orderBy) {
    auto b = bind(*o.expr);
    if (!b.isOk()) return b.status();
    if (columnOf(**b) < 0)
      return error(o.span, "ORDER BY of an OVER window must name a column", "");
    SortKey key;
    key.column = (*b)->column;
    key.descending = o.descending;
    // As the query's ORDER BY (Flink): NULLS FIRST ascending, NULLS LAST descending.
    key.nullsFirst = o.nulls == NullOrder::kDefault ? !o.descending : o.nulls == NullOrder::kFirst;
    node->sortKeys.push_back(key);
  }
  node->columns = input->columns;
  node->columns.push_back({"ROW_NUMBER()", ExprType::kBigint, false});
  node->inputs = {std::move(input)};
  return RelPtr(node);
}

RelPtr pushRankFilters(RelPtr plan) {
  for (auto& in : plan->inputs) in = pushRankFilters(in);
  if (plan->kind == RelKind::kCalc) {
    pushInto(*plan);
    dropUnreadRankColumn(*plan);
  }
  return plan;
}

}  // namespace glint::sql
