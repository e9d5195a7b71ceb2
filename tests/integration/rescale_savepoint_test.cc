// Savepoints and rescaling, end to end: a rate-limited Nexmark job at parallelism 2 is stopped
// with a savepoint part way through; copies of its committed output are continued from that
// savepoint at parallelism 1, 3 and 4 (alternating the state backend, since a savepoint has a
// canonical format either backend reads), and each final output must equal the reference loop's
// rows, row for row. The last test drives the same through the `glint` binary
// (`glint savepoint --stop`, then `glint nexmark run --restore`).
#include <gtest/gtest.h>

#include <thread>

#include "glint/api/data_stream.h"
#include "glint/connectors/file/file_sink.h"
#include "glint/connectors/nexmark/queries.h"
#include "tests/integration/integration_support.h"

namespace glint::integration {
namespace {

constexpr int64_t kEvents = 300'000;

struct RunSpec {
  int query = 5;
  int parallelism = 2;
  std::string backend = "heap";
  double rate = 0;
  std::string checkpoints;  // state.checkpoints.dir
  std::string out;          // the file sink's directory
  std::string restore;      // execution.savepoint.path
};

// Starts the Nexmark query with the exactly-once file sink.
Result<std::unique_ptr<JobHandle>> startNexmark(const RunSpec& spec) {
  JobConfig config;
  config.parallelism = spec.parallelism;
  std::vector<std::pair<std::string, std::string>> options = {
      {"state.checkpoints.dir", spec.checkpoints},
      {"execution.checkpointing.interval", "200 ms"},
      {"state.backend.type", spec.backend}};
  if (!spec.restore.empty()) options.push_back({"execution.savepoint.path", spec.restore});
  for (const auto& [key, value] : options) {
    Status st = config.set(key, value);
    if (!st.isOk()) return st;
  }
  StreamExecutionEnvironment env(config);
  nexmark::NexmarkSourceOptions source;
  source.generator.seed = 42;
  source.numEvents = kEvents;
  source.eventsPerSecond = spec.rate;
  auto streams = nexmark::generatorStreams(env, spec.query, source);
  auto result = nexmark::buildQuery(spec.query, streams);
  if (!result.isOk()) return result.status();
  FileSinkOptions sink;
  sink.directory = spec.out;
  sink.schema = result->schema();
  result->sinkTo("CsvSink", [sink] { return std::make_unique<FileSink>(sink); });
  return env.executeAsync("q" + std::to_string(spec.query));
}

struct RescaleCase {
  int query;
  std::string backend;  // of the run that takes the savepoint
};

void PrintTo(const RescaleCase& c, std::ostream* os) {
  *os << "q" << c.query << " " << c.backend;
}

class SavepointRescaleTest : public ::testing::TestWithParam<RescaleCase> {};

// Runs the query at parallelism 2 with the rate limit into `out` and stops it with a savepoint
// after `millis`; returns the savepoint's directory.
std::string runAndStopWithSavepoint(const RescaleCase& c, const ScratchDir& dir,
                                    const std::string& name, const std::string& out,
                                    int64_t millis) {
  RunSpec first{c.query, 2, c.backend, 160'000, dir / ("checkpoints-" + name), out, ""};
  auto job = startNexmark(first);
  EXPECT_TRUE(job.isOk()) << job.status().toString();
  if (!job.isOk()) return "";
  std::this_thread::sleep_for(std::chrono::milliseconds(millis));
  auto savepoint = (*job)->triggerSavepoint(dir / ("savepoints-" + name), /*stop=*/true);
  EXPECT_TRUE(savepoint.isOk()) << savepoint.status().toString();
  EXPECT_TRUE((*job)->wait().isOk());
  if (!savepoint.isOk()) return "";
  EXPECT_TRUE(fs::exists(fs::path(*savepoint) / "_metadata")) << *savepoint;
  return *savepoint;
}

// The job's restoredCheckpointId() while it runs (it reads 0 once the job is done), then waits.
Status waitRecordingRestore(JobHandle& job, int64_t* restoredFrom) {
  while (!job.waitFor(5)) *restoredFrom = std::max(*restoredFrom, job.restoredCheckpointId());
  return job.wait();
}

TEST_P(SavepointRescaleTest, SavepointAtParallelism2RestoresAt1And3And4) {
  const RescaleCase c = GetParam();
  ScratchDir dir("rescale_q" + std::to_string(c.query) + "_" + c.backend);
  const auto expected = referenceRows(c.query, kEvents);
  ASSERT_FALSE(expected.empty());
  const std::string header = nexmarkHeader(c.query);

  // Each target parallelism continues its own first run (~1.9 s of input at the rate limit,
  // stopped with a savepoint after 0.6-1.0 s), in the same sink directory: the committables in a
  // savepoint name their files, so the output cannot be copied elsewhere half-way.
  const std::vector<std::pair<int, std::string>> restores = {
      {1, "rocksdb"}, {3, "heap"}, {4, c.backend == "heap" ? "rocksdb" : "heap"}};
  int64_t stopAfter = 600;
  for (const auto& [parallelism, backend] : restores) {
    SCOPED_TRACE("restore at parallelism " + std::to_string(parallelism) + " with " + backend);
    const std::string name = "p" + std::to_string(parallelism);
    const std::string out = dir / ("out-" + name);
    const std::string savepoint = runAndStopWithSavepoint(c, dir, name, out, stopAfter);
    stopAfter += 200;
    ASSERT_FALSE(savepoint.empty());
    // The savepoint must cut the input.
    ASSERT_LT(committedRows(out, header).size(), expected.size())
        << "the job finished before the savepoint";

    RunSpec next{c.query, parallelism, backend, 0, dir / ("checkpoints-restored-" + name),
                 out,     savepoint};
    auto restored = startNexmark(next);
    ASSERT_TRUE(restored.isOk()) << restored.status().toString();
    int64_t restoredFrom = 0;
    const Status st = waitRecordingRestore(**restored, &restoredFrom);
    ASSERT_TRUE(st.isOk()) << st.toString();
    EXPECT_GT(restoredFrom, 0);
    std::string problems;
    const auto actual = committedRows(out, header, &problems);
    EXPECT_EQ(problems, "");
    if (actual != expected) dir.keep();
    EXPECT_EQ(actual, expected) << describeDifference(expected, actual) << "\nfiles kept in "
                                << dir.path();
  }
}

// Stop-with-savepoint commits everything up to the savepoint: a user who stops a job and never
// resumes it gets that output. (It used to race: the job was cancelled before the sinks had
// processed the completion.)
TEST(SavepointStopTest, StopWithSavepointCommitsEverythingUpToIt) {
  const RescaleCase c{3, "heap"};
  ScratchDir dir("stop_commits_q" + std::to_string(c.query) + "_" + c.backend);
  for (int i = 0; i < 5; ++i) {
    const std::string out = dir / ("out-" + std::to_string(i));
    const std::string savepoint =
        runAndStopWithSavepoint(c, dir, std::to_string(i), out, 500 + 100 * i);
    ASSERT_FALSE(savepoint.empty());
    std::string hidden;
    for (const auto& e : fs::directory_iterator(out))
      if (e.path().filename().string().rfind(".part-", 0) == 0)
        hidden += " " + e.path().filename().string();
    EXPECT_EQ(hidden, "") << "parts left uncommitted after stop-with-savepoint " << savepoint;
  }
}

INSTANTIATE_TEST_SUITE_P(Nexmark, SavepointRescaleTest,
                         ::testing::Values(RescaleCase{5, "heap"}, RescaleCase{5, "rocksdb"},
                                           RescaleCase{8, "rocksdb"}, RescaleCase{3, "heap"}),
                         [](const ::testing::TestParamInfo<RescaleCase>& info) {
                           return "q" + std::to_string(info.param.query) + "_" + info.param.backend;
                         });

// The command-line path: `glint savepoint --stop` asks the running job through its checkpoint
// directory; `--restore <savepoint>` continues it at parallelism 3.
TEST(SavepointRescaleCliTest, StopWithSavepointAndRestoreAtParallelism3) {
  ScratchDir dir("rescale_cli");
  const int query = 8;
  const auto expected = referenceRows(query, kEvents);
  ASSERT_FALSE(expected.empty());
  const std::string out = dir / "out", checkpoints = dir / "checkpoints", log = dir / "log";
  auto runArgs = [&](int parallelism, const std::string& rate) {
    return std::vector<std::string>{"nexmark",
                                    "run",
                                    "--query",
                                    "q8",
                                    "--events",
                                    std::to_string(kEvents),
                                    "-p",
                                    std::to_string(parallelism),
                                    "--rate",
                                    rate,
                                    "--sink",
                                    "csv:" + out,
                                    "--checkpoint-dir",
                                    checkpoints,
                                    "--checkpoint-interval",
                                    "200 ms"};
  };
  const pid_t job = startGlint(runArgs(2, "150000"), log);
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  const pid_t request = startGlint({"savepoint", "--checkpoint-dir", checkpoints, "--target",
                                    dir / "savepoints", "--stop", "--timeout", "60"},
                                   dir / "savepoint.out");
  const ChildOutcome requested = waitOrKill(request, -1, 90'000);
  ASSERT_TRUE(requested.exited && requested.exitCode == 0) << readFile(dir / "savepoint.out");
  const ChildOutcome stopped = waitOrKill(job, -1, 60'000);
  ASSERT_TRUE(stopped.exited && stopped.exitCode == 0) << readFile(log);
  std::string savepoint = readFile(dir / "savepoint.out");
  while (!savepoint.empty() && (savepoint.back() == '\n' || savepoint.back() == '\r'))
    savepoint.pop_back();
  ASSERT_TRUE(fs::exists(fs::path(savepoint) / "_metadata")) << "'" << savepoint << "'";
  ASSERT_LT(committedRows(out, nexmarkHeader(query)).size(), expected.size())
      << "the job finished before the savepoint";

  auto args = runArgs(3, "0");
  args.push_back("--restore");
  args.push_back(savepoint);
  const ChildOutcome resumed = waitOrKill(startGlint(args, log), -1, 60'000);
  ASSERT_TRUE(resumed.exited && resumed.exitCode == 0) << readFile(log);
  std::string problems;
  const auto actual = committedRows(out, nexmarkHeader(query), &problems);
  EXPECT_EQ(problems, "");
  if (actual != expected) dir.keep();
  EXPECT_EQ(actual, expected) << describeDifference(expected, actual) << "\nfiles kept in "
                              << dir.path();
}

}  // namespace
}  // namespace glint::integration
