// Every state kind on both backends (one typed suite) against a reference model, snapshot and
// restore across backends and parallelisms, incremental checkpoints, corrupt input.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "glint/state/heap_keyed_state_backend.h"
#include "glint/state/rocksdb/rocksdb_keyed_state_backend.h"
#include "glint/state/state_backend.h"
#include "glint/state/timer_service.h"
#include "tests/state/state_test_support.h"

namespace glint {
namespace {

using namespace state_test;

// ---- the typed suite: each test runs on both backends ----------------------------------------

template <class Tag>
class BackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyedStateBackend> make(KeyGroupRange range = {0, 127}) {
    return makeBackend(Tag::kType, range, dir_.path(), false);
  }
  TempDir dir_;
};

struct Heap {
  static constexpr const char* kType = "heap";
};
struct RocksDb {
  static constexpr const char* kType = "rocksdb";
};
using BackendTypes = ::testing::Types<Heap, RocksDb>;
class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return T::kType;
  }
};
TYPED_TEST_SUITE(BackendTest, BackendTypes, BackendNames);

TYPED_TEST(BackendTest, RandomOperationsMatchTheReferenceModel) {
  auto backend = this->make();
  Model model;
  States states(*backend);
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    applyRandomOperation(rng, *backend, states, model);
    if (i % 997 == 0) {
      SCOPED_TRACE(i);
      verifyAll({backend.get()}, model);
    }
  }
  verifyAll({backend.get()}, model);
  EXPECT_EQ(backend->numEntries(), model.numEntries());
}

TYPED_TEST(BackendTest, MapStateVisitsInKeyOrderAndClears) {
  auto backend = this->make();
  auto* strings = backend->template mapState<std::string, int64_t>("s");
  auto* ints = backend->template mapState<int64_t, int64_t>("i");
  auto* pairs =
      backend->template mapState<std::pair<int64_t, int64_t>, int64_t>("p");  // serializer order
  backend->setCurrentKey("k");
  for (int64_t v : {5, -3, 100, 0, -100}) {
    ints->put(v, v);
    strings->put(std::to_string(v), v);
    pairs->put({v % 7, v}, v);
  }
  std::vector<int64_t> intOrder;
  ints->forEach([&](const int64_t& k, const int64_t&) { intOrder.push_back(k); });
  EXPECT_EQ(intOrder, (std::vector<int64_t>{-100, -3, 0, 5, 100}));
  std::vector<std::string> stringOrder;
  strings->forEach([&](const std::string& k, const int64_t&) { stringOrder.push_back(k); });
  EXPECT_EQ(stringOrder, (std::vector<std::string>{"-100", "-3", "0", "100", "5"}));
  std::vector<std::pair<int64_t, int64_t>> pairOrder;
  pairs->forEach([&](const auto& k, const int64_t&) { pairOrder.push_back(k); });
  EXPECT_TRUE(std::is_sorted(pairOrder.begin(), pairOrder.end()));
  EXPECT_EQ(pairOrder.size(), 5u);
  backend->setCurrentKey("other");
  ints->put(1, 1);
  backend->setCurrentKey("k");
  ints->clear();
  EXPECT_TRUE(ints->isEmpty());
  EXPECT_FALSE(ints->contains(5));
  backend->setCurrentKey("other");
  EXPECT_EQ(ints->get(1), 1);
}

TYPED_TEST(BackendTest, SameNameWithAnotherTypeThrows) {
  auto backend = this->make();
  backend->template valueState<int64_t>("s");
  EXPECT_THROW(backend->template valueState<std::string>("s"), GlintError);
  EXPECT_EQ(backend->template valueState<int64_t>("s"), backend->template valueState<int64_t>("s"));
}

TYPED_TEST(BackendTest, SnapshotRestoresIntoBothBackends) {
  auto source = this->make();
  Model model;
  {
    States states(*source);
    std::mt19937 rng(5);
    for (int i = 0; i < 6000; ++i) applyRandomOperation(rng, *source, states, model);
  }
  const KeyedStateHandle handle = takeSnapshot(*source, 1, this->dir_.location(1, 0));
  EXPECT_EQ(handle.kind, KeyedStateHandle::Kind::kCanonical);
  EXPECT_GT(handle.bytesWritten, 0u);
  for (const char* target : {"heap", "rocksdb"}) {
    SCOPED_TRACE(target);
    auto restored = makeBackend(target, {0, 127}, this->dir_.path(), false);
    ASSERT_TRUE(restored->restore({handle}, this->dir_.path()).isOk());
    States states(*restored);
    verifyAll({restored.get()}, model);
    EXPECT_EQ(restored->numEntries(), model.numEntries());
    // And again: a restored backend snapshots what it restored.
    const KeyedStateHandle again = takeSnapshot(*restored, 2, this->dir_.location(2, 0));
    auto third = makeBackend("heap", {0, 127}, this->dir_.path(), false);
    ASSERT_TRUE(third->restore({again}, this->dir_.path()).isOk());
    States thirdStates(*third);
    verifyAll({third.get()}, model);
  }
}

TYPED_TEST(BackendTest, StatesNotRegisteredAfterRestoreAreKeptInLaterSnapshots) {
  auto source = this->make();
  source->setCurrentKey("a");
  source->template valueState<int64_t>("kept")->update(7);
  source->template listState<std::string>("unused")->add("x");
  const KeyedStateHandle first = takeSnapshot(*source, 1, this->dir_.location(1, 0));
  auto middle = this->make();
  ASSERT_TRUE(middle->restore({first}, this->dir_.path()).isOk());
  middle->template valueState<int64_t>("kept");  // "unused" is never registered here
  const KeyedStateHandle second = takeSnapshot(*middle, 2, this->dir_.location(2, 0));
  auto last = this->make();
  ASSERT_TRUE(last->restore({second}, this->dir_.path()).isOk());
  last->setCurrentKey("a");
  EXPECT_EQ(last->template valueState<int64_t>("kept")->value(), 7);
  EXPECT_EQ(last->template listState<std::string>("unused")->get(), std::vector<std::string>{"x"});
}

TYPED_TEST(BackendTest, RestoredStateRegisteredWithAnotherKindOrTtlThrows) {
  auto source = this->make();
  source->setCurrentKey("a");
  source->template valueState<int64_t>("v")->update(1);
  source->template listState<int64_t>("l")->add(1);
  const KeyedStateHandle handle = takeSnapshot(*source, 1, this->dir_.location(1, 0));
  auto restored = this->make();
  ASSERT_TRUE(restored->restore({handle}, this->dir_.path()).isOk());
  EXPECT_THROW(restored->template listState<int64_t>("v"), GlintError);
  EXPECT_THROW(restored->template listState<int64_t>("l", StateTtlConfig{100}), GlintError);
  // Value, reducing and aggregating state share their storage.
  auto* r = restored->template reducingState<int64_t>(
      "v", [](const int64_t& a, const int64_t& b) { return a + b; });
  restored->setCurrentKey("a");
  r->add(5);
  EXPECT_EQ(r->get(), 6);
}

TYPED_TEST(BackendTest, CorruptSnapshotsAreErrorsNotCrashes) {
  auto source = this->make();
  Model model;
  {
    States states(*source);
    std::mt19937 rng(9);
    for (int i = 0; i < 500; ++i) applyRandomOperation(rng, *source, states, model);
  }
  const KeyedStateHandle good = takeSnapshot(*source, 1, this->dir_.location(1, 0));
  ASSERT_FALSE(good.blocks.empty());
  // Truncations and a wrong version are reported by restore().
  for (size_t cut : {size_t{0}, size_t{1}, size_t{2}, good.blocks[0].bytes.size() / 2,
                     good.blocks[0].bytes.size() - 1}) {
    KeyedStateHandle bad = good;
    bad.blocks[0].bytes.resize(cut);
    auto target = this->make();
    const Status st = target->restore({bad}, this->dir_.path());
    EXPECT_FALSE(st.isOk()) << cut;
    EXPECT_NE(st.message().find("key group " + std::to_string(bad.blocks[0].keyGroup)),
              std::string::npos)
        << st.message();
  }
  {
    KeyedStateHandle bad = good;
    bad.blocks[0].bytes[0] = 99;
    auto target = this->make();
    const Status st = target->restore({bad}, this->dir_.path());
    EXPECT_FALSE(st.isOk());
    EXPECT_NE(st.message().find("version 99"), std::string::npos) << st.message();
  }
  // Random byte flips: restore fails, or registering / reading throws GlintError, or the data
  // reads (a flip inside a value); never a crash.
  std::mt19937 rng(4);
  int failures = 0;
  for (int trial = 0; trial < 20; ++trial) {
    KeyedStateHandle bad = good;
    auto& bytes = bad.blocks[rng() % bad.blocks.size()].bytes;
    for (int f = 0; f < 3; ++f) bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
    auto target = this->make();
    if (!target->restore({bad}, this->dir_.path()).isOk()) {
      ++failures;
      continue;
    }
    try {
      States states(*target);
      for (const std::string& key : model.keys()) {
        target->setCurrentKey(key);
        (void)states.value->value();
        (void)states.list->get();
        states.map->forEach([](const std::string&, const int64_t&) {});
      }
    } catch (const GlintError&) {
      ++failures;
    }
  }
  EXPECT_GT(failures, 0);
}

TYPED_TEST(BackendTest, TimersRoundTripPerKeyGroup) {
  auto backend = this->make();
  TimerService timers(backend.get());
  std::set<std::tuple<int64_t, std::string, int64_t>> expectedEvent, expectedProcessing;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "key-" + std::to_string(i);
    backend->setCurrentKey(key);
    timers.registerEventTimeTimer(StateNamespace{i, i + 1}, 1000 + i % 17);
    expectedEvent.insert({1000 + i % 17, key, i});
    if (i % 3 == 0) {
      timers.registerProcessingTimeTimer(kVoidNamespace, 5000 + i);
      expectedProcessing.insert({5000 + i, key, 0});
    }
  }
  const std::vector<KeyGroupBlock> blocks = timers.snapshotTimers();
  // Restore at parallelism 2: each half gets exactly the timers of its key groups.
  std::set<std::tuple<int64_t, std::string, int64_t>> firedEvent, firedProcessing;
  for (int subtask = 0; subtask < 2; ++subtask) {
    const KeyGroupRange range = keyGroupRangeForSubtask(128, 2, subtask);
    auto half = makeBackend(TypeParam::kType, range, this->dir_.path(), false);
    TimerService restored(half.get());
    ASSERT_TRUE(restored.restoreTimers(blocks).isOk());
    restored.advanceWatermark(INT64_MAX, [&](const Timer& t) {
      EXPECT_TRUE(range.contains(keyGroupForKey(t.key, 128)));
      EXPECT_EQ(half->currentKey(), t.key);
      firedEvent.insert({t.time, t.key, t.ns.first});
    });
    restored.advanceProcessingTime(INT64_MAX, [&](const Timer& t) {
      firedProcessing.insert({t.time, t.key, 0});
    });
  }
  EXPECT_EQ(firedEvent, expectedEvent);
  EXPECT_EQ(firedProcessing, expectedProcessing);
  // Corrupt timer blocks are errors.
  KeyGroupBlock bad = blocks[0];
  bad.bytes.resize(bad.bytes.size() - 3);
  TimerService other(backend.get());
  EXPECT_FALSE(other.restoreTimers({bad}).isOk());
}

TYPED_TEST(BackendTest, SnapshotIsAsOfTheBarrierWhileProcessingContinues) {
  auto backend = this->make();
  Model model;
  States states(*backend);
  std::mt19937 rng(31);
  for (int i = 0; i < 5000; ++i) applyRandomOperation(rng, *backend, states, model);
  const Model atFirstBarrier = model;
  auto first = backend->snapshot(1, this->dir_.location(1, 0));
  for (int i = 0; i < 3000; ++i) applyRandomOperation(rng, *backend, states, model);
  // A second snapshot while the first has not run; then both run on another thread while the
  // task thread goes on writing (including a state registered after the barriers).
  const Model atSecondBarrier = model;
  auto second = backend->snapshot(2, this->dir_.location(2, 0));
  Result<KeyedStateHandle> secondHandle = Status::internal("not run");
  Result<KeyedStateHandle> firstHandle = Status::internal("not run");
  std::thread async([&] {
    secondHandle = second->run();
    firstHandle = first->run();
  });
  auto* late = backend->template valueState<int64_t>("late");
  for (int i = 0; i < 5000; ++i) {
    applyRandomOperation(rng, *backend, states, model);
    late->update(i);
  }
  async.join();
  verifyAll({backend.get()}, model);  // the live state is unaffected
  ASSERT_TRUE(firstHandle.isOk());
  ASSERT_TRUE(secondHandle.isOk());
  for (auto [handle, expected] :
       {std::pair{&*firstHandle, &atFirstBarrier}, std::pair{&*secondHandle, &atSecondBarrier}}) {
    auto restored = this->make();
    ASSERT_TRUE(restored->restore({*handle}, this->dir_.path()).isOk());
    States restoredStates(*restored);
    verifyAll({restored.get()}, *expected);
    EXPECT_EQ(restored->numEntries(), expected->numEntries());
  }
  // A snapshot task dropped without running leaves the backend usable.
  backend->snapshot(3, this->dir_.location(3, 0)).reset();
  for (int i = 0; i < 2000; ++i) applyRandomOperation(rng, *backend, states, model);
  const KeyedStateHandle fourth = takeSnapshot(*backend, 4, this->dir_.location(4, 0));
  auto restored = this->make();
  ASSERT_TRUE(restored->restore({fourth}, this->dir_.path()).isOk());
  States restoredStates(*restored);
  verifyAll({restored.get()}, model);
}

// ---- rescaling -------------------------------------------------------------------------------

struct RescaleCase {
  const char* from;
  bool fromIncremental;
  int fromParallelism;
  const char* to;
};

class RescaleTest : public ::testing::TestWithParam<RescaleCase> {};

TEST_P(RescaleTest, EveryKeyKeepsItsStateAtAnyParallelism) {
  const RescaleCase c = GetParam();
  TempDir dir;
  Model model;
  std::vector<std::unique_ptr<KeyedStateBackend>> sources;
  std::vector<std::unique_ptr<States>> sourceStates;
  for (int i = 0; i < c.fromParallelism; ++i) {
    sources.push_back(makeBackend(c.from, keyGroupRangeForSubtask(128, c.fromParallelism, i),
                                  dir.path(), c.fromIncremental));
    sourceStates.push_back(std::make_unique<States>(*sources.back()));
  }
  std::mt19937 rng(21);
  for (int i = 0; i < 8000; ++i) {
    const std::string key = model.pickKey(rng);
    const int owner = subtaskForKeyGroup(keyGroupForKey(key, 128), c.fromParallelism, 128);
    applyOperation(rng, key, *sources[owner], *sourceStates[owner], model);
  }
  std::vector<KeyedStateHandle> handles;
  for (int i = 0; i < c.fromParallelism; ++i)
    handles.push_back(takeSnapshot(*sources[i], 1, dir.location(1, i)));
  for (int to : {1, 2, 3, 4}) {
    SCOPED_TRACE("to parallelism " + std::to_string(to));
    std::vector<std::unique_ptr<KeyedStateBackend>> targets;
    std::vector<std::unique_ptr<States>> targetStates;
    for (int i = 0; i < to; ++i) {
      targets.push_back(makeBackend(c.to, keyGroupRangeForSubtask(128, to, i), dir.path(), false));
      ASSERT_TRUE(targets.back()->restore(handles, dir.path()).isOk());
      targetStates.push_back(std::make_unique<States>(*targets.back()));
    }
    std::vector<KeyedStateBackend*> raw;
    size_t entries = 0;
    for (auto& t : targets) {
      raw.push_back(t.get());
      entries += t->numEntries();
    }
    verifyAll(raw, model);
    EXPECT_EQ(entries, model.numEntries());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RescaleTest,
                         ::testing::Values(RescaleCase{"heap", false, 2, "heap"},
                                           RescaleCase{"heap", false, 4, "rocksdb"},
                                           RescaleCase{"rocksdb", false, 2, "heap"},
                                           RescaleCase{"rocksdb", false, 4, "rocksdb"},
                                           RescaleCase{"rocksdb", true, 2, "rocksdb"},
                                           RescaleCase{"rocksdb", true, 4, "heap"}),
                         [](const auto& info) {
                           return std::string(info.param.from) +
                                  (info.param.fromIncremental ? "Native" : "") + "X" +
                                  std::to_string(info.param.fromParallelism) + "To" + info.param.to;
                         });

// ---- RocksDB native incremental checkpoints ----------------------------------------------------

TEST(RocksDbIncrementalTest, SecondCheckpointUploadsOnlyWhatChanged) {
  TempDir dir;
  auto backend = makeBackend("rocksdb", {0, 127}, dir.path(), true);
  auto* value = backend->valueState<std::string>("v");
  const int kKeys = 20000;
  // Incompressible values, so the bytes measure the data and not the compressor.
  auto valueOf = [](int i) {
    std::mt19937 rng(static_cast<unsigned>(i));
    std::string s(100, ' ');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  };
  for (int i = 0; i < kKeys; ++i) {
    backend->setCurrentKey("key-" + std::to_string(i));
    value->update(valueOf(i));
  }
  const KeyedStateHandle first = takeSnapshot(*backend, 1, dir.location(1, 0));
  ASSERT_EQ(first.kind, KeyedStateHandle::Kind::kNative);
  backend->notifyCheckpointComplete(1);
  for (int i = 0; i < kKeys / 100; ++i) {  // 1% of the keys
    backend->setCurrentKey("key-" + std::to_string(i * 100));
    value->update("changed");
  }
  const KeyedStateHandle second = takeSnapshot(*backend, 2, dir.location(2, 0));
  backend->notifyCheckpointComplete(2);
  EXPECT_GT(first.bytesWritten, 1000000u);
  EXPECT_LT(second.bytesWritten * 10, first.bytesWritten)
      << "first " << first.bytesWritten << " second " << second.bytesWritten;
  // The second references the first's SSTs by their shared paths.
  std::set<std::string> firstPaths;
  for (const auto& f : first.files) firstPaths.insert(f.relativePath);
  size_t reused = 0;
  for (const auto& f : second.files) {
    reused += firstPaths.count(f.relativePath);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / f.relativePath)) << f.relativePath;
  }
  EXPECT_GT(reused, 0u);

  // Restoring the second checkpoint (same range: the database is taken as it is) sees both the
  // old and the changed values; its next checkpoint reuses the restored SSTs.
  auto restored = makeBackend("rocksdb", {0, 127}, dir.path(), true);
  ASSERT_TRUE(restored->restore({second}, dir.path()).isOk());
  auto* restoredValue = restored->valueState<std::string>("v");
  for (int i = 0; i < kKeys; i += 37) {
    restored->setCurrentKey("key-" + std::to_string(i));
    EXPECT_EQ(restoredValue->value(), i % 100 == 0 ? "changed" : valueOf(i));
  }
  const KeyedStateHandle third = takeSnapshot(*restored, 3, dir.location(3, 0));
  EXPECT_LT(third.bytesWritten * 10, first.bytesWritten);
}

TEST(RocksDbIncrementalTest, AbortedCheckpointUploadsAreNotReused) {
  TempDir dir;
  auto backend = makeBackend("rocksdb", {0, 127}, dir.path(), true);
  auto* value = backend->valueState<int64_t>("v");
  backend->setCurrentKey("a");
  value->update(1);
  const KeyedStateHandle first = takeSnapshot(*backend, 1, dir.location(1, 0));
  backend->notifyCheckpointAborted(1);
  const KeyedStateHandle second = takeSnapshot(*backend, 2, dir.location(2, 0));
  // Nothing was confirmed, so the SSTs are uploaded again under new names.
  std::set<std::string> firstPaths;
  for (const auto& f : first.files) firstPaths.insert(f.relativePath);
  for (const auto& f : second.files)
    EXPECT_EQ(firstPaths.count(f.relativePath), 0u) << f.relativePath;
}

TEST(RocksDbIncrementalTest, MissingFileIsAnError) {
  TempDir dir;
  auto backend = makeBackend("rocksdb", {0, 127}, dir.path(), true);
  backend->setCurrentKey("a");
  backend->valueState<int64_t>("v")->update(1);
  KeyedStateHandle handle = takeSnapshot(*backend, 1, dir.location(1, 0));
  for (const auto& f : handle.files)
    if (f.localName.ends_with(".sst")) std::filesystem::remove(dir.path() / f.relativePath);
  auto restored = makeBackend("rocksdb", {0, 127}, dir.path(), true);
  EXPECT_FALSE(restored->restore({handle}, dir.path()).isOk());
  auto heap = makeBackend("heap", {0, 127}, dir.path(), false);
  EXPECT_FALSE(heap->restore({handle}, dir.path()).isOk());
}

TEST(RocksDbIncrementalTest, SavepointsAreCanonical) {
  TempDir dir;
  auto backend = makeBackend("rocksdb", {0, 127}, dir.path(), true);
  backend->setCurrentKey("a");
  backend->valueState<int64_t>("v")->update(1);
  SnapshotLocation location = dir.location(1, 0);
  location.savepoint = true;
  EXPECT_EQ(takeSnapshot(*backend, 1, location).kind, KeyedStateHandle::Kind::kCanonical);
}

TEST(RocksDbBackendTest, SnapshotSeesStateAsOfTheBarrier) {
  TempDir dir;
  for (bool incremental : {false, true}) {
    auto backend = makeBackend("rocksdb", {0, 127}, dir.path(), incremental);
    auto* value = backend->valueState<int64_t>("v");
    backend->setCurrentKey("a");
    value->update(1);
    auto task = backend->snapshot(1, dir.location(incremental ? 2 : 1, 0));
    value->update(2);  // after the barrier: not in the snapshot
    auto handle = task->run();
    ASSERT_TRUE(handle.isOk());
    auto restored = makeBackend("heap", {0, 127}, dir.path(), false);
    ASSERT_TRUE(restored->restore({*handle}, dir.path()).isOk());
    restored->setCurrentKey("a");
    EXPECT_EQ(restored->valueState<int64_t>("v")->value(), 1);
  }
}

// ---- options and factory ---------------------------------------------------------------------

TEST(StateBackendOptionsTest, ParsesFlinkOptionNames) {
  auto o = StateBackendOptions::fromConfig({{"state.backend.type", "RocksDB"},
                                            {"state.backend.incremental", "true"},
                                            {"state.backend.rocksdb.localdir", "/tmp/x"},
                                            {"state.backend.rocksdb.memory.fixed-per-tm", "64 mb"},
                                            {"unrelated", "1"}});
  ASSERT_TRUE(o.isOk()) << o.status().message();
  EXPECT_EQ(o->type, "rocksdb");
  EXPECT_TRUE(o->incremental);
  EXPECT_EQ(o->localDir, "/tmp/x");
  EXPECT_EQ(o->memoryBudgetBytes, 64 << 20);
  EXPECT_EQ(StateBackendOptions::fromConfig({})->type, "heap");
  EXPECT_EQ(*parseMemorySize("1g"), int64_t{1} << 30);
  EXPECT_EQ(*parseMemorySize("4096"), 4096);
}

TEST(StateBackendOptionsTest, ErrorsNameTheOption) {
  auto bad = StateBackendOptions::fromConfig({{"state.backend.type", "memory"}});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("state.backend.type"), std::string::npos);
  EXPECT_NE(bad.status().message().find("heap, rocksdb"), std::string::npos);
  auto incremental = StateBackendOptions::fromConfig({{"state.backend.incremental", "yes"}});
  ASSERT_FALSE(incremental.isOk());
  EXPECT_NE(incremental.status().message().find("state.backend.incremental"), std::string::npos);
  auto memory = StateBackendOptions::fromConfig(
      {{"state.backend.rocksdb.memory.fixed-per-tm", "12 parsecs"}});
  ASSERT_FALSE(memory.isOk());
  EXPECT_NE(memory.status().message().find("fixed-per-tm"), std::string::npos);
  auto style = StateBackendOptions::fromConfig({{"state.backend.rocksdb.compaction.style", "universal"}});
  ASSERT_TRUE(style.isOk());
  EXPECT_EQ(style->compactionStyle, "UNIVERSAL");
  auto badStyle = StateBackendOptions::fromConfig({{"state.backend.rocksdb.compaction.style", "tiered"}});
  ASSERT_FALSE(badStyle.isOk());
  EXPECT_NE(badStyle.status().message().find("LEVEL or UNIVERSAL"), std::string::npos);
  StateBackendOptions unknown;
  unknown.type = "memory";
  auto created = createKeyedStateBackend(unknown, {0, 127}, 128, "op-0");
  ASSERT_FALSE(created.isOk());
  EXPECT_NE(created.status().message().find("state.backend.type"), std::string::npos);
}

TEST(StateBackendOptionsTest, FactoryCreatesEachBackend) {
  TempDir dir;
  StateBackendOptions o;
  o.localDir = dir.path();
  auto heap = createKeyedStateBackend(o, {0, 63}, 128, "op-0");
  ASSERT_TRUE(heap.isOk());
  EXPECT_NE(dynamic_cast<HeapKeyedStateBackend*>(heap->get()), nullptr);
  o.type = "rocksdb";
  auto rocks = createKeyedStateBackend(o, {0, 63}, 128, "op-0");
  ASSERT_TRUE(rocks.isOk()) << rocks.status().message();
  auto* r = dynamic_cast<RocksDbKeyedStateBackend*>(rocks->get());
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(std::filesystem::exists(r->workingDirectory()));
  const auto workDir = r->workingDirectory();
  rocks->reset();
  EXPECT_FALSE(std::filesystem::exists(workDir));  // removed with the backend
}

}  // namespace
}  // namespace glint
