#pragma once
// The canonical (backend-independent) snapshot format of keyed state: one KeyGroupBlock per key
// group. Savepoints and heap-backend checkpoints use it; the heap backend writes it from its
// maps, the RocksDB backend by iterating a key group's key range, and either backend restores
// from it at any parallelism (blocks are cut by key group).
//
// Block layout, version 1 (varint = LEB128; bytes = varint length + bytes):
//   u8 version (= kKeyedStateFormatVersion)
//   varint number of states
//   per state:
//     bytes   state name
//     u8      kind (StateKind)
//     u8      flags: bit 0 = TTL (every stored value starts with its i64 last-access time)
//     varint  number of entries
//     per entry:
//       bytes  key (the encoded key, KeyEncoder)
//       i64    namespace first, i64 namespace second (little-endian)
//       value, aggregating, reducing: bytes stored value
//       list:  varint count, then count x bytes stored element
//       map:   varint count, then count x (bytes user key, bytes stored value)
// A stored value is [i64 last-access time if TTL][StateSerializer<T> bytes]; a map user key is
// its OrderedKeyCodec encoding (so RocksDB can write it into its key as it is).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "glint/common/status.h"
#include "glint/state/state_descriptor.h"
#include "glint/state/state_map.h"
#include "glint/state/state_serializer.h"
#include "glint/state/state_snapshot.h"

namespace glint {

constexpr uint8_t kKeyedStateFormatVersion = 1;
constexpr uint8_t kCanonicalFlagTtl = 1;

// One state's entries in one key group (a view into the block's bytes).
struct CanonicalSection {
  std::string name;
  StateKind kind = StateKind::kValue;
  bool ttl = false;
  uint64_t numEntries = 0;
  std::string_view entries;
};

// Parses and validates a whole block (every length, count and kind); errors name the key group
// and the state.
Result<std::vector<CanonicalSection>> parseKeyGroupBlock(const KeyGroupBlock& block);

// Assembles one block from per-state sections.
class KeyGroupBlockWriter {
 public:
  void addSection(std::string_view name, StateKind kind, bool ttl, uint64_t numEntries,
                  std::string_view entries);
  bool empty() const { return numSections_ == 0; }
  // The block's bytes (version, count, sections); the writer is empty afterwards.
  std::string finish();

 private:
  std::string sections_;
  uint64_t numSections_ = 0;
};

inline void writeEntryHeader(std::string& out, std::string_view key, StateNamespace ns) {
  writeBytes(out, key);
  writeFixed(out, ns.first);
  writeFixed(out, ns.second);
}

struct CanonicalEntry {
  std::string_view key;
  StateNamespace ns;
  // Value kinds: the stored value. List and map: the count-prefixed sequence.
  std::string_view body;
};

// Reads the entries of a section (validated by parseKeyGroupBlock; still bounds-checked).
class CanonicalEntryReader {
 public:
  explicit CanonicalEntryReader(const CanonicalSection& section)
      : in_(section.entries), kind_(section.kind), left_(section.numEntries) {}
  // False at the end or on malformed input.
  bool next(CanonicalEntry* entry);

 private:
  BinaryReader in_;
  StateKind kind_;
  uint64_t left_;
};

// Skips one entry's body of the given kind; false when malformed.
bool skipEntryBody(BinaryReader& in, StateKind kind);

// Visits the elements of a list body; false when malformed.
template <class F>
bool forEachListElement(std::string_view body, F&& visit) {
  BinaryReader in(body);
  uint64_t n;
  if (!readVarint(in, &n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view e;
    if (!readBytes(in, &e)) return false;
    visit(e);
  }
  return in.atEnd();
}

// Visits the (user key, stored value) pairs of a map body; false when malformed.
template <class F>
bool forEachMapEntry(std::string_view body, F&& visit) {
  BinaryReader in(body);
  uint64_t n;
  if (!readVarint(in, &n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view k, v;
    if (!readBytes(in, &k) || !readBytes(in, &v)) return false;
    visit(k, v);
  }
  return in.atEnd();
}

// A stored value's TTL timestamp and payload; false when it is shorter than the timestamp.
inline bool splitTtlValue(std::string_view stored, int64_t* timestamp, std::string_view* payload) {
  if (stored.size() < 8) return false;
  std::memcpy(timestamp, stored.data(), 8);
  *payload = stored.substr(8);
  return true;
}

}  // namespace glint
