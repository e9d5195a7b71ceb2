#include "glint/formats/record_format.h"

#include <charconv>
#include <climits>

#include "glint/formats/csv_reader.h"
#include "glint/formats/json_lines.h"

namespace glint {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Status parseBoolOption(const std::string& key, const std::string& value, bool* out) {
  if (equalsIgnoreCase(value, "true")) {
    *out = true;
  } else if (equalsIgnoreCase(value, "false")) {
    *out = false;
  } else {
    return Status::invalidArgument("option '" + key + "': expected true or false, got " +
                                   quoteForMessage(value));
  }
  return Status::ok();
}

}  // namespace

namespace format_detail {

bool parseTextValue(TypeId type, std::string_view text, int64_t* i, double* d) {
  switch (type) {
    case TypeId::kBoolean:
      if (equalsIgnoreCase(text, "true")) {
        *i = 1;
        return true;
      }
      if (equalsIgnoreCase(text, "false")) {
        *i = 0;
        return true;
      }
      return false;
    case TypeId::kInt:
    case TypeId::kBigint: {
      const char* b = text.data();
      const char* e = b + text.size();
      if (b != e && *b == '+') ++b;
      int64_t v;
      auto r = std::from_chars(b, e, v);
      if (r.ec != std::errc() || r.ptr != e || b == e) return false;
      if (type == TypeId::kInt && (v < INT32_MIN || v > INT32_MAX)) return false;
      *i = v;
      return true;
    }
    case TypeId::kDouble: {
      const char* b = text.data();
      const char* e = b + text.size();
      if (b != e && *b == '+') ++b;
      double v;
      auto r = std::from_chars(b, e, v);
      if (r.ec != std::errc() || r.ptr != e || b == e) return false;
      *d = v;
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      return parseTimestamp(text, i);
    case TypeId::kDate:
      return parseDate(text, i);
    case TypeId::kVarchar:
      return false;
  }
  return false;
}

}  // namespace format_detail

std::string quoteForMessage(std::string_view text) {
  constexpr size_t kMax = 60;
  std::string out = "'";
  for (size_t n = 0; n < text.size() && n < kMax; ++n) {
    char c = text[n];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  if (text.size() > kMax) out += "...";
  out.push_back('\'');
  return out;
}

RecordDecoder::RecordDecoder(SchemaPtr schema, TextFormatOptions options, std::string fileName)
    : schema_(std::move(schema)), options_(std::move(options)), fileName_(std::move(fileName)) {
  GLINT_CHECK(schema_ != nullptr);
}

Status RecordDecoder::malformed(int64_t line, std::string_view reason) {
  std::string message = fileName_ + ":" + std::to_string(line) + ": ";
  message.append(reason);
  if (options_.onMalformed == MalformedPolicy::kFail) {
    failed_ = Status::parseError(std::move(message));
    return failed_;
  }
  ++skipped_;
  if (samples_.size() < kMaxSkipSamples) samples_.push_back(std::move(message));
  return Status::ok();
}

Status RecordDecoder::fail(int64_t line, std::string_view reason) {
  std::string message = fileName_ + ":" + std::to_string(line) + ": ";
  message.append(reason);
  failed_ = Status::parseError(std::move(message));
  return failed_;
}

void RecordDecoder::checkBatch(const Batch& out) const {
  GLINT_CHECK_EQ(out.numColumns(), schema_->size());
  for (size_t c = 0; c < out.numColumns(); ++c)
    GLINT_CHECK(out.column(c).type() == schema_->field(c).type);
  GLINT_CHECK(!out.hasRowKinds() && !out.hasTimestamps());
}

Result<std::unique_ptr<RecordDecoder>> makeDecoder(std::string_view format, SchemaPtr schema,
                                                   TextFormatOptions options,
                                                   std::string fileName) {
  if (format == "csv")
    return std::unique_ptr<RecordDecoder>(
        std::make_unique<CsvDecoder>(std::move(schema), std::move(options), std::move(fileName)));
  if (format == "json")
    return std::unique_ptr<RecordDecoder>(std::make_unique<JsonLinesDecoder>(
        std::move(schema), std::move(options), std::move(fileName)));
  return Status::invalidArgument("unsupported value " + quoteForMessage(format) +
                                 " for option 'format'; accepted values are: csv, json");
}

Result<TextFormatOptions> parseTextFormatOptions(
    std::string_view format, const std::map<std::string, std::string>& options) {
  if (format != "csv" && format != "json")
    return Status::invalidArgument("unsupported value " + quoteForMessage(format) +
                                   " for option 'format'; accepted values are: csv, json");
  const std::string prefix = std::string(format) + ".";
  TextFormatOptions out;
  // Flink's csv format neither reads nor writes a header line: a table's files have none
  // unless 'csv.header' = 'true' says so.
  out.header = false;
  for (const auto& [key, value] : options) {
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string_view name = std::string_view(key).substr(prefix.size());
    bool flag = false;
    if (name == "ignore-parse-errors") {
      GLINT_RETURN_IF_ERROR(parseBoolOption(key, value, &flag));
      out.onMalformed = flag ? MalformedPolicy::kSkip : MalformedPolicy::kFail;
    } else if (format == "csv" && name == "field-delimiter") {
      if (value == "\\t") {
        out.fieldDelimiter = '\t';
      } else if (value.size() == 1 && value[0] != '"' && value[0] != '\n' && value[0] != '\r') {
        out.fieldDelimiter = value[0];
      } else {
        return Status::invalidArgument("option '" + key +
                                       "': expected a single character other than a quote or a "
                                       "line break (\\t for tab), got " +
                                       quoteForMessage(value));
      }
    } else if (format == "csv" && name == "allow-comments") {
      GLINT_RETURN_IF_ERROR(parseBoolOption(key, value, &out.allowComments));
    } else if (format == "csv" && name == "null-literal") {
      out.nullLiteral = value;
    } else if (format == "csv" && name == "header") {
      GLINT_RETURN_IF_ERROR(parseBoolOption(key, value, &out.header));
    } else if (format == "json" && name == "fail-on-missing-field") {
      GLINT_RETURN_IF_ERROR(parseBoolOption(key, value, &out.failOnMissingField));
    } else {
      return Status::invalidArgument(
          "unsupported option '" + key + "'; supported " + std::string(format) + " options are: " +
          (format == "csv" ? "csv.field-delimiter, csv.ignore-parse-errors, csv.allow-comments, "
                             "csv.null-literal, csv.header"
                           : "json.ignore-parse-errors, json.fail-on-missing-field"));
    }
  }
  return out;
}

}  // namespace glint
