#pragma once
// Job configuration under Flink's option names (docs/architecture.md, rule 10).
#include <cstdint>
#include <map>
#include <string>

#include "glint/common/status.h"

namespace glint {

struct JobConfig {
  int parallelism = 1;                // parallelism.default
  int maxParallelism = 128;           // pipeline.max-parallelism
  int64_t bufferTimeoutMillis = 100;  // execution.buffer-timeout (0: flush after every record)
  size_t batchSize = 4096;            // execution.batch-size (rows per columnar batch)
  size_t channelCapacity = 4;         // taskmanager.network.buffers-per-channel (batches)
  int64_t autoWatermarkIntervalMillis = 200;  // pipeline.auto-watermark-interval (0: every batch)
  int threads = 0;                            // glint.executor.threads (0: one per core)

  // Options of the layers above the core runtime (state backends, checkpointing, restart
  // strategies, SQL), by their Flink names. Each layer validates its own keys when it reads
  // them (e.g. CheckpointOptions::fromConfig), so a misspelt key there is still an error.
  std::map<std::string, std::string> options;

  // Sets an option by its Flink name; unknown names and bad values give an error naming the
  // option and what was expected.
  Status set(const std::string& key, const std::string& value);
  // The value of a namespaced option, or `fallback`.
  std::string get(const std::string& key, const std::string& fallback = "") const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
  }
};

// Option namespaces stored in JobConfig::options and validated by the layer that owns them.
bool isLayerOption(const std::string& key);

// "100 ms", "1s", "2 min", "0" -> milliseconds (Flink's duration syntax).
Result<int64_t> parseDurationMillis(const std::string& text);

}  // namespace glint
