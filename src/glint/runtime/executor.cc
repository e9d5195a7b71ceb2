#include "glint/runtime/executor.h"

#include <chrono>

namespace glint {

int64_t monotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t wallClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Schedulable::wake() {
  int s = state_.load(std::memory_order_acquire);
  while (true) {
    if (s == kIdle) {
      if (state_.compare_exchange_weak(s, kQueued, std::memory_order_acq_rel)) {
        executor_->enqueue(this);
        return;
      }
    } else if (s == kRunning) {
      if (state_.compare_exchange_weak(s, kRunningWoken, std::memory_order_acq_rel)) return;
    } else {
      return;  // already queued, already woken, or done
    }
  }
}

TaskExecutor::TaskExecutor(int threads) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

TaskExecutor::~TaskExecutor() {
  shutdown();
}

void TaskExecutor::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

void TaskExecutor::enqueue(Schedulable* task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    runQueue_.push_back(task);
  }
  cv_.notify_one();
}

void TaskExecutor::wakeAt(Schedulable* task, int64_t deadlineNanos) {
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(mu_);
    earliest = deadlines_.empty() || deadlineNanos < deadlines_.top().at;
    deadlines_.push({deadlineNanos, task});
  }
  if (earliest) cv_.notify_one();
}

void TaskExecutor::runOne(Schedulable* task) {
  task->state_.store(Schedulable::kRunning, std::memory_order_release);
  const bool more = task->runQuantum();
  if (task->done_) {
    task->state_.store(Schedulable::kDone, std::memory_order_release);
    return;
  }
  int expected = Schedulable::kRunning;
  if (!more &&
      task->state_.compare_exchange_strong(expected, Schedulable::kIdle, std::memory_order_acq_rel))
    return;
  // Woken while running, or more work ready: queue it again behind the others.
  task->state_.store(Schedulable::kQueued, std::memory_order_release);
  enqueue(task);
}

void TaskExecutor::workerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  std::vector<Schedulable*> due;
  while (true) {
    const int64_t now = monotonicNanos();
    while (!deadlines_.empty() && deadlines_.top().at <= now) {
      due.push_back(deadlines_.top().task);
      deadlines_.pop();
    }
    if (!due.empty()) {
      lock.unlock();
      for (auto* t : due) t->wake();
      due.clear();
      lock.lock();
      continue;
    }
    if (!runQueue_.empty()) {
      Schedulable* task = runQueue_.front();
      runQueue_.pop_front();
      lock.unlock();
      runOne(task);
      lock.lock();
      continue;
    }
    if (stopping_) return;
    if (deadlines_.empty())
      cv_.wait(lock);
    else
      cv_.wait_for(lock, std::chrono::nanoseconds(deadlines_.top().at - now));
  }
}

}  // namespace glint
