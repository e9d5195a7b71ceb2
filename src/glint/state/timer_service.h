#pragma once
// Event-time and processing-time timers of one keyed operator instance, scoped by key and
// namespace like state. Registering the same (time, key, namespace) twice keeps one timer.
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "glint/state/keyed_state.h"

namespace glint {

struct Timer {
  int64_t time;
  std::string key;
  int keyGroup;
  StateNamespace ns;
};

// Orders timers by (time, namespace, key). Transparent, so that a timer can be looked up by a
// (time, key view, namespace) probe without building a Timer (and its string) first.
struct TimerProbe {
  int64_t time;
  std::string_view key;
  StateNamespace ns;
};
struct TimerOrder {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    if (a.time != b.time) return a.time < b.time;
    if (!(a.ns == b.ns)) return a.ns < b.ns;
    return std::string_view(a.key) < std::string_view(b.key);
  }
};

class TimerService {
 public:
  explicit TimerService(KeyedStateBackend* backend) : backend_(backend) {}

  // For the backend's current key, with the given namespace.
  void registerEventTimeTimer(StateNamespace ns, int64_t time) { insert(eventTimers_, ns, time); }
  void deleteEventTimeTimer(StateNamespace ns, int64_t time) { erase(eventTimers_, ns, time); }
  // Returns true when this timer is earlier than every other processing-time timer (the
  // operator then asks its task for a callback).
  bool registerProcessingTimeTimer(StateNamespace ns, int64_t time) {
    const bool earliest = processingTimers_.empty() || time < processingTimers_.begin()->time;
    insert(processingTimers_, ns, time);
    return earliest;
  }
  void deleteProcessingTimeTimer(StateNamespace ns, int64_t time) { erase(processingTimers_, ns, time); }

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
  using TimerSet = std::set<Timer, TimerOrder>;
  // Re-registering an existing timer is the common case (every element of a window does it),
  // so look first and only build a Timer when it is new.
  void insert(TimerSet& timers, StateNamespace ns, int64_t time) {
    TimerProbe probe{time, backend_->currentKey(), ns};
    auto it = timers.lower_bound(probe);
    if (it != timers.end() && !TimerOrder()(probe, *it)) return;
    timers.emplace_hint(it, Timer{time, backend_->currentKey(), backend_->currentKeyGroup(), ns});
  }
  void erase(TimerSet& timers, StateNamespace ns, int64_t time) {
    auto it = timers.find(TimerProbe{time, backend_->currentKey(), ns});
    if (it != timers.end()) timers.erase(it);
  }
  void fireUpTo(TimerSet& timers, int64_t limit, const std::function<void(const Timer&)>& fire) {
    while (!timers.empty() && timers.begin()->time <= limit) {
      Timer t = std::move(timers.extract(timers.begin()).value());
      backend_->setCurrentKey(t.key, t.keyGroup);
      backend_->setCurrentNamespace(t.ns);
      fire(t);
    }
  }
  KeyedStateBackend* backend_;
  TimerSet eventTimers_;
  TimerSet processingTimers_;
};

}  // namespace glint
