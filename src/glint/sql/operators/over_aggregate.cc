#include "glint/sql/operators/over_aggregate.h"

#include <algorithm>
#include <span>

#include "glint/runtime/metrics.h"

namespace glint::sql {

namespace {

void appendEncoded(const RowOrder& order, std::string_view bytes, Batch& batch) {
  order.decode(bytes).appendTo(batch, 0);
  batch.setNumRows(batch.numRows() + 1);
}

std::vector<AggCall> aggregatesOf(const std::vector<AggCall>& calls) {
  std::vector<AggCall> out;
  for (const AggCall& c : calls)
    if (!isOffsetFunction(c.kind) && !isDistributionFunction(c.kind)) out.push_back(c);
  return out;
}

}  // namespace

OverAggregateOperator::OverAggregateOperator(SchemaPtr input, std::vector<int> partitionKeys,
                                             std::vector<SortKey> sortKeys,
                                             std::vector<AggCall> calls, bool rowsFrame,
                                             int64_t preceding, bool finalOnly, SchemaPtr output,
                                             int64_t following)
    : KeyedOperator({input}, {partitionKeys}),
      inputSchema_(input),
      outputSchema_(std::move(output)),
      sortKeys_(sortKeys),
      order_(*input, std::move(sortKeys)),
      // A bounded frame retracts the rows that leave it: MIN/MAX then keep all values.
      evaluator_(aggregatesOf(calls), preceding >= 0),
      rowsFrame_(rowsFrame),
      preceding_(preceding),
      following_(following),
      finalOnly_(finalOnly) {
  if (sortKeys_.size() == 1 &&
      physicalTypeOf(input->field(static_cast<size_t>(sortKeys_[0].column)).type) ==
          PhysicalType::kInt64)
    orderColumn_ = sortKeys_[0].column;
  for (size_t i = 0; i < calls.size(); ++i) {
    const AggCall& c = calls[i];
    const size_t column = input->size() + i;
    if (isDistributionFunction(c.kind)) {
      distributions_.push_back({c.kind, c.offset, column});
      continue;
    }
    if (!isOffsetFunction(c.kind)) {
      aggregateColumns_.push_back(column);
      continue;
    }
    const int64_t delta = c.kind == AggKind::kLag ? -c.offset : c.offset;
    offsets_.push_back({delta, static_cast<size_t>(c.argument), c.defaultArgument, column});
    if (c.kind == AggKind::kLag) maxLag_ = std::max(maxLag_, c.offset);
  }
}

void OverAggregateOperator::appendAggregates(const AggAccumulator& acc) {
  for (size_t c = 0; c < evaluator_.size(); ++c)
    evaluator_.appendResult(acc, c, out_.mutableColumn(aggregateColumns_[c]));
}

void OverAggregateOperator::appendDistributions(size_t i, size_t peerBegin, size_t peerEnd,
                                                size_t rows) {
  for (const DistributionCall& d : distributions_) {
    Column& out = out_.mutableColumn(d.outputColumn);
    switch (d.kind) {
      case AggKind::kPercentRank:
        out.appendDouble(rows > 1 ? static_cast<double>(peerBegin) / static_cast<double>(rows - 1)
                                  : 0.0);
        break;
      case AggKind::kCumeDist:
        out.appendDouble(static_cast<double>(peerEnd) / static_cast<double>(rows));
        break;
      default: {
        // n buckets: the first rows % n hold one row more than the others.
        const auto n = static_cast<size_t>(d.buckets);
        const size_t small = rows / n, large = small + 1, largeRows = (rows % n) * large;
        const size_t bucket = i < largeRows ? i / large : rows % n + (i - largeRows) / small;
        out.appendInt(static_cast<int64_t>(bucket) + 1);
        break;
      }
    }
  }
}

template <class At>
void OverAggregateOperator::appendOffsets(std::string_view current, At&& at) {
  for (const OffsetCall& o : offsets_) {
    Column& out = out_.mutableColumn(o.outputColumn);
    if (const std::string* row = at(o.delta))
      order_.decode(*row).appendFieldTo(o.argument, out);
    else if (o.defaultArgument >= 0)
      order_.decode(current).appendFieldTo(static_cast<size_t>(o.defaultArgument), out);
    else
      out.appendNull();
  }
}

void OverAggregateOperator::open() {
  KeyedOperator::open();
  if (finalOnly_) {
    partitionRows_ = state().listState<std::string>("over-rows");
  } else {
    pending_ = state().mapState<int64_t, std::vector<std::string>>("over-pending");
    frame_ = state().valueState<OverFrameState>("over-frame");
  }
  out_ = Batch(outputSchema_);
}

void OverAggregateOperator::countLate(int64_t rows) {
  if (rows > 0 && context_.metrics)
    context_.metrics->lateRecordsDropped.fetch_add(rows, std::memory_order_relaxed);
}

void OverAggregateOperator::processBatch(int, Batch&& batch) {
  std::string bytes;
  if (finalOnly_) {
    for (size_t r = 0; r < batch.numRows(); ++r) {
      setCurrentKeyFromRow(0, batch, r);
      order_.encode(batch, r, bytes);
      partitionRows_->add(bytes);
      if (touchedSet_.insert(std::string(state_->currentKey())).second)
        touched_.emplace_back(state_->currentKey());
    }
    return;
  }
  GLINT_CHECK(orderColumn_ >= 0);  // the planner checks the ORDER BY in streaming mode
  const Column& time = batch.column(static_cast<size_t>(orderColumn_));
  int64_t late = 0;
  for (size_t r = 0; r < batch.numRows(); ++r) {
    // Not after the watermark: rows of that time were already processed (Flink drops it).
    if (time.isNull(r) || time.getInt(r) <= currentWatermark()) {
      ++late;
      continue;
    }
    const int64_t ts = time.getInt(r);
    setCurrentKeyFromRow(0, batch, r);
    order_.encode(batch, r, bytes);
    std::vector<std::string> rows = pending_->get(ts).value_or(std::vector<std::string>{});
    rows.push_back(bytes);
    pending_->put(ts, rows);
    timers().registerEventTimeTimer(kVoidNamespace, ts);
  }
  countLate(late);
}

void OverAggregateOperator::onEventTimeTimer(const Timer& timer) {
  state_->setCurrentKey(timer.key);
  const int64_t ts = timer.time;
  auto rows = pending_->get(ts);
  if (!rows) return;
  const std::vector<std::string>& peers = *rows;
  OverFrameState frame =
      frame_->value().value_or(OverFrameState{evaluator_.create(), {}, {}, {}, {}});
  AggAccumulator& acc = frame.accumulator;
  const bool bounded = preceding_ >= 0;
  Batch scratch(inputSchema_);
  for (const auto& p : peers) appendEncoded(order_, p, scratch);
  // A bounded frame's rows stay in `pending_` under their time (frame.orderValues lists them
  // in order), so the frame state copied per timer holds no rows.
  auto retractOldest = [&] {
    const int64_t t = frame.orderValues.front();
    size_t left = 0;  // rows of time t still in the frame: the oldest ones went first
    while (left < frame.orderValues.size() && frame.orderValues[left] == t) ++left;
    const std::vector<std::string> atT =
        t == ts ? peers : pending_->get(t).value_or(std::vector<std::string>{});
    GLINT_CHECK(atT.size() >= left);
    appendEncoded(order_, atT[atT.size() - left], scratch);
    evaluator_.accumulate(acc, scratch, scratch.numRows() - 1, -1);
    frame.orderValues.erase(frame.orderValues.begin());
    if (left == 1) pending_->remove(t);
  };
  auto emit = [&](size_t i) {
    out_.mutableTimestamps().push_back(ts);  // before the row count grows
    order_.decode(peers[i]).appendTo(out_, 0);
    appendAggregates(acc);
    // LAG only (the planner keeps LEAD out of streaming mode): earlier peers, then the rows
    // of earlier timestamps.
    appendOffsets(peers[i], [&](int64_t delta) -> const std::string* {
      const auto back = static_cast<size_t>(-delta);
      if (back <= i) return &peers[i - back];
      const size_t fromPrevious = back - i;
      if (fromPrevious > frame.previous.size()) return nullptr;
      return &frame.previous[frame.previous.size() - fromPrevious];
    });
    out_.setNumRows(out_.numRows() + 1);
  };
  if (rowsFrame_) {
    for (size_t i = 0; i < peers.size(); ++i) {
      evaluator_.accumulate(acc, scratch, i, +1);
      if (bounded) {
        frame.orderValues.push_back(ts);
        while (frame.orderValues.size() > static_cast<size_t>(preceding_) + 1) retractOldest();
      }
      emit(i);
    }
  } else {
    // RANGE: every peer's frame holds all of them.
    for (size_t i = 0; i < peers.size(); ++i) evaluator_.accumulate(acc, scratch, i, +1);
    if (bounded) {
      frame.orderValues.insert(frame.orderValues.end(), peers.size(), ts);
      while (static_cast<__int128>(ts) - frame.orderValues.front() > preceding_) retractOldest();
    }
    for (size_t i = 0; i < peers.size(); ++i) emit(i);
  }
  if (!bounded) pending_->remove(ts);  // no later frame reads these rows
  if (maxLag_ > 0) {
    frame.previous.insert(frame.previous.end(), peers.begin(), peers.end());
    if (frame.previous.size() > static_cast<size_t>(maxLag_))
      frame.previous.erase(frame.previous.begin(),
                           frame.previous.end() - static_cast<long>(maxLag_));
  }
  frame_->update(frame);
  if (out_.numRows() >= context_.config.batchSize) flush();
}

bool OverAggregateOperator::beforeRange(const OverFrameState& frame, size_t i, bool orderNull,
                                        int64_t orderValue) const {
  const bool rowNull = frame.orderNull[i] != 0;
  // NULLs are peers of each other only: a NULL row's frame holds the NULL rows, another
  // row's frame none of them.
  if (orderNull) return !rowNull;
  if (rowNull) return true;
  const __int128 distance = sortKeys_[0].descending
                                ? static_cast<__int128>(frame.orderValues[i]) - orderValue
                                : static_cast<__int128>(orderValue) - frame.orderValues[i];
  return distance > preceding_;
}

void OverAggregateOperator::processSortedPeers(OverFrameState& frame,
                                               const std::vector<std::string>& rows, size_t begin,
                                               size_t end, bool orderNull, int64_t orderValue) {
  AggAccumulator& acc = frame.accumulator;
  const bool bounded = preceding_ >= 0;
  const auto peers = std::span<const std::string>(rows).subspan(begin, end - begin);
  auto emit = [&](size_t peer) {
    const size_t at = begin + peer;
    order_.decode(rows[at]).appendTo(out_, 0);
    appendAggregates(acc);
    appendDistributions(at, begin, end, rows.size());
    appendOffsets(rows[at], [&](int64_t delta) -> const std::string* {
      const int64_t other = static_cast<int64_t>(at) + delta;
      if (other < 0 || other >= static_cast<int64_t>(rows.size())) return nullptr;
      return &rows[static_cast<size_t>(other)];
    });
    out_.setNumRows(out_.numRows() + 1);
  };
  Batch scratch(inputSchema_);
  if (rowsFrame_) {
    // Retractions take rows from the front of (retained rows ++ peers): decode only those.
    const size_t old = frame.rows.size();
    const size_t width = static_cast<size_t>(preceding_) + 1;
    const size_t total = old + peers.size();
    const size_t retracts = bounded && total > width ? total - width : 0;
    const size_t fromOld = std::min(retracts, old);
    for (size_t j = 0; j < fromOld; ++j) appendEncoded(order_, frame.rows[j], scratch);
    for (const auto& p : peers) appendEncoded(order_, p, scratch);
    size_t retracted = 0;
    for (size_t i = 0; i < peers.size(); ++i) {
      evaluator_.accumulate(acc, scratch, fromOld + i, +1);
      while (bounded && old + i + 1 - retracted > width) {
        const size_t at = retracted < old ? retracted : fromOld + (retracted - old);
        evaluator_.accumulate(acc, scratch, at, -1);
        ++retracted;
      }
      emit(i);
    }
    if (bounded) {
      frame.rows.insert(frame.rows.end(), peers.begin(), peers.end());
      frame.rows.erase(frame.rows.begin(), frame.rows.begin() + static_cast<long>(retracts));
    }
    return;
  }
  // RANGE: the frame of every peer holds all of them.
  for (const auto& p : peers) appendEncoded(order_, p, scratch);
  for (size_t i = 0; i < peers.size(); ++i) evaluator_.accumulate(acc, scratch, i, +1);
  if (bounded) {
    for (const auto& p : peers) {
      frame.rows.push_back(p);
      frame.orderValues.push_back(orderValue);
      frame.orderNull.push_back(orderNull ? 1 : 0);
    }
    // Rows are retained in ORDER BY order, so those before the frame are a prefix.
    size_t leaving = 0;
    while (leaving < frame.rows.size() && beforeRange(frame, leaving, orderNull, orderValue))
      ++leaving;
    for (size_t j = 0; j < leaving; ++j) {
      appendEncoded(order_, frame.rows[j], scratch);
      evaluator_.accumulate(acc, scratch, scratch.numRows() - 1, -1);
    }
    const auto cut = static_cast<long>(leaving);
    frame.rows.erase(frame.rows.begin(), frame.rows.begin() + cut);
    frame.orderValues.erase(frame.orderValues.begin(), frame.orderValues.begin() + cut);
    frame.orderNull.erase(frame.orderNull.begin(), frame.orderNull.begin() + cut);
  }
  for (size_t i = 0; i < peers.size(); ++i) emit(i);
}

void OverAggregateOperator::processSlidingFrames(const std::vector<std::string>& rows) {
  const size_t n = rows.size();
  Batch all(inputSchema_);
  for (const auto& r : rows) appendEncoded(order_, r, all);
  // RANGE: each row's peers [peerBegin, peerEnd), and its ORDER BY value (one key when the
  // frame has an offset; the planner checks).
  std::vector<size_t> peerBegin(n), peerEnd(n);
  for (size_t i = 0; i < n;) {
    size_t end = i + 1;
    while (end < n && order_.peers(rows[i], rows[end])) ++end;
    for (size_t j = i; j < end; ++j) {
      peerBegin[j] = i;
      peerEnd[j] = end;
    }
    i = end;
  }
  const bool rangeOffsets = !rowsFrame_ && (preceding_ > 0 || following_ > 0);
  GLINT_CHECK(!rangeOffsets || orderColumn_ >= 0);
  const Column* key = rangeOffsets ? &all.column(static_cast<size_t>(orderColumn_)) : nullptr;
  const bool descending = rangeOffsets && sortKeys_[0].descending;
  // How far row j's ORDER BY value lies after row i's in the sort direction (both non-NULL).
  auto ahead = [&](size_t i, size_t j) {
    const __int128 d = static_cast<__int128>(key->getInt(j)) - key->getInt(i);
    return descending ? -d : d;
  };
  // The frame [start(i), end(i)) of row i; both are non-decreasing in i.
  auto frameStart = [&](size_t i, size_t from) -> size_t {
    if (preceding_ < 0) return 0;
    const auto back = static_cast<size_t>(preceding_);
    if (rowsFrame_) return i >= back ? i - back : 0;
    if (preceding_ == 0 || key->isNull(i)) return peerBegin[i];  // NULLs: their peers only
    size_t j = from;
    while (j < i && (key->isNull(j) || ahead(j, i) > preceding_)) ++j;
    return j;
  };
  auto frameEnd = [&](size_t i, size_t from) -> size_t {
    if (following_ < 0) return n;
    if (rowsFrame_) return std::min(n, i + 1 + static_cast<size_t>(following_));
    if (following_ == 0 || key->isNull(i)) return peerEnd[i];
    size_t j = std::max(from, i + 1);
    while (j < n && !key->isNull(j) && ahead(i, j) <= following_) ++j;
    return j;
  };
  AggAccumulator acc = evaluator_.create();
  size_t lo = 0, hi = 0;  // the rows accumulated now
  for (size_t i = 0; i < n; ++i) {
    const size_t start = frameStart(i, lo), end = frameEnd(i, hi);
    for (; hi < end; ++hi) evaluator_.accumulate(acc, all, hi, +1);
    for (; lo < start; ++lo) evaluator_.accumulate(acc, all, lo, -1);
    order_.decode(rows[i]).appendTo(out_, 0);
    appendAggregates(acc);
    appendDistributions(i, peerBegin[i], peerEnd[i], n);
    appendOffsets(rows[i], [&](int64_t delta) -> const std::string* {
      const int64_t other = static_cast<int64_t>(i) + delta;
      if (other < 0 || other >= static_cast<int64_t>(n)) return nullptr;
      return &rows[static_cast<size_t>(other)];
    });
    out_.setNumRows(out_.numRows() + 1);
  }
}

void OverAggregateOperator::flush() {
  if (out_.empty()) return;
  output_->emit(std::move(out_));
  out_ = Batch(outputSchema_);
}

void OverAggregateOperator::finish() {
  if (!finalOnly_) return;
  for (const auto& key : touched_) {
    state_->setCurrentKey(key);
    std::vector<std::string> rows = partitionRows_->get();
    partitionRows_->clear();
    // Stable: rows equal on the ORDER BY keys keep their arrival order (for ROWS frames).
    std::stable_sort(rows.begin(), rows.end(), [this](const std::string& a, const std::string& b) {
      return order_.before(a, b);
    });
    if (following_ != 0) {
      processSlidingFrames(rows);
      if (out_.numRows() >= context_.config.batchSize) flush();
      continue;
    }
    OverFrameState frame{evaluator_.create(), {}, {}, {}, {}};
    for (size_t i = 0; i < rows.size();) {
      size_t end = i + 1;
      while (end < rows.size() && order_.peers(rows[i], rows[end])) ++end;
      bool orderNull = false;
      int64_t orderValue = 0;
      if (orderColumn_ >= 0) {
        KeyRef first = order_.decode(rows[i]);
        orderNull = first.isNull(static_cast<size_t>(orderColumn_));
        if (!orderNull) orderValue = first.getLong(static_cast<size_t>(orderColumn_));
      }
      processSortedPeers(frame, rows, i, end, orderNull, orderValue);
      if (out_.numRows() >= context_.config.batchSize) flush();
      i = end;
    }
  }
  flush();
  touched_.clear();
  touchedSet_.clear();
}

}  // namespace glint::sql
