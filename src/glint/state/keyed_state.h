#pragma once
// Keyed state: values scoped by (current key, namespace), as in Flink. The namespace is
// VoidNamespace for plain keyed state and the window for window state. The interfaces are
// backend-neutral (value()/update(), no references into storage), so a RocksDB backend can
// implement them over serialized bytes (issue: state backends); the heap backend here keeps
// objects in per-key-group hash maps, so snapshots and rescaling can cut out key-group ranges.
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
#include "glint/state/state_map.h"

namespace glint {

template <class T>
class ValueState {
 public:
  virtual ~ValueState() = default;
  virtual std::optional<T> value() const = 0;
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

// The current key/namespace and the states of one keyed operator instance.
class KeyedStateBackend {
 public:
  KeyedStateBackend(KeyGroupRange keyGroups, int maxParallelism)
      : keyGroups_(keyGroups), maxParallelism_(maxParallelism) {}
  virtual ~KeyedStateBackend() = default;

  // Setting the key (or namespace) it already has costs a comparison and keeps the states'
  // cached entries valid.
  void setCurrentKey(std::string_view key) {
    if (hasKey_ && bytesEqual(key, currentKey_)) return;
    setCurrentKeyWithHash(key, hashBytes(key));
    GLINT_CHECK(keyGroups_.contains(currentKeyGroup_));
  }
  // With the key's hashBytes already at hand (the key group follows from it).
  void setCurrentKeyWithHash(std::string_view key, uint64_t keyHash) {
    if (hasKey_ && keyHashValid_ && keyHash == currentKeyHash_ && bytesEqual(key, currentKey_)) return;
    currentKey_.assign(key.data(), key.size());
    currentKeyHash_ = keyHash;
    keyHashValid_ = true;
    currentKeyGroup_ = keyGroupForHash(keyHash, maxParallelism_);
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

  template <class T>
  ValueState<T>* valueState(const std::string& name);
  template <class T>
  ListState<T>* listState(const std::string& name);
  template <class K, class V>
  MapState<K, V>* mapState(const std::string& name);
  template <class IN, class ACC>
  AggregatingState<IN, ACC>* aggregatingState(const std::string& name, std::function<ACC()> create,
                                              std::function<void(ACC&, const IN&)> add);
  template <class T>
  ReducingState<T>* reducingState(const std::string& name, std::function<T(const T&, const T&)> reduce);

  // Number of (key, namespace) entries across all states, for tests and metrics.
  size_t numEntries() const;

  struct StateBase {
    virtual ~StateBase() = default;
    virtual size_t numEntries() const = 0;
  };

 protected:
  template <class S>
  S* registerState(const std::string& name, std::function<std::unique_ptr<S>()> make);

  KeyGroupRange keyGroups_;
  int maxParallelism_;
  std::string currentKey_;
  int currentKeyGroup_ = 0;
  bool hasKey_ = false;
  mutable bool keyHashValid_ = false;
  mutable uint64_t currentKeyHash_ = 0;
  StateNamespace currentNamespace_;
  uint64_t version_ = 1;
  std::map<std::string, std::unique_ptr<StateBase>> states_;

  template <class V>
  friend class HeapStateTable;
};

// ---------------------------------------------------------------------------------------------
// Heap backend: one StateMap (open addressing, state_map.h) per key group, keyed by (key bytes,
// namespace). Each state caches the entry of its last lookup under the backend's context
// version, so value() followed by update() of the same (key, namespace) probes once.

template <class V>
class HeapStateTable {
 public:
  using Map = StateMap<V>;
  explicit HeapStateTable(const KeyedStateBackend* backend)
      : backend_(backend), tables_(static_cast<size_t>(backend->keyGroups().size())) {}

  V* find() const {
    Map& map = lookup();
    return cache_.pos == Map::kAbsent ? nullptr : &map.at(static_cast<size_t>(cache_.pos)).value;
  }
  template <class Create>
  V& getOrCreate(Create&& create) {
    Map& map = lookup();
    if (cache_.pos == Map::kAbsent) insert(map, create());
    return map.at(static_cast<size_t>(cache_.pos)).value;
  }
  void put(V&& value) {
    Map& map = lookup();
    if (cache_.pos == Map::kAbsent)
      insert(map, std::move(value));
    else
      map.at(static_cast<size_t>(cache_.pos)).value = std::move(value);
  }
  void put(const V& value) {
    Map& map = lookup();
    if (cache_.pos == Map::kAbsent)
      insert(map, value);
    else
      map.at(static_cast<size_t>(cache_.pos)).value = value;
  }
  void erase() {
    Map& map = lookup();
    if (cache_.pos == Map::kAbsent) return;
    map.eraseAt(static_cast<size_t>(cache_.pos));
    cache_.map = nullptr;
  }
  size_t size() const {
    size_t n = 0;
    for (auto& t : tables_) n += t.size();
    return n;
  }
  // The map of one key group (for snapshots and tests).
  const Map& keyGroupMap(int keyGroup) const { return tables_[static_cast<size_t>(keyGroup - backend_->keyGroups().first)]; }

 private:
  // Looks up the backend's current (key, namespace) unless the cache already holds it.
  Map& lookup() const {
    const uint64_t version = backend_->contextVersion();
    if (cache_.map != nullptr && cache_.version == version && cache_.mods == cache_.map->modifications())
      return *cache_.map;
    Map& map = const_cast<Map&>(tables_[static_cast<size_t>(backend_->currentKeyGroup() - backend_->keyGroups().first)]);
    const StateNamespace ns = backend_->currentNamespace();
    cache_.hash = Map::hashOf(backend_->currentKeyHash(), ns);
    cache_.pos = map.find(backend_->currentKey(), ns, cache_.hash, &cache_.slot);
    cache_.map = &map;
    cache_.version = version;
    cache_.mods = map.modifications();
    return map;
  }
  template <class T>
  void insert(Map& map, T&& value) {
    cache_.pos = static_cast<int64_t>(
        map.insert(backend_->currentKey(), backend_->currentNamespace(), cache_.hash, cache_.slot, std::forward<T>(value)));
    cache_.mods = map.modifications();
  }

  struct Cache {
    Map* map = nullptr;
    uint64_t version = 0;
    uint64_t mods = 0;
    uint64_t hash = 0;
    int64_t pos = Map::kAbsent;
    size_t slot = SIZE_MAX;
  };
  const KeyedStateBackend* backend_;
  std::vector<Map> tables_;
  mutable Cache cache_;
};

template <class T>
class HeapValueState final : public ValueState<T>, public KeyedStateBackend::StateBase {
 public:
  explicit HeapValueState(const KeyedStateBackend* b) : table_(b) {}
  std::optional<T> value() const override {
    if (T* v = table_.find()) return *v;
    return std::nullopt;
  }
  void update(const T& value) override { table_.put(value); }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }
  const HeapStateTable<T>& table() const { return table_; }

 private:
  HeapStateTable<T> table_;
};

template <class T>
class HeapListState final : public ListState<T>, public KeyedStateBackend::StateBase {
 public:
  explicit HeapListState(const KeyedStateBackend* b) : table_(b) {}
  void add(const T& value) override {
    table_.getOrCreate([] { return std::vector<T>(); }).push_back(value);
  }
  std::vector<T> get() const override {
    if (auto* v = table_.find()) return *v;
    return {};
  }
  void update(std::vector<T> values) override {
    if (values.empty())
      table_.erase();
    else
      table_.put(std::move(values));
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }

 private:
  HeapStateTable<std::vector<T>> table_;
};

template <class K, class V>
class HeapMapState final : public MapState<K, V>, public KeyedStateBackend::StateBase {
 public:
  explicit HeapMapState(const KeyedStateBackend* b) : table_(b) {}
  std::optional<V> get(const K& key) const override {
    if (auto* m = table_.find()) {
      auto it = m->find(key);
      if (it != m->end()) return it->second;
    }
    return std::nullopt;
  }
  void put(const K& key, const V& value) override {
    table_.getOrCreate([] { return std::map<K, V>(); })[key] = value;
  }
  void remove(const K& key) override {
    if (auto* m = table_.find()) {
      m->erase(key);
      if (m->empty()) table_.erase();
    }
  }
  bool contains(const K& key) const override {
    auto* m = table_.find();
    return m && m->count(key);
  }
  bool isEmpty() const override { return table_.find() == nullptr; }
  void forEach(const std::function<void(const K&, const V&)>& visit) const override {
    if (auto* m = table_.find())
      for (const auto& [k, v] : *m) visit(k, v);
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }

 private:
  HeapStateTable<std::map<K, V>> table_;
};

template <class IN, class ACC>
class HeapAggregatingState final : public AggregatingState<IN, ACC>, public KeyedStateBackend::StateBase {
 public:
  HeapAggregatingState(const KeyedStateBackend* b, std::function<ACC()> create, std::function<void(ACC&, const IN&)> add)
      : table_(b), create_(std::move(create)), add_(std::move(add)) {}
  void add(const IN& value) override { add_(table_.getOrCreate(create_), value); }
  std::optional<ACC> get() const override {
    if (auto* v = table_.find()) return *v;
    return std::nullopt;
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }

 private:
  HeapStateTable<ACC> table_;
  std::function<ACC()> create_;
  std::function<void(ACC&, const IN&)> add_;
};

// The first value added is stored as it is; later ones are reduced into it.
template <class T>
class HeapReducingState final : public ReducingState<T>, public KeyedStateBackend::StateBase {
 public:
  HeapReducingState(const KeyedStateBackend* b, std::function<T(const T&, const T&)> reduce)
      : table_(b), reduce_(std::move(reduce)) {}
  void add(const T& value) override {
    if (T* current = table_.find())
      *current = reduce_(*current, value);
    else
      table_.put(value);
  }
  std::optional<T> get() const override {
    if (auto* v = table_.find()) return *v;
    return std::nullopt;
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }

 private:
  HeapStateTable<T> table_;
  std::function<T(const T&, const T&)> reduce_;
};

template <class S>
S* KeyedStateBackend::registerState(const std::string& name, std::function<std::unique_ptr<S>()> make) {
  auto it = states_.find(name);
  if (it != states_.end()) {
    auto* existing = dynamic_cast<S*>(it->second.get());
    if (!existing) throw GlintError("state '" + name + "' is already registered with a different type");
    return existing;
  }
  auto state = make();
  S* raw = state.get();
  states_.emplace(name, std::move(state));
  return raw;
}

template <class T>
ValueState<T>* KeyedStateBackend::valueState(const std::string& name) {
  return registerState<HeapValueState<T>>(name, [this] { return std::make_unique<HeapValueState<T>>(this); });
}
template <class T>
ListState<T>* KeyedStateBackend::listState(const std::string& name) {
  return registerState<HeapListState<T>>(name, [this] { return std::make_unique<HeapListState<T>>(this); });
}
template <class K, class V>
MapState<K, V>* KeyedStateBackend::mapState(const std::string& name) {
  return registerState<HeapMapState<K, V>>(name, [this] { return std::make_unique<HeapMapState<K, V>>(this); });
}
template <class IN, class ACC>
AggregatingState<IN, ACC>* KeyedStateBackend::aggregatingState(const std::string& name, std::function<ACC()> create,
                                                               std::function<void(ACC&, const IN&)> add) {
  return registerState<HeapAggregatingState<IN, ACC>>(name, [&] {
    return std::make_unique<HeapAggregatingState<IN, ACC>>(this, std::move(create), std::move(add));
  });
}
template <class T>
ReducingState<T>* KeyedStateBackend::reducingState(const std::string& name,
                                                   std::function<T(const T&, const T&)> reduce) {
  return registerState<HeapReducingState<T>>(
      name, [&] { return std::make_unique<HeapReducingState<T>>(this, std::move(reduce)); });
}

inline size_t KeyedStateBackend::numEntries() const {
  size_t n = 0;
  for (const auto& [name, s] : states_) n += s->numEntries();
  return n;
}

}  // namespace glint
