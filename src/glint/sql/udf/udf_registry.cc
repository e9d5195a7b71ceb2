#include "glint/sql/udf/udf_registry.h"

#include <dlfcn.h>

#include "glint/sql/expr/function_registry.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/expr/kernel.h"

namespace glint::sql {

namespace {

ExprType exprTypeOfUdf(udf::UdfType type) {
  switch (type) {
    case udf::UdfType::kBoolean:
      return ExprType::kBoolean;
    case udf::UdfType::kInt:
      return ExprType::kInt;
    case udf::UdfType::kBigint:
      return ExprType::kBigint;
    case udf::UdfType::kDouble:
      return ExprType::kDouble;
    case udf::UdfType::kString:
      return ExprType::kVarchar;
    case udf::UdfType::kTimestamp:
      return ExprType::kTimestamp;
    case udf::UdfType::kDate:
      return ExprType::kDate;
  }
  return ExprType::kBigint;
}

class ColumnTextResults final : public udf::TextResults {
 public:
  explicit ColumnTextResults(Column* out) : out_(out) {}
  void append(std::string_view value) override { out_->appendString(value); }

 private:
  Column* out_;
};

// Runs a UDF body over one kernel call: the arguments as views of the evaluated columns, the
// results written straight into the output column.
KernelFn udfKernel(const RegisteredFunction* function) {
  return [function](KernelCall& c) {
    const auto& def = function->definition;
    std::vector<udf::UdfArgument> args(c.argCount);
    for (size_t i = 0; i < c.argCount; ++i) {
      const KernelArg& a = c.arg(i);
      const Column& col = *a.column;
      udf::UdfArgument& u = args[i];
      u.type = def.argumentTypes[i];
      u.constant = a.constant;
      u.nulls = col.hasNulls() ? col.nullMask().data() : nullptr;
      switch (col.physical()) {
        case PhysicalType::kInt64:
          u.integers = col.ints().data();
          break;
        case PhysicalType::kDouble:
          u.reals = col.doubles().data();
          break;
        case PhysicalType::kString:
          u.offsets = col.offsets().data();
          u.chars = col.chars().data();
          break;
      }
    }
    std::vector<uint8_t> nulls(c.rows, 0);
    udf::UdfBatch batch;
    batch.rows = c.rows;
    batch.args = args.data();
    batch.argCount = args.size();
    batch.skip = c.argNulls;
    batch.nulls = nulls.data();
    ColumnTextResults text(c.out);
    switch (c.out->physical()) {
      case PhysicalType::kInt64:
        batch.integers = outIntegers(c);
        break;
      case PhysicalType::kDouble:
        batch.reals = outReals(c);
        break;
      case PhysicalType::kString:
        batch.text = &text;
        break;
    }
    try {
      def.evaluate(batch);
    } catch (const GlintError&) {
      throw;
    } catch (const std::exception& e) {
      raiseEvalError(c, std::string("the function failed: ") + e.what());
    }
    if (c.out->size() != c.rows)
      raiseEvalError(c, "the function produced " + std::to_string(c.out->size()) +
                            " string results for " + std::to_string(c.rows) + " rows");
    for (uint8_t n : nulls)
      if (n != 0) {
        c.out->mutableNullMask() = std::move(nulls);
        break;
      }
  };
}

// Implicit conversions of a UDF argument (Flink's: NULL adopts the type, integers widen).
Result<BoundExprPtr> convertArgument(const BoundExprPtr& arg, ExprType target) {
  if (arg->type == target) return arg;
  if (arg->type == ExprType::kNull) return adoptNullType(arg, target);
  if (isNumeric(arg->type) && isNumeric(target) &&
      (target == ExprType::kDouble || (isIntegral(arg->type) && target == ExprType::kBigint)))
    return coerceNumeric(arg, target);
  if (arg->type == ExprType::kDate && target == ExprType::kTimestamp) return coerceTo(arg, target);
  return Status::invalidArgument("");
}

}  // namespace

std::string_view udfTypeName(udf::UdfType type) {
  switch (type) {
    case udf::UdfType::kBoolean:
      return "BOOLEAN";
    case udf::UdfType::kInt:
      return "INT";
    case udf::UdfType::kBigint:
      return "BIGINT";
    case udf::UdfType::kDouble:
      return "DOUBLE";
    case udf::UdfType::kString:
      return "STRING";
    case udf::UdfType::kTimestamp:
      return "TIMESTAMP(3)";
    case udf::UdfType::kDate:
      return "DATE";
  }
  return "?";
}

std::string udfSignature(const RegisteredFunction& function) {
  std::string s = "(";
  for (size_t i = 0; i < function.definition.argumentTypes.size(); ++i)
    s += (i ? ", " : "") + std::string(udfTypeName(function.definition.argumentTypes[i]));
  return s + ") -> " + std::string(udfTypeName(function.definition.resultType));
}

UdfRegistry& UdfRegistry::instance() {
  static UdfRegistry* registry = [] {
    auto* r = new UdfRegistry();  // never destroyed: BoundExprs point into it
    registerBuiltinUdfs(*r);
    return r;
  }();
  return *registry;
}

Status UdfRegistry::add(udf::ScalarFunctionDefinition definition, const std::string& library) {
  const std::string where = library.empty() ? "" : " (library '" + library + "')";
  if (definition.identifier.empty())
    return Status::invalidArgument("a user-defined function has an empty identifier" + where);
  if (!definition.evaluate)
    return Status::invalidArgument("user-defined function '" + definition.identifier +
                                   "' has no body (evaluate)" + where);
  auto f = std::make_unique<RegisteredFunction>();
  for (auto t : definition.argumentTypes) f->argumentTypes.push_back(exprTypeOfUdf(t));
  f->resultType = exprTypeOfUdf(definition.resultType);
  f->library = library;
  f->definition = std::move(definition);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = functions_.try_emplace(f->definition.identifier, nullptr);
  if (!inserted)
    return Status::invalidArgument("user-defined function '" + f->definition.identifier +
                                   "' is registered twice" + where);
  it->second = std::move(f);
  return Status::ok();
}

const RegisteredFunction* UdfRegistry::find(std::string_view identifier) const {
  std::lock_guard lock(mutex_);
  auto it = functions_.find(identifier);
  return it == functions_.end() ? nullptr : it->second.get();
}

std::vector<std::string> UdfRegistry::identifiers() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, f] : functions_) out.push_back(id);
  return out;
}

Status UdfRegistry::loadLibrary(const std::string& path) {
  {
    std::lock_guard lock(mutex_);
    auto it = loadedLibraries_.find(path);
    if (it != loadedLibraries_.end())
      return it->second.empty() ? Status::ok() : Status::invalidArgument(it->second);
  }
  auto fail = [&](const std::string& message) {
    std::lock_guard lock(mutex_);
    loadedLibraries_[path] = message;
    return Status::invalidArgument(message);
  };
  // The handle is never closed: function bodies live in the library.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    return fail("cannot load function library '" + path + "': " + (e ? e : "unknown error"));
  }
  using VersionFn = int (*)();
  using RegisterFn = void (*)(udf::FunctionRegistrar&);
  auto version = reinterpret_cast<VersionFn>(dlsym(handle, "glint_udf_api_version"));
  auto registerFunctions = reinterpret_cast<RegisterFn>(dlsym(handle, "glint_udf_register"));
  if (version == nullptr || registerFunctions == nullptr)
    return fail("function library '" + path +
                "' does not export glint_udf_api_version and glint_udf_register (define them "
                "with GLINT_UDF_LIBRARY, glint/sql/udf/scalar_function.h)");
  if (version() != udf::kApiVersion)
    return fail("function library '" + path + "' was built for UDF API version " +
                std::to_string(version()) + ", this Glint has version " +
                std::to_string(udf::kApiVersion));
  class Registrar final : public udf::FunctionRegistrar {
   public:
    Registrar(UdfRegistry& registry, const std::string& path) : registry_(registry), path_(path) {}
    void add(udf::ScalarFunctionDefinition definition) override {
      Status s = registry_.add(std::move(definition), path_);
      if (!s.isOk() && status.isOk()) status = s;
    }
    Status status = Status::ok();

   private:
    UdfRegistry& registry_;
    const std::string& path_;
  } registrar(*this, path);
  registerFunctions(registrar);
  if (!registrar.status.isOk()) return fail(registrar.status.message());
  std::lock_guard lock(mutex_);
  loadedLibraries_[path] = "";
  return Status::ok();
}

const FunctionDef* UdfRegistry::functionDef(const RegisteredFunction& function,
                                            std::string_view sqlName) {
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(std::string(sqlName), function.definition.identifier);
  auto it = defs_.find(key);
  if (it != defs_.end()) return it->second;
  auto def = std::make_unique<FunctionDef>();
  def->name = std::string(sqlName);
  def->deterministic = function.definition.deterministic;
  def->propagatesNulls = function.definition.propagatesNulls;
  def->makeKernel = stateless(udfKernel(&function));
  const FunctionDef* out = def.get();
  ownedDefs_.push_back(std::move(def));
  defs_.emplace(std::move(key), out);
  return out;
}

Result<BoundExprPtr> UdfRegistry::makeCall(const RegisteredFunction& function,
                                           std::string_view sqlName,
                                           std::vector<BoundExprPtr> args) {
  auto mismatch = [&] { return signatureError(sqlName, udfSignature(function), args); };
  if (args.size() != function.argumentTypes.size()) return mismatch();
  std::vector<BoundExprPtr> converted;
  for (size_t i = 0; i < args.size(); ++i) {
    auto c = convertArgument(args[i], function.argumentTypes[i]);
    if (!c.isOk()) return mismatch();
    converted.push_back(*c);
  }
  // Nullable whatever the arguments: a body may return NULL for any row.
  return makeCallNode(functionDef(function, sqlName), function.resultType, std::move(converted),
                      true);
}

}  // namespace glint::sql
