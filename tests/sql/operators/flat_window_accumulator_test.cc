// The window aggregate's compact accumulator (FlatWindowAccumulator): calls packed into 8-byte
// slots, one per COUNT and two per SUM/MIN/MAX/AVG.
// - rows accumulated into several slices and merged give AggregateEvaluator's results over all
//   rows, for call lists that need each accumulator size (NULLs and FILTER included);
// - a lone COUNT(*) takes one slot, so its (key, slice) state entry fills one cache line.
#include <gtest/gtest.h>

#include <random>

#include "glint/sql/operators/aggregate_functions.h"
#include "glint/sql/operators/flat_aggregate.h"
#include "glint/state/state_map.h"
#include "tests/sql/operators/aggregate_test_util.h"
#include "tests/support/operator_harness.h"

namespace glint::sql {
namespace {

using testutil::aggCall;
using testutil::makeBatch;
using testutil::resultText;
using testutil::TestRow;
using testutil::TestValue;

// Columns: 0 i INT, 1 b BIGINT, 2 d DOUBLE, 3 f BOOLEAN (a FILTER column); every one may be NULL.
SchemaPtr inputSchema() {
  return makeSchema({{"i", TypeId::kInt},
                     {"b", TypeId::kBigint},
                     {"d", TypeId::kDouble},
                     {"f", TypeId::kBoolean}});
}

TestRow randomRow(std::mt19937& random) {
  auto maybeNull = [&](TestValue v) { return random() % 5 == 0 ? TestValue(Null{}) : v; };
  return TestRow{0,
                 {maybeNull(static_cast<int>(random() % 2000) - 1000),
                  maybeNull(static_cast<int64_t>(random() % 100000) - 50000),
                  maybeNull((static_cast<double>(random() % 2001) - 1000) / 8.0),
                  maybeNull(random() % 2 == 0)}};
}

// Accumulates `rows` round-robin into `slices` accumulators of size S, merges them in a
// shuffled order, and compares every call's result with AggregateEvaluator over all rows.
template <size_t S>
void expectSameAsGeneral(const std::vector<AggCall>& calls, size_t slices, unsigned seed) {
  ASSERT_TRUE(FlatAggregateEvaluator::supports(calls));
  const FlatAggregateEvaluator flat(calls);
  ASSERT_LE(flat.windowSlots(), S);
  const AggregateEvaluator general(calls, false);
  std::mt19937 random(seed);
  std::vector<FlatWindowAccumulator<S>> parts(slices);
  AggAccumulator whole = general.create();
  for (int n = 0; n < 300; ++n) {
    const Batch batch = makeBatch(inputSchema(), {randomRow(random)});
    flat.accumulate(parts[static_cast<size_t>(n) % slices], batch, 0);
    general.accumulate(whole, batch, 0, 1);
  }
  std::vector<size_t> order(slices);
  for (size_t i = 0; i < slices; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), random);
  FlatWindowAccumulator<S> merged;  // starts empty, as a window's first slice does
  for (size_t i : order) flat.merge(merged, parts[i]);
  for (size_t i = 0; i < calls.size(); ++i) {
    const SchemaPtr out = makeSchema({{"r", storageTypeOf(calls[i].resultType), true}});
    Batch a(out), b(out);
    flat.appendResult(merged, i, a.mutableColumn(0));
    general.appendResult(whole, i, b.mutableColumn(0));
    EXPECT_EQ(resultText(a.column(0)), resultText(b.column(0)))
        << "call " << i << ", " << slices << " slices";
  }
}

TEST(FlatWindowAccumulator, LoneCountStarTakesOneSlotAndOneCacheLine) {
  const FlatAggregateEvaluator countStar(
      {aggCall(AggKind::kCountStar, -1, ExprType::kBigint, ExprType::kBigint)});
  EXPECT_EQ(countStar.windowSlots(), 1u);
  EXPECT_EQ(sizeof(StateMap<FlatWindowAccumulator<1>>::Entry), 64u);
  const FlatAggregateEvaluator countAndMax(
      {aggCall(AggKind::kCount, 1, ExprType::kBigint, ExprType::kBigint),
       aggCall(AggKind::kMax, 2, ExprType::kDouble, ExprType::kDouble)});
  EXPECT_EQ(countAndMax.windowSlots(), 3u);
}

TEST(FlatWindowAccumulator, MergedSlicesGiveTheGeneralEvaluatorsResults) {
  for (size_t slices : {1, 3, 7}) {
    expectSameAsGeneral<1>({aggCall(AggKind::kCountStar, -1, ExprType::kBigint, ExprType::kBigint)},
                           slices, 1);
    expectSameAsGeneral<2>({aggCall(AggKind::kMax, 1, ExprType::kBigint, ExprType::kBigint)},
                           slices, 2);
    expectSameAsGeneral<4>({aggCall(AggKind::kCount, 0, ExprType::kInt, ExprType::kBigint),
                            aggCall(AggKind::kMin, 2, ExprType::kDouble, ExprType::kDouble, 3)},
                           slices, 3);
    expectSameAsGeneral<2 * kFlatCapacity>(
        {aggCall(AggKind::kCountStar, -1, ExprType::kBigint, ExprType::kBigint, 3),
         aggCall(AggKind::kSum, 0, ExprType::kInt, ExprType::kInt),
         aggCall(AggKind::kAvg, 1, ExprType::kBigint, ExprType::kBigint),
         aggCall(AggKind::kSum, 2, ExprType::kDouble, ExprType::kDouble),
         aggCall(AggKind::kMin, 0, ExprType::kInt, ExprType::kInt),
         aggCall(AggKind::kAvg, 2, ExprType::kDouble, ExprType::kDouble)},
        slices, 4);
  }
}

}  // namespace
}  // namespace glint::sql
