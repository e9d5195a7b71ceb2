// glint_nexmark_bench: Nexmark throughput of the engine against the hand-written single-threaded
// loop (reference_queries.h), memory growth of a windowed query, and end-to-end latency under a
// rate limit. Every measured run happens in a forked child process, so that peak RSS
// (getrusage(RUSAGE_SELF).ru_maxrss in the child) and CPU time belong to that run alone.
//
//   glint_nexmark_bench [--queries q0,q1,...] [--events N] [--parallelism P] ...
//   glint_nexmark_bench --memory-check [--events N]
//   glint_nexmark_bench --latency
//
// See --help and docs/benchmarks.md.
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "glint/api/data_stream.h"
#include "glint/api/stream_execution_environment.h"
#include "glint/common/config.h"
#include "glint/connectors/nexmark/nexmark_source.h"
#include "glint/connectors/nexmark/queries.h"
#include "glint/connectors/nexmark/reference_queries.h"
#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/runtime/job_runner.h"

namespace {

using namespace glint;
using namespace glint::nexmark;

// ------------------------------------------------------------------------------ options

struct Options {
  std::vector<int> queries;  // empty: every supported query
  bool queriesGiven = false;
  int64_t events = 10'000'000;
  int parallelism = 2;
  size_t batchSize = 4096;
  int64_t bufferTimeoutMillis = -1;  // -1: JobConfig's default
  int repeat = 1;
  bool pickBest = false;  // with repeat > 1: report the fastest run instead of the median
  double retryNoisy = 0;  // > 0: rerun (up to 5 times) a run during which others used more cores
  bool engineOnly = false, loopOnly = false;
  bool memoryCheck = false, latency = false;
  double latencySeconds = 10;
  int64_t latencyProbeEvents = 2'000'000;
  double maxSeconds = 0;  // per run; 0: no limit
};

const char* kHelp =
    R"(glint_nexmark_bench: Nexmark throughput, memory and latency of the Glint engine,
measured against a hand-written single-threaded C++ loop computing the same query.

Usage: glint_nexmark_bench [options]

Throughput (default mode): for each query, runs the loop (runReferenceQuery) and the engine
(generator source -> query -> blackhole sink), each in a forked child process, and prints
wall time, CPU time (user+sys), events/s, events per CPU-second, peak RSS and rows out.

Options:
  --queries LIST          comma-separated queries, e.g. q0,q1,q7 or 0,1,7
                          (default: every supported query: q0,q1,q2,q3,q4,q5,q7,q8)
  --events N              generated events per run (default 10000000; 1e6, 2M, 500k accepted)
  --parallelism P         engine parallelism (default 2)
  --batch-size B          engine rows per batch (default 4096)
  --buffer-timeout MS     engine buffer timeout in ms (default: JobConfig's, 100 ms)
  --repeat R              run each measurement R times, report the median by wall time (default 1)
  --pick median|best      with --repeat: report the median run (default) or the fastest one
  --retry-noisy C         discard and rerun (at most 5 times per run) a run during which other
                          processes kept more than C cores busy beyond the cores the run does not
                          use (the loop uses 1, the engine P) (/proc/stat); default: keep all
  --engine-only           run only the engine (e.g. under valgrind --tool=callgrind; with one
                          query and no --repeat the run happens in this process, not forked)
  --loop-only             run only the hand-written loop
  --max-seconds S         kill a run that takes longer than S wall seconds (default: no limit)
  --memory-check          engine q5 at N and at 10*N events: peak RSS of both
                          (with --queries, those queries instead of q5)
  --latency               engine q0 and q2 (or --queries) with buffer timeout 1 ms, rate-limited
                          at half the engine's maximum rate measured by a probe run; prints
                          p50/p99/max end-to-end latency
  --latency-seconds S     event volume of the latency run, in seconds at that rate (default 10)
  --latency-probe-events N  events of the unlimited probe run (default 2000000)
  --help                  this text
)";

[[noreturn]] void usageError(const std::string& message) {
  std::fprintf(stderr, "glint_nexmark_bench: %s\n(see --help)\n", message.c_str());
  std::exit(2);
}

int64_t parseCount(const std::string& option, const std::string& text) {
  // Accepts 10000000, 10_000_000, 1e7, 10M, 500k.
  std::string t;
  for (char c : text)
    if (c != '_' && c != ',') t += c;
  if (t.empty()) usageError("option " + option + ": expected a number, got '" + text + "'");
  double scale = 1;
  char last = t.back();
  if (last == 'k' || last == 'K') scale = 1e3;
  if (last == 'm' || last == 'M') scale = 1e6;
  if (last == 'g' || last == 'G' || last == 'b' || last == 'B') scale = 1e9;
  if (scale != 1) t.pop_back();
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (errno != 0 || end == t.c_str() || *end != '\0' || !(v * scale >= 1) || v * scale > 9e18)
    usageError("option " + option + ": expected a positive number, got '" + text + "'");
  return static_cast<int64_t>(v * scale + 0.5);
}

double parseSeconds(const std::string& option, const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(v > 0))
    usageError("option " + option + ": expected a positive number of seconds, got '" + text + "'");
  return v;
}

std::vector<int> parseQueries(const std::string& text) {
  std::vector<int> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;
    std::string digits = (item[0] == 'q' || item[0] == 'Q') ? item.substr(1) : item;
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
        digits.size() > 3)
      usageError("option --queries: expected queries like q0,q1 or 0,1, got '" + item + "'");
    out.push_back(std::stoi(digits));
  }
  if (out.empty()) usageError("option --queries: no query given");
  return out;
}

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool hasInlineValue = false;
    if (arg.rfind("--", 0) == 0) {
      size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
        hasInlineValue = true;
      }
    }
    auto next = [&]() -> std::string {
      if (hasInlineValue) return value;
      if (i + 1 >= argc) usageError("option " + arg + " needs a value");
      return argv[++i];
    };
    auto flag = [&]() {
      if (hasInlineValue) usageError("option " + arg + " takes no value");
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kHelp, stdout);
      std::exit(0);
    } else if (arg == "--queries") {
      o.queries = parseQueries(next());
      o.queriesGiven = true;
    } else if (arg == "--events") {
      o.events = parseCount(arg, next());
    } else if (arg == "--parallelism") {
      int64_t p = parseCount(arg, next());
      if (p > 1024) usageError("option --parallelism: at most 1024, got " + std::to_string(p));
      o.parallelism = static_cast<int>(p);
    } else if (arg == "--batch-size") {
      o.batchSize = static_cast<size_t>(parseCount(arg, next()));
    } else if (arg == "--buffer-timeout") {
      std::string v = next();
      if (v == "0") {
        o.bufferTimeoutMillis = 0;
      } else {
        o.bufferTimeoutMillis = parseCount(arg, v);
      }
    } else if (arg == "--repeat") {
      int64_t r = parseCount(arg, next());
      if (r > 100) usageError("option --repeat: at most 100, got " + std::to_string(r));
      o.repeat = static_cast<int>(r);
    } else if (arg == "--pick") {
      std::string v = next();
      if (v != "median" && v != "best")
        usageError("option --pick: expected median or best, got '" + v + "'");
      o.pickBest = v == "best";
    } else if (arg == "--retry-noisy") {
      std::string v = next();
      char* end = nullptr;
      double c = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(c > 0))
        usageError("option --retry-noisy: expected a positive number of cores, got '" + v + "'");
      o.retryNoisy = c;
    } else if (arg == "--engine-only") {
      flag();
      o.engineOnly = true;
    } else if (arg == "--loop-only") {
      flag();
      o.loopOnly = true;
    } else if (arg == "--max-seconds") {
      o.maxSeconds = parseSeconds(arg, next());
    } else if (arg == "--memory-check") {
      flag();
      o.memoryCheck = true;
    } else if (arg == "--latency") {
      flag();
      o.latency = true;
    } else if (arg == "--latency-seconds") {
      o.latencySeconds = parseSeconds(arg, next());
    } else if (arg == "--latency-probe-events") {
      o.latencyProbeEvents = parseCount(arg, next());
    } else {
      usageError("unknown option '" + std::string(argv[i]) + "'");
    }
  }
  if (o.engineOnly && o.loopOnly)
    usageError("options --engine-only and --loop-only exclude each other");
  if (o.memoryCheck && o.latency)
    usageError("options --memory-check and --latency: give one at a time");
  for (int q : o.queries) {
    const auto& s = supportedQueries();
    if (std::find(s.begin(), s.end(), q) == s.end() && !hasReferenceQuery(q))
      usageError("option --queries: q" + std::to_string(q) +
                 " is neither an engine query nor a reference loop");
  }
  return o;
}

// ------------------------------------------------------------------------------ one run, forked

struct RunResult {
  bool ok = false;
  char error[480] = {};
  double wall = 0, user = 0, sys = 0;
  int64_t events = 0, rows = 0;
  long maxRssKiB = 0;
  int64_t latencyCount = 0, p50us = 0, p99us = 0, maxUs = 0;
  // Filled by the parent from /proc/stat: CPU used on the machine during the run by processes
  // other than this run, in cores (a measure of noise from other work on the machine).
  double othersCores = -1;

  double cpu() const { return user + sys; }
  double evPerSec() const { return wall > 0 ? static_cast<double>(events) / wall : 0; }
  double evPerCpuSec() const { return cpu() > 0 ? static_cast<double>(events) / cpu() : 0; }
  double rssMiB() const { return static_cast<double>(maxRssKiB) / 1024.0; }
};

void setError(RunResult& r, const std::string& message) {
  r.ok = false;
  std::snprintf(r.error, sizeof r.error, "%s", message.c_str());
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

// Busy CPU time of the whole machine so far, in seconds (all cores; /proc/stat, USER_HZ ticks).
double machineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  if (cpu != "cpu") return -1;
  return static_cast<double>(user + nice + system + irq + softirq + steal) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Runs `body` in this process and measures it: wall and CPU times around `body`, peak RSS at
// the end.
RunResult runHere(const std::function<void(RunResult&)>& body) {
  RunResult r;
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  auto t0 = std::chrono::steady_clock::now();
  try {
    r.ok = true;
    body(r);
  } catch (const std::exception& e) {
    setError(r, e.what());
  } catch (...) {
    setError(r, "unknown exception");
  }
  auto t1 = std::chrono::steady_clock::now();
  getrusage(RUSAGE_SELF, &after);
  r.wall = std::chrono::duration<double>(t1 - t0).count();
  r.user = seconds(after.ru_utime) - seconds(before.ru_utime);
  r.sys = seconds(after.ru_stime) - seconds(before.ru_stime);
  r.maxRssKiB = after.ru_maxrss;
  return r;
}

// When the whole invocation is one run (one query, --engine-only or --loop-only, no repeat),
// it runs in this process: its RSS is still the run's own, and profilers such as
// `valgrind --tool=callgrind --callgrind-out-file=F` see it (a forked child would write F and the
// parent would overwrite it at exit).
bool gInProcess = false;

// Runs `body` in a forked child (runHere there), which writes its RunResult to a pipe and exits.
RunResult runForked(const std::function<void(RunResult&)>& body, double maxSeconds) {
  if (gInProcess) {
    const double busyBefore = machineBusySeconds();
    RunResult r = runHere(body);
    const double busyAfter = machineBusySeconds();
    if (busyBefore >= 0 && busyAfter >= 0 && r.wall > 0.05)
      r.othersCores = std::max(0.0, (busyAfter - busyBefore - r.cpu()) / r.wall);
    return r;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  int fds[2];
  if (pipe(fds) != 0) {
    RunResult r;
    setError(r, std::string("pipe: ") + std::strerror(errno));
    return r;
  }
  pid_t pid = fork();
  if (pid < 0) {
    RunResult r;
    setError(r, std::string("fork: ") + std::strerror(errno));
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    RunResult r = runHere(body);
    const char* p = reinterpret_cast<const char*>(&r);
    size_t left = sizeof r;
    while (left > 0) {
      ssize_t n = write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  const double busyBefore = machineBusySeconds();
  RunResult r;
  char* p = reinterpret_cast<char*>(&r);
  size_t got = 0;
  bool timedOut = false;
  auto start = std::chrono::steady_clock::now();
  while (got < sizeof r) {
    if (maxSeconds > 0) {
      double left = maxSeconds -
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) {
        timedOut = true;
        break;
      }
      pollfd pfd{fds[0], POLLIN, 0};
      int pr = poll(&pfd, 1, static_cast<int>(std::min(left, 60.0) * 1000) + 1);
      if (pr == 0) continue;
      if (pr < 0 && errno == EINTR) continue;
    }
    ssize_t n = read(fds[0], p + got, sizeof r - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fds[0]);
  if (timedOut) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timedOut) {
    RunResult t;
    setError(t, "stopped after --max-seconds " + std::to_string(maxSeconds) + " s");
    return t;
  }
  if (got < sizeof r) {
    RunResult t;
    if (WIFSIGNALED(status))
      setError(t, std::string("child killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
                      strsignal(WTERMSIG(status)) + ")");
    else
      setError(t, "child exited with status " + std::to_string(WEXITSTATUS(status)) +
                      " without a result");
    return t;
  }
  const double busyAfter = machineBusySeconds();
  if (busyBefore >= 0 && busyAfter >= 0 && r.wall > 0.05)
    r.othersCores = std::max(0.0, (busyAfter - busyBefore - r.cpu()) / r.wall);
  return r;
}

// ------------------------------------------------------------------------------ the two runners

void loopBody(int query, int64_t events, RunResult& r) {
  LoopResult lr = runReferenceQuery(query, GeneratorConfig{}, events, /*collect=*/false);
  r.events = events;
  r.rows = lr.rows;
}

struct EngineParams {
  int query = 0;
  int64_t events = 0;
  int parallelism = 2;
  size_t batchSize = 4096;
  int64_t bufferTimeoutMillis = -1;
  double eventsPerSecond = 0;
};

void engineBody(const EngineParams& p, RunResult& r) {
  JobConfig config;
  config.parallelism = p.parallelism;
  config.batchSize = p.batchSize;
  if (p.bufferTimeoutMillis >= 0) config.bufferTimeoutMillis = p.bufferTimeoutMillis;
  StreamExecutionEnvironment env(config);
  NexmarkSourceOptions options;
  options.numEvents = p.events;
  options.eventsPerSecond = p.eventsPerSecond;
  auto streams = generatorStreams(env, p.query, options);
  auto result = buildQuery(p.query, streams);
  if (!result.isOk()) {
    setError(r, result.status().message());
    return;
  }
  result->sinkTo("Blackhole", [] { return std::make_unique<BlackholeSink>(); });
  auto job = env.executeAsync("nexmark q" + std::to_string(p.query));
  if (!job.isOk()) {
    setError(r, job.status().message());
    return;
  }
  Status st = (*job)->wait();
  if (!st.isOk()) {
    setError(r, st.message());
    return;
  }
  JobMetrics& m = (*job)->metrics();
  r.events = m.sourceRecords.load();
  r.rows = m.sinkRecords.load();
  r.latencyCount = m.latency.count();
  r.p50us = m.latency.percentile(0.50);
  r.p99us = m.latency.percentile(0.99);
  r.maxUs = m.latency.max();
  if (r.events != p.events) {
    setError(r, "the source emitted " + std::to_string(r.events) + " events, expected " +
                    std::to_string(p.events));
  }
}

// Runs `repeat` times and returns the median run by wall time (failures win: they are reported).
struct Measured {
  RunResult median;
  double minWall = 0, maxWall = 0;
  int runs = 0;
  int discarded = 0;  // noisy runs thrown away (--retry-noisy)
};

// `threads`: cores the run can use (1 for the loop); others may use the remaining cores of the
// machine without making the run noisy.
Measured measure(const std::function<void(RunResult&)>& body, const Options& o, int threads) {
  const long cores = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  const double allowed = o.retryNoisy + static_cast<double>(std::max(0L, cores - threads));
  std::vector<RunResult> runs;
  int discarded = 0;
  for (int i = 0; i < o.repeat; ++i) {
    RunResult r = runForked(body, o.maxSeconds);
    for (int retry = 0; r.ok && o.retryNoisy > 0 && r.othersCores > allowed && retry < 5; ++retry) {
      ++discarded;
      r = runForked(body, o.maxSeconds);
    }
    if (!r.ok) return Measured{r, 0, 0, 1, discarded};
    runs.push_back(r);
  }
  std::sort(runs.begin(), runs.end(),
            [](const RunResult& a, const RunResult& b) { return a.wall < b.wall; });
  Measured m;
  m.median = o.pickBest ? runs.front() : runs[runs.size() / 2];
  m.minWall = runs.front().wall;
  m.maxWall = runs.back().wall;
  m.runs = static_cast<int>(runs.size());
  m.discarded = discarded;
  return m;
}

// ------------------------------------------------------------------------------ formatting

std::string fmtRate(double v) {
  char buf[32];
  if (v >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2f M", v / 1e6);
  else if (v >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1f K", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string fmtInt(int64_t v) {
  const std::string digits = std::to_string(v < 0 ? -v : v);
  std::string s = v < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Flink 2.0 per-core events/s (nexmark guide v2, derived), from /work/shared/NEXMARK.md.
std::optional<double> flinkPerCore(int q) {
  static const std::map<int, double> figures{{0, 379e3}, {1, 395e3}, {2, 414e3},
                                             {3, 219e3}, {4, 28e3},  {5, 75e3},
                                             {7, 23e3},  {8, 162e3}, {9, 14e3}};
  auto it = figures.find(q);
  if (it == figures.end()) return std::nullopt;
  return it->second;
}

// Engine/loop wall ratio to reach: stateless queries 40%, stateful ones 20%.
double loopRatioTarget(int q) {
  return q <= 2 ? 0.40 : 0.20;
}

std::string describeQuery(int q) {
  switch (q) {
    case 0:
      return "pass-through of bids";
    case 1:
      return "bid price in euros";
    case 2:
      return "bids on auction % 123 == 0";
    case 3:
      return "local item suggestion (auction x person join)";
    case 4:
      return "average closing price per category";
    case 5:
      return "hot items (sliding windows 10 s / 2 s)";
    case 7:
      return "highest bid per 10 s window";
    case 8:
      return "new users (person x auction, 10 s windows)";
  }
  return "";
}

void printRunLine(const char* name, const Measured& m) {
  const RunResult& r = m.median;
  if (!r.ok) {
    std::printf("  %-7s not available: %s\n", name, r.error);
    return;
  }
  std::printf("  %-7s %9.3f %9.3f %8.2f %12s %13s %10.1f %14s %7s", name, r.wall, r.cpu(),
              r.cpu() / r.wall, fmtRate(r.evPerSec()).c_str(), fmtRate(r.evPerCpuSec()).c_str(),
              r.rssMiB(), fmtInt(r.rows).c_str(),
              r.othersCores < 0 ? "-" : fmt("%.2f", r.othersCores).c_str());
  if (m.runs > 1) std::printf("   (%d runs, wall %.3f..%.3f)", m.runs, m.minWall, m.maxWall);
  if (m.discarded > 0) std::printf("   (%d noisy run(s) discarded)", m.discarded);
  std::printf("\n");
}

// ------------------------------------------------------------------------------ modes

struct QueryRow {
  int query;
  std::optional<Measured> loop, engine;
};

void runThroughput(const Options& o) {
  std::vector<int> queries = o.queriesGiven ? o.queries : supportedQueries();
  std::printf(
      "Nexmark throughput: %s events per run, engine parallelism %d, batch size %zu, buffer "
      "timeout %s, "
      "%d run(s) per measurement (%s by wall)%s\n",
      fmtInt(o.events).c_str(), o.parallelism, o.batchSize,
      o.bufferTimeoutMillis < 0 ? "default (100 ms)"
                                : (std::to_string(o.bufferTimeoutMillis) + " ms").c_str(),
      o.repeat, o.pickBest ? "fastest" : "median",
      o.retryNoisy > 0 ? (", runs with others > " + fmt("%.2f", o.retryNoisy) +
                          " cores beyond the cores the run leaves free rerun")
                             .c_str()
                       : "");
  std::printf(
      "%s: wall s, CPU s (user+sys of the process), CPU/wall, events/s (wall), "
      "events per CPU-second, peak RSS (ru_maxrss of the process), rows out, others = CPU cores "
      "busy with other "
      "processes during the run (/proc/stat; noise).\n",
      gInProcess ? "The run in this process" : "Every run in a forked child");
  std::vector<QueryRow> rows;
  for (int q : queries) {
    std::printf("\n== q%d: %s (%s events) ==   load average before: %s\n", q,
                describeQuery(q).c_str(), fmtInt(o.events).c_str(), loadAverage().c_str());
    std::printf("  %-7s %9s %9s %8s %12s %13s %10s %14s %7s\n", "run", "wall s", "CPU s",
                "CPU/wall", "events/s", "events/CPU-s", "RSS MiB", "rows out", "others");
    QueryRow row{q, std::nullopt, std::nullopt};
    if (!o.engineOnly) {
      if (hasReferenceQuery(q)) {
        row.loop = measure([&](RunResult& r) { loopBody(q, o.events, r); }, o, 1);
      } else {
        Measured m;
        setError(m.median, "no reference loop for this query");
        row.loop = m;
      }
      printRunLine("loop", *row.loop);
    }
    if (!o.loopOnly) {
      EngineParams p{q, o.events, o.parallelism, o.batchSize, o.bufferTimeoutMillis, 0};
      row.engine = measure([&](RunResult& r) { engineBody(p, r); }, o, o.parallelism);
      printRunLine("engine", *row.engine);
    }
    const bool loopOk = row.loop && row.loop->median.ok,
               engineOk = row.engine && row.engine->median.ok;
    if (loopOk && engineOk) {
      const double ratio = row.engine->median.evPerSec() / row.loop->median.evPerSec();
      std::printf("  engine/loop (wall): %.2f   target >= %.2f: %s\n", ratio, loopRatioTarget(q),
                  ratio >= loopRatioTarget(q) ? "met" : "MISSED");
    }
    if (engineOk) {
      if (auto f = flinkPerCore(q)) {
        const double perCpu = row.engine->median.evPerCpuSec();
        std::printf(
            "  engine events/CPU-s %s; Flink 2.0 per core %s, target 10x = %s; ratio to target "
            "%.2f: %s\n",
            fmtRate(perCpu).c_str(), fmtRate(*f).c_str(), fmtRate(10 * *f).c_str(),
            perCpu / (10 * *f), perCpu >= 10 * *f ? "met" : "MISSED");
      }
    }
    rows.push_back(row);
  }

  // The summary, one row per query, as a Markdown table.
  std::printf("\nSummary (%s events, parallelism %d; %s of %d run(s))\n\n",
              fmtInt(o.events).c_str(), o.parallelism, o.pickBest ? "fastest" : "median", o.repeat);
  std::printf(
      "| query | loop ev/s | engine ev/s | engine/loop (wall) | loop target | engine/loop (per "
      "CPU-s) | "
      "engine ev/CPU-s | "
      "Flink 2.0 /core | 10x Flink | engine ev/CPU-s / 10x Flink | loop RSS MiB | engine RSS MiB | "
      "loop rows | engine rows |\n");
  std::printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
  for (const auto& row : rows) {
    const RunResult* l = row.loop && row.loop->median.ok ? &row.loop->median : nullptr;
    const RunResult* e = row.engine && row.engine->median.ok ? &row.engine->median : nullptr;
    auto na = [](bool ran) { return std::string(ran ? "n/a" : "-"); };
    auto f = flinkPerCore(row.query);
    std::string ratio =
        l && e ? fmt("%.2f", e->evPerSec() / l->evPerSec()) : na(row.loop && row.engine);
    std::string cpuRatio =
        l && e ? fmt("%.2f", e->evPerCpuSec() / l->evPerCpuSec()) : na(row.loop && row.engine);
    std::string toTarget =
        e && f ? fmt("%.2f", e->evPerCpuSec() / (10 * *f)) : na(row.engine.has_value());
    std::printf("| q%d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                row.query, l ? fmtRate(l->evPerSec()).c_str() : na(row.loop.has_value()).c_str(),
                e ? fmtRate(e->evPerSec()).c_str() : na(row.engine.has_value()).c_str(),
                ratio.c_str(), fmt("%.0f%%", loopRatioTarget(row.query) * 100).c_str(),
                cpuRatio.c_str(),
                e ? fmtRate(e->evPerCpuSec()).c_str() : na(row.engine.has_value()).c_str(),
                f ? fmtRate(*f).c_str() : "-", f ? fmtRate(10 * *f).c_str() : "-", toTarget.c_str(),
                l ? fmt("%.1f", l->rssMiB()).c_str() : na(row.loop.has_value()).c_str(),
                e ? fmt("%.1f", e->rssMiB()).c_str() : na(row.engine.has_value()).c_str(),
                l ? fmtInt(l->rows).c_str() : na(row.loop.has_value()).c_str(),
                e ? fmtInt(e->rows).c_str() : na(row.engine.has_value()).c_str());
  }
  for (const auto& row : rows) {
    if (row.loop && !row.loop->median.ok)
      std::printf("q%d loop not available: %s\n", row.query, row.loop->median.error);
    if (row.engine && !row.engine->median.ok)
      std::printf("q%d engine not available: %s\n", row.query, row.engine->median.error);
  }
  std::printf("\nload average after: %s\n", loadAverage().c_str());
}

void runMemoryCheck(const Options& o) {
  std::vector<int> queries = o.queriesGiven ? o.queries : std::vector<int>{5};
  std::printf(
      "Memory check: engine peak RSS at N and 10N events (parallelism %d, batch size %zu); "
      "target: 10x the events must not take 10x the memory\n\n",
      o.parallelism, o.batchSize);
  std::printf(
      "| query | events | wall s | CPU s | events/s | events/CPU-s | peak RSS MiB | rows out | "
      "others (cores) |\n");
  std::printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
  std::vector<std::string> verdicts;
  for (int q : queries) {
    std::optional<RunResult> small;
    for (int64_t n : {o.events, o.events * 10}) {
      EngineParams p{q, n, o.parallelism, o.batchSize, o.bufferTimeoutMillis, 0};
      RunResult r = runForked([&](RunResult& rr) { engineBody(p, rr); }, o.maxSeconds);
      if (!r.ok) {
        std::printf("| q%d | %s | not available: %s | | | | | | |\n", q, fmtInt(n).c_str(),
                    r.error);
        break;
      }
      std::printf("| q%d | %s | %.3f | %.3f | %s | %s | %.1f | %s | %s |\n", q, fmtInt(n).c_str(),
                  r.wall, r.cpu(), fmtRate(r.evPerSec()).c_str(), fmtRate(r.evPerCpuSec()).c_str(),
                  r.rssMiB(), fmtInt(r.rows).c_str(),
                  r.othersCores < 0 ? "-" : fmt("%.2f", r.othersCores).c_str());
      std::fflush(stdout);
      if (!small) {
        small = r;
      } else {
        const double growth = r.rssMiB() / small->rssMiB();
        verdicts.push_back("q" + std::to_string(q) + ": peak RSS x" + fmt("%.2f", growth) +
                           " for 10x the events (" + fmt("%.1f", small->rssMiB()) + " -> " +
                           fmt("%.1f", r.rssMiB()) +
                           " MiB): " + (growth < 10 ? "under 10x: met" : "10x or more: MISSED"));
      }
    }
  }
  std::printf("\n");
  for (const auto& v : verdicts) std::printf("%s\n", v.c_str());
}

void runLatency(const Options& o) {
  std::vector<int> queries = o.queriesGiven ? o.queries : std::vector<int>{0, 2};
  std::printf(
      "Latency: engine, parallelism %d, batch size %zu, buffer timeout 1 ms; rate limit = half the "
      "maximum "
      "rate of an unlimited probe run (%s events, same settings); ~%.0f s of events; "
      "end-to-end latency = sink receive - source emit, per row\n\n",
      o.parallelism, o.batchSize, fmtInt(o.latencyProbeEvents).c_str(), o.latencySeconds);
  std::printf(
      "| query | probe max ev/s | rate limit ev/s | events | wall s | achieved ev/s | CPU s | rows "
      "out | "
      "p50 ms | p99 ms | max ms | p99 < 10 ms | others (cores) |\n");
  std::printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|\n");
  for (int q : queries) {
    EngineParams probe{q, o.latencyProbeEvents, o.parallelism, o.batchSize, 1, 0};
    RunResult pr = runForked([&](RunResult& rr) { engineBody(probe, rr); }, o.maxSeconds);
    if (!pr.ok) {
      std::printf("| q%d | not available: %s | | | | | | | | | | | |\n", q, pr.error);
      continue;
    }
    const double rate = pr.evPerSec() / 2;
    const int64_t n = std::max<int64_t>(1, static_cast<int64_t>(rate * o.latencySeconds));
    EngineParams p{q, n, o.parallelism, o.batchSize, 1, rate};
    RunResult r = runForked([&](RunResult& rr) { engineBody(p, rr); }, o.maxSeconds);
    if (!r.ok) {
      std::printf("| q%d | %s | %s | %s | failed: %s | | | | | | | | |\n", q,
                  fmtRate(pr.evPerSec()).c_str(), fmtRate(rate).c_str(), fmtInt(n).c_str(),
                  r.error);
      continue;
    }
    const double p99ms = static_cast<double>(r.p99us) / 1000;
    std::printf("| q%d | %s | %s | %s | %.2f | %s | %.2f | %s | %.3f | %.3f | %.3f | %s | %s |\n",
                q, fmtRate(pr.evPerSec()).c_str(), fmtRate(rate).c_str(), fmtInt(n).c_str(), r.wall,
                fmtRate(r.evPerSec()).c_str(), r.cpu(), fmtInt(r.rows).c_str(),
                static_cast<double>(r.p50us) / 1000, p99ms, static_cast<double>(r.maxUs) / 1000,
                p99ms < 10 ? "met" : "MISSED",
                r.othersCores < 0 ? "-" : fmt("%.2f", r.othersCores).c_str());
    std::fflush(stdout);
  }
  std::printf("\nload average after: %s\n", loadAverage().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parseArgs(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  gInProcess = !o.memoryCheck && !o.latency && o.queriesGiven && o.queries.size() == 1 &&
               o.repeat == 1 && (o.engineOnly || o.loopOnly);
  if (gInProcess) std::printf("(one run: measured in this process, not in a forked child)\n");
  if (o.memoryCheck)
    runMemoryCheck(o);
  else if (o.latency)
    runLatency(o);
  else
    runThroughput(o);
  return 0;
}
