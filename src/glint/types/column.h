#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "glint/types/data_type.h"

namespace glint {

// One typed column of a batch. Fixed-width values live in a contiguous vector; strings are
// stored Arrow-style as one character buffer plus offsets, so a string column is two
// allocations however many rows it has. Nulls are a byte mask that is empty until the first
// null is appended, so all-valid columns (the common case) cost nothing for it.
class Column {
 public:
  explicit Column(TypeId type = TypeId::kBigint) : type_(type), physical_(physicalTypeOf(type)) {
    if (physical_ == PhysicalType::kString) offsets_.push_back(0);
  }

  TypeId type() const { return type_; }
  PhysicalType physical() const { return physical_; }
  size_t size() const {
    switch (physical_) {
      case PhysicalType::kInt64:
        return ints_.size();
      case PhysicalType::kDouble:
        return doubles_.size();
      case PhysicalType::kString:
        return offsets_.size() - 1;
    }
    return 0;
  }

  // ---- reading
  int64_t getInt(size_t row) const { return ints_[row]; }
  double getDouble(size_t row) const { return doubles_[row]; }
  std::string_view getString(size_t row) const {
    return std::string_view(chars_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  bool isNull(size_t row) const { return !nulls_.empty() && nulls_[row] != 0; }
  bool hasNulls() const { return !nulls_.empty(); }
  const std::vector<int64_t>& ints() const { return ints_; }
  const std::vector<double>& doubles() const { return doubles_; }
  std::vector<int64_t>& mutableInts() { return ints_; }
  std::vector<double>& mutableDoubles() { return doubles_; }
  const std::vector<uint32_t>& offsets() const { return offsets_; }
  const std::string& chars() const { return chars_; }
  const std::vector<uint8_t>& nullMask() const { return nulls_; }
  // For kernels that fill a column in bulk: empty means no nulls; otherwise it must hold one
  // byte per row (1 = NULL) before the column is read or appended to again.
  std::vector<uint8_t>& mutableNullMask() { return nulls_; }

  // ---- writing
  void appendInt(int64_t v) {
    ints_.push_back(v);
    if (!nulls_.empty()) nulls_.push_back(0);
  }
  void appendDouble(double v) {
    doubles_.push_back(v);
    if (!nulls_.empty()) nulls_.push_back(0);
  }
  void appendString(std::string_view v) {
    chars_.append(v.data(), v.size());
    offsets_.push_back(static_cast<uint32_t>(chars_.size()));
    if (!nulls_.empty()) nulls_.push_back(0);
  }
  void appendNull();
  // Copies row `row` of `other` (same physical type) to the end of this column.
  void appendFrom(const Column& other, size_t row);
  // Copies the rows listed in `rows` of `other` (a gather).
  void appendRows(const Column& other, const uint32_t* rows, size_t count);
  // Copies rows [begin, end) of `other`.
  void appendRange(const Column& other, size_t begin, size_t end);

  void reserve(size_t rows);
  void reserveChars(size_t bytes) { chars_.reserve(bytes); }
  void clear();
  // Bytes held by the column's buffers (for memory accounting).
  size_t byteSize() const;

  // Writes/reads the column in Glint's compact binary form (see types/serialization.h).
  void serialize(std::string& out) const;
  // Returns false on truncated or malformed input.
  bool deserialize(const char*& pos, const char* end, size_t rows);

 private:
  TypeId type_;
  PhysicalType physical_;
  std::vector<int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<uint32_t> offsets_;
  std::string chars_;
  std::vector<uint8_t> nulls_;
};

}  // namespace glint
