// String functions: explicit expected values (Flink's documented examples where it gives
// them), NULL propagation, UTF-8 character counting, and a column of rows checked against a
// per-row std::string reference.
#include "tests/sql/expr/expr_test_support.h"

namespace glint::sql::testing {
namespace {

Value str(std::string_view name, std::vector<BoundExprPtr> args) {
  return evalConst(call(name, std::move(args)));
}
BoundExprPtr s(const std::string& v) {
  return lit(S(v));
}
BoundExprPtr i(int64_t v) {
  return lit(I32(static_cast<int32_t>(v)));
}
const BoundExprPtr kNullText = lit(N(ExprType::kVarchar));

TEST(StringFunctionsTest, ConcatenationAndCase) {
  EXPECT_EQ(str("||", {s("ab"), s("cd")}), S("abcd"));
  EXPECT_EQ(str("CONCAT", {s("AA"), s("BB"), s("CC")}), S("AABBCC"));
  EXPECT_TRUE(str("CONCAT", {s("AA"), kNullText}).isNull);
  EXPECT_EQ(str("CONCAT_WS", {s("~"), s("AA"), kNullText, s("BB"), s(""), s("CC")}),
            S("AA~BB~~CC"));
  EXPECT_TRUE(str("CONCAT_WS", {kNullText, s("AA")}).isNull);
  EXPECT_EQ(str("UPPER", {s("hello World \xc3\xa9")}), S("HELLO WORLD \xc3\xa9"));
  EXPECT_EQ(str("LOWER", {s("HeLLo")}), S("hello"));
  EXPECT_EQ(str("INITCAP", {s("hello wORLD-foo 3bar")}), S("Hello World-Foo 3bar"));
}

TEST(StringFunctionsTest, LengthsAndSubstringsCountCharacters) {
  EXPECT_EQ(str("CHAR_LENGTH", {s("h\xc3\xa9llo")}), I32(5));
  EXPECT_EQ(str("CHARACTER_LENGTH", {s("")}), I32(0));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(2)}), S("ello"));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(2), i(3)}), S("ell"));
  EXPECT_EQ(str("SUBSTR", {s("hello"), i(0), i(2)}), S("he"));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(-3)}), S("llo"));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(-3), i(2)}), S("ll"));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(9)}), S(""));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(-9)}), S(""));
  EXPECT_EQ(str("SUBSTRING", {s("hello"), i(2), i(100)}), S("ello"));
  EXPECT_TRUE(str("SUBSTRING", {s("hello"), i(2), i(-1)}).isNull);
  EXPECT_EQ(str("SUBSTRING", {s("h\xc3\xa9llo"), i(2), i(2)}), S("\xc3\xa9l"));
  EXPECT_EQ(str("LEFT", {s("h\xc3\xa9llo"), i(2)}), S("h\xc3\xa9"));
  EXPECT_EQ(str("RIGHT", {s("hello"), i(3)}), S("llo"));
  EXPECT_EQ(str("RIGHT", {s("hello"), i(-1)}), S(""));
  EXPECT_EQ(str("REVERSE", {s("h\xc3\xa9y")}), S("y\xc3\xa9h"));
  auto bad = makeCall("SUBSTRING", {lit(I(1))});
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(),
            "function SUBSTRING expects (VARCHAR, INT[, INT]), got (BIGINT)");
}

TEST(StringFunctionsTest, TrimPadReplaceSearch) {
  EXPECT_EQ(str("TRIM", {s("  a b  ")}), S("a b"));
  EXPECT_EQ(str("TRIM", {s("LEADING"), s("x"), s("xxaxx")}), S("axx"));
  EXPECT_EQ(str("TRIM", {s("TRAILING"), s("xy"), s("xxayx")}), S("xxa"));
  EXPECT_EQ(str("TRIM", {s("BOTH"), s("x"), s("xxaxx")}), S("a"));
  EXPECT_EQ(str("LTRIM", {s(" This is a test String.")}), S("This is a test String."));
  EXPECT_EQ(str("RTRIM", {s("This is a test String. ")}), S("This is a test String."));
  EXPECT_FALSE(makeCall("TRIM", {s("MIDDLE"), s("x"), s("y")}).isOk());
  EXPECT_EQ(str("LPAD", {s("hi"), i(4), s("??")}), S("??hi"));
  EXPECT_EQ(str("LPAD", {s("hi"), i(1), s("??")}), S("h"));
  EXPECT_EQ(str("RPAD", {s("hi"), i(4), s("??")}), S("hi??"));
  EXPECT_EQ(str("RPAD", {s("hi"), i(5), s("ab")}), S("hiaba"));
  EXPECT_TRUE(str("LPAD", {s("hi"), i(-1), s("?")}).isNull);
  EXPECT_EQ(str("REPLACE", {s("hello world"), s("world"), s("flink")}), S("hello flink"));
  EXPECT_EQ(str("REPLACE", {s("ababab"), s("abab"), s("z")}), S("zab"));
  EXPECT_EQ(str("REPLACE", {s("ab"), s(""), s("-")}), S("-a-b-"));
  EXPECT_EQ(str("POSITION", {s("b"), s("abc")}), I32(2));
  EXPECT_EQ(str("POSITION", {s("z"), s("abc")}), I32(0));
  EXPECT_EQ(str("POSITION", {s("c"), s("\xc3\xa9"
                                       "bc")}),
            I32(3));
  EXPECT_EQ(str("LOCATE", {s("a"), s("banana"), i(3)}), I32(4));
  EXPECT_EQ(str("LOCATE", {s("a"), s("banana")}), I32(2));
  EXPECT_EQ(str("INSTR", {s("banana"), s("nan")}), I32(3));
  EXPECT_EQ(str("REPEAT", {s("ab"), i(3)}), S("ababab"));
  EXPECT_EQ(str("REPEAT", {s("ab"), i(-1)}), S(""));
  EXPECT_EQ(str("ASCII", {s("abc")}), I32(97));
  EXPECT_EQ(str("CHR", {i(97)}), S("a"));
  EXPECT_EQ(str("MD5", {s("")}), S("d41d8cd98f00b204e9800998ecf8427e"));
  EXPECT_EQ(str("MD5", {s("The quick brown fox jumps over the lazy dog")}),
            S("9e107d9d372bb6826bd81d3542a419d6"));
}

TEST(StringFunctionsTest, SplitIndexAndRegularExpressions) {
  EXPECT_EQ(str("SPLIT_INDEX", {s("a,b,c"), s(","), i(1)}), S("b"));
  EXPECT_EQ(str("SPLIT_INDEX", {s("a,b,c"), s(","), i(2)}), S("c"));
  EXPECT_EQ(str("SPLIT_INDEX", {s("a::b"), s("::"), i(1)}), S("b"));
  EXPECT_TRUE(str("SPLIT_INDEX", {s("a,b,c"), s(","), i(3)}).isNull);
  EXPECT_TRUE(str("SPLIT_INDEX", {s("a,b,c"), s(","), i(-1)}).isNull);
  EXPECT_EQ(str("SPLIT_INDEX", {s("a,,c"), s(","), i(1)}), S(""));
  EXPECT_EQ(str("REGEXP_EXTRACT", {s("foothebar"), s("foo(.*?)(bar)"), i(2)}), S("bar"));
  EXPECT_EQ(str("REGEXP_EXTRACT", {s("foothebar"), s("foo(.*?)(bar)")}), S("the"));
  EXPECT_EQ(str("REGEXP_EXTRACT", {s("foothebar"), s("foo(.*?)(bar)"), i(0)}), S("foothebar"));
  EXPECT_TRUE(str("REGEXP_EXTRACT", {s("xyz"), s("foo(.*)")}).isNull);
  EXPECT_TRUE(str("REGEXP_EXTRACT", {s("foo"), s("(")}).isNull);  // invalid: NULL, as Flink
  EXPECT_EQ(str("REGEXP_REPLACE", {s("foobar"), s("oo|ar"), s("")}), S("fb"));
  EXPECT_EQ(str("REGEXP_REPLACE", {s("2020-01-31"), s("(\\d+)-(\\d+)-(\\d+)"), s("$3/$2/$1")}),
            S("31/01/2020"));
  EXPECT_EQ(str("REGEXP_REPLACE", {s("a.b"), s("\\."), s("\\$")}), S("a$b"));
  EXPECT_EQ(str("REGEXP", {s("abc123"), s("[0-9]+")}), B(true));
  EXPECT_EQ(str("REGEXP", {s("abc"), s("^b")}), B(false));
}

TEST(StringFunctionsTest, ColumnsMatchAPerRowReference) {
  std::mt19937_64 g(5);
  const std::string alphabet = "ab ,xY";
  std::vector<std::vector<Value>> rows;
  for (int r = 0; r < 500; ++r) {
    std::string v;
    for (size_t k = g() % 9; k > 0; --k) v += alphabet[g() % alphabet.size()];
    rows.push_back(
        {g() % 8 == 0 ? N(ExprType::kVarchar) : S(v), I32(static_cast<int32_t>(g() % 7) - 2)});
  }
  const Table t({{"v", TypeId::kVarchar}, {"n", TypeId::kInt}}, rows);
  auto upper = t.eval(call("UPPER", {t.col("v")}));
  auto sub = t.eval(call("SUBSTRING", {t.col("v"), t.col("n"), lit(I32(3))}));
  auto length = t.eval(call("CHAR_LENGTH", {t.col("v")}));
  auto concat = t.eval(call("||", {t.col("v"), lit(S("!"))}));
  auto split = t.eval(call("SPLIT_INDEX", {t.col("v"), lit(S(",")), lit(I32(1))}));
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r][0].isNull) {
      EXPECT_TRUE(upper[r].isNull && sub[r].isNull && length[r].isNull && concat[r].isNull &&
                  split[r].isNull);
      continue;
    }
    const std::string& v = rows[r][0].text;
    std::string u = v;
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(upper[r], S(u));
    EXPECT_EQ(length[r], I32(static_cast<int32_t>(v.size())));
    EXPECT_EQ(concat[r], S(v + "!"));
    // SUBSTRING reference: 1-based, 0 as 1, negative from the end.
    const int64_t n = rows[r][1].integer, len = static_cast<int64_t>(v.size());
    int64_t begin = n > 0 ? n - 1 : n < 0 ? len + n : 0;
    std::string want;
    if (begin >= 0 && begin < len) want = v.substr(static_cast<size_t>(begin), 3);
    EXPECT_EQ(sub[r], S(want)) << "'" << v << "' from " << n;
    const size_t comma = v.find(',');
    if (comma == std::string::npos) {
      EXPECT_TRUE(split[r].isNull);
    } else {
      const size_t next = v.find(',', comma + 1);
      EXPECT_EQ(split[r], S(v.substr(comma + 1, next == std::string::npos ? std::string::npos
                                                                          : next - comma - 1)));
    }
  }
}

}  // namespace
}  // namespace glint::sql::testing
