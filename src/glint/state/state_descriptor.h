#pragma once
// What describes a registered keyed state besides its name and types: its kind (persisted in
// snapshots) and its time-to-live.
#include <cstdint>

namespace glint {

// Time-to-live of state entries, as Flink's StateTtlConfig (processing time; ttlMillis 0 = no
// TTL). An entry expires when lastAccess + ttlMillis <= now; lastAccess is set when the entry
// is created or written, and with kOnReadAndWrite also when it is read. List elements and map
// entries expire one by one.
struct StateTtlConfig {
  enum class UpdateType : uint8_t { kOnCreateAndWrite, kOnReadAndWrite };
  enum class Visibility : uint8_t {
    kNeverReturnExpired,
    // An expired value still present is returned once by the read that then removes it.
    kReturnExpiredIfNotCleanedUp
  };
  int64_t ttlMillis = 0;
  UpdateType updateType = UpdateType::kOnCreateAndWrite;
  Visibility visibility = Visibility::kNeverReturnExpired;
  bool enabled() const { return ttlMillis > 0; }
};

// The kind of a registered state, as persisted in snapshots (never renumber).
enum class StateKind : uint8_t { kValue = 1, kList = 2, kMap = 3, kAggregating = 4, kReducing = 5 };
// Value, aggregating and reducing state all store one value per (key, namespace), so restored
// data of one of them may be registered as another.
inline bool sameStateStorage(StateKind a, StateKind b) {
  auto single = [](StateKind k) { return k != StateKind::kList && k != StateKind::kMap; };
  return a == b || (single(a) && single(b));
}
const char* stateKindName(StateKind kind);

}  // namespace glint
