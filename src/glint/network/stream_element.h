#pragma once
#include <cstdint>

#include "glint/types/batch.h"

namespace glint {

// What travels through a channel: data batches and in-band control events. Control events
// never overtake data: a watermark is delivered after every batch sent before it.
// The one exception is an unaligned checkpoint barrier, which is put at the head of the
// queue and says how many queued elements it overtook (they belong before the checkpoint).
enum class ElementKind : uint8_t {
  kBatch,
  kWatermark,   // event time has reached `watermark` on this channel
  kIdle,        // the channel's producer is idle: ignore it for the watermark until it speaks
  kEndOfInput,  // the producer finished; no more elements on this channel
  kBarrier,     // checkpoint barrier (Chandy-Lamport marker): see CheckpointBarrier
};

struct CheckpointBarrier {
  int64_t checkpointId = 0;
  int64_t timestampMillis = 0;
  bool savepoint = false;
  bool unaligned = false;
  bool stop = false;       // stop-with-savepoint: sources emit nothing after this barrier
  uint32_t overtaken = 0;  // unaligned: elements behind this barrier that precede it logically
};

struct StreamElement {
  ElementKind kind = ElementKind::kBatch;
  int64_t watermark = 0;
  CheckpointBarrier barrier;
  Batch batch;

  static StreamElement data(Batch&& b) {
    StreamElement e;
    e.batch = std::move(b);
    return e;
  }
  static StreamElement control(ElementKind kind, int64_t watermark = 0) {
    StreamElement e;
    e.kind = kind;
    e.watermark = watermark;
    return e;
  }
  static StreamElement checkpointBarrier(const CheckpointBarrier& b) {
    StreamElement e;
    e.kind = ElementKind::kBarrier;
    e.barrier = b;
    return e;
  }
};

}  // namespace glint
