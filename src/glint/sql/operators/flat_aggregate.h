#pragma once
// A fixed-size, allocation-free accumulator for the common window aggregates: up to
// kFlatCapacity calls of COUNT(*), COUNT, SUM, MIN, MAX, AVG over numeric arguments, without
// DISTINCT and without retractions (window aggregates are insert-only). It gives the same
// results as AggregateEvaluator; the slicing window operator keeps one per key and slice, so
// avoiding AggAccumulator's vectors is most of the cost of a SQL window aggregate.
#include <cstdint>
#include <vector>

#include "glint/sql/planner/logical_plan.h"
#include "glint/types/batch.h"

namespace glint::sql {

inline constexpr size_t kFlatCapacity = 6;

struct FlatAccumulator {
  int64_t counts[kFlatCapacity];  // per call: rows (COUNT(*)) or non-null values counted
  int64_t ints[kFlatCapacity];    // per call: integral SUM / MIN / MAX
  double doubles[kFlatCapacity];  // per call: DOUBLE SUM / MIN / MAX
};

class FlatAggregateEvaluator {
 public:
  // Whether `calls` fit: at most kFlatCapacity, no DISTINCT, numeric (or no) arguments.
  static bool supports(const std::vector<AggCall>& calls);
  explicit FlatAggregateEvaluator(std::vector<AggCall> calls) : calls_(std::move(calls)) {}
  FlatAccumulator create() const { return FlatAccumulator{}; }
  void accumulate(FlatAccumulator& acc, const Batch& batch, size_t row) const;
  void merge(FlatAccumulator& into, const FlatAccumulator& from) const;
  void appendResult(const FlatAccumulator& acc, size_t i, Column& out) const;
  size_t size() const { return calls_.size(); }

 private:
  std::vector<AggCall> calls_;
};

}  // namespace glint::sql
