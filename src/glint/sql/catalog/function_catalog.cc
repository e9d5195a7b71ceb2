// The function part of the catalog: SQL names of user-defined functions.
#include <algorithm>
#include <cctype>

#include "glint/sql/catalog/catalog.h"
#include "glint/sql/expr/function_registry.h"
#include "glint/sql/parser/parse_error.h"
#include "glint/sql/udf/udf_registry.h"

namespace glint::sql {

namespace {
std::string lowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

Status Catalog::createFunction(const CreateFunctionStatement& st, std::string_view sql) {
  if (st.name.parts.size() != 1)
    return sqlError(sql, st.name.span, "only unqualified function names are supported");
  const std::string name = lowerCase(st.name.parts[0].name);
  if (st.language && *st.language == "PYTHON")
    return sqlError(sql, st.span,
                    "LANGUAGE PYTHON is not supported: Glint functions are C++ (registered by "
                    "identifier, or loaded with USING JAR '/path/lib.so')");
  if (!st.system && isKnownFunction(upperCase(name)))
    return sqlError(sql, st.name.span, "`" + name + "` is a built-in function",
                    "pick another name, or use CREATE TEMPORARY SYSTEM FUNCTION to shadow it");
  const RegisteredFunction* f = UdfRegistry::instance().find(st.className);
  if (f == nullptr) {
    auto m = closestMatch(st.className, UdfRegistry::instance().identifiers());
    return sqlError(sql, st.span,
                    "no user-defined function implementation has the identifier '" + st.className +
                        "'" + (m ? "; did you mean '" + *m + "'?" : ""),
                    "load the library that registers it with USING JAR '/path/lib.so'");
  }
  if (functions_.count(name)) {
    if (st.ifNotExists) return Status::ok();
    return sqlError(sql, st.name.span, "function `" + name + "` already exists",
                    "DROP FUNCTION " + name + " first, or add IF NOT EXISTS");
  }
  auto fn = std::make_shared<CatalogFunction>();
  fn->name = name;
  fn->identifier = st.className;
  fn->temporary = st.temporary;
  fn->system = st.system;
  functions_[name] = std::move(fn);
  return Status::ok();
}

Status Catalog::dropFunction(const DropStatement& st, std::string_view sql) {
  const std::string name = lowerCase(st.name.toString());
  auto it = functions_.find(name);
  if (it == functions_.end() || it->second->system != st.system) {
    if (st.ifExists) return Status::ok();
    auto m = closestMatch(name, functionNames());
    return sqlError(sql, st.name.span,
                    std::string(st.system ? "temporary system function" : "function") + " `" +
                        name + "` does not exist",
                    m ? "did you mean `" + *m + "`?" : "");
  }
  functions_.erase(it);
  return Status::ok();
}

std::shared_ptr<const CatalogFunction> Catalog::findFunction(std::string_view name) const {
  auto it = functions_.find(lowerCase(name));
  return it == functions_.end() ? nullptr : it->second;
}

std::vector<std::string> Catalog::functionNames() const {
  std::vector<std::string> out;
  for (const auto& [name, f] : functions_) out.push_back(name);
  return out;
}

}  // namespace glint::sql
