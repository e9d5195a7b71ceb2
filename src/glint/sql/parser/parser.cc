#include "glint/sql/parser/parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <iterator>

#include "glint/sql/parser/lexer.h"

namespace glint::sql {
namespace {

// Words that would be read as syntax where a name is allowed (after a select item, a table, in
// an expression). All of them are reserved in Flink as well; Flink reserves many more.
// clang-format off
constexpr std::string_view kReservedWords[] = {
    "ALL", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CROSS", "DISTINCT", "ELSE", "END",
    "ESCAPE", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FILTER", "FOR", "FROM", "FULL", "GROUP",
    "HAVING", "IN", "INNER", "INTERSECT", "INTERVAL", "IS", "JOIN", "LATERAL", "LEFT", "LIKE",
    "LIMIT", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER",
    "PARTITION", "RIGHT", "SELECT", "SIMILAR", "TABLE", "THEN", "TRUE", "UNION", "USING",
    "VALUES", "WHEN", "WHERE", "WINDOW", "WITH"};
// clang-format on

// Keywords that start a clause: an unknown word close to one of them is probably a typo.
const std::vector<std::string> kClauseKeywords = {
    "SELECT", "FROM",  "WHERE",  "GROUP",     "HAVING", "ORDER",  "LIMIT", "JOIN",
    "ON",     "UNION", "WINDOW", "INTERSECT", "EXCEPT", "OFFSET", "USING"};

const std::vector<std::string> kStatementKeywords = {
    "SELECT", "INSERT",  "CREATE",  "DROP",  "SHOW", "DESCRIBE", "DESC", "SET",
    "RESET",  "EXPLAIN", "EXECUTE", "BEGIN", "WITH", "VALUES",   "USE"};

const std::vector<std::string> kTypeNames = {
    "BOOLEAN",   "TINYINT",       "SMALLINT",  "INT",      "INTEGER", "BIGINT",
    "FLOAT",     "DOUBLE",        "DECIMAL",   "NUMERIC",  "CHAR",    "VARCHAR",
    "STRING",    "BINARY",        "VARBINARY", "BYTES",    "DATE",    "TIME",
    "TIMESTAMP", "TIMESTAMP_LTZ", "ARRAY",     "MULTISET", "MAP",     "ROW"};

const std::vector<std::string> kTimeUnitWords = {
    "YEAR",   "QUARTER", "MONTH",       "WEEK",        "DAY",        "HOUR",
    "MINUTE", "SECOND",  "MILLISECOND", "MICROSECOND", "NANOSECOND", "DOW",
    "DOY",    "EPOCH",   "DECADE",      "CENTURY",     "MILLENNIUM"};

// Operator precedence levels, loosest first (as in Calcite, which Flink uses).
enum Level : int {
  kOr = 1,
  kAnd,
  kNot,
  kCompare,         // = <> < <= > >= IS IN BETWEEN LIKE SIMILAR
  kAdditive,        // + - ||
  kMultiplicative,  // * / %
  kUnary,           // prefix - +
  kPostfix,         // .field [index] ::type
};

// Unwinds the recursive descent on the first syntax error; caught at the entry points and
// returned as a ParseError, never thrown out of this file.
struct SyntaxError {
  ParseError error;
};

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens, std::vector<HintComment> hints)
      : sql_(sql), tokens_(std::move(tokens)), hints_(std::move(hints)) {}

  std::vector<StatementPtr> script() {
    std::vector<StatementPtr> statements;
    while (!atKind(TokenKind::kEnd)) {
      if (acceptKind(TokenKind::kSemicolon)) continue;
      statements.push_back(statement());
      checkHeight(*previous());
      childHeight_ = 0;
      if (!atKind(TokenKind::kEnd)) expectStatementEnd();
    }
    return statements;
  }

  StatementPtr singleStatement() {
    while (acceptKind(TokenKind::kSemicolon)) {
    }
    if (atKind(TokenKind::kEnd)) failExpected("a statement");
    StatementPtr result = statement();
    checkHeight(*previous());
    if (!atKind(TokenKind::kEnd)) {
      expectStatementEnd();
      while (acceptKind(TokenKind::kSemicolon)) {
      }
      if (!atKind(TokenKind::kEnd)) {
        fail(cur(),
             "expected a single statement, found another one starting with " + describeToken(cur()),
             "use parseStatements for a script of several statements");
      }
    }
    return result;
  }

  ExprPtr singleExpression() {
    ExprPtr e = expression();
    checkHeight(*previous());
    if (!atKind(TokenKind::kEnd)) failExpected("end of the expression");
    return e;
  }

  DataTypeSyntax singleType() {
    DataTypeSyntax type = dataType();
    if (!atKind(TokenKind::kEnd)) failExpected("end of the data type");
    return type;
  }

 private:
  // ---------------------------------------------------------------- tokens and errors

  const Token& cur() const { return tokens_[pos_]; }
  const Token& ahead(size_t n) const { return tokens_[std::min(pos_ + n, tokens_.size() - 1)]; }
  const Token* previous() const { return pos_ == 0 ? nullptr : &tokens_[pos_ - 1]; }
  const Token& consume() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }

  static bool isWord(const Token& t, std::string_view upper) {
    return t.kind == TokenKind::kWord && t.upper == upper;
  }
  bool at(std::string_view upper) const { return isWord(cur(), upper); }
  bool atAhead(size_t n, std::string_view upper) const { return isWord(ahead(n), upper); }
  bool accept(std::string_view upper) {
    if (!at(upper)) return false;
    consume();
    return true;
  }
  bool atKind(TokenKind kind) const { return cur().kind == kind; }
  bool acceptKind(TokenKind kind) {
    if (!atKind(kind)) return false;
    consume();
    return true;
  }

  void expect(std::string_view upper, std::string_view context = {}) {
    if (accept(upper)) return;
    std::string expected(upper);
    if (!context.empty()) expected += " " + std::string(context);
    failExpected(expected, {std::string(upper)});
  }

  const Token& expectKind(TokenKind kind, std::string_view description) {
    if (!atKind(kind)) failExpected(std::string(description));
    return consume();
  }

  [[noreturn]] void fail(const Token& at, std::string message, std::string hint = {}) {
    ParseError error;
    error.line = at.span.line;
    error.column = at.span.column;
    error.offset = at.span.offset;
    error.length = std::max(1, at.span.length);
    error.message = std::move(message);
    error.hint = std::move(hint);
    throw SyntaxError{std::move(error)};
  }

  // "expected <what>, found <token>", with a hint for the usual mistakes.
  [[noreturn]] void failExpected(const std::string& what,
                                 const std::vector<std::string>& keywords = {}) {
    const Token& found = cur();
    std::string hint;
    if (found.kind == TokenKind::kDoubleEquals) {
      hint = "SQL compares with a single '=': write a = b";
    } else if (found.kind == TokenKind::kDoubleAmpersand) {
      hint = "use AND to combine conditions";
    } else if (found.kind == TokenKind::kWord && !keywords.empty()) {
      if (auto match = closestMatch(found.upper, keywords); match && *match != found.upper) {
        hint = "did you mean " + *match + "?";
      }
    }
    if (hint.empty()) hint = aliasTypoHint();
    if (hint.empty() && found.kind == TokenKind::kWord && isReservedWord(found.upper) &&
        what.find("name") != std::string::npos) {
      hint =
          found.upper + " is a reserved word; to use it as a name, quote it: `" + found.text + "`";
    }
    fail(found, "expected " + what + ", found " + describeToken(found), hint);
  }

  // A clause keyword misspelled right before the error is read as an alias ("SELECT a FORM t"
  // makes FORM the alias of a): name the keyword it probably was.
  std::string aliasTypoHint() const {
    const Token* before = previous();
    if (before == nullptr || before->kind != TokenKind::kWord || isReservedWord(before->upper)) {
      return {};
    }
    auto match = closestMatch(before->upper, kClauseKeywords);
    if (!match || before->upper.size() < 3) return {};
    return "did you mean " + *match + " instead of '" + before->text + "'? ('" + before->text +
           "' was read as a name)";
  }

  [[noreturn]] void failExpectedExpression() {
    const Token* before = previous();
    std::string where = before ? " after " + describeToken(*before) : "";
    std::string hint;
    const Token& found = cur();
    if (before && before->kind == TokenKind::kComma && found.kind == TokenKind::kWord &&
        isReservedWord(found.upper)) {
      hint = "remove the ',' before " + found.upper + ", or add the missing item";
    } else if (found.kind == TokenKind::kWord && isReservedWord(found.upper) &&
               found.upper != "NOT" && found.upper != "SELECT") {
      hint =
          found.upper + " is a reserved word; to use it as a name, quote it: `" + found.text + "`";
    } else if (found.kind == TokenKind::kDoubleEquals) {
      hint = "SQL compares with a single '=': write a = b";
    }
    fail(found, "expected an expression" + where + ", found " + describeToken(found), hint);
  }

  void expectStatementEnd() {
    if (acceptKind(TokenKind::kSemicolon)) return;
    const Token& found = cur();
    std::string hint = aliasTypoHint();
    const Token* before = previous();
    if (hint.empty() && before && before->kind == TokenKind::kWord &&
        (before->upper == "INSERT" || before->upper == "CREATE" || before->upper == "DROP")) {
      // "SELECT a FROM t INSERT INTO ...": the next statement's first word became an alias.
      hint = "is a ';' missing before " + before->upper + "?";
    }
    if (hint.empty() && found.kind == TokenKind::kWord && !isReservedWord(found.upper)) {
      if (auto match = closestMatch(found.upper, kClauseKeywords)) {
        hint = "did you mean " + *match + "?";
      }
    }
    if (hint.empty() && found.kind == TokenKind::kWord) {
      if (std::find(kStatementKeywords.begin(), kStatementKeywords.end(), found.upper) !=
              kStatementKeywords.end() &&
          found.upper != "SET") {
        hint = "is a ';' missing before " + found.upper + "?";
      }
    }
    fail(found, "expected ';' or end of input after the statement, found " + describeToken(found),
         hint);
  }

  SourceSpan spanFrom(size_t startToken) const {
    SourceSpan span = tokens_[startToken].span;
    if (pos_ > startToken) {
      const SourceSpan& last = tokens_[pos_ - 1].span;
      span.length = last.offset + last.length - span.offset;
    } else {
      span.length = 0;
    }
    return span;
  }

  // ---------------------------------------------------------------- depth accounting
  //
  // depth_ counts recursion (parentheses, subqueries, calls, nested types, NOT/- chains) and
  // bounds the parser's own stack. childHeight_ bounds the height of the tree, for the later
  // passes that walk it recursively: it is the greatest height among the subtrees completed
  // in the current frame (a Nesting or a Chain). A frame's height is that plus 1 (Nesting) or
  // plus its number of links (Chain: a left-deep chain of n operators over operands of
  // height h is at most h + n high), handed to the enclosing frame when it ends. Chains check
  // at every link, so no input builds a tree much taller than the limit.

  [[noreturn]] void failTooComplex(const Token& at) {
    fail(at,
         "statement too complex: its syntax tree would be more than " +
             std::to_string(kMaxTreeHeight) + " levels deep",
         "split long chains of operators or joins (a long OR of equalities can be an IN list)");
  }

  void checkHeight(const Token& at) {
    if (childHeight_ > kMaxTreeHeight) failTooComplex(at);
  }

  class Nesting {
   public:
    Nesting(Parser& p, const Token& at) : p_(p), savedHeight_(p.childHeight_) {
      if (++p_.depth_ > kMaxNestingDepth) {
        p_.fail(at, "nested too deeply: more than " + std::to_string(kMaxNestingDepth) +
                        " levels of parentheses, subqueries or nested expressions");
      }
      p_.childHeight_ = 0;
    }
    ~Nesting() {
      --p_.depth_;
      p_.childHeight_ = std::max(savedHeight_, p_.childHeight_ + 1);
    }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& p_;
    int savedHeight_;
  };

  class Chain {
   public:
    explicit Chain(Parser& p) : p_(p), savedHeight_(p.childHeight_) { p_.childHeight_ = 0; }
    // Before the right operand of each new link.
    void link(const Token& at) {
      ++links_;
      if (p_.childHeight_ + links_ > kMaxTreeHeight) p_.failTooComplex(at);
    }
    ~Chain() { p_.childHeight_ = std::max(savedHeight_, p_.childHeight_ + links_); }
    Chain(const Chain&) = delete;
    Chain& operator=(const Chain&) = delete;

   private:
    Parser& p_;
    int savedHeight_;
    int links_ = 0;
  };

  // ---------------------------------------------------------------- names

  bool atIdentifier(size_t n = 0) const {
    const Token& t = ahead(n);
    return t.kind == TokenKind::kQuotedIdentifier ||
           (t.kind == TokenKind::kWord && !isReservedWord(t.upper));
  }

  Identifier identifier(std::string_view what) {
    if (!atIdentifier()) failExpected(std::string(what));
    const Token& t = consume();
    return Identifier{t.text, t.span};
  }

  QualifiedName qualifiedName(std::string_view what) {
    size_t start = pos_;
    QualifiedName name;
    name.parts.push_back(identifier(what));
    while (atKind(TokenKind::kDot) && atIdentifier(1)) {
      consume();
      name.parts.push_back(identifier(what));
    }
    name.span = spanFrom(start);
    return name;
  }

  std::vector<Identifier> parenthesizedIdentifiers(std::string_view what) {
    expectKind(TokenKind::kLeftParen, "'('");
    std::vector<Identifier> names;
    do {
      names.push_back(identifier(what));
    } while (acceptKind(TokenKind::kComma));
    if (!atKind(TokenKind::kRightParen)) failExpected("',' or ')' after " + std::string(what));
    consume();
    return names;
  }

  std::string stringLiteral(std::string_view what) {
    if (!atKind(TokenKind::kString)) failExpected(std::string(what));
    return consume().text;
  }

  // ---------------------------------------------------------------- hints

  // The hints of a `/*+ ... */` comment between the previous token and the current one.
  // Hint comments elsewhere are plain comments, as in Flink.
  std::vector<Hint> hintsHere() {
    int from = pos_ == 0 ? 0 : previous()->span.offset + previous()->span.length;
    int to = cur().span.offset;
    auto found =
        std::lower_bound(hints_.begin(), hints_.end(), from,
                         [](const HintComment& h, int offset) { return h.span.offset < offset; });
    std::vector<Hint> hints;
    for (; found != hints_.end() && found->span.offset < to; ++found) {
      auto tokens = tokenizeRange(sql_, found->content);
      if (!tokens.isOk()) throw SyntaxError{tokens.error()};
      Parser inner(sql_, std::move(tokens).value(), {});
      inner.depth_ = depth_;
      for (Hint& hint : inner.hintList()) hints.push_back(std::move(hint));
    }
    return hints;
  }

  // `name [(arguments)] [, ...]`, the arguments being 'key' = 'value' pairs or names.
  std::vector<Hint> hintList() {
    std::vector<Hint> hints;
    if (atKind(TokenKind::kEnd)) return hints;
    do {
      size_t start = pos_;
      Hint hint;
      hint.name = identifier("a hint name, e.g. OPTIONS");
      if (acceptKind(TokenKind::kLeftParen)) {
        if (!atKind(TokenKind::kRightParen)) {
          do {
            if (atKind(TokenKind::kString)) {
              size_t optionStart = pos_;
              TableOption option;
              option.key = consume().text;
              expectKind(TokenKind::kEquals, "'=' after the hint option key");
              option.value = stringLiteral("a quoted value for the hint option");
              option.span = spanFrom(optionStart);
              hint.options.push_back(std::move(option));
            } else {
              hint.names.push_back(identifier("a name or a quoted 'key' = 'value'"));
            }
          } while (acceptKind(TokenKind::kComma));
        }
        expectKind(TokenKind::kRightParen, "',' or ')' in the hint");
      }
      hint.span = spanFrom(start);
      hints.push_back(std::move(hint));
    } while (acceptKind(TokenKind::kComma));
    if (!atKind(TokenKind::kEnd)) failExpected("',' or the end of the hint");
    return hints;
  }

  // ---------------------------------------------------------------- statements

  StatementPtr statement() {
    Nesting nesting(*this, cur());
    size_t start = pos_;
    StatementPtr result;
    if (atQueryStart(0, /*throughParentheses=*/true)) {
      auto q = std::make_unique<QueryStatement>();
      q->query = query();
      result = std::move(q);
    } else if (at("INSERT")) {
      result = insert();
    } else if (at("CREATE")) {
      result = create();
    } else if (at("DROP")) {
      result = drop();
    } else if (at("SHOW")) {
      result = show();
    } else if (at("DESCRIBE") || at("DESC")) {
      consume();
      auto d = std::make_unique<DescribeStatement>();
      d->name = qualifiedName("a table or view name");
      result = std::move(d);
    } else if (at("USE")) {
      consume();
      auto u = std::make_unique<UseStatement>();
      if (at("CATALOG") && atIdentifier(1)) {
        consume();
        u->catalog = true;
      }
      u->name = qualifiedName("a catalog or database name");
      result = std::move(u);
    } else if (at("SET")) {
      result = set();
    } else if (at("RESET")) {
      consume();
      auto r = std::make_unique<ResetStatement>();
      if (atKind(TokenKind::kString)) {
        r->key = consume().text;
      } else if (!atStatementEnd()) {
        failExpected("a quoted key ('key') or the end of the statement after RESET");
      }
      result = std::move(r);
    } else if (at("EXPLAIN")) {
      result = explain();
    } else if (at("EXECUTE")) {
      consume();
      if (at("INSERT")) {
        result = insert();
      } else {
        expect("STATEMENT", "after EXECUTE");
        expect("SET", "after EXECUTE STATEMENT");
        result = statementSetBody(/*clientSyntax=*/false);
      }
    } else if (at("BEGIN")) {
      consume();
      expect("STATEMENT", "after BEGIN");
      expect("SET", "after BEGIN STATEMENT");
      if (!atKind(TokenKind::kSemicolon)) failExpected("';' after BEGIN STATEMENT SET");
      result = statementSetBody(/*clientSyntax=*/true);
    } else {
      failExpected(
          "a statement (SELECT, INSERT, CREATE, DROP, SHOW, DESCRIBE, SET, RESET, "
          "EXPLAIN, EXECUTE STATEMENT SET, ...)",
          kStatementKeywords);
    }
    result->span = spanFrom(start);
    return result;
  }

  bool atStatementEnd() const { return atKind(TokenKind::kSemicolon) || atKind(TokenKind::kEnd); }

  std::unique_ptr<StatementSetStatement> statementSetBody(bool clientSyntax) {
    auto set = std::make_unique<StatementSetStatement>();
    if (clientSyntax) {
      consume();  // the ';' after BEGIN STATEMENT SET
    } else {
      expect("BEGIN", "after EXECUTE STATEMENT SET");
    }
    while (true) {
      while (acceptKind(TokenKind::kSemicolon)) {
      }
      if (accept("END")) break;
      if (!at("INSERT")) failExpected("INSERT or END in the statement set", {"INSERT", "END"});
      size_t start = pos_;
      auto ins = insert();
      ins->span = spanFrom(start);
      set->inserts.push_back(std::move(ins));
      if (!atKind(TokenKind::kSemicolon)) {
        fail(cur(),
             "expected ';' after the INSERT in the statement set, found " + describeToken(cur()),
             "every INSERT inside BEGIN ... END ends with ';'");
      }
    }
    if (set->inserts.empty()) {
      fail(*previous(), "a statement set needs at least one INSERT");
    }
    return set;
  }

  std::unique_ptr<InsertStatement> insert() {
    expect("INSERT");
    auto ins = std::make_unique<InsertStatement>();
    if (accept("OVERWRITE")) {
      ins->overwrite = true;
    } else {
      expect("INTO", "after INSERT");
    }
    ins->target = qualifiedName("a table name");
    if (accept("PARTITION")) {
      expectKind(TokenKind::kLeftParen, "'(' after PARTITION");
      do {
        PartitionValue value;
        value.column = identifier("a partition column name");
        expectKind(TokenKind::kEquals, "'=' after the partition column");
        value.value = expression();
        ins->partition.push_back(std::move(value));
      } while (acceptKind(TokenKind::kComma));
      expectKind(TokenKind::kRightParen, "',' or ')' in the PARTITION clause");
    }
    if (atKind(TokenKind::kLeftParen) && !atQueryStart(0, true)) {
      ins->columns = parenthesizedIdentifiers("a column name");
    }
    if (!atQueryStart(0, true)) {
      failExpected("a query (SELECT, VALUES, WITH) after INSERT INTO " + ins->target.toString(),
                   {"SELECT", "VALUES", "WITH"});
    }
    ins->query = query();
    return ins;
  }

  StatementPtr create() {
    expect("CREATE");
    bool temporary = accept("TEMPORARY");
    bool system = temporary && accept("SYSTEM");
    if (at("TABLE")) {
      consume();
      if (system) fail(*previous(), "TEMPORARY SYSTEM applies to functions only");
      return createTable(temporary);
    }
    if (accept("VIEW")) {
      if (system) fail(*previous(), "TEMPORARY SYSTEM applies to functions only");
      auto view = std::make_unique<CreateViewStatement>();
      view->temporary = temporary;
      view->ifNotExists = ifNotExists();
      view->name = qualifiedName("a view name");
      if (atKind(TokenKind::kLeftParen)) view->columns = parenthesizedIdentifiers("a column name");
      if (accept("COMMENT")) view->comment = stringLiteral("a quoted comment after COMMENT");
      expect("AS", "before the query of the view");
      view->query = query();
      return view;
    }
    if (accept("FUNCTION")) {
      auto function = std::make_unique<CreateFunctionStatement>();
      function->temporary = temporary;
      function->system = system;
      function->ifNotExists = ifNotExists();
      function->name = qualifiedName("a function name");
      expect("AS", "before the class name of the function");
      function->className = stringLiteral("the class name as a quoted string");
      if (accept("LANGUAGE")) {
        if (!(at("JAVA") || at("SCALA") || at("PYTHON"))) {
          failExpected("JAVA, SCALA or PYTHON after LANGUAGE", {"JAVA", "SCALA", "PYTHON"});
        }
        function->language = consume().upper;
      }
      // Flink's USING JAR; Glint loads the paths as shared libraries of C++ functions.
      if (accept("USING")) {
        do {
          expect("JAR", "after USING (USING JAR '/path/lib.so')");
          function->jars.push_back(stringLiteral("the library path as a quoted string"));
        } while (acceptKind(TokenKind::kComma));
      }
      return function;
    }
    failExpected(std::string(temporary ? "TABLE, VIEW or FUNCTION after CREATE TEMPORARY"
                                       : "TABLE, VIEW or FUNCTION after CREATE"),
                 {"TABLE", "VIEW", "FUNCTION", "TEMPORARY"});
  }

  bool ifNotExists() {
    if (!accept("IF")) return false;
    expect("NOT", "after IF");
    expect("EXISTS", "after IF NOT");
    return true;
  }

  std::unique_ptr<CreateTableStatement> createTable(bool temporary) {
    auto table = std::make_unique<CreateTableStatement>();
    table->temporary = temporary;
    table->ifNotExists = ifNotExists();
    table->name = qualifiedName("a table name");
    if (acceptKind(TokenKind::kLeftParen)) {
      while (true) {
        tableElement(*table);
        if (acceptKind(TokenKind::kComma)) {
          if (atKind(TokenKind::kRightParen)) {
            fail(*previous(), "expected a column definition after ',', found ')'",
                 "remove the trailing ','");
          }
          continue;
        }
        if (acceptKind(TokenKind::kRightParen)) break;
        std::string hint;
        if (atIdentifier()) hint = "is a ',' missing between the column definitions?";
        fail(cur(),
             "expected ',' or ')' after the definition of a column, found " + describeToken(cur()),
             hint);
      }
    }
    if (accept("COMMENT")) table->comment = stringLiteral("a quoted comment after COMMENT");
    if (accept("PARTITIONED")) {
      expect("BY", "after PARTITIONED");
      table->partitionedBy = parenthesizedIdentifiers("a partition column name");
    }
    if (accept("WITH")) table->options = tableOptions();
    if (accept("AS")) table->asQuery = query();
    return table;
  }

  void tableElement(CreateTableStatement& table) {
    size_t start = pos_;
    if (at("WATERMARK") && atAhead(1, "FOR")) {
      if (table.watermark) fail(cur(), "a table has at most one WATERMARK definition");
      consume();
      consume();
      WatermarkDefinition watermark;
      watermark.column = identifier("the name of the rowtime column after WATERMARK FOR");
      expect("AS", "after WATERMARK FOR " + watermark.column.name);
      watermark.expression = expression();
      watermark.span = spanFrom(start);
      table.watermark = std::move(watermark);
      return;
    }
    if ((at("PRIMARY") && atAhead(1, "KEY")) || (at("CONSTRAINT") && atIdentifier(1))) {
      if (table.primaryKey) fail(cur(), "a table has at most one PRIMARY KEY");
      PrimaryKeyDefinition key;
      if (accept("CONSTRAINT")) key.constraintName = identifier("a constraint name");
      expect("PRIMARY", "after CONSTRAINT name");
      expect("KEY", "after PRIMARY");
      key.columns = parenthesizedIdentifiers("a column name");
      notEnforced();
      key.span = spanFrom(start);
      table.primaryKey = std::move(key);
      return;
    }
    ColumnDefinition column;
    column.name = identifier("a column name, WATERMARK FOR or PRIMARY KEY");
    if (accept("AS")) {
      column.columnKind = ColumnKind::kComputed;
      column.expression = expression();
    } else {
      column.type = dataType();
      if ((at("PRIMARY") && atAhead(1, "KEY")) || (at("CONSTRAINT") && atIdentifier(1))) {
        if (table.primaryKey) fail(cur(), "a table has at most one PRIMARY KEY");
        size_t keyStart = pos_;
        PrimaryKeyDefinition key;
        if (accept("CONSTRAINT")) key.constraintName = identifier("a constraint name");
        expect("PRIMARY");
        expect("KEY");
        notEnforced();
        key.columns.push_back(column.name);
        key.span = spanFrom(keyStart);
        table.primaryKey = std::move(key);
      }
      if (accept("METADATA")) {
        column.columnKind = ColumnKind::kMetadata;
        if (accept("FROM")) column.metadataKey = stringLiteral("a quoted metadata key after FROM");
        column.isVirtual = accept("VIRTUAL");
      }
    }
    if (accept("COMMENT")) column.comment = stringLiteral("a quoted comment after COMMENT");
    column.span = spanFrom(start);
    table.columns.push_back(std::move(column));
  }

  void notEnforced() {
    if (at("ENFORCED")) {
      fail(cur(), "Flink does not enforce primary keys: only NOT ENFORCED is supported",
           "write PRIMARY KEY (...) NOT ENFORCED");
    }
    if (!at("NOT")) {
      fail(cur(), "expected NOT ENFORCED after the primary key, found " + describeToken(cur()),
           "Flink does not check primary keys, so they are declared NOT ENFORCED");
    }
    consume();
    expect("ENFORCED", "after NOT");
  }

  std::vector<TableOption> tableOptions() {
    expectKind(TokenKind::kLeftParen, "'(' after WITH");
    std::vector<TableOption> options;
    if (acceptKind(TokenKind::kRightParen)) return options;
    while (true) {
      size_t start = pos_;
      TableOption option;
      if (!atKind(TokenKind::kString)) {
        fail(cur(), "expected a quoted option key, found " + describeToken(cur()),
             "table options are quoted strings on both sides: 'connector' = 'datagen'");
      }
      option.key = consume().text;
      expectKind(TokenKind::kEquals, "'=' after the option key");
      if (!atKind(TokenKind::kString)) {
        fail(cur(),
             "expected a quoted value for option '" + option.key + "', found " +
                 describeToken(cur()),
             "option values are strings, numbers too: '" + option.key + "' = '" +
                 (atKind(TokenKind::kEnd) ? std::string("...") : cur().text) + "'");
      }
      option.value = consume().text;
      option.span = spanFrom(start);
      options.push_back(std::move(option));
      if (acceptKind(TokenKind::kComma)) continue;
      if (acceptKind(TokenKind::kRightParen)) break;
      std::string hint = atKind(TokenKind::kString) ? "is a ',' missing between the options?" : "";
      fail(cur(), "expected ',' or ')' after the option, found " + describeToken(cur()), hint);
    }
    return options;
  }

  StatementPtr drop() {
    expect("DROP");
    auto d = std::make_unique<DropStatement>();
    d->temporary = accept("TEMPORARY");
    d->system = d->temporary && accept("SYSTEM");
    if (accept("TABLE")) {
      d->objectKind = ObjectKind::kTable;
    } else if (accept("VIEW")) {
      d->objectKind = ObjectKind::kView;
    } else if (accept("FUNCTION")) {
      d->objectKind = ObjectKind::kFunction;
    } else {
      failExpected("TABLE, VIEW or FUNCTION after DROP", {"TABLE", "VIEW", "FUNCTION"});
    }
    if (d->system && d->objectKind != ObjectKind::kFunction) {
      fail(*previous(), "TEMPORARY SYSTEM applies to functions only");
    }
    if (accept("IF")) {
      expect("EXISTS", "after IF");
      d->ifExists = true;
    }
    d->name = qualifiedName("a name");
    return d;
  }

  StatementPtr show() {
    expect("SHOW");
    auto s = std::make_unique<ShowStatement>();
    if (accept("TABLES")) {
      s->object = ShowObject::kTables;
    } else if (accept("VIEWS")) {
      s->object = ShowObject::kViews;
    } else if (accept("FUNCTIONS")) {
      s->object = ShowObject::kFunctions;
    } else if (accept("USER")) {
      expect("FUNCTIONS", "after SHOW USER");
      s->object = ShowObject::kFunctions;
      s->userOnly = true;
    } else if (accept("CATALOGS")) {
      s->object = ShowObject::kCatalogs;
    } else if (accept("DATABASES")) {
      s->object = ShowObject::kDatabases;
    } else if (accept("JOBS")) {
      s->object = ShowObject::kJobs;
    } else if (accept("CREATE")) {
      if (accept("TABLE")) {
        s->object = ShowObject::kCreateTable;
      } else if (accept("VIEW")) {
        s->object = ShowObject::kCreateView;
      } else {
        failExpected("TABLE or VIEW after SHOW CREATE", {"TABLE", "VIEW"});
      }
      s->name = qualifiedName("a table or view name");
    } else if (accept("CURRENT")) {
      if (accept("CATALOG")) {
        s->object = ShowObject::kCurrentCatalog;
      } else if (accept("DATABASE")) {
        s->object = ShowObject::kCurrentDatabase;
      } else {
        failExpected("CATALOG or DATABASE after SHOW CURRENT", {"CATALOG", "DATABASE"});
      }
    } else {
      failExpected(
          "TABLES, VIEWS, FUNCTIONS, CATALOGS, DATABASES, CURRENT, JOBS or CREATE after "
          "SHOW",
          {"TABLES", "VIEWS", "FUNCTIONS", "CATALOGS", "DATABASES", "CURRENT", "JOBS", "CREATE"});
    }
    return s;
  }

  StatementPtr set() {
    expect("SET");
    auto s = std::make_unique<SetStatement>();
    if (atStatementEnd()) return s;
    if (!atKind(TokenKind::kString)) {
      fail(cur(), "expected a quoted key after SET, found " + describeToken(cur()),
           "keys and values are quoted strings: SET 'execution.runtime-mode' = 'batch'");
    }
    s->key = consume().text;
    expectKind(TokenKind::kEquals, "'=' after the key");
    if (!atKind(TokenKind::kString)) {
      fail(cur(), "expected a quoted value for '" + *s->key + "', found " + describeToken(cur()),
           "values are quoted strings, numbers too: SET '" + *s->key + "' = '...'");
    }
    s->value = consume().text;
    return s;
  }

  StatementPtr explain() {
    expect("EXPLAIN");
    auto e = std::make_unique<ExplainStatement>();
    static const std::vector<std::pair<std::string_view, ExplainDetail>> kDetails = {
        {"ESTIMATED_COST", ExplainDetail::kEstimatedCost},
        {"CHANGELOG_MODE", ExplainDetail::kChangelogMode},
        {"JSON_EXECUTION_PLAN", ExplainDetail::kJsonExecutionPlan},
        {"PLAN_ADVICE", ExplainDetail::kPlanAdvice}};
    while (true) {
      auto found = std::find_if(kDetails.begin(), kDetails.end(),
                                [&](const auto& d) { return at(d.first); });
      if (found == kDetails.end()) break;
      consume();
      if (std::find(e->details.begin(), e->details.end(), found->second) == e->details.end()) {
        e->details.push_back(found->second);
      }
      if (!acceptKind(TokenKind::kComma)) break;
    }
    if (accept("PLAN")) expect("FOR", "after EXPLAIN PLAN");
    size_t start = pos_;
    if (at("STATEMENT")) {
      // EXPLAIN STATEMENT SET BEGIN ... END
      consume();
      expect("SET", "after STATEMENT");
      e->statement = statementSetBody(false);
      e->statement->span = spanFrom(start);
      return e;
    }
    if (!(atQueryStart(0, true) || at("INSERT") || at("EXECUTE"))) {
      failExpected("a query, an INSERT or EXECUTE STATEMENT SET after EXPLAIN",
                   {"SELECT", "INSERT", "EXECUTE", "WITH", "VALUES", "PLAN"});
    }
    e->statement = statement();
    return e;
  }

  // ---------------------------------------------------------------- queries

  // SELECT, WITH or VALUES at token `n`, possibly behind opening parentheses.
  bool atQueryStart(size_t n, bool throughParentheses) const {
    // Deeper parentheses fail the nesting limit anyway; the cap keeps this lookahead from
    // rescanning a long run of '(' at every level.
    size_t limit = n + kMaxNestingDepth + 1;
    while (throughParentheses && ahead(n).kind == TokenKind::kLeftParen && n < limit) ++n;
    return atAhead(n, "SELECT") || atAhead(n, "WITH") || atAhead(n, "VALUES");
  }

  std::unique_ptr<Query> query() {
    Nesting nesting(*this, cur());
    size_t start = pos_;
    auto q = std::make_unique<Query>();
    if (accept("WITH")) {
      if (at("RECURSIVE")) fail(cur(), "WITH RECURSIVE is not supported");
      do {
        size_t cteStart = pos_;
        CommonTableExpr cte;
        cte.name = identifier("a name for the WITH query");
        if (atKind(TokenKind::kLeftParen)) cte.columns = parenthesizedIdentifiers("a column name");
        expect("AS", "after the name of the WITH query");
        expectKind(TokenKind::kLeftParen, "'(' before the WITH query");
        cte.query = query();
        expectKind(TokenKind::kRightParen, "')' after the WITH query");
        cte.span = spanFrom(cteStart);
        q->with.push_back(std::move(cte));
      } while (acceptKind(TokenKind::kComma));
    }
    q->body = setExpression();
    if (accept("ORDER")) {
      expect("BY", "after ORDER");
      q->orderBy = orderItems();
    }
    if (accept("LIMIT")) {
      if (accept("ALL")) {
        // LIMIT ALL: no limit
      } else {
        q->limit = expression();
        if (acceptKind(TokenKind::kComma)) {
          // LIMIT offset, count (MySQL style)
          q->offset = std::move(q->limit);
          q->limit = expression();
        }
      }
    }
    if (accept("OFFSET")) {
      if (q->offset) fail(*previous(), "OFFSET given twice");
      q->offset = expression();
      if (!accept("ROWS")) accept("ROW");
    }
    if (accept("FETCH")) {
      if (q->limit) fail(*previous(), "a query has either LIMIT or FETCH, not both");
      if (!accept("FIRST")) expect("NEXT", "or FIRST after FETCH");
      if (at("ROW") || at("ROWS")) {
        auto one = std::make_unique<LiteralExpr>();
        one->literalKind = LiteralKind::kInteger;
        one->text = "1";
        one->span = cur().span;
        q->limit = std::move(one);
      } else {
        q->limit = expression();
      }
      if (!accept("ROWS")) expect("ROW", "or ROWS in FETCH FIRST n ROWS ONLY");
      expect("ONLY", "in FETCH FIRST n ROWS ONLY");
    }
    q->span = spanFrom(start);
    return q;
  }

  std::vector<OrderItem> orderItems() {
    std::vector<OrderItem> items;
    do {
      size_t start = pos_;
      OrderItem item;
      item.expr = expression();
      if (accept("DESC")) {
        item.descending = true;
      } else {
        accept("ASC");
      }
      if (accept("NULLS")) {
        if (accept("FIRST")) {
          item.nulls = NullOrder::kFirst;
        } else {
          expect("LAST", "or FIRST after NULLS");
          item.nulls = NullOrder::kLast;
        }
      }
      item.span = spanFrom(start);
      items.push_back(std::move(item));
    } while (acceptKind(TokenKind::kComma));
    return items;
  }

  QueryBodyPtr setExpression() {
    Chain chain(*this);
    size_t start = pos_;
    QueryBodyPtr left = intersectTerm();
    while (at("UNION") || at("EXCEPT") || at("MINUS")) {
      chain.link(cur());
      auto op = std::make_unique<SetOperationBody>();
      op->op = at("UNION") ? SetOperator::kUnion : SetOperator::kExcept;
      consume();
      op->all = accept("ALL");
      if (!op->all) accept("DISTINCT");
      op->left = std::move(left);
      op->right = intersectTerm();
      op->span = spanFrom(start);
      left = std::move(op);
    }
    return left;
  }

  QueryBodyPtr intersectTerm() {
    Chain chain(*this);
    size_t start = pos_;
    QueryBodyPtr left = queryPrimary();
    while (at("INTERSECT")) {
      chain.link(cur());
      consume();
      auto op = std::make_unique<SetOperationBody>();
      op->op = SetOperator::kIntersect;
      op->all = accept("ALL");
      if (!op->all) accept("DISTINCT");
      op->left = std::move(left);
      op->right = queryPrimary();
      op->span = spanFrom(start);
      left = std::move(op);
    }
    return left;
  }

  QueryBodyPtr queryPrimary() {
    size_t start = pos_;
    if (at("SELECT")) return select();
    if (at("VALUES")) {
      consume();
      auto values = std::make_unique<ValuesBody>();
      do {
        std::vector<ExprPtr> row;
        if (acceptKind(TokenKind::kLeftParen)) {
          Nesting nesting(*this, *previous());
          do {
            row.push_back(expression());
          } while (acceptKind(TokenKind::kComma));
          expectKind(TokenKind::kRightParen, "',' or ')' in the VALUES row");
        } else {
          row.push_back(expression());
        }
        values->rows.push_back(std::move(row));
      } while (acceptKind(TokenKind::kComma));
      values->span = spanFrom(start);
      return values;
    }
    if (atKind(TokenKind::kLeftParen)) {
      Nesting nesting(*this, cur());
      consume();
      auto nested = std::make_unique<NestedQueryBody>();
      if (!atQueryStart(0, true)) failExpected("a query (SELECT, VALUES, WITH) after '('");
      nested->query = query();
      expectKind(TokenKind::kRightParen, "')' after the query");
      nested->span = spanFrom(start);
      return nested;
    }
    failExpected("SELECT, VALUES or '(' to start a query", {"SELECT", "VALUES", "WITH"});
  }

  // Tokens that may follow the select list: anything else that starts an expression means a
  // ',' is probably missing.
  bool canStartExpression(const Token& t) const {
    switch (t.kind) {
      case TokenKind::kQuotedIdentifier:
      case TokenKind::kString:
      case TokenKind::kNumber:
      case TokenKind::kLeftParen:
        return true;
      case TokenKind::kWord:
        return !isReservedWord(t.upper) || t.upper == "CASE" || t.upper == "CAST" ||
               t.upper == "NULL" || t.upper == "TRUE" || t.upper == "FALSE" ||
               t.upper == "EXISTS" || t.upper == "INTERVAL";
      default:
        return false;
    }
  }

  QueryBodyPtr select() {
    size_t start = pos_;
    expect("SELECT");
    auto s = std::make_unique<SelectBody>();
    s->hints = hintsHere();
    if (accept("DISTINCT")) {
      s->distinct = true;
    } else {
      accept("ALL");
    }
    while (true) {
      s->items.push_back(selectItem());
      if (acceptKind(TokenKind::kComma)) continue;
      if (canStartExpression(cur())) {
        std::string hint = aliasTypoHint();
        if (hint.empty()) {
          const SelectItem& last = s->items.back();
          hint = last.alias && lastAliasImplicit_
                     ? "is a ',' missing? '" + last.alias->name +
                           "' was read as the alias of the item before it"
                     : "is a ',' missing between the select items?";
        }
        fail(cur(), "expected ',' or FROM after the select item, found " + describeToken(cur()),
             hint);
      }
      break;
    }
    if (accept("FROM")) s->from = fromList();
    if (accept("WHERE")) s->where = expression();
    if (accept("GROUP")) {
      expect("BY", "after GROUP");
      do {
        s->groupBy.push_back(groupingElement());
      } while (acceptKind(TokenKind::kComma));
    }
    if (accept("HAVING")) s->having = expression();
    if (accept("WINDOW")) {
      do {
        NamedWindow window;
        window.name = identifier("a window name");
        expect("AS", "after the window name");
        window.spec = windowSpec();
        s->windows.push_back(std::move(window));
      } while (acceptKind(TokenKind::kComma));
    }
    s->span = spanFrom(start);
    return s;
  }

  SelectItem selectItem() {
    size_t start = pos_;
    SelectItem item;
    if (acceptKind(TokenKind::kStar)) {
      item.star = true;
      item.span = spanFrom(start);
      return item;
    }
    // t.* and db.t.*: names and dots ending in '*'.
    for (size_t n = 0; atIdentifier(n) && ahead(n + 1).kind == TokenKind::kDot; n += 2) {
      if (ahead(n + 2).kind == TokenKind::kStar) {
        item.star = true;
        item.starQualifier.parts.push_back(identifier("a name"));
        while (acceptKind(TokenKind::kDot) && !atKind(TokenKind::kStar)) {
          item.starQualifier.parts.push_back(identifier("a name"));
        }
        item.starQualifier.span = spanFrom(start);
        consume();  // '*'
        item.span = spanFrom(start);
        return item;
      }
    }
    item.expr = expression();
    lastAliasImplicit_ = false;
    if (accept("AS")) {
      item.alias = identifier("an alias name after AS");
    } else if (atIdentifier()) {
      item.alias = identifier("an alias name");
      lastAliasImplicit_ = true;
    }
    item.span = spanFrom(start);
    return item;
  }

  GroupingElement groupingElement() {
    size_t start = pos_;
    GroupingElement element;
    bool rollup = at("ROLLUP") && ahead(1).kind == TokenKind::kLeftParen;
    bool cube = at("CUBE") && ahead(1).kind == TokenKind::kLeftParen;
    bool sets = at("GROUPING") && atAhead(1, "SETS");
    if (rollup || cube || sets) {
      Nesting nesting(*this, cur());
      consume();
      if (sets) consume();
      element.kind = rollup ? GroupingKind::kRollup
                     : cube ? GroupingKind::kCube
                            : GroupingKind::kGroupingSets;
      expectKind(TokenKind::kLeftParen, "'('");
      do {
        element.elements.push_back(groupingElement());
      } while (acceptKind(TokenKind::kComma));
      expectKind(TokenKind::kRightParen, "',' or ')'");
    } else if (atKind(TokenKind::kLeftParen) && isTupleAhead()) {
      Nesting nesting(*this, cur());
      consume();
      element.kind = GroupingKind::kTuple;
      if (!atKind(TokenKind::kRightParen)) {
        do {
          GroupingElement item;
          size_t itemStart = pos_;
          item.expr = expression();
          item.span = spanFrom(itemStart);
          element.elements.push_back(std::move(item));
        } while (acceptKind(TokenKind::kComma));
      }
      expectKind(TokenKind::kRightParen, "',' or ')'");
    } else {
      element.expr = expression();
    }
    element.span = spanFrom(start);
    return element;
  }

  // At '(': is this `()` or `(a, b)` (a grouping tuple) rather than a parenthesized expression?
  bool isTupleAhead() const {
    int depth = 0;
    for (size_t i = pos_; i < tokens_.size(); ++i) {
      TokenKind k = tokens_[i].kind;
      if (k == TokenKind::kLeftParen || k == TokenKind::kLeftBracket) {
        ++depth;
      } else if (k == TokenKind::kRightParen || k == TokenKind::kRightBracket) {
        if (--depth == 0) return i == pos_ + 1;  // ()
      } else if (k == TokenKind::kComma && depth == 1) {
        return true;
      } else if (k == TokenKind::kEnd || k == TokenKind::kSemicolon) {
        return false;
      }
    }
    return false;
  }

  WindowSpec windowSpec() {
    size_t start = pos_;
    Nesting nesting(*this, cur());
    expectKind(TokenKind::kLeftParen, "'(' to start the window specification");
    WindowSpec spec;
    if (atIdentifier() && !at("PARTITION") && !at("ORDER") && !at("ROWS") && !at("RANGE")) {
      spec.baseWindow = identifier("a window name");
    }
    if (accept("PARTITION")) {
      expect("BY", "after PARTITION");
      do {
        spec.partitionBy.push_back(expression());
      } while (acceptKind(TokenKind::kComma));
    }
    if (accept("ORDER")) {
      expect("BY", "after ORDER");
      spec.orderBy = orderItems();
    }
    if (at("ROWS") || at("RANGE")) {
      size_t frameStart = pos_;
      WindowFrame frame;
      frame.unit = at("ROWS") ? FrameUnit::kRows : FrameUnit::kRange;
      consume();
      if (accept("BETWEEN")) {
        frame.start = frameBound();
        expect("AND", "between the two bounds of the window frame");
        frame.end = frameBound();
      } else {
        frame.start = frameBound();
      }
      frame.span = spanFrom(frameStart);
      spec.frame = std::move(frame);
    }
    if (!atKind(TokenKind::kRightParen)) {
      failExpected("PARTITION BY, ORDER BY, ROWS, RANGE or ')' in the window specification",
                   {"PARTITION", "ORDER", "ROWS", "RANGE"});
    }
    consume();
    spec.span = spanFrom(start);
    return spec;
  }

  FrameBound frameBound() {
    FrameBound bound;
    if (accept("UNBOUNDED")) {
      if (accept("PRECEDING")) {
        bound.kind = FrameBoundKind::kUnboundedPreceding;
      } else {
        expect("FOLLOWING", "or PRECEDING after UNBOUNDED");
        bound.kind = FrameBoundKind::kUnboundedFollowing;
      }
      return bound;
    }
    if (accept("CURRENT")) {
      expect("ROW", "after CURRENT");
      bound.kind = FrameBoundKind::kCurrentRow;
      return bound;
    }
    bound.offset = expressionAt(kAdditive);
    if (accept("PRECEDING")) {
      bound.kind = FrameBoundKind::kPreceding;
    } else if (accept("FOLLOWING")) {
      bound.kind = FrameBoundKind::kFollowing;
    } else {
      failExpected("PRECEDING or FOLLOWING after the frame offset", {"PRECEDING", "FOLLOWING"});
    }
    return bound;
  }

  // ---------------------------------------------------------------- FROM

  TableRefPtr fromList() {
    Chain chain(*this);
    size_t start = pos_;
    TableRefPtr left = tableRef();
    while (atKind(TokenKind::kComma)) {
      chain.link(cur());
      consume();
      auto join = std::make_unique<JoinTableRef>();
      join->joinType = JoinType::kComma;
      join->left = std::move(left);
      join->right = tableRef();
      join->span = spanFrom(start);
      left = std::move(join);
    }
    return left;
  }

  // The join keywords at the current token, if any: how many tokens they take and the type.
  bool atJoin(JoinType& type, bool& natural, size_t& length) const {
    size_t n = 0;
    natural = atAhead(0, "NATURAL");
    if (natural) ++n;
    if (atAhead(n, "JOIN")) {
      type = JoinType::kInner;
    } else if (atAhead(n, "INNER") && atAhead(n + 1, "JOIN")) {
      type = JoinType::kInner;
      ++n;
    } else if (atAhead(n, "CROSS") && atAhead(n + 1, "JOIN")) {
      type = JoinType::kCross;
      ++n;
    } else if (atAhead(n, "LEFT") || atAhead(n, "RIGHT") || atAhead(n, "FULL")) {
      type = atAhead(n, "LEFT")    ? JoinType::kLeft
             : atAhead(n, "RIGHT") ? JoinType::kRight
                                   : JoinType::kFull;
      ++n;
      if (atAhead(n, "OUTER")) ++n;
      if (!atAhead(n, "JOIN")) return false;
    } else {
      return false;
    }
    length = n + 1;
    return true;
  }

  TableRefPtr tableRef() {
    Chain chain(*this);
    size_t start = pos_;
    TableRefPtr left = tablePrimary();
    while (true) {
      JoinType type;
      bool natural;
      size_t length;
      if (!atJoin(type, natural, length)) {
        // LEFT/RIGHT/FULL [OUTER] without JOIN: say what is missing.
        if (at("LEFT") || at("RIGHT") || at("FULL") || at("INNER") || at("CROSS") ||
            at("NATURAL")) {
          size_t n = 1;
          while (atAhead(n, "OUTER") || atAhead(n, "LEFT") || atAhead(n, "RIGHT") ||
                 atAhead(n, "FULL") || atAhead(n, "INNER")) {
            ++n;
          }
          pos_ += n;
          failExpected("JOIN", {"JOIN"});
        }
        break;
      }
      chain.link(cur());
      pos_ += length;
      auto join = std::make_unique<JoinTableRef>();
      join->joinType = type;
      join->natural = natural;
      join->left = std::move(left);
      join->right = tablePrimary();
      if (type != JoinType::kCross && !natural) {
        if (accept("ON")) {
          join->condition = expression();
        } else if (accept("USING")) {
          join->usingColumns = parenthesizedIdentifiers("a column name");
        } else {
          failExpected("ON or USING after the joined table", {"ON", "USING"});
        }
      }
      join->span = spanFrom(start);
      left = std::move(join);
    }
    return left;
  }

  TableRefPtr tablePrimary() {
    Nesting nesting(*this, cur());
    size_t start = pos_;
    TableRefPtr ref;
    if (at("LATERAL")) {
      consume();
      if (at("TABLE") && ahead(1).kind == TokenKind::kLeftParen) {
        ref = tableFunction(/*lateral=*/true);
      } else if (atKind(TokenKind::kLeftParen) && atQueryStart(1, true)) {
        ref = subqueryRef(/*lateral=*/true);
      } else {
        failExpected("TABLE(function(...)) or a subquery after LATERAL", {"TABLE"});
      }
    } else if (at("TABLE") && ahead(1).kind == TokenKind::kLeftParen) {
      ref = tableFunction(/*lateral=*/false);
    } else if (at("UNNEST") && ahead(1).kind == TokenKind::kLeftParen) {
      consume();
      consume();
      auto unnest = std::make_unique<UnnestTableRef>();
      do {
        unnest->arguments.push_back(expression());
      } while (acceptKind(TokenKind::kComma));
      expectKind(TokenKind::kRightParen, "',' or ')' in UNNEST(...)");
      if (at("WITH") && atAhead(1, "ORDINALITY")) {
        consume();
        consume();
        unnest->withOrdinality = true;
      }
      ref = std::move(unnest);
    } else if (atKind(TokenKind::kLeftParen)) {
      if (atQueryStart(1, true)) {
        ref = subqueryRef(/*lateral=*/false);
      } else {
        // A parenthesized join: (a JOIN b ON ...). It takes no alias.
        consume();
        ref = fromList();
        expectKind(TokenKind::kRightParen, "')' after the parenthesized join");
        ref->span = spanFrom(start);
        return ref;
      }
    } else {
      auto named = std::make_unique<NamedTableRef>();
      named->name = qualifiedName("a table name");
      named->hints = hintsHere();
      if (at("FOR") && atAhead(1, "SYSTEM_TIME")) {
        consume();
        consume();
        expect("AS", "after FOR SYSTEM_TIME");
        expect("OF", "after FOR SYSTEM_TIME AS");
        named->systemTimeAsOf = expression();
      }
      ref = std::move(named);
    }
    if (accept("AS")) {
      ref->alias = identifier("an alias name after AS");
    } else if (atIdentifier()) {
      ref->alias = identifier("an alias name");
    }
    if (ref->alias && atKind(TokenKind::kLeftParen)) {
      ref->columnAliases = parenthesizedIdentifiers("a column alias");
    }
    ref->span = spanFrom(start);
    return ref;
  }

  TableRefPtr subqueryRef(bool lateral) {
    consume();  // '('
    auto sub = std::make_unique<SubqueryTableRef>();
    sub->lateral = lateral;
    sub->query = query();
    expectKind(TokenKind::kRightParen, "')' after the subquery");
    return sub;
  }

  TableRefPtr tableFunction(bool lateral) {
    consume();  // TABLE
    consume();  // '('
    auto fn = std::make_unique<TableFunctionRef>();
    fn->lateral = lateral;
    fn->function = qualifiedName("the name of a table function, e.g. TUMBLE");
    expectKind(TokenKind::kLeftParen, "'(' after the table function name");
    if (!atKind(TokenKind::kRightParen)) {
      do {
        fn->arguments.push_back(tableArgument());
      } while (acceptKind(TokenKind::kComma));
    }
    if (!atKind(TokenKind::kRightParen)) {
      failExpected("',' or ')' in the arguments of " + fn->function.toString());
    }
    consume();
    expectKind(TokenKind::kRightParen, "')' closing TABLE(...)");
    return fn;
  }

  TableArgument tableArgument() {
    size_t start = pos_;
    TableArgument arg;
    if (atIdentifier() && ahead(1).kind == TokenKind::kArrow) {
      arg.name = identifier("an argument name");
      consume();  // =>
    }
    if (at("TABLE") && ahead(1).kind != TokenKind::kLeftParen) {
      consume();
      arg.kind = TableArgumentKind::kTable;
      arg.table = qualifiedName("a table name after TABLE");
      if (accept("PARTITION")) {
        expect("BY", "after PARTITION");
        if (atKind(TokenKind::kLeftParen)) {
          arg.partitionBy = parenthesizedIdentifiers("a column name");
        } else {
          arg.partitionBy.push_back(identifier("a column name after PARTITION BY"));
        }
      }
    } else if (at("DESCRIPTOR") && ahead(1).kind == TokenKind::kLeftParen) {
      consume();
      arg.kind = TableArgumentKind::kDescriptor;
      arg.descriptorColumns = parenthesizedIdentifiers("a column name");
    } else {
      arg.kind = TableArgumentKind::kExpression;
      arg.expression = expression();
    }
    arg.span = spanFrom(start);
    return arg;
  }

  // ---------------------------------------------------------------- expressions

  ExprPtr expression() { return expressionAt(kOr); }

  ExprPtr expressionAt(int minLevel) {
    Chain chain(*this);
    size_t start = pos_;
    ExprPtr left = prefix(minLevel);
    while (true) {
      int level = infixLevel();
      if (level == 0 || level < minLevel) break;
      chain.link(cur());
      left = infix(std::move(left));
      left->span = spanFrom(start);
    }
    return left;
  }

  // The level of the operator at the current token, or 0 if there is none.
  int infixLevel() {
    const Token& t = cur();
    switch (t.kind) {
      case TokenKind::kEquals:
      case TokenKind::kNotEquals:
      case TokenKind::kLess:
      case TokenKind::kLessOrEqual:
      case TokenKind::kGreater:
      case TokenKind::kGreaterOrEqual:
        return kCompare;
      case TokenKind::kDoubleEquals:
        fail(t, "'==' is not an operator in SQL", "SQL compares with a single '=': write a = b");
      case TokenKind::kDoubleAmpersand:
        fail(t, "'&&' is not an operator in SQL", "use AND to combine conditions");
      case TokenKind::kConcat:
      case TokenKind::kPlus:
      case TokenKind::kMinus:
        return kAdditive;
      case TokenKind::kStar:
      case TokenKind::kSlash:
      case TokenKind::kPercent:
        return kMultiplicative;
      case TokenKind::kDot:
      case TokenKind::kLeftBracket:
      case TokenKind::kDoubleColon:
        return kPostfix;
      case TokenKind::kWord:
        if (t.upper == "OR") return kOr;
        if (t.upper == "AND") return kAnd;
        if (t.upper == "IS" || t.upper == "IN" || t.upper == "BETWEEN" || t.upper == "LIKE" ||
            t.upper == "SIMILAR") {
          return kCompare;
        }
        if (t.upper == "NOT" && (atAhead(1, "IN") || atAhead(1, "BETWEEN") || atAhead(1, "LIKE") ||
                                 atAhead(1, "SIMILAR"))) {
          return kCompare;
        }
        return 0;
      default:
        return 0;
    }
  }

  static ExprPtr binary(BinaryOp op, ExprPtr left, ExprPtr right) {
    auto b = std::make_unique<BinaryExpr>();
    b->op = op;
    b->left = std::move(left);
    b->right = std::move(right);
    return b;
  }

  ExprPtr infix(ExprPtr left) {
    const Token& t = consume();
    switch (t.kind) {
      case TokenKind::kEquals:
        return binary(BinaryOp::kEqual, std::move(left), operand(kCompare));
      case TokenKind::kNotEquals:
        return binary(BinaryOp::kNotEqual, std::move(left), operand(kCompare));
      case TokenKind::kLess:
        return binary(BinaryOp::kLess, std::move(left), operand(kCompare));
      case TokenKind::kLessOrEqual:
        return binary(BinaryOp::kLessOrEqual, std::move(left), operand(kCompare));
      case TokenKind::kGreater:
        return binary(BinaryOp::kGreater, std::move(left), operand(kCompare));
      case TokenKind::kGreaterOrEqual:
        return binary(BinaryOp::kGreaterOrEqual, std::move(left), operand(kCompare));
      case TokenKind::kConcat:
        return binary(BinaryOp::kConcat, std::move(left), operand(kAdditive));
      case TokenKind::kPlus:
        return binary(BinaryOp::kAdd, std::move(left), operand(kAdditive));
      case TokenKind::kMinus:
        return binary(BinaryOp::kSubtract, std::move(left), operand(kAdditive));
      case TokenKind::kStar:
        return binary(BinaryOp::kMultiply, std::move(left), operand(kMultiplicative));
      case TokenKind::kSlash:
        return binary(BinaryOp::kDivide, std::move(left), operand(kMultiplicative));
      case TokenKind::kPercent:
        return binary(BinaryOp::kModulo, std::move(left), operand(kMultiplicative));
      case TokenKind::kDot: {
        if (atKind(TokenKind::kStar)) {
          fail(cur(), "'.*' is only allowed in the select list (SELECT t.*)");
        }
        auto access = std::make_unique<FieldAccessExpr>();
        access->base = std::move(left);
        access->field = identifier("a field name after '.'");
        return access;
      }
      case TokenKind::kLeftBracket: {
        Nesting nesting(*this, t);
        auto subscript = std::make_unique<SubscriptExpr>();
        subscript->base = std::move(left);
        subscript->index = expression();
        expectKind(TokenKind::kRightBracket, "']' after the index");
        return subscript;
      }
      case TokenKind::kDoubleColon: {
        auto cast = std::make_unique<CastExpr>();
        cast->operand = std::move(left);
        cast->type = std::make_unique<DataTypeSyntax>(dataType());
        return cast;
      }
      default:
        break;
    }
    // Keyword operators.
    if (t.upper == "OR") return binary(BinaryOp::kOr, std::move(left), operand(kOr));
    if (t.upper == "AND") return binary(BinaryOp::kAnd, std::move(left), operand(kAnd));
    if (t.upper == "IS") return isPredicate(std::move(left));
    bool negated = t.upper == "NOT";
    const Token& keyword = negated ? consume() : t;
    if (keyword.upper == "IN") return inPredicate(std::move(left), negated);
    if (keyword.upper == "BETWEEN") {
      auto between = std::make_unique<BetweenExpr>();
      between->operand = std::move(left);
      between->negated = negated;
      if (accept("SYMMETRIC")) {
        between->symmetric = true;
      } else {
        accept("ASYMMETRIC");
      }
      between->low = expressionAt(kAdditive);
      if (!at("AND")) {
        failExpected("AND between the bounds of BETWEEN", {"AND"});
      }
      consume();
      between->high = expressionAt(kAdditive);
      return between;
    }
    // LIKE or SIMILAR TO
    auto like = std::make_unique<LikeExpr>();
    like->operand = std::move(left);
    like->negated = negated;
    if (keyword.upper == "SIMILAR") {
      expect("TO", "after SIMILAR");
      like->similarTo = true;
    }
    like->pattern = expressionAt(kAdditive);
    if (accept("ESCAPE")) like->escape = expressionAt(kAdditive);
    return like;
  }

  // The right operand of a left-associative operator of this level.
  ExprPtr operand(int level) {
    if (atKind(TokenKind::kEnd) || atKind(TokenKind::kSemicolon) ||
        atKind(TokenKind::kRightParen) || atKind(TokenKind::kComma)) {
      failExpectedExpression();
    }
    return expressionAt(level + 1);
  }

  ExprPtr isPredicate(ExprPtr left) {
    bool negated = accept("NOT");
    if (accept("DISTINCT")) {
      expect("FROM", "after IS DISTINCT");
      return binary(negated ? BinaryOp::kIsNotDistinctFrom : BinaryOp::kIsDistinctFrom,
                    std::move(left), operand(kCompare));
    }
    auto is = std::make_unique<IsExpr>();
    is->operand = std::move(left);
    is->negated = negated;
    if (accept("NULL")) {
      is->test = IsTest::kNull;
    } else if (accept("TRUE")) {
      is->test = IsTest::kTrue;
    } else if (accept("FALSE")) {
      is->test = IsTest::kFalse;
    } else if (accept("UNKNOWN")) {
      is->test = IsTest::kUnknown;
    } else {
      failExpected(
          std::string(negated ? "NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS NOT"
                              : "NULL, NOT, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS"),
          {"NULL", "NOT", "TRUE", "FALSE", "UNKNOWN", "DISTINCT"});
    }
    return is;
  }

  ExprPtr inPredicate(ExprPtr left, bool negated) {
    auto in = std::make_unique<InExpr>();
    in->operand = std::move(left);
    in->negated = negated;
    if (!atKind(TokenKind::kLeftParen)) {
      failExpected("'(' after IN", {});
    }
    Nesting nesting(*this, cur());
    consume();
    if (atQueryStart(0, false)) {
      in->subquery = query();
    } else {
      do {
        in->list.push_back(expression());
      } while (acceptKind(TokenKind::kComma));
    }
    if (!atKind(TokenKind::kRightParen)) failExpected("',' or ')' in the IN list");
    consume();
    return in;
  }

  ExprPtr prefix(int minLevel) {
    const Token& t = cur();
    size_t start = pos_;
    if (isWord(t, "NOT") && !atAhead(1, "IN") && !atAhead(1, "LIKE") && !atAhead(1, "BETWEEN") &&
        !atAhead(1, "SIMILAR")) {
      if (minLevel > kNot) {
        fail(t, "NOT is not allowed here without parentheses",
             "write the negated condition in parentheses: (NOT ...)");
      }
      Nesting nesting(*this, t);
      consume();
      auto unary = std::make_unique<UnaryExpr>();
      unary->op = UnaryOp::kNot;
      unary->operand = expressionAt(kNot);
      unary->span = spanFrom(start);
      return unary;
    }
    if (t.kind == TokenKind::kMinus || t.kind == TokenKind::kPlus) {
      Nesting nesting(*this, t);
      bool minus = t.kind == TokenKind::kMinus;
      consume();
      ExprPtr operand = expressionAt(kUnary);
      if (minus && operand->kind == AstExprKind::kLiteral) {
        auto& literal = operand->as<LiteralExpr>();
        bool numeric = literal.literalKind == LiteralKind::kInteger ||
                       literal.literalKind == LiteralKind::kDecimal ||
                       literal.literalKind == LiteralKind::kApproximate;
        if (numeric && literal.text[0] != '-') {
          // -5 is one literal, so that the smallest BIGINT can be written.
          literal.text = "-" + literal.text;
          literal.span = spanFrom(start);
          return operand;
        }
      }
      auto unary = std::make_unique<UnaryExpr>();
      unary->op = minus ? UnaryOp::kNegate : UnaryOp::kPlus;
      unary->operand = std::move(operand);
      unary->span = spanFrom(start);
      return unary;
    }
    ExprPtr e = primary();
    e->span = spanFrom(start);
    return e;
  }

  static ExprPtr literal(LiteralKind kind, std::string text) {
    auto l = std::make_unique<LiteralExpr>();
    l->literalKind = kind;
    l->text = std::move(text);
    return l;
  }

  bool atCall(std::string_view upper) const {
    return at(upper) && ahead(1).kind == TokenKind::kLeftParen;
  }

  ExprPtr primary() {
    const Token& t = cur();
    switch (t.kind) {
      case TokenKind::kNumber: {
        consume();
        bool exponent = t.text.find_first_of("eE") != std::string::npos;
        bool point = t.text.find('.') != std::string::npos;
        return literal(exponent ? LiteralKind::kApproximate
                       : point  ? LiteralKind::kDecimal
                                : LiteralKind::kInteger,
                       t.text);
      }
      case TokenKind::kString:
        return literal(LiteralKind::kString, consume().text);
      case TokenKind::kLeftParen: {
        Nesting nesting(*this, t);
        consume();
        if (atQueryStart(0, false)) {
          auto sub = std::make_unique<SubqueryExpr>();
          sub->query = query();
          expectKind(TokenKind::kRightParen, "')' after the subquery");
          return sub;
        }
        ExprPtr inner = expression();
        if (atKind(TokenKind::kComma)) {
          fail(cur(), "a parenthesized list (a, b) is not a value here",
               "use ROW(a, b) for a row value");
        }
        if (!atKind(TokenKind::kRightParen)) failExpected("')'");
        consume();
        return inner;
      }
      case TokenKind::kQuotedIdentifier:
        return nameOrCall();
      case TokenKind::kStar:
        fail(t, "'*' is only allowed alone in the select list (SELECT *, t.*) and in COUNT(*)");
      case TokenKind::kWord:
        break;
      default:
        failExpectedExpression();
    }
    const std::string& word = t.upper;
    if (word == "NULL") {
      consume();
      return literal(LiteralKind::kNull, "");
    }
    if (word == "TRUE" || word == "FALSE") {
      consume();
      return literal(LiteralKind::kBoolean, word);
    }
    if (word == "CASE") return caseExpression();
    if (atCall("CAST") || atCall("TRY_CAST")) return castExpression();
    if (word == "EXISTS") {
      Nesting nesting(*this, t);
      consume();
      if (!atKind(TokenKind::kLeftParen) || !atQueryStart(1, false)) {
        failExpected("'(' and a query after EXISTS");
      }
      consume();
      auto sub = std::make_unique<SubqueryExpr>();
      sub->subqueryKind = SubqueryKind::kExists;
      sub->query = query();
      expectKind(TokenKind::kRightParen, "')' after the subquery");
      return sub;
    }
    if (word == "INTERVAL") return interval();
    if ((word == "DATE" || word == "TIME" || word == "TIMESTAMP") &&
        ahead(1).kind == TokenKind::kString) {
      consume();
      LiteralKind kind = word == "DATE"   ? LiteralKind::kDate
                         : word == "TIME" ? LiteralKind::kTime
                                          : LiteralKind::kTimestamp;
      return literal(kind, consume().text);
    }
    if ((word == "ARRAY" || word == "MAP") && ahead(1).kind == TokenKind::kLeftBracket) {
      return collection();
    }
    if (atCall("EXTRACT")) return extract();
    if (atCall("TRIM")) return trim();
    if (word == "CURRENT_TIMESTAMP" || word == "CURRENT_DATE" || word == "CURRENT_TIME" ||
        word == "LOCALTIMESTAMP" || word == "LOCALTIME") {
      if (ahead(1).kind != TokenKind::kLeftParen) {
        auto call = std::make_unique<FunctionCallExpr>();
        call->name.parts.push_back(Identifier{t.text, t.span});
        call->name.span = t.span;
        call->withoutParentheses = true;
        consume();
        return call;
      }
    }
    if (isReservedWord(word) && !((word == "LEFT" || word == "RIGHT") && atCall(word))) {
      failExpectedExpression();
    }
    return nameOrCall();
  }

  ExprPtr nameOrCall() {
    QualifiedName name;
    if (atCall("LEFT") || atCall("RIGHT")) {
      const Token& t = consume();
      name.parts.push_back(Identifier{t.text, t.span});
      name.span = t.span;
    } else {
      name = qualifiedName("a name");
    }
    if (atKind(TokenKind::kDot) && ahead(1).kind == TokenKind::kStar) {
      fail(ahead(1), "'" + name.toString() + ".*' is only allowed in the select list");
    }
    if (!atKind(TokenKind::kLeftParen)) {
      auto column = std::make_unique<ColumnRefExpr>();
      column->name = std::move(name);
      return column;
    }
    return call(std::move(name));
  }

  ExprPtr call(QualifiedName name) {
    Nesting nesting(*this, cur());
    consume();  // '('
    auto fn = std::make_unique<FunctionCallExpr>();
    fn->name = std::move(name);
    std::string upper;
    if (fn->name.parts.size() == 1) {
      upper = fn->name.parts[0].name;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    const std::string shownName = fn->name.toString();
    if (acceptKind(TokenKind::kStar)) {
      fn->starArgument = true;
    } else if (!atKind(TokenKind::kRightParen)) {
      if (accept("DISTINCT")) {
        fn->distinct = true;
      } else {
        accept("ALL");
      }
      if (upper == "POSITION" && !fn->distinct) {
        // POSITION(a IN b): the first operand stops before IN.
        fn->arguments.push_back(expressionAt(kAdditive));
        if (accept("IN")) {
          fn->arguments.push_back(expression());
        }
      } else {
        fn->arguments.push_back(expression());
      }
      if ((upper == "FLOOR" || upper == "CEIL" || upper == "CEILING") && accept("TO")) {
        auto floor = std::make_unique<TimeFloorExpr>();
        floor->ceil = upper != "FLOOR";
        floor->operand = std::move(fn->arguments[0]);
        floor->unit = timeUnit(/*intervalOnly=*/false);
        expectKind(TokenKind::kRightParen, "')' after the time unit");
        return floor;
      }
      if (upper == "SUBSTRING" && accept("FROM")) {
        fn->arguments.push_back(expression());
        if (accept("FOR")) fn->arguments.push_back(expression());
      }
      while (acceptKind(TokenKind::kComma)) fn->arguments.push_back(expression());
    }
    if (!atKind(TokenKind::kRightParen)) {
      failExpected("',' or ')' in the arguments of " + shownName);
    }
    consume();
    if (at("FILTER") && ahead(1).kind == TokenKind::kLeftParen) {
      consume();
      consume();
      expect("WHERE", "in FILTER (WHERE ...)");
      fn->filter = expression();
      expectKind(TokenKind::kRightParen, "')' after the FILTER condition");
    }
    if (accept("OVER")) {
      if (atKind(TokenKind::kLeftParen)) {
        fn->over = std::make_unique<WindowSpec>(windowSpec());
      } else {
        auto spec = std::make_unique<WindowSpec>();
        spec->baseWindow = identifier("a window name or '(' after OVER");
        spec->span = spec->baseWindow->span;
        fn->over = std::move(spec);
      }
    }
    return fn;
  }

  ExprPtr collection() {
    Nesting nesting(*this, cur());
    auto c = std::make_unique<CollectionExpr>();
    c->map = consume().upper == "MAP";
    consume();  // '['
    do {
      c->elements.push_back(expression());
    } while (acceptKind(TokenKind::kComma));
    if (!atKind(TokenKind::kRightBracket)) {
      failExpected(std::string("',' or ']' in ") + (c->map ? "MAP[...]" : "ARRAY[...]"));
    }
    if (c->map && c->elements.size() % 2 != 0) {
      fail(cur(), "MAP[...] takes keys and values in pairs, but has an odd number of elements",
           "write MAP[key1, value1, key2, value2, ...]");
    }
    consume();
    return c;
  }

  ExprPtr caseExpression() {
    Nesting nesting(*this, cur());
    consume();  // CASE
    auto c = std::make_unique<CaseExpr>();
    if (!at("WHEN")) c->operand = expression();
    while (accept("WHEN")) {
      WhenClause when;
      when.condition = expression();
      expect("THEN", "after the WHEN condition");
      when.result = expression();
      c->whens.push_back(std::move(when));
    }
    if (c->whens.empty()) failExpected("WHEN in CASE", {"WHEN"});
    if (accept("ELSE")) c->elseResult = expression();
    if (!at("END")) {
      const Token& found = cur();
      fail(found, "expected WHEN, ELSE or END in CASE, found " + describeToken(found),
           found.kind == TokenKind::kWord && closestMatch(found.upper, {"END", "ELSE", "WHEN"})
               ? "did you mean " + *closestMatch(found.upper, {"END", "ELSE", "WHEN"}) + "?"
               : "every CASE ends with END");
    }
    consume();
    return c;
  }

  ExprPtr castExpression() {
    Nesting nesting(*this, cur());
    auto cast = std::make_unique<CastExpr>();
    cast->tryCast = consume().upper == "TRY_CAST";
    consume();  // '('
    cast->operand = expression();
    if (!at("AS")) {
      failExpected("AS and a type in " + std::string(cast->tryCast ? "TRY_CAST" : "CAST") +
                       "(value AS type)",
                   {"AS"});
    }
    consume();
    cast->type = std::make_unique<DataTypeSyntax>(dataType());
    expectKind(TokenKind::kRightParen, "')' after the type");
    return cast;
  }

  ExprPtr extract() {
    Nesting nesting(*this, cur());
    consume();  // EXTRACT
    consume();  // '('
    auto e = std::make_unique<ExtractExpr>();
    e->unit = timeUnit(/*intervalOnly=*/false);
    expect("FROM", "in EXTRACT(unit FROM value)");
    e->operand = expression();
    expectKind(TokenKind::kRightParen, "')'");
    return e;
  }

  ExprPtr trim() {
    Nesting nesting(*this, cur());
    consume();  // TRIM
    consume();  // '('
    auto t = std::make_unique<TrimExpr>();
    bool modeGiven = true;
    if (accept("BOTH")) {
      t->mode = TrimMode::kBoth;
    } else if (accept("LEADING")) {
      t->mode = TrimMode::kLeading;
    } else if (accept("TRAILING")) {
      t->mode = TrimMode::kTrailing;
    } else {
      modeGiven = false;
    }
    if (accept("FROM")) {
      t->operand = expression();
    } else {
      ExprPtr first = expression();
      if (accept("FROM")) {
        t->characters = std::move(first);
        t->operand = expression();
      } else if (modeGiven) {
        failExpected("FROM in TRIM(" +
                         std::string(t->mode == TrimMode::kBoth      ? "BOTH"
                                     : t->mode == TrimMode::kLeading ? "LEADING"
                                                                     : "TRAILING") +
                         " ... FROM value)",
                     {"FROM"});
      } else {
        t->operand = std::move(first);
      }
    }
    expectKind(TokenKind::kRightParen, "')' after the TRIM arguments");
    return t;
  }

  ExprPtr interval() {
    consume();  // INTERVAL
    auto iv = std::make_unique<IntervalExpr>();
    if (acceptKind(TokenKind::kMinus)) {
      iv->negative = true;
    } else {
      acceptKind(TokenKind::kPlus);
    }
    if (atKind(TokenKind::kNumber)) {
      fail(cur(), "the value of an INTERVAL is a quoted string",
           "write INTERVAL '" + cur().text + "' SECOND (or another unit)");
    }
    iv->value = stringLiteral("the quoted value of the INTERVAL, e.g. INTERVAL '10' SECOND");
    iv->from = timeUnit(/*intervalOnly=*/true);
    if (accept("TO")) {
      TimeUnit to = timeUnit(/*intervalOnly=*/true);
      if (static_cast<int>(to) <= static_cast<int>(iv->from)) {
        fail(*previous(), "in INTERVAL ... " + std::string(timeUnitName(iv->from)) + " TO " +
                              timeUnitName(to) +
                              ", the second unit must be smaller than the first");
      }
      iv->to = to;
    }
    return iv;
  }

  // A time unit word: YEAR, MONTH, ..., plural forms (MINUTES) accepted.
  TimeUnit timeUnit(bool intervalOnly) {
    static const std::vector<std::pair<std::string_view, TimeUnit>> kUnits = {
        {"YEAR", TimeUnit::kYear},
        {"QUARTER", TimeUnit::kQuarter},
        {"MONTH", TimeUnit::kMonth},
        {"WEEK", TimeUnit::kWeek},
        {"DAY", TimeUnit::kDay},
        {"HOUR", TimeUnit::kHour},
        {"MINUTE", TimeUnit::kMinute},
        {"SECOND", TimeUnit::kSecond},
        {"MILLISECOND", TimeUnit::kMillisecond},
        {"MICROSECOND", TimeUnit::kMicrosecond},
        {"NANOSECOND", TimeUnit::kNanosecond},
        {"DOW", TimeUnit::kDayOfWeek},
        {"DOY", TimeUnit::kDayOfYear},
        {"EPOCH", TimeUnit::kEpoch},
        {"DECADE", TimeUnit::kDecade},
        {"CENTURY", TimeUnit::kCentury},
        {"MILLENNIUM", TimeUnit::kMillennium}};
    const Token& t = cur();
    if (t.kind == TokenKind::kWord) {
      std::string_view word = t.upper;
      if (word.size() > 1 && word.back() == 'S' && word != "DOWS") word.remove_suffix(1);
      for (const auto& [name, unit] : kUnits) {
        if (word != name) continue;
        if (intervalOnly && static_cast<int>(unit) > static_cast<int>(TimeUnit::kSecond)) break;
        consume();
        return unit;
      }
    }
    if (intervalOnly) {
      failExpected("an interval unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND)",
                   {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND"});
    }
    failExpected("a time unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, ...)", kTimeUnitWords);
  }

  // ---------------------------------------------------------------- data types

  int64_t typeNumber(std::string_view what) {
    const Token& t = cur();
    if (t.kind != TokenKind::kNumber ||
        t.text.find_first_not_of("0123456789") != std::string::npos) {
      failExpected("a whole number for the " + std::string(what));
    }
    int64_t value = 0;
    auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
    if (ec != std::errc() || end != t.text.data() + t.text.size() || value > INT32_MAX) {
      fail(t, "the " + std::string(what) + " " + t.text + " is too large");
    }
    consume();
    return value;
  }

  void optionalPrecision(DataTypeSyntax& type, bool withScale, std::string_view what) {
    if (!acceptKind(TokenKind::kLeftParen)) return;
    type.precision = typeNumber(what);
    if (withScale && acceptKind(TokenKind::kComma)) type.scale = typeNumber("scale");
    expectKind(TokenKind::kRightParen, withScale ? "',' or ')'" : "')'");
  }

  DataTypeSyntax dataType() {
    Nesting nesting(*this, cur());
    size_t start = pos_;
    DataTypeSyntax type;
    const Token& t = cur();
    if (t.kind != TokenKind::kWord) failExpected("a data type (INT, STRING, TIMESTAMP(3), ...)");
    const std::string word = t.upper;
    consume();
    if (word == "BOOLEAN") {
      type.name = TypeName::kBoolean;
    } else if (word == "TINYINT") {
      type.name = TypeName::kTinyInt;
    } else if (word == "SMALLINT") {
      type.name = TypeName::kSmallInt;
    } else if (word == "INT" || word == "INTEGER") {
      type.name = TypeName::kInt;
    } else if (word == "BIGINT") {
      type.name = TypeName::kBigInt;
    } else if (word == "FLOAT" || word == "REAL") {
      type.name = TypeName::kFloat;
    } else if (word == "DOUBLE") {
      type.name = TypeName::kDouble;
      accept("PRECISION");
    } else if (word == "DECIMAL" || word == "DEC" || word == "NUMERIC") {
      type.name = TypeName::kDecimal;
      optionalPrecision(type, true, "precision");
    } else if (word == "CHAR" || word == "CHARACTER") {
      type.name = TypeName::kChar;
      if (accept("VARYING")) type.name = TypeName::kVarchar;
      optionalPrecision(type, false, "length");
    } else if (word == "VARCHAR") {
      type.name = TypeName::kVarchar;
      optionalPrecision(type, false, "length");
    } else if (word == "STRING") {
      type.name = TypeName::kString;
    } else if (word == "BINARY") {
      type.name = TypeName::kBinary;
      optionalPrecision(type, false, "length");
    } else if (word == "VARBINARY") {
      type.name = TypeName::kVarbinary;
      optionalPrecision(type, false, "length");
    } else if (word == "BYTES") {
      type.name = TypeName::kBytes;
    } else if (word == "DATE") {
      type.name = TypeName::kDate;
    } else if (word == "TIME") {
      type.name = TypeName::kTime;
      optionalPrecision(type, false, "precision");
      if (accept("WITHOUT")) timeZoneWords();
    } else if (word == "TIMESTAMP") {
      type.name = TypeName::kTimestamp;
      optionalPrecision(type, false, "precision");
      if (accept("WITHOUT")) {
        timeZoneWords();
      } else if (at("WITH")) {
        consume();
        if (accept("LOCAL")) {
          timeZoneWords();
          type.name = TypeName::kTimestampLtz;
        } else {
          fail(*previous(), "TIMESTAMP WITH TIME ZONE is not supported by Flink",
               "use TIMESTAMP_LTZ (TIMESTAMP WITH LOCAL TIME ZONE) for instants");
        }
      }
    } else if (word == "TIMESTAMP_LTZ") {
      type.name = TypeName::kTimestampLtz;
      optionalPrecision(type, false, "precision");
    } else if (word == "ARRAY" || word == "MULTISET") {
      type.name = word == "ARRAY" ? TypeName::kArray : TypeName::kMultiset;
      expectKind(TokenKind::kLess, "'<' after " + word);
      type.parameters.push_back(dataType());
      expectKind(TokenKind::kGreater, "'>' after the element type");
    } else if (word == "MAP") {
      type.name = TypeName::kMap;
      expectKind(TokenKind::kLess, "'<' after MAP");
      type.parameters.push_back(dataType());
      expectKind(TokenKind::kComma, "',' between the key and value types of MAP");
      type.parameters.push_back(dataType());
      expectKind(TokenKind::kGreater, "'>' after the value type");
    } else if (word == "ROW") {
      type.name = TypeName::kRow;
      if (acceptKind(TokenKind::kNotEquals)) {
        // ROW<>: the lexer read the empty brackets as one '<>' token.
        type.span = spanFrom(start);
        return type;
      }
      bool angle = atKind(TokenKind::kLess);
      if (!angle && !atKind(TokenKind::kLeftParen)) failExpected("'<' or '(' after ROW");
      consume();
      TokenKind close = angle ? TokenKind::kGreater : TokenKind::kRightParen;
      if (!atKind(close)) {
        do {
          RowFieldSyntax field;
          field.name = identifier("a field name");
          field.type = dataType();
          if (atKind(TokenKind::kString)) field.comment = consume().text;
          type.fields.push_back(std::move(field));
        } while (acceptKind(TokenKind::kComma));
      }
      expectKind(close, angle ? "',' or '>' in ROW<...>" : "',' or ')' in ROW(...)");
    } else {
      pos_ = start;
      std::string hint;
      if (auto match = closestMatch(word, kTypeNames)) hint = "did you mean " + *match + "?";
      fail(t, "unknown data type " + describeToken(t), hint);
    }
    if (at("NOT") && atAhead(1, "NULL")) {
      consume();
      consume();
      type.notNull = true;
    } else {
      accept("NULL");
    }
    type.span = spanFrom(start);
    return type;
  }

  void timeZoneWords() {
    expect("TIME");
    expect("ZONE", "after TIME");
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::vector<HintComment> hints_;  // in source order
  size_t pos_ = 0;
  int depth_ = 0;
  int childHeight_ = 0;
  bool lastAliasImplicit_ = false;  // the last select item's alias came without AS
};

template <class T, class F>
ParseResult<T> run(std::string_view sql, F&& body) {
  std::vector<HintComment> hints;
  auto tokens = tokenize(sql, &hints);
  if (!tokens.isOk()) return tokens.error();
  Parser parser(sql, std::move(tokens).value(), std::move(hints));
  try {
    return body(parser);
  } catch (SyntaxError& e) {
    return std::move(e.error);
  }
}

}  // namespace

bool isReservedWord(std::string_view upperCaseWord) {
  return std::find(std::begin(kReservedWords), std::end(kReservedWords), upperCaseWord) !=
         std::end(kReservedWords);
}

bool isCompleteStatement(std::string_view buffer) {
  auto tokens = tokenize(buffer);
  if (!tokens.isOk()) return tokens.error().message.rfind("unterminated", 0) != 0;
  const std::vector<Token>& t = tokens.value();
  auto word = [&](size_t i, std::string_view upper) {
    return i < t.size() && t[i].kind == TokenKind::kWord && t[i].upper == upper;
  };
  bool inSet = false;  // inside BEGIN STATEMENT SET ... END
  int cases = 0;       // open CASE expressions, whose END is not the set's
  for (size_t i = 0; i < t.size(); ++i) {
    if (word(i, "BEGIN") && word(i + 1, "STATEMENT") && word(i + 2, "SET")) {
      inSet = true;
      cases = 0;
    } else if (word(i, "SET") && word(i + 1, "BEGIN") && i > 0 && word(i - 1, "STATEMENT")) {
      inSet = true;  // EXECUTE STATEMENT SET BEGIN
      cases = 0;
    } else if (word(i, "CASE")) {
      ++cases;
    } else if (word(i, "END")) {
      if (cases > 0) {
        --cases;
      } else {
        inSet = false;
      }
    }
  }
  return !inSet && t.size() >= 2 && t[t.size() - 2].kind == TokenKind::kSemicolon;
}

ParseResult<std::vector<StatementPtr>> parseStatements(std::string_view sql) {
  return run<std::vector<StatementPtr>>(sql, [](Parser& p) { return p.script(); });
}

ParseResult<StatementPtr> parseStatement(std::string_view sql) {
  return run<StatementPtr>(sql, [](Parser& p) { return p.singleStatement(); });
}

ParseResult<ExprPtr> parseExpression(std::string_view sql) {
  return run<ExprPtr>(sql, [](Parser& p) { return p.singleExpression(); });
}

ParseResult<DataTypeSyntax> parseDataType(std::string_view sql) {
  return run<DataTypeSyntax>(sql, [](Parser& p) { return p.singleType(); });
}

}  // namespace glint::sql
