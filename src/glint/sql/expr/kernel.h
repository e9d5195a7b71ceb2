#pragma once
// The contract between the evaluator and function kernels. A kernel is called once per batch
// (not per row) with its evaluated arguments and fills one output column in a tight loop.
// Each argument is either a column with one value per active row or a constant (one value
// that stands for every row), and the loop helpers below instantiate one loop per
// flat/constant combination so that no loop tests constness per row.
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>

#include "glint/common/status.h"
#include "glint/sql/expr/bound_expr.h"
#include "glint/types/column.h"

namespace glint::sql {

// State shared by the kernels of one compiled expression.
struct EvalState {
  int64_t nowMillis = 0;  // CURRENT_TIMESTAMP etc.: the clock is read once per batch
  std::mt19937_64 random{0x5eed};
};

struct KernelArg {
  const Column* column = nullptr;
  bool constant = false;

  size_t at(size_t i) const { return constant ? 0 : i; }
  bool isNull(size_t i) const { return column->isNull(at(i)); }
  bool hasNulls() const { return column->hasNulls(); }
  int64_t integer(size_t i) const { return column->getInt(at(i)); }
  double real(size_t i) const { return column->getDouble(at(i)); }
  std::string_view text(size_t i) const { return column->getString(at(i)); }
};

struct KernelCall {
  const KernelArg* args = nullptr;
  size_t argCount = 0;
  size_t rows = 0;                    // values to produce
  const uint8_t* argNulls = nullptr;  // propagating functions: 1 where an argument is NULL
  EvalState* state = nullptr;
  Column* out = nullptr;            // empty column of the result's storage type
  const BoundExpr* expr = nullptr;  // the call, for error messages

  const KernelArg& arg(size_t i) const { return args[i]; }
  // True for rows whose result is NULL because an argument is: a kernel that can fail or is
  // costly skips them (their value is overwritten by the null mask afterwards).
  bool skip(size_t i) const { return argNulls != nullptr && argNulls[i] != 0; }
};

using KernelFn = std::function<void(KernelCall&)>;

// ---- output helpers: fixed-width outputs are sized once and written by index.
inline int64_t* outIntegers(KernelCall& c) {
  c.out->mutableInts().resize(c.rows);
  return c.out->mutableInts().data();
}
inline double* outReals(KernelCall& c) {
  c.out->mutableDoubles().resize(c.rows);
  return c.out->mutableDoubles().data();
}
// A zeroed null mask of `rows` bytes for kernels that produce NULL themselves.
inline uint8_t* outNulls(KernelCall& c) {
  auto& mask = c.out->mutableNullMask();
  mask.assign(c.rows, 0);
  return mask.data();
}

// ---- argument readers, one type per (physical type, constness).
struct FlatIntegers {
  const int64_t* values;
  int64_t operator[](size_t i) const { return values[i]; }
};
struct ConstInteger {
  int64_t value;
  int64_t operator[](size_t) const { return value; }
};
struct FlatReals {
  const double* values;
  double operator[](size_t i) const { return values[i]; }
};
struct ConstReal {
  double value;
  double operator[](size_t) const { return value; }
};
struct FlatTexts {
  const uint32_t* offsets;
  const char* chars;
  std::string_view operator[](size_t i) const {
    return std::string_view(chars + offsets[i], offsets[i + 1] - offsets[i]);
  }
};
struct ConstText {
  std::string_view value;
  std::string_view operator[](size_t) const { return value; }
};

template <class F>
void withIntegers(const KernelArg& a, F&& f) {
  if (a.constant)
    f(ConstInteger{a.column->getInt(0)});
  else
    f(FlatIntegers{a.column->ints().data()});
}
template <class F>
void withReals(const KernelArg& a, F&& f) {
  if (a.constant)
    f(ConstReal{a.column->getDouble(0)});
  else
    f(FlatReals{a.column->doubles().data()});
}
template <class F>
void withTexts(const KernelArg& a, F&& f) {
  if (a.constant)
    f(ConstText{a.column->getString(0)});
  else
    f(FlatTexts{a.column->offsets().data(), a.column->chars().data()});
}
// Reader for the argument's physical type (int64 or double), chosen by T.
template <class T, class F>
void withValues(const KernelArg& a, F&& f) {
  if constexpr (std::is_same_v<T, double>)
    withReals(a, f);
  else if constexpr (std::is_same_v<T, std::string_view>)
    withTexts(a, f);
  else
    withIntegers(a, f);
}

// Raises the runtime error of a failing kernel: "<function>: <message>".
[[noreturn]] void raiseEvalError(const KernelCall& c, const std::string& message);

}  // namespace glint::sql
