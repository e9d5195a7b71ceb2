#pragma once
// The syntax tree of Glint SQL (the Flink SQL dialect), as produced by the parser
// (glint/sql/parser/parser.h) and consumed by the binder.
//
// Conventions:
// - Every node carries the SourceSpan of the text it was parsed from, so that any later layer
//   can point a caret at it (renderCaret in parse_error.h).
// - Nodes are plain structs owned through std::unique_ptr; the `kind` field says which struct
//   an Expr, QueryBody, TableRef or Statement is (use `as<T>()`).
// - Names are kept as written (Flink identifiers are case-sensitive); backquotes are removed.
//   Keywords used as function names (COUNT, CURRENT_TIMESTAMP, ...) keep the user's spelling;
//   compare them case-insensitively.
// - The tree is the syntax, not yet the meaning: `a.b.c` is a ColumnRef with three parts
//   whether it means table.column.field or column.field.field; the binder decides.
// - Equality (`equals`) compares structure and ignores source positions; `toString`
//   (ast_printer.h) prints a tree back as normalized SQL that parses to an equal tree.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace glint::sql {

// Where a node came from in the SQL text.
struct SourceSpan {
  int offset = 0;  // byte offset of the first character
  int length = 0;  // bytes
  int line = 1;    // 1-based
  int column = 1;  // 1-based, counted in characters (UTF-8 code points)
};

struct Identifier {
  std::string name;  // unquoted, as written
  SourceSpan span;
};

// `a`, `db.t`, `cat.db.t`: at least one part.
struct QualifiedName {
  std::vector<Identifier> parts;
  SourceSpan span;
  // The parts joined by '.', each backquoted when it needs to be.
  std::string toString() const;
};

struct Query;
struct DataTypeSyntax;

// ----------------------------------------------------------------------------------------
// Data types
// ----------------------------------------------------------------------------------------

enum class TypeName : uint8_t {
  kBoolean,
  kTinyInt,
  kSmallInt,
  kInt,  // INT, INTEGER
  kBigInt,
  kFloat,
  kDouble,   // DOUBLE, DOUBLE PRECISION
  kDecimal,  // DECIMAL, DEC, NUMERIC: precision and scale
  kChar,     // CHAR(n)
  kVarchar,  // VARCHAR(n)
  kString,   // STRING = VARCHAR(2147483647)
  kBinary,   // BINARY(n)
  kVarbinary,
  kBytes,  // BYTES = VARBINARY(2147483647)
  kDate,
  kTime,          // TIME(p)
  kTimestamp,     // TIMESTAMP(p) [WITHOUT TIME ZONE]
  kTimestampLtz,  // TIMESTAMP_LTZ(p), TIMESTAMP(p) WITH LOCAL TIME ZONE
  kArray,         // ARRAY<T>: one parameter
  kMultiset,      // MULTISET<T>: one parameter
  kMap,           // MAP<K, V>: two parameters
  kRow,           // ROW<name type, ...>: fields
};

struct RowFieldSyntax;

// A data type as written. Missing precision or scale stay empty: their defaults are the
// binder's business.
struct DataTypeSyntax {
  TypeName name = TypeName::kInt;
  std::optional<int64_t> precision;  // also the length of CHAR/VARCHAR/BINARY/VARBINARY
  std::optional<int64_t> scale;
  bool notNull = false;
  std::vector<DataTypeSyntax> parameters;  // element types of ARRAY, MULTISET, MAP
  std::vector<RowFieldSyntax> fields;      // ROW fields
  SourceSpan span;
};

struct RowFieldSyntax {
  Identifier name;
  DataTypeSyntax type;
  std::optional<std::string> comment;
};

// ----------------------------------------------------------------------------------------
// Expressions
// ----------------------------------------------------------------------------------------

enum class AstExprKind : uint8_t {
  kLiteral,      // LiteralExpr
  kInterval,     // IntervalExpr
  kColumn,       // ColumnRefExpr
  kFieldAccess,  // FieldAccessExpr: (expr).field
  kSubscript,    // SubscriptExpr: expr[index]
  kUnary,        // UnaryExpr
  kBinary,       // BinaryExpr
  kIs,           // IsExpr
  kIn,           // InExpr
  kBetween,      // BetweenExpr
  kLike,         // LikeExpr
  kCase,         // CaseExpr
  kCast,         // CastExpr
  kFunction,     // FunctionCallExpr
  kExtract,      // ExtractExpr
  kTrim,         // TrimExpr
  kTimeFloor,    // TimeFloorExpr: FLOOR/CEIL(x TO unit)
  kSubquery,     // SubqueryExpr: scalar subquery or EXISTS
  kCollection,   // CollectionExpr: ARRAY[...], MAP[...]
};

struct Expr {
  explicit Expr(AstExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  template <class T>
  const T& as() const {
    return static_cast<const T&>(*this);
  }
  template <class T>
  T& as() {
    return static_cast<T&>(*this);
  }

  const AstExprKind kind;
  SourceSpan span;
};
using ExprPtr = std::unique_ptr<Expr>;

enum class LiteralKind : uint8_t {
  kNull,
  kBoolean,      // text "TRUE" or "FALSE"
  kInteger,      // digits, maybe with a leading '-': "42", "-7"
  kDecimal,      // exact numeric with a point: "0.908", "-1.5", "2."
  kApproximate,  // with an exponent: "1e3", "2.5E-4"
  kString,       // text is the value, quotes removed and '' unescaped
  kDate,         // DATE '2020-01-01': text is the quoted value
  kTime,         // TIME '12:00:00'
  kTimestamp,    // TIMESTAMP '2020-01-01 12:00:00'
};

struct LiteralExpr : Expr {
  LiteralExpr() : Expr(AstExprKind::kLiteral) {}
  LiteralKind literalKind = LiteralKind::kNull;
  std::string text;
};

// Units of EXTRACT, FLOOR/CEIL ... TO and interval qualifiers.
enum class TimeUnit : uint8_t {
  kYear,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kNanosecond,
  kDayOfWeek,  // DOW
  kDayOfYear,  // DOY
  kEpoch,
  kDecade,
  kCentury,
  kMillennium,
};

// INTERVAL '10' SECOND, INTERVAL '1:30' MINUTE TO SECOND, INTERVAL -'2' DAY.
struct IntervalExpr : Expr {
  IntervalExpr() : Expr(AstExprKind::kInterval) {}
  std::string value;  // the quoted text, e.g. "10" or "1:30"
  bool negative = false;
  TimeUnit from = TimeUnit::kSecond;
  std::optional<TimeUnit> to;
};

// A (possibly qualified) name in an expression: `price`, `B.price`, `person.dateTime`.
struct ColumnRefExpr : Expr {
  ColumnRefExpr() : Expr(AstExprKind::kColumn) {}
  QualifiedName name;
};

// Field of a composite value that is not a plain name: `f(x).field`, `(a.b).c`.
struct FieldAccessExpr : Expr {
  FieldAccessExpr() : Expr(AstExprKind::kFieldAccess) {}
  ExprPtr base;
  Identifier field;
};

// Element of an array or map: `tags[1]`, `props['k']`.
struct SubscriptExpr : Expr {
  SubscriptExpr() : Expr(AstExprKind::kSubscript) {}
  ExprPtr base;
  ExprPtr index;
};

enum class UnaryOp : uint8_t { kNegate, kPlus, kNot };

// `-x`, `+x`, `NOT x`. A minus directly before a numeric literal is folded into the literal.
struct UnaryExpr : Expr {
  UnaryExpr() : Expr(AstExprKind::kUnary) {}
  UnaryOp op = UnaryOp::kNot;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,  // %
  kConcat,  // ||
  kEqual,
  kNotEqual,  // <> and !=
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
  kAnd,
  kOr,
};

struct BinaryExpr : Expr {
  BinaryExpr() : Expr(AstExprKind::kBinary) {}
  BinaryOp op = BinaryOp::kAnd;
  ExprPtr left;
  ExprPtr right;
};

enum class IsTest : uint8_t { kNull, kTrue, kFalse, kUnknown };

// `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`.
struct IsExpr : Expr {
  IsExpr() : Expr(AstExprKind::kIs) {}
  ExprPtr operand;
  IsTest test = IsTest::kNull;
  bool negated = false;
};

// `x [NOT] IN (a, b, ...)` (list) or `x [NOT] IN (SELECT ...)` (subquery).
struct InExpr : Expr {
  InExpr();
  ~InExpr() override;
  ExprPtr operand;
  std::vector<ExprPtr> list;
  std::unique_ptr<Query> subquery;  // set instead of `list`
  bool negated = false;
};

// `x [NOT] BETWEEN [SYMMETRIC] low AND high`.
struct BetweenExpr : Expr {
  BetweenExpr() : Expr(AstExprKind::kBetween) {}
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
  bool symmetric = false;
};

// `x [NOT] LIKE pattern [ESCAPE c]` and `x [NOT] SIMILAR TO pattern [ESCAPE c]`.
struct LikeExpr : Expr {
  LikeExpr() : Expr(AstExprKind::kLike) {}
  ExprPtr operand;
  ExprPtr pattern;
  ExprPtr escape;  // may be null
  bool negated = false;
  bool similarTo = false;
};

struct WhenClause {
  ExprPtr condition;  // a boolean, or the value compared with CASE's operand
  ExprPtr result;
};

// `CASE [operand] WHEN .. THEN .. [ELSE ..] END`.
struct CaseExpr : Expr {
  CaseExpr() : Expr(AstExprKind::kCase) {}
  ExprPtr operand;  // null for the searched form
  std::vector<WhenClause> whens;
  ExprPtr elseResult;  // may be null
};

// `CAST(x AS type)`, `TRY_CAST(x AS type)`, `x::type`.
struct CastExpr : Expr {
  CastExpr();
  ~CastExpr() override;
  ExprPtr operand;
  std::unique_ptr<DataTypeSyntax> type;
  bool tryCast = false;
};

enum class NullOrder : uint8_t { kDefault, kFirst, kLast };

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
  NullOrder nulls = NullOrder::kDefault;
  SourceSpan span;
};

enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // offset PRECEDING
  kCurrentRow,
  kFollowing,  // offset FOLLOWING
  kUnboundedFollowing,
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExprPtr offset;  // for kPreceding and kFollowing: a count (ROWS) or an interval (RANGE)
};

enum class FrameUnit : uint8_t { kRows, kRange };

// `ROWS|RANGE BETWEEN start AND end`, or `ROWS|RANGE start` (end absent: CURRENT ROW).
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRows;
  FrameBound start;
  std::optional<FrameBound> end;
  SourceSpan span;
};

// The inside of `OVER (...)` or of `WINDOW w AS (...)`. `OVER w` is a spec naming only
// baseWindow.
struct WindowSpec {
  std::optional<Identifier> baseWindow;
  std::vector<ExprPtr> partitionBy;
  std::vector<OrderItem> orderBy;
  std::optional<WindowFrame> frame;
  SourceSpan span;
};

// A call `name(args)`. Special argument syntaxes are normalized: SUBSTRING(s FROM a FOR b) is
// SUBSTRING(s, a, b) and POSITION(a IN b) is POSITION(a, b). Niladic keywords
// (CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME) are calls with
// withoutParentheses set.
struct FunctionCallExpr : Expr {
  FunctionCallExpr() : Expr(AstExprKind::kFunction) {}
  QualifiedName name;
  std::vector<ExprPtr> arguments;
  bool distinct = false;      // COUNT(DISTINCT x)
  bool starArgument = false;  // COUNT(*)
  bool withoutParentheses = false;
  ExprPtr filter;                    // agg(...) FILTER (WHERE filter); may be null
  std::unique_ptr<WindowSpec> over;  // agg(...) OVER (...) / OVER w; may be null
};

// `EXTRACT(unit FROM operand)`.
struct ExtractExpr : Expr {
  ExtractExpr() : Expr(AstExprKind::kExtract) {}
  TimeUnit unit = TimeUnit::kYear;
  ExprPtr operand;
};

enum class TrimMode : uint8_t { kBoth, kLeading, kTrailing };

// `TRIM([BOTH|LEADING|TRAILING] [characters] FROM operand)` and `TRIM(operand)`.
struct TrimExpr : Expr {
  TrimExpr() : Expr(AstExprKind::kTrim) {}
  TrimMode mode = TrimMode::kBoth;
  ExprPtr characters;  // null: spaces
  ExprPtr operand;
};

// `FLOOR(x TO unit)`, `CEIL(x TO unit)`: a time rounded to a unit. FLOOR(x) of a number is an
// ordinary FunctionCallExpr.
struct TimeFloorExpr : Expr {
  TimeFloorExpr() : Expr(AstExprKind::kTimeFloor) {}
  bool ceil = false;
  ExprPtr operand;
  TimeUnit unit = TimeUnit::kDay;
};

enum class SubqueryKind : uint8_t { kScalar, kExists };

// `(SELECT ...)` as a value, or `EXISTS (SELECT ...)` (NOT EXISTS is NOT over this).
struct SubqueryExpr : Expr {
  SubqueryExpr();
  ~SubqueryExpr() override;
  SubqueryKind subqueryKind = SubqueryKind::kScalar;
  std::unique_ptr<Query> query;
};

// 'key' = 'value': a table option in WITH (...), or an argument of a hint.
struct TableOption {
  std::string key;
  std::string value;
  SourceSpan span;
};

// A hint in a `/*+ ... */` comment after SELECT or after a table name, in one of Flink's two
// forms: key-value (`OPTIONS('scan.startup.mode' = 'earliest-offset')`, `STATE_TTL('o' =
// '1d')`) or a list of names (`BROADCAST(dim)`). Which hints exist is the planner's business.
struct Hint {
  Identifier name;
  std::vector<TableOption> options;  // 'key' = 'value' arguments
  std::vector<Identifier> names;     // name arguments
  SourceSpan span;
};

// `ARRAY[a, b, ...]`, or `MAP[k1, v1, k2, v2, ...]` (keys and values alternate).
struct CollectionExpr : Expr {
  CollectionExpr() : Expr(AstExprKind::kCollection) {}
  bool map = false;
  std::vector<ExprPtr> elements;
};

// ----------------------------------------------------------------------------------------
// Table references (FROM)
// ----------------------------------------------------------------------------------------

enum class TableRefKind : uint8_t {
  kNamed,          // NamedTableRef
  kSubquery,       // SubqueryTableRef
  kTableFunction,  // TableFunctionRef
  kJoin,           // JoinTableRef
  kUnnest,         // UnnestTableRef
};

struct TableRef {
  explicit TableRef(TableRefKind k) : kind(k) {}
  virtual ~TableRef() = default;
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;
  template <class T>
  const T& as() const {
    return static_cast<const T&>(*this);
  }
  template <class T>
  T& as() {
    return static_cast<T&>(*this);
  }

  const TableRefKind kind;
  std::optional<Identifier> alias;        // [AS] alias; never set on joins
  std::vector<Identifier> columnAliases;  // [AS] alias (c1, c2, ...)
  SourceSpan span;
};
using TableRefPtr = std::unique_ptr<TableRef>;

// `name [/*+ hints */] [FOR SYSTEM_TIME AS OF expr] [AS alias]`.
struct NamedTableRef : TableRef {
  NamedTableRef() : TableRef(TableRefKind::kNamed) {}
  QualifiedName name;
  std::vector<Hint> hints;  // e.g. OPTIONS('k' = 'v'): dynamic table options
  ExprPtr systemTimeAsOf;   // temporal join version; may be null
};

// `[LATERAL] (query) [AS] alias`.
struct SubqueryTableRef : TableRef {
  SubqueryTableRef();
  ~SubqueryTableRef() override;
  std::unique_ptr<Query> query;
  bool lateral = false;
};

enum class TableArgumentKind : uint8_t {
  kExpression,  // INTERVAL '10' SECOND, 'x', 5, ...
  kTable,       // TABLE bid [PARTITION BY k, ...]
  kDescriptor,  // DESCRIPTOR(dateTime)
};

// One argument of a table function: positional or named (`SIZE => INTERVAL '10' MINUTES`).
struct TableArgument {
  std::optional<Identifier> name;
  TableArgumentKind kind = TableArgumentKind::kExpression;
  ExprPtr expression;                         // kExpression
  QualifiedName table;                        // kTable
  std::vector<Identifier> partitionBy;        // kTable
  std::vector<Identifier> descriptorColumns;  // kDescriptor
  SourceSpan span;
};

// `TABLE(f(args))` in FROM, e.g. the window TVFs TUMBLE, HOP, CUMULATE and SESSION, or
// `LATERAL TABLE(udtf(x))`.
struct TableFunctionRef : TableRef {
  TableFunctionRef() : TableRef(TableRefKind::kTableFunction) {}
  QualifiedName function;
  std::vector<TableArgument> arguments;
  bool lateral = false;
};

// `UNNEST(array_or_map, ...) [WITH ORDINALITY] [AS] t (c, ...)`: one row per element,
// usually joined laterally: FROM orders CROSS JOIN UNNEST(tags) AS t (tag).
struct UnnestTableRef : TableRef {
  UnnestTableRef() : TableRef(TableRefKind::kUnnest) {}
  std::vector<ExprPtr> arguments;
  bool withOrdinality = false;
};

enum class JoinType : uint8_t {
  kInner,
  kLeft,
  kRight,
  kFull,
  kCross,
  kComma,  // FROM a, b: a cross join, kept apart because ',' binds more loosely than JOIN
};

struct JoinTableRef : TableRef {
  JoinTableRef() : TableRef(TableRefKind::kJoin) {}
  JoinType joinType = JoinType::kInner;
  bool natural = false;
  TableRefPtr left;
  TableRefPtr right;
  ExprPtr condition;                     // ON condition; may be null
  std::vector<Identifier> usingColumns;  // USING (a, b)
};

// ----------------------------------------------------------------------------------------
// Queries
// ----------------------------------------------------------------------------------------

// `SELECT *`, `SELECT t.*`, `SELECT expr [AS alias]`.
struct SelectItem {
  bool star = false;
  QualifiedName starQualifier;  // the `t` of `t.*`; no parts for a plain `*`
  ExprPtr expr;                 // when not a star
  std::optional<Identifier> alias;
  SourceSpan span;
};

enum class GroupingKind : uint8_t {
  kExpression,    // a
  kTuple,         // (a, b) or (): only inside the three below
  kRollup,        // ROLLUP(...)
  kCube,          // CUBE(...)
  kGroupingSets,  // GROUPING SETS(...)
};

struct GroupingElement {
  GroupingKind kind = GroupingKind::kExpression;
  ExprPtr expr;                           // kExpression
  std::vector<GroupingElement> elements;  // the other kinds
  SourceSpan span;
};

struct NamedWindow {
  Identifier name;
  WindowSpec spec;
};

enum class QueryBodyKind : uint8_t {
  kSelect,        // SelectBody
  kSetOperation,  // SetOperationBody
  kValues,        // ValuesBody
  kNested,        // NestedQueryBody: a parenthesized query
};

struct QueryBody {
  explicit QueryBody(QueryBodyKind k) : kind(k) {}
  virtual ~QueryBody() = default;
  QueryBody(const QueryBody&) = delete;
  QueryBody& operator=(const QueryBody&) = delete;
  template <class T>
  const T& as() const {
    return static_cast<const T&>(*this);
  }
  template <class T>
  T& as() {
    return static_cast<T&>(*this);
  }

  const QueryBodyKind kind;
  SourceSpan span;
};
using QueryBodyPtr = std::unique_ptr<QueryBody>;

struct SelectBody : QueryBody {
  SelectBody() : QueryBody(QueryBodyKind::kSelect) {}
  std::vector<Hint> hints;  // SELECT /*+ ... */: join and state hints
  bool distinct = false;
  std::vector<SelectItem> items;
  TableRefPtr from;  // may be null (SELECT 1)
  ExprPtr where;     // may be null
  std::vector<GroupingElement> groupBy;
  ExprPtr having;  // may be null
  std::vector<NamedWindow> windows;
};

enum class SetOperator : uint8_t { kUnion, kIntersect, kExcept };

// INTERSECT binds more tightly than UNION and EXCEPT; all are left-associative.
struct SetOperationBody : QueryBody {
  SetOperationBody() : QueryBody(QueryBodyKind::kSetOperation) {}
  SetOperator op = SetOperator::kUnion;
  bool all = false;
  QueryBodyPtr left;
  QueryBodyPtr right;
};

// `VALUES (1, 'a'), (2, 'b')`.
struct ValuesBody : QueryBody {
  ValuesBody() : QueryBody(QueryBodyKind::kValues) {}
  std::vector<std::vector<ExprPtr>> rows;
};

struct NestedQueryBody : QueryBody {
  NestedQueryBody();
  ~NestedQueryBody() override;
  std::unique_ptr<Query> query;
};

struct CommonTableExpr {
  Identifier name;
  std::vector<Identifier> columns;
  std::unique_ptr<Query> query;
  SourceSpan span;
};

// A full query: `[WITH ...] body [ORDER BY ...] [LIMIT n] [OFFSET m]`.
// `FETCH FIRST n ROWS ONLY` is stored as limit.
struct Query {
  std::vector<CommonTableExpr> with;
  QueryBodyPtr body;
  std::vector<OrderItem> orderBy;
  ExprPtr limit;   // may be null
  ExprPtr offset;  // may be null
  SourceSpan span;
};

// ----------------------------------------------------------------------------------------
// Statements
// ----------------------------------------------------------------------------------------

enum class StatementKind : uint8_t {
  kQuery,           // QueryStatement
  kInsert,          // InsertStatement
  kStatementSet,    // StatementSetStatement
  kCreateTable,     // CreateTableStatement
  kCreateView,      // CreateViewStatement
  kCreateFunction,  // CreateFunctionStatement
  kDrop,            // DropStatement
  kShow,            // ShowStatement
  kDescribe,        // DescribeStatement
  kUse,             // UseStatement
  kSet,             // SetStatement
  kReset,           // ResetStatement
  kExplain,         // ExplainStatement
};

struct Statement {
  explicit Statement(StatementKind k) : kind(k) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  template <class T>
  const T& as() const {
    return static_cast<const T&>(*this);
  }
  template <class T>
  T& as() {
    return static_cast<T&>(*this);
  }

  const StatementKind kind;
  SourceSpan span;  // the statement without its terminating ';'
};
using StatementPtr = std::unique_ptr<Statement>;

struct QueryStatement : Statement {
  QueryStatement() : Statement(StatementKind::kQuery) {}
  std::unique_ptr<Query> query;
};

struct PartitionValue {
  Identifier column;
  ExprPtr value;
};

// `INSERT INTO|OVERWRITE name [PARTITION (k = v, ...)] [(c1, c2)] query`.
struct InsertStatement : Statement {
  InsertStatement() : Statement(StatementKind::kInsert) {}
  QualifiedName target;
  bool overwrite = false;
  std::vector<PartitionValue> partition;
  std::vector<Identifier> columns;
  std::unique_ptr<Query> query;
};

// `EXECUTE STATEMENT SET BEGIN insert; ... END`, or the SQL client's
// `BEGIN STATEMENT SET; insert; ... END;`: the inserts run as one job.
struct StatementSetStatement : Statement {
  StatementSetStatement() : Statement(StatementKind::kStatementSet) {}
  std::vector<std::unique_ptr<InsertStatement>> inserts;
};

enum class ColumnKind : uint8_t {
  kPhysical,  // name TYPE
  kComputed,  // name AS expr
  kMetadata,  // name TYPE METADATA [FROM 'key'] [VIRTUAL]
};

struct ColumnDefinition {
  Identifier name;
  ColumnKind columnKind = ColumnKind::kPhysical;
  std::optional<DataTypeSyntax> type;      // physical and metadata columns
  ExprPtr expression;                      // computed columns
  std::optional<std::string> metadataKey;  // METADATA FROM 'key'
  bool isVirtual = false;                  // METADATA ... VIRTUAL
  std::optional<std::string> comment;
  SourceSpan span;
};

// `WATERMARK FOR rowtime AS expr`.
struct WatermarkDefinition {
  Identifier column;
  ExprPtr expression;
  SourceSpan span;
};

// `[CONSTRAINT name] PRIMARY KEY (a, b) NOT ENFORCED`, or the column form `a INT PRIMARY KEY
// NOT ENFORCED`. Flink accepts only NOT ENFORCED, so that is implied.
struct PrimaryKeyDefinition {
  std::optional<Identifier> constraintName;
  std::vector<Identifier> columns;
  SourceSpan span;
};

// `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (columns, watermark, key) [COMMENT '...']
// [PARTITIONED BY (...)] WITH (options) [AS query]`.
struct CreateTableStatement : Statement {
  CreateTableStatement() : Statement(StatementKind::kCreateTable) {}
  QualifiedName name;
  bool temporary = false;
  bool ifNotExists = false;
  std::vector<ColumnDefinition> columns;
  std::optional<WatermarkDefinition> watermark;
  std::optional<PrimaryKeyDefinition> primaryKey;
  std::optional<std::string> comment;
  std::vector<Identifier> partitionedBy;
  std::vector<TableOption> options;
  std::unique_ptr<Query> asQuery;  // CREATE TABLE ... AS SELECT; may be null
};

// `CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(c1, c2)] [COMMENT '...'] AS query`.
struct CreateViewStatement : Statement {
  CreateViewStatement() : Statement(StatementKind::kCreateView) {}
  QualifiedName name;
  bool temporary = false;
  bool ifNotExists = false;
  std::vector<Identifier> columns;
  std::optional<std::string> comment;
  std::unique_ptr<Query> query;
};

// `CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE lang]`.
struct CreateFunctionStatement : Statement {
  CreateFunctionStatement() : Statement(StatementKind::kCreateFunction) {}
  QualifiedName name;
  bool temporary = false;
  bool system = false;
  bool ifNotExists = false;
  std::string className;
  std::optional<std::string> language;  // JAVA, SCALA, PYTHON (upper-cased)
  std::vector<std::string> jars;        // USING JAR 'path' [, JAR 'path']*: libraries to load
};

enum class ObjectKind : uint8_t { kTable, kView, kFunction };

// `DROP [TEMPORARY [SYSTEM]] TABLE|VIEW|FUNCTION [IF EXISTS] name`.
struct DropStatement : Statement {
  DropStatement() : Statement(StatementKind::kDrop) {}
  ObjectKind objectKind = ObjectKind::kTable;
  bool temporary = false;
  bool system = false;
  bool ifExists = false;
  QualifiedName name;
};

enum class ShowObject : uint8_t {
  kTables,
  kViews,
  kFunctions,
  kCatalogs,
  kDatabases,
  kCurrentCatalog,
  kCurrentDatabase,
  kJobs,
  kCreateTable,  // SHOW CREATE TABLE name
  kCreateView,   // SHOW CREATE VIEW name
};

struct ShowStatement : Statement {
  ShowStatement() : Statement(StatementKind::kShow) {}
  ShowObject object = ShowObject::kTables;
  QualifiedName name;      // for SHOW CREATE TABLE/VIEW
  bool userOnly = false;  // SHOW USER FUNCTIONS
};

// `DESCRIBE name` / `DESC name`.
struct DescribeStatement : Statement {
  DescribeStatement() : Statement(StatementKind::kDescribe) {}
  QualifiedName name;
};

// `USE [CATALOG] name`.
struct UseStatement : Statement {
  UseStatement() : Statement(StatementKind::kUse) {}
  bool catalog = false;
  QualifiedName name;
};

// `SET 'key' = 'value'`, or plain `SET` (list all).
struct SetStatement : Statement {
  SetStatement() : Statement(StatementKind::kSet) {}
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// `RESET 'key'`, or plain `RESET` (all).
struct ResetStatement : Statement {
  ResetStatement() : Statement(StatementKind::kReset) {}
  std::optional<std::string> key;
};

enum class ExplainDetail : uint8_t {
  kEstimatedCost,
  kChangelogMode,
  kJsonExecutionPlan,
  kPlanAdvice,
};

// `EXPLAIN [detail, ...] [PLAN FOR] statement`, the statement being a query, an INSERT or a
// statement set.
struct ExplainStatement : Statement {
  ExplainStatement() : Statement(StatementKind::kExplain) {}
  std::vector<ExplainDetail> details;
  StatementPtr statement;
};

// ----------------------------------------------------------------------------------------
// Structural equality (source positions ignored)
// ----------------------------------------------------------------------------------------

bool equals(const Expr& a, const Expr& b);
bool equals(const Query& a, const Query& b);
bool equals(const TableRef& a, const TableRef& b);
bool equals(const DataTypeSyntax& a, const DataTypeSyntax& b);
bool equals(const Statement& a, const Statement& b);

// ----------------------------------------------------------------------------------------
// Walking expressions
// ----------------------------------------------------------------------------------------

// Calls `visit` on each direct child expression of `e`, in source order: operands, arguments,
// FILTER, and the PARTITION BY / ORDER BY / frame offsets of OVER. Queries inside the
// expression (IN (SELECT ...), EXISTS, scalar subqueries) are separate scopes and not entered.
void forEachChild(const Expr& e, const std::function<void(const Expr&)>& visit);
// The same with the owning pointers, so that a pass can replace children in place.
void forEachChild(Expr& e, const std::function<void(ExprPtr&)>& visit);

// Names for messages and printing.
const char* timeUnitName(TimeUnit unit);  // "SECOND", "DOW", ...
const char* binaryOperatorText(BinaryOp op);  // "+", "<>", "IS DISTINCT FROM", "AND", ...
const char* typeNameText(TypeName name);  // "INT", "TIMESTAMP_LTZ", ...

}  // namespace glint::sql
