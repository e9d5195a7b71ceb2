#pragma once
// Windows and joins of the DataStream API (Flink's WindowedStream, JoinedStreams and
// KeyedStream.intervalJoin):
//
//   bids.keyBy({"auction"})
//       .window(WindowAssigner::sliding(10'000, 2'000))
//       .allowedLateness(1'000)
//       .sideOutputLateData(lateTag)
//       .aggregate(outSchema,
//                  [] { return int64_t{0}; },                                  // create
//                  [](int64_t& acc, RowRef) { ++acc; },                        // add
//                  [](int64_t& into, const int64_t& from) { into += from; },   // merge (sessions)
//                  [](KeyRef key, const TimeWindow& w, const int64_t& n, RowWriter& out) {
//                    out.emit(key.getLong(0), n, w.start);                      // emit
//                  });
#include <optional>
#include <string>
#include <vector>

#include "glint/api/data_stream.h"
#include "glint/runtime/operators/interval_join_operator.h"
#include "glint/runtime/operators/window_join_operator.h"
#include "glint/runtime/operators/window_operator.h"

namespace glint {

class WindowedStream {
 public:
  WindowedStream(KeyedStream input, WindowAssigner assigner)
      : input_(std::move(input)), assigner_(assigner) {}
  WindowedStream& allowedLateness(int64_t millis) {
    if (millis < 0) throw GlintError("allowedLateness must be >= 0, got " + std::to_string(millis));
    allowedLateness_ = millis;
    return *this;
  }
  // Late rows (all of whose windows are past allowed lateness) go to this side output,
  // unchanged; read them with result.getSideOutput(tag). Without it they are dropped and counted.
  WindowedStream& sideOutputLateData(const OutputTag& tag) {
    lateTag_ = tag;
    return *this;
  }
  template <class Create, class Add, class Merge, class Emit>
  DataStream aggregate(SchemaPtr outputSchema, Create create, Add add, Merge merge, Emit emit,
                       const std::string& name = "WindowAggregate") {
    SchemaPtr input = input_.schema();
    std::vector<int> keys = input_.keyColumns();
    WindowAssigner assigner = assigner_;
    int64_t lateness = allowedLateness_;
    std::optional<OutputTag> lateTag = lateTag_;
    if (lateTag && !(*lateTag->schema == *input))
      throw GlintError("sideOutputLateData: the tag's schema must be the input's " +
                       input->toString());
    return input_.transform(name, outputSchema, [=] {
      return makeWindowAggregateOperator(input, keys, outputSchema, assigner, lateness, lateTag,
                                         create, add, merge, emit);
    });
  }

 private:
  KeyedStream input_;
  WindowAssigner assigner_;
  int64_t allowedLateness_ = 0;
  std::optional<OutputTag> lateTag_;
};

// a.join(b).where({"k"}).equalTo({"k2"}).window(assigner).apply(schema, fn): an inner join of
// the rows of both streams that share a key and a window; fn(left, right, out) per pair.
class JoinedStreams {
 public:
  JoinedStreams(DataStream left, DataStream right)
      : left_(std::move(left)), right_(std::move(right)) {}
  JoinedStreams& where(std::vector<std::string> keys) {
    leftKeys_ = std::move(keys);
    return *this;
  }
  JoinedStreams& equalTo(std::vector<std::string> keys) {
    rightKeys_ = std::move(keys);
    return *this;
  }
  JoinedStreams& window(WindowAssigner assigner) {
    assigner_ = assigner;
    return *this;
  }
  template <class JoinFunction>
  DataStream apply(SchemaPtr outputSchema, JoinFunction fn,
                   const std::string& name = "WindowJoin") {
    if (!assigner_) throw GlintError("join(...): call window(...) before apply(...)");
    KeyedStream left = left_.keyBy(leftKeys_);
    KeyedStream right = right_.keyBy(rightKeys_);
    left.checkKeyTypes(right);
    SchemaPtr ls = left.schema(), rs = right.schema();
    std::vector<int> lk = left.keyColumns(), rk = right.keyColumns();
    WindowAssigner assigner = *assigner_;
    return left.transformTwo(name, right, outputSchema, [=] {
      return makeWindowJoinOperator(ls, lk, rs, rk, outputSchema, assigner, fn);
    });
  }

 private:
  DataStream left_;
  DataStream right_;
  std::vector<std::string> leftKeys_;
  std::vector<std::string> rightKeys_;
  std::optional<WindowAssigner> assigner_;
};

// left.keyBy(..).intervalJoin(right.keyBy(..)).between(lower, upper).process(schema, fn):
// joins a left row at tL with right rows at tR in [tL + lower, tL + upper] (inclusive unless
// told otherwise); the output row's timestamp is max(tL, tR).
class IntervalJoined {
 public:
  IntervalJoined(KeyedStream left, KeyedStream right)
      : left_(std::move(left)), right_(std::move(right)) {}
  IntervalJoined& between(int64_t lower, int64_t upper) {
    if (lower > upper) throw GlintError("intervalJoin: lower bound must be <= upper bound");
    lower_ = lower;
    upper_ = upper;
    return *this;
  }
  IntervalJoined& lowerBoundExclusive() {
    options_.lowerExclusive = true;
    return *this;
  }
  IntervalJoined& upperBoundExclusive() {
    options_.upperExclusive = true;
    return *this;
  }
  template <class ProcessFunction>
  DataStream process(SchemaPtr outputSchema, ProcessFunction fn,
                     const std::string& name = "IntervalJoin") {
    left_.checkKeyTypes(right_);
    SchemaPtr ls = left_.schema(), rs = right_.schema();
    std::vector<int> lk = left_.keyColumns(), rk = right_.keyColumns();
    int64_t lower = lower_, upper = upper_;
    IntervalJoinOptions options = options_;
    return left_.transformTwo(name, right_, outputSchema, [=] {
      return makeIntervalJoinOperator(ls, lk, rs, rk, outputSchema, lower, upper, fn, options);
    });
  }

 private:
  KeyedStream left_;
  KeyedStream right_;
  int64_t lower_ = 0;
  int64_t upper_ = 0;
  IntervalJoinOptions options_;
};

inline WindowedStream KeyedStream::window(WindowAssigner assigner) const {
  return WindowedStream(*this, assigner);
}
inline IntervalJoined KeyedStream::intervalJoin(const KeyedStream& other) const {
  return IntervalJoined(*this, other);
}
inline JoinedStreams DataStream::join(const DataStream& other) const {
  return JoinedStreams(*this, other);
}

}  // namespace glint
