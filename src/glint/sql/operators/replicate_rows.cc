#include "glint/sql/operators/replicate_rows.h"

#include <algorithm>
#include <cstring>

namespace glint::sql {

namespace {

// Whether rows a and b agree on the first `columns` columns (NULL equals NULL).
bool sameRow(const Batch& batch, size_t columns, size_t a, size_t b) {
  for (size_t c = 0; c < columns; ++c) {
    const Column& col = batch.column(c);
    const bool nullA = col.isNull(a), nullB = col.isNull(b);
    if (nullA || nullB) {
      if (nullA != nullB) return false;
      continue;
    }
    switch (col.physical()) {
      case PhysicalType::kDouble: {
        const double x = col.getDouble(a), y = col.getDouble(b);
        if (std::memcmp(&x, &y, sizeof x) != 0) return false;
        break;
      }
      case PhysicalType::kString:
        if (col.getString(a) != col.getString(b)) return false;
        break;
      default:
        if (col.getInt(a) != col.getInt(b)) return false;
    }
  }
  return true;
}

}  // namespace

Batch ReplicateRowsFunction::operator()(Batch&& batch) const {
  const size_t width = output_->size();
  const Column& counts = batch.column(width);
  auto multiplicity = [&](size_t row) -> int64_t {
    return counts.isNull(row) ? 0 : std::max<int64_t>(counts.getInt(row), 0);
  };
  std::vector<uint32_t> rows;
  std::vector<RowKind> kinds;
  const bool changelog = batch.hasRowKinds();
  for (size_t r = 0; r < batch.numRows(); ++r) {
    const RowKind kind = batch.rowKind(r);
    int64_t copies = multiplicity(r);
    bool adds = isAccumulate(kind);
    if (kind == RowKind::kUpdateBefore && r + 1 < batch.numRows() &&
        batch.rowKind(r + 1) == RowKind::kUpdateAfter && sameRow(batch, width, r, r + 1)) {
      const int64_t delta = multiplicity(r + 1) - copies;
      adds = delta > 0;
      copies = delta > 0 ? delta : -delta;
      ++r;  // the +U is accounted for
    }
    for (int64_t i = 0; i < copies; ++i) {
      rows.push_back(static_cast<uint32_t>(r));
      kinds.push_back(adds ? RowKind::kInsert : RowKind::kDelete);
    }
  }
  Batch picked = batch.select(rows);
  Batch out(output_);
  for (size_t c = 0; c < width; ++c)
    out.mutableColumns()[c] = std::move(picked.mutableColumns()[c]);
  out.setNumRows(rows.size());
  if (changelog) out.mutableRowKinds() = std::move(kinds);
  if (picked.hasTimestamps()) out.mutableTimestamps() = picked.timestamps();
  out.setSourceNanos(picked.sourceNanos());
  return out;
}

}  // namespace glint::sql
