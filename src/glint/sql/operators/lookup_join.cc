#include "glint/sql/operators/lookup_join.h"

#include <cstring>

namespace glint::sql {

namespace {

// Collects what a source emits.
class CollectingOutput final : public OperatorOutput {
 public:
  void emit(Batch&& batch) override { batches.push_back(std::move(batch)); }
  void emitSide(int, Batch&&) override {}
  void emitWatermark(int64_t) override {}
  void emitIdle() override {}
  std::vector<Batch> batches;
};

// Appends the key of `row` to `key`; false when it is NULL (a NULL key matches nothing).
bool appendKey(const Column& c, size_t row, std::string& key) {
  if (c.isNull(row)) return false;
  switch (c.physical()) {
    case PhysicalType::kInt64: {
      int64_t v = c.getInt(row);
      key.append(reinterpret_cast<const char*>(&v), sizeof v);
      break;
    }
    case PhysicalType::kDouble: {
      double v = c.getDouble(row);
      if (v == 0) v = 0;  // -0.0 = 0.0
      key.append(reinterpret_cast<const char*>(&v), sizeof v);
      break;
    }
    case PhysicalType::kString: {
      std::string_view s = c.getString(row);
      const uint32_t n = static_cast<uint32_t>(s.size());
      key.append(reinterpret_cast<const char*>(&n), sizeof n);
      key.append(s.data(), s.size());
      break;
    }
  }
  return true;
}

}  // namespace

Result<Batch> LookupTableReader::read(const SchemaPtr& output) const {
  FileSource source(file, fileSchema);
  CollectingOutput out;
  OperatorContext context;
  context.name = "LookupTable:" + file.path;
  source.setup(context, &out);
  try {
    source.open();
    int64_t wake = 0;
    while (source.pollNext(&wake) != SourceOperator::PollResult::kEnd) {
    }
    source.close();
  } catch (const GlintError& e) {
    return Status::ioError(std::string("lookup table '") + file.path + "': " + e.what());
  }
  Batch all(output);
  for (Batch& b : out.batches) {
    Batch rows = std::move(b);
    for (const CalcFunction& c : calcs) {
      CalcFunction calc = c;  // compiled lazily per copy
      rows = calc(std::move(rows));
    }
    all.appendRange(rows, 0, rows.numRows());
  }
  // The table's rows carry no event time or row kind into the join.
  all.mutableTimestamps().clear();
  all.mutableRowKinds().clear();
  return all;
}

void LookupJoinOperator::open() {
  auto rows = spec_.table->read(spec_.right);
  if (!rows.isOk()) throw GlintError(rows.status().message());
  table_ = std::move(rows).value();
  std::string key;
  for (size_t r = 0; r < table_.numRows(); ++r) {
    key.clear();
    bool valid = true;
    for (int k : spec_.rightKeys) valid = valid && appendKey(table_.column(k), r, key);
    if (valid) index_[key].push_back(static_cast<uint32_t>(r));
  }
  for (const auto& e : spec_.leftKeys) {
    auto compiled = CompiledExpr::compile(e, *spec_.left);
    if (!compiled.isOk()) throw GlintError(compiled.status().message());
    keyPrograms_.push_back(std::move(compiled).value());
  }
  if (spec_.residual) {
    auto compiled = CompiledExpr::compile(spec_.residual, *spec_.output);
    if (!compiled.isOk()) throw GlintError(compiled.status().message());
    residual_.emplace(std::move(compiled).value());
  }
}

void LookupJoinOperator::processBatch(int, Batch&& batch) {
  if (batch.empty()) return;
  std::vector<Column> keys;
  for (auto& p : keyPrograms_) keys.push_back(p.evaluate(batch));
  std::vector<uint32_t> leftRows, rightRows;
  std::string key;
  for (size_t r = 0; r < batch.numRows(); ++r) {
    key.clear();
    bool valid = true;
    for (const Column& c : keys) valid = valid && appendKey(c, r, key);
    if (!valid) continue;
    auto it = index_.find(key);
    if (it == index_.end()) continue;
    for (uint32_t t : it->second) {
      leftRows.push_back(static_cast<uint32_t>(r));
      rightRows.push_back(t);
    }
  }
  const size_t leftWidth = spec_.left->size();
  // Joined rows: the left row (with its row kind and timestamp) then the table row.
  Batch joined(spec_.output);
  {
    Batch picked = batch.select(leftRows);
    for (size_t c = 0; c < leftWidth; ++c)
      joined.mutableColumn(c) = std::move(picked.mutableColumn(c));
    for (size_t c = 0; c < table_.numColumns(); ++c)
      joined.mutableColumn(leftWidth + c)
          .appendRows(table_.column(c), rightRows.data(), rightRows.size());
    joined.mutableRowKinds() = std::move(picked.mutableRowKinds());
    joined.mutableTimestamps() = std::move(picked.mutableTimestamps());
    joined.setNumRows(leftRows.size());
  }
  std::vector<uint8_t> matched;
  if (residual_ && !joined.empty()) {
    std::vector<uint32_t> keep = residual_->evaluatePredicate(joined);
    if (spec_.leftOuter) {
      matched.assign(batch.numRows(), 0);
      for (uint32_t i : keep) matched[leftRows[i]] = 1;
    }
    if (keep.size() != joined.numRows()) joined = joined.select(keep);
  } else if (spec_.leftOuter) {
    matched.assign(batch.numRows(), 0);
    for (uint32_t r : leftRows) matched[r] = 1;
  }
  joined.setSourceNanos(batch.sourceNanos());
  if (!joined.empty()) output_->emit(std::move(joined));
  if (!spec_.leftOuter) return;
  if (matched.empty()) matched.assign(batch.numRows(), 0);
  std::vector<uint32_t> unmatched;
  for (size_t r = 0; r < batch.numRows(); ++r)
    if (!matched[r]) unmatched.push_back(static_cast<uint32_t>(r));
  if (unmatched.empty()) return;
  Batch padded(spec_.output);
  Batch picked = batch.select(unmatched);
  for (size_t c = 0; c < leftWidth; ++c)
    padded.mutableColumn(c) = std::move(picked.mutableColumn(c));
  for (size_t c = 0; c < table_.numColumns(); ++c) {
    Column& col = padded.mutableColumn(leftWidth + c);
    for (size_t i = 0; i < unmatched.size(); ++i) col.appendNull();
  }
  padded.mutableRowKinds() = std::move(picked.mutableRowKinds());
  padded.mutableTimestamps() = std::move(picked.mutableTimestamps());
  padded.setNumRows(unmatched.size());
  padded.setSourceNanos(batch.sourceNanos());
  output_->emit(std::move(padded));
}

}  // namespace glint::sql
