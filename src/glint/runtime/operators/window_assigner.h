#pragma once
// Time windows and the assigners that map a timestamp to the windows containing it, as in
// Flink's TimeWindow, TumblingEventTimeWindows, SlidingEventTimeWindows and
// EventTimeSessionWindows (and their processing-time variants).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "glint/state/keyed_state.h"

namespace glint {

enum class TimeDomain { kEventTime, kProcessingTime };

// The half-open interval [start, end) of event (or processing) time milliseconds.
struct TimeWindow {
  int64_t start = 0;
  int64_t end = 0;

  // The largest timestamp that still belongs to the window.
  int64_t maxTimestamp() const { return end - 1; }
  // Flink's TimeWindow.intersects: windows that touch ([0,5) and [5,10)) intersect too, so
  // adjacent sessions merge.
  bool intersects(const TimeWindow& o) const { return start <= o.end && end >= o.start; }
  TimeWindow cover(const TimeWindow& o) const { return {std::min(start, o.start), std::max(end, o.end)}; }
  bool operator==(const TimeWindow& o) const = default;
  bool operator<(const TimeWindow& o) const { return start != o.start ? start < o.start : end < o.end; }

  // Windows are the namespace of window state and timers.
  StateNamespace ns() const { return StateNamespace{start, end}; }
  static TimeWindow fromNamespace(StateNamespace ns) { return TimeWindow{ns.first, ns.second}; }
  std::string toString() const;
};

// Flink's TimeWindow.getWindowStartWithOffset: the start of the window of length `size`
// (aligned to the epoch plus `offset`) that contains `timestamp`; correct for negative
// timestamps (-1 is in [-size, 0)).
inline int64_t windowStartWithOffset(int64_t timestamp, int64_t offset, int64_t size) {
  const int64_t remainder = (timestamp - offset) % size;
  return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
}

// a + b, saturated to [INT64_MIN, INT64_MAX].
inline int64_t saturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

// Which windows a row belongs to. A small value type; copy it freely.
class WindowAssigner {
 public:
  enum class Kind { kTumbling, kSliding, kSession };

  // Windows [k*size + offset, (k+1)*size + offset). Requires size > 0 and |offset| < size.
  static WindowAssigner tumbling(int64_t size, int64_t offset = 0, TimeDomain domain = TimeDomain::kEventTime);
  // Windows of length `size` starting every `slide` ms (at k*slide + offset); a timestamp
  // belongs to ceil(size/slide) of them. Requires size > 0, slide > 0 and |offset| < slide.
  static WindowAssigner sliding(int64_t size, int64_t slide, int64_t offset = 0,
                                TimeDomain domain = TimeDomain::kEventTime);
  // [t, t + gap) per row; overlapping (or touching) windows of one key merge. Requires gap > 0.
  static WindowAssigner session(int64_t gap, TimeDomain domain = TimeDomain::kEventTime);

  // Replaces the contents of `out` with the windows that contain `timestamp`. Sliding windows
  // come latest first, as in Flink.
  void assignWindows(int64_t timestamp, std::vector<TimeWindow>& out) const {
    out.clear();
    switch (kind_) {
      case Kind::kTumbling: {
        const int64_t start = windowStartWithOffset(timestamp, offset_, size_);
        out.push_back(TimeWindow{start, start + size_});
        break;
      }
      case Kind::kSliding: {
        const int64_t lastStart = windowStartWithOffset(timestamp, offset_, slide_);
        for (int64_t start = lastStart; start > timestamp - size_; start -= slide_)
          out.push_back(TimeWindow{start, start + size_});
        break;
      }
      case Kind::kSession: out.push_back(TimeWindow{timestamp, saturatingAdd(timestamp, size_)}); break;
    }
  }

  Kind kind() const { return kind_; }
  TimeDomain domain() const { return domain_; }
  bool isEventTime() const { return domain_ == TimeDomain::kEventTime; }
  bool isMerging() const { return kind_ == Kind::kSession; }
  // Window length (tumbling, sliding) or the session gap.
  int64_t size() const { return size_; }
  // Distance between window starts: size for tumbling, slide for sliding, 0 for sessions.
  int64_t slide() const { return slide_; }
  int64_t offset() const { return offset_; }
  int64_t gap() const { return size_; }
  std::string toString() const;

 private:
  WindowAssigner(Kind kind, int64_t size, int64_t slide, int64_t offset, TimeDomain domain)
      : kind_(kind), domain_(domain), size_(size), slide_(slide), offset_(offset) {}
  Kind kind_;
  TimeDomain domain_;
  int64_t size_;
  int64_t slide_;
  int64_t offset_;
};

}  // namespace glint
