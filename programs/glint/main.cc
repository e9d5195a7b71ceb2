// The `glint` command-line program.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
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
};

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
  while (!handle.waitFor(500)) {
    if (!interactive) continue;
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
  if (m.malformedRecordsSkipped.load() > 0)
    std::fprintf(stderr, "skipped %lld malformed record(s)\n",
                 static_cast<long long>(m.malformedRecordsSkipped.load()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Glint: a unified stream and batch processing engine (embedded runtime)", "glint"};
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  glint nexmark run --query q5 --events 10000000 --parallelism 2\n"
      "  glint nexmark run --query q4 --events 1000000 --sink csv:out/q4\n"
      "  glint nexmark generate --events 1000000 --out data/nexmark\n"
      "  glint nexmark run --query q3 --source data/nexmark --sink print\n"
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

  CLI11_PARSE(app, argc, argv);
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
