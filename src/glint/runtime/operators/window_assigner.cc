#include "glint/runtime/operators/window_assigner.h"

#include "glint/common/status.h"

namespace glint {

std::string TimeWindow::toString() const {
  return "TimeWindow{start=" + std::to_string(start) + ", end=" + std::to_string(end) + "}";
}

WindowAssigner WindowAssigner::tumbling(int64_t size, int64_t offset, TimeDomain domain) {
  if (size <= 0) throw GlintError("tumbling window size must be positive, got " + std::to_string(size));
  if (offset <= -size || offset >= size)
    throw GlintError("tumbling window offset must satisfy |offset| < size, got offset " + std::to_string(offset) +
                     " for size " + std::to_string(size));
  return WindowAssigner(Kind::kTumbling, size, size, offset, domain);
}

WindowAssigner WindowAssigner::sliding(int64_t size, int64_t slide, int64_t offset, TimeDomain domain) {
  if (size <= 0 || slide <= 0)
    throw GlintError("sliding window size and slide must be positive, got size " + std::to_string(size) +
                     " and slide " + std::to_string(slide));
  if (offset <= -slide || offset >= slide)
    throw GlintError("sliding window offset must satisfy |offset| < slide, got offset " + std::to_string(offset) +
                     " for slide " + std::to_string(slide));
  return WindowAssigner(Kind::kSliding, size, slide, offset, domain);
}

WindowAssigner WindowAssigner::session(int64_t gap, TimeDomain domain) {
  if (gap <= 0) throw GlintError("session window gap must be positive, got " + std::to_string(gap));
  return WindowAssigner(Kind::kSession, gap, 0, 0, domain);
}

std::string WindowAssigner::toString() const {
  const char* d = isEventTime() ? "event time" : "processing time";
  switch (kind_) {
    case Kind::kTumbling:
      return "tumbling(" + std::to_string(size_) + " ms, offset " + std::to_string(offset_) + ", " + d + ")";
    case Kind::kSliding:
      return "sliding(" + std::to_string(size_) + " ms every " + std::to_string(slide_) + " ms, offset " +
             std::to_string(offset_) + ", " + d + ")";
    case Kind::kSession: return "session(gap " + std::to_string(size_) + " ms, " + d + ")";
  }
  return "?";
}

}  // namespace glint
