#include "glint/connectors/nexmark/nexmark_source.h"

#include <algorithm>
#include <cmath>

#include "glint/runtime/executor.h"
#include "glint/types/serialization.h"

namespace glint::nexmark {

std::string_view eventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kPerson:
      return "person";
    case EventKind::kAuction:
      return "auction";
    case EventKind::kBid:
      return "bid";
  }
  return "?";
}

static SchemaPtr schemaOf(EventKind kind) {
  switch (kind) {
    case EventKind::kPerson:
      return personSchema();
    case EventKind::kAuction:
      return auctionSchema();
    case EventKind::kBid:
      return bidSchema();
  }
  return nullptr;
}

void NexmarkSource::initializeState(OperatorRestoreState&& state) {
  if (!state.restored) return;
  restored_ = true;
  for (const auto& item : state.operatorState) {
    BinaryReader r(item);
    Stripe s;
    uint8_t version;
    if (!r.read(&version) || version != 1 || !r.read(&s.index) || !r.read(&s.count) ||
        !r.read(&s.cursor) || s.count <= 0)
      throw GlintError("Nexmark source: unreadable checkpointed position (" +
                       std::to_string(item.size()) + " bytes)");
    stripes_.push_back(s);
  }
}

int64_t NexmarkSource::remainingEvents() const {
  // Upper bound of what this subtask still generates (its stripes up to numEvents).
  int64_t n = 0;
  for (const Stripe& s : stripes_)
    if (!exhausted(s)) n += (options_.numEvents - s.cursor + s.count - 1) / s.count;
  return n;
}

void NexmarkSource::snapshotState(const CheckpointBarrier&, const SnapshotLocation&,
                                  OperatorSnapshot& snapshot) {
  for (const Stripe& s : stripes_) {
    std::string item;
    BinaryWriter w(item);
    w.write<uint8_t>(1);  // format version
    w.write<int64_t>(s.index);
    w.write<int64_t>(s.count);
    w.write<int64_t>(s.cursor);
    snapshot.operatorState.push_back(std::move(item));
  }
}

void NexmarkSource::open() {
  if (!restored_)
    stripes_.push_back({context_.subtaskIndex, context_.parallelism,
                        static_cast<int64_t>(context_.subtaskIndex) * kBlockEvents});
  startNanos_ = monotonicNanos();
  for (EventKind kind : options_.kinds) {
    const int k = static_cast<int>(kind);
    if (kind == options_.primary) {
      outputOf_[k] = 0;
    } else {
      const int side = context_.sideOutputIndex(std::string(eventKindName(kind)));
      if (side > 0) outputOf_[k] = side;
    }
  }
  for (int k = 0; k < 3; ++k)
    if (outputOf_[k] >= 0) batches_[k] = Batch(schemaOf(static_cast<EventKind>(k)));
}

void NexmarkSource::emitWatermark() {
  if (maxTimestamp_ == INT64_MIN) return;
  const int64_t wm = maxTimestamp_ - options_.watermarkDelayMillis - 1;
  if (wm <= lastWatermark_) return;
  lastWatermark_ = wm;
  output_->emitWatermark(wm);
  if (context_.metrics) context_.metrics->sourceWatermark.store(wm, std::memory_order_relaxed);
}

SourceOperator::PollResult NexmarkSource::pollNext(int64_t* wakeAtNanos) {
  // The stripe with the lowest next index goes first, so a subtask with several stripes
  // (after restoring at a lower parallelism) generates in index order.
  Stripe* stripe = nullptr;
  for (Stripe& s : stripes_)
    if (!exhausted(s) && (!stripe || s.cursor < stripe->cursor)) stripe = &s;
  if (!stripe) {
    output_->emitWatermark(kMaxTimestamp);
    return PollResult::kEnd;
  }
  int64_t budget = static_cast<int64_t>(context_.config.batchSize);
  if (options_.eventsPerSecond > 0) {
    const double perSubtask = options_.eventsPerSecond / context_.parallelism;
    const int64_t now = monotonicNanos();
    const int64_t due =
        static_cast<int64_t>(perSubtask * static_cast<double>(now - startNanos_) / 1e9) + 1;
    const int64_t allowed = due - emittedEvents_;
    // Emit in chunks of about a millisecond of events (at most a batch): waking up for every
    // few events would cost more than generating them.
    const int64_t chunk = std::clamp<int64_t>(static_cast<int64_t>(perSubtask / 1000), 1,
                                              static_cast<int64_t>(context_.config.batchSize));
    if (allowed < chunk && !(options_.numEvents >= 0 && allowed > 0 && remainingEvents() <= allowed)) {
      *wakeAtNanos = startNanos_ + static_cast<int64_t>(static_cast<double>(emittedEvents_ + chunk) *
                                                        1e9 / perSubtask);
      return PollResult::kNothingNow;
    }
    budget = std::min(budget, allowed);
  }
  // Generate up to `budget` events, walking this subtask's blocks.
  Batch* targets[3];
  for (int k = 0; k < 3; ++k) targets[k] = outputOf_[k] >= 0 ? &batches_[k] : nullptr;
  int64_t generated = 0;
  while (generated < budget && stripe) {
    int64_t& cursor = stripe->cursor;
    const int64_t blockEnd = (cursor / kBlockEvents + 1) * kBlockEvents;
    int64_t end = std::min(blockEnd, cursor + (budget - generated));
    if (options_.numEvents >= 0) end = std::min(end, options_.numEvents);
    generateInto(generator_, cursor, end, targets[0], targets[1], targets[2]);
    generated += end - cursor;
    cursor = end;
    if (cursor == blockEnd) {
      cursor += (stripe->count - 1) * kBlockEvents;
      if (stripes_.size() > 1) {
        stripe = nullptr;
        for (Stripe& s : stripes_)
          if (!exhausted(s) && (!stripe || s.cursor < stripe->cursor)) stripe = &s;
      }
    }
    if (stripe && exhausted(*stripe)) stripe = nullptr;
  }
  emittedEvents_ += generated;
  if (context_.metrics)
    context_.metrics->sourceRecords.fetch_add(generated, std::memory_order_relaxed);
  const int64_t now = monotonicNanos();
  for (int k = 0; k < 3; ++k) {
    if (!targets[k] || targets[k]->empty()) continue;
    Batch out(targets[k]->schema());
    std::swap(out, *targets[k]);
    targets[k]->reserveLike(out);
    for (int64_t t : out.timestamps()) maxTimestamp_ = std::max(maxTimestamp_, t);
    out.setSourceNanos(now);
    if (outputOf_[k] == 0)
      output_->emit(std::move(out));
    else
      output_->emitSide(outputOf_[k], std::move(out));
  }
  // A watermark after every batch in which event time advanced: at millions of events per
  // second a wall-clock interval would let event time jump by minutes between watermarks and
  // keep that many windows in state.
  emitWatermark();
  return PollResult::kMore;
}

}  // namespace glint::nexmark
