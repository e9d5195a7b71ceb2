#include "glint/state/timer_service.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
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

struct Fired {
  int64_t time;
  std::string key;
  StateNamespace ns;
  bool operator==(const Fired& o) const { return time == o.time && key == o.key && ns == o.ns; }
};

TEST(TimerServiceTest, DedupesDeletesAndFiresInTimeNamespaceKeyOrder) {
  HeapKeyedStateBackend backend(KeyGroupRange{0, 127}, 128);
  TimerService timers(&backend);
  auto reg = [&](int64_t key, StateNamespace ns, int64_t time) {
    backend.setCurrentKey(keyOf(key));
    timers.registerEventTimeTimer(ns, time);
  };
  reg(2, kVoidNamespace, 10);
  reg(1, kVoidNamespace, 10);
  reg(1, kVoidNamespace, 10);  // duplicate
  reg(1, StateNamespace{0, 5}, 10);
  reg(3, kVoidNamespace, 5);
  reg(3, kVoidNamespace, 20);
  EXPECT_EQ(timers.numEventTimers(), 5u);
  backend.setCurrentKey(keyOf(3));
  timers.deleteEventTimeTimer(kVoidNamespace, 20);
  timers.deleteEventTimeTimer(kVoidNamespace, 21);  // absent: nothing happens
  EXPECT_EQ(timers.numEventTimers(), 4u);
  std::vector<Fired> fired;
  timers.advanceWatermark(9, [&](const Timer& t) {
    EXPECT_EQ(backend.currentKey(), t.key);
    EXPECT_EQ(backend.currentNamespace(), t.ns);
    EXPECT_EQ(backend.currentKeyGroup(), keyGroupForKey(t.key, 128));
    fired.push_back({t.time, t.key, t.ns});
  });
  EXPECT_EQ(fired, (std::vector<Fired>{{5, keyOf(3), kVoidNamespace}}));
  fired.clear();
  timers.advanceWatermark(100, [&](const Timer& t) { fired.push_back({t.time, t.key, t.ns}); });
  EXPECT_EQ(fired, (std::vector<Fired>{{10, keyOf(1), kVoidNamespace},
                                       {10, keyOf(2), kVoidNamespace},
                                       {10, keyOf(1), StateNamespace{0, 5}}}));
  EXPECT_EQ(timers.numEventTimers(), 0u);
}

TEST(TimerServiceTest, TimersRegisteredWhileFiringFireInTheSameAdvance) {
  HeapKeyedStateBackend backend(KeyGroupRange{0, 127}, 128);
  TimerService timers(&backend);
  backend.setCurrentKey(keyOf(1));
  timers.registerEventTimeTimer(kVoidNamespace, 1);
  std::vector<int64_t> fired;
  timers.advanceWatermark(5, [&](const Timer& t) {
    fired.push_back(t.time);
    // The same key is current: chain a timer 2 ms later, and one beyond the watermark.
    timers.registerEventTimeTimer(kVoidNamespace, t.time + 2);
  });
  EXPECT_EQ(fired, (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(timers.numEventTimers(), 1u);
}

TEST(TimerServiceTest, TimersDeletedWhileFiringDoNotFire) {
  HeapKeyedStateBackend backend(KeyGroupRange{0, 127}, 128);
  TimerService timers(&backend);
  for (int64_t k = 1; k <= 4; ++k) {
    backend.setCurrentKey(keyOf(k));
    timers.registerEventTimeTimer(kVoidNamespace, 10);  // all due together
    timers.registerEventTimeTimer(kVoidNamespace, 20);
  }
  std::vector<std::pair<int64_t, std::string>> fired;
  timers.advanceWatermark(30, [&](const Timer& t) {
    fired.push_back({t.time, t.key});
    if (t.time == 10 && t.key == keyOf(1)) {
      // Key 3's timer at 10 is due but has not fired: deleting it keeps it from firing, and
      // registering key 2's (still pending) timer again changes nothing.
      backend.setCurrentKey(keyOf(3));
      timers.deleteEventTimeTimer(kVoidNamespace, 10);
      timers.deleteEventTimeTimer(kVoidNamespace, 20);
      backend.setCurrentKey(keyOf(2));
      timers.registerEventTimeTimer(kVoidNamespace, 10);
    }
  });
  std::vector<std::pair<int64_t, std::string>> expected{{10, keyOf(1)}, {10, keyOf(2)},
                                                        {10, keyOf(4)}, {20, keyOf(1)},
                                                        {20, keyOf(2)}, {20, keyOf(4)}};
  EXPECT_EQ(fired, expected);
  EXPECT_EQ(timers.numEventTimers(), 0u);
  // The nodes are reused afterwards.
  backend.setCurrentKey(keyOf(3));
  timers.registerEventTimeTimer(kVoidNamespace, 40);
  EXPECT_EQ(timers.numEventTimers(), 1u);
}

TEST(TimerServiceTest, ProcessingTimeReportsTheEarliestTimer) {
  HeapKeyedStateBackend backend(KeyGroupRange{0, 127}, 128);
  TimerService timers(&backend);
  backend.setCurrentKey(keyOf(1));
  EXPECT_EQ(timers.nextProcessingTime(), INT64_MAX);
  EXPECT_TRUE(timers.registerProcessingTimeTimer(kVoidNamespace, 100));
  EXPECT_FALSE(timers.registerProcessingTimeTimer(kVoidNamespace, 200));
  EXPECT_TRUE(timers.registerProcessingTimeTimer(kVoidNamespace, 50));
  EXPECT_EQ(timers.nextProcessingTime(), 50);
  timers.deleteProcessingTimeTimer(kVoidNamespace, 50);
  EXPECT_EQ(timers.nextProcessingTime(), 100);
  int n = 0;
  timers.advanceProcessingTime(150, [&](const Timer&) { ++n; });
  EXPECT_EQ(n, 1);
  EXPECT_EQ(timers.nextProcessingTime(), 200);
  EXPECT_EQ(timers.numProcessingTimers(), 1u);
  EXPECT_EQ(timers.numEventTimers(), 0u);
}

// Random registrations (many duplicates), deletions and watermarks against an ordered set.
TEST(TimerServiceTest, RandomOperationsMatchAnOrderedSet) {
  HeapKeyedStateBackend backend(KeyGroupRange{0, 127}, 128);
  TimerService timers(&backend);
  std::set<std::tuple<int64_t, StateNamespace, std::string>> ref;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> key(0, 300), dt(0, 400), window(0, 3), op(0, 99);
  int64_t wm = 0;
  for (int step = 0; step < 100000; ++step) {
    const int64_t o = op(rng);
    const std::string k = keyOf(key(rng));
    const int64_t w = window(rng);
    const StateNamespace ns = w == 0 ? kVoidNamespace : StateNamespace{w * 10, w * 10 + 10};
    const int64_t time = wm + 1 + dt(rng);
    backend.setCurrentKey(k);
    if (o < 70) {
      timers.registerEventTimeTimer(ns, time);
      ref.insert({time, ns, k});
    } else if (o < 90) {
      // Delete a timer that exists (the first one at or after a random point) or one that does not.
      auto it = ref.lower_bound({time, kVoidNamespace, std::string()});
      if (it != ref.end() && o < 85) {
        backend.setCurrentKey(std::get<2>(*it));
        timers.deleteEventTimeTimer(std::get<1>(*it), std::get<0>(*it));
        ref.erase(it);
      } else {
        timers.deleteEventTimeTimer(ns, time);
        ref.erase({time, ns, k});
      }
    } else {
      wm += dt(rng) / 4;
      std::vector<std::tuple<int64_t, StateNamespace, std::string>> fired, expected;
      timers.advanceWatermark(wm, [&](const Timer& t) { fired.push_back({t.time, t.ns, t.key}); });
      while (!ref.empty() && std::get<0>(*ref.begin()) <= wm) {
        expected.push_back(*ref.begin());
        ref.erase(ref.begin());
      }
      ASSERT_EQ(fired, expected) << "step " << step;
    }
    ASSERT_EQ(timers.numEventTimers(), ref.size()) << "step " << step;
  }
  size_t rest = 0;
  timers.advanceWatermark(INT64_MAX, [&](const Timer&) { ++rest; });
  EXPECT_EQ(rest, ref.size());
  EXPECT_EQ(timers.numEventTimers(), 0u);
}

}  // namespace
}  // namespace glint
