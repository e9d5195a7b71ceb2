#pragma once
// RFC 4180 CSV output: fields that contain a comma, a quote, CR or LF are quoted and inner
// quotes doubled; NULL is written as an empty unquoted field and the empty string as "" (so
// that csv_reader.h reads both back as they were).
#include <string>
#include <string_view>

#include "glint/types/batch.h"

namespace glint {

void appendCsvField(std::string& out, std::string_view field);
// "a,b,c\n" from the schema's column names.
std::string csvHeader(const Schema& schema);
// Appends one CSV line (with '\n') for row `row` of `batch`. With `rowKindColumn`, the row's
// kind ("+I", "-U", ...) is written as an extra first field.
void appendCsvRow(const Batch& batch, size_t row, std::string& out, bool rowKindColumn = false);

}  // namespace glint
