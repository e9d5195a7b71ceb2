#include "glint/types/column.h"

#include <algorithm>

namespace glint {

namespace {
// Room for `more` elements. Growing geometrically: reserve(size() + more) allocates exactly that
// much, so appending batch after batch to one column copied it all each time.
template <class T>
void reserveMore(std::vector<T>& v, size_t more) {
  if (v.size() + more > v.capacity()) v.reserve(std::max(v.size() + more, 2 * v.capacity()));
}
}  // namespace

void Column::appendNull() {
  if (nulls_.empty()) nulls_.assign(size(), 0);
  switch (physical_) {
    case PhysicalType::kInt64:
      ints_.push_back(0);
      break;
    case PhysicalType::kDouble:
      doubles_.push_back(0);
      break;
    case PhysicalType::kString:
      offsets_.push_back(offsets_.back());
      break;
  }
  nulls_.push_back(1);
}

void Column::appendFrom(const Column& other, size_t row) {
  if (other.isNull(row)) {
    appendNull();
    return;
  }
  switch (physical_) {
    case PhysicalType::kInt64:
      appendInt(other.ints_[row]);
      break;
    case PhysicalType::kDouble:
      appendDouble(other.doubles_[row]);
      break;
    case PhysicalType::kString:
      appendString(other.getString(row));
      break;
  }
}

void Column::appendRows(const Column& other, const uint32_t* rows, size_t count) {
  const size_t before = size();
  switch (physical_) {
    // Appended one by one after a reserve (growing geometrically, as a resize would): a resize
    // would zero the memory first.
    case PhysicalType::kInt64: {
      if (ints_.capacity() < before + count)
        ints_.reserve(std::max(before + count, 2 * ints_.capacity()));
      const int64_t* src = other.ints_.data();
      for (size_t i = 0; i < count; ++i) ints_.push_back(src[rows[i]]);
      break;
    }
    case PhysicalType::kDouble: {
      if (doubles_.capacity() < before + count)
        doubles_.reserve(std::max(before + count, 2 * doubles_.capacity()));
      const double* src = other.doubles_.data();
      for (size_t i = 0; i < count; ++i) doubles_.push_back(src[rows[i]]);
      break;
    }
    case PhysicalType::kString:
      reserveMore(offsets_, count);
      for (size_t i = 0; i < count; ++i) {
        chars_.append(other.getString(rows[i]));
        offsets_.push_back(static_cast<uint32_t>(chars_.size()));
      }
      break;
  }
  if (!nulls_.empty() || !other.nulls_.empty()) {
    nulls_.resize(before, 0);
    reserveMore(nulls_, count);
    for (size_t i = 0; i < count; ++i) nulls_.push_back(other.isNull(rows[i]) ? 1 : 0);
  }
}

void Column::appendRange(const Column& other, size_t begin, size_t end) {
  const size_t before = size();
  switch (physical_) {
    case PhysicalType::kInt64:
      ints_.insert(ints_.end(), other.ints_.begin() + begin, other.ints_.begin() + end);
      break;
    case PhysicalType::kDouble:
      doubles_.insert(doubles_.end(), other.doubles_.begin() + begin, other.doubles_.begin() + end);
      break;
    case PhysicalType::kString: {
      const uint32_t base = other.offsets_[begin];
      const uint32_t shift = static_cast<uint32_t>(chars_.size());
      chars_.append(other.chars_.data() + base, other.offsets_[end] - base);
      reserveMore(offsets_, end - begin);
      for (size_t i = begin + 1; i <= end; ++i)
        offsets_.push_back(other.offsets_[i] - base + shift);
      break;
    }
  }
  if (!nulls_.empty() || !other.nulls_.empty()) {
    nulls_.resize(before, 0);
    for (size_t i = begin; i < end; ++i) nulls_.push_back(other.isNull(i) ? 1 : 0);
  }
}

void Column::reserve(size_t rows) {
  switch (physical_) {
    case PhysicalType::kInt64:
      ints_.reserve(rows);
      break;
    case PhysicalType::kDouble:
      doubles_.reserve(rows);
      break;
    case PhysicalType::kString:
      offsets_.reserve(rows + 1);
      break;
  }
}

void Column::clear() {
  ints_.clear();
  doubles_.clear();
  chars_.clear();
  nulls_.clear();
  if (physical_ == PhysicalType::kString) offsets_.assign(1, 0);
}

size_t Column::byteSize() const {
  return ints_.capacity() * 8 + doubles_.capacity() * 8 + offsets_.capacity() * 4 +
         chars_.capacity() + nulls_.capacity();
}

// Layout: u8 hasNulls, [rows bytes of null mask], then values: int64/double little-endian
// arrays, or for strings u32 offsets[rows+1] followed by the character bytes.
void Column::serialize(std::string& out) const {
  const size_t rows = size();
  out.push_back(nulls_.empty() ? 0 : 1);
  if (!nulls_.empty()) out.append(reinterpret_cast<const char*>(nulls_.data()), rows);
  switch (physical_) {
    case PhysicalType::kInt64:
      out.append(reinterpret_cast<const char*>(ints_.data()), rows * 8);
      break;
    case PhysicalType::kDouble:
      out.append(reinterpret_cast<const char*>(doubles_.data()), rows * 8);
      break;
    case PhysicalType::kString:
      out.append(reinterpret_cast<const char*>(offsets_.data()), (rows + 1) * 4);
      out.append(chars_);
      break;
  }
}

bool Column::deserialize(const char*& pos, const char* end, size_t rows) {
  clear();
  if (pos >= end) return false;
  const bool hasNulls = *pos++ != 0;
  if (hasNulls) {
    if (static_cast<size_t>(end - pos) < rows) return false;
    nulls_.assign(reinterpret_cast<const uint8_t*>(pos),
                  reinterpret_cast<const uint8_t*>(pos) + rows);
    pos += rows;
  }
  auto readArray = [&](void* dst, size_t bytes) {
    if (static_cast<size_t>(end - pos) < bytes) return false;
    std::memcpy(dst, pos, bytes);
    pos += bytes;
    return true;
  };
  switch (physical_) {
    case PhysicalType::kInt64:
      ints_.resize(rows);
      return readArray(ints_.data(), rows * 8);
    case PhysicalType::kDouble:
      doubles_.resize(rows);
      return readArray(doubles_.data(), rows * 8);
    case PhysicalType::kString: {
      offsets_.resize(rows + 1);
      if (!readArray(offsets_.data(), (rows + 1) * 4)) return false;
      if (offsets_[0] != 0) return false;
      for (size_t i = 0; i < rows; ++i)
        if (offsets_[i + 1] < offsets_[i]) return false;
      const size_t bytes = offsets_[rows];
      if (static_cast<size_t>(end - pos) < bytes) return false;
      chars_.assign(pos, bytes);
      pos += bytes;
      return true;
    }
  }
  return false;
}

}  // namespace glint
