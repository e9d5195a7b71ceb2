#pragma once
// JSON lines ("format" = "json"): one JSON object per line, in both directions.
//
// Decoding (JsonLinesDecoder): every non-blank line must hold one JSON object. Its members are
// matched to schema columns by name (a repeated name: the last one wins); members not in the
// schema are ignored whatever their value (nested objects and arrays included); a missing
// member or a JSON null is NULL (missing is malformed with failOnMissingField). Values:
//   BOOLEAN           true/false, or the string "true"/"false" (any case)
//   INT, BIGINT       an integer number, or a string holding one (INT: in 32-bit range)
//   DOUBLE            any number, or a string holding one (also "NaN", "Infinity", "-Infinity")
//   VARCHAR           a string; a number or boolean as its JSON text; an object or array as
//                     its compact JSON text
//   TIMESTAMP(3),     a string "YYYY-MM-DD HH:MM:SS[.fff]" or ISO "YYYY-MM-DDTHH:MM:SS[.fff][Z]",
//   TIMESTAMP_LTZ(3)  or an integer number of epoch milliseconds
//   DATE              a string "YYYY-MM-DD"
// Anything else (invalid JSON, a line that is not an object, a value of the wrong kind) makes
// the record malformed, handled by TextFormatOptions::onMalformed (see record_format.h).
//
// Encoding (appendJsonRow): the counterpart of csv_writer's appendCsvRow.
#include <string>
#include <vector>

#include "glint/formats/record_format.h"

namespace glint {

class JsonLinesDecoder final : public RecordDecoder {
 public:
  JsonLinesDecoder(SchemaPtr schema, TextFormatOptions options, std::string fileName);
  ~JsonLinesDecoder() override;

  Status decode(std::string_view chunk, bool last, Batch& out) override;

 private:
  // The state of the record being parsed (defined in the .cc, keeping the JSON library out of
  // this header).
  struct Record;

  // Decodes one line (without its '\n') that starts on line_.
  Status decodeLine(std::string_view line, Batch& out);

  std::string carry_;  // a line not yet complete
  std::unique_ptr<Record> record_;
  size_t rowsAppended_ = 0;
};

// Appends one JSON line for row `row` of `batch`: {"col":value,...}\n with the schema's column
// names as keys, in schema order. Strings are escaped as JSON; BOOLEAN as true/false; INT and
// BIGINT as numbers; DOUBLE as a number in shortest round-trip form (NaN and infinities, which
// JSON lacks, as the strings "NaN", "Infinity", "-Infinity"); TIMESTAMP(3)/TIMESTAMP_LTZ(3) as
// "YYYY-MM-DD HH:MM:SS.sss" strings (UTC); DATE as "YYYY-MM-DD"; NULL as null. With
// `rowKindField`, the row's kind comes first as "rowkind":"+I" (or -U, +U, -D).
void appendJsonRow(const Batch& batch, size_t row, std::string& out, bool rowKindField = false);

// Appends `text` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace glint
