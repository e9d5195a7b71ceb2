#include "glint/state/state_backend.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "glint/state/heap_keyed_state_backend.h"

namespace glint {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, KeyedStateBackendFactory> factories;
  NativeSnapshotReader nativeReader;
  NativeFileVerifier nativeVerifier;
};
Registry& registry() {
  static Registry r;
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

Result<int64_t> parseMemorySize(const std::string& text) {
  const std::string t = lower(trim(text));
  size_t digits = 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
  if (digits == 0)
    return Status::invalidArgument("memory size '" + text +
                                   "': expected a number with an optional unit");
  const std::string unit = trim(t.substr(digits));
  int shift;
  if (unit.empty() || unit == "b" || unit == "bytes")
    shift = 0;
  else if (unit == "k" || unit == "kb" || unit == "kibibytes")
    shift = 10;
  else if (unit == "m" || unit == "mb" || unit == "mebibytes")
    shift = 20;
  else if (unit == "g" || unit == "gb" || unit == "gibibytes")
    shift = 30;
  else if (unit == "t" || unit == "tb" || unit == "tebibytes")
    shift = 40;
  else
    return Status::invalidArgument("memory size '" + text + "': unknown unit '" + unit +
                                   "' (expected b, kb, mb, gb or tb)");
  if (digits > 18) return Status::invalidArgument("memory size '" + text + "' is too large");
  const int64_t number = std::stoll(t.substr(0, digits));
  if (number > (INT64_MAX >> shift))
    return Status::invalidArgument("memory size '" + text + "' is too large");
  return number << shift;
}

Result<StateBackendOptions> StateBackendOptions::fromConfig(
    const std::map<std::string, std::string>& options) {
  StateBackendOptions o;
  if (auto it = options.find("state.backend.type"); it != options.end())
    o.type = lower(trim(it->second));
  if (auto it = options.find("state.backend.incremental"); it != options.end()) {
    const std::string v = lower(trim(it->second));
    if (v != "true" && v != "false")
      return Status::invalidArgument("state.backend.incremental: expected true or false, got '" +
                                     it->second + "'");
    o.incremental = v == "true";
  }
  if (auto it = options.find("state.backend.rocksdb.localdir"); it != options.end())
    o.localDir = trim(it->second);
  if (auto it = options.find("state.backend.rocksdb.memory.fixed-per-tm"); it != options.end()) {
    auto size = parseMemorySize(it->second);
    if (!size.isOk())
      return Status::invalidArgument("state.backend.rocksdb.memory.fixed-per-tm: " +
                                     size.status().message());
    if (*size < (1 << 20))
      return Status::invalidArgument(
          "state.backend.rocksdb.memory.fixed-per-tm: at least 1mb expected, got '" + it->second +
          "'");
    o.memoryBudgetBytes = *size;
  }
  if (auto it = options.find("state.backend.rocksdb.compaction.style"); it != options.end()) {
    std::string style = trim(it->second);
    for (auto& c : style) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (style != "LEVEL" && style != "UNIVERSAL")
      return Status::invalidArgument("state.backend.rocksdb.compaction.style: expected LEVEL or "
                                     "UNIVERSAL, got '" + it->second + "'");
    o.compactionStyle = style;
  }
  if (o.type != "heap" && o.type != "rocksdb")
    return Status::invalidArgument("state.backend.type: unknown backend '" + o.type +
                                   "' (accepted: heap, rocksdb)");
  return o;
}

void registerKeyedStateBackendFactory(const std::string& type, KeyedStateBackendFactory factory) {
  std::lock_guard lock(registry().mutex);
  registry().factories[type] = std::move(factory);
}

Result<std::unique_ptr<KeyedStateBackend>> createKeyedStateBackend(
    const StateBackendOptions& options, KeyGroupRange keyGroups, int maxParallelism,
    const std::string& scopeName) {
  if (options.type == "heap")
    return std::unique_ptr<KeyedStateBackend>(
        std::make_unique<HeapKeyedStateBackend>(keyGroups, maxParallelism));
  KeyedStateBackendFactory factory;
  {
    std::lock_guard lock(registry().mutex);
    auto it = registry().factories.find(options.type);
    if (it != registry().factories.end()) factory = it->second;
  }
  if (!factory) {
    if (options.type == "rocksdb")
      return Status::invalidArgument(
          "state.backend.type: rocksdb is not linked into this program (link the glint_rocksdb "
          "object library)");
    return Status::invalidArgument("state.backend.type: unknown backend '" + options.type +
                                   "' (accepted: heap, rocksdb)");
  }
  return factory(options, keyGroups, maxParallelism, scopeName);
}

void registerNativeFileVerifier(NativeFileVerifier verifier) {
  std::lock_guard lock(registry().mutex);
  registry().nativeVerifier = std::move(verifier);
}

Status verifyNativeFiles(const KeyedStateHandle& handle, const std::filesystem::path& checkpointRoot) {
  NativeFileVerifier verifier;
  {
    std::lock_guard lock(registry().mutex);
    verifier = registry().nativeVerifier;
  }
  return verifier ? verifier(handle, checkpointRoot) : Status::ok();
}

void registerNativeSnapshotReader(NativeSnapshotReader reader) {
  std::lock_guard lock(registry().mutex);
  registry().nativeReader = std::move(reader);
}

Result<std::vector<KeyGroupBlock>> readNativeSnapshot(const KeyedStateHandle& handle,
                                                      const std::filesystem::path& checkpointRoot,
                                                      KeyGroupRange keyGroups) {
  NativeSnapshotReader reader;
  {
    std::lock_guard lock(registry().mutex);
    reader = registry().nativeReader;
  }
  if (!reader)
    return Status::invalidArgument(
        "keyed state: a native (RocksDB) snapshot needs the rocksdb backend linked into this "
        "program to be read");
  return reader(handle, checkpointRoot, keyGroups);
}

}  // namespace glint
