// OVER aggregations: SQL in streaming and batch mode against a hand-written reference over
// generated rows with out-of-order timestamps and peers (rows of equal time), and the operator
// on its own: late rows, and a snapshot / restore in the middle of the input.
#include "glint/sql/operators/over_aggregate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include "glint/runtime/checkpoint/operator_snapshot.h"
#include "glint/sql/session.h"
#include "glint/state/state_snapshot.h"
#include "tests/support/operator_harness.h"

namespace glint::sql {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

struct Event {
  int64_t id;
  int k;
  std::optional<int64_t> v;
  int64_t ts;  // milliseconds since 2024-01-01 00:00:00
};

std::string timestampText(int64_t ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2024-01-01 %02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

// Rows in arrival order: time advances 50 ms a row, each row up to 1.5 s early (the watermark
// delay is 2 s, so none is late). `peers`: times on a 100 ms grid, so many rows share one.
std::vector<Event> generate(uint32_t seed, bool peers) {
  std::mt19937 rng(seed);
  std::vector<Event> out;
  std::set<int64_t> used;
  for (int64_t i = 0; i < 1500; ++i) {
    Event e;
    e.id = i;
    e.k = static_cast<int>(rng() % 4);
    if (rng() % 10 != 0) e.v = static_cast<int64_t>(rng() % 1000);
    const int64_t nominal = 60000 + i * 50;
    if (peers) {
      e.ts = (nominal - static_cast<int64_t>(rng() % 1500)) / 100 * 100;
    } else {
      do e.ts = nominal - static_cast<int64_t>(rng() % 1500);
      while (!used.insert(e.ts).second);
    }
    out.push_back(e);
  }
  return out;
}

void writeCsv(const std::filesystem::path& path, const std::vector<Event>& events) {
  std::ofstream f(path);
  for (const auto& e : events)
    f << e.id << ',' << e.k << ',' << (e.v ? std::to_string(*e.v) : "") << ','
      << timestampText(e.ts) << '\n';
}

// The frame of each row by the definitions: partition by k, order by ts (ties in arrival
// order), ROWS `preceding` rows before or RANGE `preceding` ms before (-1: unbounded; a RANGE
// frame holds all peers of the row). Columns: id, SUM, COUNT(v), COUNT(*), MIN, MAX, AVG.
Rows reference(const std::vector<Event>& events, bool rowsFrame, int64_t preceding,
               bool partitioned) {
  std::map<int, std::vector<Event>> partitions;
  for (const auto& e : events) partitions[partitioned ? e.k : 0].push_back(e);
  Rows out;
  for (auto& [key, rows] : partitions) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Event& a, const Event& b) { return a.ts < b.ts; });
    for (size_t i = 0; i < rows.size(); ++i) {
      auto inFrame = [&](size_t j) {
        if (rowsFrame) return j <= i && (preceding < 0 || i - j <= static_cast<size_t>(preceding));
        return rows[j].ts <= rows[i].ts && (preceding < 0 || rows[i].ts - rows[j].ts <= preceding);
      };
      int64_t sum = 0, count = 0, frameRows = 0, min = INT64_MAX, max = INT64_MIN;
      for (size_t j = 0; j < rows.size(); ++j) {
        if (!inFrame(j)) continue;
        ++frameRows;
        if (rows[j].v) {
          sum += *rows[j].v;
          ++count;
          min = std::min(min, *rows[j].v);
          max = std::max(max, *rows[j].v);
        }
      }
      auto orNull = [&](int64_t v) -> std::optional<std::string> {
        if (count == 0) return std::nullopt;
        return std::to_string(v);
      };
      out.push_back({std::to_string(rows[i].id), orNull(sum), std::to_string(count),
                     std::to_string(frameRows), orNull(min), orNull(max),
                     orNull(count ? sum / count : 0)});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class OverAggregateSql : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("glint_over_" + std::to_string(::getpid()) + "_" + GetParam());
    std::filesystem::create_directories(dir_);
    exec(std::string("SET 'execution.runtime-mode' = '") + GetParam() + "'");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void createTable(const std::string& name, const std::vector<Event>& events) {
    writeCsv(dir_ / (name + ".csv"), events);
    exec("CREATE TABLE " + name +
         " (id BIGINT, k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' "
         "SECOND) WITH ('connector' = 'filesystem', 'path' = '" +
         (dir_ / (name + ".csv")).string() + "', 'format' = 'csv')");
  }
  StatementResult exec(const std::string& sql) {
    auto r = session_.execute(sql);
    EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
    return r.isOk() ? std::move(r).value() : StatementResult{};
  }
  Rows query(const std::string& table, const std::string& window) {
    auto r = exec(
        "SELECT id, SUM(v) OVER w, COUNT(v) OVER w, COUNT(*) OVER w, MIN(v) OVER w, "
        "MAX(v) OVER w, AVG(v) OVER w FROM " +
        table + " WINDOW w AS (" + window + ")");
    Rows rows = r.table.rows;
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::filesystem::path dir_;
  SqlSession session_;
};

TEST_P(OverAggregateSql, MatchesReferenceOnOutOfOrderRows) {
  const auto unique = generate(11, false), peers = generate(12, true);
  createTable("uniq", unique);
  createTable("peers", peers);
  // ROWS frames need distinct times (ties would be in arrival order, which parallel readers
  // need not keep); RANGE frames are tested with many peers.
  EXPECT_EQ(query("uniq", "PARTITION BY k ORDER BY ts ROWS BETWEEN 4 PRECEDING AND CURRENT ROW"),
            reference(unique, true, 4, true));
  EXPECT_EQ(query("uniq", "ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"),
            reference(unique, true, -1, false));
  EXPECT_EQ(query("peers",
                  "PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND "
                  "CURRENT ROW"),
            reference(peers, false, 1000, true));
  EXPECT_EQ(query("peers", "PARTITION BY k ORDER BY ts"), reference(peers, false, -1, true));
  EXPECT_EQ(query("peers", "PARTITION BY k ORDER BY ts RANGE BETWEEN CURRENT ROW AND CURRENT ROW"),
            reference(peers, false, 0, true));
}

INSTANTIATE_TEST_SUITE_P(RuntimeModes, OverAggregateSql, ::testing::Values("streaming", "batch"));

// ---- The operator on its own ----------------------------------------------------------------

using testutil::makeBatch;
using testutil::OperatorHarness;
using testutil::TestRow;

SchemaPtr inputSchema() {
  // The time as BIGINT milliseconds (the storage of TIMESTAMP), so rows print as numbers.
  return makeSchema({{"k", TypeId::kBigint}, {"v", TypeId::kBigint}, {"ts", TypeId::kBigint}});
}

// SUM(v) and MAX(v) OVER (PARTITION BY k ORDER BY ts RANGE|ROWS BETWEEN preceding ...).
std::unique_ptr<OverAggregateOperator> makeOver(bool rowsFrame, int64_t preceding) {
  AggCall sum, max;
  sum.kind = AggKind::kSum;
  max.kind = AggKind::kMax;
  sum.argument = max.argument = 1;
  SchemaPtr out = makeSchema({{"k", TypeId::kBigint},
                              {"v", TypeId::kBigint},
                              {"ts", TypeId::kBigint},
                              {"s", TypeId::kBigint},
                              {"m", TypeId::kBigint}});
  return std::make_unique<OverAggregateOperator>(
      inputSchema(), std::vector<int>{0}, std::vector<SortKey>{{2, false, true}},
      std::vector<AggCall>{sum, max}, rowsFrame, preceding, /*finalOnly=*/false, out);
}

Batch rows(std::vector<std::array<int64_t, 3>> values) {
  std::vector<TestRow> test;
  for (const auto& v : values) test.push_back(TestRow{v[2], {v[0], v[1], v[2]}});
  return makeBatch(inputSchema(), test);
}

TEST(OverAggregateOperatorTest, WaitsForTheWatermarkAndDropsLateRows) {
  OperatorHarness h(makeOver(false, 10));
  h.open();
  // Out of order within a key; rows wait until the watermark passes their time.
  h.processBatch(0, rows({{1, 5, 20}, {1, 7, 10}, {1, 1, 20}, {2, 3, 15}}));
  EXPECT_TRUE(h.outputRows().empty());
  h.processWatermark(15);
  // Time 10 (key 1) and 15 (key 2) are complete.
  EXPECT_EQ(h.outputRowsWithTimestamps(),
            (std::vector<std::string>{"1, 7, 10, 7, 7 @10", "2, 3, 15, 3, 3 @15"}));
  h.clearOutput();
  // Time 12 is not after the watermark 15: late, dropped and counted (Flink's rule).
  h.processBatch(0, rows({{1, 100, 12}, {1, 2, 25}}));
  EXPECT_EQ(h.metrics().lateRecordsDropped.load(), 1);
  h.processWatermark(40);
  // Time 20: both peers see each other and row 10 (RANGE 10 ms); time 25 drops row 10.
  std::vector<std::string> got = h.outputRows();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got,
            (std::vector<std::string>{"1, 1, 20, 13, 7", "1, 2, 25, 8, 5", "1, 5, 20, 13, 7"}));
}

// Runs `steps` (a batch, then a watermark) through a ROWS and a RANGE operator, cut after
// `cut` steps by a snapshot restored into a new operator: the output must be an uninterrupted
// run's.
TEST(OverAggregateOperatorTest, RestoredOperatorContinuesItsFrames) {
  std::mt19937 rng(5);
  std::vector<std::pair<Batch, int64_t>> steps;
  int64_t time = 100;
  for (int s = 0; s < 30; ++s) {
    std::vector<std::array<int64_t, 3>> values;
    for (int r = 0; r < 8; ++r)
      values.push_back({static_cast<int64_t>(rng() % 3), static_cast<int64_t>(rng() % 50),
                        time + static_cast<int64_t>(rng() % 30)});
    steps.emplace_back(rows(values), time - 1);
    time += 20;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("glint_over_restore_" + std::to_string(::getpid()));
  for (bool rowsFrame : {true, false}) {
    const int64_t preceding = rowsFrame ? 3 : 45;
    OperatorHarness whole(makeOver(rowsFrame, preceding));
    whole.open();
    for (const auto& [batch, watermark] : steps) {
      whole.processBatch(0, batch);
      whole.processWatermark(watermark);
    }
    whole.processWatermark(kMaxTimestamp);
    std::vector<std::string> expected = whole.outputRows();
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(expected.size(), 240u);

    for (size_t cut : {size_t{7}, size_t{19}}) {
      SCOPED_TRACE("rows frame " + std::to_string(rowsFrame) + " cut " + std::to_string(cut));
      OperatorHarness before(makeOver(rowsFrame, preceding));
      before.open();
      for (size_t s = 0; s < cut; ++s) {
        before.processBatch(0, steps[s].first);
        before.processWatermark(steps[s].second);
      }
      std::filesystem::remove_all(dir);
      OperatorRestoreState restore = before.checkpointForRestore(dir, "over-0");
      OperatorHarness after(makeOver(rowsFrame, preceding));
      after.op().initializeState(std::move(restore));
      after.open();
      for (size_t s = cut; s < steps.size(); ++s) {
        after.processBatch(0, steps[s].first);
        after.processWatermark(steps[s].second);
      }
      after.processWatermark(kMaxTimestamp);
      std::vector<std::string> got = before.outputRows();
      for (auto& r : after.outputRows()) got.push_back(r);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected);
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace glint::sql

// ---- Nexmark q6 ----------------------------------------------------------------------------

namespace glint::sql {
namespace {

// queries/nexmark/q6.sql with fewer events: its DDL (with the batch-mode SET) in a session,
// and its INSERT's query in *query.
std::unique_ptr<SqlSession> q6Session(std::string* query) {
  auto path = std::filesystem::path(__FILE__).parent_path() / "../../../queries/nexmark/q6.sql";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  std::string script = text.str();
  const std::string events = "'events.num' = '10000000'";
  for (size_t p; (p = script.find(events)) != std::string::npos;)
    script.replace(p, events.size(), "'events.num' = '20000'");
  const std::string marker = "INSERT INTO nexmark_q6\n";
  const size_t at = script.find(marker);
  EXPECT_NE(at, std::string::npos);
  auto session = std::make_unique<SqlSession>();
  auto ddl = session->executeScript(script.substr(0, at));
  EXPECT_TRUE(ddl.isOk()) << ddl.status().message();
  *query = script.substr(at + marker.size());
  return session;
}

Rows selectRows(SqlSession& session, const std::string& sql) {
  auto r = session.execute(sql);
  EXPECT_TRUE(r.isOk()) << sql << "\n" << r.status().message();
  return r.isOk() ? r->table.rows : Rows{};
}

// The file's query against the same answer computed here from the plain auction and bid rows:
// each auction's highest bid within its lifetime, then per seller in closing-time order the
// average of the auction's and the 10 previous ones' (BIGINT AVG truncates, as Flink's);
// auctions closing at the same time in id order.
TEST(NexmarkQ6, BatchEqualsHandComputedAverages) {
  std::string query;
  auto session = q6Session(&query);
  struct Auction {
    int64_t id, seller;
    std::string start, expires;
  };
  std::vector<Auction> auctions;
  for (const auto& r : selectRows(*session, "SELECT id, seller, dateTime, expires FROM auction"))
    auctions.push_back({std::stoll(*r[0]), std::stoll(*r[1]), *r[2], *r[3]});
  std::map<int64_t, std::vector<std::pair<std::string, int64_t>>> bidsOf;  // time, price
  for (const auto& r : selectRows(*session, "SELECT auction, dateTime, price FROM bid"))
    bidsOf[std::stoll(*r[0])].push_back({*r[1], std::stoll(*r[2])});
  ASSERT_GT(auctions.size(), 100u);
  // Timestamps print as 'yyyy-MM-dd HH:mm:ss.SSS': as strings they compare as times.
  // seller -> (closing time, auction id, final price), in the window's order once sorted
  std::map<int64_t, std::vector<std::tuple<std::string, int64_t, int64_t>>> closed;
  for (const auto& a : auctions) {
    std::optional<int64_t> final;
    for (const auto& [time, price] : bidsOf[a.id])
      if (time >= a.start && time <= a.expires) final = std::max(final.value_or(price), price);
    if (final) closed[a.seller].emplace_back(a.expires, a.id, *final);
  }
  std::vector<std::string> expected;
  for (auto& [seller, list] : closed) {
    std::sort(list.begin(), list.end());
    for (size_t i = 0; i < list.size(); ++i) {
      int64_t sum = 0, n = 0;
      for (size_t j = i >= 10 ? i - 10 : 0; j <= i; ++j, ++n) sum += std::get<2>(list[j]);
      expected.push_back(std::to_string(seller) + "|" + std::to_string(sum / n));
    }
  }
  std::sort(expected.begin(), expected.end());
  ASSERT_GT(expected.size(), 50u);
  std::vector<std::string> got;
  for (const auto& r : selectRows(*session, query)) got.push_back(*r[0] + "|" + *r[1]);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);

  // Streaming mode: the OVER aggregation would read the GROUP BY's updates (Flink rejects it).
  ASSERT_TRUE(session->execute("SET 'execution.runtime-mode' = 'streaming'").isOk());
  auto streaming = session->execute(query);
  ASSERT_FALSE(streaming.isOk());
  EXPECT_NE(
      streaming.status().message().find("OVER aggregation over an updating input is not supported"),
      std::string::npos)
      << streaming.status().message();
}

}  // namespace
}  // namespace glint::sql
