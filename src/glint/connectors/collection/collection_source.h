#pragma once
#include <memory>
#include <vector>

#include "glint/runtime/operator.h"

namespace glint {

// A bounded source over in-memory batches; subtask s emits batches s, s+p, s+2p, ...
// Checkpointed: the indexes of the batches not emitted yet.
class CollectionSource final : public SourceOperator {
 public:
  explicit CollectionSource(std::shared_ptr<const std::vector<Batch>> batches)
      : batches_(std::move(batches)) {}
  void initializeState(OperatorRestoreState&& state) override;
  void open() override;
  PollResult pollNext(int64_t* wakeAtNanos) override;
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) override;

 private:
  std::shared_ptr<const std::vector<Batch>> batches_;
  bool restored_ = false;
  std::vector<int64_t> remaining_;  // batch indexes, in emission order
  size_t next_ = 0;                 // into remaining_
};

}  // namespace glint
