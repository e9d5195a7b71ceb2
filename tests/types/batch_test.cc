#include "glint/types/batch.h"

#include <gtest/gtest.h>

#include <set>

#include "glint/types/serialization.h"

namespace glint {
namespace {

SchemaPtr testSchema() {
  return makeSchema({{"id", TypeId::kBigint},
                     {"name", TypeId::kVarchar},
                     {"score", TypeId::kDouble},
                     {"ts", TypeId::kTimestamp},
                     {"ok", TypeId::kBoolean}});
}

Batch sampleBatch() {
  Batch b(testSchema());
  RowWriter w(b, /*carryTimestamps=*/true);
  w.setTimestamp(1000);
  w.emit(1, "alice", 1.5, int64_t{1000}, true);
  w.setTimestamp(2000);
  w.setRowKind(RowKind::kUpdateBefore);
  w.emit(2, Null{}, 2.25, int64_t{2000}, false);
  w.setRowKind(RowKind::kUpdateAfter);
  w.emit(3, "", Null{}, int64_t{-1}, Null{});
  b.setSourceNanos(42);
  return b;
}

TEST(BatchTest, RowWriterFillsColumnsKindsAndTimestamps) {
  Batch b = sampleBatch();
  ASSERT_EQ(b.numRows(), 3u);
  EXPECT_EQ(b.column(1).getString(0), "alice");
  EXPECT_TRUE(b.column(1).isNull(1));
  EXPECT_FALSE(b.column(1).isNull(2));
  EXPECT_EQ(b.rowKind(0), RowKind::kInsert);
  EXPECT_EQ(b.rowKind(1), RowKind::kUpdateBefore);
  EXPECT_EQ(b.timestamp(1), 2000);
  EXPECT_EQ(b.rowToString(0), "+I 1, alice, 1.5, 1970-01-01 00:00:01.000, true");
  EXPECT_EQ(b.rowToString(2), "+U 3, , NULL, 1969-12-31 23:59:59.999, NULL");
}

TEST(BatchTest, SerializationRoundTrips) {
  Batch b = sampleBatch();
  std::string bytes;
  serializeBatch(b, bytes);
  auto back = deserializeBatch(bytes);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back->toString(), b.toString());
  EXPECT_EQ(*back->schema(), *b.schema());
  EXPECT_EQ(back->timestamps(), b.timestamps());
  EXPECT_EQ(back->sourceNanos(), 42);
}

TEST(BatchTest, TruncatedBytesAreRejectedNotMisread) {
  std::string bytes;
  serializeBatch(sampleBatch(), bytes);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    auto back = deserializeBatch(std::string_view(bytes).substr(0, cut));
    EXPECT_FALSE(back.isOk()) << "cut at " << cut;
  }
  bytes[2] = 99;
  auto wrongVersion = deserializeBatch(bytes);
  ASSERT_FALSE(wrongVersion.isOk());
  EXPECT_NE(wrongVersion.status().message().find("version 99"), std::string::npos);
}

TEST(BatchTest, GatherAndRangeKeepValuesAndNulls) {
  Batch b = sampleBatch();
  Batch s = b.select({2, 0});
  EXPECT_EQ(s.rowToString(0), b.rowToString(2));
  EXPECT_EQ(s.rowToString(1), b.rowToString(0));
  Batch r(b.schema());
  r.appendRange(b, 1, 3);
  EXPECT_EQ(r.rowToString(0), b.rowToString(1));
  EXPECT_EQ(r.column(3).getInt(1), -1);
  EXPECT_EQ(r.timestamp(1), 2000);
}

// A buffer that grows by one small batch at a time (a join's buffered rows) must grow its
// vectors geometrically: reserving exactly size + count reallocated (and copied) the string
// offsets and the null flags on every append, quadratic in the rows buffered.
TEST(BatchTest, AppendingRowByRowReallocatesLogarithmicallyOften) {
  Batch b = sampleBatch();
  Batch buffer(b.schema());
  const uint32_t rows[] = {1};  // a row with a NULL, so the null flags grow too
  std::set<const void*> offsets, nulls;
  for (int i = 0; i < 4096; ++i) {
    buffer.appendRows(b, rows, 1);
    buffer.appendRange(b, 0, 1);
    offsets.insert(buffer.column(1).offsets().data());
    nulls.insert(buffer.column(1).nullMask().data());
  }
  ASSERT_EQ(buffer.numRows(), 8192u);
  EXPECT_LE(offsets.size(), 20u);
  EXPECT_LE(nulls.size(), 20u);
}

TEST(TimeFormatTest, TimestampsRoundTrip) {
  for (int64_t ms : {int64_t{0}, int64_t{1436918400000}, int64_t{-1}, int64_t{951782400123}}) {
    int64_t back = 0;
    ASSERT_TRUE(parseTimestamp(formatTimestamp(ms), &back)) << formatTimestamp(ms);
    EXPECT_EQ(back, ms);
  }
  EXPECT_EQ(formatTimestamp(1436918400000), "2015-07-15 00:00:00.000");
  int64_t ms;
  EXPECT_TRUE(parseTimestamp("2015-07-15T00:00:01Z", &ms));
  EXPECT_EQ(ms, 1436918401000);
  EXPECT_FALSE(parseTimestamp("2015-07-15 25:00:00", &ms));
  EXPECT_FALSE(parseTimestamp("yesterday", &ms));
}

}  // namespace
}  // namespace glint
