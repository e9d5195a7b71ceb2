// Every node of the tree carries a source span that lies inside the input, is not empty, and
// whose line and column agree with its offset: checked by walking every statement of the seed
// corpus, so that the binder can put a caret under any node.
#include <filesystem>

#include "fuzz/parser_invariants.h"
#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

TEST(ParserSpans, EveryNodeOfTheCorpusHasAValidSpan) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::corpusDirectory())) {
    if (entry.path().string().find("mistakes") != std::string::npos) continue;
    std::string sql = testing::readFile(entry.path().string());
    SCOPED_TRACE(entry.path().string());
    auto parsed = parseStatements(sql);
    ASSERT_TRUE(parsed.isOk());
    fuzz::PositionIndex positions(sql);
    fuzz::SpanChecker checker(sql, positions);
    for (const StatementPtr& statement : parsed.value()) checker.statement(*statement);
    EXPECT_FALSE(checker.violation.has_value()) << *checker.violation;
    checked += checker.checked;
  }
  EXPECT_GT(checked, 3000);
}

}  // namespace
}  // namespace glint::sql
