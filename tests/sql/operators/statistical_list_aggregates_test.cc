// AggregateEvaluator's STDDEV/VAR and LISTAGG/FIRST_VALUE/LAST_VALUE accumulators: adds,
// retractions, merges of partial accumulators (serialised and read back, as the two-phase and
// state paths do) against a direct computation over the multiset or list the accumulator
// stands for.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/sql/operators/aggregate_functions.h"
#include "glint/sql/operators/group_aggregate.h"
#include "glint/state/state_serializer.h"
#include "glint/state/state_snapshot.h"
#include "tests/support/operator_harness.h"

namespace glint::sql {
namespace {

// Columns: 0 d DOUBLE, 1 i INT, 2 s STRING.
SchemaPtr inputSchema() {
  return makeSchema({{"d", TypeId::kDouble}, {"i", TypeId::kInt}, {"s", TypeId::kVarchar}});
}

AggCall call(AggKind kind, int argument, ExprType type, std::string separator = ",") {
  AggCall c;
  c.kind = kind;
  c.argument = argument;
  c.argumentType = type;
  c.resultType = kind == AggKind::kListAgg ? ExprType::kVarchar : type;
  if (kind == AggKind::kListAgg) c.separator = std::move(separator);
  return c;
}

const AggKind kStatistics[] = {AggKind::kVarPop, AggKind::kVarSamp, AggKind::kStddevPop,
                               AggKind::kStddevSamp};

// The statistic over `values` by two passes in long double; nullopt for NULL.
std::optional<double> directStatistic(AggKind kind, const std::vector<double>& values) {
  const size_t n = values.size();
  const bool sample = kind == AggKind::kVarSamp || kind == AggKind::kStddevSamp;
  if (n == 0 || (sample && n == 1)) return std::nullopt;
  long double mean = 0;
  for (double v : values) mean += v;
  mean /= n;
  long double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const long double variance = squares / (sample ? n - 1 : n);
  const bool root = kind == AggKind::kStddevPop || kind == AggKind::kStddevSamp;
  return static_cast<double>(root ? std::sqrt(variance) : variance);
}

// Flink's integer rewrite, written out with Java's 32-bit int wrapping.
std::optional<int64_t> directIntStatistic(AggKind kind, const std::vector<int32_t>& values) {
  const int64_t n = static_cast<int64_t>(values.size());
  const bool sample = kind == AggKind::kVarSamp || kind == AggKind::kStddevSamp;
  if (n == 0 || (sample && n == 1)) return std::nullopt;
  uint32_t sum = 0, sumSquares = 0;
  for (int32_t v : values) {
    sum += static_cast<uint32_t>(v);
    sumSquares += static_cast<uint32_t>(v) * static_cast<uint32_t>(v);
  }
  const int32_t squaredSum = static_cast<int32_t>(sum * sum);
  const int64_t difference = static_cast<int32_t>(sumSquares) - squaredSum / n;
  const int64_t variance = difference / (sample ? n - 1 : n);
  const bool root = kind == AggKind::kStddevPop || kind == AggKind::kStddevSamp;
  if (!root) return static_cast<int32_t>(static_cast<uint32_t>(variance));  // CAST to INT
  // POWER(variance, 0.5) cast to INT: Java's (int) gives 0 for NaN and saturates.
  const double deviation = std::sqrt(static_cast<double>(variance));
  if (std::isnan(deviation)) return 0;
  return deviation >= 2147483647.0 ? 2147483647 : static_cast<int64_t>(deviation);
}

struct Row {
  std::optional<double> d;
  std::optional<int32_t> i;
  std::optional<std::string> s;
};

Batch batchOf(const std::vector<Row>& rows) {
  Batch b(inputSchema());
  for (const Row& r : rows) {
    if (r.d)
      b.mutableColumn(0).appendDouble(*r.d);
    else
      b.mutableColumn(0).appendNull();
    if (r.i)
      b.mutableColumn(1).appendInt(*r.i);
    else
      b.mutableColumn(1).appendNull();
    if (r.s)
      b.mutableColumn(2).appendString(*r.s);
    else
      b.mutableColumn(2).appendNull();
  }
  return b;
}

// The result of every call of `evaluator` over `acc`, as one-row columns.
std::vector<Column> results(const AggregateEvaluator& evaluator, const std::vector<AggCall>& calls,
                            const AggAccumulator& acc) {
  std::vector<Column> out;
  for (size_t c = 0; c < calls.size(); ++c) {
    Column column(*columnTypeOf(calls[c].resultType));
    evaluator.appendResult(acc, c, column);
    out.push_back(std::move(column));
  }
  return out;
}

AggAccumulator roundTrip(const AggAccumulator& acc) {
  std::string bytes;
  StateSerializer<AggAccumulator>::write(bytes, acc);
  BinaryReader reader(bytes);
  AggAccumulator back;
  EXPECT_TRUE(StateSerializer<AggAccumulator>::read(reader, &back));
  return back;
}

void expectDouble(const Column& column, std::optional<double> expected, const std::string& what) {
  ASSERT_EQ(column.isNull(0), !expected.has_value()) << what;
  if (expected)
    EXPECT_NEAR(column.getDouble(0), *expected, 1e-9 * std::max(1.0, std::fabs(*expected))) << what;
}

// Random adds and retractions of earlier rows (values around 1e9, where sums of squares lose
// the variance to cancellation), checked after every step.
TEST(StatisticalAggregates, AddAndRetractMatchDirectComputation) {
  std::vector<AggCall> calls;
  for (AggKind k : kStatistics) calls.push_back(call(k, 0, ExprType::kDouble));
  for (AggKind k : kStatistics) calls.push_back(call(k, 1, ExprType::kInt));
  AggregateEvaluator evaluator(calls, true);
  AggAccumulator acc = evaluator.create();
  std::mt19937 random(7);
  std::vector<Row> live;
  for (int step = 0; step < 400; ++step) {
    const bool retract = !live.empty() && random() % 3 == 0;
    Row row;
    if (retract) {
      const size_t at = random() % live.size();
      row = live[at];
      live.erase(live.begin() + static_cast<ptrdiff_t>(at));
    } else {
      if (random() % 5 != 0) row.d = 1e9 + static_cast<double>(random() % 1000) / 8;
      // Up to 1e5: squares and their sums wrap at 32 bits, as Java ints do.
      if (random() % 5 != 0) row.i = static_cast<int32_t>(random() % 200001) - 100000;
      live.push_back(row);
    }
    Batch b = batchOf({row});
    evaluator.accumulate(acc, b, 0, retract ? -1 : 1);
    if (step % 50 == 0) acc = roundTrip(acc);
    std::vector<double> doubles;
    std::vector<int32_t> ints;
    for (const Row& r : live) {
      if (r.d) doubles.push_back(*r.d);
      if (r.i) ints.push_back(*r.i);
    }
    const std::vector<Column> got = results(evaluator, calls, acc);
    for (size_t k = 0; k < 4; ++k) {
      expectDouble(got[k], directStatistic(kStatistics[k], doubles),
                   "step " + std::to_string(step) + " call " + std::to_string(k));
      const std::optional<int64_t> expected = directIntStatistic(kStatistics[k], ints);
      ASSERT_EQ(got[4 + k].isNull(0), !expected.has_value()) << step;
      if (expected) EXPECT_EQ(got[4 + k].getInt(0), *expected) << "step " << step;
    }
  }
}

// Partial accumulators (a local phase's bundles, some only retracting what an earlier bundle
// added, so they count zero or fewer values) merged in order equal one accumulator of all rows.
TEST(StatisticalAggregates, MergeOfSignedPartialsMatchesOnePhase) {
  std::vector<AggCall> calls;
  for (AggKind k : kStatistics) calls.push_back(call(k, 0, ExprType::kDouble));
  for (AggKind k : kStatistics) calls.push_back(call(k, 1, ExprType::kInt));
  AggregateEvaluator evaluator(calls, true);
  std::mt19937 random(11);
  for (int round = 0; round < 20; ++round) {
    AggAccumulator onePhase = evaluator.create();
    AggAccumulator global = evaluator.create();
    std::vector<Row> live;
    for (int bundle = 0; bundle < 8; ++bundle) {
      AggAccumulator partial = evaluator.create();
      const int rows = 1 + static_cast<int>(random() % 4);
      for (int r = 0; r < rows; ++r) {
        const bool retract = !live.empty() && random() % 2 == 0;
        Row row;
        if (retract) {
          row = live.back();
          live.pop_back();
        } else {
          row.d = -50 + static_cast<double>(random() % 1000) / 10;
          if (random() % 4 != 0) row.i = static_cast<int32_t>(random() % 100000);
          live.push_back(row);
        }
        Batch b = batchOf({row});
        evaluator.accumulate(partial, b, 0, retract ? -1 : 1);
        evaluator.accumulate(onePhase, b, 0, retract ? -1 : 1);
      }
      evaluator.merge(global, roundTrip(partial));
    }
    const std::vector<Column> expected = results(evaluator, calls, onePhase);
    const std::vector<Column> got = results(evaluator, calls, global);
    std::vector<double> doubles;
    for (const Row& r : live) doubles.push_back(*r.d);
    for (size_t k = 0; k < 4; ++k)
      expectDouble(got[k], directStatistic(kStatistics[k], doubles),
                   "round " + std::to_string(round));
    for (size_t k = 4; k < calls.size(); ++k) {
      ASSERT_EQ(got[k].isNull(0), expected[k].isNull(0)) << round;
      if (!expected[k].isNull(0)) EXPECT_EQ(got[k].getInt(0), expected[k].getInt(0)) << round;
    }
  }
}

// The list a retractable LISTAGG / FIRST_VALUE / LAST_VALUE stands for: values in arrival
// order; a retraction removes the earliest occurrence of its value.
TEST(ListAggregates, RetractionsRemoveTheEarliestOccurrence) {
  const std::vector<AggCall> calls = {call(AggKind::kListAgg, 2, ExprType::kVarchar, ";"),
                                      call(AggKind::kFirstValue, 2, ExprType::kVarchar),
                                      call(AggKind::kLastValue, 2, ExprType::kVarchar),
                                      call(AggKind::kFirstValue, 0, ExprType::kDouble),
                                      call(AggKind::kLastValue, 1, ExprType::kInt)};
  AggregateEvaluator evaluator(calls, true);
  AggAccumulator acc = evaluator.create();
  std::mt19937 random(3);
  // Each call's list on its own: its column's non-null values in arrival order.
  std::vector<std::string> strings;
  std::vector<double> doubles;
  std::vector<int32_t> ints;
  std::vector<Row> live;  // rows added and not retracted, to pick retractions from
  auto removeEarliest = [](auto& list, const auto& value) {
    if (!value) return;
    auto it = std::find(list.begin(), list.end(), *value);
    ASSERT_NE(it, list.end());
    list.erase(it);
  };
  for (int step = 0; step < 300; ++step) {
    const bool retract = !live.empty() && random() % 3 == 0;
    Row row;
    if (retract) {
      const size_t at = random() % live.size();
      row = live[at];
      live.erase(live.begin() + static_cast<ptrdiff_t>(at));
      removeEarliest(strings, row.s);
      removeEarliest(doubles, row.d);
      removeEarliest(ints, row.i);
    } else {
      // Few distinct values, so that retractions meet duplicates.
      const int v = static_cast<int>(random() % 4);
      if (random() % 4 != 0) row.s = std::string(1, static_cast<char>('a' + v));
      if (random() % 4 != 0) row.d = v * 1.5;
      if (random() % 4 != 0) row.i = -v;
      live.push_back(row);
      if (row.s) strings.push_back(*row.s);
      if (row.d) doubles.push_back(*row.d);
      if (row.i) ints.push_back(*row.i);
    }
    Batch b = batchOf({row});
    evaluator.accumulate(acc, b, 0, retract ? -1 : 1);
    if (step % 40 == 0) acc = roundTrip(acc);
    const std::vector<Column> got = results(evaluator, calls, acc);
    std::string joined;
    for (size_t k = 0; k < strings.size(); ++k) joined += (k ? ";" : "") + strings[k];
    ASSERT_EQ(got[0].isNull(0), strings.empty()) << step;
    if (!strings.empty()) {
      EXPECT_EQ(got[0].getString(0), joined) << step;
      EXPECT_EQ(got[1].getString(0), strings.front()) << step;
      EXPECT_EQ(got[2].getString(0), strings.back()) << step;
    }
    ASSERT_EQ(got[3].isNull(0), doubles.empty()) << step;
    if (!doubles.empty()) EXPECT_EQ(got[3].getDouble(0), doubles.front()) << step;
    ASSERT_EQ(got[4].isNull(0), ints.empty()) << step;
    if (!ints.empty()) EXPECT_EQ(got[4].getInt(0), ints.back()) << step;
  }
}

// A local phase's bundle may retract a value an earlier bundle added: the retraction waits in
// the partial accumulator and applies when the global phase merges it.
TEST(ListAggregates, MergeAppliesPendingRetractionsLikeOnePhase) {
  const std::vector<AggCall> calls = {call(AggKind::kListAgg, 2, ExprType::kVarchar),
                                      call(AggKind::kFirstValue, 2, ExprType::kVarchar),
                                      call(AggKind::kLastValue, 2, ExprType::kVarchar)};
  AggregateEvaluator evaluator(calls, true);
  auto rowOf = [](const char* s) { return Row{std::nullopt, std::nullopt, std::string(s)}; };
  struct Change {
    const char* value;
    int sign;
  };
  const std::vector<std::vector<Change>> bundles = {
      {{"a", 1}, {"b", 1}, {"a", 1}},
      {{"a", -1}, {"c", 1}},  // retracts the first a: b, a, c
      {{"b", -1}},            // only a retraction: a, c
      {{"d", 1}, {"c", -1}, {"c", 1}},
  };
  AggAccumulator global = evaluator.create();
  AggAccumulator onePhase = evaluator.create();
  for (const auto& bundle : bundles) {
    AggAccumulator partial = evaluator.create();
    for (const Change& c : bundle) {
      Batch b = batchOf({rowOf(c.value)});
      evaluator.accumulate(partial, b, 0, c.sign);
      evaluator.accumulate(onePhase, b, 0, c.sign);
    }
    evaluator.merge(global, roundTrip(partial));
  }
  const std::vector<Column> got = results(evaluator, calls, global);
  const std::vector<Column> expected = results(evaluator, calls, onePhase);
  // By hand: a, c; then d; then c retracted and appended again: a, d, c.
  EXPECT_EQ(expected[0].getString(0), "a,d,c");
  for (size_t k = 0; k < calls.size(); ++k)
    EXPECT_EQ(got[k].getString(0), expected[k].getString(0));
  EXPECT_TRUE(global.pendingRetractions[0].empty());
}

// Insert-only input (window aggregates, the local phase of an insert-only aggregate): FIRST_VALUE
// and LAST_VALUE keep one value, and merging later partials keeps the first / takes the last.
TEST(ListAggregates, InsertOnlyFirstAndLastKeepOneValue) {
  const std::vector<AggCall> calls = {call(AggKind::kFirstValue, 1, ExprType::kInt),
                                      call(AggKind::kLastValue, 1, ExprType::kInt),
                                      call(AggKind::kListAgg, 2, ExprType::kVarchar)};
  AggregateEvaluator evaluator(calls, false);
  AggAccumulator earlier = evaluator.create(), later = evaluator.create(),
                 empty = evaluator.create();
  Batch b = batchOf({{std::nullopt, 5, "p"},
                     {std::nullopt, std::nullopt, "q"},
                     {std::nullopt, 6, std::nullopt},
                     {std::nullopt, 9, "r"}});
  for (size_t r = 0; r < 3; ++r) evaluator.accumulate(earlier, b, r, 1);
  evaluator.accumulate(later, b, 3, 1);
  EXPECT_EQ(earlier.lists[0].size(), 1u);
  EXPECT_EQ(earlier.lists[1].size(), 1u);
  evaluator.merge(earlier, empty);
  evaluator.merge(earlier, roundTrip(later));
  const std::vector<Column> got = results(evaluator, calls, earlier);
  EXPECT_EQ(got[0].getInt(0), 5);
  EXPECT_EQ(got[1].getInt(0), 9);
  EXPECT_EQ(got[2].getString(0), "p,q,r");
}

// The group aggregate keeps these accumulators in keyed state: a snapshot taken in the middle of
// a retracting input and restored into a new operator (heap and RocksDB backends) continues
// the changelog exactly as an uninterrupted run.
TEST(StatisticalListAggregates, GroupAggregateStateSurvivesSnapshotAndRestore) {
  using testutil::makeBatch;
  using testutil::OperatorHarness;
  using testutil::TestRow;
  const SchemaPtr input =
      makeSchema({{"k", TypeId::kBigint}, {"d", TypeId::kDouble}, {"s", TypeId::kVarchar}});
  const std::vector<AggCall> calls = {call(AggKind::kStddevSamp, 1, ExprType::kDouble),
                                      call(AggKind::kVarPop, 1, ExprType::kDouble),
                                      call(AggKind::kListAgg, 2, ExprType::kVarchar),
                                      call(AggKind::kFirstValue, 2, ExprType::kVarchar),
                                      call(AggKind::kLastValue, 1, ExprType::kDouble)};
  const SchemaPtr output = makeSchema({{"k", TypeId::kBigint},
                                       {"sd", TypeId::kDouble},
                                       {"vp", TypeId::kDouble},
                                       {"l", TypeId::kVarchar},
                                       {"f", TypeId::kVarchar},
                                       {"ld", TypeId::kDouble}});
  auto makeOperator = [&] {
    GroupAggregateOptions options;
    options.perRowChanges = true;
    return std::make_unique<GroupAggregateOperator>(input, std::vector<int>{0}, calls, true, output,
                                                    options);
  };
  // Inserts, and retractions (-U / -D) of earlier inserts, as an updating input sends them.
  std::mt19937 random(17);
  std::vector<Batch> steps;
  std::vector<TestRow> live;
  for (int step = 0; step < 24; ++step) {
    std::vector<TestRow> rows;
    for (int r = 0; r < 6; ++r) {
      if (!live.empty() && random() % 3 == 0) {
        const size_t at = random() % live.size();
        TestRow row = live[at];
        live.erase(live.begin() + static_cast<ptrdiff_t>(at));
        row.kind = random() % 2 ? RowKind::kUpdateBefore : RowKind::kDelete;
        rows.push_back(row);
        continue;
      }
      const int64_t key = static_cast<int64_t>(random() % 3);
      testutil::TestValue d = random() % 5 == 0 ? testutil::TestValue(Null{})
                                                : testutil::TestValue((random() % 100) / 4.0);
      testutil::TestValue str = random() % 5 == 0
                                    ? testutil::TestValue(Null{})
                                    : testutil::TestValue(std::string(1, 'a' + random() % 4));
      TestRow row{0, {key, d, str}};
      live.push_back(row);
      rows.push_back(row);
    }
    steps.push_back(makeBatch(input, rows));
  }
  const auto dir = std::filesystem::temp_directory_path() /
                   ("glint_stat_list_restore_" + std::to_string(::getpid()));
  for (const char* backend : {"heap", "rocksdb"}) {
    SCOPED_TRACE(backend);
    OperatorHarness whole(makeOperator());
    whole.useStateBackend(backend, dir);
    whole.open();
    for (const Batch& b : steps) whole.processBatch(0, b);
    const std::vector<std::string> expected = whole.outputRows();
    ASSERT_GT(expected.size(), 50u);
    whole.close();

    const size_t cut = 11;
    std::filesystem::remove_all(dir);
    OperatorHarness before(makeOperator());
    before.useStateBackend(backend, dir);
    before.open();
    for (size_t s = 0; s < cut; ++s) before.processBatch(0, steps[s]);
    OperatorRestoreState restore = before.checkpointForRestore(dir, "agg-0");
    std::vector<std::string> got = before.outputRows();
    before.close();
    OperatorHarness after(makeOperator());
    after.useStateBackend(backend, dir);
    after.op().initializeState(std::move(restore));
    after.open();
    for (size_t s = cut; s < steps.size(); ++s) after.processBatch(0, steps[s]);
    for (auto& r : after.outputRows()) got.push_back(r);
    EXPECT_EQ(got, expected);
    after.close();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace glint::sql
