#pragma once
// Calendar arithmetic and Java-style date/time patterns for the SQL date/time functions. All
// values are UTC (the session time zone): TIMESTAMP and TIMESTAMP_LTZ are epoch
// milliseconds, DATE is epoch days.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "glint/common/status.h"

namespace glint::sql {

constexpr int64_t kMillisPerSecond = 1000;
constexpr int64_t kMillisPerMinute = 60 * kMillisPerSecond;
constexpr int64_t kMillisPerHour = 60 * kMillisPerMinute;
constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

inline int64_t floorDivide(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t floorModulo(int64_t a, int64_t b) {
  return a - floorDivide(a, b) * b;
}

int64_t daysFromCivil(int64_t year, int month, int day);
void civilFromDays(int64_t days, int64_t* year, int* month, int* day);

struct CivilTime {
  int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
};
CivilTime civilFromMillis(int64_t millis);
int64_t millisFromCivil(const CivilTime& t);

int daysInMonth(int64_t year, int month);
// Adds calendar months, clamping the day to the end of the target month (Jan 31 + 1 month =
// Feb 28/29), keeping the time of day.
int64_t addMonthsToMillis(int64_t millis, int64_t months);
int64_t addMonthsToDays(int64_t days, int64_t months);
// 1 = Sunday ... 7 = Saturday (SQL DAYOFWEEK).
int dayOfWeek(int64_t days);
// ISO-8601 week number, 1..53.
int isoWeek(int64_t days);
// Whole months from `from` to `to`, truncated toward zero (TIMESTAMPDIFF(MONTH ...)).
int64_t monthsBetween(int64_t fromMillis, int64_t toMillis);

// Time units of EXTRACT, TIMESTAMPADD, TIMESTAMPDIFF and FLOOR/CEIL ... TO.
enum class TimeUnit : uint8_t {
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
};
// Accepts the SQL keywords (and the SQL_TSI_* aliases of TIMESTAMPADD); false if unknown.
bool parseTimeUnit(std::string_view upperKeyword, TimeUnit* unit);
// FLOOR/CEIL of a timestamp to a unit (weeks start on Sunday, as in Calcite).
int64_t floorMillisTo(int64_t millis, TimeUnit unit);
int64_t ceilMillisTo(int64_t millis, TimeUnit unit);

// A compiled java.text.SimpleDateFormat pattern ('yyyy-MM-dd HH:mm:ss.SSS', quoted text,
// MMM/MMMM month names, EEE/EEEE day names, a, h/K/k, D, u, w, Z/X/z for the UTC offset).
class DateTimePattern {
 public:
  static Result<DateTimePattern> compile(std::string_view pattern);
  void format(int64_t millis, std::string& out) const;
  // Parses the whole text (trailing text is an error, as java.time formatters do); fields
  // the pattern lacks default to 1970-01-01 00:00:00.000. Returns false when it does not fit.
  bool parse(std::string_view text, int64_t* millis) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Token {
    char letter = 0;  // 0: literal text
    int count = 0;
    std::string text;
  };
  std::string pattern_;
  std::vector<Token> tokens_;
};

// Timestamp text as CAST accepts it: 'yyyy-MM-dd', 'yyyy-MM-dd HH:mm[:ss[.fff]]' or with 'T',
// surrounding spaces ignored.
bool parseTimestampText(std::string_view text, int64_t* millis);

}  // namespace glint::sql
