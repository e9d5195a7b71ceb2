#pragma once
// Checkpointing and restart options, read from JobConfig::options under Flink's names.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "glint/common/config.h"

namespace glint {

enum class CheckpointingMode { kExactlyOnce, kAtLeastOnce };

struct CheckpointOptions {
  int64_t intervalMillis = 0;  // execution.checkpointing.interval; 0 disables checkpointing
  CheckpointingMode mode = CheckpointingMode::kExactlyOnce;  // execution.checkpointing.mode
  bool unaligned = false;  // execution.checkpointing.unaligned[.enabled]
  int64_t timeoutMillis = 10 * 60 * 1000;  // execution.checkpointing.timeout
  int64_t minPauseMillis = 0;              // execution.checkpointing.min-pause
  int maxConcurrent = 1;        // execution.checkpointing.max-concurrent-checkpoints
  int tolerableFailures = 0;    // execution.checkpointing.tolerable-failed-checkpoints
  std::filesystem::path directory;  // state.checkpoints.dir
  int numRetained = 1;              // state.checkpoints.num-retained
  std::string restorePath;          // execution.savepoint.path
  bool ignoreUnclaimedState = false;  // execution.savepoint.ignore-unclaimed-state

  bool enabled() const { return intervalMillis > 0; }
  static Result<CheckpointOptions> fromConfig(const JobConfig& config);
};

// restart-strategy.*: what to do when a task fails.
struct RestartStrategyOptions {
  enum class Type { kNone, kFixedDelay, kExponentialDelay, kFailureRate };
  Type type = Type::kNone;
  int fixedDelayAttempts = 1;      // restart-strategy.fixed-delay.attempts
  int64_t fixedDelayMillis = 1000;  // restart-strategy.fixed-delay.delay
  int64_t initialBackoffMillis = 1000;   // restart-strategy.exponential-delay.initial-backoff
  int64_t maxBackoffMillis = 60 * 1000;  // restart-strategy.exponential-delay.max-backoff
  double backoffMultiplier = 1.5;        // restart-strategy.exponential-delay.backoff-multiplier
  int64_t resetBackoffThresholdMillis = 60 * 60 * 1000;  // ...exponential-delay.reset-backoff-threshold
  double jitterFactor = 0.1;             // restart-strategy.exponential-delay.jitter-factor
  int exponentialAttempts = INT32_MAX;   // ...exponential-delay.attempts-before-reset-backoff
  int failureRateMaxFailures = 1;  // restart-strategy.failure-rate.max-failures-per-interval
  int64_t failureRateIntervalMillis = 60 * 1000;  // ...failure-rate.failure-rate-interval
  int64_t failureRateDelayMillis = 1000;          // restart-strategy.failure-rate.delay

  // Without restart-strategy.type, Flink restarts with exponential delay when checkpointing is
  // on and not at all otherwise.
  static Result<RestartStrategyOptions> fromConfig(const JobConfig& config, bool checkpointing);
};

// Decides, failure by failure, whether and after how long to restart.
class RestartStrategy {
 public:
  explicit RestartStrategy(RestartStrategyOptions options) : options_(options) {}
  // Records a failure at `nowMillis`; returns the delay before restarting, or -1 for no restart.
  int64_t onFailure(int64_t nowMillis, uint64_t randomBits);
  const RestartStrategyOptions& options() const { return options_; }

 private:
  RestartStrategyOptions options_;
  int failures_ = 0;
  std::vector<int64_t> recentFailures_;
  double currentBackoff_ = 0;
  int64_t lastFailure_ = INT64_MIN;
};

}  // namespace glint
