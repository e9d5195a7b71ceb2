#pragma once
#include <memory>
#include <vector>

#include "glint/runtime/operator.h"

namespace glint {

// A bounded source over in-memory batches; subtask s emits batches s, s+p, s+2p, ...
class CollectionSource final : public SourceOperator {
 public:
  explicit CollectionSource(std::shared_ptr<const std::vector<Batch>> batches)
      : batches_(std::move(batches)) {}
  void open() override { next_ = static_cast<size_t>(context_.subtaskIndex); }
  PollResult pollNext(int64_t* wakeAtNanos) override;

 private:
  std::shared_ptr<const std::vector<Batch>> batches_;
  size_t next_ = 0;
};

}  // namespace glint
