#include "glint/runtime/operators/window_operator.h"

#include "glint/types/serialization.h"

#include <algorithm>
#include <cstring>

namespace glint {

namespace windowing {

void KeyTable::clear() {
  if (hashes_.empty()) return;
  arena_.clear();
  offsets_.resize(1);
  hashes_.clear();
  std::fill(slots_.begin(), slots_.end(), 0u);
}

void KeyTable::grow() {
  const size_t capacity = std::max<size_t>(16, slots_.size() * 2);
  slots_.assign(capacity, 0u);
  mask_ = capacity - 1;
  for (uint32_t id = 0; id < hashes_.size(); ++id) {
    size_t i = hashes_[id] & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = id + 1;
  }
}

void BatchKeyGroups::build(const KeyEncoder& encoder, const Batch& batch) {
  const size_t n = batch.numRows();
  keys.clear();
  groupOfRow.resize(n);
  const Column* intKey = nullptr;
  if (encoder.keyColumns().size() == 1) {
    const Column& col = batch.column(static_cast<size_t>(encoder.keyColumns()[0]));
    if (col.physical() == PhysicalType::kInt64 && !col.hasNulls()) intKey = &col;
  }
  if (intKey != nullptr) {
    int bits = 4;
    while ((size_t{1} << bits) < 2 * n) ++bits;
    const size_t mask = (size_t{1} << bits) - 1;
    intSlots.assign(mask + 1, 0u);
    intValues.resize(n);
    const int64_t* values = intKey->ints().data();
    buffer.assign(9, '\0');  // KeyEncoder's bytes: not-null flag, 8 bytes of the value
    for (size_t r = 0; r < n; ++r) {
      const int64_t v = values[r];
      size_t i = (static_cast<uint64_t>(v) * 0x9e3779b97f4a7c15ULL) >> (64 - bits);
      for (;;) {
        const uint32_t s = intSlots[i];
        if (s == 0) {
          std::memcpy(buffer.data() + 1, &v, 8);
          const uint32_t id = keys.findOrInsert(buffer, hashBytes(buffer));
          intValues[id] = v;
          intSlots[i] = id + 1;
          groupOfRow[r] = id;
          break;
        }
        if (intValues[s - 1] == v) {
          groupOfRow[r] = s - 1;
          break;
        }
        i = (i + 1) & mask;
      }
    }
  } else {
    for (size_t r = 0; r < n; ++r) {
      encoder.encode(batch, r, buffer);
      groupOfRow[r] = keys.findOrInsert(buffer, hashBytes(buffer));
    }
  }
  const size_t groups = keys.size();
  start.assign(groups + 1, 0);
  for (size_t r = 0; r < n; ++r) ++start[groupOfRow[r] + 1];
  for (size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
  rows.resize(n);
  // Fill with a moving cursor per group (start[g] is restored afterwards).
  for (size_t r = 0; r < n; ++r) rows[start[groupOfRow[r]]++] = static_cast<uint32_t>(r);
  for (size_t g = groups; g > 0; --g) start[g] = start[g - 1];
  start[0] = 0;
}

}  // namespace windowing

WindowOperatorBase::WindowOperatorBase(std::vector<SchemaPtr> inputSchemas, std::vector<std::vector<int>> keyColumns,
                                       SchemaPtr outputSchema, std::optional<OutputTag> lateTag)
    : KeyedOperator(inputSchemas, std::move(keyColumns)),
      inputSchemas_(std::move(inputSchemas)),
      outputSchema_(std::move(outputSchema)),
      out_(outputSchema_),
      writer_(out_, /*carryTimestamps=*/true),
      lateTag_(std::move(lateTag)) {
  if (lateTag_ && lateTag_->schema && !(*lateTag_->schema == *inputSchemas_[0]))
    throw GlintError("late-data side output '" + lateTag_->name + "' must have the input schema " +
                     inputSchemas_[0]->toString() + ", got " + lateTag_->schema->toString());
}

void WindowOperatorBase::open() {
  KeyedOperator::open();
  std::vector<KeyGroupBlock> restored = takeRestoredOperatorData();
  if (!restored.empty()) {
    restoredFired_.assign(static_cast<size_t>(context_.keyGroups.size()), INT64_MIN);
    int64_t lowest = INT64_MAX;
    for (auto& block : restored) {
      BinaryReader r(block.bytes);
      int64_t fired;
      if (!r.read(&fired))
        throw GlintError("window operator '" + context_.name + "': unreadable window data in the checkpoint");
      restoredFired_[static_cast<size_t>(block.keyGroup - context_.keyGroups.first)] = fired;
      maxRestoredFired_ = std::max(maxRestoredFired_, fired);
      lowest = std::min(lowest, fired);
      if (!r.atEnd())
        restoredWindowData_.push_back({block.keyGroup, std::string(r.pos(), r.end())});
    }
    // Event time resumes where the checkpoint left it: no window fires twice, and rows that
    // were late then are late now.
    currentWatermark_ = lowest;
  }
  lateIndex_ = lateTag_ ? context_.sideOutputIndex(lateTag_->name) : 0;
  late_ = Batch(inputSchemas_[0]);
}

void WindowOperatorBase::snapshotOperatorData(std::vector<KeyGroupBlock>& blocks) {
  std::map<int, std::string> data;
  snapshotWindowData(data);
  for (int kg = context_.keyGroups.first; kg <= context_.keyGroups.last; ++kg) {
    KeyGroupBlock block{kg, {}};
    BinaryWriter(block.bytes).write<int64_t>(currentWatermark_);
    auto it = data.find(kg);
    if (it != data.end()) block.bytes += it->second;
    blocks.push_back(std::move(block));
  }
}

void WindowOperatorBase::flushOutput() {
  if (!out_.empty()) {
    const size_t rows = out_.numRows();
    Batch b(outputSchema_);
    b.reserve(rows);
    std::swap(b, out_);
    b.setSourceNanos(sourceNanos_ ? sourceNanos_ : monotonicNanos());
    output_->emit(std::move(b));
  }
  if (!late_.empty()) {
    Batch b(late_.schema());
    std::swap(b, late_);
    output_->emitSide(lateIndex_, std::move(b));
  }
  if (pendingDropped_ > 0) {
    if (context_.metrics) context_.metrics->lateRecordsDropped.fetch_add(pendingDropped_, std::memory_order_relaxed);
    pendingDropped_ = 0;
  }
}

}  // namespace glint
