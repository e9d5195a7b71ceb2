#include "glint/sql/session.h"

#include <algorithm>
#include <mutex>

#include "glint/api/data_stream.h"
#include "glint/connectors/file/file_sink.h"
#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/formats/record_format.h"
#include "glint/runtime/job_runner.h"
#include "glint/sql/catalog/catalog.h"
#include "glint/sql/expr/functions.h"
#include "glint/sql/planner/binder.h"
#include "glint/sql/planner/optimizer.h"
#include "glint/sql/planner/physical_plan.h"
#include "glint/sql/planner/streaming_sort.h"
#include "glint/sql/planner/time_attributes.h"
#include "glint/sql/planner/unique_keys.h"
#include "glint/sql/udf/udf_registry.h"

namespace glint::sql {

namespace {

using Row = std::vector<std::optional<std::string>>;

std::string changelogText(RowKind kind, const Row& row) {
  std::string s(rowKindShortString(kind));
  s += "[";
  for (size_t i = 0; i < row.size(); ++i) s += (i ? ", " : "") + (row[i] ? *row[i] : "NULL");
  return s + "]";
}

// A query's result, built while the job runs: each row the (single) collecting subtask receives
// is formatted, handed to the listener and applied to the materialised table at once, so that a
// long-running streaming query shows its changes as they come and memory holds the table, not
// every batch.
class ResultCollector {
 public:
  ResultCollector(std::vector<RelColumn> columns, bool streaming, ResultListener listener)
      : columns_(std::move(columns)), streaming_(streaming), listener_(std::move(listener)) {}

  void add(const Batch& batch) {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t r = 0; r < batch.numRows(); ++r) {
      Row row;
      row.reserve(columns_.size());
      for (size_t c = 0; c < columns_.size(); ++c)
        row.push_back(formatSqlValue(batch.column(c), r, columns_[c].type));
      const RowKind kind = batch.rowKind(r);
      if (listener_.onChange) listener_.onChange(rowKindShortString(kind), row);
      // With a listener the changes have been shown; only the table is kept.
      if (streaming_ && !listener_.onChange) changelog_.push_back(changelogText(kind, row));
      if (isAccumulate(kind)) {
        index_[row].push_back(rows_.size());
        rows_.push_back(std::move(row));
        alive_.push_back(true);
        continue;
      }
      // A retraction removes one equal earlier row.
      auto it = index_.find(row);
      if (it == index_.end() || it->second.empty()) {
        if (error_.isOk())
          error_ = Status::internal("retraction of a row that is not in the result: " +
                                    changelogText(kind, row));
        continue;
      }
      alive_[it->second.back()] = false;
      it->second.pop_back();
    }
  }

  // The final table; call after the job has ended.
  Status finish(ResultTable& table) {
    std::lock_guard<std::mutex> lock(mu_);
    GLINT_RETURN_IF_ERROR(error_);
    table.changelog = std::move(changelog_);
    for (size_t i = 0; i < rows_.size(); ++i)
      if (alive_[i]) table.rows.push_back(std::move(rows_[i]));
    return Status::ok();
  }

 private:
  std::mutex mu_;
  const std::vector<RelColumn> columns_;
  const bool streaming_;
  const ResultListener listener_;
  std::vector<Row> rows_;
  std::vector<bool> alive_;
  std::map<Row, std::vector<size_t>> index_;
  std::vector<std::string> changelog_;
  Status error_ = Status::ok();
};

class ResultSink final : public SinkOperator {
 public:
  explicit ResultSink(std::shared_ptr<ResultCollector> out) : out_(std::move(out)) {}

 protected:
  void consume(Batch&& batch) override { out_->add(batch); }

 private:
  std::shared_ptr<ResultCollector> out_;
};

const char* kSqlClientOptions[] = {"sql-client.execution.result-mode",
                                   "sql-client.execution.max-table-result.rows",
                                   "sql-client.display.max-column-width", "sql-client.verbose"};

}  // namespace

struct SqlSession::Impl {
  JobConfig initial;
  JobConfig config;
  std::vector<std::pair<std::string, std::string>> sets;  // in order, for RESET
  std::map<std::string, std::string> clientOptions;
  Catalog catalog;
  std::function<void(JobHandle*)> observer;
  ResultListener resultListener;

  bool streaming() const { return config.get("execution.runtime-mode", "streaming") != "batch"; }

  Status applySet(const std::string& key, const std::string& value) {
    if (key.rfind("sql-client.", 0) == 0) {
      bool known = false;
      for (const char* k : kSqlClientOptions) known |= key == k;
      if (!known) return Status::invalidArgument("unknown option '" + key + "'");
      if (key == "sql-client.execution.result-mode" && value != "table" && value != "changelog" &&
          value != "tableau")
        return Status::invalidArgument(
            "option '" + key + "' must be 'table', 'changelog' or 'tableau', got '" + value + "'");
      clientOptions[key] = value;
      return Status::ok();
    }
    if (key == "execution.runtime-mode" && value != "streaming" && value != "batch")
      return Status::invalidArgument(
          "option 'execution.runtime-mode' must be 'streaming' or 'batch', got '" + value + "'");
    GLINT_RETURN_IF_ERROR(validateAggregationOption(key, value));
    if (key == "table.exec.state.ttl") {
      auto d = parseDurationMillis(value);
      if (!d.isOk())
        return Status::invalidArgument("option 'table.exec.state.ttl': " + d.status().message());
    }
    return config.set(key, value);
  }

  // Flink's mini-batch and aggregation-phase options; values are checked when SET.
  static Status validateAggregationOption(const std::string& key, const std::string& value) {
    if (key == "table.exec.mini-batch.enabled" && value != "true" && value != "false")
      return Status::invalidArgument("option '" + key + "' must be 'true' or 'false', got '" +
                                     value + "'");
    if (key == "table.exec.mini-batch.allow-latency") {
      auto d = parseDurationMillis(value);
      if (!d.isOk())
        return Status::invalidArgument("option '" + key + "': " + d.status().message());
    }
    if (key == "table.exec.mini-batch.size") {
      char* end = nullptr;
      const long long n = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n <= 0)
        return Status::invalidArgument("option '" + key + "' must be a positive integer, got '" +
                                       value + "'");
    }
    if (key == "table.optimizer.agg-phase-strategy" && value != "AUTO" && value != "ONE_PHASE" &&
        value != "TWO_PHASE")
      return Status::invalidArgument("option '" + key +
                                     "' must be AUTO, ONE_PHASE or TWO_PHASE, got '" + value + "'");
    return Status::ok();
  }

  AggregationOptions aggregationOptions() const {
    AggregationOptions a;
    a.miniBatch = config.get("table.exec.mini-batch.enabled", "false") == "true";
    auto latency = parseDurationMillis(config.get("table.exec.mini-batch.allow-latency", "0 ms"));
    if (latency.isOk()) a.miniBatchLatencyMillis = *latency;
    a.miniBatchSize =
        std::strtoll(config.get("table.exec.mini-batch.size", "-1").c_str(), nullptr, 10);
    const std::string phases = config.get("table.optimizer.agg-phase-strategy", "AUTO");
    a.phases = phases == "ONE_PHASE"   ? AggregatePhaseStrategy::kOnePhase
               : phases == "TWO_PHASE" ? AggregatePhaseStrategy::kTwoPhase
                                       : AggregatePhaseStrategy::kAuto;
    return a;
  }

  PhysicalOptions physicalOptions() const {
    PhysicalOptions o;
    o.streaming = streaming();
    o.aggregation = aggregationOptions();
    auto ttl = config.get("table.exec.state.ttl");
    if (!ttl.empty()) {
      auto d = parseDurationMillis(ttl);
      if (d.isOk()) o.state.ttlMillis = *d;
    }
    return o;
  }

  Result<RelPtr> plan(const Query& query, std::string_view sql) {
    auto bound = bindQuery(query, sql, catalog);
    if (!bound.isOk()) return bound.status();
    RelPtr optimized = optimize(*bound);
    if (streaming()) GLINT_RETURN_IF_ERROR(checkStreamingOrderBy(query, *optimized, sql));
    return optimized;
  }

  Status runJob(StreamExecutionEnvironment& env) {
    auto job = env.executeAsync("sql");
    if (!job.isOk()) return job.status();
    if (observer) observer(job->get());
    Status st = (*job)->wait();
    if (observer) observer(nullptr);
    return st;
  }

  // Adds a sink for INSERT INTO `target`.
  Status addInsert(const InsertStatement& insert, std::string_view sql,
                   StreamExecutionEnvironment& env, std::string* explain) {
    if (insert.target.parts.size() != 1)
      return sqlError(sql, insert.target.span, "only unqualified table names are supported");
    const std::string name = insert.target.parts[0].name;
    auto table = catalog.findTable(name);
    if (!table) {
      auto m = closestMatch(name, catalog.tableNames());
      return sqlError(sql, insert.target.span,
                      "unknown table `" + name + "`" + (m ? "; did you mean `" + *m + "`?" : ""));
    }
    if (!insert.partition.empty())
      return sqlError(sql, insert.span, "INSERT ... PARTITION is not supported");
    auto planned = plan(*insert.query, sql);
    if (!planned.isOk()) return planned.status();
    RelPtr rel = *planned;
    // The sink's columns: the physical ones, or those listed.
    std::vector<int> targets;
    if (insert.columns.empty()) {
      for (size_t i = 0; i < table->columns.size(); ++i)
        if (!table->columns[i].isComputed()) targets.push_back(static_cast<int>(i));
    } else {
      for (const auto& c : insert.columns) {
        int i = table->indexOf(c.name);
        if (i < 0) {
          auto m = closestMatch(c.name, table->columnNames());
          return sqlError(sql, c.span,
                          "unknown column `" + c.name + "` of table `" + name + "`" +
                              (m ? "; did you mean `" + *m + "`?" : ""));
        }
        targets.push_back(i);
      }
    }
    if (targets.size() != rel->columns.size())
      return sqlError(sql, insert.query->span,
                      "the query has " + std::to_string(rel->columns.size()) +
                          " columns but table `" + name + "` expects " +
                          std::to_string(targets.size()));
    std::vector<BoundExprPtr> casts;
    std::vector<RelColumn> sinkColumns;
    bool needsCast = false;
    for (size_t i = 0; i < targets.size(); ++i) {
      const auto& col = table->columns[targets[i]];
      auto ref = makeColumnRef(static_cast<int>(i), rel->columns[i].type, rel->columns[i].nullable,
                               rel->columns[i].name);
      auto cast = coerceTo(ref, col.type);
      if (!cast.isOk())
        return sqlError(sql, insert.query->span,
                        "column " + std::to_string(i + 1) + " of the query (" +
                            flinkTypeName(rel->columns[i].type) + ") does not fit column `" +
                            col.name + "` (" + flinkTypeName(col.type) + ")");
      needsCast |= rel->columns[i].type != col.type || rel->columns[i].name != col.name;
      casts.push_back(*cast);
      sinkColumns.push_back({col.name, col.type, true});
    }
    if (needsCast) {
      auto calc = std::make_shared<RelNode>();
      calc->kind = RelKind::kCalc;
      calc->projections = casts;
      calc->columns = sinkColumns;
      calc->inputs = {rel};
      calc->updating = rel->updating;
      rel = calc;
    }
    const std::string& c = table->connector;
    if (c == "datagen" || c == "nexmark")
      return sqlError(
          sql, insert.target.span,
          "connector '" + c + "' of table `" + name + "` is a source and cannot be written to");
    // In batch mode results are final: an updating plan is materialized by the sink.
    if (rel->updating && c == "filesystem" && streaming())
      return sqlError(sql, insert.target.span,
                      "table sink `" + name +
                          "` (connector 'filesystem') does not support "
                          "consuming update changes, but the query produces them",
                      "EXPLAIN shows which operator updates (changelogMode=[I,UB,UA,D]); use a "
                      "window aggregation for an insert-only result");
    auto stream = translateToStream(rel, env, physicalOptions(), explain);
    if (!stream.isOk()) return stream.status();
    SchemaPtr schema = schemaOf(sinkColumns.empty() ? rel->columns : sinkColumns);
    if (c == "print") {
      stream->sinkTo("print:" + name, [] { return std::make_unique<PrintSink>(); });
    } else if (c == "blackhole") {
      stream->sinkTo("blackhole:" + name, [] { return std::make_unique<BlackholeSink>(); });
    } else if (c == "filesystem") {
      FileSinkOptions fo;
      fo.directory = table->options.at("path");
      fo.format = table->options.at("format");
      fo.schema = stream->schema();
      auto formatOptions = parseTextFormatOptions(fo.format, table->options);
      if (!formatOptions.isOk()) return formatOptions.status();
      fo.csvHeader = formatOptions->header;
      if (rel->updating) fo.mode = SinkChangelogMode::kFinalState;
      stream->sinkTo("filesystem:" + name, [fo] { return std::make_unique<FileSink>(fo); });
    }
    if (explain) *explain += "  -> Sink(" + name + ", connector=" + c + ")\n";
    return Status::ok();
  }

  Result<StatementResult> runQuery(const Query& query, std::string_view sql) {
    auto planned = plan(query, sql);
    if (!planned.isOk()) return planned.status();
    RelPtr rel = *planned;
    StreamExecutionEnvironment env(config);
    auto stream = translateToStream(rel, env, physicalOptions(), nullptr);
    if (!stream.isOk()) return stream.status();
    StatementResult result;
    result.kind = StatementResult::Kind::kQuery;
    for (const auto& c : rel->columns) {
      result.table.columnNames.push_back(c.name);
      result.table.columnTypes.push_back(flinkTypeName(c.type) + (c.nullable ? "" : " NOT NULL"));
    }
    if (resultListener.onStart) resultListener.onStart(result.table);
    auto collected = std::make_shared<ResultCollector>(rel->columns, streaming(), resultListener);
    DataStream out = *stream;
    // One subtask collects, so that the changelog keeps its order.
    out.global().sinkTo("collect", [collected] { return std::make_unique<ResultSink>(collected); });
    env.graph();
    GLINT_RETURN_IF_ERROR(runJob(env));
    GLINT_RETURN_IF_ERROR(collected->finish(result.table));
    return result;
  }

  Result<StatementResult> execute(const Statement& st, std::string_view sql) {
    StatementResult result;
    result.kind = StatementResult::Kind::kOk;
    switch (st.kind) {
      case StatementKind::kQuery:
        return runQuery(*st.as<QueryStatement>().query, sql);
      case StatementKind::kInsert: {
        StreamExecutionEnvironment env(config);
        GLINT_RETURN_IF_ERROR(addInsert(st.as<InsertStatement>(), sql, env, nullptr));
        GLINT_RETURN_IF_ERROR(runJob(env));
        result.message = "Job finished: INSERT INTO " + st.as<InsertStatement>().target.toString();
        return result;
      }
      case StatementKind::kStatementSet: {
        StreamExecutionEnvironment env(config);
        for (const auto& insert : st.as<StatementSetStatement>().inserts)
          GLINT_RETURN_IF_ERROR(addInsert(*insert, sql, env, nullptr));
        GLINT_RETURN_IF_ERROR(runJob(env));
        result.message =
            "Job finished: " + std::to_string(st.as<StatementSetStatement>().inserts.size()) +
            " INSERT statements";
        return result;
      }
      case StatementKind::kCreateTable:
        GLINT_RETURN_IF_ERROR(catalog.createTable(st.as<CreateTableStatement>(), sql));
        result.message = "Table has been created.";
        return result;
      case StatementKind::kCreateView: {
        const auto& v = st.as<CreateViewStatement>();
        if (v.name.parts.size() != 1)
          return sqlError(sql, v.name.span, "only unqualified view names are supported");
        auto planned = plan(*v.query, sql);
        if (!planned.isOk()) return planned.status();
        CatalogView view;
        view.name = v.name.parts[0].name;
        view.temporary = v.temporary;
        view.querySql = toString(*v.query);
        for (const auto& c : v.columns) view.columnAliases.push_back(c.name);
        if (!view.columnAliases.empty() && view.columnAliases.size() != (*planned)->columns.size())
          return sqlError(sql, v.name.span,
                          "the view lists " + std::to_string(view.columnAliases.size()) +
                              " columns, its query has " +
                              std::to_string((*planned)->columns.size()));
        for (size_t i = 0; i < (*planned)->columns.size(); ++i) {
          view.columnNames.push_back(i < view.columnAliases.size() ? view.columnAliases[i]
                                                                   : (*planned)->columns[i].name);
          view.columnTypes.push_back((*planned)->columns[i].type);
        }
        GLINT_RETURN_IF_ERROR(catalog.addView(std::move(view), v.ifNotExists, v.name.span, sql));
        result.message = "View has been created.";
        return result;
      }
      case StatementKind::kDrop:
        GLINT_RETURN_IF_ERROR(catalog.drop(st.as<DropStatement>(), sql));
        result.message = "Dropped.";
        return result;
      case StatementKind::kShow: {
        const auto& s = st.as<ShowStatement>();
        result.kind = StatementResult::Kind::kInfo;
        std::vector<std::string> names;
        std::string header;
        switch (s.object) {
          case ShowObject::kTables:
            names = catalog.allNames();
            header = "table name";
            break;
          case ShowObject::kViews:
            names = catalog.viewNames();
            header = "view name";
            break;
          case ShowObject::kCatalogs:
            names = {"default_catalog"};
            header = "catalog name";
            break;
          case ShowObject::kDatabases:
            names = {"default_database"};
            header = "database name";
            break;
          case ShowObject::kCurrentCatalog:
            names = {"default_catalog"};
            header = "current catalog name";
            break;
          case ShowObject::kCurrentDatabase:
            names = {"default_database"};
            header = "current database name";
            break;
          case ShowObject::kFunctions:
            // Flink: SHOW FUNCTIONS lists built-in and user functions, SHOW USER FUNCTIONS
            // the user's only.
            names = catalog.functionNames();
            if (!st.as<ShowStatement>().userOnly) {
              for (auto& n : knownFunctionNamesForShow()) names.push_back(n);
              std::sort(names.begin(), names.end());
            }
            header = "function name";
            break;
          default:
            return sqlError(sql, st.span, "this SHOW statement is not supported yet");
        }
        result.table.columnNames = {header};
        result.table.columnTypes = {"STRING"};
        for (auto& n : names) result.table.rows.push_back({n});
        return result;
      }
      case StatementKind::kDescribe: {
        const auto& d = st.as<DescribeStatement>();
        const std::string name = d.name.toString();
        result.kind = StatementResult::Kind::kInfo;
        result.table.columnNames = {"name", "type", "null", "key", "extras", "watermark"};
        result.table.columnTypes = {"STRING", "STRING", "BOOLEAN", "STRING", "STRING", "STRING"};
        if (auto t = catalog.findTable(name)) {
          auto isKey = [&](const std::string& column) {
            return std::find(t->primaryKey.begin(), t->primaryKey.end(), column) !=
                   t->primaryKey.end();
          };
          // As Flink: primary key columns are NOT NULL, also inside computed columns.
          std::vector<RelColumn> physical;
          for (const auto& c : t->columns)
            if (!c.isComputed())
              physical.push_back({c.name, c.type, c.nullable && !isKey(c.name)});
          // Expressions as Flink prints them: names in backquotes.
          auto quoted = [](const std::string& text) {
            auto parsed = parseExpression(text);
            return parsed.isOk() ? toQuotedString(*parsed.value()) : text;
          };
          for (const auto& c : t->columns) {
            ExprType type = c.type;
            bool nullable = c.nullable;
            std::string extras;
            bool proctime = false;
            if (c.isComputed()) {
              auto parsed = parseExpression(c.computedSql);
              if (parsed.isOk()) {
                auto b = bindScalar(*parsed.value(), c.computedSql, physical);
                if (b.isOk()) {
                  type = (*b)->type;
                  nullable = (*b)->nullable;
                  proctime = isProctimeCall(**b);
                }
              }
              extras = "AS " + quoted(c.computedSql);
            }
            bool pk = std::find(t->primaryKey.begin(), t->primaryKey.end(), c.name) !=
                      t->primaryKey.end();
            std::string typeText = flinkTypeName(type);
            if (t->rowtimeColumn && *t->rowtimeColumn == c.name) typeText += " *ROWTIME*";
            if (proctime) typeText += " *PROCTIME*";
            result.table.rows.push_back(
                {c.name, typeText, (nullable && !pk) ? "TRUE" : "FALSE",
                 pk ? std::optional<std::string>("PRI(" + c.name + ")") : std::nullopt,
                 extras.empty() ? std::nullopt : std::optional<std::string>(extras),
                 t->rowtimeColumn && *t->rowtimeColumn == c.name
                     ? std::optional<std::string>(quoted(t->watermarkSql))
                     : std::nullopt});
          }
          return result;
        }
        if (auto v = catalog.findView(name)) {
          for (size_t i = 0; i < v->columnNames.size(); ++i)
            result.table.rows.push_back({v->columnNames[i], flinkTypeName(v->columnTypes[i]),
                                         "TRUE", std::nullopt, std::nullopt, std::nullopt});
          return result;
        }
        auto m = closestMatch(name, catalog.allNames());
        return sqlError(
            sql, d.name.span,
            "unknown table or view `" + name + "`" + (m ? "; did you mean `" + *m + "`?" : ""));
      }
      case StatementKind::kSet: {
        const auto& s = st.as<SetStatement>();
        if (!s.key) {
          result.kind = StatementResult::Kind::kInfo;
          result.table.columnNames = {"key", "value"};
          result.table.columnTypes = {"STRING", "STRING"};
          std::map<std::string, std::string> all = {
              {"parallelism.default", std::to_string(config.parallelism)},
              {"execution.batch-size", std::to_string(config.batchSize)},
              {"execution.runtime-mode", streaming() ? "streaming" : "batch"}};
          for (const auto& [k, v] : config.options) all[k] = v;
          for (const auto& [k, v] : clientOptions) all[k] = v;
          for (const auto& [k, v] : all) result.table.rows.push_back({k, v});
          return result;
        }
        Status set = applySet(*s.key, s.value.value_or(""));
        if (!set.isOk()) return sqlError(sql, st.span, set.message());
        sets.emplace_back(*s.key, s.value.value_or(""));
        result.message = "Session property has been set.";
        return result;
      }
      case StatementKind::kReset: {
        const auto& r = st.as<ResetStatement>();
        std::vector<std::pair<std::string, std::string>> keep;
        for (const auto& kv : sets)
          if (r.key && kv.first != *r.key) keep.push_back(kv);
        config = initial;
        clientOptions.clear();
        sets.clear();
        for (const auto& [k, v] : keep) {
          GLINT_RETURN_IF_ERROR(applySet(k, v));
          sets.emplace_back(k, v);
        }
        result.message = "Session property has been reset.";
        return result;
      }
      case StatementKind::kExplain: {
        const auto& e = st.as<ExplainStatement>();
        result.kind = StatementResult::Kind::kInfo;
        std::string text;
        StreamExecutionEnvironment env(config);
        std::string physical;
        auto explainQuery = [&](const Query& q) -> Status {
          auto bound = bindQuery(q, sql, catalog);
          if (!bound.isOk()) return bound.status();
          RelPtr unoptimized = *bound;
          deriveChangelogModes(*unoptimized);
          deriveUniqueKeys(*unoptimized);
          text += "== Abstract Syntax Tree ==\n" + explainLogical(*unoptimized) + "\n";
          auto opt = optimize(*bound);
          text += "== Optimized Logical Plan ==\n" + explainLogical(*opt) + "\n";
          auto stream = translateToStream(opt, env, physicalOptions(), &physical);
          return stream.status();
        };
        if (e.statement->kind == StatementKind::kQuery) {
          GLINT_RETURN_IF_ERROR(explainQuery(*e.statement->as<QueryStatement>().query));
        } else if (e.statement->kind == StatementKind::kInsert) {
          const auto& ins = e.statement->as<InsertStatement>();
          GLINT_RETURN_IF_ERROR(explainQuery(*ins.query));
          physical.clear();
          StreamExecutionEnvironment env2(config);
          GLINT_RETURN_IF_ERROR(addInsert(ins, sql, env2, &physical));
        } else if (e.statement->kind == StatementKind::kStatementSet) {
          for (const auto& ins : e.statement->as<StatementSetStatement>().inserts) {
            GLINT_RETURN_IF_ERROR(explainQuery(*ins->query));
          }
          physical.clear();
          StreamExecutionEnvironment env2(config);
          for (const auto& ins : e.statement->as<StatementSetStatement>().inserts)
            GLINT_RETURN_IF_ERROR(addInsert(*ins, sql, env2, &physical));
        } else {
          return sqlError(sql, e.statement->span, "EXPLAIN needs a query, INSERT or statement set");
        }
        text += "== Physical Execution Plan (" + std::string(streaming() ? "streaming" : "batch") +
                ") ==\n" + physical;
        result.message = text;
        return result;
      }
      case StatementKind::kUse:
        return sqlError(sql, st.span,
                        "catalogs and databases other than the default are not supported");
      case StatementKind::kCreateFunction: {
        const auto& f = st.as<CreateFunctionStatement>();
        for (const auto& jar : f.jars) {
          Status loaded = UdfRegistry::instance().loadLibrary(jar);
          if (!loaded.isOk()) return sqlError(sql, st.span, loaded.message());
        }
        GLINT_RETURN_IF_ERROR(catalog.createFunction(f, sql));
        result.kind = StatementResult::Kind::kOk;
        result.message = "Function has been created.";
        return result;
      }
    }
    return sqlError(sql, st.span, "unsupported statement");
  }

  static std::vector<std::string> knownFunctionNamesForShow();
};

std::vector<std::string> SqlSession::Impl::knownFunctionNamesForShow() {
  auto names = knownFunctionNames();
  for (const char* a : {"AVG", "COUNT", "MAX", "MIN", "SUM"}) names.push_back(a);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

SqlSession::SqlSession(JobConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->initial = config;
  impl_->config = std::move(config);
}

SqlSession::~SqlSession() = default;

JobConfig& SqlSession::config() {
  return impl_->config;
}
Catalog& SqlSession::catalog() {
  return impl_->catalog;
}
void SqlSession::setJobObserver(std::function<void(JobHandle*)> observer) {
  impl_->observer = std::move(observer);
}

void SqlSession::setResultListener(ResultListener listener) {
  impl_->resultListener = std::move(listener);
}

std::string SqlSession::option(const std::string& key, const std::string& fallback) const {
  auto it = impl_->clientOptions.find(key);
  if (it != impl_->clientOptions.end()) return it->second;
  return impl_->config.get(key, fallback);
}

Result<StatementResult> SqlSession::execute(std::string_view statement) {
  auto parsed = parseStatement(statement);
  if (!parsed.isOk()) return parsed.status(statement);
  try {
    return impl_->execute(*parsed.value(), statement);
  } catch (const GlintError& e) {
    return Status::invalidArgument(e.what());
  }
}

Result<std::vector<StatementResult>> SqlSession::executeScript(std::string_view script) {
  auto parsed = parseStatements(script);
  if (!parsed.isOk()) return parsed.status(script);
  std::vector<StatementResult> results;
  for (const auto& st : parsed.value()) {
    Result<StatementResult> r = [&]() -> Result<StatementResult> {
      try {
        return impl_->execute(*st, script);
      } catch (const GlintError& e) {
        return Status::invalidArgument(e.what());
      }
    }();
    if (!r.isOk()) return r.status();
    results.push_back(std::move(r).value());
  }
  return results;
}

}  // namespace glint::sql
