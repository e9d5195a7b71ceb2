#include "glint/runtime/checkpoint/checkpoint_coordinator.h"

#include <random>

#include "glint/runtime/executor.h"

namespace glint {

namespace fs = std::filesystem;

namespace {
// Intervals and timeouts use the monotonic clock: a wall-clock step (NTP, a suspended VM) must
// neither expire checkpoints nor stall triggering.
int64_t steadyMillis() { return monotonicNanos() / 1'000'000; }
}  // namespace

CheckpointCoordinator::CheckpointCoordinator(CheckpointOptions options, int numTasks,
                                             int maxParallelism, Hooks hooks)
    : options_(std::move(options)),
      storage_(options_.directory),
      numTasks_(numTasks),
      maxParallelism_(maxParallelism),
      hooks_(std::move(hooks)),
      exited_(static_cast<size_t>(numTasks), false) {}

CheckpointCoordinator::~CheckpointCoordinator() { stop(); }

Status CheckpointCoordinator::start() {
  GLINT_RETURN_IF_ERROR(storage_.init());
  // A previous run (or attempt) may have left incomplete checkpoints; ids never repeat, so
  // files of an abandoned checkpoint can never be mistaken for a new one's.
  storage_.removeIncomplete();
  nextId_ = storage_.highestCheckpointId() + 1;
  firstOwnedId_ = nextId_;
  lastCompletionMillis_ = lastTriggerMillis_ = steadyMillis();
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void CheckpointCoordinator::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, p] : pending_) finishedOutcomes_[id] = "the job stopped";
    pending_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t CheckpointCoordinator::triggerLocked(bool savepoint, bool stopJob,
                                             const fs::path& savepointDir,
                                             std::vector<CheckpointBarrier>* toTrigger) {
  const int64_t id = nextId_++;
  Pending p;
  p.acked.assign(static_cast<size_t>(numTasks_), false);
  p.barrier.checkpointId = id;
  p.barrier.timestampMillis = wallClockMillis();
  p.barrier.savepoint = savepoint;
  p.barrier.stop = stopJob;
  // Savepoints are always aligned (their state must not depend on in-flight data).
  p.barrier.unaligned = options_.unaligned && !savepoint;
  p.startMillis = steadyMillis();
  if (savepoint) {
    std::mt19937_64 rng(static_cast<uint64_t>(p.startMillis) ^ reinterpret_cast<uintptr_t>(this));
    char hex[9];
    std::snprintf(hex, sizeof(hex), "%08x", static_cast<unsigned>(rng()));
    p.directory = savepointDir / ("savepoint-" + std::to_string(id) + "-" + hex);
  } else {
    p.directory = storage_.checkpointDir(id);
  }
  std::error_code ec;
  fs::create_directories(p.directory, ec);
  lastTriggerMillis_ = p.startMillis;
  toTrigger->push_back(p.barrier);
  pending_.emplace(id, std::move(p));
  return id;
}

void CheckpointCoordinator::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const int64_t now = steadyMillis();
    std::vector<CheckpointBarrier> triggers;
    std::vector<int64_t> completed, aborted;
    std::string jobFailure;
    // Timeouts.
    std::vector<int64_t> expired;
    for (auto& [id, p] : pending_)
      if (now - p.startMillis >= options_.timeoutMillis) expired.push_back(id);
    for (int64_t id : expired)
      failLocked(id, "checkpoint " + std::to_string(id) + " expired before completing (" +
                         "execution.checkpointing.timeout " + std::to_string(options_.timeoutMillis) + " ms)",
                 &aborted, &jobFailure);
    // Periodic trigger.
    int64_t wait = options_.intervalMillis;
    if (!finalTriggered_ && options_.enabled()) {
      const int64_t dueAt = std::max(lastTriggerMillis_ + options_.intervalMillis,
                                     lastCompletionMillis_ + options_.minPauseMillis);
      if (static_cast<int>(pending_.size()) < options_.maxConcurrent && now >= dueAt)
        triggerLocked(false, false, {}, &triggers);
      else
        wait = std::max<int64_t>(1, dueAt - now);
    }
    wait = std::min<int64_t>(wait, 50);  // also the granularity of timeouts
    if (!triggers.empty() || !completed.empty() || !aborted.empty() || !jobFailure.empty()) {
      lock.unlock();
      dispatch(triggers, completed, aborted, jobFailure);
      lock.lock();
      continue;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(wait));
  }
}

void CheckpointCoordinator::dispatch(const std::vector<CheckpointBarrier>& triggers,
                                     const std::vector<int64_t>& completed,
                                     const std::vector<int64_t>& aborted,
                                     const std::string& jobFailure) {
  for (int64_t id : aborted) hooks_.notifyAborted(id);
  for (int64_t id : completed) hooks_.notifyComplete(id);
  if (!completed.empty()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int64_t id : completed) finishedOutcomes_[id] = "";
    }
    cv_.notify_all();
  }
  for (const auto& b : triggers) hooks_.trigger(b);
  if (!jobFailure.empty()) hooks_.failJob(jobFailure);
}

std::optional<fs::path> CheckpointCoordinator::directoryOf(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  return it->second.directory;
}

void CheckpointCoordinator::acknowledge(int64_t id, int taskIndex, std::vector<StateFileEntry> entries) {
  std::vector<int64_t> completed, aborted;
  std::string jobFailure;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(id);
    if (it == pending_.end()) return;  // aborted or subsumed meanwhile
    Pending& p = it->second;
    if (p.acked[static_cast<size_t>(taskIndex)]) return;
    p.acked[static_cast<size_t>(taskIndex)] = true;
    for (auto& e : entries) p.entries.push_back(std::move(e));
    maybeCompleteLocked(id, &completed, &aborted, &jobFailure);
  }
  cv_.notify_all();
  dispatch({}, completed, aborted, jobFailure);
}

void CheckpointCoordinator::taskExited(int taskIndex) {
  std::vector<int64_t> completed, aborted;
  std::string jobFailure;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exited_[static_cast<size_t>(taskIndex)] = true;
    std::vector<int64_t> ids;
    for (const auto& [id, p] : pending_) ids.push_back(id);
    for (int64_t id : ids) maybeCompleteLocked(id, &completed, &aborted, &jobFailure);
  }
  cv_.notify_all();
  dispatch({}, completed, aborted, jobFailure);
}

void CheckpointCoordinator::maybeCompleteLocked(int64_t id, std::vector<int64_t>* completed,
                                                std::vector<int64_t>* aborted, std::string* jobFailure) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  for (int t = 0; t < numTasks_; ++t)
    if (!p.acked[static_cast<size_t>(t)] && !exited_[static_cast<size_t>(t)]) return;
  CheckpointMetadata m;
  m.checkpointId = id;
  m.timestampMillis = p.barrier.timestampMillis;
  m.savepoint = p.barrier.savepoint;
  m.unaligned = p.barrier.unaligned;
  m.maxParallelism = maxParallelism_;
  m.entries = std::move(p.entries);
  Status st = checkpoint_files::writeMetadata(p.directory, m);
  if (!st.isOk()) {
    failLocked(id, st.message(), aborted, jobFailure);
    return;
  }
  stats_.lastBytesWritten = m.bytesWritten();
  uint64_t size = 0;
  for (const auto& e : m.entries) size += e.size;
  stats_.lastStateSize = size;
  completeLocked(id, completed);
}

void CheckpointCoordinator::completeLocked(int64_t id, std::vector<int64_t>* completed) {
  Pending& p = pending_.at(id);
  const int64_t now = steadyMillis();
  stats_.completed++;
  stats_.lastCompletedId = id;
  stats_.lastDurationMillis = now - p.startMillis;
  const bool savepoint = p.barrier.savepoint;
  pending_.erase(id);
  // The outcome is published by dispatch(), after the tasks were notified, so that whoever
  // waits for this checkpoint (a stop-with-savepoint) knows the commits are queued.
  lastCompletionMillis_ = now;
  consecutiveFailures_ = 0;
  // A completed checkpoint subsumes older pending ones (their tasks may already be past them).
  std::vector<int64_t> older;
  for (auto& [pid, pp] : pending_)
    if (pid < id && !pp.barrier.savepoint) older.push_back(pid);
  for (int64_t pid : older) {
    finishedOutcomes_[pid] = "subsumed by checkpoint " + std::to_string(id);
    pending_.erase(pid);
    storage_.removeCheckpoint(pid);
  }
  if (!savepoint) storage_.retain(options_.numRetained, firstOwnedId_);
  completed->push_back(id);
}

void CheckpointCoordinator::failLocked(int64_t id, const std::string& reason,
                                       std::vector<int64_t>* aborted, std::string* jobFailure) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  const bool savepoint = it->second.barrier.savepoint;
  const fs::path dir = it->second.directory;
  pending_.erase(it);
  finishedOutcomes_[id] = reason;
  stats_.failed++;
  std::error_code ec;
  fs::remove_all(dir, ec);
  aborted->push_back(id);
  // Savepoint failures are reported to whoever asked; they do not count against the job.
  if (!savepoint && ++consecutiveFailures_ > options_.tolerableFailures)
    *jobFailure = "checkpoint " + std::to_string(id) + " failed (" + reason +
                  ") and execution.checkpointing.tolerable-failed-checkpoints is " +
                  std::to_string(options_.tolerableFailures);
}

void CheckpointCoordinator::decline(int64_t id, const std::string& reason) {
  std::vector<int64_t> aborted;
  std::string jobFailure;
  {
    std::lock_guard<std::mutex> lock(mu_);
    failLocked(id, reason, &aborted, &jobFailure);
  }
  cv_.notify_all();
  dispatch({}, {}, aborted, jobFailure);
}

void CheckpointCoordinator::taskFinishedInput() {
  std::vector<CheckpointBarrier> triggers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (++finishedInputTasks_ < numTasks_ || finalTriggered_ || stopping_) return;
    finalTriggered_ = true;
    triggerLocked(false, false, {}, &triggers);
  }
  dispatch(triggers, {}, {}, "");
}

int64_t CheckpointCoordinator::triggerCheckpointNow() {
  std::vector<CheckpointBarrier> triggers;
  int64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = triggerLocked(false, false, {}, &triggers);
  }
  dispatch(triggers, {}, {}, "");
  return id;
}

bool CheckpointCoordinator::waitForCheckpoint(int64_t id, int64_t timeoutMillis) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeoutMillis),
               [&] { return finishedOutcomes_.count(id) > 0; });
  auto it = finishedOutcomes_.find(id);
  return it != finishedOutcomes_.end() && it->second.empty();
}

std::string CheckpointCoordinator::failureOf(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = finishedOutcomes_.find(id);
  return it == finishedOutcomes_.end() ? "" : it->second;
}

Result<std::string> CheckpointCoordinator::triggerSavepoint(const fs::path& targetDir, bool stopJob,
                                                            int64_t timeoutMillis) {
  std::vector<CheckpointBarrier> triggers;
  int64_t id;
  fs::path dir;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::invalidArgument("the job is not running");
    std::error_code ec;
    fs::create_directories(targetDir, ec);
    if (ec)
      return Status::ioError("cannot create savepoint directory '" + targetDir.string() + "': " +
                             ec.message());
    id = triggerLocked(true, stopJob, targetDir, &triggers);
    dir = pending_.at(id).directory;
  }
  dispatch(triggers, {}, {}, "");
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeoutMillis),
               [&] { return finishedOutcomes_.count(id) > 0; });
  auto it = finishedOutcomes_.find(id);
  if (it == finishedOutcomes_.end()) {
    std::vector<int64_t> aborted;
    std::string ignored;
    failLocked(id, "timed out", &aborted, &ignored);
    lock.unlock();
    dispatch({}, {}, aborted, "");
    return Status::ioError("savepoint " + std::to_string(id) + " did not complete within " +
                           std::to_string(timeoutMillis) + " ms");
  }
  if (!it->second.empty()) return Status::ioError("savepoint failed: " + it->second);
  return dir.string();
}

CheckpointStats CheckpointCoordinator::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace glint
