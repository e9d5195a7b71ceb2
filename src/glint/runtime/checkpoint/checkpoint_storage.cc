#include "glint/runtime/checkpoint/checkpoint_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "glint/state/state_backend.h"
#include "glint/types/serialization.h"

namespace glint {

namespace fs = std::filesystem;

namespace {

constexpr char kStateMagic[4] = {'G', 'L', 'S', 'T'};
constexpr char kMetadataMagic[4] = {'G', 'L', 'C', 'M'};
constexpr uint16_t kStateFormatVersion = 1;
constexpr uint16_t kMetadataFormatVersion = 1;

Status ioError(const std::string& what, const fs::path& path) {
  return Status::ioError(what + " '" + path.string() + "': " + std::strerror(errno));
}

// Writes the file and makes it durable before returning.
Status writeDurably(const fs::path& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ioError("cannot create", path);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return ioError("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return ioError("cannot sync", path);
  }
  ::close(fd);
  return Status::ok();
}

void syncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Result<std::string> readWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot open checkpoint file '" + path.string() + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

void appendChecksum(std::string& out) {
  BinaryWriter w(out);
  w.write<uint64_t>(hashBytes(out));
}

// Checks magic, version and trailing checksum; returns the body after the header.
Result<std::string_view> verifyFile(const std::string& bytes, const char (&magic)[4],
                                    uint16_t maxVersion, const fs::path& path, uint16_t* version) {
  const size_t headerSize = sizeof(magic) + sizeof(uint16_t);
  if (bytes.size() < headerSize + sizeof(uint64_t))
    return Status::corruption("checkpoint file '" + path.string() + "' is truncated (" +
                              std::to_string(bytes.size()) + " bytes)");
  if (std::memcmp(bytes.data(), magic, sizeof(magic)) != 0)
    return Status::corruption("checkpoint file '" + path.string() +
                              "' is not a Glint checkpoint file (bad magic)");
  std::memcpy(version, bytes.data() + sizeof(magic), sizeof(uint16_t));
  if (*version == 0 || *version > maxVersion)
    return Status::corruption("checkpoint file '" + path.string() + "' has format version " +
                              std::to_string(*version) + "; this Glint reads versions up to " +
                              std::to_string(maxVersion));
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - sizeof(uint64_t), sizeof(uint64_t));
  const std::string_view covered(bytes.data(), bytes.size() - sizeof(uint64_t));
  if (hashBytes(covered) != stored)
    return Status::corruption("checkpoint file '" + path.string() +
                              "' is corrupt (checksum mismatch)");
  return covered.substr(headerSize);
}

void writeHeader(std::string& out, const char (&magic)[4], uint16_t version) {
  out.append(magic, sizeof(magic));
  BinaryWriter(out).write<uint16_t>(version);
}

void writeBlocks(BinaryWriter& w, const std::vector<KeyGroupBlock>& blocks) {
  w.write<uint32_t>(static_cast<uint32_t>(blocks.size()));
  for (const auto& b : blocks) {
    w.write<int32_t>(b.keyGroup);
    w.writeString(b.bytes);
  }
}

bool readBlocks(BinaryReader& r, std::vector<KeyGroupBlock>* blocks) {
  uint32_t n;
  if (!r.read(&n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    KeyGroupBlock b;
    int32_t kg;
    if (!r.read(&kg) || !r.readString(&b.bytes)) return false;
    b.keyGroup = kg;
    blocks->push_back(std::move(b));
  }
  return true;
}

std::string stateFileName(const std::string& uid, int subtask) {
  return checkpoint_files::sanitize(uid) + "-" + std::to_string(subtask) + ".state";
}

}  // namespace

namespace checkpoint_files {

std::string sanitize(const std::string& uid) {
  std::string s;
  for (char c : uid) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  // Distinct uids may sanitize alike; the hash keeps their files apart.
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hashBytes(uid)));
  return s.substr(0, 64) + "-" + std::string(hex, 8);
}

Result<StateFileEntry> writeOperatorState(const fs::path& checkpointDir,
                                          const OperatorSnapshot& s) {
  std::string out;
  writeHeader(out, kStateMagic, kStateFormatVersion);
  BinaryWriter w(out);
  w.writeString(s.uid);
  w.write<int32_t>(s.subtask);
  w.write<int32_t>(s.parallelism);
  w.write<uint32_t>(static_cast<uint32_t>(s.operatorState.size()));
  for (const auto& item : s.operatorState) w.writeString(item);
  w.write<uint8_t>(s.hasKeyedState ? 1 : 0);
  StateFileEntry entry;
  if (s.hasKeyedState) {
    const KeyedStateHandle& h = s.keyedHandle;
    w.write<uint8_t>(static_cast<uint8_t>(h.kind));
    w.write<int32_t>(h.keyGroups.first);
    w.write<int32_t>(h.keyGroups.last);
    writeBlocks(w, h.blocks);
    w.write<uint32_t>(static_cast<uint32_t>(h.files.size()));
    for (const auto& f : h.files) {
      w.writeString(f.relativePath);
      w.writeString(f.localName);
      w.write<uint64_t>(f.size);
      if (f.relativePath.rfind("shared/", 0) == 0) entry.sharedFiles.push_back(f.relativePath);
    }
    w.write<uint64_t>(h.bytesWritten);
  }
  writeBlocks(w, s.keyedOperatorData);
  w.write<uint32_t>(static_cast<uint32_t>(s.inFlight.size()));
  std::string batchBytes;
  for (const auto& f : s.inFlight) {
    w.write<int32_t>(f.channel);
    w.write<int32_t>(f.input);
    batchBytes.clear();
    serializeBatch(f.batch, batchBytes);
    w.writeString(batchBytes);
  }
  appendChecksum(out);

  entry.uid = s.uid;
  entry.subtask = s.subtask;
  entry.parallelism = s.parallelism;
  entry.file = stateFileName(s.uid, s.subtask);
  entry.size = out.size();
  uint64_t checksum;
  std::memcpy(&checksum, out.data() + out.size() - sizeof(uint64_t), sizeof(uint64_t));
  entry.checksum = checksum;
  entry.bytesWritten = out.size() + (s.hasKeyedState && s.keyedHandle.kind == KeyedStateHandle::Kind::kNative
                                         ? s.keyedHandle.bytesWritten
                                         : 0);
  entry.hasInFlightData = !s.inFlight.empty();
  GLINT_RETURN_IF_ERROR(writeDurably(checkpointDir / entry.file, out));
  return entry;
}

Result<LoadedOperatorState> readOperatorState(const fs::path& checkpointDir,
                                              const StateFileEntry& entry) {
  const fs::path path = checkpointDir / entry.file;
  auto bytes = readWhole(path);
  if (!bytes.isOk()) return bytes.status();
  if (bytes->size() != entry.size)
    return Status::corruption("checkpoint file '" + path.string() + "' has " +
                              std::to_string(bytes->size()) + " bytes; the metadata says " +
                              std::to_string(entry.size) + " (truncated or replaced)");
  uint16_t version;
  auto body = verifyFile(*bytes, kStateMagic, kStateFormatVersion, path, &version);
  if (!body.isOk()) return body.status();
  BinaryReader r(*body);
  LoadedOperatorState s;
  auto malformed = [&] {
    return Status::corruption("checkpoint file '" + path.string() + "' is malformed");
  };
  int32_t subtask, parallelism;
  uint32_t items;
  if (!r.readString(&s.uid) || !r.read(&subtask) || !r.read(&parallelism) || !r.read(&items))
    return malformed();
  s.subtask = subtask;
  s.parallelism = parallelism;
  for (uint32_t i = 0; i < items; ++i) {
    std::string item;
    if (!r.readString(&item)) return malformed();
    s.operatorState.push_back(std::move(item));
  }
  uint8_t keyed;
  if (!r.read(&keyed)) return malformed();
  s.hasKeyedState = keyed != 0;
  if (s.hasKeyedState) {
    KeyedStateHandle& h = s.keyedHandle;
    uint8_t kind;
    int32_t first, last;
    uint32_t files;
    if (!r.read(&kind) || kind > 1 || !r.read(&first) || !r.read(&last)) return malformed();
    h.kind = static_cast<KeyedStateHandle::Kind>(kind);
    h.keyGroups = {first, last};
    if (!readBlocks(r, &h.blocks) || !r.read(&files)) return malformed();
    for (uint32_t i = 0; i < files; ++i) {
      NativeStateFile f;
      if (!r.readString(&f.relativePath) || !r.readString(&f.localName) || !r.read(&f.size))
        return malformed();
      h.files.push_back(std::move(f));
    }
    if (!r.read(&h.bytesWritten)) return malformed();
  }
  if (!readBlocks(r, &s.keyedOperatorData)) return malformed();
  uint32_t inflight;
  if (!r.read(&inflight)) return malformed();
  for (uint32_t i = 0; i < inflight; ++i) {
    int32_t channel, input;
    std::string batchBytes;
    if (!r.read(&channel) || !r.read(&input) || !r.readString(&batchBytes)) return malformed();
    auto batch = deserializeBatch(batchBytes);
    if (!batch.isOk())
      return Status::corruption("checkpoint file '" + path.string() +
                                "': in-flight batch: " + batch.status().message());
    s.inFlight.push_back({channel, input, std::move(*batch)});
  }
  if (!r.atEnd()) return malformed();
  return s;
}

Status writeMetadata(const fs::path& checkpointDir, const CheckpointMetadata& m) {
  std::string out;
  writeHeader(out, kMetadataMagic, kMetadataFormatVersion);
  BinaryWriter w(out);
  w.write<int64_t>(m.checkpointId);
  w.write<int64_t>(m.timestampMillis);
  w.write<uint8_t>(m.savepoint ? 1 : 0);
  w.write<uint8_t>(m.unaligned ? 1 : 0);
  w.write<int32_t>(m.maxParallelism);
  w.write<uint32_t>(static_cast<uint32_t>(m.entries.size()));
  for (const auto& e : m.entries) {
    w.writeString(e.uid);
    w.write<int32_t>(e.subtask);
    w.write<int32_t>(e.parallelism);
    w.writeString(e.file);
    w.write<uint64_t>(e.size);
    w.write<uint64_t>(e.checksum);
    w.write<uint32_t>(static_cast<uint32_t>(e.sharedFiles.size()));
    for (const auto& f : e.sharedFiles) w.writeString(f);
    w.write<uint64_t>(e.bytesWritten);
    w.write<uint8_t>(e.hasInFlightData ? 1 : 0);
  }
  appendChecksum(out);
  const fs::path tmp = checkpointDir / "_metadata.inprogress";
  GLINT_RETURN_IF_ERROR(writeDurably(tmp, out));
  std::error_code ec;
  fs::rename(tmp, checkpointDir / kMetadataName, ec);
  if (ec)
    return Status::ioError("cannot publish checkpoint metadata in '" + checkpointDir.string() +
                           "': " + ec.message());
  syncDirectory(checkpointDir);
  return Status::ok();
}

Result<CheckpointMetadata> readMetadata(const fs::path& checkpointDir) {
  const fs::path path = checkpointDir / kMetadataName;
  if (!fs::exists(path))
    return Status::notFound("'" + checkpointDir.string() +
                            "' is not a complete checkpoint or savepoint (no _metadata)");
  auto bytes = readWhole(path);
  if (!bytes.isOk()) return bytes.status();
  uint16_t version;
  auto body = verifyFile(*bytes, kMetadataMagic, kMetadataFormatVersion, path, &version);
  if (!body.isOk()) return body.status();
  BinaryReader r(*body);
  CheckpointMetadata m;
  uint8_t savepoint, unaligned;
  int32_t maxPar;
  uint32_t n;
  auto malformed = [&] { return Status::corruption("checkpoint file '" + path.string() + "' is malformed"); };
  if (!r.read(&m.checkpointId) || !r.read(&m.timestampMillis) || !r.read(&savepoint) ||
      !r.read(&unaligned) || !r.read(&maxPar) || !r.read(&n))
    return malformed();
  m.savepoint = savepoint;
  m.unaligned = unaligned;
  m.maxParallelism = maxPar;
  for (uint32_t i = 0; i < n; ++i) {
    StateFileEntry e;
    int32_t subtask, parallelism;
    uint32_t shared;
    uint8_t inflight;
    if (!r.readString(&e.uid) || !r.read(&subtask) || !r.read(&parallelism) ||
        !r.readString(&e.file) || !r.read(&e.size) || !r.read(&e.checksum) || !r.read(&shared))
      return malformed();
    for (uint32_t j = 0; j < shared; ++j) {
      std::string f;
      if (!r.readString(&f)) return malformed();
      e.sharedFiles.push_back(std::move(f));
    }
    if (!r.read(&e.bytesWritten) || !r.read(&inflight)) return malformed();
    e.subtask = subtask;
    e.parallelism = parallelism;
    e.hasInFlightData = inflight;
    m.entries.push_back(std::move(e));
  }
  if (!r.atEnd()) return malformed();
  return m;
}

}  // namespace checkpoint_files

Status CheckpointStorage::init() {
  std::error_code ec;
  fs::create_directories(sharedDir(), ec);
  if (ec)
    return Status::ioError("cannot create checkpoint directory '" + root_.string() + "': " +
                           ec.message());
  return Status::ok();
}

namespace {
// "chk-12" -> 12, anything else -> -1.
int64_t checkpointIdOf(const fs::path& p) {
  const std::string name = p.filename().string();
  if (name.rfind("chk-", 0) != 0) return -1;
  int64_t id = 0;
  for (size_t i = 4; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return -1;
    id = id * 10 + (name[i] - '0');
  }
  return name.size() > 4 ? id : -1;
}
}  // namespace

std::vector<int64_t> CheckpointStorage::completedCheckpoints() const {
  std::vector<int64_t> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root_, ec)) {
    const int64_t id = checkpointIdOf(e.path());
    if (id >= 0 && fs::exists(e.path() / checkpoint_files::kMetadataName)) ids.push_back(id);
  }
  std::sort(ids.rbegin(), ids.rend());
  return ids;
}

int64_t CheckpointStorage::highestCheckpointId() const {
  int64_t max = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root_, ec)) max = std::max(max, checkpointIdOf(e.path()));
  return max;
}

void CheckpointStorage::removeIncomplete(int64_t aboveOrAt) const {
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(root_, ec)) {
    const int64_t id = checkpointIdOf(e.path());
    if (id >= aboveOrAt && id >= 0 && !fs::exists(e.path() / checkpoint_files::kMetadataName))
      doomed.push_back(e.path());
  }
  for (const auto& p : doomed) fs::remove_all(p, ec);
}

void CheckpointStorage::removeCheckpoint(int64_t id) const {
  std::error_code ec;
  fs::remove_all(checkpointDir(id), ec);
}

void CheckpointStorage::retain(int numRetained, int64_t firstOwnedId) const {
  const auto ids = completedCheckpoints();  // newest first
  std::set<std::string> kept, dropped;
  std::vector<int64_t> doomed;
  int owned = 0;
  for (int64_t id : ids) {
    auto m = checkpoint_files::readMetadata(checkpointDir(id));
    const bool drop = id >= firstOwnedId && ++owned > numRetained;
    if (drop) doomed.push_back(id);
    if (!m.isOk()) continue;
    auto& into = drop ? dropped : kept;
    for (const auto& e : m->entries) into.insert(e.sharedFiles.begin(), e.sharedFiles.end());
  }
  // Metadata goes first, so a crash midway never leaves a checkpoint that looks complete but
  // lost files.
  std::error_code ec;
  for (int64_t id : doomed) {
    fs::remove(checkpointDir(id) / checkpoint_files::kMetadataName, ec);
    fs::remove_all(checkpointDir(id), ec);
  }
  for (const auto& f : dropped)
    if (!kept.count(f)) fs::remove(root_ / f, ec);
}

namespace {
Result<RestoredCheckpoint> loadOne(const fs::path& dir, const fs::path& root) {
  auto m = checkpoint_files::readMetadata(dir);
  if (!m.isOk()) return m.status();
  RestoredCheckpoint c;
  c.directory = dir;
  c.root = root;
  c.metadata = std::move(*m);
  for (const auto& e : c.metadata.entries) {
    auto s = checkpoint_files::readOperatorState(dir, e);
    if (!s.isOk()) return s.status();
    for (const auto& f : s->keyedHandle.files)
      if (!fs::exists(root / f.relativePath))
        return Status::corruption("checkpoint '" + dir.string() + "' refers to missing file '" +
                                  (root / f.relativePath).string() + "'");
    if (s->hasKeyedState && s->keyedHandle.kind == KeyedStateHandle::Kind::kNative)
      GLINT_RETURN_IF_ERROR(verifyNativeFiles(s->keyedHandle, root));
    c.operators.push_back(std::move(*s));
  }
  return c;
}
}  // namespace

Result<RestoredCheckpoint> loadCheckpoint(const fs::path& path, std::vector<std::string>* notes) {
  if (!fs::exists(path)) return Status::notFound("no checkpoint or savepoint at '" + path.string() + "'");
  if (fs::exists(path / checkpoint_files::kMetadataName)) return loadOne(path, path.parent_path());
  CheckpointStorage storage(path);
  const auto ids = storage.completedCheckpoints();
  if (ids.empty())
    return Status::notFound("'" + path.string() +
                            "' holds no complete checkpoint (no chk-<n>/_metadata)");
  std::string errors;
  for (int64_t id : ids) {
    auto c = loadOne(storage.checkpointDir(id), path);
    if (c.isOk()) return c;
    const std::string note = "skipping checkpoint " + std::to_string(id) + ": " + c.status().message();
    if (notes) notes->push_back(note);
    errors += "\n  " + note;
  }
  return Status::corruption("no complete checkpoint in '" + path.string() + "' could be read:" + errors);
}

}  // namespace glint
