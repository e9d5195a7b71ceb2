#pragma once
// The Nexmark event generator: people register, open auctions and bid.
//
// The model (proportions, id spaces, hot sellers/bidders/auctions, auction lengths, prices, string
// shapes) follows the Nexmark model of Flink's nexmark suite (itself derived from Apache Beam's
// NexmarkGenerator). Event `i` is a pure function of (config, i): its random numbers come from a
// small PRNG seeded with hash(seed, i), so the stream is the same whatever the parallelism or the
// way index ranges are split between sources.
//
// Speed matters (the generator feeds the throughput benchmark): events are produced as views into
// a scratch buffer owned by the Generator; nothing is allocated per event.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "glint/types/batch.h"

namespace glint::nexmark {

struct GeneratorConfig {
  uint64_t seed = 42;
  int64_t baseTimeMillis = 1436918400000;  // 2015-07-15 00:00:00 UTC
  double eventsPerSecond = 10000;          // event-time spacing of the events
  int personProportion = 1, auctionProportion = 3, bidProportion = 46;
  int hotAuctionRatio = 2, hotSellersRatio = 4, hotBiddersRatio = 4;
  int64_t numInFlightAuctions = 100, numActivePeople = 1000;
  double outOfOrderFraction = 0.1;     // share of events whose timestamp is moved back
  int64_t maxOutOfOrderMillis = 3000;  // by uniform[0, maxOutOfOrderMillis]
  int avgPersonBytes = 200, avgAuctionBytes = 500, avgBidBytes = 100;

  int totalProportion() const { return personProportion + auctionProportion + bidProportion; }
};

// Model constants (Nexmark's).
inline constexpr int64_t kFirstPersonId = 1000;
inline constexpr int64_t kFirstAuctionId = 1000;
inline constexpr int64_t kFirstCategoryId = 10;
inline constexpr int kNumCategories = 5;
inline constexpr int64_t kPersonIdLead = 10;   // a bid/auction may name a person up to 10 ids ahead
inline constexpr int64_t kAuctionIdLead = 10;  // a bid may name an auction up to 10 ids ahead
inline constexpr int64_t kHotGroupSize = 100;  // hot ids are the first (second) of each 100 ids
inline constexpr int kNumChannels = 10000;

enum class EventKind { kPerson, kAuction, kBid };

EventKind eventKind(const GeneratorConfig& config, int64_t index);

// Ids as a function of the event index (ids include the kFirst*Id offset). For an event of that
// kind they are its own id; otherwise the id of the last one generated before it (a value below
// kFirst*Id when none was generated yet).
int64_t lastPersonIdAt(const GeneratorConfig& config, int64_t index);
int64_t lastAuctionIdAt(const GeneratorConfig& config, int64_t index);
// Number of events of each kind among events [0, numEvents).
int64_t countOfKind(const GeneratorConfig& config, EventKind kind, int64_t numEvents);
// Event time before any out-of-order delay: baseTimeMillis + floor(i * 1000 / eventsPerSecond).
int64_t nominalTimestamp(const GeneratorConfig& config, int64_t index);

struct PersonView {
  int64_t id;
  std::string_view name, emailAddress, creditCard, city, state;
  int64_t dateTime;
  std::string_view extra;
};

struct AuctionView {
  int64_t id;
  std::string_view itemName, description;
  int64_t initialBid, reserve, dateTime, expires, seller, category;
  std::string_view extra;
};

struct BidView {
  int64_t auction, bidder, price;
  std::string_view channel, url;
  int64_t dateTime;
  std::string_view extra;
};

struct ChannelTable;

class Generator {
 public:
  explicit Generator(GeneratorConfig config);

  const GeneratorConfig& config() const { return config_; }
  EventKind kindOf(int64_t i) const { return eventKind(config_, i); }
  // The event with index i; it must be of that kind. The views stay valid until the next call on
  // this Generator.
  PersonView person(int64_t i);
  AuctionView auction(int64_t i);
  BidView bid(int64_t i);
  // The event-time timestamp (dateTime) of event i, without generating the event.
  int64_t timestampOf(int64_t i) const;

 private:
  GeneratorConfig config_;
  int total_;
  double invTotal_;
  int64_t auctionHorizonEvents_;   // events until numInFlightAuctions more auctions are generated
  uint64_t eventSeed_, timeSeed_;  // per-stream seeds derived from config.seed
  const ChannelTable* channels_;   // shared, per seed, lives as long as the process
  std::vector<char> scratch_;
  std::string hotUrls_[4];
};

// ---- columnar form

SchemaPtr personSchema();  // id,name,emailAddress,creditCard,city,state,dateTime,extra
SchemaPtr
auctionSchema();  // id,itemName,description,initialBid,reserve,dateTime,expires,seller,category,extra
SchemaPtr bidSchema();  // auction,bidder,price,channel,url,dateTime,extra

// Append one row to a batch of the matching schema, with the row's event-time timestamp set to
// dateTime, and update the batch's row count.
void appendPerson(const PersonView& p, Batch& batch);
void appendAuction(const AuctionView& a, Batch& batch);
void appendBid(const BidView& b, Batch& batch);

// As above but leave the row count alone: after a run of these, declare the rows once with
// `batch.setNumRows(batch.timestamps().size())`.
void appendPersonValues(const PersonView& p, Batch& batch);
void appendAuctionValues(const AuctionView& a, Batch& batch);
void appendBidValues(const BidView& b, Batch& batch);

// Generates events [begin, end) into the batch of each event's kind (batches of the schemas above,
// appended to, row counts updated). A null batch skips that kind without generating its events.
// Returns the number of rows appended.
int64_t generateInto(Generator& gen, int64_t begin, int64_t end, Batch* persons, Batch* auctions,
                     Batch* bids);

// ---- owned events (for tests, reference loops over explicit inputs)

struct PersonEvent {
  int64_t id = 0;
  std::string name, emailAddress, creditCard, city, state;
  int64_t dateTime = 0;
  std::string extra;
  static PersonEvent from(const PersonView& v);
  PersonView view() const;
};

struct AuctionEvent {
  int64_t id = 0;
  std::string itemName, description;
  int64_t initialBid = 0, reserve = 0, dateTime = 0, expires = 0, seller = 0, category = 0;
  std::string extra;
  static AuctionEvent from(const AuctionView& v);
  AuctionView view() const;
};

struct BidEvent {
  int64_t auction = 0, bidder = 0, price = 0;
  std::string channel, url;
  int64_t dateTime = 0;
  std::string extra;
  static BidEvent from(const BidView& v);
  BidView view() const;
};

struct NexmarkEvents {
  std::vector<PersonEvent> persons;
  std::vector<AuctionEvent> auctions;
  std::vector<BidEvent> bids;
};

// Events [begin, end) of the generator, each kind in index order.
NexmarkEvents materializeEvents(const GeneratorConfig& config, int64_t begin, int64_t end);

}  // namespace glint::nexmark
