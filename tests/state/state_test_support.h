#pragma once
// Helpers of the state backend tests: temporary checkpoint directories, backends by type name,
// and a reference model of every state kind (plain std::maps) with random operations.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "glint/state/keyed_state.h"
#include "glint/state/state_backend.h"

namespace glint::state_test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("glint-state-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  // As the checkpoint runtime lays it out: <root>/chk-<n>/op-<subtask>, <root>/shared.
  SnapshotLocation location(int64_t checkpointId, int subtask) const {
    SnapshotLocation l;
    l.checkpointRoot = path_;
    l.exclusiveDir =
        path_ / ("chk-" + std::to_string(checkpointId)) / ("op-" + std::to_string(subtask));
    l.sharedDir = path_ / "shared";
    std::filesystem::create_directories(l.exclusiveDir);
    std::filesystem::create_directories(l.sharedDir);
    return l;
  }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<KeyedStateBackend> makeBackend(const std::string& type, KeyGroupRange range,
                                                      const std::filesystem::path& dir,
                                                      bool incremental) {
  static std::atomic<int> instance{0};
  StateBackendOptions options;
  options.type = type;
  options.incremental = incremental;
  options.localDir = dir / "local";
  options.memoryBudgetBytes = 64 << 20;
  auto backend = createKeyedStateBackend(options, range, 128, "op-" + std::to_string(instance++));
  if (!backend.isOk()) throw std::runtime_error(backend.status().message());
  return std::move(backend).value();
}

inline KeyedStateHandle takeSnapshot(KeyedStateBackend& backend, int64_t checkpointId,
                                     const SnapshotLocation& location) {
  auto handle = backend.snapshot(checkpointId, location)->run();
  if (!handle.isOk()) throw std::runtime_error(handle.status().message());
  return std::move(handle).value();
}

struct Avg {
  int64_t sum = 0;
  int64_t count = 0;
  bool operator==(const Avg&) const = default;
};

// The states every model test registers, by the same names and types on every backend.
struct States {
  explicit States(KeyedStateBackend& b)
      : value(b.valueState<int64_t>("value")),
        list(b.listState<std::string>("list")),
        map(b.mapState<std::string, int64_t>("map")),
        avg(b.aggregatingState<int64_t, Avg>(
            "avg", [] { return Avg{}; },
            [](Avg& a, const int64_t& v) {
              a.sum += v;
              ++a.count;
            })),
        max(b.reducingState<int64_t>(
            "max", [](const int64_t& a, const int64_t& v) { return std::max(a, v); })) {}
  ValueState<int64_t>* value;
  ListState<std::string>* list;
  MapState<std::string, int64_t>* map;
  AggregatingState<int64_t, Avg>* avg;
  ReducingState<int64_t>* max;
};

inline StateNamespace namespaceOf(int i) {
  return i == 0 ? kVoidNamespace : StateNamespace{i * 10, i * 10 + 10};
}

// The reference: one std::map per state from (key, namespace index) to its contents.
struct Model {
  using Entry = std::pair<std::string, int>;
  std::map<Entry, int64_t> value;
  std::map<Entry, std::vector<std::string>> list;
  std::map<Entry, std::map<std::string, int64_t>> map;
  std::map<Entry, Avg> avg;
  std::map<Entry, int64_t> max;

  static constexpr int kKeys = 300;
  static constexpr int kNamespaces = 3;
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (int i = 0; i < kKeys; ++i) out.push_back("key-" + std::to_string(i));
    return out;
  }
  std::string pickKey(std::mt19937& rng) const { return "key-" + std::to_string(rng() % kKeys); }
  size_t numEntries() const {
    return value.size() + list.size() + map.size() + avg.size() + max.size();
  }
};

inline void applyOperation(std::mt19937& rng, const std::string& key, KeyedStateBackend& backend,
                           States& s, Model& m) {
  const int ns = static_cast<int>(rng() % Model::kNamespaces);
  backend.setCurrentKey(key);
  backend.setCurrentNamespace(namespaceOf(ns));
  const Model::Entry e{key, ns};
  const int64_t v = static_cast<int64_t>(rng() % 1000) - 500;
  switch (rng() % 12) {
    case 0:
      s.value->update(v);
      m.value[e] = v;
      break;
    case 1:
      s.value->clear();
      m.value.erase(e);
      break;
    case 2:
    case 3: {
      const std::string element(rng() % 5, static_cast<char>('a' + rng() % 3));
      s.list->add(element);
      m.list[e].push_back(element);
      break;
    }
    case 4: {
      std::vector<std::string> values(rng() % 3, "u" + std::to_string(v));
      s.list->update(values);
      if (values.empty())
        m.list.erase(e);
      else
        m.list[e] = values;
      break;
    }
    case 5:
    case 6: {
      const std::string k = std::string(1 + rng() % 2, static_cast<char>('a' + rng() % 5));
      s.map->put(k, v);
      m.map[e][k] = v;
      break;
    }
    case 7: {
      const std::string k = std::string(1 + rng() % 2, static_cast<char>('a' + rng() % 5));
      s.map->remove(k);
      if (auto it = m.map.find(e); it != m.map.end()) {
        it->second.erase(k);
        if (it->second.empty()) m.map.erase(it);
      }
      break;
    }
    case 8:
      if (rng() % 4 == 0) {
        s.map->clear();
        m.map.erase(e);
      } else {
        s.list->clear();
        m.list.erase(e);
      }
      break;
    case 9:
      s.avg->add(v);
      m.avg[e].sum += v;
      ++m.avg[e].count;
      break;
    case 10:
      s.max->add(v);
      m.max[e] = m.max.count(e) ? std::max(m.max[e], v) : v;
      break;
    case 11:
      if (rng() % 2) {
        s.avg->clear();
        m.avg.erase(e);
      } else {
        s.max->clear();
        m.max.erase(e);
      }
      break;
  }
}

inline void applyRandomOperation(std::mt19937& rng, KeyedStateBackend& backend, States& s,
                                 Model& m) {
  applyOperation(rng, m.pickKey(rng), backend, s, m);
}

// Reads every (key, namespace) of the model's universe from the backend owning its key group.
inline void verifyAll(const std::vector<KeyedStateBackend*>& backends, const Model& m) {
  for (const std::string& key : m.keys()) {
    KeyedStateBackend* owner = nullptr;
    const int kg = keyGroupForKey(key, 128);
    for (auto* b : backends)
      if (b->keyGroups().contains(kg)) owner = b;
    ASSERT_NE(owner, nullptr);
    States s(*owner);
    for (int ns = 0; ns < Model::kNamespaces; ++ns) {
      SCOPED_TRACE(key + " ns " + std::to_string(ns));
      owner->setCurrentKey(key);
      owner->setCurrentNamespace(namespaceOf(ns));
      const Model::Entry e{key, ns};
      auto value = m.value.find(e);
      ASSERT_EQ(s.value->value(),
                value == m.value.end() ? std::nullopt : std::optional<int64_t>(value->second));
      auto list = m.list.find(e);
      ASSERT_EQ(s.list->get(), list == m.list.end() ? std::vector<std::string>{} : list->second);
      auto map = m.map.find(e);
      std::map<std::string, int64_t> seen;
      std::vector<std::string> order;
      s.map->forEach([&](const std::string& k, const int64_t& v) {
        seen[k] = v;
        order.push_back(k);
      });
      ASSERT_TRUE(std::is_sorted(order.begin(), order.end()));
      const std::map<std::string, int64_t> expectedMap =
          map == m.map.end() ? std::map<std::string, int64_t>() : map->second;
      ASSERT_EQ(seen, expectedMap);
      ASSERT_EQ(s.map->isEmpty(), map == m.map.end());
      if (map != m.map.end())
        for (const auto& [k, v] : map->second) ASSERT_EQ(s.map->get(k), v);
      ASSERT_FALSE(s.map->contains("zzz"));
      auto avg = m.avg.find(e);
      ASSERT_EQ(s.avg->get(), avg == m.avg.end() ? std::nullopt : std::optional<Avg>(avg->second));
      auto max = m.max.find(e);
      ASSERT_EQ(s.max->get(),
                max == m.max.end() ? std::nullopt : std::optional<int64_t>(max->second));
    }
  }
}

}  // namespace glint::state_test
