// glint_checkpoint_bench: what checkpointing costs.
//
//   glint_checkpoint_bench --throughput [--queries q5,q8] [--events N] [--repeat R] [--backend B]
//       Nexmark throughput with a checkpoint every second against without, each run in a forked
//       child (CPU time and RSS of that run alone); best of R by wall time.
//   glint_checkpoint_bench --state [--keys N] [--value-bytes B] [--changed 0.01] [--rounds R]
//       A keyed job holding N values of B bytes in RocksDB; after loading, checkpoints with a
//       fraction of the keys changed before each; full (state.backend.incremental=false) against
//       incremental: duration and bytes written per checkpoint.
//   glint_checkpoint_bench --recovery [--repeat R]
//       `glint nexmark run` killed with SIGKILL and restarted with --restore: time from the
//       restart to the first new committed part file.
//
// See docs/benchmarks.md for results and how to read them.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "glint/api/data_stream.h"
#include "glint/api/stream_execution_environment.h"
#include "glint/connectors/nexmark/queries.h"
#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/runtime/executor.h"
#include "glint/runtime/job_runner.h"

namespace {

using namespace glint;
namespace fs = std::filesystem;

struct Options {
  bool throughput = false, state = false, recovery = false;
  std::vector<int> queries = {5, 8};
  int64_t events = 10'000'000;
  int repeat = 3;
  int parallelism = 2;
  std::string backend = "heap";
  std::string interval = "1 s";
  int64_t keys = 1'000'000;
  int64_t valueBytes = 1024;
  double changed = 0.01;
  int rounds = 3;
  std::string scratch = (fs::temp_directory_path() / "glint_checkpoint_bench").string();
  std::string glint = GLINT_BINARY_DIR "/glint";
};

const char* kHelp = R"(glint_checkpoint_bench: the cost of checkpoints.

Modes (one or more):
  --throughput            Nexmark throughput with checkpoints (--interval) against without
  --state                 RocksDB keyed state: full vs incremental checkpoint duration and bytes
  --recovery              time from a SIGKILLed job's restart to its first new committed output

Options:
  --queries LIST          Nexmark queries for --throughput (default q5,q8)
  --events N              events per run (default 10000000)
  --repeat R              runs per measurement, best by wall time (default 3)
  --parallelism P         (default 2)
  --backend heap|rocksdb  state backend for --throughput (default heap)
  --interval D            checkpoint interval for --throughput (default '1 s')
  --keys N                keys for --state (default 1000000)
  --value-bytes B         bytes of each key's value for --state (default 1024)
  --changed F             fraction of keys changed before each checkpoint (default 0.01)
  --rounds R              checkpoints after the first, for --state (default 3)
  --scratch DIR           working directory (default /tmp/glint_checkpoint_bench; deleted)
  --glint PATH            the glint binary for --recovery (default: the build's)
)";

[[noreturn]] void usage(const std::string& message) {
  std::fprintf(stderr, "glint_checkpoint_bench: %s\n\n%s", message.c_str(), kHelp);
  std::exit(2);
}

Options parseOptions(int argc, char** argv) {
  Options o;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) usage(std::string(argv[i]) + ": a value is expected");
    return argv[++i];
  };
  auto number = [&](int& i) -> int64_t {
    const std::string flag = argv[i];
    const std::string v = value(i);
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != 0 || d < 0)
      usage(flag + ": expected a number, got '" + v + "'");
    return static_cast<int64_t>(d);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf("%s", kHelp);
      std::exit(0);
    } else if (a == "--throughput") {
      o.throughput = true;
    } else if (a == "--state") {
      o.state = true;
    } else if (a == "--recovery") {
      o.recovery = true;
    } else if (a == "--queries") {
      o.queries.clear();
      std::stringstream s(value(i));
      std::string q;
      while (std::getline(s, q, ',')) {
        if (!q.empty() && (q[0] == 'q' || q[0] == 'Q')) q = q.substr(1);
        try {
          o.queries.push_back(std::stoi(q));
        } catch (...) {
          usage("--queries: expected e.g. q5,q8, got '" + q + "'");
        }
      }
    } else if (a == "--events") {
      o.events = number(i);
    } else if (a == "--repeat") {
      o.repeat = static_cast<int>(std::max<int64_t>(1, number(i)));
    } else if (a == "--parallelism") {
      o.parallelism = static_cast<int>(std::max<int64_t>(1, number(i)));
    } else if (a == "--backend") {
      o.backend = value(i);
      if (o.backend != "heap" && o.backend != "rocksdb")
        usage("--backend: expected heap or rocksdb, got '" + o.backend + "'");
    } else if (a == "--interval") {
      o.interval = value(i);
    } else if (a == "--keys") {
      o.keys = number(i);
    } else if (a == "--value-bytes") {
      o.valueBytes = number(i);
    } else if (a == "--changed") {
      const std::string v = value(i);
      o.changed = std::strtod(v.c_str(), nullptr);
      if (!(o.changed > 0 && o.changed <= 1)) usage("--changed: expected a fraction in (0, 1]");
    } else if (a == "--rounds") {
      o.rounds = static_cast<int>(number(i));
    } else if (a == "--scratch") {
      o.scratch = value(i);
    } else if (a == "--glint") {
      o.glint = value(i);
    } else {
      usage("unknown option '" + a + "'");
    }
  }
  if (!o.throughput && !o.state && !o.recovery) usage("choose --throughput, --state or --recovery");
  return o;
}

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Busy time of the whole machine so far in seconds (/proc/stat), to tell how much CPU other
// processes took during a run: the machine is shared.
double machineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  int64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return static_cast<double>(user + nice + system + irq + softirq + steal) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// ------------------------------------------------------------------ (a) throughput

struct ThroughputRun {
  double wall = 0, cpu = 0, others = 0;
  int64_t events = 0, checkpoints = 0;
  double rssMiB = 0;
  bool ok = false;
};

ThroughputRun runThroughputChild(const Options& o, int query, bool checkpointing,
                                 const std::string& dir) {
  JobConfig config;
  config.parallelism = o.parallelism;
  if (checkpointing) {
    config.options["state.checkpoints.dir"] = dir;
    config.options["execution.checkpointing.interval"] = o.interval;
  }
  config.options["state.backend.type"] = o.backend;
  StreamExecutionEnvironment env(config);
  nexmark::NexmarkSourceOptions source;
  source.numEvents = o.events;
  auto streams = nexmark::generatorStreams(env, query, source);
  auto result = nexmark::buildQuery(query, streams);
  ThroughputRun run;
  if (!result.isOk()) return run;
  result->sinkTo("Blackhole", [] { return std::make_unique<BlackholeSink>(); });
  const double cpu0 = cpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  auto job = env.executeAsync("bench");
  if (!job.isOk()) {
    std::fprintf(stderr, "%s\n", job.status().toString().c_str());
    return run;
  }
  const Status st = (*job)->wait();
  run.wall = secondsSince(start);
  run.cpu = cpuSeconds() - cpu0;
  run.events = (*job)->metrics().sourceRecords.load();
  run.checkpoints = (*job)->checkpointStats().completed;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  run.rssMiB = static_cast<double>(u.ru_maxrss) / 1024.0;
  run.ok = st.isOk();
  if (!st.isOk()) std::fprintf(stderr, "%s\n", st.toString().c_str());
  return run;
}

// Forks; the child runs `body` and sends the result back through a pipe.
template <class T>
T forked(const std::function<T()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return T{};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    T result = body();
    ssize_t w = ::write(fds[1], &result, sizeof result);
    (void)w;
    ::_exit(0);
  }
  ::close(fds[1]);
  T result{};
  ssize_t r = ::read(fds[0], &result, sizeof result);
  (void)r;
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return result;
}

void benchThroughput(const Options& o) {
  std::printf(
      "== throughput: %lld events, parallelism %d, backend %s, checkpoint interval %s, "
      "best of %d by wall, modes alternating (load average before: %s)\n",
      static_cast<long long>(o.events), o.parallelism, o.backend.c_str(), o.interval.c_str(),
      o.repeat, loadAverage().c_str());
  std::printf("%-4s %-12s %8s %8s %12s %14s %8s %6s %7s\n", "q", "checkpoints", "wall s", "CPU s",
              "events/s", "events/CPU-s", "RSS MiB", "taken", "others");
  for (int query : o.queries) {
    // Runs alternate (off, on, off, on, ...) so that a change in the machine's load during the
    // measurement affects both modes alike; the best of each is reported.
    ThroughputRun best[2];
    for (int r = 0; r < o.repeat; ++r) {
      for (int withCheckpoints = 0; withCheckpoints < 2; ++withCheckpoints) {
        const std::string dir = o.scratch + "/throughput";
        fs::remove_all(dir);
        const double busy0 = machineBusySeconds();
        ThroughputRun run = forked<ThroughputRun>(
            [&] { return runThroughputChild(o, query, withCheckpoints == 1, dir); });
        run.others = std::max(0.0, (machineBusySeconds() - busy0 - run.cpu) / run.wall);
        if (!run.ok) {
          std::printf("q%d run failed\n", query);
          continue;
        }
        if (best[withCheckpoints].wall == 0 || run.wall < best[withCheckpoints].wall)
          best[withCheckpoints] = run;
      }
    }
    for (int withCheckpoints = 0; withCheckpoints < 2; ++withCheckpoints) {
      const ThroughputRun& b = best[withCheckpoints];
      std::printf("q%-3d %-12s %8.3f %8.3f %10.2f M %12.2f M %8.1f %6lld %7.2f\n", query,
                  withCheckpoints ? o.interval.c_str() : "off", b.wall, b.cpu,
                  static_cast<double>(b.events) / b.wall / 1e6,
                  static_cast<double>(b.events) / b.cpu / 1e6, b.rssMiB,
                  static_cast<long long>(b.checkpoints), b.others);
    }
    const double wallOverhead = best[1].wall / best[0].wall - 1;
    const double cpuOverhead = best[1].cpu / best[0].cpu - 1;
    std::printf("q%-3d overhead: wall %+.1f%%, CPU %+.1f%%  (target <= 10%%: %s)\n", query,
                wallOverhead * 100, cpuOverhead * 100, wallOverhead <= 0.10 ? "met" : "NOT met");
    std::fflush(stdout);
  }
  fs::remove_all(o.scratch + "/throughput");
}

// ------------------------------------------------------------------ (b) RocksDB state

// Tells the source what to emit and the benchmark what the keyed function has done.
struct StateControl {
  std::atomic<int> round{0};          // rounds released by the benchmark; 0: load all keys
  std::atomic<bool> stop{false};      // end the input
  std::atomic<int64_t> processed{0};  // rows the keyed function has handled
  int64_t keys = 0;
  int64_t changedPerRound = 0;
};

// Emits (key, round): round 0 has every key once, round r > 0 the keys r, r + step, r + 2 step...
// Between rounds it waits for the benchmark. Not checkpointed (the benchmark never restores).
class RoundSource final : public SourceOperator {
 public:
  RoundSource(SchemaPtr schema, std::shared_ptr<StateControl> control)
      : schema_(std::move(schema)), control_(std::move(control)) {}
  PollResult pollNext(int64_t* wakeAtNanos) override {
    if (next_ >= endOfRound()) {
      if (control_->stop.load()) {
        output_->emitWatermark(kMaxTimestamp);
        return PollResult::kEnd;
      }
      if (control_->round.load() > round_) {
        ++round_;
        next_ = 0;
      } else {
        *wakeAtNanos = monotonicNanos() + 1'000'000;
        return PollResult::kNothingNow;
      }
    }
    const int64_t p = context_.parallelism, s = context_.subtaskIndex;
    Batch batch(schema_);
    int64_t n = 0;
    for (; n < 4096 && next_ < endOfRound(); ++n, ++next_) {
      // Round 0: key i; later rounds: a spread-out 1/step of the keys, different each round.
      const int64_t i = next_ * p + s;
      const int64_t key = round_ == 0 ? i : (i * step() + round_ * 7919) % control_->keys;
      batch.mutableColumn(0).appendInt(key);
      batch.mutableColumn(1).appendInt(round_);
    }
    batch.setNumRows(static_cast<size_t>(n));
    output_->emit(std::move(batch));
    return PollResult::kMore;
  }

 private:
  int64_t rowsOfRound() const { return round_ == 0 ? control_->keys : control_->changedPerRound; }
  // This subtask's rows of the round: indexes i = next * p + s below rowsOfRound().
  int64_t endOfRound() const {
    const int64_t p = context_.parallelism, s = context_.subtaskIndex;
    return (rowsOfRound() - s + p - 1) / p;
  }
  int64_t step() const { return std::max<int64_t>(1, control_->keys / control_->changedPerRound); }

  SchemaPtr schema_;
  std::shared_ptr<StateControl> control_;
  int round_ = 0;
  int64_t next_ = 0;
};

// Keeps one value of `bytes` pseudo-random bytes per key (incompressible, so RocksDB holds
// about keys x bytes), rewritten whenever the key comes again.
class ValuePerKey : public KeyedProcessFunction {
 public:
  ValuePerKey(std::shared_ptr<StateControl> control, int64_t bytes)
      : control_(std::move(control)), bytes_(bytes) {}
  void open(KeyedStateBackend& state) override { value_ = state.valueState<std::string>("value"); }
  void processElement(RowRef row, ProcessContext&, RowWriter&) override {
    uint64_t x = static_cast<uint64_t>(row.getLong(0)) * 0x9E3779B97F4A7C15ull +
                 static_cast<uint64_t>(row.getLong(1)) + 1;
    buffer_.resize(static_cast<size_t>(bytes_));
    for (size_t i = 0; i < buffer_.size(); i += 8) {
      x ^= x >> 31;
      x *= 0xBF58476D1CE4E5B9ull;
      x ^= x >> 29;
      std::memcpy(buffer_.data() + i, &x, std::min<size_t>(8, buffer_.size() - i));
    }
    value_->update(buffer_);
    control_->processed.fetch_add(1, std::memory_order_relaxed);
  }

 private:
  std::shared_ptr<StateControl> control_;
  int64_t bytes_;
  ValueState<std::string>* value_ = nullptr;
  std::string buffer_;
};

uint64_t directoryBytes(const fs::path& dir) {
  uint64_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  return n;
}

void benchState(const Options& o) {
  std::printf(
      "== RocksDB state: %lld keys x %lld-byte values (%.2f GiB of values), %.2f%% of keys "
      "changed before each of %d checkpoints after the first; parallelism %d "
      "(load average before: %s)\n",
      static_cast<long long>(o.keys), static_cast<long long>(o.valueBytes),
      static_cast<double>(o.keys * o.valueBytes) / (1 << 30), o.changed * 100, o.rounds,
      o.parallelism, loadAverage().c_str());
  std::printf("%-12s %6s %10s %12s %14s %14s %10s\n", "mode", "chk", "changed", "duration ms",
              "bytes written", "state bytes", "load s");
  for (bool incremental : {false, true}) {
    const fs::path dir = fs::path(o.scratch) / (incremental ? "incremental" : "full");
    fs::remove_all(dir);
    auto control = std::make_shared<StateControl>();
    control->keys = o.keys;
    control->changedPerRound = std::max<int64_t>(1, static_cast<int64_t>(o.keys * o.changed));
    JobConfig config;
    config.parallelism = o.parallelism;
    config.options["state.checkpoints.dir"] = (dir / "checkpoints").string();
    // Only the benchmark triggers checkpoints.
    config.options["execution.checkpointing.interval"] = "24 h";
    config.options["state.backend.type"] = "rocksdb";
    config.options["state.backend.incremental"] = incremental ? "true" : "false";
    config.options["state.backend.rocksdb.localdir"] = (dir / "db").string();
    if (const char* style = std::getenv("GLINT_BENCH_COMPACTION"))
      config.options["state.backend.rocksdb.compaction.style"] = style;
    StreamExecutionEnvironment env(config);
    auto schema = makeSchema({{"key", TypeId::kBigint}, {"round", TypeId::kBigint}});
    env.fromSource("rounds", schema,
                   [schema, control] { return std::make_unique<RoundSource>(schema, control); })
        .keyBy({"key"})
        .process(makeSchema({{"key", TypeId::kBigint}}), ValuePerKey(control, o.valueBytes),
                 "value per key")
        .sinkTo("Blackhole", [] { return std::make_unique<BlackholeSink>(); });
    auto job = env.executeAsync("state bench");
    if (!job.isOk()) {
      std::printf("cannot start: %s\n", job.status().toString().c_str());
      return;
    }
    JobHandle& handle = **job;
    int64_t expected = o.keys;
    for (int round = 0; round <= o.rounds; ++round) {
      const auto start = std::chrono::steady_clock::now();
      if (round > 0) {
        expected += control->changedPerRound;
        control->round.store(round);
      }
      // Let the keyed function take in the round before the checkpoint, so that the
      // checkpoint's duration is the snapshot's, not the time to work off a backlog.
      while (control->processed.load() < expected && !handle.isDone())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      const double loadSeconds = secondsSince(start);
      auto id = handle.triggerCheckpoint();
      if (!id.isOk()) {
        std::printf("checkpoint failed: %s\n", id.status().toString().c_str());
        break;
      }
      const CheckpointStats stats = handle.checkpointStats();
      std::printf("%-12s %6lld %10lld %12lld %14llu %14llu %10.2f\n",
                  incremental ? "incremental" : "full", static_cast<long long>(*id),
                  static_cast<long long>(round == 0 ? o.keys : control->changedPerRound),
                  static_cast<long long>(stats.lastDurationMillis),
                  static_cast<unsigned long long>(stats.lastBytesWritten),
                  static_cast<unsigned long long>(stats.lastStateSize), loadSeconds);
      std::fflush(stdout);
    }
    std::printf("%-12s on disk: RocksDB %.2f GiB, checkpoint root %.2f GiB\n",
                incremental ? "incremental" : "full",
                static_cast<double>(directoryBytes(dir / "db")) / (1 << 30),
                static_cast<double>(directoryBytes(dir / "checkpoints")) / (1 << 30));
    control->stop.store(true);
    const Status st = handle.wait();
    if (!st.isOk()) std::printf("job failed: %s\n", st.toString().c_str());
    fs::remove_all(dir);
  }
}

// ------------------------------------------------------------------ (c) recovery time

pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    FILE* f = std::freopen(log.c_str(), "a", stderr);
    (void)f;
    f = std::freopen(log.c_str(), "a", stdout);
    (void)f;
    std::vector<char*> raw;
    for (const auto& a : args) raw.push_back(const_cast<char*>(a.c_str()));
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  return pid;
}

std::set<std::string> committedParts(const std::string& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("part-", 0) == 0) names.insert(n);
  }
  return names;
}

// True when a committed part file has a row besides its header.
bool hasRows(const fs::path& part) {
  std::ifstream in(part);
  std::string line;
  int lines = 0;
  while (lines < 2 && std::getline(in, line)) ++lines;
  return lines >= 2;
}

void benchRecovery(const Options& o) {
  struct Case {
    int query;
    std::string backend;
    std::string interval;
  };
  const std::vector<Case> cases = {{5, "heap", "200 ms"},    {5, "heap", "1 s"},
                                   {5, "rocksdb", "200 ms"}, {3, "heap", "200 ms"},
                                   {3, "rocksdb", "200 ms"}, {8, "rocksdb", "1 s"}};
  std::printf(
      "== recovery: `glint nexmark run` (2,000,000 events at 200,000 events/s, parallelism %d) "
      "killed after 3 s, restarted with --restore at once; time from the restart to the first "
      "new committed part file (any), and to the first one holding a row; %d kills per case "
      "(load average before: %s)\n",
      o.parallelism, o.repeat, loadAverage().c_str());
  std::printf("%-4s %-8s %-9s %10s %10s %10s %14s %14s\n", "q", "backend", "interval", "min ms",
              "median ms", "max ms", "rows: min ms", "rows: median");
  for (const Case& c : cases) {
    const fs::path dir = fs::path(o.scratch) / "recovery";
    std::vector<double> anyPart, rowPart;
    for (int r = 0; r < o.repeat; ++r) {
      fs::remove_all(dir);
      fs::create_directories(dir);
      const std::string out = (dir / "out").string(), checkpoints = (dir / "checkpoints").string(),
                        log = (dir / "log").string();
      std::vector<std::string> args = {o.glint,
                                       "nexmark",
                                       "run",
                                       "--query",
                                       "q" + std::to_string(c.query),
                                       "--events",
                                       "2000000",
                                       "-p",
                                       std::to_string(o.parallelism),
                                       "--rate",
                                       "200000",
                                       "--sink",
                                       "csv:" + out,
                                       "--checkpoint-dir",
                                       checkpoints,
                                       "--checkpoint-interval",
                                       c.interval,
                                       "--state-backend",
                                       c.backend};
      pid_t pid = spawn(args, log);
      std::this_thread::sleep_for(std::chrono::seconds(3));
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      const auto before = committedParts(out);
      args.push_back("--restore");
      args.push_back(checkpoints);
      const auto start = std::chrono::steady_clock::now();
      pid = spawn(args, log);
      double firstAny = -1, firstRows = -1;
      while (secondsSince(start) < 30 && firstRows < 0) {
        for (const auto& name : committedParts(out)) {
          if (before.count(name)) continue;
          if (firstAny < 0) firstAny = secondsSince(start) * 1000;
          if (hasRows(fs::path(out) / name)) {
            firstRows = secondsSince(start) * 1000;
            break;
          }
        }
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
          pid = -1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      if (pid > 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
      if (firstAny < 0 || firstRows < 0) {
        std::printf("q%d %s: no new committed output after the restart (see %s)\n", c.query,
                    c.backend.c_str(), log.c_str());
        return;
      }
      anyPart.push_back(firstAny);
      rowPart.push_back(firstRows);
    }
    std::sort(anyPart.begin(), anyPart.end());
    std::sort(rowPart.begin(), rowPart.end());
    std::printf("q%-3d %-8s %-9s %10.0f %10.0f %10.0f %14.0f %14.0f\n", c.query, c.backend.c_str(),
                c.interval.c_str(), anyPart.front(), anyPart[anyPart.size() / 2], anyPart.back(),
                rowPart.front(), rowPart[rowPart.size() / 2]);
  }
  fs::remove_all(fs::path(o.scratch) / "recovery");
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress is visible when piped
  const Options o = parseOptions(argc, argv);
  fs::create_directories(o.scratch);
  if (o.throughput) benchThroughput(o);
  if (o.state) benchState(o);
  if (o.recovery) benchRecovery(o);
  fs::remove_all(o.scratch);
  return 0;
}
