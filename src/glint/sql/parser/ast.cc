#include "glint/sql/parser/ast.h"

namespace glint::sql {

// Out of line so that Query is complete where the unique_ptr<Query> members are destroyed.
InExpr::InExpr() : Expr(AstExprKind::kIn) {}
InExpr::~InExpr() = default;
CastExpr::CastExpr() : Expr(AstExprKind::kCast) {}
CastExpr::~CastExpr() = default;
SubqueryExpr::SubqueryExpr() : Expr(AstExprKind::kSubquery) {}
SubqueryExpr::~SubqueryExpr() = default;
SubqueryTableRef::SubqueryTableRef() : TableRef(TableRefKind::kSubquery) {}
SubqueryTableRef::~SubqueryTableRef() = default;
NestedQueryBody::NestedQueryBody() : QueryBody(QueryBodyKind::kNested) {}
NestedQueryBody::~NestedQueryBody() = default;

const char* timeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kYear:
      return "YEAR";
    case TimeUnit::kQuarter:
      return "QUARTER";
    case TimeUnit::kMonth:
      return "MONTH";
    case TimeUnit::kWeek:
      return "WEEK";
    case TimeUnit::kDay:
      return "DAY";
    case TimeUnit::kHour:
      return "HOUR";
    case TimeUnit::kMinute:
      return "MINUTE";
    case TimeUnit::kSecond:
      return "SECOND";
    case TimeUnit::kMillisecond:
      return "MILLISECOND";
    case TimeUnit::kMicrosecond:
      return "MICROSECOND";
    case TimeUnit::kNanosecond:
      return "NANOSECOND";
    case TimeUnit::kDayOfWeek:
      return "DOW";
    case TimeUnit::kDayOfYear:
      return "DOY";
    case TimeUnit::kEpoch:
      return "EPOCH";
    case TimeUnit::kDecade:
      return "DECADE";
    case TimeUnit::kCentury:
      return "CENTURY";
    case TimeUnit::kMillennium:
      return "MILLENNIUM";
  }
  return "?";
}

const char* binaryOperatorText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
    case BinaryOp::kConcat:
      return "||";
    case BinaryOp::kEqual:
      return "=";
    case BinaryOp::kNotEqual:
      return "<>";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessOrEqual:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterOrEqual:
      return ">=";
    case BinaryOp::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case BinaryOp::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kOr:
      return "OR";
  }
  return "?";
}

const char* typeNameText(TypeName name) {
  switch (name) {
    case TypeName::kBoolean:
      return "BOOLEAN";
    case TypeName::kTinyInt:
      return "TINYINT";
    case TypeName::kSmallInt:
      return "SMALLINT";
    case TypeName::kInt:
      return "INT";
    case TypeName::kBigInt:
      return "BIGINT";
    case TypeName::kFloat:
      return "FLOAT";
    case TypeName::kDouble:
      return "DOUBLE";
    case TypeName::kDecimal:
      return "DECIMAL";
    case TypeName::kChar:
      return "CHAR";
    case TypeName::kVarchar:
      return "VARCHAR";
    case TypeName::kString:
      return "STRING";
    case TypeName::kBinary:
      return "BINARY";
    case TypeName::kVarbinary:
      return "VARBINARY";
    case TypeName::kBytes:
      return "BYTES";
    case TypeName::kDate:
      return "DATE";
    case TypeName::kTime:
      return "TIME";
    case TypeName::kTimestamp:
      return "TIMESTAMP";
    case TypeName::kTimestampLtz:
      return "TIMESTAMP_LTZ";
    case TypeName::kArray:
      return "ARRAY";
    case TypeName::kMultiset:
      return "MULTISET";
    case TypeName::kMap:
      return "MAP";
    case TypeName::kRow:
      return "ROW";
  }
  return "?";
}

namespace {

bool same(const Identifier& a, const Identifier& b) {
  return a.name == b.name;
}

bool same(const QualifiedName& a, const QualifiedName& b) {
  if (a.parts.size() != b.parts.size()) return false;
  for (size_t i = 0; i < a.parts.size(); ++i) {
    if (!same(a.parts[i], b.parts[i])) return false;
  }
  return true;
}

bool same(const Expr& a, const Expr& b) {
  return equals(a, b);
}
bool same(const Query& a, const Query& b) {
  return equals(a, b);
}
bool same(const TableRef& a, const TableRef& b) {
  return equals(a, b);
}
bool same(const DataTypeSyntax& a, const DataTypeSyntax& b) {
  return equals(a, b);
}
bool same(const Statement& a, const Statement& b) {
  return equals(a, b);
}
// Declared up front: the container templates below find overloads by ordinary lookup at
// their definition (functions of an unnamed namespace are not found by argument-dependent
// lookup).
bool same(const QueryBody& a, const QueryBody& b);
bool same(const WindowSpec& a, const WindowSpec& b);
bool same(const OrderItem& a, const OrderItem& b);
bool same(const GroupingElement& a, const GroupingElement& b);
bool same(const RowFieldSyntax& a, const RowFieldSyntax& b);
bool same(const WhenClause& a, const WhenClause& b);
bool same(const FrameBound& a, const FrameBound& b);
bool same(const WindowFrame& a, const WindowFrame& b);
bool same(const TableArgument& a, const TableArgument& b);
bool same(const SelectItem& a, const SelectItem& b);
bool same(const NamedWindow& a, const NamedWindow& b);
bool same(const CommonTableExpr& a, const CommonTableExpr& b);
bool same(const PartitionValue& a, const PartitionValue& b);
bool same(const TableOption& a, const TableOption& b);
bool same(const Hint& a, const Hint& b);
bool same(const ColumnDefinition& a, const ColumnDefinition& b);
bool same(const WatermarkDefinition& a, const WatermarkDefinition& b);
bool same(const PrimaryKeyDefinition& a, const PrimaryKeyDefinition& b);

template <class T>
bool same(const std::unique_ptr<T>& a, const std::unique_ptr<T>& b) {
  if (!a || !b) return !a && !b;
  return same(*a, *b);
}

template <class T>
bool same(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a || !b) return !a && !b;
  return same(*a, *b);
}

template <class T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

bool same(const RowFieldSyntax& a, const RowFieldSyntax& b) {
  return same(a.name, b.name) && same(a.type, b.type) && a.comment == b.comment;
}

bool same(const WhenClause& a, const WhenClause& b) {
  return same(a.condition, b.condition) && same(a.result, b.result);
}

bool same(const OrderItem& a, const OrderItem& b) {
  return same(a.expr, b.expr) && a.descending == b.descending && a.nulls == b.nulls;
}

bool same(const FrameBound& a, const FrameBound& b) {
  return a.kind == b.kind && same(a.offset, b.offset);
}

bool same(const WindowFrame& a, const WindowFrame& b) {
  return a.unit == b.unit && same(a.start, b.start) && same(a.end, b.end);
}

bool same(const WindowSpec& a, const WindowSpec& b) {
  return same(a.baseWindow, b.baseWindow) && same(a.partitionBy, b.partitionBy) &&
         same(a.orderBy, b.orderBy) && same(a.frame, b.frame);
}

bool same(const TableArgument& a, const TableArgument& b) {
  return same(a.name, b.name) && a.kind == b.kind && same(a.expression, b.expression) &&
         same(a.table, b.table) && same(a.partitionBy, b.partitionBy) &&
         same(a.descriptorColumns, b.descriptorColumns);
}

bool same(const SelectItem& a, const SelectItem& b) {
  return a.star == b.star && same(a.starQualifier, b.starQualifier) && same(a.expr, b.expr) &&
         same(a.alias, b.alias);
}

bool same(const GroupingElement& a, const GroupingElement& b) {
  return a.kind == b.kind && same(a.expr, b.expr) && same(a.elements, b.elements);
}

bool same(const NamedWindow& a, const NamedWindow& b) {
  return same(a.name, b.name) && same(a.spec, b.spec);
}

bool same(const CommonTableExpr& a, const CommonTableExpr& b) {
  return same(a.name, b.name) && same(a.columns, b.columns) && same(a.query, b.query);
}

bool same(const QueryBody& a, const QueryBody& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case QueryBodyKind::kSelect: {
      const auto& x = a.as<SelectBody>();
      const auto& y = b.as<SelectBody>();
      return same(x.hints, y.hints) && x.distinct == y.distinct && same(x.items, y.items) &&
             same(x.from, y.from) && same(x.where, y.where) && same(x.groupBy, y.groupBy) &&
             same(x.having, y.having) && same(x.windows, y.windows);
    }
    case QueryBodyKind::kSetOperation: {
      const auto& x = a.as<SetOperationBody>();
      const auto& y = b.as<SetOperationBody>();
      return x.op == y.op && x.all == y.all && same(x.left, y.left) && same(x.right, y.right);
    }
    case QueryBodyKind::kValues: {
      const auto& x = a.as<ValuesBody>();
      const auto& y = b.as<ValuesBody>();
      if (x.rows.size() != y.rows.size()) return false;
      for (size_t i = 0; i < x.rows.size(); ++i) {
        if (!same(x.rows[i], y.rows[i])) return false;
      }
      return true;
    }
    case QueryBodyKind::kNested:
      return same(a.as<NestedQueryBody>().query, b.as<NestedQueryBody>().query);
  }
  return false;
}

bool same(const PartitionValue& a, const PartitionValue& b) {
  return same(a.column, b.column) && same(a.value, b.value);
}

bool same(const TableOption& a, const TableOption& b) {
  return a.key == b.key && a.value == b.value;
}

bool same(const Hint& a, const Hint& b) {
  return same(a.name, b.name) && same(a.options, b.options) && same(a.names, b.names);
}

bool same(const ColumnDefinition& a, const ColumnDefinition& b) {
  return same(a.name, b.name) && a.columnKind == b.columnKind && same(a.type, b.type) &&
         same(a.expression, b.expression) && a.metadataKey == b.metadataKey &&
         a.isVirtual == b.isVirtual && a.comment == b.comment;
}

bool same(const WatermarkDefinition& a, const WatermarkDefinition& b) {
  return same(a.column, b.column) && same(a.expression, b.expression);
}

bool same(const PrimaryKeyDefinition& a, const PrimaryKeyDefinition& b) {
  return same(a.constraintName, b.constraintName) && same(a.columns, b.columns);
}

bool same(const InsertStatement& a, const InsertStatement& b) {
  return same(a.target, b.target) && a.overwrite == b.overwrite && same(a.partition, b.partition) &&
         same(a.columns, b.columns) && same(a.query, b.query);
}

}  // namespace

bool equals(const DataTypeSyntax& a, const DataTypeSyntax& b) {
  return a.name == b.name && a.precision == b.precision && a.scale == b.scale &&
         a.notNull == b.notNull && same(a.parameters, b.parameters) && same(a.fields, b.fields);
}

bool equals(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case AstExprKind::kLiteral: {
      const auto& x = a.as<LiteralExpr>();
      const auto& y = b.as<LiteralExpr>();
      return x.literalKind == y.literalKind && x.text == y.text;
    }
    case AstExprKind::kInterval: {
      const auto& x = a.as<IntervalExpr>();
      const auto& y = b.as<IntervalExpr>();
      return x.value == y.value && x.negative == y.negative && x.from == y.from && x.to == y.to;
    }
    case AstExprKind::kColumn:
      return same(a.as<ColumnRefExpr>().name, b.as<ColumnRefExpr>().name);
    case AstExprKind::kFieldAccess: {
      const auto& x = a.as<FieldAccessExpr>();
      const auto& y = b.as<FieldAccessExpr>();
      return same(x.base, y.base) && same(x.field, y.field);
    }
    case AstExprKind::kSubscript: {
      const auto& x = a.as<SubscriptExpr>();
      const auto& y = b.as<SubscriptExpr>();
      return same(x.base, y.base) && same(x.index, y.index);
    }
    case AstExprKind::kUnary: {
      const auto& x = a.as<UnaryExpr>();
      const auto& y = b.as<UnaryExpr>();
      return x.op == y.op && same(x.operand, y.operand);
    }
    case AstExprKind::kBinary: {
      const auto& x = a.as<BinaryExpr>();
      const auto& y = b.as<BinaryExpr>();
      return x.op == y.op && same(x.left, y.left) && same(x.right, y.right);
    }
    case AstExprKind::kIs: {
      const auto& x = a.as<IsExpr>();
      const auto& y = b.as<IsExpr>();
      return x.test == y.test && x.negated == y.negated && same(x.operand, y.operand);
    }
    case AstExprKind::kIn: {
      const auto& x = a.as<InExpr>();
      const auto& y = b.as<InExpr>();
      return x.negated == y.negated && same(x.operand, y.operand) && same(x.list, y.list) &&
             same(x.subquery, y.subquery);
    }
    case AstExprKind::kBetween: {
      const auto& x = a.as<BetweenExpr>();
      const auto& y = b.as<BetweenExpr>();
      return x.negated == y.negated && x.symmetric == y.symmetric && same(x.operand, y.operand) &&
             same(x.low, y.low) && same(x.high, y.high);
    }
    case AstExprKind::kLike: {
      const auto& x = a.as<LikeExpr>();
      const auto& y = b.as<LikeExpr>();
      return x.negated == y.negated && x.similarTo == y.similarTo && same(x.operand, y.operand) &&
             same(x.pattern, y.pattern) && same(x.escape, y.escape);
    }
    case AstExprKind::kCase: {
      const auto& x = a.as<CaseExpr>();
      const auto& y = b.as<CaseExpr>();
      return same(x.operand, y.operand) && same(x.whens, y.whens) &&
             same(x.elseResult, y.elseResult);
    }
    case AstExprKind::kCast: {
      const auto& x = a.as<CastExpr>();
      const auto& y = b.as<CastExpr>();
      return x.tryCast == y.tryCast && same(x.operand, y.operand) && same(x.type, y.type);
    }
    case AstExprKind::kFunction: {
      const auto& x = a.as<FunctionCallExpr>();
      const auto& y = b.as<FunctionCallExpr>();
      return same(x.name, y.name) && same(x.arguments, y.arguments) && x.distinct == y.distinct &&
             x.starArgument == y.starArgument && x.withoutParentheses == y.withoutParentheses &&
             same(x.filter, y.filter) && same(x.over, y.over);
    }
    case AstExprKind::kExtract: {
      const auto& x = a.as<ExtractExpr>();
      const auto& y = b.as<ExtractExpr>();
      return x.unit == y.unit && same(x.operand, y.operand);
    }
    case AstExprKind::kTrim: {
      const auto& x = a.as<TrimExpr>();
      const auto& y = b.as<TrimExpr>();
      return x.mode == y.mode && same(x.characters, y.characters) && same(x.operand, y.operand);
    }
    case AstExprKind::kTimeFloor: {
      const auto& x = a.as<TimeFloorExpr>();
      const auto& y = b.as<TimeFloorExpr>();
      return x.ceil == y.ceil && x.unit == y.unit && same(x.operand, y.operand);
    }
    case AstExprKind::kCollection: {
      const auto& x = a.as<CollectionExpr>();
      const auto& y = b.as<CollectionExpr>();
      return x.map == y.map && same(x.elements, y.elements);
    }
    case AstExprKind::kSubquery: {
      const auto& x = a.as<SubqueryExpr>();
      const auto& y = b.as<SubqueryExpr>();
      return x.subqueryKind == y.subqueryKind && same(x.query, y.query);
    }
  }
  return false;
}

bool equals(const Query& a, const Query& b) {
  return same(a.with, b.with) && same(a.body, b.body) && same(a.orderBy, b.orderBy) &&
         same(a.limit, b.limit) && same(a.offset, b.offset);
}

bool equals(const TableRef& a, const TableRef& b) {
  if (a.kind != b.kind || !same(a.alias, b.alias) || !same(a.columnAliases, b.columnAliases)) {
    return false;
  }
  switch (a.kind) {
    case TableRefKind::kNamed: {
      const auto& x = a.as<NamedTableRef>();
      const auto& y = b.as<NamedTableRef>();
      return same(x.name, y.name) && same(x.hints, y.hints) &&
             same(x.systemTimeAsOf, y.systemTimeAsOf);
    }
    case TableRefKind::kSubquery: {
      const auto& x = a.as<SubqueryTableRef>();
      const auto& y = b.as<SubqueryTableRef>();
      return x.lateral == y.lateral && same(x.query, y.query);
    }
    case TableRefKind::kTableFunction: {
      const auto& x = a.as<TableFunctionRef>();
      const auto& y = b.as<TableFunctionRef>();
      return x.lateral == y.lateral && same(x.function, y.function) &&
             same(x.arguments, y.arguments);
    }
    case TableRefKind::kUnnest: {
      const auto& x = a.as<UnnestTableRef>();
      const auto& y = b.as<UnnestTableRef>();
      return x.withOrdinality == y.withOrdinality && same(x.arguments, y.arguments);
    }
    case TableRefKind::kJoin: {
      const auto& x = a.as<JoinTableRef>();
      const auto& y = b.as<JoinTableRef>();
      return x.joinType == y.joinType && x.natural == y.natural && same(x.left, y.left) &&
             same(x.right, y.right) && same(x.condition, y.condition) &&
             same(x.usingColumns, y.usingColumns);
    }
  }
  return false;
}

bool equals(const Statement& a, const Statement& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case StatementKind::kQuery:
      return same(a.as<QueryStatement>().query, b.as<QueryStatement>().query);
    case StatementKind::kInsert:
      return same(a.as<InsertStatement>(), b.as<InsertStatement>());
    case StatementKind::kStatementSet: {
      const auto& x = a.as<StatementSetStatement>().inserts;
      const auto& y = b.as<StatementSetStatement>().inserts;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!same(*x[i], *y[i])) return false;
      }
      return true;
    }
    case StatementKind::kCreateTable: {
      const auto& x = a.as<CreateTableStatement>();
      const auto& y = b.as<CreateTableStatement>();
      return same(x.name, y.name) && x.temporary == y.temporary && x.ifNotExists == y.ifNotExists &&
             same(x.columns, y.columns) && same(x.watermark, y.watermark) &&
             same(x.primaryKey, y.primaryKey) && x.comment == y.comment &&
             same(x.partitionedBy, y.partitionedBy) && same(x.options, y.options) &&
             same(x.asQuery, y.asQuery);
    }
    case StatementKind::kCreateView: {
      const auto& x = a.as<CreateViewStatement>();
      const auto& y = b.as<CreateViewStatement>();
      return same(x.name, y.name) && x.temporary == y.temporary && x.ifNotExists == y.ifNotExists &&
             same(x.columns, y.columns) && x.comment == y.comment && same(x.query, y.query);
    }
    case StatementKind::kCreateFunction: {
      const auto& x = a.as<CreateFunctionStatement>();
      const auto& y = b.as<CreateFunctionStatement>();
      return same(x.name, y.name) && x.temporary == y.temporary && x.system == y.system &&
             x.ifNotExists == y.ifNotExists && x.className == y.className &&
             x.language == y.language;
    }
    case StatementKind::kDrop: {
      const auto& x = a.as<DropStatement>();
      const auto& y = b.as<DropStatement>();
      return x.objectKind == y.objectKind && x.temporary == y.temporary && x.system == y.system &&
             x.ifExists == y.ifExists && same(x.name, y.name);
    }
    case StatementKind::kShow:
      return a.as<ShowStatement>().object == b.as<ShowStatement>().object &&
             same(a.as<ShowStatement>().name, b.as<ShowStatement>().name);
    case StatementKind::kDescribe:
      return same(a.as<DescribeStatement>().name, b.as<DescribeStatement>().name);
    case StatementKind::kUse: {
      const auto& x = a.as<UseStatement>();
      const auto& y = b.as<UseStatement>();
      return x.catalog == y.catalog && same(x.name, y.name);
    }
    case StatementKind::kSet: {
      const auto& x = a.as<SetStatement>();
      const auto& y = b.as<SetStatement>();
      return x.key == y.key && x.value == y.value;
    }
    case StatementKind::kReset:
      return a.as<ResetStatement>().key == b.as<ResetStatement>().key;
    case StatementKind::kExplain: {
      const auto& x = a.as<ExplainStatement>();
      const auto& y = b.as<ExplainStatement>();
      return x.details == y.details && same(x.statement, y.statement);
    }
  }
  return false;
}

namespace {

// One traversal for both forEachChild overloads: `E` is Expr or const Expr, `visit` takes the
// owning pointer.
template <class E, class F>
void visitChildren(E& e, F&& visit) {
  auto window = [&](auto& spec) {
    for (auto& p : spec.partitionBy) visit(p);
    for (auto& o : spec.orderBy) visit(o.expr);
    if (spec.frame) {
      if (spec.frame->start.offset) visit(spec.frame->start.offset);
      if (spec.frame->end && spec.frame->end->offset) visit(spec.frame->end->offset);
    }
  };
  using Const = std::is_const<E>;
  auto cast = [](auto& expr, auto* type) -> auto& {
    using T = std::remove_pointer_t<decltype(type)>;
    if constexpr (Const::value) {
      return static_cast<const T&>(expr);
    } else {
      return static_cast<T&>(expr);
    }
  };
  switch (e.kind) {
    case AstExprKind::kLiteral:
    case AstExprKind::kInterval:
    case AstExprKind::kColumn:
    case AstExprKind::kSubquery:
      return;
    case AstExprKind::kFieldAccess:
      visit(cast(e, (FieldAccessExpr*)nullptr).base);
      return;
    case AstExprKind::kSubscript: {
      auto& s = cast(e, (SubscriptExpr*)nullptr);
      visit(s.base);
      visit(s.index);
      return;
    }
    case AstExprKind::kUnary:
      visit(cast(e, (UnaryExpr*)nullptr).operand);
      return;
    case AstExprKind::kBinary: {
      auto& b = cast(e, (BinaryExpr*)nullptr);
      visit(b.left);
      visit(b.right);
      return;
    }
    case AstExprKind::kIs:
      visit(cast(e, (IsExpr*)nullptr).operand);
      return;
    case AstExprKind::kIn: {
      auto& in = cast(e, (InExpr*)nullptr);
      visit(in.operand);
      for (auto& item : in.list) visit(item);
      return;
    }
    case AstExprKind::kBetween: {
      auto& b = cast(e, (BetweenExpr*)nullptr);
      visit(b.operand);
      visit(b.low);
      visit(b.high);
      return;
    }
    case AstExprKind::kLike: {
      auto& l = cast(e, (LikeExpr*)nullptr);
      visit(l.operand);
      visit(l.pattern);
      if (l.escape) visit(l.escape);
      return;
    }
    case AstExprKind::kCase: {
      auto& c = cast(e, (CaseExpr*)nullptr);
      if (c.operand) visit(c.operand);
      for (auto& w : c.whens) {
        visit(w.condition);
        visit(w.result);
      }
      if (c.elseResult) visit(c.elseResult);
      return;
    }
    case AstExprKind::kCast:
      visit(cast(e, (CastExpr*)nullptr).operand);
      return;
    case AstExprKind::kFunction: {
      auto& f = cast(e, (FunctionCallExpr*)nullptr);
      for (auto& a : f.arguments) visit(a);
      if (f.filter) visit(f.filter);
      if (f.over) window(*f.over);
      return;
    }
    case AstExprKind::kExtract:
      visit(cast(e, (ExtractExpr*)nullptr).operand);
      return;
    case AstExprKind::kTrim: {
      auto& t = cast(e, (TrimExpr*)nullptr);
      if (t.characters) visit(t.characters);
      visit(t.operand);
      return;
    }
    case AstExprKind::kTimeFloor:
      visit(cast(e, (TimeFloorExpr*)nullptr).operand);
      return;
    case AstExprKind::kCollection:
      for (auto& item : cast(e, (CollectionExpr*)nullptr).elements) visit(item);
      return;
  }
}

}  // namespace

void forEachChild(const Expr& e, const std::function<void(const Expr&)>& visit) {
  visitChildren(e, [&](const ExprPtr& child) { visit(*child); });
}

void forEachChild(Expr& e, const std::function<void(ExprPtr&)>& visit) {
  visitChildren(e, [&](ExprPtr& child) { visit(child); });
}

}  // namespace glint::sql
