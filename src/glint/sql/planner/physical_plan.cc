#include "glint/sql/planner/physical_plan.h"

#include <algorithm>

#include "glint/connectors/datagen/datagen_source.h"
#include "glint/connectors/file/file_source.h"
#include "glint/connectors/nexmark/nexmark_source.h"
#include "glint/runtime/operators/window_join_operator.h"
#include "glint/sql/operators/outer_time_joins.h"
#include "glint/sql/operators/flat_aggregate.h"
#include "glint/sql/operators/over_aggregate.h"
#include "glint/sql/operators/rank_operator.h"
#include "glint/sql/operators/replicate_rows.h"
#include "glint/sql/planner/lookup_join_plan.h"
#include "glint/sql/planner/unique_keys.h"

namespace glint::sql {

SchemaPtr schemaOf(const std::vector<RelColumn>& columns) {
  std::vector<Field> fields;
  for (const auto& c : columns) fields.push_back({c.name, storageTypeOf(c.type), c.nullable});
  return makeSchema(std::move(fields));
}

namespace {

Result<int64_t> parseInteger(const std::map<std::string, std::string>& o, const std::string& key,
                             int64_t fallback) {
  auto it = o.find(key);
  if (it == o.end()) return fallback;
  std::string v = it->second;
  if (!v.empty() && v.back() == 'b') v.pop_back();
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0')
    return Status::invalidArgument("option '" + key + "' must be an integer, got '" + it->second +
                                   "'");
  return n;
}

Result<nexmark::NexmarkSourceOptions> nexmarkOptions(const CatalogTable& t) {
  nexmark::NexmarkSourceOptions n;
  const auto& o = t.options;
  const std::string kind = o.at("table");
  n.primary = kind == "person"    ? nexmark::EventKind::kPerson
              : kind == "auction" ? nexmark::EventKind::kAuction
                                  : nexmark::EventKind::kBid;
  n.kinds = {n.primary};
  auto get = [&](const std::string& key, int64_t fallback, int64_t* out) -> Status {
    auto v = parseInteger(o, key, fallback);
    if (!v.isOk()) return v.status();
    *out = *v;
    return Status::ok();
  };
  int64_t v = 0;
  GLINT_RETURN_IF_ERROR(get("events.num", 0, &v));
  n.numEvents = v == 0 ? -1 : v;  // Flink's nexmark: 0 = unbounded
  GLINT_RETURN_IF_ERROR(get("first-event.rate", 10000, &v));
  n.generator.eventsPerSecond = static_cast<double>(v);
  auto limited = o.find("rate.limited");
  if (limited != o.end() && limited->second == "true") n.eventsPerSecond = static_cast<double>(v);
  GLINT_RETURN_IF_ERROR(get("person.proportion", 1, &v));
  n.generator.personProportion = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("auction.proportion", 3, &v));
  n.generator.auctionProportion = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("bid.proportion", 46, &v));
  n.generator.bidProportion = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("bid.hot-ratio.auctions", 2, &v));
  n.generator.hotAuctionRatio = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("bid.hot-ratio.bidders", 4, &v));
  n.generator.hotBiddersRatio = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("auction.hot-ratio.sellers", 4, &v));
  n.generator.hotSellersRatio = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("person.avg-size", 200, &v));
  n.generator.avgPersonBytes = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("auction.avg-size", 500, &v));
  n.generator.avgAuctionBytes = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("bid.avg-size", 100, &v));
  n.generator.avgBidBytes = static_cast<int>(v);
  GLINT_RETURN_IF_ERROR(get("seed", 42, &v));
  n.generator.seed = static_cast<uint64_t>(v);
  GLINT_RETURN_IF_ERROR(get("stop-at", -1, &v));
  if (v >= 0 && (n.numEvents < 0 || v < n.numEvents)) n.numEvents = v;
  if (t.rowtimeColumn) n.watermarkDelayMillis = t.watermarkDelayMillis;
  return n;
}

class Translator {
 public:
  Translator(StreamExecutionEnvironment& env, const PhysicalOptions& options, std::string* explain)
      : env_(env), options_(options), explain_(explain) {}

  Result<DataStream> translate(const RelPtr& node, int depth);

 private:
  Result<DataStream> translateNode(const RelPtr& node, int depth);
  Result<DataStream> perWindowAggregate(const RelNode& node, int depth);
  Result<DataStream> windowJoin(const RelNode& node, int depth);
  Result<DataStream> windowAssign(const RelNode& node, int depth);
  Result<DataStream> intervalJoin(const RelNode& node, int depth);
  Result<DataStream> outerTimeJoin(const RelNode& node, int depth);
  Result<DataStream> rank(const RelNode& node, int depth);
  Result<DataStream> overAggregate(const RelNode& node, int depth);
  void note(int depth, const std::string& text, bool updating) {
    if (explain_)
      *explain_ += std::string(depth * 2, ' ') + text +
                   (updating ? "  [changelog: I,UB,UA,D]" : "  [changelog: I]") + "\n";
  }
  Result<DataStream> scan(const RelNode& node, int depth);
  Result<DataStream> calc(DataStream input, const SchemaPtr& inputSchema, const RelNode& node,
                          const BoundExprPtr& condition,
                          const std::vector<BoundExprPtr>& projections,
                          const std::vector<RelColumn>& columns) {
    SchemaPtr out = schemaOf(columns);
    CalcFunction fn(inputSchema, out, condition, projections);
    GLINT_RETURN_IF_ERROR(fn.validate());
    (void)node;
    return input.mapBatch(out, fn, "Calc");
  }

  StreamExecutionEnvironment& env_;
  const PhysicalOptions& options_;
  std::string* explain_;
  // Sub-plan reuse (Flink's table.optimizer.reuse-sub-plan-enabled): equal subtrees, by their
  // explained text, are translated once and their stream feeds every consumer.
  std::map<std::string, DataStream> translated_;
  // Per stream (operator id): column lists its rows are hash-partitioned by, in key order (the
  // key group of those columns' encoding chose the subtask), when an operator keyed on them
  // produced it and only forward edges (Calc) followed; several when they hold equal values
  // (both sides' keys of an inner join). Flink's hash distribution trait.
  std::map<int, std::vector<std::vector<int>>> partitionedBy_;
  std::vector<std::vector<int>> partitioning(const DataStream& s) const {
    auto it = partitionedBy_.find(s.nodeId());
    return it == partitionedBy_.end() ? std::vector<std::vector<int>>{} : it->second;
  }
  void setPartitioning(const DataStream& s, std::vector<std::vector<int>> alternatives) {
    std::erase_if(alternatives, [](const std::vector<int>& a) { return a.empty(); });
    if (!alternatives.empty()) partitionedBy_[s.nodeId()] = std::move(alternatives);
  }
};

// Whether a subtree may be shared: its explained text must identify it, which literal rows
// (Values) do not, and a sort is a bounded-input sink of its own.
bool reusable(const RelNode& node) {
  if (node.kind == RelKind::kValues || node.kind == RelKind::kSort) return false;
  for (const auto& in : node.inputs)
    if (!reusable(*in)) return false;
  return true;
}

std::vector<BoundExprPtr> passThrough(const std::vector<RelColumn>& columns) {
  std::vector<BoundExprPtr> out;
  for (size_t i = 0; i < columns.size(); ++i)
    out.push_back(
        makeColumnRef(static_cast<int>(i), columns[i].type, columns[i].nullable, columns[i].name));
  return out;
}

// Appends row `row` of `from` to `into` starting at column `first`.
void appendColumns(Batch& into, size_t first, const Batch& from, size_t row) {
  for (size_t c = 0; c < from.numColumns(); ++c)
    into.mutableColumn(first + c).appendFrom(from.column(c), row);
}

// Keys, then (with `windowColumns`) window_start, window_end, window_time, then the aggregate
// results: the rows of a window aggregate. `Evaluator` is AggregateEvaluator or, for the calls
// it supports, the allocation-free FlatAggregateEvaluator with a FlatWindowAccumulator.
template <class Evaluator, class Accumulator>
DataStream aggregateWindows(const DataStream& input, const std::vector<int>& keys,
                            WindowAssigner assigner, SchemaPtr out,
                            std::shared_ptr<const Evaluator> evaluator, bool windowColumns) {
  constexpr bool kFlat = std::is_same_v<Evaluator, FlatAggregateEvaluator>;
  const size_t numKeys = keys.size();
  KeyedStream keyed(input, keys);
  auto create = [evaluator] {
    if constexpr (kFlat)
      return Accumulator{};
    else
      return evaluator->create();
  };
  auto add = [evaluator](Accumulator& acc, RowRef row) {
    if constexpr (kFlat)
      evaluator->accumulate(acc, row.batch(), row.index());
    else
      evaluator->accumulate(acc, row.batch(), row.index(), 1);
  };
  auto merge = [evaluator](Accumulator& into, const Accumulator& from) {
    evaluator->merge(into, from);
  };
  auto emit = [evaluator, numKeys, windowColumns](KeyRef key, const TimeWindow& window,
                                                  const Accumulator& acc, RowWriter& writer) {
    Batch& b = writer.batch();
    for (size_t k = 0; k < numKeys; ++k) key.appendFieldTo(k, b.mutableColumn(k));
    size_t next = numKeys;
    if (windowColumns) {
      b.mutableColumn(next++).appendInt(window.start);
      b.mutableColumn(next++).appendInt(window.end);
      b.mutableColumn(next++).appendInt(window.maxTimestamp());
    }
    for (size_t i = 0; i < evaluator->size(); ++i)
      evaluator->appendResult(acc, i, b.mutableColumn(next + i));
    writer.finishRow();
  };
  return keyed.window(assigner).aggregate(out, create, add, merge, emit, "WindowAggregate");
}

DataStream aggregateWindows(const DataStream& input, const std::vector<int>& keys,
                            WindowAssigner assigner, SchemaPtr out,
                            const std::vector<AggCall>& calls, bool windowColumns) {
  if (FlatAggregateEvaluator::supports(calls)) {
    auto flat = std::make_shared<const FlatAggregateEvaluator>(calls);
    const size_t slots = flat->windowSlots();
    if (slots <= kFlatWindowSizes[0])
      return aggregateWindows<FlatAggregateEvaluator, FlatWindowAccumulator<kFlatWindowSizes[0]>>(
          input, keys, assigner, out, flat, windowColumns);
    if (slots <= kFlatWindowSizes[1])
      return aggregateWindows<FlatAggregateEvaluator, FlatWindowAccumulator<kFlatWindowSizes[1]>>(
          input, keys, assigner, out, flat, windowColumns);
    if (slots <= kFlatWindowSizes[2])
      return aggregateWindows<FlatAggregateEvaluator, FlatWindowAccumulator<kFlatWindowSizes[2]>>(
          input, keys, assigner, out, flat, windowColumns);
    return aggregateWindows<FlatAggregateEvaluator, FlatWindowAccumulator<kFlatWindowSizes[3]>>(
        input, keys, assigner, out, flat, windowColumns);
  }
  return aggregateWindows<AggregateEvaluator, AggAccumulator>(
      input, keys, assigner, out, std::make_shared<const AggregateEvaluator>(calls, false),
      windowColumns);
}

Result<DataStream> Translator::translate(const RelPtr& nodePtr, int depth) {
  std::string digest;
  if (reusable(*nodePtr)) {
    digest = explainLogical(*nodePtr);
    auto it = translated_.find(digest);
    if (it != translated_.end()) {
      note(depth, "Reused(" + digest.substr(0, digest.find_first_of("(\n")) + ")",
           nodePtr->updating);
      return it->second;
    }
  }
  auto stream = translateNode(nodePtr, depth);
  if (stream.isOk() && !digest.empty()) translated_.emplace(digest, *stream);
  return stream;
}

Result<DataStream> Translator::perWindowAggregate(const RelNode& node, int depth) {
  auto in = translate(node.inputs[0], depth + 1);
  if (!in.isOk()) return in;
  note(depth,
       "WindowAggregate(on input window, keys=" + std::to_string(node.groupKeys.size()) +
           ", aggregates=" + std::to_string(node.aggregates.size()) + ")",
       false);
  // Every input row is timestamped with its window's end - 1 and the keys hold the window, so
  // a 1 ms tumbling window per key fires exactly when the input window is complete.
  return aggregateWindows(*in, node.groupKeys, WindowAssigner::tumbling(1), schemaOf(node.columns),
                          node.aggregates, false);
}

Result<DataStream> Translator::windowJoin(const RelNode& node, int depth) {
  auto left = translate(node.inputs[0], depth + 1);
  if (!left.isOk()) return left;
  auto right = translate(node.inputs[1], depth + 1);
  if (!right.isOk()) return right;
  SchemaPtr out = schemaOf(node.columns);
  SchemaPtr ls = left->schema(), rs = right->schema();
  std::vector<int> lk = node.leftKeys, rk = node.rightKeys;
  note(depth,
       "WindowJoin(keys=" + std::to_string(lk.size()) +
           (node.joinCondition ? ", residual=" + node.joinCondition->toString() : "") + ")",
       false);
  KeyedStream l(*left, lk);
  KeyedStream r(*right, rk);
  const size_t leftWidth = ls->size();
  // Both sides' rows are timestamped with their window's end - 1 and the keys hold the
  // window: a 1 ms tumbling window join fires each window's pairs once both sides are complete.
  DataStream joined = l.transformTwo("WindowJoin", r, out, [=] {
    return makeWindowJoinOperator(ls, lk, rs, rk, out, WindowAssigner::tumbling(1),
                                  [leftWidth, lk](RowRef a, RowRef b, RowWriter& writer) {
                                    // SQL equality: NULL keys match nothing.
                                    for (int k : lk)
                                      if (a.isNull(k)) return;
                                    Batch& batch = writer.batch();
                                    appendColumns(batch, 0, a.batch(), a.index());
                                    appendColumns(batch, leftWidth, b.batch(), b.index());
                                    writer.finishRow();
                                  });
  });
  if (!node.joinCondition) return joined;
  return calc(joined, out, node, node.joinCondition, passThrough(node.columns), node.columns);
}

Result<DataStream> Translator::intervalJoin(const RelNode& node, int depth) {
  auto left = translate(node.inputs[0], depth + 1);
  if (!left.isOk()) return left;
  auto right = translate(node.inputs[1], depth + 1);
  if (!right.isOk()) return right;
  SchemaPtr out = schemaOf(node.columns);
  note(depth,
       "IntervalJoin(keys=" + std::to_string(node.leftKeys.size()) + ", right.rowtime - " +
           "left.rowtime in [" + std::to_string(node.intervalLower) + ", " +
           std::to_string(node.intervalUpper) + "] ms, residual=" + node.joinCondition->toString() +
           ")",
       false);
  KeyedStream l(*left, node.leftKeys);
  KeyedStream r(*right, node.rightKeys);
  const size_t leftWidth = left->schema()->size();
  // The rows carry their rowtime as event time; the residual (which still holds the bounds)
  // is checked afterwards, vectorised.
  DataStream joined =
      l.intervalJoin(r)
          .between(node.intervalLower, node.intervalUpper)
          .process(
              out,
              [leftWidth, lk = node.leftKeys](RowRef a, RowRef b, RowWriter& writer) {
                // SQL equality: NULL keys match nothing.
                for (int k : lk)
                  if (a.isNull(k)) return;
                Batch& batch = writer.batch();
                appendColumns(batch, 0, a.batch(), a.index());
                appendColumns(batch, leftWidth, b.batch(), b.index());
                writer.finishRow();
              },
              "IntervalJoin");
  return calc(joined, out, node, node.joinCondition, passThrough(node.columns), node.columns);
}

// LEFT / RIGHT / FULL window and interval joins: the residual decides which rows matched, so
// the operator evaluates it (outer_time_joins.h); output is insert-only.
Result<DataStream> Translator::outerTimeJoin(const RelNode& node, int depth) {
  auto left = translate(node.inputs[0], depth + 1);
  if (!left.isOk()) return left;
  auto right = translate(node.inputs[1], depth + 1);
  if (!right.isOk()) return right;
  SchemaPtr out = schemaOf(node.columns);
  SchemaPtr ls = left->schema(), rs = right->schema();
  std::vector<int> lk = node.leftKeys, rk = node.rightKeys;
  BoundExprPtr residual = node.joinCondition;
  if (residual) GLINT_RETURN_IF_ERROR(CompiledExpr::compile(residual, *out).status());
  static const char* types[] = {"inner", "left", "right", "full"};
  const std::string type = types[static_cast<int>(node.joinType)];
  const RelJoinType joinType = node.joinType;
  KeyedStream l(*left, lk);
  KeyedStream r(*right, rk);
  if (node.perWindow) {
    note(depth,
         "WindowJoin(" + type + ", keys=" + std::to_string(lk.size()) +
             (residual ? ", residual=" + residual->toString() : "") + ")",
         false);
    // As windowJoin: rows are timestamped with their window's end - 1 and the keys hold it.
    return l.transformTwo("WindowJoin", r, out, [=] {
      return std::make_unique<OuterWindowJoinOperator>(
          ls, lk, rs, rk, out, WindowAssigner::tumbling(1), joinType, residual);
    });
  }
  const int64_t lower = node.intervalLower, upper = node.intervalUpper;
  note(depth,
       "IntervalJoin(" + type + ", keys=" + std::to_string(lk.size()) +
           ", right.rowtime - left.rowtime in [" + std::to_string(lower) + ", " +
           std::to_string(upper) + "] ms, residual=" + residual->toString() + ")",
       false);
  return l.transformTwo("IntervalJoin", r, out, [=] {
    return std::make_unique<OuterIntervalJoinOperator>(ls, lk, rs, rk, out, lower, upper,
                                                       joinType, residual);
  });
}

Result<DataStream> Translator::windowAssign(const RelNode& node, int depth) {
  if (node.inputs[0]->updating)
    return Status::invalidArgument("a window TVF cannot consume an updating input");
  auto in = translate(node.inputs[0], depth + 1);
  if (!in.isOk()) return in;
  note(depth, "WindowTableFunction(" + node.window.toString() + ")", false);
  SchemaPtr out = schemaOf(node.columns);
  return in->mapBatch(out, WindowAssignFunction(out, node.window), "WindowTableFunction");
}

Result<DataStream> Translator::rank(const RelNode& node, int depth) {
  // Flink runs ranking functions in streaming mode only as a Top-N: a filter must bound the
  // rank.
  if (options_.streaming && node.limit < 0)
    return Status::invalidArgument(
        !node.overFrame.streamingError.empty()
            ? node.overFrame.streamingError
            : "ROW_NUMBER() OVER needs a filter on its result in streaming mode, as in Top-N "
              "`WHERE rn <= N` or deduplication `WHERE rn = 1`");
  auto in = translate(node.inputs[0], depth + 1);
  if (!in.isOk()) return in;
  SchemaPtr inSchema = in->schema(), out = schemaOf(node.columns);
  const std::vector<int> keys = node.groupKeys;
  const std::vector<SortKey> sortKeys = node.sortKeys;
  const int64_t limit = node.limit;
  const bool rankColumn = node.rankColumn, retracting = node.inputs[0]->updating,
             finalOnly = !options_.streaming;
  const int windowEnd = node.perWindow ? node.windowEndColumn : -1;
  const RankFunction function = node.rankFunction;
  note(depth,
       std::string(finalOnly ? "SortRank"
                             : (windowEnd >= 0 ? "WindowRank"
                                               : (retracting ? "RetractRank" : "AppendRank"))) +
           "(partitionKeys=" + std::to_string(keys.size()) + ", limit=" + std::to_string(limit) +
           (rankColumn ? ", with rank" : "") + ")",
       node.updating);
  KeyedStream keyed(*in, keys);
  DataStream ranked = keyed.transform("Rank", out, [=] {
    return std::make_unique<RankOperator>(inSchema, keys, sortKeys, limit, rankColumn, retracting,
                                          finalOnly, out, windowEnd, function);
  });
  if (keys.empty()) ranked.setParallelism(1);
  return ranked;
}

Result<DataStream> Translator::overAggregate(const RelNode& node, int depth) {
  const OverFrame& frame = node.overFrame;
  // The input first: of several OVER nodes, the error names the first window in the SQL.
  auto in = translate(node.inputs[0], depth + 1);
  if (!in.isOk()) return in;
  if (options_.streaming) {
    // Flink's OverAggregate consumes insert-only input, ordered by one ascending time attribute.
    if (node.inputs[0]->updating) return Status::invalidArgument(frame.updatingInputError);
    if (!frame.streamingError.empty()) return Status::invalidArgument(frame.streamingError);
  }
  SchemaPtr inSchema = in->schema(), out = schemaOf(node.columns);
  const std::vector<int> keys = node.groupKeys;
  const std::vector<SortKey> sortKeys = node.sortKeys;
  const std::vector<AggCall> calls = node.aggregates;
  const bool rows = frame.rows, finalOnly = !options_.streaming;
  const int64_t preceding = frame.preceding, following = frame.following;
  note(depth,
       std::string(finalOnly ? "SortOverAggregate" : "OverAggregate") + "(partitionKeys=" +
           std::to_string(keys.size()) + ", " + frame.toString() +
           ", aggregates=" + std::to_string(calls.size()) + ")",
       false);
  KeyedStream keyed(*in, keys);
  DataStream result = keyed.transform("OverAggregate", out, [=] {
    return std::make_unique<OverAggregateOperator>(inSchema, keys, sortKeys, calls, rows,
                                                   preceding, finalOnly, out, following);
  });
  if (keys.empty()) result.setParallelism(1);
  return result;
}

Result<DataStream> Translator::scan(const RelNode& node, int depth) {
  const CatalogTable& t = *node.table;
  std::vector<RelColumn> physical;
  for (const auto& c : t.columns)
    if (!c.isComputed()) physical.push_back({c.name, c.type, c.nullable});
  SchemaPtr physicalSchema = schemaOf(physical);
  std::optional<DataStream> source;
  std::vector<BoundExprPtr> projections = node.projections;
  bool timestampsFromSource = false;
  if (t.connector == "datagen") {
    auto opts = DatagenOptions::fromOptions(*physicalSchema, t.options);
    if (!opts.isOk()) return opts.status();
    DatagenOptions o = *opts;
    source = env_.fromSource("datagen:" + t.name, physicalSchema, [physicalSchema, o] {
      return std::make_unique<DatagenSource>(physicalSchema, o);
    });
  } else if (t.connector == "nexmark") {
    auto opts = nexmarkOptions(t);
    if (!opts.isOk()) return opts.status();
    nexmark::NexmarkSourceOptions o = *opts;
    SchemaPtr full = o.primary == nexmark::EventKind::kPerson    ? nexmark::personSchema()
                     : o.primary == nexmark::EventKind::kAuction ? nexmark::auctionSchema()
                                                                 : nexmark::bidSchema();
    // Table columns are read by name from the event's columns.
    std::vector<int> mapping;
    for (const auto& c : physical) {
      int i = full->indexOf(c.name);
      if (i < 0)
        return Status::invalidArgument("nexmark table `" + t.name + "`: column `" + c.name +
                                       "` is not a field of " + t.options.at("table") + " events " +
                                       full->toString());
      if (storageTypeOf(c.type) != full->field(i).type)
        return Status::invalidArgument("nexmark table `" + t.name + "`: column `" + c.name +
                                       "` must be " + std::string(typeName(full->field(i).type)));
      mapping.push_back(i);
    }
    for (auto& p : projections) {
      auto r = remapColumns(p, mapping);
      if (!r.isOk()) return r.status();
      p = *r;
    }
    physicalSchema = full;
    source = env_.fromSource("nexmark:" + t.name, full,
                             [o] { return std::make_unique<nexmark::NexmarkSource>(o); });
    // The source stamps rows with dateTime and emits watermarks itself.
    if (t.rowtimeColumn) {
      if (*t.rowtimeColumn != "dateTime")
        return Status::invalidArgument("nexmark table `" + t.name +
                                       "`: the watermark must be declared on `dateTime`");
      timestampsFromSource = true;
    }
  } else if (t.connector == "filesystem") {
    FileSourceOptions fo;
    fo.path = t.options.at("path");
    fo.format = t.options.at("format");
    auto formatOptions = parseTextFormatOptions(fo.format, t.options);
    if (!formatOptions.isOk()) return formatOptions.status();
    fo.formatOptions = *formatOptions;
    auto files = listInputFiles(fo.path);
    if (!files.isOk()) return files.status();
    source = env_.fromSource("filesystem:" + t.name, physicalSchema, [fo, physicalSchema] {
      return std::make_unique<FileSource>(fo, physicalSchema);
    });
  } else {
    return Status::invalidArgument("table `" + t.name + "` (connector '" + t.connector +
                                   "') cannot be read: it is a sink-only connector");
  }
  note(depth, "TableSourceScan(" + t.name + ", connector=" + t.connector + ")", false);
  DataStream stream = *source;
  bool identity = projections.size() == physicalSchema->size();
  for (size_t i = 0; i < projections.size() && identity; ++i)
    identity =
        projections[i]->kind == ExprKind::kColumn && projections[i]->column == static_cast<int>(i);
  if (!identity) {
    auto c = calc(stream, physicalSchema, node, nullptr, projections, node.columns);
    if (!c.isOk()) return c.status();
    stream = *c;
  }
  if (node.rowtimeColumn >= 0 && !timestampsFromSource) {
    WatermarkStrategy strategy = WatermarkStrategy::forBoundedOutOfOrderness(t.watermarkDelayMillis)
                                     .withTimestampColumn(node.columns[node.rowtimeColumn].name);
    stream = stream.assignTimestampsAndWatermarks(strategy);
  }
  return stream;
}

Result<DataStream> Translator::translateNode(const RelPtr& nodePtr, int depth) {
  const RelNode& node = *nodePtr;
  if (node.kind == RelKind::kJoin && node.lookupJoin) {
    auto left = translate(node.inputs[0], depth + 1);
    if (!left.isOk()) return left;
    std::string text;
    auto joined = translateLookupJoin(node, *left, &text);
    if (joined.isOk()) note(depth, text, node.updating);
    return joined;
  }
  if (node.kind == RelKind::kAggregate && node.perWindow) return perWindowAggregate(node, depth);
  if (node.kind == RelKind::kJoin && (node.perWindow || node.intervalJoin) &&
      node.joinType != RelJoinType::kInner)
    return outerTimeJoin(node, depth);
  if (node.kind == RelKind::kJoin && node.perWindow) return windowJoin(node, depth);
  if (node.kind == RelKind::kJoin && node.intervalJoin) return intervalJoin(node, depth);
  switch (node.kind) {
    case RelKind::kWindowAssign:
      return windowAssign(node, depth);
    case RelKind::kRank:
      return rank(node, depth);
    case RelKind::kOverAggregate:
      return overAggregate(node, depth);
    case RelKind::kScan:
      return scan(node, depth);
    case RelKind::kValues: {
      SchemaPtr schema = schemaOf(node.columns);
      Batch batch(schema);
      for (const auto& row : node.rows) {
        for (size_t c = 0; c < row.size(); ++c) {
          Column& col = batch.mutableColumn(c);
          const Value& v = row[c];
          if (v.isNull)
            col.appendNull();
          else if (col.physical() == PhysicalType::kDouble)
            col.appendDouble(v.real);
          else if (col.physical() == PhysicalType::kString)
            col.appendString(v.text);
          else
            col.appendInt(v.integer);
        }
        if (row.empty()) {
          // SELECT without FROM: one row of no columns.
        }
      }
      batch.setNumRows(node.rows.size());
      note(depth, "Values(" + std::to_string(node.rows.size()) + " rows)", false);
      if (node.columns.empty()) {
        // A row with no columns cannot be represented in a batch: use a dummy column.
        SchemaPtr dummy = makeSchema({{"$dummy", TypeId::kInt}});
        Batch b(dummy);
        for (size_t i = 0; i < node.rows.size(); ++i) b.mutableColumn(0).appendInt(0);
        b.setNumRows(node.rows.size());
        return env_.fromBatches(dummy, {b}, "Values").setParallelism(1);
      }
      return env_.fromBatches(schema, {batch}, "Values").setParallelism(1);
    }
    case RelKind::kCalc: {
      auto in = translate(node.inputs[0], depth + 1);
      if (!in.isOk()) return in;
      std::string text = "Calc(";
      if (node.condition) text += "where=[" + node.condition->toString() + "], ";
      text += "select=[";
      for (size_t i = 0; i < node.projections.size(); ++i)
        text += (i ? ", " : "") + node.projections[i]->toString();
      note(depth, text + "])", node.updating);
      auto result = calc(*in, in->schema(), node, node.condition, node.projections, node.columns);
      // A Calc is chained (forward): its rows stay partitioned by the columns it passes on.
      std::vector<std::vector<int>> partitionedBy;
      for (const auto& columns : partitioning(*in)) {
        std::vector<int> mapped;
        for (int column : columns) {
          int at = -1;
          for (size_t i = 0; i < node.projections.size() && at < 0; ++i)
            if (node.projections[i]->kind == ExprKind::kColumn &&
                node.projections[i]->column == column)
              at = static_cast<int>(i);
          if (at < 0) {
            mapped.clear();
            break;
          }
          mapped.push_back(at);
        }
        partitionedBy.push_back(std::move(mapped));
      }
      if (result.isOk()) setPartitioning(*result, partitionedBy);
      return result;
    }
    case RelKind::kAggregate: {
      const AggregationOptions& a = options_.aggregation;
      const bool streaming = options_.streaming;
      if (streaming && a.miniBatch && (a.miniBatchSize <= 0 || a.miniBatchLatencyMillis <= 0))
        return Status::invalidArgument(
            "'table.exec.mini-batch.enabled' is true: set 'table.exec.mini-batch.allow-latency' "
            "(> 0) and 'table.exec.mini-batch.size' (> 0) too");
      // Flink: two phases in streaming only with mini-batch (AUTO or TWO_PHASE); in batch mode
      // unless ONE_PHASE.
      const bool twoPhase = a.phases != AggregatePhaseStrategy::kOnePhase &&
                            (!streaming || a.miniBatch);
      auto in = translate(node.inputs[0], depth + (twoPhase ? 2 : 1));
      if (!in.isOk()) return in;
      SchemaPtr out = schemaOf(node.columns);
      SchemaPtr inSchema = in->schema();
      std::vector<int> keys = node.groupKeys;
      std::vector<AggCall> calls = node.aggregates;
      const bool retracting = node.inputs[0]->updating;
      GroupAggregateOptions options;
      options.finalOnly = !streaming;
      options.state = options_.state;
      if (streaming && a.miniBatch) {
        options.bundleRows = a.miniBatchSize;
        options.bundleLatencyMillis = a.miniBatchLatencyMillis;
      }
      // Flink without mini-batch emits one change per input row.
      options.perRowChanges = streaming && !a.miniBatch;
      const std::string shape = "(keys=" + std::to_string(keys.size()) +
                                ", aggregates=" + std::to_string(calls.size()) +
                                (retracting ? ", retracting input" : "") + ")";
      DataStream input = *in;
      std::vector<int> globalKeys = keys;
      if (twoPhase) {
        // Local pre-aggregation in the producing subtasks, before the hash exchange.
        SchemaPtr localSchema = LocalGroupAggregateOperator::outputSchemaFor(*inSchema, keys);
        const int64_t rows = options.bundleRows, latency = options.bundleLatencyMillis;
        note(depth + 1, std::string(streaming ? "LocalGroupAggregate" : "LocalHashAggregate") +
                            shape, false);
        input = in->transform("LocalGroupAggregate", localSchema, [=] {
          return std::make_unique<LocalGroupAggregateOperator>(inSchema, keys, calls, retracting,
                                                               localSchema, rows, latency);
        });
        inSchema = localSchema;
        globalKeys.clear();
        for (size_t k = 0; k < keys.size(); ++k) globalKeys.push_back(static_cast<int>(k));
        options.mergeAccumulators = true;
        // The local phase already bundles; the global phase merges each arriving batch.
        options.bundleRows = 0;
      }
      // Input already partitioned by some of the group keys (GROUP BY a, b over a join on a):
      // rows of one group are in one subtask already, so no exchange; the operator takes its
      // key groups from those keys, as the upstream partitioner did.
      std::vector<int> keyGroupPositions;
      for (const auto& columns : partitioning(input)) {
        if (twoPhase || keys.empty() || !keyGroupPositions.empty()) break;
        for (int column : columns) {
          auto at = std::find(globalKeys.begin(), globalKeys.end(), column);
          if (at == globalKeys.end()) {
            keyGroupPositions.clear();
            break;
          }
          keyGroupPositions.push_back(static_cast<int>(at - globalKeys.begin()));
        }
      }
      std::string partitionNote;
      for (int p : keyGroupPositions)
        partitionNote += (partitionNote.empty() ? "" : ", ") + inSchema->field(globalKeys[p]).name;
      note(depth,
           std::string(twoPhase ? (streaming ? "GlobalGroupAggregate" : "GlobalHashAggregate")
                                : (streaming ? "GroupAggregate" : "HashAggregate")) +
               shape.substr(0, shape.size() - 1) +
               (keyGroupPositions.empty()
                    ? ")"
                    : ", input partitioned by [" + partitionNote + "] already: no exchange)"),
           node.updating);
      auto make = [=] {
        auto op = std::make_unique<GroupAggregateOperator>(inSchema, globalKeys, calls,
                                                           retracting, out, options);
        if (!keyGroupPositions.empty()) op->partitionKeyGroupsBy(keyGroupPositions);
        return op;
      };
      DataStream aggregated = keyGroupPositions.empty()
                                  ? KeyedStream(input, globalKeys).transform("GroupAggregate", out, make)
                                  : input.transform("GroupAggregate", out, make);
      // Without keys every row goes to one subtask anyway; one subtask also means exactly one
      // row for an empty input in batch mode.
      if (keys.empty()) aggregated.setParallelism(1);
      // Its rows: partitioned by the keys it took its key groups from (output column k is key k).
      std::vector<int> outputPartitioning = keyGroupPositions;
      if (outputPartitioning.empty())
        for (size_t k = 0; k < keys.size(); ++k) outputPartitioning.push_back(static_cast<int>(k));
      setPartitioning(aggregated, {outputPartitioning});
      return aggregated;
    }
    case RelKind::kWindowAggregate: {
      if (node.inputs[0]->updating)
        return Status::invalidArgument("a window aggregation cannot consume an updating input");
      auto in = translate(node.inputs[0], depth + 1);
      if (!in.isOk()) return in;
      const auto& w = node.window;
      // As Flink: processing time has no meaning for a batch job's bounded input.
      if (w.processingTime && !options_.streaming)
        return Status::invalidArgument(
            "window " + w.toString() +
            " is over a processing-time attribute (PROCTIME()), which batch mode does not "
            "support; use an event-time attribute or execution.runtime-mode = 'streaming'");
      const TimeDomain domain =
          w.processingTime ? TimeDomain::kProcessingTime : TimeDomain::kEventTime;
      WindowAssigner assigner = WindowAssigner::tumbling(1);
      switch (w.kind) {
        case WindowKind::kTumble:
          assigner = WindowAssigner::tumbling(w.size, w.offset, domain);
          break;
        case WindowKind::kHop:
          assigner = WindowAssigner::sliding(w.size, w.slide, w.offset, domain);
          break;
        case WindowKind::kSession:
          assigner = WindowAssigner::session(w.size, domain);
          break;
        case WindowKind::kCumulate:
          return Status::invalidArgument("CUMULATE windows are not supported yet");
      }
      note(depth,
           "WindowAggregate(" + w.toString() + ", keys=" + std::to_string(node.groupKeys.size()) +
               ")",
           false);
      return aggregateWindows(*in, node.groupKeys, assigner, schemaOf(node.columns),
                              node.aggregates, true);
    }
    case RelKind::kJoin: {
      auto left = translate(node.inputs[0], depth + 1);
      if (!left.isOk()) return left;
      auto right = translate(node.inputs[1], depth + 1);
      if (!right.isOk()) return right;
      SchemaPtr out = schemaOf(node.columns);
      SchemaPtr ls = left->schema(), rs = right->schema();
      std::vector<int> lk = node.leftKeys, rk = node.rightKeys;
      RelJoinType type = node.joinType;
      BoundExprPtr residual = node.joinCondition;
      StateOptions state = options_.state;
      if (residual) {
        auto check = CompiledExpr::compile(residual, *out);
        if (!check.isOk()) return check.status();
      }
      const std::array<bool, 2> updating = {node.inputs[0]->updating, node.inputs[1]->updating};
      // An insert-only input of an inner join whose join key contains a unique key keeps one
      // row per key, and the other input's rows only until it arrives.
      std::array<std::optional<std::string>, 2> uniqueSides;
      std::string keysText;
      for (size_t i = 0; i < lk.size(); ++i)
        keysText += (i ? ", " : "") + node.inputs[0]->columns[lk[i]].name + " = " +
                    node.inputs[1]->columns[rk[i]].name;
      for (int s = 0; s < 2; ++s) {
        const RelNode& input = *node.inputs[s];
        const UniqueKey* key = uniqueKeyWithin(input.uniqueKeys, s == 0 ? lk : rk);
        if (type != RelJoinType::kInner || input.updating || !key) continue;
        uniqueSides[s] = std::string(s == 0 ? "left" : "right") + " input of the join on [" +
                         keysText + "], whose join key contains its unique key " +
                         describeUniqueKey(*key, input.columns);
      }
      auto storage = [&](int s) -> std::string {
        if (uniqueSides[s]) return "one row per key";
        if (uniqueSides[1 - s]) return "rows kept until the other side's row arrives";
        return updating[s] || type != RelJoinType::kInner ? "rows with counts" : "all rows";
      };
      note(depth,
           "Join(keys=" + std::to_string(lk.size()) +
               (residual ? ", residual=" + residual->toString() : "") + ", left=" + storage(0) +
               ", right=" + storage(1) + ")",
           node.updating);
      KeyedStream l(*left, lk);
      KeyedStream r(*right, rk);
      DataStream joined = l.transformTwo("Join", r, out, [=] {
        return std::make_unique<JoinOperator>(ls, lk, rs, rk, out, type, residual, state,
                                              updating, uniqueSides);
      });
      // Its rows are partitioned by the join key of each side that is never padded with NULLs
      // (an inner join's rows have equal values in both).
      std::vector<int> rightKeys;
      for (int k : rk) rightKeys.push_back(k + static_cast<int>(ls->size()));
      if (type == RelJoinType::kInner)
        setPartitioning(joined, {lk, rightKeys});
      else if (type == RelJoinType::kLeft)
        setPartitioning(joined, {lk});
      else if (type == RelJoinType::kRight)
        setPartitioning(joined, {rightKeys});
      return joined;
    }
    case RelKind::kReplicateRows: {
      auto in = translate(node.inputs[0], depth + 1);
      if (!in.isOk()) return in;
      note(depth, "ReplicateRows", node.updating);
      SchemaPtr out = schemaOf(node.columns);
      return in->mapBatch(out, ReplicateRowsFunction(out), "ReplicateRows");
    }
    case RelKind::kUnion: {
      auto left = translate(node.inputs[0], depth + 1);
      if (!left.isOk()) return left;
      auto right = translate(node.inputs[1], depth + 1);
      if (!right.isOk()) return right;
      note(depth, "Union(all)", node.updating);
      return left->unionWith({*right});
    }
    case RelKind::kSort: {
      auto in = translate(node.inputs[0], depth + 1);
      if (!in.isOk()) return in;
      SchemaPtr schema = in->schema();
      auto keys = node.sortKeys;
      int64_t limit = node.limit, offset = node.offset;
      note(depth,
           "SortLimit(keys=" + std::to_string(keys.size()) + ", limit=" + std::to_string(limit) +
               ")",
           false);
      DataStream global = in->global();
      DataStream sorted = global.transform("SortLimit", schema, [=] {
        return std::make_unique<SortLimitOperator>(schema, keys, limit, offset);
      });
      sorted.setParallelism(1);
      return sorted;
    }
  }
  return Status::internal("unknown plan node");
}

}  // namespace

Result<DataStream> translateToStream(const RelPtr& plan, StreamExecutionEnvironment& env,
                                     const PhysicalOptions& options, std::string* explain) {
  Translator t(env, options, explain);
  try {
    return t.translate(plan, 0);
  } catch (const GlintError& e) {
    return Status::invalidArgument(e.what());
  }
}

}  // namespace glint::sql
