#pragma once
// The process-wide registry of user-defined scalar function implementations, by identifier
// (what `CREATE FUNCTION name AS 'identifier'` names). Built-in UDFs (builtin_udfs.cc) are
// registered on first use; shared libraries add theirs when `USING JAR` loads them. The
// catalog maps SQL names to identifiers; the binder turns a call into a BoundExpr whose kernel
// runs the function's body once per batch.
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glint/common/status.h"
#include "glint/sql/expr/bound_expr.h"
#include "glint/sql/udf/scalar_function.h"

namespace glint::sql {

struct FunctionDef;

struct RegisteredFunction {
  udf::ScalarFunctionDefinition definition;
  std::vector<ExprType> argumentTypes;
  ExprType resultType = ExprType::kBigint;
  std::string library;  // the shared library that registered it; empty for built-ins
};

class UdfRegistry {
 public:
  static UdfRegistry& instance();

  // Errors name the identifier: empty, registered twice, no body.
  Status add(udf::ScalarFunctionDefinition definition, const std::string& library = {});
  // Null when no function has this identifier. Entries live for the process.
  const RegisteredFunction* find(std::string_view identifier) const;
  std::vector<std::string> identifiers() const;

  // dlopens `path` (once per path) and calls its glint_udf_register; the error names the path
  // and dlerror(), a missing entry point or an API version mismatch.
  Status loadLibrary(const std::string& path);

  // The call `sqlName(args)` of `function`: checks the number of arguments and converts them
  // to the declared types (implicit widening only). Errors name the function and both
  // signatures.
  Result<BoundExprPtr> makeCall(const RegisteredFunction& function, std::string_view sqlName,
                                std::vector<BoundExprPtr> args);

 private:
  UdfRegistry() = default;
  const FunctionDef* functionDef(const RegisteredFunction& function, std::string_view sqlName);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<RegisteredFunction>, std::less<>> functions_;
  std::map<std::string, std::string> loadedLibraries_;  // path -> "" or the load error
  // One FunctionDef per (SQL name, identifier): BoundExprs point at them for the process.
  std::map<std::pair<std::string, std::string>, const FunctionDef*> defs_;
  std::deque<std::unique_ptr<FunctionDef>> ownedDefs_;
};

// Flink's name of a UDF type (BIGINT, STRING, ...).
std::string_view udfTypeName(udf::UdfType type);
// The signature as SQL text: "(STRING, STRING) -> BIGINT".
std::string udfSignature(const RegisteredFunction& function);

// Registers the UDFs Glint ships (builtin_udfs.cc).
void registerBuiltinUdfs(UdfRegistry& registry);

}  // namespace glint::sql
