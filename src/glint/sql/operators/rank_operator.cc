#include "glint/sql/operators/rank_operator.h"

#include <algorithm>

namespace glint::sql {

RankOperator::RankOperator(SchemaPtr input, std::vector<int> partitionKeys,
                           std::vector<SortKey> sortKeys, int64_t limit, bool outputRank,
                           bool retractingInput, bool finalOnly, SchemaPtr output,
                           int windowEndColumn, RankFunction function)
    : KeyedOperator({input}, {partitionKeys}),
      inputSchema_(input),
      outputSchema_(std::move(output)),
      order_(*input, std::move(sortKeys)),
      limit_(limit),
      function_(function),
      outputRank_(outputRank),
      retractingInput_(retractingInput),
      finalOnly_(finalOnly),
      windowEndColumn_(windowEndColumn) {}

void RankOperator::open() {
  KeyedOperator::open();
  rows_ = state().valueState<std::vector<std::string>>("rank-rows");
  windowOut_ = Batch(outputSchema_);
}

std::vector<int64_t> RankOperator::topRanks(const std::vector<std::string>& rows) const {
  std::vector<int64_t> ranks;
  int64_t rank = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (function_ == RankFunction::kRowNumber) {
      rank = static_cast<int64_t>(i) + 1;
    } else if (i == 0 || !order_.peers(rows[i - 1], rows[i])) {
      // A new group of peers: RANK counts the rows before it, DENSE_RANK the groups.
      rank = function_ == RankFunction::kRank ? static_cast<int64_t>(i) + 1 : rank + 1;
    }
    if (limit_ >= 0 && rank > limit_) break;
    ranks.push_back(rank);
  }
  return ranks;
}

void RankOperator::onEventTimeTimer(const Timer& timer) {
  state_->setCurrentKey(timer.key);
  auto rows = rows_->value();
  rows_->clear();
  if (!rows) return;
  const std::vector<int64_t> ranks = topRanks(*rows);
  for (size_t i = 0; i < ranks.size(); ++i) {
    windowOut_.mutableTimestamps().push_back(timer.time);  // before the row count grows
    appendRow((*rows)[i], ranks[i], RowKind::kInsert, windowOut_);
  }
  if (windowOut_.numRows() >= context_.config.batchSize) flush(windowOut_);
}

void RankOperator::appendRow(std::string_view bytes, int64_t rank, RowKind kind, Batch& out) {
  order_.decode(bytes).appendTo(out, 0);
  if (outputRank_) out.mutableColumn(inputSchema_->size()).appendInt(rank);
  out.mutableRowKinds().push_back(kind);
  out.setNumRows(out.numRows() + 1);
}

void RankOperator::emitDifference(const std::vector<std::string>& oldTop,
                                  const std::vector<std::string>& newTop, Batch& out) {
  if (outputRank_) {
    // The rank is part of the row: every rank whose row changed is updated.
    const size_t n = std::max(oldTop.size(), newTop.size());
    for (size_t i = 0; i < n; ++i) {
      const int64_t rank = static_cast<int64_t>(i) + 1;
      const bool hadOld = i < oldTop.size(), hasNew = i < newTop.size();
      if (hadOld && hasNew) {
        if (oldTop[i] == newTop[i]) continue;
        appendRow(oldTop[i], rank, RowKind::kUpdateBefore, out);
        appendRow(newTop[i], rank, RowKind::kUpdateAfter, out);
      } else if (hadOld) {
        appendRow(oldTop[i], rank, RowKind::kDelete, out);
      } else {
        appendRow(newTop[i], rank, RowKind::kInsert, out);
      }
    }
    return;
  }
  // Without the rank, only membership matters: multiset difference of the two tops.
  std::vector<std::string> a = oldTop, b = newTop;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> left, entered;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(left));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(entered));
  for (const auto& r : left) appendRow(r, 0, RowKind::kDelete, out);
  for (const auto& r : entered) appendRow(r, 0, RowKind::kInsert, out);
}

void RankOperator::emitRankedDifference(const std::vector<std::string>& oldTop,
                                        const std::vector<int64_t>& oldRanks,
                                        const std::vector<std::string>& newTop,
                                        const std::vector<int64_t>& newRanks, Batch& out) {
  using Ranked = std::pair<std::string, int64_t>;
  std::vector<Ranked> a, b;
  for (size_t i = 0; i < oldTop.size(); ++i) a.emplace_back(oldTop[i], oldRanks[i]);
  for (size_t i = 0; i < newTop.size(); ++i) b.emplace_back(newTop[i], newRanks[i]);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<Ranked> left, entered;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(left));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(entered));
  // Pair what left with what entered as updates; the rest are deletions or insertions.
  const size_t paired = std::min(left.size(), entered.size());
  for (size_t i = 0; i < paired; ++i) {
    appendRow(left[i].first, left[i].second, RowKind::kUpdateBefore, out);
    appendRow(entered[i].first, entered[i].second, RowKind::kUpdateAfter, out);
  }
  for (size_t i = paired; i < left.size(); ++i)
    appendRow(left[i].first, left[i].second, RowKind::kDelete, out);
  for (size_t i = paired; i < entered.size(); ++i)
    appendRow(entered[i].first, entered[i].second, RowKind::kInsert, out);
}

void RankOperator::flush(Batch& out) {
  if (out.empty()) return;
  output_->emit(std::move(out));
  out = Batch(outputSchema_);
}

void RankOperator::processBatch(int, Batch&& batch) {
  Batch out(outputSchema_);
  std::string bytes;
  const size_t limit = static_cast<size_t>(limit_);
  const bool rowNumber = function_ == RankFunction::kRowNumber;
  for (size_t r = 0; r < batch.numRows(); ++r) {
    setCurrentKeyFromRow(0, batch, r);
    order_.encode(batch, r, bytes);
    std::vector<std::string> rows = rows_->value().value_or(std::vector<std::string>{});
    const bool emitsChanges = windowEndColumn_ < 0 && !finalOnly_;
    std::vector<int64_t> oldRanks;
    if (emitsChanges) oldRanks = topRanks(rows);
    std::vector<std::string> oldTop(rows.begin(),
                                    rows.begin() + static_cast<long>(oldRanks.size()));
    if (isAccumulate(batch.rowKind(r))) {
      // After the equal rows: among ties the earlier row keeps the better rank.
      auto at = std::upper_bound(
          rows.begin(), rows.end(), bytes,
          [this](const std::string& v, const std::string& e) { return order_.before(v, e); });
      if (rowNumber && !retractingInput_ && static_cast<size_t>(at - rows.begin()) >= limit)
        continue;
      rows.insert(at, bytes);
      // An insert-only input never brings a row back into the top N: drop the rest.
      if (!retractingInput_ && limit_ >= 0) {
        const size_t keep = rowNumber ? limit : topRanks(rows).size();
        if (rows.size() > keep) rows.resize(keep);
      }
    } else {
      auto at = std::find(rows.begin(), rows.end(), bytes);
      if (at == rows.end()) continue;  // retraction of a row that never ranked (or expired)
      rows.erase(at);
    }
    if (windowEndColumn_ >= 0 && !finalOnly_) {
      // The window's top N is emitted when its timer fires; a late row changes nothing.
      const int64_t fireAt = batch.column(static_cast<size_t>(windowEndColumn_)).getInt(r) - 1;
      if (fireAt <= currentWatermark()) continue;
      timers().registerEventTimeTimer(kVoidNamespace, fireAt);
    } else if (finalOnly_) {
      if (touchedSet_.insert(std::string(state_->currentKey())).second)
        touched_.emplace_back(state_->currentKey());
    } else {
      const std::vector<int64_t> newRanks = topRanks(rows);
      std::vector<std::string> newTop(rows.begin(),
                                      rows.begin() + static_cast<long>(newRanks.size()));
      if (rowNumber || !outputRank_)
        emitDifference(oldTop, newTop, out);
      else
        emitRankedDifference(oldTop, oldRanks, newTop, newRanks, out);
    }
    if (rows.empty())
      rows_->clear();
    else
      rows_->update(rows);
    if (out.numRows() >= context_.config.batchSize) flush(out);
  }
  flush(out);
}

void RankOperator::finish() {
  if (!finalOnly_) return;
  Batch out(outputSchema_);
  for (const auto& key : touched_) {
    state_->setCurrentKey(key);
    auto rows = rows_->value();
    if (!rows) continue;
    const std::vector<int64_t> ranks = topRanks(*rows);
    for (size_t i = 0; i < ranks.size(); ++i) {
      appendRow((*rows)[i], ranks[i], RowKind::kInsert, out);
      if (out.numRows() >= context_.config.batchSize) flush(out);
    }
  }
  flush(out);
  touched_.clear();
  touchedSet_.clear();
}

}  // namespace glint::sql
