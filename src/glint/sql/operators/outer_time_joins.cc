#include "glint/sql/operators/outer_time_joins.h"

#include <algorithm>
#include <numeric>

namespace glint::sql {

JoinCandidates::JoinCandidates(SchemaPtr output, size_t leftWidth, const BoundExprPtr& residual)
    : leftWidth_(leftWidth), pairs_(output) {
  if (!residual) return;
  auto compiled = CompiledExpr::compile(residual, *output);
  if (!compiled.isOk()) throw GlintError("join condition: " + compiled.status().message());
  residual_.emplace(std::move(compiled).value());
}

void JoinCandidates::add(const Batch& left, size_t leftRow, const Batch& right, size_t rightRow) {
  for (size_t c = 0; c < left.numColumns(); ++c)
    pairs_.mutableColumn(c).appendFrom(left.column(c), leftRow);
  for (size_t c = 0; c < right.numColumns(); ++c)
    pairs_.mutableColumn(leftWidth_ + c).appendFrom(right.column(c), rightRow);
  pairs_.setNumRows(pairs_.numRows() + 1);
}

const std::vector<uint32_t>& JoinCandidates::evaluate() {
  selected_.clear();
  if (pairs_.empty()) return selected_;
  if (residual_) {
    residual_->evaluatePredicate(pairs_, selected_);
  } else {
    selected_.resize(pairs_.numRows());
    std::iota(selected_.begin(), selected_.end(), 0u);
  }
  return selected_;
}

void JoinCandidates::appendPair(Batch& out, uint32_t p) const {
  for (size_t c = 0; c < pairs_.numColumns(); ++c)
    out.mutableColumn(c).appendFrom(pairs_.column(c), p);
}

void appendPaddedRow(Batch& out, int side, size_t leftWidth, const Batch& rows, size_t row) {
  const size_t first = side == 0 ? 0 : leftWidth;
  const size_t width = rows.numColumns();
  for (size_t c = 0; c < out.numColumns(); ++c) {
    if (c >= first && c < first + width)
      out.mutableColumn(c).appendFrom(rows.column(c - first), row);
    else
      out.mutableColumn(c).appendNull();
  }
}

// ---- window join

OuterWindowJoinOperator::OuterWindowJoinOperator(SchemaPtr leftSchema, std::vector<int> leftKeys,
                                                 SchemaPtr rightSchema, std::vector<int> rightKeys,
                                                 SchemaPtr outputSchema, WindowAssigner assigner,
                                                 RelJoinType type, const BoundExprPtr& residual)
    : WindowJoinOperatorBase(leftSchema, std::move(leftKeys), std::move(rightSchema),
                             std::move(rightKeys), outputSchema, assigner),
      keep_{keepsLeft(type), keepsRight(type)},
      leftWidth_(leftSchema->size()),
      candidates_(outputSchema, leftSchema->size(), residual) {
  setKeepUnmatched(keep_[0], keep_[1]);
}

void OuterWindowJoinOperator::joinKey(const TimeWindow& w, const RowHandle* left, size_t numLeft,
                                      const RowHandle* right, size_t numRight) {
  const RowHandle* handles[2] = {left, right};
  const size_t counts[2] = {numLeft, numRight};
  uint32_t base[2] = {0, 0};
  for (int side = 0; side < 2; ++side) {
    if (!keep_[side]) continue;
    base[side] = static_cast<uint32_t>(rows_[side].size());
    rows_[side].insert(rows_[side].end(), handles[side], handles[side] + counts[side]);
    matched_[side].resize(rows_[side].size(), 0);
  }
  if (numLeft == 0 || numRight == 0) return;
  // Both sides have the same key: a NULL in it (SQL equality) matches nothing.
  for (int k : keyEncoders_[0].keyColumns())
    if (left[0].batch->column(k).isNull(left[0].row)) return;
  for (size_t i = 0; i < numLeft; ++i)
    for (size_t j = 0; j < numRight; ++j) {
      candidates_.add(*left[i].batch, left[i].row, *right[j].batch, right[j].row);
      pairRow_[0].push_back(base[0] + static_cast<uint32_t>(i));
      pairRow_[1].push_back(base[1] + static_cast<uint32_t>(j));
    }
}

void OuterWindowJoinOperator::windowFired(const TimeWindow& w) {
  writer_.setTimestamp(w.maxTimestamp());
  Batch& out = writer_.batch();
  for (uint32_t p : candidates_.evaluate()) {
    for (int side = 0; side < 2; ++side)
      if (keep_[side]) matched_[side][pairRow_[side][p]] = 1;
    candidates_.appendPair(out, p);
    writer_.finishRow();
  }
  for (int side = 0; side < 2; ++side) {
    for (size_t i = 0; i < rows_[side].size(); ++i) {
      if (matched_[side][i]) continue;
      appendPaddedRow(out, side, leftWidth_, *rows_[side][i].batch, rows_[side][i].row);
      writer_.finishRow();
    }
    rows_[side].clear();
    matched_[side].clear();
    pairRow_[side].clear();
  }
  candidates_.clear();
}

// ---- interval join

OuterIntervalJoinOperator::OuterIntervalJoinOperator(
    SchemaPtr leftSchema, std::vector<int> leftKeys, SchemaPtr rightSchema,
    std::vector<int> rightKeys, SchemaPtr outputSchema, int64_t lowerBound, int64_t upperBound,
    RelJoinType type, const BoundExprPtr& residual)
    : IntervalJoinOperatorBase(leftSchema, std::move(leftKeys), std::move(rightSchema),
                               std::move(rightKeys), outputSchema, lowerBound, upperBound, {}),
      keep_{keepsLeft(type), keepsRight(type)},
      leftWidth_(leftSchema->size()),
      candidates_(outputSchema, leftSchema->size(), residual) {
  snapshotMatchedFlags_ = true;
  notifyExpiry_ = keep_[0] || keep_[1];
}

bool OuterIntervalJoinOperator::hasNullKey(int input, const Batch& batch, size_t row) const {
  for (int k : keyEncoders_[input].keyColumns())
    if (batch.column(k).isNull(row)) return true;
  return false;
}

void OuterIntervalJoinOperator::emitPadded(int input, const Batch& rows, size_t row, int64_t ts) {
  appendPaddedRow(writer_.batch(), input, leftWidth_, rows, row);
  writer_.setTimestamp(ts);
  writer_.finishRow();
}

// As IntervalJoinOperator::processBatch, in two passes: collect every arriving row's candidate
// pairs, evaluate the residual once, then buffer the rows with their matched flags.
void OuterIntervalJoinOperator::processBatch(int input, Batch&& batch) {
  if (batch.empty()) return;
  sourceNanos_ = batch.sourceNanos();
  arrivals_.clear();
  pairArrival_.clear();
  pairOther_.clear();
  pairTime_.clear();
  candidates_.clear();
  encodeKeys(input, batch);
  candidateSlices(input, batch);
  for (uint32_t r = 0; r < batch.numRows(); ++r) {
    if (skipRow(batch, r)) continue;
    const int64_t t = batch.timestamp(r);
    const auto arrival = static_cast<uint32_t>(arrivals_.size());
    arrivals_.push_back(r);
    if (hasNullKey(input, batch, r)) continue;
    probe(input, batch, r, [&](Slice& slice, uint32_t row) {
      if (input == 0)
        candidates_.add(batch, r, slice.batchOf(row), slice.offset(row));
      else
        candidates_.add(slice.batchOf(row), slice.offset(row), batch, r);
      pairArrival_.push_back(arrival);
      pairOther_.push_back(BufferedRow{&slice, row});
      pairTime_.push_back(std::max(t, slice.timestamp(row)));
    });
  }
  arrivalMatched_.assign(arrivals_.size(), 0);
  for (uint32_t p : candidates_.evaluate()) {
    arrivalMatched_[pairArrival_[p]] = 1;
    pairOther_[p].slice->flags[pairOther_[p].row] |= IntervalJoinBuffer::kMatched;
    candidates_.appendPair(writer_.batch(), p);
    writer_.setTimestamp(pairTime_[p]);
    writer_.finishRow();
  }
  toStore_.clear();
  storedMatched_.clear();
  for (size_t a = 0; a < arrivals_.size(); ++a) {
    const uint32_t r = arrivals_[a];
    const int64_t t = batch.timestamp(r);
    // A row that can never match again (NULL key, or every partner would be late) is not
    // buffered; if it is an unmatched outer row, its padded row is final now.
    if (hasNullKey(input, batch, r) || cleanupTime(input, t) <= currentWatermark_) {
      if (keep_[input] && !arrivalMatched_[a]) emitPadded(input, batch, r, t);
      continue;
    }
    toStore_.push_back(r);
    storedMatched_.push_back(arrivalMatched_[a] ? IntervalJoinBuffer::kMatched : 0);
  }
  store(input, std::move(batch), toStore_.data(), toStore_.size(),
        [&](size_t i) { return storedMatched_[i]; });
  flushOutput();
  sourceNanos_ = 0;
}

void OuterIntervalJoinOperator::rowExpired(int input, const Slice& slice, uint32_t row) {
  if (keep_[input] && !(slice.flags[row] & IntervalJoinBuffer::kMatched))
    emitPadded(input, slice.batchOf(row), slice.offset(row), slice.timestamp(row));
}

}  // namespace glint::sql
