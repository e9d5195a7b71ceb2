// RocksDB state larger than its memory budget. Disabled by default: the block cache and write
// buffer manager are sized once per process by the first RocksDB backend, so this test must run
// alone, and it writes 200 MiB. Run it with
//   glint_tests --gtest_also_run_disabled_tests --gtest_filter='*StateLargerThanMemory*'
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <random>

#include "glint/state/rocksdb/rocksdb_keyed_state_backend.h"
#include "tests/state/state_test_support.h"

namespace glint {
namespace {

using namespace state_test;

std::string valueOf(int64_t i, size_t size) {
  std::mt19937_64 rng(static_cast<uint64_t>(i));
  std::string s(size, ' ');
  for (size_t k = 0; k + 8 <= size; k += 8) {
    const uint64_t r = rng();
    std::memcpy(s.data() + k, &r, 8);
  }
  return s;
}

TEST(RocksDbMemoryTest, DISABLED_StateLargerThanMemoryStaysWithinBudget) {
  TempDir dir;
  StateBackendOptions options;
  options.type = "rocksdb";
  options.localDir = dir.path();
  options.memoryBudgetBytes = 16 << 20;
  auto created = createKeyedStateBackend(options, {0, 127}, 128, "memory-test-0");
  ASSERT_TRUE(created.isOk()) << created.status().message();
  auto& backend = **created;
  auto* value = backend.valueState<std::string>("v");
  const int64_t kValueSize = 1024;
  const int64_t kKeys = (200 << 20) / kValueSize;  // 200 MiB of incompressible values
  size_t maxCache = 0;
  for (int64_t i = 0; i < kKeys; ++i) {
    backend.setCurrentKey("key-" + std::to_string(i));
    value->update(valueOf(i, kValueSize));
    if (i % 4096 == 0) maxCache = std::max(maxCache, RocksDbKeyedStateBackend::sharedCacheUsage());
  }
  std::mt19937 rng(1);
  for (int n = 0; n < 20000; ++n) {
    const int64_t i = rng() % kKeys;
    backend.setCurrentKey("key-" + std::to_string(i));
    ASSERT_EQ(value->value(), valueOf(i, kValueSize)) << i;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("wrote %lld MiB with a 16 MiB budget: peak RSS %ld MiB, peak cache usage %zu MiB\n",
              static_cast<long long>(kKeys * kValueSize >> 20), usage.ru_maxrss / 1024, maxCache >> 20);
  EXPECT_LT(maxCache, size_t{20} << 20);
  EXPECT_LT(usage.ru_maxrss / 1024, 150);  // far below the 200 MiB written
}

}  // namespace
}  // namespace glint
