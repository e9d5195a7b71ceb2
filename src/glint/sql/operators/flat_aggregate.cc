#include "glint/sql/operators/flat_aggregate.h"

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

void FlatAggregateEvaluator::accumulate(FlatAccumulator& acc, const Batch& batch,
                                        size_t row) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    if (call.filter >= 0) {
      const Column& f = batch.column(call.filter);
      if (f.isNull(row) || f.getInt(row) == 0) continue;
    }
    if (call.kind == AggKind::kCountStar) {
      ++acc.counts[i];
      continue;
    }
    const Column& c = batch.column(call.argument);
    if (c.isNull(row)) continue;
    const bool first = acc.counts[i]++ == 0;
    if (call.kind == AggKind::kCount) continue;
    const bool isDouble = c.physical() == PhysicalType::kDouble;
    if (!isMinMax(call.kind)) {
      if (isDouble)
        acc.doubles[i] += c.getDouble(row);
      else
        acc.ints[i] += c.getInt(row);
      continue;
    }
    const bool min = call.kind == AggKind::kMin;
    if (isDouble) {
      const double v = c.getDouble(row);
      if (first || (min ? v < acc.doubles[i] : v > acc.doubles[i])) acc.doubles[i] = v;
    } else {
      const int64_t v = c.getInt(row);
      if (first || (min ? v < acc.ints[i] : v > acc.ints[i])) acc.ints[i] = v;
    }
  }
}

void FlatAggregateEvaluator::retract(FlatAccumulator& acc, const Batch& batch, size_t row) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    if (call.filter >= 0) {
      const Column& f = batch.column(call.filter);
      if (f.isNull(row) || f.getInt(row) == 0) continue;
    }
    if (call.kind == AggKind::kCountStar) {
      --acc.counts[i];
      continue;
    }
    const Column& c = batch.column(call.argument);
    if (c.isNull(row)) continue;
    --acc.counts[i];
    if (call.kind == AggKind::kCount) continue;
    GLINT_CHECK(!isMinMax(call.kind));
    if (c.physical() == PhysicalType::kDouble)
      acc.doubles[i] -= c.getDouble(row);
    else
      acc.ints[i] -= c.getInt(row);
  }
}

void FlatAggregateEvaluator::merge(FlatAccumulator& into, const FlatAccumulator& from) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    if (from.counts[i] == 0) continue;
    const bool intoEmpty = into.counts[i] == 0;
    into.counts[i] += from.counts[i];
    if (!isMinMax(call.kind)) {
      into.ints[i] += from.ints[i];
      into.doubles[i] += from.doubles[i];
      continue;
    }
    const bool min = call.kind == AggKind::kMin;
    if (intoEmpty || (min ? from.ints[i] < into.ints[i] : from.ints[i] > into.ints[i]))
      into.ints[i] = from.ints[i];
    if (intoEmpty || (min ? from.doubles[i] < into.doubles[i] : from.doubles[i] > into.doubles[i]))
      into.doubles[i] = from.doubles[i];
  }
}

void FlatAggregateEvaluator::appendResult(const FlatAccumulator& acc, size_t i, Column& out) const {
  const AggCall& call = calls_[i];
  const int64_t count = acc.counts[i];
  if (call.kind == AggKind::kCountStar || call.kind == AggKind::kCount) {
    out.appendInt(count);
    return;
  }
  if (count == 0) {
    out.appendNull();
    return;
  }
  const bool doubleArg = call.argumentType == ExprType::kDouble;
  switch (call.kind) {
    case AggKind::kMin:
    case AggKind::kMax:
      if (doubleArg)
        out.appendDouble(acc.doubles[i]);
      else
        out.appendInt(acc.ints[i]);
      return;
    case AggKind::kSum:
      if (doubleArg)
        out.appendDouble(acc.doubles[i]);
      else
        out.appendInt(wrapInt(acc.ints[i], call.resultType));
      return;
    default:
      // AVG of an integer type is integral in Flink (sum / count, truncated).
      if (doubleArg)
        out.appendDouble(acc.doubles[i] / static_cast<double>(count));
      else
        out.appendInt(wrapInt(acc.ints[i] / count, call.resultType));
      return;
  }
}

}  // namespace glint::sql
