#pragma once
// Drives one operator outside a job, like Flink's KeyedOneInputStreamOperatorTestHarness: it
// gives the operator an OperatorContext (subtask 0 of 1, max parallelism 128, key groups
// [0, 127], a JobMetrics and a TaskServices whose processing-time clock the test controls),
// and records everything the operator emits.
//
//   OperatorHarness h(std::move(op), {"late"});   // side output 1 is "late"
//   h.open();
//   h.processBatch(0, makeBatch(schema, {{1000, {1, "a"}}, {1500, {2, "b"}}}));
//   h.processWatermark(1999);
//   EXPECT_EQ(h.outputRows(), (std::vector<std::string>{"1, 1", "2, 1"}));
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/runtime/metrics.h"
#include "glint/runtime/operator.h"
#include "glint/types/batch.h"

namespace glint::testutil {

// One value of a test row: integers (also timestamps, booleans as 0/1 are fine for BOOLEAN),
// doubles, strings or NULL.
struct TestValue {
  std::variant<Null, int64_t, double, std::string> value;
  TestValue(Null) : value(Null{}) {}
  TestValue(int v) : value(int64_t{v}) {}
  TestValue(int64_t v) : value(v) {}
  TestValue(double v) : value(v) {}
  TestValue(const char* v) : value(std::string(v)) {}
  TestValue(std::string v) : value(std::move(v)) {}
  TestValue(bool v) : value(int64_t{v ? 1 : 0}) {}
};

struct TestRow {
  int64_t timestamp;
  std::vector<TestValue> values;
  RowKind kind = RowKind::kInsert;
};

// A batch of `schema` with the given rows, each with its event timestamp.
Batch makeBatch(const SchemaPtr& schema, const std::vector<TestRow>& rows);

// Processing-time services whose clock only moves when the test says so.
class ManualTaskServices final : public TaskServices {
 public:
  void registerProcessingTimeCallback(int64_t timeMillis, StreamOperator* op) override {
    callbacks_.emplace(timeMillis, op);
  }
  int64_t now() const { return now_; }
  // Moves the clock to `timeMillis` and calls onProcessingTime on every operator whose
  // callback is due (callbacks registered meanwhile run too if they are due).
  void advanceTo(int64_t timeMillis);
  size_t numPendingCallbacks() const { return callbacks_.size(); }

 private:
  int64_t now_ = 0;
  std::multimap<int64_t, StreamOperator*> callbacks_;
};

class OperatorHarness final : public OperatorOutput {
 public:
  // `sideOutputNames[k]` is side output k + 1 (only named side outputs are consumed).
  explicit OperatorHarness(std::unique_ptr<StreamOperator> op,
                           std::vector<std::string> sideOutputNames = {});
  ~OperatorHarness() override;

  StreamOperator& op() { return *op_; }
  template <class T>
  T& op() {
    return dynamic_cast<T&>(*op_);
  }
  // Change before open().
  OperatorContext& context() { return context_; }
  JobMetrics& metrics() { return metrics_; }
  // Before open(): the keyed state backend `backend` ("heap" | "rocksdb"), RocksDB's files in
  // `dir`/local.
  void useStateBackend(const std::string& backend, const std::filesystem::path& dir);
  // Takes checkpoint 1 of the operator into `dir` (as the task named `name` would) and returns
  // what restores it into a new operator (initializeState before open).
  OperatorRestoreState checkpointForRestore(const std::filesystem::path& dir,
                                            const std::string& name);

  void open();
  void processBatch(int input, Batch batch);
  void processWatermark(int64_t watermark);
  // Moves the harness clock and fires due processing-time callbacks.
  void setProcessingTime(int64_t timeMillis) { services_.advanceTo(timeMillis); }
  int64_t processingTime() const { return services_.now(); }
  // Final watermark (optional), then finish() and close().
  void finish();
  void close();

  // Main output rows in emission order, via Batch::rowToString.
  std::vector<std::string> outputRows() const;
  // Same, each followed by " @<timestamp>".
  std::vector<std::string> outputRowsWithTimestamps() const;
  std::vector<std::string> sideOutputRows(int index) const;
  std::vector<std::string> sideOutputRowsWithTimestamps(int index) const;
  const std::vector<Batch>& outputBatches() const { return output_; }
  const std::vector<Batch>& sideOutputBatches(int index) const;
  const std::vector<int64_t>& watermarks() const { return watermarks_; }
  size_t numIdle() const { return idle_; }
  // Forgets what was emitted so far.
  void clearOutput();

  // OperatorOutput
  void emit(Batch&& batch) override;
  void emitSide(int output, Batch&& batch) override;
  void emitWatermark(int64_t watermark) override { watermarks_.push_back(watermark); }
  void emitIdle() override { ++idle_; }

 private:
  std::unique_ptr<StreamOperator> op_;
  JobMetrics metrics_;
  ManualTaskServices services_;
  OperatorContext context_;
  bool opened_ = false;
  bool closed_ = false;
  std::vector<Batch> output_;
  std::map<int, std::vector<Batch>> sideOutputs_;
  std::vector<int64_t> watermarks_;
  size_t idle_ = 0;
};

// Rows of batches as strings (Batch::rowToString), optionally with " @<timestamp>".
std::vector<std::string> rowsOf(const std::vector<Batch>& batches, bool withTimestamps = false);

}  // namespace glint::testutil
