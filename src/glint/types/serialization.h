#pragma once
// Glint's compact binary form of batches, used by exchanges that leave the process and by
// state snapshots. Everything written carries a format version (docs/architecture.md, rule 9).
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "glint/types/batch.h"

namespace glint {

constexpr uint8_t kBatchFormatVersion = 1;

// Layout (little-endian): magic "GB", u8 version, u32 rows, u16 columns, per column
// (u8 type id, u16 name length, name), u8 flags (1 = row kinds, 2 = timestamps),
// i64 sourceNanos, [row kinds], [timestamps], then each column (Column::serialize).
void serializeBatch(const Batch& batch, std::string& out);
Result<Batch> deserializeBatch(std::string_view bytes);

// Minimal append-only writer and bounds-checked reader for fixed-width values and strings.
class BinaryWriter {
 public:
  explicit BinaryWriter(std::string& out) : out_(&out) {}
  template <class T>
  void write(const T& v) requires std::is_trivially_copyable_v<T> {
    out_->append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void writeString(std::string_view s) {
    write<uint32_t>(static_cast<uint32_t>(s.size()));
    out_->append(s.data(), s.size());
  }

 private:
  std::string* out_;
};

class BinaryReader {
 public:
  BinaryReader(const char* pos, const char* end) : pos_(pos), end_(end) {}
  explicit BinaryReader(std::string_view s) : pos_(s.data()), end_(s.data() + s.size()) {}
  template <class T>
  bool read(T* v) requires std::is_trivially_copyable_v<T> {
    if (static_cast<size_t>(end_ - pos_) < sizeof(T)) return false;
    std::memcpy(v, pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool readString(std::string* s) {
    uint32_t n;
    if (!read(&n) || static_cast<size_t>(end_ - pos_) < n) return false;
    s->assign(pos_, n);
    pos_ += n;
    return true;
  }
  const char*& pos() { return pos_; }
  const char* end() const { return end_; }
  bool atEnd() const { return pos_ == end_; }

 private:
  const char* pos_;
  const char* end_;
};

}  // namespace glint
