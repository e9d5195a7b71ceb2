#pragma once
// Part of keyed_state.h (include that): state handles over serialized bytes, for backends that
// keep state outside the heap (RocksDB). They serialize values with StateSerializer<T> and map
// user keys with OrderedKeyCodec<K>, and talk to a RawStateStore, so the core needs no RocksDB
// header.
//
// Stored bytes: a value (value, aggregating, reducing state; a map entry's value) is
// [i64 last-access time if TTL][StateSerializer<T> bytes]; a list is the concatenation of its
// elements, each as varint length + stored value (so appending needs no read). TTL semantics as
// the heap states (heap_state.h): expired entries are removed when read; the store is expected
// to drop them in the background too (RocksDB: compaction filter).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glint/state/canonical_format.h"
#include "glint/state/state_serializer.h"

namespace glint {

// The byte store of a serialized backend. Every call acts on the backend's current key and
// namespace; `userKey` is empty except for map state.
class RawStateStore {
 public:
  virtual ~RawStateStore() = default;
  // The store's id of a state, registering it on first use. Throws GlintError when restored
  // data of that name has another kind of storage or TTL flag.
  virtual int registerRawState(const std::string& name, StateKind kind,
                               const StateTtlConfig& ttl) = 0;
  virtual bool get(int state, std::string_view userKey, std::string* value) = 0;
  virtual void put(int state, std::string_view userKey, std::string_view value) = 0;
  virtual void remove(int state, std::string_view userKey) = 0;
  // Appends an element (already varint-length-prefixed) to a list without reading it.
  virtual void append(int state, std::string_view element) = 0;
  // Removes every user key of the current (key, namespace).
  virtual void removeAll(int state) = 0;
  // Visits the user keys of the current (key, namespace) in byte order until visit returns
  // false.
  virtual void scan(
      int state,
      const std::function<bool(std::string_view userKey, std::string_view value)>& visit) = 0;
  // Number of (key, namespace) entries of a state (a full scan; for tests and metrics).
  virtual size_t countEntries(int state) const = 0;
};

// What every serialized state shares: the store, its id there, TTL and scratch buffers.
class SerializedStateBase : public KeyedStateBackend::StateBase {
 public:
  SerializedStateBase(const KeyedStateBackend* backend, RawStateStore* store,
                      const std::string& name, StateKind kind, const StateTtlConfig& ttl)
      : backend_(backend),
        store_(store),
        id_(store->registerRawState(name, kind, ttl)),
        name_(name),
        ttl_(ttl) {}
  size_t numEntries() const override { return store_->countEntries(id_); }

 protected:
  bool ttlEnabled() const { return ttl_.enabled(); }
  bool expired(int64_t lastAccess, int64_t now) const { return lastAccess <= now - ttl_.ttlMillis; }
  bool updateOnRead() const {
    return ttl_.updateType == StateTtlConfig::UpdateType::kOnReadAndWrite;
  }
  bool returnExpired() const {
    return ttl_.visibility == StateTtlConfig::Visibility::kReturnExpiredIfNotCleanedUp;
  }
  int64_t now() const { return ttlEnabled() ? backend_->ttlNow() : 0; }

  // [timestamp][serialized value] into `out` (cleared first).
  template <class T>
  void encode(std::string& out, const T& value, int64_t now) const {
    out.clear();
    if (ttlEnabled()) writeFixed(out, now);
    StateSerializer<T>::write(out, value);
  }
  // Splits a stored value into its timestamp (0 without TTL) and payload.
  void split(std::string_view stored, int64_t* timestamp, std::string_view* payload) const {
    *timestamp = 0;
    *payload = stored;
    if (ttlEnabled() && !splitTtlValue(stored, timestamp, payload)) corrupt();
  }
  template <class T>
  T decode(std::string_view payload) const {
    T value{};
    if (!deserializeState(payload, &value)) corrupt();
    return value;
  }
  [[noreturn]] void corrupt() const {
    throw GlintError("state '" + name_ +
                     "': stored bytes do not deserialize as the registered type");
  }
  // Reads the single value of the current (key, namespace) with Flink's TTL semantics (value,
  // aggregating and reducing state).
  template <class V>
  std::optional<V> readSingle() const {
    if (!store_->get(id_, {}, &buffer_)) return std::nullopt;
    int64_t timestamp;
    std::string_view payload;
    split(buffer_, &timestamp, &payload);
    if (ttlEnabled()) {
      const int64_t t = now();
      if (expired(timestamp, t)) {
        store_->remove(id_, {});
        if (!returnExpired()) return std::nullopt;
      } else if (updateOnRead()) {
        touch(buffer_, t);
        store_->put(id_, {}, buffer_);
      }
    }
    return decode<V>(payload);
  }
  // The unexpired single value, without the side effects of a read (for add()).
  template <class V>
  std::optional<V> currentUnexpired(int64_t t) const {
    if (!store_->get(id_, {}, &buffer_)) return std::nullopt;
    int64_t timestamp;
    std::string_view payload;
    split(buffer_, &timestamp, &payload);
    if (ttlEnabled() && expired(timestamp, t)) return std::nullopt;
    return decode<V>(payload);
  }
  // Overwrites the timestamp of a stored value in place.
  static void touch(std::string& stored, int64_t now) { std::memcpy(stored.data(), &now, 8); }

  const KeyedStateBackend* backend_;
  RawStateStore* store_;
  int id_;
  std::string name_;
  StateTtlConfig ttl_;
  mutable std::string buffer_;
  mutable std::string scratch_;
};

template <class T>
class SerializedValueState final : public ValueState<T>, public SerializedStateBase {
 public:
  SerializedValueState(const KeyedStateBackend* b, RawStateStore* store, const std::string& name,
                       const StateTtlConfig& ttl)
      : SerializedStateBase(b, store, name, StateKind::kValue, ttl) {}
  std::optional<T> value() const override { return readSingle<T>(); }
  void update(const T& value) override {
    encode(buffer_, value, now());
    store_->put(id_, {}, buffer_);
  }
  void clear() override { store_->remove(id_, {}); }
};

template <class T>
class SerializedListState final : public ListState<T>, public SerializedStateBase {
 public:
  SerializedListState(const KeyedStateBackend* b, RawStateStore* store, const std::string& name,
                      const StateTtlConfig& ttl)
      : SerializedStateBase(b, store, name, StateKind::kList, ttl) {}
  void add(const T& value) override {
    encode(scratch_, value, now());
    buffer_.clear();
    writeBytes(buffer_, scratch_);
    store_->append(id_, buffer_);
  }
  std::vector<T> get() const override {
    std::vector<T> out;
    if (!store_->get(id_, {}, &buffer_)) return out;
    const int64_t t = now();
    bool rewrite = false;
    scratch_.clear();  // the elements that stay, when some expired or timestamps change
    BinaryReader in(buffer_);
    while (!in.atEnd()) {
      std::string_view element;
      if (!readBytes(in, &element)) corrupt();
      int64_t timestamp;
      std::string_view payload;
      split(element, &timestamp, &payload);
      const bool isExpired = ttlEnabled() && expired(timestamp, t);
      if (!isExpired || returnExpired()) out.push_back(decode<T>(payload));
      if (!ttlEnabled()) continue;
      if (isExpired) {
        rewrite = true;
        continue;
      }
      if (updateOnRead()) {
        rewrite = true;
        writeVarint(scratch_, element.size());
        writeFixed(scratch_, t);
        scratch_.append(payload.data(), payload.size());
      } else {
        writeBytes(scratch_, element);
      }
    }
    if (rewrite) {
      if (scratch_.empty())
        store_->remove(id_, {});
      else
        store_->put(id_, {}, scratch_);
    }
    return out;
  }
  void update(std::vector<T> values) override {
    if (values.empty()) {
      store_->remove(id_, {});
      return;
    }
    const int64_t t = now();
    buffer_.clear();
    for (const T& v : values) {
      encode(scratch_, v, t);
      writeBytes(buffer_, scratch_);
    }
    store_->put(id_, {}, buffer_);
  }
  void clear() override { store_->remove(id_, {}); }
};

template <class K, class V>
class SerializedMapState final : public MapState<K, V>, public SerializedStateBase {
 public:
  SerializedMapState(const KeyedStateBackend* b, RawStateStore* store, const std::string& name,
                     const StateTtlConfig& ttl)
      : SerializedStateBase(b, store, name, StateKind::kMap, ttl) {}
  std::optional<V> get(const K& key) const override {
    userKey(key);
    if (!store_->get(id_, userKey_, &buffer_)) return std::nullopt;
    int64_t timestamp;
    std::string_view payload;
    split(buffer_, &timestamp, &payload);
    if (ttlEnabled()) {
      const int64_t t = now();
      if (expired(timestamp, t)) {
        store_->remove(id_, userKey_);
        if (!returnExpired()) return std::nullopt;
      } else if (updateOnRead()) {
        touch(buffer_, t);
        store_->put(id_, userKey_, buffer_);
      }
    }
    return decode<V>(payload);
  }
  void put(const K& key, const V& value) override {
    userKey(key);
    encode(buffer_, value, now());
    store_->put(id_, userKey_, buffer_);
  }
  void remove(const K& key) override {
    userKey(key);
    store_->remove(id_, userKey_);
  }
  bool contains(const K& key) const override {
    if (ttlEnabled()) return get(key).has_value();
    userKey(key);
    return store_->get(id_, userKey_, &buffer_);
  }
  bool isEmpty() const override {
    bool empty = true;
    const int64_t t = now();
    std::vector<std::string> expiredKeys;
    store_->scan(id_, [&](std::string_view k, std::string_view stored) {
      int64_t timestamp;
      std::string_view payload;
      split(stored, &timestamp, &payload);
      if (ttlEnabled() && expired(timestamp, t)) {
        expiredKeys.emplace_back(k);
        return true;
      }
      empty = false;
      return false;
    });
    for (const auto& k : expiredKeys) store_->remove(id_, k);
    return empty;
  }
  void forEach(const std::function<void(const K&, const V&)>& visit) const override {
    // Collected first: `visit` may change this map state, and keys that do not encode in
    // order are sorted here.
    std::vector<std::pair<K, V>> entries;
    std::vector<std::string> expiredKeys, touchedKeys;
    const int64_t t = now();
    store_->scan(id_, [&](std::string_view k, std::string_view stored) {
      int64_t timestamp;
      std::string_view payload;
      split(stored, &timestamp, &payload);
      const bool isExpired = ttlEnabled() && expired(timestamp, t);
      if (isExpired) expiredKeys.emplace_back(k);
      if (isExpired && !returnExpired()) return true;
      if (!isExpired && ttlEnabled() && updateOnRead()) touchedKeys.emplace_back(k);
      K key{};
      BinaryReader keyReader(k);
      if (!OrderedKeyCodec<K>::decode(keyReader, &key) || !keyReader.atEnd()) corrupt();
      entries.emplace_back(std::move(key), decode<V>(payload));
      return true;
    });
    for (const auto& k : expiredKeys) store_->remove(id_, k);
    for (const auto& k : touchedKeys) {
      if (!store_->get(id_, k, &buffer_)) continue;
      touch(buffer_, t);
      store_->put(id_, k, buffer_);
    }
    if constexpr (!OrderedKeyCodec<K>::kOrderPreserving) {
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    for (const auto& [k, v] : entries) visit(k, v);
  }
  void clear() override { store_->removeAll(id_); }

 private:
  void userKey(const K& key) const {
    userKey_.clear();
    OrderedKeyCodec<K>::encode(userKey_, key);
  }
  mutable std::string userKey_;
};

template <class IN, class ACC>
class SerializedAggregatingState final : public AggregatingState<IN, ACC>,
                                         public SerializedStateBase {
 public:
  SerializedAggregatingState(const KeyedStateBackend* b, RawStateStore* store,
                             const std::string& name, const StateTtlConfig& ttl,
                             std::function<ACC()> create, std::function<void(ACC&, const IN&)> add)
      : SerializedStateBase(b, store, name, StateKind::kAggregating, ttl),
        create_(std::move(create)),
        add_(std::move(add)) {}
  void add(const IN& value) override {
    const int64_t t = now();
    std::optional<ACC> acc = currentUnexpired<ACC>(t);
    if (!acc) acc = create_();
    add_(*acc, value);
    encode(buffer_, *acc, t);
    store_->put(id_, {}, buffer_);
  }
  std::optional<ACC> get() const override { return readSingle<ACC>(); }
  void clear() override { store_->remove(id_, {}); }

 private:
  std::function<ACC()> create_;
  std::function<void(ACC&, const IN&)> add_;
};

template <class T>
class SerializedReducingState final : public ReducingState<T>, public SerializedStateBase {
 public:
  SerializedReducingState(const KeyedStateBackend* b, RawStateStore* store, const std::string& name,
                          const StateTtlConfig& ttl, std::function<T(const T&, const T&)> reduce)
      : SerializedStateBase(b, store, name, StateKind::kReducing, ttl),
        reduce_(std::move(reduce)) {}
  void add(const T& value) override {
    const int64_t t = now();
    std::optional<T> current = currentUnexpired<T>(t);
    encode(buffer_, current ? reduce_(*current, value) : value, t);
    store_->put(id_, {}, buffer_);
  }
  std::optional<T> get() const override { return readSingle<T>(); }
  void clear() override { store_->remove(id_, {}); }

 private:
  std::function<T(const T&, const T&)> reduce_;
};

}  // namespace glint
