#include "glint/sql/expr/functions.h"

#include <algorithm>
#include <cctype>

#include "glint/sql/expr/function_registry.h"

namespace glint::sql {

std::vector<std::string> FunctionRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, resolver] : resolvers_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

FunctionRegistry& functionRegistry() {
  static FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();  // never destroyed: BoundExprs point into it
    registerArithmeticFunctions(*r);
    registerComparisonFunctions(*r);
    registerStringFunctions(*r);
    registerDateTimeFunctions(*r);
    return r;
  }();
  return *registry;
}

void raiseEvalError(const KernelCall& c, const std::string& message) {
  std::string where;
  if (c.expr != nullptr) {
    if (c.expr->kind == ExprKind::kCast)
      where = c.expr->tryCast ? "TRY_CAST" : "CAST";
    else
      where = std::string(c.expr->functionName());
  }
  throw GlintError(where.empty() ? message : where + ": " + message);
}

std::string upperCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool anyNullable(const std::vector<BoundExprPtr>& args) {
  for (const auto& a : args)
    if (a->nullable) return true;
  return false;
}

BoundExprPtr makeCallNode(const FunctionDef* def, ExprType type, std::vector<BoundExprPtr> args,
                          std::optional<bool> nullable) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kCall;
  e->type = type;
  e->function = def;
  e->nullable = nullable ? *nullable : anyNullable(args);
  e->args = std::move(args);
  return e;
}

Status signatureError(std::string_view name, std::string_view expected,
                      const std::vector<BoundExprPtr>& args) {
  std::string got = "(";
  for (size_t i = 0; i < args.size(); ++i)
    got += (i ? ", " : "") + std::string(exprTypeName(args[i]->type));
  got += ")";
  return Status::invalidArgument("function " + std::string(name) + " expects " +
                                 std::string(expected) + ", got " + got);
}

std::function<Result<KernelFn>(const BoundExpr&)> stateless(KernelFn kernel) {
  return [kernel = std::move(kernel)](const BoundExpr&) -> Result<KernelFn> { return kernel; };
}

Result<std::string> keywordArgument(std::string_view function, const BoundExprPtr& arg,
                                    std::string_view what) {
  if (!arg->isLiteral() || arg->literal.isNull || arg->type != ExprType::kVarchar)
    return Status::invalidArgument("function " + std::string(function) + " expects " +
                                   std::string(what) + " as a keyword, got " + arg->toString());
  return upperCase(arg->literal.text);
}

BoundExprPtr adoptNullType(const BoundExprPtr& arg, ExprType type) {
  if (arg->type == ExprType::kNull && arg->isLiteral()) return makeNullLiteral(type);
  return arg;
}

Result<BoundExprPtr> coerceNumeric(const BoundExprPtr& arg, ExprType target) {
  if (arg->type == ExprType::kNull) return adoptNullType(arg, target);
  if (target == ExprType::kDouble && arg->type != ExprType::kDouble)
    return makeCast(arg, ExprType::kDouble);
  return arg;
}

static int numericRank(ExprType t) {
  switch (t) {
    case ExprType::kInt:
      return 1;
    case ExprType::kBigint:
      return 2;
    case ExprType::kDouble:
      return 3;
    default:
      return 0;
  }
}

Result<ExprType> commonType(const std::vector<ExprType>& types, std::string_view context) {
  std::optional<ExprType> result;
  for (ExprType t : types) {
    if (t == ExprType::kNull) continue;
    if (!result || *result == t) {
      result = t;
      continue;
    }
    ExprType r = *result;
    if (isNumeric(r) && isNumeric(t)) {
      result = numericRank(t) > numericRank(r) ? t : r;
    } else if (isTimePoint(r) && isTimePoint(t)) {
      // DATE widens to TIMESTAMP; TIMESTAMP and TIMESTAMP_LTZ meet at TIMESTAMP_LTZ (the
      // session time zone is UTC, so both hold the same epoch milliseconds).
      if (r == ExprType::kTimestampLtz || t == ExprType::kTimestampLtz)
        result = ExprType::kTimestampLtz;
      else
        result = ExprType::kTimestamp;
    } else {
      return Status::invalidArgument(std::string(context) + ": no common type for " +
                                     std::string(exprTypeName(r)) + " and " +
                                     std::string(exprTypeName(t)));
    }
  }
  return result ? *result : ExprType::kNull;
}

Result<BoundExprPtr> coerceTo(BoundExprPtr expr, ExprType type) {
  if (expr->type == type) return expr;
  if (expr->type == ExprType::kNull) {
    if (expr->isLiteral()) return makeNullLiteral(type);
    return makeCast(expr, type);
  }
  // INT and BIGINT share the int64 representation: widening needs no conversion.
  if (isIntegral(expr->type) && type == ExprType::kBigint) return expr;
  return makeCast(expr, type);
}

Result<BoundExprPtr> makeCall(std::string_view name, std::vector<BoundExprPtr> args) {
  for (const auto& a : args)
    if (a == nullptr)
      return Status::invalidArgument("function " + std::string(name) + ": null argument");
  const std::string upper = upperCase(name);
  const FunctionRegistry::Resolver* resolver = functionRegistry().find(upper);
  if (resolver == nullptr) {
    // Suggest a known name that differs by little (an edit distance of at most 2).
    auto distance = [](const std::string& a, const std::string& b) {
      std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
      for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
      for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
          cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
      }
      return prev[b.size()];
    };
    std::string best;
    size_t bestDistance = 3;
    for (const auto& known : functionRegistry().names()) {
      size_t d = distance(upper, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return Status::notFound("unknown function " + std::string(name) +
                            (best.empty() ? "" : "; did you mean " + best + "?"));
  }
  return (*resolver)(args);
}

Result<BoundExprPtr> makeCase(std::vector<std::pair<BoundExprPtr, BoundExprPtr>> whenThen,
                              BoundExprPtr elseResult) {
  if (whenThen.empty()) return Status::invalidArgument("CASE needs at least one WHEN");
  std::vector<ExprType> resultTypes;
  for (auto& [when, then] : whenThen) {
    when = adoptNullType(when, ExprType::kBoolean);
    if (when->type != ExprType::kBoolean)
      return Status::invalidArgument("CASE expects a BOOLEAN condition after WHEN, got " +
                                     std::string(exprTypeName(when->type)) + " in " +
                                     when->toString());
    resultTypes.push_back(then->type);
  }
  if (elseResult) resultTypes.push_back(elseResult->type);
  auto type = commonType(resultTypes, "CASE results");
  if (!type.isOk()) return type.status();
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kCase;
  e->type = *type;
  e->nullable = elseResult == nullptr;
  for (auto& [when, then] : whenThen) {
    auto r = coerceTo(then, *type);
    if (!r.isOk()) return r.status();
    e->nullable = e->nullable || (*r)->nullable;
    e->args.push_back(when);
    e->args.push_back(std::move(r).value());
  }
  if (elseResult) {
    auto r = coerceTo(elseResult, *type);
    if (!r.isOk()) return r.status();
    e->nullable = e->nullable || (*r)->nullable;
    e->args.push_back(std::move(r).value());
  } else {
    e->args.push_back(makeNullLiteral(*type));
  }
  return BoundExprPtr(e);
}

Result<BoundExprPtr> makeSimpleCase(BoundExprPtr operand,
                                    std::vector<std::pair<BoundExprPtr, BoundExprPtr>> whenThen,
                                    BoundExprPtr elseResult) {
  for (auto& [when, then] : whenThen) {
    auto eq = makeCall("=", {operand, when});
    if (!eq.isOk()) return eq.status();
    when = std::move(eq).value();
  }
  return makeCase(std::move(whenThen), std::move(elseResult));
}

Result<BoundExprPtr> makeIn(BoundExprPtr value, std::vector<BoundExprPtr> items, bool negated) {
  if (items.empty()) return Status::invalidArgument("IN expects at least one list item");
  std::vector<ExprType> types{value->type};
  for (const auto& i : items) types.push_back(i->type);
  auto type = commonType(types, "IN");
  if (!type.isOk()) return type.status();
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kIn;
  e->type = ExprType::kBoolean;
  auto v = coerceTo(value, *type);
  if (!v.isOk()) return v.status();
  e->nullable = (*v)->nullable;
  e->args.push_back(std::move(v).value());
  for (auto& i : items) {
    auto r = coerceTo(i, *type);
    if (!r.isOk()) return r.status();
    e->nullable = e->nullable || (*r)->nullable;
    e->args.push_back(std::move(r).value());
  }
  if (negated) return makeCall("NOT", {BoundExprPtr(e)});
  return BoundExprPtr(e);
}

bool isKnownFunction(std::string_view name) {
  return functionRegistry().find(upperCase(name)) != nullptr;
}

std::vector<std::string> knownFunctionNames() {
  return functionRegistry().names();
}

}  // namespace glint::sql
