#pragma once
// Physical translation: the optimized logical plan onto the engine's operators through the
// DataStream API (sources, Calc as one mapBatch, window aggregate, group aggregate, joins,
// union, sort/limit).
#include <string>

#include "glint/api/data_stream.h"
#include "glint/sql/operators/sql_operators.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// table.optimizer.agg-phase-strategy
enum class AggregatePhaseStrategy { kAuto, kOnePhase, kTwoPhase };

struct AggregationOptions {
  bool miniBatch = false;              // table.exec.mini-batch.enabled
  int64_t miniBatchLatencyMillis = 0;  // table.exec.mini-batch.allow-latency
  int64_t miniBatchSize = 0;           // table.exec.mini-batch.size
  AggregatePhaseStrategy phases = AggregatePhaseStrategy::kAuto;
};

struct PhysicalOptions {
  bool streaming = true;  // execution.runtime-mode
  StateOptions state;
  AggregationOptions aggregation;
};

SchemaPtr schemaOf(const std::vector<RelColumn>& columns);

// Adds the operators of `plan` to `env`; `explain` (optional) gets one line per operator.
Result<DataStream> translateToStream(const RelPtr& plan, StreamExecutionEnvironment& env,
                                     const PhysicalOptions& options, std::string* explain);

}  // namespace glint::sql
