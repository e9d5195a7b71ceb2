#include "glint/sql/planner/binder.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "glint/sql/expr/evaluator.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/parser/parse_error.h"
#include "glint/sql/planner/aggregate_signatures.h"
#include "glint/sql/planner/lookup_join_plan.h"
#include "glint/sql/planner/over_rules.h"
#include "glint/sql/planner/set_operations.h"
#include "glint/sql/planner/time_attributes.h"
#include "glint/sql/udf/udf_registry.h"

namespace glint::sql {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool isAggregateName(const std::string& upperName) {
  return upperName == "COUNT" || upperName == "SUM" || upperName == "MIN" || upperName == "MAX" ||
         upperName == "AVG" || extendedAggregateKind(upperName).has_value();
}

struct ScopeColumn {
  std::string qualifier;
  std::string name;
  ExprType type = ExprType::kBigint;
  bool nullable = true;
};

struct Scope {
  std::vector<ScopeColumn> columns;
};

// A window TVF in FROM: the rows of `input` plus window_start, window_end, window_time.
struct WindowTvf {
  WindowSpecification spec;
  SourceSpan span;
  std::vector<int> partitionColumns;  // SESSION ... PARTITION BY (input columns)
};

struct Bound {
  RelPtr rel;
  Scope scope;
  std::optional<WindowTvf> tvf;  // scope = rel columns + the three window columns
};

// A window TVF whose rows are used as such (not grouped directly by its window): the rows of
// every window become a kWindowAssign node whose last three columns are the window's.
Status materializeWindowTvf(Bound& bound, std::string_view sql) {
  if (!bound.tvf) return Status::ok();
  if (bound.tvf->spec.processingTime)
    return sqlError(sql, bound.tvf->span,
                    "a window TVF over a processing-time attribute must be aggregated directly",
                    "GROUP BY window_start, window_end (a WHERE may not read the window columns)");
  if (bound.tvf->spec.kind == WindowKind::kSession)
    return sqlError(sql, bound.tvf->span,
                    "a SESSION window TVF must be grouped by window_start and window_end",
                    "add GROUP BY window_start, window_end");
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kWindowAssign;
  node->window = bound.tvf->spec;
  node->columns = bound.rel->columns;
  for (const char* name : {"window_start", "window_end", "window_time"})
    node->columns.push_back({name, ExprType::kTimestamp, false});
  node->rowtimeColumn = static_cast<int>(node->columns.size()) - 1;
  node->inputs = {bound.rel};
  bound.rel = node;
  bound.tvf.reset();
  return Status::ok();
}

bool referencesColumnFrom(const BoundExpr& e, int first) {
  if (e.kind == ExprKind::kColumn && e.column >= first) return true;
  for (const auto& a : e.args)
    if (a && referencesColumnFrom(*a, first)) return true;
  return false;
}

// What GROUP BY turns the select list into: group expressions and aggregate calls are columns
// of the aggregate's output.
struct AggregateContext {
  const Scope* inputScope = nullptr;
  std::vector<const Expr*> groupExprs;  // AST of each group expression
  std::vector<int> groupOutput;         // output column of each group expression
  std::vector<BoundExprPtr> preProjection;
  std::vector<AggCall> aggregates;
  std::vector<const Expr*> aggregateAsts;
  std::vector<int> windowColumnOutput = {-1, -1, -1};  // window_start/end/time output
  int numKeys = 0;
  int firstAggregateOutput = 0;
  std::vector<RelColumn> outputColumns;
  // GROUPING SETS / ROLLUP / CUBE: each set lists the keys it groups by; output column
  // groupingFlags + i is 1 where key i is not grouped (aggregated over), else 0.
  std::vector<std::vector<int>> groupingSets;
  int groupingFlags = -1;
};

RelPtr makeCalc(RelPtr input, BoundExprPtr condition, std::vector<BoundExprPtr> projections,
                std::vector<RelColumn> columns) {
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kCalc;
  node->condition = std::move(condition);
  node->rowtimeColumn = -1;
  for (size_t i = 0; i < projections.size(); ++i)
    if (projections[i]->kind == ExprKind::kColumn &&
        projections[i]->column == input->rowtimeColumn && node->rowtimeColumn < 0)
      node->rowtimeColumn = static_cast<int>(i);
  node->projections = std::move(projections);
  node->columns = std::move(columns);
  node->inputs = {std::move(input)};
  return node;
}

std::vector<BoundExprPtr> identity(const std::vector<RelColumn>& columns) {
  std::vector<BoundExprPtr> out;
  for (size_t i = 0; i < columns.size(); ++i)
    out.push_back(
        makeColumnRef(static_cast<int>(i), columns[i].type, columns[i].nullable, columns[i].name));
  return out;
}

class Binder {
 public:
  Binder(std::string_view sql, const Catalog& catalog, int depth = 0)
      : sql_(sql), catalog_(catalog), depth_(depth) {}

  Result<Bound> bindQuery(const Query& q);
  Result<BoundExprPtr> bindExpr(const Expr& e, const Scope& scope, AggregateContext* agg);

 private:
  Status error(const SourceSpan& span, const std::string& message, const std::string& hint = {}) {
    return sqlError(sql_, span, message, hint);
  }
  Result<Bound> bindBody(const QueryBody& body);
  Result<Bound> bindSelect(const SelectBody& select);
  Result<std::vector<std::vector<int>>> expandGroupingSets(
      const std::vector<GroupingElement>& groupBy, std::vector<const Expr*>& groups);
  Result<BoundExprPtr> bindGroupingCall(const FunctionCallExpr& call, AggregateContext& agg);
  Result<Bound> bindTableRef(const TableRef& ref);
  Result<Bound> bindNamedTable(const NamedTableRef& ref);
  Result<BoundExprPtr> bindUserFunctionCall(const Expr& e, const CatalogFunction& function,
                                            const Scope& scope, AggregateContext* agg);
  Result<Bound> bindLookupJoin(const JoinTableRef& join, Bound left);
  Result<Bound> bindWindowTvf(const TableFunctionRef& ref);
  Result<BoundExprPtr> bindColumn(const ColumnRefExpr& ref, const Scope& scope);
  Result<BoundExprPtr> bindAggregateCall(const FunctionCallExpr& call, AggregateContext& agg);
  Result<BoundExprPtr> bindLiteral(const LiteralExpr& lit);
  Result<int64_t> intervalMillis(const Expr& e);
  Result<Bound> bindValues(const ValuesBody& values);
  Result<Bound> bindQueryWithoutWith(const Query& q);

  // A binder for a nested query whose spans refer to `sql`; it sees this binder's CTEs.
  Binder child(std::string_view sql) const {
    Binder b(sql, catalog_, depth_ + 1);
    b.ctes_ = ctes_;
    return b;
  }
  Result<Bound> bindCommonTableExpr(const NamedTableRef& ref, const std::string& name);
  // Subqueries in WHERE and the select list (see planSubquery below); with `whereOnly` (a
  // query with aggregation) those of WHERE only.
  Status planSubqueries(const SelectBody& select, Bound& from, bool whereOnly = false);
  Status planSubquery(const Expr& node, Bound& from);
  // Subqueries of the select list, HAVING and ORDER BY of a query with aggregation, over its
  // aggregated rows (see planSubqueriesOverAggregate below).
  Status planSubqueriesOverAggregate(const std::vector<const Expr*>& subqueries,
                                     AggregateContext& agg, Bound& aggregated);
  // The aggregates of a correlated scalar subquery per correlation key (see planSubquery).
  Result<RelPtr> planCorrelatedAggregate(const SelectBody& select, Binder& inner,
                                         const Bound& innerFrom,
                                         const std::vector<BoundExprPtr>& innerKeys,
                                         const std::vector<const Expr*>& innerKeyAsts,
                                         const std::vector<BoundExprPtr>& local,
                                         const std::string& prefix, BoundExprPtr* value);
  // ROW_NUMBER() OVER (...) calls of the select list: rank nodes on top of `current` whose
  // columns the calls bind to (over_rules.h).
  Status planOverCalls(const SelectBody& select, const Scope& scope, RelPtr& current);

  std::string_view sql_;
  const Catalog& catalog_;
  int depth_;
  struct CteBinding {
    const CommonTableExpr* cte = nullptr;
    std::string_view sql;
  };
  std::map<std::string, CteBinding> ctes_;  // WITH names in scope
  // The value of each IN/EXISTS/scalar subquery of the SELECT being bound: a column of the
  // joined input (planSubqueries).
  std::map<const Expr*, BoundExprPtr> subqueryValues_;
  // The value of each OVER call of the SELECT being bound: a column of a rank node.
  std::map<const Expr*, BoundExprPtr> overValues_;
  // Expressions bindSelect appends as hidden result columns "$order<i>" (for ORDER BY).
  std::vector<const Expr*> hiddenItems_;
  // While planning subqueries over aggregated rows: the outer query's aggregation, through
  // which their outer operands (group keys, aggregates) bind.
  AggregateContext* outerAggregate_ = nullptr;
};

Result<BoundExprPtr> Binder::bindLiteral(const LiteralExpr& lit) {
  switch (lit.literalKind) {
    case LiteralKind::kNull:
      return makeNullLiteral();
    case LiteralKind::kBoolean:
      return makeLiteral(Value::boolean(upper(lit.text) == "TRUE"));
    case LiteralKind::kInteger: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(lit.text.c_str(), &end, 10);
      if (errno == ERANGE)
        return makeLiteral(Value::float64(std::strtod(lit.text.c_str(), nullptr)));
      if (v >= INT32_MIN && v <= INT32_MAX)
        return makeLiteral(Value::int32(static_cast<int32_t>(v)));
      return makeLiteral(Value::int64(v));
    }
    case LiteralKind::kDecimal:
    case LiteralKind::kApproximate:
      return makeLiteral(Value::float64(std::strtod(lit.text.c_str(), nullptr)));
    case LiteralKind::kString:
      return makeLiteral(Value::varchar(lit.text));
    case LiteralKind::kDate: {
      int64_t days = 0;
      if (!parseDate(lit.text, &days))
        return error(lit.span, "invalid DATE literal '" + lit.text + "'", "expected 'YYYY-MM-DD'");
      return makeLiteral(Value::integerOf(ExprType::kDate, days));
    }
    case LiteralKind::kTimestamp: {
      int64_t millis = 0;
      if (!parseTimestamp(lit.text, &millis))
        return error(lit.span, "invalid TIMESTAMP literal '" + lit.text + "'",
                     "expected 'YYYY-MM-DD HH:MM:SS[.fff]'");
      return makeLiteral(Value::integerOf(ExprType::kTimestamp, millis));
    }
    case LiteralKind::kTime:
      return error(lit.span, "TIME literals are not supported");
  }
  return error(lit.span, "unsupported literal");
}

Result<int64_t> Binder::intervalMillis(const Expr& e) {
  if (e.kind != AstExprKind::kInterval)
    return error(e.span, "expected an interval such as INTERVAL '10' SECOND");
  const auto& iv = e.as<IntervalExpr>();
  auto bound = bindExpr(e, Scope{}, nullptr);
  if (!bound.isOk()) return bound.status();
  if ((*bound)->type != ExprType::kIntervalDayTime)
    return error(e.span, "expected a day-time interval (SECOND, MINUTE, HOUR, DAY)");
  (void)iv;
  return (*bound)->literal.integer;
}

Result<BoundExprPtr> Binder::bindColumn(const ColumnRefExpr& ref, const Scope& scope) {
  const auto& parts = ref.name.parts;
  std::string qualifier, name;
  if (parts.size() == 1) {
    name = parts[0].name;
  } else if (parts.size() == 2) {
    qualifier = parts[0].name;
    name = parts[1].name;
  } else {
    return error(ref.span, "nested field access `" + ref.name.toString() + "` is not supported");
  }
  int found = -1;
  for (size_t i = 0; i < scope.columns.size(); ++i) {
    const auto& c = scope.columns[i];
    if (c.name != name || (!qualifier.empty() && c.qualifier != qualifier)) continue;
    if (found >= 0)
      return error(ref.span, "column `" + name + "` is ambiguous",
                   "qualify it with a table name or alias, e.g. `" +
                       scope.columns[found].qualifier + "." + name + "`");
    found = static_cast<int>(i);
  }
  if (found < 0) {
    if (!qualifier.empty()) {
      bool qualifierKnown = false;
      std::vector<std::string> qualifiers;
      for (const auto& c : scope.columns) {
        qualifierKnown |= c.qualifier == qualifier;
        if (!c.qualifier.empty()) qualifiers.push_back(c.qualifier);
      }
      if (!qualifierKnown) {
        auto m = closestMatch(qualifier, qualifiers);
        return error(parts[0].span, "unknown table or alias `" + qualifier + "`",
                     m ? "did you mean `" + *m + "`?" : "");
      }
    }
    std::vector<std::string> candidates;
    for (const auto& c : scope.columns)
      if (qualifier.empty() || c.qualifier == qualifier) candidates.push_back(c.name);
    auto m = closestMatch(name, candidates);
    const SourceSpan& span = parts.back().span;
    return error(span, "unknown column `" + name + "`" + (m ? "; did you mean `" + *m + "`?" : ""),
                 m ? "" : (candidates.empty() ? "" : "available columns: " + [&] {
                   std::string s;
                   for (size_t i = 0; i < candidates.size() && i < 20; ++i)
                     s += (i ? ", " : "") + candidates[i];
                   return s;
                 }()));
  }
  const auto& c = scope.columns[found];
  return makeColumnRef(found, c.type, c.nullable, c.name);
}

Result<BoundExprPtr> Binder::bindAggregateCall(const FunctionCallExpr& call,
                                               AggregateContext& agg) {
  const std::string name = upper(call.name.parts.back().name);
  AggCall a;
  a.distinct = call.distinct;
  if (call.filter) {
    auto f = bindExpr(*call.filter, *agg.inputScope, nullptr);
    if (!f.isOk()) return f.status();
    if ((*f)->type != ExprType::kBoolean)
      return error(call.filter->span, "FILTER needs a BOOLEAN condition, got " +
                                          std::string(exprTypeName((*f)->type)));
    int index = -1;
    for (size_t i = 0; i < agg.preProjection.size(); ++i)
      if (agg.preProjection[i]->equals(**f)) index = static_cast<int>(i);
    if (index < 0) {
      index = static_cast<int>(agg.preProjection.size());
      agg.preProjection.push_back(*f);
    }
    a.filter = index;
  }
  if (call.starArgument) {
    if (name != "COUNT") return error(call.span, name + "(*) is not valid; only COUNT(*)");
    a.kind = AggKind::kCountStar;
    a.resultType = ExprType::kBigint;
  } else {
    const std::optional<AggKind> extended = extendedAggregateKind(name);
    const size_t maxArguments = extended ? maxAggregateArguments(*extended) : 1;
    if (call.arguments.empty() || call.arguments.size() > maxArguments)
      return error(call.span, "aggregate " + name + " expects " +
                                  (maxArguments == 1 ? std::string("one argument")
                                                     : "one or two arguments"));
    auto arg = bindExpr(*call.arguments[0], *agg.inputScope, nullptr);
    if (!arg.isOk()) return arg.status();
    BoundExprPtr argument = std::move(arg).value();
    if (argument->type == ExprType::kNull) {
      auto cast = coerceTo(argument, ExprType::kBigint);
      if (!cast.isOk()) return cast.status();
      argument = *cast;
    }
    a.argumentType = argument->type;
    const std::string message = typeAggregateCall(call, name, a);
    if (!message.empty()) return error(call.span, message);
    // Reuse a pre-projected argument equal to this one.
    int index = -1;
    for (size_t i = 0; i < agg.preProjection.size(); ++i)
      if (agg.preProjection[i]->equals(*argument)) index = static_cast<int>(i);
    if (index < 0) {
      index = static_cast<int>(agg.preProjection.size());
      agg.preProjection.push_back(argument);
    }
    a.argument = index;
  }
  for (size_t i = 0; i < agg.aggregates.size(); ++i) {
    const auto& o = agg.aggregates[i];
    if (o.kind == a.kind && o.argument == a.argument && o.distinct == a.distinct &&
        o.filter == a.filter && o.separator == a.separator) {
      const RelColumn& c = agg.outputColumns[agg.firstAggregateOutput + i];
      return makeColumnRef(agg.firstAggregateOutput + static_cast<int>(i), c.type, c.nullable,
                           c.name);
    }
  }
  agg.aggregates.push_back(a);
  RelColumn column{toString(call), a.resultType,
                   !(a.kind == AggKind::kCount || a.kind == AggKind::kCountStar)};
  const int index = agg.firstAggregateOutput + static_cast<int>(agg.aggregates.size()) - 1;
  agg.outputColumns.push_back(column);
  return makeColumnRef(index, column.type, column.nullable, column.name);
}

// GROUPING(k1, ..., kn) / GROUPING_ID(...): per argument 1 when the row's grouping set does not
// group by it, as bits, the first argument the most significant.
Result<BoundExprPtr> Binder::bindGroupingCall(const FunctionCallExpr& call, AggregateContext& agg) {
  const std::string name = upper(call.name.parts.back().name);
  if (call.arguments.empty() || call.starArgument || call.distinct)
    return error(call.span, name + " expects one or more GROUP BY expressions");
  BoundExprPtr value = makeLiteral(Value::int64(0));
  for (const auto& argument : call.arguments) {
    int key = -1;
    for (size_t i = 0; i < agg.groupExprs.size() && key < 0; ++i)
      if (equals(*agg.groupExprs[i], *argument)) key = agg.groupOutput[i];
    if (key < 0 || key >= agg.numKeys)
      return error(argument->span, "the argument of " + name + " must be a GROUP BY expression");
    // Without grouping sets every key is grouped.
    BoundExprPtr bit = agg.groupingFlags < 0
                           ? makeLiteral(Value::int64(0))
                           : makeColumnRef(agg.groupingFlags + key, ExprType::kBigint, false,
                                           agg.outputColumns[agg.groupingFlags + key].name);
    auto shifted = makeCall("*", {value, makeLiteral(Value::int64(2))});
    if (!shifted.isOk()) return shifted.status();
    auto sum = makeCall("+", {*shifted, bit});
    if (!sum.isOk()) return sum.status();
    value = *sum;
  }
  return value;
}

Result<BoundExprPtr> Binder::bindExpr(const Expr& e, const Scope& scope, AggregateContext* agg) {
  if (agg) {
    for (size_t i = 0; i < agg->groupExprs.size(); ++i) {
      if (equals(*agg->groupExprs[i], e)) {
        const int out = agg->groupOutput[i];
        const RelColumn& c = agg->outputColumns[out];
        return makeColumnRef(out, c.type, c.nullable, c.name);
      }
    }
    if (e.kind == AstExprKind::kFunction) {
      const auto& call = e.as<FunctionCallExpr>();
      const std::string name = upper(call.name.parts.back().name);
      if (!call.over && isAggregateName(name)) return bindAggregateCall(call, *agg);
      if (!call.over && (name == "GROUPING" || name == "GROUPING_ID"))
        return bindGroupingCall(call, *agg);
    }
    if (e.kind == AstExprKind::kColumn) {
      // window_time may be selected when grouping by window_start and window_end.
      auto r = bindColumn(e.as<ColumnRefExpr>(), *agg->inputScope);
      if (r.isOk()) {
        // `t.k` is the group key written `k` (as a correlated subquery's outer column is).
        for (size_t i = 0; i < agg->groupExprs.size(); ++i) {
          if (agg->groupExprs[i]->kind != AstExprKind::kColumn) continue;
          auto key = bindColumn(agg->groupExprs[i]->as<ColumnRefExpr>(), *agg->inputScope);
          if (!key.isOk() || (*key)->column != (*r)->column) continue;
          const int out = agg->groupOutput[i];
          const RelColumn& c = agg->outputColumns[out];
          return makeColumnRef(out, c.type, c.nullable, c.name);
        }
        const auto& name = scope.columns.empty() ? std::string() : std::string();
        (void)name;
        const std::string& col = e.as<ColumnRefExpr>().name.parts.back().name;
        if (col == "window_time" && agg->windowColumnOutput[2] >= 0) {
          const RelColumn& c = agg->outputColumns[agg->windowColumnOutput[2]];
          return makeColumnRef(agg->windowColumnOutput[2], c.type, c.nullable, c.name);
        }
        return error(e.span, "column `" + e.as<ColumnRefExpr>().name.toString() +
                                 "` must appear in the GROUP BY clause or be used in an aggregate "
                                 "function");
      }
      return r.status();
    }
  } else if (e.kind == AstExprKind::kFunction) {
    const auto& call = e.as<FunctionCallExpr>();
    const std::string name = upper(call.name.parts.back().name);
    if (call.over) {
      auto it = overValues_.find(&e);
      if (it != overValues_.end()) return it->second;
      return error(e.span, "OVER windows are only supported in the SELECT list");
    }
    if (isAggregateName(name))
      return error(e.span, "aggregate function " + name + " is not allowed here",
                   "aggregates belong in the SELECT list or HAVING of a query with GROUP BY");
  }

  auto sub = [&](const ExprPtr& x) { return bindExpr(*x, scope, agg); };
#define BIND(var, x)                            \
  auto var##_r = sub(x);                        \
  if (!var##_r.isOk()) return var##_r.status(); \
  BoundExprPtr var = std::move(var##_r).value();
  auto located = [&](Result<BoundExprPtr> r) -> Result<BoundExprPtr> {
    if (r.isOk()) return r;
    return error(e.span, r.status().message());
  };

  switch (e.kind) {
    case AstExprKind::kLiteral:
      return bindLiteral(e.as<LiteralExpr>());
    case AstExprKind::kInterval: {
      const auto& iv = e.as<IntervalExpr>();
      const std::string& text = iv.value;
      auto number = [&](std::string_view s, int64_t* out) {
        if (s.empty()) return false;
        char* end = nullptr;
        std::string tmp(s);
        *out = std::strtoll(tmp.c_str(), &end, 10);
        return *end == '\0';
      };
      int64_t sign = iv.negative ? -1 : 1;
      if (!iv.to) {
        int64_t v = 0;
        double d = 0;
        bool integral = number(text, &v);
        if (!integral) {
          char* end = nullptr;
          d = std::strtod(text.c_str(), &end);
          if (text.empty() || *end != '\0')
            return error(e.span, "invalid interval value '" + text + "'");
        } else {
          d = static_cast<double>(v);
        }
        switch (iv.from) {
          case TimeUnit::kYear:
            return makeIntervalYearMonth(sign * v * 12);
          case TimeUnit::kMonth:
            return makeIntervalYearMonth(sign * v);
          case TimeUnit::kDay:
            return makeIntervalDayTime(sign * static_cast<int64_t>(d * 86400000));
          case TimeUnit::kHour:
            return makeIntervalDayTime(sign * static_cast<int64_t>(d * 3600000));
          case TimeUnit::kMinute:
            return makeIntervalDayTime(sign * static_cast<int64_t>(d * 60000));
          case TimeUnit::kSecond:
            return makeIntervalDayTime(sign * static_cast<int64_t>(std::llround(d * 1000)));
          case TimeUnit::kMillisecond:
            return makeIntervalDayTime(sign * v);
          default:
            return error(e.span, std::string("unsupported interval unit ") + timeUnitName(iv.from));
        }
      }
      // Ranges such as '1:30' MINUTE TO SECOND: split on ':' and ' '.
      std::vector<double> fields;
      std::string cur;
      for (char c : text + ":") {
        if (c == ':' || c == ' ' || c == '-') {
          if (c == '-' && cur.empty() && fields.empty() && iv.from == TimeUnit::kYear) {
          }
          if (!cur.empty()) fields.push_back(std::strtod(cur.c_str(), nullptr));
          cur.clear();
        } else {
          cur += c;
        }
      }
      if (iv.from == TimeUnit::kYear && *iv.to == TimeUnit::kMonth && fields.size() == 2)
        return makeIntervalYearMonth(sign * static_cast<int64_t>(fields[0] * 12 + fields[1]));
      static const int64_t unitMillis[] = {0, 0, 0, 0, 86400000, 3600000, 60000, 1000};
      int from = static_cast<int>(iv.from), to = static_cast<int>(*iv.to);
      if (from < 4 || to > 7 || to <= from || static_cast<int>(fields.size()) != to - from + 1)
        return error(e.span, "invalid interval '" + text + "'");
      double ms = 0;
      for (int u = from; u <= to; ++u) ms += fields[u - from] * unitMillis[u];
      return makeIntervalDayTime(sign * static_cast<int64_t>(std::llround(ms)));
    }
    case AstExprKind::kColumn:
      return bindColumn(e.as<ColumnRefExpr>(), scope);
    case AstExprKind::kUnary: {
      const auto& u = e.as<UnaryExpr>();
      BIND(x, u.operand);
      if (u.op == UnaryOp::kPlus) return x;
      return located(makeCall(u.op == UnaryOp::kNot ? "NOT" : "-", {x}));
    }
    case AstExprKind::kBinary: {
      const auto& b = e.as<BinaryExpr>();
      BIND(l, b.left);
      BIND(r, b.right);
      return located(makeCall(binaryOperatorText(b.op), {l, r}));
    }
    case AstExprKind::kIs: {
      const auto& is = e.as<IsExpr>();
      BIND(x, is.operand);
      static const char* names[4][2] = {{"IS NULL", "IS NOT NULL"},
                                        {"IS TRUE", "IS NOT TRUE"},
                                        {"IS FALSE", "IS NOT FALSE"},
                                        {"IS UNKNOWN", "IS NOT UNKNOWN"}};
      return located(makeCall(names[static_cast<int>(is.test)][is.negated ? 1 : 0], {x}));
    }
    case AstExprKind::kIn: {
      const auto& in = e.as<InExpr>();
      if (in.subquery) {
        auto it = subqueryValues_.find(&e);
        if (it == subqueryValues_.end())
          return error(e.span,
                       "IN (SELECT ...) is supported in WHERE, HAVING and the select list, not "
                       "here");
        return in.negated ? located(makeCall("NOT", {it->second})) : it->second;
      }
      BIND(x, in.operand);
      std::vector<BoundExprPtr> items;
      for (const auto& item : in.list) {
        BIND(v, item);
        items.push_back(v);
      }
      return located(makeIn(x, std::move(items), in.negated));
    }
    case AstExprKind::kBetween: {
      const auto& b = e.as<BetweenExpr>();
      BIND(x, b.operand);
      BIND(lo, b.low);
      BIND(hi, b.high);
      std::string name =
          std::string(b.negated ? "NOT " : "") + "BETWEEN" + (b.symmetric ? " SYMMETRIC" : "");
      return located(makeCall(name, {x, lo, hi}));
    }
    case AstExprKind::kLike: {
      const auto& l = e.as<LikeExpr>();
      if (l.similarTo) return error(e.span, "SIMILAR TO is not supported");
      BIND(x, l.operand);
      BIND(p, l.pattern);
      std::vector<BoundExprPtr> args{x, p};
      if (l.escape) {
        BIND(esc, l.escape);
        args.push_back(esc);
      }
      return located(makeCall(l.negated ? "NOT LIKE" : "LIKE", std::move(args)));
    }
    case AstExprKind::kCase: {
      const auto& c = e.as<CaseExpr>();
      std::vector<std::pair<BoundExprPtr, BoundExprPtr>> whens;
      for (const auto& w : c.whens) {
        BIND(cond, w.condition);
        BIND(res, w.result);
        whens.emplace_back(cond, res);
      }
      BoundExprPtr elseResult;
      if (c.elseResult) {
        BIND(el, c.elseResult);
        elseResult = el;
      }
      if (c.operand) {
        BIND(op, c.operand);
        return located(makeSimpleCase(op, std::move(whens), elseResult));
      }
      return located(makeCase(std::move(whens), elseResult));
    }
    case AstExprKind::kCast: {
      const auto& c = e.as<CastExpr>();
      BIND(x, c.operand);
      auto type = exprTypeOfSyntax(*c.type, sql_);
      if (!type.isOk()) return type.status();
      return located(makeCast(x, *type, c.tryCast));
    }
    case AstExprKind::kFunction: {
      const auto& call = e.as<FunctionCallExpr>();
      const std::string name = upper(call.name.parts.back().name);
      // User functions (CREATE FUNCTION): a temporary system function shadows a built-in one.
      if (auto udf = call.name.parts.size() == 1 ? catalog_.findFunction(name) : nullptr;
          udf && (udf->system || !isKnownFunction(name)))
        return bindUserFunctionCall(e, *udf, scope, agg);
      if (call.name.parts.size() != 1 || !isKnownFunction(name)) {
        auto m = closestMatch(name, knownFunctionNames());
        return error(call.name.span, "unknown function `" + call.name.toString() + "`",
                     m ? "did you mean " + *m + "?" : "");
      }
      if (call.distinct || call.starArgument)
        return error(e.span, name + " is not an aggregate function");
      std::vector<BoundExprPtr> args;
      for (const auto& a : call.arguments) {
        // TIMESTAMPADD / TIMESTAMPDIFF: the first argument is a unit keyword, not a column.
        if (args.empty() && (name == "TIMESTAMPADD" || name == "TIMESTAMPDIFF") &&
            a->kind == AstExprKind::kColumn && a->as<ColumnRefExpr>().name.parts.size() == 1) {
          args.push_back(
              makeLiteral(Value::varchar(upper(a->as<ColumnRefExpr>().name.parts[0].name))));
          continue;
        }
        BIND(v, a);
        args.push_back(v);
      }
      return located(makeCall(name, std::move(args)));
    }
    case AstExprKind::kExtract: {
      const auto& x = e.as<ExtractExpr>();
      BIND(v, x.operand);
      return located(makeCall("EXTRACT", {makeLiteral(Value::varchar(timeUnitName(x.unit))), v}));
    }
    case AstExprKind::kTrim: {
      const auto& t = e.as<TrimExpr>();
      BIND(v, t.operand);
      BoundExprPtr chars = makeLiteral(Value::varchar(" "));
      if (t.characters) {
        BIND(c, t.characters);
        chars = c;
      }
      const char* mode = t.mode == TrimMode::kBoth      ? "BOTH"
                         : t.mode == TrimMode::kLeading ? "LEADING"
                                                        : "TRAILING";
      return located(makeCall("TRIM", {makeLiteral(Value::varchar(mode)), chars, v}));
    }
    case AstExprKind::kTimeFloor: {
      const auto& t = e.as<TimeFloorExpr>();
      BIND(v, t.operand);
      return located(makeCall(t.ceil ? "CEIL" : "FLOOR",
                              {v, makeLiteral(Value::varchar(timeUnitName(t.unit)))}));
    }
    case AstExprKind::kSubquery: {
      auto it = subqueryValues_.find(&e);
      if (it == subqueryValues_.end())
        return error(e.span,
                     "subqueries (scalar, EXISTS) are supported in WHERE, HAVING and the select "
                     "list, not here");
      return it->second;
    }
    case AstExprKind::kFieldAccess:
    case AstExprKind::kSubscript:
    case AstExprKind::kCollection:
      return error(e.span, "composite values (ROW, ARRAY, MAP) are not supported");
  }
#undef BIND
  return error(e.span, "unsupported expression");
}

Result<BoundExprPtr> Binder::bindUserFunctionCall(const Expr& e, const CatalogFunction& function,
                                                  const Scope& scope, AggregateContext* agg) {
  const auto& call = e.as<FunctionCallExpr>();
  if (call.distinct || call.starArgument || call.over)
    return error(e.span, "`" + function.name + "` is a scalar function");
  // The implementation may have been registered by a library loaded after CREATE FUNCTION's
  // check only in another process; here it must exist.
  const RegisteredFunction* impl = UdfRegistry::instance().find(function.identifier);
  if (impl == nullptr)
    return error(call.name.span, "function `" + function.name + "` names the identifier '" +
                                     function.identifier + "', which no loaded library registers");
  std::vector<BoundExprPtr> args;
  for (const auto& a : call.arguments) {
    auto v = bindExpr(*a, scope, agg);
    if (!v.isOk()) return v.status();
    args.push_back(*v);
  }
  auto bound = UdfRegistry::instance().makeCall(*impl, function.name, std::move(args));
  if (!bound.isOk()) return error(e.span, bound.status().message());
  return bound;
}

// `left JOIN t FOR SYSTEM_TIME AS OF left.proctime [AS alias] ON ...`: Flink's processing-time
// temporal join, a lookup of every left row in the table as it is when the row arrives. Glint's
// lookup tables are bounded (filesystem) tables read once per task.
Result<Bound> Binder::bindLookupJoin(const JoinTableRef& j, Bound left) {
  const auto& ref = j.right->as<NamedTableRef>();
  if (j.joinType != JoinType::kInner && j.joinType != JoinType::kLeft)
    return error(j.span, "a temporal join (FOR SYSTEM_TIME AS OF) must be an INNER or LEFT join");
  // The version: a processing-time attribute of the left input.
  auto version = bindExpr(*ref.systemTimeAsOf, left.scope, nullptr);
  if (!version.isOk()) return version.status();
  const BoundExpr& v = **version;
  const bool proctime = v.kind == ExprKind::kColumn && isProctimeAttribute(*left.rel, v.column);
  if (!proctime) {
    if (v.kind == ExprKind::kColumn && v.column == left.rel->rowtimeColumn)
      return error(ref.systemTimeAsOf->span,
                   "event-time temporal joins (FOR SYSTEM_TIME AS OF a rowtime attribute) are "
                   "not supported",
                   "join on a processing-time attribute: `PROCTIME() AS p_time` in the left input");
    return error(ref.systemTimeAsOf->span,
                 "FOR SYSTEM_TIME AS OF needs a processing-time attribute of the left input",
                 "add `PROCTIME() AS p_time` to the left input and write FOR SYSTEM_TIME AS OF "
                 "<left alias>.p_time");
  }
  if (ref.name.parts.size() != 1)
    return error(ref.name.span, "only unqualified table names are supported");
  const std::string name = ref.name.parts[0].name;
  auto table = ctes_.count(name) ? nullptr : catalog_.findTable(name);
  if (!table)
    return error(ref.name.span,
                 "the table of a lookup join must be a catalog table; `" + name + "` is " +
                     (catalog_.findView(name) || ctes_.count(name) ? "a view" : "not a table"));
  // Lookup needs all of the table at hand: a bounded filesystem table.
  if (table->connector != "filesystem")
    return error(ref.name.span,
                 "table `" + name + "` (connector '" + table->connector +
                     "') cannot be a lookup table: Glint looks rows up in bounded tables, "
                     "connector 'filesystem'",
                 "declare the side table WITH ('connector' = 'filesystem', 'path' = ..., "
                 "'format' = 'csv')");
  NamedTableRef plain;
  plain.name = ref.name;
  plain.alias = ref.alias;
  plain.columnAliases = ref.columnAliases;
  plain.span = ref.span;
  auto right = bindNamedTable(plain);
  if (!right.isOk()) return right.status();
  if (!j.condition) return error(j.span, "a lookup join needs an ON condition");

  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kJoin;
  node->lookupJoin = true;
  node->joinType = j.joinType == JoinType::kLeft ? RelJoinType::kLeft : RelJoinType::kInner;
  Bound out;
  out.scope = left.scope;
  for (const auto& c : right->scope.columns) out.scope.columns.push_back(c);
  for (const auto& c : left.rel->columns) node->columns.push_back(c);
  for (const auto& c : right->rel->columns)
    node->columns.push_back({c.name, c.type, c.nullable || node->joinType == RelJoinType::kLeft});
  for (size_t i = 0; i < out.scope.columns.size(); ++i)
    out.scope.columns[i].nullable = node->columns[i].nullable;
  node->rowtimeColumn = left.rel->rowtimeColumn;
  node->inputs = {left.rel, right->rel};
  auto cond = bindExpr(*j.condition, out.scope, nullptr);
  if (!cond.isOk()) return cond.status();
  if ((*cond)->type != ExprType::kBoolean)
    return error(j.condition->span, "the join condition must be BOOLEAN, got " +
                                        std::string(exprTypeName((*cond)->type)));
  const int leftWidth = static_cast<int>(left.rel->columns.size());
  if (splitLookupCondition(*cond, leftWidth).leftKeys.empty())
    return error(
        j.condition->span,
        "a lookup join needs an equality between a column of `" + name +
            "` and an expression of the left input",
        "e.g. ON " + std::string(ref.alias ? ref.alias->name : name) + ".key = <left expression>");
  node->joinCondition = *cond;
  out.rel = node;
  return out;
}

Result<Bound> Binder::bindNamedTable(const NamedTableRef& ref) {
  if (ref.name.parts.size() != 1)
    return error(ref.name.span, "only unqualified table names are supported");
  if (ref.systemTimeAsOf) return error(ref.span, "FOR SYSTEM_TIME AS OF is not supported");
  const std::string name = ref.name.parts[0].name;
  const std::string qualifier = ref.alias ? ref.alias->name : name;
  if (ctes_.count(name)) return bindCommonTableExpr(ref, name);
  Bound out;
  if (auto view = catalog_.findView(name)) {
    if (depth_ > 32) return error(ref.span, "views nested too deeply (a cycle?)");
    auto parsed = parseStatement(view->querySql);
    if (!parsed.isOk())
      return error(ref.span, "view `" + name + "` does not parse: " + parsed.error().message);
    Binder inner(view->querySql, catalog_, depth_ + 1);
    auto bound = inner.bindQuery(*parsed.value()->as<QueryStatement>().query);
    if (!bound.isOk())
      return error(ref.span, "in view `" + name + "`: " + bound.status().message());
    out.rel = bound->rel;
    for (size_t i = 0; i < out.rel->columns.size(); ++i) {
      const auto& c = out.rel->columns[i];
      std::string cname = i < view->columnAliases.size() ? view->columnAliases[i] : c.name;
      out.scope.columns.push_back({qualifier, cname, c.type, c.nullable});
    }
  } else if (auto table = catalog_.findTable(name)) {
    auto scan = std::make_shared<RelNode>();
    scan->kind = RelKind::kScan;
    scan->table = table;
    std::vector<RelColumn> physical;
    for (const auto& c : table->columns)
      if (!c.isComputed()) physical.push_back({c.name, c.type, c.nullable});
    int p = 0;
    for (const auto& c : table->columns) {
      if (c.isComputed()) {
        auto parsed = parseExpression(c.computedSql);
        if (!parsed.isOk())
          return error(ref.span, "computed column `" + c.name + "` does not parse");
        auto bound = bindScalar(*parsed.value(), c.computedSql, physical);
        if (!bound.isOk())
          return error(ref.span, "computed column `" + c.name + "`: " + bound.status().message());
        scan->projections.push_back(*bound);
        scan->columns.push_back({c.name, (*bound)->type, (*bound)->nullable});
      } else {
        scan->projections.push_back(makeColumnRef(p, c.type, c.nullable, c.name));
        scan->columns.push_back({c.name, c.type, c.nullable});
        ++p;
      }
    }
    if (table->rowtimeColumn) scan->rowtimeColumn = table->indexOf(*table->rowtimeColumn);
    out.rel = scan;
    for (const auto& c : scan->columns)
      out.scope.columns.push_back({qualifier, c.name, c.type, c.nullable});
  } else {
    auto m = closestMatch(name, catalog_.allNames());
    return error(ref.name.span,
                 "unknown table `" + name + "`" + (m ? "; did you mean `" + *m + "`?" : ""),
                 m ? "" : "SHOW TABLES lists the tables; create one with CREATE TABLE");
  }
  if (!ref.columnAliases.empty()) {
    if (ref.columnAliases.size() != out.scope.columns.size())
      return error(ref.span, "the alias lists " + std::to_string(ref.columnAliases.size()) +
                                 " columns, the table has " +
                                 std::to_string(out.scope.columns.size()));
    for (size_t i = 0; i < ref.columnAliases.size(); ++i)
      out.scope.columns[i].name = ref.columnAliases[i].name;
  }
  return out;
}

Result<Bound> Binder::bindWindowTvf(const TableFunctionRef& ref) {
  const std::string name = upper(ref.function.parts.back().name);
  WindowSpecification spec;
  if (name == "TUMBLE")
    spec.kind = WindowKind::kTumble;
  else if (name == "HOP")
    spec.kind = WindowKind::kHop;
  else if (name == "CUMULATE")
    spec.kind = WindowKind::kCumulate;
  else if (name == "SESSION")
    spec.kind = WindowKind::kSession;
  else {
    auto m = closestMatch(name, {"TUMBLE", "HOP", "CUMULATE", "SESSION"});
    return error(
        ref.function.span, "unknown table function `" + ref.function.toString() + "`",
        m ? "did you mean " + *m + "?" : "table functions: TUMBLE, HOP, CUMULATE, SESSION");
  }
  const TableArgument* table = nullptr;
  const TableArgument* descriptor = nullptr;
  std::vector<const TableArgument*> intervals;
  std::map<std::string, const TableArgument*> named;
  for (const auto& a : ref.arguments) {
    if (a.name) {
      named[upper(a.name->name)] = &a;
      continue;
    }
    if (a.kind == TableArgumentKind::kTable)
      table = &a;
    else if (a.kind == TableArgumentKind::kDescriptor)
      descriptor = &a;
    else
      intervals.push_back(&a);
  }
  if (named.count("DATA")) table = named["DATA"];
  if (named.count("TIMECOL")) descriptor = named["TIMECOL"];
  if (!table || table->kind != TableArgumentKind::kTable)
    return error(ref.span, name + " expects TABLE <name> as its first argument");
  if (!descriptor || descriptor->kind != TableArgumentKind::kDescriptor ||
      descriptor->descriptorColumns.size() != 1)
    return error(ref.span, name + " expects DESCRIPTOR(<time column>) as its second argument");
  // Interval arguments, positional or named.
  std::vector<std::string> order;
  if (spec.kind == WindowKind::kTumble)
    order = {"SIZE", "OFFSET"};
  else if (spec.kind == WindowKind::kHop)
    order = {"SLIDE", "SIZE", "OFFSET"};
  else if (spec.kind == WindowKind::kCumulate)
    order = {"STEP", "SIZE", "OFFSET"};
  else
    order = {"GAP"};
  std::map<std::string, int64_t> values;
  for (size_t i = 0; i < intervals.size(); ++i) {
    if (i >= order.size()) return error(intervals[i]->span, "too many arguments for " + name);
    auto v = intervalMillis(*intervals[i]->expression);
    if (!v.isOk()) return v.status();
    values[order[i]] = *v;
  }
  for (const auto& [k, a] : named) {
    if (k == "DATA" || k == "TIMECOL") continue;
    if (std::find(order.begin(), order.end(), k) == order.end())
      return error(a->span, "unknown argument " + k + " of " + name);
    auto v = intervalMillis(*a->expression);
    if (!v.isOk()) return v.status();
    values[k] = *v;
  }
  auto need = [&](const std::string& k) -> Result<int64_t> {
    auto it = values.find(k);
    if (it == values.end()) return error(ref.span, name + " needs its " + k + " argument");
    if (it->second <= 0) return error(ref.span, name + ": " + k + " must be positive");
    return it->second;
  };
  if (spec.kind == WindowKind::kSession) {
    auto g = need("GAP");
    if (!g.isOk()) return g.status();
    spec.size = *g;
  } else {
    auto s = need("SIZE");
    if (!s.isOk()) return s.status();
    spec.size = *s;
    if (spec.kind != WindowKind::kTumble) {
      auto sl = need(spec.kind == WindowKind::kHop ? "SLIDE" : "STEP");
      if (!sl.isOk()) return sl.status();
      spec.slide = *sl;
      if (spec.size % spec.slide != 0)
        return error(ref.span, name + ": the size must be a multiple of the " +
                                   (spec.kind == WindowKind::kHop ? "slide" : "step"));
    }
    spec.offset = values.count("OFFSET") ? values["OFFSET"] : 0;
  }
  NamedTableRef named_ref;
  named_ref.name = table->table;
  named_ref.span = table->span;
  auto input = bindNamedTable(named_ref);
  if (!input.isOk()) return input.status();
  const auto& col = descriptor->descriptorColumns[0];
  int time = -1;
  for (size_t i = 0; i < input->scope.columns.size(); ++i)
    if (input->scope.columns[i].name == col.name) time = static_cast<int>(i);
  if (time < 0) {
    auto m = closestMatch(col.name, [&] {
      std::vector<std::string> v;
      for (const auto& c : input->scope.columns) v.push_back(c.name);
      return v;
    }());
    return error(col.span,
                 "unknown column `" + col.name + "`" + (m ? "; did you mean `" + *m + "`?" : ""));
  }
  spec.processingTime = isProctimeAttribute(*input->rel, time);
  if (input->rel->rowtimeColumn != time && !spec.processingTime)
    return error(col.span, "column `" + col.name + "` is not a time attribute",
                 "declare it with WATERMARK FOR " + col.name +
                     " AS ... in the table, or use a processing-time column `p AS PROCTIME()`");
  if (spec.processingTime && spec.kind == WindowKind::kCumulate)
    return error(ref.span, "CUMULATE windows over a processing-time attribute are not supported",
                 "use TUMBLE or HOP, or an event-time attribute");
  spec.timeColumn = time;
  std::vector<int> partitionColumns;
  for (const auto& p : table->partitionBy) {
    int found = -1;
    for (size_t i = 0; i < input->scope.columns.size(); ++i)
      if (input->scope.columns[i].name == p.name) found = static_cast<int>(i);
    if (found < 0) return error(p.span, "unknown PARTITION BY column `" + p.name + "`");
    partitionColumns.push_back(found);
  }
  if (!partitionColumns.empty() && spec.kind != WindowKind::kSession)
    return error(table->span, "PARTITION BY is supported for SESSION windows only");
  Bound out = std::move(input).value();
  const std::string qualifier = ref.alias ? ref.alias->name : std::string();
  if (!qualifier.empty())
    for (auto& c : out.scope.columns) c.qualifier = qualifier;
  out.scope.columns.push_back({qualifier, "window_start", ExprType::kTimestamp, false});
  out.scope.columns.push_back({qualifier, "window_end", ExprType::kTimestamp, false});
  out.scope.columns.push_back({qualifier, "window_time", ExprType::kTimestamp, false});
  out.tvf = WindowTvf{spec, ref.span, partitionColumns};
  return out;
}

Result<Bound> Binder::bindTableRef(const TableRef& ref) {
  switch (ref.kind) {
    case TableRefKind::kNamed:
      return bindNamedTable(ref.as<NamedTableRef>());
    case TableRefKind::kSubquery: {
      const auto& s = ref.as<SubqueryTableRef>();
      if (s.lateral) return error(ref.span, "LATERAL subqueries are not supported");
      Binder inner = child(sql_);
      auto bound = inner.bindQuery(*s.query);
      if (!bound.isOk()) return bound.status();
      Bound out;
      out.rel = bound->rel;
      const std::string qualifier = s.alias ? s.alias->name : std::string();
      for (size_t i = 0; i < out.rel->columns.size(); ++i) {
        const auto& c = out.rel->columns[i];
        std::string name = c.name;
        if (!s.columnAliases.empty()) {
          if (s.columnAliases.size() != out.rel->columns.size())
            return error(ref.span, "the alias lists " + std::to_string(s.columnAliases.size()) +
                                       " columns, the subquery has " +
                                       std::to_string(out.rel->columns.size()));
          name = s.columnAliases[i].name;
        }
        out.scope.columns.push_back({qualifier, name, c.type, c.nullable});
      }
      return out;
    }
    case TableRefKind::kTableFunction:
      return bindWindowTvf(ref.as<TableFunctionRef>());
    case TableRefKind::kJoin: {
      const auto& j = ref.as<JoinTableRef>();
      if (j.natural || !j.usingColumns.empty())
        return error(ref.span, "NATURAL joins and USING are not supported yet", "use ON");
      auto left = bindTableRef(*j.left);
      if (!left.isOk()) return left.status();
      if (j.right->kind == TableRefKind::kNamed && j.right->as<NamedTableRef>().systemTimeAsOf) {
        GLINT_RETURN_IF_ERROR(materializeWindowTvf(*left, sql_));
        return bindLookupJoin(j, std::move(left).value());
      }
      auto right = bindTableRef(*j.right);
      if (!right.isOk()) return right.status();
      GLINT_RETURN_IF_ERROR(materializeWindowTvf(*left, sql_));
      GLINT_RETURN_IF_ERROR(materializeWindowTvf(*right, sql_));
      auto node = std::make_shared<RelNode>();
      node->kind = RelKind::kJoin;
      switch (j.joinType) {
        case JoinType::kLeft:
          node->joinType = RelJoinType::kLeft;
          break;
        case JoinType::kRight:
          node->joinType = RelJoinType::kRight;
          break;
        case JoinType::kFull:
          node->joinType = RelJoinType::kFull;
          break;
        default:
          node->joinType = RelJoinType::kInner;
          break;
      }
      Bound out;
      out.scope = left->scope;
      for (const auto& c : right->scope.columns) out.scope.columns.push_back(c);
      auto nullable = [&](bool side) {
        return node->joinType == RelJoinType::kFull ||
               (side ? node->joinType == RelJoinType::kLeft
                     : node->joinType == RelJoinType::kRight);
      };
      for (const auto& c : left->rel->columns)
        node->columns.push_back({c.name, c.type, c.nullable || nullable(false)});
      for (const auto& c : right->rel->columns)
        node->columns.push_back({c.name, c.type, c.nullable || nullable(true)});
      for (size_t i = 0; i < out.scope.columns.size(); ++i)
        out.scope.columns[i].nullable = node->columns[i].nullable;
      node->inputs = {left->rel, right->rel};
      if (j.condition) {
        auto cond = bindExpr(*j.condition, out.scope, nullptr);
        if (!cond.isOk()) return cond.status();
        if ((*cond)->type != ExprType::kBoolean)
          return error(j.condition->span, "the join condition must be BOOLEAN, got " +
                                              std::string(exprTypeName((*cond)->type)));
        node->joinCondition = *cond;
      } else if (j.joinType != JoinType::kCross && j.joinType != JoinType::kComma &&
                 j.joinType != JoinType::kInner) {
        return error(ref.span, "an outer join needs an ON condition");
      }
      out.rel = node;
      return out;
    }
    case TableRefKind::kUnnest:
      return error(ref.span, "UNNEST is not supported");
  }
  return error(ref.span, "unsupported FROM item");
}

std::string itemName(const SelectItem& item, size_t index) {
  if (item.alias) return item.alias->name;
  if (item.expr && item.expr->kind == AstExprKind::kColumn)
    return item.expr->as<ColumnRefExpr>().name.parts.back().name;
  return "EXPR$" + std::to_string(index);
}

Result<Bound> Binder::bindValues(const ValuesBody& values) {
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kValues;
  std::vector<std::vector<BoundExprPtr>> rows;
  for (const auto& row : values.rows) {
    std::vector<BoundExprPtr> bound;
    for (const auto& e : row) {
      auto v = bindExpr(*e, Scope{}, nullptr);
      if (!v.isOk()) return v.status();
      bound.push_back(foldConstants(*v));
      if (!bound.back()->isLiteral())
        return error(e->span, "VALUES accepts only constant expressions");
    }
    if (!rows.empty() && bound.size() != rows[0].size())
      return error(values.span, "VALUES rows have different numbers of columns");
    rows.push_back(std::move(bound));
  }
  const size_t n = rows.empty() ? 0 : rows[0].size();
  for (size_t c = 0; c < n; ++c) {
    std::vector<ExprType> types;
    bool nullable = false;
    for (const auto& r : rows) {
      types.push_back(r[c]->type);
      nullable |= r[c]->isNullLiteral();
    }
    auto t = commonType(types, "VALUES");
    if (!t.isOk()) return error(values.span, t.status().message());
    ExprType type = *t == ExprType::kNull ? ExprType::kInt : *t;
    node->columns.push_back({"EXPR$" + std::to_string(c), type, nullable});
    for (auto& r : rows) {
      auto cast = coerceTo(r[c], type);
      if (!cast.isOk()) return error(values.span, cast.status().message());
      r[c] = foldConstants(*cast);
    }
  }
  for (auto& r : rows) {
    std::vector<Value> vs;
    for (auto& e : r) {
      if (!e->isLiteral())
        return error(values.span, "VALUES: a value does not convert to its column type");
      vs.push_back(e->literal);
    }
    node->rows.push_back(std::move(vs));
  }
  Bound out;
  out.rel = node;
  for (const auto& c : node->columns) out.scope.columns.push_back({"", c.name, c.type, c.nullable});
  return out;
}

void collectAggregateCalls(const Expr& e, bool& found) {
  if (e.kind == AstExprKind::kFunction) {
    const auto& call = e.as<FunctionCallExpr>();
    if (!call.over && isAggregateName(upper(call.name.parts.back().name))) {
      found = true;
      return;
    }
  }
  forEachChild(e, [&](const Expr& child) { collectAggregateCalls(child, found); });
}

// The subqueries of `e` that are not inside an aggregate call, nested ones (in an IN operand)
// first, and its aggregate calls (not entering either).
void collectSubqueriesOverAggregate(const Expr& e, std::vector<const Expr*>& subqueries,
                                    std::vector<const Expr*>& aggregateCalls) {
  if (e.kind == AstExprKind::kFunction) {
    const auto& call = e.as<FunctionCallExpr>();
    if (!call.over && isAggregateName(upper(call.name.parts.back().name))) {
      aggregateCalls.push_back(&e);
      return;
    }
  }
  forEachChild(e, [&](const Expr& child) {
    collectSubqueriesOverAggregate(child, subqueries, aggregateCalls);
  });
  if ((e.kind == AstExprKind::kIn && e.as<InExpr>().subquery) || e.kind == AstExprKind::kSubquery)
    subqueries.push_back(&e);
}

// The grouping sets of a GROUP BY with ROLLUP, CUBE or GROUPING SETS, as indexes into `groups`
// (the distinct grouping expressions, in order of appearance). Elements of the GROUP BY list
// combine as a cross product: GROUP BY a, ROLLUP(b, c) = (a, b, c), (a, b), (a).
Result<std::vector<std::vector<int>>> Binder::expandGroupingSets(
    const std::vector<GroupingElement>& groupBy, std::vector<const Expr*>& groups) {
  using Sets = std::vector<std::vector<int>>;
  auto indexOf = [&](const Expr* e) {
    for (size_t i = 0; i < groups.size(); ++i)
      if (equals(*groups[i], *e)) return static_cast<int>(i);
    groups.push_back(e);
    return static_cast<int>(groups.size()) - 1;
  };
  // An expression or a parenthesised list of them: the columns of one set.
  auto columnsOf = [&](const GroupingElement& g) -> Result<std::vector<int>> {
    if (g.kind == GroupingKind::kExpression) return std::vector<int>{indexOf(g.expr.get())};
    if (g.kind != GroupingKind::kTuple)
      return error(g.span, "ROLLUP, CUBE and GROUPING SETS cannot be nested here");
    std::vector<int> columns;
    for (const auto& item : g.elements) {
      if (item.kind != GroupingKind::kExpression)
        return error(item.span, "expected an expression in a grouping set");
      columns.push_back(indexOf(item.expr.get()));
    }
    return columns;
  };
  std::function<Result<Sets>(const GroupingElement&)> setsOf =
      [&](const GroupingElement& g) -> Result<Sets> {
    if (g.kind == GroupingKind::kExpression || g.kind == GroupingKind::kTuple) {
      auto c = columnsOf(g);
      if (!c.isOk()) return c.status();
      return Sets{*c};
    }
    if (g.kind == GroupingKind::kGroupingSets) {
      Sets all;
      for (const auto& item : g.elements) {
        auto sets = setsOf(item);
        if (!sets.isOk()) return sets.status();
        all.insert(all.end(), sets->begin(), sets->end());
      }
      return all;
    }
    std::vector<std::vector<int>> items;
    for (const auto& item : g.elements) {
      auto c = columnsOf(item);
      if (!c.isOk()) return c.status();
      items.push_back(*c);
    }
    Sets sets;
    if (g.kind == GroupingKind::kRollup) {
      // ROLLUP(a, b) = (a, b), (a), ().
      for (size_t n = items.size() + 1; n-- > 0;) {
        std::vector<int> set;
        for (size_t i = 0; i < n; ++i) set.insert(set.end(), items[i].begin(), items[i].end());
        sets.push_back(set);
      }
      return sets;
    }
    // CUBE(a, b) = every subset: (a, b), (a), (b), ().
    if (items.size() > 12)
      return error(g.span, "CUBE over more than 12 expressions makes too many grouping sets");
    const size_t n = items.size();
    for (size_t mask = (size_t{1} << n); mask-- > 0;) {
      std::vector<int> set;
      for (size_t i = 0; i < n; ++i)
        if (mask & (size_t{1} << (n - 1 - i)))
          set.insert(set.end(), items[i].begin(), items[i].end());
      sets.push_back(set);
    }
    return sets;
  };
  Sets product = {{}};
  for (const auto& g : groupBy) {
    auto sets = setsOf(g);
    if (!sets.isOk()) return sets.status();
    Sets next;
    for (const auto& p : product)
      for (const auto& q : *sets) {
        std::vector<int> combined = p;
        combined.insert(combined.end(), q.begin(), q.end());
        next.push_back(combined);
      }
    product = std::move(next);
  }
  for (auto& set : product) {
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  }
  return product;
}

namespace {

// One aggregate per grouping set over the same pre-projection; each pads the keys it does not
// group by with NULL and sets their grouping flags, and UNION ALL gathers them (in streaming
// mode each keeps its own changelog).
RelPtr planGroupingSets(const RelPtr& preCalc, const AggregateContext& agg) {
  RelPtr all;
  for (const auto& set : agg.groupingSets) {
    auto node = std::make_shared<RelNode>();
    node->kind = RelKind::kAggregate;
    node->groupKeys = set;
    node->aggregates = agg.aggregates;
    for (int k : set) node->columns.push_back(preCalc->columns[k]);
    for (size_t j = 0; j < agg.aggregates.size(); ++j)
      node->columns.push_back(agg.outputColumns[agg.firstAggregateOutput + j]);
    node->inputs = {preCalc};
    std::vector<BoundExprPtr> projections;
    for (int k = 0; k < agg.numKeys; ++k) {
      auto at = std::find(set.begin(), set.end(), k);
      const RelColumn& c = preCalc->columns[k];
      projections.push_back(at == set.end() ? makeNullLiteral(c.type)
                                            : makeColumnRef(static_cast<int>(at - set.begin()),
                                                            c.type, c.nullable, c.name));
    }
    for (int k = 0; k < agg.numKeys; ++k) {
      const bool grouped = std::find(set.begin(), set.end(), k) != set.end();
      projections.push_back(makeLiteral(Value::int64(grouped ? 0 : 1)));
    }
    for (size_t j = 0; j < agg.aggregates.size(); ++j) {
      const RelColumn& c = node->columns[set.size() + j];
      projections.push_back(
          makeColumnRef(static_cast<int>(set.size() + j), c.type, c.nullable, c.name));
    }
    RelPtr branch = makeCalc(node, nullptr, projections, agg.outputColumns);
    if (!all) {
      all = branch;
      continue;
    }
    auto u = std::make_shared<RelNode>();
    u->kind = RelKind::kUnion;
    u->columns = agg.outputColumns;
    u->inputs = {all, branch};
    all = u;
  }
  return all;
}

}  // namespace

Result<Bound> Binder::bindSelect(const SelectBody& select) {
  Bound from;
  if (select.from) {
    auto f = bindTableRef(*select.from);
    if (!f.isOk()) return f.status();
    from = std::move(f).value();
  } else {
    auto node = std::make_shared<RelNode>();
    node->kind = RelKind::kValues;
    node->rows.push_back({});
    from.rel = node;
  }
  bool hasAggregates = !select.groupBy.empty() || select.having != nullptr;
  for (const auto& item : select.items)
    if (item.expr) collectAggregateCalls(*item.expr, hasAggregates);
  // With aggregation, the other subqueries read the aggregated rows: planned after it.
  GLINT_RETURN_IF_ERROR(planSubqueries(select, from, hasAggregates));
  BoundExprPtr whereCondition;
  if (select.where) {
    auto cond = bindExpr(*select.where, from.scope, nullptr);
    if (!cond.isOk()) return cond.status();
    whereCondition = *cond;
  }
  // A window TVF grouped by its window directly runs as one window aggregate (a WHERE that
  // does not read the window columns is applied before it, as Flink pushes it); otherwise its
  // rows are materialised. CUMULATE always is: its windows are aggregated per window.
  if (from.tvf &&
      (!hasAggregates || from.tvf->spec.kind == WindowKind::kCumulate ||
       (whereCondition &&
        referencesColumnFrom(*whereCondition, static_cast<int>(from.rel->columns.size()))))) {
    if (!from.tvf->partitionColumns.empty())
      return error(from.tvf->span, "PARTITION BY is supported for SESSION windows only");
    GLINT_RETURN_IF_ERROR(materializeWindowTvf(from, sql_));
  }
  RelPtr current = from.rel;
  if (select.where) {
    auto cond = Result<BoundExprPtr>(whereCondition);
    if ((*cond)->type != ExprType::kBoolean && (*cond)->type != ExprType::kNull)
      return error(select.where->span, "WHERE needs a BOOLEAN condition, got " +
                                           std::string(exprTypeName((*cond)->type)));
    current = makeCalc(current, *cond, identity(current->columns), current->columns);
  }

  Scope outputScope;  // for the select list
  const Scope* selectScope = &from.scope;
  AggregateContext agg;
  std::vector<BoundExprPtr> projections;
  std::vector<RelColumn> columns;

  auto expandStar = [&](const SelectItem& item) -> Status {
    if (hasAggregates) return error(item.span, "`*` cannot be used with GROUP BY or aggregates");
    std::string qualifier =
        item.starQualifier.parts.empty() ? "" : item.starQualifier.parts.back().name;
    bool any = false;
    for (size_t i = 0; i < from.scope.columns.size(); ++i) {
      const auto& c = from.scope.columns[i];
      if (!qualifier.empty() && c.qualifier != qualifier) continue;
      if (from.tvf && i >= from.rel->columns.size()) continue;
      if (!c.name.empty() && c.name[0] == '$') continue;  // columns a subquery's join added
      any = true;
      projections.push_back(makeColumnRef(static_cast<int>(i), c.type, c.nullable, c.name));
      columns.push_back({c.name, c.type, c.nullable});
    }
    if (!any) return error(item.span, "unknown table or alias `" + qualifier + "`");
    return Status::ok();
  };

  // Pre-projection (keys, aggregate arguments), then the aggregate; HAVING and the select list
  // follow.
  bool aggregatedEarly = false;
  size_t aggregatesPlanned = 0;
  auto aggregateRows = [&] {
    aggregatesPlanned = agg.aggregates.size();
    std::vector<RelColumn> preColumns;
    for (size_t i = 0; i < agg.preProjection.size(); ++i)
      preColumns.push_back({i < static_cast<size_t>(agg.numKeys) ? agg.outputColumns[i].name
                                                                 : "$arg" + std::to_string(i),
                            agg.preProjection[i]->type, agg.preProjection[i]->nullable});
    std::vector<BoundExprPtr> pre = agg.preProjection;
    if (from.tvf) {
      // Keep the time column so that the rows keep their event time through the Calc.
      const auto& t = current->columns[from.tvf->spec.timeColumn];
      pre.push_back(makeColumnRef(from.tvf->spec.timeColumn, t.type, t.nullable, t.name));
      preColumns.push_back(t);
    }
    RelPtr preCalc = makeCalc(current, nullptr, pre, preColumns);
    if (!agg.groupingSets.empty()) {
      current = planGroupingSets(preCalc, agg);
      return;
    }
    auto node = std::make_shared<RelNode>();
    node->kind = from.tvf ? RelKind::kWindowAggregate : RelKind::kAggregate;
    for (int k = 0; k < agg.numKeys; ++k) node->groupKeys.push_back(k);
    node->aggregates = agg.aggregates;
    node->columns = agg.outputColumns;
    node->inputs = {preCalc};
    if (from.tvf) {
      node->window = from.tvf->spec;
      node->window.timeColumn = static_cast<int>(pre.size()) - 1;
      node->rowtimeColumn = agg.windowColumnOutput[2];
    }
    current = node;
  };

  if (hasAggregates) {
    agg.inputScope = &from.scope;
    std::vector<const Expr*> groups;
    bool groupingSets = false;
    for (const auto& g : select.groupBy) groupingSets |= g.kind != GroupingKind::kExpression;
    if (groupingSets) {
      if (from.tvf)
        return error(select.groupBy[0].span,
                     "GROUPING SETS, ROLLUP and CUBE over a window TVF are not supported yet");
      auto sets = expandGroupingSets(select.groupBy, groups);
      if (!sets.isOk()) return sets.status();
      agg.groupingSets = std::move(sets).value();
    } else {
      for (const auto& g : select.groupBy) groups.push_back(g.expr.get());
    }
    // Window columns among the keys make this a window aggregation.
    std::vector<int> windowRole(groups.size(), -1);
    if (from.tvf) {
      const int base = static_cast<int>(from.rel->columns.size());
      bool hasStart = false, hasEnd = false;
      for (size_t i = 0; i < groups.size(); ++i) {
        if (groups[i]->kind != AstExprKind::kColumn) continue;
        auto r = bindColumn(groups[i]->as<ColumnRefExpr>(), from.scope);
        if (!r.isOk()) continue;
        int c = (*r)->column - base;
        if (c >= 0) {
          windowRole[i] = c;
          hasStart |= c == 0;
          hasEnd |= c == 1;
        }
      }
      if (!hasStart || !hasEnd)
        return error(from.tvf->span, "a window TVF must be grouped by window_start and window_end",
                     "add GROUP BY window_start, window_end");
      if (!from.tvf->partitionColumns.empty()) {
        // Sessions are found per partition: the window operator keys by the group keys, so
        // they must be exactly the partition columns.
        std::vector<int> keys;
        for (size_t i = 0; i < groups.size(); ++i) {
          if (windowRole[i] >= 0) continue;
          auto k = bindExpr(*groups[i], from.scope, nullptr);
          if (!k.isOk()) return k.status();
          keys.push_back((*k)->kind == ExprKind::kColumn ? (*k)->column : -1);
        }
        auto partition = from.tvf->partitionColumns;
        std::sort(keys.begin(), keys.end());
        std::sort(partition.begin(), partition.end());
        if (keys != partition)
          return error(from.tvf->span,
                       "a SESSION window with PARTITION BY must be grouped by exactly the "
                       "partition columns plus window_start and window_end");
      }
    }
    int numKeys = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (windowRole[i] >= 0) continue;
      auto k = bindExpr(*groups[i], from.scope, nullptr);
      if (!k.isOk()) return k.status();
      agg.preProjection.push_back(*k);
      agg.groupExprs.push_back(groups[i]);
      agg.groupOutput.push_back(numKeys);
      std::string name = groups[i]->kind == AstExprKind::kColumn
                             ? groups[i]->as<ColumnRefExpr>().name.parts.back().name
                             : "EXPR$" + std::to_string(numKeys);
      agg.outputColumns.push_back({name, (*k)->type, (*k)->nullable});
      ++numKeys;
    }
    agg.numKeys = numKeys;
    if (!agg.groupingSets.empty()) {
      // A key is NULL in the rows of sets that do not group by it.
      for (int k = 0; k < numKeys; ++k) agg.outputColumns[k].nullable = true;
      agg.groupingFlags = numKeys;
      for (int k = 0; k < numKeys; ++k)
        agg.outputColumns.push_back({"$grouping" + std::to_string(k), ExprType::kBigint, false});
    }
    if (from.tvf) {
      static const char* names[] = {"window_start", "window_end", "window_time"};
      for (int w = 0; w < 3; ++w) {
        agg.windowColumnOutput[w] = numKeys + w;
        agg.outputColumns.push_back({names[w], ExprType::kTimestamp, false});
      }
      for (size_t i = 0; i < groups.size(); ++i)
        if (windowRole[i] >= 0) {
          agg.groupExprs.push_back(groups[i]);
          agg.groupOutput.push_back(numKeys + windowRole[i]);
        }
    }
    agg.firstAggregateOutput = static_cast<int>(agg.outputColumns.size());
    selectScope = &outputScope;
    // Subqueries outside WHERE read the aggregated rows: aggregate first, with every aggregate
    // the query names, then join their results to the aggregated rows.
    std::vector<const Expr*> later;
    std::vector<const Expr*> calls;
    std::vector<const Expr*> parts;
    for (const auto& item : select.items)
      if (item.expr) parts.push_back(item.expr.get());
    if (select.having) parts.push_back(select.having.get());
    for (const Expr* e : hiddenItems_) parts.push_back(e);
    for (const Expr* e : parts) collectSubqueriesOverAggregate(*e, later, calls);
    if (!later.empty()) {
      for (const Expr* call : calls) {
        auto bound = bindExpr(*call, outputScope, &agg);
        if (!bound.isOk()) return bound.status();
      }
      aggregateRows();
      aggregatedEarly = true;
      Bound aggregated;
      aggregated.rel = current;
      for (const auto& c : current->columns)
        aggregated.scope.columns.push_back({"", c.name, c.type, c.nullable});
      GLINT_RETURN_IF_ERROR(planSubqueriesOverAggregate(later, agg, aggregated));
      current = aggregated.rel;
    }
  }

  if (!hasAggregates) GLINT_RETURN_IF_ERROR(planOverCalls(select, from.scope, current));
  for (size_t i = 0; i < select.items.size(); ++i) {
    const auto& item = select.items[i];
    if (item.star) {
      GLINT_RETURN_IF_ERROR(expandStar(item));
      continue;
    }
    auto e = bindExpr(*item.expr, *selectScope, hasAggregates ? &agg : nullptr);
    if (!e.isOk()) return e.status();
    BoundExprPtr v = *e;
    if (v->type == ExprType::kNull) {
      auto c = coerceTo(v, ExprType::kInt);
      if (!c.isOk()) return c.status();
      v = *c;
    }
    if (!columnTypeOf(v->type))
      return error(item.span,
                   "a " + std::string(exprTypeName(v->type)) + " value cannot be a result column");
    projections.push_back(v);
    columns.push_back({itemName(item, i), v->type, v->nullable});
  }
  if (!hiddenItems_.empty() && select.distinct)
    return error(hiddenItems_[0]->span,
                 "with SELECT DISTINCT, ORDER BY expressions must appear in the select list");
  for (size_t i = 0; i < hiddenItems_.size(); ++i) {
    auto e = bindExpr(*hiddenItems_[i], *selectScope, hasAggregates ? &agg : nullptr);
    if (!e.isOk()) return e.status();
    projections.push_back(*e);
    columns.push_back({"$order" + std::to_string(i), (*e)->type, (*e)->nullable});
  }
  hiddenItems_.clear();

  BoundExprPtr having;
  if (select.having) {
    auto h = bindExpr(*select.having, outputScope, &agg);
    if (!h.isOk()) return h.status();
    having = *h;
  }

  if (hasAggregates) {
    if (!aggregatedEarly) aggregateRows();
    if (agg.aggregates.size() != aggregatesPlanned)
      return Status::internal("an aggregate was bound after the aggregation was planned");
    if (having) current = makeCalc(current, having, identity(current->columns), current->columns);
  }
  current = makeCalc(current, nullptr, projections, columns);
  if (select.distinct) {
    auto node = std::make_shared<RelNode>();
    node->kind = RelKind::kAggregate;
    for (size_t k = 0; k < columns.size(); ++k) node->groupKeys.push_back(static_cast<int>(k));
    node->columns = columns;
    node->inputs = {current};
    current = node;
  }
  Bound out;
  out.rel = current;
  for (const auto& c : current->columns)
    out.scope.columns.push_back({"", c.name, c.type, c.nullable});
  return out;
}

namespace {
void collectOverCalls(const Expr& e, std::vector<const FunctionCallExpr*>& out) {
  if (e.kind == AstExprKind::kFunction && e.as<FunctionCallExpr>().over) {
    out.push_back(&e.as<FunctionCallExpr>());
    return;
  }
  forEachChild(e, [&](const Expr& child) { collectOverCalls(child, out); });
}
}  // namespace

Status Binder::planOverCalls(const SelectBody& select, const Scope& scope, RelPtr& current) {
  std::vector<const FunctionCallExpr*> calls;
  for (const auto& item : select.items)
    if (item.expr) collectOverCalls(*item.expr, calls);
  if (calls.empty()) return Status::ok();
  // The OVER nodes append columns, so the scope's columns keep their positions.
  auto bind = [&](const Expr& x) { return bindExpr(x, scope, nullptr); };
  auto fail = [&](const SourceSpan& span, const std::string& m, const std::string& hint) {
    return error(span, m, hint);
  };
  auto planned = planOverWindows(calls, select.windows, current, bind, fail);
  if (!planned.isOk()) return planned.status();
  current = planned->plan;
  for (const auto& [call, value] : planned->values) overValues_[call] = value;
  return Status::ok();
}

Result<Bound> Binder::bindBody(const QueryBody& body) {
  switch (body.kind) {
    case QueryBodyKind::kSelect:
      return bindSelect(body.as<SelectBody>());
    case QueryBodyKind::kValues:
      return bindValues(body.as<ValuesBody>());
    case QueryBodyKind::kNested:
      return bindQuery(*body.as<NestedQueryBody>().query);
    case QueryBodyKind::kSetOperation: {
      const auto& s = body.as<SetOperationBody>();
      const std::string opName = s.op == SetOperator::kUnion       ? "UNION"
                                 : s.op == SetOperator::kIntersect ? "INTERSECT"
                                                                   : "EXCEPT";
      auto left = bindBody(*s.left);
      if (!left.isOk()) return left.status();
      auto right = bindBody(*s.right);
      if (!right.isOk()) return right.status();
      const auto& lc = left->rel->columns;
      const auto& rc = right->rel->columns;
      if (lc.size() != rc.size())
        return error(body.span, opName + " inputs have " + std::to_string(lc.size()) + " and " +
                                    std::to_string(rc.size()) + " columns");
      std::vector<RelColumn> columns;
      std::vector<BoundExprPtr> lp, rp;
      bool castLeft = false, castRight = false;
      for (size_t i = 0; i < lc.size(); ++i) {
        auto t = commonType({lc[i].type, rc[i].type}, opName);
        if (!t.isOk())
          return error(body.span,
                       opName + " column " + std::to_string(i + 1) + ": " + t.status().message());
        columns.push_back({lc[i].name, *t, lc[i].nullable || rc[i].nullable});
        // A column of the result has one type: INT widened to BIGINT is cast too (coerceTo
        // leaves it as it is, both being int64 values), so that the inputs' schemas agree.
        auto widen = [&](const RelColumn& c) -> Result<BoundExprPtr> {
          auto ref = makeColumnRef(static_cast<int>(i), c.type, c.nullable, c.name);
          auto e = coerceTo(ref, *t);
          if (!e.isOk() || (*e)->type == *t) return e;
          return makeCast(ref, *t);
        };
        auto l = widen(lc[i]);
        auto r = widen(rc[i]);
        if (!l.isOk()) return l.status();
        if (!r.isOk()) return r.status();
        castLeft |= lc[i].type != *t;
        castRight |= rc[i].type != *t;
        lp.push_back(*l);
        rp.push_back(*r);
      }
      auto node = std::make_shared<RelNode>();
      node->kind = RelKind::kUnion;
      node->columns = columns;
      node->inputs = {castLeft ? makeCalc(left->rel, nullptr, lp, columns) : left->rel,
                      castRight ? makeCalc(right->rel, nullptr, rp, columns) : right->rel};
      RelPtr current = node;
      if (s.op != SetOperator::kUnion) {
        auto planned =
            planIntersectOrExcept(s.op == SetOperator::kIntersect ? SetDifferenceKind::kIntersect
                                                                  : SetDifferenceKind::kExcept,
                                  s.all, node->inputs[0], node->inputs[1], columns);
        if (!planned.isOk()) return error(body.span, planned.status().message());
        current = *planned;
      } else if (!s.all) {
        auto distinct = std::make_shared<RelNode>();
        distinct->kind = RelKind::kAggregate;
        for (size_t k = 0; k < columns.size(); ++k)
          distinct->groupKeys.push_back(static_cast<int>(k));
        distinct->columns = columns;
        distinct->inputs = {current};
        current = distinct;
      }
      Bound out;
      out.rel = current;
      for (const auto& c : columns) out.scope.columns.push_back({"", c.name, c.type, c.nullable});
      return out;
    }
  }
  return error(body.span, "unsupported query");
}

Result<Bound> Binder::bindQuery(const Query& q) {
  if (q.with.empty()) return bindQueryWithoutWith(q);
  // Each CTE is visible to the later ones and to the query; the names go out of scope after.
  auto saved = ctes_;
  for (const auto& cte : q.with) ctes_[cte.name.name] = CteBinding{&cte, sql_};
  auto out = bindQueryWithoutWith(q);
  ctes_ = std::move(saved);
  return out;
}

Result<Bound> Binder::bindQueryWithoutWith(const Query& q) {
  auto body = bindBody(*q.body);
  if (!body.isOk()) return body.status();
  if (q.orderBy.empty() && !q.limit && !q.offset) return body;
  Bound out = std::move(body).value();
  // Each ORDER BY item is a result column (name, alias, position), an expression over result
  // columns (computed by a Calc above the body), or, for a SELECT, an expression over its
  // FROM columns (a hidden select item). Hidden columns are dropped after the sort.
  const size_t visible = out.rel->columns.size();
  const Scope visibleScope = out.scope;
  std::vector<int> sortColumns(q.orderBy.size(), -1);
  std::vector<BoundExprPtr> overResult;
  std::vector<size_t> extraItems;  // order items that are not result columns
  bool needsSelectScope = false;
  for (size_t i = 0; i < q.orderBy.size(); ++i) {
    const auto& item = q.orderBy[i];
    if (item.expr->kind == AstExprKind::kLiteral &&
        item.expr->as<LiteralExpr>().literalKind == LiteralKind::kInteger) {
      sortColumns[i] = std::atoi(item.expr->as<LiteralExpr>().text.c_str()) - 1;
      if (sortColumns[i] < 0 || sortColumns[i] >= static_cast<int>(visible))
        return error(item.expr->span, "ORDER BY position " + item.expr->as<LiteralExpr>().text +
                                          " is not in the select list");
      continue;
    }
    auto e = bindExpr(*item.expr, out.scope, nullptr);
    if (e.isOk() && (*e)->kind == ExprKind::kColumn) {
      sortColumns[i] = (*e)->column;
      continue;
    }
    if (!e.isOk() && q.body->kind != QueryBodyKind::kSelect) return e.status();
    needsSelectScope |= !e.isOk();
    if (e.isOk()) overResult.push_back(*e);
    extraItems.push_back(i);
  }
  if (needsSelectScope) {
    // Bind the SELECT again with every extra item as a hidden result column.
    for (size_t i : extraItems) hiddenItems_.push_back(q.orderBy[i].expr.get());
    auto again = bindBody(*q.body);
    hiddenItems_.clear();
    if (!again.isOk()) return again.status();
    out = std::move(again).value();
  } else if (!overResult.empty()) {
    std::vector<BoundExprPtr> projections = identity(out.rel->columns);
    std::vector<RelColumn> columns = out.rel->columns;
    for (size_t j = 0; j < overResult.size(); ++j) {
      projections.push_back(overResult[j]);
      columns.push_back(
          {"$order" + std::to_string(j), overResult[j]->type, overResult[j]->nullable});
    }
    out.rel = makeCalc(out.rel, nullptr, projections, columns);
  }
  for (size_t j = 0; j < extraItems.size(); ++j)
    sortColumns[extraItems[j]] = static_cast<int>(visible + j);
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kSort;
  node->columns = out.rel->columns;
  node->inputs = {out.rel};
  for (size_t i = 0; i < q.orderBy.size(); ++i) {
    const auto& item = q.orderBy[i];
    SortKey key;
    key.column = sortColumns[i];
    key.descending = item.descending;
    // Flink: NULLS FIRST for ascending, NULLS LAST for descending by default.
    key.nullsFirst =
        item.nulls == NullOrder::kDefault ? !item.descending : item.nulls == NullOrder::kFirst;
    node->sortKeys.push_back(key);
  }
  auto constant = [&](const ExprPtr& e, int64_t* out) -> Status {
    auto v = bindExpr(*e, Scope{}, nullptr);
    if (!v.isOk()) return v.status();
    auto folded = foldConstants(*v);
    if (!folded->isLiteral() || !isIntegral(folded->type) || folded->literal.isNull ||
        folded->literal.integer < 0)
      return error(e->span, "expected a non-negative integer constant");
    *out = folded->literal.integer;
    return Status::ok();
  };
  if (q.limit) GLINT_RETURN_IF_ERROR(constant(q.limit, &node->limit));
  if (q.offset) GLINT_RETURN_IF_ERROR(constant(q.offset, &node->offset));
  out.rel = node;
  if (!extraItems.empty()) {
    std::vector<RelColumn> columns(node->columns.begin(), node->columns.begin() + visible);
    out.rel = makeCalc(node, nullptr, identity(columns), columns);
    out.scope = visibleScope;
  }
  return out;
}

// ---- WITH ---------------------------------------------------------------------------------

Result<Bound> Binder::bindCommonTableExpr(const NamedTableRef& ref, const std::string& name) {
  const CteBinding binding = ctes_.at(name);
  if (depth_ > 32) return error(ref.span, "WITH queries nested too deeply");
  // Not recursive: inside its own query the name means the catalog object again.
  Binder inner = child(binding.sql);
  inner.ctes_.erase(name);
  auto bound = inner.bindQuery(*binding.cte->query);
  if (!bound.isOk()) return bound.status();
  if (bound->tvf)
    return error(ref.span, "a window TVF must be grouped by window_start and window_end");
  Bound out;
  out.rel = bound->rel;
  const auto& aliases = binding.cte->columns;
  if (!aliases.empty() && aliases.size() != out.rel->columns.size())
    return error(binding.cte->span, "WITH `" + name + "` lists " + std::to_string(aliases.size()) +
                                        " columns, its query has " +
                                        std::to_string(out.rel->columns.size()));
  const std::string qualifier = ref.alias ? ref.alias->name : name;
  for (size_t i = 0; i < out.rel->columns.size(); ++i) {
    const auto& c = out.rel->columns[i];
    out.scope.columns.push_back(
        {qualifier, aliases.empty() ? c.name : aliases[i].name, c.type, c.nullable});
  }
  if (!ref.columnAliases.empty()) {
    if (ref.columnAliases.size() != out.scope.columns.size())
      return error(ref.span, "the alias lists " + std::to_string(ref.columnAliases.size()) +
                                 " columns, `" + name + "` has " +
                                 std::to_string(out.scope.columns.size()));
    for (size_t i = 0; i < ref.columnAliases.size(); ++i)
      out.scope.columns[i].name = ref.columnAliases[i].name;
  }
  return out;
}

// ---- subqueries in expressions --------------------------------------------------------------
//
// Every IN / EXISTS / scalar subquery of a SELECT's WHERE and select list becomes a left join
// of the FROM rows with the subquery's result aggregated per correlation key, and its value a
// column of the joined rows (subqueryValues_), so that it can sit anywhere in an expression
// (under OR, NOT, CASE) with SQL's three-valued logic:
//   x IN (SELECT y ...)  -> D = distinct (keys, y) with COUNT(*), G = per keys COUNT(*), COUNT(y)
//                           TRUE if a D row matches; FALSE if G has no rows; NULL if x is NULL
//                           or G counted a NULL y; FALSE otherwise (NOT IN = NOT of that).
//   EXISTS (SELECT ...)  -> D = per keys COUNT(*); TRUE if a D row matches with a count > 0.
//   (SELECT v ...)       -> the subquery's one row (uncorrelated), NULL without a row.
//   (SELECT f(AGG(y)) ... WHERE inner = outer) -> the aggregates grouped by the correlation
//                           keys, left-joined; without a match, the aggregates of no rows
//                           (COUNT 0, others NULL), so `f` sees what SQL says it sees.
// Correlation: WHERE conjuncts of the subquery that equate a subquery expression with an outer
// one are the join keys (a NULL key matches nothing, as SQL's equality).

namespace {

void collectSubqueries(const Expr& e, std::vector<const Expr*>& out) {
  if ((e.kind == AstExprKind::kIn && e.as<InExpr>().subquery) || e.kind == AstExprKind::kSubquery)
    out.push_back(&e);
  forEachChild(e, [&](const Expr& child) { collectSubqueries(child, out); });
}

void splitAstConjuncts(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == AstExprKind::kBinary && e.as<BinaryExpr>().op == BinaryOp::kAnd) {
    splitAstConjuncts(*e.as<BinaryExpr>().left, out);
    splitAstConjuncts(*e.as<BinaryExpr>().right, out);
    return;
  }
  out.push_back(&e);
}

Result<BoundExprPtr> allOf(const std::vector<BoundExprPtr>& parts) {
  BoundExprPtr e;
  for (const auto& p : parts) {
    if (!e) {
      e = p;
      continue;
    }
    auto r = makeCall("AND", {e, p});
    if (!r.isOk()) return r.status();
    e = *r;
  }
  return e;
}

RelPtr makeAggregate(RelPtr input, int numKeys, std::vector<AggCall> calls,
                     const std::vector<std::string>& callNames) {
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kAggregate;
  for (int k = 0; k < numKeys; ++k) {
    node->groupKeys.push_back(k);
    node->columns.push_back(input->columns[k]);
  }
  for (size_t i = 0; i < calls.size(); ++i)
    node->columns.push_back({callNames[i], calls[i].resultType, false});
  node->aggregates = std::move(calls);
  node->inputs = {std::move(input)};
  return node;
}

// LEFT JOIN of `left` and `right` on left column leftKeys[i] = right column rightKeys[i].
Result<RelPtr> makeLeftJoin(RelPtr left, RelPtr right, const std::vector<int>& leftKeys,
                            const std::vector<int>& rightKeys) {
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kJoin;
  node->joinType = RelJoinType::kLeft;
  node->columns = left->columns;
  for (auto c : right->columns) {
    c.nullable = true;
    node->columns.push_back(c);
  }
  const int nLeft = static_cast<int>(left->columns.size());
  std::vector<BoundExprPtr> equalities;
  for (size_t i = 0; i < leftKeys.size(); ++i) {
    const auto& l = node->columns[leftKeys[i]];
    const auto& r = node->columns[nLeft + rightKeys[i]];
    auto eq = makeCall("=", {makeColumnRef(leftKeys[i], l.type, l.nullable, l.name),
                             makeColumnRef(nLeft + rightKeys[i], r.type, r.nullable, r.name)});
    if (!eq.isOk()) return eq.status();
    equalities.push_back(*eq);
  }
  auto condition = allOf(equalities);
  if (!condition.isOk()) return condition.status();
  node->joinCondition = *condition;
  node->inputs = {std::move(left), std::move(right)};
  return RelPtr(node);
}

}  // namespace

Result<RelPtr> Binder::planCorrelatedAggregate(const SelectBody& select, Binder& inner,
                                               const Bound& innerFrom,
                                               const std::vector<BoundExprPtr>& innerKeys,
                                               const std::vector<const Expr*>& innerKeyAsts,
                                               const std::vector<BoundExprPtr>& local,
                                               const std::string& prefix, BoundExprPtr* value) {
  if (select.items.size() != 1 || select.items[0].star)
    return error(select.items.empty() ? select.span : select.items[0].span,
                 "a scalar subquery must select exactly one column");
  if (innerFrom.tvf)
    return error(select.span, "a window TVF in a correlated subquery is not supported");
  // As a GROUP BY of the correlation keys: keys first, then the aggregates.
  AggregateContext agg;
  agg.inputScope = &innerFrom.scope;
  const int numKeys = static_cast<int>(innerKeys.size());
  for (int k = 0; k < numKeys; ++k) {
    agg.preProjection.push_back(innerKeys[k]);
    agg.groupExprs.push_back(innerKeyAsts[k]);
    agg.groupOutput.push_back(k);
    agg.outputColumns.push_back(
        {prefix + "k" + std::to_string(k), innerKeys[k]->type, innerKeys[k]->nullable});
  }
  agg.numKeys = numKeys;
  agg.firstAggregateOutput = numKeys;
  Scope outputScope;
  auto v = inner.bindExpr(*select.items[0].expr, outputScope, &agg);
  if (!v.isOk()) return v.status();
  if (!columnTypeOf((*v)->type))
    return error(select.items[0].span, "a " + std::string(exprTypeName((*v)->type)) +
                                           " value cannot be a subquery's result");
  *value = *v;
  RelPtr rows = innerFrom.rel;
  if (!local.empty()) {
    auto condition = allOf(local);
    if (!condition.isOk()) return condition.status();
    rows = makeCalc(rows, *condition, identity(rows->columns), rows->columns);
  }
  std::vector<RelColumn> preColumns;
  for (size_t i = 0; i < agg.preProjection.size(); ++i)
    preColumns.push_back({prefix + "a" + std::to_string(i), agg.preProjection[i]->type,
                          agg.preProjection[i]->nullable});
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kAggregate;
  for (int k = 0; k < numKeys; ++k) node->groupKeys.push_back(k);
  node->aggregates = agg.aggregates;
  node->columns = agg.outputColumns;
  node->inputs = {makeCalc(rows, nullptr, agg.preProjection, preColumns)};
  return RelPtr(node);
}

Status Binder::planSubqueries(const SelectBody& select, Bound& from, bool whereOnly) {
  std::vector<const Expr*> found;
  if (select.where) collectSubqueries(*select.where, found);
  for (const auto& item : select.items)
    if (item.expr && !whereOnly) collectSubqueries(*item.expr, found);
  if (found.empty()) return Status::ok();
  if (from.tvf)
    return error(found[0]->span, "subqueries are not supported over a window TVF",
                 "filter the TVF's rows in a subquery or view first");
  for (const Expr* e : found) GLINT_RETURN_IF_ERROR(planSubquery(*e, from));
  return Status::ok();
}

// Over aggregated rows the subqueries' outer operands bind through the aggregation: a group
// key or an aggregate is a column of the aggregated rows, which the joins extend.
Status Binder::planSubqueriesOverAggregate(const std::vector<const Expr*>& subqueries,
                                           AggregateContext& agg, Bound& aggregated) {
  const size_t known = agg.aggregates.size();
  outerAggregate_ = &agg;
  Status status = Status::ok();
  for (const Expr* e : subqueries) {
    status = planSubquery(*e, aggregated);
    if (status.isOk() && agg.aggregates.size() != known)
      status = error(e->span,
                     "an aggregate of the outer query inside a subquery's WHERE is not supported");
    if (!status.isOk()) break;
  }
  outerAggregate_ = nullptr;
  return status;
}

Status Binder::planSubquery(const Expr& node, Bound& from) {
  enum class Kind { kIn, kExists, kScalar } kind;
  const Query* query = nullptr;
  if (node.kind == AstExprKind::kIn) {
    kind = Kind::kIn;
    query = node.as<InExpr>().subquery.get();
  } else {
    const auto& s = node.as<SubqueryExpr>();
    kind = s.subqueryKind == SubqueryKind::kExists ? Kind::kExists : Kind::kScalar;
    query = s.query.get();
  }
  Binder inner = child(sql_);
  const std::string prefix = "$sq" + std::to_string(subqueryValues_.size()) + "_";

  // Correlation: split a plain SELECT's WHERE into local conditions and outer = inner keys.
  std::vector<BoundExprPtr> innerKeys, outerKeys, local;
  std::vector<const Expr*> innerKeyAsts;  // the subquery side of each correlation equality
  Bound innerFrom;
  const SelectBody* select =
      query->body->kind == QueryBodyKind::kSelect ? &query->body->as<SelectBody>() : nullptr;
  if (select && select->from && select->where && query->with.empty()) {
    auto f = inner.bindTableRef(*select->from);
    if (!f.isOk()) return f.status();
    innerFrom = std::move(f).value();
    std::vector<const Expr*> conjuncts;
    splitAstConjuncts(*select->where, conjuncts);
    for (const Expr* c : conjuncts) {
      auto localBound = inner.bindExpr(*c, innerFrom.scope, nullptr);
      if (localBound.isOk()) {
        local.push_back(*localBound);
        continue;
      }
      bool correlation = false;
      Status outerFailure = Status::ok();  // why an outer side did not bind
      if (c->kind == AstExprKind::kBinary && c->as<BinaryExpr>().op == BinaryOp::kEqual) {
        const auto& eq = c->as<BinaryExpr>();
        for (int side = 0; side < 2 && !correlation; ++side) {
          const Expr& in = side == 0 ? *eq.left : *eq.right;
          const Expr& out = side == 0 ? *eq.right : *eq.left;
          auto i = inner.bindExpr(in, innerFrom.scope, nullptr);
          auto o = bindExpr(out, from.scope, outerAggregate_);
          if (i.isOk() && !o.isOk()) outerFailure = o.status();
          if (!i.isOk() || !o.isOk()) continue;
          auto type = commonType({(*i)->type, (*o)->type}, "=");
          if (!type.isOk()) return error(c->span, type.status().message());
          auto ci = coerceTo(*i, *type);
          auto co = coerceTo(*o, *type);
          if (!ci.isOk() || !co.isOk()) return error(c->span, "cannot compare these values");
          innerKeys.push_back(*ci);
          outerKeys.push_back(*co);
          innerKeyAsts.push_back(&in);
          correlation = true;
        }
      }
      if (!correlation) {
        // A condition that names outer columns but is no equality cannot become a join key.
        // Over aggregated rows the outer columns are those of the rows aggregated, and an
        // equality fails when its outer side is no group key or aggregate.
        auto combined = innerFrom.scope;
        const Scope& outer = outerAggregate_ ? *outerAggregate_->inputScope : from.scope;
        for (const auto& col : outer.columns) combined.columns.push_back(col);
        if (outerAggregate_ && !outerFailure.isOk() &&
            inner.bindExpr(*c, combined, nullptr).isOk())
          return outerFailure;
        if (inner.bindExpr(*c, combined, nullptr).isOk())
          return error(c->span,
                       "a correlated subquery condition must be an equality between a column of "
                       "the subquery and one of the outer query");
        return localBound.status();
      }
    }
  }
  const bool correlated = !innerKeys.empty();

  // `keyed`: the subquery's rows as (correlation keys..., [IN value]).
  RelPtr keyed;
  BoundExprPtr inValue;  // the IN operand over the outer scope
  // A correlated scalar subquery over aggregates (`(SELECT AVG(x) FROM t2 WHERE t2.k = t.k)`):
  // `keyed` holds per correlation key the aggregates, `scalarValue` the select item over them
  // (key i at column i, aggregate j at column keys + j).
  BoundExprPtr scalarValue;
  std::vector<AggCall> scalarAggregates;
  if (correlated) {
    bool aggregates = !select->groupBy.empty() || select->having != nullptr;
    for (const auto& item : select->items)
      if (item.expr) collectAggregateCalls(*item.expr, aggregates);
    const bool scalarAggregate = kind == Kind::kScalar && aggregates && select->groupBy.empty() &&
                                 !select->having && !select->distinct && query->orderBy.empty() &&
                                 !query->limit;
    if (scalarAggregate) {
      auto planned = planCorrelatedAggregate(*select, inner, innerFrom, innerKeys, innerKeyAsts,
                                             local, prefix, &scalarValue);
      if (!planned.isOk()) return planned.status();
      keyed = *planned;
      for (const auto& a : keyed->aggregates) scalarAggregates.push_back(a);
    } else if (aggregates || select->distinct || kind == Kind::kScalar || !query->orderBy.empty() ||
               query->limit) {
      return error(node.span,
                   "correlated subqueries are supported as EXISTS and IN without aggregation, "
                   "DISTINCT, ORDER BY or LIMIT, and as scalar subqueries over aggregates "
                   "without GROUP BY");
    }
  }
  if (correlated && !scalarValue) {
    RelPtr rows = innerFrom.rel;
    if (innerFrom.tvf)
      return error(node.span, "a window TVF in a correlated subquery is not supported");
    if (!local.empty()) {
      auto condition = allOf(local);
      if (!condition.isOk()) return condition.status();
      rows = makeCalc(rows, *condition, identity(rows->columns), rows->columns);
    }
    std::vector<BoundExprPtr> projections = innerKeys;
    if (kind == Kind::kIn) {
      if (select->items.size() != 1 || select->items[0].star)
        return error(query->span, "the subquery of IN must select exactly one column");
      auto v = inner.bindExpr(*select->items[0].expr, innerFrom.scope, nullptr);
      if (!v.isOk()) return v.status();
      projections.push_back(*v);
    }
    std::vector<RelColumn> columns;
    for (size_t i = 0; i < projections.size(); ++i)
      columns.push_back(
          {prefix + "k" + std::to_string(i), projections[i]->type, projections[i]->nullable});
    keyed = makeCalc(rows, nullptr, projections, columns);
  } else if (!correlated) {
    auto bound = inner.bindQuery(*query);
    if (!bound.isOk()) return bound.status();
    if (bound->tvf)
      return error(node.span, "a window TVF must be grouped by window_start and window_end");
    keyed = bound->rel;
    if (kind != Kind::kExists && keyed->columns.size() != 1)
      return error(query->span, "the subquery must select exactly one column, it selects " +
                                    std::to_string(keyed->columns.size()));
  }
  if (kind == Kind::kIn) {
    auto x = bindExpr(*node.as<InExpr>().operand, from.scope, outerAggregate_);
    if (!x.isOk()) return x.status();
    const RelColumn& y = keyed->columns.back();
    auto type = commonType({(*x)->type, y.type}, "IN");
    if (!type.isOk()) return error(node.span, type.status().message());
    auto cx = coerceTo(*x, *type);
    if (!cx.isOk()) return error(node.span, cx.status().message());
    inValue = *cx;
    outerKeys.push_back(inValue);
    if (y.type != *type) {
      auto projections = identity(keyed->columns);
      auto cy = coerceTo(projections.back(), *type);
      if (!cy.isOk()) return error(node.span, cy.status().message());
      projections.back() = *cy;
      auto columns = keyed->columns;
      columns.back().type = *type;
      keyed = makeCalc(keyed, nullptr, projections, columns);
    }
  }

  // The outer rows with their key expressions as (hidden) columns.
  const int numCorrelation = static_cast<int>(innerKeys.size());
  std::vector<int> outerKeyColumns;
  {
    std::vector<BoundExprPtr> projections = identity(from.rel->columns);
    std::vector<RelColumn> columns = from.rel->columns;
    bool added = false;
    for (size_t i = 0; i < outerKeys.size(); ++i) {
      const auto& k = outerKeys[i];
      if (k->kind == ExprKind::kColumn) {
        outerKeyColumns.push_back(k->column);
        continue;
      }
      outerKeyColumns.push_back(static_cast<int>(projections.size()));
      projections.push_back(k);
      columns.push_back({prefix + "o" + std::to_string(i), k->type, k->nullable});
      from.scope.columns.push_back({"", columns.back().name, k->type, k->nullable});
      added = true;
    }
    if (added) from.rel = makeCalc(from.rel, nullptr, projections, columns);
  }
  auto appendToScope = [&](const RelPtr& right) {
    for (const auto& c : right->columns) from.scope.columns.push_back({"", c.name, c.type, true});
  };
  auto columnRef = [&](int index) {
    const auto& c = from.rel->columns[index];
    return makeColumnRef(index, c.type, true, c.name);
  };

  BoundExprPtr value;
  if (scalarValue) {
    // Join the aggregates per key; an outer row without a match sees the aggregates of no
    // rows: COUNT 0, the others NULL (which the left join's padding already is).
    std::vector<int> rightKeys;
    for (int k = 0; k < numCorrelation; ++k) rightKeys.push_back(k);
    const int base = static_cast<int>(from.rel->columns.size());
    auto joined = makeLeftJoin(from.rel, keyed, outerKeyColumns, rightKeys);
    if (!joined.isOk()) return joined.status();
    appendToScope(keyed);
    from.rel = *joined;
    std::vector<BoundExprPtr> projections = identity(from.rel->columns);
    std::vector<RelColumn> columns = from.rel->columns;
    // mapping: the subquery's key i reads the outer key (equal where matched, and the right
    // value where not); aggregate j reads its corrected column.
    std::vector<int> mapping(outerKeyColumns.begin(), outerKeyColumns.begin() + numCorrelation);
    for (size_t j = 0; j < scalarAggregates.size(); ++j) {
      const int at = base + numCorrelation + static_cast<int>(j);
      const AggKind k = scalarAggregates[j].kind;
      if (k != AggKind::kCount && k != AggKind::kCountStar) {
        mapping.push_back(at);
        continue;
      }
      auto zero = makeCall("COALESCE", {columnRef(at), makeLiteral(Value::int64(0))});
      if (!zero.isOk()) return zero.status();
      mapping.push_back(static_cast<int>(projections.size()));
      projections.push_back(*zero);
      columns.push_back({prefix + "count" + std::to_string(j), ExprType::kBigint, false});
      from.scope.columns.push_back({"", columns.back().name, ExprType::kBigint, false});
    }
    if (projections.size() > from.rel->columns.size())
      from.rel = makeCalc(from.rel, nullptr, projections, columns);
    auto remapped = remapColumns(scalarValue, mapping);
    if (!remapped.isOk()) return error(node.span, remapped.status().message());
    value = *remapped;
  } else if (kind == Kind::kScalar) {
    auto joined = makeLeftJoin(from.rel, keyed, {}, {});
    if (!joined.isOk()) return joined.status();
    const int at = static_cast<int>(from.rel->columns.size());
    appendToScope(keyed);
    from.rel = *joined;
    from.rel->columns[at].name = prefix + "value";
    from.scope.columns[at].name = prefix + "value";
    value = columnRef(at);
  } else {
    // D: per (correlation keys, [IN value]) the number of rows.
    const int numKeys = static_cast<int>(outerKeys.size());
    AggCall countStar;
    countStar.kind = AggKind::kCountStar;
    countStar.resultType = ExprType::kBigint;
    // (For EXISTS the keys are the correlation keys only: numKeys == numCorrelation.)
    RelPtr distinctRows = makeAggregate(keyed, numKeys, {countStar}, {prefix + "count"});
    std::vector<int> rightKeys;
    for (int k = 0; k < numKeys; ++k) rightKeys.push_back(k);
    const int dCount = static_cast<int>(from.rel->columns.size()) + numKeys;
    auto joined = makeLeftJoin(from.rel, distinctRows, outerKeyColumns, rightKeys);
    if (!joined.isOk()) return joined.status();
    appendToScope(distinctRows);
    from.rel = *joined;
    auto positive = makeCall(">", {columnRef(dCount), makeLiteral(Value::int64(0))});
    if (!positive.isOk()) return positive.status();
    auto matched = makeCall("IS TRUE", {*positive});
    if (!matched.isOk()) return matched.status();
    value = *matched;
    if (kind == Kind::kIn) {
      // G: per correlation keys the number of rows and of non-NULL values.
      AggCall countValues;
      countValues.kind = AggKind::kCount;
      countValues.argument = numCorrelation;
      countValues.argumentType = keyed->columns[numCorrelation].type;
      countValues.resultType = ExprType::kBigint;
      RelPtr totals = makeAggregate(keyed, numCorrelation, {countStar, countValues},
                                    {prefix + "rows", prefix + "values"});
      std::vector<int> leftKeys(outerKeyColumns.begin(), outerKeyColumns.begin() + numCorrelation);
      std::vector<int> totalKeys;
      for (int k = 0; k < numCorrelation; ++k) totalKeys.push_back(k);
      const int gRows = static_cast<int>(from.rel->columns.size()) + numCorrelation;
      auto withTotals = makeLeftJoin(from.rel, totals, leftKeys, totalKeys);
      if (!withTotals.isOk()) return withTotals.status();
      appendToScope(totals);
      from.rel = *withTotals;
      auto noRows = makeCall("COALESCE", {columnRef(gRows), makeLiteral(Value::int64(0))});
      if (!noRows.isOk()) return noRows.status();
      auto isEmpty = makeCall("=", {*noRows, makeLiteral(Value::int64(0))});
      auto xNull = makeCall("IS NULL", {inValue});
      auto someNull = makeCall("<", {columnRef(gRows + 1), columnRef(gRows)});
      if (!isEmpty.isOk() || !xNull.isOk() || !someNull.isOk())
        return error(node.span, "cannot evaluate IN over these types");
      const BoundExprPtr unknown = makeNullLiteral(ExprType::kBoolean);
      auto mark = makeCase({{value, makeLiteral(Value::boolean(true))},
                            {*isEmpty, makeLiteral(Value::boolean(false))},
                            {*xNull, unknown},
                            {*someNull, unknown}},
                           makeLiteral(Value::boolean(false)));
      if (!mark.isOk()) return error(node.span, mark.status().message());
      value = *mark;
    }
  }
  subqueryValues_[&node] = value;
  return Status::ok();
}

}  // namespace

Result<RelPtr> bindQuery(const Query& query, std::string_view sql, const Catalog& catalog) {
  Binder binder(sql, catalog);
  auto bound = binder.bindQuery(query);
  if (!bound.isOk()) return bound.status();
  if (bound->tvf)
    return sqlError(sql, bound->tvf->span,
                    "a window TVF must be grouped by window_start and window_end");
  return bound->rel;
}

Result<BoundExprPtr> bindScalar(const Expr& expr, std::string_view sql,
                                const std::vector<RelColumn>& columns) {
  Catalog empty;
  Binder binder(sql, empty);
  Scope scope;
  for (const auto& c : columns) scope.columns.push_back({"", c.name, c.type, c.nullable});
  return binder.bindExpr(expr, scope, nullptr);
}

}  // namespace glint::sql
