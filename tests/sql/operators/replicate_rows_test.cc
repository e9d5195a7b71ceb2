// ReplicateRowsFunction: copies per count, row kinds mapped to +I/-D, a -U/+U pair of the same
// row netted to the difference of its counts. Expected changes written out by hand.
#include "glint/sql/operators/replicate_rows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace glint::sql {
namespace {

struct Change {
  RowKind kind;
  std::string key;  // "NULL" for a NULL
  int64_t count;
};

Batch input(const std::vector<Change>& changes) {
  Batch b(makeSchema({{"k", TypeId::kVarchar}, {"n", TypeId::kBigint}}));
  for (const auto& c : changes) {
    if (c.key == "NULL")
      b.mutableColumn(0).appendNull();
    else
      b.mutableColumn(0).appendString(c.key);
    b.mutableColumn(1).appendInt(c.count);
    b.mutableRowKinds().push_back(c.kind);
  }
  b.setNumRows(changes.size());
  return b;
}

// "+I[a]" per output row.
std::vector<std::string> run(const std::vector<Change>& changes) {
  ReplicateRowsFunction replicate(makeSchema({{"k", TypeId::kVarchar}}));
  Batch out = replicate(input(changes));
  std::vector<std::string> rows;
  for (size_t r = 0; r < out.numRows(); ++r)
    rows.push_back(std::string(rowKindShortString(out.rowKind(r))) + "[" +
                   (out.column(0).isNull(r) ? "NULL" : std::string(out.column(0).getString(r))) +
                   "]");
  return rows;
}

using Rows = std::vector<std::string>;

TEST(ReplicateRows, CopiesPerCountAndKindsAsInsertOrDelete) {
  EXPECT_EQ(
      run({{RowKind::kInsert, "a", 2}, {RowKind::kInsert, "b", 0}, {RowKind::kDelete, "c", 1}}),
      (Rows{"+I[a]", "+I[a]", "-D[c]"}));
  // A lone +U adds and a lone -U retracts (the pair's other half is in another batch).
  EXPECT_EQ(run({{RowKind::kUpdateAfter, "a", 1}, {RowKind::kUpdateBefore, "b", 2}}),
            (Rows{"+I[a]", "-D[b]", "-D[b]"}));
}

TEST(ReplicateRows, UpdatePairOfOneRowIsNetted) {
  // 1 -> 3 copies: two more; 3 -> 1: two fewer; 2 -> 2: nothing; NULL keys pair too.
  EXPECT_EQ(run({{RowKind::kUpdateBefore, "a", 1},
                 {RowKind::kUpdateAfter, "a", 3},
                 {RowKind::kUpdateBefore, "b", 3},
                 {RowKind::kUpdateAfter, "b", 1},
                 {RowKind::kUpdateBefore, "c", 2},
                 {RowKind::kUpdateAfter, "c", 2},
                 {RowKind::kUpdateBefore, "NULL", 0},
                 {RowKind::kUpdateAfter, "NULL", 1}}),
            (Rows{"+I[a]", "+I[a]", "-D[b]", "-D[b]", "+I[NULL]"}));
}

TEST(ReplicateRows, PairOfDifferentRowsIsNotNetted) {
  EXPECT_EQ(run({{RowKind::kUpdateBefore, "a", 1}, {RowKind::kUpdateAfter, "b", 1}}),
            (Rows{"-D[a]", "+I[b]"}));
}

TEST(ReplicateRows, InsertOnlyInputStaysInsertOnly) {
  Batch b(makeSchema({{"k", TypeId::kBigint}, {"n", TypeId::kBigint}}));
  for (int64_t i = 0; i < 3; ++i) {
    b.mutableColumn(0).appendInt(i);
    b.mutableColumn(1).appendInt(i);
  }
  b.setNumRows(3);
  ReplicateRowsFunction replicate(makeSchema({{"k", TypeId::kBigint}}));
  Batch out = replicate(std::move(b));
  ASSERT_EQ(out.numRows(), 3u);  // 0 copies of 0, 1 of 1, 2 of 2
  EXPECT_FALSE(out.hasRowKinds());
  EXPECT_EQ(out.column(0).getInt(0), 1);
  EXPECT_EQ(out.column(0).getInt(1), 2);
  EXPECT_EQ(out.column(0).getInt(2), 2);
}

}  // namespace
}  // namespace glint::sql
