#pragma once
// Helpers shared by the parser tests: parse, print, and check that printing round-trips.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "glint/sql/parser/ast_printer.h"
#include "glint/sql/parser/parser.h"

namespace glint::sql::testing {

// Parses `sql` as one statement (failing the test with the rendered error otherwise), checks
// that its printed form parses to an equal tree and prints the same, and returns that form.
inline std::string printStatement(std::string_view sql) {
  auto parsed = parseStatement(sql);
  if (!parsed.isOk()) {
    ADD_FAILURE() << parsed.error().render(sql);
    return "<error>";
  }
  std::string printed = toString(*parsed.value());
  auto again = parseStatement(printed);
  if (!again.isOk()) {
    ADD_FAILURE() << "printed form does not parse: " << again.error().render(printed);
    return printed;
  }
  EXPECT_TRUE(equals(*parsed.value(), *again.value())) << "round trip changed the tree:\n"
                                                       << printed;
  EXPECT_EQ(printed, toString(*again.value()));
  return printed;
}

// The same for one expression.
inline std::string printExpression(std::string_view sql) {
  auto parsed = parseExpression(sql);
  if (!parsed.isOk()) {
    ADD_FAILURE() << parsed.error().render(sql);
    return "<error>";
  }
  std::string printed = toString(*parsed.value());
  auto again = parseExpression(printed);
  if (!again.isOk()) {
    ADD_FAILURE() << "printed form does not parse: " << again.error().render(printed);
    return printed;
  }
  EXPECT_TRUE(equals(*parsed.value(), *again.value())) << printed;
  EXPECT_EQ(printed, toString(*again.value()));
  return printed;
}

// The error of a script that must not parse.
inline ParseError errorOf(std::string_view sql) {
  auto parsed = parseStatements(sql);
  if (parsed.isOk()) {
    ADD_FAILURE() << "expected a syntax error for: " << sql;
    return ParseError{};
  }
  return parsed.error();
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string corpusDirectory() {
  return std::string(GLINT_SOURCE_DIR) + "/fuzz/corpus";
}

}  // namespace glint::sql::testing
