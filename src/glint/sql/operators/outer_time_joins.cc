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
  const int other = 1 - input;
  const int64_t lo = relLower(input);
  const int64_t hi = relUpper(input);
  const Batch& otherRows = arena_[other];
  arrivals_.clear();
  pairArrival_.clear();
  pairOther_.clear();
  pairTime_.clear();
  candidates_.clear();
  groups_.build(keyEncoders_[input], batch);
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    const int kg = groups_.keyGroup(g, context_.maxParallelism);
    checkKeyGroup(kg);
    KeyRows* rows = findKey(groups_.key(g));
    const uint32_t* rowIds = groups_.rowsOf(g);
    for (size_t i = 0, n = groups_.countOf(g); i < n; ++i) {
      const uint32_t r = rowIds[i];
      const int64_t t = batch.timestamp(r);
      if (t == kMinTimestamp)
        throw GlintError(
            "interval join on a row without timestamp (is a timestamp/watermark assigner "
            "missing?)");
      if (currentWatermark_ != INT64_MIN && t < currentWatermark_) {
        handleLateRow(batch, r);
        continue;
      }
      const auto arrival = static_cast<uint32_t>(arrivals_.size());
      arrivals_.push_back(Arrival{static_cast<uint32_t>(g), kg, r, t});
      if (!rows || hasNullKey(input, batch, r)) continue;
      SideRows& o = rows->side[other];
      const int64_t from = saturatingAdd(t, lo);
      const int64_t to = saturatingAdd(t, hi);
      auto it = std::lower_bound(o.stamps.begin() + static_cast<ptrdiff_t>(o.head), o.stamps.end(),
                                 from, [](const Stamp& s, int64_t v) { return s.ts < v; });
      for (; it != o.stamps.end() && it->ts <= to; ++it) {
        if (input == 0)
          candidates_.add(batch, r, otherRows, it->row);
        else
          candidates_.add(otherRows, it->row, batch, r);
        pairArrival_.push_back(arrival);
        pairOther_.push_back(&*it);
        pairTime_.push_back(std::max(t, it->ts));
      }
    }
  }
  arrivalMatched_.assign(arrivals_.size(), 0);
  for (uint32_t p : candidates_.evaluate()) {
    arrivalMatched_[pairArrival_[p]] = 1;
    pairOther_[p]->matched = true;
    candidates_.appendPair(writer_.batch(), p);
    writer_.setTimestamp(pairTime_[p]);
    writer_.finishRow();
  }
  const auto base = static_cast<uint32_t>(arena_[input].numRows());
  toStore_.clear();
  for (size_t a = 0; a < arrivals_.size(); ++a) {
    const Arrival& row = arrivals_[a];
    // A row that can never match again (NULL key, or every partner would be late) is not
    // buffered; if it is an unmatched outer row, its padded row is final now.
    if (hasNullKey(input, batch, row.row) || cleanupTime(input, row.ts) <= currentWatermark_) {
      if (keep_[input] && !arrivalMatched_[a]) emitPadded(input, batch, row.row, row.ts);
      continue;
    }
    const std::string_view key = groups_.key(row.group);
    state_->setCurrentKey(key, row.keyGroup);
    KeyRows* rows = findKey(key);
    if (!rows) rows = &insertKey(key);
    bufferRow(*rows, input, row.ts, base + static_cast<uint32_t>(toStore_.size()),
              arrivalMatched_[a] != 0);
    toStore_.push_back(row.row);
  }
  arena_[input].appendRows(batch, toStore_.data(), toStore_.size());
  flushOutput();
  sourceNanos_ = 0;
}

void OuterIntervalJoinOperator::rowsExpired(int input, const Stamp* first, const Stamp* last) {
  if (!keep_[input]) return;
  for (const Stamp* s = first; s != last; ++s)
    if (!s->matched) emitPadded(input, arena_[input], s->row, s->ts);
}

}  // namespace glint::sql
