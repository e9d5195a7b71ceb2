#include "glint/sql/operators/sql_operators.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "glint/sql/catalog/catalog.h"

namespace glint::sql {

// ---- formatting --------------------------------------------------------------------------

std::optional<std::string> formatSqlValue(const Column& column, size_t row, ExprType type) {
  if (column.isNull(row)) return std::nullopt;
  switch (type) {
    case ExprType::kBoolean:
      return column.getInt(row) != 0 ? "TRUE" : "FALSE";
    case ExprType::kDouble: {
      // Java's Double.toString names the special values.
      const double d = column.getDouble(row);
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      std::string s;
      formatValue(column, row, s);
      // Java's Double.toString always shows a fraction: 908 -> 908.0.
      if (s.find_first_of(".eEnN") == std::string::npos) s += ".0";
      return s;
    }
    default: {
      std::string s;
      formatValue(column, row, s);
      return s;
    }
  }
}

// ---- Calc --------------------------------------------------------------------------------

CalcFunction::CalcFunction(SchemaPtr input, SchemaPtr output, BoundExprPtr condition,
                           std::vector<BoundExprPtr> projections)
    : input_(std::move(input)),
      outputSchema_(std::move(output)),
      condition_(std::move(condition)),
      projections_(std::move(projections)) {
  identityProjection_ = projections_.size() == input_->size();
  for (size_t i = 0; i < projections_.size() && identityProjection_; ++i)
    identityProjection_ = projections_[i]->kind == ExprKind::kColumn &&
                          projections_[i]->column == static_cast<int>(i) &&
                          input_->field(i).type == outputSchema_->field(i).type &&
                          // a rename must reach the batch's schema: sinks write field names
                          input_->field(i).name == outputSchema_->field(i).name;
  // A filter copies the selected rows of every column (then projects them); a projection
  // alone copies the columns it references.
  if (!condition_ && !identityProjection_) {
    std::set<int> read;
    for (const auto& p : projections_)
      for (int c : referencedColumns(*p)) read.insert(c);
    sharedCopyWidth_ = read.size();
  }
}

CalcFunction::CalcFunction(const CalcFunction& o)
    : input_(o.input_),
      outputSchema_(o.outputSchema_),
      condition_(o.condition_),
      projections_(o.projections_),
      identityProjection_(o.identityProjection_),
      sharedCopyWidth_(o.sharedCopyWidth_) {}

Status CalcFunction::validate() const {
  if (condition_) {
    auto c = CompiledExpr::compile(condition_, *input_);
    if (!c.isOk()) return c.status();
  }
  auto p = ProjectionProgram::compile(projections_, *input_, outputSchema_);
  return p.status();
}

void CalcFunction::compile() {
  compiled_ = std::make_unique<Compiled>();
  if (condition_) {
    auto c = CompiledExpr::compile(condition_, *input_);
    if (!c.isOk()) throw GlintError(c.status().message());
    compiled_->condition.emplace(std::move(c).value());
  }
  if (!identityProjection_) {
    auto p = ProjectionProgram::compile(projections_, *input_, outputSchema_);
    if (!p.isOk()) throw GlintError(p.status().message());
    compiled_->projection.emplace(std::move(p).value());
  }
}

Batch CalcFunction::fromShared(const Batch& batch) {
  if (!compiled_) compile();
  Batch rows;
  if (compiled_->condition) {
    compiled_->condition->evaluatePredicate(batch, compiled_->selection);
    if (compiled_->selection.empty()) return Batch(outputSchema_);
    rows = batch.select(compiled_->selection);
  } else if (compiled_->projection) {
    return compiled_->projection->project(batch);
  } else {
    rows = Batch(batch.schema());
    rows.appendRange(batch, 0, batch.numRows());
  }
  rows.setSourceNanos(batch.sourceNanos());
  if (!compiled_->projection) return rows;
  return compiled_->projection->project(std::move(rows));
}

Batch CalcFunction::operator()(Batch&& batch) {
  if (!compiled_) compile();
  Batch filtered;
  const Batch* in = &batch;
  if (compiled_->condition) {
    compiled_->condition->evaluatePredicate(batch, compiled_->selection);
    if (compiled_->selection.empty()) return Batch(outputSchema_);
    if (compiled_->selection.size() != batch.numRows()) {
      filtered = batch.select(compiled_->selection);
      filtered.setSourceNanos(batch.sourceNanos());
      in = &filtered;
    }
  }
  if (!compiled_->projection) {
    if (in == &batch) return std::move(batch);
    return filtered;  // moved implicitly
  }
  return compiled_->projection->project(in == &batch ? std::move(batch) : std::move(filtered));
}

// ---- window TVF without aggregation -----------------------------------------------------

Batch WindowAssignFunction::operator()(Batch&& batch) {
  rows_.clear();
  starts_.clear();
  ends_.clear();
  const Column& time = batch.column(spec_.timeColumn);
  for (size_t r = 0; r < batch.numRows(); ++r) {
    if (time.isNull(r)) continue;
    const int64_t t = time.getInt(r);
    auto add = [&](int64_t start, int64_t end) {
      rows_.push_back(static_cast<uint32_t>(r));
      starts_.push_back(start);
      ends_.push_back(end);
    };
    switch (spec_.kind) {
      case WindowKind::kTumble: {
        const int64_t start = windowStartWithOffset(t, spec_.offset, spec_.size);
        add(start, start + spec_.size);
        break;
      }
      case WindowKind::kHop: {
        // Earliest window first, so that the rows of one window stay in arrival order.
        const int64_t last = windowStartWithOffset(t, spec_.offset, spec_.slide);
        int64_t first = last;
        while (first - spec_.slide > t - spec_.size) first -= spec_.slide;
        for (int64_t start = first; start <= last; start += spec_.slide)
          add(start, start + spec_.size);
        break;
      }
      case WindowKind::kCumulate: {
        // [base, base + k * step) for every k whose window still contains t.
        const int64_t base = windowStartWithOffset(t, spec_.offset, spec_.size);
        for (int64_t end = base + spec_.slide; end <= base + spec_.size; end += spec_.slide)
          if (end > t) add(base, end);
        break;
      }
      case WindowKind::kSession:
        throw GlintError("SESSION windows cannot be assigned row by row");
    }
  }
  Batch picked = batch.select(rows_);
  Batch out(output_);
  const size_t n = batch.numColumns();
  for (size_t c = 0; c < n; ++c) out.mutableColumns()[c] = std::move(picked.mutableColumns()[c]);
  Column& start = out.mutableColumn(n);
  Column& end = out.mutableColumn(n + 1);
  Column& windowTime = out.mutableColumn(n + 2);
  auto& timestamps = out.mutableTimestamps();
  for (size_t i = 0; i < rows_.size(); ++i) {
    start.appendInt(starts_[i]);
    end.appendInt(ends_[i]);
    windowTime.appendInt(ends_[i] - 1);
    timestamps.push_back(ends_[i] - 1);
  }
  if (picked.hasRowKinds()) out.mutableRowKinds() = picked.rowKinds();
  out.setNumRows(rows_.size());
  out.setSourceNanos(batch.sourceNanos());
  return out;
}

// ---- join --------------------------------------------------------------------------------

JoinOperator::JoinOperator(SchemaPtr left, std::vector<int> leftKeys, SchemaPtr right,
                           std::vector<int> rightKeys, SchemaPtr output, RelJoinType type,
                           BoundExprPtr residual, StateOptions state,
                           std::array<bool, 2> updatingInputs,
                           std::array<std::optional<std::string>, 2> uniqueSides)
    : KeyedOperator({left, right}, {leftKeys, rightKeys}),
      outputSchema_(std::move(output)),
      type_(type),
      residual_(std::move(residual)),
      stateOptions_(state),
      uniqueSides_(std::move(uniqueSides)) {
  schemas_[0] = std::move(left);
  schemas_[1] = std::move(right);
  // Outer joins count a row's matches, which a dropped row of the other side would lose; and
  // a unique side cannot retract.
  for (int s = 0; s < 2; ++s)
    GLINT_CHECK(!uniqueSides_[s] || (type_ == RelJoinType::kInner && !updatingInputs[s]));
  for (int s = 0; s < 2; ++s) appendOnly_[s] = type_ == RelJoinType::kInner && !updatingInputs[s];
  for (int s = 0; s < 2; ++s) {
    std::vector<int> all;
    for (size_t i = 0; i < schemas_[s]->size(); ++i) all.push_back(static_cast<int>(i));
    rowEncoders_[s] = KeyEncoder(*schemas_[s], all);
  }
}

void JoinOperator::open() {
  KeyedOperator::open();
  StateTtlConfig ttl;
  ttl.ttlMillis = stateOptions_.ttlMillis;
  rows_[0] = state().mapState<std::string, std::pair<int64_t, int64_t>>("join-left", ttl);
  rows_[1] = state().mapState<std::string, std::pair<int64_t, int64_t>>("join-right", ttl);
  if (appendOnly_[0]) appended_[0] = state().listState<std::string>("join-left-rows", ttl);
  if (appendOnly_[1]) appended_[1] = state().listState<std::string>("join-right-rows", ttl);
  if (uniqueSides_[0]) uniqueRow_[0] = state().valueState<std::string>("join-left-unique", ttl);
  if (uniqueSides_[1]) uniqueRow_[1] = state().valueState<std::string>("join-right-unique", ttl);
  if (residual_) {
    auto c = CompiledExpr::compile(residual_, *outputSchema_);
    if (!c.isOk()) throw GlintError(c.status().message());
    residualProgram_.emplace(std::move(c).value());
    // The unique-side path evaluates the residual over just the columns it reads, then copies
    // the whole rows of the pairs that pass (late materialization).
    residualColumns_ = referencedColumns(*residual_);
    std::vector<int> mapping(outputSchema_->size(), -1);
    std::vector<Field> fields;
    for (size_t i = 0; i < residualColumns_.size(); ++i) {
      mapping[residualColumns_[i]] = static_cast<int>(i);
      fields.push_back(outputSchema_->field(residualColumns_[i]));
    }
    narrowSchema_ = makeSchema(std::move(fields));
    auto narrow = remapColumns(residual_, mapping);
    if (!narrow.isOk()) throw GlintError(narrow.status().message());
    auto n = CompiledExpr::compile(*narrow, *narrowSchema_);
    if (!n.isOk()) throw GlintError(n.status().message());
    narrowResidual_.emplace(std::move(n).value());
  }
}

void JoinOperator::decodeInto(int side, std::string_view bytes, Batch& out, size_t base) {
  KeyRef ref(bytes, &rowEncoders_[side].keyTypes());
  for (size_t k = 0; k < schemas_[side]->size(); ++k)
    ref.appendFieldTo(k, out.mutableColumn(base + k));
}

void JoinOperator::appendSide(int side, const Batch* batch, size_t row, const std::string* bytes,
                              Batch& out) {
  const size_t base = side == 0 ? 0 : schemas_[0]->size();
  if (batch) {
    for (size_t k = 0; k < schemas_[side]->size(); ++k)
      out.mutableColumn(base + k).appendFrom(batch->column(k), row);
  } else if (bytes) {
    decodeInto(side, *bytes, out, side == 0 ? 0 : schemas_[0]->size());
  } else {
    for (size_t k = 0; k < schemas_[side]->size(); ++k) out.mutableColumn(base + k).appendNull();
  }
}

void JoinOperator::processBatch(int side, Batch&& batch) {
  if (uniqueSides_[0] || uniqueSides_[1]) {
    processWithUniqueSide(side, std::move(batch));
    return;
  }
  const int other = 1 - side;
  const bool sideOuter = type_ == RelJoinType::kFull ||
                         (side == 0 ? type_ == RelJoinType::kLeft : type_ == RelJoinType::kRight);
  const bool otherOuter = type_ == RelJoinType::kFull ||
                          (other == 0 ? type_ == RelJoinType::kLeft : type_ == RelJoinType::kRight);
  groups_.build(keyEncoders_[side], batch);
  // Pass 1: per key, the other side's rows; all candidate pairs in one batch so that the
  // residual condition is evaluated vectorised.
  std::vector<std::vector<StoredRow>> others(groups_.numGroups());
  Batch pairs(outputSchema_);
  std::vector<uint32_t> pairStart(batch.numRows() + 1, 0);
  std::vector<std::vector<uint32_t>> pairOther(batch.numRows());
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    state_->setCurrentKeyWithHash(groups_.key(g), groups_.keys.hash(static_cast<uint32_t>(g)));
    if (appendOnly_[other]) {
      for (auto& bytes : appended_[other]->get()) others[g].push_back({std::move(bytes), 1, 0});
    } else {
      rows_[other]->forEach([&](const std::string& bytes, const std::pair<int64_t, int64_t>& v) {
        others[g].push_back({bytes, v.first, v.second});
      });
    }
  }
  // SQL equality: a NULL key matches nothing (such rows are neither paired nor stored).
  std::vector<uint8_t> nullKey(batch.numRows(), 0);
  for (int k : keyEncoders_[side].keyColumns())
    if (batch.column(k).hasNulls())
      for (size_t r = 0; r < batch.numRows(); ++r) nullKey[r] |= batch.column(k).isNull(r);
  std::vector<uint32_t> pairRow, pairOtherIndex;
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    const uint32_t* rows = groups_.rowsOf(g);
    for (size_t i = 0; i < groups_.countOf(g); ++i)
      for (size_t o = 0; o < others[g].size() && !nullKey[rows[i]]; ++o) {
        pairRow.push_back(rows[i]);
        pairOtherIndex.push_back(static_cast<uint32_t>(o));
        appendSide(side, &batch, rows[i], nullptr, pairs);
        appendSide(other, nullptr, 0, &others[g][o].bytes, pairs);
        pairs.setNumRows(pairs.numRows() + 1);
      }
  }
  std::vector<uint8_t> matched(pairRow.size(), 1);
  if (residualProgram_ && !pairs.empty()) {
    std::fill(matched.begin(), matched.end(), 0);
    for (uint32_t p : residualProgram_->evaluatePredicate(pairs)) matched[p] = 1;
  }
  // Pass 2: in arrival order per key, emit and update state.
  Batch out(outputSchema_);
  auto emitPair = [&](size_t pairIndex, RowKind kind, int64_t times) {
    for (int64_t t = 0; t < times; ++t) {
      out.appendRange(pairs, pairIndex, pairIndex + 1);
      out.mutableRowKinds().resize(out.numRows(), RowKind::kInsert);
      out.mutableRowKinds().back() = kind;
    }
  };
  auto emitPadded = [&](bool fromInput, size_t row, const std::string* bytes, RowKind kind,
                        int64_t times) {
    for (int64_t t = 0; t < times; ++t) {
      if (fromInput) {
        appendSide(side, &batch, row, nullptr, out);
        appendSide(other, nullptr, 0, nullptr, out);
      } else {
        appendSide(other, nullptr, 0, bytes, out);
        appendSide(side, nullptr, 0, nullptr, out);
      }
      out.mutableRowKinds().resize(out.numRows(), RowKind::kInsert);
      out.mutableRowKinds().push_back(kind);
      out.setNumRows(out.numRows() + 1);
    }
  };
  size_t pairIndex = 0;
  std::string ownBytes;
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    state_->setCurrentKeyWithHash(groups_.key(g), groups_.keys.hash(static_cast<uint32_t>(g)));
    auto& otherRows = others[g];
    std::vector<bool> otherDirty(otherRows.size(), false);
    const uint32_t* rows = groups_.rowsOf(g);
    for (size_t i = 0; i < groups_.countOf(g); ++i) {
      const uint32_t r = rows[i];
      const RowKind kind = batch.rowKind(r);
      const bool accumulate = isAccumulate(kind);
      int64_t matches = 0;
      const size_t first = pairIndex;
      for (size_t o = 0; o < otherRows.size() && !nullKey[r]; ++o, ++pairIndex) {
        if (!matched[pairIndex] || otherRows[o].count <= 0) continue;
        matches += otherRows[o].count;
        StoredRow& orow = otherRows[o];
        if (accumulate) {
          if (otherOuter && orow.associations == 0)
            emitPadded(false, 0, &orow.bytes, RowKind::kDelete, orow.count);
          emitPair(pairIndex, kind, orow.count);
          orow.associations += 1;
        } else {
          emitPair(pairIndex, kind, orow.count);
          orow.associations -= 1;
          if (otherOuter && orow.associations == 0)
            emitPadded(false, 0, &orow.bytes, RowKind::kInsert, orow.count);
        }
        otherDirty[o] = otherOuter;
      }
      (void)first;
      if (matches == 0 && sideOuter)
        emitPadded(true, r, nullptr, accumulate ? RowKind::kInsert : RowKind::kDelete, 1);
      if (nullKey[r]) continue;
      rowEncoders_[side].encode(batch, r, ownBytes);
      if (appendOnly_[side]) {
        appended_[side]->add(ownBytes);
        continue;
      }
      auto current = rows_[side]->get(ownBytes);
      std::pair<int64_t, int64_t> v = current ? *current : std::pair<int64_t, int64_t>{0, 0};
      v.first += accumulate ? 1 : -1;
      v.second = matches;
      if (v.first <= 0)
        rows_[side]->remove(ownBytes);
      else
        rows_[side]->put(ownBytes, v);
    }
    for (size_t o = 0; o < otherRows.size(); ++o)
      if (otherDirty[o])
        rows_[other]->put(otherRows[o].bytes, {otherRows[o].count, otherRows[o].associations});
    if (out.numRows() >= context_.config.batchSize) {
      output_->emit(std::move(out));
      out = Batch(outputSchema_);
    }
  }
  if (!out.empty()) output_->emit(std::move(out));
}

void JoinOperator::emitMatchingPairs(const Batch& input, int side) {
  if (pairRows_.empty()) return;
  // Output column c of each candidate pair: from the arriving rows of `input`, or from the
  // other side's rows decoded once per key into `otherRows_`.
  const size_t leftWidth = schemas_[0]->size();
  auto gather = [&](size_t c, Column& into) {
    const bool fromLeft = c < leftWidth;
    const size_t column = fromLeft ? c : c - leftWidth;
    if (fromLeft == (side == 0))
      into.appendRows(input.column(column), pairRows_.data(), pairRows_.size());
    else
      into.appendRows(otherRows_.column(column), pairOthers_.data(), pairOthers_.size());
  };
  if (narrowResidual_) {
    Batch narrow(narrowSchema_);
    for (size_t i = 0; i < residualColumns_.size(); ++i)
      gather(static_cast<size_t>(residualColumns_[i]), narrow.mutableColumn(i));
    narrow.setNumRows(pairRows_.size());
    narrowResidual_->evaluatePredicate(narrow, selection_);
    if (selection_.size() != pairRows_.size()) {
      for (size_t i = 0; i < selection_.size(); ++i) {
        pairRows_[i] = pairRows_[selection_[i]];
        pairOthers_[i] = pairOthers_[selection_[i]];
      }
      pairRows_.resize(selection_.size());
      pairOthers_.resize(selection_.size());
    }
  }
  const size_t n = pairRows_.size();
  if (n > 0) {
    Batch pairs(outputSchema_);
    for (size_t c = 0; c < outputSchema_->size(); ++c) gather(c, pairs.mutableColumn(c));
    if (input.hasRowKinds())
      for (uint32_t r : pairRows_) pairs.mutableRowKinds().push_back(input.rowKind(r));
    pairs.setNumRows(n);
    pairs.setSourceNanos(input.sourceNanos());
    output_->emit(std::move(pairs));
  }
  pairRows_.clear();
  pairOthers_.clear();
}

void JoinOperator::failDuplicate(int side, const Batch& batch, size_t row) {
  std::string key;
  const auto& columns = keyEncoders_[side].keyColumns();
  for (size_t i = 0; i < columns.size(); ++i) {
    const Field& field = schemas_[side]->field(columns[i]);
    std::string value;
    if (!formatValue(batch.column(columns[i]), row, value)) value = "NULL";
    key += (i ? ", " : "") + field.name + "=" + value;
  }
  throw GlintError("join: a second row with join key (" + key + ") arrived on the " +
                   *uniqueSides_[side] +
                   ". The key is declared NOT ENFORCED and this input violates it: the join "
                   "keeps one row per key of this input, so its results would be wrong. Remove "
                   "the PRIMARY KEY declaration or make the rows unique");
}

void JoinOperator::processWithUniqueSide(int side, Batch&& batch) {
  const int other = 1 - side;
  groups_.build(keyEncoders_[side], batch);
  otherRows_ = Batch(schemas_[other]);
  // Row `row` of this batch pairs with the last decoded row of the other side.
  auto addPair = [&](uint32_t row) {
    pairRows_.push_back(row);
    pairOthers_.push_back(static_cast<uint32_t>(otherRows_.numRows() - 1));
  };
  auto decodeOther = [&](std::string_view bytes) {
    decodeInto(other, bytes, otherRows_, 0);
    otherRows_.setNumRows(otherRows_.numRows() + 1);
  };
  for (size_t g = 0; g < groups_.numGroups(); ++g) {
    const uint32_t* rows = groups_.rowsOf(g);
    const size_t count = groups_.countOf(g);
    // SQL equality: a NULL key matches nothing (such rows are neither paired nor stored). All
    // rows of a group have the same key.
    bool nullKey = false;
    for (int k : keyEncoders_[side].keyColumns()) nullKey |= batch.column(k).isNull(rows[0]);
    if (nullKey) continue;
    state_->setCurrentKeyWithHash(groups_.key(g), groups_.keys.hash(static_cast<uint32_t>(g)));
    bool otherArrived = false;
    if (uniqueSides_[other] && uniqueRow_[other]->valueInto(storedRow_)) {
      otherArrived = true;
      decodeOther(storedRow_);
      for (size_t i = 0; i < count; ++i) addPair(rows[i]);
    }
    if (uniqueSides_[side]) {
      // Insert-only (checked by the planner): the first row of its key, else the key is broken.
      if (count > 1) failDuplicate(side, batch, rows[1]);
      if (uniqueRow_[side]->valueInto(storedRow_)) failDuplicate(side, batch, rows[0]);
      GLINT_CHECK(isAccumulate(batch.rowKind(rows[0])));
      if (!uniqueSides_[other]) {
        // The other side's rows waited for this one; no other row of this side can need them.
        if (appendOnly_[other]) {
          for (const auto& bytes : appended_[other]->get()) {
            decodeOther(bytes);
            addPair(rows[0]);
          }
          appended_[other]->clear();
        } else {
          rows_[other]->forEach([&](const std::string& bytes,
                                    const std::pair<int64_t, int64_t>& v) {
            decodeOther(bytes);
            for (int64_t n = 0; n < v.first; ++n) addPair(rows[0]);
          });
          rows_[other]->clear();
        }
      }
      rowEncoders_[side].encode(batch, rows[0], rowBytes_);
      uniqueRow_[side]->update(rowBytes_);
    } else if (!otherArrived) {
      // The other side is unique and has not arrived: keep these rows until it does. Once it
      // has, they were joined above and are not kept (no second row of it can come).
      for (size_t i = 0; i < count; ++i) {
        const uint32_t r = rows[i];
        rowEncoders_[side].encode(batch, r, rowBytes_);
        if (appendOnly_[side]) {
          appended_[side]->add(rowBytes_);
          continue;
        }
        auto current = rows_[side]->get(rowBytes_);
        std::pair<int64_t, int64_t> v = current ? *current : std::pair<int64_t, int64_t>{0, 0};
        v.first += isAccumulate(batch.rowKind(r)) ? 1 : -1;
        if (v.first <= 0)
          rows_[side]->remove(rowBytes_);
        else
          rows_[side]->put(rowBytes_, v);
      }
    }
    if (pairRows_.size() >= context_.config.batchSize) emitMatchingPairs(batch, side);
  }
  emitMatchingPairs(batch, side);
}

// ---- sort / limit -------------------------------------------------------------------------

SortLimitOperator::SortLimitOperator(SchemaPtr schema, std::vector<SortKey> keys, int64_t limit,
                                     int64_t offset)
    : schema_(schema), keys_(std::move(keys)), limit_(limit), offset_(offset), rows_(schema) {}

void SortLimitOperator::processBatch(int, Batch&& batch) {
  for (size_t r = 0; r < batch.numRows(); ++r) rows_.appendRow(batch, r);
}

void SortLimitOperator::finish() {
  // Materialize the changelog: a retraction cancels an earlier equal row.
  std::vector<int> all;
  for (size_t i = 0; i < schema_->size(); ++i) all.push_back(static_cast<int>(i));
  KeyEncoder encoder(*schema_, all);
  std::map<std::string, std::vector<uint32_t>> live;
  std::string bytes;
  std::vector<uint8_t> alive(rows_.numRows(), 0);
  for (size_t r = 0; r < rows_.numRows(); ++r) {
    encoder.encode(rows_, r, bytes);
    auto& list = live[bytes];
    if (isAccumulate(rows_.rowKind(r))) {
      list.push_back(static_cast<uint32_t>(r));
      alive[r] = 1;
    } else if (!list.empty()) {
      alive[list.back()] = 0;
      list.pop_back();
    }
  }
  std::vector<uint32_t> order;
  for (size_t r = 0; r < rows_.numRows(); ++r)
    if (alive[r]) order.push_back(static_cast<uint32_t>(r));
  auto compare = [&](uint32_t a, uint32_t b) {
    for (const auto& k : keys_) {
      const Column& c = rows_.column(k.column);
      const bool na = c.isNull(a), nb = c.isNull(b);
      if (na || nb) {
        if (na && nb) continue;
        return na ? k.nullsFirst : !k.nullsFirst;
      }
      int cmp = 0;
      switch (c.physical()) {
        case PhysicalType::kInt64:
          cmp = c.getInt(a) < c.getInt(b) ? -1 : c.getInt(a) > c.getInt(b);
          break;
        case PhysicalType::kDouble:
          cmp = c.getDouble(a) < c.getDouble(b) ? -1 : c.getDouble(a) > c.getDouble(b);
          break;
        case PhysicalType::kString:
          cmp = c.getString(a).compare(c.getString(b));
          cmp = cmp < 0 ? -1 : cmp > 0;
          break;
      }
      if (cmp != 0) return k.descending ? cmp > 0 : cmp < 0;
    }
    return false;
  };
  std::stable_sort(order.begin(), order.end(), compare);
  Batch out(schema_);
  const size_t begin = std::min<size_t>(order.size(), static_cast<size_t>(offset_));
  size_t end = order.size();
  if (limit_ >= 0) end = std::min<size_t>(end, begin + static_cast<size_t>(limit_));
  for (size_t i = begin; i < end; ++i) {
    for (size_t c = 0; c < schema_->size(); ++c)
      out.mutableColumn(c).appendFrom(rows_.column(c), order[i]);
    out.setNumRows(out.numRows() + 1);
  }
  if (!out.empty()) output_->emit(std::move(out));
}

}  // namespace glint::sql
