#include "glint/state/state_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>

#include "glint/state/heap_keyed_state_backend.h"

namespace glint {
namespace {

std::string keyOf(int64_t k) {
  std::string s(9, '\0');
  std::memcpy(s.data() + 1, &k, 8);
  return s;
}

// ---------------------------------------------------------------------------------------------
// StateMap: one key group's table

TEST(StateMapTest, InsertFindEraseOne) {
  StateMap<int64_t> m;
  const std::string k = keyOf(7);
  const StateNamespace ns{10, 20};
  const uint64_t h = StateMap<int64_t>::hashOf(hashBytes(k), ns);
  size_t slot = 0;
  EXPECT_EQ(m.find(k, ns, h, &slot), StateMap<int64_t>::kAbsent);
  const size_t pos = m.insert(k, ns, h, slot, 42);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.find(k, ns, h), static_cast<int64_t>(pos));
  EXPECT_EQ(m.at(pos).value, 42);
  // Same key, other namespace; same namespace, other key: absent.
  const StateNamespace other{10, 21};
  EXPECT_EQ(m.find(k, other, StateMap<int64_t>::hashOf(hashBytes(k), other)),
            StateMap<int64_t>::kAbsent);
  const std::string k2 = keyOf(8);
  EXPECT_EQ(m.find(k2, ns, StateMap<int64_t>::hashOf(hashBytes(k2), ns)),
            StateMap<int64_t>::kAbsent);
  m.eraseAt(pos);
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.find(k, ns, h), StateMap<int64_t>::kAbsent);
}

TEST(StateMapTest, LongKeysAndCollidingHashes) {
  // A deliberately bad hash (every entry collides) must still be correct.
  StateMap<std::string> m;
  std::map<std::pair<std::string, int64_t>, std::string> ref;
  for (int i = 0; i < 300; ++i) {
    const std::string k = std::string(40, 'x') + std::to_string(i % 60);
    const StateNamespace ns{i / 60, 0};
    const uint64_t h = 12345;  // same for all
    size_t slot;
    ASSERT_EQ(m.find(k, ns, h, &slot), StateMap<std::string>::kAbsent);
    m.insert(k, ns, h, slot, "v" + std::to_string(i));
    ref[{k, ns.first}] = "v" + std::to_string(i);
  }
  for (int i = 0; i < 300; i += 2) {
    const std::string k = std::string(40, 'x') + std::to_string(i % 60);
    const int64_t pos = m.find(k, StateNamespace{i / 60, 0}, 12345);
    ASSERT_NE(pos, StateMap<std::string>::kAbsent);
    m.eraseAt(static_cast<size_t>(pos));
    ref.erase({k, i / 60});
  }
  EXPECT_EQ(m.size(), ref.size());
  for (const auto& [kn, v] : ref) {
    const int64_t pos = m.find(kn.first, StateNamespace{kn.second, 0}, 12345);
    ASSERT_NE(pos, StateMap<std::string>::kAbsent);
    EXPECT_EQ(m.at(static_cast<size_t>(pos)).value, v);
  }
}

// Random inserts, overwrites and erases over many keys and namespaces (the map grows many
// times and erases exercise backward shifting) against std::map.
TEST(StateMapTest, RandomOperationsMatchAnOrderedMap) {
  std::mt19937_64 rng(7);
  StateMap<int64_t> m;
  std::map<std::tuple<int64_t, int64_t, int64_t>, int64_t> ref;
  std::uniform_int_distribution<int64_t> key(0, 5000), window(0, 9), op(0, 9);
  for (int step = 0; step < 200000; ++step) {
    const int64_t k = key(rng), w = window(rng);
    const std::string kb = keyOf(k);
    const StateNamespace ns{w * 100, w * 100 + 100};
    const uint64_t h = StateMap<int64_t>::hashOf(hashBytes(kb), ns);
    size_t slot;
    const int64_t pos = m.find(kb, ns, h, &slot);
    auto it = ref.find({k, ns.first, ns.second});
    ASSERT_EQ(pos != StateMap<int64_t>::kAbsent, it != ref.end()) << "step " << step;
    if (pos != StateMap<int64_t>::kAbsent) {
      ASSERT_EQ(m.at(static_cast<size_t>(pos)).value, it->second);
    }
    const int64_t o = op(rng);
    if (o < 6) {  // upsert
      if (pos == StateMap<int64_t>::kAbsent) {
        m.insert(kb, ns, h, slot, step);
        ref[{k, ns.first, ns.second}] = step;
      } else {
        m.at(static_cast<size_t>(pos)).value = step;
        it->second = step;
      }
    } else if (pos != StateMap<int64_t>::kAbsent) {  // erase
      m.eraseAt(static_cast<size_t>(pos));
      ref.erase(it);
    }
    ASSERT_EQ(m.size(), ref.size());
  }
  EXPECT_GT(m.size(), 20000u);
  // Every remaining entry is found, and nothing else is in the dense entries.
  for (const auto& [kn, v] : ref) {
    const auto [k, first, second] = kn;
    const std::string kb = keyOf(k);
    const StateNamespace ns{first, second};
    const int64_t pos = m.find(kb, ns, StateMap<int64_t>::hashOf(hashBytes(kb), ns));
    ASSERT_NE(pos, StateMap<int64_t>::kAbsent);
    EXPECT_EQ(m.at(static_cast<size_t>(pos)).value, v);
  }
  // Erase everything: the map is empty and still usable.
  for (const auto& [kn, v] : ref) {
    const auto [k, first, second] = kn;
    const std::string kb = keyOf(k);
    const StateNamespace ns{first, second};
    const int64_t pos = m.find(kb, ns, StateMap<int64_t>::hashOf(hashBytes(kb), ns));
    ASSERT_NE(pos, StateMap<int64_t>::kAbsent);
    m.eraseAt(static_cast<size_t>(pos));
  }
  EXPECT_TRUE(m.empty());
  const std::string kb = keyOf(1);
  const uint64_t h = StateMap<int64_t>::hashOf(hashBytes(kb), kVoidNamespace);
  m.insert(kb, kVoidNamespace, h, SIZE_MAX, 5);
  EXPECT_EQ(m.at(static_cast<size_t>(m.find(kb, kVoidNamespace, h))).value, 5);
}

// ---------------------------------------------------------------------------------------------
// Heap keyed state over the per-key-group maps

TEST(HeapKeyedStateTest, ManyKeysAcrossKeyGroupsOfOneSubtask) {
  // Subtask 1 of 4 owns key groups [32, 63] of 128.
  const KeyGroupRange range = keyGroupRangeForSubtask(128, 4, 1);
  HeapKeyedStateBackend backend(range, 128);
  ValueState<int64_t>* count = backend.valueState<int64_t>("count");
  ValueState<int64_t>* other = backend.valueState<int64_t>("other");
  std::map<std::pair<int64_t, int64_t>, int64_t> ref;
  std::vector<int64_t> keys;
  for (int64_t k = 0; keys.size() < 3000; ++k)
    if (range.contains(keyGroupForKey(keyOf(k), 128))) keys.push_back(k);
  std::mt19937 rng(3);
  std::uniform_int_distribution<size_t> pick(0, keys.size() - 1);
  std::uniform_int_distribution<int64_t> window(0, 4);
  for (int step = 0; step < 60000; ++step) {
    const int64_t k = keys[pick(rng)], w = window(rng);
    backend.setCurrentKey(keyOf(k));
    backend.setCurrentNamespace(StateNamespace{w, w + 1});
    const std::optional<int64_t> v = count->value();
    auto it = ref.find({k, w});
    ASSERT_EQ(v.has_value(), it != ref.end());
    if (v) {
      ASSERT_EQ(*v, it->second);
    }
    if (step % 7 == 6) {
      count->clear();
      if (it != ref.end()) ref.erase(it);
    } else {
      count->update(v.value_or(0) + 1);  // the cached entry of value()
      ref[{k, w}] = v.value_or(0) + 1;
    }
    if (step % 3 == 0) other->update(step);  // another state of the same key
  }
  size_t entries = 0;
  for (const auto& [kw, v] : ref) {
    backend.setCurrentKey(keyOf(kw.first));
    backend.setCurrentNamespace(StateNamespace{kw.second, kw.second + 1});
    ASSERT_EQ(count->value(), v);
    ++entries;
  }
  // The entries are spread over the subtask's key groups, each in its own map.
  auto* heap = dynamic_cast<HeapValueState<int64_t>*>(count);
  ASSERT_NE(heap, nullptr);
  size_t inMaps = 0, nonEmptyGroups = 0;
  for (int kg = range.first; kg <= range.last; ++kg) {
    const auto& map = heap->table().keyGroupMap(kg);
    inMaps += map.size();
    nonEmptyGroups += !map.empty();
    map.forEach([&](const auto& e) { EXPECT_EQ(keyGroupForKey(e.key, 128), kg); });
  }
  EXPECT_EQ(inMaps, entries);
  EXPECT_EQ(nonEmptyGroups, static_cast<size_t>(range.size()));
  EXPECT_EQ(backend.numEntries(),
            entries + dynamic_cast<HeapValueState<int64_t>*>(other)->numEntries());
}

TEST(HeapKeyedStateTest, CachedEntryFollowsKeyNamespaceAndOtherWrites) {
  HeapKeyedStateBackend backend(KeyGroupRange{0, 127}, 128);
  ValueState<std::string>* s = backend.valueState<std::string>("s");
  ListState<int64_t>* list = backend.listState<int64_t>("list");
  backend.setCurrentKey(keyOf(1));
  EXPECT_FALSE(s->value());
  s->update("a");
  EXPECT_EQ(s->value(), "a");
  backend.setCurrentKey(keyOf(2));
  EXPECT_FALSE(s->value());
  s->update("b");
  backend.setCurrentKey(keyOf(1));  // back to a key whose entry moved since
  EXPECT_EQ(s->value(), "a");
  backend.setCurrentNamespace(StateNamespace{1, 2});
  EXPECT_FALSE(s->value());
  s->update("a@1");
  backend.setCurrentNamespace(kVoidNamespace);
  EXPECT_EQ(s->value(), "a");
  // Erasing another entry of the same map moves entries: the cache must not serve stale ones.
  backend.setCurrentKey(keyOf(2));
  s->clear();
  backend.setCurrentKey(keyOf(1));
  EXPECT_EQ(s->value(), "a");
  s->clear();
  EXPECT_FALSE(s->value());
  s->update("again");
  EXPECT_EQ(s->value(), "again");
  // Setting the same key again keeps it (and its cached entry) current.
  backend.setCurrentKey(keyOf(1));
  EXPECT_EQ(s->value(), "again");
  list->add(1);
  list->add(2);
  EXPECT_EQ(list->get(), (std::vector<int64_t>{1, 2}));
  list->update({});
  EXPECT_TRUE(list->get().empty());
  EXPECT_EQ(backend.numEntries(), 2u);  // "again" and "a@1"
  // With the hash given by the caller.
  const std::string k3 = keyOf(3);
  backend.setCurrentKeyWithHash(k3, hashBytes(k3));
  EXPECT_EQ(backend.currentKeyGroup(), keyGroupForKey(k3, 128));
  s->update("c");
  backend.setCurrentKey(k3, keyGroupForKey(k3, 128));
  EXPECT_EQ(s->value(), "c");
  backend.setCurrentKey(keyOf(4), keyGroupForKey(keyOf(4), 128));
  EXPECT_FALSE(s->value());
  backend.setCurrentKey(k3);
  EXPECT_EQ(s->value(), "c");
}

}  // namespace
}  // namespace glint
