// Every Nexmark query of the DataStream API against the hand-written reference loop over the
// same generated events, as sorted row sets, at several parallelisms and batch sizes.
#include <gtest/gtest.h>

#include <algorithm>

#include "glint/connectors/nexmark/queries.h"
#include "glint/connectors/nexmark/reference_queries.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint::nexmark {
namespace {

constexpr int64_t kEvents = 60'000;

// The default generator spans 6 s of event time for 60,000 events; the "slow" one spreads the
// same events over 2 minutes (many windows and auction lifetimes) with half the events out of
// order by up to 3 s.
GeneratorConfig generatorFor(bool slow) {
  GeneratorConfig g;
  if (slow) {
    g.eventsPerSecond = 500;
    g.outOfOrderFraction = 0.5;
  }
  return g;
}

std::vector<std::string> runEngine(int query, int parallelism, size_t batchSize, int64_t events,
                                   bool slow) {
  JobConfig config;
  config.parallelism = parallelism;
  config.batchSize = batchSize;
  config.bufferTimeoutMillis = 5;
  config.autoWatermarkIntervalMillis = 0;
  StreamExecutionEnvironment env(config);
  NexmarkSourceOptions options;
  options.numEvents = events;
  options.generator = generatorFor(slow);
  auto streams = generatorStreams(env, query, options);
  auto result = buildQuery(query, streams);
  EXPECT_TRUE(result.isOk()) << result.status().toString();
  auto rows = std::make_shared<CollectedRows>(CollectedRows::Format::kCsv);
  result->sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  Status st = env.execute();
  EXPECT_TRUE(st.isOk()) << st.toString();
  return rows->finalRows();
}

std::vector<std::string> runLoop(int query, int64_t events, bool slow) {
  auto r = runReferenceQuery(query, generatorFor(slow), events, /*collect=*/true);
  std::sort(r.lines.begin(), r.lines.end());
  return r.lines;
}

struct QueryCase {
  int query;
  int parallelism;
  size_t batchSize;
  bool slow = false;
};

std::string caseName(const ::testing::TestParamInfo<QueryCase>& info) {
  return "q" + std::to_string(info.param.query) + "_p" + std::to_string(info.param.parallelism) +
         "_b" + std::to_string(info.param.batchSize) + (info.param.slow ? "_slow" : "");
}

class NexmarkQueryTest : public ::testing::TestWithParam<QueryCase> {};

TEST_P(NexmarkQueryTest, MatchesReferenceLoop) {
  const auto c = GetParam();
  // Batch size 1 makes every row its own batch: use fewer events to keep the test quick.
  const int64_t events = c.batchSize == 1 ? kEvents / 4 : kEvents;
  auto expected = runLoop(c.query, events, c.slow);
  ASSERT_FALSE(expected.empty()) << "the reference produced no rows; the test would prove nothing";
  auto actual = runEngine(c.query, c.parallelism, c.batchSize, events, c.slow);
  ASSERT_EQ(actual.size(), expected.size());
  EXPECT_EQ(actual, expected);
}

std::vector<QueryCase> allCases() {
  std::vector<QueryCase> cases;
  for (int q : supportedQueries())
    for (int p : {1, 2, 4})
      for (size_t b : {size_t{1}, size_t{7}, size_t{4096}}) cases.push_back({q, p, b});
  for (int q : supportedQueries()) {
    cases.push_back({q, 1, 4096, true});
    cases.push_back({q, 4, 7, true});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllQueries, NexmarkQueryTest, ::testing::ValuesIn(allCases()), caseName);

}  // namespace
}  // namespace glint::nexmark
