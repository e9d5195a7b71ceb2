// Nexmark "hot items" (q5) written out with the DataStream API: the auctions with the most bids
// in sliding windows of 10 s every 2 s, over generated Nexmark events.
//   build/release/hot_items [events]
#include <cstdio>
#include <cstdlib>

#include "glint/api/data_stream.h"
#include "glint/connectors/nexmark/nexmark_source.h"

using namespace glint;
using namespace glint::nexmark;

// Per window (keyed by its end): keeps the leading auctions and emits them when the window's
// counts are complete, i.e. when the watermark reaches end - 1.
class TopAuctions : public KeyedProcessFunction {
 public:
  struct Leaders {
    int64_t bids = -1;
    std::vector<int64_t> auctions;
    auto glintFields() { return std::tie(bids, auctions); }  // state serialization
    auto glintFields() const { return std::tie(bids, auctions); }
  };
  void open(KeyedStateBackend& state) override { leaders_ = state.valueState<Leaders>("leaders"); }
  void processElement(RowRef row, ProcessContext& ctx, RowWriter&) override {
    Leaders l = leaders_->value().value_or(Leaders{});
    if (row.getLong(1) > l.bids) l = Leaders{row.getLong(1), {}};
    if (row.getLong(1) == l.bids) l.auctions.push_back(row.getLong(0));
    leaders_->update(l);
    ctx.registerEventTimeTimer(row.timestamp());
  }
  void onTimer(int64_t, ProcessContext& ctx, RowWriter& out) override {
    auto l = leaders_->value();
    for (int64_t auction : l->auctions) out.emit(ctx.currentKey().getLong(0), auction, l->bids);
    leaders_->clear();
  }

 private:
  ValueState<Leaders>* leaders_ = nullptr;
};

int main(int argc, char** argv) {
  NexmarkSourceOptions source;
  source.numEvents = argc > 1 ? std::atoll(argv[1]) : 500'000;
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  auto bids = env.fromSource("nexmark bids", bidSchema(),
                             [source] { return std::make_unique<NexmarkSource>(source); });
  auto perWindow = makeSchema(
      {{"auction", TypeId::kBigint}, {"bids", TypeId::kBigint}, {"windowEnd", TypeId::kTimestamp}});
  bids.keyBy({"auction"})
      .window(WindowAssigner::sliding(10'000, 2'000))
      .aggregate(
          perWindow, [] { return int64_t{0}; }, [](int64_t& n, RowRef) { ++n; },
          [](int64_t& a, const int64_t& b) { a += b; },
          [](KeyRef auction, const TimeWindow& w, const int64_t& n, RowWriter& out) {
            out.emit(auction.getLong(0), n, w.end);
          },
          "bids per auction")
      .keyBy({"windowEnd"})
      .process(makeSchema({{"windowEnd", TypeId::kTimestamp},
                           {"auction", TypeId::kBigint},
                           {"bids", TypeId::kBigint}}),
               TopAuctions(), "hottest auctions")
      .print("hot items");
  Status st = env.execute("hot items");
  if (!st.isOk()) {
    std::fprintf(stderr, "%s\n", st.toString().c_str());
    return 1;
  }
  return 0;
}
