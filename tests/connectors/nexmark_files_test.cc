// The events written by `glint nexmark generate` read back through the file source give the
// same query results as the generator; malformed lines follow the policy and name file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "glint/api/data_stream.h"
#include "glint/connectors/file/file_sink.h"
#include "glint/connectors/file/file_source.h"
#include "glint/connectors/nexmark/csv_files.h"
#include "glint/connectors/nexmark/queries.h"
#include "glint/connectors/nexmark/reference_queries.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

namespace fs = std::filesystem;

fs::path tempDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("glint_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::string> readPartFiles(const fs::path& dir, bool skipHeader) {
  std::vector<std::string> rows;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name[0] == '.' || name[0] == '_') continue;
    std::ifstream in(entry.path());
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (first && skipHeader) {
        first = false;
        continue;
      }
      rows.push_back(line);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(NexmarkFilesTest, FileSourceGivesTheSameResultsAsTheGenerator) {
  const int64_t events = 30'000;
  fs::path data = tempDir("nexmark_data");
  ASSERT_TRUE(nexmark::writeNexmarkCsv(nexmark::GeneratorConfig{}, events, data.string()).isOk());
  for (int query : nexmark::supportedQueries()) {
    auto expected =
        nexmark::runReferenceQuery(query, nexmark::GeneratorConfig{}, events, true).lines;
    std::sort(expected.begin(), expected.end());
    JobConfig config;
    config.parallelism = 2;
    StreamExecutionEnvironment env(config);
    auto streams = nexmark::fileStreams(env, query, data.string());
    ASSERT_TRUE(streams.isOk()) << streams.status().toString();
    auto result = nexmark::buildQuery(query, *streams);
    if (!result.isOk()) continue;  // not implemented yet: covered by the query tests
    fs::path out = tempDir("nexmark_out_q" + std::to_string(query));
    FileSinkOptions sink;
    sink.directory = out.string();
    sink.schema = result->schema();
    sink.mode = nexmark::isUpdatingQuery(query) ? SinkChangelogMode::kFinalState
                                                : SinkChangelogMode::kAppendOnly;
    result->sinkTo("csv", [sink] { return std::make_unique<FileSink>(sink); });
    Status st = env.execute();
    ASSERT_TRUE(st.isOk()) << "q" << query << ": " << st.toString();
    EXPECT_EQ(readPartFiles(out, true), expected) << "q" << query;
    fs::remove_all(out);
  }
  fs::remove_all(data);
}

SchemaPtr pairSchema() {
  return makeSchema({{"id", TypeId::kBigint}, {"name", TypeId::kVarchar}});
}

TEST(FileSourceTest, MalformedLineFailsTheJobWithFileAndLine) {
  fs::path dir = tempDir("malformed_fail");
  std::ofstream(dir / "input.csv") << "id,name\n1,a\n2,b\nthree,c\n4,d\n";
  StreamExecutionEnvironment env;
  FileSourceOptions options;
  options.path = (dir / "input.csv").string();
  auto rows = std::make_shared<CollectedRows>();
  env.fromSource("file", pairSchema(),
                 [options] { return std::make_unique<FileSource>(options, pairSchema()); })
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  Status st = env.execute();
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("input.csv:4"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("BIGINT"), std::string::npos) << st.message();
  fs::remove_all(dir);
}

TEST(FileSourceTest, SkipPolicyCountsMalformedLinesAndKeepsTheRest) {
  fs::path dir = tempDir("malformed_skip");
  std::ofstream(dir / "a.csv") << "id,name\n1,a\nx,b\n3,c\n";
  std::ofstream(dir / "b.csv") << "id,name\n4,d\n5\n6,f\n";
  std::ofstream(dir / ".hidden.csv") << "id,name\n99,zz\n";
  JobConfig config;
  config.parallelism = 2;
  StreamExecutionEnvironment env(config);
  FileSourceOptions options;
  options.path = dir.string();
  options.formatOptions.onMalformed = MalformedPolicy::kSkip;
  auto rows = std::make_shared<CollectedRows>();
  env.fromSource("file", pairSchema(),
                 [options] { return std::make_unique<FileSource>(options, pairSchema()); })
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  auto job = env.executeAsync();
  ASSERT_TRUE(job.isOk());
  ASSERT_TRUE((*job)->wait().isOk());
  EXPECT_EQ(rows->finalRows(), (std::vector<std::string>{"1, a", "3, c", "4, d", "6, f"}));
  EXPECT_EQ((*job)->metrics().malformedRecordsSkipped.load(), 2);
  fs::remove_all(dir);
}

TEST(FileSinkTest, AppendOnlySinkRejectsUpdatesAndNamesTheSink) {
  fs::path dir = tempDir("append_only");
  StreamExecutionEnvironment env;
  Batch b(pairSchema());
  RowWriter w(b);
  w.emit(1, "a");
  w.setRowKind(RowKind::kUpdateAfter);
  w.emit(1, "b");
  FileSinkOptions options;
  options.directory = dir.string();
  env.fromBatches(pairSchema(), {b}).sinkTo("my-sink", [options] {
    return std::make_unique<FileSink>(options);
  });
  Status st = env.execute();
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("my-sink"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("append-only"), std::string::npos) << st.message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace glint
