#pragma once
// The embedded runtime: turns a StreamGraph into chained, parallel tasks connected by
// channels, and runs them on a TaskExecutor in this process.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "glint/runtime/executor.h"
#include "glint/runtime/job_graph.h"
#include "glint/runtime/stream_task.h"

namespace glint {

class JobHandle {
 public:
  // Validates the graph, builds the tasks and starts running them.
  static Result<std::unique_ptr<JobHandle>> start(const StreamGraph& graph,
                                                  const JobConfig& config);
  ~JobHandle();

  // Waits until every task finished; returns the first failure, if any.
  Status wait();
  // Waits at most `millis`; true when the job is done.
  bool waitFor(int64_t millis);
  void cancel();
  bool isDone();
  JobMetrics& metrics() { return metrics_; }
  // Chains and channels as built, for `explain`-style output and tests.
  const std::string& physicalPlan() const { return physicalPlan_; }
  int numTasks() const { return static_cast<int>(tasks_.size()); }

 private:
  JobHandle() = default;
  Status build(const StreamGraph& graph, const JobConfig& config);
  void onTaskFinished();
  void onTaskFailed(const std::string& message);

  JobConfig config_;
  JobMetrics metrics_;
  std::vector<std::unique_ptr<StreamTask>> tasks_;
  std::unique_ptr<TaskExecutor> executor_;
  std::string physicalPlan_;
  std::mutex mu_;
  std::condition_variable done_;
  int running_ = 0;
  std::string failure_;
};

// Runs a job to completion.
Status executeJob(const StreamGraph& graph, const JobConfig& config);

}  // namespace glint
