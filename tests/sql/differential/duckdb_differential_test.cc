// Differential tests: the same batch queries run by Glint and by DuckDB (through
// scripts/duckdb/run_query.mjs and the npm package @duckdb/node-api) over the same generated
// CSV data, results compared as row multisets (doubles with a relative tolerance).
//
// Data: a deterministic random table `r` (ints, doubles, strings, booleans, timestamps, NULLs
// in every nullable column), a smaller `s` to join with (duplicate and NULL keys), and Nexmark
// events (person, auction, bid) from the generator. Where the dialects differ (Flink's integer
// AVG, window TVFs, SUBSTRING), a query carries its DuckDB form next to the Glint one.
//
// DuckDB runs once for all queries; its answers are cached in the build directory under a hash
// of the data, the queries and the script, so that ctest's one-process-per-test costs one
// `node` start in total. Skipped (GTEST_SKIP) only when node or the npm package is missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "glint/connectors/nexmark/generator.h"
#include "glint/sql/session.h"
#include "glint/types/data_type.h"

namespace glint::sql::differential {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// ---- data

struct ColumnSpec {
  std::string name;
  std::string glintType;  // in CREATE TABLE
  std::string duckType;   // in read_csv's columns
};

struct TableData {
  std::string name;
  std::vector<ColumnSpec> columns;
  std::string watermarkColumn;  // declared as the rowtime attribute when not empty
  std::vector<std::vector<std::optional<std::string>>> rows;  // CSV field text, nullopt = NULL
};

// splitmix64: a fixed, portable sequence (std distributions differ between libraries).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t between(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return between(0, 99) < percent; }

 private:
  uint64_t state_;
};

std::string doubleText(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

constexpr int64_t kBaseMillis = 1700000000000;  // 2023-11-14 22:13:20 UTC

TableData randomTable() {
  TableData t;
  t.name = "r";
  t.columns = {{"id", "BIGINT", "BIGINT"},         {"k", "INT", "INTEGER"},
               {"v", "BIGINT", "BIGINT"},          {"d", "DOUBLE", "DOUBLE"},
               {"s", "STRING", "VARCHAR"},         {"b", "BOOLEAN", "BOOLEAN"},
               {"ts", "TIMESTAMP(3)", "TIMESTAMP"}};
  t.watermarkColumn = "ts";
  const std::vector<std::string> words = {"apple", "banana", "cherry", "date", "elder",
                                          "fig",   "grape",  "Apple",  "a_b",  "x%y"};
  Random random(20240601);
  const int64_t n = 600;
  for (int64_t id = 0; id < n; ++id) {
    std::vector<std::optional<std::string>> row;
    row.push_back(std::to_string(id));
    row.push_back(random.chance(8) ? std::nullopt
                                   : std::optional(std::to_string(random.between(0, 9))));
    row.push_back(random.chance(10) ? std::nullopt
                                    : std::optional(std::to_string(random.between(-1000, 1000))));
    row.push_back(random.chance(10)
                      ? std::nullopt
                      : std::optional(doubleText(random.between(-100000, 100000) / 100.0)));
    if (random.chance(8)) {
      row.push_back(std::nullopt);
    } else if (random.chance(3)) {
      row.push_back("");
    } else {
      std::string word = words[random.between(0, words.size() - 1)];
      if (random.chance(30)) word += " " + words[random.between(0, words.size() - 1)];
      row.push_back(word);
    }
    row.push_back(random.chance(10)
                      ? std::nullopt
                      : std::optional<std::string>(random.chance(50) ? "true" : "false"));
    // Unique timestamps over two hours (a permutation of the ids, seconds apart, plus < 1 s),
    // so that orderings by time have no ties.
    const int64_t slot = (id * 7919) % n;
    row.push_back(formatTimestamp(kBaseMillis + slot * 12000 + random.between(0, 999)));
    t.rows.push_back(std::move(row));
  }
  return t;
}

TableData joinTable() {
  TableData t;
  t.name = "s";
  t.columns = {{"k", "INT", "INTEGER"},
               {"name", "STRING", "VARCHAR"},
               {"w", "BIGINT", "BIGINT"},
               {"ts", "TIMESTAMP(3)", "TIMESTAMP"}};
  t.watermarkColumn = "ts";
  Random random(777);
  // Keys 0..11 (10, 11 absent from r), some twice, a few NULL.
  for (int64_t i = 0; i < 30; ++i) {
    std::vector<std::optional<std::string>> row;
    row.push_back(i % 13 == 12 ? std::nullopt : std::optional(std::to_string(i % 12)));
    row.push_back("n" + std::to_string(i));
    row.push_back(random.chance(15) ? std::nullopt
                                    : std::optional(std::to_string(random.between(0, 50))));
    row.push_back(formatTimestamp(kBaseMillis + i * 240000 + random.between(0, 999)));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<TableData> nexmarkTables() {
  nexmark::GeneratorConfig config;
  config.eventsPerSecond = 20;  // 3000 events over 150 s of event time: several windows
  const nexmark::NexmarkEvents events = nexmark::materializeEvents(config, 0, 3000);
  auto ts = [](int64_t millis) { return std::optional(formatTimestamp(millis)); };
  auto num = [](int64_t v) { return std::optional(std::to_string(v)); };
  TableData person{"person",
                   {{"id", "BIGINT", "BIGINT"},
                    {"name", "STRING", "VARCHAR"},
                    {"emailAddress", "STRING", "VARCHAR"},
                    {"creditCard", "STRING", "VARCHAR"},
                    {"city", "STRING", "VARCHAR"},
                    {"state", "STRING", "VARCHAR"},
                    {"dateTime", "TIMESTAMP(3)", "TIMESTAMP"},
                    {"extra", "STRING", "VARCHAR"}},
                   "dateTime",
                   {}};
  for (const auto& p : events.persons)
    person.rows.push_back({num(p.id), p.name, p.emailAddress, p.creditCard, p.city, p.state,
                           ts(p.dateTime), p.extra});
  TableData auction{"auction",
                    {{"id", "BIGINT", "BIGINT"},
                     {"itemName", "STRING", "VARCHAR"},
                     {"description", "STRING", "VARCHAR"},
                     {"initialBid", "BIGINT", "BIGINT"},
                     {"reserve", "BIGINT", "BIGINT"},
                     {"dateTime", "TIMESTAMP(3)", "TIMESTAMP"},
                     {"expires", "TIMESTAMP(3)", "TIMESTAMP"},
                     {"seller", "BIGINT", "BIGINT"},
                     {"category", "BIGINT", "BIGINT"},
                     {"extra", "STRING", "VARCHAR"}},
                    "dateTime",
                    {}};
  for (const auto& a : events.auctions)
    auction.rows.push_back({num(a.id), a.itemName, a.description, num(a.initialBid), num(a.reserve),
                            ts(a.dateTime), ts(a.expires), num(a.seller), num(a.category),
                            a.extra});
  TableData bid{"bid",
                {{"auction", "BIGINT", "BIGINT"},
                 {"bidder", "BIGINT", "BIGINT"},
                 {"price", "BIGINT", "BIGINT"},
                 {"channel", "STRING", "VARCHAR"},
                 {"url", "STRING", "VARCHAR"},
                 {"dateTime", "TIMESTAMP(3)", "TIMESTAMP"},
                 {"extra", "STRING", "VARCHAR"}},
                "dateTime",
                {}};
  for (const auto& b : events.bids)
    bid.rows.push_back(
        {num(b.auction), num(b.bidder), num(b.price), b.channel, b.url, ts(b.dateTime), b.extra});
  return {person, auction, bid};
}

// RFC 4180 as Glint's CSV reader and DuckDB's read_csv (allow_quoted_nulls = false) both take
// it: NULL is an empty unquoted field, the empty string is "".
std::string csvText(const TableData& table) {
  std::string out;
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) out += ',';
      if (!row[c]) continue;
      const std::string& v = *row[c];
      if (v.empty() || v.find_first_of(",\"\r\n") != std::string::npos) {
        out += '"';
        for (char ch : v) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        out += '"';
      } else {
        out += v;
      }
    }
    out += '\n';
  }
  return out;
}

// ---- queries

struct DifferentialQuery {
  std::string name;
  std::string glint;
  std::string duckdb;  // empty: the same text as `glint`
};

// gtest prints a failing parameter by its name rather than by its bytes.
void PrintTo(const DifferentialQuery& query, std::ostream* os) {
  *os << query.name;
}

// Window helpers for the DuckDB side: epoch milliseconds of a timestamp and back.
std::string duckFloor(const std::string& column, int64_t millis) {
  return "epoch_ms((epoch_ms(" + column + ") // " + std::to_string(millis) + ") * " +
         std::to_string(millis) + ")";
}

std::vector<DifferentialQuery> queries() {
  const std::string tumble10m = duckFloor("ts", 600000);
  const std::string tumble10s = duckFloor("dateTime", 10000);
  return {
      // Projections, filters, arithmetic, NULL handling.
      {"SelectAll", "SELECT * FROM r", ""},
      {"Arithmetic", "SELECT id, v + 1, v - k, v * 2, d * 2.5, d / 4, -v, ABS(v), MOD(v, 7) FROM r",
       ""},
      {"IntegerDivision", "SELECT id, v / 7 FROM r WHERE v IS NOT NULL",
       "SELECT id, CAST(trunc(v / 7) AS BIGINT) FROM r WHERE v IS NOT NULL"},
      {"Comparisons", "SELECT id, v > 0, v = k, d <= 0, s = 'apple', s <> '' FROM r", ""},
      {"ThreeValuedLogic",
       "SELECT id, b AND v > 0, b OR v > 0, NOT b, (b AND v > 0) IS NULL, b IS TRUE, "
       "b IS NOT FALSE, b IS UNKNOWN FROM r",
       ""},
      {"FilterWithNulls", "SELECT id, v, b FROM r WHERE NOT (v > 100 AND b) OR k IS NULL", ""},
      {"CaseCoalesceNullif",
       "SELECT id, CASE WHEN v > 500 THEN 'high' WHEN v > 0 THEN 'mid' WHEN v IS NULL THEN "
       "'none' ELSE 'low' END, CASE k WHEN 1 THEN 'one' WHEN 2 THEN 'two' END, "
       "COALESCE(v, k, -1), NULLIF(k, 3) FROM r",
       ""},
      {"InBetweenLike",
       "SELECT id FROM r WHERE k IN (1, 3, 5) AND v BETWEEN -200 AND 700 OR s LIKE 'a%' OR "
       "s LIKE '%e_' OR s NOT LIKE '%a%'",
       ""},
      {"Casts",
       "SELECT id, CAST(v AS DOUBLE), CAST(d AS BIGINT), CAST(k AS STRING), "
       "CAST(ts AS DATE), CAST(CAST(v AS STRING) AS INT) FROM r",
       "SELECT id, CAST(v AS DOUBLE), CAST(trunc(d) AS BIGINT), CAST(k AS VARCHAR), "
       "CAST(ts AS DATE), CAST(CAST(v AS VARCHAR) AS INTEGER) FROM r"},
      {"StringFunctions",
       "SELECT id, UPPER(s), LOWER(s), CHAR_LENGTH(s), s || '!', SUBSTRING(s FROM 2 FOR 3), "
       "TRIM(s), REPLACE(s, 'a', 'A'), POSITION('an' IN s) FROM r",
       "SELECT id, upper(s), lower(s), length(s), s || '!', substring(s, 2, 3), "
       "trim(s), replace(s, 'a', 'A'), position('an' IN s) FROM r"},
      {"DateTimeFunctions",
       "SELECT id, EXTRACT(HOUR FROM ts), EXTRACT(MINUTE FROM ts), YEAR(ts), "
       "DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm'), ts + INTERVAL '1' HOUR, "
       "TIMESTAMPDIFF(SECOND, TIMESTAMP '2023-11-14 22:00:00', ts) FROM r",
       "SELECT id, extract(hour FROM ts), extract(minute FROM ts), year(ts), "
       "strftime(ts, '%Y-%m-%d %H:%M'), ts + INTERVAL 1 HOUR, "
       "date_diff('second', TIMESTAMP '2023-11-14 22:00:00', ts) FROM r"},
      // Aggregation.
      {"GlobalAggregates",
       "SELECT COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v), MIN(s), MAX(s), SUM(d), AVG(d), "
       "COUNT(DISTINCT k) FROM r",
       ""},
      {"GroupByAllAggregates",
       "SELECT k, COUNT(*), COUNT(v), SUM(v), MIN(d), MAX(d), AVG(d), COUNT(DISTINCT s), "
       "MIN(ts), MAX(ts) FROM r GROUP BY k",
       ""},
      {"IntegerAvg", "SELECT k, AVG(v) FROM r GROUP BY k",
       "SELECT k, CAST(trunc(SUM(v) / COUNT(v)) AS BIGINT) FROM r GROUP BY k"},
      {"GroupByExpressionHaving",
       "SELECT k, b, SUM(v) AS total FROM r GROUP BY k, b HAVING COUNT(*) > 5 AND SUM(v) > 0", ""},
      {"Rollup", "SELECT k, s, SUM(v), COUNT(*), GROUPING(k, s) FROM r GROUP BY ROLLUP(k, s)", ""},
      {"Cube", "SELECT k, b, MIN(v), MAX(id) FROM r GROUP BY CUBE(k, b)", ""},
      {"GroupingSetsWithHaving",
       "SELECT k, s, COUNT(v) FROM r GROUP BY GROUPING SETS ((k), (s), ()) HAVING COUNT(*) > 1",
       ""},
      {"GroupByStringWithNullsAndEmpty", "SELECT s, COUNT(*), MAX(id) FROM r GROUP BY s", ""},
      {"AggregateOfEmptyInput", "SELECT COUNT(*), SUM(v), MAX(s) FROM r WHERE id < 0", ""},
      // Standard deviation and variance: DOUBLE arguments give DOUBLE in both engines.
      {"StddevVarianceByKey",
       "SELECT k, STDDEV_POP(d), STDDEV_SAMP(d), VAR_POP(d), VAR_SAMP(d), STDDEV(d), "
       "VARIANCE(d) FROM r GROUP BY k",
       ""},
      {"StddevVarianceGlobalAndFiltered",
       "SELECT STDDEV_POP(d), VAR_SAMP(d) FILTER (WHERE b), STDDEV_SAMP(CAST(v AS DOUBLE)), "
       "VAR_POP(CAST(v AS DOUBLE)) FROM r",
       ""},
      // Over BIGINT Flink stays in integers: (SUM(x*x) - SUM(x)*SUM(x) / COUNT(x)) / COUNT(x)
      // [- 1], truncated (the operands are not negative here, so truncation is floor).
      {"IntegerStddevVariance",
       "SELECT k, VAR_POP(v), VAR_SAMP(v), STDDEV_POP(v), STDDEV_SAMP(v) FROM r GROUP BY k",
       "SELECT k, vp, vs, CAST(trunc(sqrt(vp)) AS BIGINT), CAST(trunc(sqrt(vs)) AS BIGINT) FROM "
       "(SELECT k, CAST((SUM(v * v) - SUM(v) * SUM(v) // COUNT(v)) // COUNT(v) AS BIGINT) AS vp, "
       "CAST((SUM(v * v) - SUM(v) * SUM(v) // COUNT(v)) // NULLIF(COUNT(v) - 1, 0) AS BIGINT) "
       "AS vs FROM r GROUP BY k)"},
      {"VarianceOverUpdatingInput",
       "SELECT STDDEV_SAMP(t), VAR_POP(t) FROM (SELECT k, SUM(d) AS t FROM r GROUP BY k)", ""},
      // Joins (NULL keys never match; s has keys absent from r and duplicates).
      {"InnerJoin", "SELECT r.id, s.name, r.v + s.w FROM r JOIN s ON r.k = s.k", ""},
      {"LeftJoin", "SELECT r.id, s.name FROM r LEFT JOIN s ON r.k = s.k AND s.w > 10", ""},
      {"RightJoin",
       "SELECT r.id, s.name FROM r RIGHT JOIN s ON r.k = s.k WHERE r.id < 100 OR "
       "r.id IS NULL",
       ""},
      {"FullJoin",
       "SELECT a.k, a.c, b.k, b.c FROM (SELECT k, COUNT(*) AS c FROM r WHERE v > 0 GROUP BY k) "
       "a FULL OUTER JOIN (SELECT k, COUNT(*) AS c FROM s GROUP BY k) b ON a.k = b.k",
       ""},
      {"IntervalJoin",
       "SELECT r.id, s.name FROM r, s WHERE r.k = s.k AND r.ts BETWEEN s.ts - INTERVAL '2' "
       "MINUTE AND s.ts + INTERVAL '2' MINUTE",
       ""},
      // The same joins with NULL keys filtered out first.
      {"InnerJoinNonNullKeys",
       "SELECT r.id, s.name, r.v + s.w FROM r JOIN s ON r.k = s.k WHERE r.k IS NOT NULL", ""},
      {"LeftJoinNonNullKeys",
       "SELECT r.id, s.name, s.w FROM (SELECT * FROM r WHERE k IS NOT NULL) r LEFT JOIN "
       "(SELECT * FROM s WHERE k IS NOT NULL) s ON r.k = s.k AND s.w > 10",
       ""},
      {"FullJoinNonNullKeys",
       "SELECT a.k, a.c, b.k, b.c FROM (SELECT k, COUNT(*) AS c FROM r WHERE v > 0 AND k IS NOT "
       "NULL GROUP BY k) a FULL OUTER JOIN (SELECT k, COUNT(*) AS c FROM s WHERE k IS NOT NULL "
       "GROUP BY k) b ON a.k = b.k",
       ""},
      {"IntervalJoinNonNullKeys",
       "SELECT r.id, s.name FROM r, s WHERE r.k = s.k AND r.k IS NOT NULL AND r.ts BETWEEN "
       "s.ts - INTERVAL '2' MINUTE AND s.ts + INTERVAL '2' MINUTE",
       ""},
      // Outer interval joins (planned on the interval join operator; a BETWEEN join in DuckDB).
      {"LeftIntervalJoin",
       "SELECT r.id, s.name FROM r LEFT JOIN s ON r.k = s.k AND r.ts BETWEEN s.ts - INTERVAL "
       "'2' MINUTE AND s.ts + INTERVAL '2' MINUTE",
       ""},
      {"FullIntervalJoinWithResidual",
       "SELECT r.id, s.name, s.w FROM r FULL JOIN s ON r.k = s.k AND r.ts BETWEEN s.ts - "
       "INTERVAL '2' MINUTE AND s.ts + INTERVAL '1' MINUTE AND r.v > s.w",
       ""},
      {"JoinThenAggregate",
       "SELECT s.name, COUNT(*), SUM(r.v), MAX(r.d) FROM r JOIN s ON r.k = s.k WHERE r.k IS NOT "
       "NULL GROUP BY s.name",
       ""},
      {"MultiKeyGroupByWithNulls",
       "SELECT k, b, s IS NULL, COUNT(*), SUM(d) FROM r GROUP BY k, b, s IS NULL", ""},
      {"FilterOnAggregatedSubquery",
       "SELECT k, n FROM (SELECT k, COUNT(DISTINCT s) AS n, AVG(d) AS a FROM r GROUP BY k) WHERE "
       "a > -100 AND n > 5",
       ""},
      // Subqueries and set operations.
      {"SubqueryInFrom",
       "SELECT k, total * 2 FROM (SELECT k, SUM(v) AS total FROM r GROUP BY k) t WHERE total > 0",
       ""},
      {"InSubquery", "SELECT id FROM r WHERE k IN (SELECT k FROM s WHERE w > 20)", ""},
      {"ExistsSubquery",
       "SELECT id FROM r WHERE EXISTS (SELECT 1 FROM s WHERE s.k = r.k AND s.w < 10)", ""},
      {"CorrelatedScalarCount", "SELECT id, (SELECT COUNT(*) FROM s WHERE s.k = r.k) FROM r", ""},
      {"CorrelatedScalarInWhere",
       "SELECT id FROM r WHERE v > (SELECT MIN(w) FROM s WHERE s.k = r.k AND s.w > 5)", ""},
      {"CorrelatedScalarExpression",
       "SELECT id, (SELECT COALESCE(SUM(w), -1) + COUNT(w) FROM s WHERE r.k = s.k) FROM r", ""},
      {"NotInSubqueryWithoutNulls",
       "SELECT id FROM r WHERE k NOT IN (SELECT k FROM s WHERE k IS NOT NULL AND k > 4)", ""},
      {"UnionAll",
       "SELECT k, v FROM r WHERE v > 900 UNION ALL SELECT k, w FROM s UNION ALL "
       "SELECT k, v FROM r WHERE v < -900",
       ""},
      // INTERSECT / EXCEPT [ALL]: NULL keys, duplicates on both sides, BOOLEAN and string rows.
      {"IntersectDistinct", "SELECT k, s FROM r INTERSECT SELECT k, s FROM r WHERE v > 500", ""},
      {"IntersectAll", "SELECT k, v > 0 FROM r INTERSECT ALL SELECT k, w > 25 FROM s", ""},
      {"ExceptDistinct", "SELECT k FROM s EXCEPT SELECT k FROM r WHERE v > 900", ""},
      {"ExceptAll", "SELECT k, b FROM r EXCEPT ALL SELECT k, w > 25 FROM s", ""},
      {"ExceptAllSmallLeft", "SELECT k, w > 25 FROM s EXCEPT ALL SELECT k, b FROM r WHERE id < 40",
       ""},
      {"SetOperationPrecedence",
       "SELECT k FROM r WHERE v > 0 UNION SELECT k FROM s INTERSECT SELECT k FROM r WHERE v < 0 "
       "EXCEPT SELECT k FROM s WHERE w > 40",
       ""},
      // Subqueries over aggregated rows: in HAVING and in the select list of a GROUP BY.
      {"HavingScalarSubquery",
       "SELECT k, COUNT(*) FROM r GROUP BY k HAVING COUNT(*) * 10 > (SELECT COUNT(*) FROM r)", ""},
      {"HavingInSubquery",
       "SELECT k, SUM(v) FROM r GROUP BY k HAVING k IN (SELECT k FROM s WHERE w > 20)", ""},
      {"HavingAggregateInSubquery",
       "SELECT k, COUNT(*) FROM r GROUP BY k HAVING COUNT(*) - 50 IN (SELECT k FROM s)", ""},
      {"HavingCorrelatedExists",
       "SELECT k, COUNT(*) FROM r GROUP BY k HAVING EXISTS (SELECT 1 FROM s WHERE s.k = r.k AND "
       "s.w > 30)",
       ""},
      {"HavingCorrelatedScalar",
       "SELECT k, SUM(v) FROM r GROUP BY k HAVING SUM(v) > (SELECT MIN(w) FROM s WHERE s.k = r.k)",
       ""},
      {"GroupBySelectScalarSubquery",
       "SELECT k, SUM(v) * 100 / (SELECT SUM(v) FROM r), (SELECT MAX(w) FROM s) FROM r GROUP BY k",
       "SELECT k, CAST(trunc(SUM(v) * 100 / (SELECT SUM(v) FROM r)) AS BIGINT), "
       "(SELECT MAX(w) FROM s) FROM r GROUP BY k"},
      // Top-N, deduplication, ORDER BY / LIMIT.
      {"TopN",
       "SELECT k, id, v, rn FROM (SELECT k, id, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY "
       "v DESC, id) AS rn FROM r WHERE v IS NOT NULL) WHERE rn <= 3",
       ""},
      {"Deduplication",
       "SELECT k, id, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn "
       "FROM r) WHERE rn = 1",
       ""},
      {"DeduplicationLast",
       "SELECT k, id FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn "
       "FROM r) WHERE rn = 1",
       ""},
      {"OrderByLimit", "SELECT id, v FROM r WHERE v IS NOT NULL ORDER BY v DESC, id LIMIT 15", ""},
      // OVER aggregation.
      {"OverRows",
       "SELECT id, k, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND "
       "CURRENT ROW), COUNT(*) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND "
       "CURRENT ROW) FROM r",
       ""},
      {"OverRange",
       "SELECT id, MAX(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '10' MINUTE "
       "PRECEDING AND CURRENT ROW) FROM r",
       ""},
      {"OverRangeVariance",
       "SELECT id, VAR_SAMP(d) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '10' "
       "MINUTE PRECEDING AND CURRENT ROW), STDDEV_POP(d) OVER (PARTITION BY k ORDER BY ts RANGE "
       "BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW) FROM r",
       ""},
      {"OverLag",
       "SELECT id, LAG(v) OVER w, LAG(v, 3, -1) OVER w, v - LAG(v, 1, 0) OVER w, "
       "LAG(s, 2, 'none') OVER w, LAG(d, 0) OVER w FROM r WINDOW w AS (PARTITION BY k ORDER BY ts)",
       ""},
      {"OverLead",
       "SELECT id, LEAD(d, 2) OVER (PARTITION BY k ORDER BY ts), LEAD(s, 1, '-') OVER (ORDER BY "
       "id DESC), LAG(k, 1, -1) OVER (ORDER BY s NULLS LAST, id) FROM r",
       ""},
      {"OverFollowing",
       "SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 3 "
       "FOLLOWING), AVG(d) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '10' MINUTE "
       "PRECEDING AND INTERVAL '5' MINUTE FOLLOWING), MIN(v) OVER (PARTITION BY k ORDER BY ts "
       "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM r",
       ""},
      {"OverDistributions",
       "SELECT id, NTILE(7) OVER (PARTITION BY k ORDER BY ts), PERCENT_RANK() OVER (PARTITION BY "
       "k ORDER BY b NULLS FIRST), CUME_DIST() OVER (ORDER BY k NULLS FIRST, b NULLS LAST), NTILE(1000) OVER "
       "(ORDER BY id) FROM r",
       ""},
      // Window TVFs, as GROUP BY on time buckets in DuckDB.
      {"TumbleWindow",
       "SELECT window_start, window_end, k, COUNT(*), SUM(v), MAX(d) FROM TABLE(TUMBLE(TABLE r, "
       "DESCRIPTOR(ts), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end, k",
       "SELECT " + tumble10m +
           " AS ws, ws + INTERVAL 10 MINUTE, k, COUNT(*), SUM(v), MAX(d) "
           "FROM r GROUP BY ws, k"},
      {"TumbleWindowStddev",
       "SELECT window_start, STDDEV_SAMP(d), VAR_POP(d) FROM TABLE(TUMBLE(TABLE r, "
       "DESCRIPTOR(ts), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end",
       "SELECT " + tumble10m + " AS ws, stddev_samp(d), var_pop(d) FROM r GROUP BY ws"},
      {"HopWindow",
       "SELECT window_start, window_end, COUNT(*), SUM(v) FROM TABLE(HOP(TABLE r, DESCRIPTOR(ts), "
       "INTERVAL '5' MINUTES, INTERVAL '15' MINUTES)) GROUP BY window_start, window_end",
       "SELECT epoch_ms((epoch_ms(ts) // 300000 - h.i) * 300000) AS ws, ws + INTERVAL 15 MINUTE, "
       "COUNT(*), SUM(v) FROM r, range(0, 3) AS h(i) GROUP BY ws"},
      {"CumulateWindow",
       "SELECT window_start, window_end, k, COUNT(*) FROM TABLE(CUMULATE(TABLE r, DESCRIPTOR(ts), "
       "INTERVAL '10' MINUTES, INTERVAL '30' MINUTES)) GROUP BY window_start, window_end, k",
       "SELECT ws, we, k, COUNT(*) FROM (SELECT " + duckFloor("ts", 1800000) +
           " AS ws, "
           "ws + INTERVAL (c.j * 10) MINUTE AS we, k, ts FROM r, range(1, 4) AS c(j)) WHERE ts < "
           "we "
           "GROUP BY ws, we, k"},
      {"SessionWindow",
       "SELECT window_start, window_end, k, COUNT(*) FROM TABLE(SESSION(TABLE r PARTITION BY k, "
       "DESCRIPTOR(ts), INTERVAL '3' MINUTES)) GROUP BY window_start, window_end, k",
       "WITH marked AS (SELECT k, ts, CASE WHEN lag(ts) OVER (PARTITION BY k ORDER BY ts) IS NULL "
       "OR ts >= lag(ts) OVER (PARTITION BY k ORDER BY ts) + INTERVAL 3 MINUTE THEN 1 ELSE 0 END "
       "AS starts FROM r), numbered AS (SELECT k, ts, SUM(starts) OVER (PARTITION BY k ORDER BY "
       "ts) AS session FROM marked) SELECT MIN(ts), MAX(ts) + INTERVAL 3 MINUTE, k, COUNT(*) "
       "FROM numbered GROUP BY k, session"},
      {"WindowTopN",
       "SELECT window_start, k, id, v FROM (SELECT window_start, k, id, v, ROW_NUMBER() OVER "
       "(PARTITION BY window_start, window_end ORDER BY v DESC, id) AS rn FROM TABLE(TUMBLE("
       "TABLE r, DESCRIPTOR(ts), INTERVAL '20' MINUTES)) WHERE v IS NOT NULL) WHERE rn <= 2",
       "SELECT ws, k, id, v FROM (SELECT " + duckFloor("ts", 1200000) +
           " AS ws, k, id, v, "
           "ROW_NUMBER() OVER (PARTITION BY ws ORDER BY v DESC, id) AS rn FROM r WHERE v IS NOT "
           "NULL) WHERE rn <= 2"},
      // Nexmark-shaped queries over generated events.
      {"NexmarkQ1CurrencyConversion",
       "SELECT auction, bidder, 0.908 * price AS price, dateTime FROM bid", ""},
      {"NexmarkQ2Selection",
       "SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0 OR auction = 1007", ""},
      {"NexmarkQ3LocalItemSuggestion",
       "SELECT P.name, P.city, P.state, A.id FROM auction AS A INNER JOIN person AS P ON "
       "A.seller = P.id WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR "
       "P.state = 'CA')",
       ""},
      {"NexmarkQ4AverageClosingPriceByCategory",
       "SELECT Q.category, AVG(Q.final) FROM (SELECT MAX(B.price) AS final, A.category FROM "
       "auction A, bid B WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires "
       "GROUP BY A.id, A.category) Q GROUP BY Q.category",
       "SELECT Q.category, CAST(trunc(SUM(Q.final) / COUNT(Q.final)) AS BIGINT) FROM (SELECT "
       "MAX(B.price) AS final, A.category FROM auction A, bid B WHERE A.id = B.auction AND "
       "B.dateTime BETWEEN A.dateTime AND A.expires GROUP BY A.id, A.category) Q GROUP BY "
       "Q.category"},
      {"NexmarkQ7HighestBidPerWindow",
       "SELECT B.auction, B.price, B.bidder, B.dateTime FROM bid B JOIN (SELECT MAX(price) AS "
       "maxprice, window_end AS dateTime FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), "
       "INTERVAL '10' SECOND)) GROUP BY window_start, window_end) B1 ON B.price = B1.maxprice "
       "WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime",
       "SELECT B.auction, B.price, B.bidder, B.dateTime FROM bid B JOIN (SELECT MAX(price) AS "
       "maxprice, " +
           tumble10s + " + INTERVAL 10 SECOND AS dateTime FROM bid GROUP BY " + tumble10s +
           ") B1 ON B.price = B1.maxprice WHERE B.dateTime BETWEEN B1.dateTime - "
           "INTERVAL 10 SECOND AND B1.dateTime"},
      {"NexmarkQ8WindowJoinNewUsers",
       "SELECT P.id, P.name, P.starttime FROM (SELECT id, name, window_start AS starttime, "
       "window_end AS endtime FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL "
       "'10' SECOND)) GROUP BY id, name, window_start, window_end) P JOIN (SELECT seller, "
       "window_start AS starttime, window_end AS endtime FROM TABLE(TUMBLE(TABLE auction, "
       "DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY seller, window_start, window_end) "
       "A ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime",
       "SELECT P.id, P.name, P.starttime FROM (SELECT id, name, " + tumble10s +
           " AS starttime FROM person GROUP BY id, name, starttime) P JOIN (SELECT seller, " +
           tumble10s +
           " AS starttime FROM auction GROUP BY seller, starttime) A ON P.id = A.seller "
           "AND P.starttime = A.starttime"},
      {"NexmarkWindowJoinTvf",
       "SELECT L.bidder, L.window_start, R.id FROM (SELECT * FROM TABLE(TUMBLE(TABLE bid, "
       "DESCRIPTOR(dateTime), INTERVAL '10' SECOND))) L JOIN (SELECT * FROM TABLE(TUMBLE(TABLE "
       "person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))) R ON L.bidder = R.id AND "
       "L.window_start = R.window_start AND L.window_end = R.window_end",
       "SELECT L.bidder, " + duckFloor("L.dateTime", 10000) +
           " AS ws, R.id FROM bid L JOIN "
           "person R ON L.bidder = R.id AND " +
           duckFloor("L.dateTime", 10000) + " = " + duckFloor("R.dateTime", 10000)},
      {"NexmarkQ12BidsPerBidder",
       "SELECT bidder, COUNT(*) AS bid_count, MIN(price), MAX(dateTime) FROM bid GROUP BY bidder",
       ""},
      {"NexmarkQ5HotItemsHop",
       "SELECT auction, window_start, COUNT(*) FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), "
       "INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end",
       "SELECT auction, epoch_ms((epoch_ms(dateTime) // 2000 - h.i) * 2000) AS ws, COUNT(*) "
       "FROM bid, range(0, 5) AS h(i) GROUP BY auction, ws"},
      {"NexmarkChannelStrings",
       "SELECT channel, UPPER(channel), CHAR_LENGTH(url), COUNT(*) FROM bid GROUP BY channel, "
       "UPPER(channel), CHAR_LENGTH(url)",
       "SELECT channel, upper(channel), length(url), COUNT(*) FROM bid GROUP BY channel, "
       "upper(channel), length(url)"},
  };
}

// ---- comparison

using Row = std::vector<std::optional<std::string>>;

bool isApproximate(const std::string& type) {
  return type.rfind("DOUBLE", 0) == 0 || type.rfind("FLOAT", 0) == 0 ||
         type.rfind("DECIMAL", 0) == 0;
}

bool parseNumber(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

bool valuesMatch(bool approximate, const std::optional<std::string>& a,
                 const std::optional<std::string>& b) {
  if (!a || !b) return !a && !b;
  if (*a == *b) return true;
  double x, y;
  if (!approximate || !parseNumber(*a, &x) || !parseNumber(*b, &y)) return false;
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
}

// A sort key where approximate values are rounded, so that both sides sort alike.
std::string sortKey(const Row& row, const std::vector<bool>& approximate) {
  std::string key;
  for (size_t c = 0; c < row.size(); ++c) {
    double x;
    if (!row[c]) {
      key += "\x01NULL";
    } else if (approximate[c] && parseNumber(*row[c], &x)) {
      char buffer[40];
      std::snprintf(buffer, sizeof(buffer), "%.6e", x);
      key += buffer;
    } else {
      key += *row[c];
    }
    key += '\x02';
  }
  return key;
}

std::string rowText(const Row& row) {
  std::string out = "[";
  for (size_t c = 0; c < row.size(); ++c) out += (c ? ", " : "") + (row[c] ? *row[c] : "NULL");
  return out + "]";
}

// Empty when the multisets match; otherwise what differs (a few rows of each side).
std::string compareRows(std::vector<Row> glint, std::vector<Row> duck,
                        const std::vector<bool>& approximate) {
  auto byKey = [&](const Row& a, const Row& b) {
    return sortKey(a, approximate) < sortKey(b, approximate);
  };
  std::sort(glint.begin(), glint.end(), byKey);
  std::sort(duck.begin(), duck.end(), byKey);
  bool equal = glint.size() == duck.size();
  for (size_t r = 0; equal && r < glint.size(); ++r)
    for (size_t c = 0; equal && c < approximate.size(); ++c)
      equal = valuesMatch(approximate[c], glint[r][c], duck[r][c]);
  if (equal) return "";
  // Rows of one side without a match on the other (greedy, fine for test-sized results).
  std::vector<bool> used(duck.size(), false);
  std::vector<Row> onlyGlint;
  for (const Row& g : glint) {
    bool found = false;
    for (size_t i = 0; i < duck.size() && !found; ++i) {
      if (used[i]) continue;
      bool same = true;
      for (size_t c = 0; same && c < approximate.size(); ++c)
        same = valuesMatch(approximate[c], g[c], duck[i][c]);
      if (same) used[i] = found = true;
    }
    if (!found) onlyGlint.push_back(g);
  }
  std::ostringstream out;
  out << "Glint returned " << glint.size() << " rows, DuckDB " << duck.size() << "\n";
  out << "  only in Glint (" << onlyGlint.size() << "):\n";
  for (size_t i = 0; i < onlyGlint.size() && i < 10; ++i)
    out << "    " << rowText(onlyGlint[i]) << "\n";
  size_t onlyDuck = std::count(used.begin(), used.end(), false);
  out << "  only in DuckDB (" << onlyDuck << "):\n";
  for (size_t i = 0, shown = 0; i < duck.size() && shown < 10; ++i)
    if (!used[i]) {
      out << "    " << rowText(duck[i]) << "\n";
      ++shown;
    }
  return out.str();
}

// ---- the fixture: data, DuckDB's answers, a Glint session with the tables

struct DuckAnswer {
  std::optional<std::string> error;
  std::vector<std::string> types;
  std::vector<Row> rows;
};

struct Environment {
  fs::path dataDir;
  std::vector<TableData> tables;
  std::string skipReason;  // set when node or the npm package is missing
  std::string setupError;  // set when DuckDB or the data could not be prepared
  std::map<std::string, DuckAnswer> answers;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool writeFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// Runs a shell command; returns its exit status and stdout.
int runCommand(const std::string& command, std::string* output) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output->append(buffer, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Environment buildEnvironment() {
  Environment env;
  const fs::path scriptDir = fs::path(GLINT_SOURCE_DIR) / "scripts" / "duckdb";
  const fs::path script = scriptDir / "run_query.mjs";
  std::string ignored;
  if (runCommand("node --version >/dev/null 2>&1", &ignored) != 0) {
    env.skipReason = "node is not installed (scripts/install-deps.sh installs it)";
    return env;
  }
  if (!fs::is_directory(scriptDir / "node_modules" / "@duckdb" / "node-api")) {
    env.skipReason =
        "the npm package @duckdb/node-api is not installed in scripts/duckdb "
        "(scripts/install-deps.sh installs it)";
    return env;
  }

  // The data, under the build directory: deterministic, so every test process writes the
  // same bytes (written to a temporary name and renamed, for concurrent ctest processes).
  env.dataDir = fs::path(GLINT_BINARY_DIR) / "sql_differential";
  fs::create_directories(env.dataDir);
  env.tables = {randomTable(), joinTable()};
  for (auto& t : nexmarkTables()) env.tables.push_back(std::move(t));
  Json spec;
  spec["tables"] = Json::array();
  std::string fingerprint = readFile(script);
  for (const TableData& table : env.tables) {
    const std::string text = csvText(table);
    const fs::path path = env.dataDir / (table.name + ".csv");
    if (readFile(path) != text) {
      const fs::path temporary = path.string() + "." + std::to_string(::getpid());
      if (!writeFile(temporary, text)) {
        env.setupError = "cannot write " + temporary.string();
        return env;
      }
      fs::rename(temporary, path);
    }
    Json columns = Json::array();
    for (const ColumnSpec& c : table.columns)
      columns.push_back({{"name", c.name}, {"type", c.duckType}});
    spec["tables"].push_back({{"name", table.name}, {"path", path.string()}, {"columns", columns}});
    fingerprint += text;
  }
  spec["queries"] = Json::array();
  for (const DifferentialQuery& q : queries())
    spec["queries"].push_back({{"name", q.name}, {"sql", q.duckdb.empty() ? q.glint : q.duckdb}});
  const std::string specText = spec.dump(1);
  fingerprint += specText;

  const fs::path cache =
      env.dataDir /
      ("duckdb_answers_" + std::to_string(std::hash<std::string>{}(fingerprint)) + ".json");
  std::string answerText = readFile(cache);
  if (answerText.empty()) {
    const fs::path specPath = env.dataDir / ("spec." + std::to_string(::getpid()) + ".json");
    writeFile(specPath, specText);
    const int status = runCommand(
        "node " + shellQuote(script.string()) + " " + shellQuote(specPath.string()), &answerText);
    fs::remove(specPath);
    if (status != 0) {
      env.setupError = "run_query.mjs exited with status " + std::to_string(status);
      return env;
    }
    const fs::path temporary = cache.string() + "." + std::to_string(::getpid());
    writeFile(temporary, answerText);
    fs::rename(temporary, cache);
    // Answers for earlier versions of the data or queries are of no further use.
    std::error_code ignoredError;
    for (const auto& entry : fs::directory_iterator(env.dataDir, ignoredError)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("duckdb_answers_", 0) == 0 && entry.path() != cache &&
          entry.path().extension() == ".json")
        fs::remove(entry.path(), ignoredError);
    }
  }
  Json answers = Json::parse(answerText, nullptr, false);
  if (answers.is_discarded() || !answers.contains("results")) {
    env.setupError = "run_query.mjs printed no JSON results: " + answerText.substr(0, 500);
    return env;
  }
  for (const Json& result : answers["results"]) {
    DuckAnswer answer;
    if (result.contains("error")) {
      answer.error = result["error"].get<std::string>();
    } else {
      for (const Json& t : result["types"]) answer.types.push_back(t.get<std::string>());
      for (const Json& row : result["rows"]) {
        Row values;
        for (const Json& v : row)
          values.push_back(v.is_null() ? std::nullopt : std::optional(v.get<std::string>()));
        answer.rows.push_back(std::move(values));
      }
    }
    env.answers[result["name"].get<std::string>()] = std::move(answer);
  }
  return env;
}

const Environment& environment() {
  static const Environment env = buildEnvironment();
  return env;
}

// One Glint session per runtime mode and test process, with every table declared.
SqlSession& glintSession(const std::string& mode, std::string* error) {
  static std::map<std::string, std::pair<std::unique_ptr<SqlSession>, std::string>> sessions;
  auto& [session, setupError] = sessions[mode];
  if (!session) {
    session = std::make_unique<SqlSession>();
    const Environment& env = environment();
    auto set = session->execute("SET 'execution.runtime-mode' = '" + mode + "'");
    if (!set.isOk()) setupError = "SET runtime-mode: " + set.status().message();
    for (const TableData& table : env.tables) {
      std::string ddl = "CREATE TABLE " + table.name + " (";
      for (size_t c = 0; c < table.columns.size(); ++c)
        ddl += (c ? ", " : "") + table.columns[c].name + " " + table.columns[c].glintType;
      if (!table.watermarkColumn.empty())
        ddl += ", WATERMARK FOR " + table.watermarkColumn + " AS " + table.watermarkColumn +
               " - INTERVAL '1' SECOND";
      ddl += ") WITH ('connector' = 'filesystem', 'path' = '" +
             (env.dataDir / (table.name + ".csv")).string() +
             "', 'format' = 'csv', 'csv.header' = 'false')";
      auto created = session->execute(ddl);
      if (!created.isOk() && setupError.empty())
        setupError = "CREATE TABLE " + table.name + ": " + created.status().message();
    }
  }
  *error = setupError;
  return *session;
}

class DuckDbDifferential : public ::testing::TestWithParam<DifferentialQuery> {};

// Queries Glint does not answer like DuckDB yet, with what is missing or wrong. Such a query
// still runs: while it fails, the test passes and prints the gap; once it matches DuckDB, the
// test prints that its entry can go. Keep this list short and current: it is the list of known
// SQL gaps found by these tests.
const std::map<std::string, std::string>& knownGaps() {
  static const std::map<std::string, std::string> gaps = {};
  return gaps;
}

// Why Glint's answer differs from DuckDB's, or "" when it does not.
std::string mismatchWithDuckDb(const DifferentialQuery& query, const DuckAnswer& answer,
                               SqlSession& session) {
  auto result = session.execute(query.glint);
  if (!result.isOk()) return "Glint failed:\n" + result.status().message();
  const ResultTable& table = result.value().table;
  if (table.columnNames.size() != answer.types.size())
    return "Glint returned " + std::to_string(table.columnNames.size()) + " columns (" +
           ::testing::PrintToString(table.columnNames) + "), DuckDB " +
           std::to_string(answer.types.size());
  std::vector<bool> approximate;
  for (size_t c = 0; c < table.columnTypes.size(); ++c)
    approximate.push_back(isApproximate(table.columnTypes[c]) || isApproximate(answer.types[c]));
  return compareRows(table.rows, answer.rows, approximate);
}

// Runs `query` in Glint in `mode` and compares with DuckDB's answer; a query listed in `gaps`
// may differ (the gap is printed), any other must match.
void checkAgainstDuckDb(const DifferentialQuery& query, const std::string& mode,
                        const std::map<std::string, std::string>& gaps) {
  const Environment& env = environment();
  if (!env.skipReason.empty()) GTEST_SKIP() << env.skipReason;
  ASSERT_TRUE(env.setupError.empty()) << env.setupError;
  auto answer = env.answers.find(query.name);
  ASSERT_NE(answer, env.answers.end()) << "DuckDB gave no answer for " << query.name;
  ASSERT_FALSE(answer->second.error.has_value())
      << "DuckDB rejected its form of the query (a mistake in this test):\n"
      << *answer->second.error;
  // An empty answer would compare equal to a Glint that returns nothing at all.
  ASSERT_FALSE(answer->second.rows.empty()) << "DuckDB returned no rows: the query tests nothing";

  std::string setupError;
  SqlSession& session = glintSession(mode, &setupError);
  ASSERT_TRUE(setupError.empty()) << setupError;
  const std::string mismatch = mismatchWithDuckDb(query, answer->second, session);
  auto gap = gaps.find(query.name);
  if (gap == gaps.end()) {
    EXPECT_TRUE(mismatch.empty()) << "[" << mode << " mode] " << query.glint << "\n" << mismatch;
  } else if (mismatch.empty()) {
    std::cout << "[ now ok   ] " << query.name << " matches DuckDB in " << mode
              << " mode: remove its known-gap entry\n";
  } else {
    std::cout << "[ known gap] " << query.name << " (" << mode << "): " << gap->second << '\n';
  }
}

TEST_P(DuckDbDifferential, SameRowsAsDuckDb) {
  checkAgainstDuckDb(GetParam(), "batch", knownGaps());
}

// The same queries in streaming mode over the same bounded tables: the final rows (changelog
// applied) must be the batch answer, which is DuckDB's.
const std::map<std::string, std::string>& knownStreamingGaps() {
  static const std::map<std::string, std::string> gaps = [] {
    std::map<std::string, std::string> all = knownGaps();
    // Flink semantics, not a gap: a streaming group aggregate emits only when rows arrive.
    all["AggregateOfEmptyInput"] = "Flink: a streaming global aggregate over no rows emits no row";
    all["OverLead"] = "Flink: LEAD and an OVER not ordered by time run in batch mode only";
    all["OverFollowing"] = "Flink: OVER frames that end after the current row are batch only";
    all["OverDistributions"] = "Flink: NTILE, PERCENT_RANK and CUME_DIST are batch only";
    return all;
  }();
  return gaps;
}

TEST_P(DuckDbDifferential, SameRowsInStreamingMode) {
  checkAgainstDuckDb(GetParam(), "streaming", knownStreamingGaps());
}

INSTANTIATE_TEST_SUITE_P(Queries, DuckDbDifferential, ::testing::ValuesIn(queries()),
                         [](const ::testing::TestParamInfo<DifferentialQuery>& info) {
                           return info.param.name;
                         });

TEST(DuckDbDifferentialComparison, MultisetsWithToleranceForDoubles) {
  const std::vector<bool> approximate = {false, true};
  std::vector<Row> a = {{"1", "0.30000000000000004"}, {"2", std::nullopt}, {"2", std::nullopt}};
  std::vector<Row> b = {{"2", std::nullopt}, {"1", "0.3"}, {"2", std::nullopt}};
  EXPECT_EQ(compareRows(a, b, approximate), "");
  // Multiplicity counts.
  std::vector<Row> c = {{"2", std::nullopt}, {"1", "0.3"}};
  EXPECT_EQ(compareRows(a, c, approximate),
            "Glint returned 3 rows, DuckDB 2\n  only in Glint (1):\n    [2, NULL]\n"
            "  only in DuckDB (0):\n");
  // Exact columns do not get a tolerance; NULL differs from the string "NULL".
  EXPECT_NE(compareRows({{"1.0", "1"}}, {{"1", "1"}}, approximate), "");
  EXPECT_NE(compareRows({{"NULL", "1"}}, {{std::nullopt, "1"}}, approximate), "");
  EXPECT_NE(compareRows({{"1", "1.0001"}}, {{"1", "1"}}, approximate), "");
  // Java-style exponents against JavaScript's.
  EXPECT_EQ(compareRows({{"1", "1.0E21"}}, {{"1", "1e+21"}}, approximate), "");
}

}  // namespace
}  // namespace glint::sql::differential
