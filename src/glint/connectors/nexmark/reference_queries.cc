#include "glint/connectors/nexmark/reference_queries.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <string_view>
#include <utility>

#include "glint/formats/csv_writer.h"

namespace glint::nexmark {
namespace {

// ---- small building blocks

inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct Key2 {
  int64_t a, b;
  bool operator==(const Key2&) const = default;
};

struct Hash {
  uint64_t operator()(int64_t k) const { return mix64(static_cast<uint64_t>(k)); }
  uint64_t operator()(const Key2& k) const {
    return mix64(static_cast<uint64_t>(k.a) * 0x9E3779B97F4A7C15ULL ^ static_cast<uint64_t>(k.b));
  }
};

// Open-addressing hash map with linear probing; values are default-constructed on insert.
template <class K, class V>
class FlatMap {
 public:
  explicit FlatMap(size_t capacity = 64) { init(roundUp(capacity)); }

  V& operator[](const K& key) {
    size_t i = Hash()(key) & mask_;
    while (used_[i]) {
      if (keys_[i] == key) return vals_[i];
      i = (i + 1) & mask_;
    }
    if ((size_ + 1) * 8 > keys_.size() * 5) {
      grow();
      return (*this)[key];
    }
    used_[i] = 1;
    keys_[i] = key;
    vals_[i] = V();
    ++size_;
    return vals_[i];
  }
  V* find(const K& key) {
    size_t i = Hash()(key) & mask_;
    while (used_[i]) {
      if (keys_[i] == key) return &vals_[i];
      i = (i + 1) & mask_;
    }
    return nullptr;
  }
  bool contains(const K& key) { return find(key) != nullptr; }
  size_t size() const { return size_; }
  template <class F>
  void forEach(F&& f) {
    for (size_t i = 0; i < keys_.size(); ++i)
      if (used_[i]) f(keys_[i], vals_[i]);
  }
  void clear() {
    if (size_ == 0) return;
    std::fill(used_.begin(), used_.end(), 0);
    size_ = 0;
  }

 private:
  static size_t roundUp(size_t n) {
    size_t c = 16;
    while (c < n) c <<= 1;
    return c;
  }
  void init(size_t cap) {
    keys_.assign(cap, K());
    vals_.assign(cap, V());
    used_.assign(cap, 0);
    mask_ = cap - 1;
    size_ = 0;
  }
  void grow() {
    std::vector<K> keys = std::move(keys_);
    std::vector<V> vals = std::move(vals_);
    std::vector<uint8_t> used = std::move(used_);
    init(keys.size() * 2);
    for (size_t i = 0; i < keys.size(); ++i)
      if (used[i]) (*this)[keys[i]] = std::move(vals[i]);
  }
  std::vector<K> keys_;
  std::vector<V> vals_;
  std::vector<uint8_t> used_;
  size_t mask_ = 0, size_ = 0;
};

// Strings kept for later output, as offsets into one buffer.
class Arena {
 public:
  struct Ref {
    uint32_t offset = 0, size = 0;
  };
  Ref add(std::string_view s) {
    Ref r{static_cast<uint32_t>(buf_.size()), static_cast<uint32_t>(s.size())};
    buf_.append(s);
    return r;
  }
  std::string_view get(Ref r) const { return std::string_view(buf_).substr(r.offset, r.size); }

 private:
  std::string buf_;
};

// One output row as a CSV line, formatted as appendCsvRow formats it.
class Line {
 public:
  Line& i64(int64_t v) {
    sep();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  Line& f64(double v) {
    sep();
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  Line& ts(int64_t millis) {
    sep();
    s_ += formatTimestamp(millis);
    return *this;
  }
  Line& str(std::string_view v) {
    sep();
    appendCsvField(s_, v);
    return *this;
  }
  std::string take() { return std::move(s_); }

 private:
  void sep() {
    if (!first_) s_.push_back(',');
    first_ = false;
  }
  std::string s_;
  bool first_ = true;
};

// ---- event sources: each calls f(view) for every event of one kind (order unspecified)

class GeneratorSource {
 public:
  GeneratorSource(const GeneratorConfig& config, int64_t numEvents)
      : config_(config), n_(numEvents) {}
  template <class F>
  void persons(F&& f) {
    Generator gen(config_);
    forKind(0, config_.personProportion, [&](int64_t i) { f(gen.person(i)); });
  }
  template <class F>
  void auctions(F&& f) {
    Generator gen(config_);
    forKind(config_.personProportion, config_.auctionProportion,
            [&](int64_t i) { f(gen.auction(i)); });
  }
  template <class F>
  void bids(F&& f) {
    Generator gen(config_);
    forKind(config_.personProportion + config_.auctionProportion, config_.bidProportion,
            [&](int64_t i) { f(gen.bid(i)); });
  }

 private:
  // Indices i < n whose offset within their epoch of totalProportion events is in [start,
  // start+len).
  template <class F>
  void forKind(int64_t start, int64_t len, F&& f) {
    const int64_t total = config_.totalProportion();
    for (int64_t base = 0; base < n_; base += total) {
      const int64_t end = std::min(base + start + len, n_);
      for (int64_t i = base + start; i < end; ++i) f(i);
    }
  }
  GeneratorConfig config_;
  int64_t n_;
};

class EventsSource {
 public:
  explicit EventsSource(const NexmarkEvents& events) : ev_(events) {}
  template <class F>
  void persons(F&& f) {
    for (const auto& p : ev_.persons) f(p.view());
  }
  template <class F>
  void auctions(F&& f) {
    for (const auto& a : ev_.auctions) f(a.view());
  }
  template <class F>
  void bids(F&& f) {
    for (const auto& b : ev_.bids) f(b.view());
  }

 private:
  const NexmarkEvents& ev_;
};

// ---- the queries

// q0: SELECT auction, bidder, price, dateTime, extra FROM bid
template <class Src>
LoopResult q0(Src& src, bool collect) {
  LoopResult res;
  src.bids([&](const BidView& b) {
    ++res.rows;
    if (collect)
      res.lines.push_back(
          Line().i64(b.auction).i64(b.bidder).i64(b.price).ts(b.dateTime).str(b.extra).take());
  });
  return res;
}

// q1: SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid (price as DOUBLE)
template <class Src>
LoopResult q1(Src& src, bool collect) {
  LoopResult res;
  src.bids([&](const BidView& b) {
    const double euros = 0.908 * static_cast<double>(b.price);
    ++res.rows;
    if (collect)
      res.lines.push_back(
          Line().i64(b.auction).i64(b.bidder).f64(euros).ts(b.dateTime).str(b.extra).take());
  });
  return res;
}

// q2: SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0
template <class Src>
LoopResult q2(Src& src, bool collect) {
  LoopResult res;
  src.bids([&](const BidView& b) {
    if (b.auction % 123 != 0) return;
    ++res.rows;
    if (collect) res.lines.push_back(Line().i64(b.auction).i64(b.price).take());
  });
  return res;
}

// q3: SELECT P.name, P.city, P.state, A.id FROM auction A INNER JOIN person P ON A.seller = P.id
//     WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')
template <class Src>
LoopResult q3(Src& src, bool collect) {
  struct P {
    Arena::Ref name, city, state;
    int32_t next;  // previous person with the same id, or -1
  };
  Arena arena;
  std::vector<P> persons;
  FlatMap<int64_t, int32_t> byId;  // id -> 1 + index of its last person
  src.persons([&](const PersonView& p) {
    if (p.state != "OR" && p.state != "ID" && p.state != "CA") return;
    int32_t& head = byId[p.id];
    P rec{};
    if (collect) rec = P{arena.add(p.name), arena.add(p.city), arena.add(p.state), 0};
    rec.next = head - 1;
    persons.push_back(rec);
    head = static_cast<int32_t>(persons.size());
  });
  LoopResult res;
  src.auctions([&](const AuctionView& a) {
    if (a.category != 10) return;
    const int32_t* head = byId.find(a.seller);
    if (!head) return;
    for (int32_t k = *head - 1; k >= 0; k = persons[k].next) {
      ++res.rows;
      if (collect) {
        const P& p = persons[k];
        res.lines.push_back(Line()
                                .str(arena.get(p.name))
                                .str(arena.get(p.city))
                                .str(arena.get(p.state))
                                .i64(a.id)
                                .take());
      }
    }
  });
  return res;
}

// q4: SELECT Q.category, AVG(Q.final) FROM (
//       SELECT MAX(B.price) AS final, A.category FROM auction A, bid B
//       WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
//       GROUP BY A.id, A.category) Q
//     GROUP BY Q.category
// AVG of a BIGINT is a BIGINT in Flink: sum / count, truncated toward zero. Auction ids are taken
// to be unique (as the generator makes them). When they are dense (the generator's are
// consecutive) auctions are looked up by position, so bids on recent auctions stay in cache.
template <class Src>
LoopResult q4(Src& src, bool collect) {
  struct A {
    int64_t dateTime = 0, expires = 0, category = 0, maxPrice = 0;
    bool present = false, hasBid = false;
  };
  std::vector<std::pair<int64_t, A>> list;
  src.auctions([&](const AuctionView& a) {
    list.push_back({a.id, A{a.dateTime, a.expires, a.category, 0, true, false}});
  });
  auto onBid = [](A* a, const BidView& b) {
    if (!a || b.dateTime < a->dateTime || b.dateTime > a->expires) return;
    if (!a->hasBid || b.price > a->maxPrice) a->maxPrice = b.price;
    a->hasBid = true;
  };
  std::map<int64_t, std::pair<int64_t, int64_t>> perCategory;  // sum, count
  auto finish = [&](const A& a) {
    if (!a.hasBid) return;
    auto& sc = perCategory[a.category];
    sc.first += a.maxPrice;
    sc.second += 1;
  };
  int64_t minId = INT64_MAX, maxId = INT64_MIN;
  for (const auto& [id, a] : list) {
    minId = std::min(minId, id);
    maxId = std::max(maxId, id);
  }
  const bool dense = !list.empty() && static_cast<uint64_t>(maxId - minId) < 2 * list.size() + 1024;
  if (dense) {
    std::vector<A> byPosition(static_cast<size_t>(maxId - minId) + 1);
    for (const auto& [id, a] : list) byPosition[id - minId] = a;
    list = {};
    src.bids([&](const BidView& b) {
      const uint64_t k = static_cast<uint64_t>(b.auction) - static_cast<uint64_t>(minId);
      onBid(k < byPosition.size() && byPosition[k].present ? &byPosition[k] : nullptr, b);
    });
    for (const A& a : byPosition) finish(a);
  } else {
    FlatMap<int64_t, A> byId(2 * list.size());
    for (const auto& [id, a] : list) byId[id] = a;
    list = {};
    src.bids([&](const BidView& b) { onBid(byId.find(b.auction), b); });
    byId.forEach([&](int64_t, A& a) { finish(a); });
  }
  LoopResult res;
  for (const auto& [category, sc] : perCategory) {
    ++res.rows;
    if (collect) res.lines.push_back(Line().i64(category).i64(sc.first / sc.second).take());
  }
  return res;
}

// q5: auctions with the most bids in each HOP window (size 10 s, slide 2 s):
//   SELECT AuctionBids.auction, AuctionBids.num FROM (count per auction and window) AuctionBids
//   JOIN (max count per window) MaxBids ON same window AND AuctionBids.num >= MaxBids.maxn
// Bids are counted per 2 s pane (one small map per pane, so the pane being filled stays in
// cache); a window is the sum of its 5 panes.
template <class Src>
LoopResult q5(Src& src, bool collect) {
  constexpr int64_t kSlide = 2000, kPanes = 5;
  using Counts = FlatMap<int64_t, int64_t>;
  std::vector<std::pair<int64_t, std::unique_ptr<Counts>>> panes;
  FlatMap<int64_t, int32_t> paneIndex;  // pane -> 1 + position in panes
  int64_t cachedPane = INT64_MIN;
  Counts* cached = nullptr;
  src.bids([&](const BidView& b) {
    const int64_t pane = floorDiv(b.dateTime, kSlide);
    if (pane != cachedPane) {
      int32_t& pos = paneIndex[pane];
      if (pos == 0) {
        panes.push_back({pane, std::make_unique<Counts>(256)});
        pos = static_cast<int32_t>(panes.size());
      }
      cachedPane = pane;
      cached = panes[pos - 1].second.get();
    }
    ++(*cached)[b.auction];
  });
  std::sort(panes.begin(), panes.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });

  // Every window holding a pane with bids: starts (in panes) w in [p - 4, p].
  std::vector<int64_t> windows;
  for (const auto& [pane, counts] : panes)
    for (int64_t w = pane - (kPanes - 1); w <= pane; ++w) windows.push_back(w);
  std::sort(windows.begin(), windows.end());
  windows.erase(std::unique(windows.begin(), windows.end()), windows.end());

  LoopResult res;
  Counts counts(1024);
  size_t firstPane = 0;  // first of `panes` with pane >= w
  for (int64_t w : windows) {
    while (panes[firstPane].first < w) ++firstPane;
    counts.clear();
    int64_t maxCount = 0;
    for (size_t k = firstPane; k < panes.size() && panes[k].first < w + kPanes; ++k) {
      panes[k].second->forEach([&](int64_t auction, int64_t c) {
        int64_t& sum = counts[auction];
        sum += c;
        maxCount = std::max(maxCount, sum);
      });
    }
    counts.forEach([&](int64_t auction, int64_t c) {
      if (c != maxCount) return;
      ++res.rows;
      if (collect) res.lines.push_back(Line().i64(auction).i64(c).take());
    });
  }
  return res;
}

// q7: SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B
//     JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime
//           FROM TUMBLE(bid, dateTime, 10 s) GROUP BY window_start, window_end) B1
//     ON B.price = B1.maxprice
//     WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime
// The range is inclusive at both ends, so a bid exactly at a window's end also matches that
// window. One pass: keep the bids that reached their window's running maximum, plus the bids on
// a window boundary; filter them at the end.
template <class Src>
LoopResult q7(Src& src, bool collect) {
  constexpr int64_t kSize = 10000;
  struct Cand {
    int64_t window, auction, price, bidder, dateTime;
    Arena::Ref extra;
  };
  FlatMap<int64_t, int64_t> maxPrice;  // window -> max price
  std::vector<Cand> candidates, boundary;
  Arena arena;
  int64_t cachedWindow = INT64_MIN;
  int64_t* cachedMax = nullptr;
  src.bids([&](const BidView& b) {
    const int64_t w = floorDiv(b.dateTime, kSize);
    if (w != cachedWindow) {
      const bool known = maxPrice.find(w) != nullptr;
      cachedMax = &maxPrice[w];
      if (!known) *cachedMax = INT64_MIN;
      cachedWindow = w;
    }
    const bool onBoundary = b.dateTime == w * kSize;
    if (b.price < *cachedMax && !onBoundary) return;
    Cand c{w, b.auction, b.price, b.bidder, b.dateTime, {}};
    if (collect) c.extra = arena.add(b.extra);
    if (onBoundary) boundary.push_back(c);  // may match window w - 1 (and w, checked below)
    if (b.price >= *cachedMax) {
      *cachedMax = b.price;
      candidates.push_back(c);
    }
    // maxPrice[w] may have grown the map: pointers stay valid until the next insertion, which
    // only happens on a window change, where the pointer is looked up again.
  });
  LoopResult res;
  auto emit = [&](const Cand& c) {
    ++res.rows;
    if (collect)
      res.lines.push_back(Line()
                              .i64(c.auction)
                              .i64(c.price)
                              .i64(c.bidder)
                              .ts(c.dateTime)
                              .str(arena.get(c.extra))
                              .take());
  };
  for (const Cand& c : candidates)
    if (c.price == *maxPrice.find(c.window)) emit(c);
  for (const Cand& c : boundary) {
    const int64_t* prev = maxPrice.find(c.window - 1);
    if (prev && c.price == *prev) emit(c);
  }
  return res;
}

// q8: SELECT P.id, P.name, P.starttime FROM
//       (SELECT id, name, window_start AS starttime, window_end AS endtime
//        FROM TUMBLE(person, dateTime, 10 s) GROUP BY id, name, window_start, window_end) P
//     JOIN (SELECT seller, window_start AS starttime, window_end AS endtime
//           FROM TUMBLE(auction, dateTime, 10 s) GROUP BY seller, window_start, window_end) A
//     ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime
template <class Src>
LoopResult q8(Src& src, bool collect) {
  constexpr int64_t kSize = 10000;
  struct P {
    int64_t id, window;
    Arena::Ref name;
  };
  Arena arena;
  std::vector<P> persons;
  src.persons([&](const PersonView& p) {
    persons.push_back({p.id, floorDiv(p.dateTime, kSize), arena.add(p.name)});
  });
  FlatMap<Key2, char> sellers(1024);  // (seller, window)
  src.auctions([&](const AuctionView& a) {
    sellers[Key2{a.seller, floorDiv(a.dateTime, kSize)}] = 1;
  });
  // GROUP BY id, name, window: distinct persons.
  std::sort(persons.begin(), persons.end(), [&](const P& x, const P& y) {
    if (x.id != y.id) return x.id < y.id;
    if (x.window != y.window) return x.window < y.window;
    return arena.get(x.name) < arena.get(y.name);
  });
  LoopResult res;
  for (size_t k = 0; k < persons.size(); ++k) {
    const P& p = persons[k];
    if (k > 0 && persons[k - 1].id == p.id && persons[k - 1].window == p.window &&
        arena.get(persons[k - 1].name) == arena.get(p.name))
      continue;
    if (!sellers.contains(Key2{p.id, p.window})) continue;
    ++res.rows;
    if (collect)
      res.lines.push_back(Line().i64(p.id).str(arena.get(p.name)).ts(p.window * kSize).take());
  }
  return res;
}

template <class Src>
LoopResult run(int query, Src& src, bool collect) {
  switch (query) {
    case 0:
      return q0(src, collect);
    case 1:
      return q1(src, collect);
    case 2:
      return q2(src, collect);
    case 3:
      return q3(src, collect);
    case 4:
      return q4(src, collect);
    case 5:
      return q5(src, collect);
    case 7:
      return q7(src, collect);
    case 8:
      return q8(src, collect);
    default:
      throw GlintError("no reference loop for Nexmark q" + std::to_string(query));
  }
}

}  // namespace

bool hasReferenceQuery(int query) {
  switch (query) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 7:
    case 8:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> referenceQueryColumns(int query) {
  switch (query) {
    case 0:
    case 1:
      return {"auction", "bidder", "price", "dateTime", "extra"};
    case 2:
      return {"auction", "price"};
    case 3:
      return {"name", "city", "state", "id"};
    case 4:
      return {"category", "average"};
    case 5:
      return {"auction", "num"};
    case 7:
      return {"auction", "price", "bidder", "dateTime", "extra"};
    case 8:
      return {"id", "name", "starttime"};
    default:
      return {};
  }
}

LoopResult runReferenceQuery(int query, const GeneratorConfig& config, int64_t numEvents,
                             bool collect) {
  GeneratorSource src(config, numEvents);
  return run(query, src, collect);
}

LoopResult runReferenceQueryOnEvents(int query, const NexmarkEvents& events, bool collect) {
  EventsSource src(events);
  return run(query, src, collect);
}

}  // namespace glint::nexmark
