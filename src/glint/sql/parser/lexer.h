#pragma once
// Tokens of Glint SQL. The lexer turns the whole text into tokens up front, each with its
// position, so that the parser can look ahead freely and every error can point at its token.
#include <string>
#include <string_view>
#include <vector>

#include "glint/sql/parser/ast.h"
#include "glint/sql/parser/parse_error.h"

namespace glint::sql {

enum class TokenKind : uint8_t {
  kWord,              // unquoted identifier or keyword: `text` as written, `upper` upper-cased
  kQuotedIdentifier,  // `name`: `text` is the name without backquotes
  kString,            // 'text': `text` is the value, '' unescaped
  kNumber,            // 42, 0.908, 1e3, .5
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kSemicolon,
  kDot,
  kStar,
  kPlus,
  kMinus,
  kSlash,
  kPercent,
  kEquals,
  kDoubleEquals,  // '==': not SQL, kept as a token to explain the mistake
  kNotEquals,     // '<>' or '!='
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kConcat,           // ||
  kDoubleColon,      // ::
  kArrow,            // =>
  kDoubleAmpersand,  // '&&': not SQL, explained by the parser
  kEnd,              // end of input
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  std::string upper;  // for kWord: text in ASCII upper case, for keyword matching
  SourceSpan span;
};

// A `/*+ ... */` comment. Comments are skipped, but the parser reads these as hints where
// Flink allows them (after SELECT and after a table name).
struct HintComment {
  SourceSpan span;     // the whole comment, "/*+" to "*/"
  SourceSpan content;  // between "/*+" and "*/"
};

// The tokens of `sql` ending with one kEnd token, or the first lexical error (unterminated
// string, identifier or comment, double-quoted text, a stray character). Hint comments are
// also collected in `hints` when it is given.
ParseResult<std::vector<Token>> tokenize(std::string_view sql,
                                         std::vector<HintComment>* hints = nullptr);

// The tokens of the part of `sql` that `range` covers (its offset, line and column say where
// it starts), with positions in `sql`: for the contents of hint comments.
ParseResult<std::vector<Token>> tokenizeRange(std::string_view sql, const SourceSpan& range);

// "'FROM'", "end of input", "string 'abc'": how a token is named in messages.
std::string describeToken(const Token& token);

}  // namespace glint::sql
