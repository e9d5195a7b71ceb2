#pragma once
// The checkpoint coordinator of one job (Flink's CheckpointCoordinator, in-process): it
// triggers checkpoints periodically, collects every task's acknowledgement, writes the
// metadata last, tells the tasks when a checkpoint is complete (so that sinks commit), and
// enforces timeout, minimum pause, maximum concurrency, tolerable failures and retention.
//
// Triggering works as in Flink with finished tasks (FLIP-147): running sources inject the
// barrier; a task whose inputs have all ended snapshots its final state when it sees the
// trigger; a running task gets barriers through its channels, where an ended channel counts as
// aligned. A task that finished its input waits for one checkpoint taken after that to
// complete before it exits, so the sinks' last transactions are committed exactly once.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "glint/network/stream_element.h"
#include "glint/runtime/checkpoint/checkpoint_options.h"
#include "glint/runtime/checkpoint/checkpoint_storage.h"

namespace glint {

struct CheckpointStats {
  int64_t completed = 0;
  int64_t failed = 0;
  int64_t lastCompletedId = 0;
  int64_t lastDurationMillis = 0;
  uint64_t lastBytesWritten = 0;
  uint64_t lastStateSize = 0;
};

class CheckpointCoordinator {
 public:
  struct Hooks {
    // Offers the barrier to every task (they decide whether to act on it, see above).
    std::function<void(const CheckpointBarrier&)> trigger;
    std::function<void(int64_t)> notifyComplete;
    std::function<void(int64_t)> notifyAborted;
    std::function<void(const std::string&)> failJob;
  };

  CheckpointCoordinator(CheckpointOptions options, int numTasks, int maxParallelism, Hooks hooks);
  ~CheckpointCoordinator();

  // Prepares the storage (ids continue after any checkpoint already in the directory).
  Status start();
  void stop();

  // ---- from tasks (any thread)
  // Where the snapshot of checkpoint `id` goes; empty if the checkpoint is no longer pending.
  std::optional<std::filesystem::path> directoryOf(int64_t id);
  const std::filesystem::path& root() const { return storage_.root(); }
  void acknowledge(int64_t id, int taskIndex, std::vector<StateFileEntry> entries);
  // A task exited (it finished and a checkpoint after that completed): later checkpoints do
  // not wait for it, and hold no state of it (a finished task's operators restore as done).
  void taskExited(int taskIndex);
  void decline(int64_t id, const std::string& reason);
  // A task finished its input. When all have, a final checkpoint is triggered at once.
  void taskFinishedInput();

  // Takes a savepoint into a new directory under `targetDir` and returns its path. With
  // `stopJob`, sources stop after the barrier and the caller cancels the job afterwards.
  Result<std::string> triggerSavepoint(const std::filesystem::path& targetDir, bool stopJob,
                                       int64_t timeoutMillis);
  // Triggers a checkpoint now (tests, `glint` commands); returns its id.
  int64_t triggerCheckpointNow();
  // Waits until checkpoint `id` completed (true) or failed/timed out (false).
  bool waitForCheckpoint(int64_t id, int64_t timeoutMillis);
  // Why checkpoint `id` failed ("" if it completed or is unknown).
  std::string failureOf(int64_t id);

  CheckpointStats stats();
  const CheckpointOptions& options() const { return options_; }

 private:
  struct Pending {
    CheckpointBarrier barrier;
    std::filesystem::path directory;
    int64_t startMillis = 0;
    std::vector<bool> acked;
    std::vector<StateFileEntry> entries;
    bool final = false;
  };
  void run();
  // With mu_ held.
  int64_t triggerLocked(bool savepoint, bool stopJob, const std::filesystem::path& savepointDir,
                        std::vector<CheckpointBarrier>* toTrigger);
  void completeLocked(int64_t id, std::vector<int64_t>* completed);
  void failLocked(int64_t id, const std::string& reason, std::vector<int64_t>* aborted,
                  std::string* jobFailure);
  void dispatch(const std::vector<CheckpointBarrier>& triggers, const std::vector<int64_t>& completed,
                const std::vector<int64_t>& aborted, const std::string& jobFailure);

  CheckpointOptions options_;
  CheckpointStorage storage_;
  const int numTasks_;
  const int maxParallelism_;
  Hooks hooks_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, Pending> pending_;
  std::map<int64_t, std::string> finishedOutcomes_;  // id -> "" (completed) or failure reason
  int64_t nextId_ = 1;
  int64_t firstOwnedId_ = 1;  // checkpoints before it are from earlier runs: never deleted
  int64_t lastCompletionMillis_ = 0;
  int64_t lastTriggerMillis_ = 0;
  int consecutiveFailures_ = 0;
  int finishedInputTasks_ = 0;
  std::vector<bool> exited_;
  // With mu_ held: writes the metadata if every task acknowledged or exited.
  void maybeCompleteLocked(int64_t id, std::vector<int64_t>* completed,
                           std::vector<int64_t>* aborted, std::string* jobFailure);
  bool finalTriggered_ = false;
  bool stopping_ = false;
  CheckpointStats stats_;
  std::thread thread_;
};

}  // namespace glint
