#pragma once
// Text record formats of the file connectors: decoders that turn a byte stream (CSV or JSON
// lines) into rows of a columnar Batch with a given target schema.
//
// Decoding model
//   A decoder is fed the bytes of one file in chunks of any size, split at any byte:
//     decode(chunk, /*last=*/false, batch) ... decode(lastChunk, /*last=*/true, batch)
//   Every complete record in the bytes fed so far is appended to `batch` as one row (the batch
//   must have been built with the decoder's schema and carry no row kinds or timestamps; the
//   decoder assigns no event time, the source does that later). A record cut by a chunk
//   boundary is kept and completed by the next call; with `last`, a final record without a
//   trailing newline is still a record. Lines end with "\n" or "\r\n".
//
// Malformed-record policy (MalformedPolicy, Flink's `csv.ignore-parse-errors` /
// `json.ignore-parse-errors`)
//   A record is malformed when it cannot become a row of the schema: a value that does not
//   parse as its column's type, a wrong number of CSV fields, broken quoting, invalid JSON,
//   a JSON value that is not an object, NULL in a NOT NULL column, or (with
//   `failOnMissingField`) a missing JSON field.
//   - kFail (default): decode() returns a kParseError Status whose message starts with
//     `file:line:` (the line the record starts on) and says what was expected, e.g.
//       bids.csv:17: column 'price': expected BIGINT, got 'abc'
//       bids.csv:9: expected 7 fields, got 5
//       bids.json:4: invalid JSON: parse error at column 12: syntax error ...
//     Rows decoded before the bad record stay in the batch. The decoder is then failed: every
//     later decode() returns the same Status.
//   - kSkip: the record is dropped and counted in skippedRecords(); the reasons of the first
//     kMaxSkipSamples skipped records (same `file:line: ...` text) are kept in skipSamples()
//     for reporting. Nothing is dropped silently: every record is either a row or counted.
//     (Unlike Flink, which nulls the bad fields, Glint drops the whole record.)
//   Errors in the setup rather than in a record (a CSV header without a schema column) are
//   returned under both policies.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "glint/common/status.h"
#include "glint/types/batch.h"

namespace glint {

enum class MalformedPolicy { kFail, kSkip };

struct TextFormatOptions {
  // CSV: the field delimiter (`csv.field-delimiter`, a single character; "\t" means tab).
  char fieldDelimiter = ',';
  // CSV: the first record is a header; columns are then matched to the schema by name (extra
  // header columns are ignored). Without a header, fields are matched by position.
  bool header = true;
  // CSV: records starting with '#' are comments and ignored (`csv.allow-comments`).
  bool allowComments = false;
  // CSV: an unquoted field equal to this text is NULL (`csv.null-literal`); an empty unquoted
  // field is always NULL. Quote the literal to read it as a string.
  std::string nullLiteral;
  // JSON: a schema field absent from an object makes the record malformed
  // (`json.fail-on-missing-field`); otherwise it is NULL.
  bool failOnMissingField = false;
  MalformedPolicy onMalformed = MalformedPolicy::kFail;
};

// Reads the options of `format` ("csv" or "json") from a table's options, by Flink's names:
//   csv.field-delimiter, csv.ignore-parse-errors, csv.allow-comments, csv.null-literal,
//   csv.header (a Glint extension; default false, as Flink's csv format has no header), json.ignore-parse-errors,
//   json.fail-on-missing-field.
// Keys of other prefixes are ignored (they belong to the connector); an unknown key with the
// format's prefix or a bad value is an error naming the key.
Result<TextFormatOptions> parseTextFormatOptions(std::string_view format,
                                                 const std::map<std::string, std::string>& options);

class RecordDecoder {
 public:
  static constexpr size_t kMaxSkipSamples = 5;

  RecordDecoder(SchemaPtr schema, TextFormatOptions options, std::string fileName);
  virtual ~RecordDecoder() = default;
  RecordDecoder(const RecordDecoder&) = delete;
  RecordDecoder& operator=(const RecordDecoder&) = delete;

  // Appends the complete records of `chunk` (and of bytes kept from earlier calls) to `out`.
  virtual Status decode(std::string_view chunk, bool last, Batch& out) = 0;

  const SchemaPtr& schema() const { return schema_; }
  const std::string& fileName() const { return fileName_; }
  // Records turned into rows so far.
  int64_t recordsDecoded() const { return decoded_; }
  // Malformed records dropped under MalformedPolicy::kSkip.
  int64_t skippedRecords() const { return skipped_; }
  // `file:line: reason` of the first kMaxSkipSamples skipped records.
  const std::vector<std::string>& skipSamples() const { return samples_; }
  // The 1-based line on which the next (not yet complete) record starts.
  int64_t currentLine() const { return line_; }
  // Bytes fully processed: the file offset at which the next (not yet complete) record starts.
  int64_t bytesConsumed() const { return consumed_; }

 protected:
  // A malformed record starting on `line`: under kFail returns the error (and remembers it),
  // under kSkip counts it, keeps a sample and returns OK.
  Status malformed(int64_t line, std::string_view reason);
  // A setup error at `line`: always returned (and remembered).
  Status fail(int64_t line, std::string_view reason);
  // Checks that `out` can take rows of the schema.
  void checkBatch(const Batch& out) const;

  SchemaPtr schema_;
  TextFormatOptions options_;
  std::string fileName_;
  Status failed_;  // not OK once decoding has failed
  int64_t decoded_ = 0;
  int64_t skipped_ = 0;
  std::vector<std::string> samples_;
  int64_t line_ = 1;
  int64_t consumed_ = 0;
};

// A decoder by Flink format name: "csv" or "json" (JSON lines). An unknown name is an error
// naming the option `format` and the accepted values.
Result<std::unique_ptr<RecordDecoder>> makeDecoder(std::string_view format, SchemaPtr schema,
                                                   TextFormatOptions options, std::string fileName);

// Appends one decoded field to its column: NULL, or the value held in the member that matches
// the column's physical type (int64 `i`, double `d`, string `s`).
inline void appendDecodedValue(Column& column, bool isNull, int64_t i, double d, std::string_view s) {
  if (isNull) {
    column.appendNull();
    return;
  }
  switch (column.physical()) {
    case PhysicalType::kInt64: column.appendInt(i); break;
    case PhysicalType::kDouble: column.appendDouble(d); break;
    case PhysicalType::kString: column.appendString(s); break;
  }
}

// For error messages: `text` in single quotes, cut after a few dozen characters.
std::string quoteForMessage(std::string_view text);

namespace format_detail {
// Parses the text of a non-VARCHAR value: BOOLEAN (true/false, any case) into *i as 0/1,
// INT/BIGINT (optional sign) into *i, DOUBLE (also nan, inf, infinity) into *d, TIMESTAMP(3)
// and TIMESTAMP_LTZ(3) (see parseTimestamp) into *i as epoch millis, DATE into *i as epoch
// days. Returns false when the text is not such a value (INT also when out of range).
bool parseTextValue(TypeId type, std::string_view text, int64_t* i, double* d);
}  // namespace format_detail

}  // namespace glint
