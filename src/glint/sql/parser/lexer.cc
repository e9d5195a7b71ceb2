#include "glint/sql/parser/lexer.h"

#include <cctype>

namespace glint::sql {
namespace {

bool isWordStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool isWordPart(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql, std::vector<HintComment>* hints)
      : sql_(sql), hints_(hints) {}
  // Lexes sql[range.offset, range.offset + range.length) only.
  Lexer(std::string_view sql, const SourceSpan& range)
      : sql_(sql.substr(0, static_cast<size_t>(range.offset + range.length))),
        pos_(static_cast<size_t>(range.offset)),
        line_(range.line),
        column_(range.column) {}

  ParseResult<std::vector<Token>> run() {
    std::vector<Token> tokens;
    while (true) {
      if (auto error = skipSpaceAndComments()) return *error;
      if (pos_ >= sql_.size()) break;
      Token token;
      if (auto error = next(token)) return *error;
      tokens.push_back(std::move(token));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.span = here();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  SourceSpan here() const {
    SourceSpan span;
    span.offset = static_cast<int>(pos_);
    span.length = 0;
    span.line = line_;
    span.column = column_;
    return span;
  }

  void advance() {
    char c = sql_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }

  char peek(size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }

  ParseError errorAt(const SourceSpan& at, int length, std::string message,
                     std::string hint = "") const {
    ParseError error;
    error.line = at.line;
    error.column = at.column;
    error.offset = at.offset;
    error.length = std::max(1, length);
    error.message = std::move(message);
    error.hint = std::move(hint);
    return error;
  }

  std::optional<ParseError> skipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance();
      } else if (c == '-' && peek(1) == '-') {
        while (pos_ < sql_.size() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        SourceSpan start = here();
        advance();
        advance();
        bool hint = peek() == '+';
        if (hint) advance();
        SourceSpan content = here();
        while (pos_ < sql_.size() && !(peek() == '*' && peek(1) == '/')) advance();
        if (pos_ >= sql_.size()) {
          return errorAt(start, 2, "unterminated comment: this '/*' has no closing '*/'");
        }
        content.length = static_cast<int>(pos_) - content.offset;
        advance();
        advance();
        if (hint && hints_ != nullptr) {
          start.length = static_cast<int>(pos_) - start.offset;
          hints_->push_back(HintComment{start, content});
        }
      } else {
        break;
      }
    }
    return std::nullopt;
  }

  void finish(Token& token, const SourceSpan& start) {
    token.span = start;
    token.span.length = static_cast<int>(pos_) - start.offset;
  }

  std::optional<ParseError> next(Token& token) {
    SourceSpan start = here();
    unsigned char c = static_cast<unsigned char>(peek());
    if (isWordStart(c)) {
      while (pos_ < sql_.size() && isWordPart(static_cast<unsigned char>(peek()))) advance();
      token.kind = TokenKind::kWord;
      token.text = std::string(sql_.substr(start.offset, pos_ - start.offset));
      token.upper = token.text;
      for (char& ch : token.upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      finish(token, start);
      return std::nullopt;
    }
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) return number(token, start);
    if (c == '\'') return quoted(token, start, '\'', TokenKind::kString);
    if (c == '`') return quoted(token, start, '`', TokenKind::kQuotedIdentifier);
    if (c == '"') {
      size_t close = sql_.find('"', pos_ + 1);
      int length = close == std::string_view::npos ? 1 : static_cast<int>(close - pos_ + 1);
      return errorAt(start, length, "double quotes are not allowed in Flink SQL",
                     "use single quotes for strings ('text'); double quotes are not "
                     "identifiers in Flink SQL either: quote names with backquotes (`name`)");
    }
    return symbol(token, start);
  }

  std::optional<ParseError> number(Token& token, const SourceSpan& start) {
    while (isDigit(peek())) advance();
    if (peek() == '.') {
      advance();
      while (isDigit(peek())) advance();
    }
    if (peek() == 'e' || peek() == 'E') {
      size_t digitsAt = (peek(1) == '+' || peek(1) == '-') ? 2 : 1;
      if (isDigit(peek(digitsAt))) {
        for (size_t i = 0; i < digitsAt; ++i) advance();
        while (isDigit(peek())) advance();
      } else {
        SourceSpan at = here();
        return errorAt(at, 1, "the exponent of this number has no digits",
                       "write an exponent like 1e3 or 2.5E-4");
      }
    }
    token.kind = TokenKind::kNumber;
    token.text = std::string(sql_.substr(start.offset, pos_ - start.offset));
    finish(token, start);
    return std::nullopt;
  }

  // A string ('...') or quoted identifier (`...`): the closing quote doubled stands for itself.
  std::optional<ParseError> quoted(Token& token, const SourceSpan& start, char quote,
                                   TokenKind kind) {
    advance();
    std::string value;
    while (true) {
      if (pos_ >= sql_.size()) {
        if (kind == TokenKind::kString) {
          return errorAt(start, 1, "unterminated string: this quote has no closing quote",
                         "a quote inside a string is written twice: 'it''s'");
        }
        return errorAt(start, 1,
                       "unterminated quoted identifier: this backquote has no closing backquote");
      }
      char c = peek();
      if (c == quote) {
        if (peek(1) == quote) {
          value += quote;
          advance();
          advance();
          continue;
        }
        advance();
        break;
      }
      value += c;
      advance();
    }
    if (kind == TokenKind::kQuotedIdentifier && value.empty()) {
      return errorAt(start, 2, "empty quoted identifier ``");
    }
    token.kind = kind;
    token.text = std::move(value);
    finish(token, start);
    return std::nullopt;
  }

  std::optional<ParseError> symbol(Token& token, const SourceSpan& start) {
    char c = peek();
    char d = peek(1);
    auto take = [&](TokenKind kind, int length) {
      for (int i = 0; i < length; ++i) advance();
      token.kind = kind;
      token.text = std::string(sql_.substr(start.offset, length));
      finish(token, start);
      return std::nullopt;
    };
    switch (c) {
      case '(':
        return take(TokenKind::kLeftParen, 1);
      case ')':
        return take(TokenKind::kRightParen, 1);
      case '[':
        return take(TokenKind::kLeftBracket, 1);
      case ']':
        return take(TokenKind::kRightBracket, 1);
      case ',':
        return take(TokenKind::kComma, 1);
      case ';':
        return take(TokenKind::kSemicolon, 1);
      case '.':
        return take(TokenKind::kDot, 1);
      case '*':
        return take(TokenKind::kStar, 1);
      case '+':
        return take(TokenKind::kPlus, 1);
      case '-':
        return take(TokenKind::kMinus, 1);
      case '/':
        return take(TokenKind::kSlash, 1);
      case '%':
        return take(TokenKind::kPercent, 1);
      case '=':
        if (d == '=') return take(TokenKind::kDoubleEquals, 2);
        if (d == '>') return take(TokenKind::kArrow, 2);
        return take(TokenKind::kEquals, 1);
      case '<':
        if (d == '>') return take(TokenKind::kNotEquals, 2);
        if (d == '=') return take(TokenKind::kLessOrEqual, 2);
        return take(TokenKind::kLess, 1);
      case '>':
        if (d == '=') return take(TokenKind::kGreaterOrEqual, 2);
        return take(TokenKind::kGreater, 1);
      case '!':
        if (d == '=') return take(TokenKind::kNotEquals, 2);
        return errorAt(start, 1, "unexpected character '!'",
                       "use NOT for negation, <> or != "
                       "for inequality");
      case '|':
        if (d == '|') return take(TokenKind::kConcat, 2);
        return errorAt(start, 1, "unexpected character '|'",
                       "'||' concatenates strings; use OR for a logical or");
      case '&':
        if (d == '&') return take(TokenKind::kDoubleAmpersand, 2);
        return errorAt(start, 1, "unexpected character '&'", "use AND for a logical and");
      case ':':
        if (d == ':') return take(TokenKind::kDoubleColon, 2);
        return errorAt(start, 1, "unexpected character ':'");
      default:
        break;
    }
    unsigned char u = static_cast<unsigned char>(c);
    std::string shown = std::isprint(u) ? std::string("'") + c + "'"
                                        : "with code " + std::to_string(static_cast<int>(u));
    return errorAt(start, 1, "unexpected character " + shown);
  }

  std::string_view sql_;
  std::vector<HintComment>* hints_ = nullptr;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

ParseResult<std::vector<Token>> tokenize(std::string_view sql, std::vector<HintComment>* hints) {
  return Lexer(sql, hints).run();
}

ParseResult<std::vector<Token>> tokenizeRange(std::string_view sql, const SourceSpan& range) {
  return Lexer(sql, range).run();
}

std::string describeToken(const Token& token) {
  auto clip = [](const std::string& text) {
    return text.size() > 30 ? text.substr(0, 27) + "..." : text;
  };
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kString:
      return "string '" + clip(token.text) + "'";
    case TokenKind::kQuotedIdentifier:
      return "`" + clip(token.text) + "`";
    case TokenKind::kNumber:
      return "number " + clip(token.text);
    default:
      return "'" + clip(token.text) + "'";
  }
}

}  // namespace glint::sql
