#include "glint/formats/csv_writer.h"

namespace glint {

void appendCsvField(std::string& out, std::string_view field) {
  if (field.empty()) {
    out += "\"\"";  // an empty unquoted field reads back as NULL
    return;
  }
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string csvHeader(const Schema& schema) {
  std::string out;
  for (size_t i = 0; i < schema.size(); ++i) {
    if (i) out.push_back(',');
    appendCsvField(out, schema.field(i).name);
  }
  out.push_back('\n');
  return out;
}

void appendCsvRow(const Batch& batch, size_t row, std::string& out, bool rowKindColumn) {
  std::string value;
  if (rowKindColumn) {
    out.append(rowKindShortString(batch.rowKind(row)));
    out.push_back(',');
  }
  for (size_t c = 0; c < batch.numColumns(); ++c) {
    if (c) out.push_back(',');
    const Column& col = batch.column(c);
    if (col.type() == TypeId::kVarchar) {
      if (!col.isNull(row)) appendCsvField(out, col.getString(row));
      continue;
    }
    value.clear();
    if (formatValue(col, row, value)) out.append(value);
  }
  out.push_back('\n');
}

}  // namespace glint
