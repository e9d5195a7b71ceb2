#pragma once
#include <cstdint>

#include "glint/types/batch.h"

namespace glint {

// What travels through a channel: data batches and in-band control events. Control events
// never overtake data: a watermark is delivered after every batch sent before it.
// (Checkpoint barriers will be one more kind.)
enum class ElementKind : uint8_t {
  kBatch,
  kWatermark,   // event time has reached `watermark` on this channel
  kIdle,        // the channel's producer is idle: ignore it for the watermark until it speaks
  kEndOfInput,  // the producer finished; no more elements on this channel
};

struct StreamElement {
  ElementKind kind = ElementKind::kBatch;
  int64_t watermark = 0;
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
};

}  // namespace glint
