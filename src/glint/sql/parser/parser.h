#pragma once
// The parser of Glint SQL, the Flink SQL dialect: a hand-written recursive-descent parser over
// the tokens of lexer.h, producing the tree of ast.h. Syntax errors name line and column, say
// what was expected and what was found, and suggest a fix for typical mistakes.
//
// Limits: nesting (parentheses, subqueries, calls, nested types, NOT/- chains) is capped at
// kMaxNestingDepth levels, and the height of the tree (long chains of operators, joins or set
// operations count one level per link) at kMaxTreeHeight, so that no input can exhaust the
// stack of the parser or of the later passes that walk the tree recursively.
#include <string_view>
#include <vector>

#include "glint/sql/parser/ast.h"
#include "glint/sql/parser/parse_error.h"

namespace glint::sql {

constexpr int kMaxNestingDepth = 200;
constexpr int kMaxTreeHeight = 3000;

// A script of statements separated by ';' (empty statements are skipped). The SQL client's
// `BEGIN STATEMENT SET; INSERT ...; ... END;` is one StatementSetStatement.
ParseResult<std::vector<StatementPtr>> parseStatements(std::string_view sql);

// Exactly one statement, optionally followed by ';'.
ParseResult<StatementPtr> parseStatement(std::string_view sql);

// One expression (for tests and tools), e.g. "a + b * 2".
ParseResult<ExprPtr> parseExpression(std::string_view sql);

// One data type, e.g. "DECIMAL(10, 2) NOT NULL".
ParseResult<DataTypeSyntax> parseDataType(std::string_view sql);

// For an interactive client reading multi-line input: does `buffer` end with a ';' that ends a
// statement (not one inside a string, a comment or a BEGIN STATEMENT SET ... END block)?
// False means "read another line"; an input with a lexical error other than an unterminated
// string or comment counts as complete, so that the parser can report the error.
bool isCompleteStatement(std::string_view buffer);

// Words that cannot be used as unquoted names (they would be read as syntax), upper case.
// Glint reserves fewer words than Flink: everything Flink accepts, Glint accepts.
bool isReservedWord(std::string_view upperCaseWord);

}  // namespace glint::sql
