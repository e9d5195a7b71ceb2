// The window aggregation operator alone on Nexmark bids: count per (auction, window), as in
// q5's first stage, driven like a task drives it (a batch, then a watermark 4 s behind the
// largest timestamp seen, after every batch). Items processed = input rows.
//
//   ./build/perf/glint_micro_bench --benchmark_filter=WindowAggregate
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "glint/connectors/nexmark/generator.h"
#include "glint/runtime/operators/window_operator.h"

namespace glint {
namespace {

constexpr int64_t kEvents = 1'000'000;
constexpr size_t kBatchRows = 4096;
constexpr int64_t kWatermarkDelay = 4000;

SchemaPtr bidKeySchema() { return makeSchema({{"auction", TypeId::kBigint}}); }

struct Input {
  std::vector<Batch> batches;
  std::vector<int64_t> watermarkAfter;
  size_t rows = 0;
};

// The bids of the first kEvents Nexmark events (auction id only, with their timestamps), in
// batches of kBatchRows rows, and the watermark after each batch.
const Input& nexmarkBids() {
  static const Input input = [] {
    Input in;
    nexmark::Generator gen{nexmark::GeneratorConfig{}};
    Batch bids(nexmark::bidSchema());
    nexmark::generateInto(gen, 0, kEvents, nullptr, nullptr, &bids);
    int64_t maxTs = INT64_MIN;
    for (size_t begin = 0; begin < bids.numRows(); begin += kBatchRows) {
      const size_t end = std::min(bids.numRows(), begin + kBatchRows);
      Batch b(bidKeySchema());
      auto& auction = b.mutableColumn(0).mutableInts();
      for (size_t r = begin; r < end; ++r) {
        auction.push_back(bids.column(0).getInt(r));
        b.mutableTimestamps().push_back(bids.timestamp(r));
        maxTs = std::max(maxTs, bids.timestamp(r));
      }
      b.setNumRows(end - begin);
      in.rows += end - begin;
      in.batches.push_back(std::move(b));
      in.watermarkAfter.push_back(maxTs - kWatermarkDelay - 1);
    }
    return in;
  }();
  return input;
}

// Counts what the operator emits.
class CountingOutput final : public OperatorOutput {
 public:
  void emit(Batch&& batch) override { rows += batch.numRows(); }
  void emitSide(int, Batch&& batch) override { sideRows += batch.numRows(); }
  void emitWatermark(int64_t) override {}
  void emitIdle() override {}
  size_t rows = 0, sideRows = 0;
};

std::unique_ptr<StreamOperator> countOperator(WindowAssigner assigner, bool sliced) {
  auto op = makeWindowAggregateOperator(
      bidKeySchema(), {0},
      makeSchema({{"auction", TypeId::kBigint},
                  {"num", TypeId::kBigint},
                  {"starttime", TypeId::kTimestamp},
                  {"endtime", TypeId::kTimestamp}}),
      assigner, 0, std::nullopt, [] { return int64_t{0}; }, [](int64_t& n, RowRef) { ++n; },
      [](int64_t& into, const int64_t& from) { into += from; },
      [](KeyRef key, const TimeWindow& w, const int64_t& n, RowWriter& out) {
        out.emit(key.getLong(0), n, w.start, w.end);
      });
  op->setSlicingEnabled(sliced);
  return op;
}

void runWindowAggregate(benchmark::State& st, WindowAssigner assigner, bool sliced = true) {
  const Input& in = nexmarkBids();
  size_t outRows = 0;
  for (auto _ : st) {
    st.PauseTiming();
    std::vector<Batch> batches = in.batches;  // the operator consumes its input
    CountingOutput out;
    auto op = countOperator(assigner, sliced);
    OperatorContext ctx;
    ctx.name = "window";
    ctx.keyGroups = keyGroupRangeForSubtask(kDefaultMaxParallelism, 1, 0);
    JobMetrics metrics;
    ctx.metrics = &metrics;
    op->setup(ctx, &out);
    op->open();
    st.ResumeTiming();
    int64_t wm = INT64_MIN;
    for (size_t i = 0; i < batches.size(); ++i) {
      op->processBatch(0, std::move(batches[i]));
      if (in.watermarkAfter[i] > wm) {
        wm = in.watermarkAfter[i];
        op->processWatermark(wm);
      }
    }
    op->processWatermark(kMaxTimestamp);
    op->finish();
    outRows = out.rows;
    st.PauseTiming();
    op.reset();
    batches.clear();
    st.ResumeTiming();
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * in.rows));
  st.counters["rows_out"] = static_cast<double>(outRows);
}

void BM_WindowAggregate_Sliding10s2s(benchmark::State& st) {
  runWindowAggregate(st, WindowAssigner::sliding(10'000, 2'000));
}
// The same windows with one accumulator and timer per (key, window) instead of slices.
void BM_WindowAggregate_Sliding10s2sPerWindow(benchmark::State& st) {
  runWindowAggregate(st, WindowAssigner::sliding(10'000, 2'000), false);
}
void BM_WindowAggregate_Tumbling10s(benchmark::State& st) { runWindowAggregate(st, WindowAssigner::tumbling(10'000)); }
// Size not a multiple of the slide: the per-window path.
void BM_WindowAggregate_Sliding10s3s(benchmark::State& st) {
  runWindowAggregate(st, WindowAssigner::sliding(10'000, 3'000));
}
void BM_WindowAggregate_Session1s(benchmark::State& st) { runWindowAggregate(st, WindowAssigner::session(1'000)); }

BENCHMARK(BM_WindowAggregate_Sliding10s2s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WindowAggregate_Sliding10s2sPerWindow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WindowAggregate_Tumbling10s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WindowAggregate_Sliding10s3s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WindowAggregate_Session1s)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace glint
