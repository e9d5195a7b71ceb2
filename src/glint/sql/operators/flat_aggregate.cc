#include "glint/sql/operators/flat_aggregate.h"

#include <bit>

#include "glint/common/status.h"

namespace glint::sql {

namespace {
// INT results wrap at 32 bits as Java ints do in Flink (as AggregateEvaluator does).
int64_t wrapInt(int64_t v, ExprType type) {
  return type == ExprType::kInt ? static_cast<int32_t>(static_cast<uint32_t>(v)) : v;
}
bool isMinMax(AggKind k) {
  return k == AggKind::kMin || k == AggKind::kMax;
}

bool isCount(AggKind k) {
  return k == AggKind::kCountStar || k == AggKind::kCount;
}

// A call's count and value in the two layouts: a window's accumulator keeps them in the slots
// the evaluator assigned to the call, a group's accumulator in arrays indexed by the call.
// MIN / MAX: keeps `v` as call i's value when it is the first one or beats the one held.
template <class Layout>
void keepExtreme(Layout& acc, size_t i, bool min, bool first, double v) {
  if (first || (min ? v < acc.getDouble(i) : v > acc.getDouble(i))) acc.setDouble(i, v);
}
template <class Layout>
void keepExtreme(Layout& acc, size_t i, bool min, bool first, int64_t v) {
  if (first || (min ? v < acc.getInt(i) : v > acc.getInt(i))) acc.setInt(i, v);
}

template <size_t S>
struct WindowLayout {
  FlatWindowAccumulator<S>& acc;
  const uint8_t* countSlot;
  const uint8_t* valueSlot;
  int64_t& count(size_t i) { return acc.slots[countSlot[i]]; }
  int64_t getInt(size_t i) const { return acc.slots[valueSlot[i]]; }
  void setInt(size_t i, int64_t v) { acc.slots[valueSlot[i]] = v; }
  double getDouble(size_t i) const { return std::bit_cast<double>(acc.slots[valueSlot[i]]); }
  void setDouble(size_t i, double v) { acc.slots[valueSlot[i]] = std::bit_cast<int64_t>(v); }
};
template <size_t S>
struct ConstWindowLayout {
  const FlatWindowAccumulator<S>& acc;
  const uint8_t* countSlot;
  const uint8_t* valueSlot;
  int64_t count(size_t i) const { return acc.slots[countSlot[i]]; }
  int64_t getInt(size_t i) const { return acc.slots[valueSlot[i]]; }
  double getDouble(size_t i) const { return std::bit_cast<double>(acc.slots[valueSlot[i]]); }
};
template <size_t N>
struct GroupLayout {
  FlatGroupAccumulator<N>& acc;
  int64_t& count(size_t i) { return acc.counts[i]; }
  int64_t getInt(size_t i) const { return acc.values[i]; }
  void setInt(size_t i, int64_t v) { acc.values[i] = v; }
  double getDouble(size_t i) const { return std::bit_cast<double>(acc.values[i]); }
  void setDouble(size_t i, double v) { acc.values[i] = std::bit_cast<int64_t>(v); }
};
template <size_t N>
struct ConstGroupLayout {
  const FlatGroupAccumulator<N>& acc;
  int64_t count(size_t i) const { return acc.counts[i]; }
  int64_t getInt(size_t i) const { return acc.values[i]; }
  double getDouble(size_t i) const { return std::bit_cast<double>(acc.values[i]); }
};
}  // namespace

bool FlatAggregateEvaluator::supports(const std::vector<AggCall>& calls, bool retracting) {
  if (calls.size() > kFlatCapacity) return false;
  for (const auto& c : calls) {
    if (c.distinct || isStatisticalAggregate(c.kind) || isListAggregate(c.kind)) return false;
    if (retracting && isMinMax(c.kind)) return false;
    if (c.kind != AggKind::kCountStar && c.kind != AggKind::kCount &&
        (c.argumentType == ExprType::kVarchar || !columnTypeOf(c.argumentType)))
      return false;
  }
  return true;
}

FlatAggregateEvaluator::FlatAggregateEvaluator(std::vector<AggCall> calls)
    : calls_(std::move(calls)) {
  for (const AggCall& call : calls_) {
    countSlot_.push_back(static_cast<uint8_t>(windowSlots_++));
    valueSlot_.push_back(isCount(call.kind) ? 0 : static_cast<uint8_t>(windowSlots_++));
  }
}

template <class Layout>
void FlatAggregateEvaluator::add(Layout& acc, const Batch& batch, size_t row, bool retract) const {
  const int64_t sign = retract ? -1 : 1;
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    if (call.filter >= 0) {
      const Column& f = batch.column(call.filter);
      if (f.isNull(row) || f.getInt(row) == 0) continue;
    }
    if (call.kind == AggKind::kCountStar) {
      acc.count(i) += sign;
      continue;
    }
    const Column& c = batch.column(call.argument);
    if (c.isNull(row)) continue;
    const bool first = acc.count(i) == 0;
    acc.count(i) += sign;
    if (call.kind == AggKind::kCount) continue;
    const bool isDouble = c.physical() == PhysicalType::kDouble;
    if (!isMinMax(call.kind)) {
      if (isDouble)
        acc.setDouble(
            i, retract ? acc.getDouble(i) - c.getDouble(row) : acc.getDouble(i) + c.getDouble(row));
      else
        acc.setInt(i, acc.getInt(i) + sign * c.getInt(row));
      continue;
    }
    GLINT_CHECK(!retract);
    const bool min = call.kind == AggKind::kMin;
    if (isDouble)
      keepExtreme(acc, i, min, first, c.getDouble(row));
    else
      keepExtreme(acc, i, min, first, c.getInt(row));
  }
}

template <size_t S>
void FlatAggregateEvaluator::accumulate(FlatWindowAccumulator<S>& acc, const Batch& batch,
                                        size_t row) const {
  WindowLayout<S> layout{acc, countSlot_.data(), valueSlot_.data()};
  add(layout, batch, row, false);
}

template <size_t N>
void FlatAggregateEvaluator::accumulate(FlatGroupAccumulator<N>& acc, const Batch& batch,
                                        size_t row) const {
  GroupLayout<N> layout{acc};
  add(layout, batch, row, false);
}

template <size_t N>
void FlatAggregateEvaluator::retract(FlatGroupAccumulator<N>& acc, const Batch& batch,
                                     size_t row) const {
  GroupLayout<N> layout{acc};
  add(layout, batch, row, true);
}

template <size_t S>
void FlatAggregateEvaluator::merge(FlatWindowAccumulator<S>& into,
                                   const FlatWindowAccumulator<S>& from) const {
  WindowLayout<S> to{into, countSlot_.data(), valueSlot_.data()};
  ConstWindowLayout<S> add{from, countSlot_.data(), valueSlot_.data()};
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    if (add.count(i) == 0) continue;
    const bool intoEmpty = to.count(i) == 0;
    to.count(i) += add.count(i);
    if (isCount(call.kind)) continue;
    const bool isDouble = call.argumentType == ExprType::kDouble;
    if (!isMinMax(call.kind)) {
      if (isDouble)
        to.setDouble(i, to.getDouble(i) + add.getDouble(i));
      else
        to.setInt(i, to.getInt(i) + add.getInt(i));
      continue;
    }
    const bool min = call.kind == AggKind::kMin;
    if (isDouble)
      keepExtreme(to, i, min, intoEmpty, add.getDouble(i));
    else
      keepExtreme(to, i, min, intoEmpty, add.getInt(i));
  }
}

template <class Layout>
FlatAggregateEvaluator::Result FlatAggregateEvaluator::result(const Layout& acc, size_t i) const {
  const AggCall& call = calls_[i];
  const int64_t count = acc.count(i);
  Result r;
  if (isCount(call.kind)) {
    r.null = false;
    r.integer = count;
    return r;
  }
  if (count == 0) return r;  // NULL
  r.null = false;
  r.isDouble = call.argumentType == ExprType::kDouble;
  switch (call.kind) {
    case AggKind::kMin:
    case AggKind::kMax:
      if (r.isDouble)
        r.real = acc.getDouble(i);
      else
        r.integer = acc.getInt(i);
      break;
    case AggKind::kSum:
      if (r.isDouble)
        r.real = acc.getDouble(i);
      else
        r.integer = wrapInt(acc.getInt(i), call.resultType);
      break;
    default:
      // AVG of an integer type is integral in Flink (sum / count, truncated).
      if (r.isDouble)
        r.real = acc.getDouble(i) / static_cast<double>(count);
      else
        r.integer = wrapInt(acc.getInt(i) / count, call.resultType);
      break;
  }
  return r;
}

void FlatAggregateEvaluator::append(const Result& r, Column& out) {
  if (r.null)
    out.appendNull();
  else if (r.isDouble)
    out.appendDouble(r.real);
  else
    out.appendInt(r.integer);
}

template <size_t S>
void FlatAggregateEvaluator::appendResult(const FlatWindowAccumulator<S>& acc, size_t i,
                                          Column& out) const {
  append(result(ConstWindowLayout<S>{acc, countSlot_.data(), valueSlot_.data()}, i), out);
}

template <size_t N>
void FlatAggregateEvaluator::appendResult(const FlatGroupAccumulator<N>& acc, size_t i,
                                          Column& out) const {
  append(result(ConstGroupLayout<N>{acc}, i), out);
}

template <size_t N>
bool FlatAggregateEvaluator::sameResults(const FlatGroupAccumulator<N>& a,
                                         const FlatGroupAccumulator<N>& b) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggKind kind = calls_[i].kind;
    if (isCount(kind)) {
      if (a.counts[i] != b.counts[i]) return false;
      continue;
    }
    // MIN, MAX: the value, or NULL for both (what a growing MAX mostly compares).
    if (isMinMax(kind) && (a.counts[i] == 0) == (b.counts[i] == 0)) {
      if (a.counts[i] == 0) continue;
      if (calls_[i].argumentType != ExprType::kDouble) {
        if (a.values[i] != b.values[i]) return false;
        continue;
      }
    }
    if (!(result(ConstGroupLayout<N>{a}, i) == result(ConstGroupLayout<N>{b}, i))) return false;
  }
  return true;
}

#define GLINT_FLAT_GROUP_SIZE(N)                                                                   \
  template void FlatAggregateEvaluator::accumulate<N>(FlatGroupAccumulator<N>&, const Batch&,      \
                                                      size_t) const;                               \
  template void FlatAggregateEvaluator::retract<N>(FlatGroupAccumulator<N>&, const Batch&, size_t) \
      const;                                                                                       \
  template void FlatAggregateEvaluator::appendResult<N>(const FlatGroupAccumulator<N>&, size_t,    \
                                                        Column&) const;                            \
  template bool FlatAggregateEvaluator::sameResults<N>(const FlatGroupAccumulator<N>&,             \
                                                       const FlatGroupAccumulator<N>&) const;
GLINT_FLAT_GROUP_SIZE(1)
GLINT_FLAT_GROUP_SIZE(2)
GLINT_FLAT_GROUP_SIZE(4)
GLINT_FLAT_GROUP_SIZE(kFlatCapacity)
#undef GLINT_FLAT_GROUP_SIZE

#define GLINT_FLAT_WINDOW_SIZE(S)                                                                \
  template void FlatAggregateEvaluator::accumulate<S>(FlatWindowAccumulator<S>&, const Batch&,   \
                                                      size_t) const;                             \
  template void FlatAggregateEvaluator::merge<S>(FlatWindowAccumulator<S>&,                      \
                                                 const FlatWindowAccumulator<S>&) const;         \
  template void FlatAggregateEvaluator::appendResult<S>(const FlatWindowAccumulator<S>&, size_t, \
                                                        Column&) const;
GLINT_FLAT_WINDOW_SIZE(1)
GLINT_FLAT_WINDOW_SIZE(2)
GLINT_FLAT_WINDOW_SIZE(4)
GLINT_FLAT_WINDOW_SIZE(2 * kFlatCapacity)
#undef GLINT_FLAT_WINDOW_SIZE

}  // namespace glint::sql
