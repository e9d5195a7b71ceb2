#include "glint/sql/operators/group_aggregate.h"

#include <algorithm>
#include <string>
#include <type_traits>

#include "glint/runtime/executor.h"
#include "glint/state/state_serializer.h"

namespace glint::sql {

// ---- bundles --------------------------------------------------------------------------------

bool BundleBuffer::add(Batch&& batch, int64_t nowMillis, int64_t* deadline) {
  if (batches_.empty() && latencyMillis_ > 0) {
    deadline_ = nowMillis + latencyMillis_;
    *deadline = deadline_;
  }
  buffered_ += static_cast<int64_t>(batch.numRows());
  batches_.push_back(std::move(batch));
  return buffered_ >= rows_;
}

Batch BundleBuffer::take() {
  Batch all;
  if (batches_.size() == 1) {
    all = std::move(batches_[0]);
  } else {
    all = Batch(batches_[0].schema());
    for (const Batch& b : batches_) {
      const bool kinds = b.hasRowKinds() || all.hasRowKinds();
      const size_t before = all.numRows();
      all.appendRange(b, 0, b.numRows());
      // Keep the row kinds aligned when only some batches carry them.
      if (kinds && all.mutableRowKinds().size() != all.numRows()) {
        auto& k = all.mutableRowKinds();
        k.resize(before, RowKind::kInsert);
        for (size_t r = 0; r < b.numRows(); ++r) k.push_back(b.rowKind(r));
      }
    }
  }
  batches_.clear();
  buffered_ = 0;
  deadline_ = INT64_MAX;
  return all;
}

namespace {

bool sameRow(const Batch& b, size_t r1, size_t r2, size_t from) {
  for (size_t c = from; c < b.numColumns(); ++c) {
    const Column& col = b.column(c);
    if (col.isNull(r1) != col.isNull(r2)) return false;
    if (col.isNull(r1)) continue;
    switch (col.physical()) {
      case PhysicalType::kInt64:
        if (col.getInt(r1) != col.getInt(r2)) return false;
        break;
      case PhysicalType::kDouble:
        if (col.getDouble(r1) != col.getDouble(r2)) return false;
        break;
      case PhysicalType::kString:
        if (col.getString(r1) != col.getString(r2)) return false;
        break;
    }
  }
  return true;
}

void countStateAccesses(const OperatorContext& context, int64_t n) {
  if (context.metrics) context.metrics->aggregateStateAccesses.fetch_add(n);
}

}  // namespace

// ---- group aggregate (one phase, or the global phase) ---------------------------------------

GroupAggregateOperator::GroupAggregateOperator(SchemaPtr input, std::vector<int> keys,
                                               std::vector<AggCall> calls, bool retractingInput,
                                               SchemaPtr output, GroupAggregateOptions options)
    : KeyedOperator({input}, {keys}),
      outputSchema_(std::move(output)),
      numKeys_(keys.size()),
      evaluator_(calls, retractingInput),
      options_(options),
      bundle_(options.finalOnly ? 0 : options.bundleRows, options.bundleLatencyMillis) {
  // The global phase merges the local phase's AggAccumulators.
  if (!options.mergeAccumulators && FlatAggregateEvaluator::supports(calls, retractingInput))
    flat_.emplace(std::move(calls));
}

// The two kinds of per-key accumulator and their state, with one interface for
// processRowsWith.
struct GroupAggregateOperator::GeneralAccumulators {
  using Accumulator = AggAccumulator;
  const AggregateEvaluator& evaluator;
  ValueState<Accumulator>* state;
  Accumulator create() const { return evaluator.create(); }
  void accumulate(Accumulator& acc, const Batch& batch, size_t row, bool add) const {
    evaluator.accumulate(acc, batch, row, add ? 1 : -1);
  }
  static int64_t rows(const Accumulator& acc) { return acc.rows; }
  void appendResult(const Accumulator& acc, size_t i, Column& out) const {
    evaluator.appendResult(acc, i, out);
  }
};

template <size_t N>
struct GroupAggregateOperator::FlatAccumulators {
  using Accumulator = FlatGroupAccumulator<N>;
  const FlatAggregateEvaluator& evaluator;
  ValueState<Accumulator>* state;
  static Accumulator create() { return Accumulator{}; }
  void accumulate(Accumulator& acc, const Batch& batch, size_t row, bool add) const {
    if (add) {
      ++acc.rows;
      evaluator.accumulate(acc, batch, row);
    } else {
      --acc.rows;
      evaluator.retract(acc, batch, row);
    }
  }
  static int64_t rows(const Accumulator& acc) { return acc.rows; }
  void appendResult(const Accumulator& acc, size_t i, Column& out) const {
    evaluator.appendResult(acc, i, out);
  }
  bool sameResults(const Accumulator& a, const Accumulator& b) const {
    return evaluator.sameResults(a, b);
  }
};

template <class F>
void GroupAggregateOperator::withAccumulators(F&& f) {
  switch (flatAcc_.index()) {
    case 0:
      f(GeneralAccumulators{evaluator_, acc_});
      return;
    case 1:
      f(FlatAccumulators<1>{*flat_, std::get<1>(flatAcc_)});
      return;
    case 2:
      f(FlatAccumulators<2>{*flat_, std::get<2>(flatAcc_)});
      return;
    case 3:
      f(FlatAccumulators<4>{*flat_, std::get<3>(flatAcc_)});
      return;
    default:
      f(FlatAccumulators<kFlatCapacity>{*flat_, std::get<4>(flatAcc_)});
  }
}

namespace {
// The flat state of a group aggregate; the name says the layout, so that a snapshot never
// restores into another.
template <size_t N>
ValueState<FlatGroupAccumulator<N>>* flatState(KeyedStateBackend& state,
                                               const StateTtlConfig& ttl) {
  return state.valueState<FlatGroupAccumulator<N>>("group-agg-flat-" + std::to_string(N), ttl);
}
}  // namespace

void GroupAggregateOperator::open() {
  KeyedOperator::open();
  StateTtlConfig ttl;
  ttl.ttlMillis = options_.state.ttlMillis;
  const size_t calls = evaluator_.size();
  if (!flat_)
    acc_ = state().valueState<AggAccumulator>("group-agg", ttl);
  else if (calls <= 1)
    flatAcc_ = flatState<1>(state(), ttl);
  else if (calls <= 2)
    flatAcc_ = flatState<2>(state(), ttl);
  else if (calls <= 4)
    flatAcc_ = flatState<4>(state(), ttl);
  else
    flatAcc_ = flatState<kFlatCapacity>(state(), ttl);
  touchedIndex_ = std::make_unique<windowing::KeyTable>();
}

void GroupAggregateOperator::appendKey(std::string_view key, Batch& out) {
  KeyRef ref(key, &keyEncoders_[0].keyTypes());
  for (size_t k = 0; k < numKeys_; ++k) ref.appendFieldTo(k, out.mutableColumn(k));
}

template <class Accumulators>
void GroupAggregateOperator::appendResult(std::string_view key, const Accumulators& accumulators,
                                          const typename Accumulators::Accumulator& acc,
                                          RowKind kind, Batch& out) {
  appendKey(key, out);
  for (size_t i = 0; i < evaluator_.size(); ++i)
    accumulators.appendResult(acc, i, out.mutableColumn(numKeys_ + i));
  out.mutableRowKinds().push_back(kind);
  out.setNumRows(out.numRows() + 1);
}

void GroupAggregateOperator::flush(Batch& out) {
  if (out.empty()) return;
  output_->emit(std::move(out));
  out = Batch(outputSchema_);
}

template <class Accumulators>
void GroupAggregateOperator::emitChange(std::string_view key, const Accumulators& accumulators,
                                        const typename Accumulators::Accumulator& acc, int& held,
                                        Batch& history, Batch& out) {
  auto send = [&](int row, RowKind kind) {
    out.appendRange(history, row, row + 1);
    out.mutableRowKinds().back() = kind;
  };
  if (Accumulators::rows(acc) <= 0) {
    if (held >= 0) send(held, RowKind::kDelete);
    held = -1;
    return;
  }
  appendResult(key, accumulators, acc, RowKind::kInsert, history);
  const int now = static_cast<int>(history.numRows()) - 1;
  if (held < 0) {
    send(now, RowKind::kInsert);
    held = now;
  } else if (!sameRow(history, held, now, numKeys_)) {
    // An unchanged result emits nothing (as Flink without state TTL).
    send(held, RowKind::kUpdateBefore);
    send(now, RowKind::kUpdateAfter);
    held = now;
  }
}

void GroupAggregateOperator::processBatch(int, Batch&& batch) {
  if (!bundle_.enabled()) {
    processRows(batch);
    return;
  }
  int64_t deadline = INT64_MAX;
  const bool full = bundle_.add(std::move(batch), wallClockMillis(), &deadline);
  if (full)
    flushBundle();
  else if (deadline != INT64_MAX && context_.task)
    context_.task->registerProcessingTimeCallback(deadline, this);
}

void GroupAggregateOperator::flushBundle() {
  if (bundle_.empty()) return;
  Batch all = bundle_.take();
  processRows(all);
}

void GroupAggregateOperator::processWatermark(int64_t watermark) {
  flushBundle();
  KeyedOperator::processWatermark(watermark);
}

void GroupAggregateOperator::onProcessingTime(int64_t nowMillis) {
  // A callback of a bundle that was flushed early (full) may arrive for a later bundle.
  if (!bundle_.empty() && nowMillis >= bundle_.deadline()) flushBundle();
  KeyedOperator::onProcessingTime(nowMillis);
}

void GroupAggregateOperator::snapshotState(const CheckpointBarrier& barrier,
                                           const SnapshotLocation& location,
                                           OperatorSnapshot& snapshot) {
  // The bundle is not part of the state: its changes go out before the barrier.
  flushBundle();
  KeyedOperator::snapshotState(barrier, location, snapshot);
}

void GroupAggregateOperator::processRows(const Batch& batch) {
  withAccumulators([&](const auto& accumulators) { processRowsWith(batch, accumulators); });
}

template <class Accumulators>
void GroupAggregateOperator::processRowsWith(const Batch& batch,
                                             const Accumulators& accumulators) {
  using Accumulator = typename Accumulators::Accumulator;
  constexpr bool general = std::is_same_v<Accumulator, AggAccumulator>;
  ValueState<Accumulator>* state = accumulators.state;
  groups_.build(keyEncoders_[0], batch);
  Batch out(outputSchema_);
  // Per key: the results computed in this batch; `held` is the one downstream holds.
  Batch history(outputSchema_);
  const bool finalOnly = options_.finalOnly;
  const bool perRow = options_.perRowChanges && !finalOnly;
  const size_t accumulatorColumn = batch.numColumns() - 1;
  // Per-row changes go out in input row order, as Flink emits them (not grouped by key).
  std::vector<uint32_t> origin;
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    const std::string_view key = groups_.key(g);
    const auto hash = groups_.keys.hash(static_cast<uint32_t>(g));
    setCurrentKeyWithHash(key, hash);
    std::optional<Accumulator> stored = state->value();
    Accumulator acc = stored ? std::move(*stored) : accumulators.create();
    // What downstream holds for the key: a row of `history` (general accumulators), or the
    // accumulator it was computed from (flat ones: compared without writing their results).
    int held = -1;
    std::optional<Accumulator> heldAcc;
    history.clear();
    if (stored.has_value() && Accumulators::rows(acc) > 0 && !finalOnly) {
      if constexpr (general) {
        appendResult(key, accumulators, acc, RowKind::kInsert, history);
        held = 0;
      } else {
        heldAcc = acc;
      }
    }
    auto change = [&] {
      if constexpr (general) {
        emitChange(key, accumulators, acc, held, history, out);
      } else if (Accumulators::rows(acc) <= 0) {
        if (heldAcc) appendResult(key, accumulators, *heldAcc, RowKind::kDelete, out);
        heldAcc.reset();
      } else if (!heldAcc) {
        appendResult(key, accumulators, acc, RowKind::kInsert, out);
        heldAcc = acc;
      } else if (!accumulators.sameResults(*heldAcc, acc)) {
        // An unchanged result emits nothing (as Flink without state TTL).
        appendResult(key, accumulators, *heldAcc, RowKind::kUpdateBefore, out);
        appendResult(key, accumulators, acc, RowKind::kUpdateAfter, out);
        heldAcc = acc;
      }
    };
    const uint32_t* rows = groups_.rowsOf(g);
    for (size_t i = 0; i < groups_.countOf(g); ++i) {
      const uint32_t r = rows[i];
      bool merged = false;
      if constexpr (general) {
        if (options_.mergeAccumulators) {
          const std::string_view bytes = batch.column(accumulatorColumn).getString(r);
          BinaryReader reader(bytes);
          if (!StateSerializer<AggAccumulator>::read(reader, &partial_))
            throw GlintError("group aggregate: a local accumulator does not decode");
          evaluator_.merge(acc, partial_);
          merged = true;
        }
      }
      if (!merged) accumulators.accumulate(acc, batch, r, isAccumulate(batch.rowKind(r)));
      if (perRow) {
        change();
        origin.resize(out.numRows(), r);
      }
    }
    if (finalOnly && touchedIndex_->find(key, hash) < 0) {
      touchedIndex_->findOrInsert(key, hash);
      touched_.emplace_back(key);
    }
    if (Accumulators::rows(acc) <= 0)
      state->clear();
    else
      state->update(acc);
    countStateAccesses(context_, 2);  // one read, one write
    if (!finalOnly && !perRow) change();
    if (!perRow && out.numRows() >= context_.config.batchSize) flush(out);
  }
  if (perRow && !out.empty() && !std::is_sorted(origin.begin(), origin.end())) {
    // Stable counting sort by input row: the changes of each row in the order made.
    std::vector<uint32_t> start(batch.numRows() + 1, 0);
    for (uint32_t r : origin) ++start[r + 1];
    for (size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
    std::vector<uint32_t> order(out.numRows());
    for (uint32_t i = 0; i < order.size(); ++i) order[start[origin[i]]++] = i;
    out = out.select(order);
  }
  flush(out);
}

void GroupAggregateOperator::finish() {
  flushBundle();
  if (!options_.finalOnly) return;
  withAccumulators([&](const auto& accumulators) { finishWith(accumulators); });
}

template <class Accumulators>
void GroupAggregateOperator::finishWith(const Accumulators& accumulators) {
  ValueState<typename Accumulators::Accumulator>* state = accumulators.state;
  Batch out(outputSchema_);
  // SQL: a global aggregate (no GROUP BY) over no rows has one row, COUNT 0 and the others
  // NULL. The planner runs a global aggregate with parallelism 1, so one subtask emits it.
  if (numKeys_ == 0 && touched_.empty())
    appendResult(std::string_view(), accumulators, accumulators.create(), RowKind::kInsert, out);
  for (const auto& key : touched_) {
    setCurrentKeyWithHash(key, hashBytes(key));
    auto acc = state->value();
    countStateAccesses(context_, 1);
    if (!acc || Accumulators::rows(*acc) <= 0) continue;
    appendResult(key, accumulators, *acc, RowKind::kInsert, out);
    if (out.numRows() >= context_.config.batchSize) flush(out);
  }
  flush(out);
  touched_.clear();
}

// ---- local phase ----------------------------------------------------------------------------

LocalGroupAggregateOperator::LocalGroupAggregateOperator(SchemaPtr input, std::vector<int> keys,
                                                         std::vector<AggCall> calls,
                                                         bool retractingInput, SchemaPtr output,
                                                         int64_t bundleRows,
                                                         int64_t bundleLatencyMillis)
    : outputSchema_(std::move(output)),
      keys_(keys),
      keyEncoder_(*input, std::move(keys)),
      evaluator_(std::move(calls), retractingInput),
      bundle_(bundleRows, bundleLatencyMillis) {}

SchemaPtr LocalGroupAggregateOperator::outputSchemaFor(const Schema& input,
                                                       const std::vector<int>& keys) {
  std::vector<Field> fields;
  for (int k : keys) fields.push_back(input.field(k));
  fields.push_back({"$accumulator", TypeId::kVarchar, false});
  return makeSchema(std::move(fields));
}

void LocalGroupAggregateOperator::aggregate(const Batch& batch) {
  if (batch.empty()) return;
  groups_.build(keyEncoder_, batch);
  Batch out(outputSchema_);
  const size_t numKeys = keys_.size();
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    const uint32_t* rows = groups_.rowsOf(g);
    AggAccumulator acc = evaluator_.create();
    for (size_t i = 0; i < groups_.countOf(g); ++i)
      evaluator_.accumulate(acc, batch, rows[i], isAccumulate(batch.rowKind(rows[i])) ? 1 : -1);
    for (size_t k = 0; k < numKeys; ++k)
      out.mutableColumn(k).appendFrom(batch.column(keys_[k]), rows[0]);
    bytes_.clear();
    StateSerializer<AggAccumulator>::write(bytes_, acc);
    out.mutableColumn(numKeys).appendString(bytes_);
    out.setNumRows(out.numRows() + 1);
  }
  out.setSourceNanos(batch.sourceNanos());
  output_->emit(std::move(out));
}

void LocalGroupAggregateOperator::processBatch(int, Batch&& batch) {
  if (!bundle_.enabled()) {
    aggregate(batch);
    return;
  }
  int64_t deadline = INT64_MAX;
  const bool full = bundle_.add(std::move(batch), wallClockMillis(), &deadline);
  if (full)
    flushBundle();
  else if (deadline != INT64_MAX && context_.task)
    context_.task->registerProcessingTimeCallback(deadline, this);
}

void LocalGroupAggregateOperator::flushBundle() {
  if (bundle_.empty()) return;
  Batch all = bundle_.take();
  aggregate(all);
}

void LocalGroupAggregateOperator::processWatermark(int64_t watermark) {
  flushBundle();
  output_->emitWatermark(watermark);
}

void LocalGroupAggregateOperator::onProcessingTime(int64_t nowMillis) {
  if (!bundle_.empty() && nowMillis >= bundle_.deadline()) flushBundle();
}

void LocalGroupAggregateOperator::snapshotState(const CheckpointBarrier&, const SnapshotLocation&,
                                                OperatorSnapshot&) {
  flushBundle();
}

void LocalGroupAggregateOperator::finish() {
  flushBundle();
}

}  // namespace glint::sql
