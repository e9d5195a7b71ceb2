// Arithmetic and math functions. Flink's type rules: INT op INT is INT (32-bit wrap-around, as
// Java ints), an operation with a BIGINT is BIGINT, one with a DOUBLE is DOUBLE; integer
// division truncates toward zero and integer division or remainder by zero fails the query
// ("/ by zero" in Flink); DOUBLE division by zero follows IEEE 754 (Infinity, NaN).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "glint/sql/expr/datetime.h"
#include "glint/sql/expr/function_registry.h"

namespace glint::sql {

namespace {

int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t wrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t wrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

enum class Op { kAdd, kSub, kMul, kDiv, kMod };

// One loop per flat/constant combination; INT results wrap to 32 bits.
// Signed division by a constant as a multiplication by a "magic" reciprocal and a shift
// (Granlund and Montgomery; the construction in Hacker's Delight, 10-1): `auction % 7` then
// costs a multiply instead of a hardware division per row.
class ConstantDivisor {
 public:
  // Usable for 2 <= |d| <= 2^62.
  static bool applies(int64_t d) {
    return (d >= 2 && d <= (int64_t{1} << 62)) || (d <= -2 && d >= -(int64_t{1} << 62));
  }
  explicit ConstantDivisor(int64_t d) : d_(d) {
    const uint64_t two63 = uint64_t{1} << 63;
    const uint64_t ad = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
    const uint64_t t = two63 + (static_cast<uint64_t>(d) >> 63);
    const uint64_t anc = t - 1 - t % ad;
    int p = 63;
    uint64_t q1 = two63 / anc, r1 = two63 - q1 * anc;
    uint64_t q2 = two63 / ad, r2 = two63 - q2 * ad;
    uint64_t delta;
    do {
      ++p;
      q1 *= 2;
      r1 *= 2;
      if (r1 >= anc) {
        ++q1;
        r1 -= anc;
      }
      q2 *= 2;
      r2 *= 2;
      if (r2 >= ad) {
        ++q2;
        r2 -= ad;
      }
      delta = ad - r2;
    } while (q1 < delta || (q1 == delta && r1 == 0));
    magic_ = static_cast<int64_t>(q2 + 1);
    if (d < 0) magic_ = -magic_;
    shift_ = p - 64;
  }
  int64_t quotient(int64_t n) const {
    int64_t q = static_cast<int64_t>((static_cast<__int128>(magic_) * n) >> 64);
    if (d_ > 0 && magic_ < 0) q += n;
    if (d_ < 0 && magic_ > 0) q -= n;
    q >>= shift_;
    return q + static_cast<int64_t>(static_cast<uint64_t>(q) >> 63);
  }
  int64_t remainder(int64_t n) const { return n - quotient(n) * d_; }

 private:
  int64_t d_;
  int64_t magic_ = 0;
  int shift_ = 0;
};

template <Op kOp, bool kInt32>
void integerArithmetic(KernelCall& c) {
  int64_t* out = outIntegers(c);
  if constexpr (kOp == Op::kDiv || kOp == Op::kMod) {
    const KernelArg& divisor = c.arg(1);
    if (divisor.constant && !divisor.isNull(0) && ConstantDivisor::applies(divisor.integer(0))) {
      const ConstantDivisor d(divisor.integer(0));
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) {
          const int64_t r = kOp == Op::kDiv ? d.quotient(a[i]) : d.remainder(a[i]);
          out[i] = kInt32 ? static_cast<int32_t>(r) : r;
        }
      });
      return;
    }
  }
  withIntegers(c.arg(0), [&](auto a) {
    withIntegers(c.arg(1), [&](auto b) {
      if constexpr (kOp == Op::kDiv || kOp == Op::kMod) {
        for (size_t i = 0; i < c.rows; ++i) {
          const int64_t d = b[i];
          if (d == 0) {
            if (c.skip(i)) {
              out[i] = 0;
              continue;
            }
            raiseEvalError(c, "division by zero");
          }
          int64_t r;
          if (d == -1)  // INT64_MIN / -1 overflows in C++; Java wraps to INT64_MIN
            r = kOp == Op::kDiv ? wrapSub(0, a[i]) : 0;
          else
            r = kOp == Op::kDiv ? a[i] / d : a[i] % d;
          out[i] = kInt32 ? static_cast<int32_t>(r) : r;
        }
      } else {
        for (size_t i = 0; i < c.rows; ++i) {
          int64_t r = kOp == Op::kAdd   ? wrapAdd(a[i], b[i])
                      : kOp == Op::kSub ? wrapSub(a[i], b[i])
                                        : wrapMul(a[i], b[i]);
          out[i] = kInt32 ? static_cast<int32_t>(r) : r;
        }
      }
    });
  });
}

template <Op kOp>
void realArithmetic(KernelCall& c) {
  double* out = outReals(c);
  withReals(c.arg(0), [&](auto a) {
    withReals(c.arg(1), [&](auto b) {
      for (size_t i = 0; i < c.rows; ++i) {
        if constexpr (kOp == Op::kAdd) out[i] = a[i] + b[i];
        if constexpr (kOp == Op::kSub) out[i] = a[i] - b[i];
        if constexpr (kOp == Op::kMul) out[i] = a[i] * b[i];
        if constexpr (kOp == Op::kDiv) out[i] = a[i] / b[i];
        if constexpr (kOp == Op::kMod) out[i] = std::fmod(a[i], b[i]);
      }
    });
  });
}

struct ArithmeticDefs {
  const FunctionDef* int32;
  const FunctionDef* int64;
  const FunctionDef* real;
};

template <Op kOp>
ArithmeticDefs defineArithmetic(FunctionRegistry& r, const std::string& name, Syntax syntax) {
  return {r.define({name, syntax, SpecialForm::kNone, true, false, true,
                    stateless(&integerArithmetic<kOp, true>)}),
          r.define({name, syntax, SpecialForm::kNone, true, false, true,
                    stateless(&integerArithmetic<kOp, false>)}),
          r.define({name, syntax, SpecialForm::kNone, true, false, true,
                    stateless(&realArithmetic<kOp>)})};
}

// Resolves a binary numeric operation on the widened type of its operands.
Result<BoundExprPtr> resolveNumericBinary(const ArithmeticDefs& defs, std::string_view name,
                                          std::vector<BoundExprPtr>& args, bool integralOnly) {
  const char* expected = integralOnly ? "(INT|BIGINT, INT|BIGINT)" : "(numeric, numeric)";
  if (args.size() != 2) return signatureError(name, expected, args);
  if (args[0]->type == ExprType::kNull) args[0] = adoptNullType(args[0], args[1]->type);
  if (args[1]->type == ExprType::kNull) args[1] = adoptNullType(args[1], args[0]->type);
  for (const auto& a : args)
    if (!(integralOnly ? isIntegral(a->type) : isNumeric(a->type)))
      return signatureError(name, expected, args);
  ExprType type = ExprType::kInt;
  if (args[0]->type == ExprType::kDouble || args[1]->type == ExprType::kDouble)
    type = ExprType::kDouble;
  else if (args[0]->type == ExprType::kBigint || args[1]->type == ExprType::kBigint)
    type = ExprType::kBigint;
  for (auto& a : args) {
    auto c = coerceNumeric(a, type);
    if (!c.isOk()) return c.status();
    a = std::move(c).value();
  }
  const FunctionDef* def = type == ExprType::kInt      ? defs.int32
                           : type == ExprType::kBigint ? defs.int64
                                                       : defs.real;
  return makeCallNode(def, type, std::move(args));
}

// Timestamp/date/interval arithmetic: t ± interval, interval + t, interval ± interval.
Result<BoundExprPtr> resolveTemporalArithmetic(FunctionRegistry& r, bool subtract,
                                               std::vector<BoundExprPtr>& args) {
  static const FunctionDef* kDefs[2][4] = {};  // [subtract][shape]
  const std::string name = subtract ? "-" : "+";
  auto def = [&](int shape) {
    if (kDefs[subtract][shape] != nullptr) return kDefs[subtract][shape];
    const int64_t sign = subtract ? -1 : 1;
    KernelFn kernel;
    switch (shape) {
      case 0:  // timestamp ± day-time interval, interval ± interval: plain millis/months
        kernel = [sign](KernelCall& c) {
          int64_t* out = outIntegers(c);
          withIntegers(c.arg(0), [&](auto a) {
            withIntegers(c.arg(1), [&](auto b) {
              for (size_t i = 0; i < c.rows; ++i) out[i] = wrapAdd(a[i], sign * b[i]);
            });
          });
        };
        break;
      case 1:  // timestamp ± year-month interval
        kernel = [sign](KernelCall& c) {
          int64_t* out = outIntegers(c);
          for (size_t i = 0; i < c.rows; ++i)
            out[i] =
                c.skip(i) ? 0 : addMonthsToMillis(c.arg(0).integer(i), sign * c.arg(1).integer(i));
        };
        break;
      case 2:  // date ± day-time interval: whole days
        kernel = [sign](KernelCall& c) {
          int64_t* out = outIntegers(c);
          for (size_t i = 0; i < c.rows; ++i)
            out[i] = c.arg(0).integer(i) + sign * (c.arg(1).integer(i) / kMillisPerDay);
        };
        break;
      default:  // date ± year-month interval
        kernel = [sign](KernelCall& c) {
          int64_t* out = outIntegers(c);
          for (size_t i = 0; i < c.rows; ++i)
            out[i] =
                c.skip(i) ? 0 : addMonthsToDays(c.arg(0).integer(i), sign * c.arg(1).integer(i));
        };
        break;
    }
    kDefs[subtract][shape] = r.define({name, Syntax::kInfix, SpecialForm::kNone, true, false, true,
                                       stateless(std::move(kernel))});
    return kDefs[subtract][shape];
  };
  ExprType a = args[0]->type, b = args[1]->type;
  if (!subtract && isInterval(a) && isTimePoint(b)) {
    std::swap(args[0], args[1]);
    std::swap(a, b);
  }
  if (isInterval(a) && b == a) return makeCallNode(def(0), a, std::move(args));
  if (isTimePoint(a) && isInterval(b)) {
    int shape;
    if (a == ExprType::kDate)
      shape = b == ExprType::kIntervalDayTime ? 2 : 3;
    else
      shape = b == ExprType::kIntervalDayTime ? 0 : 1;
    return makeCallNode(def(shape), a, std::move(args));
  }
  return signatureError(name,
                        subtract
                            ? "(numeric, numeric) or (datetime, interval)"
                            : "(numeric, numeric), (datetime, interval) or (interval, datetime)",
                        args);
}

// ROUND/TRUNCATE of a DOUBLE to `digits` decimal places on its shortest decimal form, as
// Flink does through BigDecimal.valueOf (so ROUND(2.675, 2) is 2.68, not 2.67); HALF_UP.
double roundDecimal(double x, int64_t digits, bool truncate) {
  if (!std::isfinite(x) || x == 0) return x;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(x), std::chars_format::scientific);
  std::string_view s(buf, res.ptr - buf);
  const size_t e = s.find('e');
  std::string mantissa;
  for (char ch : s.substr(0, e))
    if (ch != '.') mantissa += ch;
  int64_t exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
  // Value = 0.mantissa * 10^(exponent + 1); keep this many leading digits:
  const int64_t keep = exponent + 1 + digits;
  if (keep >= static_cast<int64_t>(mantissa.size())) return x;
  const double sign = x < 0 ? -1.0 : 1.0;
  if (keep < 0) return 0.0 * sign;
  std::string kept = mantissa.substr(0, static_cast<size_t>(keep));
  if (!truncate && mantissa[static_cast<size_t>(keep)] >= '5') {
    int64_t i = keep - 1;
    for (; i >= 0; --i) {
      if (kept[i] == '9') {
        kept[i] = '0';
      } else {
        ++kept[i];
        break;
      }
    }
    if (i < 0) {
      kept.insert(kept.begin(), '1');
      ++exponent;
    }
  }
  if (kept.empty()) return 0.0 * sign;
  std::string text = "0." + kept + "e" + std::to_string(exponent + 1);
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return sign * v;
}

int64_t roundInteger(int64_t x, int64_t digits, bool truncate) {
  if (digits >= 0) return x;
  if (digits < -18) return 0;
  int64_t factor = 1;
  for (int64_t i = 0; i < -digits; ++i) factor *= 10;
  int64_t r = x / factor * factor;
  const int64_t rem = x % factor;
  if (!truncate && (rem >= 0 ? rem : -rem) * 2 >= factor) r += x < 0 ? -factor : factor;
  return r;
}

void defineUnaryReal(FunctionRegistry& r, const std::string& name, double (*fn)(double)) {
  const FunctionDef* def = r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                                     stateless([fn](KernelCall& c) {
                                       double* out = outReals(c);
                                       withReals(c.arg(0), [&](auto a) {
                                         for (size_t i = 0; i < c.rows; ++i) out[i] = fn(a[i]);
                                       });
                                     })});
  r.add(name, [def, name](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 1) return signatureError(name, "(numeric)", args);
    args[0] = adoptNullType(args[0], ExprType::kDouble);
    if (!isNumeric(args[0]->type)) return signatureError(name, "(numeric)", args);
    auto a = coerceNumeric(args[0], ExprType::kDouble);
    if (!a.isOk()) return a.status();
    return makeCallNode(def, ExprType::kDouble, {std::move(a).value()});
  });
}

void defineBinaryReal(FunctionRegistry& r, const std::string& name, double (*fn)(double, double),
                      const std::string& display = {}) {
  const FunctionDef* def =
      r.define({display.empty() ? name : display, Syntax::kFunction, SpecialForm::kNone, true,
                false, true, stateless([fn](KernelCall& c) {
                  double* out = outReals(c);
                  withReals(c.arg(0), [&](auto a) {
                    withReals(c.arg(1), [&](auto b) {
                      for (size_t i = 0; i < c.rows; ++i) out[i] = fn(a[i], b[i]);
                    });
                  });
                })});
  r.add(name, [def, name](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 2) return signatureError(name, "(numeric, numeric)", args);
    for (auto& a : args) {
      a = adoptNullType(a, ExprType::kDouble);
      if (!isNumeric(a->type)) return signatureError(name, "(numeric, numeric)", args);
      auto c = coerceNumeric(a, ExprType::kDouble);
      if (!c.isOk()) return c.status();
      a = std::move(c).value();
    }
    return makeCallNode(def, ExprType::kDouble, std::move(args));
  });
}

// GREATEST / LEAST over any comparable type; NULL if any argument is NULL.
void defineExtremum(FunctionRegistry& r, const std::string& name, bool greatest) {
  const FunctionDef* def = r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                                     stateless([greatest](KernelCall& c) {
                                       const PhysicalType physical = c.arg(0).column->physical();
                                       if (physical == PhysicalType::kString) {
                                         for (size_t i = 0; i < c.rows; ++i) {
                                           std::string_view best = c.arg(0).text(i);
                                           for (size_t k = 1; k < c.argCount; ++k) {
                                             std::string_view v = c.arg(k).text(i);
                                             if (greatest ? v > best : v < best) best = v;
                                           }
                                           c.out->appendString(best);
                                         }
                                       } else if (physical == PhysicalType::kDouble) {
                                         double* out = outReals(c);
                                         for (size_t i = 0; i < c.rows; ++i) {
                                           double best = c.arg(0).real(i);
                                           for (size_t k = 1; k < c.argCount; ++k)
                                             best = greatest ? std::max(best, c.arg(k).real(i))
                                                             : std::min(best, c.arg(k).real(i));
                                           out[i] = best;
                                         }
                                       } else {
                                         int64_t* out = outIntegers(c);
                                         for (size_t i = 0; i < c.rows; ++i) {
                                           int64_t best = c.arg(0).integer(i);
                                           for (size_t k = 1; k < c.argCount; ++k)
                                             best = greatest ? std::max(best, c.arg(k).integer(i))
                                                             : std::min(best, c.arg(k).integer(i));
                                           out[i] = best;
                                         }
                                       }
                                     })});
  r.add(name, [def, name](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.empty()) return signatureError(name, "(value, ...)", args);
    std::vector<ExprType> types;
    for (const auto& a : args) types.push_back(a->type);
    auto type = commonType(types, name);
    if (!type.isOk()) return type.status();
    if (*type == ExprType::kNull || isInterval(*type) || *type == ExprType::kBoolean)
      return signatureError(name, "(comparable values)", args);
    for (auto& a : args) {
      auto c = coerceTo(a, *type);
      if (!c.isOk()) return c.status();
      a = std::move(c).value();
    }
    return makeCallNode(def, *type, std::move(args));
  });
}

}  // namespace

void registerArithmeticFunctions(FunctionRegistry& r) {
  const ArithmeticDefs add = defineArithmetic<Op::kAdd>(r, "+", Syntax::kInfix);
  const ArithmeticDefs sub = defineArithmetic<Op::kSub>(r, "-", Syntax::kInfix);
  const ArithmeticDefs mul = defineArithmetic<Op::kMul>(r, "*", Syntax::kInfix);
  const ArithmeticDefs div = defineArithmetic<Op::kDiv>(r, "/", Syntax::kInfix);
  const ArithmeticDefs mod = defineArithmetic<Op::kMod>(r, "%", Syntax::kInfix);
  const ArithmeticDefs modFunction = defineArithmetic<Op::kMod>(r, "MOD", Syntax::kFunction);

  // Unary minus.
  auto negate = [](KernelCall& c) {
    if (c.out->physical() == PhysicalType::kDouble) {
      double* out = outReals(c);
      withReals(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) out[i] = -a[i];
      });
    } else {
      const bool int32 = c.out->type() == TypeId::kInt;
      int64_t* out = outIntegers(c);
      withIntegers(c.arg(0), [&](auto a) {
        for (size_t i = 0; i < c.rows; ++i) {
          const int64_t v = wrapSub(0, a[i]);
          out[i] = int32 ? static_cast<int32_t>(v) : v;
        }
      });
    }
  };
  const FunctionDef* negateDef =
      r.define({"-", Syntax::kPrefix, SpecialForm::kNone, true, false, true, stateless(negate)});

  r.add("+", [&r, add](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() == 1) {
      if (!isNumeric(args[0]->type) && !isInterval(args[0]->type))
        return signatureError("+", "(numeric)", args);
      return args[0];
    }
    if (args.size() == 2 && (isInterval(args[0]->type) || isInterval(args[1]->type)))
      return resolveTemporalArithmetic(r, false, args);
    return resolveNumericBinary(add, "+", args, false);
  });
  r.add("-", [&r, sub, negateDef](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() == 1) {
      if (!isNumeric(args[0]->type) && !isInterval(args[0]->type))
        return signatureError("-", "(numeric)", args);
      const ExprType type = args[0]->type;
      return makeCallNode(negateDef, type, std::move(args));
    }
    if (args.size() == 2 && (isInterval(args[0]->type) || isInterval(args[1]->type)))
      return resolveTemporalArithmetic(r, true, args);
    return resolveNumericBinary(sub, "-", args, false);
  });
  r.add("*", [mul](std::vector<BoundExprPtr>& args) {
    return resolveNumericBinary(mul, "*", args, false);
  });
  r.add("/", [div](std::vector<BoundExprPtr>& args) {
    return resolveNumericBinary(div, "/", args, false);
  });
  r.add("%", [mod](std::vector<BoundExprPtr>& args) {
    return resolveNumericBinary(mod, "%", args, true);
  });
  r.add("MOD", [modFunction](std::vector<BoundExprPtr>& args) {
    return resolveNumericBinary(modFunction, "MOD", args, true);
  });

  // ABS and SIGN keep the argument's type.
  auto sameTypeUnary = [&r](const std::string& name, int64_t (*integer)(int64_t),
                            double (*real)(double)) {
    const FunctionDef* def =
        r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  stateless([integer, real](KernelCall& c) {
                    if (c.out->physical() == PhysicalType::kDouble) {
                      double* out = outReals(c);
                      withReals(c.arg(0), [&](auto a) {
                        for (size_t i = 0; i < c.rows; ++i) out[i] = real(a[i]);
                      });
                    } else {
                      const bool int32 = c.out->type() == TypeId::kInt;
                      int64_t* out = outIntegers(c);
                      withIntegers(c.arg(0), [&](auto a) {
                        for (size_t i = 0; i < c.rows; ++i)
                          out[i] = int32 ? static_cast<int32_t>(integer(a[i])) : integer(a[i]);
                      });
                    }
                  })});
    r.add(name, [def, name](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (args.size() != 1 || !isNumeric(args[0]->type))
        return signatureError(name, "(numeric)", args);
      const ExprType type = args[0]->type;
      return makeCallNode(def, type, std::move(args));
    });
  };
  sameTypeUnary(
      "ABS", [](int64_t v) { return v < 0 ? wrapSub(0, v) : v; },
      [](double v) { return std::fabs(v); });
  sameTypeUnary(
      "SIGN", [](int64_t v) -> int64_t { return (v > 0) - (v < 0); },
      [](double v) { return v > 0   ? 1.0
                            : v < 0 ? -1.0
                                    : v; });

  // FLOOR / CEIL: numbers (integers are already whole), or FLOOR(t TO unit).
  for (bool ceil : {false, true}) {
    const std::string name = ceil ? "CEIL" : "FLOOR";
    const FunctionDef* def = r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false,
                                       true, stateless([ceil](KernelCall& c) {
                                         double* out = outReals(c);
                                         withReals(c.arg(0), [&](auto a) {
                                           for (size_t i = 0; i < c.rows; ++i)
                                             out[i] = ceil ? std::ceil(a[i]) : std::floor(a[i]);
                                         });
                                       })});
    auto resolver = [def, name, ceil](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (args.size() == 2) return resolveTimeFloorCeil(args, ceil);
      if (args.size() != 1 || !isNumeric(args[0]->type))
        return signatureError(name, "(numeric) or (datetime, unit)", args);
      if (isIntegral(args[0]->type)) return args[0];
      return makeCallNode(def, ExprType::kDouble, std::move(args));
    };
    r.add(name, resolver);
    if (ceil) r.add("CEILING", resolver);
  }

  // ROUND / TRUNCATE (x[, digits]).
  for (bool truncate : {false, true}) {
    const std::string name = truncate ? "TRUNCATE" : "ROUND";
    const FunctionDef* def =
        r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                  stateless([truncate](KernelCall& c) {
                    const KernelArg digitsArg = c.argCount > 1 ? c.arg(1) : KernelArg{};
                    auto digits = [&](size_t i) -> int64_t {
                      return digitsArg.column ? digitsArg.integer(i) : 0;
                    };
                    if (c.out->physical() == PhysicalType::kDouble) {
                      double* out = outReals(c);
                      for (size_t i = 0; i < c.rows; ++i)
                        out[i] =
                            c.skip(i) ? 0 : roundDecimal(c.arg(0).real(i), digits(i), truncate);
                    } else {
                      const bool int32 = c.out->type() == TypeId::kInt;
                      int64_t* out = outIntegers(c);
                      for (size_t i = 0; i < c.rows; ++i) {
                        const int64_t v = roundInteger(c.arg(0).integer(i), digits(i), truncate);
                        out[i] = int32 ? static_cast<int32_t>(v) : v;
                      }
                    }
                  })});
    r.add(name, [def, name](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(numeric[, INT])";
      if (args.empty() || args.size() > 2 || !isNumeric(args[0]->type))
        return signatureError(name, expected, args);
      if (args.size() == 2) {
        args[1] = adoptNullType(args[1], ExprType::kInt);
        if (!isIntegral(args[1]->type)) return signatureError(name, expected, args);
      }
      const ExprType type = args[0]->type;
      return makeCallNode(def, type, std::move(args));
    });
  }

  defineUnaryReal(r, "SQRT", [](double x) { return std::sqrt(x); });
  defineUnaryReal(r, "EXP", [](double x) { return std::exp(x); });
  defineUnaryReal(r, "LN", [](double x) { return std::log(x); });
  defineUnaryReal(r, "LOG10", [](double x) { return std::log10(x); });
  defineUnaryReal(r, "LOG2", [](double x) { return std::log2(x); });
  defineUnaryReal(r, "SIN", [](double x) { return std::sin(x); });
  defineUnaryReal(r, "COS", [](double x) { return std::cos(x); });
  defineUnaryReal(r, "TAN", [](double x) { return std::tan(x); });
  defineUnaryReal(r, "COT", [](double x) { return 1.0 / std::tan(x); });
  defineUnaryReal(r, "ASIN", [](double x) { return std::asin(x); });
  defineUnaryReal(r, "ACOS", [](double x) { return std::acos(x); });
  defineUnaryReal(r, "ATAN", [](double x) { return std::atan(x); });
  defineUnaryReal(r, "SINH", [](double x) { return std::sinh(x); });
  defineUnaryReal(r, "COSH", [](double x) { return std::cosh(x); });
  defineUnaryReal(r, "TANH", [](double x) { return std::tanh(x); });
  defineUnaryReal(r, "DEGREES", [](double x) { return x * 180.0 / M_PI; });
  defineUnaryReal(r, "RADIANS", [](double x) { return x * M_PI / 180.0; });
  defineBinaryReal(r, "POWER", [](double x, double y) { return std::pow(x, y); });
  defineBinaryReal(r, "POW", [](double x, double y) { return std::pow(x, y); });
  defineBinaryReal(r, "ATAN2", [](double y, double x) { return std::atan2(y, x); });
  // LOG(x) is LN(x); LOG(base, x) is LN(x) / LN(base).
  defineBinaryReal(
      r, "LOG_BASE", [](double b, double x) { return std::log(x) / std::log(b); }, "LOG");
  {
    const FunctionRegistry::Resolver* ln = r.find("LN");
    const FunctionRegistry::Resolver* logBase = r.find("LOG_BASE");
    r.add("LOG", [ln, logBase](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (args.size() == 1) return (*ln)(args);
      if (args.size() == 2) return (*logBase)(args);
      return signatureError("LOG", "(numeric) or (numeric, numeric)", args);
    });
  }

  for (auto [name, value] : {std::pair<std::string, double>{"PI", M_PI}, {"E", M_E}}) {
    const FunctionDef* def = r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false,
                                       true, stateless([value = value](KernelCall& c) {
                                         double* out = outReals(c);
                                         for (size_t i = 0; i < c.rows; ++i) out[i] = value;
                                       })});
    r.add(name, [def, name = name](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (!args.empty()) return signatureError(name, "()", args);
      return makeCallNode(def, ExprType::kDouble, {}, false);
    });
  }

  // RAND([seed]) and RAND_INTEGER([seed,] bound): a seeded call owns its generator, so two
  // calls with the same seed return the same sequence.
  {
    const FunctionDef* rand =
        r.define({"RAND", Syntax::kFunction, SpecialForm::kNone, false, true, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    std::shared_ptr<std::mt19937_64> own;
                    if (!call.args.empty())
                      own = std::make_shared<std::mt19937_64>(
                          static_cast<uint64_t>(call.args[0]->literal.integer));
                    return KernelFn([own](KernelCall& c) {
                      std::mt19937_64& g = own ? *own : c.state->random;
                      std::uniform_real_distribution<double> dist(0.0, 1.0);
                      double* out = outReals(c);
                      for (size_t i = 0; i < c.rows; ++i) out[i] = dist(g);
                    });
                  }});
    r.add("RAND", [rand](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (args.size() > 1 ||
          (args.size() == 1 &&
           (!args[0]->isLiteral() || args[0]->literal.isNull || !isIntegral(args[0]->type))))
        return signatureError("RAND", "() or (INT literal seed)", args);
      return makeCallNode(rand, ExprType::kDouble, std::move(args), false);
    });
    const FunctionDef* randInteger =
        r.define({"RAND_INTEGER", Syntax::kFunction, SpecialForm::kNone, false, true, true,
                  [](const BoundExpr& call) -> Result<KernelFn> {
                    std::shared_ptr<std::mt19937_64> own;
                    if (call.args.size() == 2)
                      own = std::make_shared<std::mt19937_64>(
                          static_cast<uint64_t>(call.args[0]->literal.integer));
                    return KernelFn([own](KernelCall& c) {
                      std::mt19937_64& g = own ? *own : c.state->random;
                      const KernelArg& bound = c.arg(c.argCount - 1);
                      int64_t* out = outIntegers(c);
                      for (size_t i = 0; i < c.rows; ++i) {
                        if (c.skip(i)) {
                          out[i] = 0;
                          continue;
                        }
                        const int64_t b = bound.integer(i);
                        if (b <= 0)
                          raiseEvalError(c, "bound must be positive, got " + std::to_string(b));
                        out[i] = std::uniform_int_distribution<int64_t>(0, b - 1)(g);
                      }
                    });
                  }});
    r.add("RAND_INTEGER", [randInteger](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "([INT literal seed, ] INT bound)";
      if (args.empty() || args.size() > 2 || !isIntegral(args.back()->type))
        return signatureError("RAND_INTEGER", expected, args);
      if (args.size() == 2 &&
          (!args[0]->isLiteral() || args[0]->literal.isNull || !isIntegral(args[0]->type)))
        return signatureError("RAND_INTEGER", expected, args);
      return makeCallNode(randInteger, ExprType::kInt, std::move(args));
    });
  }

  defineExtremum(r, "GREATEST", true);
  defineExtremum(r, "LEAST", false);
}

}  // namespace glint::sql
