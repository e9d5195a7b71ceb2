#include "glint/sql/planner/optimizer.h"

#include <algorithm>
#include <set>

#include "glint/sql/expr/evaluator.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/planner/over_rules.h"
#include "glint/sql/planner/unique_keys.h"
#include "glint/sql/planner/window_rules.h"

namespace glint::sql {

namespace {

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

BoundExprPtr shift(const BoundExprPtr& e, int delta, int columns) {
  std::vector<int> mapping(columns, -1);
  for (int i = 0; i < columns; ++i) mapping[i] = i + delta;
  auto r = remapColumns(e, mapping);
  GLINT_CHECK(r.isOk());
  return *r;
}

bool isIdentity(const RelNode& calc) {
  if (calc.condition) return false;
  const auto& in = calc.inputs[0]->columns;
  if (calc.projections.size() != in.size()) return false;
  for (size_t i = 0; i < calc.projections.size(); ++i) {
    const auto& p = calc.projections[i];
    if (p->kind != ExprKind::kColumn || p->column != static_cast<int>(i)) return false;
    if (calc.columns[i].name != in[i].name) return false;
  }
  return true;
}

// Pushes conjuncts of a filter over an inner join into the join (keys, residual) and below it.
void pushFilterIntoJoin(RelNode& calc) {
  RelNode& join = *calc.inputs[0];
  if (join.joinType != RelJoinType::kInner || !calc.condition) return;
  std::vector<BoundExprPtr> parts;
  splitConjuncts(calc.condition, parts);
  if (join.joinCondition) splitConjuncts(join.joinCondition, parts);
  calc.condition = nullptr;
  join.joinCondition = conjunction(parts);
}

void extractJoinKeys(RelNode& join) {
  if (!join.joinCondition) return;
  const int nLeft = static_cast<int>(join.inputs[0]->columns.size());
  const int nRight = static_cast<int>(join.inputs[1]->columns.size());
  std::vector<BoundExprPtr> parts, residual, leftOnly, rightOnly;
  splitConjuncts(join.joinCondition, parts);
  for (const auto& p : parts) {
    auto refs = referencedColumns(*p);
    const bool allLeft = !refs.empty() && refs.back() < nLeft;
    const bool allRight = !refs.empty() && refs.front() >= nLeft;
    if (join.joinType == RelJoinType::kInner && allLeft) {
      leftOnly.push_back(p);
      continue;
    }
    if (join.joinType == RelJoinType::kInner && allRight) {
      rightOnly.push_back(shift(p, -nLeft, nLeft + nRight));
      continue;
    }
    if (p->kind == ExprKind::kCall && p->functionName() == "=" &&
        p->args[0]->kind == ExprKind::kColumn && p->args[1]->kind == ExprKind::kColumn) {
      int a = p->args[0]->column, b = p->args[1]->column;
      if (a >= nLeft) std::swap(a, b);
      if (a < nLeft && b >= nLeft &&
          storageTypeOf(join.inputs[0]->columns[a].type) ==
              storageTypeOf(join.inputs[1]->columns[b - nLeft].type)) {
        join.leftKeys.push_back(a);
        join.rightKeys.push_back(b - nLeft);
        continue;
      }
    }
    residual.push_back(p);
  }
  join.joinCondition = conjunction(residual);
  auto pushDown = [&](RelPtr& input, const std::vector<BoundExprPtr>& filters) {
    if (filters.empty()) return;
    auto calc = std::make_shared<RelNode>();
    calc->kind = RelKind::kCalc;
    calc->condition = conjunction(filters);
    for (size_t i = 0; i < input->columns.size(); ++i)
      calc->projections.push_back(makeColumnRef(static_cast<int>(i), input->columns[i].type,
                                                input->columns[i].nullable,
                                                input->columns[i].name));
    calc->columns = input->columns;
    calc->rowtimeColumn = input->rowtimeColumn;
    calc->inputs = {input};
    input = calc;
  };
  pushDown(join.inputs[0], leftOnly);
  pushDown(join.inputs[1], rightOnly);
}

// Below a Calc over a join, keeps only the columns the Calc, the keys and the residual use.
void pruneJoinInputs(RelNode& calc) {
  RelNode& join = *calc.inputs[0];
  const int nLeft = static_cast<int>(join.inputs[0]->columns.size());
  const int total = static_cast<int>(join.columns.size());
  std::set<int> used;
  for (const auto& p : calc.projections)
    for (int c : referencedColumns(*p)) used.insert(c);
  if (calc.condition)
    for (int c : referencedColumns(*calc.condition)) used.insert(c);
  if (join.joinCondition)
    for (int c : referencedColumns(*join.joinCondition)) used.insert(c);
  for (int k : join.leftKeys) used.insert(k);
  for (int k : join.rightKeys) used.insert(k + nLeft);
  if (static_cast<int>(used.size()) == total) return;
  std::vector<int> mapping(total, -1);
  std::vector<int> keepLeft, keepRight;
  for (int c : used) (c < nLeft ? keepLeft : keepRight).push_back(c < nLeft ? c : c - nLeft);
  for (size_t i = 0; i < keepLeft.size(); ++i) mapping[keepLeft[i]] = static_cast<int>(i);
  for (size_t i = 0; i < keepRight.size(); ++i)
    mapping[keepRight[i] + nLeft] = static_cast<int>(keepLeft.size() + i);
  auto project = [&](RelPtr& input, const std::vector<int>& keep) {
    if (keep.size() == input->columns.size()) return;
    auto c = std::make_shared<RelNode>();
    c->kind = RelKind::kCalc;
    for (int k : keep) {
      const auto& col = input->columns[k];
      c->projections.push_back(makeColumnRef(k, col.type, col.nullable, col.name));
      c->columns.push_back(col);
      if (k == input->rowtimeColumn) c->rowtimeColumn = static_cast<int>(c->columns.size()) - 1;
    }
    c->inputs = {input};
    input = c;
  };
  project(join.inputs[0], keepLeft);
  project(join.inputs[1], keepRight);
  std::vector<RelColumn> columns;
  for (int i = 0; i < total; ++i)
    if (mapping[i] >= 0) columns.push_back(join.columns[i]);
  join.columns = columns;
  for (int& k : join.leftKeys) k = mapping[k];
  for (int& k : join.rightKeys) k = mapping[k + nLeft] - static_cast<int>(keepLeft.size());
  auto remap = [&](BoundExprPtr& e) {
    if (!e) return;
    auto r = remapColumns(e, mapping);
    GLINT_CHECK(r.isOk());
    e = *r;
  };
  remap(join.joinCondition);
  remap(calc.condition);
  for (auto& p : calc.projections) remap(p);
}

RelPtr rewrite(RelPtr node) {
  for (auto& in : node->inputs) in = rewrite(in);
  auto fold = [](BoundExprPtr& e) {
    if (e) e = foldConstants(e);
  };
  fold(node->condition);
  fold(node->joinCondition);
  for (auto& p : node->projections) fold(p);
  if (node->condition && node->condition->isLiteral() && !node->condition->literal.isNull &&
      node->condition->literal.integer != 0)
    node->condition = nullptr;  // WHERE TRUE
  if (node->kind == RelKind::kCalc && node->inputs[0]->kind == RelKind::kJoin) {
    pushFilterIntoJoin(*node);
    extractJoinKeys(*node->inputs[0]);
    pruneJoinInputs(*node);
    for (auto& in : node->inputs[0]->inputs) in = rewrite(in);
  }
  if (node->kind == RelKind::kJoin) extractJoinKeys(*node);
  if (node->kind == RelKind::kCalc && isIdentity(*node)) return node->inputs[0];
  return node;
}

}  // namespace

RelPtr optimize(RelPtr plan) {
  plan = rewrite(std::move(plan));
  plan = pushRankFilters(std::move(plan));
  annotateWindows(*plan);
  deriveChangelogModes(*plan);
  deriveUniqueKeys(*plan);
  return plan;
}

}  // namespace glint::sql
