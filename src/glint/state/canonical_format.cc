#include "glint/state/canonical_format.h"

namespace glint {

namespace {

bool validKind(uint8_t k) {
  return k >= static_cast<uint8_t>(StateKind::kValue) &&
         k <= static_cast<uint8_t>(StateKind::kReducing);
}

}  // namespace

bool skipEntryBody(BinaryReader& in, StateKind kind) {
  std::string_view bytes;
  switch (kind) {
    case StateKind::kValue:
    case StateKind::kAggregating:
    case StateKind::kReducing:
      return readBytes(in, &bytes);
    case StateKind::kList: {
      uint64_t n;
      if (!readVarint(in, &n)) return false;
      for (uint64_t i = 0; i < n; ++i)
        if (!readBytes(in, &bytes)) return false;
      return true;
    }
    case StateKind::kMap: {
      uint64_t n;
      if (!readVarint(in, &n)) return false;
      for (uint64_t i = 0; i < n; ++i)
        if (!readBytes(in, &bytes) || !readBytes(in, &bytes)) return false;
      return true;
    }
  }
  return false;
}

bool CanonicalEntryReader::next(CanonicalEntry* entry) {
  if (left_ == 0) return false;
  --left_;
  if (!readBytes(in_, &entry->key) || !in_.read(&entry->ns.first) || !in_.read(&entry->ns.second))
    return false;
  const char* start = in_.pos();
  if (kind_ == StateKind::kList || kind_ == StateKind::kMap) {
    if (!skipEntryBody(in_, kind_)) return false;
    entry->body = std::string_view(start, static_cast<size_t>(in_.pos() - start));
    return true;
  }
  return readBytes(in_, &entry->body);
}

Result<std::vector<CanonicalSection>> parseKeyGroupBlock(const KeyGroupBlock& block) {
  const std::string where = "keyed state snapshot, key group " + std::to_string(block.keyGroup);
  BinaryReader in(block.bytes);
  uint8_t version;
  if (!in.read(&version)) return Status::corruption(where + ": empty block");
  if (version != kKeyedStateFormatVersion)
    return Status::corruption(where + ": format version " + std::to_string(version) +
                              ", expected " + std::to_string(kKeyedStateFormatVersion));
  uint64_t numStates;
  if (!readVarint(in, &numStates)) return Status::corruption(where + ": truncated state count");
  std::vector<CanonicalSection> sections;
  for (uint64_t s = 0; s < numStates; ++s) {
    CanonicalSection section;
    std::string_view name;
    uint8_t kind, flags;
    if (!readBytes(in, &name) || !in.read(&kind) || !in.read(&flags) ||
        !readVarint(in, &section.numEntries))
      return Status::corruption(where + ": truncated header of state " + std::to_string(s));
    section.name.assign(name.data(), name.size());
    if (!validKind(kind))
      return Status::corruption(where + ", state '" + section.name + "': unknown state kind " +
                                std::to_string(kind));
    if ((flags & ~kCanonicalFlagTtl) != 0)
      return Status::corruption(where + ", state '" + section.name + "': unknown flags " +
                                std::to_string(flags));
    section.kind = static_cast<StateKind>(kind);
    section.ttl = (flags & kCanonicalFlagTtl) != 0;
    const char* start = in.pos();
    for (uint64_t e = 0; e < section.numEntries; ++e) {
      std::string_view key;
      StateNamespace ns;
      if (!readBytes(in, &key) || !in.read(&ns.first) || !in.read(&ns.second) ||
          !skipEntryBody(in, section.kind))
        return Status::corruption(where + ", state '" + section.name + "': entry " +
                                  std::to_string(e) + " of " + std::to_string(section.numEntries) +
                                  " is truncated or malformed");
    }
    section.entries = std::string_view(start, static_cast<size_t>(in.pos() - start));
    sections.push_back(std::move(section));
  }
  if (!in.atEnd())
    return Status::corruption(where + ": " + std::to_string(in.end() - in.pos()) +
                              " unexpected bytes after the last state");
  return sections;
}

void KeyGroupBlockWriter::addSection(std::string_view name, StateKind kind, bool ttl,
                                     uint64_t numEntries, std::string_view entries) {
  writeBytes(sections_, name);
  sections_.push_back(static_cast<char>(kind));
  sections_.push_back(static_cast<char>(ttl ? kCanonicalFlagTtl : 0));
  writeVarint(sections_, numEntries);
  sections_.append(entries.data(), entries.size());
  ++numSections_;
}

std::string KeyGroupBlockWriter::finish() {
  std::string out;
  out.reserve(sections_.size() + 8);
  out.push_back(static_cast<char>(kKeyedStateFormatVersion));
  writeVarint(out, numSections_);
  out += sections_;
  sections_.clear();
  numSections_ = 0;
  return out;
}

}  // namespace glint

namespace glint {

const char* stateKindName(StateKind kind) {
  switch (kind) {
    case StateKind::kValue:
      return "value";
    case StateKind::kList:
      return "list";
    case StateKind::kMap:
      return "map";
    case StateKind::kAggregating:
      return "aggregating";
    case StateKind::kReducing:
      return "reducing";
  }
  return "unknown";
}

}  // namespace glint
