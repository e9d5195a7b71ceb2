#include "glint/connectors/nexmark/reference_queries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "glint/formats/csv_writer.h"

namespace glint::nexmark {
namespace {

// Output rows of the naive implementations, formatted by the CSV writer itself.
class Rows {
 public:
  explicit Rows(std::vector<Field> fields) : batch_(makeSchema(std::move(fields))) {}
  template <class... V>
  void emit(const V&... values) {
    RowWriter w(batch_);
    w.emit(values...);
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (size_t r = 0; r < batch_.numRows(); ++r) {
      std::string s;
      appendCsvRow(batch_, r, s);
      s.pop_back();
      out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  Batch batch_;
};

int64_t floorMod(int64_t a, int64_t b) {
  return ((a % b) + b) % b;
}

// ---- deliberately naive versions: nested loops and ordered containers

std::vector<std::string> naive(int q, const NexmarkEvents& ev) {
  const auto B = TypeId::kBigint;
  const auto S = TypeId::kVarchar;
  const auto T = TypeId::kTimestamp;
  switch (q) {
    case 0: {
      Rows out({{"auction", B}, {"bidder", B}, {"price", B}, {"dateTime", T}, {"extra", S}});
      for (const auto& b : ev.bids) out.emit(b.auction, b.bidder, b.price, b.dateTime, b.extra);
      return out.lines();
    }
    case 1: {
      Rows out({{"auction", B},
                {"bidder", B},
                {"price", TypeId::kDouble},
                {"dateTime", T},
                {"extra", S}});
      for (const auto& b : ev.bids)
        out.emit(b.auction, b.bidder, b.price * 0.908, b.dateTime, b.extra);
      return out.lines();
    }
    case 2: {
      Rows out({{"auction", B}, {"price", B}});
      for (const auto& b : ev.bids)
        if (b.auction % 123 == 0) out.emit(b.auction, b.price);
      return out.lines();
    }
    case 3: {
      Rows out({{"name", S}, {"city", S}, {"state", S}, {"id", B}});
      for (const auto& a : ev.auctions)
        for (const auto& p : ev.persons)
          if (a.seller == p.id && a.category == 10 &&
              (p.state == "OR" || p.state == "ID" || p.state == "CA"))
            out.emit(p.name, p.city, p.state, a.id);
      return out.lines();
    }
    case 4: {
      std::map<int64_t, std::vector<int64_t>> finals;
      for (const auto& a : ev.auctions) {
        bool any = false;
        int64_t best = 0;
        for (const auto& b : ev.bids) {
          if (b.auction != a.id || b.dateTime < a.dateTime || b.dateTime > a.expires) continue;
          best = any ? std::max(best, b.price) : b.price;
          any = true;
        }
        if (any) finals[a.category].push_back(best);
      }
      Rows out({{"category", B}, {"average", B}});
      for (const auto& [cat, v] : finals) {
        int64_t sum = 0;
        for (int64_t x : v) sum += x;
        out.emit(cat, sum / static_cast<int64_t>(v.size()));
      }
      return out.lines();
    }
    case 5: {
      std::map<int64_t, std::map<int64_t, int64_t>> windows;  // start -> auction -> count
      for (const auto& b : ev.bids) {
        const int64_t t = b.dateTime;
        for (int64_t start = t - floorMod(t, 2000); start > t - 10000; start -= 2000)
          ++windows[start][b.auction];
      }
      Rows out({{"auction", B}, {"num", B}});
      for (const auto& [start, counts] : windows) {
        int64_t mx = 0;
        for (const auto& [a, c] : counts) mx = std::max(mx, c);
        for (const auto& [a, c] : counts)
          if (c >= mx) out.emit(a, c);
      }
      return out.lines();
    }
    case 7: {
      std::map<int64_t, int64_t> maxPrice;  // window start -> max
      for (const auto& b : ev.bids) {
        const int64_t s = b.dateTime - floorMod(b.dateTime, 10000);
        auto it = maxPrice.find(s);
        if (it == maxPrice.end())
          maxPrice[s] = b.price;
        else
          it->second = std::max(it->second, b.price);
      }
      Rows out({{"auction", B}, {"price", B}, {"bidder", B}, {"dateTime", T}, {"extra", S}});
      for (const auto& [start, mx] : maxPrice) {
        const int64_t end = start + 10000;
        for (const auto& b : ev.bids)
          if (b.price == mx && b.dateTime >= end - 10000 && b.dateTime <= end)
            out.emit(b.auction, b.price, b.bidder, b.dateTime, b.extra);
      }
      return out.lines();
    }
    case 8: {
      std::set<std::tuple<int64_t, std::string, int64_t>> people;
      for (const auto& p : ev.persons)
        people.insert({p.id, p.name, p.dateTime - floorMod(p.dateTime, 10000)});
      std::set<std::pair<int64_t, int64_t>> sellers;
      for (const auto& a : ev.auctions)
        sellers.insert({a.seller, a.dateTime - floorMod(a.dateTime, 10000)});
      Rows out({{"id", B}, {"name", S}, {"starttime", T}});
      for (const auto& [id, name, start] : people)
        if (sellers.count({id, start})) out.emit(id, name, start);
      return out.lines();
    }
  }
  ADD_FAILURE() << "no naive q" << q;
  return {};
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const int kQueries[] = {0, 1, 2, 3, 4, 5, 7, 8};

void checkAgainstNaive(const GeneratorConfig& cfg, int64_t numEvents) {
  const NexmarkEvents ev = materializeEvents(cfg, 0, numEvents);
  for (int q : kQueries) {
    SCOPED_TRACE("q" + std::to_string(q));
    const LoopResult fast = runReferenceQuery(q, cfg, numEvents, /*collect=*/true);
    const std::vector<std::string> expected = naive(q, ev);
    EXPECT_GT(fast.rows, 0);
    EXPECT_EQ(fast.rows, static_cast<int64_t>(fast.lines.size()));
    const std::vector<std::string> got = sorted(fast.lines);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t k = 0; k < got.size(); ++k) ASSERT_EQ(got[k], expected[k]) << "row " << k;
    EXPECT_EQ(runReferenceQuery(q, cfg, numEvents, /*collect=*/false).rows, fast.rows);
    EXPECT_EQ(sorted(runReferenceQueryOnEvents(q, ev, true).lines), got);
  }
}

TEST(NexmarkReferenceTest, MatchesNaiveImplementationDefaultConfig) {
  checkAgainstNaive(GeneratorConfig(), 20000);
}

TEST(NexmarkReferenceTest, MatchesNaiveImplementationSlowRateManyWindows) {
  GeneratorConfig cfg;
  cfg.seed = 7;
  cfg.eventsPerSecond = 500;  // 40 s of event time: several tumbling and many sliding windows
  checkAgainstNaive(cfg, 20000);
}

TEST(NexmarkReferenceTest, MatchesNaiveImplementationHeavyDisorder) {
  GeneratorConfig cfg;
  cfg.seed = 99;
  cfg.eventsPerSecond = 2000;
  cfg.outOfOrderFraction = 0.5;
  checkAgainstNaive(cfg, 15000);
}

BidEvent bid(int64_t auction, int64_t price, int64_t t, std::string extra = "e") {
  BidEvent b;
  b.auction = auction;
  b.bidder = 7;
  b.price = price;
  b.channel = "Google";
  b.url = "u";
  b.dateTime = t;
  b.extra = std::move(extra);
  return b;
}

AuctionEvent auction(int64_t id, int64_t category, int64_t start, int64_t expires,
                     int64_t seller = 1) {
  AuctionEvent a;
  a.id = id;
  a.category = category;
  a.dateTime = start;
  a.expires = expires;
  a.seller = seller;
  return a;
}

PersonEvent person(int64_t id, std::string name, std::string state, int64_t t) {
  PersonEvent p;
  p.id = id;
  p.name = std::move(name);
  p.city = "Bend";
  p.state = std::move(state);
  p.dateTime = t;
  return p;
}

TEST(NexmarkReferenceTest, Q7WindowEndIsInclusive) {
  NexmarkEvents ev;
  ev.bids = {bid(1, 10, 5000, "a"), bid(2, 10, 10000, "b"), bid(3, 7, 12000, "c"),
             bid(4, 5, 20000, "d"), bid(5, 3, 9999, "e")};
  // Window [0,10000): max 10 -> bid a, and bid b at its end (10000). Window [10000,20000): max 10
  // -> bid b again. Window [20000,30000): bid d; d is at the end of [10000,20000) but below its
  // max.
  const LoopResult r = runReferenceQueryOnEvents(7, ev, true);
  EXPECT_EQ(sorted(r.lines),
            (std::vector<std::string>{
                "1,10,7,1970-01-01 00:00:05.000,a", "2,10,7,1970-01-01 00:00:10.000,b",
                "2,10,7,1970-01-01 00:00:10.000,b", "4,5,7,1970-01-01 00:00:20.000,d"}));
  EXPECT_EQ(sorted(r.lines), naive(7, ev));
}

TEST(NexmarkReferenceTest, Q4AveragesMaxPricesWithIntegerDivision) {
  NexmarkEvents ev;
  ev.auctions = {auction(1, 10, 0, 100), auction(2, 10, 50, 60), auction(3, 11, 0, 10),
                 auction(4, 11, 0, 10), auction(5, 12, 0, 10)};
  ev.bids = {bid(1, 3, 0),     bid(1, 5, 100),
             bid(1, 100, 101),                    // lifetime is inclusive at both ends
             bid(2, 8, 55),    bid(2, 1000, 49),  // before the auction starts: ignored
             bid(3, -7, 5),    bid(4, 0, 5),      // (-7 + 0) / 2 truncates to -3
             bid(5, 9, 11),    bid(6, 9, 5)};     // after expiry; unknown auction
  const LoopResult r = runReferenceQueryOnEvents(4, ev, true);
  EXPECT_EQ(sorted(r.lines), (std::vector<std::string>{"10,6", "11,-3"}));
  EXPECT_EQ(sorted(r.lines), naive(4, ev));
}

TEST(NexmarkReferenceTest, Q5CountsSlidingWindowsAndKeepsTies) {
  NexmarkEvents ev;
  ev.bids = {bid(1, 1, 0), bid(2, 1, 0), bid(2, 1, 9999), bid(1, 1, 10000)};
  const LoopResult r = runReferenceQueryOnEvents(5, ev, true);
  // Windows starting -8000..-2000: tie 1/1 (8 rows); 0: auction 2 with 2; 2000..8000: tie (8 rows);
  // 10000: auction 1.
  EXPECT_EQ(r.rows, 18);
  std::multiset<std::string> got(r.lines.begin(), r.lines.end());
  EXPECT_EQ(got.count("1,1"), 9u);
  EXPECT_EQ(got.count("2,1"), 8u);
  EXPECT_EQ(got.count("2,2"), 1u);
  EXPECT_EQ(sorted(r.lines), naive(5, ev));
}

TEST(NexmarkReferenceTest, Q3JoinsRegardlessOfOrderAndQuotesStrings) {
  NexmarkEvents ev;
  ev.auctions = {auction(100, 10, 0, 1, /*seller=*/5), auction(101, 11, 0, 1, 5),
                 auction(102, 10, 0, 1, 6), auction(103, 10, 0, 1, 5)};
  ev.persons = {person(5, "Smith, Jr.", "OR", 10), person(6, "Kate White", "WA", 10)};
  const LoopResult r = runReferenceQueryOnEvents(3, ev, true);
  EXPECT_EQ(sorted(r.lines),
            (std::vector<std::string>{"\"Smith, Jr.\",Bend,OR,100", "\"Smith, Jr.\",Bend,OR,103"}));
  EXPECT_EQ(sorted(r.lines), naive(3, ev));
}

TEST(NexmarkReferenceTest, Q8JoinsDistinctPeopleAndSellersPerWindow) {
  NexmarkEvents ev;
  ev.persons = {person(5, "Ann", "OR", 1000), person(5, "Ann", "OR", 2000),
                person(6, "Bob", "OR", 1000), person(7, "Cy", "OR", 15000)};
  ev.auctions = {auction(1, 10, 9999, 0, 5), auction(2, 10, 10000, 0, 6),
                 auction(3, 10, 19999, 0, 7), auction(4, 10, 12000, 0, 7)};
  const LoopResult r = runReferenceQueryOnEvents(8, ev, true);
  EXPECT_EQ(sorted(r.lines), (std::vector<std::string>{"5,Ann,1970-01-01 00:00:00.000",
                                                       "7,Cy,1970-01-01 00:00:10.000"}));
  EXPECT_EQ(sorted(r.lines), naive(8, ev));
}

TEST(NexmarkReferenceTest, Q1FormatsDoublesShortest) {
  NexmarkEvents ev;
  ev.bids = {bid(1, 1000, 0), bid(2, 1, 0), bid(3, 12345, 0)};
  const LoopResult r = runReferenceQueryOnEvents(1, ev, true);
  EXPECT_EQ(sorted(r.lines), naive(1, ev));
  EXPECT_EQ(sorted(r.lines)[0], "1,7,908,1970-01-01 00:00:00.000,e");
}

TEST(NexmarkReferenceTest, UnsupportedQueriesAreReported) {
  EXPECT_FALSE(hasReferenceQuery(6));
  EXPECT_TRUE(hasReferenceQuery(8));
  EXPECT_THROW(runReferenceQuery(6, GeneratorConfig(), 100, false), GlintError);
  EXPECT_EQ(referenceQueryColumns(3), (std::vector<std::string>{"name", "city", "state", "id"}));
}

}  // namespace
}  // namespace glint::nexmark
