#include "glint/connectors/nexmark/generator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace glint::nexmark {
namespace {

// ---- random numbers

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

inline uint64_t mix64(uint64_t z) {  // splitmix64's finalizer
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Seeds of the independent streams derived from the config's seed.
inline uint64_t streamSeed(uint64_t seed, uint64_t stream) {
  return mix64(mix64(seed ^ (stream * 0xD1B54A32D192ED03ULL)) + stream);
}
constexpr uint64_t kEventStream = 1, kTimeStream = 2, kChannelStream = 3, kHotUrlStream = 4;

// wyrand: one multiply per 64 random bits.
struct Rng {
  uint64_t s;
  uint64_t next() {
    s += 0xa0761d6478bd642fULL;
    __uint128_t t = static_cast<__uint128_t>(s) * (s ^ 0xe7037ed1a0b428dbULL);
    return static_cast<uint64_t>(t >> 64) ^ static_cast<uint64_t>(t);
  }
  // Uniform in [0, n) (n <= 0 gives 0), by multiply-shift.
  int64_t below(int64_t n) {
    if (n <= 0) return 0;
    return static_cast<int64_t>((static_cast<__uint128_t>(next()) * static_cast<uint64_t>(n)) >>
                                64);
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
};

// ---- model data (Nexmark's)

constexpr std::string_view kStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
constexpr std::string_view kCities[] = {"Phoenix",  "Los Angeles", "San Francisco", "Boise",
                                        "Portland", "Bend",        "Redmond",       "Seattle",
                                        "Kent",     "Cheyenne"};
constexpr std::string_view kFirstNames[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                            "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
constexpr std::string_view kLastNames[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                           "Walton", "Smith",  "Jones",   "Noris"};
constexpr std::string_view kHotChannels[] = {"Google", "Facebook", "Baidu", "Apple"};
constexpr int kHotChannelsRatio = 2;  // P(bid on a hot channel) = 1 - 1/2
constexpr int kMinStringLength = 3;

// 100 * 2^n, n = 0..20.
constexpr auto kPriceScale = [] {
  std::array<double, 21> t{};
  for (int n = 0; n < 21; ++n) t[n] = 100.0 * static_cast<double>(int64_t{1} << n);
  return t;
}();

// 2^(j/256), j = 0..255, by the exponential series at compile time (30 terms: exact to the last
// bit or so for arguments below ln 2; no libm, so the same on every platform).
constexpr auto kExp2Fraction = [] {
  std::array<double, 256> t{};
  for (int j = 0; j < 256; ++j) {
    const double x = j / 256.0 * 0.6931471805599453;
    double term = 1, sum = 1;
    for (int k = 1; k < 30; ++k) {
      term *= x / k;
      sum += term;
    }
    t[j] = sum;
  }
  return t;
}();

// Math.round(10^(6u) * 100): prices from 1.00 to 1,000,000.00, log-uniform. 10^(6u) = 2^z with
// z = 6u * log2(10) = n + j/256 + f: 2^n and 2^(j/256) from tables, 2^f (f < 1/256) from a
// cubic (relative error < 1e-11); a fraction of the cost of libm's pow.
inline int64_t nextPrice(Rng& r) {
  const double z256 = r.unit() * (19.931568569324174 * 256);  // 6 * log2(10) * 256
  const int k = static_cast<int>(z256);
  const double t = (z256 - k) * (0.6931471805599453 / 256);  // f * ln(2)
  const double e = 1 + t * (1 + t * (0.5 + t * (1 / 6.0)));
  return static_cast<int64_t>(e * kExp2Fraction[k & 255] * kPriceScale[k >> 8] + 0.5);
}

// 8 lowercase letters from 64 random bits: byte b -> 'a' + (b * 26 >> 8), two lanes at a time.
inline uint64_t lettersFrom(uint64_t r) {
  constexpr uint64_t m = 0x00ff00ff00ff00ffULL;
  const uint64_t even = (((r & m) * 26) >> 8) & m;
  const uint64_t odd = ((((r >> 8) & m) * 26) >> 8) & m;
  return (even | (odd << 8)) + 0x6161616161616161ULL;
}

// 0xff in the bytes of w whose low 7 bits are < 10 (probability 10/128 ~ 1/13), else 0.
inline uint64_t spaceMask(uint64_t w) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t y = w & ~kHigh;
  const uint64_t atLeast10 =
      ((y | kHigh) - 0x0a0a0a0a0a0a0a0aULL) & kHigh;  // no borrow crosses bytes
  return ((~atLeast10 & kHigh) >> 7) * 0xff;
}

inline uint32_t reverseBits(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
  return __builtin_bswap32(x);
}

// Writes n random letters at p (may write up to 15 bytes past p + n; the scratch has room). The
// letters are those of lettersFrom over consecutive random words.
inline void putLetters(char* p, Rng& r, int64_t n) {
#ifdef __SSE2__
  const __m128i lowBytes = _mm_set1_epi16(0x00ff),
                highBytes = _mm_set1_epi16(static_cast<short>(0xff00));
  const __m128i k26 = _mm_set1_epi16(26), a = _mm_set1_epi8('a');
  for (int64_t k = 0; k < n; k += 16) {
    const uint64_t w0 = r.next();
    const uint64_t w1 = r.next();
    const __m128i x = _mm_set_epi64x(static_cast<int64_t>(w1), static_cast<int64_t>(w0));
    const __m128i even = _mm_srli_epi16(_mm_mullo_epi16(_mm_and_si128(x, lowBytes), k26), 8);
    const __m128i odd = _mm_and_si128(_mm_mullo_epi16(_mm_srli_epi16(x, 8), k26), highBytes);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + k), _mm_add_epi8(_mm_or_si128(even, odd), a));
  }
#else
  for (int64_t k = 0; k < n; k += 8) {
    const uint64_t w = lettersFrom(r.next());
    std::memcpy(p + k, &w, 8);
  }
#endif
}

// Appends strings to the scratch buffer and hands out views of them.
struct Out {
  char* p;
  std::string_view put(std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    std::string_view v(p, s.size());
    p += s.size();
    return v;
  }
  // Nexmark's nextString(maxLength): 3 + rand(maxLength - 3) characters, each a space (or
  // `spaceChar`) with probability ~1/13, else a letter; spaces trimmed from the ends.
  std::string_view modelString(Rng& r, int maxLength, char spaceChar = ' ') {
    const int64_t len = kMinStringLength + r.below(maxLength - kMinStringLength);
    const uint64_t spaces = 0x0101010101010101ULL * static_cast<uint8_t>(spaceChar);
    for (int64_t k = 0; k < len; k += 8) {
      const uint64_t letters = lettersFrom(r.next());
      const uint64_t mask = spaceMask(r.next());
      const uint64_t w = (letters & ~mask) | (spaces & mask);
      std::memcpy(p + k, &w, 8);
    }
    int64_t b = 0, e = len;
    if (spaceChar == ' ') {  // trim, keeping the kept characters at p
      while (b < e && p[b] == ' ') ++b;
      while (e > b && p[e - 1] == ' ') --e;
      if (b > 0) std::memmove(p, p + b, static_cast<size_t>(e - b));
    }
    std::string_view v(p, static_cast<size_t>(e - b));
    p += e - b;
    return v;
  }
  // Nexmark's nextExtra: letters such that currentSize + length is on average `avgSize`
  // (uniform in [d - round(d/5), d + round(d/5)) with d = avgSize - currentSize).
  std::string_view extra(Rng& r, int64_t currentSize, int64_t avgSize) {
    if (currentSize > avgSize) return {};
    const int64_t desired = avgSize - currentSize;
    const int64_t delta = (2 * desired + 5) / 10;  // Math.round(desired * 0.2)
    const int64_t size = desired - delta + (delta == 0 ? 0 : r.below(2 * delta));
    putLetters(p, r, size);
    std::string_view v(p, static_cast<size_t>(size));
    p += size;
    return v;
  }
  void number(int64_t v) { p = std::to_chars(p, p + 24, v).ptr; }
  // v < 10000 as exactly 4 digits.
  void digits4(int64_t v) {
    p[0] = static_cast<char>('0' + v / 1000);
    p[1] = static_cast<char>('0' + v / 100 % 10);
    p[2] = static_cast<char>('0' + v / 10 % 10);
    p[3] = static_cast<char>('0' + v % 10);
    p += 4;
  }
};

// The random part of a url: three path segments of 3 or 4 characters, each a letter or, with
// probability ~1/13, '_' (Nexmark's nextString(5, '_')), each followed by '/'. Writes up to 16
// bytes at out.p.
void urlSegments(Out& out, Rng& r) {
  const uint64_t under = 0x5f5f5f5f5f5f5f5fULL;
  const uint64_t m1 = spaceMask(r.next()), m2 = spaceMask(r.next());
  const uint64_t w1 = (lettersFrom(r.next()) & ~m1) | (under & m1);
  const uint64_t w2 = (lettersFrom(r.next()) & ~m2) | (under & m2);
  const uint64_t lens = r.next();
  const uint32_t segs[3] = {static_cast<uint32_t>(w1), static_cast<uint32_t>(w1 >> 32),
                            static_cast<uint32_t>(w2)};
  for (int k = 0; k < 3; ++k) {
    std::memcpy(out.p, &segs[k], 4);  // 4 bytes written, 3 or 4 kept
    out.p += 3 + ((lens >> k) & 1);
    *out.p++ = '/';
  }
}

constexpr std::string_view kUrlPrefix = "https://www.nexmark.com/";
constexpr std::string_view kUrlSuffix = "item.htm?query=1";
constexpr std::string_view kChannelIdParam = "&channel_id=";

// "https://www.nexmark.com/xxx/xxx/xxx/item.htm?query=1".
void baseUrl(Out& out, Rng& r) {
  out.put(kUrlPrefix);
  urlSegments(out, r);
  out.put(kUrlSuffix);
}

inline int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The base-0 ids of the last person and auction generated at or before an event, from the
// event's epoch (index / totalProportion) and offset within it. Negative when none yet.
struct LastIds {
  int64_t person, auction;
};

inline LastIds lastIds(const GeneratorConfig& c, int64_t epoch, int64_t offset) {
  LastIds ids;
  ids.person = epoch * c.personProportion + std::min<int64_t>(offset, c.personProportion - 1);
  if (offset < c.personProportion) {
    ids.auction = epoch * c.auctionProportion - 1;  // the last auction of the previous epoch
  } else if (offset >= c.personProportion + c.auctionProportion) {
    ids.auction = epoch * c.auctionProportion + c.auctionProportion - 1;  // the last of this epoch
  } else {
    ids.auction = epoch * c.auctionProportion + offset - c.personProportion;  // this auction
  }
  return ids;
}

inline LastIds lastIdsAt(const GeneratorConfig& c, int64_t i) {
  const int64_t total = c.totalProportion();
  const int64_t epoch = floorDiv(i, total);
  return lastIds(c, epoch, i - epoch * total);
}

// A random person among the active ones, plus up to kPersonIdLead not yet generated.
inline int64_t nextBase0PersonId(const GeneratorConfig& c, int64_t lastPerson, Rng& r) {
  const int64_t numPeople = lastPerson + 1;
  const int64_t active = std::min(numPeople, c.numActivePeople);
  return numPeople - active + r.below(active + kPersonIdLead);
}

// A random auction among those likely still in flight, plus up to kAuctionIdLead ahead.
inline int64_t nextBase0AuctionId(const GeneratorConfig& c, int64_t lastAuction, Rng& r) {
  const int64_t minAuction = std::max<int64_t>(lastAuction - c.numInFlightAuctions, 0);
  return minAuction + r.below(lastAuction - minAuction + 1 + kAuctionIdLead);
}

inline uint64_t indexed(uint64_t streamSeed, int64_t i) {
  return mix64(streamSeed + static_cast<uint64_t>(i) * kGolden);
}

}  // namespace

// The variable parts of the non-hot channels' names and urls, a pure function of (seed, channel):
// bids assemble "channel-<name>" and "https://www.nexmark.com/<segs>item.htm?query=1[&channel_id=
// <id>]" from them with fixed-size copies. Built once per seed and kept for the process (as Flink's
// nexmark keeps its CHANNEL_URL_CACHE): 32 bytes per channel.
struct ChannelTable {
  struct Entry {
    char segs[15];
    uint8_t segsLen;
    char id[10];    // |Integer.reverse(n)| as a 64-bit value (so never negative)
    uint8_t idLen;  // 0: the url has no channel_id (1 channel in 10)
    char name[4];
    uint8_t nameLen;
  };
  static_assert(sizeof(Entry) == 32);
  std::vector<Entry> entries;

  explicit ChannelTable(uint64_t channelSeed) : entries(kNumChannels) {
    char buf[64];
    for (int n = 0; n < kNumChannels; ++n) {
      Entry& e = entries[n];
      Rng r{indexed(channelSeed, n)};
      Out out{buf};
      urlSegments(out, r);
      e.segsLen = static_cast<uint8_t>(out.p - buf);
      std::memcpy(e.segs, buf, e.segsLen);
      e.idLen = 0;
      if (r.below(10) > 0) {
        const int64_t rev = static_cast<int32_t>(reverseBits(static_cast<uint32_t>(n)));
        out.p = buf;
        out.number(rev < 0 ? -rev : rev);
        e.idLen = static_cast<uint8_t>(out.p - buf);
        std::memcpy(e.id, buf, e.idLen);
      }
      out.p = buf;
      out.number(n);
      e.nameLen = static_cast<uint8_t>(out.p - buf);
      std::memcpy(e.name, buf, e.nameLen);
    }
  }

  static const ChannelTable* forSeed(uint64_t channelSeed) {
    static std::mutex mu;
    static std::unordered_map<uint64_t, std::unique_ptr<ChannelTable>> tables;
    std::lock_guard<std::mutex> lock(mu);
    auto& t = tables[channelSeed];
    if (!t) t = std::make_unique<ChannelTable>(channelSeed);
    return t.get();
  }
};

EventKind eventKind(const GeneratorConfig& c, int64_t index) {
  const int64_t total = c.totalProportion();
  int64_t rem = index % total;
  if (rem < 0) rem += total;
  if (rem < c.personProportion) return EventKind::kPerson;
  if (rem < c.personProportion + c.auctionProportion) return EventKind::kAuction;
  return EventKind::kBid;
}

int64_t lastPersonIdAt(const GeneratorConfig& c, int64_t index) {
  return lastIdsAt(c, index).person + kFirstPersonId;
}

int64_t lastAuctionIdAt(const GeneratorConfig& c, int64_t index) {
  return lastIdsAt(c, index).auction + kFirstAuctionId;
}

int64_t countOfKind(const GeneratorConfig& c, EventKind kind, int64_t numEvents) {
  if (numEvents <= 0) return 0;
  const int64_t total = c.totalProportion();
  int64_t start = 0, prop = c.personProportion;
  if (kind == EventKind::kAuction) {
    start = c.personProportion;
    prop = c.auctionProportion;
  } else if (kind == EventKind::kBid) {
    start = c.personProportion + c.auctionProportion;
    prop = c.bidProportion;
  }
  const int64_t rem = numEvents % total;
  return numEvents / total * prop + std::clamp<int64_t>(rem - start, 0, prop);
}

int64_t nominalTimestamp(const GeneratorConfig& c, int64_t index) {
  const double x = static_cast<double>(index) * 1000.0 / c.eventsPerSecond;
  int64_t millis = static_cast<int64_t>(x);  // floor, without a libm call
  if (static_cast<double>(millis) > x) --millis;
  return c.baseTimeMillis + millis;
}

Generator::Generator(GeneratorConfig config) : config_(config), total_(config.totalProportion()) {
  GLINT_CHECK(config_.personProportion >= 1 && config_.auctionProportion >= 1 &&
              config_.bidProportion >= 0);
  GLINT_CHECK(config_.eventsPerSecond > 0);
  GLINT_CHECK(config_.maxOutOfOrderMillis >= 0);
  auctionHorizonEvents_ = config_.numInFlightAuctions * total_ / config_.auctionProportion;
  invTotal_ = 1.0 / total_;
  const int64_t maxAvg =
      std::max({config_.avgPersonBytes, config_.avgAuctionBytes, config_.avgBidBytes, 0});
  // Fixed-shape fields take < 512 bytes per event; an extra is at most 1.2 * its average.
  scratch_.resize(static_cast<size_t>(1024 + 2 * maxAvg));
  eventSeed_ = streamSeed(config_.seed, kEventStream);
  timeSeed_ = streamSeed(config_.seed, kTimeStream);
  channels_ = ChannelTable::forSeed(streamSeed(config_.seed, kChannelStream));
  const uint64_t hotSeed = streamSeed(config_.seed, kHotUrlStream);
  for (int k = 0; k < 4; ++k) {
    Rng r{indexed(hotSeed, k)};
    Out out{scratch_.data()};
    baseUrl(out, r);
    hotUrls_[k].assign(scratch_.data(), out.p);
  }
}

int64_t Generator::timestampOf(int64_t i) const {
  const int64_t nominal = nominalTimestamp(config_, i);
  if (config_.outOfOrderFraction <= 0) return nominal;
  // 24 high bits decide whether the event is late, 32 low bits by how much.
  const uint64_t h = indexed(timeSeed_, i);
  const double u = static_cast<double>(h >> 40) * 0x1p-24;
  if (u >= config_.outOfOrderFraction) return nominal;
  const uint64_t span = static_cast<uint64_t>(config_.maxOutOfOrderMillis) + 1;
  const int64_t delay =
      static_cast<int64_t>((static_cast<__uint128_t>(h & 0xffffffffULL) * span) >> 32);
  return std::max(nominal - delay, config_.baseTimeMillis);
}

namespace {
// lastIdsAt with i / total through a reciprocal (a 64-bit division costs more than the rest).
inline LastIds fastLastIds(const GeneratorConfig& c, int64_t total, double invTotal, int64_t i) {
  int64_t epoch = static_cast<int64_t>(static_cast<double>(i) * invTotal);
  int64_t offset = i - epoch * total;
  while (offset < 0) {
    --epoch;
    offset += total;
  }
  while (offset >= total) {
    ++epoch;
    offset -= total;
  }
  return lastIds(c, epoch, offset);
}
}  // namespace

PersonView Generator::person(int64_t i) {
  const GeneratorConfig& c = config_;
  Rng r{indexed(eventSeed_, i)};
  Out out{scratch_.data()};
  PersonView v;
  v.id = fastLastIds(c, total_, invTotal_, i).person + kFirstPersonId;
  {
    char* start = out.p;
    out.put(kFirstNames[r.below(std::size(kFirstNames))]);
    out.put(" ");
    out.put(kLastNames[r.below(std::size(kLastNames))]);
    v.name = std::string_view(start, static_cast<size_t>(out.p - start));
  }
  {
    // Email: nextString(7) "@" nextString(5) ".com".
    char* start = out.p;
    out.modelString(r, 7);
    out.put("@");
    out.modelString(r, 5);
    out.put(".com");
    v.emailAddress = std::string_view(start, static_cast<size_t>(out.p - start));
  }
  {
    // Four groups of 4 digits.
    char* start = out.p;
    for (int g = 0; g < 4; ++g) {
      if (g) *out.p++ = ' ';
      out.digits4(r.below(10000));
    }
    v.creditCard = std::string_view(start, static_cast<size_t>(out.p - start));
  }
  v.city = kCities[r.below(std::size(kCities))];
  v.state = kStates[r.below(std::size(kStates))];
  v.dateTime = timestampOf(i);
  const int64_t currentSize =
      8 + static_cast<int64_t>(v.name.size() + v.emailAddress.size() + v.creditCard.size() +
                               v.city.size() + v.state.size());
  v.extra = out.extra(r, currentSize, c.avgPersonBytes);
  return v;
}

AuctionView Generator::auction(int64_t i) {
  const GeneratorConfig& c = config_;
  Rng r{indexed(eventSeed_, i)};
  Out out{scratch_.data()};
  AuctionView v;
  const LastIds last = fastLastIds(c, total_, invTotal_, i);
  v.id = last.auction + kFirstAuctionId;
  int64_t seller;
  if (r.below(c.hotSellersRatio) > 0) {
    // A hot seller: the first person of the last group of kHotGroupSize people.
    seller = (last.person / kHotGroupSize) * kHotGroupSize;
  } else {
    seller = nextBase0PersonId(c, last.person, r);
  }
  v.seller = seller + kFirstPersonId;
  v.category = kFirstCategoryId + r.below(kNumCategories);
  v.initialBid = nextPrice(r);
  v.dateTime = timestampOf(i);
  // Auction length: uniform in [1, 2 * horizon], the horizon being the event time until
  // numInFlightAuctions more auctions have been generated (so ~numInFlightAuctions are open).
  const int64_t horizon = nominalTimestamp(c, i + auctionHorizonEvents_) - nominalTimestamp(c, i);
  v.expires = v.dateTime + 1 + r.below(std::max<int64_t>(horizon * 2, 1));
  v.itemName = out.modelString(r, 20);
  v.description = out.modelString(r, 100);
  v.reserve = v.initialBid + nextPrice(r);
  const int64_t currentSize =
      8 + static_cast<int64_t>(v.itemName.size() + v.description.size()) + 40;
  v.extra = out.extra(r, currentSize, c.avgAuctionBytes);
  return v;
}

BidView Generator::bid(int64_t i) {
  const GeneratorConfig& c = config_;
  Rng r{indexed(eventSeed_, i)};
  Out out{scratch_.data()};
  BidView v;
  const LastIds last = fastLastIds(c, total_, invTotal_, i);
  int64_t auction;
  if (r.below(c.hotAuctionRatio) > 0) {
    // A hot auction: the first of the last group of kHotGroupSize auctions.
    auction = (last.auction / kHotGroupSize) * kHotGroupSize;
  } else {
    auction = nextBase0AuctionId(c, last.auction, r);
  }
  v.auction = auction + kFirstAuctionId;
  int64_t bidder;
  if (r.below(c.hotBiddersRatio) > 0) {
    // A hot bidder: the second person of the last group (so hot bidders are not hot sellers).
    bidder = (last.person / kHotGroupSize) * kHotGroupSize + 1;
  } else {
    bidder = nextBase0PersonId(c, last.person, r);
  }
  v.bidder = bidder + kFirstPersonId;
  v.price = nextPrice(r);
  if (r.below(kHotChannelsRatio) > 0) {
    const int64_t k = r.below(std::size(kHotChannels));
    v.channel = kHotChannels[k];
    v.url = hotUrls_[k];
  } else {
    const ChannelTable::Entry& e = channels_->entries[r.below(kNumChannels)];
    char* p = out.p;
    std::memcpy(p, "channel-", 8);
    std::memcpy(p + 8, e.name, 4);
    v.channel = std::string_view(p, 8 + e.nameLen);
    p += 8 + e.nameLen;
    char* url = p;
    std::memcpy(p, kUrlPrefix.data(), kUrlPrefix.size());
    p += kUrlPrefix.size();
    std::memcpy(p, e.segs, 16);
    p += e.segsLen;
    std::memcpy(p, kUrlSuffix.data(), kUrlSuffix.size());
    p += kUrlSuffix.size();
    std::memcpy(p, kChannelIdParam.data(), kChannelIdParam.size());
    std::memcpy(p + kChannelIdParam.size(), e.id, 16);  // id, idLen and name: only idLen bytes kept
    p += e.idLen == 0 ? 0 : kChannelIdParam.size() + e.idLen;
    v.url = std::string_view(url, static_cast<size_t>(p - url));
    out.p = p;
  }
  v.dateTime = timestampOf(i);
  v.extra = out.extra(r, 32, c.avgBidBytes);
  return v;
}

// ---- columnar form

SchemaPtr personSchema() {
  static const SchemaPtr s = makeSchema({{"id", TypeId::kBigint},
                                         {"name", TypeId::kVarchar},
                                         {"emailAddress", TypeId::kVarchar},
                                         {"creditCard", TypeId::kVarchar},
                                         {"city", TypeId::kVarchar},
                                         {"state", TypeId::kVarchar},
                                         {"dateTime", TypeId::kTimestamp},
                                         {"extra", TypeId::kVarchar}});
  return s;
}

SchemaPtr auctionSchema() {
  static const SchemaPtr s = makeSchema({{"id", TypeId::kBigint},
                                         {"itemName", TypeId::kVarchar},
                                         {"description", TypeId::kVarchar},
                                         {"initialBid", TypeId::kBigint},
                                         {"reserve", TypeId::kBigint},
                                         {"dateTime", TypeId::kTimestamp},
                                         {"expires", TypeId::kTimestamp},
                                         {"seller", TypeId::kBigint},
                                         {"category", TypeId::kBigint},
                                         {"extra", TypeId::kVarchar}});
  return s;
}

SchemaPtr bidSchema() {
  static const SchemaPtr s = makeSchema({{"auction", TypeId::kBigint},
                                         {"bidder", TypeId::kBigint},
                                         {"price", TypeId::kBigint},
                                         {"channel", TypeId::kVarchar},
                                         {"url", TypeId::kVarchar},
                                         {"dateTime", TypeId::kTimestamp},
                                         {"extra", TypeId::kVarchar}});
  return s;
}

void appendPersonValues(const PersonView& p, Batch& batch) {
  Column* c = batch.mutableColumns().data();
  c[0].appendInt(p.id);
  c[1].appendString(p.name);
  c[2].appendString(p.emailAddress);
  c[3].appendString(p.creditCard);
  c[4].appendString(p.city);
  c[5].appendString(p.state);
  c[6].appendInt(p.dateTime);
  c[7].appendString(p.extra);
  batch.mutableTimestamps().push_back(p.dateTime);
}

void appendAuctionValues(const AuctionView& a, Batch& batch) {
  Column* c = batch.mutableColumns().data();
  c[0].appendInt(a.id);
  c[1].appendString(a.itemName);
  c[2].appendString(a.description);
  c[3].appendInt(a.initialBid);
  c[4].appendInt(a.reserve);
  c[5].appendInt(a.dateTime);
  c[6].appendInt(a.expires);
  c[7].appendInt(a.seller);
  c[8].appendInt(a.category);
  c[9].appendString(a.extra);
  batch.mutableTimestamps().push_back(a.dateTime);
}

void appendBidValues(const BidView& b, Batch& batch) {
  Column* c = batch.mutableColumns().data();
  c[0].appendInt(b.auction);
  c[1].appendInt(b.bidder);
  c[2].appendInt(b.price);
  c[3].appendString(b.channel);
  c[4].appendString(b.url);
  c[5].appendInt(b.dateTime);
  c[6].appendString(b.extra);
  batch.mutableTimestamps().push_back(b.dateTime);
}

void appendPerson(const PersonView& p, Batch& batch) {
  GLINT_CHECK_EQ(batch.numColumns(), 8u);
  appendPersonValues(p, batch);
  batch.setNumRows(batch.numRows() + 1);
}

void appendAuction(const AuctionView& a, Batch& batch) {
  GLINT_CHECK_EQ(batch.numColumns(), 10u);
  appendAuctionValues(a, batch);
  batch.setNumRows(batch.numRows() + 1);
}

void appendBid(const BidView& b, Batch& batch) {
  GLINT_CHECK_EQ(batch.numColumns(), 7u);
  appendBidValues(b, batch);
  batch.setNumRows(batch.numRows() + 1);
}

namespace {
// Makes room for `extra` more rows at once (growing at least geometrically, so repeated calls
// stay linear) instead of letting every column grow step by step from empty.
void reserveRows(Batch* b, int64_t extra) {
  if (!b || extra <= 0) return;
  const size_t need = b->numRows() + static_cast<size_t>(extra);
  std::vector<int64_t>& ts = b->mutableTimestamps();
  if (ts.capacity() >= need) return;
  const size_t target = std::max(need, 2 * ts.capacity());
  ts.reserve(target);
  b->reserve(target);
}
}  // namespace

int64_t generateInto(Generator& gen, int64_t begin, int64_t end, Batch* persons, Batch* auctions,
                     Batch* bids) {
  if (persons) GLINT_CHECK_EQ(persons->numColumns(), 8u);
  if (auctions) GLINT_CHECK_EQ(auctions->numColumns(), 10u);
  if (bids) GLINT_CHECK_EQ(bids->numColumns(), 7u);
  const GeneratorConfig& c = gen.config();
  if (begin >= 0 && end > begin) {
    reserveRows(persons, countOfKind(c, EventKind::kPerson, end) -
                             countOfKind(c, EventKind::kPerson, begin));
    reserveRows(auctions, countOfKind(c, EventKind::kAuction, end) -
                              countOfKind(c, EventKind::kAuction, begin));
    reserveRows(bids,
                countOfKind(c, EventKind::kBid, end) - countOfKind(c, EventKind::kBid, begin));
  }
  const int64_t total = c.totalProportion();
  const int64_t auctionStart = c.personProportion;
  const int64_t bidStart = c.personProportion + c.auctionProportion;
  int64_t rem = begin % total;
  if (rem < 0) rem += total;
  int64_t rows = 0;
  for (int64_t i = begin; i < end; ++i) {
    if (rem < auctionStart) {
      if (persons) {
        appendPersonValues(gen.person(i), *persons);
        ++rows;
      }
    } else if (rem < bidStart) {
      if (auctions) {
        appendAuctionValues(gen.auction(i), *auctions);
        ++rows;
      }
    } else if (bids) {
      appendBidValues(gen.bid(i), *bids);
      ++rows;
    }
    if (++rem == total) rem = 0;
  }
  for (Batch* b : {persons, auctions, bids})
    if (b) b->setNumRows(b->timestamps().size());
  return rows;
}

// ---- owned events

PersonEvent PersonEvent::from(const PersonView& v) {
  return {v.id,
          std::string(v.name),
          std::string(v.emailAddress),
          std::string(v.creditCard),
          std::string(v.city),
          std::string(v.state),
          v.dateTime,
          std::string(v.extra)};
}

PersonView PersonEvent::view() const {
  return {id, name, emailAddress, creditCard, city, state, dateTime, extra};
}

AuctionEvent AuctionEvent::from(const AuctionView& v) {
  return {v.id,
          std::string(v.itemName),
          std::string(v.description),
          v.initialBid,
          v.reserve,
          v.dateTime,
          v.expires,
          v.seller,
          v.category,
          std::string(v.extra)};
}

AuctionView AuctionEvent::view() const {
  return {id,       itemName, description, initialBid, reserve,
          dateTime, expires,  seller,      category,   extra};
}

BidEvent BidEvent::from(const BidView& v) {
  return {v.auction,
          v.bidder,
          v.price,
          std::string(v.channel),
          std::string(v.url),
          v.dateTime,
          std::string(v.extra)};
}

BidView BidEvent::view() const {
  return {auction, bidder, price, channel, url, dateTime, extra};
}

NexmarkEvents materializeEvents(const GeneratorConfig& config, int64_t begin, int64_t end) {
  Generator gen(config);
  NexmarkEvents ev;
  for (int64_t i = begin; i < end; ++i) {
    switch (gen.kindOf(i)) {
      case EventKind::kPerson:
        ev.persons.push_back(PersonEvent::from(gen.person(i)));
        break;
      case EventKind::kAuction:
        ev.auctions.push_back(AuctionEvent::from(gen.auction(i)));
        break;
      case EventKind::kBid:
        ev.bids.push_back(BidEvent::from(gen.bid(i)));
        break;
    }
  }
  return ev;
}

}  // namespace glint::nexmark
