#pragma once
// The embedded runtime: turns a StreamGraph into chained, parallel tasks connected by
// channels, and runs them on a TaskExecutor in this process.
//
// With checkpointing on (execution.checkpointing.interval), a CheckpointCoordinator takes
// checkpoints while the job runs; when a task fails, the restart strategy decides whether the
// job runs again, in a new attempt restored from the latest completed checkpoint.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "glint/runtime/checkpoint/checkpoint_coordinator.h"
#include "glint/runtime/checkpoint/checkpoint_io.h"
#include "glint/runtime/checkpoint/state_assignment.h"
#include "glint/runtime/executor.h"
#include "glint/runtime/job_graph.h"
#include "glint/runtime/stream_task.h"

namespace glint {

class JobHandle {
 public:
  // Validates the graph and the options, restores state if execution.savepoint.path is set,
  // builds the tasks and starts running them.
  static Result<std::unique_ptr<JobHandle>> start(const StreamGraph& graph,
                                                  const JobConfig& config);
  ~JobHandle();

  // Waits until the job finished, failed for good, or was cancelled; returns the failure, if
  // any. A job stopped with a savepoint returns OK.
  Status wait();
  // Waits at most `millis`; true when the job is done.
  bool waitFor(int64_t millis);
  void cancel();
  bool isDone();
  JobMetrics& metrics() { return metrics_; }
  // Chains and channels as built, for `explain`-style output and tests.
  const std::string& physicalPlan() const { return physicalPlan_; }
  int numTasks() const { return numTasks_; }

  // ---- checkpoints and savepoints (need checkpointing to be configured)
  // Takes a savepoint under `targetDir`; returns its directory. With `stop`, the job stops
  // after it (sources emit nothing after the barrier; the sinks commit up to it).
  Result<std::string> triggerSavepoint(const std::string& targetDir, bool stop = false,
                                       int64_t timeoutMillis = 10 * 60 * 1000);
  // Takes a checkpoint now and waits for it; returns its id.
  Result<int64_t> triggerCheckpoint(int64_t timeoutMillis = 10 * 60 * 1000);
  CheckpointStats checkpointStats();
  // Number of restarts after failures so far, and the failure that caused the latest one.
  int restarts();
  std::string lastRestartCause();
  // One line per task of the current attempt (debugging a job that does not finish).
  std::string describeTasks();
  // The checkpoint the latest attempt was restored from (0: none), also after the job ended.
  int64_t restoredCheckpointId();

 private:
  JobHandle() = default;
  struct Attempt;
  Result<std::unique_ptr<Attempt>> buildAttempt(const StateAssignment* restore);
  void supervise();
  void onTaskFinished(Attempt* attempt);
  void onTaskFailed(Attempt* attempt, const std::string& message);
  void cancelAttempt(Attempt* attempt);
  Result<std::unique_ptr<StateAssignment>> loadRestoreState(const std::string& path);

  StreamGraph graph_;
  JobConfig config_;
  CheckpointOptions checkpointOptions_;
  std::unique_ptr<RestartStrategy> restartStrategy_;
  JobMetrics metrics_;
  std::string physicalPlan_;
  int numTasks_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<Attempt> attempt_;
  std::thread supervisor_;
  bool finished_ = false;
  bool cancelled_ = false;
  bool stoppedWithSavepoint_ = false;
  int restarts_ = 0;
  int64_t lastRestoredFrom_ = 0;
  std::string lastRestartCause_;
  std::string failure_;
  CheckpointStats pastStats_;  // of earlier attempts
};

// Runs a job to completion.
Status executeJob(const StreamGraph& graph, const JobConfig& config);

}  // namespace glint
