#pragma once
// RFC 4180 CSV decoding into columnar batches (the reading side of csv_writer.h).
//
//   - Fields are separated by TextFormatOptions::fieldDelimiter (',' by default) and records by
//     "\n" or "\r\n". A field starting with '"' is quoted: it ends at the next lone '"', may
//     contain delimiters and line breaks, and "" inside it stands for one '"'. A record whose
//     quoted field spans lines is reported at the line it starts on. A '"' inside an unquoted
//     field is an ordinary character; text between a closing quote and the next delimiter
//     makes the record malformed, as does a quoted field still open at the end of the file.
//   - NULL: an empty unquoted field, or an unquoted field equal to nullLiteral. For VARCHAR a
//     quoted empty field ("") is the empty string; for the other types any empty field is
//     NULL. Values of non-VARCHAR columns may be surrounded by spaces or tabs.
//   - With header=true the first record names the columns; each schema column is looked up by
//     name (a missing one is an error naming it), extra header columns are ignored. Without a
//     header, field i goes to schema column i. Every record must have as many fields as the
//     header (or the schema).
//   - Blank lines are skipped, except when records have exactly one field (then a blank line
//     is a NULL value, as csv_writer writes it). With allowComments, records starting with '#'
//     are skipped. A UTF-8 byte order mark at the start of the file is skipped.
//   - Value syntax: see format_detail::parseTextValue (record_format.h).
// Malformed records follow TextFormatOptions::onMalformed (see record_format.h).
#include <string>
#include <vector>

#include "glint/formats/record_format.h"

namespace glint {

class CsvDecoder final : public RecordDecoder {
 public:
  CsvDecoder(SchemaPtr schema, TextFormatOptions options, std::string fileName);

  Status decode(std::string_view chunk, bool last, Batch& out) override;

  // The header's field names once it has been read (empty before, or without a header).
  const std::vector<std::string>& headerNames() const { return headerNames_; }

 private:
  struct Span {
    const char* begin;
    const char* end;
    bool quoted;
    bool escaped;  // quoted and contains "" pairs
  };
  struct Slot {
    bool isNull;
    int64_t i;
    double d;
    std::string_view s;
  };

  // Decodes the complete records of [begin, end); sets *used to the bytes processed. With
  // `last`, the buffer ends the file and everything is processed.
  Status parseBuffer(const char* begin, const char* end, bool last, Batch& out, size_t* used);
  // Splits the record starting at `p` into fields_. Returns false when the record is not
  // complete in [p, end) and more input may follow; otherwise sets *next past its terminator
  // and *lines to the line breaks it spans.
  bool splitRecord(const char* p, const char* end, bool last, const char** next, int64_t* lines);
  Status readHeader(int64_t line);
  // Converts fields_ into slots_ and appends the row; a malformed record goes to the policy.
  Status convertRecord(int64_t line, Batch& out);
  std::string_view fieldText(const Span& f, std::string& scratch) const;

  std::string carry_;  // bytes of a record not yet complete
  std::vector<Span> fields_;
  std::string recordError_;  // structural problem found by splitRecord
  std::vector<Slot> slots_;
  std::vector<std::string> scratch_;  // per field: unescaped text of quoted fields with ""
  std::vector<int> fieldToColumn_;    // per record field: schema column, or -1 (ignored)
  size_t expectedFields_ = 0;
  size_t rowsAppended_ = 0;  // rows appended by the current decode() call
  bool headerDone_ = false;
  bool bomChecked_ = false;
  std::vector<std::string> headerNames_;
};

}  // namespace glint
