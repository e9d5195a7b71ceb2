#include "glint/formats/csv_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "glint/formats/csv_writer.h"

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

TextFormatOptions opts(bool header = true, MalformedPolicy policy = MalformedPolicy::kFail) {
  TextFormatOptions o;
  o.header = header;
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

// Decodes `text` fed in chunks of `chunk` bytes (0: all at once), the last call with last=true.
Decoded decodeCsv(std::string_view text, SchemaPtr schema, TextFormatOptions o, size_t chunk = 0,
                  std::string file = "bids.csv") {
  CsvDecoder dec(schema, o, file);
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

Batch sampleAllTypes() {
  Batch b(allTypesSchema());
  RowWriter w(b);
  const double inf = std::numeric_limits<double>::infinity();
  w.emit(true, 1, int64_t{1} << 40, 1.5, "plain", int64_t{1700000000123}, int64_t{0},
         int64_t{19000});
  w.emit(false, -7, int64_t{-5}, -0.1, "with,comma", int64_t{-1}, int64_t{86400000}, int64_t{-1});
  w.emit(Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{});
  w.emit(true, INT32_MAX, INT64_MIN, 1e300, "say \"hi\"", int64_t{0}, int64_t{1}, int64_t{0});
  w.emit(false, INT32_MIN, INT64_MAX, inf, "two\nlines\r\nand crlf", int64_t{1}, Null{}, Null{});
  w.emit(Null{}, 0, 0, -inf, "", Null{}, int64_t{2}, int64_t{3});
  w.emit(true, 3, 4, 5e-324, "  spaced , \"quoted\"  ", int64_t{5}, int64_t{6}, int64_t{7});
  w.emit(true, 3, 4, 0.0, "\"", int64_t{5}, int64_t{6}, int64_t{7});
  w.emit(true, 3, 4, 2.5, "ünïcødé ✓", int64_t{5}, int64_t{6}, int64_t{7});
  return b;
}

std::string toCsv(const Batch& b, bool header) {
  std::string out = header ? csvHeader(*b.schema()) : "";
  for (size_t r = 0; r < b.numRows(); ++r) appendCsvRow(b, r, out);
  return out;
}

TEST(CsvReaderTest, RoundTripsEveryTypeThroughTheWriter) {
  const Batch expected = sampleAllTypes();
  for (bool header : {true, false}) {
    const std::string text = toCsv(expected, header);
    Decoded r = decodeCsv(text, expected.schema(), opts(header));
    ASSERT_TRUE(r.status.isOk()) << r.status.toString();
    ASSERT_EQ(r.batch.numRows(), expected.numRows());
    EXPECT_EQ(r.batch.toString(), expected.toString());
    EXPECT_FALSE(r.batch.hasTimestamps());
    EXPECT_FALSE(r.batch.hasRowKinds());
    // NULL and "" stay apart.
    EXPECT_TRUE(r.batch.column(4).isNull(2));
    EXPECT_FALSE(r.batch.column(4).isNull(5));
    EXPECT_EQ(r.batch.column(4).getString(5), "");
    EXPECT_EQ(r.batch.column(4).getString(4), "two\nlines\r\nand crlf");
    EXPECT_EQ(r.batch.column(4).getString(6), "  spaced , \"quoted\"  ");
    EXPECT_EQ(r.bytes, static_cast<int64_t>(text.size()));
    EXPECT_EQ(r.skipped, 0);
  }
}

TEST(CsvReaderTest, RandomRowsRoundTripUnderRandomChunking) {
  std::mt19937 rng(42);
  const std::string alphabet = "ab ,\"\r\n#;x\t";
  auto schema =
      makeSchema({{"s", TypeId::kVarchar}, {"n", TypeId::kBigint}, {"t", TypeId::kVarchar}});
  Batch b(schema);
  RowWriter w(b);
  auto randomString = [&] {
    std::string s(rng() % 6, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int i = 0; i < 300; ++i) {
    const std::string s = randomString(), t = randomString();
    if (rng() % 5 == 0) {
      w.emit(Null{}, static_cast<int64_t>(rng()) - (1 << 30), t);
    } else {
      w.emit(s, Null{}, t);
    }
  }
  const std::string text = toCsv(b, true);
  for (size_t chunk : {0, 1, 2, 3, 7, 64, 1000}) {
    Decoded r = decodeCsv(text, schema, opts(), chunk);
    ASSERT_TRUE(r.status.isOk()) << r.status.toString();
    ASSERT_EQ(r.batch.toString(), b.toString()) << "chunk " << chunk;
    for (size_t row = 0; row < b.numRows(); ++row)
      ASSERT_EQ(r.batch.column(0).isNull(row), b.column(0).isNull(row)) << row;
  }
}

TEST(CsvReaderTest, NanRoundTrips) {
  Batch b(makeSchema({{"d", TypeId::kDouble}}));
  RowWriter w(b);
  w.emit(std::numeric_limits<double>::quiet_NaN());
  Decoded r = decodeCsv(toCsv(b, true), b.schema(), opts());
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  ASSERT_EQ(r.batch.numRows(), 1u);
  EXPECT_TRUE(std::isnan(r.batch.column(0).getDouble(0)));
}

TEST(CsvReaderTest, EveryChunkBoundaryGivesTheSameRows) {
  TextFormatOptions o = opts();
  o.allowComments = true;
  const std::string text =
      "\xEF\xBB\xBF"
      "auction,bidder,price\r\n"
      "1,\"al,ice\",10\r\n"
      "# a comment, with \"quote\n"
      "2,\"multi\nline \"\"quoted\"\"\",20\n"
      "\n"
      "3,\"\",\n"
      "4,bob,40";  // no final newline
  Decoded whole = decodeCsv(text, bidSchema(), o);
  ASSERT_TRUE(whole.status.isOk()) << whole.status.toString();
  ASSERT_EQ(whole.batch.numRows(), 4u);
  EXPECT_EQ(whole.batch.toString(),
            "1, al,ice, 10\n2, multi\nline \"quoted\", 20\n3, , NULL\n4, bob, 40\n");
  EXPECT_EQ(whole.line, 8);
  EXPECT_EQ(whole.bytes, static_cast<int64_t>(text.size()));
  for (size_t chunk = 1; chunk <= 4; ++chunk) {
    Decoded r = decodeCsv(text, bidSchema(), o, chunk);
    ASSERT_TRUE(r.status.isOk()) << "chunk " << chunk << ": " << r.status.toString();
    EXPECT_EQ(r.batch.toString(), whole.batch.toString()) << "chunk " << chunk;
    EXPECT_EQ(r.line, whole.line);
    EXPECT_EQ(r.bytes, whole.bytes);
  }
  for (size_t split = 0; split <= text.size(); ++split) {
    CsvDecoder dec(bidSchema(), o, "bids.csv");
    Batch out(bidSchema());
    ASSERT_TRUE(dec.decode(std::string_view(text).substr(0, split), false, out).isOk());
    ASSERT_TRUE(dec.decode(std::string_view(text).substr(split), true, out).isOk())
        << "split " << split;
    EXPECT_EQ(out.toString(), whole.batch.toString()) << "split " << split;
    EXPECT_EQ(dec.bytesConsumed(), whole.bytes);
  }
}

TEST(CsvReaderTest, BytesConsumedStopsAtTheIncompleteRecord) {
  CsvDecoder dec(bidSchema(), opts(false), "bids.csv");
  Batch out(bidSchema());
  ASSERT_TRUE(dec.decode("1,a,10\n2,\"b\n", false, out).isOk());
  EXPECT_EQ(out.numRows(), 1u);
  EXPECT_EQ(dec.bytesConsumed(), 7);
  EXPECT_EQ(dec.currentLine(), 2);
  ASSERT_TRUE(dec.decode("c\",20\n3,d,30", false, out).isOk());
  EXPECT_EQ(out.numRows(), 2u);
  EXPECT_EQ(dec.currentLine(), 4);
  ASSERT_TRUE(dec.decode("", true, out).isOk());
  EXPECT_EQ(out.toString(), "1, a, 10\n2, b\nc, 20\n3, d, 30\n");
  EXPECT_EQ(dec.recordsDecoded(), 3);
}

TEST(CsvReaderTest, HeaderMatchesColumnsByName) {
  const std::string text = "price, extra ,bidder,auction\n10,x,alice,1\n20,y,bob,2\n";
  Decoded r = decodeCsv(text, bidSchema(), opts());
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.toString(), "1, alice, 10\n2, bob, 20\n");
}

TEST(CsvReaderTest, MissingHeaderColumnIsNamed) {
  for (auto policy : {MalformedPolicy::kFail, MalformedPolicy::kSkip}) {
    Decoded r = decodeCsv("auction,bidder,cost\n1,a,2\n", bidSchema(), opts(true, policy));
    ASSERT_FALSE(r.status.isOk());
    EXPECT_EQ(
        r.status.message(),
        "bids.csv:1: header has no column 'price' of the schema; header columns are: auction, "
        "bidder, cost");
  }
}

TEST(CsvReaderTest, MalformedRecordFailsWithFileLineAndExpectation) {
  Decoded r = decodeCsv("auction,bidder,price\n1,a,10\n2,b,abc\n", bidSchema(), opts());
  ASSERT_FALSE(r.status.isOk());
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(r.status.message(), "bids.csv:3: column 'price': expected BIGINT, got 'abc'");
  EXPECT_EQ(r.batch.numRows(), 1u);  // rows before the bad one are kept

  r = decodeCsv("auction,bidder,price\n1,a,10\n2,\"b\nc\"\n", bidSchema(), opts());
  EXPECT_EQ(r.status.message(), "bids.csv:3: expected 3 fields, got 2");

  r = decodeCsv("1,a,10\n2,b,20,5\n", bidSchema(), opts(false));
  EXPECT_EQ(r.status.message(), "bids.csv:2: expected 3 fields, got 4");

  r = decodeCsv("1,\"a\"x,10\n", bidSchema(), opts(false));
  EXPECT_EQ(r.status.message(), "bids.csv:1: field 2: unexpected text after the closing quote");

  r = decodeCsv("1,a,10\n2,\"open,20\n", bidSchema(), opts(false), 3);
  EXPECT_EQ(r.status.message(),
            "bids.csv:2: field 2: quoted field not closed before the end of the file");

  r = decodeCsv("x,3000000000,,,,,,\n", allTypesSchema(), opts(false));
  EXPECT_EQ(r.status.message(), "bids.csv:1: column 'b': expected BOOLEAN, got 'x'");
  r = decodeCsv("true,3000000000,,,,,,\n", allTypesSchema(), opts(false));
  EXPECT_EQ(r.status.message(),
            "bids.csv:1: column 'i': expected INT, got '3000000000' (out of range)");
  r = decodeCsv(",,,1.5.2,,,,\n", allTypesSchema(), opts(false));
  EXPECT_EQ(r.status.message(), "bids.csv:1: column 'd': expected DOUBLE, got '1.5.2'");
  r = decodeCsv(",,,,,2024-13-01 00:00:00,,\n", allTypesSchema(), opts(false));
  EXPECT_EQ(r.status.message(),
            "bids.csv:1: column 'ts': expected TIMESTAMP(3), got '2024-13-01 00:00:00'");
  r = decodeCsv(",,,,,,,2024/01/01\n", allTypesSchema(), opts(false));
  EXPECT_EQ(r.status.message(), "bids.csv:1: column 'day': expected DATE, got '2024/01/01'");
}

TEST(CsvReaderTest, FailedDecoderKeepsFailing) {
  CsvDecoder dec(bidSchema(), opts(false), "bids.csv");
  Batch out(bidSchema());
  Status st = dec.decode("1,a,x\n", false, out);
  ASSERT_FALSE(st.isOk());
  Status again = dec.decode("2,b,3\n", true, out);
  EXPECT_EQ(again.message(), st.message());
  EXPECT_EQ(out.numRows(), 0u);
}

TEST(CsvReaderTest, SkipPolicyCountsAndKeepsGoodRows) {
  std::string text = "auction,bidder,price\n";
  for (int i = 0; i < 10; ++i) {
    text += std::to_string(i) + ",b" + std::to_string(i) + "," + std::to_string(i * 10) + "\n";
    if (i % 2 == 0) text += "bad," + std::to_string(i) + ",1\n";
  }
  text += "7,\"unterminated";
  Decoded r = decodeCsv(text, bidSchema(), opts(true, MalformedPolicy::kSkip), 7);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.numRows(), 10u);
  EXPECT_EQ(r.skipped, 6);
  ASSERT_EQ(r.samples.size(), RecordDecoder::kMaxSkipSamples);
  EXPECT_EQ(r.samples[0], "bids.csv:3: column 'auction': expected BIGINT, got 'bad'");
  EXPECT_EQ(r.samples[1], "bids.csv:6: column 'auction': expected BIGINT, got 'bad'");
  for (size_t i = 0; i < r.batch.numRows(); ++i)
    EXPECT_EQ(r.batch.column(0).getInt(i), static_cast<int64_t>(i));
}

TEST(CsvReaderTest, NullsAndEmptyStrings) {
  TextFormatOptions o = opts(false);
  o.nullLiteral = "N/A";
  Decoded r = decodeCsv("1,,\n2,\"\",N/A\n3,N/A, 7 \n4,\"N/A\",\"8\"\n", bidSchema(), o);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.toString(), "1, NULL, NULL\n2, , NULL\n3, NULL, 7\n4, N/A, 8\n");
  EXPECT_TRUE(r.batch.column(1).isNull(0));
  EXPECT_FALSE(r.batch.column(1).isNull(1));

  auto strict =
      makeSchema({{"id", TypeId::kBigint, /*nullable=*/false}, {"name", TypeId::kVarchar}});
  r = decodeCsv("1,a\n,b\n", strict, opts(false));
  EXPECT_EQ(r.status.message(),
            "bids.csv:2: column 'id': expected BIGINT NOT NULL, got an empty field");
}

TEST(CsvReaderTest, BlankLinesCommentsAndDelimiter) {
  TextFormatOptions o = opts(false);
  o.fieldDelimiter = ';';
  o.allowComments = true;
  Decoded r = decodeCsv("\n# note; here\n1;a,b;2\n\r\n  \"x\"  \n", bidSchema(), o);
  // The blank lines are skipped; the last line has one field (a quote after spaces does not
  // start a quoted field).
  EXPECT_EQ(r.status.message(), "bids.csv:5: expected 3 fields, got 1");
  EXPECT_EQ(r.batch.toString(), "1, a,b, 2\n");

  // A one-column schema reads a blank line as NULL (csv_writer writes NULL that way).
  auto one = makeSchema({{"s", TypeId::kVarchar}});
  Batch b(one);
  RowWriter w(b);
  w.emit("a");
  w.emit(Null{});
  w.emit("");
  r = decodeCsv(toCsv(b, true), one, opts());
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.numRows(), 3u);
  EXPECT_TRUE(r.batch.column(0).isNull(1));
  EXPECT_EQ(r.batch.column(0).getString(2), "");
}

TEST(CsvReaderTest, TimestampsAcceptIsoForm) {
  auto schema = makeSchema({{"ts", TypeId::kTimestamp}, {"ltz", TypeId::kTimestampLtz}});
  Decoded r = decodeCsv("1970-01-01T00:00:01.5Z,1970-01-02 00:00:00\n", schema, opts(false));
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.batch.column(0).getInt(0), 1500);
  EXPECT_EQ(r.batch.column(1).getInt(0), 86400000);
}

TEST(CsvReaderTest, FormatOptionsAndFactory) {
  auto o = parseTextFormatOptions("csv", {{"csv.field-delimiter", "\\t"},
                                          {"csv.ignore-parse-errors", "true"},
                                          {"csv.allow-comments", "TRUE"},
                                          {"csv.null-literal", "null"},
                                          {"csv.header", "false"},
                                          {"json.whatever", "ignored"},
                                          {"path", "/tmp/x"}});
  ASSERT_TRUE(o.isOk()) << o.status().toString();
  EXPECT_EQ(o->fieldDelimiter, '\t');
  EXPECT_EQ(o->onMalformed, MalformedPolicy::kSkip);
  EXPECT_TRUE(o->allowComments);
  EXPECT_EQ(o->nullLiteral, "null");
  EXPECT_FALSE(o->header);

  auto bad = parseTextFormatOptions("csv", {{"csv.field-delimiter", ";;"}});
  EXPECT_NE(bad.status().message().find("csv.field-delimiter"), std::string::npos);
  bad = parseTextFormatOptions("csv", {{"csv.quote-character", "'"}});
  EXPECT_NE(bad.status().message().find("unsupported option 'csv.quote-character'"),
            std::string::npos);
  bad = parseTextFormatOptions("csv", {{"csv.allow-comments", "yes"}});
  EXPECT_NE(bad.status().message().find("csv.allow-comments"), std::string::npos);

  auto dec = makeDecoder("csv", bidSchema(), opts(false), "f.csv");
  ASSERT_TRUE(dec.isOk());
  Batch out(bidSchema());
  ASSERT_TRUE((*dec)->decode("1,a,2", true, out).isOk());
  EXPECT_EQ(out.numRows(), 1u);
  auto unknown = makeDecoder("xml", bidSchema(), opts(), "f.xml");
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().message(),
            "unsupported value 'xml' for option 'format'; accepted values are: csv, json");
}

}  // namespace
}  // namespace glint
