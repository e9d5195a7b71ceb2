#pragma once
// Helpers of the aggregate evaluator tests: an AggCall in one line, a one-row result as text.
#include <string>

#include "glint/sql/planner/logical_plan.h"
#include "glint/types/batch.h"

namespace glint::testutil {

inline sql::AggCall aggCall(sql::AggKind kind, int argument, sql::ExprType type,
                            sql::ExprType result, int filter = -1) {
  sql::AggCall c;
  c.kind = kind;
  c.argument = argument;
  c.argumentType = type;
  c.resultType = result;
  c.filter = filter;
  return c;
}

// Row 0 of `c` as formatValue writes it, "NULL" for NULL.
inline std::string resultText(const Column& c) {
  std::string s;
  if (!formatValue(c, 0, s)) s = "NULL";
  return s;
}

}  // namespace glint::testutil
