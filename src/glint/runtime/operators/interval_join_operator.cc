#include "glint/runtime/operators/interval_join_operator.h"

#include <map>

#include "glint/types/serialization.h"

#include <algorithm>

namespace glint {

namespace {
// Tag bit of a snapshot block's input byte: a string of matched flags (one byte per row)
// follows the rows. Blocks without it (older snapshots, inner joins) restore as unmatched.
constexpr uint8_t kWithMatchedFlags = 2;
}  // namespace

IntervalJoinOperatorBase::IntervalJoinOperatorBase(SchemaPtr leftSchema, std::vector<int> leftKeys,
                                                   SchemaPtr rightSchema,
                                                   std::vector<int> rightKeys,
                                                   SchemaPtr outputSchema, int64_t lowerBound,
                                                   int64_t upperBound, IntervalJoinOptions options)
    : WindowOperatorBase({leftSchema, rightSchema}, {std::move(leftKeys), std::move(rightKeys)},
                         std::move(outputSchema), std::nullopt),
      lower_(options.lowerExclusive ? saturatingAdd(lowerBound, 1) : lowerBound),
      upper_(options.upperExclusive ? saturatingAdd(upperBound, -1) : upperBound) {
  if (lower_ > upper_)
    throw GlintError("interval join: lower bound " + std::to_string(lowerBound) +
                     " is above upper bound " + std::to_string(upperBound) +
                     " (after applying exclusive bounds)");
  if (keyEncoders_[0].keyTypes().size() != keyEncoders_[1].keyTypes().size())
    throw GlintError("interval join: both inputs need the same number of key columns");
  for (size_t k = 0; k < keyEncoders_[0].keyTypes().size(); ++k)
    if (physicalTypeOf(keyEncoders_[0].keyTypes()[k]) !=
        physicalTypeOf(keyEncoders_[1].keyTypes()[k]))
      throw GlintError("interval join: key column " + std::to_string(k) +
                       " has different types on the two inputs");
  arena_[0] = Batch(std::move(leftSchema));
  arena_[1] = Batch(std::move(rightSchema));
}

size_t IntervalJoinOperatorBase::numBufferedRows() const {
  return arena_[0].numRows() - dead_[0] + arena_[1].numRows() - dead_[1];
}

void IntervalJoinOperatorBase::open() {
  WindowOperatorBase::open();
  for (const auto& block : takeRestoredWindowData()) {
    BinaryReader r(block.bytes);
    while (!r.atEnd()) {
      uint8_t input;
      std::string bytes, matched;
      // Blocks with matched flags (outer joins) are tagged input + kWithMatchedFlags.
      if (!r.read(&input) || (input & ~kWithMatchedFlags) > 1 || !r.readString(&bytes) ||
          ((input & kWithMatchedFlags) && !r.readString(&matched)))
        throw GlintError("interval join '" + context_.name + "': unreadable buffered rows in the checkpoint");
      auto batch = deserializeBatch(bytes);
      if (!batch.isOk()) throw GlintError("interval join '" + context_.name + "': " + batch.status().message());
      if ((input & kWithMatchedFlags) && matched.size() != batch->numRows())
        throw GlintError("interval join '" + context_.name +
                         "': matched flags do not fit the buffered rows in the checkpoint");
      input &= ~kWithMatchedFlags;
      for (size_t row = 0; row < batch->numRows(); ++row) {
        setCurrentKeyFromRow(input, *batch, row);
        KeyRows& rows = insertKey(state_->currentKey());
        const auto index = static_cast<uint32_t>(arena_[input].numRows());
        arena_[input].appendRange(*batch, row, row + 1);
        bufferRow(rows, input, batch->timestamp(row), index, !matched.empty() && matched[row]);
      }
    }
  }
}

void IntervalJoinOperatorBase::snapshotWindowData(std::map<int, std::string>& byGroup) {
  std::map<int, std::vector<uint32_t>> rowsOf[2];
  std::map<int, std::string> matchedOf[2];
  for (const auto& [key, rows] : keys_) {
    const int group = keyGroupForKey(key, context_.maxParallelism);
    for (int input = 0; input < 2; ++input) {
      const SideRows& side = rows.side[input];
      for (size_t i = side.head; i < side.stamps.size(); ++i) rowsOf[input][group].push_back(side.stamps[i].row);
      if (snapshotMatchedFlags_)
        for (size_t i = side.head; i < side.stamps.size(); ++i)
          matchedOf[input][group].push_back(side.stamps[i].matched ? 1 : 0);
    }
  }
  std::string bytes;
  for (int input = 0; input < 2; ++input)
    for (const auto& [group, indexes] : rowsOf[input]) {
      Batch part(arena_[input].schema());
      part.appendRows(arena_[input], indexes.data(), indexes.size());
      bytes.clear();
      serializeBatch(part, bytes);
      BinaryWriter w(byGroup[group]);
      w.write<uint8_t>(static_cast<uint8_t>(input | (snapshotMatchedFlags_ ? kWithMatchedFlags : 0)));
      w.writeString(bytes);
      if (snapshotMatchedFlags_) w.writeString(matchedOf[input][group]);
    }
}

void IntervalJoinOperatorBase::stampRow(KeyRows& rows, int input, int64_t ts, uint32_t row,
                                        bool matched) {
  SideRows& side = rows.side[input];
  std::vector<Stamp>& stamps = side.stamps;
  if (stamps.size() == side.head || stamps.back().ts <= ts) {
    stamps.push_back(Stamp{ts, row, matched});
  } else {
    auto it = std::upper_bound(stamps.begin() + static_cast<ptrdiff_t>(side.head), stamps.end(), ts,
                               [](int64_t v, const Stamp& s) { return v < s.ts; });
    stamps.insert(it, Stamp{ts, row, matched});
  }
}

void IntervalJoinOperatorBase::onEventTimeTimer(const Timer&) {
  // Clean-up timers of checkpoints taken before the expiry queues: nothing to do, the restored
  // rows are in the queues again.
}

void IntervalJoinOperatorBase::dropExpired(KeyRows& rows, int input, int64_t watermark) {
  SideRows& side = rows.side[input];
  std::vector<Stamp>& stamps = side.stamps;
  const size_t firstExpired = side.head;
  while (side.head < stamps.size() && cleanupTime(input, stamps[side.head].ts) <= watermark) {
    ++side.head;
    ++dead_[input];
  }
  if (side.head > firstExpired)
    rowsExpired(input, stamps.data() + firstExpired, stamps.data() + side.head);
  if (side.head == stamps.size()) {
    stamps.clear();
    side.head = 0;
  } else if (side.head * 2 > stamps.size()) {
    stamps.erase(stamps.begin(), stamps.begin() + static_cast<ptrdiff_t>(side.head));
    side.head = 0;
  }
}

void IntervalJoinOperatorBase::processWatermark(int64_t watermark) {
  // Before the watermark goes on, so that what rowsExpired emits precedes it.
  currentWatermark_ = watermark;
  for (int input = 0; input < 2; ++input)
    expiry_[input].popUpTo(watermark, [&](int64_t, KeyRows* rows) {
      dropExpired(*rows, input, watermark);
      // Every row has its entry, due once the row is expired: the last entry leaves no rows.
      if (--rows->pending == 0) keys_.erase(*rows);
    });
  KeyedOperator::processWatermark(watermark);
  maybeCompact(0);
  maybeCompact(1);
}

void IntervalJoinOperatorBase::maybeCompact(int input) {
  Batch& arena = arena_[input];
  if (dead_[input] == 0) return;
  if (dead_[input] == arena.numRows()) {
    arena.clear();
    dead_[input] = 0;
    return;
  }
  if (dead_[input] < 4096 || dead_[input] * 2 < arena.numRows()) return;
  gather_.clear();
  for (auto& [key, rows] : keys_) {
    SideRows& side = rows.side[input];
    if (side.head > 0) {
      side.stamps.erase(side.stamps.begin(),
                        side.stamps.begin() + static_cast<ptrdiff_t>(side.head));
      side.head = 0;
    }
    for (Stamp& s : side.stamps) {
      gather_.push_back(s.row);
      s.row = static_cast<uint32_t>(gather_.size() - 1);
    }
  }
  Batch fresh(arena.schema());
  fresh.appendRows(arena, gather_.data(), gather_.size());
  arena = std::move(fresh);
  dead_[input] = 0;
}

}  // namespace glint
