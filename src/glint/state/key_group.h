#pragma once
// Keys, key groups and their assignment to subtasks, as in Flink (docs/architecture.md, rule 4):
//   key -> bytes -> hash -> key group in [0, maxParallelism) -> subtask.
// State and timers are organised by key group, so rescaling moves whole key groups.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "glint/types/batch.h"

namespace glint {

constexpr int kDefaultMaxParallelism = 128;

uint64_t hashBytes(std::string_view bytes);

inline int keyGroupForHash(uint64_t hash, int maxParallelism) {
  return static_cast<int>(hash % static_cast<uint64_t>(maxParallelism));
}
inline int keyGroupForKey(std::string_view keyBytes, int maxParallelism) {
  return keyGroupForHash(hashBytes(keyBytes), maxParallelism);
}
// Flink's KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup.
inline int subtaskForKeyGroup(int keyGroup, int parallelism, int maxParallelism) {
  return keyGroup * parallelism / maxParallelism;
}

struct KeyGroupRange {
  int first = 0;  // inclusive
  int last = -1;  // inclusive
  bool contains(int kg) const { return kg >= first && kg <= last; }
  int size() const { return last - first + 1; }
};
// The key groups owned by `subtask` (Flink's computeKeyGroupRangeForOperatorIndex).
KeyGroupRange keyGroupRangeForSubtask(int maxParallelism, int parallelism, int subtask);

// Encodes the key columns of a row as bytes: 8 bytes per BIGINT-like or DOUBLE value,
// u32 length + bytes per string, a leading 0/1 null flag per column. The bytes are the key's
// identity in state and the input to the key-group hash.
class KeyEncoder {
 public:
  KeyEncoder() = default;
  KeyEncoder(const Schema& schema, std::vector<int> keyColumns);
  const std::vector<int>& keyColumns() const { return keyColumns_; }
  const std::vector<TypeId>& keyTypes() const { return keyTypes_; }
  // Encodes row `row` of `batch` into `out` (cleared first).
  void encode(const Batch& batch, size_t row, std::string& out) const;
  // A schema with just the key columns (names and types).
  SchemaPtr keySchema() const { return keySchema_; }

 private:
  std::vector<int> keyColumns_;
  std::vector<TypeId> keyTypes_;
  SchemaPtr keySchema_;
};

// Read access to the fields of an encoded key, by position in the key.
class KeyRef {
 public:
  KeyRef(std::string_view bytes, const std::vector<TypeId>* types) : bytes_(bytes), types_(types) {}
  int64_t getLong(size_t i) const;
  double getDouble(size_t i) const;
  std::string_view getString(size_t i) const;
  bool isNull(size_t i) const;
  std::string_view bytes() const { return bytes_; }
  // Field i as KeyEncoder wrote it (null flag and value): fields concatenated are the encoded
  // key of just those columns.
  std::string_view field(size_t i) const {
    const size_t begin = offsetOf(i);
    return bytes_.substr(begin, offsetOf(i + 1) - begin);
  }
  // Appends field i (or NULL) to `out`, a column of the field's physical type.
  void appendFieldTo(size_t i, Column& out) const;
  // Appends the key's fields to columns [firstColumn, firstColumn + size) of a RowWriter row.
  void appendTo(Batch& batch, size_t firstColumn) const;

 private:
  // Position of field i's null flag.
  size_t offsetOf(size_t i) const;
  std::string_view bytes_;
  const std::vector<TypeId>* types_;
};

}  // namespace glint
