// The group aggregate's fixed-size accumulators (FlatGroupAccumulator) and its key groups taken
// from part of its key (partitionKeyGroupsBy, when the input arrives partitioned by a join key):
// - FlatAggregateEvaluator with retractions gives AggregateEvaluator's results step by step;
// - the operator uses flat accumulators exactly for the calls they support;
// - with key groups from the first key column, each key's state lies in the key group of that
//   column, so a snapshot of one subtask restores into two subtasks fed as the upstream
//   partitioner feeds them, and the changelog continues as an uninterrupted run's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/sql/operators/flat_aggregate.h"
#include "glint/sql/operators/group_aggregate.h"
#include "glint/state/state_snapshot.h"
#include "tests/sql/operators/aggregate_test_util.h"
#include "tests/support/operator_harness.h"

namespace glint::sql {
namespace {

using testutil::aggCall;
using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::resultText;
using testutil::TestRow;
using testutil::TestValue;

// Columns: 0 k BIGINT, 1 i INT, 2 d DOUBLE, 3 f BOOLEAN (a FILTER column).
SchemaPtr inputSchema() {
  return makeSchema({{"k", TypeId::kBigint},
                     {"i", TypeId::kInt},
                     {"d", TypeId::kDouble},
                     {"f", TypeId::kBoolean}});
}

std::vector<AggCall> retractableCalls() {
  return {aggCall(AggKind::kCountStar, -1, ExprType::kBigint, ExprType::kBigint),
          aggCall(AggKind::kCount, 1, ExprType::kInt, ExprType::kBigint),
          aggCall(AggKind::kSum, 1, ExprType::kInt, ExprType::kInt),
          aggCall(AggKind::kAvg, 1, ExprType::kInt, ExprType::kInt, 3),
          aggCall(AggKind::kSum, 2, ExprType::kDouble, ExprType::kDouble),
          aggCall(AggKind::kAvg, 2, ExprType::kDouble, ExprType::kDouble)};
}

TEST(FlatGroupAggregate, RetractionsGiveTheGeneralEvaluatorsResults) {
  const auto calls = retractableCalls();
  ASSERT_TRUE(FlatAggregateEvaluator::supports(calls, true));
  const FlatAggregateEvaluator flat(calls);
  const AggregateEvaluator general(calls, true);
  std::mt19937 random(5);
  std::vector<TestRow> live;
  FlatGroupAccumulator<kFlatCapacity> flatAcc;
  AggAccumulator generalAcc = general.create();
  for (int step = 0; step < 400; ++step) {
    TestRow row;
    bool add = true;
    if (!live.empty() && random() % 3 == 0) {
      const size_t at = random() % live.size();
      row = live[at];
      live.erase(live.begin() + static_cast<ptrdiff_t>(at));
      add = false;
    } else {
      row = TestRow{0,
                    {int64_t{1},
                     random() % 6 == 0 ? TestValue(Null{})
                                       : TestValue(static_cast<int>(random() % 2000) - 1000),
                     random() % 6 == 0 ? TestValue(Null{}) : TestValue((random() % 999) / 8.0),
                     random() % 5 == 0 ? TestValue(Null{}) : TestValue(random() % 2 == 0)}};
      live.push_back(row);
    }
    const Batch batch = makeBatch(inputSchema(), {row});
    if (add) {
      flat.accumulate(flatAcc, batch, 0);
    } else {
      flat.retract(flatAcc, batch, 0);
    }
    general.accumulate(generalAcc, batch, 0, add ? 1 : -1);
    for (size_t i = 0; i < calls.size(); ++i) {
      const SchemaPtr out = makeSchema({{"r", storageTypeOf(calls[i].resultType), true}});
      Batch a(out), b(out);
      flat.appendResult(flatAcc, i, a.mutableColumn(0));
      general.appendResult(generalAcc, i, b.mutableColumn(0));
      ASSERT_EQ(resultText(a.column(0)), resultText(b.column(0)))
          << "step " << step << " call " << i;
    }
  }
}

// The operator's changelog with flat accumulators (per-row changes over inserts and
// retractions, several keys per batch) against a model: AggregateEvaluator per key and Flink's
// rules (+I for a new group, -U/+U when a result changes, nothing when it does not, -D when the
// group's last row goes).
TEST(FlatGroupAggregate, ChangelogMatchesTheGeneralEvaluator) {
  const auto calls = retractableCalls();
  std::vector<Field> fields = {{"k", TypeId::kBigint}};
  for (size_t i = 0; i < calls.size(); ++i)
    fields.push_back({"r" + std::to_string(i), storageTypeOf(calls[i].resultType), true});
  const SchemaPtr output = makeSchema(fields);
  GroupAggregateOptions options;
  options.perRowChanges = true;
  OperatorHarness h(std::make_unique<GroupAggregateOperator>(inputSchema(), std::vector<int>{0},
                                                             calls, true, output, options));
  ASSERT_TRUE(h.op<GroupAggregateOperator>().flatAccumulators());
  h.open();
  const AggregateEvaluator general(calls, true);
  std::map<int64_t, AggAccumulator> model;
  std::map<int64_t, Batch> held;  // the result row downstream holds, per key
  Batch expected(output);
  auto resultRow = [&](int64_t key, const AggAccumulator& acc) {
    Batch row(output);
    row.mutableColumn(0).appendInt(key);
    for (size_t i = 0; i < calls.size(); ++i)
      general.appendResult(acc, i, row.mutableColumn(1 + i));
    row.setNumRows(1);
    return row;
  };
  auto emit = [&](const Batch& row, RowKind kind) {
    expected.appendRange(row, 0, 1);
    expected.mutableRowKinds().resize(expected.numRows() - 1, RowKind::kInsert);
    expected.mutableRowKinds().push_back(kind);
  };
  std::mt19937 random(23);
  std::vector<TestRow> live;
  for (int step = 0; step < 40; ++step) {
    std::vector<TestRow> rows;
    for (int r = 0; r < 12; ++r) {
      TestRow row;
      if (!live.empty() && random() % 3 == 0) {
        const size_t at = random() % live.size();
        row = live[at];
        live.erase(live.begin() + static_cast<ptrdiff_t>(at));
        row.kind = random() % 2 ? RowKind::kUpdateBefore : RowKind::kDelete;
      } else {
        row = TestRow{
            0,
            {static_cast<int64_t>(random() % 4),
             random() % 6 == 0 ? TestValue(Null{}) : TestValue(static_cast<int>(random() % 7)),
             random() % 6 == 0 ? TestValue(Null{}) : TestValue((random() % 9) / 4.0),
             random() % 5 == 0 ? TestValue(Null{}) : TestValue(random() % 2 == 0)}};
        live.push_back(row);
      }
      rows.push_back(row);
    }
    const Batch batch = makeBatch(inputSchema(), rows);
    h.processBatch(0, batch);
    for (size_t r = 0; r < batch.numRows(); ++r) {
      const int64_t key = batch.column(0).getInt(r);
      auto it = model.try_emplace(key, general.create()).first;
      general.accumulate(it->second, batch, r, isAccumulate(batch.rowKind(r)) ? 1 : -1);
      auto before = held.find(key);
      if (it->second.rows <= 0) {
        if (before != held.end()) emit(before->second, RowKind::kDelete);
        model.erase(it);
        if (before != held.end()) held.erase(before);
        continue;
      }
      Batch now = resultRow(key, it->second);
      if (before == held.end()) {
        emit(now, RowKind::kInsert);
      } else if (before->second.rowToString(0) != now.rowToString(0)) {
        emit(before->second, RowKind::kUpdateBefore);
        emit(now, RowKind::kUpdateAfter);
      } else {
        continue;
      }
      held.insert_or_assign(key, std::move(now));
    }
  }
  ASSERT_GT(expected.numRows(), 200u);
  EXPECT_EQ(h.outputRows(), testutil::rowsOf({expected}));
}

std::unique_ptr<GroupAggregateOperator> makeAggregate(const std::vector<AggCall>& calls,
                                                      bool retracting) {
  return std::make_unique<GroupAggregateOperator>(
      inputSchema(), std::vector<int>{0}, calls, retracting,
      makeSchema({{"k", TypeId::kBigint}, {"r", TypeId::kBigint}}), GroupAggregateOptions{});
}

TEST(FlatGroupAggregate, UsedExactlyForTheCallsItSupports) {
  const auto max = aggCall(AggKind::kMax, 1, ExprType::kInt, ExprType::kInt);
  EXPECT_TRUE(makeAggregate({max}, false)->flatAccumulators());
  // MIN/MAX over a retracting input need every value.
  EXPECT_FALSE(makeAggregate({max}, true)->flatAccumulators());
  EXPECT_TRUE(makeAggregate(retractableCalls(), true)->flatAccumulators());
  auto distinct = aggCall(AggKind::kCount, 1, ExprType::kInt, ExprType::kBigint);
  distinct.distinct = true;
  EXPECT_FALSE(makeAggregate({distinct}, false)->flatAccumulators());
}

// GROUP BY (id, category) MAX(price), key groups from id.
SchemaPtr joinedSchema() {
  return makeSchema(
      {{"id", TypeId::kBigint}, {"category", TypeId::kBigint}, {"price", TypeId::kBigint}});
}

std::unique_ptr<GroupAggregateOperator> makePartitioned() {
  GroupAggregateOptions options;
  options.perRowChanges = true;
  auto op = std::make_unique<GroupAggregateOperator>(
      joinedSchema(), std::vector<int>{0, 1},
      std::vector<AggCall>{aggCall(AggKind::kMax, 2, ExprType::kBigint, ExprType::kBigint)}, false,
      makeSchema(
          {{"id", TypeId::kBigint}, {"category", TypeId::kBigint}, {"final", TypeId::kBigint}}),
      options);
  op->partitionKeyGroupsBy({0});
  return op;
}

// The key group the upstream partitioner (keyed by id alone) gives a row.
int idKeyGroup(int64_t id) {
  const Batch b = makeBatch(makeSchema({{"id", TypeId::kBigint}}), {TestRow{0, {id}}});
  std::string key;
  KeyEncoder(*b.schema(), {0}).encode(b, 0, key);
  return keyGroupForKey(key, kDefaultMaxParallelism);
}

TEST(FlatGroupAggregate, KeyGroupsFromTheJoinKeyRestoreIntoTwoSubtasks) {
  std::mt19937 random(11);
  std::vector<std::vector<TestRow>> steps;
  for (int s = 0; s < 20; ++s) {
    std::vector<TestRow> rows;
    for (int r = 0; r < 8; ++r) {
      const int64_t id = static_cast<int64_t>(random() % 40);
      rows.push_back(TestRow{0, {id, id % 3, static_cast<int64_t>(random() % 1000)}});
    }
    steps.push_back(rows);
  }
  const size_t cut = 9;
  // Uninterrupted, one subtask: the changes per id.
  OperatorHarness whole(makePartitioned());
  whole.open();
  for (const auto& rows : steps) whole.processBatch(0, makeBatch(joinedSchema(), rows));
  std::map<std::string, std::vector<std::string>> expected;
  for (const auto& row : whole.outputRows())
    expected[row.substr(3, row.find(',') - 3)].push_back(row);
  whole.close();

  const auto dir = std::filesystem::temp_directory_path() /
                   ("glint_flat_agg_restore_" + std::to_string(::getpid()));
  for (const char* backend : {"heap", "rocksdb"}) {
    SCOPED_TRACE(backend);
    std::filesystem::remove_all(dir);
    OperatorHarness before(makePartitioned());
    before.useStateBackend(backend, dir);
    before.open();
    for (size_t s = 0; s < cut; ++s) before.processBatch(0, makeBatch(joinedSchema(), steps[s]));
    const OperatorRestoreState checkpoint = before.checkpointForRestore(dir, "agg-0");
    ASSERT_EQ(checkpoint.keyedHandles.size(), 1u);
    std::map<std::string, std::vector<std::string>> got;
    for (const auto& row : before.outputRows())
      got[row.substr(3, row.find(',') - 3)].push_back(row);
    before.close();
    // Two subtasks, each with the rows of its half of id's key groups.
    for (int subtask = 0; subtask < 2; ++subtask) {
      OperatorHarness after(makePartitioned());
      after.useStateBackend(backend, dir);
      after.context().subtaskIndex = subtask;
      after.context().keyGroups = keyGroupRangeForSubtask(kDefaultMaxParallelism, 2, subtask);
      OperatorRestoreState restore = checkpoint;
      after.op().initializeState(std::move(restore));
      after.open();
      for (size_t s = cut; s < steps.size(); ++s) {
        std::vector<TestRow> mine;
        for (const auto& row : steps[s])
          if (after.context().keyGroups.contains(
                  idKeyGroup(std::get<int64_t>(row.values[0].value))))
            mine.push_back(row);
        after.processBatch(0, makeBatch(joinedSchema(), mine));
      }
      for (const auto& row : after.outputRows())
        got[row.substr(3, row.find(',') - 3)].push_back(row);
      // A row of the other half is not this subtask's: the operator says so.
      for (int64_t id = 0; id < 40; ++id)
        if (!after.context().keyGroups.contains(idKeyGroup(id))) {
          EXPECT_THROW(after.processBatch(0, makeBatch(joinedSchema(), {TestRow{0, {id, 0, 1}}})),
                       GlintError);
          break;
        }
      after.close();
    }
    EXPECT_EQ(got, expected);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace glint::sql
