#include "glint/sql/operators/aggregate_functions.h"

#include <cstring>

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

}  // namespace

AggregateEvaluator::AggregateEvaluator(std::vector<AggCall> calls, bool retracting)
    : calls_(std::move(calls)), retracting_(retracting) {}

AggAccumulator AggregateEvaluator::create() const {
  AggAccumulator a;
  const size_t n = calls_.size();
  a.counts.assign(n, 0);
  a.ints.assign(n, 0);
  a.doubles.assign(n, 0);
  a.strings.assign(n, {});
  a.values.assign(n, {});
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

void AggregateEvaluator::appendResult(const AggAccumulator& acc, size_t i, Column& out) const {
  const AggCall& call = calls_[i];
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
