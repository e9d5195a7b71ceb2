// `glint sql`: the SQL client. Runs files (-f), statements (-e) or an interactive session with
// line editing and history (readline), multi-line statements ended by ';', results as tables
// (batch, or streaming in 'table' result mode) or as a changelog (streaming 'changelog' mode),
// and Ctrl-C cancelling the running query rather than the client.
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
  const auto& t = r.table;
  const std::string mode = session.option("sql-client.execution.result-mode", "table");
  const bool streaming = session.config().get("execution.runtime-mode", "streaming") != "batch";
  if (r.kind == Kind::kQuery && streaming && mode == "changelog") {
    // One line per change: the op column, then the values.
    std::vector<std::string> header{"op"};
    header.insert(header.end(), t.columnNames.begin(), t.columnNames.end());
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : t.changelog) {
      std::vector<std::string> row{line.substr(0, 2)};
      std::string inner = line.substr(3, line.size() - 4);
      size_t start = 0;
      for (size_t c = 0; c < t.columnNames.size(); ++c) {
        size_t end = c + 1 < t.columnNames.size() ? inner.find(", ", start) : inner.size();
        if (end == std::string::npos) end = inner.size();
        std::string v = inner.substr(start, end - start);
        row.push_back(v == "NULL" ? "<NULL>" : v);
        start = end + 2;
      }
      rows.push_back(std::move(row));
    }
    printTable(header, rows);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : t.rows) {
    std::vector<std::string> out;
    for (const auto& v : row) out.push_back(v ? *v : "<NULL>");
    rows.push_back(std::move(out));
  }
  printTable(t.columnNames, rows);
}

// Runs a script; returns false on the first error (printed with its position).
bool runScript(glint::sql::SqlSession& session, const std::string& script) {
  auto parsed = glint::sql::parseStatements(script);
  if (!parsed.isOk()) {
    std::fprintf(stderr, "[ERROR] %s\n", parsed.error().render(script).c_str());
    return false;
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
      std::fprintf(stderr, "[ERROR] %s\n", results.status().message().c_str());
      return false;
    }
    for (const auto& r : *results) printResult(session, r);
    if (interrupted.exchange(false)) std::fprintf(stderr, "[INFO] Query cancelled.\n");
  }
  return true;
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
      if (!runScript(session, s.str())) {
        code = 1;
        break;
      }
    }
    for (size_t i = 0; code == 0 && i < args().statements.size(); ++i)
      if (!runScript(session, args().statements[i])) code = 1;
  } else {
    code = interactive(session);
  }
  stop.store(true);
  watcher.join();
  return code;
}
