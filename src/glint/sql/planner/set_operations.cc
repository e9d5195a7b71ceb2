#include "glint/sql/planner/set_operations.h"

#include "glint/sql/expr/functions.h"

namespace glint::sql {

namespace {

RelPtr calcOver(RelPtr input, std::vector<BoundExprPtr> projections,
                std::vector<RelColumn> columns) {
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kCalc;
  node->projections = std::move(projections);
  node->columns = std::move(columns);
  node->inputs = {std::move(input)};
  return node;
}

// The input's columns followed by the side markers (1, 0) for the left input, (0, 1) for the
// right one: summed per row, they count the rows of each side.
RelPtr tagged(RelPtr input, const std::vector<RelColumn>& columns, bool left) {
  std::vector<BoundExprPtr> projections;
  for (size_t i = 0; i < columns.size(); ++i)
    projections.push_back(
        makeColumnRef(static_cast<int>(i), columns[i].type, columns[i].nullable, columns[i].name));
  projections.push_back(makeLiteral(Value::int64(left ? 1 : 0)));
  projections.push_back(makeLiteral(Value::int64(left ? 0 : 1)));
  auto out = columns;
  out.push_back({"$left", ExprType::kBigint, false});
  out.push_back({"$right", ExprType::kBigint, false});
  return calcOver(std::move(input), std::move(projections), std::move(out));
}

}  // namespace

Result<RelPtr> planIntersectOrExcept(SetDifferenceKind kind, bool all, RelPtr left, RelPtr right,
                                     const std::vector<RelColumn>& columns) {
  const int width = static_cast<int>(columns.size());
  auto both = std::make_shared<RelNode>();
  both->kind = RelKind::kUnion;
  both->inputs = {tagged(std::move(left), columns, true), tagged(std::move(right), columns, false)};
  both->columns = both->inputs[0]->columns;

  auto counts = std::make_shared<RelNode>();
  counts->kind = RelKind::kAggregate;
  counts->columns = columns;
  for (int k = 0; k < width; ++k) counts->groupKeys.push_back(k);
  for (int side = 0; side < 2; ++side) {
    AggCall sum;
    sum.kind = AggKind::kSum;
    sum.argument = width + side;
    sum.argumentType = ExprType::kBigint;
    sum.resultType = ExprType::kBigint;
    counts->aggregates.push_back(sum);
    counts->columns.push_back({side == 0 ? "$left_rows" : "$right_rows", ExprType::kBigint, false});
  }
  counts->inputs = {both};

  const BoundExprPtr m = makeColumnRef(width, ExprType::kBigint, false, "$left_rows");
  const BoundExprPtr n = makeColumnRef(width + 1, ExprType::kBigint, false, "$right_rows");
  const BoundExprPtr zero = makeLiteral(Value::int64(0));
  const BoundExprPtr one = makeLiteral(Value::int64(1));
  Result<BoundExprPtr> copies = Status::internal("no set operation");
  if (all) {
    // min(m, n) or max(m - n, 0)
    if (kind == SetDifferenceKind::kIntersect) {
      auto less = makeCall("<", {m, n});
      if (!less.isOk()) return less.status();
      copies = makeCase({{*less, m}}, n);
    } else {
      auto more = makeCall(">", {m, n});
      auto difference = makeCall("-", {m, n});
      if (!more.isOk()) return more.status();
      if (!difference.isOk()) return difference.status();
      copies = makeCase({{*more, *difference}}, zero);
    }
  } else {
    auto inLeft = makeCall(">", {m, zero});
    auto rightTest =
        kind == SetDifferenceKind::kIntersect ? makeCall(">", {n, zero}) : makeCall("=", {n, zero});
    if (!inLeft.isOk()) return inLeft.status();
    if (!rightTest.isOk()) return rightTest.status();
    auto kept = makeCall("AND", {*inLeft, *rightTest});
    if (!kept.isOk()) return kept.status();
    copies = makeCase({{*kept, one}}, zero);
  }
  if (!copies.isOk()) return copies.status();
  std::vector<BoundExprPtr> projections;
  for (int i = 0; i < width; ++i)
    projections.push_back(makeColumnRef(i, columns[i].type, columns[i].nullable, columns[i].name));
  projections.push_back(*copies);
  auto withCopies = columns;
  withCopies.push_back({"$copies", ExprType::kBigint, false});
  RelPtr multiplicity = calcOver(counts, std::move(projections), std::move(withCopies));

  auto replicate = std::make_shared<RelNode>();
  replicate->kind = RelKind::kReplicateRows;
  replicate->columns = columns;
  replicate->inputs = {std::move(multiplicity)};
  return RelPtr(replicate);
}

}  // namespace glint::sql
