#pragma once
// DataStream, KeyedStream and friends: each call adds an operator to the environment's
// StreamGraph. Rows are columnar underneath; user functions see one row at a time through
// RowRef and write rows with RowWriter, and are inlined into the operator's loop.
#include <memory>
#include <string>
#include <vector>

#include "glint/api/functions.h"
#include "glint/api/stream_execution_environment.h"
#include "glint/runtime/operators/process_operator.h"
#include "glint/runtime/operators/stateless_operators.h"

namespace glint {

class KeyedStream;
class ConnectedStreams;
class JoinedStreams;
class WindowedStream;
class IntervalJoined;
class WindowAssigner;

class DataStream {
 public:
  DataStream(StreamExecutionEnvironment* env, int node, int output, SchemaPtr schema)
      : env_(env), node_(node), output_(output), schema_(std::move(schema)) {}

  const SchemaPtr& schema() const { return schema_; }
  int nodeId() const { return node_; }
  StreamExecutionEnvironment* environment() const { return env_; }
  // Index of a column by name; throws GlintError naming the column and the known ones.
  int column(const std::string& name) const;

  // ---- properties of the operator that produced this stream
  DataStream& setParallelism(int parallelism);
  DataStream& name(const std::string& name);
  DataStream& uid(const std::string& uid);

  // ---- stateless transformations
  template <class Predicate>
  DataStream filter(Predicate predicate, const std::string& name = "Filter") {
    return transform(name, schema_, [predicate] {
      return std::make_unique<FilterOperator<Predicate>>(predicate);
    });
  }
  // fn(RowRef in, RowWriter& out) writes exactly one row per input row.
  template <class Function>
  DataStream map(SchemaPtr outputSchema, Function fn, const std::string& name = "Map") {
    return flatMap(std::move(outputSchema), std::move(fn), name);
  }
  // fn(RowRef in, RowWriter& out) writes zero or more rows per input row.
  template <class Function>
  DataStream flatMap(SchemaPtr outputSchema, Function fn, const std::string& name = "FlatMap") {
    return transform(name, outputSchema, [outputSchema, fn] {
      return std::make_unique<FlatMapOperator<Function>>(outputSchema, fn);
    });
  }
  // fn(Batch&&) -> Batch over whole batches (vectorised code).
  template <class Function>
  DataStream mapBatch(SchemaPtr outputSchema, Function fn, const std::string& name = "MapBatch") {
    return transform(name, outputSchema,
                     [fn] { return std::make_unique<MapBatchOperator<Function>>(fn); });
  }
  DataStream project(const std::vector<std::string>& columns, const std::string& name = "Project");
  DataStream assignTimestampsAndWatermarks(const WatermarkStrategy& strategy);

  // ---- partitioning
  KeyedStream keyBy(const std::vector<std::string>& columns);
  DataStream rebalance() const { return withPartitioning(Partitioning::kRebalance); }
  DataStream broadcast() const { return withPartitioning(Partitioning::kBroadcast); }
  DataStream global() const { return withPartitioning(Partitioning::kGlobal); }
  DataStream forward() const { return withPartitioning(Partitioning::kForward); }

  // ---- combining streams
  // Flink's union: the streams must have the same column types.
  DataStream unionWith(const std::vector<DataStream>& others);
  ConnectedStreams connect(const DataStream& other);
  // Window join: join(other).where(keys).equalTo(keys).window(assigner).apply(schema, fn).
  JoinedStreams join(const DataStream& other) const;

  // ---- side outputs of the operator that produced this stream
  DataStream getSideOutput(const OutputTag& tag);

  // ---- sinks
  void sinkTo(const std::string& name, OperatorFactory factory);
  // Prints rows as Flink's print() does: "<subtask>> +I[a, b]".
  void print(const std::string& name = "Print");

  // ---- building blocks for the rest of the API
  DataStream transform(const std::string& name, SchemaPtr outputSchema,
                       OperatorFactory factory) const;
  DataStream transformTwo(const std::string& name, const DataStream& second, SchemaPtr outputSchema,
                          OperatorFactory factory) const;
  Partitioning partitioning() const { return partitioning_; }
  const std::vector<int>& keyColumns() const { return keyColumns_; }
  DataStream withPartitioning(Partitioning p, std::vector<int> keys = {}) const {
    DataStream s = *this;
    s.partitioning_ = p;
    s.keyColumns_ = std::move(keys);
    return s;
  }

 protected:
  void connectTo(int target, int input) const;

  StreamExecutionEnvironment* env_;
  int node_;
  int output_;
  SchemaPtr schema_;
  Partitioning partitioning_ = Partitioning::kForward;
  std::vector<int> keyColumns_;
};

// A stream partitioned by key: operators after keyBy see all rows of a key in one subtask and
// have keyed state and timers.
class KeyedStream : public DataStream {
 public:
  KeyedStream(const DataStream& stream, std::vector<int> keyColumns)
      : DataStream(stream.withPartitioning(Partitioning::kHash, keyColumns)) {}

  // fn is a KeyedProcessFunction subclass; it is copied for every parallel instance.
  template <class Function>
  DataStream process(SchemaPtr outputSchema, const Function& fn,
                     const std::string& name = "KeyedProcess") {
    SchemaPtr input = schema_;
    std::vector<int> keys = keyColumns_;
    return transform(name, outputSchema, [fn, outputSchema, input, keys] {
      return std::make_unique<KeyedProcessOperator>(std::make_unique<Function>(fn), outputSchema,
                                                    std::vector<SchemaPtr>{input},
                                                    std::vector<std::vector<int>>{keys});
    });
  }
  // Keyed co-processing of two keyed streams (the key columns must have the same types).
  template <class Function>
  DataStream coProcess(const KeyedStream& other, SchemaPtr outputSchema, const Function& fn,
                       const std::string& name = "KeyedCoProcess") {
    SchemaPtr a = schema_, b = other.schema_;
    std::vector<int> ka = keyColumns_, kb = other.keyColumns_;
    checkKeyTypes(other);
    return transformTwo(name, other, outputSchema, [fn, outputSchema, a, b, ka, kb] {
      return std::make_unique<KeyedProcessOperator>(std::make_unique<Function>(fn), outputSchema,
                                                    std::vector<SchemaPtr>{a, b},
                                                    std::vector<std::vector<int>>{ka, kb});
    });
  }
  void checkKeyTypes(const KeyedStream& other) const;
  // Windows over this keyed stream (windowed_stream.h).
  WindowedStream window(WindowAssigner assigner) const;
  IntervalJoined intervalJoin(const KeyedStream& other) const;
};

// Two streams that one two-input operator will read (Flink's ConnectedStreams).
class ConnectedStreams {
 public:
  ConnectedStreams(DataStream first, DataStream second)
      : first_(std::move(first)), second_(std::move(second)) {}
  ConnectedStreams keyBy(const std::vector<std::string>& firstKey,
                         const std::vector<std::string>& secondKey) const;
  template <class Function>
  DataStream process(SchemaPtr outputSchema, const Function& fn,
                     const std::string& name = "CoProcess") {
    if (first_.partitioning() != Partitioning::kHash ||
        second_.partitioning() != Partitioning::kHash)
      throw GlintError(
          "connect(...).process(...) needs keyed inputs: call keyBy(firstKey, secondKey) first");
    SchemaPtr a = first_.schema(), b = second_.schema();
    std::vector<int> ka = first_.keyColumns(), kb = second_.keyColumns();
    return first_.transformTwo(name, second_, outputSchema, [fn, outputSchema, a, b, ka, kb] {
      return std::make_unique<KeyedProcessOperator>(std::make_unique<Function>(fn), outputSchema,
                                                    std::vector<SchemaPtr>{a, b},
                                                    std::vector<std::vector<int>>{ka, kb});
    });
  }
  const DataStream& first() const { return first_; }
  const DataStream& second() const { return second_; }

 private:
  DataStream first_;
  DataStream second_;
};

}  // namespace glint

// Windows and joins extend the classes above.
#include "glint/api/windowed_stream.h"
