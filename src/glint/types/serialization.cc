#include "glint/types/serialization.h"

namespace glint {

void serializeBatch(const Batch& batch, std::string& out) {
  BinaryWriter w(out);
  out.append("GB");
  w.write<uint8_t>(kBatchFormatVersion);
  w.write<uint32_t>(static_cast<uint32_t>(batch.numRows()));
  const Schema& schema = *batch.schema();
  w.write<uint16_t>(static_cast<uint16_t>(schema.size()));
  for (const auto& f : schema.fields()) {
    w.write<uint8_t>(static_cast<uint8_t>(f.type));
    w.write<uint16_t>(static_cast<uint16_t>(f.name.size()));
    out.append(f.name);
  }
  const uint8_t flags = (batch.hasRowKinds() ? 1 : 0) | (batch.hasTimestamps() ? 2 : 0);
  w.write<uint8_t>(flags);
  w.write<int64_t>(batch.sourceNanos());
  if (batch.hasRowKinds())
    out.append(reinterpret_cast<const char*>(batch.rowKinds().data()), batch.numRows());
  if (batch.hasTimestamps())
    out.append(reinterpret_cast<const char*>(batch.timestamps().data()), batch.numRows() * 8);
  for (size_t c = 0; c < batch.numColumns(); ++c) batch.column(c).serialize(out);
}

Result<Batch> deserializeBatch(std::string_view bytes) {
  auto corrupt = [](const char* what) {
    return Status::parseError(std::string("corrupt serialized batch: ") + what);
  };
  if (bytes.size() < 3 || bytes[0] != 'G' || bytes[1] != 'B') return corrupt("bad magic");
  BinaryReader r(bytes.substr(2));
  uint8_t version;
  uint32_t rows;
  uint16_t ncols;
  if (!r.read(&version)) return corrupt("truncated header");
  if (version != kBatchFormatVersion)
    return Status::parseError("unsupported batch format version " + std::to_string(version) +
                              " (this build reads version " + std::to_string(kBatchFormatVersion) +
                              ")");
  if (!r.read(&rows) || !r.read(&ncols)) return corrupt("truncated header");
  std::vector<Field> fields;
  for (uint16_t i = 0; i < ncols; ++i) {
    uint8_t type;
    uint16_t len;
    if (!r.read(&type) || !r.read(&len)) return corrupt("truncated schema");
    if (type > static_cast<uint8_t>(TypeId::kDate)) return corrupt("unknown column type");
    if (static_cast<size_t>(r.end() - r.pos()) < len) return corrupt("truncated column name");
    fields.push_back(Field{std::string(r.pos(), len), static_cast<TypeId>(type), true});
    r.pos() += len;
  }
  Batch batch(makeSchema(std::move(fields)));
  uint8_t flags;
  int64_t sourceNanos;
  if (!r.read(&flags) || !r.read(&sourceNanos)) return corrupt("truncated header");
  batch.setSourceNanos(sourceNanos);
  if (flags & 1) {
    if (static_cast<size_t>(r.end() - r.pos()) < rows) return corrupt("truncated row kinds");
    auto& kinds = batch.mutableRowKinds();
    kinds.resize(rows);
    std::memcpy(kinds.data(), r.pos(), rows);
    for (auto k : kinds)
      if (static_cast<uint8_t>(k) > 3) return corrupt("bad row kind");
    r.pos() += rows;
  }
  if (flags & 2) {
    if (static_cast<size_t>(r.end() - r.pos()) < size_t{rows} * 8)
      return corrupt("truncated timestamps");
    auto& ts = batch.mutableTimestamps();
    ts.resize(rows);
    std::memcpy(ts.data(), r.pos(), size_t{rows} * 8);
    r.pos() += size_t{rows} * 8;
  }
  for (size_t c = 0; c < ncols; ++c)
    if (!batch.mutableColumn(c).deserialize(r.pos(), r.end(), rows))
      return corrupt("truncated column data");
  if (!r.atEnd()) return corrupt("trailing bytes");
  batch.setNumRows(rows);
  return batch;
}

}  // namespace glint
