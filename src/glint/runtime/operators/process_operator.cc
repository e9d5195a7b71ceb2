#include "glint/runtime/operators/process_operator.h"

namespace glint {

KeyedProcessOperator::KeyedProcessOperator(std::unique_ptr<KeyedProcessFunctionBase> function,
                                           SchemaPtr outputSchema,
                                           std::vector<SchemaPtr> inputSchemas,
                                           std::vector<std::vector<int>> keyColumns)
    : KeyedOperator(std::move(inputSchemas), std::move(keyColumns)),
      function_(std::move(function)),
      outputSchema_(std::move(outputSchema)),
      out_(outputSchema_) {}

void KeyedProcessOperator::open() {
  KeyedOperator::open();
  writer_ = std::make_unique<RowWriter>(out_, true);
  function_->open(KeyedOperator::state());
}

int64_t KeyedProcessOperator::currentProcessingTime() const {
  return wallClockMillis();
}

RowWriter& KeyedProcessOperator::sideOutput(const OutputTag& tag) {
  auto it = sideOutputs_.find(tag.name);
  if (it == sideOutputs_.end()) {
    SideOutput s;
    s.index = context_.sideOutputIndex(tag.name);
    s.batch = Batch(tag.schema);
    it = sideOutputs_.emplace(tag.name, std::move(s)).first;
    it->second.writer = std::make_unique<RowWriter>(it->second.batch, true);
  }
  it->second.writer->setTimestamp(timestamp_);
  return *it->second.writer;
}

void KeyedProcessOperator::processBatch(int input, Batch&& batch) {
  sourceNanos_ = batch.sourceNanos();
  for (size_t row = 0; row < batch.numRows(); ++row) {
    setCurrentKeyFromRow(input, batch, row);
    timestamp_ = batch.timestamp(row);
    writer_->setTimestamp(timestamp_);
    function_->processElement(input, RowRef(batch, row), *this, *writer_);
  }
  flushOutput();
}

void KeyedProcessOperator::onEventTimeTimer(const Timer& timer) {
  timestamp_ = timer.time;
  writer_->setTimestamp(timer.time);
  function_->onTimer(timer.time, *this, *writer_);
}

void KeyedProcessOperator::onProcessingTimeTimer(const Timer& timer) {
  timestamp_ = kMinTimestamp;
  writer_->setTimestamp(kMinTimestamp);
  function_->onTimer(timer.time, *this, *writer_);
}

void KeyedProcessOperator::flushOutput() {
  if (!out_.empty()) {
    Batch b(outputSchema_);
    std::swap(b, out_);
    b.setSourceNanos(sourceNanos_ ? sourceNanos_ : monotonicNanos());
    output_->emit(std::move(b));
  }
  for (auto& [name, side] : sideOutputs_) {
    if (side.batch.empty()) continue;
    Batch b(side.batch.schema());
    std::swap(b, side.batch);
    if (side.index > 0) output_->emitSide(side.index, std::move(b));
  }
  sourceNanos_ = 0;
}

}  // namespace glint
