#include "glint/sql/parser/ast_printer.h"

#include <cctype>

#include "glint/sql/parser/parser.h"

namespace glint::sql {
namespace {

// Not reserved, but read as syntax in some position: quoted so that printing stays exact.
// clang-format off
constexpr std::string_view kContextualWords[] = {
    "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME",
    "ROWS", "RANGE", "CONSTRAINT", "WATERMARK", "PRIMARY", "TRY_CAST", "EXTRACT", "TRIM",
    "UNBOUNDED", "CURRENT", "ARRAY", "MAP"};
// clang-format on

// Appends SQL text to one string; every function writes one kind of node.
class Printer {
 public:
  std::string out;
  bool quoteAllNames = false;  // Flink's expanded form: `name` always in backquotes

  void name(const QualifiedName& n) {
    for (size_t i = 0; i < n.parts.size(); ++i) {
      if (i > 0) out += '.';
      out += quoteAllNames ? backquoted(n.parts[i].name) : quoteIdentifier(n.parts[i].name);
    }
  }
  static std::string backquoted(std::string_view name) {
    std::string q = "`";
    for (char c : name) q += c == '`' ? std::string("``") : std::string(1, c);
    return q + "`";
  }

  void identifiers(const std::vector<Identifier>& names) {
    out += '(';
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) out += ", ";
      out += quoteIdentifier(names[i].name);
    }
    out += ')';
  }

  void expressions(const std::vector<ExprPtr>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ", ";
      expr(*list[i]);
    }
  }

  void type(const DataTypeSyntax& t) {
    out += typeNameText(t.name);
    switch (t.name) {
      case TypeName::kArray:
      case TypeName::kMultiset:
      case TypeName::kMap:
        out += '<';
        for (size_t i = 0; i < t.parameters.size(); ++i) {
          if (i > 0) out += ", ";
          type(t.parameters[i]);
        }
        out += '>';
        break;
      case TypeName::kRow:
        out += '<';
        for (size_t i = 0; i < t.fields.size(); ++i) {
          if (i > 0) out += ", ";
          out += quoteIdentifier(t.fields[i].name.name) + " ";
          type(t.fields[i].type);
          if (t.fields[i].comment) out += " " + quoteString(*t.fields[i].comment);
        }
        out += '>';
        break;
      default:
        if (t.precision) {
          out += "(" + std::to_string(*t.precision);
          if (t.scale) out += ", " + std::to_string(*t.scale);
          out += ")";
        }
    }
    if (t.notNull) out += " NOT NULL";
  }


  // Precedence level of the operator at the top of `e` (as in the parser: OR 1, AND 2, NOT 3,
  // comparisons and predicates 4, + - || 5, * / % 6, unary - + 7), 9 for everything else.
  static int levelOf(const Expr& e) {
    switch (e.kind) {
      case AstExprKind::kBinary:
        switch (e.as<BinaryExpr>().op) {
          case BinaryOp::kOr:
            return 1;
          case BinaryOp::kAnd:
            return 2;
          case BinaryOp::kAdd:
          case BinaryOp::kSubtract:
          case BinaryOp::kConcat:
            return 5;
          case BinaryOp::kMultiply:
          case BinaryOp::kDivide:
          case BinaryOp::kModulo:
            return 6;
          default:
            return 4;
        }
      case AstExprKind::kIs:
      case AstExprKind::kIn:
      case AstExprKind::kBetween:
      case AstExprKind::kLike:
        return 4;
      case AstExprKind::kUnary:
        return e.as<UnaryExpr>().op == UnaryOp::kNot ? 3 : 7;
      default:
        return 9;
    }
  }

  // An operand of an operator. Operator nodes get parentheses so that the printed text shows
  // the tree, except a left operand of the same level: left-associative chains print flat
  // (a - b - c), which also keeps long chains from turning into deep parentheses.
  void operand(const Expr& e, int flatLevel) {
    int level = levelOf(e);
    bool wrap = level <= 7 && level != flatLevel;
    if (wrap) out += '(';
    expr(e);
    if (wrap) out += ')';
  }

  // The base of `.field` and `[index]`: a name before `.field` would merge with it (a.b.c), a
  // literal could take the '.' or a folded '-' along, and operators bind more loosely.
  void postfixBase(const Expr& base, bool field) {
    bool wrap = (field && base.kind == AstExprKind::kColumn) || base.kind == AstExprKind::kLiteral ||
                base.kind == AstExprKind::kInterval || levelOf(base) <= 7;
    if (wrap) out += '(';
    expr(base);
    if (wrap) out += ')';
  }

  static bool isNamed(const QualifiedName& n, std::string_view upper) {
    if (n.parts.size() != 1 || n.parts[0].name.size() != upper.size()) return false;
    for (size_t i = 0; i < upper.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(n.parts[0].name[i])) != upper[i]) return false;
    }
    return true;
  }

  void expr(const Expr& e) {
    switch (e.kind) {
      case AstExprKind::kLiteral: {
        const auto& l = e.as<LiteralExpr>();
        switch (l.literalKind) {
          case LiteralKind::kNull:
            out += "NULL";
            break;
          case LiteralKind::kString:
            out += quoteString(l.text);
            break;
          case LiteralKind::kDate:
            out += "DATE " + quoteString(l.text);
            break;
          case LiteralKind::kTime:
            out += "TIME " + quoteString(l.text);
            break;
          case LiteralKind::kTimestamp:
            out += "TIMESTAMP " + quoteString(l.text);
            break;
          default:
            out += l.text;
        }
        return;
      }
      case AstExprKind::kInterval: {
        const auto& i = e.as<IntervalExpr>();
        out += "INTERVAL ";
        if (i.negative) out += '-';
        out += quoteString(i.value) + " " + timeUnitName(i.from);
        if (i.to) out += std::string(" TO ") + timeUnitName(*i.to);
        return;
      }
      case AstExprKind::kColumn:
        name(e.as<ColumnRefExpr>().name);
        return;
      case AstExprKind::kFieldAccess: {
        const auto& f = e.as<FieldAccessExpr>();
        postfixBase(*f.base, /*field=*/true);
        out += "." + quoteIdentifier(f.field.name);
        return;
      }
      case AstExprKind::kSubscript: {
        const auto& s = e.as<SubscriptExpr>();
        postfixBase(*s.base, /*field=*/false);
        out += '[';
        expr(*s.index);
        out += ']';
        return;
      }
      case AstExprKind::kUnary: {
        const auto& u = e.as<UnaryExpr>();
        const Expr& child = *u.operand;
        if (u.op == UnaryOp::kNot) {
          out += "NOT ";
          if (child.kind == AstExprKind::kUnary && child.as<UnaryExpr>().op == UnaryOp::kNot) {
            expr(child);  // NOT NOT a
          } else {
            operand(child, 0);
          }
          return;
        }
        out += u.op == UnaryOp::kNegate ? '-' : '+';
        size_t at = out.size();
        if (levelOf(child) == 7) {
          expr(child);  // - -a
        } else {
          operand(child, 0);
        }
        // "--" would start a comment.
        if (out.size() > at && out[at] == '-') out.insert(at, " ");
        return;
      }
      case AstExprKind::kBinary: {
        const auto& b = e.as<BinaryExpr>();
        operand(*b.left, levelOf(e));
        out += ' ';
        out += binaryOperatorText(b.op);
        out += ' ';
        operand(*b.right, 0);
        return;
      }
      case AstExprKind::kIs: {
        const auto& i = e.as<IsExpr>();
        operand(*i.operand, 4);
        out += i.negated ? " IS NOT " : " IS ";
        out += i.test == IsTest::kNull    ? "NULL"
               : i.test == IsTest::kTrue  ? "TRUE"
               : i.test == IsTest::kFalse ? "FALSE"
                                          : "UNKNOWN";
        return;
      }
      case AstExprKind::kIn: {
        const auto& i = e.as<InExpr>();
        operand(*i.operand, 4);
        out += i.negated ? " NOT IN (" : " IN (";
        if (i.subquery) {
          query(*i.subquery);
        } else {
          expressions(i.list);
        }
        out += ')';
        return;
      }
      case AstExprKind::kBetween: {
        const auto& b = e.as<BetweenExpr>();
        operand(*b.operand, 4);
        out += b.negated ? " NOT BETWEEN " : " BETWEEN ";
        if (b.symmetric) out += "SYMMETRIC ";
        operand(*b.low, 0);
        out += " AND ";
        operand(*b.high, 0);
        return;
      }
      case AstExprKind::kLike: {
        const auto& l = e.as<LikeExpr>();
        operand(*l.operand, 4);
        if (l.negated) out += " NOT";
        out += l.similarTo ? " SIMILAR TO " : " LIKE ";
        operand(*l.pattern, 0);
        if (l.escape) {
          out += " ESCAPE ";
          operand(*l.escape, 0);
        }
        return;
      }
      case AstExprKind::kCase: {
        const auto& c = e.as<CaseExpr>();
        out += "CASE";
        if (c.operand) {
          out += ' ';
          expr(*c.operand);
        }
        for (const WhenClause& w : c.whens) {
          out += " WHEN ";
          expr(*w.condition);
          out += " THEN ";
          expr(*w.result);
        }
        if (c.elseResult) {
          out += " ELSE ";
          expr(*c.elseResult);
        }
        out += " END";
        return;
      }
      case AstExprKind::kCast: {
        const auto& c = e.as<CastExpr>();
        out += c.tryCast ? "TRY_CAST(" : "CAST(";
        expr(*c.operand);
        out += " AS ";
        type(*c.type);
        out += ')';
        return;
      }
      case AstExprKind::kFunction:
        function(e.as<FunctionCallExpr>());
        return;
      case AstExprKind::kExtract: {
        const auto& x = e.as<ExtractExpr>();
        out += std::string("EXTRACT(") + timeUnitName(x.unit) + " FROM ";
        expr(*x.operand);
        out += ')';
        return;
      }
      case AstExprKind::kTrim: {
        const auto& t = e.as<TrimExpr>();
        out += t.mode == TrimMode::kBoth      ? "TRIM(BOTH "
               : t.mode == TrimMode::kLeading ? "TRIM(LEADING "
                                              : "TRIM(TRAILING ";
        if (t.characters) {
          expr(*t.characters);
          out += ' ';
        }
        out += "FROM ";
        expr(*t.operand);
        out += ')';
        return;
      }
      case AstExprKind::kTimeFloor: {
        const auto& f = e.as<TimeFloorExpr>();
        out += f.ceil ? "CEIL(" : "FLOOR(";
        // An interval would take the TO along: INTERVAL '1' DAY TO HOUR.
        bool wrap = f.operand->kind == AstExprKind::kInterval;
        if (wrap) out += '(';
        expr(*f.operand);
        if (wrap) out += ')';
        out += std::string(" TO ") + timeUnitName(f.unit) + ")";
        return;
      }
      case AstExprKind::kCollection: {
        const auto& c = e.as<CollectionExpr>();
        out += c.map ? "MAP[" : "ARRAY[";
        expressions(c.elements);
        out += ']';
        return;
      }
      case AstExprKind::kSubquery: {
        const auto& s = e.as<SubqueryExpr>();
        out += s.subqueryKind == SubqueryKind::kExists ? "EXISTS (" : "(";
        query(*s.query);
        out += ')';
        return;
      }
    }
  }

  void function(const FunctionCallExpr& f) {
    if (f.withoutParentheses) {
      out += f.name.parts.empty() ? "" : f.name.parts[0].name;
      return;
    }
    name(f.name);
    out += '(';
    if (f.distinct) out += "DISTINCT ";
    if (f.starArgument) {
      out += '*';
    } else if (isNamed(f.name, "POSITION") && f.arguments.size() == 2 && !f.distinct) {
      operand(*f.arguments[0], 0);
      out += " IN ";
      expr(*f.arguments[1]);
    } else {
      expressions(f.arguments);
    }
    out += ')';
    if (f.filter) {
      out += " FILTER (WHERE ";
      expr(*f.filter);
      out += ')';
    }
    if (f.over) {
      const WindowSpec& w = *f.over;
      if (w.baseWindow && w.partitionBy.empty() && w.orderBy.empty() && !w.frame) {
        out += " OVER " + quoteIdentifier(w.baseWindow->name);
      } else {
        out += " OVER ";
        window(w);
      }
    }
  }

  void orderItems(const std::vector<OrderItem>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      expr(*items[i].expr);
      if (items[i].descending) out += " DESC";
      if (items[i].nulls == NullOrder::kFirst) out += " NULLS FIRST";
      if (items[i].nulls == NullOrder::kLast) out += " NULLS LAST";
    }
  }

  void frameBound(const FrameBound& b) {
    switch (b.kind) {
      case FrameBoundKind::kUnboundedPreceding:
        out += "UNBOUNDED PRECEDING";
        return;
      case FrameBoundKind::kUnboundedFollowing:
        out += "UNBOUNDED FOLLOWING";
        return;
      case FrameBoundKind::kCurrentRow:
        out += "CURRENT ROW";
        return;
      case FrameBoundKind::kPreceding:
      case FrameBoundKind::kFollowing:
        operand(*b.offset, 0);
        out += b.kind == FrameBoundKind::kPreceding ? " PRECEDING" : " FOLLOWING";
        return;
    }
  }

  void window(const WindowSpec& w) {
    out += '(';
    bool first = true;
    auto space = [&] {
      if (!first) out += ' ';
      first = false;
    };
    if (w.baseWindow) {
      space();
      out += quoteIdentifier(w.baseWindow->name);
    }
    if (!w.partitionBy.empty()) {
      space();
      out += "PARTITION BY ";
      expressions(w.partitionBy);
    }
    if (!w.orderBy.empty()) {
      space();
      out += "ORDER BY ";
      orderItems(w.orderBy);
    }
    if (w.frame) {
      space();
      out += w.frame->unit == FrameUnit::kRows ? "ROWS " : "RANGE ";
      if (w.frame->end) {
        out += "BETWEEN ";
        frameBound(w.frame->start);
        out += " AND ";
        frameBound(*w.frame->end);
      } else {
        frameBound(w.frame->start);
      }
    }
    out += ')';
  }

  void query(const Query& q) {
    if (!q.with.empty()) {
      out += "WITH ";
      for (size_t i = 0; i < q.with.size(); ++i) {
        if (i > 0) out += ", ";
        out += quoteIdentifier(q.with[i].name.name);
        if (!q.with[i].columns.empty()) {
          out += ' ';
          identifiers(q.with[i].columns);
        }
        out += " AS (";
        query(*q.with[i].query);
        out += ')';
      }
      out += ' ';
    }
    body(*q.body);
    if (!q.orderBy.empty()) {
      out += " ORDER BY ";
      orderItems(q.orderBy);
    }
    if (q.limit) {
      out += " LIMIT ";
      expr(*q.limit);
    }
    if (q.offset) {
      out += " OFFSET ";
      expr(*q.offset);
    }
  }

  void groupingElement(const GroupingElement& g) {
    switch (g.kind) {
      case GroupingKind::kExpression: {
        // A call named ROLLUP or CUBE would be read back as the grouping construct.
        bool wrap = g.expr->kind == AstExprKind::kFunction &&
                    (isNamed(g.expr->as<FunctionCallExpr>().name, "ROLLUP") ||
                     isNamed(g.expr->as<FunctionCallExpr>().name, "CUBE"));
        if (wrap) out += '(';
        expr(*g.expr);
        if (wrap) out += ')';
        return;
      }
      case GroupingKind::kTuple:
        out += '(';
        break;
      case GroupingKind::kRollup:
        out += "ROLLUP(";
        break;
      case GroupingKind::kCube:
        out += "CUBE(";
        break;
      case GroupingKind::kGroupingSets:
        out += "GROUPING SETS(";
        break;
    }
    for (size_t i = 0; i < g.elements.size(); ++i) {
      if (i > 0) out += ", ";
      groupingElement(g.elements[i]);
    }
    out += ')';
  }

  void body(const QueryBody& b) {
    switch (b.kind) {
      case QueryBodyKind::kSelect: {
        const auto& s = b.as<SelectBody>();
        out += "SELECT ";
        if (!s.hints.empty()) {
          hints(s.hints);
          out += ' ';
        }
        if (s.distinct) out += "DISTINCT ";
        for (size_t i = 0; i < s.items.size(); ++i) {
          if (i > 0) out += ", ";
          const SelectItem& item = s.items[i];
          if (item.star) {
            if (!item.starQualifier.parts.empty()) {
              name(item.starQualifier);
              out += '.';
            }
            out += '*';
            continue;
          }
          expr(*item.expr);
          if (item.alias) out += " AS " + quoteIdentifier(item.alias->name);
        }
        if (s.from) {
          out += " FROM ";
          table(*s.from);
        }
        if (s.where) {
          out += " WHERE ";
          expr(*s.where);
        }
        if (!s.groupBy.empty()) {
          out += " GROUP BY ";
          for (size_t i = 0; i < s.groupBy.size(); ++i) {
            if (i > 0) out += ", ";
            groupingElement(s.groupBy[i]);
          }
        }
        if (s.having) {
          out += " HAVING ";
          expr(*s.having);
        }
        if (!s.windows.empty()) {
          out += " WINDOW ";
          for (size_t i = 0; i < s.windows.size(); ++i) {
            if (i > 0) out += ", ";
            out += quoteIdentifier(s.windows[i].name.name) + " AS ";
            window(s.windows[i].spec);
          }
        }
        return;
      }
      case QueryBodyKind::kSetOperation: {
        const auto& s = b.as<SetOperationBody>();
        body(*s.left);
        out += s.op == SetOperator::kUnion       ? " UNION "
               : s.op == SetOperator::kIntersect ? " INTERSECT "
                                                 : " EXCEPT ";
        if (s.all) out += "ALL ";
        body(*s.right);
        return;
      }
      case QueryBodyKind::kValues: {
        const auto& v = b.as<ValuesBody>();
        out += "VALUES ";
        for (size_t i = 0; i < v.rows.size(); ++i) {
          if (i > 0) out += ", ";
          out += '(';
          expressions(v.rows[i]);
          out += ')';
        }
        return;
      }
      case QueryBodyKind::kNested:
        out += '(';
        query(*b.as<NestedQueryBody>().query);
        out += ')';
        return;
    }
  }

  void hints(const std::vector<Hint>& list) {
    if (list.empty()) return;
    out += "/*+ ";
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ", ";
      const Hint& h = list[i];
      out += quoteIdentifier(h.name.name);
      if (h.options.empty() && h.names.empty()) continue;
      out += '(';
      bool first = true;
      for (const TableOption& o : h.options) {
        if (!first) out += ", ";
        first = false;
        out += quoteString(o.key) + " = " + quoteString(o.value);
      }
      for (const Identifier& n : h.names) {
        if (!first) out += ", ";
        first = false;
        out += quoteIdentifier(n.name);
      }
      out += ')';
    }
    out += " */";
  }

  void alias(const TableRef& t) {
    if (!t.alias) return;
    out += " AS " + quoteIdentifier(t.alias->name);
    if (!t.columnAliases.empty()) {
      out += ' ';
      identifiers(t.columnAliases);
    }
  }

  void table(const TableRef& t) {
    switch (t.kind) {
      case TableRefKind::kNamed: {
        const auto& n = t.as<NamedTableRef>();
        name(n.name);
        if (!n.hints.empty()) {
          out += ' ';
          hints(n.hints);
        }
        if (n.systemTimeAsOf) {
          out += " FOR SYSTEM_TIME AS OF ";
          expr(*n.systemTimeAsOf);
        }
        break;
      }
      case TableRefKind::kSubquery: {
        const auto& s = t.as<SubqueryTableRef>();
        if (s.lateral) out += "LATERAL ";
        out += '(';
        query(*s.query);
        out += ')';
        break;
      }
      case TableRefKind::kTableFunction: {
        const auto& f = t.as<TableFunctionRef>();
        if (f.lateral) out += "LATERAL ";
        out += "TABLE(";
        name(f.function);
        out += '(';
        for (size_t i = 0; i < f.arguments.size(); ++i) {
          if (i > 0) out += ", ";
          tableArgument(f.arguments[i]);
        }
        out += "))";
        break;
      }
      case TableRefKind::kUnnest: {
        const auto& u = t.as<UnnestTableRef>();
        out += "UNNEST(";
        expressions(u.arguments);
        out += ')';
        if (u.withOrdinality) out += " WITH ORDINALITY";
        break;
      }
      case TableRefKind::kJoin: {
        const auto& j = t.as<JoinTableRef>();
        bool wrapLeft = j.joinType != JoinType::kComma && j.left->kind == TableRefKind::kJoin &&
                        j.left->as<JoinTableRef>().joinType == JoinType::kComma;
        if (wrapLeft) out += '(';
        table(*j.left);
        if (wrapLeft) out += ')';
        if (j.joinType == JoinType::kComma) {
          out += ", ";
        } else {
          out += j.natural ? " NATURAL " : " ";
          switch (j.joinType) {
            case JoinType::kInner:
              out += "INNER JOIN ";
              break;
            case JoinType::kLeft:
              out += "LEFT JOIN ";
              break;
            case JoinType::kRight:
              out += "RIGHT JOIN ";
              break;
            case JoinType::kFull:
              out += "FULL JOIN ";
              break;
            case JoinType::kCross:
              out += "CROSS JOIN ";
              break;
            case JoinType::kComma:
              break;
          }
        }
        bool wrapRight = j.right->kind == TableRefKind::kJoin;
        if (wrapRight) out += '(';
        table(*j.right);
        if (wrapRight) out += ')';
        if (j.condition) {
          out += " ON ";
          expr(*j.condition);
        } else if (!j.usingColumns.empty()) {
          out += " USING ";
          identifiers(j.usingColumns);
        }
        return;  // joins carry no alias
      }
    }
    alias(t);
  }

  void tableArgument(const TableArgument& a) {
    if (a.name) out += quoteIdentifier(a.name->name) + " => ";
    switch (a.kind) {
      case TableArgumentKind::kExpression:
        expr(*a.expression);
        return;
      case TableArgumentKind::kTable:
        out += "TABLE ";
        name(a.table);
        if (!a.partitionBy.empty()) {
          out += " PARTITION BY ";
          identifiers(a.partitionBy);
        }
        return;
      case TableArgumentKind::kDescriptor:
        out += "DESCRIPTOR";
        identifiers(a.descriptorColumns);
        return;
    }
  }

  void insert(const InsertStatement& i) {
    out += i.overwrite ? "INSERT OVERWRITE " : "INSERT INTO ";
    name(i.target);
    if (!i.partition.empty()) {
      out += " PARTITION (";
      for (size_t k = 0; k < i.partition.size(); ++k) {
        if (k > 0) out += ", ";
        out += quoteIdentifier(i.partition[k].column.name) + " = ";
        expr(*i.partition[k].value);
      }
      out += ')';
    }
    if (!i.columns.empty()) {
      out += ' ';
      identifiers(i.columns);
    }
    out += ' ';
    query(*i.query);
  }

  void createTable(const CreateTableStatement& c) {
    out += c.temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ";
    if (c.ifNotExists) out += "IF NOT EXISTS ";
    name(c.name);
    if (!c.columns.empty() || c.watermark || c.primaryKey) {
      out += " (";
      bool first = true;
      auto separator = [&] {
        if (!first) out += ", ";
        first = false;
      };
      for (const ColumnDefinition& column : c.columns) {
        separator();
        out += quoteIdentifier(column.name.name);
        if (column.columnKind == ColumnKind::kComputed) {
          out += " AS ";
          expr(*column.expression);
        } else {
          out += ' ';
          type(*column.type);
          if (column.columnKind == ColumnKind::kMetadata) {
            out += " METADATA";
            if (column.metadataKey) out += " FROM " + quoteString(*column.metadataKey);
            if (column.isVirtual) out += " VIRTUAL";
          }
        }
        if (column.comment) out += " COMMENT " + quoteString(*column.comment);
      }
      if (c.watermark) {
        separator();
        out += "WATERMARK FOR " + quoteIdentifier(c.watermark->column.name) + " AS ";
        expr(*c.watermark->expression);
      }
      if (c.primaryKey) {
        separator();
        if (c.primaryKey->constraintName) {
          out += "CONSTRAINT " + quoteIdentifier(c.primaryKey->constraintName->name) + " ";
        }
        out += "PRIMARY KEY ";
        identifiers(c.primaryKey->columns);
        out += " NOT ENFORCED";
      }
      out += ')';
    }
    if (c.comment) out += " COMMENT " + quoteString(*c.comment);
    if (!c.partitionedBy.empty()) {
      out += " PARTITIONED BY ";
      identifiers(c.partitionedBy);
    }
    if (!c.options.empty()) {
      out += " WITH (";
      for (size_t i = 0; i < c.options.size(); ++i) {
        if (i > 0) out += ", ";
        out += quoteString(c.options[i].key) + " = " + quoteString(c.options[i].value);
      }
      out += ')';
    }
    if (c.asQuery) {
      out += " AS ";
      query(*c.asQuery);
    }
  }

  void statement(const Statement& s) {
    switch (s.kind) {
      case StatementKind::kQuery:
        query(*s.as<QueryStatement>().query);
        return;
      case StatementKind::kInsert:
        insert(s.as<InsertStatement>());
        return;
      case StatementKind::kStatementSet:
        out += "EXECUTE STATEMENT SET BEGIN ";
        for (const auto& i : s.as<StatementSetStatement>().inserts) {
          insert(*i);
          out += "; ";
        }
        out += "END";
        return;
      case StatementKind::kCreateTable:
        createTable(s.as<CreateTableStatement>());
        return;
      case StatementKind::kCreateView: {
        const auto& v = s.as<CreateViewStatement>();
        out += v.temporary ? "CREATE TEMPORARY VIEW " : "CREATE VIEW ";
        if (v.ifNotExists) out += "IF NOT EXISTS ";
        name(v.name);
        if (!v.columns.empty()) {
          out += ' ';
          identifiers(v.columns);
        }
        if (v.comment) out += " COMMENT " + quoteString(*v.comment);
        out += " AS ";
        query(*v.query);
        return;
      }
      case StatementKind::kCreateFunction: {
        const auto& f = s.as<CreateFunctionStatement>();
        out += "CREATE ";
        if (f.temporary) out += f.system ? "TEMPORARY SYSTEM " : "TEMPORARY ";
        out += "FUNCTION ";
        if (f.ifNotExists) out += "IF NOT EXISTS ";
        name(f.name);
        out += " AS " + quoteString(f.className);
        if (f.language) out += " LANGUAGE " + *f.language;
        for (size_t i = 0; i < f.jars.size(); ++i)
          out += (i ? ", JAR " : " USING JAR ") + quoteString(f.jars[i]);
        return;
      }
      case StatementKind::kDrop: {
        const auto& d = s.as<DropStatement>();
        out += "DROP ";
        if (d.temporary) out += d.system ? "TEMPORARY SYSTEM " : "TEMPORARY ";
        out += d.objectKind == ObjectKind::kTable  ? "TABLE "
               : d.objectKind == ObjectKind::kView ? "VIEW "
                                                   : "FUNCTION ";
        if (d.ifExists) out += "IF EXISTS ";
        name(d.name);
        return;
      }
      case StatementKind::kShow:
        switch (s.as<ShowStatement>().object) {
          case ShowObject::kTables:
            out += "SHOW TABLES";
            return;
          case ShowObject::kViews:
            out += "SHOW VIEWS";
            return;
          case ShowObject::kFunctions:
            out += s.as<ShowStatement>().userOnly ? "SHOW USER FUNCTIONS" : "SHOW FUNCTIONS";
            return;
          case ShowObject::kCatalogs:
            out += "SHOW CATALOGS";
            return;
          case ShowObject::kDatabases:
            out += "SHOW DATABASES";
            return;
          case ShowObject::kCurrentCatalog:
            out += "SHOW CURRENT CATALOG";
            return;
          case ShowObject::kCurrentDatabase:
            out += "SHOW CURRENT DATABASE";
            return;
          case ShowObject::kJobs:
            out += "SHOW JOBS";
            return;
          case ShowObject::kCreateTable:
          case ShowObject::kCreateView:
            out += s.as<ShowStatement>().object == ShowObject::kCreateTable ? "SHOW CREATE TABLE "
                                                                            : "SHOW CREATE VIEW ";
            name(s.as<ShowStatement>().name);
            return;
        }
        return;
      case StatementKind::kDescribe:
        out += "DESCRIBE ";
        name(s.as<DescribeStatement>().name);
        return;
      case StatementKind::kUse:
        out += s.as<UseStatement>().catalog ? "USE CATALOG " : "USE ";
        name(s.as<UseStatement>().name);
        return;
      case StatementKind::kSet: {
        const auto& set = s.as<SetStatement>();
        out += "SET";
        if (set.key)
          out += " " + quoteString(*set.key) + " = " + quoteString(set.value.value_or(""));
        return;
      }
      case StatementKind::kReset: {
        const auto& r = s.as<ResetStatement>();
        out += "RESET";
        if (r.key) out += " " + quoteString(*r.key);
        return;
      }
      case StatementKind::kExplain: {
        const auto& e = s.as<ExplainStatement>();
        out += "EXPLAIN ";
        for (size_t i = 0; i < e.details.size(); ++i) {
          if (i > 0) out += ", ";
          switch (e.details[i]) {
            case ExplainDetail::kEstimatedCost:
              out += "ESTIMATED_COST";
              break;
            case ExplainDetail::kChangelogMode:
              out += "CHANGELOG_MODE";
              break;
            case ExplainDetail::kJsonExecutionPlan:
              out += "JSON_EXECUTION_PLAN";
              break;
            case ExplainDetail::kPlanAdvice:
              out += "PLAN_ADVICE";
              break;
          }
        }
        if (!e.details.empty()) out += ' ';
        statement(*e.statement);
        return;
      }
    }
  }
};

}  // namespace

std::string quoteIdentifier(std::string_view name) {
  bool plain =
      !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '$')) plain = false;
  }
  if (plain) {
    std::string upper(name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (isReservedWord(upper)) plain = false;
    for (std::string_view word : kContextualWords) {
      if (upper == word) plain = false;
    }
  }
  if (plain) return std::string(name);
  std::string quoted = "`";
  for (char c : name) {
    quoted += c;
    if (c == '`') quoted += '`';
  }
  return quoted + "`";
}

std::string quoteString(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

std::string QualifiedName::toString() const {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    out += quoteIdentifier(parts[i].name);
  }
  return out;
}

std::string toString(const Statement& statement) {
  Printer p;
  p.statement(statement);
  return std::move(p.out);
}

std::string toString(const Query& query) {
  Printer p;
  p.query(query);
  return std::move(p.out);
}

std::string toString(const QueryBody& body) {
  Printer p;
  p.body(body);
  return std::move(p.out);
}

std::string toString(const TableRef& table) {
  Printer p;
  p.table(table);
  return std::move(p.out);
}

std::string toString(const Expr& expr) {
  Printer p;
  p.expr(expr);
  return std::move(p.out);
}

std::string toQuotedString(const Expr& expr) {
  Printer p;
  p.quoteAllNames = true;
  p.expr(expr);
  return std::move(p.out);
}

std::string toString(const DataTypeSyntax& type) {
  Printer p;
  p.type(type);
  return std::move(p.out);
}

std::string toString(const WindowSpec& spec) {
  Printer p;
  p.window(spec);
  return std::move(p.out);
}

}  // namespace glint::sql
