#pragma once
// Internal to sql/expr: the table behind makeCall and the helpers the per-category
// registration files (arithmetic, comparison, string, date/time) share.
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "glint/sql/expr/functions.h"

namespace glint::sql {

class FunctionRegistry {
 public:
  // Resolves a call for one name: checks and coerces the arguments, picks an overload.
  using Resolver = std::function<Result<BoundExprPtr>(std::vector<BoundExprPtr>& args)>;

  // Keeps an overload alive for the life of the process and returns its stable address.
  const FunctionDef* define(FunctionDef def) {
    defs_.push_back(std::move(def));
    return &defs_.back();
  }
  void add(std::string_view upperName, Resolver resolver) {
    resolvers_[std::string(upperName)] = std::move(resolver);
  }
  const Resolver* find(std::string_view upperName) const {
    auto it = resolvers_.find(std::string(upperName));
    return it == resolvers_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> names() const;

 private:
  std::deque<FunctionDef> defs_;
  std::unordered_map<std::string, Resolver> resolvers_;
};

FunctionRegistry& functionRegistry();

void registerArithmeticFunctions(FunctionRegistry& registry);
void registerComparisonFunctions(FunctionRegistry& registry);
void registerStringFunctions(FunctionRegistry& registry);
void registerDateTimeFunctions(FunctionRegistry& registry);

// FLOOR(t TO unit) / CEIL(t TO unit), reached through FLOOR/CEIL with two arguments.
Result<BoundExprPtr> resolveTimeFloorCeil(std::vector<BoundExprPtr>& args, bool ceil);

// ---- helpers for resolvers
// A call node; nullable when any argument is nullable unless `nullable` says otherwise.
BoundExprPtr makeCallNode(const FunctionDef* def, ExprType type, std::vector<BoundExprPtr> args,
                          std::optional<bool> nullable = std::nullopt);
bool anyNullable(const std::vector<BoundExprPtr>& args);
// "function NAME expects EXPECTED, got (T1, T2)".
Status signatureError(std::string_view name, std::string_view expected,
                      const std::vector<BoundExprPtr>& args);
std::string upperCase(std::string_view s);
// A kernel factory for a kernel that needs no per-call state.
std::function<Result<KernelFn>(const BoundExpr&)> stateless(KernelFn kernel);
// The argument as a literal string ('HOUR'), upper-cased; error when it is not a literal.
Result<std::string> keywordArgument(std::string_view function, const BoundExprPtr& arg,
                                    std::string_view what);
// A NULL literal of unknown type becomes a NULL of `type`; other expressions are unchanged.
BoundExprPtr adoptNullType(const BoundExprPtr& arg, ExprType type);
// Numeric widening for arithmetic: a DOUBLE target casts integers; INT and BIGINT share the
// int64 representation and need no cast.
Result<BoundExprPtr> coerceNumeric(const BoundExprPtr& arg, ExprType target);

}  // namespace glint::sql
