// End-to-end pipelines through the DataStream API on the embedded runtime, checked against
// results computed by hand-written loops over the same input.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "glint/api/data_stream.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

SchemaPtr eventSchema() {
  return makeSchema(
      {{"user", TypeId::kBigint}, {"amount", TypeId::kBigint}, {"ts", TypeId::kTimestamp}});
}

// `rows` rows (user = i % users, amount = i, ts = i) cut into batches of `batchSize`.
std::vector<Batch> makeInput(int rows, int users, int batchSize) {
  std::vector<Batch> batches;
  for (int start = 0; start < rows; start += batchSize) {
    Batch b(eventSchema());
    RowWriter w(b);
    for (int i = start; i < std::min(rows, start + batchSize); ++i)
      w.emit(i % users, i, int64_t{i});
    batches.push_back(std::move(b));
  }
  return batches;
}

// Sums amounts per user in keyed state and emits (user, total, count) when the input ends,
// through an event-time timer that the final watermark fires.
class RunningSum : public KeyedProcessFunction {
 public:
  void open(KeyedStateBackend& state) override {
    sum_ = state.valueState<int64_t>("sum");
    count_ = state.valueState<int64_t>("count");
  }
  void processElement(RowRef row, ProcessContext& ctx, RowWriter& out) override {
    sum_->update(sum_->value().value_or(0) + row.getLong(1));
    count_->update(count_->value().value_or(0) + 1);
    ctx.registerEventTimeTimer(kMaxTimestamp - 1);
  }
  void onTimer(int64_t, ProcessContext& ctx, RowWriter& out) override {
    out.emit(ctx.currentKey().getLong(0), *sum_->value(), *count_->value());
    sum_->clear();
    count_->clear();
  }

 private:
  ValueState<int64_t>* sum_ = nullptr;
  ValueState<int64_t>* count_ = nullptr;
};

struct PipelineCase {
  int parallelism;
  int batchSize;
};

class PipelineTest : public ::testing::TestWithParam<PipelineCase> {};

TEST_P(PipelineTest, FilterMapKeyedSumMatchesLoop) {
  const auto param = GetParam();
  JobConfig config;
  config.parallelism = param.parallelism;
  config.batchSize = static_cast<size_t>(param.batchSize);
  config.bufferTimeoutMillis = 1;
  StreamExecutionEnvironment env(config);
  auto input = makeInput(5000, 37, 97);
  auto rows = std::make_shared<CollectedRows>();
  auto out =
      makeSchema({{"user", TypeId::kBigint}, {"sum", TypeId::kBigint}, {"count", TypeId::kBigint}});
  env.fromBatches(eventSchema(), input)
      .filter([](RowRef r) { return r.getLong(1) % 3 != 0; })
      .map(eventSchema(),
           [](RowRef r, RowWriter& w) { w.emit(r.getLong(0), r.getLong(1) * 2, r.getLong(2)); })
      .keyBy({"user"})
      .process(out, RunningSum())
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  ASSERT_TRUE(env.execute().isOk());

  std::map<int64_t, std::pair<int64_t, int64_t>> total;
  for (int i = 0; i < 5000; ++i) {
    if (i % 3 == 0) continue;
    total[i % 37].first += 2 * i;
    total[i % 37].second += 1;
  }
  std::vector<std::string> expected;
  for (auto& [user, t] : total)
    expected.push_back(std::to_string(user) + ", " + std::to_string(t.first) + ", " +
                       std::to_string(t.second));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(rows->finalRows(), expected);
}

INSTANTIATE_TEST_SUITE_P(ParallelismAndBatchSize, PipelineTest,
                         ::testing::Values(PipelineCase{1, 1}, PipelineCase{1, 4096},
                                           PipelineCase{2, 7}, PipelineCase{4, 7},
                                           PipelineCase{4, 4096}));

TEST(PipelineTest, UnionAndSideOutputs) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  auto rows = std::make_shared<CollectedRows>();
  auto side = std::make_shared<CollectedRows>();
  auto a = env.fromBatches(eventSchema(), makeInput(100, 5, 10));
  auto b = env.fromBatches(eventSchema(), makeInput(50, 5, 10));
  OutputTag big{"big", eventSchema()};
  struct Splitter : KeyedProcessFunction {
    OutputTag tag;
    explicit Splitter(OutputTag t) : tag(std::move(t)) {}
    void processElement(RowRef r, ProcessContext& ctx, RowWriter& out) override {
      if (r.getLong(1) >= 90)
        ctx.sideOutput(tag).emit(r.getLong(0), r.getLong(1), r.getLong(2));
      else
        out.emit(r.getLong(0), r.getLong(1), r.getLong(2));
    }
  };
  auto processed = a.unionWith({b}).keyBy({"user"}).process(eventSchema(), Splitter(big));
  processed.sinkTo("main", [rows] { return std::make_unique<CollectSink>(rows); });
  processed.getSideOutput(big).sinkTo("side",
                                      [side] { return std::make_unique<CollectSink>(side); });
  ASSERT_TRUE(env.execute().isOk());
  EXPECT_EQ(rows->rowCount(), 140);
  EXPECT_EQ(side->rowCount(), 10);
}

// A stream read by three operators (a reused source feeding several branches): all run in the
// source's task (the chain is a tree) and each sees every row: the map takes the batches, the
// projection reads them shared (copying its one column), the filter gets copies.
TEST(PipelineTest, ConsumersOfOneStreamAreChainedAndEachGetsEveryRow) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  auto doubled = std::make_shared<CollectedRows>();
  auto odd = std::make_shared<CollectedRows>();
  auto amounts = std::make_shared<CollectedRows>();
  auto source = env.fromBatches(eventSchema(), makeInput(1000, 7, 64));
  source
      .map(eventSchema(),
           [](RowRef r, RowWriter& w) { w.emit(r.getLong(0), r.getLong(1) * 2, r.getLong(2)); })
      .sinkTo("doubled", [doubled] { return std::make_unique<CollectSink>(doubled); });
  source.filter([](RowRef r) { return r.getLong(1) % 2 == 1; })
      .sinkTo("odd", [odd] { return std::make_unique<CollectSink>(odd); });
  source.project({"amount"}).sinkTo("amounts",
                                    [amounts] { return std::make_unique<CollectSink>(amounts); });
  auto handle = env.executeAsync();
  ASSERT_TRUE(handle.isOk()) << handle.status().message();
  ASSERT_TRUE((*handle)->wait().isOk());
  // One task per subtask for the whole job: no channel between the source and its branches.
  const std::string plan = (*handle)->physicalPlan();
  EXPECT_EQ(std::count(plan.begin(), plan.end(), '\n'), 1) << plan;
  int64_t sumDoubled = 0, sumOdd = 0;
  for (const std::string& row : doubled->finalRows()) sumDoubled += std::stoll(row.substr(row.find(", ") + 2));
  for (const std::string& row : odd->finalRows()) sumOdd += std::stoll(row.substr(row.find(", ") + 2));
  EXPECT_EQ(doubled->rowCount(), 1000);
  EXPECT_EQ(odd->rowCount(), 500);
  EXPECT_EQ(sumDoubled, 999 * 1000);  // 2 * (0 + ... + 999)
  EXPECT_EQ(sumOdd, 500 * 500);       // 1 + 3 + ... + 999
  std::vector<std::string> expectedAmounts;
  for (int i = 0; i < 1000; ++i) expectedAmounts.push_back(std::to_string(i));
  std::sort(expectedAmounts.begin(), expectedAmounts.end());
  EXPECT_EQ(amounts->finalRows(), expectedAmounts);
}

TEST(PipelineTest, UserErrorFailsTheJobWithItsMessage) {
  StreamExecutionEnvironment env;
  env.fromBatches(eventSchema(), makeInput(10, 2, 5))
      .map(eventSchema(),
           [](RowRef r, RowWriter& w) {
             if (r.getLong(1) == 7) throw GlintError("bad record 7");
             w.emit(r.getLong(0), r.getLong(1), r.getLong(2));
           })
      .print();
  Status st = env.execute();
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("bad record 7"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace glint
