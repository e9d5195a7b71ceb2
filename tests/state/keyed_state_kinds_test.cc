// Every kind of keyed state, scoped by key and namespace, on the heap backend.
#include <gtest/gtest.h>

#include "glint/state/heap_keyed_state_backend.h"

namespace glint {
namespace {

class KeyedStateKindsTest : public ::testing::Test {
 protected:
  KeyedStateKindsTest() : backend_(keyGroupRangeForSubtask(128, 1, 0), 128) {}
  void key(const std::string& k, StateNamespace ns = kVoidNamespace) {
    backend_.setCurrentKey(k);
    backend_.setCurrentNamespace(ns);
  }
  HeapKeyedStateBackend backend_;
};

TEST_F(KeyedStateKindsTest, ValueStateIsPerKeyAndNamespace) {
  auto* v = backend_.valueState<int64_t>("v");
  key("a");
  EXPECT_FALSE(v->value().has_value());
  v->update(1);
  key("b");
  v->update(2);
  key("a", {0, 10});
  EXPECT_FALSE(v->value().has_value());
  v->update(3);
  key("a");
  EXPECT_EQ(v->value(), 1);
  key("b");
  EXPECT_EQ(v->value(), 2);
  v->clear();
  EXPECT_FALSE(v->value().has_value());
  key("a", {0, 10});
  EXPECT_EQ(v->value(), 3);
  EXPECT_EQ(backend_.numEntries(), 2u);
}

TEST_F(KeyedStateKindsTest, ListStateAppendsAndClears) {
  auto* l = backend_.listState<std::string>("l");
  key("k");
  EXPECT_TRUE(l->get().empty());
  l->add("x");
  l->add("y");
  EXPECT_EQ(l->get(), (std::vector<std::string>{"x", "y"}));
  l->update({"z"});
  EXPECT_EQ(l->get(), (std::vector<std::string>{"z"}));
  l->update({});
  EXPECT_EQ(backend_.numEntries(), 0u);
}

TEST_F(KeyedStateKindsTest, MapStatePutGetRemoveIterateInKeyOrder) {
  auto* m = backend_.mapState<int64_t, std::string>("m");
  key("k");
  EXPECT_TRUE(m->isEmpty());
  m->put(3, "c");
  m->put(1, "a");
  m->put(2, "b");
  EXPECT_EQ(m->get(2), "b");
  EXPECT_TRUE(m->contains(1));
  m->remove(1);
  EXPECT_FALSE(m->contains(1));
  std::vector<std::pair<int64_t, std::string>> seen;
  m->forEach([&](const int64_t& k, const std::string& v) { seen.emplace_back(k, v); });
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, std::string>>{{2, "b"}, {3, "c"}}));
  key("other");
  EXPECT_TRUE(m->isEmpty());
}

TEST_F(KeyedStateKindsTest, ReducingStateKeepsTheFirstValueThenReduces) {
  auto* r = backend_.reducingState<int64_t>(
      "min", [](const int64_t& a, const int64_t& b) { return std::min(a, b); });
  key("k");
  EXPECT_FALSE(r->get().has_value());
  r->add(-5);  // a reduce seeded with 0 would answer -5 too; check with positives below
  r->add(7);
  EXPECT_EQ(r->get(), -5);
  key("j");
  r->add(9);
  r->add(4);
  EXPECT_EQ(r->get(), 4);  // not 0: the first value is stored as it is
}

TEST_F(KeyedStateKindsTest, AggregatingStateFoldsIntoAnAccumulator) {
  struct Avg {
    int64_t sum = 0, count = 0;
  };
  auto* a = backend_.aggregatingState<int64_t, Avg>(
      "avg", [] { return Avg{}; },
      [](Avg& acc, const int64_t& v) {
        acc.sum += v;
        ++acc.count;
      });
  key("k");
  for (int64_t v : {2, 4, 9}) a->add(v);
  auto acc = a->get();
  ASSERT_TRUE(acc.has_value());
  EXPECT_EQ(acc->sum, 15);
  EXPECT_EQ(acc->count, 3);
  a->clear();
  EXPECT_FALSE(a->get().has_value());
}

TEST_F(KeyedStateKindsTest, SameNameWithAnotherTypeIsAnError) {
  backend_.valueState<int64_t>("s");
  EXPECT_THROW(backend_.valueState<std::string>("s"), GlintError);
}

}  // namespace
}  // namespace glint
