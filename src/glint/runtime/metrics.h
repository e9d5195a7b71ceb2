#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace glint {

// End-to-end latency samples in microseconds, from the moment a source emitted a record to
// the moment a sink received it. Sinks record one sample per batch weighted by its rows.
class LatencyHistogram {
 public:
  void record(int64_t micros, int64_t rows);
  // q in [0, 1]; 0 when empty.
  int64_t percentile(double q) const;
  int64_t max() const;
  int64_t count() const;

 private:
  // Log-scaled buckets, 16 per power of two (about 4% resolution), so memory stays fixed
  // however many samples are recorded.
  static constexpr int kSubBuckets = 16;
  static constexpr int kBuckets = 64 * kSubBuckets;
  static int bucketOf(int64_t micros);
  static int64_t upperBoundOf(int bucket);
  mutable std::mutex mu_;
  std::vector<int64_t> counts_ = std::vector<int64_t>(kBuckets, 0);
  int64_t max_ = 0;
  int64_t total_ = 0;
};

// Counters of one running job, shared by its tasks.
struct JobMetrics {
  std::atomic<int64_t> sourceRecords{0};       // records emitted by all sources
  std::atomic<int64_t> sinkRecords{0};         // records received by all sinks
  std::atomic<int64_t> backpressuredSteps{0};  // times a task had input but no output credit
  std::atomic<int64_t> busySteps{0};
  std::atomic<int64_t> lateRecordsDropped{0};  // late records without a side output
  std::atomic<int64_t> malformedRecordsSkipped{0};
  // Keyed-state reads and writes of SQL group aggregates (mini-batch / two-phase tests).
  std::atomic<int64_t> aggregateStateAccesses{0};
  std::atomic<int64_t> sourceWatermark{INT64_MIN};  // lowest source watermark seen lately
  std::atomic<int64_t> sinkWatermark{INT64_MIN};
  LatencyHistogram latency;
};

}  // namespace glint
