#pragma once
// Part of keyed_state.h (include that): the heap backend's state handles.
//
// One StateMap (open addressing, state_map.h) per key group, keyed by (key bytes, namespace).
// Each state caches the entry of its last lookup under the backend's context version, so
// value() followed by update() of the same (key, namespace) probes once.
//
// TTL is a template parameter (kTtl), so states without TTL keep exactly the code they had;
// with TTL an entry is stored with its last-access time (TtlValue), list elements and map
// entries each with their own. Expired entries are removed when read, by an incremental
// cleanup that looks at a few slots of the state's maps on every access (Flink's incremental
// cleanup), and are left out of snapshots.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "glint/state/canonical_format.h"
#include "glint/state/state_serializer.h"

namespace glint {

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
  const Map& keyGroupMap(int keyGroup) const { return tables_[indexOf(keyGroup)]; }

  // Inserts or replaces the entry of (key, ns) in a key group (restore).
  void restorePut(int keyGroup, std::string_view key, StateNamespace ns, V&& value) {
    Map& map = tables_[indexOf(keyGroup)];
    const uint64_t hash = Map::hashOf(hashBytes(key), ns);
    size_t slot;
    const int64_t pos = map.find(key, ns, hash, &slot);
    if (pos == Map::kAbsent)
      map.insert(key, ns, hash, slot, std::move(value));
    else
      map.at(static_cast<size_t>(pos)).value = std::move(value);
  }

  // Incremental cleanup: looks at the next `slots` slots of a cursor that walks every key
  // group's map round and round; drop(V&) says whether an entry goes (it may also prune the
  // value in place).
  template <class Drop>
  void cleanupSome(size_t slots, Drop&& drop) {
    for (size_t step = 0; step < slots; ++step) {
      Map& map = tables_[cleanupGroup_];
      if (cleanupSlot_ >= map.capacity()) {
        cleanupSlot_ = 0;
        cleanupGroup_ = (cleanupGroup_ + 1) % tables_.size();
        continue;
      }
      auto& e = map.at(cleanupSlot_);
      if (e.hash == 0) {
        ++cleanupSlot_;
        continue;
      }
      const int keyGroup = backend_->keyGroups().first + static_cast<int>(cleanupGroup_);
      if (backend_->keyGroupFrozen(keyGroup)) backend_->thawKeyGroup(keyGroup);
      if (drop(e.value))
        map.eraseAt(cleanupSlot_);  // a later entry may shift into this slot: look at it next
      else
        ++cleanupSlot_;
    }
  }

 private:
  size_t indexOf(int keyGroup) const {
    return static_cast<size_t>(keyGroup - backend_->keyGroups().first);
  }
  // Looks up the backend's current (key, namespace) unless the cache already holds it.
  Map& lookup() const {
    const uint64_t version = backend_->contextVersion();
    if (cache_.map != nullptr && cache_.version == version &&
        cache_.mods == cache_.map->modifications())
      return *cache_.map;
    // Off the cached path, which is enough: snapshot() changes the context version.
    const int keyGroup = backend_->currentKeyGroup();
    if (backend_->keyGroupFrozen(keyGroup)) backend_->thawKeyGroup(keyGroup);
    Map& map = const_cast<Map&>(
        tables_[static_cast<size_t>(backend_->currentKeyGroup() - backend_->keyGroups().first)]);
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
    cache_.pos =
        static_cast<int64_t>(map.insert(backend_->currentKey(), backend_->currentNamespace(),
                                        cache_.hash, cache_.slot, std::forward<T>(value)));
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
  size_t cleanupGroup_ = 0;
  size_t cleanupSlot_ = 0;
};

// What the heap backend needs of every heap state besides its typed interface.
class HeapStateBase : public KeyedStateBackend::StateBase {
 public:
  // Appends the canonical entries (canonical_format.h) of one key group, expired ones left
  // out; returns how many it wrote.
  virtual size_t writeKeyGroup(int keyGroup, int64_t now, std::string& out) const = 0;
  // Adds the entries of a restored section (same kind of storage and TTL flag); false when
  // they do not decode as this state's types.
  virtual bool restoreEntries(int keyGroup, const CanonicalSection& section) = 0;
};

// A value with its last-access time (TTL).
template <class T>
struct TtlValue {
  int64_t timestamp = 0;
  T value{};
};

// Slots looked at by the incremental TTL cleanup on each access of a state (Flink's default
// cleans up 5 entries per access; slots are cheaper to count and some are empty).
constexpr size_t kTtlCleanupSlotsPerAccess = 8;

class TtlPolicy {
 public:
  TtlPolicy(const KeyedStateBackend* backend, const StateTtlConfig& config)
      : backend_(backend), config_(config) {}
  int64_t now() const { return backend_->ttlNow(); }
  bool expired(int64_t lastAccess, int64_t now) const {
    return lastAccess <= now - config_.ttlMillis;
  }
  bool updateOnRead() const {
    return config_.updateType == StateTtlConfig::UpdateType::kOnReadAndWrite;
  }
  bool returnExpired() const {
    return config_.visibility == StateTtlConfig::Visibility::kReturnExpiredIfNotCleanedUp;
  }
  // Reads a single TtlValue of the current (key, namespace) with Flink's TTL semantics.
  template <class T>
  std::optional<T> read(HeapStateTable<TtlValue<T>>& table, int64_t now) const {
    TtlValue<T>* v = table.find();
    if (!v) return std::nullopt;
    if (expired(v->timestamp, now)) {
      std::optional<T> out;
      if (returnExpired()) out = std::move(v->value);
      table.erase();
      return out;
    }
    if (updateOnRead()) v->timestamp = now;
    return v->value;
  }

 private:
  const KeyedStateBackend* backend_;
  StateTtlConfig config_;
};

// Stored value: [i64 timestamp if TTL][StateSerializer bytes], length-prefixed into `out`.
template <class T>
void writeStoredValue(std::string& scratch, std::string& out, const T& value,
                      const int64_t* timestamp) {
  scratch.clear();
  if (timestamp) writeFixed(scratch, *timestamp);
  StateSerializer<T>::write(scratch, value);
  writeBytes(out, scratch);
}
template <class T>
bool readStoredValue(std::string_view stored, bool ttl, int64_t* timestamp, T* value) {
  std::string_view payload = stored;
  if (ttl && !splitTtlValue(stored, timestamp, &payload)) return false;
  return deserializeState(payload, value);
}

// Writes and restores single-value entries (value, aggregating, reducing state).
template <class T, bool kTtl>
size_t writeSingleValues(const HeapStateTable<std::conditional_t<kTtl, TtlValue<T>, T>>& table,
                         const TtlPolicy& ttl, int keyGroup, int64_t now, std::string& out) {
  size_t n = 0;
  std::string scratch;
  table.keyGroupMap(keyGroup).forEach([&](const auto& e) {
    if constexpr (kTtl) {
      if (ttl.expired(e.value.timestamp, now)) return;
      writeEntryHeader(out, e.key, e.ns);
      writeStoredValue(scratch, out, e.value.value, &e.value.timestamp);
    } else {
      writeEntryHeader(out, e.key, e.ns);
      writeStoredValue(scratch, out, e.value, nullptr);
    }
    ++n;
  });
  return n;
}
template <class T, bool kTtl>
bool restoreSingleValues(HeapStateTable<std::conditional_t<kTtl, TtlValue<T>, T>>& table,
                         int keyGroup, const CanonicalSection& section) {
  CanonicalEntryReader reader(section);
  CanonicalEntry e;
  for (uint64_t i = 0; i < section.numEntries; ++i) {
    if (!reader.next(&e)) return false;
    std::conditional_t<kTtl, TtlValue<T>, T> stored{};
    int64_t timestamp = 0;
    if constexpr (kTtl) {
      if (!readStoredValue(e.body, true, &stored.timestamp, &stored.value)) return false;
    } else {
      if (!readStoredValue(e.body, false, &timestamp, &stored)) return false;
    }
    table.restorePut(keyGroup, e.key, e.ns, std::move(stored));
  }
  return true;
}

template <class T, bool kTtl = false>
class HeapValueState final : public ValueState<T>, public HeapStateBase {
  using Stored = std::conditional_t<kTtl, TtlValue<T>, T>;

 public:
  explicit HeapValueState(const KeyedStateBackend* b, const StateTtlConfig& ttl = {})
      : table_(b), ttl_(b, ttl) {}
  std::optional<T> value() const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      return ttl_.read(table_, now);
    } else {
      if (T* v = table_.find()) return *v;
      return std::nullopt;
    }
  }
  bool valueInto(T& out) const override {
    if constexpr (kTtl) {
      return ValueState<T>::valueInto(out);
    } else {
      T* v = table_.find();
      if (v) out = *v;
      return v != nullptr;
    }
  }
  void update(const T& value) override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      table_.put(Stored{now, value});
    } else {
      table_.put(value);
    }
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }
  const HeapStateTable<Stored>& table() const { return table_; }
  size_t writeKeyGroup(int keyGroup, int64_t now, std::string& out) const override {
    return writeSingleValues<T, kTtl>(table_, ttl_, keyGroup, now, out);
  }
  bool restoreEntries(int keyGroup, const CanonicalSection& section) override {
    return restoreSingleValues<T, kTtl>(table_, keyGroup, section);
  }

 private:
  void cleanup(int64_t now) const {
    table_.cleanupSome(kTtlCleanupSlotsPerAccess,
                       [&](Stored& s) { return ttl_.expired(s.timestamp, now); });
  }
  mutable HeapStateTable<Stored> table_;
  TtlPolicy ttl_;
};

template <class T, bool kTtl = false>
class HeapListState final : public ListState<T>, public HeapStateBase {
  using Element = std::conditional_t<kTtl, TtlValue<T>, T>;
  using Stored = std::vector<Element>;

 public:
  explicit HeapListState(const KeyedStateBackend* b, const StateTtlConfig& ttl = {})
      : table_(b), ttl_(b, ttl) {}
  void add(const T& value) override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      table_.getOrCreate([] { return Stored(); }).push_back(Element{now, value});
    } else {
      table_.getOrCreate([] { return Stored(); }).push_back(value);
    }
  }
  std::vector<T> get() const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      Stored* v = table_.find();
      if (!v) return {};
      std::vector<T> out;
      size_t kept = 0;
      for (size_t i = 0; i < v->size(); ++i) {
        Element& e = (*v)[i];
        const bool expired = ttl_.expired(e.timestamp, now);
        if (!expired || ttl_.returnExpired()) out.push_back(e.value);
        if (expired) continue;
        if (ttl_.updateOnRead()) e.timestamp = now;
        if (kept != i) (*v)[kept] = std::move(e);
        ++kept;
      }
      v->resize(kept);
      if (kept == 0) table_.erase();
      return out;
    } else {
      if (auto* v = table_.find()) return *v;
      return {};
    }
  }
  void update(std::vector<T> values) override {
    if (values.empty()) {
      table_.erase();
    } else if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      Stored stored;
      stored.reserve(values.size());
      for (auto& v : values) stored.push_back(Element{now, std::move(v)});
      table_.put(std::move(stored));
    } else {
      table_.put(std::move(values));
    }
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }

  size_t writeKeyGroup(int keyGroup, int64_t now, std::string& out) const override {
    size_t n = 0;
    std::string scratch, elements;
    table_.keyGroupMap(keyGroup).forEach([&](const auto& e) {
      elements.clear();
      uint64_t count = 0;
      for (const Element& element : e.value) {
        if constexpr (kTtl) {
          if (ttl_.expired(element.timestamp, now)) continue;
          writeStoredValue(scratch, elements, element.value, &element.timestamp);
        } else {
          writeStoredValue(scratch, elements, element, nullptr);
        }
        ++count;
      }
      if (count == 0) return;
      writeEntryHeader(out, e.key, e.ns);
      writeVarint(out, count);
      out += elements;
      ++n;
    });
    return n;
  }
  bool restoreEntries(int keyGroup, const CanonicalSection& section) override {
    CanonicalEntryReader reader(section);
    CanonicalEntry e;
    for (uint64_t i = 0; i < section.numEntries; ++i) {
      if (!reader.next(&e)) return false;
      Stored list;
      bool ok = true;
      if (!forEachListElement(e.body,
                              [&](std::string_view stored) {
                                Element element{};
                                int64_t timestamp = 0;
                                if constexpr (kTtl)
                                  ok = ok && readStoredValue(stored, true, &element.timestamp,
                                                             &element.value);
                                else
                                  ok = ok && readStoredValue(stored, false, &timestamp, &element);
                                list.push_back(std::move(element));
                              }) ||
          !ok)
        return false;
      if (!list.empty()) table_.restorePut(keyGroup, e.key, e.ns, std::move(list));
    }
    return true;
  }

 private:
  // Drops expired elements in place; the entry goes when none is left.
  void cleanup(int64_t now) const {
    table_.cleanupSome(kTtlCleanupSlotsPerAccess, [&](Stored& list) {
      std::erase_if(list, [&](const Element& e) { return ttl_.expired(e.timestamp, now); });
      return list.empty();
    });
  }
  mutable HeapStateTable<Stored> table_;
  TtlPolicy ttl_;
};

template <class K, class V, bool kTtl = false>
class HeapMapState final : public MapState<K, V>, public HeapStateBase {
  using Element = std::conditional_t<kTtl, TtlValue<V>, V>;
  using Stored = std::map<K, Element>;

 public:
  explicit HeapMapState(const KeyedStateBackend* b, const StateTtlConfig& ttl = {})
      : table_(b), ttl_(b, ttl) {}
  std::optional<V> get(const K& key) const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      Stored* m = table_.find();
      if (!m) return std::nullopt;
      auto it = m->find(key);
      if (it == m->end()) return std::nullopt;
      if (ttl_.expired(it->second.timestamp, now)) {
        std::optional<V> out;
        if (ttl_.returnExpired()) out = std::move(it->second.value);
        m->erase(it);
        if (m->empty()) table_.erase();
        return out;
      }
      if (ttl_.updateOnRead()) it->second.timestamp = now;
      return it->second.value;
    } else {
      if (auto* m = table_.find()) {
        auto it = m->find(key);
        if (it != m->end()) return it->second;
      }
      return std::nullopt;
    }
  }
  void put(const K& key, const V& value) override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      table_.getOrCreate([] { return Stored(); })[key] = Element{now, value};
    } else {
      table_.getOrCreate([] { return Stored(); })[key] = value;
    }
  }
  void remove(const K& key) override {
    if (auto* m = table_.find()) {
      m->erase(key);
      if (m->empty()) table_.erase();
    }
  }
  bool contains(const K& key) const override {
    if constexpr (kTtl) {
      return get(key).has_value();
    } else {
      auto* m = table_.find();
      return m && m->count(key);
    }
  }
  bool isEmpty() const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      Stored* m = table_.find();
      if (!m) return true;
      std::erase_if(*m, [&](const auto& kv) { return ttl_.expired(kv.second.timestamp, now); });
      if (!m->empty()) return false;
      table_.erase();
      return true;
    } else {
      return table_.find() == nullptr;
    }
  }
  void forEach(const std::function<void(const K&, const V&)>& visit) const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      Stored* m = table_.find();
      if (!m) return;
      // Visit a copy: `visit` may change this map state.
      std::vector<std::pair<K, V>> visible;
      for (auto it = m->begin(); it != m->end();) {
        const bool expired = ttl_.expired(it->second.timestamp, now);
        if (!expired || ttl_.returnExpired()) visible.emplace_back(it->first, it->second.value);
        if (expired) {
          it = m->erase(it);
          continue;
        }
        if (ttl_.updateOnRead()) it->second.timestamp = now;
        ++it;
      }
      if (m->empty()) table_.erase();
      for (const auto& [k, v] : visible) visit(k, v);
    } else {
      if (auto* m = table_.find())
        for (const auto& [k, v] : *m) visit(k, v);
    }
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }

  size_t writeKeyGroup(int keyGroup, int64_t now, std::string& out) const override {
    size_t n = 0;
    std::string scratch, entries;
    table_.keyGroupMap(keyGroup).forEach([&](const auto& e) {
      entries.clear();
      uint64_t count = 0;
      for (const auto& [k, element] : e.value) {
        if constexpr (kTtl)
          if (ttl_.expired(element.timestamp, now)) continue;
        scratch.clear();
        OrderedKeyCodec<K>::encode(scratch, k);
        writeBytes(entries, scratch);
        if constexpr (kTtl)
          writeStoredValue(scratch, entries, element.value, &element.timestamp);
        else
          writeStoredValue(scratch, entries, element, nullptr);
        ++count;
      }
      if (count == 0) return;
      writeEntryHeader(out, e.key, e.ns);
      writeVarint(out, count);
      out += entries;
      ++n;
    });
    return n;
  }
  bool restoreEntries(int keyGroup, const CanonicalSection& section) override {
    CanonicalEntryReader reader(section);
    CanonicalEntry e;
    for (uint64_t i = 0; i < section.numEntries; ++i) {
      if (!reader.next(&e)) return false;
      Stored map;
      bool ok = true;
      if (!forEachMapEntry(
              e.body,
              [&](std::string_view userKey, std::string_view stored) {
                K k{};
                Element element{};
                int64_t timestamp = 0;
                BinaryReader keyReader(userKey);
                ok = ok && OrderedKeyCodec<K>::decode(keyReader, &k) && keyReader.atEnd();
                if constexpr (kTtl)
                  ok = ok && readStoredValue(stored, true, &element.timestamp, &element.value);
                else
                  ok = ok && readStoredValue(stored, false, &timestamp, &element);
                if (ok) map.insert_or_assign(std::move(k), std::move(element));
              }) ||
          !ok)
        return false;
      if (!map.empty()) table_.restorePut(keyGroup, e.key, e.ns, std::move(map));
    }
    return true;
  }

 private:
  void cleanup(int64_t now) const {
    table_.cleanupSome(kTtlCleanupSlotsPerAccess, [&](Stored& map) {
      std::erase_if(map, [&](const auto& kv) { return ttl_.expired(kv.second.timestamp, now); });
      return map.empty();
    });
  }
  mutable HeapStateTable<Stored> table_;
  TtlPolicy ttl_;
};

template <class IN, class ACC, bool kTtl = false>
class HeapAggregatingState final : public AggregatingState<IN, ACC>, public HeapStateBase {
  using Stored = std::conditional_t<kTtl, TtlValue<ACC>, ACC>;

 public:
  HeapAggregatingState(const KeyedStateBackend* b, std::function<ACC()> create,
                       std::function<void(ACC&, const IN&)> add, const StateTtlConfig& ttl = {})
      : table_(b), create_(std::move(create)), add_(std::move(add)), ttl_(b, ttl) {}
  void add(const IN& value) override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      Stored& s = table_.getOrCreate([&] { return Stored{now, create_()}; });
      if (ttl_.expired(s.timestamp, now))
        s.value = create_();  // an expired accumulator starts over
      add_(s.value, value);
      s.timestamp = now;
    } else {
      add_(table_.getOrCreate(create_), value);
    }
  }
  std::optional<ACC> get() const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      return ttl_.read(table_, now);
    } else {
      if (auto* v = table_.find()) return *v;
      return std::nullopt;
    }
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }
  size_t writeKeyGroup(int keyGroup, int64_t now, std::string& out) const override {
    return writeSingleValues<ACC, kTtl>(table_, ttl_, keyGroup, now, out);
  }
  bool restoreEntries(int keyGroup, const CanonicalSection& section) override {
    return restoreSingleValues<ACC, kTtl>(table_, keyGroup, section);
  }

 private:
  void cleanup(int64_t now) const {
    table_.cleanupSome(kTtlCleanupSlotsPerAccess,
                       [&](Stored& s) { return ttl_.expired(s.timestamp, now); });
  }
  mutable HeapStateTable<Stored> table_;
  std::function<ACC()> create_;
  std::function<void(ACC&, const IN&)> add_;
  TtlPolicy ttl_;
};

// The first value added is stored as it is; later ones are reduced into it.
template <class T, bool kTtl = false>
class HeapReducingState final : public ReducingState<T>, public HeapStateBase {
  using Stored = std::conditional_t<kTtl, TtlValue<T>, T>;

 public:
  HeapReducingState(const KeyedStateBackend* b, std::function<T(const T&, const T&)> reduce,
                    const StateTtlConfig& ttl = {})
      : table_(b), reduce_(std::move(reduce)), ttl_(b, ttl) {}
  void add(const T& value) override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      Stored* current = table_.find();
      if (current && !ttl_.expired(current->timestamp, now)) {
        current->value = reduce_(current->value, value);
        current->timestamp = now;
      } else {
        table_.put(Stored{now, value});
      }
    } else {
      if (T* current = table_.find())
        *current = reduce_(*current, value);
      else
        table_.put(value);
    }
  }
  std::optional<T> get() const override {
    if constexpr (kTtl) {
      const int64_t now = ttl_.now();
      cleanup(now);
      return ttl_.read(table_, now);
    } else {
      if (auto* v = table_.find()) return *v;
      return std::nullopt;
    }
  }
  void clear() override { table_.erase(); }
  size_t numEntries() const override { return table_.size(); }
  size_t writeKeyGroup(int keyGroup, int64_t now, std::string& out) const override {
    return writeSingleValues<T, kTtl>(table_, ttl_, keyGroup, now, out);
  }
  bool restoreEntries(int keyGroup, const CanonicalSection& section) override {
    return restoreSingleValues<T, kTtl>(table_, keyGroup, section);
  }

 private:
  void cleanup(int64_t now) const {
    table_.cleanupSome(kTtlCleanupSlotsPerAccess,
                       [&](Stored& s) { return ttl_.expired(s.timestamp, now); });
  }
  mutable HeapStateTable<Stored> table_;
  std::function<T(const T&, const T&)> reduce_;
  TtlPolicy ttl_;
};

}  // namespace glint
