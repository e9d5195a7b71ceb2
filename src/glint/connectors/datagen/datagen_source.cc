#include "glint/connectors/datagen/datagen_source.h"

#include <algorithm>
#include <charconv>

#include "glint/common/config.h"
#include "glint/runtime/executor.h"
#include "glint/types/serialization.h"

namespace glint {

namespace {

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Result<int64_t> parseInt(const std::string& key, const std::string& value) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size())
    return Status::invalidArgument("option '" + key + "': expected an integer, got '" + value +
                                   "'");
  return v;
}

Result<double> parseDouble(const std::string& key, const std::string& value) {
  try {
    size_t used = 0;
    double v = std::stod(value, &used);
    if (used == value.size()) return v;
  } catch (...) {
  }
  return Status::invalidArgument("option '" + key + "': expected a number, got '" + value + "'");
}

}  // namespace

Result<DatagenOptions> DatagenOptions::fromOptions(
    const Schema& schema, const std::map<std::string, std::string>& options) {
  DatagenOptions out;
  out.fields.resize(schema.size());
  for (size_t i = 0; i < schema.size(); ++i)
    if (schema.field(i).type == TypeId::kBoolean) out.fields[i].max = 1;
  for (const auto& [key, value] : options) {
    if (key == "connector") continue;
    if (key == "rows-per-second") {
      auto v = parseDouble(key, value);
      if (!v.isOk()) return v.status();
      if (*v < 0)
        return Status::invalidArgument("option 'rows-per-second' must be >= 0, got '" + value +
                                       "'");
      out.rowsPerSecond = *v;
    } else if (key == "number-of-rows") {
      auto v = parseInt(key, value);
      if (!v.isOk()) return v.status();
      out.numberOfRows = *v;
    } else if (key == "seed") {
      auto v = parseInt(key, value);
      if (!v.isOk()) return v.status();
      out.seed = static_cast<uint64_t>(*v);
    } else if (key.rfind("fields.", 0) == 0) {
      const auto dot = key.rfind('.');
      const std::string column = key.substr(7, dot - 7);
      const std::string property = key.substr(dot + 1);
      const int index = schema.indexOf(column);
      if (dot <= 7 || index < 0)
        return Status::invalidArgument("option '" + key + "': unknown column '" + column +
                                       "'; columns are " + schema.toString());
      DatagenField& f = out.fields[index];
      if (property == "kind") {
        if (value == "random")
          f.kind = DatagenField::Kind::kRandom;
        else if (value == "sequence")
          f.kind = DatagenField::Kind::kSequence;
        else
          return Status::invalidArgument("option '" + key +
                                         "': expected 'random' or 'sequence', got '" + value + "'");
      } else if (property == "null-rate") {
        auto v = parseDouble(key, value);
        if (!v.isOk()) return v.status();
        f.nullRate = *v;
      } else if (property == "max-past") {
        auto v = parseDurationMillis(value);
        if (!v.isOk())
          return Status::invalidArgument("option '" + key + "': " + v.status().message());
        f.maxPastMillis = *v;
      } else if (property == "min" || property == "max" || property == "start" ||
                 property == "end" || property == "length") {
        auto v = parseInt(key, value);
        if (!v.isOk()) return v.status();
        if (property == "min") f.min = *v;
        if (property == "max") f.max = *v;
        if (property == "start") f.start = *v;
        if (property == "end") f.end = *v;
        if (property == "length") f.length = static_cast<int>(*v);
      } else {
        return Status::invalidArgument(
            "option '" + key + "': unknown property '" + property +
            "'; expected kind, min, max, length, start, end, null-rate or max-past");
      }
    } else {
      return Status::invalidArgument(
          "unknown datagen option '" + key +
          "'; expected rows-per-second, number-of-rows, seed or fields.<column>.<property>");
    }
  }
  for (size_t i = 0; i < out.fields.size(); ++i) {
    const auto& f = out.fields[i];
    if (f.kind == DatagenField::Kind::kSequence && f.end < f.start)
      return Status::invalidArgument("option 'fields." + schema.field(i).name +
                                     ".end' must be >= start");
    if (f.kind == DatagenField::Kind::kRandom && f.max < f.min)
      return Status::invalidArgument("option 'fields." + schema.field(i).name +
                                     ".max' must be >= min");
  }
  return out;
}

int64_t DatagenOptions::totalRows() const {
  int64_t total = numberOfRows;
  for (const auto& f : fields) {
    if (f.kind != DatagenField::Kind::kSequence || f.end == INT64_MAX) continue;
    const int64_t n = f.end - f.start + 1;
    total = total < 0 ? n : std::min(total, n);
  }
  return total;
}

void DatagenSource::open() {
  total_ = options_.totalRows();
  if (!restored_) stripes_.push_back({context_.parallelism, context_.subtaskIndex});
  startNanos_ = monotonicNanos();
  if (options_.fields.size() != schema_->size()) options_.fields.resize(schema_->size());
}

void DatagenSource::appendRow(int64_t row, Batch& batch) {
  for (size_t c = 0; c < schema_->size(); ++c) {
    const DatagenField& f = options_.fields[c];
    Column& col = batch.mutableColumn(c);
    uint64_t r = mix(options_.seed ^ mix(static_cast<uint64_t>(row) * 131 + c));
    if (f.nullRate > 0 && static_cast<double>(r >> 11) * 0x1.0p-53 < f.nullRate) {
      col.appendNull();
      continue;
    }
    r = mix(r);
    if (f.kind == DatagenField::Kind::kSequence) {
      const int64_t v = f.start + row;
      if (col.physical() == PhysicalType::kDouble)
        col.appendDouble(static_cast<double>(v));
      else if (col.physical() == PhysicalType::kString)
        col.appendString(std::to_string(v));
      else
        col.appendInt(v);
      continue;
    }
    switch (col.type()) {
      case TypeId::kDouble:
        col.appendDouble(static_cast<double>(f.min) + static_cast<double>(r >> 11) * 0x1.0p-53 *
                                                          static_cast<double>(f.max - f.min));
        break;
      case TypeId::kVarchar: {
        scratch_.resize(static_cast<size_t>(std::max(0, f.length)));
        for (size_t i = 0; i < scratch_.size(); ++i) {
          if (i % 12 == 0) r = mix(r);
          scratch_[i] = static_cast<char>('a' + ((r >> ((i % 12) * 5)) & 31) % 26);
        }
        col.appendString(scratch_);
        break;
      }
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        col.appendInt(wallClockMillis() -
                      (f.maxPastMillis > 0
                           ? static_cast<int64_t>(r % static_cast<uint64_t>(f.maxPastMillis + 1))
                           : 0));
        break;
      default: {
        const uint64_t span = static_cast<uint64_t>(f.max - f.min) + 1;
        col.appendInt(f.min + static_cast<int64_t>(span == 0 ? r : r % span));
        break;
      }
    }
  }
}

void DatagenSource::initializeState(OperatorRestoreState&& state) {
  if (!state.restored) return;
  restored_ = true;
  for (const auto& item : state.operatorState) {
    BinaryReader r(item);
    uint8_t version;
    Stripe s;
    if (!r.read(&version) || version != 1 || !r.read(&s.count) || !r.read(&s.next) || s.count <= 0)
      throw GlintError("datagen source: unreadable checkpointed position");
    stripes_.push_back(s);
  }
}

void DatagenSource::snapshotState(const CheckpointBarrier&, const SnapshotLocation&,
                                  OperatorSnapshot& snapshot) {
  for (const Stripe& s : stripes_) {
    std::string item;
    BinaryWriter w(item);
    w.write<uint8_t>(1);
    w.write<int64_t>(s.count);
    w.write<int64_t>(s.next);
    snapshot.operatorState.push_back(std::move(item));
  }
}

SourceOperator::PollResult DatagenSource::pollNext(int64_t* wakeAtNanos) {
  // The stripe with the lowest next row goes first (several only after a rescaling restore).
  Stripe* stripe = nullptr;
  for (Stripe& s : stripes_)
    if ((total_ < 0 || s.next < total_) && (!stripe || s.next < stripe->next)) stripe = &s;
  if (!stripe) {
    output_->emitWatermark(kMaxTimestamp);
    return PollResult::kEnd;
  }
  const int64_t p = context_.parallelism;
  int64_t budget = static_cast<int64_t>(context_.config.batchSize);
  if (options_.rowsPerSecond > 0) {
    const double perSubtask = options_.rowsPerSecond / static_cast<double>(p);
    const int64_t now = monotonicNanos();
    const int64_t due =
        static_cast<int64_t>(perSubtask * static_cast<double>(now - startNanos_) / 1e9) + 1;
    // Rows in chunks of about a millisecond's worth (at most a batch), not one wake-up per row.
    const int64_t chunk = std::clamp<int64_t>(static_cast<int64_t>(perSubtask / 1000), 1,
                                              static_cast<int64_t>(context_.config.batchSize));
    const bool tail = total_ >= 0 && due > emitted_ && (total_ - stripe->next) / stripe->count <= due - emitted_;
    if (due - emitted_ < chunk && !tail) {
      *wakeAtNanos = startNanos_ +
                     static_cast<int64_t>(static_cast<double>(emitted_ + chunk) * 1e9 / perSubtask);
      return PollResult::kNothingNow;
    }
    budget = std::min(budget, due - emitted_);
  }
  Batch batch(schema_);
  int64_t n = 0;
  while (n < budget && (total_ < 0 || stripe->next < total_)) {
    appendRow(stripe->next, batch);
    stripe->next += stripe->count;
    ++n;
  }
  batch.setNumRows(static_cast<size_t>(n));
  emitted_ += n;
  batch.setSourceNanos(monotonicNanos());
  if (context_.metrics) context_.metrics->sourceRecords.fetch_add(n, std::memory_order_relaxed);
  output_->emit(std::move(batch));
  return PollResult::kMore;
}

}  // namespace glint
