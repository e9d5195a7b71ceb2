// `glint sql`: the SQL client. Runs files (-f), statements (-e) or an interactive session with
// line editing and history (readline), multi-line statements ended by ';', results as tables
// (batch, or streaming in 'table' result mode) or as a changelog printed while the query runs
// (streaming 'changelog' / 'tableau' modes), and Ctrl-C cancelling the running query rather
// than the client.
#include <readline/history.h>
#include <readline/readline.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "glint/runtime/job_runner.h"
#include "glint/sql/parser/parser.h"
#include "glint/sql/session.h"

namespace {

struct SqlArgs {
  std::vector<std::string> files;
  std::vector<std::string> statements;
  int parallelism = 0;
};

SqlArgs& args() {
  static SqlArgs a;
  return a;
}

// Ctrl-C: the handler only sets a flag; a watcher thread cancels the running job.
std::atomic<bool> interrupted{false};
std::mutex jobMu;
glint::JobHandle* currentJob = nullptr;

void onSigint(int) {
  interrupted.store(true);
}

std::string displayWidthPad(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return s + std::string(width > chars ? width - chars : 0, ' ');
}

size_t displayWidth(const std::string& s) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars;
}

// Flink's tableau layout: +---+ borders, one row per line, NULL as <NULL>.
void printTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = displayWidth(header[c]);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], displayWidth(r[c]));
  std::string rule = "+";
  for (size_t w : width) rule += std::string(w + 2, '-') + "+";
  std::printf("%s\n|", rule.c_str());
  for (size_t c = 0; c < header.size(); ++c)
    std::printf(" %s |", displayWidthPad(header[c], width[c]).c_str());
  std::printf("\n%s\n", rule.c_str());
  for (const auto& r : rows) {
    std::printf("|");
    for (size_t c = 0; c < r.size(); ++c)
      std::printf(" %s |", displayWidthPad(r[c], width[c]).c_str());
    std::printf("\n");
  }
  if (!rows.empty()) std::printf("%s\n", rule.c_str());
  std::printf("%zu row%s in set\n", rows.size(), rows.size() == 1 ? "" : "s");
}

// Shows a streaming query's result while its job runs, as Flink's client does:
//  - 'changelog' and 'tableau' result modes: one table row per change (op column first),
//    printed the moment it arrives, with column widths fixed up front from the types;
//  - 'table' mode on a terminal: the materialised table, redrawn at most twice a second.
// Batch queries, and 'table' mode into a pipe or file, print once at the end (printResult).
class LiveResultPrinter {
 public:
  explicit LiveResultPrinter(glint::sql::SqlSession& session) : session_(session) {}

  void start(const glint::sql::ResultTable& header) {
    std::lock_guard<std::mutex> lock(mu_);
    const bool streaming = session_.config().get("execution.runtime-mode", "streaming") != "batch";
    const std::string mode = session_.option("sql-client.execution.result-mode", "table");
    mode_ = !streaming              ? Mode::kAtEnd
            : mode != "table"       ? Mode::kRows
            : isatty(STDOUT_FILENO) ? Mode::kRedraw
                                    : Mode::kAtEnd;
    header_ = header;
    printed_ = 0;
    rows_.clear();
    lastRedraw_ = {};
    if (mode_ != Mode::kRows) return;
    const long maxWidth = std::strtol(
        session_.option("sql-client.display.max-column-width", "30").c_str(), nullptr, 10);
    widths_ = {2};
    for (size_t c = 0; c < header.columnNames.size(); ++c)
      widths_.push_back(std::max(displayWidth(header.columnNames[c]),
                                 typeWidth(header.columnTypes[c], maxWidth > 3 ? maxWidth : 30)));
    printRule();
    std::vector<std::string> names{"op"};
    names.insert(names.end(), header.columnNames.begin(), header.columnNames.end());
    printLine(names);
    printRule();
    std::fflush(stdout);
  }

  void change(std::string_view op, const std::vector<std::optional<std::string>>& row) {
    std::lock_guard<std::mutex> lock(mu_);
    if (mode_ == Mode::kRows) {
      std::vector<std::string> cells{std::string(op)};
      for (const auto& v : row) cells.push_back(v ? *v : "<NULL>");
      printLine(cells);
      std::fflush(stdout);
      ++printed_;
    } else if (mode_ == Mode::kRedraw) {
      applyChange(op, row);
      const auto now = std::chrono::steady_clock::now();
      if (now - lastRedraw_ >= std::chrono::milliseconds(500)) {
        lastRedraw_ = now;
        std::printf("\033[H\033[2J");  // home + clear screen
        printTable(header_.columnNames, rows_);
        std::printf("(running; Ctrl-C stops the query)\n");
        std::fflush(stdout);
      }
    }
  }

  // After the job: true when the rows were already shown (only the footer is left).
  bool finish() {
    std::lock_guard<std::mutex> lock(mu_);
    const bool shown = mode_ == Mode::kRows;
    if (shown) {
      if (printed_ > 0) printRule();
      std::printf("Received a total of %zu row%s\n", printed_, printed_ == 1 ? "" : "s");
    } else if (mode_ == Mode::kRedraw) {
      std::printf("\033[H\033[2J");
    }
    mode_ = Mode::kAtEnd;
    return shown;
  }

 private:
  enum class Mode { kAtEnd, kRows, kRedraw };

  // Room for any value of a fixed-width type; strings get the configured maximum.
  static size_t typeWidth(const std::string& type, long maxWidth) {
    auto starts = [&](const char* p) { return type.rfind(p, 0) == 0; };
    size_t w = static_cast<size_t>(maxWidth);
    if (starts("BOOLEAN"))
      w = 6;
    else if (starts("TINYINT") || starts("SMALLINT") || starts("INT"))
      w = 11;
    else if (starts("BIGINT") || starts("DECIMAL") || starts("DOUBLE") || starts("FLOAT"))
      w = 20;
    else if (starts("DATE"))
      w = 10;
    else if (starts("TIMESTAMP"))
      w = 23;
    return std::min(w, static_cast<size_t>(maxWidth));
  }

  void printRule() {
    std::string rule = "+";
    for (size_t w : widths_) rule += std::string(w + 2, '-') + "+";
    std::printf("%s\n", rule.c_str());
  }

  // Values wider than their column are cut and end in "...", as in Flink's client.
  void printLine(const std::vector<std::string>& cells) {
    std::string line = "|";
    for (size_t c = 0; c < cells.size() && c < widths_.size(); ++c) {
      std::string v = cells[c];
      if (displayWidth(v) > widths_[c]) {
        std::string cut;
        size_t chars = 0;
        for (unsigned char ch : v) {
          if ((ch & 0xC0) != 0x80 && ++chars > widths_[c] - 3) break;
          cut.push_back(static_cast<char>(ch));
        }
        v = cut + "...";
      }
      // Numbers right-aligned, text left-aligned.
      const bool number =
          !v.empty() && (std::isdigit(static_cast<unsigned char>(v.back())) &&
                         (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-'));
      const size_t pad = widths_[c] - std::min(widths_[c], displayWidth(v));
      line += " " + (number ? std::string(pad, ' ') + v : v + std::string(pad, ' ')) + " |";
    }
    std::printf("%s\n", line.c_str());
  }

  void applyChange(std::string_view op, const std::vector<std::optional<std::string>>& row) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(v ? *v : "<NULL>");
    if (op == "+I" || op == "+U") {
      rows_.push_back(std::move(cells));
      return;
    }
    for (size_t i = rows_.size(); i-- > 0;)
      if (rows_[i] == cells) {
        rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
  }

  glint::sql::SqlSession& session_;
  std::mutex mu_;
  Mode mode_ = Mode::kAtEnd;
  glint::sql::ResultTable header_;
  std::vector<size_t> widths_;
  size_t printed_ = 0;
  std::vector<std::vector<std::string>> rows_;
  std::chrono::steady_clock::time_point lastRedraw_;
};

LiveResultPrinter* livePrinter = nullptr;

void printResult(glint::sql::SqlSession& session, const glint::sql::StatementResult& r) {
  using Kind = glint::sql::StatementResult::Kind;
  if (r.kind == Kind::kOk) {
    std::printf("[INFO] %s\n", r.message.c_str());
    return;
  }
  if (!r.message.empty()) {
    std::printf("%s\n", r.message.c_str());
    return;
  }
  if (r.kind == Kind::kQuery && livePrinter && livePrinter->finish()) return;
  const auto& t = r.table;
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : t.rows) {
    std::vector<std::string> out;
    for (const auto& v : row) out.push_back(v ? *v : "<NULL>");
    rows.push_back(std::move(out));
  }
  printTable(t.columnNames, rows);
}

enum class ScriptOutcome { kDone, kFailed, kCancelled };

// Runs a script; stops at the first error (printed with its position) or cancelled query.
ScriptOutcome runScript(glint::sql::SqlSession& session, const std::string& script) {
  auto parsed = glint::sql::parseStatements(script);
  if (!parsed.isOk()) {
    std::fprintf(stderr, "[ERROR] %s\n", parsed.error().render(script).c_str());
    return ScriptOutcome::kFailed;
  }
  // Statements run one by one so that results print as they come.
  for (const auto& statement : parsed.value()) {
    const auto& span = statement->span;
    // Re-run through executeScript on the statement's text padded to its position, so that
    // error positions stay relative to the whole script.
    std::string padded;
    for (int i = 0; i < span.offset; ++i) padded.push_back(script[i] == '\n' ? '\n' : ' ');
    padded.append(script, span.offset, span.length);
    auto results = session.executeScript(padded);
    if (!results.isOk()) {
      if (livePrinter) livePrinter->finish();  // closes a table shown while the query ran
      if (interrupted.exchange(false)) {
        // Ctrl-C cancelled the query: not an error, but the rest of the script is not run.
        std::fprintf(stderr, "[INFO] Query cancelled.\n");
        return ScriptOutcome::kCancelled;
      }
      std::fprintf(stderr, "[ERROR] %s\n", results.status().message().c_str());
      return ScriptOutcome::kFailed;
    }
    for (const auto& r : *results) printResult(session, r);
    if (interrupted.exchange(false)) {
      std::fprintf(stderr, "[INFO] Query cancelled.\n");
      return ScriptOutcome::kCancelled;
    }
  }
  return ScriptOutcome::kDone;
}

// Non-interactive runs exit 1 on an error and 130 (as after SIGINT) when Ctrl-C cancelled.
int exitCode(ScriptOutcome outcome) {
  return outcome == ScriptOutcome::kDone ? 0 : outcome == ScriptOutcome::kFailed ? 1 : 130;
}

int interactive(glint::sql::SqlSession& session) {
  std::printf("Glint SQL client. Statements end with ';'. Type QUIT; or press Ctrl-D to exit.\n");
  std::string buffer;
  for (;;) {
    char* line = readline(buffer.empty() ? "Glint SQL> " : "> ");
    if (!line) break;
    std::string text(line);
    std::free(line);
    interrupted.store(false);
    buffer += (buffer.empty() ? "" : "\n") + text;
    if (!glint::sql::isCompleteStatement(buffer)) continue;
    add_history(buffer.c_str());
    std::string trimmed = buffer;
    while (!trimmed.empty() &&
           (trimmed.back() == ';' || std::isspace(static_cast<unsigned char>(trimmed.back()))))
      trimmed.pop_back();
    std::string upper;
    for (char c : trimmed)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (upper == "QUIT" || upper == "EXIT") break;
    runScript(session, buffer);
    buffer.clear();
  }
  std::printf("\nGoodbye!\n");
  return 0;
}

}  // namespace

CLI::App* addSqlCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("sql", "Run SQL: a file (-f), statements (-e) or an interactive client");
  cmd->add_option("-f,--file", args().files, "SQL script file(s) to run");
  cmd->add_option("-e,--execute", args().statements, "SQL statement(s) to run");
  cmd->add_option("-p,--parallelism", args().parallelism, "parallelism.default for the session");
  cmd->footer(
      "Examples:\n"
      "  glint sql -f queries/nexmark/q5.sql\n"
      "  glint sql -e \"SET 'execution.runtime-mode' = 'batch'; SELECT 1 + 1;\"\n"
      "  glint sql            (interactive)");
  return cmd;
}

int runSqlCommand() {
  glint::sql::SqlSession session;
  if (args().parallelism > 0) session.config().parallelism = args().parallelism;
  session.setJobObserver([](glint::JobHandle* job) {
    std::lock_guard<std::mutex> lock(jobMu);
    currentJob = job;
  });
  LiveResultPrinter live(session);
  livePrinter = &live;
  session.setResultListener(
      {[&live](const glint::sql::ResultTable& header) { live.start(header); },
       [&live](std::string_view op, const std::vector<std::optional<std::string>>& row) {
         live.change(op, row);
       }});
  std::signal(SIGINT, onSigint);
  std::atomic<bool> stop{false};
  std::thread watcher([&] {
    while (!stop.load()) {
      if (interrupted.load()) {
        std::lock_guard<std::mutex> lock(jobMu);
        if (currentJob) currentJob->cancel();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  int code = 0;
  if (!args().files.empty() || !args().statements.empty()) {
    for (const auto& f : args().files) {
      std::ifstream in(f);
      if (!in) {
        std::fprintf(stderr, "[ERROR] cannot read SQL file '%s'\n", f.c_str());
        code = 1;
        break;
      }
      std::stringstream s;
      s << in.rdbuf();
      code = exitCode(runScript(session, s.str()));
      if (code != 0) break;
    }
    for (size_t i = 0; code == 0 && i < args().statements.size(); ++i)
      code = exitCode(runScript(session, args().statements[i]));
  } else {
    code = interactive(session);
  }
  stop.store(true);
  watcher.join();
  livePrinter = nullptr;
  return code;
}
