#pragma once
// GROUP BY aggregation operators: the keyed group aggregate (one phase, or the global phase
// of a two-phase aggregation) and the local pre-aggregation that runs before the hash
// exchange, with Flink's mini-batch options (table.exec.mini-batch.*) and agg-phase strategy
// (table.optimizer.agg-phase-strategy).
#include <memory>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "glint/runtime/operators/keyed_operator.h"
#include "glint/runtime/operators/window_operator.h"
#include "glint/sql/operators/aggregate_functions.h"
#include "glint/sql/operators/flat_aggregate.h"

namespace glint::sql {

struct StateOptions {
  int64_t ttlMillis = 0;  // table.exec.state.ttl (0: keep forever)
};

// How a group aggregate runs; the planner fills it from the session's options.
struct GroupAggregateOptions {
  // Batch mode: one +I per group at the end of input, nothing before.
  bool finalOnly = false;
  // Streaming without mini-batch (Flink's default): one change per input row, as Flink's
  // GroupAggFunction emits. State is still read and written once per key and input batch.
  bool perRowChanges = false;
  // Mini-batch: input rows are buffered into a bundle of up to `bundleRows` rows
  // (table.exec.mini-batch.size) or `bundleLatencyMillis` (allow-latency) and aggregated per
  // key at once: one state access and at most one change per key and bundle. 0: no bundles
  // (each input batch is one bundle).
  int64_t bundleRows = 0;
  int64_t bundleLatencyMillis = 0;
  // Global phase of a two-phase aggregation: the input rows are (keys..., accumulator) written
  // by LocalGroupAggregateOperator; they are merged instead of accumulated.
  bool mergeAccumulators = false;
  StateOptions state;
};

// Buffers input batches into bundles by row count and processing-time latency (mini-batch).
class BundleBuffer {
 public:
  BundleBuffer(int64_t rows, int64_t latencyMillis) : rows_(rows), latencyMillis_(latencyMillis) {}
  bool enabled() const { return rows_ > 0; }
  // Adds `batch`; returns true when the bundle is full. `deadline` is set to the time at which
  // the bundle must be flushed when this batch started it (else left alone).
  bool add(Batch&& batch, int64_t nowMillis, int64_t* deadline);
  bool empty() const { return batches_.empty(); }
  // The buffered rows as one batch (row kinds kept); the buffer is empty afterwards.
  Batch take();
  int64_t deadline() const { return deadline_; }

 private:
  int64_t rows_, latencyMillis_;
  std::vector<Batch> batches_;
  int64_t buffered_ = 0;
  int64_t deadline_ = INT64_MAX;
};

// GROUP BY aggregation. Streaming: emits +I for a new group, -U/+U when its result changes
// and -D when its last row is retracted; accepts retractions. With `finalOnly` (batch mode)
// it emits one +I per group at the end of input (and one row for a global aggregate over no
// rows). Counts its keyed-state accesses in JobMetrics::aggregateStateAccesses.
// Calls that FlatAggregateEvaluator supports (for a retracting input: without MIN/MAX) keep a
// fixed-size FlatGroupAccumulator<N> per key (N: the smallest of kFlatGroupSizes that fits),
// the others an AggAccumulator.
class GroupAggregateOperator final : public KeyedOperator {
 public:
  GroupAggregateOperator(SchemaPtr input, std::vector<int> keys, std::vector<AggCall> calls,
                         bool retractingInput, SchemaPtr output, GroupAggregateOptions options);
  void open() override;
  void processBatch(int input, Batch&& batch) override;
  void processWatermark(int64_t watermark) override;
  void onProcessingTime(int64_t nowMillis) override;
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) override;
  void finish() override;
  // Whether the accumulators are FlatGroupAccumulators (for tests).
  bool flatAccumulators() const { return flat_.has_value(); }

 private:
  struct GeneralAccumulators;
  template <size_t N>
  struct FlatAccumulators;
  // Calls `f` with the accumulators this operator keeps.
  template <class F>
  void withAccumulators(F&& f);
  void processRows(const Batch& batch);
  template <class Accumulators>
  void processRowsWith(const Batch& batch, const Accumulators& accumulators);
  template <class Accumulators>
  void finishWith(const Accumulators& accumulators);
  void flushBundle();
  void appendKey(std::string_view key, Batch& out);
  template <class Accumulators>
  void appendResult(std::string_view key, const Accumulators& accumulators,
                    const typename Accumulators::Accumulator& acc, RowKind kind, Batch& out);
  // Appends to `out` the change from the result held downstream (row `held` of `history`, -1
  // for none) to the result of `acc` (appended to `history`), which becomes the one held.
  template <class Accumulators>
  void emitChange(std::string_view key, const Accumulators& accumulators,
                  const typename Accumulators::Accumulator& acc, int& held, Batch& history,
                  Batch& out);
  void flush(Batch& out);

  SchemaPtr outputSchema_;
  size_t numKeys_;
  AggregateEvaluator evaluator_;
  std::optional<FlatAggregateEvaluator> flat_;
  GroupAggregateOptions options_;
  ValueState<AggAccumulator>* acc_ = nullptr;
  std::variant<std::monostate, ValueState<FlatGroupAccumulator<1>>*,
               ValueState<FlatGroupAccumulator<2>>*, ValueState<FlatGroupAccumulator<4>>*,
               ValueState<FlatGroupAccumulator<kFlatCapacity>>*>
      flatAcc_;
  windowing::BatchKeyGroups groups_;
  std::vector<std::string> touched_;  // finalOnly: keys seen, in order
  std::unique_ptr<windowing::KeyTable> touchedIndex_;
  BundleBuffer bundle_;
  AggAccumulator partial_;  // mergeAccumulators: one decoded input accumulator
};

// The local phase of a two-phase aggregation, before the hash exchange: per bundle (an input
// batch, or a mini-batch bundle) and key, one accumulator of the bundle's rows. Emits insert
// rows (keys..., accumulator bytes as a STRING column); no state, so a hot key reaches the
// global phase once per bundle and subtask instead of once per row.
class LocalGroupAggregateOperator final : public StreamOperator {
 public:
  LocalGroupAggregateOperator(SchemaPtr input, std::vector<int> keys, std::vector<AggCall> calls,
                              bool retractingInput, SchemaPtr output, int64_t bundleRows,
                              int64_t bundleLatencyMillis);
  // (keys..., "$accumulator" STRING): the output schema for `input` and `keys`.
  static SchemaPtr outputSchemaFor(const Schema& input, const std::vector<int>& keys);
  void processBatch(int input, Batch&& batch) override;
  void processWatermark(int64_t watermark) override;
  void onProcessingTime(int64_t nowMillis) override;
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) override;
  void finish() override;

 private:
  void aggregate(const Batch& batch);
  void flushBundle();

  SchemaPtr outputSchema_;
  std::vector<int> keys_;
  KeyEncoder keyEncoder_;
  AggregateEvaluator evaluator_;
  BundleBuffer bundle_;
  windowing::BatchKeyGroups groups_;
  std::string bytes_;
};

}  // namespace glint::sql
