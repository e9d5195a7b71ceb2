#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "glint/types/column.h"

namespace glint {

// The kind of change a row stands for in a changelog, as in Flink's RowKind.
enum class RowKind : uint8_t { kInsert = 0, kUpdateBefore = 1, kUpdateAfter = 2, kDelete = 3 };
std::string_view rowKindShortString(RowKind kind);  // "+I", "-U", "+U", "-D"
// True for +I and +U: the row is added to the result; false for -U and -D.
inline bool isAccumulate(RowKind k) {
  return k == RowKind::kInsert || k == RowKind::kUpdateAfter;
}

// The unit of data exchanged between operators: columns of equal length, an optional row-kind
// per row (empty means every row is +I), an optional event-time timestamp per row (empty means
// the stream carries no event time), and the wall-clock time at which its oldest row left the
// source (used for end-to-end latency; 0 when unknown).
class Batch {
 public:
  Batch() = default;
  explicit Batch(SchemaPtr schema);

  const SchemaPtr& schema() const { return schema_; }
  size_t numRows() const { return numRows_; }
  bool empty() const { return numRows_ == 0; }
  size_t numColumns() const { return columns_.size(); }
  const Column& column(size_t i) const { return columns_[i]; }
  Column& mutableColumn(size_t i) { return columns_[i]; }
  std::vector<Column>& mutableColumns() { return columns_; }

  bool hasRowKinds() const { return !rowKinds_.empty(); }
  RowKind rowKind(size_t row) const {
    return rowKinds_.empty() ? RowKind::kInsert : rowKinds_[row];
  }
  std::vector<RowKind>& mutableRowKinds() { return rowKinds_; }
  const std::vector<RowKind>& rowKinds() const { return rowKinds_; }

  bool hasTimestamps() const { return !timestamps_.empty(); }
  int64_t timestamp(size_t row) const {
    return timestamps_.empty() ? kMinTimestamp : timestamps_[row];
  }
  std::vector<int64_t>& mutableTimestamps() { return timestamps_; }
  const std::vector<int64_t>& timestamps() const { return timestamps_; }

  int64_t sourceNanos() const { return sourceNanos_; }
  void setSourceNanos(int64_t n) { sourceNanos_ = n; }
  // Keeps the earliest non-zero source time of two merged batches.
  void mergeSourceNanos(int64_t n) {
    if (n != 0 && (sourceNanos_ == 0 || n < sourceNanos_)) sourceNanos_ = n;
  }

  // After appending to columns directly, declares the new row count (checked against columns).
  void setNumRows(size_t rows);
  // Appends row `row` of `other` (same schema), with its row kind and timestamp.
  void appendRow(const Batch& other, size_t row);
  // Appends the rows listed in `rows` of `other`.
  void appendRows(const Batch& other, const uint32_t* rows, size_t count);
  void appendRange(const Batch& other, size_t begin, size_t end);
  // A batch with the rows listed in `rows`.
  Batch select(const std::vector<uint32_t>& rows) const;
  void reserve(size_t rows);
  // Reserves room for as many rows and string bytes as `other` holds (for a batch that is
  // refilled with data of the same shape, e.g. by a source).
  void reserveLike(const Batch& other);
  void clear();
  size_t byteSize() const;

  // One line per row, columns separated by ", ", for debugging and the print sink.
  std::string rowToString(size_t row) const;
  std::string toString() const;

 private:
  SchemaPtr schema_;
  std::vector<Column> columns_;
  std::vector<RowKind> rowKinds_;
  std::vector<int64_t> timestamps_;
  size_t numRows_ = 0;
  int64_t sourceNanos_ = 0;
};

// Formats one value for text output (CSV, print): timestamps as "YYYY-MM-DD HH:MM:SS.sss",
// doubles in shortest round-trip form, booleans as true/false; returns false for NULL.
bool formatValue(const Column& column, size_t row, std::string& out);

// Read-only view of one row, handed to user functions. Accessors take column indices resolved
// once when the job is built (Schema::indexOf), so there is no name lookup per record.
class RowRef {
 public:
  RowRef(const Batch& batch, size_t row) : batch_(&batch), row_(row) {}
  int64_t getLong(size_t col) const { return batch_->column(col).getInt(row_); }
  double getDouble(size_t col) const { return batch_->column(col).getDouble(row_); }
  std::string_view getString(size_t col) const { return batch_->column(col).getString(row_); }
  bool getBool(size_t col) const { return batch_->column(col).getInt(row_) != 0; }
  bool isNull(size_t col) const { return batch_->column(col).isNull(row_); }
  int64_t timestamp() const { return batch_->timestamp(row_); }
  RowKind kind() const { return batch_->rowKind(row_); }
  const Batch& batch() const { return *batch_; }
  size_t index() const { return row_; }

 private:
  const Batch* batch_;
  size_t row_;
};

struct Null {};

// Appends rows to a batch column by column; user functions write their output through it:
//   out.emit(auction, price * 0.908, name);
// Each argument goes to the next column; integers, doubles, strings and Null{} are accepted.
class RowWriter {
 public:
  // `carryTimestamps`: every emitted row gets the timestamp set by setTimestamp (the operator
  // sets it to the input row's, so a map keeps event time as in Flink).
  explicit RowWriter(Batch& batch, bool carryTimestamps = false)
      : batch_(&batch), carryTimestamps_(carryTimestamps) {}
  template <class... Values>
  void emit(const Values&... values) {
    size_t col = 0;
    (appendValue(batch_->mutableColumn(col++), values), ...);
    GLINT_CHECK_EQ(col, batch_->numColumns());
    finishRow();
  }
  void setTimestamp(int64_t ts) { timestamp_ = ts; }
  void setRowKind(RowKind kind) { kind_ = kind; }
  Batch& batch() { return *batch_; }
  // For writers that append to the columns themselves: records the row's kind and timestamp.
  void finishRow();

 private:
  static void appendValue(Column& c, Null) { c.appendNull(); }
  static void appendValue(Column& c, bool v) { c.appendInt(v ? 1 : 0); }
  static void appendValue(Column& c, double v) { c.appendDouble(v); }
  static void appendValue(Column& c, std::string_view v) { c.appendString(v); }
  static void appendValue(Column& c, const std::string& v) { c.appendString(v); }
  static void appendValue(Column& c, const char* v) { c.appendString(v); }
  template <class T>
  static void appendValue(Column& c, const T& v) requires std::is_integral_v<T> {
    if (c.physical() == PhysicalType::kDouble)
      c.appendDouble(static_cast<double>(v));
    else
      c.appendInt(static_cast<int64_t>(v));
  }
  Batch* batch_;
  bool carryTimestamps_;
  int64_t timestamp_ = kMinTimestamp;
  RowKind kind_ = RowKind::kInsert;
};

}  // namespace glint
