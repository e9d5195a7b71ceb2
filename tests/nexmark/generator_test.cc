#include "glint/connectors/nexmark/generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "glint/connectors/nexmark/csv_files.h"
#include "glint/formats/csv_writer.h"

namespace glint::nexmark {
namespace {

// A canonical text of event i, whatever its kind.
std::string describe(Generator& g, int64_t i) {
  std::ostringstream os;
  switch (g.kindOf(i)) {
    case EventKind::kPerson: {
      PersonView p = g.person(i);
      os << "P|" << p.id << '|' << p.name << '|' << p.emailAddress << '|' << p.creditCard << '|'
         << p.city << '|' << p.state << '|' << p.dateTime << '|' << p.extra;
      break;
    }
    case EventKind::kAuction: {
      AuctionView a = g.auction(i);
      os << "A|" << a.id << '|' << a.itemName << '|' << a.description << '|' << a.initialBid << '|'
         << a.reserve << '|' << a.dateTime << '|' << a.expires << '|' << a.seller << '|'
         << a.category << '|' << a.extra;
      break;
    }
    case EventKind::kBid: {
      BidView b = g.bid(i);
      os << "B|" << b.auction << '|' << b.bidder << '|' << b.price << '|' << b.channel << '|'
         << b.url << '|' << b.dateTime << '|' << b.extra;
      break;
    }
  }
  return os.str();
}

TEST(NexmarkGeneratorTest, EventsArePureFunctionsOfConfigAndIndex) {
  GeneratorConfig cfg;
  Generator a(cfg), b(cfg);
  std::vector<std::string> forward;
  for (int64_t i = 0; i < 2000; ++i) forward.push_back(describe(a, i));
  // Backwards, and interleaved with unrelated indices, on another instance.
  for (int64_t i = 1999; i >= 0; --i) {
    describe(b, 123456789 + i);
    EXPECT_EQ(describe(b, i), forward[i]) << "index " << i;
  }
  // A generator started in the middle of the stream agrees as well.
  Generator c(cfg);
  for (int64_t i = 1000; i < 1100; ++i) EXPECT_EQ(describe(c, i), forward[i]);
  EXPECT_EQ(a.timestampOf(77), b.timestampOf(77));
}

TEST(NexmarkGeneratorTest, DifferentSeedsGiveDifferentStreams) {
  GeneratorConfig c1, c2;
  c2.seed = 43;
  Generator a(c1), b(c2);
  int same = 0;
  for (int64_t i = 0; i < 500; ++i) same += describe(a, i) == describe(b, i);
  EXPECT_LT(same, 5);
}

TEST(NexmarkGeneratorTest, ProportionsAreOnePersonThreeAuctionsFortySixBids) {
  GeneratorConfig cfg;
  Generator g(cfg);
  int64_t counts[3] = {0, 0, 0};
  for (int64_t i = 0; i < 50000; ++i) ++counts[static_cast<int>(g.kindOf(i))];
  EXPECT_EQ(counts[0], 1000);
  EXPECT_EQ(counts[1], 3000);
  EXPECT_EQ(counts[2], 46000);
  EXPECT_EQ(countOfKind(cfg, EventKind::kPerson, 50000), 1000);
  EXPECT_EQ(countOfKind(cfg, EventKind::kAuction, 50000), 3000);
  EXPECT_EQ(countOfKind(cfg, EventKind::kBid, 50000), 46000);
  // Partial epochs: events 0..4 are P A A A B.
  EXPECT_EQ(countOfKind(cfg, EventKind::kPerson, 5), 1);
  EXPECT_EQ(countOfKind(cfg, EventKind::kAuction, 5), 3);
  EXPECT_EQ(countOfKind(cfg, EventKind::kBid, 5), 1);
  EXPECT_EQ(countOfKind(cfg, EventKind::kAuction, 2), 1);
  // Other proportions generalise.
  GeneratorConfig other;
  other.personProportion = 2;
  other.auctionProportion = 2;
  other.bidProportion = 6;
  for (int64_t i = 0; i < 10; ++i)
    EXPECT_EQ(eventKind(other, i), i < 2   ? EventKind::kPerson
                                   : i < 4 ? EventKind::kAuction
                                           : EventKind::kBid);
}

TEST(NexmarkGeneratorTest, TimestampsAreNominalOrUpToThreeSecondsEarlier) {
  GeneratorConfig cfg;
  Generator g(cfg);
  int64_t delayed = 0, maxDelay = 0;
  const int64_t n = 50000;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t nominal = cfg.baseTimeMillis + i / 10;  // 10,000 events/s
    ASSERT_EQ(nominalTimestamp(cfg, i), nominal);
    const int64_t t = g.timestampOf(i);
    ASSERT_LE(t, nominal);
    ASSERT_GE(t, std::max(nominal - 3000, cfg.baseTimeMillis));
    if (t < nominal) ++delayed;
    maxDelay = std::max(maxDelay, nominal - t);
    int64_t eventTime = 0;
    switch (g.kindOf(i)) {
      case EventKind::kPerson:
        eventTime = g.person(i).dateTime;
        break;
      case EventKind::kAuction:
        eventTime = g.auction(i).dateTime;
        break;
      case EventKind::kBid:
        eventTime = g.bid(i).dateTime;
        break;
    }
    ASSERT_EQ(eventTime, t);
  }
  EXPECT_GT(delayed, n * 8 / 100);
  EXPECT_LT(delayed, n * 12 / 100);
  EXPECT_GT(maxDelay, 2900);
  // A non-integral rate: floor(i * 1000 / rate).
  GeneratorConfig odd;
  odd.eventsPerSecond = 3;
  EXPECT_EQ(nominalTimestamp(odd, 1), odd.baseTimeMillis + 333);
  EXPECT_EQ(nominalTimestamp(odd, 3), odd.baseTimeMillis + 1000);
  // No disorder when disabled.
  odd.outOfOrderFraction = 0;
  Generator h(odd);
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(h.timestampOf(i), nominalTimestamp(odd, i));
}

TEST(NexmarkGeneratorTest, IdsAndFieldsFollowTheModel) {
  GeneratorConfig cfg;
  Generator g(cfg);
  const std::set<std::string> states = {"AZ", "CA", "ID", "OR", "WA", "WY"};
  const std::set<std::string> cities = {"Phoenix",  "Los Angeles", "San Francisco", "Boise",
                                        "Portland", "Bend",        "Redmond",       "Seattle",
                                        "Kent",     "Cheyenne"};
  int64_t nextPerson = kFirstPersonId, nextAuction = kFirstAuctionId;
  int64_t bidBytes = 0, bids = 0, hotAuctionBids = 0, personBytes = 0, persons = 0,
          auctionBytes = 0, auctions = 0;
  std::set<int64_t> categories;
  std::set<std::string> channels;
  for (int64_t i = 0; i < 50000; ++i) {
    const int64_t lastPerson = lastPersonIdAt(cfg, i), lastAuction = lastAuctionIdAt(cfg, i);
    switch (g.kindOf(i)) {
      case EventKind::kPerson: {
        PersonView p = g.person(i);
        ASSERT_EQ(p.id, nextPerson++);
        ASSERT_EQ(p.id, lastPerson);
        ASSERT_TRUE(states.count(std::string(p.state))) << p.state;
        ASSERT_TRUE(cities.count(std::string(p.city))) << p.city;
        ASSERT_NE(p.name.find(' '), std::string_view::npos);
        ASSERT_NE(p.emailAddress.find('@'), std::string_view::npos);
        ASSERT_TRUE(p.emailAddress.ends_with(".com"));
        ASSERT_EQ(p.creditCard.size(), 19u);
        personBytes += 8 + p.name.size() + p.emailAddress.size() + p.creditCard.size() +
                       p.city.size() + p.state.size() + p.extra.size();
        ++persons;
        break;
      }
      case EventKind::kAuction: {
        AuctionView a = g.auction(i);
        ASSERT_EQ(a.id, nextAuction++);
        ASSERT_EQ(a.id, lastAuction);
        ASSERT_GE(a.category, 10);
        ASSERT_LE(a.category, 14);
        categories.insert(a.category);
        ASSERT_GE(a.seller, kFirstPersonId);
        ASSERT_LE(a.seller, lastPerson + kPersonIdLead);
        ASSERT_GT(a.expires, a.dateTime);
        ASSERT_GE(a.reserve, a.initialBid);
        ASSERT_GE(a.initialBid, 100);
        ASSERT_LE(a.initialBid, 100000000);
        ASSERT_LE(a.itemName.size(), 19u);
        ASSERT_LE(a.description.size(), 99u);
        auctionBytes += 8 + a.itemName.size() + a.description.size() + 40 + a.extra.size();
        ++auctions;
        break;
      }
      case EventKind::kBid: {
        BidView b = g.bid(i);
        ASSERT_GE(b.auction, kFirstAuctionId);
        ASSERT_LE(b.auction, lastAuction + kAuctionIdLead);
        ASSERT_GE(b.bidder, kFirstPersonId);
        ASSERT_LE(b.bidder, lastPerson + kPersonIdLead);
        ASSERT_GE(b.price, 100);
        ASSERT_LE(b.price, 100000000);
        ASSERT_TRUE(b.url.starts_with("https://www.nexmark.com/")) << b.url;
        if (b.auction == (lastAuction - kFirstAuctionId) / 100 * 100 + kFirstAuctionId)
          ++hotAuctionBids;
        channels.insert(std::string(b.channel));
        bidBytes += 32 + b.extra.size();
        ++bids;
        break;
      }
    }
  }
  EXPECT_EQ(categories.size(), 5u);
  EXPECT_TRUE(channels.count("Google") && channels.count("Facebook") && channels.count("Baidu") &&
              channels.count("Apple"));
  EXPECT_GT(channels.size(), 1000u);    // plus "channel-N" for N < 10,000
  EXPECT_GT(hotAuctionBids, bids / 2);  // hotAuctionRatio 2: half the bids go to the hot auction
  // Average sizes as configured.
  EXPECT_NEAR(static_cast<double>(bidBytes) / bids, 100, 3);
  EXPECT_NEAR(static_cast<double>(personBytes) / persons, 200, 6);
  EXPECT_NEAR(static_cast<double>(auctionBytes) / auctions, 500, 10);
}

TEST(NexmarkGeneratorTest, BatchHelpersAppendRowsWithTimestamps) {
  EXPECT_EQ(personSchema()->names(),
            (std::vector<std::string>{"id", "name", "emailAddress", "creditCard", "city", "state",
                                      "dateTime", "extra"}));
  EXPECT_EQ(auctionSchema()->names(),
            (std::vector<std::string>{"id", "itemName", "description", "initialBid", "reserve",
                                      "dateTime", "expires", "seller", "category", "extra"}));
  EXPECT_EQ(bidSchema()->names(), (std::vector<std::string>{"auction", "bidder", "price", "channel",
                                                            "url", "dateTime", "extra"}));
  EXPECT_EQ(bidSchema()->field(5).type, TypeId::kTimestamp);
  EXPECT_EQ(auctionSchema()->field(6).type, TypeId::kTimestamp);
  EXPECT_EQ(auctionSchema()->field(8).type, TypeId::kBigint);

  GeneratorConfig cfg;
  Generator g(cfg), g2(cfg);
  Batch persons(personSchema()), auctions(auctionSchema()), bids(bidSchema());
  for (int64_t i = 0; i < 500; ++i) {
    switch (g.kindOf(i)) {
      case EventKind::kPerson:
        appendPerson(g.person(i), persons);
        break;
      case EventKind::kAuction:
        appendAuction(g.auction(i), auctions);
        break;
      case EventKind::kBid:
        appendBid(g.bid(i), bids);
        break;
    }
  }
  ASSERT_EQ(persons.numRows(), 10u);
  ASSERT_EQ(auctions.numRows(), 30u);
  ASSERT_EQ(bids.numRows(), 460u);
  BidView b = g.bid(4);
  EXPECT_EQ(bids.column(0).getInt(0), b.auction);
  EXPECT_EQ(bids.column(4).getString(0), b.url);
  EXPECT_EQ(bids.column(6).getString(0), b.extra);
  EXPECT_EQ(bids.timestamp(0), b.dateTime);
  AuctionView a = g.auction(3);
  EXPECT_EQ(auctions.column(2).getString(2), a.description);
  EXPECT_EQ(auctions.column(6).getInt(2), a.expires);
  EXPECT_EQ(auctions.timestamp(2), a.dateTime);

  // generateInto over split ranges gives the same rows.
  Batch p2(personSchema()), a2(auctionSchema()), b2(bidSchema());
  EXPECT_EQ(generateInto(g2, 0, 137, &p2, &a2, &b2), 137);
  EXPECT_EQ(generateInto(g2, 137, 500, &p2, &a2, &b2), 363);
  EXPECT_EQ(p2.toString(), persons.toString());
  EXPECT_EQ(a2.toString(), auctions.toString());
  EXPECT_EQ(b2.toString(), bids.toString());
  EXPECT_EQ(b2.timestamps(), bids.timestamps());
  // Skipping kinds.
  Batch onlyBids(bidSchema());
  EXPECT_EQ(generateInto(g2, 0, 500, nullptr, nullptr, &onlyBids), 460);
  EXPECT_EQ(onlyBids.toString(), bids.toString());
}

std::vector<std::string> readLines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(NexmarkCsvTest, WritesOneFilePerKindWithHeaderAndFormattedRows) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("glint_nexmark_csv_" + std::to_string(::getpid())) / "sub";
  std::filesystem::remove_all(dir.parent_path());
  GeneratorConfig cfg;
  const int64_t n = 5000;
  Status st = writeNexmarkCsv(cfg, n, dir.string());
  ASSERT_TRUE(st.isOk()) << st.toString();

  auto persons = readLines(dir / "person.csv");
  auto auctions = readLines(dir / "auction.csv");
  auto bids = readLines(dir / "bid.csv");
  ASSERT_FALSE(persons.empty());
  EXPECT_EQ(persons[0], "id,name,emailAddress,creditCard,city,state,dateTime,extra");
  EXPECT_EQ(auctions[0],
            "id,itemName,description,initialBid,reserve,dateTime,expires,seller,category,extra");
  EXPECT_EQ(bids[0], "auction,bidder,price,channel,url,dateTime,extra");
  EXPECT_EQ(static_cast<int64_t>(persons.size()) - 1, countOfKind(cfg, EventKind::kPerson, n));
  EXPECT_EQ(static_cast<int64_t>(auctions.size()) - 1, countOfKind(cfg, EventKind::kAuction, n));
  EXPECT_EQ(static_cast<int64_t>(bids.size()) - 1, countOfKind(cfg, EventKind::kBid, n));

  // Rows are the generator's events in index order, formatted as appendCsvRow does.
  Generator g(cfg);
  auto expectRow = [](const Batch& b, const std::string& line) {
    std::string text;
    appendCsvRow(b, 0, text);
    text.pop_back();
    EXPECT_EQ(line, text);
  };
  for (int64_t k : {0, 1, 57, 99}) {
    Batch b(personSchema());
    appendPerson(g.person(k * 50), b);
    expectRow(b, persons[k + 1]);
  }
  for (int64_t k : {0, 2, 100, 299}) {
    Batch b(auctionSchema());
    appendAuction(g.auction(k / 3 * 50 + 1 + k % 3), b);
    expectRow(b, auctions[k + 1]);
  }
  for (int64_t k : {0, 45, 46, 4599}) {
    Batch b(bidSchema());
    appendBid(g.bid(k / 46 * 50 + 4 + k % 46), b);
    expectRow(b, bids[k + 1]);
  }
  // Timestamps as text: the first event is at the base time.
  EXPECT_NE(persons[1].find(",2015-07-15 00:00:00.000,"), std::string::npos) << persons[1];
  std::filesystem::remove_all(dir.parent_path());
}

TEST(NexmarkCsvTest, FieldsWithCommasAreQuoted) {
  PersonEvent p;
  p.id = 1001;
  p.name = "Smith, \"Jr\"";
  p.emailAddress = "a@b.com";
  p.creditCard = "0000 0000 0000 0000";
  p.city = "Bend";
  p.state = "OR";
  p.dateTime = 1436918400123;
  p.extra = "x";
  Batch b(personSchema());
  appendPerson(p.view(), b);
  std::string text;
  appendCsvRow(b, 0, text);
  EXPECT_EQ(
      text,
      "1001,\"Smith, \"\"Jr\"\"\",a@b.com,0000 0000 0000 0000,Bend,OR,2015-07-15 00:00:00.123,x\n");
}

TEST(NexmarkCsvTest, ErrorsNameThePath) {
  const auto file =
      std::filesystem::temp_directory_path() / ("glint_nexmark_file_" + std::to_string(::getpid()));
  { std::ofstream(file) << "x"; }
  Status st = writeNexmarkCsv(GeneratorConfig(), 10, (file / "dir").string());
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find((file / "dir").string()), std::string::npos) << st.toString();
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace glint::nexmark
