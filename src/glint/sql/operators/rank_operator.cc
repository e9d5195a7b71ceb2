#include "glint/sql/operators/rank_operator.h"

#include <algorithm>

namespace glint::sql {

RankOperator::RankOperator(SchemaPtr input, std::vector<int> partitionKeys,
                           std::vector<SortKey> sortKeys, int64_t limit, bool outputRank,
                           bool retractingInput, bool finalOnly, SchemaPtr output,
                           int windowEndColumn)
    : KeyedOperator({input}, {partitionKeys}),
      inputSchema_(input),
      outputSchema_(std::move(output)),
      sortKeys_(std::move(sortKeys)),
      limit_(limit),
      outputRank_(outputRank),
      retractingInput_(retractingInput),
      finalOnly_(finalOnly),
      windowEndColumn_(windowEndColumn) {
  std::vector<int> all;
  for (size_t c = 0; c < input->size(); ++c) all.push_back(static_cast<int>(c));
  rowEncoder_ = KeyEncoder(*input, all);
  for (const auto& k : sortKeys_)
    sortPhysical_.push_back(physicalTypeOf(input->field(static_cast<size_t>(k.column)).type));
}

void RankOperator::open() {
  KeyedOperator::open();
  rows_ = state().valueState<std::vector<std::string>>("rank-rows");
  windowOut_ = Batch(outputSchema_);
}

void RankOperator::onEventTimeTimer(const Timer& timer) {
  state_->setCurrentKey(timer.key);
  auto rows = rows_->value();
  rows_->clear();
  if (!rows) return;
  for (size_t i = 0; i < rows->size() && i < static_cast<size_t>(limit_); ++i) {
    windowOut_.mutableTimestamps().push_back(timer.time);  // before the row count grows
    appendRow((*rows)[i], static_cast<int64_t>(i) + 1, RowKind::kInsert, windowOut_);
  }
  if (windowOut_.numRows() >= context_.config.batchSize) flush(windowOut_);
}

bool RankOperator::before(std::string_view a, std::string_view b) const {
  KeyRef x(a, &rowEncoder_.keyTypes()), y(b, &rowEncoder_.keyTypes());
  for (size_t i = 0; i < sortKeys_.size(); ++i) {
    const auto& k = sortKeys_[i];
    const size_t c = static_cast<size_t>(k.column);
    const bool xNull = x.isNull(c), yNull = y.isNull(c);
    if (xNull || yNull) {
      if (xNull && yNull) continue;
      // NULLS FIRST puts the null row before the other, whatever the direction.
      return xNull == k.nullsFirst;
    }
    int cmp = 0;
    switch (sortPhysical_[i]) {
      case PhysicalType::kDouble: {
        const double u = x.getDouble(c), v = y.getDouble(c);
        cmp = u < v ? -1 : (u > v ? 1 : 0);
        break;
      }
      case PhysicalType::kString: {
        const int r = x.getString(c).compare(y.getString(c));
        cmp = r < 0 ? -1 : (r > 0 ? 1 : 0);
        break;
      }
      case PhysicalType::kInt64: {
        const int64_t u = x.getLong(c), v = y.getLong(c);
        cmp = u < v ? -1 : (u > v ? 1 : 0);
        break;
      }
    }
    if (cmp != 0) return k.descending ? cmp > 0 : cmp < 0;
  }
  return false;
}

void RankOperator::appendRow(std::string_view bytes, int64_t rank, RowKind kind, Batch& out) {
  KeyRef ref(bytes, &rowEncoder_.keyTypes());
  ref.appendTo(out, 0);
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

void RankOperator::flush(Batch& out) {
  if (out.empty()) return;
  output_->emit(std::move(out));
  out = Batch(outputSchema_);
}

void RankOperator::processBatch(int, Batch&& batch) {
  Batch out(outputSchema_);
  std::string bytes;
  const size_t limit = static_cast<size_t>(limit_);
  for (size_t r = 0; r < batch.numRows(); ++r) {
    setCurrentKeyFromRow(0, batch, r);
    rowEncoder_.encode(batch, r, bytes);
    std::vector<std::string> rows = rows_->value().value_or(std::vector<std::string>{});
    std::vector<std::string> oldTop(rows.begin(),
                                    rows.begin() + static_cast<long>(std::min(limit, rows.size())));
    if (isAccumulate(batch.rowKind(r))) {
      // After the equal rows: among ties the earlier row keeps the better rank.
      auto at = std::upper_bound(
          rows.begin(), rows.end(), bytes,
          [this](const std::string& v, const std::string& e) { return before(v, e); });
      if (!retractingInput_ && static_cast<size_t>(at - rows.begin()) >= limit) continue;
      rows.insert(at, bytes);
      // An insert-only input never brings a row back into the top N: drop the rest.
      if (!retractingInput_ && rows.size() > limit) rows.resize(limit);
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
      std::vector<std::string> newTop(
          rows.begin(), rows.begin() + static_cast<long>(std::min(limit, rows.size())));
      emitDifference(oldTop, newTop, out);
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
    for (size_t i = 0; i < rows->size() && i < static_cast<size_t>(limit_); ++i) {
      appendRow((*rows)[i], static_cast<int64_t>(i) + 1, RowKind::kInsert, out);
      if (out.numRows() >= context_.config.batchSize) flush(out);
    }
  }
  flush(out);
  touched_.clear();
  touchedSet_.clear();
}

}  // namespace glint::sql
