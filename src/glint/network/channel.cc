#include "glint/network/channel.h"

namespace glint {

void Channel::push(StreamElement&& element) {
  const bool isData = element.kind == ElementKind::kBatch;
  const int64_t rows = isData ? static_cast<int64_t>(element.batch.numRows()) : 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(element));
    if (isData) {
      queuedBatches_.fetch_add(1, std::memory_order_acq_rel);
      rowsInFlight_.fetch_add(rows, std::memory_order_acq_rel);
    }
  }
  if (consumer_) consumer_->wake();
}

void Channel::pushBarrierFirst(CheckpointBarrier barrier) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    barrier.overtaken = static_cast<uint32_t>(queue_.size());
    queue_.push_front(StreamElement::checkpointBarrier(barrier));
  }
  if (consumer_) consumer_->wake();
}

bool Channel::poll(StreamElement* out) {
  bool freedCredit = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) return false;
    *out = std::move(queue_.front());
    queue_.pop_front();
    if (out->kind == ElementKind::kBatch) {
      freedCredit = queuedBatches_.fetch_sub(1, std::memory_order_acq_rel) == capacity_;
      rowsInFlight_.fetch_sub(static_cast<int64_t>(out->batch.numRows()),
                              std::memory_order_acq_rel);
    }
  }
  if (freedCredit && producer_) producer_->wake();
  return true;
}

}  // namespace glint
