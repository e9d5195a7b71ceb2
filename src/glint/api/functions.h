#pragma once
// User function interfaces of the DataStream API, shaped like Flink's.
#include <memory>
#include <string>

#include "glint/state/keyed_state.h"
#include "glint/types/batch.h"

namespace glint {

// Names a side output and its schema (Flink's OutputTag).
struct OutputTag {
  std::string name;
  SchemaPtr schema;
};

// What a process function may do besides emitting rows.
class ProcessContext {
 public:
  virtual ~ProcessContext() = default;
  // Timestamp of the current element, or of the firing timer in onTimer.
  virtual int64_t timestamp() const = 0;
  virtual int64_t currentWatermark() const = 0;
  virtual int64_t currentProcessingTime() const = 0;
  virtual void registerEventTimeTimer(int64_t time) = 0;
  virtual void deleteEventTimeTimer(int64_t time) = 0;
  virtual void registerProcessingTimeTimer(int64_t time) = 0;
  virtual void deleteProcessingTimeTimer(int64_t time) = 0;
  virtual KeyRef currentKey() const = 0;
  // A writer for rows of the side output `tag` (dropped when nobody consumes that output).
  virtual RowWriter& sideOutput(const OutputTag& tag) = 0;
  virtual KeyedStateBackend& state() = 0;
};

// Base of keyed process functions with one or two inputs. A function object is copied once
// per parallel instance, so members set in open() are per instance.
class KeyedProcessFunctionBase {
 public:
  virtual ~KeyedProcessFunctionBase() = default;
  // Get state handles here: state.valueState<int64_t>("count"), ...
  virtual void open(KeyedStateBackend& state) {}
  virtual void processElement(int input, RowRef row, ProcessContext& ctx, RowWriter& out) = 0;
  virtual void onTimer(int64_t timestamp, ProcessContext& ctx, RowWriter& out) {}
};

class KeyedProcessFunction : public KeyedProcessFunctionBase {
 public:
  virtual void processElement(RowRef row, ProcessContext& ctx, RowWriter& out) = 0;
  void processElement(int, RowRef row, ProcessContext& ctx, RowWriter& out) final {
    processElement(row, ctx, out);
  }
};

class KeyedCoProcessFunction : public KeyedProcessFunctionBase {
 public:
  virtual void processElement1(RowRef row, ProcessContext& ctx, RowWriter& out) = 0;
  virtual void processElement2(RowRef row, ProcessContext& ctx, RowWriter& out) = 0;
  void processElement(int input, RowRef row, ProcessContext& ctx, RowWriter& out) final {
    if (input == 0)
      processElement1(row, ctx, out);
    else
      processElement2(row, ctx, out);
  }
};

}  // namespace glint
