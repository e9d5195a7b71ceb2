#pragma once
// Shared pieces of the integration tests: running the `glint` binary as a child process (and
// killing it), reading the committed output of the exactly-once file sink, and the reference
// rows of a Nexmark query from the hand-written loop.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "glint/connectors/nexmark/reference_queries.h"

namespace glint::integration {

namespace fs = std::filesystem;

inline std::string glintBinary() {
  return GLINT_BINARY_DIR "/glint";
}

// A fresh directory for one test, removed by the destructor unless the test failed (so the
// files can be looked at).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    path_ = fs::temp_directory_path() / ("glint_it_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    if (!keep_) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  void keep() { keep_ = true; }
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& child) const { return (path_ / child).string(); }

 private:
  fs::path path_;
  bool keep_ = false;
};

// How a child process ended.
struct ChildOutcome {
  bool killed = false;  // by our SIGKILL
  bool exited = false;  // by itself
  int exitCode = -1;    // when exited
  int64_t millis = 0;   // from start to end
};

// Starts `glint args...` with stdout and stderr appended to `logFile`.
inline pid_t startGlint(const std::vector<std::string>& args, const std::string& logFile) {
  std::vector<std::string> argv = {glintBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  return pid;
}

// Waits for `pid` to exit; if it is still running after `killAfterMillis` (< 0: never), kills it
// with SIGKILL. `maxMillis` bounds the wait in any case (then the child is killed and the
// outcome says killed, which the caller treats as a hang when it did not ask for a kill).
// With `killWhen`, the child is also killed as soon as it returns true (polled every few ms).
inline ChildOutcome waitOrKill(pid_t pid, int64_t killAfterMillis, int64_t maxMillis = 120'000,
                               const std::function<bool()>& killWhen = {}) {
  ChildOutcome outcome;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
  };
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      outcome.exited = WIFEXITED(status);
      outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      outcome.millis = elapsed();
      return outcome;
    }
    const int64_t now = elapsed();
    if ((killAfterMillis >= 0 && now >= killAfterMillis) || now >= maxMillis ||
        (killWhen && killWhen())) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      // It may have exited on its own just before the signal.
      outcome.exited = WIFEXITED(status);
      outcome.killed = !outcome.exited;
      outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      outcome.millis = elapsed();
      return outcome;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The committed output of a file sink directory: the data lines of every visible part file
// (`part-*`, header line removed), sorted. Every part's header must equal `header`; a hidden
// in-progress part is not output and is ignored.
inline std::vector<std::string> committedRows(const std::string& dir, const std::string& header,
                                              std::string* problems = nullptr,
                                              std::vector<std::string>* partNames = nullptr) {
  std::vector<std::string> rows;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return rows;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("part-", 0) != 0) continue;
    if (partNames) partNames->push_back(name);
    std::istringstream in(readFile(e.path().string()));
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (first) {
        if (line != header && problems) *problems += name + ": header '" + line + "'\n";
        first = false;
        continue;
      }
      rows.push_back(line);
    }
    if (first && problems) *problems += name + ": empty file (no header)\n";
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The rows of `part-*` files whose names start with `prefix` (e.g. one run's attempt id).
inline std::vector<std::string> rowsOfParts(const std::string& dir,
                                            const std::vector<std::string>& names) {
  std::vector<std::string> rows;
  for (const auto& name : names) {
    std::istringstream in(readFile((fs::path(dir) / name).string()));
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (!first) rows.push_back(line);
      first = false;
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The CSV header the file sink writes for a Nexmark query.
inline std::string nexmarkHeader(int query) {
  std::string h;
  for (const auto& c : nexmark::referenceQueryColumns(query)) h += (h.empty() ? "" : ",") + c;
  return h;
}

// The reference loop's rows for `events` events of the CLI's generator (seed 42), sorted.
inline std::vector<std::string> referenceRows(int query, int64_t events) {
  nexmark::GeneratorConfig config;
  config.seed = 42;
  auto r = nexmark::runReferenceQuery(query, config, events, /*collect=*/true);
  std::sort(r.lines.begin(), r.lines.end());
  return r.lines;
}

// A short description of how two sorted multisets differ (for failure messages).
inline std::string describeDifference(const std::vector<std::string>& expected,
                                      const std::vector<std::string>& actual) {
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  std::ostringstream s;
  s << expected.size() << " rows expected, " << actual.size() << " committed; " << missing.size()
    << " missing, " << extra.size() << " extra (duplicates count)";
  for (size_t i = 0; i < std::min<size_t>(missing.size(), 3); ++i)
    s << "\n  missing: " << missing[i];
  for (size_t i = 0; i < std::min<size_t>(extra.size(), 3); ++i) s << "\n  extra:   " << extra[i];
  return s.str();
}

}  // namespace glint::integration
