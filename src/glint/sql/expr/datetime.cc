#include "glint/sql/expr/datetime.h"

#include <cctype>
#include <cstdio>

#include "glint/types/data_type.h"

namespace glint::sql {

static bool parseTimestampLenient(std::string_view text, int64_t* millis);

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian).
int64_t daysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(int64_t z, int64_t* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

CivilTime civilFromMillis(int64_t millis) {
  CivilTime t;
  const int64_t days = floorDivide(millis, kMillisPerDay);
  int64_t rem = millis - days * kMillisPerDay;
  civilFromDays(days, &t.year, &t.month, &t.day);
  t.hour = static_cast<int>(rem / kMillisPerHour);
  rem %= kMillisPerHour;
  t.minute = static_cast<int>(rem / kMillisPerMinute);
  rem %= kMillisPerMinute;
  t.second = static_cast<int>(rem / kMillisPerSecond);
  t.millis = static_cast<int>(rem % kMillisPerSecond);
  return t;
}

int64_t millisFromCivil(const CivilTime& t) {
  return daysFromCivil(t.year, t.month, t.day) * kMillisPerDay + t.hour * kMillisPerHour +
         t.minute * kMillisPerMinute + t.second * kMillisPerSecond + t.millis;
}

int daysInMonth(int64_t year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int64_t addMonthsToDays(int64_t days, int64_t months) {
  int64_t y;
  int m, d;
  civilFromDays(days, &y, &m, &d);
  const int64_t total = y * 12 + (m - 1) + months;
  const int64_t ny = floorDivide(total, 12);
  const int nm = static_cast<int>(floorModulo(total, 12)) + 1;
  return daysFromCivil(ny, nm, std::min(d, daysInMonth(ny, nm)));
}

int64_t addMonthsToMillis(int64_t millis, int64_t months) {
  const int64_t days = floorDivide(millis, kMillisPerDay);
  return addMonthsToDays(days, months) * kMillisPerDay + (millis - days * kMillisPerDay);
}

int dayOfWeek(int64_t days) {
  // 1970-01-01 was a Thursday (5 in 1 = Sunday numbering).
  return static_cast<int>(floorModulo(days + 4, 7)) + 1;
}

int isoWeek(int64_t days) {
  // The ISO week belongs to the year of its Thursday.
  const int isoDow = static_cast<int>(floorModulo(days + 3, 7)) + 1;  // 1 = Monday
  const int64_t thursday = days - isoDow + 4;
  int64_t y;
  int m, d;
  civilFromDays(thursday, &y, &m, &d);
  return static_cast<int>((thursday - daysFromCivil(y, 1, 1)) / 7 + 1);
}

int64_t monthsBetween(int64_t fromMillis, int64_t toMillis) {
  const CivilTime a = civilFromMillis(fromMillis);
  const CivilTime b = civilFromMillis(toMillis);
  int64_t months = (b.year * 12 + b.month) - (a.year * 12 + a.month);
  // The rest of each value within its month decides whether the last month is complete.
  auto rest = [](const CivilTime& t, int64_t millis) {
    return (t.day - 1) * kMillisPerDay + floorModulo(millis, kMillisPerDay);
  };
  const int64_t ra = rest(a, fromMillis), rb = rest(b, toMillis);
  if (months > 0 && rb < ra) --months;
  if (months < 0 && rb > ra) ++months;
  return months;
}

bool parseTimeUnit(std::string_view k, TimeUnit* unit) {
  if (k.substr(0, 8) == "SQL_TSI_") k.remove_prefix(8);
  if (k == "MILLISECOND" || k == "FRAC_SECOND")
    *unit = TimeUnit::kMillisecond;
  else if (k == "SECOND")
    *unit = TimeUnit::kSecond;
  else if (k == "MINUTE")
    *unit = TimeUnit::kMinute;
  else if (k == "HOUR")
    *unit = TimeUnit::kHour;
  else if (k == "DAY")
    *unit = TimeUnit::kDay;
  else if (k == "WEEK")
    *unit = TimeUnit::kWeek;
  else if (k == "MONTH")
    *unit = TimeUnit::kMonth;
  else if (k == "QUARTER")
    *unit = TimeUnit::kQuarter;
  else if (k == "YEAR")
    *unit = TimeUnit::kYear;
  else
    return false;
  return true;
}

static int64_t fixedUnitMillis(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillisecond:
      return 1;
    case TimeUnit::kSecond:
      return kMillisPerSecond;
    case TimeUnit::kMinute:
      return kMillisPerMinute;
    case TimeUnit::kHour:
      return kMillisPerHour;
    case TimeUnit::kDay:
      return kMillisPerDay;
    default:
      return 0;
  }
}

int64_t floorMillisTo(int64_t millis, TimeUnit unit) {
  if (int64_t step = fixedUnitMillis(unit)) return floorDivide(millis, step) * step;
  const int64_t days = floorDivide(millis, kMillisPerDay);
  if (unit == TimeUnit::kWeek) return (days - (dayOfWeek(days) - 1)) * kMillisPerDay;
  int64_t y;
  int m, d;
  civilFromDays(days, &y, &m, &d);
  if (unit == TimeUnit::kYear) m = 1;
  if (unit == TimeUnit::kQuarter) m = (m - 1) / 3 * 3 + 1;
  return daysFromCivil(y, m, 1) * kMillisPerDay;
}

int64_t ceilMillisTo(int64_t millis, TimeUnit unit) {
  const int64_t floor = floorMillisTo(millis, unit);
  if (floor == millis) return millis;
  if (int64_t step = fixedUnitMillis(unit)) return floor + step;
  switch (unit) {
    case TimeUnit::kWeek:
      return floor + 7 * kMillisPerDay;
    case TimeUnit::kMonth:
      return addMonthsToMillis(floor, 1);
    case TimeUnit::kQuarter:
      return addMonthsToMillis(floor, 3);
    default:
      return addMonthsToMillis(floor, 12);
  }
}

// ---- patterns

static const char* const kMonthNames[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
static const char* const kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

Result<DateTimePattern> DateTimePattern::compile(std::string_view pattern) {
  DateTimePattern p;
  p.pattern_ = std::string(pattern);
  static const std::string_view kLetters = "GyYMdHkKhmsSEaDuwzZX";
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      // Quoted literal text; '' is a single quote.
      std::string text;
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '\'') {
        text = "'";
        j += 1;
      } else {
        for (; j < pattern.size(); ++j) {
          if (pattern[j] == '\'') {
            if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
              text += '\'';
              ++j;
              continue;
            }
            break;
          }
          text += pattern[j];
        }
        if (j >= pattern.size())
          return Status::invalidArgument("date format '" + std::string(pattern) +
                                         "': unterminated quote");
        ++j;
      }
      p.tokens_.push_back({0, 0, text});
      i = j;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      if (kLetters.find(c) == std::string_view::npos)
        return Status::invalidArgument("date format '" + std::string(pattern) +
                                       "': unknown pattern letter '" + std::string(1, c) + "'");
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      p.tokens_.push_back({c, static_cast<int>(j - i), {}});
      i = j;
      continue;
    }
    if (!p.tokens_.empty() && p.tokens_.back().letter == 0)
      p.tokens_.back().text += c;
    else
      p.tokens_.push_back({0, 0, std::string(1, c)});
    ++i;
  }
  return p;
}

static void appendPadded(std::string& out, int64_t v, int width) {
  char buf[32];
  if (v < 0) {
    out += '-';
    v = -v;
  }
  int n = std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  out.append(buf, n);
}

void DateTimePattern::format(int64_t millis, std::string& out) const {
  const CivilTime t = civilFromMillis(millis);
  const int64_t days = floorDivide(millis, kMillisPerDay);
  for (const Token& tok : tokens_) {
    const int n = tok.count;
    switch (tok.letter) {
      case 0:
        out += tok.text;
        break;
      case 'G':
        out += t.year > 0 ? "AD" : "BC";
        break;
      case 'y':
      case 'Y':
        if (n == 2)
          appendPadded(out, floorModulo(t.year, 100), 2);
        else
          appendPadded(out, t.year, n);
        break;
      case 'M':
        if (n >= 4)
          out += kMonthNames[t.month - 1];
        else if (n == 3)
          out.append(kMonthNames[t.month - 1], 3);
        else
          appendPadded(out, t.month, n);
        break;
      case 'd':
        appendPadded(out, t.day, n);
        break;
      case 'H':
        appendPadded(out, t.hour, n);
        break;
      case 'k':
        appendPadded(out, t.hour == 0 ? 24 : t.hour, n);
        break;
      case 'K':
        appendPadded(out, t.hour % 12, n);
        break;
      case 'h':
        appendPadded(out, t.hour % 12 == 0 ? 12 : t.hour % 12, n);
        break;
      case 'm':
        appendPadded(out, t.minute, n);
        break;
      case 's':
        appendPadded(out, t.second, n);
        break;
      case 'S':
        appendPadded(out, t.millis, n);
        break;
      case 'E': {
        const char* name = kDayNames[dayOfWeek(days) - 1];
        if (n >= 4)
          out += name;
        else
          out.append(name, 3);
        break;
      }
      case 'a':
        out += t.hour < 12 ? "AM" : "PM";
        break;
      case 'D':
        appendPadded(out, days - daysFromCivil(t.year, 1, 1) + 1, n);
        break;
      case 'u':
        appendPadded(out, floorModulo(days + 3, 7) + 1, n);
        break;
      case 'w':
        appendPadded(out, isoWeek(days), n);
        break;
      case 'z':
        out += "UTC";
        break;
      case 'Z':
        out += "+0000";
        break;
      case 'X':
        out += "Z";
        break;
    }
  }
}

bool DateTimePattern::parse(std::string_view text, int64_t* millis) const {
  CivilTime t;
  int64_t offsetMillis = 0;
  int hour12 = -1;
  bool pm = false;
  int64_t dayOfYear = -1;
  size_t pos = 0;
  auto isDigit = [&](size_t p) { return p < text.size() && text[p] >= '0' && text[p] <= '9'; };
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const Token& tok = tokens_[k];
    if (tok.letter == 0) {
      if (text.substr(pos, tok.text.size()) != tok.text) return false;
      pos += tok.text.size();
      continue;
    }
    const char c = tok.letter;
    if ((c == 'M' && tok.count >= 3) || c == 'E' || c == 'a' || c == 'G') {
      // Names, matched case-insensitively.
      auto matchWord = [&](std::string_view word) {
        if (text.size() - pos < word.size()) return false;
        for (size_t i = 0; i < word.size(); ++i)
          if (std::tolower(static_cast<unsigned char>(text[pos + i])) !=
              std::tolower(static_cast<unsigned char>(word[i])))
            return false;
        pos += word.size();
        return true;
      };
      bool ok = false;
      if (c == 'M') {
        for (int m = 0; m < 12 && !ok; ++m) {
          std::string_view full = kMonthNames[m];
          if (matchWord(tok.count >= 4 ? full : full.substr(0, 3))) {
            t.month = m + 1;
            ok = true;
          }
        }
      } else if (c == 'E') {
        for (int d = 0; d < 7 && !ok; ++d) {
          std::string_view full = kDayNames[d];
          ok = matchWord(tok.count >= 4 ? full : full.substr(0, 3));
        }
      } else if (c == 'a') {
        if (matchWord("AM")) {
          ok = true;
        } else if (matchWord("PM")) {
          ok = pm = true;
        }
      } else {
        ok = matchWord("AD") || matchWord("BC");
      }
      if (!ok) return false;
      continue;
    }
    if (c == 'Z' || c == 'X' || c == 'z') {
      if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
        continue;
      }
      if (text.substr(pos, 3) == "UTC" || text.substr(pos, 3) == "GMT") pos += 3;
      if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
        if (c == 'z') continue;
        return false;
      }
      const int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int64_t hh = 0, mm = 0;
      for (int i = 0; i < 2; ++i) {
        if (!isDigit(pos)) return false;
        hh = hh * 10 + (text[pos++] - '0');
      }
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (isDigit(pos) && isDigit(pos + 1)) {
        mm = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
        pos += 2;
      }
      offsetMillis = sign * (hh * kMillisPerHour + mm * kMillisPerMinute);
      continue;
    }
    // A numeric field: fixed width when the next token is also numeric (yyyyMMdd), else as
    // many digits as there are.
    const bool adjacentNumeric = k + 1 < tokens_.size() && tokens_[k + 1].letter != 0 &&
                                 !(tokens_[k + 1].letter == 'M' && tokens_[k + 1].count >= 3);
    const size_t maxDigits = adjacentNumeric ? static_cast<size_t>(tok.count) : 10;
    bool negative = false;
    if ((c == 'y' || c == 'Y') && pos < text.size() && text[pos] == '-') {
      negative = true;
      ++pos;
    }
    int64_t v = 0;
    size_t digits = 0;
    while (digits < maxDigits && isDigit(pos)) {
      v = v * 10 + (text[pos++] - '0');
      ++digits;
    }
    if (digits == 0) return false;
    if (negative) v = -v;
    switch (c) {
      case 'y':
      case 'Y':
        t.year = (tok.count == 2 && digits == 2) ? 2000 + v : v;
        break;
      case 'M':
        if (v < 1 || v > 12) return false;
        t.month = static_cast<int>(v);
        break;
      case 'd':
        if (v < 1 || v > 31) return false;
        t.day = static_cast<int>(v);
        break;
      case 'H':
      case 'k':
        if (v > 24) return false;
        t.hour = static_cast<int>(v % 24);
        break;
      case 'h':
      case 'K':
        if (v > 12) return false;
        hour12 = static_cast<int>(v % 12);
        break;
      case 'm':
        if (v > 59) return false;
        t.minute = static_cast<int>(v);
        break;
      case 's':
        if (v > 59) return false;
        t.second = static_cast<int>(v);
        break;
      case 'S': {
        // Fraction digits: 'SSS' reads milliseconds; more digits are truncated to millis.
        int64_t ms = v;
        size_t d = digits;
        while (d > 3) {
          ms /= 10;
          --d;
        }
        while (d < 3) {
          ms *= 10;
          ++d;
        }
        t.millis = static_cast<int>(ms);
        break;
      }
      case 'D':
        dayOfYear = v;
        break;
      default:
        break;  // u, w: read and ignored
    }
  }
  if (pos != text.size()) return false;
  if (hour12 >= 0) t.hour = hour12 + (pm ? 12 : 0);
  if (t.day > daysInMonth(t.year, t.month)) return false;
  int64_t result = millisFromCivil(t);
  if (dayOfYear > 0)
    result += (dayOfYear - 1) * kMillisPerDay -
              (daysFromCivil(t.year, t.month, t.day) - daysFromCivil(t.year, 1, 1)) * kMillisPerDay;
  *millis = result - offsetMillis;
  return true;
}

// parseDate accepts any day up to 31; SQL rejects days the month does not have.
static bool dayExists(std::string_view text) {
  auto number = [&](size_t pos, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; ++i) v = v * 10 + (text[pos + i] - '0');
    return v;
  };
  return number(8, 2) <= daysInMonth(number(0, 4), number(5, 2));
}

bool parseTimestampText(std::string_view text, int64_t* millis) {
  if (!parseTimestampLenient(text, millis)) return false;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  return dayExists(text);
}

static bool parseTimestampLenient(std::string_view text, int64_t* millis) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  int64_t days;
  if (text.size() == 10) {
    if (!parseDate(text, &days)) return false;
    *millis = days * kMillisPerDay;
    return true;
  }
  if (parseTimestamp(text, millis)) return true;
  // 'yyyy-MM-dd HH:mm' without seconds.
  if (text.size() == 16 && (text[10] == ' ' || text[10] == 'T') && text[13] == ':')
    return parseTimestamp(std::string(text) + ":00", millis);
  return false;
}

}  // namespace glint::sql
