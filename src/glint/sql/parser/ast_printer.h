#pragma once
// Prints syntax trees back as normalized SQL, on one line: keywords in upper case, an operator
// that is the operand of another operator in parentheses (a + (b * c), (NOT a) AND b) so that
// the printed text shows the tree's structure, left-associative chains flat (a - b - c), names
// backquoted only when they need it. Printing and parsing again gives an equal tree (`equals`
// in ast.h), which the tests and the fuzz target check.
#include <string>
#include <string_view>

#include "glint/sql/parser/ast.h"

namespace glint::sql {

std::string toString(const Statement& statement);
std::string toString(const Query& query);
std::string toString(const QueryBody& body);
std::string toString(const TableRef& table);
std::string toString(const Expr& expr);
// As Flink prints a table's expressions (DESCRIBE): every name in backquotes, `ts` - INTERVAL.
std::string toQuotedString(const Expr& expr);
std::string toString(const DataTypeSyntax& type);
std::string toString(const WindowSpec& spec);  // with its parentheses

// `name`, or `na``me` in backquotes when it is not a plain word or could be read as a keyword.
std::string quoteIdentifier(std::string_view name);
// 'text' with quotes doubled.
std::string quoteString(std::string_view text);

}  // namespace glint::sql
