#include "glint/common/config.h"

#include <cctype>
#include <charconv>

namespace glint {

Result<int64_t> parseDurationMillis(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
  if (ec != std::errc() || value < 0)
    return Status::invalidArgument("expected a duration such as '100 ms', '2 s' or '1 min', got '" +
                                   text + "'");
  std::string unit(ptr, text.data() + text.size());
  unit.erase(0, unit.find_first_not_of(' '));
  while (!unit.empty() && unit.back() == ' ') unit.pop_back();
  int64_t factor;
  if (unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" || unit == "milliseconds")
    factor = 1;
  else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds")
    factor = 1000;
  else if (unit == "min" || unit == "minute" || unit == "minutes" || unit == "m")
    factor = 60000;
  else if (unit == "h" || unit == "hour" || unit == "hours")
    factor = 3600000;
  else
    return Status::invalidArgument("unknown time unit '" + unit + "' in '" + text +
                                   "'; expected ms, s, min or h");
  return value * factor;
}

static Result<int64_t> parsePositive(const std::string& key, const std::string& value,
                                     int64_t min) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || v < min)
    return Status::invalidArgument("option '" + key + "': expected an integer >= " +
                                   std::to_string(min) + ", got '" + value + "'");
  return v;
}

Status JobConfig::set(const std::string& key, const std::string& value) {
  auto integer = [&](int64_t min, auto* field) -> Status {
    auto v = parsePositive(key, value, min);
    if (!v.isOk()) return v.status();
    *field = static_cast<std::remove_pointer_t<decltype(field)>>(*v);
    return Status::ok();
  };
  auto duration = [&](int64_t* field) -> Status {
    auto v = parseDurationMillis(value);
    if (!v.isOk()) return Status::invalidArgument("option '" + key + "': " + v.status().message());
    *field = *v;
    return Status::ok();
  };
  if (key == "parallelism.default") return integer(1, &parallelism);
  if (key == "pipeline.max-parallelism") return integer(1, &maxParallelism);
  if (key == "execution.buffer-timeout") return duration(&bufferTimeoutMillis);
  if (key == "execution.batch-size") return integer(1, &batchSize);
  if (key == "taskmanager.network.buffers-per-channel") return integer(1, &channelCapacity);
  if (key == "pipeline.auto-watermark-interval") return duration(&autoWatermarkIntervalMillis);
  if (key == "glint.executor.threads") return integer(0, &threads);
  if (isLayerOption(key)) {
    options[key] = value;
    return Status::ok();
  }
  return Status::invalidArgument(
      "unknown option '" + key +
      "'; known options: parallelism.default, pipeline.max-parallelism, execution.buffer-timeout, "
      "execution.batch-size, taskmanager.network.buffers-per-channel, "
      "pipeline.auto-watermark-interval, "
      "glint.executor.threads, and options under state., execution.checkpointing., "
      "execution.savepoint., restart-strategy., table., sink., execution.runtime-mode");
}

bool isLayerOption(const std::string& key) {
  static const char* kPrefixes[] = {"state.",  "execution.checkpointing.", "execution.savepoint.",
                                    "restart-strategy.", "table.", "sink.", "glint.checkpoint.",
                                    "execution.runtime-mode"};
  for (const char* p : kPrefixes)
    if (key.rfind(p, 0) == 0) return true;
  return false;
}

}  // namespace glint
