#include "glint/formats/json_lines.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace glint {
namespace {

SchemaPtr allTypesSchema() {
  return makeSchema({{"b", TypeId::kBoolean},
                     {"i", TypeId::kInt},
                     {"l", TypeId::kBigint},
                     {"d", TypeId::kDouble},
                     {"s", TypeId::kVarchar},
                     {"ts", TypeId::kTimestamp},
                     {"ltz", TypeId::kTimestampLtz},
                     {"day", TypeId::kDate}});
}

SchemaPtr bidSchema() {
  return makeSchema(
      {{"auction", TypeId::kBigint}, {"bidder", TypeId::kVarchar}, {"price", TypeId::kBigint}});
}

TextFormatOptions opts(MalformedPolicy policy = MalformedPolicy::kFail) {
  TextFormatOptions o;
  o.onMalformed = policy;
  return o;
}

struct Decoded {
  Status status;
  Batch batch;
  int64_t skipped = 0;
  std::vector<std::string> samples;
  int64_t line = 0;
  int64_t bytes = 0;
};

Decoded decodeJson(std::string_view text, SchemaPtr schema, TextFormatOptions o = opts(),
                   size_t chunk = 0) {
  JsonLinesDecoder dec(schema, o, "bids.json");
  Decoded r;
  r.batch = Batch(schema);
  if (chunk == 0) chunk = text.size() + 1;
  size_t pos = 0;
  do {
    const size_t n = std::min(chunk, text.size() - pos);
    const bool last = pos + n == text.size();
    r.status = dec.decode(text.substr(pos, n), last, r.batch);
    pos += n;
    if (!r.status.isOk() || last) break;
  } while (true);
  r.skipped = dec.skippedRecords();
  r.samples = dec.skipSamples();
  r.line = dec.currentLine();
  r.bytes = dec.bytesConsumed();
  return r;
}

std::string firstError(std::string_view line, SchemaPtr schema = bidSchema()) {
  return decodeJson(line, schema).status.message();
}

TEST(JsonLinesTest, WritesRowsAsJson) {
  auto schema = makeSchema({{"id", TypeId::kBigint},
                            {"name", TypeId::kVarchar},
                            {"score", TypeId::kDouble},
                            {"ts", TypeId::kTimestamp},
                            {"ok", TypeId::kBoolean},
                            {"day", TypeId::kDate}});
  Batch b(schema);
  RowWriter w(b);
  w.emit(1, "a\"b\\c\n\x01", 1.5, int64_t{1000}, true, int64_t{0});
  w.setRowKind(RowKind::kUpdateBefore);
  w.emit(Null{}, Null{}, Null{}, Null{}, Null{}, Null{});
  std::string out;
  appendJsonRow(b, 0, out, /*rowKindField=*/true);
  appendJsonRow(b, 1, out, /*rowKindField=*/true);
  appendJsonRow(b, 0, out);
  EXPECT_EQ(out,
            "{\"rowkind\":\"+I\",\"id\":1,\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"score\":1.5,"
            "\"ts\":\"1970-01-01 00:00:01.000\",\"ok\":true,\"day\":\"1970-01-01\"}\n"
            "{\"rowkind\":\"-U\",\"id\":null,\"name\":null,\"score\":null,\"ts\":null,\"ok\":null,"
            "\"day\":null}\n"
            "{\"id\":1,\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"score\":1.5,"
            "\"ts\":\"1970-01-01 00:00:01.000\",\"ok\":true,\"day\":\"1970-01-01\"}\n");
}

TEST(JsonLinesTest, RoundTripsEveryTypeThroughTheWriter) {
  Batch b(allTypesSchema());
  RowWriter w(b);
  const double inf = std::numeric_limits<double>::infinity();
  w.emit(true, 1, int64_t{1} << 40, 1.5, "plain", int64_t{1700000000123}, int64_t{0},
         int64_t{19000});
  w.emit(false, INT32_MIN, INT64_MIN, -0.1, "q\"uote\\ \t\r\n\x1f ünï ✓", int64_t{-1}, int64_t{1},
         int64_t{-1});
  w.emit(Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{});
  w.emit(true, INT32_MAX, INT64_MAX, inf, "", int64_t{0}, Null{}, int64_t{0});
  w.emit(Null{}, 0, 0, -inf, "{\"not\":\"nested\"}", Null{}, int64_t{2}, int64_t{3});
  w.emit(true, 3, 4, 1e300, "x", int64_t{5}, int64_t{6}, int64_t{7});
  w.setRowKind(RowKind::kDelete);
  w.emit(true, 3, 4, std::numeric_limits<double>::quiet_NaN(), "y", int64_t{5}, int64_t{6},
         int64_t{7});
  std::string text;
  for (size_t r = 0; r < b.numRows(); ++r) appendJsonRow(b, r, text, /*rowKindField=*/true);
  Decoded r = decodeJson(text, b.schema());
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  ASSERT_EQ(r.batch.numRows(), b.numRows());
  for (size_t row = 0; row < b.numRows(); ++row) {
    EXPECT_EQ(r.batch.rowToString(row), b.rowToString(row).substr(3)) << row;  // minus "+I "
  }
  EXPECT_TRUE(std::isnan(r.batch.column(3).getDouble(6)));
  EXPECT_TRUE(r.batch.column(4).isNull(2));
  EXPECT_FALSE(r.batch.column(4).isNull(3));
  EXPECT_FALSE(r.batch.hasRowKinds());
  EXPECT_FALSE(r.batch.hasTimestamps());
  EXPECT_EQ(r.bytes, static_cast<int64_t>(text.size()));
}

TEST(JsonLinesTest, MissingNullAndUnknownNestedFields) {
  auto schema = makeSchema({{"auction", TypeId::kBigint},
                            {"bidder", TypeId::kVarchar},
                            {"price", TypeId::kBigint},
                            {"ok", TypeId::kBoolean}});
  const std::string text =
      "{\"auction\":1,\"bidder\":\"a\",\"price\":10,\"ok\":false}\n"
      "{\"price\":20,\"auction\":2}\n"
      "{\"auction\":3,\"bidder\":null,\"price\":null,\"meta\":{\"x\":[1,2,{\"y\":\"z\"}],\"w\":"
      "null},"
      "\"tags\":[[],{}],\"n\":1.5}\n"
      "   \n"
      "{\"auction\":4,\"bidder\":{\"k\":[1,\"two\",true,null,1.5]},\"price\":\"40\",\"ok\":"
      "\"TRUE\"}\n"
      "{\"auction\":5,\"bidder\":7,\"price\":5,\"bidder\":true}\n"
      "{\"auction\":6,\"bidder\":[],\"price\":-6}\n";
  Decoded r = decodeJson(text, schema);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.toString(),
            "1, a, 10, false\n"
            "2, NULL, 20, NULL\n"
            "3, NULL, NULL, NULL\n"
            "4, {\"k\":[1,\"two\",true,null,1.5]}, 40, true\n"
            "5, true, 5, NULL\n"
            "6, [], -6, NULL\n");
  EXPECT_EQ(r.line, 8);
}

TEST(JsonLinesTest, BadRecordsReportFileLineAndExpectation) {
  Decoded r = decodeJson("{\"auction\":1}\n{\"auction\":2,\n", bidSchema());
  ASSERT_FALSE(r.status.isOk());
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(r.status.message().rfind("bids.json:2: invalid JSON: parse error at column ", 0), 0u)
      << r.status.message();
  EXPECT_EQ(r.batch.numRows(), 1u);

  EXPECT_EQ(firstError("\n\n[1,2]"), "bids.json:3: expected a JSON object, got an array");
  EXPECT_EQ(firstError("42"), "bids.json:1: expected a JSON object, got 42");
  EXPECT_EQ(firstError("\"s\""), "bids.json:1: expected a JSON object, got \"s\"");
  EXPECT_EQ(firstError("{\"auction\":\"x\"}"),
            "bids.json:1: column 'auction': expected BIGINT, got \"x\"");
  EXPECT_EQ(firstError("{\"auction\":1.5}"),
            "bids.json:1: column 'auction': expected BIGINT, got 1.5");
  EXPECT_EQ(firstError("{\"auction\":true}"),
            "bids.json:1: column 'auction': expected BIGINT, got true");
  EXPECT_EQ(firstError("{\"auction\":{\"a\":1}}"),
            "bids.json:1: column 'auction': expected BIGINT, got an object");
  EXPECT_EQ(
      firstError("{\"auction\":18446744073709551615}"),
      "bids.json:1: column 'auction': expected BIGINT, got 18446744073709551615 (out of range)");
  EXPECT_EQ(firstError("{\"i\":3000000000}", allTypesSchema()),
            "bids.json:1: column 'i': expected INT, got 3000000000 (out of range)");
  EXPECT_EQ(firstError("{\"day\":5}", allTypesSchema()),
            "bids.json:1: column 'day': expected DATE, got 5");
  EXPECT_EQ(firstError("{\"ts\":\"yesterday\"}", allTypesSchema()),
            "bids.json:1: column 'ts': expected TIMESTAMP(3), got \"yesterday\"");
  EXPECT_EQ(firstError("{\"auction\":1} {}").rfind("bids.json:1: invalid JSON: ", 0), 0u);

  auto strict = makeSchema({{"id", TypeId::kBigint, /*nullable=*/false}});
  EXPECT_EQ(firstError("{\"id\":null}", strict),
            "bids.json:1: column 'id': expected BIGINT NOT NULL, got null");
  EXPECT_EQ(firstError("{}", strict),
            "bids.json:1: column 'id': expected BIGINT NOT NULL, got no value (missing field)");

  TextFormatOptions o = opts();
  o.failOnMissingField = true;
  r = decodeJson("{\"auction\":1,\"bidder\":null,\"price\":2}\n{\"auction\":1,\"price\":2}\n",
                 bidSchema(), o);
  EXPECT_EQ(r.status.message(), "bids.json:2: missing field 'bidder'");
  EXPECT_EQ(r.batch.numRows(), 1u);
}

TEST(JsonLinesTest, SkipPolicyCountsAndKeepsGoodRows) {
  std::string text;
  for (int i = 0; i < 8; ++i) {
    text += "{\"auction\":" + std::to_string(i) + ",\"price\":" + std::to_string(i) + "}\n";
    if (i % 2 == 1) text += "{\"auction\":oops}\n";
  }
  text += "not json";
  Decoded r = decodeJson(text, bidSchema(), opts(MalformedPolicy::kSkip), 5);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.numRows(), 8u);
  EXPECT_EQ(r.skipped, 5);
  ASSERT_EQ(r.samples.size(), 5u);
  EXPECT_EQ(r.samples[0].rfind("bids.json:3: invalid JSON: ", 0), 0u) << r.samples[0];
  EXPECT_EQ(r.samples[4].rfind("bids.json:13: invalid JSON: ", 0), 0u) << r.samples[4];
  for (size_t i = 0; i < r.batch.numRows(); ++i)
    EXPECT_EQ(r.batch.column(0).getInt(i), static_cast<int64_t>(i));
}

TEST(JsonLinesTest, TimestampsAsStringsOrEpochMillis) {
  const std::string text =
      "{\"ts\":\"2024-01-02 "
      "03:04:05.678\",\"ltz\":\"2024-01-02T03:04:05Z\",\"day\":\"2024-01-02\"}\n"
      "{\"ts\":1500,\"ltz\":-1,\"d\":\"NaN\",\"l\":\"-12\",\"i\":\"+7\",\"b\":true}\n"
      "{\"d\":\"-Infinity\",\"l\":3,\"s\":2.50}\n";
  Decoded r = decodeJson(text, allTypesSchema());
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(
      r.batch.rowToString(0),
      "NULL, NULL, NULL, NULL, NULL, 2024-01-02 03:04:05.678, 2024-01-02 03:04:05.000, 2024-01-02");
  EXPECT_EQ(r.batch.column(5).getInt(1), 1500);
  EXPECT_EQ(r.batch.column(6).getInt(1), -1);
  EXPECT_TRUE(std::isnan(r.batch.column(3).getDouble(1)));
  EXPECT_EQ(r.batch.column(2).getInt(1), -12);
  EXPECT_EQ(r.batch.column(1).getInt(1), 7);
  EXPECT_EQ(r.batch.column(3).getDouble(2), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.batch.column(4).getString(2), "2.50");  // a number into VARCHAR keeps its text
}

TEST(JsonLinesTest, EveryChunkBoundaryGivesTheSameRows) {
  const std::string text =
      "{\"auction\":1,\"bidder\":\"a\\nb\",\"price\":10}\r\n"
      "\n"
      "{\"bidder\":\"ünï\",\"extra\":{\"deep\":[1,2]}}\n"
      "{\"auction\":3,\"price\":30}";  // no final newline
  Decoded whole = decodeJson(text, bidSchema());
  ASSERT_TRUE(whole.status.isOk()) << whole.status.toString();
  ASSERT_EQ(whole.batch.numRows(), 3u);
  EXPECT_EQ(whole.line, 4);
  EXPECT_EQ(whole.bytes, static_cast<int64_t>(text.size()));
  for (size_t chunk = 1; chunk <= 3; ++chunk) {
    Decoded r = decodeJson(text, bidSchema(), opts(), chunk);
    ASSERT_TRUE(r.status.isOk()) << r.status.toString();
    EXPECT_EQ(r.batch.toString(), whole.batch.toString());
    EXPECT_EQ(r.bytes, whole.bytes);
  }
  for (size_t split = 0; split <= text.size(); ++split) {
    JsonLinesDecoder dec(bidSchema(), opts(), "bids.json");
    Batch out(bidSchema());
    ASSERT_TRUE(dec.decode(std::string_view(text).substr(0, split), false, out).isOk());
    ASSERT_TRUE(dec.decode(std::string_view(text).substr(split), true, out).isOk())
        << "split " << split;
    EXPECT_EQ(out.toString(), whole.batch.toString()) << "split " << split;
    EXPECT_EQ(dec.currentLine(), whole.line);
  }
}

TEST(JsonLinesTest, FormatOptionsAndFactory) {
  auto o = parseTextFormatOptions("json", {{"json.ignore-parse-errors", "true"},
                                           {"json.fail-on-missing-field", "true"},
                                           {"csv.x", "y"}});
  ASSERT_TRUE(o.isOk()) << o.status().toString();
  EXPECT_EQ(o->onMalformed, MalformedPolicy::kSkip);
  EXPECT_TRUE(o->failOnMissingField);
  auto bad = parseTextFormatOptions("json", {{"json.timestamp-format.standard", "ISO-8601"}});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("'json.timestamp-format.standard'"), std::string::npos);

  auto dec = makeDecoder("json", bidSchema(), opts(), "f.json");
  ASSERT_TRUE(dec.isOk());
  Batch out(bidSchema());
  ASSERT_TRUE((*dec)->decode("{\"auction\":1}", true, out).isOk());
  EXPECT_EQ(out.toString(), "1, NULL, NULL\n");
}

}  // namespace
}  // namespace glint
