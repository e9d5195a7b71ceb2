#pragma once
#include <map>
#include <memory>

#include "glint/api/functions.h"
#include "glint/runtime/operators/keyed_operator.h"

namespace glint {

// Runs a KeyedProcessFunction (one input) or KeyedCoProcessFunction (two inputs) with keyed
// state, timers and side outputs.
class KeyedProcessOperator final : public KeyedOperator, private ProcessContext {
 public:
  KeyedProcessOperator(std::unique_ptr<KeyedProcessFunctionBase> function, SchemaPtr outputSchema,
                       std::vector<SchemaPtr> inputSchemas,
                       std::vector<std::vector<int>> keyColumns);
  void open() override;
  void processBatch(int input, Batch&& batch) override;
  void finish() override { flushOutput(); }

 private:
  void onEventTimeTimer(const Timer& timer) override;
  void onProcessingTimeTimer(const Timer& timer) override;
  void flushOutput() override;

  // ProcessContext
  int64_t timestamp() const override { return timestamp_; }
  int64_t currentWatermark() const override { return KeyedOperator::currentWatermark(); }
  int64_t currentProcessingTime() const override;
  void registerEventTimeTimer(int64_t time) override {
    timers().registerEventTimeTimer(kVoidNamespace, time);
  }
  void deleteEventTimeTimer(int64_t time) override {
    timers().deleteEventTimeTimer(kVoidNamespace, time);
  }
  void registerProcessingTimeTimer(int64_t time) override {
    KeyedOperator::registerProcessingTimeTimer(kVoidNamespace, time);
  }
  void deleteProcessingTimeTimer(int64_t time) override {
    timers().deleteProcessingTimeTimer(kVoidNamespace, time);
  }
  KeyRef currentKey() const override { return KeyedOperator::currentKey(); }
  RowWriter& sideOutput(const OutputTag& tag) override;
  KeyedStateBackend& state() override { return KeyedOperator::state(); }

  std::unique_ptr<KeyedProcessFunctionBase> function_;
  SchemaPtr outputSchema_;
  Batch out_;
  std::unique_ptr<RowWriter> writer_;
  int64_t timestamp_ = kMinTimestamp;
  int64_t sourceNanos_ = 0;
  struct SideOutput {
    int index = 0;  // 0: not consumed
    Batch batch;
    std::unique_ptr<RowWriter> writer;
  };
  std::map<std::string, SideOutput> sideOutputs_;
};

}  // namespace glint
