#pragma once
// A SQL session: the catalog, the session options (SET/RESET) and the entry point that runs
// statements. It is what the `glint sql` client, the SQL logic test runner and the
// differential tests talk to.
//
//   SqlSession session;
//   auto result = session.executeScript("CREATE TABLE t (...) WITH (...); SELECT * FROM t;");
//   if (!result.isOk()) std::cerr << result.status().message();   // line, column, caret, hint
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glint/common/config.h"
#include "glint/common/status.h"

namespace glint {
class JobHandle;
}

namespace glint::sql {

// A query's result.
struct ResultTable {
  std::vector<std::string> columnNames;
  std::vector<std::string> columnTypes;  // Flink type names: INT, BIGINT, VARCHAR(2147483647)...
  // Final rows (the changelog applied), values printed as Flink's SQL client prints them
  // (NULL = nullopt). Unordered unless the query has ORDER BY.
  std::vector<std::vector<std::optional<std::string>>> rows;
  // Streaming mode: "+I[...]", "-U[...]", "+U[...]", "-D[...]" in emission order (empty in
  // batch mode); values as in `rows`, NULL as "NULL", separated by ", ".
  std::vector<std::string> changelog;
};

struct StatementResult {
  enum class Kind {
    kOk,     // DDL, SET, INSERT: `message` says what was done
    kQuery,  // a query: `table`
    kInfo,   // SHOW, DESCRIBE, EXPLAIN, plain SET: `table` (SHOW/DESCRIBE/SET) or `message`
  };
  Kind kind = Kind::kOk;
  std::string message;
  ResultTable table;
};

// Sees a query's result while its job runs (the SQL client uses it to print a streaming
// query's changes as they come): `onStart` with the column names and types before the job
// starts, then `onChange` for every row in emission order ("+I", "-U", "+U", "-D"; values as
// in ResultTable::rows), from one job thread. With `onChange` set, ResultTable::changelog stays
// empty; `rows` is still the final table.
struct ResultListener {
  std::function<void(const ResultTable& header)> onStart;
  std::function<void(std::string_view op, const std::vector<std::optional<std::string>>& row)>
      onChange;
};

class Catalog;

class SqlSession {
 public:
  explicit SqlSession(JobConfig config = {});
  ~SqlSession();
  SqlSession(const SqlSession&) = delete;
  SqlSession& operator=(const SqlSession&) = delete;

  // Executes one statement (DDL, SET, RESET, SHOW, DESCRIBE, EXPLAIN, INSERT INTO, EXECUTE
  // STATEMENT SET, or a query that runs to the end of its bounded input and returns its rows).
  Result<StatementResult> execute(std::string_view statement);
  // Executes a script of ';'-separated statements; stops at the first error (the error names
  // line:column relative to the script, with a caret).
  Result<std::vector<StatementResult>> executeScript(std::string_view script);

  JobConfig& config();
  Catalog& catalog();
  // A session option (sql-client.* or a JobConfig option), or `fallback`.
  std::string option(const std::string& key, const std::string& fallback = "") const;

  // Called with each job the session starts (so that a client can cancel it from another
  // thread, e.g. on Ctrl-C); called again with nullptr when the job has ended.
  void setJobObserver(std::function<void(JobHandle*)> observer);
  // Replaces the query result listener (an empty one: results only at the end).
  void setResultListener(ResultListener listener);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace glint::sql
