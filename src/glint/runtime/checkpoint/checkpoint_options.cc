#include "glint/runtime/checkpoint/checkpoint_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

namespace glint {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads options of one namespace and rejects keys in it that nobody reads.
class OptionReader {
 public:
  OptionReader(const JobConfig& config, std::vector<std::string> prefixes)
      : config_(config), prefixes_(std::move(prefixes)) {}

  const std::string* find(const std::string& key) {
    known_.insert(key);
    auto it = config_.options.find(key);
    return it == config_.options.end() ? nullptr : &it->second;
  }
  Status duration(const std::string& key, int64_t* out) {
    if (auto* v = find(key)) {
      auto d = parseDurationMillis(*v);
      if (!d.isOk()) return Status::invalidArgument("option '" + key + "': " + d.status().message());
      *out = *d;
    }
    return Status::ok();
  }
  Status integer(const std::string& key, int64_t min, int* out) {
    if (auto* v = find(key)) {
      int64_t x = 0;
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
      if (ec != std::errc() || p != v->data() + v->size() || x < min || x > INT32_MAX)
        return Status::invalidArgument("option '" + key + "': expected an integer >= " +
                                       std::to_string(min) + ", got '" + *v + "'");
      *out = static_cast<int>(x);
    }
    return Status::ok();
  }
  Status real(const std::string& key, double min, double* out) {
    if (auto* v = find(key)) {
      char* end = nullptr;
      double x = std::strtod(v->c_str(), &end);
      if (end != v->c_str() + v->size() || v->empty() || !(x >= min))
        return Status::invalidArgument("option '" + key + "': expected a number >= " +
                                       std::to_string(min) + ", got '" + *v + "'");
      *out = x;
    }
    return Status::ok();
  }
  Status boolean(const std::string& key, bool* out) {
    if (auto* v = find(key)) {
      std::string l = lower(*v);
      if (l == "true")
        *out = true;
      else if (l == "false")
        *out = false;
      else
        return Status::invalidArgument("option '" + key + "': expected true or false, got '" + *v +
                                       "'");
    }
    return Status::ok();
  }
  // Any key under our prefixes that was not asked for is a mistake (usually a typo).
  Status rejectUnknown() const {
    for (const auto& [key, value] : config_.options) {
      bool ours = false;
      for (const auto& p : prefixes_) ours |= key.rfind(p, 0) == 0;
      if (ours && !known_.count(key)) {
        std::string list;
        for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
        return Status::invalidArgument("unknown option '" + key + "'; known options: " + list);
      }
    }
    return Status::ok();
  }

 private:
  const JobConfig& config_;
  std::vector<std::string> prefixes_;
  std::set<std::string> known_;
};

}  // namespace

Result<CheckpointOptions> CheckpointOptions::fromConfig(const JobConfig& config) {
  CheckpointOptions o;
  OptionReader r(config, {"execution.checkpointing.", "execution.savepoint.", "state.checkpoints."});
  GLINT_RETURN_IF_ERROR(r.duration("execution.checkpointing.interval", &o.intervalMillis));
  if (auto* v = r.find("execution.checkpointing.mode")) {
    std::string m = lower(*v);
    std::replace(m.begin(), m.end(), '-', '_');
    if (m == "exactly_once")
      o.mode = CheckpointingMode::kExactlyOnce;
    else if (m == "at_least_once")
      o.mode = CheckpointingMode::kAtLeastOnce;
    else
      return Status::invalidArgument("option 'execution.checkpointing.mode': expected EXACTLY_ONCE "
                                     "or AT_LEAST_ONCE, got '" + *v + "'");
  }
  GLINT_RETURN_IF_ERROR(r.boolean("execution.checkpointing.unaligned", &o.unaligned));
  GLINT_RETURN_IF_ERROR(r.boolean("execution.checkpointing.unaligned.enabled", &o.unaligned));
  GLINT_RETURN_IF_ERROR(r.duration("execution.checkpointing.timeout", &o.timeoutMillis));
  GLINT_RETURN_IF_ERROR(r.duration("execution.checkpointing.min-pause", &o.minPauseMillis));
  GLINT_RETURN_IF_ERROR(
      r.integer("execution.checkpointing.max-concurrent-checkpoints", 1, &o.maxConcurrent));
  GLINT_RETURN_IF_ERROR(
      r.integer("execution.checkpointing.tolerable-failed-checkpoints", 0, &o.tolerableFailures));
  if (auto* v = r.find("state.checkpoints.dir")) o.directory = *v;
  GLINT_RETURN_IF_ERROR(r.integer("state.checkpoints.num-retained", 1, &o.numRetained));
  if (auto* v = r.find("execution.savepoint.path")) o.restorePath = *v;
  GLINT_RETURN_IF_ERROR(
      r.boolean("execution.savepoint.ignore-unclaimed-state", &o.ignoreUnclaimedState));
  GLINT_RETURN_IF_ERROR(r.rejectUnknown());
  if (o.enabled() && o.directory.empty())
    return Status::invalidArgument(
        "option 'execution.checkpointing.interval' is set but 'state.checkpoints.dir' is not: "
        "checkpoints need a directory");
  if (o.unaligned && o.mode == CheckpointingMode::kAtLeastOnce)
    return Status::invalidArgument(
        "unaligned checkpoints ('execution.checkpointing.unaligned') need "
        "execution.checkpointing.mode EXACTLY_ONCE");
  return o;
}

Result<RestartStrategyOptions> RestartStrategyOptions::fromConfig(const JobConfig& config,
                                                                  bool checkpointing) {
  RestartStrategyOptions o;
  o.type = checkpointing ? Type::kExponentialDelay : Type::kNone;
  OptionReader r(config, {"restart-strategy."});
  if (auto* v = r.find("restart-strategy.type")) {
    std::string t = lower(*v);
    if (t == "none" || t == "off" || t == "disable")
      o.type = Type::kNone;
    else if (t == "fixed-delay" || t == "fixeddelay")
      o.type = Type::kFixedDelay;
    else if (t == "exponential-delay" || t == "exponentialdelay")
      o.type = Type::kExponentialDelay;
    else if (t == "failure-rate" || t == "failurerate")
      o.type = Type::kFailureRate;
    else
      return Status::invalidArgument("option 'restart-strategy.type': expected none, fixed-delay, "
                                     "exponential-delay or failure-rate, got '" + *v + "'");
  }
  GLINT_RETURN_IF_ERROR(r.integer("restart-strategy.fixed-delay.attempts", 0, &o.fixedDelayAttempts));
  GLINT_RETURN_IF_ERROR(r.duration("restart-strategy.fixed-delay.delay", &o.fixedDelayMillis));
  GLINT_RETURN_IF_ERROR(
      r.duration("restart-strategy.exponential-delay.initial-backoff", &o.initialBackoffMillis));
  GLINT_RETURN_IF_ERROR(
      r.duration("restart-strategy.exponential-delay.max-backoff", &o.maxBackoffMillis));
  GLINT_RETURN_IF_ERROR(
      r.real("restart-strategy.exponential-delay.backoff-multiplier", 1.0, &o.backoffMultiplier));
  GLINT_RETURN_IF_ERROR(r.duration("restart-strategy.exponential-delay.reset-backoff-threshold",
                                   &o.resetBackoffThresholdMillis));
  GLINT_RETURN_IF_ERROR(
      r.real("restart-strategy.exponential-delay.jitter-factor", 0.0, &o.jitterFactor));
  GLINT_RETURN_IF_ERROR(r.integer("restart-strategy.exponential-delay.attempts-before-reset-backoff",
                                  1, &o.exponentialAttempts));
  GLINT_RETURN_IF_ERROR(r.integer("restart-strategy.failure-rate.max-failures-per-interval", 1,
                                  &o.failureRateMaxFailures));
  GLINT_RETURN_IF_ERROR(r.duration("restart-strategy.failure-rate.failure-rate-interval",
                                   &o.failureRateIntervalMillis));
  GLINT_RETURN_IF_ERROR(r.duration("restart-strategy.failure-rate.delay", &o.failureRateDelayMillis));
  GLINT_RETURN_IF_ERROR(r.rejectUnknown());
  if (o.jitterFactor > 1.0)
    return Status::invalidArgument(
        "option 'restart-strategy.exponential-delay.jitter-factor': expected a number in [0, 1]");
  return o;
}

int64_t RestartStrategy::onFailure(int64_t now, uint64_t randomBits) {
  ++failures_;
  switch (options_.type) {
    case RestartStrategyOptions::Type::kNone:
      return -1;
    case RestartStrategyOptions::Type::kFixedDelay:
      return failures_ > options_.fixedDelayAttempts ? -1 : options_.fixedDelayMillis;
    case RestartStrategyOptions::Type::kFailureRate: {
      recentFailures_.push_back(now);
      std::erase_if(recentFailures_,
                    [&](int64_t t) { return t <= now - options_.failureRateIntervalMillis; });
      if (static_cast<int>(recentFailures_.size()) > options_.failureRateMaxFailures) return -1;
      return options_.failureRateDelayMillis;
    }
    case RestartStrategyOptions::Type::kExponentialDelay: {
      // A long quiet period since the last failure starts the backoff over.
      if (lastFailure_ != INT64_MIN && now - lastFailure_ >= options_.resetBackoffThresholdMillis) {
        currentBackoff_ = 0;
        failures_ = 1;
      }
      lastFailure_ = now;
      if (failures_ > options_.exponentialAttempts) return -1;
      currentBackoff_ = currentBackoff_ == 0
                            ? static_cast<double>(options_.initialBackoffMillis)
                            : std::min(currentBackoff_ * options_.backoffMultiplier,
                                       static_cast<double>(options_.maxBackoffMillis));
      // Jitter in [-factor, +factor] of the backoff, so that many jobs do not restart in step.
      const double unit = static_cast<double>(randomBits % 1'000'001) / 1'000'000.0;
      const double jitter = (unit * 2 - 1) * options_.jitterFactor * currentBackoff_;
      return std::max<int64_t>(0, std::llround(currentBackoff_ + jitter));
    }
  }
  return -1;
}

}  // namespace glint
