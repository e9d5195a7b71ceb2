#include "glint/sql/operators/aggregate_functions.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace glint::sql {

namespace {

// Order-preserving byte encoding of a value (so that a std::map of encoded values is sorted
// like the values: MIN is the first key, MAX the last).
std::string encodeOrdered(const Column& c, size_t row) {
  std::string out;
  switch (c.physical()) {
    case PhysicalType::kInt64: {
      uint64_t v = static_cast<uint64_t>(c.getInt(row)) ^ (uint64_t{1} << 63);
      for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
      break;
    }
    case PhysicalType::kDouble: {
      double d = c.getDouble(row);
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits ^ (uint64_t{1} << 63);
      for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((bits >> (i * 8)) & 0xff));
      break;
    }
    case PhysicalType::kString:
      out = std::string(c.getString(row));
      break;
  }
  return out;
}

int64_t decodeInt(const std::string& s) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return static_cast<int64_t>(v ^ (uint64_t{1} << 63));
}

double decodeDouble(const std::string& s) {
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(s[i]);
  bits = (bits & (uint64_t{1} << 63)) ? bits ^ (uint64_t{1} << 63) : ~bits;
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

// INT results wrap at 32 bits as Java ints do in Flink.
int64_t wrapInt(int64_t v, ExprType type) {
  return type == ExprType::kInt ? static_cast<int32_t>(static_cast<uint32_t>(v)) : v;
}

// A value of `type` (INT or BIGINT) from 64-bit two's complement bits, wrapped as Java's
// int/long arithmetic wraps.
int64_t narrow(uint64_t bits, ExprType type) {
  return wrapInt(static_cast<int64_t>(bits), type);
}

// Java's (int) / (long) cast of a double: NaN is 0, out-of-range values saturate.
int64_t javaTruncate(double v, ExprType type) {
  if (std::isnan(v)) return 0;
  const double lo = type == ExprType::kInt ? -2147483648.0 : -9223372036854775808.0;
  const double hi = type == ExprType::kInt ? 2147483647.0 : 9223372036854775807.0;
  if (v <= lo) return static_cast<int64_t>(lo);
  if (v >= hi) return type == ExprType::kInt ? INT32_MAX : INT64_MAX;
  return static_cast<int64_t>(v);
}

// A `moments` triple that has seen no value: NaN shift, zero sums (a NaN value poisons the sums
// too, which tells the two apart).
bool momentsUnset(const double* m) {
  return std::isnan(m[0]) && !std::isnan(m[1]);
}

}  // namespace

AggregateEvaluator::AggregateEvaluator(std::vector<AggCall> calls, bool retracting)
    : calls_(std::move(calls)), retracting_(retracting) {
  for (const AggCall& c : calls_) {
    hasStatistics_ |= isStatisticalAggregate(c.kind);
    hasLists_ |= isListAggregate(c.kind);
  }
}

AggAccumulator AggregateEvaluator::create() const {
  AggAccumulator a;
  const size_t n = calls_.size();
  a.counts.assign(n, 0);
  a.ints.assign(n, 0);
  a.doubles.assign(n, 0);
  a.strings.assign(n, {});
  a.values.assign(n, {});
  if (hasStatistics_) {
    a.moments.assign(3 * n, 0.0);
    for (size_t i = 0; i < n; ++i) a.moments[3 * i] = std::numeric_limits<double>::quiet_NaN();
    a.squares.assign(n, 0);
  }
  if (hasLists_) {
    a.lists.assign(n, {});
    a.pendingRetractions.assign(n, {});
  }
  return a;
}

void AggregateEvaluator::accumulate(AggAccumulator& acc, const Batch& batch, size_t row,
                                    int sign) const {
  acc.rows += sign;
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    if (call.filter >= 0) {
      const Column& f = batch.column(call.filter);
      if (f.isNull(row) || f.getInt(row) == 0) continue;
    }
    if (call.kind == AggKind::kCountStar) {
      acc.counts[i] += sign;
      continue;
    }
    const Column& c = batch.column(call.argument);
    if (c.isNull(row)) continue;
    const bool keepValues =
        call.distinct ||
        (retracting_ && (call.kind == AggKind::kMin || call.kind == AggKind::kMax));
    if (keepValues) {
      auto& m = acc.values[i];
      std::string key = encodeOrdered(c, row);
      int64_t& n = m[key];
      n += sign;
      const bool added = sign > 0 && n == 1;
      const bool removed = n == 0;
      if (removed) m.erase(key);
      if (call.distinct) {
        // Only the first occurrence / last removal of a value changes a DISTINCT aggregate.
        if (!added && !removed) continue;
      } else {
        continue;  // MIN/MAX read the map
      }
    }
    acc.counts[i] += sign;
    if (isListAggregate(call.kind)) {
      accumulateList(acc, i, encodeOrdered(c, row), sign);
      continue;
    }
    if (isStatisticalAggregate(call.kind)) {
      if (c.physical() == PhysicalType::kDouble) {
        double* m = &acc.moments[3 * i];
        const double x = c.getDouble(row);
        if (momentsUnset(m)) m[0] = x;
        const double d = x - m[0];
        m[1] += sign * d;
        m[2] += sign * d * d;
      } else {
        // Modulo 2^64; narrowed to the argument's width when the result is read.
        const uint64_t x = static_cast<uint64_t>(c.getInt(row));
        const uint64_t s = sign > 0 ? 1 : ~uint64_t{0};
        acc.ints[i] = static_cast<int64_t>(static_cast<uint64_t>(acc.ints[i]) + s * x);
        acc.squares[i] = static_cast<int64_t>(static_cast<uint64_t>(acc.squares[i]) + s * (x * x));
      }
      continue;
    }
    switch (call.kind) {
      case AggKind::kCount:
        break;
      case AggKind::kSum:
      case AggKind::kAvg:
        if (c.physical() == PhysicalType::kDouble)
          acc.doubles[i] += sign * c.getDouble(row);
        else
          acc.ints[i] += sign * c.getInt(row);
        break;
      case AggKind::kMin:
      case AggKind::kMax: {
        if (call.distinct) break;  // read from the map
        const bool first = acc.counts[i] == 1;
        const bool min = call.kind == AggKind::kMin;
        switch (c.physical()) {
          case PhysicalType::kInt64: {
            int64_t v = c.getInt(row);
            if (first || (min ? v < acc.ints[i] : v > acc.ints[i])) acc.ints[i] = v;
            break;
          }
          case PhysicalType::kDouble: {
            double v = c.getDouble(row);
            if (first || (min ? v < acc.doubles[i] : v > acc.doubles[i])) acc.doubles[i] = v;
            break;
          }
          case PhysicalType::kString: {
            std::string_view v = c.getString(row);
            if (first || (min ? v < acc.strings[i] : v > acc.strings[i])) acc.strings[i] = v;
            break;
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

void AggregateEvaluator::merge(AggAccumulator& into, const AggAccumulator& from) const {
  into.rows += from.rows;
  for (size_t i = 0; i < calls_.size(); ++i) {
    const AggCall& call = calls_[i];
    // A partial accumulator of a retracting local phase may count zero (or fewer) values and
    // still change the result, so these merge before the emptiness check below.
    if (isListAggregate(call.kind)) {
      into.counts[i] += from.counts[i];
      mergeList(into, from, i);
      continue;
    }
    if (isStatisticalAggregate(call.kind)) {
      into.counts[i] += from.counts[i];
      if (call.argumentType != ExprType::kDouble) {
        into.ints[i] = static_cast<int64_t>(static_cast<uint64_t>(into.ints[i]) +
                                            static_cast<uint64_t>(from.ints[i]));
        into.squares[i] = static_cast<int64_t>(static_cast<uint64_t>(into.squares[i]) +
                                               static_cast<uint64_t>(from.squares[i]));
        continue;
      }
      double* m = &into.moments[3 * i];
      const double* f = &from.moments[3 * i];
      if (momentsUnset(f)) continue;
      if (momentsUnset(m)) {
        std::copy(f, f + 3, m);
        continue;
      }
      // Re-base `from`'s sums on `into`'s shift: x - K1 = (x - K2) + (K2 - K1).
      const double d = f[0] - m[0];
      const double n = static_cast<double>(from.counts[i]);
      m[1] += f[1] + n * d;
      m[2] += f[2] + 2 * d * f[1] + n * d * d;
      continue;
    }
    const bool mapBased =
        call.distinct ||
        (retracting_ && (call.kind == AggKind::kMin || call.kind == AggKind::kMax));
    if (mapBased) {
      for (const auto& [k, n] : from.values[i]) {
        int64_t& m = into.values[i][k];
        if (call.distinct && m == 0 && n > 0) {
          into.counts[i] += 1;
          if (call.kind == AggKind::kSum || call.kind == AggKind::kAvg) {
            if (call.argumentType == ExprType::kDouble)
              into.doubles[i] += decodeDouble(k);
            else
              into.ints[i] += decodeInt(k);
          }
        }
        m += n;
      }
      continue;
    }
    const bool intoEmpty = into.counts[i] == 0;
    if (from.counts[i] == 0) continue;
    into.counts[i] += from.counts[i];
    if (call.kind == AggKind::kSum || call.kind == AggKind::kAvg) {
      into.ints[i] += from.ints[i];
      into.doubles[i] += from.doubles[i];
    } else if (call.kind == AggKind::kMin || call.kind == AggKind::kMax) {
      const bool min = call.kind == AggKind::kMin;
      if (call.argumentType == ExprType::kDouble) {
        if (intoEmpty ||
            (min ? from.doubles[i] < into.doubles[i] : from.doubles[i] > into.doubles[i]))
          into.doubles[i] = from.doubles[i];
      } else if (call.argumentType == ExprType::kVarchar) {
        if (intoEmpty ||
            (min ? from.strings[i] < into.strings[i] : from.strings[i] > into.strings[i]))
          into.strings[i] = from.strings[i];
      } else if (intoEmpty || (min ? from.ints[i] < into.ints[i] : from.ints[i] > into.ints[i])) {
        into.ints[i] = from.ints[i];
      }
    }
  }
}

void AggregateEvaluator::accumulateList(AggAccumulator& acc, size_t i, std::string value,
                                        int sign) const {
  const AggKind kind = calls_[i].kind;
  std::vector<std::string>& list = acc.lists[i];
  if (sign > 0) {
    // Without retractions FIRST_VALUE and LAST_VALUE need only one value.
    if (!retracting_ && kind == AggKind::kFirstValue) {
      if (list.empty()) list.push_back(std::move(value));
    } else if (!retracting_ && kind == AggKind::kLastValue) {
      list.assign(1, std::move(value));
    } else {
      list.push_back(std::move(value));
    }
    return;
  }
  // A retraction removes the earliest occurrence of the value, as Flink's retractable
  // LISTAGG / FIRST_VALUE / LAST_VALUE do.
  auto it = std::find(list.begin(), list.end(), value);
  if (it != list.end())
    list.erase(it);
  else
    acc.pendingRetractions[i].push_back(std::move(value));
}

void AggregateEvaluator::mergeList(AggAccumulator& into, const AggAccumulator& from,
                                   size_t i) const {
  const AggKind kind = calls_[i].kind;
  std::vector<std::string>& list = into.lists[i];
  const std::vector<std::string>& later = from.lists[i];
  if (!retracting_ && kind != AggKind::kListAgg) {
    if (!later.empty() && (kind == AggKind::kLastValue || list.empty())) list = later;
    return;
  }
  // `from` holds later rows: its values follow; then every retraction not yet matched (from
  // either side) removes the earliest occurrence of its value, or stays pending.
  list.insert(list.end(), later.begin(), later.end());
  std::vector<std::string> retractions = std::move(into.pendingRetractions[i]);
  into.pendingRetractions[i].clear();
  retractions.insert(retractions.end(), from.pendingRetractions[i].begin(),
                     from.pendingRetractions[i].end());
  for (std::string& r : retractions) {
    auto it = std::find(list.begin(), list.end(), r);
    if (it != list.end())
      list.erase(it);
    else
      into.pendingRetractions[i].push_back(std::move(r));
  }
}

void AggregateEvaluator::appendStatistic(const AggAccumulator& acc, size_t i, Column& out) const {
  const AggCall& call = calls_[i];
  const int64_t n = acc.counts[i];
  const bool sample = call.kind == AggKind::kVarSamp || call.kind == AggKind::kStddevSamp;
  const bool root = call.kind == AggKind::kStddevPop || call.kind == AggKind::kStddevSamp;
  // Flink: NULL without values, and the sample versions divide by NULL for one value.
  if (n <= 0 || (sample && n == 1)) {
    out.appendNull();
    return;
  }
  const int64_t divisor = sample ? n - 1 : n;
  if (call.argumentType == ExprType::kDouble) {
    const double* m = &acc.moments[3 * i];
    const double count = static_cast<double>(n);
    // One value varies by exactly 0 (after retractions the sums only round to it, and the
    // square root would magnify that); rounding may also leave a tiny negative variance.
    const double variance =
        n == 1 ? 0.0 : std::max(0.0, (m[2] - m[1] * m[1] / count) / static_cast<double>(divisor));
    out.appendDouble(root ? std::sqrt(variance) : variance);
    return;
  }
  // Integers: Flink's rewrite (SUM(x * x) - SUM(x) * SUM(x) / COUNT(x)) / COUNT(x) [- 1] in the
  // argument's integer arithmetic (integer division), POWER(.., 0.5) for the deviations, and a
  // cast back to the argument's type.
  const ExprType type = call.argumentType;
  const int64_t sum = narrow(static_cast<uint64_t>(acc.ints[i]), type);
  const int64_t sumSquares = narrow(static_cast<uint64_t>(acc.squares[i]), type);
  const int64_t squaredSum = narrow(static_cast<uint64_t>(sum) * static_cast<uint64_t>(sum), type);
  const int64_t difference = static_cast<int64_t>(static_cast<uint64_t>(sumSquares) -
                                                  static_cast<uint64_t>(squaredSum / n));
  const int64_t variance = difference / divisor;
  if (root)
    out.appendInt(javaTruncate(std::sqrt(static_cast<double>(variance)), call.resultType));
  else
    out.appendInt(wrapInt(variance, call.resultType));
}

void AggregateEvaluator::appendListResult(const AggAccumulator& acc, size_t i, Column& out) const {
  const AggCall& call = calls_[i];
  const std::vector<std::string>& list = acc.lists[i];
  if (list.empty()) {
    out.appendNull();
    return;
  }
  if (call.kind == AggKind::kListAgg) {
    std::string joined;
    for (size_t k = 0; k < list.size(); ++k) {
      if (k) joined += call.separator;
      joined += list[k];
    }
    out.appendString(joined);
    return;
  }
  const std::string& v = call.kind == AggKind::kFirstValue ? list.front() : list.back();
  if (call.argumentType == ExprType::kVarchar)
    out.appendString(v);
  else if (call.argumentType == ExprType::kDouble)
    out.appendDouble(decodeDouble(v));
  else
    out.appendInt(decodeInt(v));
}

void AggregateEvaluator::appendResult(const AggAccumulator& acc, size_t i, Column& out) const {
  const AggCall& call = calls_[i];
  if (isStatisticalAggregate(call.kind)) return appendStatistic(acc, i, out);
  if (isListAggregate(call.kind)) return appendListResult(acc, i, out);
  const bool doubleArg = call.argumentType == ExprType::kDouble;
  switch (call.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount:
      out.appendInt(call.distinct ? static_cast<int64_t>(acc.values[i].size()) : acc.counts[i]);
      return;
    default:
      break;
  }
  const bool mapBased =
      call.distinct || (retracting_ && (call.kind == AggKind::kMin || call.kind == AggKind::kMax));
  if (call.kind == AggKind::kMin || call.kind == AggKind::kMax) {
    if (mapBased) {
      const auto& m = acc.values[i];
      if (m.empty()) {
        out.appendNull();
        return;
      }
      const std::string& k = call.kind == AggKind::kMin ? m.begin()->first : m.rbegin()->first;
      if (call.argumentType == ExprType::kVarchar)
        out.appendString(k);
      else if (doubleArg)
        out.appendDouble(decodeDouble(k));
      else
        out.appendInt(decodeInt(k));
      return;
    }
    if (acc.counts[i] == 0) {
      out.appendNull();
      return;
    }
    if (call.argumentType == ExprType::kVarchar)
      out.appendString(acc.strings[i]);
    else if (doubleArg)
      out.appendDouble(acc.doubles[i]);
    else
      out.appendInt(acc.ints[i]);
    return;
  }
  // SUM / AVG: DISTINCT sums are recomputed from the distinct values.
  int64_t count = acc.counts[i];
  int64_t isum = acc.ints[i];
  double dsum = acc.doubles[i];
  if (call.distinct) {
    count = static_cast<int64_t>(acc.values[i].size());
    isum = 0;
    dsum = 0;
    for (const auto& [k, n] : acc.values[i]) {
      if (doubleArg)
        dsum += decodeDouble(k);
      else
        isum += decodeInt(k);
    }
  }
  if (count == 0) {
    out.appendNull();
    return;
  }
  if (call.kind == AggKind::kSum) {
    if (doubleArg)
      out.appendDouble(dsum);
    else
      out.appendInt(wrapInt(isum, call.resultType));
  } else {
    // AVG of an integer type is integral in Flink (sum / count, truncated).
    if (doubleArg)
      out.appendDouble(dsum / static_cast<double>(count));
    else
      out.appendInt(wrapInt(isum / count, call.resultType));
  }
}

}  // namespace glint::sql
