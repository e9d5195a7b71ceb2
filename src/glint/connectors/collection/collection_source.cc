#include "glint/connectors/collection/collection_source.h"

#include <algorithm>

#include "glint/runtime/executor.h"
#include "glint/types/serialization.h"

namespace glint {

void CollectionSource::initializeState(OperatorRestoreState&& state) {
  if (!state.restored) return;
  restored_ = true;
  for (const auto& item : state.operatorState) {
    BinaryReader r(item);
    int64_t index;
    if (!r.read(&index) || index < 0) throw GlintError("collection source: unreadable checkpointed position");
    remaining_.push_back(index);
  }
  std::sort(remaining_.begin(), remaining_.end());
}

void CollectionSource::open() {
  if (restored_) return;
  for (size_t i = static_cast<size_t>(context_.subtaskIndex); i < batches_->size();
       i += static_cast<size_t>(context_.parallelism))
    remaining_.push_back(static_cast<int64_t>(i));
}

void CollectionSource::snapshotState(const CheckpointBarrier&, const SnapshotLocation&,
                                     OperatorSnapshot& snapshot) {
  for (size_t i = next_; i < remaining_.size(); ++i) {
    std::string item;
    BinaryWriter(item).write<int64_t>(remaining_[i]);
    snapshot.operatorState.push_back(std::move(item));
  }
}

SourceOperator::PollResult CollectionSource::pollNext(int64_t*) {
  if (next_ >= remaining_.size()) {
    output_->emitWatermark(kMaxTimestamp);
    return PollResult::kEnd;
  }
  const auto index = static_cast<size_t>(remaining_[next_++]);
  if (index >= batches_->size()) throw GlintError("collection source: restored position beyond the collection");
  const Batch& source = (*batches_)[index];
  Batch copy(source.schema());
  copy.appendRange(source, 0, source.numRows());
  copy.setSourceNanos(monotonicNanos());
  if (context_.metrics)
    context_.metrics->sourceRecords.fetch_add(static_cast<int64_t>(copy.numRows()));
  output_->emit(std::move(copy));
  return PollResult::kMore;
}

}  // namespace glint
