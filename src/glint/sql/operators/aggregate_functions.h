#pragma once
// Accumulators of the SQL aggregate functions COUNT(*), COUNT, SUM, MIN, MAX, AVG, with
// DISTINCT, shared by the group aggregate (which also retracts) and the window aggregate.
// One accumulator holds the state of all the aggregate calls of a group.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "glint/sql/planner/logical_plan.h"
#include "glint/types/batch.h"

namespace glint::sql {

struct AggAccumulator {
  int64_t rows = 0;                  // rows in the group (inserts minus retractions)
  std::vector<int64_t> counts;       // per call: non-null values counted
  std::vector<int64_t> ints;         // per call: integral SUM / MIN / MAX
  std::vector<double> doubles;       // per call: DOUBLE SUM / MIN / MAX
  std::vector<std::string> strings;  // per call: VARCHAR MIN / MAX
  // Per call: value -> multiplicity, for DISTINCT and for MIN/MAX over retracting input.
  std::vector<std::map<std::string, int64_t>> values;

  auto glintFields() { return std::tie(rows, counts, ints, doubles, strings, values); }
  auto glintFields() const { return std::tie(rows, counts, ints, doubles, strings, values); }
};

class AggregateEvaluator {
 public:
  // `retracting`: the input may hold -U/-D rows (MIN/MAX then keep all values).
  AggregateEvaluator(std::vector<AggCall> calls, bool retracting);
  AggAccumulator create() const;
  // Adds (sign +1) or retracts (sign -1) row `row` of `batch`.
  void accumulate(AggAccumulator& acc, const Batch& batch, size_t row, int sign) const;
  void merge(AggAccumulator& into, const AggAccumulator& from) const;
  // Appends the value of call `i` to `out`.
  void appendResult(const AggAccumulator& acc, size_t i, Column& out) const;
  size_t size() const { return calls_.size(); }

 private:
  std::vector<AggCall> calls_;
  bool retracting_;
};

}  // namespace glint::sql
