#pragma once
// Accumulators of the SQL aggregate functions COUNT(*), COUNT, SUM, MIN, MAX, AVG, with
// DISTINCT, and STDDEV_POP/STDDEV_SAMP/VAR_POP/VAR_SAMP, LISTAGG, FIRST_VALUE, LAST_VALUE,
// shared by the group aggregate (which also retracts and, in two phases, merges), the window
// aggregate and the OVER aggregate. One accumulator holds the state of all the aggregate calls
// of a group.
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
  // Statistical calls on DOUBLE, three per call at 3 * i: a shift K (NaN until the first value),
  // sum(x - K) and sum((x - K)^2). Shifting by a value of the group keeps the variance from
  // cancelling out, and sums (unlike Welford's running mean) stay exact when a retraction
  // empties a partial accumulator of the local phase. Empty when no call needs it.
  std::vector<double> moments;
  // Statistical calls on integers: sum(x * x), wrapping like Flink's Java arithmetic (the sum
  // itself is in `ints`).
  std::vector<int64_t> squares;
  // LISTAGG / FIRST_VALUE / LAST_VALUE: the non-null values in arrival order (as Flink's
  // retractable versions keep them; insert-only FIRST/LAST_VALUE keep one), and retractions of
  // values not in the list (a local phase's bundle may retract what an earlier one added).
  std::vector<std::vector<std::string>> lists;
  std::vector<std::vector<std::string>> pendingRetractions;

  auto glintFields() {
    return std::tie(rows, counts, ints, doubles, strings, values, moments, squares, lists,
                    pendingRetractions);
  }
  auto glintFields() const {
    return std::tie(rows, counts, ints, doubles, strings, values, moments, squares, lists,
                    pendingRetractions);
  }
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
  void accumulateList(AggAccumulator& acc, size_t i, std::string value, int sign) const;
  void mergeList(AggAccumulator& into, AggAccumulator const& from, size_t i) const;
  void appendStatistic(const AggAccumulator& acc, size_t i, Column& out) const;
  void appendListResult(const AggAccumulator& acc, size_t i, Column& out) const;

  std::vector<AggCall> calls_;
  bool retracting_;
  bool hasStatistics_ = false;  // some call needs `moments` / `squares`
  bool hasLists_ = false;       // some call needs `lists`
};

}  // namespace glint::sql
