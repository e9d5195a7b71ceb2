#include "glint/sql/planner/lookup_join_plan.h"

#include "glint/formats/record_format.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/operators/lookup_join.h"
#include "glint/sql/planner/physical_plan.h"

namespace glint::sql {

namespace {

void splitAnd(const BoundExprPtr& e, std::vector<BoundExprPtr>& out) {
  if (e->kind == ExprKind::kCall && e->functionName() == "AND") {
    for (const auto& a : e->args) splitAnd(a, out);
    return;
  }
  out.push_back(e);
}

}  // namespace

LookupKeys splitLookupCondition(const BoundExprPtr& condition, int leftWidth) {
  LookupKeys keys;
  if (!condition) return keys;
  std::vector<BoundExprPtr> parts, residual;
  splitAnd(condition, parts);
  for (const auto& p : parts) {
    if (p->kind == ExprKind::kCall && p->functionName() == "=" && p->args.size() == 2) {
      bool found = false;
      for (int side = 0; side < 2 && !found; ++side) {
        const BoundExprPtr& right = p->args[side];
        const BoundExprPtr& left = p->args[1 - side];
        if (right->kind != ExprKind::kColumn || right->column < leftWidth) continue;
        auto refs = referencedColumns(*left);
        if (refs.empty() || refs.back() >= leftWidth) continue;
        if (storageTypeOf(left->type) != storageTypeOf(right->type)) continue;
        keys.leftKeys.push_back(left);
        keys.rightKeys.push_back(right->column - leftWidth);
        found = true;
      }
      if (found) continue;
    }
    residual.push_back(p);
  }
  for (const auto& r : residual)
    keys.residual = keys.residual ? *makeCall("AND", {keys.residual, r}) : r;
  return keys;
}

LookupKeys lookupKeysOf(const RelNode& join) {
  const int leftWidth = static_cast<int>(join.inputs[0]->columns.size());
  LookupKeys keys = splitLookupCondition(join.joinCondition, leftWidth);
  for (size_t i = 0; i < join.leftKeys.size(); ++i) {
    const auto& c = join.inputs[0]->columns[join.leftKeys[i]];
    keys.leftKeys.push_back(makeColumnRef(join.leftKeys[i], c.type, c.nullable, c.name));
    keys.rightKeys.push_back(join.rightKeys[i]);
  }
  return keys;
}

Result<DataStream> translateLookupJoin(const RelNode& join, const DataStream& left,
                                       std::string* explain) {
  // The right input: Calcs (pushed-down filters, pruned columns) over a filesystem scan.
  std::vector<const RelNode*> calcs;
  const RelNode* node = join.inputs[1].get();
  while (node->kind == RelKind::kCalc) {
    calcs.push_back(node);
    node = node->inputs[0].get();
  }
  if (node->kind != RelKind::kScan || !node->table || node->table->connector != "filesystem")
    return Status::invalidArgument(
        "a lookup join (FOR SYSTEM_TIME AS OF) reads a filesystem table directly; its right "
        "side is not one");
  const CatalogTable& t = *node->table;
  auto reader = std::make_shared<LookupTableReader>();
  reader->file.path = t.options.at("path");
  reader->file.format = t.options.at("format");
  auto formatOptions = parseTextFormatOptions(reader->file.format, t.options);
  if (!formatOptions.isOk()) return formatOptions.status();
  reader->file.formatOptions = *formatOptions;
  auto files = listInputFiles(reader->file.path);
  if (!files.isOk()) return files.status();
  std::vector<RelColumn> physical;
  for (const auto& c : t.columns)
    if (!c.isComputed()) physical.push_back({c.name, c.type, c.nullable});
  reader->fileSchema = schemaOf(physical);
  auto addCalc = [&](const SchemaPtr& in, const RelNode& n, const BoundExprPtr& condition,
                     const std::vector<BoundExprPtr>& projections) -> Status {
    CalcFunction calc(in, schemaOf(n.columns), condition, projections);
    GLINT_RETURN_IF_ERROR(calc.validate());
    reader->calcs.push_back(std::move(calc));
    return Status::ok();
  };
  GLINT_RETURN_IF_ERROR(addCalc(reader->fileSchema, *node, nullptr, node->projections));
  for (auto it = calcs.rbegin(); it != calcs.rend(); ++it)
    GLINT_RETURN_IF_ERROR(
        addCalc(schemaOf((*it)->inputs[0]->columns), **it, (*it)->condition, (*it)->projections));

  LookupKeys keys = lookupKeysOf(join);
  if (keys.leftKeys.empty())
    return Status::invalidArgument("a lookup join needs an equality on a column of table `" +
                                   t.name + "` in its ON condition");
  LookupJoinSpec spec;
  spec.left = left.schema();
  spec.right = schemaOf(join.inputs[1]->columns);
  spec.output = schemaOf(join.columns);
  spec.leftKeys = keys.leftKeys;
  spec.rightKeys = keys.rightKeys;
  spec.residual = keys.residual;
  spec.leftOuter = join.joinType == RelJoinType::kLeft;
  spec.table = reader;
  for (const auto& k : spec.leftKeys) {
    auto check = CompiledExpr::compile(k, *spec.left);
    if (!check.isOk()) return check.status();
  }
  if (spec.residual) {
    auto check = CompiledExpr::compile(spec.residual, *spec.output);
    if (!check.isOk()) return check.status();
  }
  if (explain) {
    std::string text = std::string("LookupJoin(table=") + t.name +
                       ", joinType=" + (spec.leftOuter ? "LeftOuterJoin" : "InnerJoin") +
                       ", keys=[";
    for (size_t i = 0; i < keys.leftKeys.size(); ++i)
      text += (i ? ", " : "") + keys.leftKeys[i]->toString() + " = " +
              join.inputs[1]->columns[keys.rightKeys[i]].name;
    text += "]";
    if (spec.residual) text += ", residual=" + spec.residual->toString();
    *explain = text + ")";
  }
  DataStream out = left.transform("LookupJoin", spec.output,
                                  [spec] { return std::make_unique<LookupJoinOperator>(spec); });
  return out;
}

}  // namespace glint::sql
