#include "glint/runtime/operators/sink_operator.h"

#include "glint/runtime/executor.h"

namespace glint {

void SinkOperator::processBatch(int, Batch&& batch) {
  const int64_t rows = static_cast<int64_t>(batch.numRows());
  if (JobMetrics* m = context_.metrics) {
    m->sinkRecords.fetch_add(rows, std::memory_order_relaxed);
    if (batch.sourceNanos() != 0)
      m->latency.record((monotonicNanos() - batch.sourceNanos()) / 1000, rows);
  }
  consume(std::move(batch));
}

void SinkOperator::processWatermark(int64_t watermark) {
  if (JobMetrics* m = context_.metrics)
    m->sinkWatermark.store(watermark, std::memory_order_relaxed);
}

}  // namespace glint
