// CalcFunction over a batch that other operators read too (fromShared): the same rows as over a
// batch it takes, the input left as it was, and the copy width that decides who takes a batch.
#include <gtest/gtest.h>

#include "glint/sql/operators/sql_operators.h"
#include "tests/sql/expr/expr_test_support.h"

namespace glint::sql::testing {
namespace {

Batch sample() {
  Batch b(makeSchema({{"a", TypeId::kBigint}, {"s", TypeId::kVarchar}, {"x", TypeId::kBigint}}));
  RowWriter w(b, true);
  for (int64_t i = 0; i < 6; ++i) {
    w.setTimestamp(100 + i);
    if (i == 3)
      w.emit(i, Null{}, i * i);
    else
      w.emit(i, "r" + std::to_string(i), i * i);
  }
  return b;
}

TEST(CalcFunctionTest, SharedBatchGivesTheSameRowsAndStaysUntouched) {
  const Batch input = sample();
  auto a = makeColumnRef(0, TypeId::kBigint, true, "a");
  auto s = makeColumnRef(1, TypeId::kVarchar, true, "s");
  auto out = makeSchema({{"s", TypeId::kVarchar}, {"a10", TypeId::kBigint}});
  for (bool filtered : {false, true}) {
    SCOPED_TRACE(filtered ? "with a filter" : "projection only");
    CalcFunction calc(input.schema(), out, filtered ? call(">", {a, lit(I(1))}) : nullptr,
                      {s, call("*", {a, lit(I(10))})});
    ASSERT_TRUE(calc.validate().isOk());
    // Projection alone: copies a and s; a filter copies the selected rows of every column.
    EXPECT_EQ(calc.sharedCopyWidth(), filtered ? SIZE_MAX : 2u);
    const Batch shared = calc.fromShared(input);
    const Batch taken = calc(Batch(input));
    EXPECT_EQ(shared.toString(), taken.toString());
    EXPECT_EQ(shared.timestamps(), taken.timestamps());
    EXPECT_EQ(shared.numRows(), filtered ? 4u : 6u);
    EXPECT_EQ(input.toString(), sample().toString());
  }
}

}  // namespace
}  // namespace glint::sql::testing
