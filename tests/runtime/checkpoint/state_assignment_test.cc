// Dealing a checkpoint out to a job: same parallelism (own items back), another parallelism
// (round-robin items, key groups by range), unclaimed state, max parallelism and in-flight data.
#include <gtest/gtest.h>

#include "glint/runtime/checkpoint/checkpoint_options.h"
#include "glint/runtime/checkpoint/state_assignment.h"

namespace glint {
namespace {

RestoredCheckpoint checkpointOf(int parallelism, bool inflight = false) {
  RestoredCheckpoint c;
  c.directory = "/tmp/x/chk-7";
  c.metadata.checkpointId = 7;
  c.metadata.maxParallelism = 128;
  for (int s = 0; s < parallelism; ++s) {
    LoadedOperatorState src;
    src.uid = "source";
    src.subtask = s;
    src.parallelism = parallelism;
    src.operatorState = {"split-" + std::to_string(s) + "a", "split-" + std::to_string(s) + "b"};
    c.operators.push_back(src);
    LoadedOperatorState keyed;
    keyed.uid = "agg";
    keyed.subtask = s;
    keyed.parallelism = parallelism;
    keyed.hasKeyedState = true;
    keyed.keyedHandle.keyGroups = keyGroupRangeForSubtask(128, parallelism, s);
    for (int kg = keyed.keyedHandle.keyGroups.first; kg <= keyed.keyedHandle.keyGroups.last; ++kg) {
      keyed.keyedHandle.blocks.push_back({kg, "state-" + std::to_string(kg)});
      keyed.keyedOperatorData.push_back({kg, "timers-" + std::to_string(kg)});
    }
    if (inflight) {
      Batch b(makeSchema({{"x", TypeId::kBigint}}));
      keyed.inFlight.push_back({0, 0, std::move(b)});
    }
    c.operators.push_back(keyed);
  }
  return c;
}

StreamGraph graphOf(int parallelism, bool withAgg = true) {
  StreamGraph g;
  StreamNode src;
  src.name = "src";
  src.uid = "source";
  src.parallelism = parallelism;
  src.isSource = true;
  g.addNode(src);
  if (withAgg) {
    StreamNode agg;
    agg.name = "aggregate";
    agg.uid = "agg";
    agg.parallelism = parallelism;
    g.addNode(agg);
  }
  return g;
}

TEST(StateAssignmentTest, SameParallelismGivesEachInstanceItsOwnState) {
  auto a = StateAssignment::create(checkpointOf(2), graphOf(2), 128, false);
  ASSERT_TRUE(a.isOk()) << a.status().message();
  auto s1 = a->stateFor("source", 1, 2, keyGroupRangeForSubtask(128, 2, 1));
  EXPECT_TRUE(s1.restored);
  EXPECT_EQ(s1.checkpointId, 7);
  EXPECT_EQ(s1.operatorState, (std::vector<std::string>{"split-1a", "split-1b"}));
}

TEST(StateAssignmentTest, RescalingDealsItemsAndKeyGroupsWithoutLossOrDuplication) {
  for (int newParallelism : {1, 3, 4}) {
    auto a = StateAssignment::create(checkpointOf(2), graphOf(newParallelism), 128, false);
    ASSERT_TRUE(a.isOk());
    std::multiset<std::string> items, blocks, data;
    for (int s = 0; s < newParallelism; ++s) {
      const KeyGroupRange range = keyGroupRangeForSubtask(128, newParallelism, s);
      auto src = a->stateFor("source", s, newParallelism, range);
      items.insert(src.operatorState.begin(), src.operatorState.end());
      auto agg = a->stateFor("agg", s, newParallelism, range);
      for (const auto& h : agg.keyedHandles)
        for (const auto& b : h.blocks) {
          EXPECT_TRUE(range.contains(b.keyGroup));
          blocks.insert(b.bytes);
        }
      for (const auto& b : agg.keyedOperatorData) {
        EXPECT_TRUE(range.contains(b.keyGroup));
        data.insert(b.bytes);
      }
    }
    EXPECT_EQ(items.size(), 4u) << newParallelism;
    EXPECT_EQ(std::set<std::string>(items.begin(), items.end()).size(), 4u);
    EXPECT_EQ(blocks.size(), 128u);
    EXPECT_EQ(std::set<std::string>(blocks.begin(), blocks.end()).size(), 128u);
    EXPECT_EQ(data.size(), 128u);
  }
}

TEST(StateAssignmentTest, UnclaimedStateIsAnErrorUnlessIgnored) {
  auto a = StateAssignment::create(checkpointOf(2), graphOf(2, /*withAgg=*/false), 128, false);
  ASSERT_FALSE(a.isOk());
  EXPECT_NE(a.status().message().find("uid 'agg'"), std::string::npos) << a.status().message();
  EXPECT_NE(a.status().message().find("execution.savepoint.ignore-unclaimed-state"), std::string::npos);
  EXPECT_TRUE(StateAssignment::create(checkpointOf(2), graphOf(2, false), 128, true).isOk());
}

TEST(StateAssignmentTest, MaxParallelismMustMatch) {
  auto a = StateAssignment::create(checkpointOf(2), graphOf(2), 256, false);
  ASSERT_FALSE(a.isOk());
  EXPECT_NE(a.status().message().find("pipeline.max-parallelism 128"), std::string::npos) << a.status().message();
}

TEST(StateAssignmentTest, InFlightDataOnlyAtTheSameParallelism) {
  EXPECT_TRUE(StateAssignment::create(checkpointOf(2, true), graphOf(2), 128, false).isOk());
  auto a = StateAssignment::create(checkpointOf(2, true), graphOf(3), 128, false);
  ASSERT_FALSE(a.isOk());
  EXPECT_NE(a.status().message().find("unaligned"), std::string::npos) << a.status().message();
}

TEST(CheckpointOptionsTest, ReadsFlinkNamesAndRejectsMistakes) {
  JobConfig c;
  ASSERT_TRUE(c.set("execution.checkpointing.interval", "200 ms").isOk());
  ASSERT_TRUE(c.set("state.checkpoints.dir", "/tmp/ck").isOk());
  ASSERT_TRUE(c.set("execution.checkpointing.mode", "AT_LEAST_ONCE").isOk());
  ASSERT_TRUE(c.set("state.checkpoints.num-retained", "3").isOk());
  auto o = CheckpointOptions::fromConfig(c);
  ASSERT_TRUE(o.isOk()) << o.status().message();
  EXPECT_EQ(o->intervalMillis, 200);
  EXPECT_EQ(o->mode, CheckpointingMode::kAtLeastOnce);
  EXPECT_EQ(o->numRetained, 3);

  JobConfig typo = c;
  ASSERT_TRUE(typo.set("execution.checkpointing.intervall", "1 s").isOk());
  auto bad = CheckpointOptions::fromConfig(typo);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("execution.checkpointing.intervall"), std::string::npos);

  JobConfig noDir;
  ASSERT_TRUE(noDir.set("execution.checkpointing.interval", "1 s").isOk());
  auto missing = CheckpointOptions::fromConfig(noDir);
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.status().message().find("state.checkpoints.dir"), std::string::npos);

  JobConfig mode;
  ASSERT_TRUE(mode.set("execution.checkpointing.mode", "twice").isOk());
  auto m = CheckpointOptions::fromConfig(mode);
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.status().message().find("EXACTLY_ONCE"), std::string::npos);
}

TEST(RestartStrategyTest, FixedDelayFailureRateAndExponentialBackoff) {
  RestartStrategyOptions fixed;
  fixed.type = RestartStrategyOptions::Type::kFixedDelay;
  fixed.fixedDelayAttempts = 2;
  fixed.fixedDelayMillis = 10;
  RestartStrategy f(fixed);
  EXPECT_EQ(f.onFailure(0, 0), 10);
  EXPECT_EQ(f.onFailure(1, 0), 10);
  EXPECT_EQ(f.onFailure(2, 0), -1);

  RestartStrategyOptions rate;
  rate.type = RestartStrategyOptions::Type::kFailureRate;
  rate.failureRateMaxFailures = 2;
  rate.failureRateIntervalMillis = 1000;
  rate.failureRateDelayMillis = 5;
  RestartStrategy r(rate);
  EXPECT_EQ(r.onFailure(0, 0), 5);
  EXPECT_EQ(r.onFailure(100, 0), 5);
  EXPECT_EQ(r.onFailure(200, 0), -1);  // three within a second
  RestartStrategy r2(rate);
  EXPECT_EQ(r2.onFailure(0, 0), 5);
  EXPECT_EQ(r2.onFailure(100, 0), 5);
  EXPECT_EQ(r2.onFailure(1500, 0), 5);  // the first one left the window

  RestartStrategyOptions exp;
  exp.type = RestartStrategyOptions::Type::kExponentialDelay;
  exp.initialBackoffMillis = 100;
  exp.backoffMultiplier = 2;
  exp.maxBackoffMillis = 350;
  exp.jitterFactor = 0;
  exp.resetBackoffThresholdMillis = 10'000;
  RestartStrategy e(exp);
  EXPECT_EQ(e.onFailure(0, 0), 100);
  EXPECT_EQ(e.onFailure(1, 0), 200);
  EXPECT_EQ(e.onFailure(2, 0), 350);
  EXPECT_EQ(e.onFailure(3, 0), 350);
  EXPECT_EQ(e.onFailure(20'000, 0), 100);  // quiet for longer than the threshold: reset
}

TEST(RestartStrategyTest, OptionsUseFlinkNames) {
  JobConfig c;
  ASSERT_TRUE(c.set("restart-strategy.type", "fixed-delay").isOk());
  ASSERT_TRUE(c.set("restart-strategy.fixed-delay.attempts", "4").isOk());
  ASSERT_TRUE(c.set("restart-strategy.fixed-delay.delay", "10 ms").isOk());
  auto o = RestartStrategyOptions::fromConfig(c, true);
  ASSERT_TRUE(o.isOk()) << o.status().message();
  EXPECT_EQ(o->type, RestartStrategyOptions::Type::kFixedDelay);
  EXPECT_EQ(o->fixedDelayAttempts, 4);
  EXPECT_EQ(o->fixedDelayMillis, 10);
  EXPECT_EQ(RestartStrategyOptions::fromConfig(JobConfig{}, false)->type, RestartStrategyOptions::Type::kNone);
  JobConfig bad;
  ASSERT_TRUE(bad.set("restart-strategy.type", "sometimes").isOk());
  auto b = RestartStrategyOptions::fromConfig(bad, true);
  ASSERT_FALSE(b.isOk());
  EXPECT_NE(b.status().message().find("restart-strategy.type"), std::string::npos);
}

}  // namespace
}  // namespace glint
