#pragma once
// Record-at-a-time user functions applied in a tight loop over a batch. The function is a
// template parameter, so the compiler inlines it into the loop: no virtual call per record.
#include <utility>
#include <vector>

#include "glint/runtime/operator.h"

namespace glint {

// filter(row -> bool): keeps rows for which the predicate holds.
template <class Predicate>
class FilterOperator final : public StreamOperator {
 public:
  explicit FilterOperator(Predicate predicate) : predicate_(std::move(predicate)) {}
  void processBatch(int, Batch&& batch) override {
    selection_.clear();
    const size_t n = batch.numRows();
    for (size_t row = 0; row < n; ++row)
      if (predicate_(RowRef(batch, row))) selection_.push_back(static_cast<uint32_t>(row));
    if (selection_.size() == n) {
      output_->emit(std::move(batch));
    } else if (!selection_.empty()) {
      output_->emit(batch.select(selection_));
    }
  }

 private:
  Predicate predicate_;
  std::vector<uint32_t> selection_;
};

// flatMap(row, out): writes zero or more rows of the output schema per input row; each output
// row keeps the input row's timestamp and row kind (so map/flatMap pass changelogs through).
template <class Function>
class FlatMapOperator final : public StreamOperator {
 public:
  FlatMapOperator(SchemaPtr outputSchema, Function function)
      : outputSchema_(std::move(outputSchema)), function_(std::move(function)) {}
  void processBatch(int, Batch&& batch) override {
    Batch out(outputSchema_);
    out.reserve(batch.numRows());
    out.setSourceNanos(batch.sourceNanos());
    RowWriter writer(out, batch.hasTimestamps());
    const size_t n = batch.numRows();
    for (size_t row = 0; row < n; ++row) {
      writer.setTimestamp(batch.timestamp(row));
      writer.setRowKind(batch.rowKind(row));
      function_(RowRef(batch, row), writer);
    }
    if (!out.empty()) output_->emit(std::move(out));
  }

 private:
  SchemaPtr outputSchema_;
  Function function_;
};

// A whole-batch transformation (the vectorised escape hatch): Batch -> Batch.
template <class Function>
class MapBatchOperator final : public StreamOperator {
 public:
  explicit MapBatchOperator(Function function) : function_(std::move(function)) {}
  void processBatch(int, Batch&& batch) override {
    const int64_t sourceNanos = batch.sourceNanos();
    Batch out = function_(std::move(batch));
    if (out.sourceNanos() == 0) out.setSourceNanos(sourceNanos);
    if (!out.empty()) output_->emit(std::move(out));
  }
  // Functions that can read a batch without taking it (and say how many columns they copy
  // then) do so for a shared batch.
  void processSharedBatch(int input, const Batch& batch) override {
    if constexpr (requires(Function f, const Batch& b) { f.fromShared(b); }) {
      Batch out = function_.fromShared(batch);
      if (out.sourceNanos() == 0) out.setSourceNanos(batch.sourceNanos());
      if (!out.empty()) output_->emit(std::move(out));
    } else {
      StreamOperator::processSharedBatch(input, batch);
    }
  }
  size_t sharedBatchCopyWidth() const override {
    if constexpr (requires(const Function f) { f.sharedCopyWidth(); })
      return function_.sharedCopyWidth();
    else
      return SIZE_MAX;
  }

 private:
  Function function_;
};

// Keeps a subset of columns, in a given order, without copying values row by row.
class ProjectOperator final : public StreamOperator {
 public:
  ProjectOperator(SchemaPtr outputSchema, std::vector<int> columns)
      : outputSchema_(std::move(outputSchema)), columns_(std::move(columns)) {}
  void processBatch(int, Batch&& batch) override;
  void processSharedBatch(int, const Batch& batch) override;
  size_t sharedBatchCopyWidth() const override { return columns_.size(); }

 private:
  SchemaPtr outputSchema_;
  std::vector<int> columns_;
};

// Passes everything through; used for union (several input edges into one operator).
class IdentityOperator final : public StreamOperator {
 public:
  void processBatch(int, Batch&& batch) override { output_->emit(std::move(batch)); }
};

}  // namespace glint
