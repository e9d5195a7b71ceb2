#include "glint/sql/planner/aggregate_signatures.h"

namespace glint::sql {

std::optional<AggKind> extendedAggregateKind(const std::string& upperName) {
  if (upperName == "STDDEV_POP") return AggKind::kStddevPop;
  if (upperName == "STDDEV_SAMP" || upperName == "STDDEV") return AggKind::kStddevSamp;
  if (upperName == "VAR_POP") return AggKind::kVarPop;
  if (upperName == "VAR_SAMP" || upperName == "VARIANCE") return AggKind::kVarSamp;
  if (upperName == "LISTAGG") return AggKind::kListAgg;
  if (upperName == "FIRST_VALUE") return AggKind::kFirstValue;
  if (upperName == "LAST_VALUE") return AggKind::kLastValue;
  return std::nullopt;
}

size_t maxAggregateArguments(AggKind kind) {
  return kind == AggKind::kListAgg ? 2 : 1;
}

std::string completeExtendedAggregate(const FunctionCallExpr& ast, AggCall& call) {
  const std::string name = aggregateName(call.kind);
  const std::string argument(exprTypeName(call.argumentType));
  // The SQL standard forbids DISTINCT for the statistical functions; for the list ones it
  // would need a distinct multiset kept in arrival order, which is not implemented.
  if (call.distinct) return name + "(DISTINCT ...) is not supported";
  if (isStatisticalAggregate(call.kind)) {
    if (!isNumeric(call.argumentType)) return name + " expects a numeric argument, got " + argument;
    // Flink rewrites these into SUM(x * x), SUM(x) and COUNT(x) and casts the result back to
    // the argument's type: integers in, integers out (truncated).
    call.resultType = call.argumentType;
    return {};
  }
  if (call.kind == AggKind::kListAgg) {
    if (call.argumentType != ExprType::kVarchar)
      return "LISTAGG expects a character string argument, got " + argument;
    call.resultType = ExprType::kVarchar;
    call.separator = ",";
    if (ast.arguments.size() == 2) {
      const Expr& s = *ast.arguments[1];
      if (s.kind != AstExprKind::kLiteral ||
          s.as<LiteralExpr>().literalKind != LiteralKind::kString)
        return "the separator of LISTAGG must be a character string literal";
      call.separator = s.as<LiteralExpr>().text;
    }
    return {};
  }
  // FIRST_VALUE / LAST_VALUE: any storable type, the result has the argument's type.
  if (!columnTypeOf(call.argumentType)) return name + " does not accept " + argument;
  call.resultType = call.argumentType;
  return {};
}

std::string typeAggregateCall(const FunctionCallExpr& ast, const std::string& upperName,
                              AggCall& call) {
  if (auto extended = extendedAggregateKind(upperName)) {
    call.kind = *extended;
    return completeExtendedAggregate(ast, call);
  }
  const ExprType argument = call.argumentType;
  if (upperName == "COUNT") {
    call.kind = AggKind::kCount;
    call.resultType = ExprType::kBigint;
  } else if (upperName == "SUM" || upperName == "AVG") {
    if (!isNumeric(argument))
      return upperName + " expects a numeric argument, got " + std::string(exprTypeName(argument));
    call.kind = upperName == "SUM" ? AggKind::kSum : AggKind::kAvg;
    call.resultType = argument;
  } else {
    if (!columnTypeOf(argument))
      return upperName + " does not accept " + std::string(exprTypeName(argument));
    call.kind = upperName == "MIN" ? AggKind::kMin : AggKind::kMax;
    call.resultType = argument;
  }
  return "";
}

}  // namespace glint::sql
