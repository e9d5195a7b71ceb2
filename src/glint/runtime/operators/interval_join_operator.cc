#include "glint/runtime/operators/interval_join_operator.h"

#include <cstring>
#include <map>
#include <set>

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
  // A quarter of the interval: a probe visits about five slices. Not much less than
  // kMinSliceMillis, so that sparse inputs do not get a slice (a Batch) per row.
  const int64_t span = saturatingAdd(upper_, -lower_);
  const int64_t slice = std::max<int64_t>(kMinSliceMillis, span / 4);
  inputSchemas_[0] = leftSchema;
  inputSchemas_[1] = rightSchema;
  buffers_[0] = IntervalJoinBuffer(std::move(leftSchema), slice);
  buffers_[1] = IntervalJoinBuffer(std::move(rightSchema), slice);
}

size_t IntervalJoinOperatorBase::numBufferedRows() const {
  return buffers_[0].numLiveRows() + buffers_[1].numLiveRows();
}

size_t IntervalJoinOperatorBase::numKeys() const {
  std::set<std::string_view> keys;
  for (const IntervalJoinBuffer& buffer : buffers_)
    for (const auto& [id, slice] : buffer.slices())
      for (uint32_t r = 0; r < slice.size(); ++r)
        if (slice.live(r)) keys.insert(slice.keys.key(r));
  return keys.size();
}

void RowKeys::build(const KeyEncoder& encoder, const Batch& batch) {
  const size_t n = batch.numRows();
  hashes.resize(n);
  ends.resize(n);
  bytes.clear();
  const Column* intKey = nullptr;
  if (encoder.keyColumns().size() == 1) {
    const Column& col = batch.column(static_cast<size_t>(encoder.keyColumns()[0]));
    if (col.physical() == PhysicalType::kInt64 && !col.hasNulls()) intKey = &col;
  }
  if (intKey != nullptr) {
    // KeyEncoder's bytes of a non-null BIGINT-like value: a not-null flag, then the 8 bytes.
    bytes.resize(9 * n);
    for (size_t r = 0; r < n; ++r) {
      char* key = bytes.data() + 9 * r;
      key[0] = 0;
      std::memcpy(key + 1, &intKey->ints()[r], 8);
      hashes[r] = hashBytes(std::string_view(key, 9));
      ends[r] = static_cast<uint32_t>(9 * (r + 1));
    }
    return;
  }
  std::string key;
  for (size_t r = 0; r < n; ++r) {
    encoder.encode(batch, r, key);
    bytes += key;
    hashes[r] = hashBytes(key);
    ends[r] = static_cast<uint32_t>(bytes.size());
  }
}

void IntervalJoinOperatorBase::encodeKeys(int input, const Batch& batch) {
  rowKeys_.build(keyEncoders_[input], batch);
  for (uint64_t hash : rowKeys_.hashes) checkKeyGroup(keyGroupForHash(hash, context_.maxParallelism));
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
      encodeKeys(input, *batch);
      std::vector<uint32_t> all(batch->numRows());
      for (uint32_t row = 0; row < all.size(); ++row) all[row] = row;
      store(input, std::move(batch).value(), all.data(), all.size(), [&](size_t i) {
        return uint8_t{!matched.empty() && matched[i] ? IntervalJoinBuffer::kMatched : uint8_t{0}};
      });
    }
  }
}

void IntervalJoinOperatorBase::snapshotWindowData(std::map<int, std::string>& byGroup) {
  std::string bytes;
  for (int input = 0; input < 2; ++input) {
    // Per key group: the live rows of each slice, gathered into one batch.
    std::map<int, Batch> rowsOf;
    std::map<int, std::string> matchedOf;
    for (const auto& [id, slice] : buffers_[input].slices()) {
      std::map<int, std::vector<uint32_t>> picked;
      for (uint32_t r = 0; r < slice.size(); ++r)
        if (slice.live(r))
          picked[keyGroupForHash(slice.keys.hashes[r], context_.maxParallelism)].push_back(r);
      for (const auto& [group, rows] : picked) {
        auto [it, isNew] = rowsOf.try_emplace(group);
        if (isNew) it->second = Batch(inputSchemas_[input]);
        for (uint32_t r : rows) it->second.appendRow(slice.batchOf(r), slice.offset(r));
        if (snapshotMatchedFlags_)
          for (uint32_t r : rows)
            matchedOf[group].push_back((slice.flags[r] & IntervalJoinBuffer::kMatched) ? 1 : 0);
      }
    }
    for (const auto& [group, part] : rowsOf) {
      bytes.clear();
      serializeBatch(part, bytes);
      BinaryWriter w(byGroup[group]);
      w.write<uint8_t>(static_cast<uint8_t>(input | (snapshotMatchedFlags_ ? kWithMatchedFlags : 0)));
      w.writeString(bytes);
      if (snapshotMatchedFlags_) w.writeString(matchedOf[group]);
    }
  }
}

void IntervalJoinOperatorBase::onEventTimeTimer(const Timer&) {
  // Clean-up timers of checkpoints taken by older versions, which cleaned up with keyed timers:
  // nothing to do, the restored rows are cleaned up by the buffers.
}

void IntervalJoinOperatorBase::processWatermark(int64_t watermark) {
  // Before the watermark goes on, so that what rowExpired emits precedes it.
  currentWatermark_ = watermark;
  for (int input = 0; input < 2; ++input)
    buffers_[input].expire(
        watermark, [&](int64_t ts) { return cleanupTime(input, ts); },
        [&](const Slice& slice, uint32_t row) {
          if (notifyExpiry_) rowExpired(input, slice, row);
        });
  KeyedOperator::processWatermark(watermark);
}

}  // namespace glint
