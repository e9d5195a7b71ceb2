#include "glint/runtime/operators/stateless_operators.h"

namespace glint {

void ProjectOperator::processSharedBatch(int, const Batch& batch) {
  Batch out(outputSchema_);
  for (size_t i = 0; i < columns_.size(); ++i)
    out.mutableColumn(i) = batch.column(static_cast<size_t>(columns_[i]));
  out.mutableTimestamps() = batch.timestamps();
  out.mutableRowKinds() = batch.rowKinds();
  out.setSourceNanos(batch.sourceNanos());
  out.setNumRows(batch.numRows());
  output_->emit(std::move(out));
}

void ProjectOperator::processBatch(int, Batch&& batch) {
  Batch out(outputSchema_);
  auto& columns = out.mutableColumns();
  // A column may be picked twice; move it the last time it is used, copy before that.
  for (size_t i = 0; i < columns_.size(); ++i) {
    bool usedLater = false;
    for (size_t j = i + 1; j < columns_.size(); ++j) usedLater |= columns_[j] == columns_[i];
    if (usedLater)
      columns[i] = batch.column(columns_[i]);
    else
      columns[i] = std::move(batch.mutableColumn(columns_[i]));
  }
  out.mutableTimestamps() = std::move(batch.mutableTimestamps());
  out.mutableRowKinds() = std::move(batch.mutableRowKinds());
  out.setSourceNanos(batch.sourceNanos());
  out.setNumRows(batch.numRows());
  output_->emit(std::move(out));
}

}  // namespace glint
