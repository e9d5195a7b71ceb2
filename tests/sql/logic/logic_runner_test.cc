// Tests of the SQL logic test runner itself: the .test format parser, result comparison, and
// that a run against a real session reports wrong rows, missing errors and positions.
#include "tests/sql/logic/logic_runner.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace glint::sql::logic {
namespace {

LogicFile parseOk(std::string_view text) {
  auto parsed = parseLogicFile(text, "x.test");
  EXPECT_TRUE(parsed.isOk()) << parsed.status().message();
  return parsed.isOk() ? parsed.value() : LogicFile{};
}

std::string parseError(std::string_view text) {
  auto parsed = parseLogicFile(text, "x.test");
  EXPECT_FALSE(parsed.isOk());
  return parsed.isOk() ? "" : parsed.status().message();
}

TEST(LogicRunnerParse, RecordsOfEveryKind) {
  LogicFile file = parseOk(
      "# a comment\n"
      "mode both\n"
      "\n"
      "file ${TMP}/t.csv\n"
      "1,a\n"
      "2,b\n"
      "\n"
      "statement ok\n"
      "CREATE TABLE t (a INT)\n"
      "  WITH ('connector' = 'filesystem')\n"
      "\n"
      "statement error 1:8 unknown column\n"
      "SELECT b FROM t\n"
      "\n"
      "statement error\n"
      "SELEC 1\n"
      "----\n"
      "expected a statement\n"
      "\n"
      "query IT rowsort\n"
      "SELECT a, s\n"
      "FROM t\n"
      "----\n"
      "1\ta b\n"
      "2 c\n"
      "\n"
      "# COUNT(DISTINCT) is not planned yet\n"
      "skipif glint\n"
      "query I\n"
      "SELECT COUNT(DISTINCT a) FROM t\n"
      "----\n"
      "2\n");
  ASSERT_EQ(file.records.size(), 7u);
  EXPECT_EQ(file.records[0].kind, LogicRecord::Kind::kMode);
  EXPECT_EQ(file.records[0].modes.size(), 2u);
  EXPECT_EQ(file.records[1].kind, LogicRecord::Kind::kFile);
  EXPECT_EQ(file.records[1].path, "${TMP}/t.csv");
  EXPECT_EQ(file.records[1].sql, "1,a\n2,b\n");
  EXPECT_EQ(file.records[2].kind, LogicRecord::Kind::kStatementOk);
  EXPECT_EQ(file.records[2].line, 8);
  EXPECT_EQ(file.records[2].sql, "CREATE TABLE t (a INT)\n  WITH ('connector' = 'filesystem')");
  EXPECT_EQ(file.records[3].kind, LogicRecord::Kind::kStatementError);
  EXPECT_EQ(file.records[3].errorPosition, std::make_pair(1, 8));
  EXPECT_EQ(file.records[3].errorSubstring, "unknown column");
  EXPECT_EQ(file.records[4].errorSubstring, "expected a statement");
  EXPECT_FALSE(file.records[4].errorPosition.has_value());
  EXPECT_EQ(file.records[5].kind, LogicRecord::Kind::kQuery);
  EXPECT_EQ(file.records[5].types, "IT");
  EXPECT_EQ(file.records[5].sort, SortMode::kRowSort);
  EXPECT_EQ(file.records[5].sql, "SELECT a, s\nFROM t");
  EXPECT_EQ(file.records[5].expected, (std::vector<std::string>{"1\ta b", "2 c"}));
  EXPECT_FALSE(file.records[5].skipAll);
  EXPECT_TRUE(file.records[6].skipAll);
  EXPECT_EQ(file.records[6].skipReason, "COUNT(DISTINCT) is not planned yet");
}

TEST(LogicRunnerParse, MistakesNameTheLine) {
  EXPECT_EQ(parseError("statement ok\nSELECT 1\n\nquery\nSELECT 1\n"),
            "x.test:4: expected `query <types> [nosort|rowsort|valuesort]`");
  EXPECT_EQ(parseError("query I\nSELECT 1\n\n"),
            "x.test:1: expected a ---- line after the query, then its rows");
  EXPECT_EQ(parseError("query IX\nSELECT 1\n----\n1\n"),
            "x.test:1: query column types are letters of I R T B D, found `IX`");
  EXPECT_EQ(parseError("skipif glint\nquery I\nSELECT 1\n----\n1\n"),
            "x.test:1: a skipif needs a comment line above it saying what is missing in Glint");
  EXPECT_EQ(parseError("selct 1\n"),
            "x.test:1: expected a record (statement, query, mode, file, skipif), found `selct 1`");
  EXPECT_EQ(parseError("mode fast\n"), "x.test:1: mode is streaming, batch or both, found `fast`");
  EXPECT_EQ(parseError("statement ok\n\n"),
            "x.test:1: expected the statement's SQL on the next line");
}

ResultTable table(std::vector<std::string> names,
                  std::vector<std::vector<std::optional<std::string>>> rows) {
  ResultTable t;
  t.columnNames = std::move(names);
  t.rows = std::move(rows);
  return t;
}

LogicRecord query(std::string types, SortMode sort, std::vector<std::string> expected) {
  LogicRecord r;
  r.kind = LogicRecord::Kind::kQuery;
  r.types = std::move(types);
  r.sort = sort;
  r.expected = std::move(expected);
  return r;
}

TEST(LogicRunnerCompare, SortModesNullsEmptyStringsAndDoubles) {
  const ResultTable t =
      table({"a", "b", "c"}, {{"2", std::nullopt, "0.30000000000000004"}, {"1", "", "1.0"}});
  EXPECT_EQ(
      compareQueryResult(query("ITR", SortMode::kRowSort, {"1 (empty) 1.0", "2 NULL 0.3"}), t), "");
  // nosort keeps the order.
  EXPECT_NE(compareQueryResult(query("ITR", SortMode::kNoSort, {"1 (empty) 1.0", "2 NULL 0.3"}), t),
            "");
  EXPECT_EQ(compareQueryResult(query("ITR", SortMode::kNoSort, {"2 NULL 0.3", "1 (empty) 1.0"}), t),
            "");
  // T columns compare exactly.
  EXPECT_NE(
      compareQueryResult(query("ITT", SortMode::kRowSort, {"1 (empty) 1.0", "2 NULL 0.3"}), t), "");
  // valuesort: all values as one sorted list.
  EXPECT_EQ(compareQueryResult(query("ITR", SortMode::kValueSort,
                                     {"0.30000000000000004", "1", "1.0", "2", "NULL", "(empty)"}),
                               t),
            "");
  // Values with spaces need tabs.
  const ResultTable spaced = table({"s", "n"}, {{"a b", "1"}});
  EXPECT_EQ(compareQueryResult(query("TI", SortMode::kNoSort, {"a b\t1"}), spaced), "");
  EXPECT_EQ(compareQueryResult(query("TI", SortMode::kNoSort, {"a b | 1"}), spaced), "");
  EXPECT_NE(compareQueryResult(query("TI", SortMode::kNoSort, {"a b 1"}), spaced)
                .find("separate values containing spaces by \" | \" or tabs"),
            std::string::npos);
}

TEST(LogicRunnerParse, RuntimeErrorsAndChangelogs) {
  LogicFile file = parseOk(
      "statement runtime-error division by zero\n"
      "SELECT 1 / 0\n"
      "\n"
      "query TI changelog\n"
      "SELECT a, COUNT(*) FROM t GROUP BY a\n"
      "----\n"
      "+I[x, 1]\n"
      "-U[x, 1]\n"
      "+U[x, 2]\n");
  ASSERT_EQ(file.records.size(), 2u);
  EXPECT_EQ(file.records[0].kind, LogicRecord::Kind::kRuntimeError);
  EXPECT_EQ(file.records[0].errorSubstring, "division by zero");
  EXPECT_EQ(file.records[1].sort, SortMode::kChangelog);
  ResultTable t = table({"a", "n"}, {{"x", "2"}});
  t.changelog = {"+I[x, 1]", "-U[x, 1]", "+U[x, 2]"};
  EXPECT_EQ(compareQueryResult(file.records[1], t), "");
  t.changelog = {"+I[x, 2]"};
  EXPECT_EQ(compareQueryResult(file.records[1], t),
            "wrong changelog (1 changes, expected 3)\n  expected:\n    +I[x, 1]\n    -U[x, 1]\n"
            "    +U[x, 2]\n  actual:\n    +I[x, 2]\n");
}

TEST(LogicRunnerCompare, ReportsCountsAndBothSides) {
  const ResultTable t = table({"a"}, {{"1"}, {"3"}});
  const std::string difference =
      compareQueryResult(query("I", SortMode::kRowSort, {"1", "2", "3"}), t);
  EXPECT_EQ(difference,
            "wrong result (2 rows, expected 3)\n"
            "  expected:\n    1\n    2\n    3\n"
            "  actual:\n    1\n    3\n");
  EXPECT_EQ(compareQueryResult(query("II", SortMode::kRowSort, {}), t),
            "the record declares 2 column(s) (II) but the query returned 1: a");
}

// The runner against the real engine: a correct file passes, and each kind of mistake in a
// .test file becomes a failure naming its line.
TEST(LogicRunnerRun, ReportsFailuresWithFileAndLine) {
  namespace fs = std::filesystem;
  const fs::path tmp =
      fs::temp_directory_path() / ("glint_logic_runner_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  LogicFile file = parseOk(
      "mode both\n"
      "\n"
      "file ${TMP}/t.csv\n"
      "1,x\n"
      "2,y\n"
      "\n"
      "statement ok\n"
      "CREATE TABLE t (a INT, s STRING) WITH ('connector' = 'filesystem',\n"
      "  'path' = '${TMP}/t.csv', 'format' = 'csv', 'csv.header' = 'false')\n"
      "\n"
      "query IT rowsort\n"
      "SELECT a, s FROM t\n"
      "----\n"
      "1 x\n"
      "2 y\n"
      "\n"
      "query I rowsort\n"  // line 17: wrong rows
      "SELECT a + 1 FROM t\n"
      "----\n"
      "2\n"
      "4\n"
      "\n"
      "statement error\n"  // line 23: succeeds
      "SELECT a FROM t\n"
      "\n"
      "statement error no such text\n"  // line 26: the message lacks the substring
      "SELECT nope FROM t\n"
      "\n"
      "statement error 3:1\n"  // line 29: the message names another position
      "SELECT nope FROM t\n");
  LogicRunOptions options;
  options.tmpDir = tmp.string();
  LogicRunReport report = runLogicFile(file, options);
  fs::remove_all(tmp);
  const std::vector<std::string> expectedStarts = {
      "x.test:17: query wrong result (2 rows, expected 2) [streaming mode]",
      "x.test:17: query wrong result (2 rows, expected 2) [batch mode]",
      "x.test:23: statement succeeded but an error was expected [streaming mode]",
      "x.test:23: statement succeeded but an error was expected [batch mode]",
      "x.test:26: the error does not contain `no such text` [streaming mode]",
      "x.test:26: the error does not contain `no such text` [batch mode]",
      "x.test:29: the error does not name line 3, column 1 [streaming mode]",
      "x.test:29: the error does not name line 3, column 1 [batch mode]",
  };
  ASSERT_EQ(report.failures.size(), expectedStarts.size())
      << ::testing::PrintToString(report.failures);
  for (size_t i = 0; i < expectedStarts.size(); ++i)
    EXPECT_EQ(report.failures[i].rfind(expectedStarts[i], 0), 0u) << report.failures[i];
  // The wrong-rows failure shows the SQL and both sides.
  EXPECT_NE(report.failures[0].find("SELECT a + 1 FROM t"), std::string::npos);
  EXPECT_NE(report.failures[0].find("  expected:\n    2\n    4\n  actual:\n    2\n    3\n"),
            std::string::npos)
      << report.failures[0];
  EXPECT_EQ(report.recordsRun, 1 + 2 * 5);  // statement ok once, five records twice
}

}  // namespace
}  // namespace glint::sql::logic
