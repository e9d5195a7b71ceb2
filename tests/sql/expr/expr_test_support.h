#pragma once
// Helpers for the expression tests: batches from rows of literal values, expression builders
// that fail the test on a resolution error, and evaluation to literal values per row.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "glint/sql/expr/evaluator.h"
#include "glint/sql/expr/functions.h"

namespace glint::sql {
// Readable values in test failure messages.
inline void PrintTo(const Value& v, std::ostream* os) {
  *os << v.toString();
}
}  // namespace glint::sql

namespace glint::sql::testing {

template <class T>
T unwrap(Result<T> r) {
  if (!r.isOk()) throw std::runtime_error("unexpected error: " + r.status().message());
  return std::move(r).value();
}

inline Value I(int64_t v) {
  return Value::int64(v);
}
inline Value I32(int32_t v) {
  return Value::int32(v);
}
inline Value D(double v) {
  return Value::float64(v);
}
inline Value S(std::string v) {
  return Value::varchar(std::move(v));
}
inline Value B(bool v) {
  return Value::boolean(v);
}
inline Value N(ExprType t) {
  return Value::null(t);
}
inline Value Ts(const std::string& text) {
  int64_t millis = 0;
  EXPECT_TRUE(parseTimestamp(text, &millis)) << text;
  return Value::integerOf(ExprType::kTimestamp, millis);
}
inline Value Dt(const std::string& text) {
  int64_t days = 0;
  EXPECT_TRUE(parseDate(text, &days)) << text;
  return Value::integerOf(ExprType::kDate, days);
}

inline BoundExprPtr lit(Value v) {
  return makeLiteral(std::move(v));
}
inline BoundExprPtr call(std::string_view name, std::vector<BoundExprPtr> args) {
  return unwrap(makeCall(name, std::move(args)));
}

// A table of rows for one test: fields, then one row of values per entry.
class Table {
 public:
  Table(std::vector<Field> fields, const std::vector<std::vector<Value>>& rows)
      : schema_(makeSchema(std::move(fields))), batch_(schema_) {
    for (const auto& row : rows) {
      EXPECT_EQ(row.size(), schema_->size());
      for (size_t c = 0; c < row.size(); ++c) {
        Column& column = batch_.mutableColumn(c);
        const Value& v = row[c];
        if (v.isNull) {
          column.appendNull();
        } else if (column.physical() == PhysicalType::kInt64) {
          column.appendInt(v.integer);
        } else if (column.physical() == PhysicalType::kDouble) {
          column.appendDouble(v.type == ExprType::kDouble ? v.real
                                                          : static_cast<double>(v.integer));
        } else {
          column.appendString(v.text);
        }
      }
    }
    batch_.setNumRows(rows.size());
  }

  BoundExprPtr col(const std::string& name) const {
    const int i = schema_->indexOf(name);
    EXPECT_GE(i, 0) << name;
    const Field& f = schema_->field(static_cast<size_t>(i));
    return makeColumnRef(i, f.type, f.nullable, f.name);
  }

  const Batch& batch() const { return batch_; }
  const Schema& schema() const { return *schema_; }

  // The expression's value on every row.
  std::vector<Value> eval(const BoundExprPtr& e, EvalOptions options = {}) const {
    auto compiled = unwrap(CompiledExpr::compile(e, *schema_, std::move(options)));
    Column c = compiled.evaluate(batch_);
    EXPECT_EQ(c.size(), batch_.numRows());
    std::vector<Value> out;
    for (size_t i = 0; i < c.size(); ++i) out.push_back(valueAt(c, i, e->type));
    return out;
  }
  // The value on the first row (for expressions over literals).
  Value one(const BoundExprPtr& e) const { return eval(e).at(0); }

 private:
  SchemaPtr schema_;
  Batch batch_;
};

// A one-row table without columns, for expressions over literals.
inline const Table& noColumns() {
  static const Table t({}, {{}});
  return t;
}
inline Value evalConst(const BoundExprPtr& e) {
  return noColumns().one(e);
}

inline std::string show(const Value& v) {
  return v.toString();
}

}  // namespace glint::sql::testing
