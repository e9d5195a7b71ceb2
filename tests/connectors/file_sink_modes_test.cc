// File sink modes and formats: changelog with a rowkind column, final state, JSON lines that the
// file source reads back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "glint/api/data_stream.h"
#include "glint/connectors/file/file_sink.h"
#include "glint/connectors/file/file_source.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

namespace fs = std::filesystem;

SchemaPtr schema() {
  return makeSchema(
      {{"id", TypeId::kBigint}, {"name", TypeId::kVarchar}, {"at", TypeId::kTimestamp}});
}

Batch changes() {
  Batch b(schema());
  RowWriter w(b);
  w.emit(1, "a, with comma", int64_t{1000});
  w.setRowKind(RowKind::kUpdateBefore);
  w.emit(1, "a, with comma", int64_t{1000});
  w.setRowKind(RowKind::kUpdateAfter);
  w.emit(1, "b \"quoted\"", int64_t{2000});
  w.setRowKind(RowKind::kInsert);
  w.emit(2, Null{}, int64_t{3000});
  return b;
}

std::string readAll(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_NE(e.path().filename().string()[0], '.') << "an in-progress file was left: " << e.path();
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  return all;
}

fs::path freshDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("glint_sink_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

std::string runSink(SinkChangelogMode mode, const std::string& format, const fs::path& dir) {
  StreamExecutionEnvironment env;
  FileSinkOptions options;
  options.directory = dir.string();
  options.format = format;
  options.mode = mode;
  options.schema = schema();
  env.fromBatches(schema(), {changes()}).sinkTo("sink", [options] {
    return std::make_unique<FileSink>(options);
  });
  EXPECT_TRUE(env.execute().isOk());
  return readAll(dir);
}

TEST(FileSinkModesTest, ChangelogCsvHasRowKindColumn) {
  auto dir = freshDir("changelog");
  EXPECT_EQ(runSink(SinkChangelogMode::kChangelog, "csv", dir),
            "rowkind,id,name,at\n"
            "+I,1,\"a, with comma\",1970-01-01 00:00:01.000\n"
            "-U,1,\"a, with comma\",1970-01-01 00:00:01.000\n"
            "+U,1,\"b \"\"quoted\"\"\",1970-01-01 00:00:02.000\n"
            "+I,2,,1970-01-01 00:00:03.000\n");
  fs::remove_all(dir);
}

TEST(FileSinkModesTest, FinalStateCsvAppliesRetractions) {
  auto dir = freshDir("final");
  EXPECT_EQ(runSink(SinkChangelogMode::kFinalState, "csv", dir),
            "id,name,at\n"
            "1,\"b \"\"quoted\"\"\",1970-01-01 00:00:02.000\n"
            "2,,1970-01-01 00:00:03.000\n");
  fs::remove_all(dir);
}

TEST(FileSinkModesTest, JsonLinesRoundTripThroughTheFileSource) {
  auto dir = freshDir("json");
  runSink(SinkChangelogMode::kFinalState, "json", dir);
  StreamExecutionEnvironment env;
  FileSourceOptions options;
  options.path = dir.string();
  options.format = "json";
  auto rows = std::make_shared<CollectedRows>();
  env.fromSource("json", schema(),
                 [options] { return std::make_unique<FileSource>(options, schema()); })
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  ASSERT_TRUE(env.execute().isOk());
  EXPECT_EQ(rows->finalRows(), (std::vector<std::string>{"1, b \"quoted\", 1970-01-01 00:00:02.000",
                                                         "2, NULL, 1970-01-01 00:00:03.000"}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace glint
