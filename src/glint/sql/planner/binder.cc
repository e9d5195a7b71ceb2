#include "glint/sql/planner/binder.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "glint/sql/expr/evaluator.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/parser/parse_error.h"

namespace glint::sql {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool isAggregateName(const std::string& upperName) {
  return upperName == "COUNT" || upperName == "SUM" || upperName == "MIN" || upperName == "MAX" ||
         upperName == "AVG";
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
  Result<Bound> bindTableRef(const TableRef& ref);
  Result<Bound> bindNamedTable(const NamedTableRef& ref);
  Result<Bound> bindWindowTvf(const TableFunctionRef& ref);
  Result<BoundExprPtr> bindColumn(const ColumnRefExpr& ref, const Scope& scope);
  Result<BoundExprPtr> bindAggregateCall(const FunctionCallExpr& call, AggregateContext& agg);
  Result<BoundExprPtr> bindLiteral(const LiteralExpr& lit);
  Result<int64_t> intervalMillis(const Expr& e);
  Result<Bound> bindValues(const ValuesBody& values);

  std::string_view sql_;
  const Catalog& catalog_;
  int depth_;
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
    if (call.arguments.size() != 1)
      return error(call.span, "aggregate " + name + " expects one argument");
    auto arg = bindExpr(*call.arguments[0], *agg.inputScope, nullptr);
    if (!arg.isOk()) return arg.status();
    BoundExprPtr argument = std::move(arg).value();
    if (argument->type == ExprType::kNull) {
      auto cast = coerceTo(argument, ExprType::kBigint);
      if (!cast.isOk()) return cast.status();
      argument = *cast;
    }
    a.argumentType = argument->type;
    if (name == "COUNT") {
      a.kind = AggKind::kCount;
      a.resultType = ExprType::kBigint;
    } else if (name == "SUM" || name == "AVG") {
      if (!isNumeric(argument->type))
        return error(call.span, name + " expects a numeric argument, got " +
                                    std::string(exprTypeName(argument->type)));
      a.kind = name == "SUM" ? AggKind::kSum : AggKind::kAvg;
      a.resultType = argument->type;
    } else {
      if (!columnTypeOf(argument->type))
        return error(call.span,
                     name + " does not accept " + std::string(exprTypeName(argument->type)));
      a.kind = name == "MIN" ? AggKind::kMin : AggKind::kMax;
      a.resultType = argument->type;
    }
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
        o.filter == a.filter) {
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
      if (!call.over && isAggregateName(upper(call.name.parts.back().name)))
        return bindAggregateCall(call, *agg);
    }
    if (e.kind == AstExprKind::kColumn) {
      // window_time may be selected when grouping by window_start and window_end.
      auto r = bindColumn(e.as<ColumnRefExpr>(), *agg->inputScope);
      if (r.isOk()) {
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
    if (call.over) return error(e.span, "OVER windows are not supported yet");
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
      if (in.subquery) return error(e.span, "IN (SELECT ...) subqueries are not supported yet");
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
      if (call.name.parts.size() != 1 || !isKnownFunction(name)) {
        auto m = closestMatch(name, knownFunctionNames());
        return error(call.name.span, "unknown function `" + call.name.toString() + "`",
                     m ? "did you mean " + *m + "?" : "");
      }
      if (call.distinct || call.starArgument)
        return error(e.span, name + " is not an aggregate function");
      std::vector<BoundExprPtr> args;
      for (const auto& a : call.arguments) {
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
    case AstExprKind::kSubquery:
      return error(e.span, "subqueries in expressions (scalar, EXISTS) are not supported yet");
    case AstExprKind::kFieldAccess:
    case AstExprKind::kSubscript:
    case AstExprKind::kCollection:
      return error(e.span, "composite values (ROW, ARRAY, MAP) are not supported");
  }
#undef BIND
  return error(e.span, "unsupported expression");
}

Result<Bound> Binder::bindNamedTable(const NamedTableRef& ref) {
  if (ref.name.parts.size() != 1)
    return error(ref.name.span, "only unqualified table names are supported");
  if (ref.systemTimeAsOf) return error(ref.span, "FOR SYSTEM_TIME AS OF is not supported");
  const std::string name = ref.name.parts[0].name;
  const std::string qualifier = ref.alias ? ref.alias->name : name;
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
  if (input->rel->rowtimeColumn != time)
    return error(col.span, "column `" + col.name + "` is not a time attribute",
                 "declare it with WATERMARK FOR " + col.name + " AS ... in the table");
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
      Binder inner(sql_, catalog_, depth_ + 1);
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
      any = true;
      projections.push_back(makeColumnRef(static_cast<int>(i), c.type, c.nullable, c.name));
      columns.push_back({c.name, c.type, c.nullable});
    }
    if (!any) return error(item.span, "unknown table or alias `" + qualifier + "`");
    return Status::ok();
  };

  if (hasAggregates) {
    agg.inputScope = &from.scope;
    std::vector<const Expr*> groups;
    for (const auto& g : select.groupBy) {
      if (g.kind != GroupingKind::kExpression)
        return error(g.span, "ROLLUP, CUBE and GROUPING SETS are not supported yet");
      groups.push_back(g.expr.get());
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
  }

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

  BoundExprPtr having;
  if (select.having) {
    auto h = bindExpr(*select.having, outputScope, &agg);
    if (!h.isOk()) return h.status();
    having = *h;
  }

  if (hasAggregates) {
    // Pre-projection (keys, aggregate arguments), the aggregate, then HAVING and the select list.
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
      if (s.op != SetOperator::kUnion)
        return error(body.span, "INTERSECT and EXCEPT are not supported yet");
      auto left = bindBody(*s.left);
      if (!left.isOk()) return left.status();
      auto right = bindBody(*s.right);
      if (!right.isOk()) return right.status();
      const auto& lc = left->rel->columns;
      const auto& rc = right->rel->columns;
      if (lc.size() != rc.size())
        return error(body.span, "UNION inputs have " + std::to_string(lc.size()) + " and " +
                                    std::to_string(rc.size()) + " columns");
      std::vector<RelColumn> columns;
      std::vector<BoundExprPtr> lp, rp;
      bool castLeft = false, castRight = false;
      for (size_t i = 0; i < lc.size(); ++i) {
        auto t = commonType({lc[i].type, rc[i].type}, "UNION");
        if (!t.isOk())
          return error(body.span,
                       "UNION column " + std::to_string(i + 1) + ": " + t.status().message());
        columns.push_back({lc[i].name, *t, lc[i].nullable || rc[i].nullable});
        auto l = coerceTo(
            makeColumnRef(static_cast<int>(i), lc[i].type, lc[i].nullable, lc[i].name), *t);
        auto r = coerceTo(
            makeColumnRef(static_cast<int>(i), rc[i].type, rc[i].nullable, rc[i].name), *t);
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
      if (!s.all) {
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
  if (!q.with.empty()) return error(q.span, "WITH (common table expressions) is not supported yet");
  auto body = bindBody(*q.body);
  if (!body.isOk()) return body.status();
  if (q.orderBy.empty() && !q.limit && !q.offset) return body;
  Bound out = std::move(body).value();
  auto node = std::make_shared<RelNode>();
  node->kind = RelKind::kSort;
  node->columns = out.rel->columns;
  node->inputs = {out.rel};
  for (const auto& item : q.orderBy) {
    int column = -1;
    if (item.expr->kind == AstExprKind::kLiteral &&
        item.expr->as<LiteralExpr>().literalKind == LiteralKind::kInteger) {
      column = std::atoi(item.expr->as<LiteralExpr>().text.c_str()) - 1;
      if (column < 0 || column >= static_cast<int>(node->columns.size()))
        return error(item.expr->span, "ORDER BY position " + item.expr->as<LiteralExpr>().text +
                                          " is not in the select list");
    } else {
      auto e = bindExpr(*item.expr, out.scope, nullptr);
      if (!e.isOk()) return e.status();
      if ((*e)->kind != ExprKind::kColumn)
        return error(item.expr->span,
                     "ORDER BY supports result columns (names, aliases or positions) only");
      column = (*e)->column;
    }
    SortKey key;
    key.column = column;
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
  return out;
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
