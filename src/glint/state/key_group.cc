#include "glint/state/key_group.h"

namespace glint {

uint64_t hashBytes(std::string_view bytes) {
  // FNV-1a over 8-byte words with a murmur finalizer: stable across builds and platforms
  // (key groups are persisted in snapshots, so this function must never change silently).
  uint64_t h = 0xcbf29ce484222325ULL ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<uint8_t>(bytes[i])) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

KeyGroupRange keyGroupRangeForSubtask(int maxParallelism, int parallelism, int subtask) {
  KeyGroupRange r;
  r.first = (subtask * maxParallelism + parallelism - 1) / parallelism;
  r.last = ((subtask + 1) * maxParallelism - 1) / parallelism;
  return r;
}

KeyEncoder::KeyEncoder(const Schema& schema, std::vector<int> keyColumns)
    : keyColumns_(std::move(keyColumns)) {
  std::vector<Field> fields;
  for (int c : keyColumns_) {
    keyTypes_.push_back(schema.field(c).type);
    fields.push_back(schema.field(c));
  }
  keySchema_ = makeSchema(std::move(fields));
}

void KeyEncoder::encode(const Batch& batch, size_t row, std::string& out) const {
  out.clear();
  for (size_t k = 0; k < keyColumns_.size(); ++k) {
    const Column& col = batch.column(keyColumns_[k]);
    if (col.isNull(row)) {
      out.push_back(1);
      continue;
    }
    out.push_back(0);
    switch (col.physical()) {
      case PhysicalType::kInt64: {
        int64_t v = col.getInt(row);
        out.append(reinterpret_cast<const char*>(&v), 8);
        break;
      }
      case PhysicalType::kDouble: {
        double v = col.getDouble(row);
        if (v == 0) v = 0;  // -0.0 and 0.0 are one key
        out.append(reinterpret_cast<const char*>(&v), 8);
        break;
      }
      case PhysicalType::kString: {
        std::string_view s = col.getString(row);
        uint32_t n = static_cast<uint32_t>(s.size());
        out.append(reinterpret_cast<const char*>(&n), 4);
        out.append(s);
        break;
      }
    }
  }
}

size_t KeyRef::offsetOf(size_t i) const {
  size_t pos = 0;
  for (size_t k = 0; k < i; ++k) {
    const bool null = bytes_[pos++] != 0;
    if (null) continue;
    if (physicalTypeOf((*types_)[k]) == PhysicalType::kString) {
      uint32_t n;
      std::memcpy(&n, bytes_.data() + pos, 4);
      pos += 4 + n;
    } else {
      pos += 8;
    }
  }
  return pos;
}

bool KeyRef::isNull(size_t i) const {
  return bytes_[offsetOf(i)] != 0;
}

int64_t KeyRef::getLong(size_t i) const {
  int64_t v;
  std::memcpy(&v, bytes_.data() + offsetOf(i) + 1, 8);
  return v;
}

double KeyRef::getDouble(size_t i) const {
  double v;
  std::memcpy(&v, bytes_.data() + offsetOf(i) + 1, 8);
  return v;
}

std::string_view KeyRef::getString(size_t i) const {
  const size_t pos = offsetOf(i) + 1;
  uint32_t n;
  std::memcpy(&n, bytes_.data() + pos, 4);
  return bytes_.substr(pos + 4, n);
}

void KeyRef::appendFieldTo(size_t i, Column& out) const {
  if (isNull(i)) {
    out.appendNull();
    return;
  }
  switch (out.physical()) {
    case PhysicalType::kInt64:
      out.appendInt(getLong(i));
      break;
    case PhysicalType::kDouble:
      out.appendDouble(getDouble(i));
      break;
    case PhysicalType::kString:
      out.appendString(getString(i));
      break;
  }
}

void KeyRef::appendTo(Batch& batch, size_t firstColumn) const {
  for (size_t k = 0; k < types_->size(); ++k)
    appendFieldTo(k, batch.mutableColumn(firstColumn + k));
}

}  // namespace glint
