// Robustness in the normal test suite (the libFuzzer target in fuzz/ goes further): the seed
// corpus under deterministic random mutations and truncations keeps the parser invariants
// (fuzz/parser_invariants.h); nesting and chain limits give clear errors instead of exhausting
// the stack; inputs once found by fuzzing stay fixed.
#include <filesystem>
#include <random>

#include "fuzz/parser_invariants.h"
#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

using testing::corpusDirectory;
using testing::printStatement;
using testing::readFile;

void expectInvariants(std::string_view sql) {
  auto violation = fuzz::checkParserInvariants(sql);
  EXPECT_FALSE(violation.has_value()) << *violation << "\ninput:\n" << sql;
}

std::string repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(ParserRobustness, MutatedCorpusKeepsInvariants) {
  const std::vector<std::string> fragments = {"(",       ")",
                                              ",",       ";",
                                              "'",       "`",
                                              "--",      "/*",
                                              "*/",      " SELECT ",
                                              " FROM ",  " WHERE ",
                                              " JOIN ",  " ON ",
                                              " AS ",    " CASE ",
                                              " END ",   " NOT ",
                                              " IN ",    " BETWEEN ",
                                              " AND ",   " INTERVAL '1' ",
                                              " TABLE ", " OVER (",
                                              " WITH ",  " UNION ",
                                              "\xff",    "\n",
                                              "\0",      "=="};
  std::mt19937 random(20240531);  // fixed seed: the same mutations on every run
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpusDirectory())) {
    std::string original = readFile(entry.path().string());
    SCOPED_TRACE(entry.path().string());
    // Every prefix at a stride, so that truncation hits every construct.
    size_t stride = std::max<size_t>(1, original.size() / 60);
    for (size_t cut = 0; cut <= original.size(); cut += stride) {
      expectInvariants(std::string_view(original).substr(0, cut));
      ++checked;
    }
    for (int round = 0; round < 150; ++round) {
      std::string text = original;
      int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        size_t at = random() % (text.size() + 1);
        switch (random() % 5) {
          case 0:  // flip a byte
            if (at < text.size()) text[at] = static_cast<char>(random() % 256);
            break;
          case 1:  // delete a range
            text.erase(std::min(at, text.size()), 1 + random() % 20);
            break;
          case 2:  // insert a fragment of SQL
            text.insert(at, fragments[random() % fragments.size()]);
            break;
          case 3: {  // duplicate a range
            size_t length =
                std::min<size_t>(1 + random() % 40, text.size() - std::min(at, text.size()));
            text.insert(at, text.substr(std::min(at, text.size()), length));
            break;
          }
          default:  // swap two bytes
            if (at < text.size()) std::swap(text[at], text[random() % text.size()]);
        }
      }
      expectInvariants(text);
      ++checked;
    }
  }
  EXPECT_GT(checked, 5000);
}

TEST(ParserRobustness, DeepParenthesesAreRejectedWithAPosition) {
  std::string ok = "SELECT " + repeat("(", 150) + "1" + repeat(")", 150);
  EXPECT_TRUE(parseStatement(ok).isOk());
  expectInvariants(ok);
  std::string deep = "SELECT " + repeat("(", 5000) + "1" + repeat(")", 5000);
  auto parsed = parseStatement(deep);
  ASSERT_FALSE(parsed.isOk());
  EXPECT_NE(parsed.error().message.find("nested too deeply"), std::string::npos)
      << parsed.error().message;
  EXPECT_EQ(parsed.error().line, 1);
  EXPECT_GT(parsed.error().column, 150);
  EXPECT_LT(parsed.error().column, 220);
  expectInvariants(deep);
}

TEST(ParserRobustness, OtherDeepNestingIsRejected) {
  const std::vector<std::string> inputs = {
      "SELECT " + repeat("-", 10000) + "1",
      "SELECT " + repeat("NOT ", 10000) + "a",
      repeat("SELECT * FROM (", 1000) + "SELECT 1" + repeat(")", 1000),
      "SELECT " + repeat("f(", 1000) + "1" + repeat(")", 1000),
      "SELECT " + repeat("CASE WHEN ", 1000) + "a",
      "SELECT CAST(a AS " + repeat("ARRAY<", 1000) + "INT" + repeat(">", 1000) + ")",
      "SELECT * FROM " + repeat("(", 1000) + "t" + repeat(")", 1000),
      "SELECT a" + repeat("[1]", 5000),
      repeat("EXPLAIN ", 1000) + "SELECT 1",
      "SELECT * FROM t WHERE a IN " + repeat("(SELECT a FROM t WHERE a IN ", 1000),
  };
  for (const std::string& sql : inputs) {
    SCOPED_TRACE(sql.substr(0, 40));
    auto parsed = parseStatements(sql);
    ASSERT_FALSE(parsed.isOk());
    expectInvariants(sql);
  }
}

TEST(ParserRobustness, LongChainsParseUpToTheLimit) {
  // 1000 operators in a row are fine, and the tree can be printed, compared and destroyed.
  std::string sum = "SELECT a" + repeat(" + a", 1000) + " FROM t";
  expectInvariants(sum);
  EXPECT_TRUE(parseStatement(sum).isOk());
  std::string ors = "SELECT * FROM t WHERE a = 0" + repeat(" OR a = 1", 1500);
  EXPECT_TRUE(parseStatement(ors).isOk());
  std::string unions = repeat("SELECT 1 UNION ALL ", 1000) + "SELECT 2";
  EXPECT_TRUE(parseStatement(unions).isOk());
  std::string joins = "SELECT * FROM t0" + repeat(" JOIN t ON TRUE", 1000);
  EXPECT_TRUE(parseStatement(joins).isOk());
  // Beyond the limit: an error, not a stack overflow in a later recursive pass.
  std::string tooLong = "SELECT a" + repeat(" + a", 100000) + " FROM t";
  auto parsed = parseStatement(tooLong);
  ASSERT_FALSE(parsed.isOk());
  EXPECT_NE(parsed.error().message.find("too complex"), std::string::npos);
  // Chains nested in parentheses add up: 100 levels of 100-term sums is 10000 levels deep.
  std::string nested = "a";
  for (int i = 0; i < 100; ++i) nested = "(" + nested + repeat(" + a", 100) + ")";
  auto nestedParsed = parseStatement("SELECT " + nested);
  ASSERT_FALSE(nestedParsed.isOk());
  EXPECT_NE(nestedParsed.error().message.find("too complex"), std::string::npos);
  // Many long but separate chains are fine: the limit is on depth, not size.
  std::string wide = "SELECT " + repeat("a" + repeat(" + a", 500) + ", ", 50) + "1";
  EXPECT_TRUE(parseStatement(wide).isOk());
}

TEST(ParserRobustness, HugeAndOddInputs) {
  expectInvariants("");
  expectInvariants(std::string(100000, ' '));
  expectInvariants(std::string(100000, '('));
  expectInvariants(std::string(1000, '\0'));
  expectInvariants("SELECT '" + std::string(100000, 'x'));
  expectInvariants(repeat("SELECT 1;", 10000));
  expectInvariants("SELECT 1 /* " + std::string(1000, '*'));
  expectInvariants("\xef\xbb\xbfSELECT 1");
  expectInvariants("SELECT 99999999999999999999999999999999999999999999");
  expectInvariants("CREATE TABLE t (a DECIMAL(99999999999999999999, 1))");
}

TEST(ParserRobustness, RegressionsFoundByFuzzing) {
  // `WITH` was a usable column name, but "(WITH" also starts a subquery: it is reserved now.
  const char crash1[] =
      "WITH= ('cor\xff\xff\xff\xff\xff|\xff\xff\xff\xff' = '\xff\xff(\xff\xff' = 'x]')\f";
  expectInvariants(std::string_view(crash1, sizeof(crash1) - 1));
  auto parsed = parseExpression("(WITH = 1)");
  EXPECT_FALSE(parsed.isOk());
  // Names that are also syntax print quoted.
  EXPECT_EQ(printStatement("SELECT `with`, `TRY_CAST`(a), `EXTRACT`(b), `trim`(c) FROM t"),
            "SELECT `with`, `TRY_CAST`(a), `EXTRACT`(b), `trim`(c) FROM t");
  EXPECT_EQ(printStatement("SELECT FLOOR((INTERVAL '1' DAY) TO HOUR)"),
            "SELECT FLOOR((INTERVAL '1' DAY) TO HOUR)");
  EXPECT_EQ(printStatement("SELECT 1 FROM t GROUP BY (rollup(a)), (CUBE(b))"),
            "SELECT 1 FROM t GROUP BY (rollup(a)), (CUBE(b))");
  EXPECT_EQ(printStatement("SELECT SUM(x) OVER (ORDER BY y ROWS `current` PRECEDING) FROM t"),
            "SELECT SUM(x) OVER (ORDER BY y ROWS `current` PRECEDING) FROM t");
  EXPECT_EQ(printStatement("SELECT CAST(a AS ROW<>)"), "SELECT CAST(a AS ROW<>)");
}

}  // namespace
}  // namespace glint::sql
