// The `glint` command-line program.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "glint/connectors/file/file_sink.h"
#include "glint/connectors/nexmark/csv_files.h"
#include "glint/connectors/nexmark/queries.h"
#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/runtime/executor.h"

namespace {

using namespace glint;

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::string human(double v) {
  char buf[32];
  if (v >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2f M", v / 1e6);
  else if (v >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1f K", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

struct NexmarkRunArgs {
  std::string query = "q0";
  int64_t events = 10'000'000;
  int parallelism = 0;
  std::string source = "generator";
  std::string sink = "blackhole";
  std::string sinkMode = "final";
  double rate = 0;
  int64_t batchSize = 4096;
  std::string bufferTimeout = "100 ms";
  uint64_t seed = 42;
  std::vector<std::string> options;
  // Checkpointing
  std::string checkpointDir;
  std::string checkpointInterval;
  std::string stateBackend;
  std::string checkpointMode;
  bool unaligned = false;
  std::string restore;
  bool allowNonRestoredState = false;
};

// `glint savepoint` talks to a running `glint nexmark run` through its checkpoint directory:
// it drops a request file into <dir>/_requests and waits for the job to write the answer next
// to it (the savepoint's path, or "error: ...").
constexpr const char* kRequestsDir = "_requests";

void serveSavepointRequests(JobHandle& handle, const std::string& checkpointDir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::path(checkpointDir) / kRequestsDir;
  if (!fs::exists(dir, ec)) return;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".request") continue;
    std::ifstream in(e.path());
    std::string target, mode;
    std::getline(in, target);
    std::getline(in, mode);
    in.close();
    fs::path answer = e.path();
    answer.replace_extension(".answer");
    fs::remove(e.path(), ec);
    auto result = handle.triggerSavepoint(target, mode == "stop");
    std::ofstream out(answer.string() + ".tmp");
    out << (result.isOk() ? *result : "error: " + result.status().message()) << "\n";
    out.close();
    fs::rename(answer.string() + ".tmp", answer, ec);
  }
}

int requestSavepoint(const std::string& checkpointDir, const std::string& target, bool stop,
                     int timeoutSeconds) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::path(checkpointDir) / kRequestsDir;
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "glint: --checkpoint-dir: cannot use '%s': %s\n", checkpointDir.c_str(),
                 ec.message().c_str());
    return 2;
  }
  const std::string base =
      (dir / ("savepoint-" + std::to_string(::getpid()) + "-" + std::to_string(monotonicNanos())))
          .string();
  {
    std::ofstream out(base + ".tmp");
    out << fs::absolute(target).string() << "\n" << (stop ? "stop" : "keep") << "\n";
  }
  fs::rename(base + ".tmp", base + ".request", ec);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(base + ".answer")) {
      std::ifstream in(base + ".answer");
      std::string line;
      std::getline(in, line);
      in.close();
      fs::remove(base + ".answer", ec);
      if (line.rfind("error: ", 0) == 0) {
        std::fprintf(stderr, "glint: savepoint failed: %s\n", line.substr(7).c_str());
        return 1;
      }
      std::printf("%s\n", line.c_str());
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  fs::remove(base + ".request", ec);
  std::fprintf(stderr,
               "glint: no running job answered within %d s (is a job running with "
               "--checkpoint-dir %s?)\n",
               timeoutSeconds, checkpointDir.c_str());
  return 1;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "glint: %s\n", message.c_str());
  return 2;
}

int runNexmark(const NexmarkRunArgs& args) {
  // --query qN
  int query = -1;
  if (args.query.size() >= 2 && (args.query[0] == 'q' || args.query[0] == 'Q')) {
    try {
      query = std::stoi(args.query.substr(1));
    } catch (...) {
    }
  }
  const auto& supported = nexmark::supportedQueries();
  if (std::find(supported.begin(), supported.end(), query) == supported.end()) {
    std::string list;
    for (int q : supported) list += (list.empty() ? "q" : ", q") + std::to_string(q);
    return fail("--query: unknown query '" + args.query + "'; expected one of " + list);
  }
  JobConfig config;
  config.parallelism = args.parallelism > 0 ? args.parallelism
                                            : static_cast<int>(std::thread::hardware_concurrency());
  config.batchSize = static_cast<size_t>(args.batchSize);
  auto timeout = parseDurationMillis(args.bufferTimeout);
  if (!timeout.isOk()) return fail("--buffer-timeout: " + timeout.status().message());
  config.bufferTimeoutMillis = *timeout;
  auto setOption = [&](const std::string& flag, const std::string& key, const std::string& value) {
    Status st = config.set(key, value);
    return st.isOk() ? std::string() : flag + ": " + st.message();
  };
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> flags = {
      {"--checkpoint-dir", {"state.checkpoints.dir", args.checkpointDir}},
      {"--checkpoint-interval", {"execution.checkpointing.interval", args.checkpointInterval}},
      {"--state-backend", {"state.backend.type", args.stateBackend}},
      {"--checkpoint-mode", {"execution.checkpointing.mode", args.checkpointMode}},
      {"--restore", {"execution.savepoint.path", args.restore}}};
  if (args.unaligned)
    flags.push_back({"--unaligned", {"execution.checkpointing.unaligned", "true"}});
  if (args.allowNonRestoredState)
    flags.push_back(
        {"--allow-non-restored-state", {"execution.savepoint.ignore-unclaimed-state", "true"}});
  for (const auto& [flag, kv] : flags) {
    if (kv.second.empty()) continue;
    std::string value = kv.second;
    if (flag == "--checkpoint-mode") {
      if (value == "exactly-once")
        value = "EXACTLY_ONCE";
      else if (value == "at-least-once")
        value = "AT_LEAST_ONCE";
      else
        return fail("--checkpoint-mode: expected exactly-once or at-least-once, got '" + value +
                    "'");
    }
    std::string err = setOption(flag, kv.first, value);
    if (!err.empty()) return fail(err);
  }
  if (!args.checkpointDir.empty() && args.checkpointInterval.empty() &&
      config.get("execution.checkpointing.interval").empty())
    config.options["execution.checkpointing.interval"] = "1 s";
  for (const auto& kv : args.options) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) return fail("-D: expected key=value, got '" + kv + "'");
    Status st = config.set(kv.substr(0, eq), kv.substr(eq + 1));
    if (!st.isOk()) return fail("-D: " + st.message());
  }
  StreamExecutionEnvironment env(config);
  nexmark::NexmarkStreams streams;
  if (args.source == "generator") {
    nexmark::NexmarkSourceOptions options;
    options.generator.seed = args.seed;
    options.numEvents = args.events;
    options.eventsPerSecond = args.rate;
    streams = nexmark::generatorStreams(env, query, options);
  } else {
    auto files = nexmark::fileStreams(env, query, args.source);
    if (!files.isOk()) return fail("--source: " + files.status().message());
    streams = *files;
  }
  Result<DataStream> result = Status::internal("unbuilt");
  try {
    result = nexmark::buildQuery(query, streams);
  } catch (const GlintError& e) {
    return fail(e.what());
  }
  if (!result.isOk()) return fail(result.status().message());
  DataStream out = *result;
  const bool updating = nexmark::isUpdatingQuery(query);
  if (args.sink == "blackhole") {
    out.sinkTo("Blackhole", [] { return std::make_unique<BlackholeSink>(); });
  } else if (args.sink == "print") {
    out.print();
  } else if (args.sink.rfind("csv:", 0) == 0 && args.sink.size() > 4) {
    FileSinkOptions options;
    options.directory = args.sink.substr(4);
    if (args.sinkMode == "changelog")
      options.mode = SinkChangelogMode::kChangelog;
    else if (args.sinkMode == "final")
      options.mode = updating ? SinkChangelogMode::kFinalState : SinkChangelogMode::kAppendOnly;
    else
      return fail("--sink-mode: expected 'final' or 'changelog', got '" + args.sinkMode + "'");
    options.schema = out.schema();
    out.sinkTo("CsvSink", [options] { return std::make_unique<FileSink>(options); });
  } else {
    return fail("--sink: expected blackhole, print or csv:DIR, got '" + args.sink + "'");
  }

  const bool interactive = isatty(STDERR_FILENO);
  const double cpuStart = cpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  auto job = env.executeAsync("nexmark " + args.query);
  if (!job.isOk()) return fail(job.status().message());
  JobHandle& handle = **job;
  int64_t lastEvents = 0;
  auto last = start;
  int ticks = 0;
  int restartsSeen = 0;
  while (!handle.waitFor(100)) {
    // A restarting job must not look hung: say why it restarted.
    if (const int r = handle.restarts(); r != restartsSeen) {
      restartsSeen = r;
      std::fprintf(stderr, "%sglint: restart %d after a failure (restart-strategy.*): %s; restored from checkpoint %lld\n",
                   interactive ? "\n" : "", r, handle.lastRestartCause().c_str(),
                   static_cast<long long>(handle.restoredCheckpointId()));
    }
    if (!args.checkpointDir.empty()) serveSavepointRequests(handle, args.checkpointDir);
    if (++ticks % 50 == 0 && std::getenv("GLINT_DEBUG_TASKS"))
      std::fprintf(stderr, "\n%s", handle.describeTasks().c_str());
    if (!interactive || ticks % 5 != 0) continue;
    auto now = std::chrono::steady_clock::now();
    const int64_t events = handle.metrics().sourceRecords.load();
    const double dt = std::chrono::duration<double>(now - last).count();
    const int64_t srcWm = handle.metrics().sourceWatermark.load();
    const int64_t sinkWm = handle.metrics().sinkWatermark.load();
    std::string lag = srcWm == INT64_MIN || sinkWm == INT64_MIN || sinkWm == INT64_MAX
                          ? "-"
                          : std::to_string(std::max<int64_t>(srcWm - sinkWm, 0)) + " ms";
    std::fprintf(stderr,
                 "\r%s events  %s events/s  backpressured steps %lld  watermark lag %s      ",
                 human(static_cast<double>(events)).c_str(),
                 human(static_cast<double>(events - lastEvents) / dt).c_str(),
                 static_cast<long long>(handle.metrics().backpressuredSteps.load()), lag.c_str());
    std::fflush(stderr);
    lastEvents = events;
    last = now;
  }
  if (interactive) std::fprintf(stderr, "\n");
  Status st = handle.wait();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpuSeconds() - cpuStart;
  if (!st.isOk()) return fail(st.message());
  auto& m = handle.metrics();
  const double events = static_cast<double>(m.sourceRecords.load());
  std::fprintf(
      stderr,
      "Nexmark %s: %.0f events in %.2f s = %s events/s (%s events per CPU-second, %.2f CPU-s), "
      "%lld rows out, parallelism %d\n"
      "peak memory %.1f MiB; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      args.query.c_str(), events, seconds, human(events / seconds).c_str(),
      human(events / cpu).c_str(), cpu, static_cast<long long>(m.sinkRecords.load()),
      config.parallelism, peakRssMiB(), static_cast<double>(m.latency.percentile(0.5)) / 1000.0,
      static_cast<double>(m.latency.percentile(0.99)) / 1000.0,
      static_cast<double>(m.latency.max()) / 1000.0);
  if (!args.checkpointDir.empty()) {
    const CheckpointStats cs = handle.checkpointStats();
    std::fprintf(stderr,
                 "checkpoints: %lld completed, %lld failed, last %lld ms, %.1f KiB written; "
                 "restarts %d%s\n",
                 static_cast<long long>(cs.completed), static_cast<long long>(cs.failed),
                 static_cast<long long>(cs.lastDurationMillis),
                 static_cast<double>(cs.lastBytesWritten) / 1024.0, handle.restarts(),
                 handle.restoredCheckpointId() ? (", restored from checkpoint " +
                                                  std::to_string(handle.restoredCheckpointId()))
                                                     .c_str()
                                               : "");
  }
  if (m.malformedRecordsSkipped.load() > 0)
    std::fprintf(stderr, "skipped %lld malformed record(s)\n",
                 static_cast<long long>(m.malformedRecordsSkipped.load()));
  return 0;
}

}  // namespace

CLI::App* addSqlCommand(CLI::App& app);  // sql_command.cc
int runSqlCommand();

int main(int argc, char** argv) {
  CLI::App app{"Glint: a unified stream and batch processing engine (embedded runtime)", "glint"};
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  glint nexmark run --query q5 --events 10000000 --parallelism 2\n"
      "  glint nexmark run --query q4 --events 1000000 --sink csv:out/q4\n"
      "  glint nexmark generate --events 1000000 --out data/nexmark\n"
      "  glint nexmark run --query q3 --source data/nexmark --sink print\n"
      "  glint nexmark run --query q5 --sink csv:out/q5 --checkpoint-dir ckpt --rate 200000\n"
      "  glint savepoint --checkpoint-dir ckpt --target savepoints --stop\n"
      "  glint nexmark run --query q5 --sink csv:out/q5 --checkpoint-dir ckpt --restore ckpt\n"
      "Run `glint nexmark run --help` for every option.");
  auto* nexmarkCmd =
      app.add_subcommand("nexmark", "Nexmark benchmark: generate events, run queries");
  nexmarkCmd->require_subcommand(1);

  NexmarkRunArgs run;
  auto* runCmd = nexmarkCmd->add_subcommand("run", "Run a Nexmark query on the embedded runtime");
  runCmd->add_option("--query", run.query, "Query to run: q0, q1, q2, q3, q4, q5, q7 or q8")
      ->required();
  runCmd->add_option("--events", run.events, "Number of events to generate (generator source)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  runCmd
      ->add_option("--parallelism,-p", run.parallelism,
                   "Parallelism of every operator (default: number of cores)")
      ->check(CLI::Range(1, 128));
  runCmd
      ->add_option("--source", run.source,
                   "'generator' or a directory with person.csv, auction.csv, bid.csv from `glint "
                   "nexmark generate`")
      ->capture_default_str();
  runCmd
      ->add_option("--sink", run.sink,
                   "blackhole, print, or csv:DIR (a directory of CSV part files)")
      ->capture_default_str();
  runCmd
      ->add_option("--sink-mode", run.sinkMode,
                   "For csv:DIR: 'final' (the result; for updating queries their final state) or "
                   "'changelog' "
                   "(every change, with a first column rowkind = +I/-U/+U/-D)")
      ->capture_default_str();
  runCmd->add_option("--rate", run.rate, "Generator rate limit in events per second (0: unlimited)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  runCmd
      ->add_option("--batch-size", run.batchSize, "Rows per columnar batch (execution.batch-size)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  runCmd
      ->add_option("--buffer-timeout", run.bufferTimeout,
                   "Longest time a partly filled batch waits before it is sent "
                   "(execution.buffer-timeout), e.g. '1 ms'")
      ->capture_default_str();
  runCmd->add_option("--seed", run.seed, "Generator seed")->capture_default_str();
  runCmd->add_option("--checkpoint-dir", run.checkpointDir,
                     "Take checkpoints into this directory (state.checkpoints.dir); with "
                     "--sink csv:DIR the sink is exactly-once");
  runCmd->add_option("--checkpoint-interval", run.checkpointInterval,
                     "Checkpoint interval (execution.checkpointing.interval), e.g. '200 ms'; "
                     "default 1 s with --checkpoint-dir");
  runCmd->add_option("--state-backend", run.stateBackend, "heap or rocksdb (state.backend.type)");
  runCmd->add_option("--checkpoint-mode", run.checkpointMode,
                     "exactly-once (default) or at-least-once (execution.checkpointing.mode)");
  runCmd->add_flag("--unaligned", run.unaligned,
                   "Unaligned checkpoints (execution.checkpointing.unaligned)");
  runCmd->add_option("--restore", run.restore,
                     "Start from a savepoint or checkpoint directory, or from the latest complete "
                     "checkpoint of a checkpoint root (execution.savepoint.path)");
  runCmd->add_flag("--allow-non-restored-state", run.allowNonRestoredState,
                   "Skip state in --restore that no operator of the job claims");
  runCmd->add_option(
      "-D", run.options,
      "Set a configuration option by its Flink name, e.g. -D pipeline.max-parallelism=256");

  uint64_t genSeed = 42;
  int64_t genEvents = 0;
  std::string genOut;
  auto* genCmd = nexmarkCmd->add_subcommand("generate",
                                            "Write generated events as person.csv, auction.csv and "
                                            "bid.csv (header row; timestamps in UTC)");
  genCmd->add_option("--events", genEvents, "Number of events")
      ->required()
      ->check(CLI::PositiveNumber);
  genCmd->add_option("--seed", genSeed, "Generator seed")->capture_default_str();
  genCmd->add_option("--out", genOut, "Output directory (created if missing)")->required();

  std::string spDir, spTarget;
  bool spStop = false;
  int spTimeout = 600;
  auto* spCmd = app.add_subcommand(
      "savepoint", "Take a savepoint of a job running with --checkpoint-dir (prints its path)");
  spCmd->add_option("--checkpoint-dir", spDir, "The running job's --checkpoint-dir")->required();
  spCmd->add_option("--target", spTarget, "Directory to put the savepoint in")->required();
  spCmd->add_flag("--stop", spStop, "Stop the job after the savepoint");
  spCmd->add_option("--timeout", spTimeout, "Seconds to wait")->capture_default_str();

  auto* sqlCmd = addSqlCommand(app);
  CLI11_PARSE(app, argc, argv);
  if (sqlCmd->parsed()) return runSqlCommand();
  if (spCmd->parsed()) return requestSavepoint(spDir, spTarget, spStop, spTimeout);
  if (runCmd->parsed()) return runNexmark(run);
  if (genCmd->parsed()) {
    nexmark::GeneratorConfig config;
    config.seed = genSeed;
    Status st = nexmark::writeNexmarkCsv(config, genEvents, genOut);
    if (!st.isOk()) return fail(st.message());
    std::fprintf(stderr, "wrote %lld events to %s/{person,auction,bid}.csv\n",
                 static_cast<long long>(genEvents), genOut.c_str());
    return 0;
  }
  return 0;
}
