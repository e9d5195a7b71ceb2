#include "glint/sql/planner/over_rules.h"

#include <algorithm>
#include <set>

#include "glint/sql/expr/functions.h"
#include "glint/sql/parser/ast_printer.h"
#include "glint/sql/planner/aggregate_signatures.h"

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

namespace {

// A window with its PARTITION BY and ORDER BY bound to input columns, and, for aggregates,
// its frame.
struct BoundWindow {
  const WindowSpec* spec = nullptr;
  std::vector<int> partition;
  std::vector<SortKey> order;
  OverFrame frame;
  bool sameAs(const BoundWindow& o) const {
    if (partition != o.partition || order.size() != o.order.size() || frame.rows != o.frame.rows ||
        frame.preceding != o.frame.preceding || frame.following != o.frame.following)
      return false;
    for (size_t i = 0; i < order.size(); ++i)
      if (order[i].column != o.order[i].column || order[i].descending != o.order[i].descending ||
          order[i].nullsFirst != o.order[i].nullsFirst)
        return false;
    return true;
  }
};

// The window of `call`: its own, or the WINDOW clause's one it names.
Result<const WindowSpec*> resolveWindow(const FunctionCallExpr& call,
                                        const std::vector<NamedWindow>& windows,
                                        const ErrorFunction& error) {
  const WindowSpec& over = *call.over;
  if (!over.baseWindow) return &over;
  if (!over.partitionBy.empty() || !over.orderBy.empty() || over.frame)
    return error(
        over.span, "refining a named window inside OVER (...) is not supported",
        "define the whole window in the WINDOW clause and write OVER " + over.baseWindow->name);
  std::string defined;
  for (const auto& w : windows) {
    if (w.name.name == over.baseWindow->name) {
      if (w.spec.baseWindow)
        return error(w.spec.span, "a named window based on another window is not supported", "");
      return &w.spec;
    }
    defined += (defined.empty() ? "" : ", ") + w.name.name;
  }
  return error(over.baseWindow->span, "unknown window `" + over.baseWindow->name + "`",
               defined.empty() ? "define it after WHERE / GROUP BY / HAVING: WINDOW " +
                                     over.baseWindow->name + " AS (PARTITION BY ... ORDER BY ...)"
                               : "the windows of this SELECT are: " + defined);
}

Status bindPartitionAndOrder(const WindowSpec& spec, const BindFunction& bind,
                             const ErrorFunction& error, BoundWindow& w) {
  w.spec = &spec;
  for (const auto& p : spec.partitionBy) {
    auto b = bind(*p);
    if (!b.isOk()) return b.status();
    if (columnOf(**b) < 0)
      return error(p->span, "PARTITION BY of an OVER window must name a column", "");
    w.partition.push_back((*b)->column);
  }
  for (const auto& o : spec.orderBy) {
    auto b = bind(*o.expr);
    if (!b.isOk()) return b.status();
    if (columnOf(**b) < 0)
      return error(o.span, "ORDER BY of an OVER window must name a column", "");
    SortKey key;
    key.column = (*b)->column;
    key.descending = o.descending;
    // As the query's ORDER BY (Flink): NULLS FIRST ascending, NULLS LAST descending.
    key.nullsFirst = o.nulls == NullOrder::kDefault ? !o.descending : o.nulls == NullOrder::kFirst;
    w.order.push_back(key);
  }
  return Status::ok();
}

Status bindFrame(const WindowSpec& spec, const RelNode& input, const BindFunction& bind,
                 const ErrorFunction& error, BoundWindow& w) {
  // Without a frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (with no ORDER BY
  // every row is a peer, so that is the whole partition).
  w.frame.rows = false;
  w.frame.preceding = -1;
  w.frame.following = 0;
  if (!spec.frame) return Status::ok();
  const WindowFrame& f = *spec.frame;
  const std::string example = "e.g. ROWS BETWEEN 2 PRECEDING AND CURRENT ROW";
  w.frame.rows = f.unit == FrameUnit::kRows;
  // The rows (ROWS) or the distance in ORDER BY units (RANGE) of an offset bound.
  auto offsetOf = [&](const Expr& offset) -> Result<int64_t> {
    auto b = bind(offset);
    if (!b.isOk()) return b.status();
    const BoundExpr& value = **b;
    int64_t n = -1;
    if (w.frame.rows) {
      if (!integerLiteral(value, &n) || n < 0)
        return error(offset.span, "a ROWS frame offset must be a non-negative integer", example);
      return n;
    }
    if (w.order.size() != 1)
      return error(f.span, "a RANGE frame with an offset needs exactly one ORDER BY key",
                   "e.g. ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW");
    const ExprType keyType = input.columns[static_cast<size_t>(w.order[0].column)].type;
    if (keyType == ExprType::kTimestamp || keyType == ExprType::kTimestampLtz) {
      if (!value.isLiteral() || value.literal.isNull || value.type != ExprType::kIntervalDayTime ||
          value.literal.integer < 0)
        return error(offset.span,
                     "the RANGE offset of a time ORDER BY must be a day-time interval such as "
                     "INTERVAL '10' MINUTE",
                     "");
      return value.literal.integer;
    }
    if (isIntegral(keyType)) {
      if (!integerLiteral(value, &n) || n < 0)
        return error(offset.span,
                     "the RANGE offset of an integer ORDER BY must be a non-negative integer", "");
      return n;
    }
    return error(spec.orderBy[0].span,
                 "a RANGE frame with an offset needs a TIMESTAMP or integer ORDER BY key, got " +
                     std::string(exprTypeName(keyType)),
                 "");
  };
  switch (f.start.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      break;
    case FrameBoundKind::kCurrentRow:
      w.frame.preceding = 0;
      break;
    case FrameBoundKind::kPreceding: {
      auto n = offsetOf(*f.start.offset);
      if (!n.isOk()) return n.status();
      w.frame.preceding = *n;
      break;
    }
    default:
      return error(f.span, "an OVER frame must start at or before the current row", example);
  }
  // `ROWS n PRECEDING` alone ends at the current row.
  const FrameBound end = f.end ? FrameBound{f.end->kind, nullptr} : FrameBound{};
  switch (end.kind) {
    case FrameBoundKind::kCurrentRow:
      return Status::ok();
    case FrameBoundKind::kUnboundedFollowing:
      w.frame.following = -1;
      return Status::ok();
    case FrameBoundKind::kFollowing: {
      auto n = offsetOf(*f.end->offset);
      if (!n.isOk()) return n.status();
      w.frame.following = *n;
      return Status::ok();
    }
    default:
      return error(f.span, "an OVER frame must end at or after the current row",
                   "e.g. ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING");
  }
}

// Why `w` cannot run in streaming mode (Flink's rules: one ascending time attribute), or "".
std::string streamingError(const BoundWindow& w, const RelNode& input, const std::string& what,
                           const ErrorFunction& error) {
  const WindowSpec& spec = *w.spec;
  const std::string hint =
      input.rowtimeColumn >= 0
          ? "order by the time attribute `" +
                input.columns[static_cast<size_t>(input.rowtimeColumn)].name + "` ascending"
          : "declare a WATERMARK on the table's time column and order by that column";
  if (w.order.empty())
    return error(spec.span, what + " in streaming mode needs an ORDER BY on a time attribute", hint)
        .message();
  if (w.order.size() > 1)
    return error(spec.orderBy[1].span,
                 what + " in streaming mode must be ordered by one time attribute only", hint)
        .message();
  const auto& column = input.columns[static_cast<size_t>(w.order[0].column)];
  if (w.order[0].column != input.rowtimeColumn)
    return error(spec.orderBy[0].span,
                 what + " in streaming mode must be ordered by a time attribute; `" + column.name +
                     "` is not one",
                 hint)
        .message();
  if (w.order[0].descending)
    return error(spec.orderBy[0].span,
                 what + " in streaming mode must be ordered by its time attribute ascending", hint)
        .message();
  return "";
}

Result<RelPtr> planRank(const FunctionCallExpr& call, const std::string& name,
                        const WindowSpec& over, RelPtr input, const BindFunction& bind,
                        const ErrorFunction& error) {
  if (!call.arguments.empty() || call.starArgument)
    return error(call.span, name + "() takes no arguments", "");
  if (over.frame) return error(over.frame->span, name + "() does not take a window frame", "");
  if (over.orderBy.empty())
    return error(over.span, name + "() needs an ORDER BY in its OVER window",
                 "e.g. OVER (PARTITION BY k ORDER BY x DESC)");
  BoundWindow w;
  GLINT_RETURN_IF_ERROR(bindPartitionAndOrder(over, bind, error, w));
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kRank;
  node->groupKeys = w.partition;
  node->sortKeys = w.order;
  node->rankFunction = name == "RANK"         ? RankFunction::kRank
                       : name == "DENSE_RANK" ? RankFunction::kDenseRank
                                              : RankFunction::kRowNumber;
  // Flink runs ranking functions in streaming mode only as a Top-N (unless the optimizer
  // finds a rank filter, physical_plan raises this).
  node->overFrame.streamingError =
      error(call.span, name + "() OVER needs a filter on its result in streaming mode",
            name == "ROW_NUMBER" ? "as in Top-N `WHERE rn <= N` or deduplication `WHERE rn = 1`"
                                 : "as in Top-N `WHERE rk <= N`")
          .message();
  node->columns = input->columns;
  node->columns.push_back({name + "()", ExprType::kBigint, false});
  node->inputs = {std::move(input)};
  return RelPtr(node);
}

// The input column holding `e` bound over `input`: `e` itself when it is a column, else a
// column appended to `extra` (computed by a Calc below the OVER nodes).
int argumentColumn(const BoundExprPtr& e, size_t inputWidth, std::vector<BoundExprPtr>& extra) {
  if (columnOf(*e) >= 0) return e->column;
  for (size_t i = 0; i < extra.size(); ++i)
    if (extra[i]->equals(*e)) return static_cast<int>(inputWidth + i);
  extra.push_back(e);
  return static_cast<int>(inputWidth + extra.size() - 1);
}

Result<AggCall> overAggregateCall(const FunctionCallExpr& call, const std::string& name,
                                  size_t inputWidth, std::vector<BoundExprPtr>& extra,
                                  const BindFunction& bind, const ErrorFunction& error) {
  AggCall a;
  a.distinct = call.distinct;
  if (call.filter) {
    auto f = bind(*call.filter);
    if (!f.isOk()) return f.status();
    if ((*f)->type != ExprType::kBoolean)
      return error(call.filter->span,
                   "FILTER needs a BOOLEAN condition, got " + std::string(exprTypeName((*f)->type)),
                   "");
    a.filter = argumentColumn(*f, inputWidth, extra);
  }
  if (call.starArgument) {
    if (name != "COUNT") return error(call.span, name + "(*) is not valid; only COUNT(*)", "");
    a.kind = AggKind::kCountStar;
    a.resultType = ExprType::kBigint;
    return a;
  }
  const std::optional<AggKind> extended = extendedAggregateKind(name);
  const size_t maxArguments = extended ? maxAggregateArguments(*extended) : 1;
  if (call.arguments.empty() || call.arguments.size() > maxArguments)
    return error(call.span,
                 "aggregate " + name + " expects " +
                     (maxArguments == 1 ? std::string("one argument") : "one or two arguments"),
                 "");
  auto arg = bind(*call.arguments[0]);
  if (!arg.isOk()) return arg.status();
  BoundExprPtr argument = *arg;
  if (argument->type == ExprType::kNull) {
    auto cast = coerceTo(argument, ExprType::kBigint);
    if (!cast.isOk()) return cast.status();
    argument = *cast;
  }
  a.argumentType = argument->type;
  const std::string message = typeAggregateCall(call, name, a);
  if (!message.empty()) return error(call.span, message, "");
  a.argument = argumentColumn(argument, inputWidth, extra);
  return a;
}

// What LAG, LEAD, NTILE, PERCENT_RANK and CUME_DIST share, as Calcite checks it: no DISTINCT,
// FILTER or *, the right arguments (`badArguments` says they are not), no frame, an ORDER BY.
Status checkPositionalCall(const FunctionCallExpr& call, const std::string& name,
                           const WindowSpec& spec, bool badArguments,
                           const std::string& argumentsMessage, const std::string& usage,
                           const std::string& frameHint, const ErrorFunction& error) {
  if (call.distinct || call.filter || call.starArgument)
    return error(call.span, name + " takes no DISTINCT, FILTER or *", usage);
  if (badArguments) return error(call.span, name + argumentsMessage, usage);
  if (spec.frame)
    return error(spec.frame->span, name + " does not take a window frame (ROWS or RANGE)",
                 frameHint);
  if (spec.orderBy.empty()) return error(call.span, name + " needs an ORDER BY in its OVER", usage);
  return Status::ok();
}

// LAG / LEAD (value [, offset [, default]]): the offset an integer literal (1 when left out),
// the default any expression over the current row (NULL when left out), cast to the value's
// type, the result's. Like Calcite, they take no frame and need an ORDER BY.
Result<AggCall> overOffsetCall(const FunctionCallExpr& call, const std::string& name,
                               const WindowSpec& spec, size_t inputWidth,
                               std::vector<BoundExprPtr>& extra, const BindFunction& bind,
                               const ErrorFunction& error, bool* nullable) {
  const std::string usage = name + "(value [, offset [, default]]) OVER (... ORDER BY ...)";
  GLINT_RETURN_IF_ERROR(
      checkPositionalCall(call, name, spec, call.arguments.empty() || call.arguments.size() > 3,
                          " expects one to three arguments", usage,
                          "it reads the row " + std::string(name == "LAG" ? "before" : "after") +
                              " the current one in the partition's order, whatever the frame",
                          error));
  AggCall a;
  a.kind = name == "LAG" ? AggKind::kLag : AggKind::kLead;
  auto value = bind(*call.arguments[0]);
  if (!value.isOk()) return value.status();
  BoundExprPtr def;
  if (call.arguments.size() >= 2) {
    auto offset = bind(*call.arguments[1]);
    if (!offset.isOk()) return offset.status();
    if (!integerLiteral(**offset, &a.offset) || a.offset < 0)
      return error(call.arguments[1]->span,
                   "the offset of " + name + " must be a non-negative integer literal", usage);
  }
  if (call.arguments.size() == 3) {
    auto d = bind(*call.arguments[2]);
    if (!d.isOk()) return d.status();
    def = *d;
  }
  // The value's type (Calcite's, which Flink uses); the default must be comparable with it.
  std::vector<ExprType> types{(*value)->type};
  if (def) types.push_back(def->type);
  auto type = commonType(types, name + " value and default");
  if (!type.isOk()) return error(call.span, type.status().message(), usage);
  ExprType resultType = (*value)->type == ExprType::kNull ? *type : (*value)->type;
  if (resultType == ExprType::kNull) resultType = ExprType::kBigint;
  auto v = coerceTo(*value, resultType);
  if (!v.isOk()) return v.status();
  a.argument = argumentColumn(*v, inputWidth, extra);
  a.argumentType = a.resultType = resultType;
  *nullable = true;
  if (def) {
    auto d = coerceTo(def, resultType);
    if (!d.isOk()) return d.status();
    a.defaultArgument = argumentColumn(*d, inputWidth, extra);
    *nullable = (*v)->nullable || (*d)->nullable;
  }
  return a;
}

// NTILE(n), PERCENT_RANK(), CUME_DIST(): where the row stands in its partition's order, so
// like the ranking functions they take no frame and need an ORDER BY; n a positive integer
// literal.
Result<AggCall> overDistributionCall(const FunctionCallExpr& call, const std::string& name,
                                     const WindowSpec& spec, const BindFunction& bind,
                                     const ErrorFunction& error) {
  const bool ntile = name == "NTILE";
  const std::string usage = name + (ntile ? "(n)" : "()") + " OVER (... ORDER BY ...)";
  GLINT_RETURN_IF_ERROR(checkPositionalCall(
      call, name, spec, call.arguments.size() != (ntile ? 1u : 0u),
      ntile ? " expects one argument" : " takes no arguments", usage, usage, error));
  AggCall a;
  a.kind = ntile                    ? AggKind::kNtile
           : name == "PERCENT_RANK" ? AggKind::kPercentRank
                                    : AggKind::kCumeDist;
  a.resultType = ntile ? ExprType::kBigint : ExprType::kDouble;
  if (ntile) {
    auto n = bind(*call.arguments[0]);
    if (!n.isOk()) return n.status();
    if (!integerLiteral(**n, &a.offset) || a.offset <= 0)
      return error(call.arguments[0]->span,
                   "the argument of NTILE must be a positive integer literal", usage);
  }
  return a;
}

struct OverGroup {
  BoundWindow window;
  std::vector<const FunctionCallExpr*> calls;
  std::vector<AggCall> aggregates;
  std::vector<bool> nullable;  // per call, whether its result may be NULL
};

}  // namespace

Result<PlannedOver> planOverWindows(const std::vector<const FunctionCallExpr*>& calls,
                                    const std::vector<NamedWindow>& windows, RelPtr input,
                                    const BindFunction& bind, const ErrorFunction& error) {
  PlannedOver planned;
  const size_t inputWidth = input->columns.size();
  std::vector<BoundExprPtr> extra;  // aggregate arguments and filters that are not columns
  std::vector<OverGroup> groups;
  std::vector<std::pair<const FunctionCallExpr*, const WindowSpec*>> ranks;
  for (const FunctionCallExpr* call : calls) {
    const std::string name = upperName(*call);
    auto spec = resolveWindow(*call, windows, error);
    if (!spec.isOk()) return spec.status();
    if (name == "ROW_NUMBER" || name == "RANK" || name == "DENSE_RANK") {
      ranks.emplace_back(call, *spec);
      continue;
    }
    const bool offsetFunction = name == "LAG" || name == "LEAD";
    const bool distributionFunction =
        name == "NTILE" || name == "PERCENT_RANK" || name == "CUME_DIST";
    if (name != "COUNT" && name != "SUM" && name != "MIN" && name != "MAX" && name != "AVG" &&
        !offsetFunction && !distributionFunction && !extendedAggregateKind(name))
      return error(call->span, "the window function " + name + " is not supported",
                   "OVER takes ROW_NUMBER, RANK, DENSE_RANK, NTILE, PERCENT_RANK, CUME_DIST, "
                   "LAG, LEAD, COUNT, SUM, MIN, MAX, AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, "
                   "VAR_SAMP, LISTAGG, FIRST_VALUE or LAST_VALUE");
    BoundWindow w;
    GLINT_RETURN_IF_ERROR(bindPartitionAndOrder(**spec, bind, error, w));
    GLINT_RETURN_IF_ERROR(bindFrame(**spec, *input, bind, error, w));
    bool nullable = true;
    auto a = offsetFunction
                 ? overOffsetCall(*call, name, **spec, inputWidth, extra, bind, error, &nullable)
             : distributionFunction
                 ? overDistributionCall(*call, name, **spec, bind, error)
                 : overAggregateCall(*call, name, inputWidth, extra, bind, error);
    if (!a.isOk()) return a.status();
    if (distributionFunction)
      nullable = false;
    else if (!offsetFunction)
      nullable = !(a->kind == AggKind::kCount || a->kind == AggKind::kCountStar);
    OverGroup* group = nullptr;
    for (auto& g : groups)
      if (g.window.sameAs(w)) group = &g;
    if (!group) {
      groups.push_back({w, {}, {}, {}});
      group = &groups.back();
      if (groups.size() == 1)
        group->window.frame.streamingError =
            streamingError(w, *input, "an OVER aggregation", error);
      else
        group->window.frame.streamingError =
            error(w.spec->span,
                  "in streaming mode all OVER aggregations of a SELECT must use the same window",
                  "Flink computes them in one operator; compute the other window in a subquery")
                .message();
      group->window.frame.updatingInputError =
          error(call->span, "OVER aggregation over an updating input is not supported",
                "the input has updates (e.g. a GROUP BY); in batch mode it runs: SET "
                "'execution.runtime-mode' = 'batch'")
              .message();
    }
    // Flink's streaming OVER frames end at the current row: a row would wait for later ones.
    if (group->window.frame.following != 0 && group->window.frame.streamingError.empty())
      group->window.frame.streamingError =
          error(group->window.spec->frame->span,
                "an OVER frame that ends after the current row is not supported in streaming mode",
                "it runs in batch mode: SET 'execution.runtime-mode' = 'batch'")
              .message();
    // Flink runs LEAD and the distributions in batch mode only: a streaming row would wait
    // for the rows that follow it.
    if ((a->kind == AggKind::kLead || isDistributionFunction(a->kind)) &&
        group->window.frame.streamingError.empty())
      group->window.frame.streamingError =
          error(call->span, name + " is not supported in streaming mode",
                "in batch mode it runs: SET 'execution.runtime-mode' = 'batch'")
              .message();
    group->calls.push_back(call);
    group->aggregates.push_back(*a);
    group->nullable.push_back(nullable);
  }
  RelPtr current = std::move(input);
  if (!extra.empty()) {
    // Arguments that are expressions: computed by a Calc that keeps the input's columns.
    auto calc = std::make_shared<RelNode>();
    calc->kind = RelKind::kCalc;
    calc->columns = current->columns;
    for (size_t i = 0; i < inputWidth; ++i)
      calc->projections.push_back(makeColumnRef(static_cast<int>(i), current->columns[i].type,
                                                current->columns[i].nullable,
                                                current->columns[i].name));
    for (size_t i = 0; i < extra.size(); ++i) {
      calc->projections.push_back(extra[i]);
      calc->columns.push_back({"$over" + std::to_string(i), extra[i]->type, extra[i]->nullable});
    }
    calc->rowtimeColumn = current->rowtimeColumn;
    calc->inputs = {current};
    current = calc;
  }
  for (auto& g : groups) {
    auto node = std::make_shared<RelNode>();
    node->kind = RelKind::kOverAggregate;
    node->groupKeys = g.window.partition;
    node->sortKeys = g.window.order;
    node->overFrame = g.window.frame;
    node->columns = current->columns;
    node->rowtimeColumn = current->rowtimeColumn;
    for (size_t i = 0; i < g.calls.size(); ++i) {
      const AggCall& a = g.aggregates[i];
      int index = -1;
      for (size_t j = 0; j < node->aggregates.size(); ++j) {
        const AggCall& o = node->aggregates[j];
        if (o.kind == a.kind && o.argument == a.argument && o.distinct == a.distinct &&
            o.filter == a.filter && o.separator == a.separator && o.offset == a.offset &&
            o.defaultArgument == a.defaultArgument)
          index = static_cast<int>(current->columns.size() + j);
      }
      if (index < 0) {
        node->aggregates.push_back(a);
        node->columns.push_back({toString(*g.calls[i]), a.resultType, g.nullable[i]});
        index = static_cast<int>(node->columns.size()) - 1;
      }
      const RelColumn& c = node->columns[static_cast<size_t>(index)];
      planned.values[g.calls[i]] = makeColumnRef(index, c.type, c.nullable, c.name);
    }
    node->inputs = {current};
    current = node;
  }
  // Rank nodes last: a rank filter above finds them through Calcs only (pushRankFilters).
  for (const auto& [call, spec] : ranks) {
    auto rank = planRank(*call, upperName(*call), *spec, current, bind, error);
    if (!rank.isOk()) return rank.status();
    current = *rank;
    const RelColumn& c = current->columns.back();
    planned.values[call] =
        makeColumnRef(static_cast<int>(current->columns.size()) - 1, c.type, c.nullable, c.name);
  }
  planned.plan = current;
  return planned;
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
