#include "glint/types/data_type.h"

#include <cctype>
#include <cstdio>

namespace glint {

PhysicalType physicalTypeOf(TypeId type) {
  switch (type) {
    case TypeId::kDouble:
      return PhysicalType::kDouble;
    case TypeId::kVarchar:
      return PhysicalType::kString;
    default:
      return PhysicalType::kInt64;
  }
}

std::string_view typeName(TypeId type) {
  switch (type) {
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kInt:
      return "INT";
    case TypeId::kBigint:
      return "BIGINT";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kVarchar:
      return "VARCHAR";
    case TypeId::kTimestamp:
      return "TIMESTAMP(3)";
    case TypeId::kTimestampLtz:
      return "TIMESTAMP_LTZ(3)";
    case TypeId::kDate:
      return "DATE";
  }
  return "?";
}

Result<TypeId> parseTypeName(std::string_view name) {
  std::string upper;
  for (char c : name)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (upper == "BOOLEAN" || upper == "BOOL") return TypeId::kBoolean;
  if (upper == "INT" || upper == "INTEGER") return TypeId::kInt;
  if (upper == "BIGINT" || upper == "LONG") return TypeId::kBigint;
  if (upper == "DOUBLE" || upper == "FLOAT") return TypeId::kDouble;
  if (upper == "VARCHAR" || upper == "STRING") return TypeId::kVarchar;
  if (upper == "TIMESTAMP" || upper == "TIMESTAMP(3)") return TypeId::kTimestamp;
  if (upper == "TIMESTAMP_LTZ" || upper == "TIMESTAMP_LTZ(3)") return TypeId::kTimestampLtz;
  if (upper == "DATE") return TypeId::kDate;
  return Status::invalidArgument("unknown type '" + std::string(name) +
                                 "'; expected one of BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR, "
                                 "TIMESTAMP(3), TIMESTAMP_LTZ(3), DATE");
}

int Schema::indexOf(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].name == name) return static_cast<int>(i);
  return -1;
}

Result<int> Schema::find(std::string_view name) const {
  int i = indexOf(name);
  if (i >= 0) return i;
  std::string known;
  for (const auto& f : fields_) known += (known.empty() ? "" : ", ") + f.name;
  return Status::notFound("unknown column '" + std::string(name) + "'; columns are: " + known);
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  for (const auto& f : fields_) out.push_back(f.name);
  return out;
}

std::string Schema::toString() const {
  std::string s = "(";
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i) s += ", ";
    s += fields_[i].name + " " + std::string(typeName(fields_[i].type));
  }
  return s + ")";
}

bool Schema::operator==(const Schema& other) const {
  if (fields_.size() != other.fields_.size()) return false;
  for (size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].name != other.fields_[i].name || fields_[i].type != other.fields_[i].type)
      return false;
  return true;
}

// Civil-date conversions (Howard Hinnant's days_from_civil algorithm).
static int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static void civilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

static int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string formatTimestamp(int64_t millis) {
  int64_t days = floorDiv(millis, 86400000);
  int64_t rem = millis - days * 86400000;
  int64_t y;
  unsigned m, d;
  civilFromDays(days, &y, &m, &d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02d:%02d:%02d.%03d", static_cast<long long>(y),
                m, d, static_cast<int>(rem / 3600000), static_cast<int>(rem / 60000 % 60),
                static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
  return buf;
}

std::string formatDate(int64_t days) {
  int64_t y;
  unsigned m, d;
  civilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

static bool readDigits(std::string_view t, size_t& pos, size_t n, int64_t* out) {
  if (pos + n > t.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = t[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  *out = v;
  return true;
}

bool parseDate(std::string_view t, int64_t* days) {
  size_t pos = 0;
  int64_t y, m, d;
  if (!readDigits(t, pos, 4, &y) || pos >= t.size() || t[pos++] != '-' ||
      !readDigits(t, pos, 2, &m) || pos >= t.size() || t[pos++] != '-' ||
      !readDigits(t, pos, 2, &d) || pos != t.size())
    return false;
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  *days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

bool parseTimestamp(std::string_view t, int64_t* millis) {
  if (t.size() < 19) return false;
  int64_t days;
  if (!parseDate(t.substr(0, 10), &days)) return false;
  if (t[10] != ' ' && t[10] != 'T') return false;
  size_t pos = 11;
  int64_t h, mi, s, frac = 0;
  if (!readDigits(t, pos, 2, &h) || t[pos++] != ':' || !readDigits(t, pos, 2, &mi) ||
      t[pos++] != ':' || !readDigits(t, pos, 2, &s))
    return false;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (digits < 3) frac = frac * 10 + (t[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (int i = digits; i < 3; ++i) frac *= 10;
  }
  if (pos < t.size() && t[pos] == 'Z') ++pos;
  if (pos != t.size() || h > 23 || mi > 59 || s > 60) return false;
  *millis = days * 86400000 + h * 3600000 + mi * 60000 + s * 1000 + frac;
  return true;
}

}  // namespace glint
