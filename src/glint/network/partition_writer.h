#pragma once
// The producer end of one edge of the job graph: splits the operator's output batches among
// the edge's channels (one per consumer subtask), accumulates rows per channel and sends a
// batch when it is full or when its oldest row has waited `bufferTimeout` (Flink's
// execution.buffer-timeout; 0 sends after every input step).
#include <memory>
#include <string>
#include <vector>

#include "glint/network/channel.h"
#include "glint/state/key_group.h"

namespace glint {

enum class Partitioning { kForward, kHash, kRebalance, kBroadcast, kGlobal };
std::string_view partitioningName(Partitioning p);

struct PartitionWriterOptions {
  Partitioning partitioning = Partitioning::kForward;
  std::vector<int> keyColumns;  // kHash
  int maxParallelism = kDefaultMaxParallelism;
  size_t batchSize = 4096;
  int64_t bufferTimeoutNanos = 100'000'000;
};

class PartitionWriter {
 public:
  PartitionWriter(PartitionWriterOptions options, SchemaPtr schema,
                  std::vector<std::shared_ptr<Channel>> channels);

  void emit(Batch&& batch, int64_t nowNanos);
  // Sends pending rows first so that the watermark follows every row emitted before it.
  void emitControl(ElementKind kind, int64_t watermark);
  // Sends pending rows, then the barrier: behind everything queued (aligned) or at the head of
  // each channel's queue, overtaking it (unaligned).
  void emitBarrier(const CheckpointBarrier& barrier);
  bool hasCredit() const;
  // Sends the pending rows that have waited at least the buffer timeout; returns the earliest
  // time at which a pending batch will be due (INT64_MAX if none).
  int64_t flushDue(int64_t nowNanos);
  void flushAll();
  bool zeroTimeout() const { return options_.bufferTimeoutNanos == 0; }
  int64_t rowsInFlight() const;

 private:
  void append(size_t channel, const Batch& batch, const uint32_t* rows, size_t count,
              int64_t nowNanos);
  void appendAll(size_t channel, Batch&& batch, int64_t nowNanos);
  void flush(size_t channel);

  PartitionWriterOptions options_;
  SchemaPtr schema_;
  std::vector<std::shared_ptr<Channel>> channels_;
  std::vector<Batch> pending_;
  std::vector<int64_t> pendingSince_;
  KeyEncoder keyEncoder_;
  std::string keyBuffer_;
  std::vector<std::vector<uint32_t>> selection_;
  size_t nextChannel_ = 0;
};

}  // namespace glint
