#include "glint/connectors/nexmark/queries.h"

#include "glint/connectors/file/file_source.h"

namespace glint::nexmark {

namespace {

constexpr int64_t kWatermarkDelayMillis = 4000;

// Column positions in the event schemas (generator.h).
namespace bidcol {
constexpr int kAuction = 0, kBidder = 1, kPrice = 2, kDateTime = 5, kExtra = 6;
}
namespace auctioncol {
constexpr int kCategory = 8;
}
namespace personcol {
constexpr int kState = 5;
}

SchemaPtr schemaFor(int query) {
  switch (query) {
    case 0:
      return makeSchema({{"auction", TypeId::kBigint},
                         {"bidder", TypeId::kBigint},
                         {"price", TypeId::kBigint},
                         {"dateTime", TypeId::kTimestamp},
                         {"extra", TypeId::kVarchar}});
    case 1:
      return makeSchema({{"auction", TypeId::kBigint},
                         {"bidder", TypeId::kBigint},
                         {"price", TypeId::kDouble},
                         {"dateTime", TypeId::kTimestamp},
                         {"extra", TypeId::kVarchar}});
    case 2:
      return makeSchema({{"auction", TypeId::kBigint}, {"price", TypeId::kBigint}});
    case 3:
      return makeSchema({{"name", TypeId::kVarchar},
                         {"city", TypeId::kVarchar},
                         {"state", TypeId::kVarchar},
                         {"id", TypeId::kBigint}});
    case 4:
      return makeSchema({{"category", TypeId::kBigint}, {"average", TypeId::kBigint}});
    case 5:
      return makeSchema({{"auction", TypeId::kBigint}, {"num", TypeId::kBigint}});
    case 7:
      return makeSchema({{"auction", TypeId::kBigint},
                         {"price", TypeId::kBigint},
                         {"bidder", TypeId::kBigint},
                         {"dateTime", TypeId::kTimestamp},
                         {"extra", TypeId::kVarchar}});
    case 8:
      return makeSchema(
          {{"id", TypeId::kBigint}, {"name", TypeId::kVarchar}, {"starttime", TypeId::kTimestamp}});
  }
  return nullptr;
}

// ---- q3: incremental join of auctions (category 10) with their sellers (in OR, ID, CA).
// Inputs are projected before the exchange: auctions (id, seller), persons (id, name, city,
// state). Keyed by person id. A person is stored when seen; auctions that arrive before their
// seller wait in list state. Each (person, auction) pair is emitted once: append-only output.
class LocalItemSuggestion : public KeyedCoProcessFunction {
 public:
  struct Seller {
    std::string name, city, state;
    auto glintFields() { return std::tie(name, city, state); }  // state serialization
    auto glintFields() const { return std::tie(name, city, state); }
  };
  void open(KeyedStateBackend& state) override {
    seller_ = state.valueState<Seller>("seller");
    waitingAuctions_ = state.listState<int64_t>("waitingAuctions");
  }
  // input 1: auctions
  void processElement1(RowRef auction, ProcessContext&, RowWriter& out) override {
    if (auto s = seller_->value())
      out.emit(s->name, s->city, s->state, auction.getLong(0));
    else
      waitingAuctions_->add(auction.getLong(0));
  }
  // input 2: persons
  void processElement2(RowRef person, ProcessContext&, RowWriter& out) override {
    Seller s{std::string(person.getString(1)), std::string(person.getString(2)),
             std::string(person.getString(3))};
    for (int64_t id : waitingAuctions_->get()) out.emit(s.name, s.city, s.state, id);
    waitingAuctions_->clear();
    seller_->update(s);
  }

 private:
  ValueState<Seller>* seller_ = nullptr;
  ListState<int64_t>* waitingAuctions_ = nullptr;
};

// ---- q4 stage 1: the highest bid of each auction within its lifetime, keyed by auction id.
// Inputs are projected before the exchange: auctions (id, dateTime, expires, category), bids
// (auction, price, dateTime).
// Emits (category, final) as a changelog: +I for the first qualifying bid, then -U/+U each
// time the maximum rises (MAX over an append-only input only grows).
class AuctionClosingPrice : public KeyedCoProcessFunction {
 public:
  struct AuctionInfo {
    int64_t dateTime, expires, category;
  };
  struct PendingBid {
    int64_t dateTime, price;
  };
  void open(KeyedStateBackend& state) override {
    auction_ = state.valueState<AuctionInfo>("auction");
    max_ = state.valueState<int64_t>("max");
    pending_ = state.listState<PendingBid>("pendingBids");
  }
  // input 1: auctions
  void processElement1(RowRef a, ProcessContext&, RowWriter& out) override {
    AuctionInfo info{a.getLong(1), a.getLong(2), a.getLong(3)};
    auction_->update(info);
    std::optional<int64_t> best;
    for (const auto& b : pending_->get())
      if (b.dateTime >= info.dateTime && b.dateTime <= info.expires && (!best || b.price > *best))
        best = b.price;
    pending_->clear();
    if (best) offer(info, *best, out);
  }
  // input 2: bids
  void processElement2(RowRef b, ProcessContext&, RowWriter& out) override {
    const int64_t t = b.getLong(2), price = b.getLong(1);
    if (auto info = auction_->value()) {
      if (t >= info->dateTime && t <= info->expires) offer(*info, price, out);
    } else {
      pending_->add({t, price});
    }
  }

 private:
  void offer(const AuctionInfo& info, int64_t price, RowWriter& out) {
    auto current = max_->value();
    if (current && price <= *current) return;
    if (current) {
      out.setRowKind(RowKind::kUpdateBefore);
      out.emit(info.category, *current);
      out.setRowKind(RowKind::kUpdateAfter);
    } else {
      out.setRowKind(RowKind::kInsert);
    }
    out.emit(info.category, price);
    out.setRowKind(RowKind::kInsert);
    max_->update(price);
  }
  ValueState<AuctionInfo>* auction_ = nullptr;
  ValueState<int64_t>* max_ = nullptr;
  ListState<PendingBid>* pending_ = nullptr;
};

// ---- q4 stage 2: AVG(final) per category over a changelog, with Flink's BIGINT AVG
// (sum / count, truncated). Emits the new average as -U old / +U new (or +I the first time).
class CategoryAverage : public KeyedProcessFunction {
 public:
  struct SumCount {
    int64_t sum = 0, count = 0;
  };
  void open(KeyedStateBackend& state) override { acc_ = state.valueState<SumCount>("sumCount"); }
  void processElement(RowRef row, ProcessContext& ctx, RowWriter& out) override {
    SumCount before = acc_->value().value_or(SumCount{});
    SumCount after = before;
    if (isAccumulate(row.kind())) {
      after.sum += row.getLong(1);
      ++after.count;
    } else {
      after.sum -= row.getLong(1);
      --after.count;
    }
    const int64_t category = ctx.currentKey().getLong(0);
    if (before.count > 0) {
      if (after.count > 0 && after.sum / after.count == before.sum / before.count) {
        acc_->update(after);
        return;  // unchanged result: no output, as Flink's group aggregate
      }
      out.setRowKind(after.count > 0 ? RowKind::kUpdateBefore : RowKind::kDelete);
      out.emit(category, before.sum / before.count);
    }
    if (after.count > 0) {
      out.setRowKind(before.count > 0 ? RowKind::kUpdateAfter : RowKind::kInsert);
      out.emit(category, after.sum / after.count);
      acc_->update(after);
    } else {
      acc_->clear();
    }
    out.setRowKind(RowKind::kInsert);
  }

 private:
  ValueState<SumCount>* acc_ = nullptr;
};

// ---- q7: the highest bids of each 10 s tumbling window. Flink's SQL joins each bid B with the
// window maxima W where B.price = max(W) and W.end - 10 s <= B.dateTime <= W.end (inclusive),
// so a bid exactly at W.end (which belongs to the next window) also matches W. Keyed by
// nothing (one subtask sees all bids, as Flink's global window aggregate does).
class HighestBid : public KeyedProcessFunction {
 public:
  static constexpr int64_t kSize = 10000;
  void open(KeyedStateBackend& state) override {
    maxPrice_ = state.mapState<int64_t, int64_t>("maxPrice");
    leaders_ = state.mapState<int64_t, std::vector<std::string>>("leaders");
    boundary_ = state.mapState<int64_t, std::vector<std::string>>("boundaryBids");
  }
  void processElement(RowRef b, ProcessContext& ctx, RowWriter&) override {
    const int64_t t = b.getLong(bidcol::kDateTime), price = b.getLong(bidcol::kPrice);
    const int64_t start = t - ((t % kSize) + kSize) % kSize;
    // Most bids are below the window's maximum: they cost one lookup and no write.
    const std::optional<int64_t> max = maxPrice_->get(start);
    if (!max || price > *max) {
      maxPrice_->put(start, price);
      leaders_->put(start, {encode(b)});
      if (!max) ctx.registerEventTimeTimer(start + kSize);  // when all bids up to `end` are in
    } else if (price == *max) {
      auto rows = leaders_->get(start).value_or(std::vector<std::string>{});
      rows.push_back(encode(b));
      leaders_->put(start, rows);
    }
    // A bid at a window start may also match the previous window [start - 10 s, start).
    if (t == start) {
      auto list = boundary_->get(start).value_or(std::vector<std::string>{});
      list.push_back(encode(b));
      boundary_->put(start, list);
      ctx.registerEventTimeTimer(start);  // to drop it if that window has no bids
    }
  }
  void onTimer(int64_t timestamp, ProcessContext&, RowWriter& out) override {
    const int64_t start = timestamp - kSize;
    if (auto max = maxPrice_->get(start)) {
      for (const auto& r : leaders_->get(start).value_or(std::vector<std::string>{})) emit(r, out);
      if (auto edge = boundary_->get(timestamp))
        for (const auto& r : *edge)
          if (decodePrice(r) == *max) emit(r, out);
      maxPrice_->remove(start);
      leaders_->remove(start);
    }
    // Boundary bids at `timestamp` were needed by the window that ends there, which fired now
    // (or never existed); no other window needs them.
    boundary_->remove(timestamp);
  }

 private:
  // auction, price, bidder, dateTime as 4 int64, then extra.
  static std::string encode(RowRef b) {
    int64_t v[4] = {b.getLong(bidcol::kAuction), b.getLong(bidcol::kPrice),
                    b.getLong(bidcol::kBidder), b.getLong(bidcol::kDateTime)};
    std::string s(reinterpret_cast<const char*>(v), sizeof v);
    s.append(b.getString(bidcol::kExtra));
    return s;
  }
  static int64_t decodePrice(const std::string& s) {
    int64_t v[4];
    std::memcpy(v, s.data(), sizeof v);
    return v[1];
  }
  static void emit(const std::string& s, RowWriter& out) {
    int64_t v[4];
    std::memcpy(v, s.data(), sizeof v);
    out.emit(v[0], v[1], v[2], v[3], std::string_view(s).substr(sizeof v));
  }
  MapState<int64_t, int64_t>* maxPrice_ = nullptr;
  MapState<int64_t, std::vector<std::string>>* leaders_ = nullptr;
  MapState<int64_t, std::vector<std::string>>* boundary_ = nullptr;
};

// ---- q5 stage 2: per window (keyed by its end), the auctions with the most bids. The counts
// of a window all carry the timestamp end - 1, so they are all in when the watermark reaches
// it and the timer fires.
class HottestAuctions : public KeyedProcessFunction {
 public:
  struct Leaders {
    int64_t max = -1;
    std::vector<int64_t> auctions;
    auto glintFields() { return std::tie(max, auctions); }  // state serialization
    auto glintFields() const { return std::tie(max, auctions); }
  };
  void open(KeyedStateBackend& state) override { leaders_ = state.valueState<Leaders>("leaders"); }
  void processElement(RowRef row, ProcessContext& ctx, RowWriter&) override {
    Leaders l = leaders_->value().value_or(Leaders{});
    const int64_t num = row.getLong(1);
    if (num > l.max) {
      l.max = num;
      l.auctions.clear();
    }
    if (num == l.max) l.auctions.push_back(row.getLong(0));
    leaders_->update(l);
    ctx.registerEventTimeTimer(row.timestamp());
  }
  void onTimer(int64_t, ProcessContext&, RowWriter& out) override {
    if (auto l = leaders_->value())
      for (int64_t auction : l->auctions) out.emit(auction, l->max);
    leaders_->clear();
  }

 private:
  ValueState<Leaders>* leaders_ = nullptr;
};

// A constant key column, to key a stream by "nothing" (one group).
DataStream withConstantKey(DataStream s) {
  std::vector<Field> fields = s.schema()->fields();
  fields.push_back({"__all", TypeId::kBigint, false});
  SchemaPtr out = makeSchema(fields);
  return s.mapBatch(
      out,
      [out](Batch&& in) {
        Batch b(out);
        auto& cols = b.mutableColumns();
        for (size_t c = 0; c < in.numColumns(); ++c) cols[c] = std::move(in.mutableColumn(c));
        cols.back().mutableInts().assign(in.numRows(), 0);
        b.mutableTimestamps() = std::move(in.mutableTimestamps());
        b.setSourceNanos(in.sourceNanos());
        b.setNumRows(in.numRows());
        return b;
      },
      "AddConstantKey");
}

}  // namespace

const std::vector<int>& supportedQueries() {
  static const std::vector<int> queries{0, 1, 2, 3, 4, 5, 7, 8};
  return queries;
}

std::vector<EventKind> queryInputs(int query) {
  switch (query) {
    case 3:
      return {EventKind::kAuction, EventKind::kPerson};
    case 4:
      return {EventKind::kBid, EventKind::kAuction};
    case 8:
      return {EventKind::kPerson, EventKind::kAuction};
    default:
      return {EventKind::kBid};
  }
}

bool isUpdatingQuery(int query) {
  return query == 4;
}

SchemaPtr queryOutputSchema(int query) {
  return schemaFor(query);
}

NexmarkStreams generatorStreams(StreamExecutionEnvironment& env, int query,
                                NexmarkSourceOptions options) {
  auto inputs = queryInputs(query);
  options.primary = inputs[0];
  options.kinds = std::set<EventKind>(inputs.begin(), inputs.end());
  options.watermarkDelayMillis = kWatermarkDelayMillis;
  SchemaPtr primarySchema = options.primary == EventKind::kBid       ? bidSchema()
                            : options.primary == EventKind::kAuction ? auctionSchema()
                                                                     : personSchema();
  DataStream source = env.fromSource("NexmarkSource", primarySchema, [options] {
    return std::make_unique<NexmarkSource>(options);
  });
  NexmarkStreams streams;
  for (EventKind kind : inputs) {
    DataStream s =
        kind == options.primary
            ? source
            : source.getSideOutput(OutputTag{std::string(eventKindName(kind)),
                                             kind == EventKind::kBid       ? bidSchema()
                                             : kind == EventKind::kAuction ? auctionSchema()
                                                                           : personSchema()});
    if (kind == EventKind::kPerson) streams.person = s;
    if (kind == EventKind::kAuction) streams.auction = s;
    if (kind == EventKind::kBid) streams.bid = s;
  }
  return streams;
}

Result<NexmarkStreams> fileStreams(StreamExecutionEnvironment& env, int query,
                                   const std::string& dir) {
  NexmarkStreams streams;
  for (EventKind kind : queryInputs(query)) {
    const std::string name(eventKindName(kind));
    const std::string path = dir + "/" + name + ".csv";
    auto files = listInputFiles(path);
    if (!files.isOk()) return files.status();
    SchemaPtr schema = kind == EventKind::kBid       ? bidSchema()
                       : kind == EventKind::kAuction ? auctionSchema()
                                                     : personSchema();
    FileSourceOptions options;
    options.path = path;
    options.format = "csv";
    DataStream s = env.fromSource(
        "FileSource(" + name + ".csv)", schema,
        [options, schema] { return std::make_unique<FileSource>(options, schema); },
        WatermarkStrategy::forBoundedOutOfOrderness(kWatermarkDelayMillis)
            .withTimestampColumn("dateTime"));
    if (kind == EventKind::kPerson) streams.person = s;
    if (kind == EventKind::kAuction) streams.auction = s;
    if (kind == EventKind::kBid) streams.bid = s;
  }
  return streams;
}

Result<DataStream> buildQuery(int query, const NexmarkStreams& streams) {
  SchemaPtr out = schemaFor(query);
  auto need = [&](const std::optional<DataStream>& s, const char* what) -> const DataStream& {
    if (!s) throw GlintError(std::string("query needs the ") + what + " stream");
    return *s;
  };
  switch (query) {
    case 0: {
      DataStream bid = need(streams.bid, "bid");
      return bid.project({"auction", "bidder", "price", "dateTime", "extra"}, "q0");
    }
    case 1: {
      // Vectorised: the untouched columns move over, the price column is one tight loop.
      DataStream bid = need(streams.bid, "bid");
      return bid.mapBatch(
          out,
          [out](Batch&& in) {
            Batch b(out);
            auto& cols = b.mutableColumns();
            cols[0] = std::move(in.mutableColumn(bidcol::kAuction));
            cols[1] = std::move(in.mutableColumn(bidcol::kBidder));
            const Column& priceColumn = in.column(bidcol::kPrice);
            const auto& price = priceColumn.ints();
            if (priceColumn.hasNulls()) {
              for (size_t i = 0; i < price.size(); ++i) {
                if (priceColumn.isNull(i))
                  cols[2].appendNull();
                else
                  cols[2].appendDouble(0.908 * static_cast<double>(price[i]));
              }
            } else {
              auto& euros = cols[2].mutableDoubles();
              euros.resize(price.size());
              for (size_t i = 0; i < price.size(); ++i)
                euros[i] = 0.908 * static_cast<double>(price[i]);
            }
            cols[3] = std::move(in.mutableColumn(bidcol::kDateTime));
            cols[4] = std::move(in.mutableColumn(bidcol::kExtra));
            b.mutableTimestamps() = std::move(in.mutableTimestamps());
            b.setSourceNanos(in.sourceNanos());
            b.setNumRows(in.numRows());
            return b;
          },
          "q1");
    }
    case 2: {
      DataStream bid = need(streams.bid, "bid");
      return bid
          .filter([](RowRef b) { return b.getLong(bidcol::kAuction) % 123 == 0; }, "q2 filter")
          .project({"auction", "price"}, "q2");
    }
    case 3: {
      DataStream auction = need(streams.auction, "auction");
      DataStream person = need(streams.person, "person");
      auto auctions = auction
                          .filter([](RowRef a) { return a.getLong(auctioncol::kCategory) == 10; },
                                  "category = 10")
                          .project({"id", "seller"});
      auto persons = person
                         .filter(
                             [](RowRef p) {
                               auto s = p.getString(personcol::kState);
                               return s == "OR" || s == "ID" || s == "CA";
                             },
                             "state in (OR, ID, CA)")
                         .project({"id", "name", "city", "state"});
      return auctions.keyBy({"seller"})
          .coProcess(persons.keyBy({"id"}), out, LocalItemSuggestion(), "q3 join");
    }
    case 4: {
      DataStream auction = need(streams.auction, "auction");
      DataStream bid = need(streams.bid, "bid");
      auto finals =
          auction.project({"id", "dateTime", "expires", "category"})
              .keyBy({"id"})
              .coProcess(bid.project({"auction", "price", "dateTime"}).keyBy({"auction"}),
                         makeSchema({{"category", TypeId::kBigint}, {"final", TypeId::kBigint}}),
                         AuctionClosingPrice(), "q4 max price per auction");
      return finals.keyBy({"category"}).process(out, CategoryAverage(), "q4 avg per category");
    }
    case 5: {
      // Bids per auction in sliding windows of 10 s every 2 s, then the top auctions per window.
      DataStream bid = need(streams.bid, "bid");
      auto counts = bid.project({"auction", "dateTime"})
                        .keyBy({"auction"})
                        .window(WindowAssigner::sliding(10'000, 2'000))
                        .aggregate(
                            makeSchema({{"auction", TypeId::kBigint},
                                        {"num", TypeId::kBigint},
                                        {"starttime", TypeId::kTimestamp},
                                        {"endtime", TypeId::kTimestamp}}),
                            [] { return int64_t{0}; }, [](int64_t& n, RowRef) { ++n; },
                            [](int64_t& into, const int64_t& from) { into += from; },
                            [](KeyRef key, const TimeWindow& w, const int64_t& n, RowWriter& out) {
                              out.emit(key.getLong(0), n, w.start, w.end);
                            },
                            "q5 bids per auction and window");
      return counts.keyBy({"endtime"}).process(out, HottestAuctions(), "q5 hottest per window");
    }
    case 8: {
      // People who registered and opened an auction in the same 10 s tumbling window: distinct
      // people and distinct sellers per window, then a window join on id = seller.
      DataStream person = need(streams.person, "person");
      DataStream auction = need(streams.auction, "auction");
      const auto tumbling = WindowAssigner::tumbling(10'000);
      auto people = person.project({"id", "name", "dateTime"})
                        .keyBy({"id", "name"})
                        .window(tumbling)
                        .aggregate(
                            makeSchema({{"id", TypeId::kBigint},
                                        {"name", TypeId::kVarchar},
                                        {"starttime", TypeId::kTimestamp}}),
                            [] { return true; }, [](bool&, RowRef) {}, [](bool&, const bool&) {},
                            [](KeyRef key, const TimeWindow& w, const bool&, RowWriter& out) {
                              out.emit(key.getLong(0), key.getString(1), w.start);
                            },
                            "q8 distinct people per window");
      auto sellers =
          auction.project({"seller", "dateTime"})
              .keyBy({"seller"})
              .window(tumbling)
              .aggregate(
                  makeSchema({{"seller", TypeId::kBigint}, {"starttime", TypeId::kTimestamp}}),
                  [] { return true; }, [](bool&, RowRef) {}, [](bool&, const bool&) {},
                  [](KeyRef key, const TimeWindow& w, const bool&, RowWriter& out) {
                    out.emit(key.getLong(0), w.start);
                  },
                  "q8 distinct sellers per window");
      return people.join(sellers)
          .where({"id"})
          .equalTo({"seller"})
          .window(tumbling)
          .apply(
              out,
              [](RowRef p, RowRef, RowWriter& w) {
                w.emit(p.getLong(0), p.getString(1), p.getLong(2));
              },
              "q8 join");
    }
    case 7: {
      DataStream bid = need(streams.bid, "bid");
      return withConstantKey(bid).keyBy({"__all"}).process(out, HighestBid(), "q7 highest bid");
    }
    default:
      break;
  }
  return Status::invalidArgument("Nexmark query q" + std::to_string(query) +
                                 " is not implemented; supported: q0, q1, q2, q3, q4, q5, q7, q8");
}

}  // namespace glint::nexmark
