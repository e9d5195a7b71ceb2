#pragma once
// The SQL logic test runner: reads a sqllogictest-style `.test` file and runs its records
// against a glint::sql::SqlSession. The format is described in tests/sql/logic/README.md.
//
//   LogicFile file = parseLogicFile(text, "tests/sql/logic/x.test").value();
//   LogicRunReport report = runLogicFile(file, options);
//   for (auto& f : report.failures) ADD_FAILURE() << f;
//
// Header-only because every tests/**/*_test.cc is compiled into one binary and only
// `*_test.cc` files are picked up by the build's glob.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "glint/common/status.h"
#include "glint/runtime/job_runner.h"
#include "glint/sql/session.h"

namespace glint::sql::logic {

enum class RuntimeMode { kStreaming, kBatch };

inline std::string_view modeName(RuntimeMode mode) {
  return mode == RuntimeMode::kStreaming ? "streaming" : "batch";
}

// kChangelog: the expected lines are the streaming changelog ("+I[a, 1]", "-U[a, 1]", ...)
// in emission order, rather than the final rows.
enum class SortMode { kNoSort, kRowSort, kValueSort, kChangelog };

struct LogicRecord {
  enum class Kind {
    kStatementOk,     // statement ok
    kStatementError,  // statement error [L:C] [substring]; the message must name a position
    kRuntimeError,    // statement runtime-error [substring]: fails while the job runs
    kQuery,           // query <types> [nosort|rowsort|valuesort|changelog]
    kMode,            // mode streaming|batch|both
    kFile,            // file <path>: writes the record body to <path>
  };
  Kind kind = Kind::kStatementOk;
  int line = 0;     // line of the record's header in the .test file
  std::string sql;  // statement text, or the body of a `file` record
  // kStatementError
  std::string errorSubstring;
  std::optional<std::pair<int, int>> errorPosition;  // line, column the message must name
  // kQuery
  std::string types;  // one letter per column: I integer, R real, T text, B boolean, D date/time
  SortMode sort = SortMode::kNoSort;
  std::vector<std::string> expected;  // the lines after ----
  // kMode
  std::vector<RuntimeMode> modes;
  // kFile
  std::string path;
  // skipif: whole record (glint) or one mode (streaming / batch)
  bool skipAll = false;
  std::vector<RuntimeMode> skipModes;
  std::string skipReason;  // the comment lines just above the skipif line
};

struct LogicFile {
  std::string name;  // as printed in failure messages (path relative to the source tree)
  std::vector<LogicRecord> records;
};

namespace detail {

inline std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

inline std::vector<std::string> splitWhitespace(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

inline std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

inline bool isBlank(const std::string& line) {
  return trim(line).empty();
}

inline void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

}  // namespace detail

// Parses a .test file. Errors name file:line and what was expected there.
inline Result<LogicFile> parseLogicFile(std::string_view text, std::string name) {
  using detail::isBlank;
  using detail::trim;
  LogicFile file;
  file.name = name;
  const std::vector<std::string> lines = detail::splitLines(text);
  auto errorAt = [&](size_t index, const std::string& what) {
    return Status::parseError(name + ":" + std::to_string(index + 1) + ": " + what);
  };
  bool pendingSkipAll = false;
  std::vector<RuntimeMode> pendingSkipModes;
  std::string pendingReason;
  std::string comments;  // comment lines since the last blank line or record
  size_t i = 0;
  // Reads lines up to a blank line (or `stopAtDashes` and a "----" line); returns them joined.
  auto readBody = [&](bool stopAtDashes, bool* sawDashes) {
    std::string body;
    *sawDashes = false;
    while (i < lines.size() && !isBlank(lines[i])) {
      if (stopAtDashes && trim(lines[i]) == "----") {
        *sawDashes = true;
        ++i;
        break;
      }
      if (!body.empty()) body += '\n';
      body += lines[i];
      ++i;
    }
    return body;
  };
  while (i < lines.size()) {
    const std::string line = trim(lines[i]);
    if (line.empty()) {
      comments.clear();
      ++i;
      continue;
    }
    if (line[0] == '#') {
      std::string text = trim(std::string_view(line).substr(1));
      if (!comments.empty()) comments += ' ';
      comments += text;
      ++i;
      continue;
    }
    const size_t headerIndex = i;
    std::vector<std::string> words = detail::splitWhitespace(line);
    const std::string& keyword = words[0];
    if (keyword == "skipif") {
      if (words.size() != 2)
        return errorAt(i, "expected `skipif glint|streaming|batch`, found `" + line + "`");
      if (words[1] == "glint") {
        pendingSkipAll = true;
      } else if (words[1] == "streaming") {
        pendingSkipModes.push_back(RuntimeMode::kStreaming);
      } else if (words[1] == "batch") {
        pendingSkipModes.push_back(RuntimeMode::kBatch);
      } else {
        return errorAt(i, "skipif names glint, streaming or batch, found `" + words[1] + "`");
      }
      // The reason is the comment from "Glint gap:" on, when the comment has other text above.
      pendingReason = comments.find("Glint gap:") != std::string::npos
                          ? comments.substr(comments.find("Glint gap:") + 10)
                          : comments;
      pendingReason = trim(pendingReason);
      ++i;
      continue;
    }
    LogicRecord record;
    record.line = static_cast<int>(headerIndex + 1);
    record.skipAll = pendingSkipAll;
    record.skipModes = pendingSkipModes;
    record.skipReason = pendingReason;
    if ((pendingSkipAll || !pendingSkipModes.empty()) && pendingReason.empty())
      return errorAt(i - 1,
                     "a skipif needs a comment line above it saying what is missing in Glint");
    pendingSkipAll = false;
    pendingSkipModes.clear();
    pendingReason.clear();
    comments.clear();
    ++i;
    bool sawDashes = false;
    if (keyword == "statement") {
      if (words.size() >= 2 && words[1] == "runtime-error") {
        record.kind = LogicRecord::Kind::kRuntimeError;
        record.errorSubstring =
            trim(std::string_view(line).substr(line.find("runtime-error") + 13));
      } else if (words.size() >= 2 && words[1] == "ok") {
        if (words.size() != 2)
          return errorAt(headerIndex,
                         "`statement ok` takes nothing after it, found `" + line + "`");
        record.kind = LogicRecord::Kind::kStatementOk;
      } else if (words.size() >= 2 && words[1] == "error") {
        record.kind = LogicRecord::Kind::kStatementError;
        // Rest of the header after "error": an optional L:C, then the substring.
        std::string rest = trim(std::string_view(line).substr(line.find("error") + 5));
        static const std::regex kPosition(R"(^(\d+):(\d+)(\s+|$))");
        std::smatch match;
        if (std::regex_search(rest, match, kPosition)) {
          record.errorPosition = {std::stoi(match[1]), std::stoi(match[2])};
          rest = trim(std::string_view(rest).substr(match[0].length()));
        }
        record.errorSubstring = rest;
      } else {
        return errorAt(headerIndex,
                       "expected `statement ok`, `statement error [L:C] [text]` or `statement "
                       "runtime-error [text]`, found `" +
                           line + "`");
      }
      record.sql = readBody(true, &sawDashes);
      if (sawDashes) {
        // The DuckDB form: the expected error text below ----.
        if (record.kind == LogicRecord::Kind::kStatementOk)
          return errorAt(headerIndex, "`statement ok` has no ---- section");
        bool more = false;
        std::string text = readBody(false, &more);
        if (!record.errorSubstring.empty())
          return errorAt(headerIndex, "expected error text both in the header and below ----");
        record.errorSubstring = trim(text);
      }
      if (trim(record.sql).empty())
        return errorAt(headerIndex, "expected the statement's SQL on the next line");
    } else if (keyword == "query") {
      record.kind = LogicRecord::Kind::kQuery;
      if (words.size() < 2)
        return errorAt(headerIndex, "expected `query <types> [nosort|rowsort|valuesort]`");
      record.types = words[1];
      for (char c : record.types) {
        if (std::string_view("IRTBD").find(c) == std::string_view::npos)
          return errorAt(headerIndex, "query column types are letters of I R T B D, found `" +
                                          record.types + "`");
      }
      if (words.size() >= 3) {
        if (words[2] == "nosort") {
          record.sort = SortMode::kNoSort;
        } else if (words[2] == "rowsort") {
          record.sort = SortMode::kRowSort;
        } else if (words[2] == "valuesort") {
          record.sort = SortMode::kValueSort;
        } else if (words[2] == "changelog") {
          record.sort = SortMode::kChangelog;
        } else {
          return errorAt(headerIndex, "expected nosort, rowsort, valuesort or changelog, found `" +
                                          words[2] + "`");
        }
      }
      if (words.size() > 3)
        return errorAt(headerIndex, "unexpected `" + words[3] + "` after the sort mode");
      record.sql = readBody(true, &sawDashes);
      if (trim(record.sql).empty())
        return errorAt(headerIndex, "expected the query's SQL on the next line");
      if (!sawDashes)
        return errorAt(headerIndex, "expected a ---- line after the query, then its rows");
      while (i < lines.size() && !isBlank(lines[i])) record.expected.push_back(lines[i++]);
    } else if (keyword == "mode") {
      record.kind = LogicRecord::Kind::kMode;
      if (words.size() != 2)
        return errorAt(headerIndex, "expected `mode streaming|batch|both`, found `" + line + "`");
      if (words[1] == "streaming") {
        record.modes = {RuntimeMode::kStreaming};
      } else if (words[1] == "batch") {
        record.modes = {RuntimeMode::kBatch};
      } else if (words[1] == "both") {
        record.modes = {RuntimeMode::kStreaming, RuntimeMode::kBatch};
      } else {
        return errorAt(headerIndex, "mode is streaming, batch or both, found `" + words[1] + "`");
      }
    } else if (keyword == "file") {
      record.kind = LogicRecord::Kind::kFile;
      if (words.size() != 2) return errorAt(headerIndex, "expected `file <path>`");
      record.path = words[1];
      record.sql = readBody(false, &sawDashes);
      record.sql += '\n';
    } else {
      return errorAt(
          headerIndex,
          "expected a record (statement, query, mode, file, skipif), found `" + line + "`");
    }
    file.records.push_back(std::move(record));
  }
  if (pendingSkipAll || !pendingSkipModes.empty())
    return Status::parseError(name + ": a skipif at the end of the file has no record to skip");
  return file;
}

// ---- result comparison

// A value as the .test file writes it: NULL, (empty) for the empty string, else the text.
inline std::string displayValue(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  if (value->empty()) return "(empty)";
  return *value;
}

// Splits an expected row into `columns` values: by tabs if the line has any, else by " | " if
// it has any (values with spaces, such as timestamps), else by runs of spaces, or the whole line
// for one column.
inline std::optional<std::vector<std::string>> splitExpectedRow(const std::string& line,
                                                                size_t columns) {
  std::vector<std::string> values;
  if (line.find('\t') != std::string::npos) {
    size_t start = 0;
    while (true) {
      size_t end = line.find('\t', start);
      values.push_back(line.substr(start, end == std::string::npos ? end : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  } else if (line.find(" | ") != std::string::npos) {
    size_t start = 0;
    while (true) {
      size_t end = line.find(" | ", start);
      values.push_back(detail::trim(
          std::string_view(line).substr(start, end == std::string::npos ? end : end - start)));
      if (end == std::string::npos) break;
      start = end + 3;
    }
  } else if (columns == 1) {
    values.push_back(line);
  } else {
    values = detail::splitWhitespace(line);
  }
  if (values.size() != columns) return std::nullopt;
  return values;
}

// Equal as the column's type compares them: R columns numerically with a relative tolerance
// (doubles printed by different but correct algorithms may differ in the last digit).
inline bool valuesMatch(char type, const std::string& expected, const std::string& actual) {
  if (expected == actual) return true;
  if (type != 'R') return false;
  char* endE = nullptr;
  char* endA = nullptr;
  const double e = std::strtod(expected.c_str(), &endE);
  const double a = std::strtod(actual.c_str(), &endA);
  if (*endE != '\0' || *endA != '\0' || expected.empty() || actual.empty()) return false;
  if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
  return std::fabs(e - a) <= 1e-9 * std::max({1.0, std::fabs(e), std::fabs(a)});
}

// Compares a query's rows with the record's expectation; returns an empty string when they
// match, otherwise a description of the difference.
inline std::string compareQueryResult(const LogicRecord& record, const ResultTable& table) {
  const size_t columns = record.types.size();
  if (table.columnNames.size() != columns) {
    std::ostringstream out;
    out << "the record declares " << columns << " column(s) (" << record.types
        << ") but the query returned " << table.columnNames.size() << ":";
    for (const auto& name : table.columnNames) out << ' ' << name;
    return out.str();
  }
  if (record.sort == SortMode::kChangelog) {
    if (table.changelog == record.expected) return "";
    std::ostringstream out;
    out << "wrong changelog (" << table.changelog.size() << " changes, expected "
        << record.expected.size() << ")\n  expected:\n";
    for (const auto& line : record.expected) out << "    " << line << '\n';
    out << "  actual:\n";
    for (const auto& line : table.changelog) out << "    " << line << '\n';
    return out.str();
  }
  std::vector<std::vector<std::string>> actual;
  for (const auto& row : table.rows) {
    std::vector<std::string> values;
    for (const auto& value : row) values.push_back(displayValue(value));
    if (values.size() != columns)
      return "a result row has " + std::to_string(values.size()) + " values, expected " +
             std::to_string(columns);
    actual.push_back(std::move(values));
  }
  std::vector<std::vector<std::string>> expected;
  if (record.sort == SortMode::kValueSort) {
    // valuesort: one value per line, or rows of values; compared as one sorted list.
    for (const auto& line : record.expected) {
      auto split = splitExpectedRow(line, line.find('\t') != std::string::npos
                                              ? std::count(line.begin(), line.end(), '\t') + 1
                                              : 1);
      for (auto& v : *split) expected.push_back({v});
    }
    std::vector<std::vector<std::string>> flat;
    for (auto& row : actual)
      for (auto& v : row) flat.push_back({v});
    actual = std::move(flat);
  } else {
    for (size_t k = 0; k < record.expected.size(); ++k) {
      auto split = splitExpectedRow(record.expected[k], columns);
      if (!split)
        return "expected row " + std::to_string(k + 1) + " `" + record.expected[k] +
               "` does not have " + std::to_string(columns) +
               " values (separate values containing spaces by \" | \" or tabs)";
      expected.push_back(std::move(*split));
    }
  }
  if (record.sort != SortMode::kNoSort) {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  bool match = actual.size() == expected.size();
  for (size_t r = 0; match && r < actual.size(); ++r) {
    for (size_t c = 0; c < actual[r].size(); ++c) {
      const char type = record.sort == SortMode::kValueSort ? 'T' : record.types[c];
      if (!valuesMatch(type, expected[r][c], actual[r][c])) {
        match = false;
        break;
      }
    }
  }
  if (match) return "";
  auto print = [](const std::vector<std::vector<std::string>>& rows, std::ostringstream& out) {
    for (const auto& row : rows) {
      out << "    ";
      for (size_t c = 0; c < row.size(); ++c) out << (c ? "\t" : "") << row[c];
      out << '\n';
    }
    if (rows.empty()) out << "    (no rows)\n";
  };
  std::ostringstream out;
  out << "wrong result (" << actual.size() << " rows, expected " << expected.size() << ")\n";
  out << "  expected:\n";
  print(expected, out);
  out << "  actual:\n";
  print(actual, out);
  return out.str();
}

// ---- running

struct LogicRunOptions {
  std::string tmpDir;     // substituted for ${TMP}
  std::string sourceDir;  // substituted for ${SOURCE_DIR}
  // Run records marked `skipif` too and report those that now pass (to find skips to remove).
  bool runSkipped = false;
  int64_t queryTimeoutMillis = 60000;
};

struct LogicRunReport {
  std::vector<std::string> failures;    // "file:line: what went wrong"
  std::vector<std::string> skipped;     // "file:line: reason"
  std::vector<std::string> nowPassing;  // skipped records that pass (runSkipped only)
  int recordsRun = 0;
};

namespace detail {

// Cancels the session's running job when a statement takes longer than the timeout, so that a
// hang shows up as a failure of one record rather than of the whole test binary.
class StatementWatchdog {
 public:
  explicit StatementWatchdog(SqlSession& session) {
    session.setJobObserver([this](JobHandle* job) {
      std::lock_guard lock(mutex_);
      job_ = job;
    });
  }
  ~StatementWatchdog() { disarm(); }
  void arm(int64_t millis) {
    disarm();
    std::lock_guard lock(mutex_);
    stop_ = false;
    fired_ = false;
    thread_ = std::thread([this, millis] {
      std::unique_lock lock(mutex_);
      if (!wake_.wait_for(lock, std::chrono::milliseconds(millis), [this] { return stop_; })) {
        fired_ = true;
        if (job_ != nullptr) job_->cancel();
      }
    });
  }
  // Returns whether the watchdog cancelled the job.
  bool disarm() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    return fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  JobHandle* job_ = nullptr;
  bool stop_ = true;
  bool fired_ = false;
};

inline std::string indent(std::string_view text) {
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

inline std::string stripSemicolon(std::string sql) {
  std::string t = trim(sql);
  while (!t.empty() && t.back() == ';') t = trim(std::string_view(t).substr(0, t.size() - 1));
  return t;
}

}  // namespace detail

inline LogicRunReport runLogicFile(const LogicFile& file, const LogicRunOptions& options) {
  LogicRunReport report;
  SqlSession session;
  detail::StatementWatchdog watchdog(session);
  std::vector<RuntimeMode> modes = {RuntimeMode::kStreaming};
  std::optional<RuntimeMode> sessionMode;  // the mode last SET on the session by the runner

  auto substitute = [&](std::string text) {
    detail::replaceAll(text, "${TMP}", options.tmpDir);
    detail::replaceAll(text, "${SOURCE_DIR}", options.sourceDir);
    return text;
  };
  auto where = [&](const LogicRecord& r) { return file.name + ":" + std::to_string(r.line); };
  // Executes one statement under the watchdog; a timeout becomes an error.
  auto execute = [&](const std::string& sql) -> Result<StatementResult> {
    watchdog.arm(options.queryTimeoutMillis);
    auto result = session.execute(sql);
    if (watchdog.disarm())
      return Status::internal("timed out after " + std::to_string(options.queryTimeoutMillis) +
                              " ms (the job was cancelled)");
    return result;
  };
  // Returns an error text when the mode cannot be set.
  auto setMode = [&](RuntimeMode mode) -> std::string {
    if (sessionMode == mode) return "";
    auto result = execute("SET 'execution.runtime-mode' = '" + std::string(modeName(mode)) + "'");
    if (!result.isOk())
      return "cannot switch to " + std::string(modeName(mode)) +
             " mode: " + result.status().message();
    sessionMode = mode;
    return "";
  };
  // Runs one record in one mode; returns a failure description or "".
  auto runOnce = [&](const LogicRecord& record, RuntimeMode mode) -> std::string {
    if (std::string error = setMode(mode); !error.empty()) return error;
    const std::string sql = detail::stripSemicolon(substitute(record.sql));
    auto result = execute(sql);
    const std::string context =
        " [" + std::string(modeName(mode)) + " mode]\n  SQL:\n" + detail::indent(sql) + "\n";
    switch (record.kind) {
      case LogicRecord::Kind::kStatementOk:
        if (!result.isOk())
          return "statement failed" + context + "  error:\n" +
                 detail::indent(result.status().message());
        return "";
      case LogicRecord::Kind::kStatementError: {
        if (result.isOk()) return "statement succeeded but an error was expected" + context;
        const std::string& message = result.status().message();
        // Every user error names where: "line L, column C".
        static const std::regex kAnyPosition(R"(line (\d+), column (\d+))");
        std::smatch match;
        std::string problem;
        if (!std::regex_search(message, match, kAnyPosition)) {
          problem = "the error does not name a position (line L, column C)";
        } else if (record.errorPosition &&
                   message.find("line " + std::to_string(record.errorPosition->first) +
                                ", column " + std::to_string(record.errorPosition->second)) ==
                       std::string::npos) {
          problem = "the error does not name line " + std::to_string(record.errorPosition->first) +
                    ", column " + std::to_string(record.errorPosition->second);
        } else if (!record.errorSubstring.empty() &&
                   message.find(record.errorSubstring) == std::string::npos) {
          problem = "the error does not contain `" + record.errorSubstring + "`";
        }
        if (problem.empty()) return "";
        return problem + context + "  error:\n" + detail::indent(message);
      }
      case LogicRecord::Kind::kRuntimeError: {
        if (result.isOk()) return "statement succeeded but a run-time error was expected" + context;
        const std::string& message = result.status().message();
        if (message.find(record.errorSubstring) == std::string::npos)
          return "the error does not contain `" + record.errorSubstring + "`" + context +
                 "  error:\n" + detail::indent(message);
        return "";
      }
      case LogicRecord::Kind::kQuery: {
        if (record.sort == SortMode::kChangelog && mode != RuntimeMode::kStreaming)
          return "a changelog record runs in streaming mode only (put it under `mode streaming`)";
        if (!result.isOk())
          return "query failed" + context + "  error:\n" +
                 detail::indent(result.status().message());
        std::string difference = compareQueryResult(record, result.value().table);
        if (difference.empty()) return "";
        return "query " + difference.substr(0, difference.find('\n')) + context +
               (difference.find('\n') == std::string::npos
                    ? ""
                    : difference.substr(difference.find('\n') + 1));
      }
      default:
        return "";
    }
  };

  for (const LogicRecord& record : file.records) {
    if (record.kind == LogicRecord::Kind::kMode) {
      modes = record.modes;
      continue;
    }
    if (record.kind == LogicRecord::Kind::kFile) {
      const std::string path = substitute(record.path);
      FILE* out = std::fopen(path.c_str(), "wb");
      if (out == nullptr) {
        report.failures.push_back(where(record) + ": cannot write " + path);
        continue;
      }
      const std::string body = substitute(record.sql);
      std::fwrite(body.data(), 1, body.size(), out);
      std::fclose(out);
      continue;
    }
    // `statement ok` changes the session (DDL, INSERT), so it runs once, in the first mode;
    // queries and expected errors run in every mode of the section.
    std::vector<RuntimeMode> runModes = modes;
    if (record.kind == LogicRecord::Kind::kStatementOk) runModes.resize(1);
    for (RuntimeMode mode : runModes) {
      const bool skipped =
          record.skipAll || std::find(record.skipModes.begin(), record.skipModes.end(), mode) !=
                                record.skipModes.end();
      if (skipped) {
        report.skipped.push_back(where(record) + " [" + std::string(modeName(mode)) +
                                 "]: " + record.skipReason);
        if (options.runSkipped && runOnce(record, mode).empty())
          report.nowPassing.push_back(where(record) + " [" + std::string(modeName(mode)) + "]");
        continue;
      }
      ++report.recordsRun;
      std::string failure = runOnce(record, mode);
      if (!failure.empty()) report.failures.push_back(where(record) + ": " + failure);
    }
  }
  return report;
}

}  // namespace glint::sql::logic
