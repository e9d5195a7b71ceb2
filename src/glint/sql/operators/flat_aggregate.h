#pragma once
// A fixed-size, allocation-free accumulator for the common aggregates: up to kFlatCapacity
// calls of COUNT(*), COUNT, SUM, MIN, MAX, AVG over numeric arguments, without DISTINCT, and
// retractions only without MIN/MAX (which would need every value). It gives the same results
// as AggregateEvaluator; the slicing window operator keeps one per key and slice and the group
// aggregate one per key (FlatGroupAccumulator), so avoiding AggAccumulator's vectors (their
// allocations, copies and scattered cache lines) is most of the cost of those operators.
#include <cstdint>
#include <vector>

#include "glint/sql/planner/logical_plan.h"
#include "glint/types/batch.h"

namespace glint::sql {

inline constexpr size_t kFlatCapacity = 6;

// A window aggregate's accumulator, kept per key and slice: S 8-byte slots, one per COUNT call
// (its count) and two per SUM, MIN, MAX, AVG call (values counted, then the integral value or
// the bits of a DOUBLE). S is the smallest of kFlatWindowSizes that fits, so that the state
// entry of a lone COUNT(*) fills one cache line as a hand-written counter's does; at 144 bytes
// per slice, the table of slices missed the cache on most lookups.
template <size_t S>
struct FlatWindowAccumulator {
  int64_t slots[S] = {};
};
inline constexpr size_t kFlatWindowSizes[] = {1, 2, 4, 2 * kFlatCapacity};

// A group aggregate's accumulator for up to N calls (the smallest of 1, 2, 4, kFlatCapacity
// that fits, so that a key's state entry stays small): the group's rows (inserts minus
// retractions), and per call the values counted and one value, integral or the bits of a
// DOUBLE by the argument's type (SUM, MIN, MAX; AVG's sum).
template <size_t N>
struct FlatGroupAccumulator {
  int64_t rows = 0;
  int64_t counts[N] = {};
  int64_t values[N] = {};
};
inline constexpr size_t kFlatGroupSizes[] = {1, 2, 4, kFlatCapacity};

class FlatAggregateEvaluator {
 public:
  // Whether `calls` fit: at most kFlatCapacity, no DISTINCT, numeric (or no) arguments; with
  // `retracting`, no MIN/MAX either.
  static bool supports(const std::vector<AggCall>& calls, bool retracting = false);
  explicit FlatAggregateEvaluator(std::vector<AggCall> calls);
  size_t size() const { return calls_.size(); }

  // A window's accumulator (S >= windowSlots(); defined for kFlatWindowSizes).
  size_t windowSlots() const { return windowSlots_; }
  template <size_t S>
  void accumulate(FlatWindowAccumulator<S>& acc, const Batch& batch, size_t row) const;
  template <size_t S>
  void merge(FlatWindowAccumulator<S>& into, const FlatWindowAccumulator<S>& from) const;
  template <size_t S>
  void appendResult(const FlatWindowAccumulator<S>& acc, size_t i, Column& out) const;

  // The same for a group's accumulator (N >= size(); defined for kFlatGroupSizes), which
  // also takes rows back out (calls without MIN/MAX only).
  template <size_t N>
  void accumulate(FlatGroupAccumulator<N>& acc, const Batch& batch, size_t row) const;
  template <size_t N>
  void retract(FlatGroupAccumulator<N>& acc, const Batch& batch, size_t row) const;
  template <size_t N>
  void appendResult(const FlatGroupAccumulator<N>& acc, size_t i, Column& out) const;
  // Whether every call's result is the same for `a` and `b` (as the values appendResult would
  // write compare: NULL equals NULL, DOUBLEs by ==), without writing them.
  template <size_t N>
  bool sameResults(const FlatGroupAccumulator<N>& a, const FlatGroupAccumulator<N>& b) const;

 private:
  // A call's result: NULL, an integer or a DOUBLE.
  struct Result {
    bool null = true;
    bool isDouble = false;
    int64_t integer = 0;
    double real = 0;
    bool operator==(const Result& o) const {
      return null == o.null && (null || (isDouble ? real == o.real : integer == o.integer));
    }
  };
  template <class Layout>
  void add(Layout& acc, const Batch& batch, size_t row, bool retract) const;
  template <class Layout>
  Result result(const Layout& acc, size_t i) const;
  static void append(const Result& r, Column& out);

  std::vector<AggCall> calls_;
  // Per call, where a window accumulator keeps its count and its value (COUNT: no value).
  std::vector<uint8_t> countSlot_, valueSlot_;
  size_t windowSlots_ = 0;
};

}  // namespace glint::sql
