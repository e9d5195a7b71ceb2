#pragma once
// The bound (typed, resolved) expression IR of Glint SQL. The binder turns parser AST
// expressions into these trees; the planner inspects and rewrites them (constant folding,
// column remapping after projection push-down) and hands them to the vectorised evaluator
// (sql/expr/evaluator.h). Trees are immutable and shared (BoundExprPtr), so a rewrite copies
// only the path it changes and a lowered form may reuse a subtree (BETWEEN uses its operand
// twice).
//
// Type decisions (Flink is the reference):
// - Column types are glint::TypeId. Two SQL types exist only inside expressions: INTERVAL DAY
//   TO SECOND (int64 milliseconds, as Flink stores it) and INTERVAL YEAR TO MONTH (int64
//   months), plus the type of a bare NULL literal, which takes the type its context needs.
// - Flink types an exact numeric literal such as 0.908 as DECIMAL(3, 3) and evaluates
//   BIGINT * DECIMAL in decimal arithmetic. Glint has no DECIMAL type yet and approximates
//   it with DOUBLE: the binder should type decimal literals DOUBLE. Results then differ from
//   Flink only in the last binary digits (e.g. 0.908 * 1000 prints 908.0, not 908.000).
// - INT values are held in int64 columns like every integer type; INT arithmetic wraps at
//   32 bits as Java's int arithmetic does in Flink's generated code.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glint/types/data_type.h"

namespace glint::sql {

// The type of an expression. The first eight values mirror glint::TypeId one to one.
enum class ExprType : uint8_t {
  kBoolean,
  kInt,
  kBigint,
  kDouble,
  kVarchar,
  kTimestamp,
  kTimestampLtz,
  kDate,
  kIntervalDayTime,    // milliseconds
  kIntervalYearMonth,  // months
  kNull,               // a NULL literal whose type is not known yet
};

ExprType exprTypeOf(TypeId type);
// The column type of an expression type; nullopt for the interval and NULL types, which
// cannot be stored in a batch column (the binder casts a bare NULL before projecting it).
std::optional<TypeId> columnTypeOf(ExprType type);
// The TypeId of the column the evaluator produces for a value of this type (intervals are
// held in BIGINT columns, a bare NULL in an all-null BIGINT column).
TypeId storageTypeOf(ExprType type);
std::string_view exprTypeName(ExprType type);
bool isNumeric(ExprType type);    // INT, BIGINT, DOUBLE
bool isIntegral(ExprType type);   // INT, BIGINT
bool isTimePoint(ExprType type);  // TIMESTAMP, TIMESTAMP_LTZ, DATE
bool isInterval(ExprType type);

// A typed constant. Integers, booleans (0/1), timestamps (epoch millis), dates (epoch days)
// and intervals live in `integer`; DOUBLE in `real`; VARCHAR in `text`.
struct Value {
  ExprType type = ExprType::kNull;
  bool isNull = true;
  int64_t integer = 0;
  double real = 0;
  std::string text;

  static Value null(ExprType type);
  static Value boolean(bool v);
  static Value integerOf(ExprType type, int64_t v);  // INT, BIGINT, TIMESTAMP*, DATE, INTERVAL*
  static Value int32(int32_t v) { return integerOf(ExprType::kInt, v); }
  static Value int64(int64_t v) { return integerOf(ExprType::kBigint, v); }
  static Value float64(double v);
  static Value varchar(std::string v);

  // SQL literal text: 42, 1.5E0, 'it''s', TRUE, TIMESTAMP '2020-01-01 00:00:00.000',
  // INTERVAL '3600000' MILLISECOND, NULL.
  std::string toString() const;
  bool operator==(const Value& other) const;
};

struct FunctionDef;  // sql/expr/functions.h

enum class ExprKind : uint8_t {
  kColumn,   // input column reference
  kLiteral,  // constant
  kCall,     // resolved function call; operators and AND/OR/COALESCE are calls too
  kCast,     // CAST / TRY_CAST (args[0] is the operand)
  kCase,     // searched CASE: args = [when1, then1, ..., whenN, thenN, else]
  kIn,       // args = [value, item1, ..., itemN] (NOT IN is NOT(IN))
};

class BoundExpr;
using BoundExprPtr = std::shared_ptr<const BoundExpr>;

class BoundExpr {
 public:
  ExprKind kind = ExprKind::kLiteral;
  ExprType type = ExprType::kNull;
  bool nullable = true;

  int column = -1;                        // kColumn: index into the input batch
  std::string name;                       // kColumn: name shown by toString ("$<index>" when empty)
  Value literal;                          // kLiteral
  const FunctionDef* function = nullptr;  // kCall: a registry entry, alive for the process
  bool tryCast = false;                   // kCast
  std::vector<BoundExprPtr> args;

  bool isLiteral() const { return kind == ExprKind::kLiteral; }
  bool isNullLiteral() const { return kind == ExprKind::kLiteral && literal.isNull; }
  // The name of the call's function ("+", "SUBSTRING", ...); empty for other kinds.
  std::string_view functionName() const;

  // Compact SQL-like text for EXPLAIN: `(price * 0.908E0) > 100`, `UPPER(name)`,
  // `CAST(x AS BIGINT)`, `CASE WHEN ... END`, `x IN (1, 2)`.
  std::string toString() const;
  // Structural equality (same kinds, types, functions, literals and columns).
  bool equals(const BoundExpr& other) const;
};

BoundExprPtr makeColumnRef(int index, ExprType type, bool nullable = true, std::string name = {});
BoundExprPtr makeColumnRef(int index, TypeId type, bool nullable = true, std::string name = {});
BoundExprPtr makeLiteral(Value value);
BoundExprPtr makeNullLiteral(ExprType type = ExprType::kNull);
// INTERVAL literals as the binder parses them: day-time in milliseconds, year-month in months.
BoundExprPtr makeIntervalDayTime(int64_t millis);
BoundExprPtr makeIntervalYearMonth(int64_t months);

// A copy of `expr` with every column reference i replaced by mapping[i] (for projection
// push-down); the error names a column that has no new index (mapping[i] < 0).
Result<BoundExprPtr> remapColumns(const BoundExprPtr& expr, const std::vector<int>& mapping);
// Column indexes `expr` reads, ascending, without duplicates.
std::vector<int> referencedColumns(const BoundExpr& expr);

}  // namespace glint::sql
