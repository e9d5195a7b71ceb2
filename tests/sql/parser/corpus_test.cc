// The seed corpus of the fuzz target (fuzz/corpus): the Nexmark queries q0-q22 and statements
// covering the whole grammar parse, print and parse back to equal trees; the file of typical
// mistakes fails statement by statement with positioned errors.
#include <filesystem>

#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

using testing::corpusDirectory;
using testing::readFile;

std::vector<std::string> corpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(corpusDirectory())) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ParserCorpus, EveryValidSeedParsesAndRoundTrips) {
  int files = 0;
  int statements = 0;
  for (const std::string& path : corpusFiles()) {
    if (path.find("mistakes") != std::string::npos) continue;
    SCOPED_TRACE(path);
    std::string sql = readFile(path);
    auto parsed = parseStatements(sql);
    ASSERT_TRUE(parsed.isOk()) << parsed.error().render(sql);
    ASSERT_FALSE(parsed.value().empty());
    for (const StatementPtr& statement : parsed.value()) {
      std::string printed = toString(*statement);
      auto again = parseStatement(printed);
      ASSERT_TRUE(again.isOk()) << printed << "\n" << again.error().render(printed);
      EXPECT_TRUE(equals(*statement, *again.value())) << printed;
      EXPECT_EQ(printed, toString(*again.value()));
      ++statements;
    }
    ++files;
  }
  EXPECT_GE(files, 30);
  EXPECT_GE(statements, 100);
}

}  // namespace
}  // namespace glint::sql

namespace glint::sql {
namespace {

// The Nexmark suite in SQL: the source DDL and q0-q22 each parse to the expected statements.
TEST(ParserNexmark, AllQueriesParse) {
  std::string ddl = testing::readFile(testing::corpusDirectory() + "/nexmark_ddl.sql");
  auto parsedDdl = parseStatements(ddl);
  ASSERT_TRUE(parsedDdl.isOk()) << parsedDdl.error().render(ddl);
  ASSERT_EQ(parsedDdl.value().size(), 4u);
  const auto& source = parsedDdl.value()[0]->as<CreateTableStatement>();
  EXPECT_EQ(source.columns.size(), 5u);
  EXPECT_EQ(source.columns[1].type->name, TypeName::kRow);
  EXPECT_EQ(source.columns[4].columnKind, ColumnKind::kComputed);
  ASSERT_TRUE(source.watermark.has_value());
  for (int q = 0; q <= 22; ++q) {
    std::string path = testing::corpusDirectory() + "/nexmark_q" + std::to_string(q) + ".sql";
    SCOPED_TRACE(path);
    ASSERT_TRUE(std::filesystem::exists(path));
    std::string sql = testing::readFile(path);
    auto parsed = parseStatements(sql);
    ASSERT_TRUE(parsed.isOk()) << parsed.error().render(sql);
    // Each file creates its sink and ends with the INSERT of the query.
    ASSERT_GE(parsed.value().size(), 2u);
    EXPECT_EQ(parsed.value().back()->kind, StatementKind::kInsert);
    EXPECT_EQ(parsed.value().back()->as<InsertStatement>().target.toString(),
              "nexmark_q" + std::to_string(q));
  }
}

TEST(ParserNexmark, WindowAndJoinShapes) {
  auto insertOf = [](const std::string& file) {
    std::string sql = testing::readFile(testing::corpusDirectory() + "/" + file);
    auto parsed = parseStatements(sql);
    EXPECT_TRUE(parsed.isOk());
    return toString(*parsed.value().back());
  };
  EXPECT_NE(insertOf("nexmark_q5.sql")
                .find("TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL "
                      "'10' SECOND))"),
            std::string::npos);
  EXPECT_NE(insertOf("nexmark_q7.sql")
                .find("WHERE B.dateTime BETWEEN (B1.dateTime - INTERVAL '10' SECOND) AND "
                      "B1.dateTime"),
            std::string::npos);
  EXPECT_NE(insertOf("nexmark_q13.sql").find("JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S"),
            std::string::npos);
  EXPECT_NE(insertOf("nexmark_q15.sql")
                .find("COUNT(DISTINCT bidder) FILTER (WHERE (price >= 10000) AND (price < "
                      "1000000)) AS rank2_bidders"),
            std::string::npos);
  EXPECT_NE(insertOf("nexmark_q19.sql")
                .find("ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS "
                      "rank_number"),
            std::string::npos);
  EXPECT_NE(insertOf("nexmark_q6.sql")
                .find("OVER (PARTITION BY Q.seller ORDER BY Q.dateTime ROWS BETWEEN 10 PRECEDING "
                      "AND CURRENT ROW)"),
            std::string::npos);
}

}  // namespace
}  // namespace glint::sql

namespace glint::sql {
namespace {

TEST(ParserCorpus, EveryMistakeIsRejectedWithAPositionOnItsLine) {
  std::string mistakes = testing::readFile(testing::corpusDirectory() + "/mistakes.sql");
  std::istringstream lines(mistakes);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    SCOPED_TRACE(line);
    auto parsed = parseStatements(line);
    ASSERT_FALSE(parsed.isOk());
    EXPECT_EQ(parsed.error().line, 1);
    EXPECT_GE(parsed.error().column, 1);
    EXPECT_LE(parsed.error().column, static_cast<int>(line.size()) + 1);
    EXPECT_FALSE(parsed.error().message.empty());
    ++count;
  }
  EXPECT_GE(count, 10);
}

}  // namespace
}  // namespace glint::sql
