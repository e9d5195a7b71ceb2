#pragma once
// Keyed state: values scoped by (current key, namespace), as in Flink. The namespace is
// VoidNamespace for plain keyed state and the window for window state. The interfaces are
// backend-neutral (value()/update(), no references into storage).
//
// KeyedStateBackend holds the current key and namespace and hands out state handles. Two
// implementations: HeapKeyedStateBackend (heap_keyed_state_backend.h: objects in per-key-group
// hash maps, heap_state.h) and the RocksDB backend (state/rocksdb/), which implements the raw
// byte store of serialized_state.h. The templated accessors cannot be virtual, so they dispatch
// on the backend's storage: heap -> Heap*State<T> (direct object access, cached entry),
// serialized -> Serialized*State<T> (StateSerializer<T> bytes). Snapshots: state_snapshot.h,
// canonical format: canonical_format.h, creating a backend from options: state_backend.h.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "glint/common/status.h"
#include "glint/state/key_group.h"
#include "glint/state/state_descriptor.h"
#include "glint/state/state_map.h"
#include "glint/state/state_snapshot.h"

namespace glint {

template <class T>
class ValueState {
 public:
  virtual ~ValueState() = default;
  virtual std::optional<T> value() const = 0;
  // The value assigned to `out` (which keeps its storage: no allocation per read of a string
  // or vector that fits), or false when there is none.
  virtual bool valueInto(T& out) const {
    std::optional<T> v = value();
    if (!v) return false;
    out = std::move(*v);
    return true;
  }
  virtual void update(const T& value) = 0;
  virtual void clear() = 0;
};

template <class T>
class ListState {
 public:
  virtual ~ListState() = default;
  // Appends without reading the list back (cheap on every backend).
  virtual void add(const T& value) = 0;
  virtual std::vector<T> get() const = 0;
  virtual void update(std::vector<T> values) = 0;
  virtual void clear() = 0;
};

template <class K, class V>
class MapState {
 public:
  virtual ~MapState() = default;
  virtual std::optional<V> get(const K& key) const = 0;
  virtual void put(const K& key, const V& value) = 0;
  virtual void remove(const K& key) = 0;
  virtual bool contains(const K& key) const = 0;
  virtual bool isEmpty() const = 0;
  // Visits the entries in key order.
  virtual void forEach(const std::function<void(const K&, const V&)>& visit) const = 0;
  virtual void clear() = 0;
};

// Folds added values into one with a reduce function (ReducingState) or into an accumulator
// with an add function (AggregatingState, where IN may differ from ACC).
template <class IN, class ACC>
class AggregatingState {
 public:
  virtual ~AggregatingState() = default;
  virtual void add(const IN& value) = 0;
  virtual std::optional<ACC> get() const = 0;
  virtual void clear() = 0;
};
template <class T>
using ReducingState = AggregatingState<T, T>;

class RawStateStore;

// The current key/namespace and the states of one keyed operator instance.
class KeyedStateBackend {
 public:
  virtual ~KeyedStateBackend() = default;
  KeyedStateBackend(const KeyedStateBackend&) = delete;
  KeyedStateBackend& operator=(const KeyedStateBackend&) = delete;

  // Setting the key (or namespace) it already has costs a comparison and keeps the states'
  // cached entries valid.
  void setCurrentKey(std::string_view key) {
    if (hasKey_ && bytesEqual(key, currentKey_)) return;
    setCurrentKeyWithHash(key, hashBytes(key));
    GLINT_CHECK(keyGroups_.contains(currentKeyGroup_));
  }
  // With the key's hashBytes already at hand (the key group follows from it).
  void setCurrentKeyWithHash(std::string_view key, uint64_t keyHash) {
    if (hasKey_ && keyHashValid_ && keyHash == currentKeyHash_ && bytesEqual(key, currentKey_))
      return;
    currentKey_.assign(key.data(), key.size());
    currentKeyHash_ = keyHash;
    keyHashValid_ = true;
    currentKeyGroup_ = keyGroupForHash(keyHash, maxParallelism_);
    hasKey_ = true;
    ++version_;
  }
  // With the key group given too (an operator whose key groups follow part of its key).
  void setCurrentKeyWithHash(std::string_view key, uint64_t keyHash, int keyGroup) {
    if (hasKey_ && keyHashValid_ && keyHash == currentKeyHash_ && bytesEqual(key, currentKey_))
      return;
    currentKey_.assign(key.data(), key.size());
    currentKeyHash_ = keyHash;
    keyHashValid_ = true;
    currentKeyGroup_ = keyGroup;
    hasKey_ = true;
    ++version_;
  }
  void setCurrentKey(std::string_view key, int keyGroup) {
    if (hasKey_ && bytesEqual(key, currentKey_)) return;
    currentKey_.assign(key.data(), key.size());
    currentKeyGroup_ = keyGroup;
    keyHashValid_ = false;
    hasKey_ = true;
    ++version_;
  }
  const std::string& currentKey() const { return currentKey_; }
  int currentKeyGroup() const { return currentKeyGroup_; }
  // hashBytes(currentKey()), computed at most once per key.
  uint64_t currentKeyHash() const {
    if (!keyHashValid_) {
      currentKeyHash_ = hashBytes(currentKey_);
      keyHashValid_ = true;
    }
    return currentKeyHash_;
  }
  void setCurrentNamespace(StateNamespace ns) {
    if (ns == currentNamespace_) return;
    currentNamespace_ = ns;
    ++version_;
  }
  StateNamespace currentNamespace() const { return currentNamespace_; }
  // Changes whenever the current key or namespace changes (states cache their last entry
  // under it).
  uint64_t contextVersion() const { return version_; }
  const KeyGroupRange& keyGroups() const { return keyGroups_; }
  int maxParallelism() const { return maxParallelism_; }

  // State handles, created on first use and owned by the backend. Asking again for a name
  // returns the same handle; asking with another type throws GlintError. Every value type
  // needs a StateSerializer (state_serializer.h), map keys an OrderedKeyCodec.
  template <class T>
  ValueState<T>* valueState(const std::string& name, const StateTtlConfig& ttl = {});
  template <class T>
  ListState<T>* listState(const std::string& name, const StateTtlConfig& ttl = {});
  template <class K, class V>
  MapState<K, V>* mapState(const std::string& name, const StateTtlConfig& ttl = {});
  template <class IN, class ACC>
  AggregatingState<IN, ACC>* aggregatingState(const std::string& name, std::function<ACC()> create,
                                              std::function<void(ACC&, const IN&)> add) {
    return aggregatingState<IN, ACC>(name, StateTtlConfig{}, std::move(create), std::move(add));
  }
  template <class IN, class ACC>
  AggregatingState<IN, ACC>* aggregatingState(const std::string& name, const StateTtlConfig& ttl,
                                              std::function<ACC()> create,
                                              std::function<void(ACC&, const IN&)> add);
  template <class T>
  ReducingState<T>* reducingState(const std::string& name,
                                  std::function<T(const T&, const T&)> reduce) {
    return reducingState<T>(name, StateTtlConfig{}, std::move(reduce));
  }
  template <class T>
  ReducingState<T>* reducingState(const std::string& name, const StateTtlConfig& ttl,
                                  std::function<T(const T&, const T&)> reduce);

  // Number of (key, namespace) entries across all registered states, for tests and metrics
  // (expired entries not yet cleaned up count too).
  virtual size_t numEntries() const;

  // ---- state TTL
  // The processing-time clock of TTL (milliseconds); the system clock unless replaced (tests).
  // Set it before registering states.
  void setTtlTimeProvider(std::function<int64_t()> now) { ttlTimeProvider_ = std::move(now); }
  int64_t ttlNow() const {
    if (ttlTimeProvider_) return ttlTimeProvider_();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // ---- checkpoints (state_snapshot.h)
  // Synchronous part, called on the task thread at the barrier; must be quick. The returned
  // task is run once, on another thread, while processing continues.
  virtual std::unique_ptr<KeyedStateSnapshotTask> snapshot(int64_t checkpointId,
                                                           const SnapshotLocation& location) = 0;
  virtual void notifyCheckpointComplete(int64_t checkpointId) {}
  virtual void notifyCheckpointAborted(int64_t checkpointId) {}
  // Called once after construction and before any state is registered. Handles may come from a
  // job with another parallelism (any key-group ranges, canonical or native, heap or RocksDB
  // origin); the backend takes exactly the key groups in its own range from them.
  virtual Status restore(const std::vector<KeyedStateHandle>& handles,
                         const std::filesystem::path& checkpointRoot) = 0;

  struct StateBase {
    virtual ~StateBase() = default;
    virtual size_t numEntries() const = 0;
  };

  // Copy-on-write snapshots (heap backend): true when a running snapshot still has to read key
  // group `keyGroup`; heap states call thawKeyGroup() before they touch such a key group.
  bool keyGroupFrozen(int keyGroup) const {
    return frozen_ != nullptr &&
           frozen_[keyGroup - keyGroups_.first].load(std::memory_order_acquire) != 0;
  }
  virtual void thawKeyGroup(int keyGroup) const {}

 protected:
  enum class Storage { kHeap, kSerialized };
  KeyedStateBackend(KeyGroupRange keyGroups, int maxParallelism, Storage storage)
      : keyGroups_(keyGroups), maxParallelism_(maxParallelism), storage_(storage) {}

  // The byte store of serialized backends (nullptr for the heap backend).
  virtual RawStateStore* rawStore() { return nullptr; }
  // Called when a state handle is created, before it is returned (the heap backend feeds it
  // the restored entries of its name here). May throw GlintError.
  virtual void onStateCreated(const std::string& name, StateKind kind, const StateTtlConfig& ttl,
                              StateBase* state) {}

  template <class S, class Make>
  S* registerState(const std::string& name, StateKind kind, const StateTtlConfig& ttl, Make&& make);

  KeyGroupRange keyGroups_;
  int maxParallelism_;
  Storage storage_;
  std::string currentKey_;
  int currentKeyGroup_ = 0;
  bool hasKey_ = false;
  mutable bool keyHashValid_ = false;
  mutable uint64_t currentKeyHash_ = 0;
  StateNamespace currentNamespace_;
  uint64_t version_ = 1;
  std::map<std::string, std::unique_ptr<StateBase>> states_;
  std::function<int64_t()> ttlTimeProvider_;
  // One flag per key group of the range while a copy-on-write snapshot runs (else null).
  std::atomic<uint8_t>* frozen_ = nullptr;

  template <class V>
  friend class HeapStateTable;
};

}  // namespace glint

// The state implementations of both kinds of backend (they need KeyedStateBackend complete).
#include "glint/state/heap_state.h"        // IWYU pragma: export
#include "glint/state/serialized_state.h"  // IWYU pragma: export

namespace glint {

template <class S, class Make>
S* KeyedStateBackend::registerState(const std::string& name, StateKind kind,
                                    const StateTtlConfig& ttl, Make&& make) {
  auto it = states_.find(name);
  if (it != states_.end()) {
    auto* existing = dynamic_cast<S*>(it->second.get());
    if (!existing)
      throw GlintError("state '" + name + "' is already registered with a different type");
    return existing;
  }
  std::unique_ptr<S> state = make();
  S* raw = state.get();
  onStateCreated(name, kind, ttl, raw);
  states_.emplace(name, std::move(state));
  return raw;
}

template <class T>
ValueState<T>* KeyedStateBackend::valueState(const std::string& name, const StateTtlConfig& ttl) {
  constexpr StateKind kind = StateKind::kValue;
  if (storage_ == Storage::kHeap) {
    if (ttl.enabled())
      return registerState<HeapValueState<T, true>>(
          name, kind, ttl, [&] { return std::make_unique<HeapValueState<T, true>>(this, ttl); });
    return registerState<HeapValueState<T>>(
        name, kind, ttl, [&] { return std::make_unique<HeapValueState<T>>(this); });
  }
  return registerState<SerializedValueState<T>>(name, kind, ttl, [&] {
    return std::make_unique<SerializedValueState<T>>(this, rawStore(), name, ttl);
  });
}

template <class T>
ListState<T>* KeyedStateBackend::listState(const std::string& name, const StateTtlConfig& ttl) {
  constexpr StateKind kind = StateKind::kList;
  if (storage_ == Storage::kHeap) {
    if (ttl.enabled())
      return registerState<HeapListState<T, true>>(
          name, kind, ttl, [&] { return std::make_unique<HeapListState<T, true>>(this, ttl); });
    return registerState<HeapListState<T>>(
        name, kind, ttl, [&] { return std::make_unique<HeapListState<T>>(this); });
  }
  return registerState<SerializedListState<T>>(name, kind, ttl, [&] {
    return std::make_unique<SerializedListState<T>>(this, rawStore(), name, ttl);
  });
}

template <class K, class V>
MapState<K, V>* KeyedStateBackend::mapState(const std::string& name, const StateTtlConfig& ttl) {
  constexpr StateKind kind = StateKind::kMap;
  if (storage_ == Storage::kHeap) {
    if (ttl.enabled())
      return registerState<HeapMapState<K, V, true>>(
          name, kind, ttl, [&] { return std::make_unique<HeapMapState<K, V, true>>(this, ttl); });
    return registerState<HeapMapState<K, V>>(
        name, kind, ttl, [&] { return std::make_unique<HeapMapState<K, V>>(this); });
  }
  return registerState<SerializedMapState<K, V>>(name, kind, ttl, [&] {
    return std::make_unique<SerializedMapState<K, V>>(this, rawStore(), name, ttl);
  });
}

template <class IN, class ACC>
AggregatingState<IN, ACC>* KeyedStateBackend::aggregatingState(
    const std::string& name, const StateTtlConfig& ttl, std::function<ACC()> create,
    std::function<void(ACC&, const IN&)> add) {
  constexpr StateKind kind = StateKind::kAggregating;
  if (storage_ == Storage::kHeap) {
    if (ttl.enabled())
      return registerState<HeapAggregatingState<IN, ACC, true>>(name, kind, ttl, [&] {
        return std::make_unique<HeapAggregatingState<IN, ACC, true>>(this, std::move(create),
                                                                     std::move(add), ttl);
      });
    return registerState<HeapAggregatingState<IN, ACC>>(name, kind, ttl, [&] {
      return std::make_unique<HeapAggregatingState<IN, ACC>>(this, std::move(create),
                                                             std::move(add));
    });
  }
  return registerState<SerializedAggregatingState<IN, ACC>>(name, kind, ttl, [&] {
    return std::make_unique<SerializedAggregatingState<IN, ACC>>(this, rawStore(), name, ttl,
                                                                 std::move(create), std::move(add));
  });
}

template <class T>
ReducingState<T>* KeyedStateBackend::reducingState(const std::string& name,
                                                   const StateTtlConfig& ttl,
                                                   std::function<T(const T&, const T&)> reduce) {
  constexpr StateKind kind = StateKind::kReducing;
  if (storage_ == Storage::kHeap) {
    if (ttl.enabled())
      return registerState<HeapReducingState<T, true>>(name, kind, ttl, [&] {
        return std::make_unique<HeapReducingState<T, true>>(this, std::move(reduce), ttl);
      });
    return registerState<HeapReducingState<T>>(name, kind, ttl, [&] {
      return std::make_unique<HeapReducingState<T>>(this, std::move(reduce));
    });
  }
  return registerState<SerializedReducingState<T>>(name, kind, ttl, [&] {
    return std::make_unique<SerializedReducingState<T>>(this, rawStore(), name, ttl,
                                                        std::move(reduce));
  });
}

inline size_t KeyedStateBackend::numEntries() const {
  size_t n = 0;
  for (const auto& [name, s] : states_) n += s->numEntries();
  return n;
}

}  // namespace glint
