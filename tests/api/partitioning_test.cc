// Exchanges: broadcast sends every row to every consumer, rebalance spreads whole batches
// round-robin, hash puts all rows of a key on one subtask, global funnels into one subtask.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "glint/api/data_stream.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

SchemaPtr schema() {
  return makeSchema({{"k", TypeId::kBigint}, {"v", TypeId::kBigint}});
}

std::vector<Batch> input(int rows, int batchSize) {
  std::vector<Batch> out;
  for (int start = 0; start < rows; start += batchSize) {
    Batch b(schema());
    RowWriter w(b);
    for (int i = start; i < std::min(rows, start + batchSize); ++i) w.emit(i % 10, i);
    out.push_back(std::move(b));
  }
  return out;
}

// Records (subtask, k, v) of every row it receives.
struct Seen {
  std::mutex mu;
  std::vector<std::tuple<int, int64_t, int64_t>> rows;
};
class RecordingSink final : public SinkOperator {
 public:
  explicit RecordingSink(std::shared_ptr<Seen> seen) : seen_(std::move(seen)) {}

 protected:
  void consume(Batch&& b) override {
    std::lock_guard<std::mutex> lock(seen_->mu);
    for (size_t r = 0; r < b.numRows(); ++r)
      seen_->rows.emplace_back(context_.subtaskIndex, b.column(0).getInt(r), b.column(1).getInt(r));
  }

 private:
  std::shared_ptr<Seen> seen_;
};

std::shared_ptr<Seen> run(const std::function<DataStream(DataStream)>& partition,
                          int sinkParallelism) {
  JobConfig config;
  config.parallelism = 2;
  config.batchSize = 16;
  StreamExecutionEnvironment env(config);
  auto seen = std::make_shared<Seen>();
  auto stream = partition(env.fromBatches(schema(), input(1000, 16)));
  stream.sinkTo("record", [seen] { return std::make_unique<RecordingSink>(seen); });
  env.graph().mutableNodes().back().parallelism = sinkParallelism;
  EXPECT_TRUE(env.execute().isOk());
  return seen;
}

TEST(PartitioningTest, BroadcastDeliversEveryRowToEverySubtask) {
  auto seen = run([](DataStream s) { return s.broadcast(); }, 3);
  ASSERT_EQ(seen->rows.size(), 3000u);
  std::map<int, int> perSubtask;
  for (auto& [subtask, k, v] : seen->rows) ++perSubtask[subtask];
  EXPECT_EQ(perSubtask, (std::map<int, int>{{0, 1000}, {1, 1000}, {2, 1000}}));
}

TEST(PartitioningTest, RebalanceSpreadsRowsAndLosesNone) {
  auto seen = run([](DataStream s) { return s.rebalance(); }, 3);
  ASSERT_EQ(seen->rows.size(), 1000u);
  std::map<int, int> perSubtask;
  std::set<int64_t> values;
  for (auto& [subtask, k, v] : seen->rows) {
    ++perSubtask[subtask];
    values.insert(v);
  }
  EXPECT_EQ(values.size(), 1000u);
  EXPECT_EQ(perSubtask.size(), 3u);
  for (auto& [subtask, n] : perSubtask) EXPECT_GE(n, 200) << "subtask " << subtask;
}

TEST(PartitioningTest, HashKeepsEachKeyOnOneSubtaskAsKeyGroupsSay) {
  auto seen = run([](DataStream s) { return DataStream(s.keyBy({"k"})); }, 3);
  ASSERT_EQ(seen->rows.size(), 1000u);
  std::map<int64_t, std::set<int>> subtasksOfKey;
  for (auto& [subtask, k, v] : seen->rows) subtasksOfKey[k].insert(subtask);
  KeyEncoder encoder(*schema(), {0});
  Batch probe(schema());
  RowWriter w(probe);
  for (int64_t k = 0; k < 10; ++k) w.emit(k, 0);
  std::string bytes;
  for (int64_t k = 0; k < 10; ++k) {
    ASSERT_EQ(subtasksOfKey[k].size(), 1u) << "key " << k;
    encoder.encode(probe, static_cast<size_t>(k), bytes);
    const int expected = subtaskForKeyGroup(keyGroupForKey(bytes, kDefaultMaxParallelism), 3,
                                            kDefaultMaxParallelism);
    EXPECT_EQ(*subtasksOfKey[k].begin(), expected) << "key " << k;
  }
}

TEST(PartitioningTest, GlobalFunnelsIntoOneSubtask) {
  auto seen = run([](DataStream s) { return s.global(); }, 1);
  ASSERT_EQ(seen->rows.size(), 1000u);
  for (auto& [subtask, k, v] : seen->rows) EXPECT_EQ(subtask, 0);
}

TEST(KeyGroupTest, RangesCoverAllKeyGroupsOnce) {
  for (int p : {1, 2, 3, 7, 128}) {
    std::vector<int> owner(128, -1);
    for (int s = 0; s < p; ++s) {
      auto r = keyGroupRangeForSubtask(128, p, s);
      for (int kg = r.first; kg <= r.last; ++kg) {
        EXPECT_EQ(owner[kg], -1);
        owner[kg] = s;
        EXPECT_EQ(subtaskForKeyGroup(kg, p, 128), s);
      }
    }
    for (int kg = 0; kg < 128; ++kg) EXPECT_GE(owner[kg], 0) << "p=" << p << " kg=" << kg;
  }
}

}  // namespace
}  // namespace glint
