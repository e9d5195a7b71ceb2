#pragma once
#include <cstdint>
#include <string>

namespace glint {

// How a stream gets event time: which column holds each row's timestamp and how watermarks
// follow it (Flink's WatermarkStrategy).
struct WatermarkStrategy {
  std::string timestampColumn;          // a BIGINT or TIMESTAMP column (milliseconds)
  int64_t maxOutOfOrdernessMillis = 0;  // watermark = max timestamp seen - this - 1
  int64_t idleTimeoutMillis = 0;        // 0: never idle

  static WatermarkStrategy forBoundedOutOfOrderness(int64_t millis) {
    WatermarkStrategy s;
    s.maxOutOfOrdernessMillis = millis;
    return s;
  }
  static WatermarkStrategy forMonotonousTimestamps() { return forBoundedOutOfOrderness(0); }
  WatermarkStrategy withTimestampColumn(std::string column) const {
    WatermarkStrategy s = *this;
    s.timestampColumn = std::move(column);
    return s;
  }
  WatermarkStrategy withIdleness(int64_t millis) const {
    WatermarkStrategy s = *this;
    s.idleTimeoutMillis = millis;
    return s;
  }
};

}  // namespace glint
