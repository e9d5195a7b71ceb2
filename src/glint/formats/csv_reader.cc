#include "glint/formats/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace glint {

namespace {

std::string_view trimBlanks(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return t;
}

}  // namespace

CsvDecoder::CsvDecoder(SchemaPtr schema, TextFormatOptions options, std::string fileName)
    : RecordDecoder(std::move(schema), std::move(options), std::move(fileName)) {
  slots_.resize(schema_->size());
  scratch_.resize(schema_->size());
  if (!options_.header) {
    headerDone_ = true;
    expectedFields_ = schema_->size();
    fieldToColumn_.resize(schema_->size());
    for (size_t c = 0; c < schema_->size(); ++c) fieldToColumn_[c] = static_cast<int>(c);
  }
}

Status CsvDecoder::decode(std::string_view chunk, bool last, Batch& out) {
  if (!failed_.isOk()) return failed_;
  checkBatch(out);
  rowsAppended_ = 0;
  Status st;
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  size_t used = 0;
  auto parseCarry = [&](bool isLast) {
    Status status = parseBuffer(carry_.data(), carry_.data() + carry_.size(), isLast, out, &used);
    if (status.isOk()) carry_.erase(0, used);
    return status;
  };
  if (!carry_.empty()) {
    // The record kept from the last call can only end at a line break: complete it up to the
    // next one, so that the rest of the chunk is parsed in place without copying.
    const char* nl = p == end ? nullptr : static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (nl == nullptr) {
      carry_.append(p, end);
      p = end;
      if (last) st = parseCarry(true);
    } else {
      carry_.append(p, nl + 1);
      p = nl + 1;
      st = parseCarry(last && p == end);
      if (st.isOk() && !carry_.empty()) {
        // The line break was inside a quoted field: the record goes on in this chunk.
        carry_.append(p, end);
        p = end;
        st = parseCarry(last);
      }
    }
  }
  if (st.isOk() && p != end) {
    st = parseBuffer(p, end, last, out, &used);
    if (st.isOk()) carry_.assign(p + used, end);
  }
  out.setNumRows(out.numRows() + rowsAppended_);
  rowsAppended_ = 0;
  return st;
}

Status CsvDecoder::parseBuffer(const char* begin, const char* end, bool last, Batch& out,
                               size_t* used) {
  const char* p = begin;
  if (!bomChecked_) {
    static constexpr char kBom[] = "\xEF\xBB\xBF";
    const size_t n = static_cast<size_t>(end - p);
    bool bomPrefix = n < 3;
    for (size_t k = 0; k < n && k < 3; ++k) bomPrefix = bomPrefix && p[k] == kBom[k];
    if (bomPrefix && !last) {
      *used = 0;
      return Status::ok();
    }
    bomChecked_ = true;
    if (n >= 3 && std::memcmp(p, kBom, 3) == 0) {
      p += 3;
      consumed_ += 3;
    }
  }
  while (p < end) {
    const int64_t line = line_;
    if (options_.allowComments && *p == '#') {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (nl == nullptr && !last) break;
      const char* next = nl == nullptr ? end : nl + 1;
      if (nl != nullptr) ++line_;
      consumed_ += next - p;
      p = next;
      continue;
    }
    const char* next;
    int64_t lines;
    if (!splitRecord(p, end, last, &next, &lines)) break;
    consumed_ += next - p;
    line_ += lines;
    p = next;
    if (fields_.size() == 1 && !fields_[0].quoted && fields_[0].begin == fields_[0].end &&
        recordError_.empty() && expectedFields_ != 1)
      continue;  // blank line
    if (!headerDone_) {
      GLINT_RETURN_IF_ERROR(readHeader(line));
      continue;
    }
    GLINT_RETURN_IF_ERROR(convertRecord(line, out));
  }
  *used = static_cast<size_t>(p - begin);
  return Status::ok();
}

bool CsvDecoder::splitRecord(const char* p, const char* end, bool last, const char** next,
                             int64_t* lines) {
  fields_.clear();
  recordError_.clear();
  const char delim = options_.fieldDelimiter;
  int64_t breaks = 0;
  const char* q = p;
  for (;;) {
    Span f{q, q, false, false};
    if (q < end && *q == '"') {
      f.quoted = true;
      f.begin = ++q;
      for (;;) {
        const char* quote = static_cast<const char*>(std::memchr(q, '"', end - q));
        if (quote == nullptr) {
          if (!last) return false;
          breaks += std::count(q, end, '\n');
          recordError_ = "field " + std::to_string(fields_.size() + 1) +
                         ": quoted field not closed before the end of the file";
          f.end = end;
          fields_.push_back(f);
          *next = end;
          *lines = breaks;
          return true;
        }
        if (quote + 1 == end && !last) return false;  // a lone quote or the first of a pair?
        breaks += std::count(q, quote, '\n');
        if (quote + 1 < end && quote[1] == '"') {
          f.escaped = true;
          q = quote + 2;
          continue;
        }
        f.end = quote;
        q = quote + 1;
        break;
      }
      if (q < end && *q != delim && *q != '\n') {
        if (*q == '\r' && (q + 1 == end || q[1] == '\n')) {
          if (q + 1 == end && !last) return false;
          ++q;
        } else {
          recordError_ = "field " + std::to_string(fields_.size() + 1) +
                         ": unexpected text after the closing quote";
          while (q < end && *q != delim && *q != '\n') ++q;
        }
      }
    } else {
      while (q < end && *q != delim && *q != '\n') ++q;
      f.end = q;
      if ((q < end && *q == '\n') || (q == end && last)) {
        if (f.end > f.begin && f.end[-1] == '\r') --f.end;
      }
    }
    fields_.push_back(f);
    if (q == end) {
      if (!last) return false;
      *next = end;
      *lines = breaks;
      return true;
    }
    if (*q == delim) {
      ++q;
      continue;
    }
    *next = q + 1;  // '\n'
    *lines = breaks + 1;
    return true;
  }
}

std::string_view CsvDecoder::fieldText(const Span& f, std::string& scratch) const {
  if (!f.escaped) return std::string_view(f.begin, static_cast<size_t>(f.end - f.begin));
  scratch.clear();
  for (const char* c = f.begin; c < f.end; ++c) {
    scratch.push_back(*c);
    if (*c == '"') ++c;  // the second quote of a "" pair
  }
  return scratch;
}

Status CsvDecoder::readHeader(int64_t line) {
  if (!recordError_.empty()) return fail(line, "malformed header: " + recordError_);
  headerNames_.clear();
  std::string tmp;
  for (const Span& f : fields_) {
    std::string_view name = fieldText(f, tmp);
    if (!f.quoted) name = trimBlanks(name);
    headerNames_.emplace_back(name);
  }
  fieldToColumn_.assign(headerNames_.size(), -1);
  for (size_t c = 0; c < schema_->size(); ++c) {
    const std::string& name = schema_->field(c).name;
    size_t i = 0;
    while (i < headerNames_.size() && (headerNames_[i] != name || fieldToColumn_[i] >= 0)) ++i;
    if (i == headerNames_.size()) {
      std::string known;
      for (const auto& h : headerNames_) known += (known.empty() ? "" : ", ") + h;
      return fail(
          line, "header has no column '" + name + "' of the schema; header columns are: " + known);
    }
    fieldToColumn_[i] = static_cast<int>(c);
  }
  expectedFields_ = headerNames_.size();
  headerDone_ = true;
  return Status::ok();
}

Status CsvDecoder::convertRecord(int64_t line, Batch& out) {
  if (!recordError_.empty()) return malformed(line, recordError_);
  if (fields_.size() != expectedFields_)
    return malformed(line, "expected " + std::to_string(expectedFields_) + " fields, got " +
                               std::to_string(fields_.size()));
  const std::string& nullLiteral = options_.nullLiteral;
  for (size_t i = 0; i < fields_.size(); ++i) {
    const int col = fieldToColumn_[i];
    if (col < 0) continue;
    const Field& field = schema_->field(col);
    const Span& f = fields_[i];
    Slot& slot = slots_[col];
    if (field.type == TypeId::kVarchar) {
      std::string_view text = fieldText(f, scratch_[col]);
      slot.isNull = !f.quoted && (text.empty() || (!nullLiteral.empty() && text == nullLiteral));
      slot.s = text;
    } else {
      std::string_view text = trimBlanks(fieldText(f, scratch_[col]));
      slot.isNull = text.empty() || (!f.quoted && !nullLiteral.empty() && text == nullLiteral);
      if (!slot.isNull && !format_detail::parseTextValue(field.type, text, &slot.i, &slot.d)) {
        int64_t wide;
        double unused;
        const bool outOfRange =
            field.type == TypeId::kInt &&
            format_detail::parseTextValue(TypeId::kBigint, text, &wide, &unused);
        return malformed(line, "column '" + field.name + "': expected " +
                                   std::string(typeName(field.type)) + ", got " +
                                   quoteForMessage(text) + (outOfRange ? " (out of range)" : ""));
      }
    }
    if (slot.isNull && !field.nullable)
      return malformed(line, "column '" + field.name + "': expected " +
                                 std::string(typeName(field.type)) +
                                 " NOT NULL, got an empty field");
  }
  for (size_t c = 0; c < slots_.size(); ++c) {
    Column& column = out.mutableColumn(c);
    const Slot& slot = slots_[c];
    appendDecodedValue(column, slot.isNull, slot.i, slot.d, slot.s);
  }
  ++rowsAppended_;
  ++decoded_;
  return Status::ok();
}

}  // namespace glint
