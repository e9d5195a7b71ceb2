#pragma once
// What must hold for the SQL parser on any input, checked by the fuzz target
// (sql_parser_fuzzer.cc) and by the mutation test in tests/sql/parser:
// - accepted input: every statement prints to SQL that parses to an equal tree and prints the
//   same again (unless the printed form's explicit parentheses take it over the nesting limit);
// - accepted input: every node's source span lies inside the input and has the line and
//   column of its offset;
// - rejected input: the error has a message and a position inside the input whose line and
//   column agree with its byte offset, and it renders.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glint/sql/parser/ast_printer.h"
#include "glint/sql/parser/parser.h"

namespace glint::sql::fuzz {

// Line and column of every byte offset of an input (and of its end), computed once, so that
// checking the spans of a long script stays linear.
class PositionIndex {
 public:
  explicit PositionIndex(std::string_view sql) : lines_(sql.size() + 1), columns_(sql.size() + 1) {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i <= sql.size(); ++i) {
      lines_[i] = line;
      columns_[i] = column;
      if (i == sql.size()) break;
      if (sql[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
  }
  std::pair<int, int> at(size_t offset) const { return {lines_[offset], columns_[offset]}; }

 private:
  std::vector<int> lines_;
  std::vector<int> columns_;
};

// Line and column (in characters) of a byte offset, counted the way the lexer counts them.
inline std::pair<int, int> lineAndColumn(std::string_view sql, size_t offset) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < offset && i < sql.size(); ++i) {
    if (sql[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// Walks a statement and checks that every node's span is inside the input, not empty, and has
// the line and column of its offset.
class SpanChecker {
 public:
  SpanChecker(std::string_view sql, const PositionIndex& positions)
      : sql_(sql), positions_(positions) {}
  int checked = 0;

  std::optional<std::string> violation;  // the first bad span

  void span(const SourceSpan& s, const char* what) {
    ++checked;
    if (violation) return;
    if (s.length <= 0 || s.offset < 0 || static_cast<size_t>(s.offset + s.length) > sql_.size()) {
      violation = std::string(what) + " has span offset " + std::to_string(s.offset) + ", length " +
                  std::to_string(s.length);
      return;
    }
    auto [line, column] = positions_.at(static_cast<size_t>(s.offset));
    if (s.line != line || s.column != column) {
      violation = std::string(what) + " at offset " + std::to_string(s.offset) + " says line " +
                  std::to_string(s.line) + ", column " + std::to_string(s.column);
    }
  }

  void name(const QualifiedName& n) {
    span(n.span, "qualified name");
    for (const Identifier& part : n.parts) span(part.span, "identifier");
  }

  void type(const DataTypeSyntax& t) {
    span(t.span, "type");
    for (const DataTypeSyntax& p : t.parameters) type(p);
    for (const RowFieldSyntax& f : t.fields) {
      span(f.name.span, "row field");
      type(f.type);
    }
  }

  void exprs(const std::vector<ExprPtr>& list) {
    for (const ExprPtr& e : list) expr(*e);
  }

  void window(const WindowSpec& w) {
    span(w.span, "window");
    exprs(w.partitionBy);
    orderItems(w.orderBy);
    if (w.frame) {
      span(w.frame->span, "frame");
      if (w.frame->start.offset) expr(*w.frame->start.offset);
      if (w.frame->end && w.frame->end->offset) expr(*w.frame->end->offset);
    }
  }

  void orderItems(const std::vector<OrderItem>& items) {
    for (const OrderItem& item : items) {
      span(item.span, "order item");
      expr(*item.expr);
    }
  }

  void expr(const Expr& e) {
    span(e.span, "expression");
    switch (e.kind) {
      case AstExprKind::kLiteral:
      case AstExprKind::kInterval:
        return;
      case AstExprKind::kColumn:
        name(e.as<ColumnRefExpr>().name);
        return;
      case AstExprKind::kFieldAccess:
        expr(*e.as<FieldAccessExpr>().base);
        return;
      case AstExprKind::kSubscript:
        expr(*e.as<SubscriptExpr>().base);
        expr(*e.as<SubscriptExpr>().index);
        return;
      case AstExprKind::kUnary:
        expr(*e.as<UnaryExpr>().operand);
        return;
      case AstExprKind::kBinary:
        expr(*e.as<BinaryExpr>().left);
        expr(*e.as<BinaryExpr>().right);
        return;
      case AstExprKind::kIs:
        expr(*e.as<IsExpr>().operand);
        return;
      case AstExprKind::kIn: {
        const auto& in = e.as<InExpr>();
        expr(*in.operand);
        exprs(in.list);
        if (in.subquery) query(*in.subquery);
        return;
      }
      case AstExprKind::kBetween: {
        const auto& b = e.as<BetweenExpr>();
        expr(*b.operand);
        expr(*b.low);
        expr(*b.high);
        return;
      }
      case AstExprKind::kLike: {
        const auto& l = e.as<LikeExpr>();
        expr(*l.operand);
        expr(*l.pattern);
        if (l.escape) expr(*l.escape);
        return;
      }
      case AstExprKind::kCase: {
        const auto& c = e.as<CaseExpr>();
        if (c.operand) expr(*c.operand);
        for (const WhenClause& w : c.whens) {
          expr(*w.condition);
          expr(*w.result);
        }
        if (c.elseResult) expr(*c.elseResult);
        return;
      }
      case AstExprKind::kCast:
        expr(*e.as<CastExpr>().operand);
        type(*e.as<CastExpr>().type);
        return;
      case AstExprKind::kFunction: {
        const auto& f = e.as<FunctionCallExpr>();
        name(f.name);
        exprs(f.arguments);
        if (f.filter) expr(*f.filter);
        if (f.over) window(*f.over);
        return;
      }
      case AstExprKind::kExtract:
        expr(*e.as<ExtractExpr>().operand);
        return;
      case AstExprKind::kTrim:
        if (e.as<TrimExpr>().characters) expr(*e.as<TrimExpr>().characters);
        expr(*e.as<TrimExpr>().operand);
        return;
      case AstExprKind::kTimeFloor:
        expr(*e.as<TimeFloorExpr>().operand);
        return;
      case AstExprKind::kSubquery:
        query(*e.as<SubqueryExpr>().query);
        return;
      case AstExprKind::kCollection:
        exprs(e.as<CollectionExpr>().elements);
        return;
    }
  }

  void grouping(const GroupingElement& g) {
    span(g.span, "grouping element");
    if (g.expr) expr(*g.expr);
    for (const GroupingElement& child : g.elements) grouping(child);
  }

  void hints(const std::vector<Hint>& list) {
    for (const Hint& h : list) {
      span(h.span, "hint");
      for (const TableOption& o : h.options) span(o.span, "hint option");
    }
  }

  void table(const TableRef& t) {
    span(t.span, "table reference");
    if (t.alias) span(t.alias->span, "alias");
    switch (t.kind) {
      case TableRefKind::kNamed: {
        const auto& n = t.as<NamedTableRef>();
        name(n.name);
        hints(n.hints);
        if (n.systemTimeAsOf) expr(*n.systemTimeAsOf);
        return;
      }
      case TableRefKind::kSubquery:
        query(*t.as<SubqueryTableRef>().query);
        return;
      case TableRefKind::kTableFunction:
        for (const TableArgument& a : t.as<TableFunctionRef>().arguments) {
          span(a.span, "table argument");
          if (a.expression) expr(*a.expression);
        }
        return;
      case TableRefKind::kUnnest:
        exprs(t.as<UnnestTableRef>().arguments);
        return;
      case TableRefKind::kJoin: {
        const auto& j = t.as<JoinTableRef>();
        table(*j.left);
        table(*j.right);
        if (j.condition) expr(*j.condition);
        return;
      }
    }
  }

  void body(const QueryBody& b) {
    span(b.span, "query body");
    switch (b.kind) {
      case QueryBodyKind::kSelect: {
        const auto& s = b.as<SelectBody>();
        hints(s.hints);
        for (const SelectItem& item : s.items) {
          span(item.span, "select item");
          if (item.expr) expr(*item.expr);
        }
        if (s.from) table(*s.from);
        if (s.where) expr(*s.where);
        for (const GroupingElement& g : s.groupBy) grouping(g);
        if (s.having) expr(*s.having);
        for (const NamedWindow& w : s.windows) window(w.spec);
        return;
      }
      case QueryBodyKind::kSetOperation:
        body(*b.as<SetOperationBody>().left);
        body(*b.as<SetOperationBody>().right);
        return;
      case QueryBodyKind::kValues:
        for (const auto& row : b.as<ValuesBody>().rows) exprs(row);
        return;
      case QueryBodyKind::kNested:
        query(*b.as<NestedQueryBody>().query);
        return;
    }
  }

  void query(const Query& q) {
    span(q.span, "query");
    for (const CommonTableExpr& cte : q.with) {
      span(cte.span, "WITH query");
      query(*cte.query);
    }
    body(*q.body);
    orderItems(q.orderBy);
    if (q.limit) expr(*q.limit);
    if (q.offset) expr(*q.offset);
  }

  void statement(const Statement& s) {
    span(s.span, "statement");
    switch (s.kind) {
      case StatementKind::kQuery:
        query(*s.as<QueryStatement>().query);
        return;
      case StatementKind::kInsert: {
        const auto& i = s.as<InsertStatement>();
        name(i.target);
        for (const PartitionValue& p : i.partition) expr(*p.value);
        query(*i.query);
        return;
      }
      case StatementKind::kStatementSet:
        for (const auto& i : s.as<StatementSetStatement>().inserts) statement(*i);
        return;
      case StatementKind::kCreateTable: {
        const auto& c = s.as<CreateTableStatement>();
        name(c.name);
        for (const ColumnDefinition& column : c.columns) {
          span(column.span, "column");
          if (column.type) type(*column.type);
          if (column.expression) expr(*column.expression);
        }
        if (c.watermark) {
          span(c.watermark->span, "watermark");
          expr(*c.watermark->expression);
        }
        if (c.primaryKey) span(c.primaryKey->span, "primary key");
        for (const TableOption& o : c.options) span(o.span, "option");
        if (c.asQuery) query(*c.asQuery);
        return;
      }
      case StatementKind::kCreateView:
        name(s.as<CreateViewStatement>().name);
        query(*s.as<CreateViewStatement>().query);
        return;
      case StatementKind::kExplain:
        statement(*s.as<ExplainStatement>().statement);
        return;
      default:
        return;
    }
  }

 private:
  std::string_view sql_;
  const PositionIndex& positions_;
};

inline bool atNestingLimit(const ParseError& error) {
  return error.message.rfind("nested too deeply", 0) == 0 ||
         error.message.rfind("statement too complex", 0) == 0;
}

// A description of the first violated invariant, or nothing.
inline std::optional<std::string> checkParserInvariants(std::string_view sql) {
  auto parsed = parseStatements(sql);
  if (!parsed.isOk()) {
    const ParseError& error = parsed.error();
    if (error.message.empty()) return "error without a message";
    if (error.offset < 0 || static_cast<size_t>(error.offset) > sql.size()) {
      return "error offset " + std::to_string(error.offset) + " outside the input";
    }
    auto [line, column] = lineAndColumn(sql, static_cast<size_t>(error.offset));
    if (line != error.line || column != error.column) {
      return "error at line " + std::to_string(error.line) + ", column " +
             std::to_string(error.column) + " but its offset is at line " + std::to_string(line) +
             ", column " + std::to_string(column);
    }
    if (error.length < 1) return "error with an empty caret";
    if (error.render(sql).empty()) return "empty rendering";
    return std::nullopt;
  }
  PositionIndex positions(sql);
  for (const StatementPtr& statement : parsed.value()) {
    SpanChecker spans(sql, positions);
    spans.statement(*statement);
    if (spans.violation) return "bad source span: " + *spans.violation;
    std::string printed = toString(*statement);
    auto again = parseStatement(printed);
    if (!again.isOk() && atNestingLimit(again.error())) {
      // The printed form adds explicit parentheses (a + (b * c)), so a statement right at the
      // nesting limit may print to one just beyond it; that is the only allowed failure.
      continue;
    }
    if (!again.isOk()) {
      return "printed statement does not parse: " + printed + "\n" + again.error().render(printed);
    }
    if (!equals(*statement, *again.value())) return "round trip changed the tree: " + printed;
    std::string reprinted = toString(*again.value());
    if (reprinted != printed) return "printing is not stable: " + printed + " vs " + reprinted;
  }
  return std::nullopt;
}

}  // namespace glint::sql::fuzz
