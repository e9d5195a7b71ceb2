#include "glint/sql/catalog/catalog.h"

#include <algorithm>
#include <set>

#include "glint/connectors/datagen/datagen_source.h"
#include "glint/formats/record_format.h"
#include "glint/sql/parser/parse_error.h"

namespace glint::sql {

std::string flinkTypeName(ExprType type) {
  switch (type) {
    case ExprType::kBoolean:
      return "BOOLEAN";
    case ExprType::kInt:
      return "INT";
    case ExprType::kBigint:
      return "BIGINT";
    case ExprType::kDouble:
      return "DOUBLE";
    case ExprType::kVarchar:
      return "STRING";
    case ExprType::kTimestamp:
      return "TIMESTAMP(3)";
    case ExprType::kTimestampLtz:
      return "TIMESTAMP_LTZ(3)";
    case ExprType::kDate:
      return "DATE";
    case ExprType::kIntervalDayTime:
      return "INTERVAL SECOND(3)";
    case ExprType::kIntervalYearMonth:
      return "INTERVAL MONTH";
    case ExprType::kNull:
      return "NULL";
  }
  return "?";
}

Status sqlError(std::string_view sql, const SourceSpan& span, const std::string& message,
                const std::string& hint) {
  std::string out = "SQL error at line " + std::to_string(span.line) + ", column " +
                    std::to_string(span.column) + ": " + message + "\n";
  out += renderCaret(sql, span.line, span.column, std::max(1, span.length));
  if (!hint.empty()) out += "\nhint: " + hint;
  return Status::invalidArgument(out);
}

Result<ExprType> exprTypeOfSyntax(const DataTypeSyntax& type, std::string_view sql) {
  switch (type.name) {
    case TypeName::kBoolean:
      return ExprType::kBoolean;
    case TypeName::kTinyInt:
    case TypeName::kSmallInt:
    case TypeName::kInt:
      return ExprType::kInt;
    case TypeName::kBigInt:
      return ExprType::kBigint;
    case TypeName::kFloat:
    case TypeName::kDouble:
    case TypeName::kDecimal:  // approximated by DOUBLE (sql/expr/bound_expr.h)
      return ExprType::kDouble;
    case TypeName::kChar:
    case TypeName::kVarchar:
    case TypeName::kString:
      return ExprType::kVarchar;
    case TypeName::kDate:
      return ExprType::kDate;
    case TypeName::kTimestamp:
      return ExprType::kTimestamp;
    case TypeName::kTimestampLtz:
      return ExprType::kTimestampLtz;
    default:
      return sqlError(sql, type.span,
                      std::string("type ") + typeNameText(type.name) + " is not supported",
                      "supported types: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, "
                      "DECIMAL (as DOUBLE), CHAR, VARCHAR, STRING, DATE, TIMESTAMP, "
                      "TIMESTAMP_LTZ");
  }
}

int CatalogTable::indexOf(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> CatalogTable::columnNames() const {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

namespace {

struct OptionError {
  std::string key;  // the option the error is about ("" = the table as a whole)
  std::string message;
};

std::optional<OptionError> checkKnown(const std::map<std::string, std::string>& options,
                                      const std::vector<std::string>& known,
                                      const std::string& connector,
                                      const std::vector<std::string>& prefixes = {}) {
  for (const auto& [key, value] : options) {
    if (key == "connector") continue;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    bool prefixed = false;
    for (const auto& p : prefixes) prefixed |= key.rfind(p, 0) == 0;
    if (prefixed) continue;
    std::string message = "unsupported option '" + key + "' for connector '" + connector + "'";
    if (auto m = closestMatch(key, known))
      message += "; did you mean '" + *m + "'?";
    else {
      message += "; supported options:";
      for (const auto& k : known) message += " " + k;
    }
    return OptionError{key, message};
  }
  return std::nullopt;
}

std::optional<OptionError> validate(const CatalogTable& t) {
  const auto& o = t.options;
  const std::string& c = t.connector;
  if (c == "datagen") {
    std::vector<Field> fields;
    for (const auto& col : t.columns)
      if (!col.isComputed()) fields.push_back({col.name, storageTypeOf(col.type)});
    auto parsed = DatagenOptions::fromOptions(Schema(fields), o);
    if (!parsed.isOk()) {
      std::string key;
      for (const auto& [k, v] : o)
        if (parsed.status().message().find("'" + k + "'") != std::string::npos) key = k;
      return OptionError{key, parsed.status().message()};
    }
    return std::nullopt;
  }
  if (c == "nexmark") {
    static const std::vector<std::string> known = {"first-event.rate",
                                                   "next-event.rate",
                                                   "rate.limited",
                                                   "rate.shape",
                                                   "rate.period",
                                                   "events.num",
                                                   "person.avg-size",
                                                   "auction.avg-size",
                                                   "bid.avg-size",
                                                   "person.proportion",
                                                   "auction.proportion",
                                                   "bid.proportion",
                                                   "bid.hot-ratio.auctions",
                                                   "bid.hot-ratio.bidders",
                                                   "auction.hot-ratio.sellers",
                                                   "keep-alive",
                                                   "stop-at",
                                                   "max-emit-speed",
                                                   "seed",
                                                   "table"};
    if (auto e = checkKnown(o, known, c)) return e;
    auto it = o.find("table");
    if (it == o.end())
      return OptionError{"",
                         "connector 'nexmark' needs option 'table' = 'person' | 'auction' | "
                         "'bid' (Glint's nexmark tables are one per event kind)"};
    if (it->second != "person" && it->second != "auction" && it->second != "bid")
      return OptionError{
          "table", "option 'table' must be 'person', 'auction' or 'bid', got '" + it->second + "'"};
    for (const auto& [key, value] : o) {
      if (key == "connector" || key == "table" || key == "rate.shape" || key == "rate.period")
        continue;
      if (key == "rate.limited" || key == "keep-alive" || key == "max-emit-speed") {
        if (value != "true" && value != "false")
          return OptionError{key,
                             "option '" + key + "' must be 'true' or 'false', got '" + value + "'"};
        continue;
      }
      std::string digits = value;
      if (key.find("avg-size") != std::string::npos && !digits.empty() && digits.back() == 'b')
        digits.pop_back();
      char* end = nullptr;
      long long v = std::strtoll(digits.c_str(), &end, 10);
      if (digits.empty() || *end != '\0' || (v < 0 && key != "stop-at"))
        return OptionError{
            key, "option '" + key + "' must be a non-negative integer, got '" + value + "'"};
    }
    return std::nullopt;
  }
  if (c == "filesystem") {
    if (auto e = checkKnown(o,
                            {"path", "format", "sink.rolling-policy.file-size",
                             "sink.rolling-policy.rollover-interval", "source.monitor-interval"},
                            c, {"csv.", "json."}))
      return e;
    if (!o.count("path")) return OptionError{"", "connector 'filesystem' needs option 'path'"};
    auto f = o.find("format");
    if (f == o.end())
      return OptionError{"", "connector 'filesystem' needs option 'format' = 'csv' | 'json'"};
    if (f->second != "csv" && f->second != "json")
      return OptionError{"format",
                         "option 'format' must be 'csv' or 'json', got '" + f->second + "'"};
    auto fo = parseTextFormatOptions(f->second, o);
    if (!fo.isOk()) {
      std::string key;
      for (const auto& [k, v] : o)
        if (fo.status().message().find(k) != std::string::npos) key = k;
      return OptionError{key, fo.status().message()};
    }
    return std::nullopt;
  }
  if (c == "print")
    return checkKnown(o, {"print-identifier", "standard-error", "sink.parallelism"}, c);
  if (c == "blackhole") return checkKnown(o, {}, c);
  return OptionError{
      "connector",
      "unknown connector '" + c + "'; supported: datagen, nexmark, filesystem, print, blackhole"};
}

}  // namespace

Status validateConnectorOptions(const CatalogTable& table) {
  if (auto e = validate(table)) return Status::invalidArgument(e->message);
  return Status::ok();
}

Status Catalog::createTable(const CreateTableStatement& st, std::string_view sql) {
  if (st.name.parts.size() != 1)
    return sqlError(sql, st.name.span, "only unqualified table names are supported");
  const std::string name = st.name.parts[0].name;
  if (tables_.count(name) || views_.count(name)) {
    if (st.ifNotExists) return Status::ok();
    return sqlError(sql, st.name.span, "table or view `" + name + "` already exists");
  }
  if (st.asQuery) return sqlError(sql, st.span, "CREATE TABLE ... AS SELECT is not supported yet");
  auto table = std::make_shared<CatalogTable>();
  table->name = name;
  table->temporary = st.temporary;
  for (const auto& def : st.columns) {
    if (table->indexOf(def.name.name) >= 0)
      return sqlError(sql, def.name.span, "duplicate column `" + def.name.name + "`");
    CatalogColumn col;
    col.name = def.name.name;
    if (def.columnKind == ColumnKind::kMetadata)
      return sqlError(sql, def.span, "METADATA columns are not supported");
    if (def.columnKind == ColumnKind::kComputed) {
      col.computedSql = toString(*def.expression);
    } else {
      auto type = exprTypeOfSyntax(*def.type, sql);
      if (!type.isOk()) return type.status();
      col.type = *type;
      col.nullable = !def.type->notNull;
    }
    table->columns.push_back(std::move(col));
  }
  if (st.primaryKey) {
    for (const auto& k : st.primaryKey->columns) {
      if (table->indexOf(k.name) < 0)
        return sqlError(sql, k.span, "primary key column `" + k.name + "` is not a column",
                        closestMatch(k.name, table->columnNames())
                            ? "did you mean `" + *closestMatch(k.name, table->columnNames()) + "`?"
                            : "");
      table->primaryKey.push_back(k.name);
    }
  }
  if (st.watermark) {
    const auto& wm = *st.watermark;
    if (table->indexOf(wm.column.name) < 0) {
      auto m = closestMatch(wm.column.name, table->columnNames());
      return sqlError(sql, wm.column.span, "unknown column `" + wm.column.name + "` in WATERMARK",
                      m ? "did you mean `" + *m + "`?" : "");
    }
    table->rowtimeColumn = wm.column.name;
    table->watermarkSql = toString(*wm.expression);
    // Supported strategies: `col` (ascending) and `col - INTERVAL 'n' unit`.
    const Expr& e = *wm.expression;
    auto isColumn = [&](const Expr& x) {
      return x.kind == AstExprKind::kColumn && x.as<ColumnRefExpr>().name.parts.size() == 1 &&
             x.as<ColumnRefExpr>().name.parts[0].name == wm.column.name;
    };
    if (isColumn(e)) {
      table->watermarkDelayMillis = 0;
    } else if (e.kind == AstExprKind::kBinary && e.as<BinaryExpr>().op == BinaryOp::kSubtract &&
               isColumn(*e.as<BinaryExpr>().left) &&
               e.as<BinaryExpr>().right->kind == AstExprKind::kInterval) {
      const auto& iv = e.as<BinaryExpr>().right->as<IntervalExpr>();
      char* end = nullptr;
      double amount = std::strtod(iv.value.c_str(), &end);
      int64_t unit = 0;
      switch (iv.from) {
        case TimeUnit::kMillisecond:
          unit = 1;
          break;
        case TimeUnit::kSecond:
          unit = 1000;
          break;
        case TimeUnit::kMinute:
          unit = 60000;
          break;
        case TimeUnit::kHour:
          unit = 3600000;
          break;
        case TimeUnit::kDay:
          unit = 86400000;
          break;
        default:
          break;
      }
      if (iv.to || unit == 0 || *end != '\0' || amount < 0)
        return sqlError(sql, iv.span,
                        "the watermark delay must be an interval such as "
                        "INTERVAL '5' SECOND");
      table->watermarkDelayMillis = static_cast<int64_t>(amount * unit);
    } else {
      return sqlError(sql, wm.expression->span,
                      "unsupported watermark strategy; expected `" + wm.column.name + "` or `" +
                          wm.column.name + " - INTERVAL 'n' SECOND`");
    }
  }
  for (const auto& option : st.options) {
    if (table->options.count(option.key))
      return sqlError(sql, option.span, "option '" + option.key + "' is given twice");
    table->options[option.key] = option.value;
  }
  auto connector = table->options.find("connector");
  if (connector == table->options.end())
    return sqlError(sql, st.name.span, "table `" + name + "` has no 'connector' option",
                    "add WITH ('connector' = 'datagen' | 'nexmark' | 'filesystem' | 'print' | "
                    "'blackhole', ...)");
  table->connector = connector->second;
  if (auto e = validate(*table)) {
    SourceSpan where = st.name.span;
    for (const auto& option : st.options)
      if (option.key == e->key) where = option.span;
    return sqlError(sql, where, e->message);
  }
  tables_[name] = std::move(table);
  return Status::ok();
}

Status Catalog::addView(CatalogView view, bool ifNotExists, const SourceSpan& nameSpan,
                        std::string_view sql) {
  if (tables_.count(view.name) || views_.count(view.name)) {
    if (ifNotExists) return Status::ok();
    return sqlError(sql, nameSpan, "table or view `" + view.name + "` already exists");
  }
  std::string name = view.name;
  views_[name] = std::make_shared<const CatalogView>(std::move(view));
  return Status::ok();
}

Status Catalog::drop(const DropStatement& st, std::string_view sql) {
  const std::string name = st.name.toString();
  if (st.objectKind == ObjectKind::kFunction) return dropFunction(st, sql);
  const bool view = st.objectKind == ObjectKind::kView;
  bool erased = view ? views_.erase(name) > 0 : tables_.erase(name) > 0;
  if (!erased && !st.ifExists) {
    auto m = closestMatch(name, view ? viewNames() : tableNames());
    return sqlError(sql, st.name.span,
                    std::string(view ? "view" : "table") + " `" + name + "` does not exist",
                    m ? "did you mean `" + *m + "`?" : "");
  }
  return Status::ok();
}

std::shared_ptr<const CatalogTable> Catalog::findTable(std::string_view name) const {
  auto it = tables_.find(std::string(name));
  return it == tables_.end() ? nullptr : it->second;
}

std::shared_ptr<const CatalogView> Catalog::findView(std::string_view name) const {
  auto it = views_.find(std::string(name));
  return it == views_.end() ? nullptr : it->second;
}

std::vector<std::string> Catalog::tableNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : tables_) out.push_back(k);
  return out;
}

std::vector<std::string> Catalog::viewNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : views_) out.push_back(k);
  return out;
}

std::vector<std::string> Catalog::allNames() const {
  auto out = tableNames();
  for (auto& v : viewNames()) out.push_back(v);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace glint::sql
