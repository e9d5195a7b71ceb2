#pragma once
// A small pool of worker threads that runs tasks cooperatively (docs/architecture.md, rule 2):
// a task runs a bounded quantum and returns; it is run again when it is woken (input arrived,
// output credit returned) or when a deadline it asked for passes (buffer timeout, timers).
// A task is run by at most one thread at a time, so operators need no locks.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace glint {

class TaskExecutor;

int64_t monotonicNanos();
int64_t wallClockMillis();

// Something the executor can run. Implementations override runQuantum().
class Schedulable {
 public:
  virtual ~Schedulable() = default;
  // Runs for a bounded time. Returns true if there is more work ready right now (the task is
  // queued again, behind the others), false if it waits for a wake-up.
  virtual bool runQuantum() = 0;
  // Idempotent and cheap; may be called from any thread.
  void wake();
  bool isDone() const { return state_.load(std::memory_order_acquire) == kDone; }

 protected:
  // Marks the task done: it is never run again.
  void markDone() { done_ = true; }
  TaskExecutor* executor_ = nullptr;

 private:
  friend class TaskExecutor;
  enum : int { kIdle = 0, kQueued = 1, kRunning = 2, kRunningWoken = 3, kDone = 4 };
  std::atomic<int> state_{kIdle};
  bool done_ = false;
};

class TaskExecutor {
 public:
  explicit TaskExecutor(int threads);
  ~TaskExecutor();
  TaskExecutor(const TaskExecutor&) = delete;
  TaskExecutor& operator=(const TaskExecutor&) = delete;

  void attach(Schedulable* task) { task->executor_ = this; }
  // Wakes `task` at or after `deadlineNanos` (monotonicNanos clock).
  void wakeAt(Schedulable* task, int64_t deadlineNanos);
  void shutdown();
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  friend class Schedulable;
  void enqueue(Schedulable* task);
  void workerLoop();
  void runOne(Schedulable* task);

  struct Deadline {
    int64_t at;
    Schedulable* task;
    bool operator>(const Deadline& o) const { return at > o.at; }
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Schedulable*> runQueue_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace glint
