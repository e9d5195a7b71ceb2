#pragma once
// What must hold for the SQL parser on any input, checked by the fuzz target
// (sql_parser_fuzzer.cc) and by the mutation test in tests/sql/parser:
// - accepted input: every statement prints to SQL that parses to an equal tree and prints the
//   same again (unless the printed form's explicit parentheses take it over the nesting limit);
// - rejected input: the error has a message and a position inside the input whose line and
//   column agree with its byte offset, and it renders.
#include <optional>
#include <string>
#include <string_view>

#include "glint/sql/parser/ast_printer.h"
#include "glint/sql/parser/parser.h"

namespace glint::sql::fuzz {

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
  for (const StatementPtr& statement : parsed.value()) {
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
