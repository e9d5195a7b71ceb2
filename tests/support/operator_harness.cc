#include "tests/support/operator_harness.h"

namespace glint::testutil {

Batch makeBatch(const SchemaPtr& schema, const std::vector<TestRow>& rows) {
  Batch batch(schema);
  RowWriter writer(batch, /*carryTimestamps=*/true);
  for (const TestRow& row : rows) {
    GLINT_CHECK_EQ(row.values.size(), schema->size());
    for (size_t c = 0; c < row.values.size(); ++c) {
      Column& col = batch.mutableColumn(c);
      const auto& v = row.values[c].value;
      if (std::holds_alternative<Null>(v)) {
        col.appendNull();
      } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
        if (col.physical() == PhysicalType::kDouble)
          col.appendDouble(static_cast<double>(*i));
        else
          col.appendInt(*i);
      } else if (const double* d = std::get_if<double>(&v)) {
        GLINT_CHECK(col.physical() == PhysicalType::kDouble);
        col.appendDouble(*d);
      } else {
        GLINT_CHECK(col.physical() == PhysicalType::kString);
        col.appendString(std::get<std::string>(v));
      }
    }
    writer.setTimestamp(row.timestamp);
    writer.setRowKind(row.kind);
    writer.finishRow();
  }
  return batch;
}

void ManualTaskServices::advanceTo(int64_t timeMillis) {
  if (timeMillis > now_) now_ = timeMillis;
  while (!callbacks_.empty() && callbacks_.begin()->first <= now_) {
    StreamOperator* op = callbacks_.begin()->second;
    callbacks_.erase(callbacks_.begin());
    op->onProcessingTime(now_);
  }
}

OperatorHarness::OperatorHarness(std::unique_ptr<StreamOperator> op,
                                 std::vector<std::string> sideOutputNames)
    : op_(std::move(op)) {
  context_.name = "harness";
  context_.subtaskIndex = 0;
  context_.parallelism = 1;
  context_.maxParallelism = kDefaultMaxParallelism;
  context_.keyGroups = keyGroupRangeForSubtask(kDefaultMaxParallelism, 1, 0);
  context_.metrics = &metrics_;
  context_.task = &services_;
  context_.sideOutputNames = std::move(sideOutputNames);
}

OperatorHarness::~OperatorHarness() {
  if (opened_ && !closed_) op_->close();
}

void OperatorHarness::open() {
  op_->setup(context_, this);
  op_->open();
  opened_ = true;
}

void OperatorHarness::processBatch(int input, Batch batch) {
  op_->processBatch(input, std::move(batch));
}

void OperatorHarness::processWatermark(int64_t watermark) {
  op_->processWatermark(watermark);
}

void OperatorHarness::finish() {
  op_->finish();
}

void OperatorHarness::close() {
  if (opened_ && !closed_) op_->close();
  closed_ = true;
}

void OperatorHarness::emit(Batch&& batch) {
  output_.push_back(std::move(batch));
}

void OperatorHarness::emitSide(int output, Batch&& batch) {
  sideOutputs_[output].push_back(std::move(batch));
}

const std::vector<Batch>& OperatorHarness::sideOutputBatches(int index) const {
  static const std::vector<Batch> kNone;
  auto it = sideOutputs_.find(index);
  return it == sideOutputs_.end() ? kNone : it->second;
}

std::vector<std::string> rowsOf(const std::vector<Batch>& batches, bool withTimestamps) {
  std::vector<std::string> rows;
  for (const Batch& b : batches)
    for (size_t r = 0; r < b.numRows(); ++r) {
      std::string s = b.rowToString(r);
      if (withTimestamps) s += " @" + std::to_string(b.timestamp(r));
      rows.push_back(std::move(s));
    }
  return rows;
}

std::vector<std::string> OperatorHarness::outputRows() const {
  return rowsOf(output_);
}
std::vector<std::string> OperatorHarness::outputRowsWithTimestamps() const {
  return rowsOf(output_, true);
}
std::vector<std::string> OperatorHarness::sideOutputRows(int index) const {
  return rowsOf(sideOutputBatches(index));
}
std::vector<std::string> OperatorHarness::sideOutputRowsWithTimestamps(int index) const {
  return rowsOf(sideOutputBatches(index), true);
}

void OperatorHarness::clearOutput() {
  output_.clear();
  sideOutputs_.clear();
  watermarks_.clear();
  idle_ = 0;
}

void OperatorHarness::useStateBackend(const std::string& backend,
                                      const std::filesystem::path& dir) {
  context_.config.options["state.backend.type"] = backend;
  context_.config.options["state.backend.rocksdb.localdir"] = (dir / "local").string();
}

OperatorRestoreState OperatorHarness::checkpointForRestore(const std::filesystem::path& dir,
                                                           const std::string& name) {
  SnapshotLocation location{dir, dir / "chk-1" / name, dir / "shared", false};
  std::filesystem::create_directories(location.exclusiveDir);
  std::filesystem::create_directories(location.sharedDir);
  OperatorSnapshot snapshot;
  op_->snapshotState(CheckpointBarrier{1, 0}, location, snapshot);
  OperatorRestoreState restore;
  restore.restored = true;
  restore.checkpointId = 1;
  restore.checkpointRoot = dir;
  if (snapshot.keyedTask) {
    auto handle = snapshot.keyedTask->run();
    if (!handle.isOk())
      throw GlintError("checkpoint of the keyed state: " + handle.status().message());
    restore.keyedHandles.push_back(*handle);
  }
  restore.keyedOperatorData = snapshot.keyedOperatorData;
  return restore;
}

}  // namespace glint::testutil
