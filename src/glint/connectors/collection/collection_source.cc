#include "glint/connectors/collection/collection_source.h"

#include "glint/runtime/executor.h"

namespace glint {

SourceOperator::PollResult CollectionSource::pollNext(int64_t*) {
  if (next_ >= batches_->size()) {
    output_->emitWatermark(kMaxTimestamp);
    return PollResult::kEnd;
  }
  const Batch& source = (*batches_)[next_];
  next_ += static_cast<size_t>(context_.parallelism);
  Batch copy(source.schema());
  copy.appendRange(source, 0, source.numRows());
  copy.setSourceNanos(monotonicNanos());
  if (context_.metrics)
    context_.metrics->sourceRecords.fetch_add(static_cast<int64_t>(copy.numRows()));
  output_->emit(std::move(copy));
  return PollResult::kMore;
}

}  // namespace glint
