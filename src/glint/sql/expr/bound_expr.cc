#include "glint/sql/expr/bound_expr.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "glint/sql/expr/functions.h"

namespace glint::sql {

ExprType exprTypeOf(TypeId type) {
  return static_cast<ExprType>(static_cast<uint8_t>(type));
}

std::optional<TypeId> columnTypeOf(ExprType type) {
  if (static_cast<uint8_t>(type) <= static_cast<uint8_t>(ExprType::kDate))
    return static_cast<TypeId>(static_cast<uint8_t>(type));
  return std::nullopt;
}

TypeId storageTypeOf(ExprType type) {
  auto column = columnTypeOf(type);
  return column ? *column : TypeId::kBigint;
}

std::string_view exprTypeName(ExprType type) {
  switch (type) {
    case ExprType::kIntervalDayTime:
      return "INTERVAL DAY TO SECOND";
    case ExprType::kIntervalYearMonth:
      return "INTERVAL YEAR TO MONTH";
    case ExprType::kNull:
      return "NULL";
    default:
      return typeName(*columnTypeOf(type));
  }
}

bool isNumeric(ExprType t) {
  return t == ExprType::kInt || t == ExprType::kBigint || t == ExprType::kDouble;
}
bool isIntegral(ExprType t) {
  return t == ExprType::kInt || t == ExprType::kBigint;
}
bool isTimePoint(ExprType t) {
  return t == ExprType::kTimestamp || t == ExprType::kTimestampLtz || t == ExprType::kDate;
}
bool isInterval(ExprType t) {
  return t == ExprType::kIntervalDayTime || t == ExprType::kIntervalYearMonth;
}

Value Value::null(ExprType type) {
  Value v;
  v.type = type;
  return v;
}
Value Value::boolean(bool b) {
  return integerOf(ExprType::kBoolean, b ? 1 : 0);
}
Value Value::integerOf(ExprType type, int64_t i) {
  Value v;
  v.type = type;
  v.isNull = false;
  v.integer = i;
  return v;
}
Value Value::float64(double d) {
  Value v;
  v.type = ExprType::kDouble;
  v.isNull = false;
  v.real = d;
  return v;
}
Value Value::varchar(std::string s) {
  Value v;
  v.type = ExprType::kVarchar;
  v.isNull = false;
  v.text = std::move(s);
  return v;
}

std::string Value::toString() const {
  if (isNull) return "NULL";
  switch (type) {
    case ExprType::kBoolean:
      return integer ? "TRUE" : "FALSE";
    case ExprType::kInt:
    case ExprType::kBigint:
      return std::to_string(integer);
    case ExprType::kDouble: {
      if (std::isnan(real)) return "CAST('NaN' AS DOUBLE)";
      if (std::isinf(real))
        return real > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)";
      // Shortest round-trip digits with an exponent, so the literal reads back as a DOUBLE.
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, real, std::chars_format::scientific);
      std::string s(buf, r.ptr);
      auto e = s.find('e');
      std::string mantissa = s.substr(0, e);
      if (mantissa.find('.') == std::string::npos) mantissa += ".0";
      int exponent = std::stoi(s.substr(e + 1));
      return mantissa + "E" + std::to_string(exponent);
    }
    case ExprType::kVarchar: {
      std::string out = "'";
      for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
      }
      return out + "'";
    }
    case ExprType::kTimestamp:
      return "TIMESTAMP '" + formatTimestamp(integer) + "'";
    case ExprType::kTimestampLtz:
      return "TO_TIMESTAMP_LTZ(" + std::to_string(integer) + ", 3)";
    case ExprType::kDate:
      return "DATE '" + formatDate(integer) + "'";
    case ExprType::kIntervalDayTime:
      return "INTERVAL '" + std::to_string(integer) + "' MILLISECOND";
    case ExprType::kIntervalYearMonth:
      return "INTERVAL '" + std::to_string(integer) + "' MONTH";
    case ExprType::kNull:
      return "NULL";
  }
  return "?";
}

bool Value::operator==(const Value& o) const {
  if (type != o.type || isNull != o.isNull) return false;
  if (isNull) return true;
  if (type == ExprType::kDouble) return real == o.real || (std::isnan(real) && std::isnan(o.real));
  if (type == ExprType::kVarchar) return text == o.text;
  return integer == o.integer;
}

std::string_view BoundExpr::functionName() const {
  return kind == ExprKind::kCall && function != nullptr ? std::string_view(function->name)
                                                        : std::string_view();
}

std::string BoundExpr::toString() const {
  switch (kind) {
    case ExprKind::kColumn:
      return name.empty() ? "$" + std::to_string(column) : name;
    case ExprKind::kLiteral:
      if (literal.isNull && type != ExprType::kNull)
        return "CAST(NULL AS " + std::string(exprTypeName(type)) + ")";
      return literal.toString();
    case ExprKind::kCast:
      return std::string(tryCast ? "TRY_CAST(" : "CAST(") + args[0]->toString() + " AS " +
             std::string(exprTypeName(type)) + ")";
    case ExprKind::kCase: {
      std::string s = "CASE";
      for (size_t i = 0; i + 1 < args.size(); i += 2)
        s += " WHEN " + args[i]->toString() + " THEN " + args[i + 1]->toString();
      return s + " ELSE " + args.back()->toString() + " END";
    }
    case ExprKind::kIn: {
      std::string s = args[0]->toString() + " IN (";
      for (size_t i = 1; i < args.size(); ++i) s += (i > 1 ? ", " : "") + args[i]->toString();
      return s + ")";
    }
    case ExprKind::kCall:
      break;
  }
  const FunctionDef& f = *function;
  // Operands that are themselves operators get parentheses, so the text reads unambiguously.
  auto operand = [](const BoundExprPtr& a) {
    std::string s = a->toString();
    if (a->kind == ExprKind::kCall && a->function->syntax != Syntax::kFunction)
      return "(" + s + ")";
    return s;
  };
  switch (f.syntax) {
    case Syntax::kInfix: {
      std::string s;
      for (size_t i = 0; i < args.size(); ++i) {
        if (i) s += " " + f.name + " ";
        s += operand(args[i]);
      }
      return s;
    }
    case Syntax::kPrefix:
      return f.name + (f.name == "-" || f.name == "+" ? "" : " ") + operand(args[0]);
    case Syntax::kPostfix:
      return operand(args[0]) + " " + f.name;
    case Syntax::kFunction:
      break;
  }
  std::string s = f.name + "(";
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i]->toString();
  return s + ")";
}

bool BoundExpr::equals(const BoundExpr& o) const {
  if (kind != o.kind || type != o.type || nullable != o.nullable) return false;
  switch (kind) {
    case ExprKind::kColumn:
      return column == o.column;
    case ExprKind::kLiteral:
      return literal == o.literal;
    case ExprKind::kCall:
      if (function != o.function) return false;
      break;
    case ExprKind::kCast:
      if (tryCast != o.tryCast) return false;
      break;
    default:
      break;
  }
  if (args.size() != o.args.size()) return false;
  for (size_t i = 0; i < args.size(); ++i)
    if (!args[i]->equals(*o.args[i])) return false;
  return true;
}

BoundExprPtr makeColumnRef(int index, ExprType type, bool nullable, std::string name) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kColumn;
  e->type = type;
  e->nullable = nullable;
  e->column = index;
  e->name = std::move(name);
  return e;
}

BoundExprPtr makeColumnRef(int index, TypeId type, bool nullable, std::string name) {
  return makeColumnRef(index, exprTypeOf(type), nullable, std::move(name));
}

BoundExprPtr makeLiteral(Value value) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kLiteral;
  e->type = value.type;
  e->nullable = value.isNull;
  e->literal = std::move(value);
  return e;
}

BoundExprPtr makeNullLiteral(ExprType type) {
  return makeLiteral(Value::null(type));
}

BoundExprPtr makeIntervalDayTime(int64_t millis) {
  return makeLiteral(Value::integerOf(ExprType::kIntervalDayTime, millis));
}
BoundExprPtr makeIntervalYearMonth(int64_t months) {
  return makeLiteral(Value::integerOf(ExprType::kIntervalYearMonth, months));
}

Result<BoundExprPtr> remapColumns(const BoundExprPtr& expr, const std::vector<int>& mapping) {
  if (expr->kind == ExprKind::kColumn) {
    if (expr->column < 0 || static_cast<size_t>(expr->column) >= mapping.size() ||
        mapping[expr->column] < 0)
      return Status::invalidArgument("remapColumns: column " + expr->toString() +
                                     " has no index in the new input");
    auto copy = std::make_shared<BoundExpr>(*expr);
    copy->column = mapping[expr->column];
    return BoundExprPtr(copy);
  }
  if (expr->args.empty()) return expr;
  auto copy = std::make_shared<BoundExpr>(*expr);
  for (auto& a : copy->args) {
    auto r = remapColumns(a, mapping);
    if (!r.isOk()) return r.status();
    a = std::move(r).value();
  }
  return BoundExprPtr(copy);
}

static void collectColumns(const BoundExpr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kColumn) out.push_back(e.column);
  for (const auto& a : e.args) collectColumns(*a, out);
}

std::vector<int> referencedColumns(const BoundExpr& expr) {
  std::vector<int> out;
  collectColumns(expr, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace glint::sql
