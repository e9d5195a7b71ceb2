#include "glint/types/batch.h"

#include <charconv>

namespace glint {

std::string_view rowKindShortString(RowKind kind) {
  switch (kind) {
    case RowKind::kInsert:
      return "+I";
    case RowKind::kUpdateBefore:
      return "-U";
    case RowKind::kUpdateAfter:
      return "+U";
    case RowKind::kDelete:
      return "-D";
  }
  return "?";
}

Batch::Batch(SchemaPtr schema) : schema_(std::move(schema)) {
  columns_.reserve(schema_->size());
  for (const auto& f : schema_->fields()) columns_.emplace_back(f.type);
}

void Batch::setNumRows(size_t rows) {
  for (const auto& c : columns_) GLINT_CHECK_EQ(c.size(), rows);
  GLINT_CHECK(rowKinds_.empty() || rowKinds_.size() == rows);
  GLINT_CHECK(timestamps_.empty() || timestamps_.size() == rows);
  numRows_ = rows;
}

void Batch::appendRow(const Batch& other, size_t row) {
  for (size_t c = 0; c < columns_.size(); ++c) columns_[c].appendFrom(other.columns_[c], row);
  if (!rowKinds_.empty() || !other.rowKinds_.empty()) {
    rowKinds_.resize(numRows_, RowKind::kInsert);
    rowKinds_.push_back(other.rowKind(row));
  }
  if (other.hasTimestamps()) {
    timestamps_.resize(numRows_, kMinTimestamp);
    timestamps_.push_back(other.timestamps_[row]);
  }
  ++numRows_;
  mergeSourceNanos(other.sourceNanos_);
}

void Batch::appendRows(const Batch& other, const uint32_t* rows, size_t count) {
  if (count == 0) return;
  for (size_t c = 0; c < columns_.size(); ++c)
    columns_[c].appendRows(other.columns_[c], rows, count);
  if (!rowKinds_.empty() || !other.rowKinds_.empty()) {
    rowKinds_.resize(numRows_, RowKind::kInsert);
    for (size_t i = 0; i < count; ++i) rowKinds_.push_back(other.rowKind(rows[i]));
  }
  if (other.hasTimestamps()) {
    timestamps_.resize(numRows_, kMinTimestamp);
    for (size_t i = 0; i < count; ++i) timestamps_.push_back(other.timestamps_[rows[i]]);
  }
  numRows_ += count;
  mergeSourceNanos(other.sourceNanos_);
}

void Batch::appendRange(const Batch& other, size_t begin, size_t end) {
  if (begin >= end) return;
  for (size_t c = 0; c < columns_.size(); ++c)
    columns_[c].appendRange(other.columns_[c], begin, end);
  if (!rowKinds_.empty() || !other.rowKinds_.empty()) {
    rowKinds_.resize(numRows_, RowKind::kInsert);
    for (size_t i = begin; i < end; ++i) rowKinds_.push_back(other.rowKind(i));
  }
  if (other.hasTimestamps()) {
    timestamps_.resize(numRows_, kMinTimestamp);
    timestamps_.insert(timestamps_.end(), other.timestamps_.begin() + begin,
                       other.timestamps_.begin() + end);
  }
  numRows_ += end - begin;
  mergeSourceNanos(other.sourceNanos_);
}

Batch Batch::select(const std::vector<uint32_t>& rows) const {
  Batch out(schema_);
  out.appendRows(*this, rows.data(), rows.size());
  out.sourceNanos_ = sourceNanos_;
  return out;
}

void Batch::reserve(size_t rows) {
  for (auto& c : columns_) c.reserve(rows);
}

void Batch::reserveLike(const Batch& other) {
  const size_t rows = other.numRows();
  for (size_t c = 0; c < columns_.size(); ++c) {
    columns_[c].reserve(rows);
    if (columns_[c].physical() == PhysicalType::kString)
      columns_[c].reserveChars(other.column(c).chars().size());
  }
  if (other.hasTimestamps()) timestamps_.reserve(rows);
}

void Batch::clear() {
  for (auto& c : columns_) c.clear();
  rowKinds_.clear();
  timestamps_.clear();
  numRows_ = 0;
  sourceNanos_ = 0;
}

size_t Batch::byteSize() const {
  size_t n = rowKinds_.capacity() + timestamps_.capacity() * 8;
  for (const auto& c : columns_) n += c.byteSize();
  return n;
}

bool formatValue(const Column& column, size_t row, std::string& out) {
  if (column.isNull(row)) return false;
  switch (column.type()) {
    case TypeId::kBoolean:
      out += column.getInt(row) ? "true" : "false";
      break;
    case TypeId::kInt:
    case TypeId::kBigint: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, column.getInt(row));
      out.append(buf, r.ptr);
      break;
    }
    case TypeId::kDouble: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, column.getDouble(row));
      out.append(buf, r.ptr);
      break;
    }
    case TypeId::kVarchar:
      out += column.getString(row);
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      out += formatTimestamp(column.getInt(row));
      break;
    case TypeId::kDate:
      out += formatDate(column.getInt(row));
      break;
  }
  return true;
}

std::string Batch::rowToString(size_t row) const {
  std::string s;
  if (hasRowKinds()) {
    s += rowKindShortString(rowKind(row));
    s += ' ';
  }
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (c) s += ", ";
    if (!formatValue(columns_[c], row, s)) s += "NULL";
  }
  return s;
}

std::string Batch::toString() const {
  std::string s;
  for (size_t r = 0; r < numRows_; ++r) s += rowToString(r) + "\n";
  return s;
}

void RowWriter::finishRow() {
  Batch& b = *batch_;
  const size_t n = b.numRows();
  if (carryTimestamps_) b.mutableTimestamps().push_back(timestamp_);
  if (kind_ != RowKind::kInsert || b.hasRowKinds()) {
    b.mutableRowKinds().resize(n, RowKind::kInsert);
    b.mutableRowKinds().push_back(kind_);
  }
  b.setNumRows(n + 1);
}

}  // namespace glint
