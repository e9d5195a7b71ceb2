#pragma once
// The SQL catalog: tables (with their connector options validated at CREATE time) and views,
// permanent or temporary, in one namespace as in Flink's default catalog and database.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glint/common/status.h"
// First: see syntax.h.
#include "glint/sql/expr/bound_expr.h"
#include "glint/sql/syntax.h"

namespace glint::sql {

// Flink's name of a column type: INT, BIGINT, DOUBLE, STRING, TIMESTAMP(3), ...
std::string flinkTypeName(ExprType type);
// The engine type of a declared SQL type; the error names the type and where it is.
Result<ExprType> exprTypeOfSyntax(const DataTypeSyntax& type, std::string_view sql);

struct CatalogColumn {
  std::string name;
  ExprType type = ExprType::kBigint;
  bool nullable = true;
  // Computed column: the expression as normalized SQL over the physical columns (re-parsed
  // and bound when the table is scanned). Empty for a physical column.
  std::string computedSql;
  bool isComputed() const { return !computedSql.empty(); }
};

struct CatalogTable {
  std::string name;
  bool temporary = false;
  std::vector<CatalogColumn> columns;
  // WATERMARK FOR rowtimeColumn AS rowtimeColumn - INTERVAL ...: bounded out-of-orderness.
  std::optional<std::string> rowtimeColumn;
  int64_t watermarkDelayMillis = 0;
  std::string watermarkSql;  // as written, for DESCRIBE
  std::vector<std::string> primaryKey;
  std::map<std::string, std::string> options;  // WITH (...)
  std::string connector;                       // options["connector"]

  int indexOf(std::string_view column) const;
  std::vector<std::string> columnNames() const;
};

struct CatalogView {
  std::string name;
  bool temporary = false;
  std::string querySql;  // normalized SQL of the view's query
  std::vector<std::string> columnAliases;
  // Output columns (names and types), filled by the session when the view is created.
  std::vector<std::string> columnNames;
  std::vector<ExprType> columnTypes;
};

// CREATE [TEMPORARY [SYSTEM]] FUNCTION name AS 'identifier': a SQL name (lower case, as Flink
// matches function names case-insensitively) for a UDF implementation (sql/udf/).
struct CatalogFunction {
  std::string name;
  std::string identifier;
  bool temporary = false;
  bool system = false;  // TEMPORARY SYSTEM: takes precedence over built-in functions
};

class Catalog {
 public:
  // Validates the connector options (names and values, with Flink's option names) and adds
  // the table. `sql` is the statement's text, for error carets.
  Status createTable(const CreateTableStatement& statement, std::string_view sql);
  Status addView(CatalogView view, bool ifNotExists, const SourceSpan& nameSpan,
                 std::string_view sql);
  Status drop(const DropStatement& statement, std::string_view sql);
  // The identifier must name a registered UDF (load its library first).
  Status createFunction(const CreateFunctionStatement& statement, std::string_view sql);
  std::shared_ptr<const CatalogFunction> findFunction(std::string_view name) const;
  std::vector<std::string> functionNames() const;

  std::shared_ptr<const CatalogTable> findTable(std::string_view name) const;
  std::shared_ptr<const CatalogView> findView(std::string_view name) const;
  // Table and view names, sorted.
  std::vector<std::string> tableNames() const;
  std::vector<std::string> viewNames() const;
  std::vector<std::string> allNames() const;

 private:
  Status dropFunction(const DropStatement& statement, std::string_view sql);
  std::map<std::string, std::shared_ptr<const CatalogTable>> tables_;
  std::map<std::string, std::shared_ptr<const CatalogView>> views_;
  std::map<std::string, std::shared_ptr<const CatalogFunction>> functions_;
};

// An error pointing at `span` of `sql`: "SQL error at line L, column C: message", the line
// with a caret, and "hint" on a last line when not empty.
Status sqlError(std::string_view sql, const SourceSpan& span, const std::string& message,
                const std::string& hint = {});

// Validates a table's connector options; `optionSpan(key)` gives where an option was written.
Status validateConnectorOptions(const CatalogTable& table);

}  // namespace glint::sql
