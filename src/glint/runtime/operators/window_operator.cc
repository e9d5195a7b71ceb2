#include "glint/runtime/operators/window_operator.h"

#include <algorithm>

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
  for (size_t r = 0; r < n; ++r) {
    encoder.encode(batch, r, buffer);
    groupOfRow[r] = keys.findOrInsert(buffer, hashBytes(buffer));
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
  lateIndex_ = lateTag_ ? context_.sideOutputIndex(lateTag_->name) : 0;
  late_ = Batch(inputSchemas_[0]);
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
