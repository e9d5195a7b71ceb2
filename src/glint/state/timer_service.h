#pragma once
// Event-time and processing-time timers of one keyed operator instance, scoped by key and
// namespace like state. Registering the same (time, key, namespace) twice keeps one timer.
#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "glint/state/keyed_state.h"

namespace glint {

struct Timer {
  int64_t time;
  std::string key;
  int keyGroup;
  StateNamespace ns;
  bool operator<(const Timer& o) const {
    if (time != o.time) return time < o.time;
    if (ns.first != o.ns.first || ns.second != o.ns.second) return ns < o.ns;
    return key < o.key;
  }
};

class TimerService {
 public:
  explicit TimerService(KeyedStateBackend* backend) : backend_(backend) {}

  // For the backend's current key, with the given namespace.
  void registerEventTimeTimer(StateNamespace ns, int64_t time) { eventTimers_.insert(makeTimer(ns, time)); }
  void deleteEventTimeTimer(StateNamespace ns, int64_t time) { eventTimers_.erase(makeTimer(ns, time)); }
  // Returns true when this timer is earlier than every other processing-time timer (the
  // operator then asks its task for a callback).
  bool registerProcessingTimeTimer(StateNamespace ns, int64_t time) {
    const bool earliest = processingTimers_.empty() || time < processingTimers_.begin()->time;
    processingTimers_.insert(makeTimer(ns, time));
    return earliest;
  }
  void deleteProcessingTimeTimer(StateNamespace ns, int64_t time) { processingTimers_.erase(makeTimer(ns, time)); }

  // Fires, in time order, every event-time timer at or before `watermark`; the backend's
  // current key and namespace are set to the timer's before `fire` is called.
  void advanceWatermark(int64_t watermark, const std::function<void(const Timer&)>& fire) {
    fireUpTo(eventTimers_, watermark, fire);
  }
  void advanceProcessingTime(int64_t now, const std::function<void(const Timer&)>& fire) {
    fireUpTo(processingTimers_, now, fire);
  }
  int64_t nextProcessingTime() const { return processingTimers_.empty() ? INT64_MAX : processingTimers_.begin()->time; }
  size_t numEventTimers() const { return eventTimers_.size(); }
  size_t numProcessingTimers() const { return processingTimers_.size(); }

 private:
  Timer makeTimer(StateNamespace ns, int64_t time) const {
    return Timer{time, backend_->currentKey(), backend_->currentKeyGroup(), ns};
  }
  void fireUpTo(std::set<Timer>& timers, int64_t limit, const std::function<void(const Timer&)>& fire) {
    while (!timers.empty() && timers.begin()->time <= limit) {
      Timer t = std::move(timers.extract(timers.begin()).value());
      backend_->setCurrentKey(t.key, t.keyGroup);
      backend_->setCurrentNamespace(t.ns);
      fire(t);
    }
  }
  KeyedStateBackend* backend_;
  std::set<Timer> eventTimers_;
  std::set<Timer> processingTimers_;
};

}  // namespace glint
