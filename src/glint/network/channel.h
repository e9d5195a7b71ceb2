#pragma once
// The exchange between two tasks. One channel connects one producer subtask with one consumer
// subtask. Flow control is credit-based: a channel holds at most `capacity` data batches, a
// producer takes new input only while all its channels have credit, and a consumer that frees
// a slot in a full channel wakes the producer. So a slow consumer throttles its producers, and
// theirs, back to the sources, and the memory in flight stays bounded.
//
// This is the in-process transport. A TCP transport implements the same producer/consumer
// contract (push/hasCredit, poll) with the batch serialization in types/serialization.h.
#include <atomic>
#include <deque>
#include <mutex>

#include "glint/network/stream_element.h"
#include "glint/runtime/executor.h"

namespace glint {

class Channel {
 public:
  explicit Channel(size_t capacityBatches) : capacity_(capacityBatches) {}

  void connect(Schedulable* producer, Schedulable* consumer) {
    producer_ = producer;
    consumer_ = consumer;
  }

  // ---- producer side
  bool hasCredit() const { return queuedBatches_.load(std::memory_order_acquire) < capacity_; }
  // Always accepted: a producer checks credit before it takes input, so one input's output
  // can exceed the capacity by at most what that input produces.
  void push(StreamElement&& element);
  // Puts an unaligned checkpoint barrier at the head of the queue, recording how many queued
  // elements it overtakes (the consumer persists those as in-flight data of the checkpoint).
  void pushBarrierFirst(CheckpointBarrier barrier);

  // ---- consumer side
  bool poll(StreamElement* out);
  size_t queuedBatches() const { return queuedBatches_.load(std::memory_order_acquire); }
  // Rows pushed but not yet polled (for backpressure metrics and tests).
  int64_t rowsInFlight() const { return rowsInFlight_.load(std::memory_order_acquire); }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::deque<StreamElement> queue_;
  std::atomic<size_t> queuedBatches_{0};
  std::atomic<int64_t> rowsInFlight_{0};
  Schedulable* producer_ = nullptr;
  Schedulable* consumer_ = nullptr;
};

}  // namespace glint
