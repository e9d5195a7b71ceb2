#include "glint/formats/json_lines.h"

#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

namespace glint {

namespace {

using Json = nlohmann::json;

std::string jsonQuoteForMessage(std::string_view text) {
  constexpr size_t kMax = 60;
  std::string out;
  appendJsonString(out, text.substr(0, kMax));
  if (text.size() > kMax) out.insert(out.size() - 1, "...");
  return out;
}

// nlohmann's messages look like "[json.exception.parse_error.101] parse error at line 1,
// column 5: ..."; every parse covers one line, so keep just "parse error at column 5: ...".
std::string cleanParseError(std::string_view what) {
  if (!what.empty() && what.front() == '[') {
    size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  std::string out(what);
  const std::string_view lineOne = "at line 1, column";
  size_t at = out.find(lineOne);
  if (at != std::string::npos) out.replace(at, lineOne.size(), "at column");
  return out;
}

template <class T>
std::string numberText(T v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

// The state of the record being parsed, fed by nlohmann's SAX parser (so no DOM is built for
// records whose values are all scalars).
struct JsonLinesDecoder::Record {
  enum class State : uint8_t { kMissing, kNull, kValue };
  struct Slot {
    State state = State::kMissing;
    int64_t i = 0;
    double d = 0;
    std::string_view s;
  };

  explicit Record(const Schema& s) : schema(s), slots(s.size()), scratch(s.size()) {}

  void reset() {
    for (auto& slot : slots) slot.state = State::kMissing;
    depth = 0;
    col = -1;
    error.clear();
    captureCol = -1;
    stack.clear();
  }

  // The schema column named `key`, trying the one after the previous member first (objects of
  // one file usually list their members in the same order).
  int lookup(std::string_view key) {
    const size_t n = schema.size();
    if (n == 0) return -1;
    const size_t guess = static_cast<size_t>(lastCol + 1) % n;
    if (schema.field(guess).name == key) return lastCol = static_cast<int>(guess);
    int c = schema.indexOf(key);
    if (c >= 0) lastCol = c;
    return c;
  }

  bool typeError(std::string got) {
    const Field& f = schema.field(col);
    error = "column '" + f.name + "': expected " + std::string(typeName(f.type)) + ", got " + got;
    return false;
  }
  bool notAnObject(std::string got) {
    error = "expected a JSON object, got " + got;
    return false;
  }
  Slot& setValue() {
    Slot& slot = slots[col];
    slot.state = State::kValue;
    return slot;
  }
  bool setText(std::string_view text) {
    std::string& buf = scratch[col];
    buf.assign(text.data(), text.size());
    setValue().s = buf;
    return true;
  }

  // ---- scalar values of top-level members
  bool intValue(int64_t v) {
    switch (schema.field(col).type) {
      case TypeId::kInt:
        if (v < INT32_MIN || v > INT32_MAX) return typeError(numberText(v) + " (out of range)");
        setValue().i = v;
        return true;
      case TypeId::kBigint:
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        setValue().i = v;
        return true;
      case TypeId::kDouble:
        setValue().d = static_cast<double>(v);
        return true;
      case TypeId::kVarchar:
        return setText(numberText(v));
      case TypeId::kBoolean:
      case TypeId::kDate:
        return typeError(numberText(v));
    }
    return true;
  }
  bool floatValue(double v, const std::string& raw) {
    switch (schema.field(col).type) {
      case TypeId::kDouble:
        setValue().d = v;
        return true;
      case TypeId::kVarchar:
        return setText(raw);
      default:
        return typeError(raw);
    }
  }
  bool boolValue(bool v) {
    switch (schema.field(col).type) {
      case TypeId::kBoolean:
        setValue().i = v ? 1 : 0;
        return true;
      case TypeId::kVarchar:
        return setText(v ? "true" : "false");
      default:
        return typeError(v ? "true" : "false");
    }
  }
  bool stringValue(const std::string& v) {
    const TypeId type = schema.field(col).type;
    if (type == TypeId::kVarchar) return setText(v);
    int64_t i = 0;
    double d = 0;
    if (!format_detail::parseTextValue(type, v, &i, &d)) return typeError(jsonQuoteForMessage(v));
    Slot& slot = setValue();
    slot.i = i;
    slot.d = d;
    return true;
  }

  // ---- nested values captured as JSON text for a VARCHAR column
  void addCaptured(Json v) {
    Json* top = stack.back();
    if (top->is_object()) {
      (*top)[pendingKey] = std::move(v);
    } else {
      top->push_back(std::move(v));
    }
  }
  void openCaptured(Json v) {
    if (stack.empty()) {
      captured = std::move(v);
      stack.push_back(&captured);
      return;
    }
    Json* top = stack.back();
    if (top->is_object()) {
      stack.push_back(&((*top)[pendingKey] = std::move(v)));
    } else {
      top->push_back(std::move(v));
      stack.push_back(&top->back());
    }
  }
  void closeCaptured() {
    stack.pop_back();
    if (!stack.empty()) return;
    std::string& buf = scratch[captureCol];
    buf = captured.dump();
    Slot& slot = slots[captureCol];
    slot.state = State::kValue;
    slot.s = buf;
    captureCol = -1;
  }
  bool capturing() const { return captureCol >= 0; }

  // ---- nlohmann SAX interface
  // A scalar value: captured, ignored, assigned by onValue(), or (at the top level, described
  // by describe()) an error.
  template <class Scalar, class Describe, class OnValue>
  bool scalar(Scalar&& asJson, Describe&& describe, OnValue&& onValue) {
    if (capturing()) {
      addCaptured(Json(std::forward<Scalar>(asJson)));
      return true;
    }
    if (depth == 0) return notAnObject(describe());
    if (depth > 1 || col < 0) return true;  // inside an ignored member
    return onValue();
  }
  bool null() {
    if (capturing()) {
      addCaptured(Json(nullptr));
      return true;
    }
    if (depth == 0) return notAnObject("null");
    if (depth == 1 && col >= 0) slots[col].state = State::kNull;
    return true;
  }
  bool boolean(bool v) {
    return scalar(
        v, [&] { return std::string(v ? "true" : "false"); }, [&] { return boolValue(v); });
  }
  bool number_integer(int64_t v) {
    if (!capturing() && depth == 1 && col >= 0) return intValue(v);
    return scalar(
        v, [&] { return numberText(v); }, [] { return true; });
  }
  bool number_unsigned(uint64_t v) {
    if (!capturing() && depth == 1 && col >= 0) {
      if (v <= static_cast<uint64_t>(INT64_MAX)) return intValue(static_cast<int64_t>(v));
      const TypeId type = schema.field(col).type;
      if (type == TypeId::kDouble) {
        setValue().d = static_cast<double>(v);
        return true;
      }
      if (type == TypeId::kVarchar) return setText(numberText(v));
      return typeError(numberText(v) + " (out of range)");
    }
    return scalar(
        v, [&] { return numberText(v); }, [] { return true; });
  }
  bool number_float(double v, const std::string& raw) {
    return scalar(
        v, [&] { return raw; }, [&] { return floatValue(v, raw); });
  }
  bool string(std::string& v) {
    if (!capturing() && depth == 1 && col >= 0) return stringValue(v);
    return scalar(
        v, [&] { return jsonQuoteForMessage(v); }, [] { return true; });
  }
  bool binary(Json::binary_t&) { return true; }

  bool startNested(Json empty, const char* kind) {
    if (capturing()) {
      openCaptured(std::move(empty));
      ++depth;
      return true;
    }
    if (depth == 0) {
      if (empty.is_object()) {
        depth = 1;
        return true;
      }
      return notAnObject(kind);
    }
    if (depth == 1 && col >= 0) {
      if (schema.field(col).type != TypeId::kVarchar) return typeError(kind);
      captureCol = col;
      openCaptured(std::move(empty));
    }
    ++depth;
    return true;
  }
  bool endNested() {
    --depth;
    if (capturing()) closeCaptured();
    return true;
  }
  bool start_object(std::size_t) { return startNested(Json::object(), "an object"); }
  bool end_object() { return endNested(); }
  bool start_array(std::size_t) { return startNested(Json::array(), "an array"); }
  bool end_array() { return endNested(); }
  bool key(std::string& k) {
    if (capturing()) {
      pendingKey = k;
    } else if (depth == 1) {
      col = lookup(k);
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    if (error.empty()) error = "invalid JSON: " + cleanParseError(ex.what());
    return false;
  }

  const Schema& schema;
  std::vector<Slot> slots;
  std::vector<std::string> scratch;  // per column: text of VARCHAR values
  int depth = 0;                     // 1 = inside the top-level object
  int col = -1;                      // column of the current top-level member, or -1
  int lastCol = -1;
  std::string error;  // why the record is malformed
  // A nested object or array read into VARCHAR column captureCol.
  int captureCol = -1;
  Json captured;
  std::vector<Json*> stack;
  std::string pendingKey;
};

JsonLinesDecoder::JsonLinesDecoder(SchemaPtr schema, TextFormatOptions options,
                                   std::string fileName)
    : RecordDecoder(std::move(schema), std::move(options), std::move(fileName)),
      record_(std::make_unique<Record>(*schema_)) {}

JsonLinesDecoder::~JsonLinesDecoder() = default;

Status JsonLinesDecoder::decode(std::string_view chunk, bool last, Batch& out) {
  if (!failed_.isOk()) return failed_;
  checkBatch(out);
  rowsAppended_ = 0;
  Status st;
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  // Lines end at '\n' (JSON text has no raw line breaks inside strings).
  auto lineDone = [&](std::string_view line, bool hasBreak) {
    Status s = decodeLine(line, out);
    if (s.isOk()) {
      consumed_ += static_cast<int64_t>(line.size()) + (hasBreak ? 1 : 0);
      if (hasBreak) ++line_;
    }
    return s;
  };
  if (!carry_.empty()) {
    const char* nl = p == end ? nullptr : static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) {
      carry_.append(p, end);
      p = end;
      if (last) {
        st = lineDone(carry_, false);
        carry_.clear();
      }
    } else {
      carry_.append(p, nl);
      p = nl + 1;
      st = lineDone(carry_, true);
      carry_.clear();
    }
  }
  while (st.isOk() && p != end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) {
      if (last) {
        st = lineDone(std::string_view(p, end - p), false);
      } else {
        carry_.assign(p, end);
      }
      break;
    }
    st = lineDone(std::string_view(p, nl - p), true);
    p = nl + 1;
  }
  out.setNumRows(out.numRows() + rowsAppended_);
  rowsAppended_ = 0;
  return st;
}

Status JsonLinesDecoder::decodeLine(std::string_view line, Batch& out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t firstNonBlank = 0;
  while (firstNonBlank < line.size() &&
         (line[firstNonBlank] == ' ' || line[firstNonBlank] == '\t' || line[firstNonBlank] == '\r'))
    ++firstNonBlank;
  if (firstNonBlank == line.size()) return Status::ok();  // blank line

  Record& rec = *record_;
  rec.reset();
  if (!Json::sax_parse(line.data(), line.data() + line.size(), &rec)) {
    if (rec.error.empty()) rec.error = "invalid JSON";
    return malformed(line_, rec.error);
  }
  for (size_t c = 0; c < rec.slots.size(); ++c) {
    Record::Slot& slot = rec.slots[c];
    const Field& field = schema_->field(c);
    if (slot.state == Record::State::kValue) continue;
    const bool missing = slot.state == Record::State::kMissing;
    if (missing && options_.failOnMissingField)
      return malformed(line_, "missing field '" + field.name + "'");
    if (!field.nullable)
      return malformed(line_, "column '" + field.name + "': expected " +
                                  std::string(typeName(field.type)) + " NOT NULL, got " +
                                  (missing ? "no value (missing field)" : "null"));
  }
  for (size_t c = 0; c < rec.slots.size(); ++c) {
    Column& column = out.mutableColumn(c);
    const Record::Slot& slot = rec.slots[c];
    appendDecodedValue(column, slot.state != Record::State::kValue, slot.i, slot.d, slot.s);
  }
  ++rowsAppended_;
  ++decoded_;
  return Status::ok();
}

// ---- writing

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the pending run of characters that need no escaping
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

void appendJsonRow(const Batch& batch, size_t row, std::string& out, bool rowKindField) {
  const Schema& schema = *batch.schema();
  out.push_back('{');
  bool first = true;
  if (rowKindField) {
    out += "\"rowkind\":\"";
    out += rowKindShortString(batch.rowKind(row));
    out.push_back('"');
    first = false;
  }
  char buf[32];
  for (size_t c = 0; c < batch.numColumns(); ++c) {
    if (!first) out.push_back(',');
    first = false;
    appendJsonString(out, schema.field(c).name);
    out.push_back(':');
    const Column& col = batch.column(c);
    if (col.isNull(row)) {
      out += "null";
      continue;
    }
    switch (col.type()) {
      case TypeId::kBoolean:
        out += col.getInt(row) ? "true" : "false";
        break;
      case TypeId::kInt:
      case TypeId::kBigint: {
        auto r = std::to_chars(buf, buf + sizeof buf, col.getInt(row));
        out.append(buf, r.ptr);
        break;
      }
      case TypeId::kDouble: {
        const double v = col.getDouble(row);
        if (std::isnan(v)) {
          out += "\"NaN\"";
        } else if (std::isinf(v)) {
          out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        } else {
          auto r = std::to_chars(buf, buf + sizeof buf, v);
          out.append(buf, r.ptr);
        }
        break;
      }
      case TypeId::kVarchar:
        appendJsonString(out, col.getString(row));
        break;
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        out.push_back('"');
        out += formatTimestamp(col.getInt(row));
        out.push_back('"');
        break;
      case TypeId::kDate:
        out.push_back('"');
        out += formatDate(col.getInt(row));
        out.push_back('"');
        break;
    }
  }
  out += "}\n";
}

}  // namespace glint
