#pragma once
#include "glint/runtime/operator.h"

namespace glint {

// Base of all sinks: counts records and measures end-to-end latency (source emit -> sink
// receive) before handing each batch to consume().
class SinkOperator : public StreamOperator {
 public:
  void processBatch(int, Batch&& batch) final;
  void processWatermark(int64_t watermark) override;

 protected:
  virtual void consume(Batch&& batch) = 0;
};

}  // namespace glint
