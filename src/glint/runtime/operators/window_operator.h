#pragma once
// Keyed window aggregation with Flink's WindowOperator semantics (EventTimeTrigger /
// ProcessingTimeTrigger, allowed lateness, late-data side output), specialised for incremental
// aggregation: window(...).aggregate(AggregateFunction, ProcessWindowFunction).
//
// Semantics (event time), as in Flink:
//  * A row with timestamp t belongs to the windows the assigner gives for t. A window fires
//    when the watermark reaches window.maxTimestamp() (= end - 1); output rows carry the
//    timestamp window.maxTimestamp().
//  * A window is late when maxTimestamp + allowedLateness <= watermark; a row whose windows
//    are all late is a late row: it goes unchanged to the late-data side output when that
//    output is consumed, otherwise it is counted in JobMetrics::lateRecordsDropped.
//  * With allowedLateness > 0 a window's state lives until maxTimestamp + allowedLateness (a
//    clean-up timer); a row for a window that already fired but is not late makes the window
//    fire again at once with the updated accumulator (EventTimeTrigger's FIRE on element),
//    one output per such row.
//  * Session windows ([t, t + gap) per row) merge with every window of the key that they
//    intersect or touch (Flink's TimeWindow.intersects); accumulators are combined with Merge
//    and the timers move to the merged window.
// Processing time: a row is assigned by the processing-time clock read once per input batch;
// windows fire through processing-time timers at maxTimestamp (no lateness). When a bounded
// input ends, finish() fires every processing-time window that has not fired yet (Flink drops
// pending processing-time timers at end of input in streaming mode; we prefer not to lose the
// last windows' results).
//
// State: accumulators live in keyed value state ("window-acc", namespace = window) and, for
// session windows, the key's current windows in "window-sessions" (void namespace), so another
// state backend can be plugged in. Event-time tumbling windows and sliding windows whose size
// is a multiple of the slide are sliced (as Flink SQL's slicing window aggregation): the
// namespace is then a slice of length `slide`, a row updates one accumulator instead of
// size/slide, and a window is the Merge of its slices when it fires (see "sliced windows"
// below); other windows keep one accumulator and timer per (key, window). Within one input
// batch rows are grouped by key; each (key, window or slice) accumulator is read from state
// once, updated in a local copy by the inlined Add for every row of the batch, and written
// back once: there is no virtual call and no std::function per row, and no allocation per row.
// Results are collected in one output batch, emitted after the windows of a watermark fired
// (or at the end of an input batch when late rows re-fired windows).
//
// Rows are treated as inserts whatever their RowKind (DataStream windows are insert-only).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "glint/api/functions.h"
#include "glint/runtime/operators/keyed_operator.h"
#include "glint/runtime/operators/window_assigner.h"

namespace glint {

namespace windowing {

// A hash table of byte-string keys with dense ids (0, 1, ... in insertion order), keys kept in
// one arena: no allocation per key once warmed up. Used to group the rows of a batch by key
// and by the window operators to index buffered rows.
class KeyTable {
 public:
  // The id of `key` (whose hashBytes is `hash`), adding it when new.
  uint32_t findOrInsert(std::string_view key, uint64_t hash) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
    size_t i = hash & mask_;
    for (;;) {
      const uint32_t s = slots_[i];
      if (s == 0) {
        const uint32_t id = static_cast<uint32_t>(hashes_.size());
        slots_[i] = id + 1;
        arena_.append(key.data(), key.size());
        offsets_.push_back(static_cast<uint32_t>(arena_.size()));
        hashes_.push_back(hash);
        return id;
      }
      if (hashes_[s - 1] == hash && bytesEqual(this->key(s - 1), key)) return s - 1;
      i = (i + 1) & mask_;
    }
  }
  // The id of `key`, or -1.
  int64_t find(std::string_view key, uint64_t hash) const {
    if (slots_.empty()) return -1;
    size_t i = hash & mask_;
    for (;;) {
      const uint32_t s = slots_[i];
      if (s == 0) return -1;
      if (hashes_[s - 1] == hash && bytesEqual(this->key(s - 1), key)) return s - 1;
      i = (i + 1) & mask_;
    }
  }
  std::string_view key(uint32_t id) const {
    return std::string_view(arena_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  uint64_t hash(uint32_t id) const { return hashes_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(hashes_.size()); }
  // Forgets all keys, keeping the memory.
  void clear();
  size_t byteSize() const { return arena_.capacity() + offsets_.capacity() * 4 + hashes_.capacity() * 8 + slots_.capacity() * 4; }

 private:
  void grow();
  std::string arena_;
  std::vector<uint32_t> offsets_{0};
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> slots_;  // id + 1, 0 = empty; size is a power of two
  size_t mask_ = 0;
};

// The rows of one batch grouped by key: group g has key keys.key(g), key group keyGroup(g)
// and rows rows[start[g] .. start[g+1]) in arrival order.
struct BatchKeyGroups {
  KeyTable keys;
  std::vector<uint32_t> groupOfRow;
  std::vector<uint32_t> start;
  std::vector<uint32_t> rows;
  std::string buffer;
  // Single non-null BIGINT-like key column: rows are grouped by the integer (hashBytes and the
  // key bytes only once per distinct key).
  std::vector<int64_t> intValues;  // by group
  std::vector<uint32_t> intSlots;  // group + 1, 0 = empty

  void build(const KeyEncoder& encoder, const Batch& batch);
  size_t numGroups() const { return keys.size(); }
  std::string_view key(size_t g) const { return keys.key(static_cast<uint32_t>(g)); }
  int keyGroup(size_t g, int maxParallelism) const {
    return keyGroupForHash(keys.hash(static_cast<uint32_t>(g)), maxParallelism);
  }
  const uint32_t* rowsOf(size_t g) const { return rows.data() + start[g]; }
  size_t countOf(size_t g) const { return start[g + 1] - start[g]; }
};

}  // namespace windowing

// What the window and join operators share: the keyed base, one output batch written through
// a RowWriter, the late-row side output / drop counter and the processing-time clock.
class WindowOperatorBase : public KeyedOperator {
 public:
  WindowOperatorBase(std::vector<SchemaPtr> inputSchemas, std::vector<std::vector<int>> keyColumns,
                     SchemaPtr outputSchema, std::optional<OutputTag> lateTag);
  WindowOperatorBase(const WindowOperatorBase&) = delete;
  WindowOperatorBase& operator=(const WindowOperatorBase&) = delete;

  void open() override;
  void finish() override { flushOutput(); }

  // The processing-time clock: wallClockMillis() unless a test installs another one.
  void setProcessingTimeClock(std::function<int64_t()> clock) { clock_ = std::move(clock); }
  int64_t processingTime() const { return clock_ ? clock_() : wallClockMillis(); }
  // Late rows seen so far (sent to the side output or dropped).
  int64_t numLateRows() const { return numLateRows_; }
  const SchemaPtr& outputSchema() const { return outputSchema_; }

 protected:
  void flushOutput() override;
  // A row that came too late: to the late side output when it is consumed, else counted in
  // JobMetrics::lateRecordsDropped (at the next flush).
  void handleLateRow(const Batch& batch, size_t row) {
    ++numLateRows_;
    if (lateIndex_ > 0)
      late_.appendRow(batch, row);
    else
      ++pendingDropped_;
  }
  void checkKeyGroup(int keyGroup) const { GLINT_CHECK(context_.keyGroups.contains(keyGroup)); }

  // ---- snapshots
  // Every key group's block starts with the watermark its windows had fired up to; subclasses
  // add what they keep outside the state backend (slice index, join buffers) per key group.
  void snapshotOperatorData(std::vector<KeyGroupBlock>& blocks) final;
  virtual void snapshotWindowData(std::map<int, std::string>& byKeyGroup) {}
  // The subclass's restored per-key-group data (after WindowOperatorBase::open()).
  std::vector<KeyGroupBlock> takeRestoredWindowData() { return std::move(restoredWindowData_); }
  // After a restore at another parallelism, one instance may hold key groups whose old
  // instances had fired windows up to different watermarks: windows a key group fired before
  // the checkpoint must not fire again. (At the same parallelism this is never true, because
  // the operator's watermark is restored too.)
  bool firedBeforeRestore(uint64_t keyHash, const TimeWindow& w) const {
    if (w.maxTimestamp() > maxRestoredFired_) return false;
    const int kg = keyGroupForHash(keyHash, context_.maxParallelism);
    return w.maxTimestamp() <= restoredFired_[static_cast<size_t>(kg - context_.keyGroups.first)];
  }

  std::vector<SchemaPtr> inputSchemas_;
  SchemaPtr outputSchema_;
  Batch out_;
  RowWriter writer_;
  std::optional<OutputTag> lateTag_;
  int lateIndex_ = 0;  // 1-based side output, 0 = not consumed
  Batch late_;
  int64_t pendingDropped_ = 0;
  int64_t numLateRows_ = 0;
  int64_t sourceNanos_ = 0;  // of the input batch being processed, 0 outside processBatch
  std::function<int64_t()> clock_;
  windowing::BatchKeyGroups groups_;
  std::vector<KeyGroupBlock> restoredWindowData_;
  std::vector<int64_t> restoredFired_;  // by key group - first key group
  int64_t maxRestoredFired_ = INT64_MIN;
};

// Incremental window aggregation per (key, window).
//   Create: ACC()                                  a fresh accumulator
//   Add:    void(ACC&, RowRef)                     folds one input row in
//   Merge:  void(ACC& into, const ACC& from)       combines two accumulators (merging sessions,
//                                                  and the slices of a sliding window)
//   Emit:   void(KeyRef, const TimeWindow&, const ACC&, RowWriter&)
//           writes the window's result rows (any number) with out.emit(...); they get the
//           timestamp window.maxTimestamp().
// ACC must be copyable (it is stored by value in keyed state).
template <class ACC, class Create, class Add, class Merge, class Emit>
class WindowAggregateOperator final : public WindowOperatorBase {
 public:
  WindowAggregateOperator(SchemaPtr inputSchema, std::vector<int> keyColumns, SchemaPtr outputSchema,
                          WindowAssigner assigner, int64_t allowedLateness, std::optional<OutputTag> lateTag,
                          Create create, Add add, Merge merge, Emit emit)
      : WindowOperatorBase({inputSchema}, {std::move(keyColumns)}, std::move(outputSchema), std::move(lateTag)),
        assigner_(assigner),
        eventTime_(assigner.isEventTime()),
        allowedLateness_(allowedLateness),
        create_(std::move(create)),
        add_(std::move(add)),
        merge_(std::move(merge)),
        emit_(std::move(emit)) {
    if (allowedLateness < 0) throw GlintError("allowed lateness must not be negative");
    slicing_ = eventTime_ && !assigner.isMerging() && assigner.size() % assigner.slide() == 0;
    slide_ = assigner.slide();
    size_ = assigner.size();
  }

  void open() override {
    WindowOperatorBase::open();
    accState_ = state().template valueState<ACC>("window-acc");
    if (assigner_.isMerging()) sessionsState_ = state().template valueState<std::vector<TimeWindow>>("window-sessions");
    if (!eventTime_) GLINT_CHECK(context_.task != nullptr);
    // The slice index lives beside the state backend: (slice start, key) of every accumulator.
    for (const KeyGroupBlock& block : takeRestoredWindowData()) {
      BinaryReader r(block.bytes);
      while (!r.atEnd()) {
        int64_t start;
        std::string key;
        if (!r.read(&start) || !r.readString(&key))
          throw GlintError("window operator '" + context_.name + "': unreadable slice index in the checkpoint");
        listKeyInSlice(start, key, hashBytes(key));
      }
    }
    cachedSlice_ = nullptr;
  }

  void processBatch(int input, Batch&& batch) override {
    if (batch.empty()) return;
    sourceNanos_ = batch.sourceNanos();
    const int64_t now = eventTime_ ? 0 : processingTime();
    groups_.build(keyEncoders_[0], batch);
    if (slicing_) computeSliceStarts(batch);
    for (size_t g = 0; g < groups_.numGroups(); ++g) {
      const int kg = groups_.keyGroup(g, context_.maxParallelism);
      checkKeyGroup(kg);
      state_->setCurrentKeyWithHash(groups_.key(g), groups_.keys.hash(static_cast<uint32_t>(g)));
      if (slicing_)
        processKeySliced(batch, groups_.rowsOf(g), groups_.countOf(g), groups_.key(g), groups_.keys.hash(static_cast<uint32_t>(g)));
      else if (assigner_.isMerging())
        processKeyMerging(batch, groups_.rowsOf(g), groups_.countOf(g), now);
      else
        processKey(batch, groups_.rowsOf(g), groups_.countOf(g), now);
    }
    flushOutput();
    sourceNanos_ = 0;
  }

  // Sliced windows fire here (they have no timers); then the timers fire, as in Flink.
  void processWatermark(int64_t watermark) override {
    if (slicing_ && watermark > currentWatermark_) {
      fireSlicedWindows(currentWatermark_, watermark);
      freeSlices(watermark);
    }
    WindowOperatorBase::processWatermark(watermark);
  }

  // Processing-time windows that have not fired yet fire now (see the file comment).
  void finish() override {
    if (!eventTime_)
      timers_->advanceProcessingTime(INT64_MAX, [this](const Timer& t) { onTimer(t); });
    flushOutput();
  }

  const WindowAssigner& assigner() const { return assigner_; }
  // True when the operator keeps one accumulator per (key, slice) (event-time tumbling, and
  // sliding windows whose size is a multiple of the slide).
  bool isSliced() const { return slicing_; }
  // Before open(): false keeps one accumulator per (key, window) with timers even where slicing
  // applies (for tests and benchmarks that compare both).
  void setSlicingEnabled(bool enabled) {
    slicing_ = enabled && eventTime_ && !assigner_.isMerging() && size_ % slide_ == 0;
  }
  // Live slices, and (key, slice) accumulators listed in them: what the per-window timers
  // would be (tests check that everything is released).
  size_t numSlices() const { return slices_.size(); }
  size_t numSliceEntries() const {
    size_t n = 0;
    for (const auto& [start, s] : slices_) n += s.keys.size();
    return n;
  }
  int64_t allowedLateness() const { return allowedLateness_; }

 private:
  void snapshotWindowData(std::map<int, std::string>& byKeyGroup) override {
    for (const auto& [start, slice] : slices_)
      for (const SliceKey& k : slice.keys) {
        BinaryWriter w(byKeyGroup[keyGroupForHash(k.hash, context_.maxParallelism)]);
        w.write<int64_t>(start);
        w.writeString(slice.key(k));
      }
  }

  struct Entry {
    TimeWindow window;
    ACC acc;
    bool persisted;  // the accumulator was in state before this batch (its timers exist)
  };
  struct SessionEntry {
    TimeWindow window;
    std::optional<TimeWindow> persisted;  // the window its state and timers are under, if any
    std::optional<ACC> acc;               // loaded lazily
    bool dirty = false;
  };

  int64_t rowTime(const Batch& batch, size_t row, int64_t now) const {
    if (!eventTime_) return now;
    const int64_t t = batch.timestamp(row);
    if (t == kMinTimestamp)
      throw GlintError("event-time window on a row without timestamp (is a timestamp/watermark assigner missing?)");
    return t;
  }
  int64_t cleanupTime(const TimeWindow& w) const {
    return eventTime_ ? saturatingAdd(w.maxTimestamp(), allowedLateness_) : w.maxTimestamp();
  }
  bool isWindowLate(const TimeWindow& w) const { return eventTime_ && cleanupTime(w) <= currentWatermark_; }
  bool isElementLate(int64_t t) const { return eventTime_ && saturatingAdd(t, allowedLateness_) <= currentWatermark_; }
  // EventTimeTrigger.onElement: FIRE when the watermark is already past the window.
  bool firesOnElement(const TimeWindow& w) const { return eventTime_ && w.maxTimestamp() <= currentWatermark_; }

  void emitWindow(const TimeWindow& w, const ACC& acc) {
    writer_.setTimestamp(w.maxTimestamp());
    emit_(currentKey(), w, acc, writer_);
  }
  void emitWindow(std::string_view key, const TimeWindow& w, const ACC& acc) {
    writer_.setTimestamp(w.maxTimestamp());
    emit_(KeyRef(key, &keyEncoders_[0].keyTypes()), w, acc, writer_);
  }

  void registerTimers(const TimeWindow& w) {
    const StateNamespace ns = w.ns();
    if (!eventTime_) {
      registerProcessingTimeTimer(ns, w.maxTimestamp());
      return;
    }
    const bool trigger = w.maxTimestamp() > currentWatermark_;
    if (trigger) timers_->registerEventTimeTimer(ns, w.maxTimestamp());
    const int64_t cleanup = cleanupTime(w);
    if (cleanup != INT64_MAX && !(trigger && cleanup == w.maxTimestamp())) timers_->registerEventTimeTimer(ns, cleanup);
  }
  void deleteTimers(const TimeWindow& w) {
    const StateNamespace ns = w.ns();
    if (!eventTime_) {
      timers_->deleteProcessingTimeTimer(ns, w.maxTimestamp());
      return;
    }
    timers_->deleteEventTimeTimer(ns, w.maxTimestamp());
    timers_->deleteEventTimeTimer(ns, cleanupTime(w));
  }

  // ---- tumbling and sliding windows

  Entry& entryFor(const TimeWindow& w) {
    // Windows of one assigner are identified by their start.
    if (lastEntry_ < entries_.size() && entries_[lastEntry_].window.start == w.start) return entries_[lastEntry_];
    if (!useIndex_) {
      for (size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].window.start == w.start) return entries_[lastEntry_ = i];
    } else {
      auto it = entryIndex_.find(w.start);
      if (it != entryIndex_.end()) return entries_[lastEntry_ = it->second];
    }
    state_->setCurrentNamespace(w.ns());
    std::optional<ACC> stored = accState_->value();
    const bool persisted = stored.has_value();
    entries_.push_back(Entry{w, persisted ? std::move(*stored) : create_(), persisted});
    lastEntry_ = entries_.size() - 1;
    if (useIndex_) {
      entryIndex_.emplace(w.start, lastEntry_);
    } else if (entries_.size() > 16) {  // many windows for one key in one batch: index them
      useIndex_ = true;
      for (size_t i = 0; i < entries_.size(); ++i) entryIndex_.emplace(entries_[i].window.start, i);
    }
    return entries_[lastEntry_];
  }

  void processKey(const Batch& batch, const uint32_t* rows, size_t n, int64_t now) {
    entries_.clear();
    lastEntry_ = 0;
    if (useIndex_) {
      entryIndex_.clear();
      useIndex_ = false;
    }
    for (size_t i = 0; i < n; ++i) {
      const uint32_t row = rows[i];
      const int64_t t = rowTime(batch, row, now);
      assigner_.assignWindows(t, windows_);
      bool skipped = true;
      for (const TimeWindow& w : windows_) {
        if (isWindowLate(w)) continue;
        skipped = false;
        Entry& e = entryFor(w);
        add_(e.acc, RowRef(batch, row));
        if (firesOnElement(w)) emitWindow(w, e.acc);
      }
      if (skipped && isElementLate(t)) handleLateRow(batch, row);
    }
    for (const Entry& e : entries_) {
      state_->setCurrentNamespace(e.window.ns());
      accState_->update(e.acc);
      if (!e.persisted) registerTimers(e.window);
    }
  }

  // ---- sliced windows (event time; tumbling, or sliding with size % slide == 0)
  //
  // Flink SQL's slicing window aggregation: time is cut into slices of length `slide` (aligned
  // like the windows); a row adds to the accumulator of its (key, slice) only, in keyed state
  // "window-acc" with the slice as namespace. A window is the union of size/slide consecutive
  // slices: when the watermark passes its maxTimestamp, the accumulators of its slices are
  // merged (Merge, in time order, starting from a copy of the first) and emitted. A slice is
  // freed once the last window containing it is past maxTimestamp + allowedLateness, which is
  // also exactly when a row of that slice becomes late (all its windows are late), so no slice
  // is ever re-created. Instead of a timer per (key, window), each slice lists the keys that
  // have an accumulator in it. For tumbling windows a slice is a window and is emitted as is.
  //
  // Why this is Flink's per-window result: a row is added to the windows of its timestamp that
  // are not late; a late window has been cleaned and never fires again, and every window that
  // fires (or re-fires) later was not late when the row came, so the rows a firing window sees
  // through its slices are exactly the rows the per-window operator would have added to it.

  struct SliceKey {
    uint32_t offset;
    uint32_t size;
    uint64_t hash;
  };
  struct Boxed {  // (not std::vector<bool>'s proxies)
    ACC value;
  };
  struct Slice {
    std::string arena;           // key bytes
    std::vector<SliceKey> keys;  // keys with an accumulator in this slice, in arrival order
    // A copy of the accumulators of `keys` (same order) once a window containing the slice
    // fired, so that the next windows read them without state lookups; dropped when a late
    // row changes the slice (see kSnapshotSlices).
    std::vector<Boxed> snapshot;
    bool snapshotValid = false;
    std::string_view key(const SliceKey& k) const { return std::string_view(arena.data() + k.offset, k.size); }
  };
  // A slice is in size/slide windows; small plain accumulators are copied once per slice
  // instead of being looked up in state once per window. (A slice's accumulators only change
  // after its first window fired when rows come behind the watermark.)
  static constexpr bool kSnapshotSlices = std::is_trivially_copyable_v<ACC> && sizeof(ACC) <= 64;
  struct SliceEntry {
    int64_t start;
    ACC acc;
    bool persisted;  // in state before this batch (the key is listed in the slice)
  };

  int64_t sliceCleanupTime(int64_t sliceStart) const {
    // The last window containing the slice is [sliceStart, sliceStart + size).
    return saturatingAdd(sliceStart + size_ - 1, allowedLateness_);
  }

  void listKeyInSlice(int64_t sliceStart, std::string_view key, uint64_t hash) {
    if (cachedSlice_ == nullptr || cachedSliceStart_ != sliceStart) {
      cachedSlice_ = &slices_[sliceStart];
      cachedSliceStart_ = sliceStart;
    }
    Slice& s = *cachedSlice_;
    s.keys.push_back(SliceKey{static_cast<uint32_t>(s.arena.size()), static_cast<uint32_t>(key.size()), hash});
    s.arena.append(key);
  }

  // The slice of every row, in one sequential pass over the timestamps (the rows of a key are
  // spread over the batch; reading their timestamps per key would miss the cache). Consecutive
  // rows are mostly in one slice, which saves the division.
  void computeSliceStarts(const Batch& batch) {
    const size_t n = batch.numRows();
    sliceStartOfRow_.resize(n);
    if (!batch.hasTimestamps()) rowTime(batch, 0, 0);  // throws
    const int64_t* ts = batch.timestamps().data();
    int64_t start = 0;
    bool valid = false;
    for (size_t r = 0; r < n; ++r) {
      const int64_t t = ts[r];
      if (t == kMinTimestamp) rowTime(batch, r, 0);  // throws
      // t in [start, start + slide), without overflow.
      if (!valid || static_cast<uint64_t>(t) - static_cast<uint64_t>(start) >= static_cast<uint64_t>(slide_)) {
        start = windowStartWithOffset(t, assigner_.offset(), slide_);
        valid = true;
      }
      sliceStartOfRow_[r] = start;
    }
  }

  // The index in sliceEntries_ of the slice starting at `start`, added when new (no state access).
  uint32_t sliceEntryFor(int64_t start) {
    if (lastSliceEntry_ < sliceEntries_.size() && sliceEntries_[lastSliceEntry_].start == start) return lastSliceEntry_;
    for (uint32_t i = 0; i < sliceEntries_.size(); ++i)
      if (sliceEntries_[i].start == start) return lastSliceEntry_ = i;
    sliceEntries_.push_back(SliceEntry{start, create_(), false});
    return lastSliceEntry_ = static_cast<uint32_t>(sliceEntries_.size() - 1);
  }

  void loadSliceEntry(SliceEntry& e) {
    state_->setCurrentNamespace(TimeWindow{e.start, e.start + slide_}.ns());
    std::optional<ACC> stored = accState_->value();
    e.persisted = stored.has_value();
    e.acc = e.persisted ? std::move(*stored) : create_();
  }
  void storeSliceEntry(SliceEntry& e, std::string_view key, uint64_t hash) {
    state_->setCurrentNamespace(TimeWindow{e.start, e.start + slide_}.ns());
    accState_->update(e.acc);
    if (!e.persisted) {
      listKeyInSlice(e.start, key, hash);
      e.persisted = true;
    }
    // Only slices of windows that fired have a snapshot (it is taken when they fire).
    if (kSnapshotSlices && e.start + slide_ - 1 <= currentWatermark_) {
      auto it = slices_.find(e.start);
      if (it != slices_.end() && it->second.snapshotValid) {
        it->second.snapshotValid = false;
        it->second.snapshot.clear();
      }
    }
  }

  void processKeySliced(const Batch& batch, const uint32_t* rows, size_t n, std::string_view key, uint64_t hash) {
    constexpr uint32_t kSkip = UINT32_MAX;
    sliceEntries_.clear();
    lastSliceEntry_ = 0;
    rowSlice_.resize(n);
    bool refire = false;
    const int64_t wm = currentWatermark_;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t row = rows[i];
      const int64_t start = sliceStartOfRow_[row];
      if (sliceCleanupTime(start) <= wm) {  // every window of the row is late
        rowSlice_[i] = kSkip;
        if (isElementLate(batch.timestamp(row))) handleLateRow(batch, row);
        continue;
      }
      // The earliest window containing t ends with the slice; if it fired, some window may
      // fire again at once (only with allowed lateness: otherwise a fired window is late).
      if (allowedLateness_ > 0 && start + slide_ - 1 <= wm) refire = true;
      rowSlice_[i] = sliceEntryFor(start);
    }
    const size_t numEntries = sliceEntries_.size();
    if (numEntries == 0) return;
    if (refire) {
      processKeySlicedRefiring(batch, rows, n, key, hash);
      return;
    }
    if (numEntries <= 8) {
      // One slice at a time: its value() and update() are adjacent (one lookup with the
      // state's last-entry cache); rows of a slice are added in arrival order.
      for (uint32_t e = 0; e < numEntries; ++e) {
        SliceEntry& entry = sliceEntries_[e];
        loadSliceEntry(entry);
        for (size_t i = 0; i < n; ++i)
          if (rowSlice_[i] == e) add_(entry.acc, RowRef(batch, rows[i]));
        storeSliceEntry(entry, key, hash);
      }
      return;
    }
    for (SliceEntry& entry : sliceEntries_) loadSliceEntry(entry);
    for (size_t i = 0; i < n; ++i)
      if (rowSlice_[i] != kSkip) add_(sliceEntries_[rowSlice_[i]].acc, RowRef(batch, rows[i]));
    for (SliceEntry& entry : sliceEntries_) storeSliceEntry(entry, key, hash);
  }

  // Rows of a key of which some window has fired but is not late (allowed lateness): row by
  // row, each such row fires those windows at once with the updated result (EventTimeTrigger's
  // FIRE on element), latest window first as the assigner lists them.
  void processKeySlicedRefiring(const Batch& batch, const uint32_t* rows, size_t n, std::string_view key,
                                uint64_t hash) {
    const int64_t wm = currentWatermark_;
    for (SliceEntry& entry : sliceEntries_) loadSliceEntry(entry);
    for (size_t i = 0; i < n; ++i) {
      if (rowSlice_[i] == UINT32_MAX) continue;
      const uint32_t row = rows[i];
      SliceEntry& entry = sliceEntries_[rowSlice_[i]];
      add_(entry.acc, RowRef(batch, row));
      for (int64_t ws = entry.start; ws > entry.start - size_; ws -= slide_) {
        const TimeWindow w{ws, ws + size_};
        if (w.maxTimestamp() > wm || isWindowLate(w)) continue;
        std::optional<ACC> acc;
        for (int64_t s = ws; s < w.end; s += slide_) {
          const SliceEntry* local = nullptr;
          for (const SliceEntry& x : sliceEntries_)
            if (x.start == s) local = &x;
          std::optional<ACC> stored;
          if (!local) {
            state_->setCurrentNamespace(TimeWindow{s, s + slide_}.ns());
            stored = accState_->value();
            if (!stored) continue;
          }
          const ACC& sliceAcc = local ? local->acc : *stored;
          if (!acc)
            acc.emplace(sliceAcc);
          else
            merge_(*acc, sliceAcc);
        }
        emitWindow(w, *acc);
      }
    }
    for (SliceEntry& entry : sliceEntries_) storeSliceEntry(entry, key, hash);
  }

  // Fires, in time order, every window with data whose maxTimestamp is in (from, to].
  void fireSlicedWindows(int64_t from, int64_t to) {
    // Windows containing slice s end at s + slide, s + 2*slide, ..., s + size; walk the slices
    // in order and generate each window end once.
    auto it = slices_.lower_bound(from == INT64_MIN ? INT64_MIN : saturatingAdd(from, 2 - size_));
    int64_t next = INT64_MIN;  // the first window end not generated yet
    for (; it != slices_.end(); ++it) {
      const int64_t s = it->first;
      if (s + slide_ - 1 > to) break;
      const int64_t last = s + size_;
      for (int64_t end = std::max(s + slide_, next); end <= last; end += slide_) {
        if (end - 1 <= from) continue;
        if (end - 1 > to) break;
        fireSlicedWindow(TimeWindow{end - size_, end});
      }
      next = std::max(next, last + slide_);
    }
  }

  void fireSlicedWindow(const TimeWindow& w) {
    auto first = slices_.lower_bound(w.start);
    if (first == slices_.end() || first->first >= w.end) return;
    if (size_ == slide_) {  // tumbling: the slice is the window
      const Slice& slice = first->second;
      state_->setCurrentNamespace(w.ns());
      for (const SliceKey& k : slice.keys) {
        if (firedBeforeRestore(k.hash, w)) continue;
        const std::string_view key = slice.key(k);
        state_->setCurrentKeyWithHash(key, k.hash);
        std::optional<ACC> acc = accState_->value();
        GLINT_CHECK(acc.has_value());
        emitWindow(key, w, *acc);
      }
      return;
    }
    windowKeys_.clear();
    windowAccs_.clear();
    for (auto it = first; it != slices_.end() && it->first < w.end; ++it) {
      Slice& slice = it->second;
      if constexpr (kSnapshotSlices) {
        if (!slice.snapshotValid) takeSnapshot(it->first, slice);
        for (size_t i = 0; i < slice.keys.size(); ++i) {
          const SliceKey& k = slice.keys[i];
          const uint32_t id = windowKeys_.findOrInsert(slice.key(k), k.hash);
          if (id == windowAccs_.size())
            windowAccs_.push_back(slice.snapshot[i]);
          else
            merge_(windowAccs_[id].value, slice.snapshot[i].value);
        }
        continue;
      }
      state_->setCurrentNamespace(TimeWindow{it->first, it->first + slide_}.ns());
      for (const SliceKey& k : slice.keys) {
        const std::string_view key = slice.key(k);
        state_->setCurrentKeyWithHash(key, k.hash);
        std::optional<ACC> acc = accState_->value();
        GLINT_CHECK(acc.has_value());
        const uint32_t id = windowKeys_.findOrInsert(key, k.hash);
        if (id == windowAccs_.size())
          windowAccs_.push_back(Boxed{std::move(*acc)});
        else
          merge_(windowAccs_[id].value, *acc);
      }
    }
    for (uint32_t id = 0; id < windowKeys_.size(); ++id)
      if (!firedBeforeRestore(windowKeys_.hash(id), w)) emitWindow(windowKeys_.key(id), w, windowAccs_[id].value);
  }

  void takeSnapshot(int64_t start, Slice& slice) {
    slice.snapshot.clear();
    slice.snapshot.reserve(slice.keys.size());
    state_->setCurrentNamespace(TimeWindow{start, start + slide_}.ns());
    for (const SliceKey& k : slice.keys) {
      state_->setCurrentKeyWithHash(slice.key(k), k.hash);
      std::optional<ACC> acc = accState_->value();
      GLINT_CHECK(acc.has_value());
      slice.snapshot.push_back(Boxed{*acc});
    }
    slice.snapshotValid = true;
  }

  // Drops the slices (their accumulators) whose last window is past its allowed lateness.
  void freeSlices(int64_t watermark) {
    cachedSlice_ = nullptr;
    while (!slices_.empty() && sliceCleanupTime(slices_.begin()->first) <= watermark) {
      const int64_t start = slices_.begin()->first;
      const Slice& slice = slices_.begin()->second;
      state_->setCurrentNamespace(TimeWindow{start, start + slide_}.ns());
      for (const SliceKey& k : slice.keys) {
        state_->setCurrentKeyWithHash(slice.key(k), k.hash);
        accState_->clear();
      }
      slices_.erase(slices_.begin());
    }
  }

  // ---- session windows

  void loadAcc(SessionEntry& e) {
    if (e.acc) return;
    state_->setCurrentNamespace(e.persisted ? e.persisted->ns() : e.window.ns());
    std::optional<ACC> stored = accState_->value();
    e.acc.emplace(stored ? std::move(*stored) : create_());
  }

  void processKeyMerging(const Batch& batch, const uint32_t* rows, size_t n, int64_t now) {
    // The key's sessions, sorted by start; they are disjoint and do not touch, so their ends
    // are sorted too and the sessions a new window meets are a contiguous range.
    sessions_.clear();
    retired_.clear();
    state_->setCurrentNamespace(kVoidNamespace);
    if (std::optional<std::vector<TimeWindow>> stored = sessionsState_->value())
      for (const TimeWindow& w : *stored) sessions_.push_back(SessionEntry{w, w, std::nullopt, false});
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t row = rows[i];
      const int64_t t = rowTime(batch, row, now);
      const TimeWindow nw{t, saturatingAdd(t, assigner_.gap())};
      // First session with end >= nw.start; the range ends at the first with start > nw.end.
      size_t lo = 0, hi = sessions_.size();
      while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (sessions_[mid].window.end < nw.start)
          lo = mid + 1;
        else
          hi = mid;
      }
      size_t last = lo;
      TimeWindow merged = nw;
      while (last < sessions_.size() && sessions_[last].window.start <= nw.end) merged = merged.cover(sessions_[last++].window);
      if (isWindowLate(merged)) {
        if (isElementLate(t)) handleLateRow(batch, row);
        continue;
      }
      size_t target = lo;
      if (last == lo) {
        sessions_.insert(sessions_.begin() + static_cast<ptrdiff_t>(lo), SessionEntry{nw, std::nullopt, create_(), false});
        changed = true;
      } else {
        SessionEntry& into = sessions_[lo];
        loadAcc(into);
        for (size_t k = lo + 1; k < last; ++k) {
          SessionEntry& from = sessions_[k];
          loadAcc(from);
          merge_(*into.acc, *from.acc);
          if (from.persisted) retired_.push_back(*from.persisted);
        }
        if (last > lo + 1) sessions_.erase(sessions_.begin() + static_cast<ptrdiff_t>(lo + 1), sessions_.begin() + static_cast<ptrdiff_t>(last));
        if (!(into.window == merged)) {
          into.window = merged;
          into.dirty = true;
          changed = true;
        }
      }
      SessionEntry& e = sessions_[target];
      loadAcc(e);
      add_(*e.acc, RowRef(batch, row));
      e.dirty = true;
      if (firesOnElement(e.window)) emitWindow(e.window, *e.acc);
    }
    for (const TimeWindow& w : retired_) {
      state_->setCurrentNamespace(w.ns());
      accState_->clear();
      deleteTimers(w);
    }
    for (SessionEntry& e : sessions_) {
      const bool moved = e.persisted && !(*e.persisted == e.window);
      if (moved) {
        state_->setCurrentNamespace(e.persisted->ns());
        accState_->clear();
        deleteTimers(*e.persisted);
      }
      if (e.dirty) {
        state_->setCurrentNamespace(e.window.ns());
        accState_->update(*e.acc);
        if (!e.persisted || moved) registerTimers(e.window);
      }
    }
    if (changed) {
      state_->setCurrentNamespace(kVoidNamespace);
      if (sessions_.empty()) {
        sessionsState_->clear();
      } else {
        windowList_.clear();
        for (const SessionEntry& e : sessions_) windowList_.push_back(e.window);
        sessionsState_->update(windowList_);
      }
    }
  }

  void removeSession(const TimeWindow& w) {
    state_->setCurrentNamespace(kVoidNamespace);
    std::optional<std::vector<TimeWindow>> stored = sessionsState_->value();
    if (!stored) return;
    std::erase(*stored, w);
    if (stored->empty())
      sessionsState_->clear();
    else
      sessionsState_->update(*stored);
  }

  // ---- timers: the backend's key and namespace are the timer's.

  void onEventTimeTimer(const Timer& timer) override { onTimer(timer); }
  void onProcessingTimeTimer(const Timer& timer) override { onTimer(timer); }
  void onTimer(const Timer& timer) {
    const TimeWindow w = TimeWindow::fromNamespace(timer.ns);
    const bool fire = timer.time == w.maxTimestamp();
    const bool cleanup = timer.time == cleanupTime(w);
    if (!fire && !cleanup) return;
    state_->setCurrentNamespace(timer.ns);
    std::optional<ACC> acc = accState_->value();
    if (!acc) return;
    if (fire) emitWindow(w, *acc);
    if (cleanup) {
      accState_->clear();
      if (assigner_.isMerging()) removeSession(w);
    }
  }

  WindowAssigner assigner_;
  bool eventTime_;
  int64_t allowedLateness_;
  Create create_;
  Add add_;
  Merge merge_;
  Emit emit_;
  ValueState<ACC>* accState_ = nullptr;
  ValueState<std::vector<TimeWindow>>* sessionsState_ = nullptr;

  // Per-key scratch, reused across keys and batches.
  std::vector<TimeWindow> windows_;
  std::vector<Entry> entries_;
  size_t lastEntry_ = 0;
  bool useIndex_ = false;
  std::unordered_map<int64_t, size_t> entryIndex_;
  std::vector<SessionEntry> sessions_;
  std::vector<TimeWindow> retired_;
  std::vector<TimeWindow> windowList_;

  // Sliced windows.
  bool slicing_ = false;
  int64_t slide_ = 0;
  int64_t size_ = 0;
  std::map<int64_t, Slice> slices_;  // by slice start
  Slice* cachedSlice_ = nullptr;
  int64_t cachedSliceStart_ = 0;
  std::vector<SliceEntry> sliceEntries_;
  uint32_t lastSliceEntry_ = 0;
  std::vector<uint32_t> rowSlice_;
  std::vector<int64_t> sliceStartOfRow_;  // by row of the batch being processed
  windowing::KeyTable windowKeys_;
  std::vector<Boxed> windowAccs_;
};

// Builds a WindowAggregateOperator, deducing ACC from Create.
template <class Create, class Add, class Merge, class Emit>
auto makeWindowAggregateOperator(SchemaPtr inputSchema, std::vector<int> keyColumns, SchemaPtr outputSchema,
                                 WindowAssigner assigner, int64_t allowedLateness, std::optional<OutputTag> lateTag,
                                 Create create, Add add, Merge merge, Emit emit) {
  using ACC = std::decay_t<std::invoke_result_t<Create&>>;
  return std::make_unique<WindowAggregateOperator<ACC, Create, Add, Merge, Emit>>(
      std::move(inputSchema), std::move(keyColumns), std::move(outputSchema), assigner, allowedLateness,
      std::move(lateTag), std::move(create), std::move(add), std::move(merge), std::move(emit));
}

}  // namespace glint
