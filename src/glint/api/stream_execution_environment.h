#pragma once
// The entry point of the C++ DataStream API, shaped like Flink's StreamExecutionEnvironment:
//
//   StreamExecutionEnvironment env;
//   env.setParallelism(2);
//   auto bids = env.fromSource("bids", bidSchema, factory, strategy);
//   bids.filter([](RowRef r) { return r.getLong(0) % 123 == 0; }).print();
//   env.execute("my job");
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "glint/api/watermark_strategy.h"
#include "glint/runtime/job_graph.h"
#include "glint/runtime/job_runner.h"

namespace glint {

class DataStream;

class StreamExecutionEnvironment {
 public:
  explicit StreamExecutionEnvironment(JobConfig config = {}) : config_(std::move(config)) {}

  JobConfig& config() { return config_; }
  StreamExecutionEnvironment& setParallelism(int p) {
    config_.parallelism = p;
    return *this;
  }
  StreamExecutionEnvironment& setBufferTimeout(int64_t millis) {
    config_.bufferTimeoutMillis = millis;
    return *this;
  }
  int parallelism() const { return config_.parallelism; }

  // A source operator made per subtask by `factory`; with a watermark strategy, timestamps are
  // assigned and watermarks generated right after the source (in the same task).
  DataStream fromSource(const std::string& name, SchemaPtr schema, OperatorFactory factory);
  DataStream fromSource(const std::string& name, SchemaPtr schema, OperatorFactory factory,
                        const WatermarkStrategy& strategy);
  // A bounded source over in-memory batches (batch i goes to subtask i % parallelism).
  DataStream fromBatches(SchemaPtr schema, std::vector<Batch> batches,
                         const std::string& name = "Collection");

  // Runs the job to the end on the embedded runtime.
  Status execute(const std::string& jobName = "glint job");
  // Starts the job and returns a handle to watch or cancel it.
  Result<std::unique_ptr<JobHandle>> executeAsync(const std::string& jobName = "glint job");

  StreamGraph& graph() { return graph_; }
  std::string describe() const { return graph_.describe(); }

 private:
  JobConfig config_;
  StreamGraph graph_;
};

}  // namespace glint
