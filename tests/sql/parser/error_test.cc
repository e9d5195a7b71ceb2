// Syntax errors: line, column and caret of every kind of mistake, what was expected and found,
// and the hints for typical mistakes; the reusable renderCaret and closestMatch; the lexer's
// tokens and positions.
#include "glint/sql/parser/lexer.h"
#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

using testing::errorOf;

struct Expected {
  int line;
  int column;
  std::string message;
  std::string hint;
};

void expectError(std::string_view sql, const Expected& expected) {
  SCOPED_TRACE(sql);
  ParseError error = errorOf(sql);
  EXPECT_EQ(error.line, expected.line);
  EXPECT_EQ(error.column, expected.column);
  EXPECT_EQ(error.message, expected.message);
  EXPECT_EQ(error.hint, expected.hint);
}

TEST(ParserError, RenderedWithLineColumnCaretAndHint) {
  std::string_view sql = "SELECT a,\n  SELECT a, FROM t";
  ParseError error = errorOf("SELECT a, FROM t");
  EXPECT_EQ(error.render("SELECT a, FROM t"),
            "SQL error at line 1, column 11: expected an expression after ',', found 'FROM'\n"
            "  SELECT a, FROM t\n"
            "            ^~~~\n"
            "hint: remove the ',' before FROM, or add the missing item");
  std::string_view multiLine = "SELECT a\n  FROM t\n WHERE a == 1";
  EXPECT_EQ(errorOf(multiLine).render(multiLine),
            "SQL error at line 3, column 10: '==' is not an operator in SQL\n"
            "   WHERE a == 1\n"
            "           ^~\n"
            "hint: SQL compares with a single '=': write a = b");
  // As a Status for the layers that speak Status.
  auto parsed = parseStatement(sql);
  ASSERT_FALSE(parsed.isOk());
  Status status = parsed.status(sql);
  EXPECT_EQ(status.code(), StatusCode::kParseError);
  EXPECT_NE(status.message().find("line 2, column 3"), std::string::npos);
}

TEST(ParserError, TypicalMistakesGetHints) {
  expectError("SELECT a b c FROM t",
              {1, 12, "expected ',' or FROM after the select item, found 'c'",
               "is a ',' missing? 'b' was read as the alias of the item before it"});
  expectError("SELECT a 1 FROM t", {1, 10,
                                    "expected ',' or FROM after the select item, found "
                                    "number 1",
                                    "is a ',' missing between the select items?"});
  expectError("SELECT a FORM t",
              {1, 15, "expected ',' or FROM after the select item, found 't'",
               "did you mean FROM instead of 'FORM'? ('FORM' was read as a name)"});
  expectError("SELECT * FROM t WHER a > 1",
              {1, 22, "expected ';' or end of input after the statement, found 'a'",
               "did you mean WHERE instead of 'WHER'? ('WHER' was read as a name)"});
  expectError("SELECT * FROM t WHERE a > 1 LIMT 5",
              {1, 29, "expected ';' or end of input after the statement, found 'LIMT'",
               "did you mean LIMIT?"});
  expectError("SELEC * FROM t",
              {1, 1,
               "expected a statement (SELECT, INSERT, CREATE, DROP, SHOW, DESCRIBE, SET, RESET, "
               "EXPLAIN, EXECUTE STATEMENT SET, ...), found 'SELEC'",
               "did you mean SELECT?"});
  expectError("CREATE TABEL t (a INT)",
              {1, 8, "expected TABLE, VIEW or FUNCTION after CREATE, found 'TABEL'",
               "did you mean TABLE?"});
  expectError("SELECT CAST(a AS INTEGR) FROM t",
              {1, 18, "unknown data type 'INTEGR'", "did you mean INTEGER?"});
  expectError(
      "SELECT EXTRACT(HOURS2 FROM ts) FROM t",
      {1, 16, "expected a time unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, ...), found 'HOURS2'",
       "did you mean HOUR?"});
  expectError("SELECT a FROM t WHERE a && b",
              {1, 25, "'&&' is not an operator in SQL", "use AND to combine conditions"});
  expectError("SELECT from FROM t",
              {1, 8, "expected an expression after 'SELECT', found 'from'",
               "FROM is a reserved word; to use it as a name, quote it: `from`"});
  expectError("SELECT a FROM t INSERT INTO x SELECT 1",
              {1, 24, "expected ';' or end of input after the statement, found 'INTO'",
               "is a ';' missing before INSERT?"});
  expectError("SELECT 1 SELECT 2",
              {1, 10, "expected ';' or end of input after the statement, found 'SELECT'",
               "is a ';' missing before SELECT?"});
}

TEST(ParserError, QuotesAndComments) {
  expectError("SELECT \"name\" FROM t",
              {1, 8, "double quotes are not allowed in Flink SQL",
               "use single quotes for strings ('text'); double quotes are not identifiers in "
               "Flink SQL either: quote names with backquotes (`name`)"});
  // Unterminated strings, identifiers and comments point at where they start.
  expectError("SELECT 1,\n  'unterminated FROM t",
              {2, 3, "unterminated string: this quote has no closing quote",
               "a quote inside a string is written twice: 'it''s'"});
  expectError(
      "SELECT `col FROM t",
      {1, 8, "unterminated quoted identifier: this backquote has no closing backquote", ""});
  expectError("SELECT 1 /* never\nclosed", {1, 10,
                                            "unterminated comment: this '/*' has no "
                                            "closing '*/'",
                                            ""});
  expectError("SELECT ``", {1, 8, "empty quoted identifier ``", ""});
  expectError("SELECT 1e", {1, 9, "the exponent of this number has no digits",
                            "write an exponent like 1e3 or 2.5E-4"});
  expectError("SELECT a # b", {1, 10, "unexpected character '#'", ""});
  expectError("SELECT a | b", {1, 10, "unexpected character '|'",
                               "'||' concatenates strings; use OR for a logical or"});
}

TEST(ParserError, DdlAndClientMistakes) {
  expectError("CREATE TABLE t (a INT PRIMARY KEY) WITH ('k' = 'v')",
              {1, 34, "expected NOT ENFORCED after the primary key, found ')'",
               "Flink does not check primary keys, so they are declared NOT ENFORCED"});
  expectError("CREATE TABLE t (a INT, PRIMARY KEY (a) ENFORCED)",
              {1, 40, "Flink does not enforce primary keys: only NOT ENFORCED is supported",
               "write PRIMARY KEY (...) NOT ENFORCED"});
  expectError("CREATE TABLE t (a INT) WITH (connector = 'x')",
              {1, 30, "expected a quoted option key, found 'connector'",
               "table options are quoted strings on both sides: 'connector' = 'datagen'"});
  expectError("CREATE TABLE t (a INT) WITH ('n' = 5)",
              {1, 36, "expected a quoted value for option 'n', found number 5",
               "option values are strings, numbers too: 'n' = '5'"});
  expectError("CREATE TABLE t (a INT b INT)",
              {1, 23, "expected ',' or ')' after the definition of a column, found 'b'",
               "is a ',' missing between the column definitions?"});
  expectError(
      "CREATE TABLE t (a INT,)",
      {1, 22, "expected a column definition after ',', found ')'", "remove the trailing ','"});
  expectError("CREATE TABLE t (a TIMESTAMP WITH TIME ZONE)",
              {1, 29, "TIMESTAMP WITH TIME ZONE is not supported by Flink",
               "use TIMESTAMP_LTZ (TIMESTAMP WITH LOCAL TIME ZONE) for instants"});
  expectError("CREATE TABLE t (ts TIMESTAMP(3), WATERMARK FOR ts AS ts, WATERMARK FOR ts AS ts)",
              {1, 58, "a table has at most one WATERMARK definition", ""});
  expectError("SET execution.runtime-mode = batch",
              {1, 5, "expected a quoted key after SET, found 'execution'",
               "keys and values are quoted strings: SET 'execution.runtime-mode' = 'batch'"});
  expectError("SET 'a' = b", {1, 11, "expected a quoted value for 'a', found 'b'",
                              "values are quoted strings, numbers too: SET 'a' = '...'"});
  expectError("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1 END",
              {1, 52, "expected ';' after the INSERT in the statement set, found 'END'",
               "every INSERT inside BEGIN ... END ends with ';'"});
  expectError("EXECUTE STATEMENT SET BEGIN END", {1, 29,
                                                  "a statement set needs at least one "
                                                  "INSERT",
                                                  ""});
  expectError("DROP TABLES t", {1, 6,
                                "expected TABLE, VIEW or FUNCTION after DROP, found "
                                "'TABLES'",
                                "did you mean TABLE?"});
  expectError("SHOW TABLE",
              {1, 6,
               "expected TABLES, VIEWS, FUNCTIONS, CATALOGS, DATABASES, CURRENT, JOBS or "
               "CREATE after SHOW, found 'TABLE'",
               "did you mean TABLES?"});
  expectError(
      "EXPLAIN SHOW TABLES",
      {1, 9, "expected a query, an INSERT or EXECUTE STATEMENT SET after EXPLAIN, found 'SHOW'",
       ""});
}

TEST(ParserError, QueryMistakes) {
  expectError("SELECT a FROM t LEFT b ON x", {1, 22, "expected JOIN, found 'b'", ""});
  expectError("SELECT * FROM t JOIN u",
              {1, 23, "expected ON or USING after the joined table, found end of input", ""});
  expectError(
      "SELECT CASE WHEN a THEN b FROM t",
      {1, 27, "expected WHEN, ELSE or END in CASE, found 'FROM'", "every CASE ends with END"});
  expectError("SELECT a FROM t WHERE a BETWEEN 1 OR 2",
              {1, 35, "expected AND between the bounds of BETWEEN, found 'OR'", ""});
  expectError("SELECT INTERVAL 5 SECOND", {1, 17, "the value of an INTERVAL is a quoted string",
                                           "write INTERVAL '5' SECOND (or another unit)"});
  expectError("SELECT INTERVAL '5' SECONDZ",
              {1, 21,
               "expected an interval unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND), "
               "found 'SECONDZ'",
               "did you mean SECOND?"});
  expectError("SELECT INTERVAL '1' SECOND TO MINUTE",
              {1, 31,
               "in INTERVAL ... SECOND TO MINUTE, the second unit must be smaller than the "
               "first",
               ""});
  expectError("SELECT a FROM t GROUP a", {1, 23, "expected BY after GROUP, found 'a'", ""});
  expectError("SELECT COUNT(a b) FROM t",
              {1, 16, "expected ',' or ')' in the arguments of COUNT, found 'b'", ""});
  expectError("SELECT * FROM t WHERE a IS NOTHING",
              {1, 28,
               "expected NULL, NOT, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS, found "
               "'NOTHING'",
               ""});
  expectError("SELECT x FROM t WHERE a.* = 1",
              {1, 25, "'a.*' is only allowed in the select list", ""});
  expectError("SELECT * FROM t WHERE a = NOT b",
              {1, 27, "NOT is not allowed here without parentheses",
               "write the negated condition in parentheses: (NOT ...)"});
  expectError("SELECT a FROM t WHERE", {1, 22,
                                        "expected an expression after 'WHERE', found end "
                                        "of input",
                                        ""});
  expectError("SELECT (a, b) FROM t", {1, 10, "a parenthesized list (a, b) is not a value here",
                                       "use ROW(a, b) for a row value"});
  expectError("SELECT a FROM t LIMIT 1 FETCH FIRST 2 ROWS ONLY",
              {1, 25, "a query has either LIMIT or FETCH, not both", ""});
  expectError("SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts) INTERVAL '1' MINUTE))",
              {1, 52, "expected ',' or ')' in the arguments of TUMBLE, found 'INTERVAL'", ""});
  expectError("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r",
              {1, 6, "WITH RECURSIVE is not supported", ""});
}

TEST(ParserError, EmptyInputAndStatementEnd) {
  auto empty = parseStatement("   ");
  ASSERT_FALSE(empty.isOk());
  EXPECT_EQ(empty.error().message, "expected a statement, found end of input");
  EXPECT_EQ(empty.error().column, 4);
  EXPECT_EQ(empty.error().render("   "),
            "SQL error at line 1, column 4: expected a statement, found end of input\n"
            "     \n"
            "     ^");
}

TEST(ParserError, RenderCaret) {
  EXPECT_EQ(renderCaret("SELECT a FROM t", 1, 8, 1), "  SELECT a FROM t\n         ^");
  EXPECT_EQ(renderCaret("SELECT prise FROM t", 1, 8, 5), "  SELECT prise FROM t\n         ^~~~~");
  // Second line; CRLF line ends; a tab shown as a space so the caret stays aligned.
  EXPECT_EQ(renderCaret("a\r\n\tb c", 2, 4, 1), "   b c\n     ^");
  // Characters, not bytes.
  EXPECT_EQ(renderCaret("SELECT 'ä' || x", 1, 15, 1), "  SELECT 'ä' || x\n                ^");
  // A caret longer than the line is clipped; a column past the end points after it.
  EXPECT_EQ(renderCaret("ab", 1, 2, 10), "  ab\n   ^");
  EXPECT_EQ(renderCaret("ab", 1, 3, 1), "  ab\n    ^");
  EXPECT_EQ(renderCaret("ab", 5, 1, 1), "  \n  ^");
  // Long lines are cut to a window around the caret.
  std::string longLine = std::string(300, 'x') + "HERE" + std::string(300, 'y');
  std::string rendered = renderCaret(longLine, 1, 301, 4);
  std::string firstLine = rendered.substr(0, rendered.find('\n'));
  EXPECT_LT(firstLine.size(), 120u);
  EXPECT_NE(firstLine.find("HERE"), std::string::npos);
  EXPECT_EQ(rendered.find('^') - rendered.find('\n') - 1, firstLine.find("HERE"));
}

TEST(ParserError, ClosestMatchAndEditDistance) {
  const std::vector<std::string> columns = {"auction", "bidder", "price", "dateTime", "extra"};
  EXPECT_EQ(closestMatch("prise", columns), "price");
  EXPECT_EQ(closestMatch("PRICE", columns), "price");
  EXPECT_EQ(closestMatch("datetime", columns), "dateTime");
  EXPECT_EQ(closestMatch("auctoin", columns), "auction");
  EXPECT_EQ(closestMatch("bider", columns), "bidder");
  EXPECT_EQ(closestMatch("zzzzz", columns), std::nullopt);
  EXPECT_EQ(closestMatch("ab", {"ax"}), std::nullopt);  // too short to guess
  EXPECT_EQ(closestMatch("ab", {"AB"}), "AB");
  EXPECT_EQ(closestMatch("x", {}), std::nullopt);
  EXPECT_EQ(editDistance("FORM", "FROM"), 1);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3);
  EXPECT_EQ(editDistance("", "abc"), 3);
  EXPECT_EQ(editDistance("Select", "SELECT"), 0);
}

TEST(ParserLexer, TokensCarryPositions) {
  auto tokens = tokenize("SELECT a.`b c`,\n  'x''y' <> 1.5e3 -- note\n/* c */ || :: => [ ]");
  ASSERT_TRUE(tokens.isOk());
  const auto& t = tokens.value();
  std::vector<TokenKind> kinds;
  for (const Token& token : t) kinds.push_back(token.kind);
  EXPECT_EQ(kinds,
            (std::vector<TokenKind>{
                TokenKind::kWord, TokenKind::kWord, TokenKind::kDot, TokenKind::kQuotedIdentifier,
                TokenKind::kComma, TokenKind::kString, TokenKind::kNotEquals, TokenKind::kNumber,
                TokenKind::kConcat, TokenKind::kDoubleColon, TokenKind::kArrow,
                TokenKind::kLeftBracket, TokenKind::kRightBracket, TokenKind::kEnd}));
  EXPECT_EQ(t[0].upper, "SELECT");
  EXPECT_EQ(t[3].text, "b c");
  EXPECT_EQ(t[3].span.column, 10);
  EXPECT_EQ(t[3].span.length, 5);
  EXPECT_EQ(t[5].text, "x'y");
  EXPECT_EQ(t[5].span.line, 2);
  EXPECT_EQ(t[5].span.column, 3);
  EXPECT_EQ(t[5].span.length, 6);
  EXPECT_EQ(t[7].text, "1.5e3");
  EXPECT_EQ(t[8].span.line, 3);
  EXPECT_EQ(t[8].span.column, 9);
}

}  // namespace
}  // namespace glint::sql
