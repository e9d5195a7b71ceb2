// State TTL (Flink's semantics, processing time from an injected clock) on both backends.
#include <gtest/gtest.h>

#include "glint/state/rocksdb/rocksdb_keyed_state_backend.h"
#include "tests/state/state_test_support.h"

namespace glint {
namespace {

using namespace state_test;

template <class Tag>
class TtlTest : public ::testing::Test {
 protected:
  TtlTest() : backend_(makeBackend(Tag::kType, {0, 127}, dir_.path(), false)) {
    backend_->setTtlTimeProvider([this] { return now_; });
    backend_->setCurrentKey("k");
  }
  static StateTtlConfig ttl(
      StateTtlConfig::UpdateType update = StateTtlConfig::UpdateType::kOnCreateAndWrite,
      StateTtlConfig::Visibility visibility = StateTtlConfig::Visibility::kNeverReturnExpired) {
    StateTtlConfig c;
    c.ttlMillis = 100;
    c.updateType = update;
    c.visibility = visibility;
    return c;
  }
  TempDir dir_;
  int64_t now_ = 1000;
  std::unique_ptr<KeyedStateBackend> backend_;
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
TYPED_TEST_SUITE(TtlTest, BackendTypes, BackendNames);

TYPED_TEST(TtlTest, ValueExpiresAfterTtlSinceLastWrite) {
  auto* v = this->backend_->template valueState<int64_t>("v", this->ttl());
  v->update(1);
  this->now_ = 1099;
  EXPECT_EQ(v->value(), 1);  // reads do not extend the lifetime (kOnCreateAndWrite)
  this->now_ = 1100;
  EXPECT_EQ(v->value(), std::nullopt);
  v->update(2);
  this->now_ = 1150;
  v->update(3);  // writes do
  this->now_ = 1249;
  EXPECT_EQ(v->value(), 3);
  this->now_ = 1250;
  EXPECT_EQ(v->value(), std::nullopt);
}

TYPED_TEST(TtlTest, OnReadAndWriteExtendsOnRead) {
  auto* v = this->backend_->template valueState<int64_t>(
      "v", this->ttl(StateTtlConfig::UpdateType::kOnReadAndWrite));
  v->update(1);
  this->now_ = 1090;
  EXPECT_EQ(v->value(), 1);
  this->now_ = 1180;
  EXPECT_EQ(v->value(), 1);
  this->now_ = 1280;
  EXPECT_EQ(v->value(), std::nullopt);
}

TYPED_TEST(TtlTest, ReturnExpiredIfNotCleanedUpReturnsItOnce) {
  auto* v = this->backend_->template valueState<int64_t>(
      "v", this->ttl(StateTtlConfig::UpdateType::kOnCreateAndWrite,
                     StateTtlConfig::Visibility::kReturnExpiredIfNotCleanedUp));
  v->update(7);
  this->now_ = 5000;
  EXPECT_EQ(v->value(), 7);             // expired but still there
  EXPECT_EQ(v->value(), std::nullopt);  // that read cleaned it up
  EXPECT_EQ(this->backend_->numEntries(), 0u);
}

TYPED_TEST(TtlTest, ReadOfExpiredEntryCleansItUp) {
  auto* v = this->backend_->template valueState<int64_t>("v", this->ttl());
  v->update(1);
  EXPECT_EQ(this->backend_->numEntries(), 1u);
  this->now_ = 2000;
  EXPECT_EQ(v->value(), std::nullopt);
  EXPECT_EQ(this->backend_->numEntries(), 0u);
}

TYPED_TEST(TtlTest, ListElementsExpireOneByOne) {
  auto* l = this->backend_->template listState<std::string>("l", this->ttl());
  l->add("old");
  this->now_ = 1060;
  l->add("new");
  this->now_ = 1100;
  EXPECT_EQ(l->get(), std::vector<std::string>{"new"});
  this->now_ = 1160;
  EXPECT_TRUE(l->get().empty());
  EXPECT_EQ(this->backend_->numEntries(), 0u);
  l->update({"a", "b"});
  this->now_ = 1259;
  EXPECT_EQ(l->get(), (std::vector<std::string>{"a", "b"}));
}

TYPED_TEST(TtlTest, MapEntriesExpireOneByOne) {
  auto* m = this->backend_->template mapState<int64_t, std::string>("m", this->ttl());
  m->put(1, "one");
  this->now_ = 1050;
  m->put(2, "two");
  this->now_ = 1100;
  EXPECT_EQ(m->get(1), std::nullopt);
  EXPECT_FALSE(m->contains(1));
  EXPECT_EQ(m->get(2), "two");
  std::vector<int64_t> keys;
  m->forEach([&](const int64_t& k, const std::string&) { keys.push_back(k); });
  EXPECT_EQ(keys, std::vector<int64_t>{2});
  EXPECT_FALSE(m->isEmpty());
  this->now_ = 1150;
  EXPECT_TRUE(m->isEmpty());
}

TYPED_TEST(TtlTest, AggregatingAndReducingStartOverAfterExpiry) {
  auto* sum = this->backend_->template aggregatingState<int64_t, int64_t>(
      "sum", this->ttl(), [] { return int64_t{0}; },
      [](int64_t& acc, const int64_t& v) { acc += v; });
  auto* max = this->backend_->template reducingState<int64_t>(
      "max", this->ttl(), [](const int64_t& a, const int64_t& b) { return std::max(a, b); });
  sum->add(5);
  max->add(50);
  this->now_ = 1050;
  sum->add(5);
  max->add(10);
  EXPECT_EQ(sum->get(), 10);
  EXPECT_EQ(max->get(), 50);
  this->now_ = 1149;  // last write at 1050: still alive
  EXPECT_EQ(sum->get(), 10);
  this->now_ = 1150;
  sum->add(1);
  max->add(3);
  EXPECT_EQ(sum->get(), 1);
  EXPECT_EQ(max->get(), 3);
  this->now_ = 1300;
  EXPECT_EQ(sum->get(), std::nullopt);
  EXPECT_EQ(max->get(), std::nullopt);
}

TYPED_TEST(TtlTest, SnapshotsLeaveExpiredEntriesOut) {
  auto* v = this->backend_->template valueState<int64_t>("v", this->ttl());
  for (int i = 0; i < 100; ++i) {
    this->backend_->setCurrentKey("key-" + std::to_string(i));
    this->now_ = 1000 + i;
    v->update(i);
  }
  this->now_ = 1150;  // keys 0..50 expired
  const KeyedStateHandle handle = takeSnapshot(*this->backend_, 1, this->dir_.location(1, 0));
  auto restored = makeBackend(TypeParam::kType, {0, 127}, this->dir_.path(), false);
  restored->setTtlTimeProvider([this] { return this->now_; });
  ASSERT_TRUE(restored->restore({handle}, this->dir_.path()).isOk());
  auto* rv = restored->template valueState<int64_t>("v", this->ttl());
  EXPECT_EQ(restored->numEntries(), 49u);
  for (int i = 0; i < 100; ++i) {
    restored->setCurrentKey("key-" + std::to_string(i));
    EXPECT_EQ(rv->value(), i > 50 ? std::optional<int64_t>(i) : std::nullopt) << i;
  }
}

TYPED_TEST(TtlTest, BackgroundCleanupDropsEntriesNobodyReads) {
  auto* v = this->backend_->template valueState<int64_t>("v", this->ttl());
  auto* l = this->backend_->template listState<int64_t>("l", this->ttl());
  for (int i = 0; i < 2000; ++i) {
    this->backend_->setCurrentKey("key-" + std::to_string(i));
    v->update(i);
    l->add(i);
  }
  EXPECT_EQ(this->backend_->numEntries(), 4000u);
  this->now_ = 5000;
  if (std::string(TypeParam::kType) == "heap") {
    // Incremental cleanup: accesses of one live key sweep the others out.
    this->backend_->setCurrentKey("live");
    for (int i = 0; i < 5000; ++i) {
      v->update(i);
      l->get();
    }
    EXPECT_EQ(this->backend_->numEntries(), 1u);  // "live"'s value (its list is empty)
  } else {
    // The compaction filter drops expired values and list elements.
    auto* rocks = dynamic_cast<RocksDbKeyedStateBackend*>(this->backend_.get());
    ASSERT_NE(rocks, nullptr);
    ASSERT_TRUE(rocks->compact().isOk());
    EXPECT_EQ(this->backend_->numEntries(), 0u);
  }
}

}  // namespace
}  // namespace glint
