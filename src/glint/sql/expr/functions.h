#pragma once
// The function registry: resolves a call by name (case-insensitive) and argument types to a
// typed BoundExpr, applying Flink's implicit conversions, and knows how to build the kernel
// that evaluates it. Every constructor checks its arguments and returns an error that names
// the function and what it expected, e.g.
//   function SUBSTRING expects (VARCHAR, INT[, INT]), got (BIGINT)
//
// Names accepted by makeCall (operators use their SQL spelling):
//   arithmetic   + - * / % (binary), - + (unary), MOD, ABS, SIGN, FLOOR, CEIL, CEILING, ROUND,
//                TRUNCATE, POWER, POW, SQRT, EXP, LN, LOG, LOG10, LOG2, SIN, COS, TAN, COT,
//                ASIN, ACOS, ATAN, ATAN2, SINH, COSH, TANH, DEGREES, RADIANS, PI, E, RAND,
//                RAND_INTEGER, GREATEST, LEAST
//   comparison   = <> != < <= > >=, IS [NOT] DISTINCT FROM, BETWEEN, NOT BETWEEN,
//                BETWEEN SYMMETRIC, NOT BETWEEN SYMMETRIC (value, low, high; lowered to
//                comparisons), IN, NOT IN (value, items...), LIKE, NOT LIKE (value, pattern
//                [, escape]), REGEXP
//   logic        AND OR NOT, IS [NOT] NULL, IS [NOT] TRUE, IS [NOT] FALSE, IS [NOT] UNKNOWN
//   conditional  COALESCE, IFNULL, NULLIF, IF (lowered to CASE)
//   string       || CONCAT CONCAT_WS UPPER LOWER CHAR_LENGTH CHARACTER_LENGTH SUBSTRING SUBSTR
//                TRIM (mode 'BOTH'|'LEADING'|'TRAILING', characters, string) or TRIM(string),
//                LTRIM RTRIM REPLACE POSITION (needle, haystack) LOCATE INSTR LPAD RPAD
//                INITCAP SPLIT_INDEX REGEXP_EXTRACT REGEXP_REPLACE REPEAT REVERSE LEFT RIGHT
//                ASCII CHR MD5
//   date/time    EXTRACT (unit, x), YEAR QUARTER MONTH WEEK DAYOFYEAR DAYOFMONTH DAYOFWEEK HOUR
//                MINUTE SECOND, DATE_FORMAT, TO_TIMESTAMP, TO_TIMESTAMP_LTZ, TO_DATE,
//                FROM_UNIXTIME, UNIX_TIMESTAMP, TIMESTAMPADD (unit, n, t), TIMESTAMPDIFF
//                (unit, t1, t2), FLOOR/CEIL (t, unit), CURRENT_TIMESTAMP NOW LOCALTIMESTAMP
//                CURRENT_DATE CURRENT_ROW_TIMESTAMP, t + interval, t - interval,
//                interval + t, interval ± interval
// Time-unit arguments (EXTRACT, TIMESTAMPADD, TIMESTAMPDIFF, FLOOR/CEIL ... TO) and the TRIM
// mode are VARCHAR literals holding the keyword ('HOUR', 'LEADING'): the binder passes the
// keyword it parsed.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glint/common/status.h"
#include "glint/sql/expr/bound_expr.h"
#include "glint/sql/expr/kernel.h"

namespace glint::sql {

enum class Syntax : uint8_t {
  kFunction,  // NAME(a, b)
  kInfix,     // (a NAME b)
  kPrefix,    // NAME a
  kPostfix,   // a NAME (IS NULL, ...)
};

// Calls whose arguments the evaluator must not evaluate eagerly on every row.
enum class SpecialForm : uint8_t { kNone, kAnd, kOr, kCoalesce };

// One resolved overload. Entries live in the registry for the life of the process, so calls
// compare them by address.
struct FunctionDef {
  std::string name;
  Syntax syntax = Syntax::kFunction;
  SpecialForm special = SpecialForm::kNone;
  // Deterministic calls with literal arguments are folded by foldConstants. False for RAND
  // and the clock functions.
  bool deterministic = true;
  // A new value for every row even when all arguments are constant (RAND).
  bool perRow = false;
  // NULL in any argument makes the result NULL: the evaluator computes the null mask and the
  // kernel only computes values. False for functions with their own NULL rules.
  bool propagatesNulls = true;
  // Builds the kernel for a call (it may look at literal arguments, e.g. to compile a LIKE
  // pattern or a regular expression once).
  std::function<Result<KernelFn>(const BoundExpr& call)> makeKernel;
};

// Resolves `name(args)`. A NULL literal of unknown type takes the type the function needs.
Result<BoundExprPtr> makeCall(std::string_view name, std::vector<BoundExprPtr> args);

// CAST(operand AS target) / TRY_CAST. Unsupported conversions are errors here; values that
// do not convert fail the query at run time (CAST) or become NULL (TRY_CAST).
Result<BoundExprPtr> makeCast(BoundExprPtr operand, ExprType target, bool tryCast = false);
Result<BoundExprPtr> makeCast(BoundExprPtr operand, TypeId target, bool tryCast = false);

// Searched CASE; `elseResult` may be null (ELSE NULL).
Result<BoundExprPtr> makeCase(std::vector<std::pair<BoundExprPtr, BoundExprPtr>> whenThen,
                              BoundExprPtr elseResult);
// Simple CASE (CASE x WHEN v1 THEN r1 ...), lowered to a searched CASE on x = v1.
Result<BoundExprPtr> makeSimpleCase(BoundExprPtr operand,
                                    std::vector<std::pair<BoundExprPtr, BoundExprPtr>> whenThen,
                                    BoundExprPtr elseResult);
Result<BoundExprPtr> makeIn(BoundExprPtr value, std::vector<BoundExprPtr> items,
                            bool negated = false);

// The least restrictive type of `types` (numeric widening INT < BIGINT < DOUBLE, DATE <
// TIMESTAMP, a NULL type adopts the other); an error when there is none.
Result<ExprType> commonType(const std::vector<ExprType>& types, std::string_view context);
// Wraps `expr` in a CAST to `type` when its type differs (a NULL literal becomes a typed
// NULL literal instead).
Result<BoundExprPtr> coerceTo(BoundExprPtr expr, ExprType type);

bool isKnownFunction(std::string_view name);
// All names makeCall accepts, upper case (for "did you mean" suggestions).
std::vector<std::string> knownFunctionNames();

// The kernel of CAST from `from` to `to` (used by the evaluator).
Result<KernelFn> makeCastKernel(ExprType from, ExprType to, bool tryCast);

}  // namespace glint::sql
