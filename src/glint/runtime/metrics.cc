#include "glint/runtime/metrics.h"

#include <bit>
#include <cmath>

namespace glint {

int LatencyHistogram::bucketOf(int64_t micros) {
  if (micros < kSubBuckets) return static_cast<int>(std::max<int64_t>(micros, 0));
  const int log = 63 - std::countl_zero(static_cast<uint64_t>(micros));  // >= 4
  const int sub = static_cast<int>((micros >> (log - 4)) & (kSubBuckets - 1));
  return std::min(kBuckets - 1, (log - 3) * kSubBuckets + sub);
}

int64_t LatencyHistogram::upperBoundOf(int bucket) {
  if (bucket < kSubBuckets) return bucket;
  const int log = bucket / kSubBuckets + 3;
  const int sub = bucket % kSubBuckets;
  return ((int64_t{kSubBuckets} + sub + 1) << (log - 4)) - 1;
}

void LatencyHistogram::record(int64_t micros, int64_t rows) {
  if (rows <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  counts_[bucketOf(micros)] += rows;
  total_ += rows;
  max_ = std::max(max_, micros);
}

int64_t LatencyHistogram::percentile(double q) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (total_ == 0) return 0;
  const double target = q * static_cast<double>(total_);
  int64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (counts_[b] > 0 && static_cast<double>(seen) >= target)
      return std::min(upperBoundOf(b), max_);
  }
  return max_;
}

int64_t LatencyHistogram::max() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_;
}

int64_t LatencyHistogram::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

}  // namespace glint
