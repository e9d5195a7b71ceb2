#include "glint/runtime/operators/window_join_operator.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "glint/types/serialization.h"

namespace glint {

WindowJoinOperatorBase::WindowJoinOperatorBase(SchemaPtr leftSchema, std::vector<int> leftKeys,
                                               SchemaPtr rightSchema, std::vector<int> rightKeys,
                                               SchemaPtr outputSchema, WindowAssigner assigner)
    : WindowOperatorBase({std::move(leftSchema), std::move(rightSchema)},
                         {std::move(leftKeys), std::move(rightKeys)}, std::move(outputSchema),
                         std::nullopt),
      assigner_(assigner),
      paneSize_(std::gcd(assigner.size(), assigner.slide())) {
  if (assigner.isMerging() || !assigner.isEventTime())
    throw GlintError("window join supports event-time tumbling and sliding windows, got " +
                     assigner.toString());
  if (keyEncoders_[0].keyTypes().size() != keyEncoders_[1].keyTypes().size())
    throw GlintError("window join: both inputs need the same number of key columns");
  for (size_t k = 0; k < keyEncoders_[0].keyTypes().size(); ++k)
    if (physicalTypeOf(keyEncoders_[0].keyTypes()[k]) !=
        physicalTypeOf(keyEncoders_[1].keyTypes()[k]))
      throw GlintError("window join: key column " + std::to_string(k) +
                       " has different types on the two inputs");
}

void WindowJoinOperatorBase::open() {
  WindowOperatorBase::open();
  for (const auto& block : takeRestoredWindowData()) {
    BinaryReader r(block.bytes);
    while (!r.atEnd()) {
      uint8_t input;
      std::string bytes;
      if (!r.read(&input) || input > 1 || !r.readString(&bytes))
        throw GlintError("window join '" + context_.name + "': unreadable buffered rows in the checkpoint");
      auto batch = deserializeBatch(bytes);
      if (!batch.isOk()) throw GlintError("window join '" + context_.name + "': " + batch.status().message());
      processBatch(input, std::move(*batch));
    }
  }
}

void WindowJoinOperatorBase::snapshotWindowData(std::map<int, std::string>& byGroup) {
  std::map<int, std::vector<uint32_t>> rowsOf;
  std::string bytes;
  for (const auto& [start, pane] : panes_) {
    for (int input = 0; input < 2; ++input) {
      const Batch& rows = pane.rows[input];
      if (rows.empty()) continue;
      rowsOf.clear();
      for (size_t r = 0; r < rows.numRows(); ++r)
        rowsOf[keyGroupOfRow(input, rows, r)].push_back(static_cast<uint32_t>(r));
      for (const auto& [group, indexes] : rowsOf) {
        Batch part(rows.schema());
        part.appendRows(rows, indexes.data(), indexes.size());
        bytes.clear();
        serializeBatch(part, bytes);
        std::string& out = byGroup[group];
        BinaryWriter w(out);
        w.write<uint8_t>(static_cast<uint8_t>(input));
        w.writeString(bytes);
      }
    }
  }
}

size_t WindowJoinOperatorBase::numBufferedRows() const {
  size_t n = 0;
  for (const auto& [start, pane] : panes_) n += pane.rows[0].numRows() + pane.rows[1].numRows();
  return n;
}

WindowJoinOperatorBase::Pane& WindowJoinOperatorBase::paneAt(int64_t start) {
  auto [it, inserted] = panes_.try_emplace(start);
  if (inserted) {
    it->second.rows[0] = Batch(inputSchemas_[0]);
    it->second.rows[1] = Batch(inputSchemas_[1]);
  }
  return it->second;
}

void WindowJoinOperatorBase::processBatch(int input, Batch&& batch) {
  if (batch.empty()) return;
  const size_t n = batch.numRows();
  const KeyEncoder& encoder = keyEncoders_[input];
  Pane* pane = nullptr;
  int64_t paneStart = 0;
  pending_.clear();
  auto flushPending = [&] {
    if (pane && !pending_.empty())
      pane->rows[input].appendRows(batch, pending_.data(), pending_.size());
    pending_.clear();
  };
  for (size_t r = 0; r < n; ++r) {
    const int64_t t = batch.timestamp(r);
    if (t == kMinTimestamp)
      throw GlintError(
          "event-time window join on a row without timestamp (is a timestamp/watermark assigner "
          "missing?)");
    const int64_t lastStart = lastWindowStart(t);
    if (t - lastStart >= assigner_.size()) {
      // Between two windows (slide > size): in no window. Late if behind the watermark, as in
      // Flink's WindowOperator; dropped either way.
      if (t <= currentWatermark_) handleLateRow(batch, r);
      continue;
    }
    if (lastStart + assigner_.size() - 1 <= currentWatermark_) {
      handleLateRow(batch, r);
      continue;
    }
    const int64_t ps = windowStartWithOffset(t, assigner_.offset(), paneSize_);
    if (!pane || ps != paneStart) {
      flushPending();
      pane = &paneAt(ps);
      paneStart = ps;
    }
    encoder.encode(batch, r, keyBuffer_);
    const uint64_t hash = hashBytes(keyBuffer_);
    const uint32_t before = pane->keys.size();
    const uint32_t id = pane->keys.findOrInsert(keyBuffer_, hash);
    if (id == before) checkKeyGroup(keyGroupForHash(hash, context_.maxParallelism));
    pane->keyOf[input].push_back(id);
    pending_.push_back(static_cast<uint32_t>(r));
  }
  flushPending();
  flushOutput();  // only late-row counters: joins emit on watermarks
}

void WindowJoinOperatorBase::processWatermark(int64_t watermark) {
  const int64_t previous = currentWatermark_;
  currentWatermark_ = watermark;
  const int64_t size = assigner_.size();
  const int64_t slide = assigner_.slide();
  // Windows that fire now: maxTimestamp in (previous, watermark], i.e. starts in
  // (previous - size + 1, watermark - size + 1], that contain at least one live pane.
  const int64_t firstExcl = saturatingAdd(saturatingAdd(previous, -size), 1);
  const int64_t lastIncl = saturatingAdd(saturatingAdd(watermark, -size), 1);
  starts_.clear();
  for (auto it = panes_.begin(); it != panes_.end() && it->first <= watermark; ++it) {
    const int64_t p = it->first;
    // Windows containing pane p start in (p - size, p].
    const int64_t lowExcl = std::max(p - size, firstExcl);
    const int64_t high = std::min(p, lastIncl);
    if (high <= lowExcl) continue;
    for (int64_t s = windowStartWithOffset(high, assigner_.offset(), slide); s > lowExcl;
         s -= slide)
      starts_.push_back(s);
  }
  std::sort(starts_.begin(), starts_.end());
  starts_.erase(std::unique(starts_.begin(), starts_.end()), starts_.end());
  for (int64_t s : starts_) fireWindow(TimeWindow{s, s + size});
  // Free the panes whose last window has fired.
  for (auto it = panes_.begin(); it != panes_.end() && it->first <= watermark;) {
    if (lastWindowStart(it->first) + size - 1 <= watermark)
      it = panes_.erase(it);
    else
      ++it;
  }
  flushOutput();
  output_->emitWatermark(watermark);
}

void WindowJoinOperatorBase::fireWindow(const TimeWindow& w) {
  windowPanes_.clear();
  for (int64_t p = w.start; p < w.end; p += paneSize_) {
    auto it = panes_.find(p);
    if (it != panes_.end()) windowPanes_.push_back(&it->second);
  }
  if (windowPanes_.empty()) return;
  // Key ids of the window: the pane's own ids when the window is one pane, else ids in a
  // window-wide table (remap_[i][paneKeyId]).
  const bool single = windowPanes_.size() == 1;
  uint32_t numKeys;
  if (single) {
    numKeys = windowPanes_[0]->keys.size();
  } else {
    windowKeys_.clear();
    if (remap_.size() < windowPanes_.size()) remap_.resize(windowPanes_.size());
    for (size_t i = 0; i < windowPanes_.size(); ++i) {
      const windowing::KeyTable& keys = windowPanes_[i]->keys;
      remap_[i].resize(keys.size());
      for (uint32_t k = 0; k < keys.size(); ++k)
        remap_[i][k] = windowKeys_.findOrInsert(keys.key(k), keys.hash(k));
    }
    numKeys = windowKeys_.size();
  }
  // Group each side's rows by key with a counting sort: handles_[side][offsets_[side][k] ..].
  for (int side = 0; side < 2; ++side) {
    std::vector<uint32_t>& off = offsets_[side];
    off.assign(numKeys + 1, 0);
    size_t total = 0;
    for (size_t i = 0; i < windowPanes_.size(); ++i) {
      for (uint32_t k : windowPanes_[i]->keyOf[side]) ++off[(single ? k : remap_[i][k]) + 1];
      total += windowPanes_[i]->keyOf[side].size();
    }
    // An inner join needs both sides; an outer one the kept side.
    if (total == 0 && !keepUnmatched_[1 - side]) return;
    for (uint32_t k = 0; k < numKeys; ++k) off[k + 1] += off[k];
    handles_[side].resize(total);
    for (size_t i = 0; i < windowPanes_.size(); ++i) {
      const Pane& pane = *windowPanes_[i];
      const std::vector<uint32_t>& keyOf = pane.keyOf[side];
      for (uint32_t r = 0; r < keyOf.size(); ++r) {
        const uint32_t k = single ? keyOf[r] : remap_[i][keyOf[r]];
        handles_[side][off[k]++] = RowHandle{&pane.rows[side], r};
      }
    }
    // off[k] is now the end of key k; shift back to starts.
    for (uint32_t k = numKeys; k > 0; --k) off[k] = off[k - 1];
    off[0] = 0;
  }
  for (uint32_t k = 0; k < numKeys; ++k) {
    const uint32_t nl = offsets_[0][k + 1] - offsets_[0][k];
    const uint32_t nr = offsets_[1][k + 1] - offsets_[1][k];
    if ((nl == 0 && !keepUnmatched_[1]) || (nr == 0 && !keepUnmatched_[0])) continue;
    if (firedBeforeRestore(single ? windowPanes_[0]->keys.hash(k) : windowKeys_.hash(k), w)) continue;
    joinKey(w, handles_[0].data() + offsets_[0][k], nl, handles_[1].data() + offsets_[1][k], nr);
  }
  windowFired(w);
}

}  // namespace glint
