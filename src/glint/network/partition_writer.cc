#include "glint/network/partition_writer.h"

#include <climits>

namespace glint {

std::string_view partitioningName(Partitioning p) {
  switch (p) {
    case Partitioning::kForward:
      return "FORWARD";
    case Partitioning::kHash:
      return "HASH";
    case Partitioning::kRebalance:
      return "REBALANCE";
    case Partitioning::kBroadcast:
      return "BROADCAST";
    case Partitioning::kGlobal:
      return "GLOBAL";
  }
  return "?";
}

PartitionWriter::PartitionWriter(PartitionWriterOptions options, SchemaPtr schema,
                                 std::vector<std::shared_ptr<Channel>> channels)
    : options_(std::move(options)), schema_(std::move(schema)), channels_(std::move(channels)) {
  pending_.reserve(channels_.size());
  for (size_t i = 0; i < channels_.size(); ++i) pending_.emplace_back(schema_);
  pendingSince_.assign(channels_.size(), 0);
  selection_.resize(channels_.size());
  if (options_.partitioning == Partitioning::kHash)
    keyEncoder_ = KeyEncoder(*schema_, options_.keyColumns);
  if (options_.batchSize == 0) options_.batchSize = 1;
}

bool PartitionWriter::hasCredit() const {
  for (const auto& c : channels_)
    if (!c->hasCredit()) return false;
  return true;
}

int64_t PartitionWriter::rowsInFlight() const {
  int64_t n = 0;
  for (const auto& c : channels_) n += c->rowsInFlight();
  for (const auto& p : pending_) n += static_cast<int64_t>(p.numRows());
  return n;
}

void PartitionWriter::flush(size_t ch) {
  Batch& p = pending_[ch];
  if (p.empty()) return;
  Batch out(schema_);
  std::swap(out, p);
  channels_[ch]->push(StreamElement::data(std::move(out)));
}

void PartitionWriter::appendAll(size_t ch, Batch&& batch, int64_t now) {
  Batch& p = pending_[ch];
  if (p.empty()) {
    p = std::move(batch);
    pendingSince_[ch] = now;
  } else {
    p.appendRange(batch, 0, batch.numRows());
  }
  if (p.numRows() >= options_.batchSize) flush(ch);
}

void PartitionWriter::append(size_t ch, const Batch& batch, const uint32_t* rows, size_t count,
                             int64_t now) {
  Batch& p = pending_[ch];
  if (p.empty()) {
    pendingSince_[ch] = now;
    p.setSourceNanos(0);
  }
  p.appendRows(batch, rows, count);
  if (p.numRows() >= options_.batchSize) flush(ch);
}

void PartitionWriter::emit(Batch&& batch, int64_t now) {
  if (batch.empty()) return;
  const size_t n = channels_.size();
  switch (options_.partitioning) {
    case Partitioning::kForward:
    case Partitioning::kGlobal:
      appendAll(0, std::move(batch), now);
      break;
    case Partitioning::kRebalance:
      appendAll(nextChannel_, std::move(batch), now);
      nextChannel_ = (nextChannel_ + 1) % n;
      break;
    case Partitioning::kBroadcast:
      for (size_t ch = 0; ch + 1 < n; ++ch) {
        Batch copy(schema_);
        copy.appendRange(batch, 0, batch.numRows());
        appendAll(ch, std::move(copy), now);
      }
      appendAll(n - 1, std::move(batch), now);
      break;
    case Partitioning::kHash: {
      if (n == 1) {
        appendAll(0, std::move(batch), now);
        break;
      }
      for (auto& s : selection_) s.clear();
      const int parallelism = static_cast<int>(n);
      for (size_t row = 0; row < batch.numRows(); ++row) {
        keyEncoder_.encode(batch, row, keyBuffer_);
        const int kg = keyGroupForKey(keyBuffer_, options_.maxParallelism);
        selection_[subtaskForKeyGroup(kg, parallelism, options_.maxParallelism)].push_back(
            static_cast<uint32_t>(row));
      }
      for (size_t ch = 0; ch < n; ++ch)
        if (!selection_[ch].empty())
          append(ch, batch, selection_[ch].data(), selection_[ch].size(), now);
      break;
    }
  }
  if (options_.bufferTimeoutNanos == 0) flushAll();
}

void PartitionWriter::emitControl(ElementKind kind, int64_t watermark) {
  for (size_t ch = 0; ch < channels_.size(); ++ch) {
    flush(ch);
    channels_[ch]->push(StreamElement::control(kind, watermark));
  }
}

void PartitionWriter::emitBarrier(const CheckpointBarrier& barrier) {
  for (size_t ch = 0; ch < channels_.size(); ++ch) {
    flush(ch);
    if (barrier.unaligned)
      channels_[ch]->pushBarrierFirst(barrier);
    else
      channels_[ch]->push(StreamElement::checkpointBarrier(barrier));
  }
}

int64_t PartitionWriter::flushDue(int64_t now) {
  int64_t next = INT64_MAX;
  for (size_t ch = 0; ch < channels_.size(); ++ch) {
    if (pending_[ch].empty()) continue;
    const int64_t due = pendingSince_[ch] + options_.bufferTimeoutNanos;
    if (due <= now)
      flush(ch);
    else if (due < next)
      next = due;
  }
  return next;
}

void PartitionWriter::flushAll() {
  for (size_t ch = 0; ch < channels_.size(); ++ch) flush(ch);
}

}  // namespace glint
