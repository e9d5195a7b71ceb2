// `glint sql` as a user runs it: an unbounded streaming query prints its changes while it runs
// (Flink's changelog/tableau result modes), Ctrl-C cancels the query, and errors exit non-zero.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "tests/integration/integration_support.h"

namespace glint::integration {
namespace {

size_t countOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(SqlClientTest, UnboundedStreamingQueryPrintsChangesWhileRunningAndCtrlCCancelsIt) {
  ScratchDir dir("sql_client_live");
  const std::string log = dir / "out.log";
  // 20 rows a second with no end: rows can only be seen if they are printed as they come.
  const pid_t pid = startGlint(
      {"sql", "-e",
       "SET 'sql-client.execution.result-mode' = 'changelog';"
       "CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', "
       "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');"
       "SELECT id, id * 10 AS ten FROM g;"},
      log);
  ASSERT_GT(pid, 0);
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (countOf(out, "| +I |") < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    out = readFile(log);
  }
  ASSERT_GE(countOf(out, "| +I |"), 5u) << "no live rows within 60 s:\n" << out;
  EXPECT_NE(out.find("| op |"), std::string::npos) << out;
  ::kill(pid, SIGINT);
  const ChildOutcome outcome = waitOrKill(pid, -1, 60'000);
  out = readFile(log);
  ASSERT_TRUE(outcome.exited) << "the client did not stop after Ctrl-C:\n" << out;
  EXPECT_EQ(outcome.exitCode, 130) << out;
  EXPECT_NE(out.find("[INFO] Query cancelled."), std::string::npos) << out;
  EXPECT_NE(out.find("Received a total of "), std::string::npos) << out;
  // The sequence arrives in order on one source subtask: the first printed row is id 1.
  EXPECT_NE(out.find("| +I |                    1 |                   10 |"), std::string::npos)
      << out;
}

TEST(SqlClientTest, ScriptErrorsExitNonZeroWithThePosition) {
  ScratchDir dir("sql_client_error");
  const std::string log = dir / "out.log";
  const pid_t pid =
      startGlint({"sql", "-e", "SELECT 1;\nSELECT prise FROM (VALUES (1)) AS t(price);"}, log);
  const ChildOutcome outcome = waitOrKill(pid, -1, 60'000);
  const std::string out = readFile(log);
  ASSERT_TRUE(outcome.exited) << out;
  EXPECT_EQ(outcome.exitCode, 1) << out;
  EXPECT_NE(out.find("[ERROR]"), std::string::npos) << out;
  EXPECT_NE(out.find("line 2, column 8"), std::string::npos) << "position of `prise` missing:\n" << out;
  EXPECT_NE(out.find("price"), std::string::npos) << out;
}

}  // namespace
}  // namespace glint::integration
