// Windows and joins through the DataStream API on the embedded runtime (the operators' own
// semantics are tested with the operator harness in tests/runtime).
#include <gtest/gtest.h>

#include "glint/api/data_stream.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

SchemaPtr clickSchema() {
  return makeSchema({{"user", TypeId::kBigint}, {"ts", TypeId::kTimestamp}});
}

Batch clicks(std::vector<std::pair<int64_t, int64_t>> rows) {
  Batch b(clickSchema());
  RowWriter w(b);
  for (auto [user, ts] : rows) w.emit(user, ts);
  return b;
}

auto countSchema() {
  return makeSchema(
      {{"user", TypeId::kBigint}, {"start", TypeId::kTimestamp}, {"clicks", TypeId::kBigint}});
}

template <class Windowed>
DataStream countPerWindow(Windowed w) {
  return w.aggregate(
      countSchema(), [] { return int64_t{0}; }, [](int64_t& n, RowRef) { ++n; },
      [](int64_t& a, const int64_t& b) { a += b; },
      [](KeyRef k, const TimeWindow& win, const int64_t& n, RowWriter& out) {
        out.emit(k.getLong(0), win.start, n);
      });
}

TEST(WindowsApiTest, LateRowsGoToTheSideOutputAndAllowedLatenessRefires) {
  JobConfig config;
  config.autoWatermarkIntervalMillis = 0;  // a watermark after every batch: deterministic lateness
  StreamExecutionEnvironment env(config);
  // Batches in arrival order. Watermark = max ts - 0 - 1 after each batch.
  std::vector<Batch> input;
  input.push_back(clicks({{1, 1000}, {1, 4000}, {2, 9000}}));
  input.push_back(
      clicks({{1, 12000}}));  // watermark 11999: windows [0,10s) fire (lateness 5 s keeps them)
  input.push_back(clicks({{1, 8000}}));   // late but within lateness: [0,10s) fires again
  input.push_back(clicks({{1, 40000}}));  // watermark 39999
  input.push_back(clicks({{1, 2000}, {2, 12000}}));  // beyond lateness: side output
  OutputTag late{"late", clickSchema()};
  auto rows = std::make_shared<CollectedRows>();
  auto lateRows = std::make_shared<CollectedRows>();
  auto counted =
      countPerWindow(env.fromBatches(clickSchema(), std::move(input))
                         .assignTimestampsAndWatermarks(
                             WatermarkStrategy::forMonotonousTimestamps().withTimestampColumn("ts"))
                         .keyBy({"user"})
                         .window(WindowAssigner::tumbling(10'000))
                         .allowedLateness(5'000)
                         .sideOutputLateData(late));
  counted.sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  counted.getSideOutput(late).sinkTo(
      "late", [lateRows] { return std::make_unique<CollectSink>(lateRows); });
  ASSERT_TRUE(env.execute().isOk());
  EXPECT_EQ(rows->changelog(),
            (std::vector<std::string>{
                "+I 1, 1970-01-01 00:00:00.000, 2", "+I 2, 1970-01-01 00:00:00.000, 1",
                "+I 1, 1970-01-01 00:00:00.000, 3", "+I 1, 1970-01-01 00:00:10.000, 1",
                "+I 1, 1970-01-01 00:00:40.000, 1"}));
  EXPECT_EQ(lateRows->finalRows(),
            (std::vector<std::string>{"1, 1970-01-01 00:00:02.000", "2, 1970-01-01 00:00:12.000"}));
}

TEST(WindowsApiTest, SessionWindowsAtParallelismTwo) {
  JobConfig config;
  config.parallelism = 2;
  StreamExecutionEnvironment env(config);
  std::vector<Batch> input{clicks({{1, 0}, {2, 0}, {1, 3000}}),
                           clicks({{1, 20000}, {2, 4000}, {1, 6000}})};
  auto rows = std::make_shared<CollectedRows>();
  countPerWindow(
      env.fromBatches(clickSchema(), std::move(input))
          .assignTimestampsAndWatermarks(
              WatermarkStrategy::forBoundedOutOfOrderness(10'000).withTimestampColumn("ts"))
          .keyBy({"user"})
          .window(WindowAssigner::session(5'000)))
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  ASSERT_TRUE(env.execute().isOk());
  // user 1: {0, 3000, 6000} merge into one session; {20000} alone. user 2: {0} and {4000} touch at
  // 5000? no: [0,5000) and [4000,9000) overlap.
  EXPECT_EQ(rows->finalRows(), (std::vector<std::string>{"1, 1970-01-01 00:00:00.000, 3",
                                                         "1, 1970-01-01 00:00:20.000, 1",
                                                         "2, 1970-01-01 00:00:00.000, 2"}));
}

TEST(WindowsApiTest, WindowJoinAndIntervalJoin) {
  JobConfig config;
  config.parallelism = 2;
  StreamExecutionEnvironment env(config);
  auto strategy = WatermarkStrategy::forBoundedOutOfOrderness(1000).withTimestampColumn("ts");
  auto left = env.fromBatches(clickSchema(), {clicks({{1, 1000}, {2, 2000}, {1, 12000}})})
                  .assignTimestampsAndWatermarks(strategy);
  auto right =
      env.fromBatches(clickSchema(), {clicks({{1, 9000}, {1, 11000}, {3, 1000}, {2, 2500}})})
          .assignTimestampsAndWatermarks(strategy);
  auto pairSchema = makeSchema(
      {{"user", TypeId::kBigint}, {"left", TypeId::kTimestamp}, {"right", TypeId::kTimestamp}});
  auto windowRows = std::make_shared<CollectedRows>();
  left.join(right)
      .where({"user"})
      .equalTo({"user"})
      .window(WindowAssigner::tumbling(10'000))
      .apply(pairSchema, [](RowRef l, RowRef r,
                            RowWriter& out) { out.emit(l.getLong(0), l.getLong(1), r.getLong(1)); })
      .sinkTo("window join", [windowRows] { return std::make_unique<CollectSink>(windowRows); });
  auto intervalRows = std::make_shared<CollectedRows>();
  left.keyBy({"user"})
      .intervalJoin(right.keyBy({"user"}))
      .between(-1000, 1000)
      .process(pairSchema,
               [](RowRef l, RowRef r, RowWriter& out) {
                 out.emit(l.getLong(0), l.getLong(1), r.getLong(1));
               })
      .sinkTo("interval join",
              [intervalRows] { return std::make_unique<CollectSink>(intervalRows); });
  ASSERT_TRUE(env.execute().isOk());
  EXPECT_EQ(windowRows->finalRows(),
            (std::vector<std::string>{"1, 1970-01-01 00:00:01.000, 1970-01-01 00:00:09.000",
                                      "1, 1970-01-01 00:00:12.000, 1970-01-01 00:00:11.000",
                                      "2, 1970-01-01 00:00:02.000, 1970-01-01 00:00:02.500"}));
  EXPECT_EQ(intervalRows->finalRows(),
            (std::vector<std::string>{"1, 1970-01-01 00:00:12.000, 1970-01-01 00:00:11.000",
                                      "2, 1970-01-01 00:00:02.000, 1970-01-01 00:00:02.500"}));
}

}  // namespace
}  // namespace glint
