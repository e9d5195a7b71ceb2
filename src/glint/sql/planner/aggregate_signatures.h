#pragma once
// Flink's aggregate functions beyond COUNT/SUM/MIN/MAX/AVG: the statistical ones (STDDEV_POP,
// STDDEV_SAMP/STDDEV, VAR_POP, VAR_SAMP/VARIANCE) and the list ones (LISTAGG, FIRST_VALUE,
// LAST_VALUE). Shared by the GROUP BY binder and the OVER rules, so both accept the same
// arguments and give the same result types. Messages carry no position: callers add the
// call's span.
#include <optional>
#include <string>

#include "glint/sql/parser/ast.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// The kind of one of these functions (upper-case name, aliases included), or nullopt.
std::optional<AggKind> extendedAggregateKind(const std::string& upperName);

// How many arguments `kind` takes at most (LISTAGG: value and separator).
size_t maxAggregateArguments(AggKind kind);

// Checks `call` (kind, argument type, DISTINCT) and fills its result type and, for LISTAGG,
// its separator from the second argument of `ast`. Returns an error message, or empty.
std::string completeExtendedAggregate(const FunctionCallExpr& ast, AggCall& call);

// Any aggregate with one argument (COUNT, SUM, AVG, MIN, MAX and the ones above): from
// `call.argumentType`, fills its kind and result type (Flink: SUM and AVG keep the argument's
// type). Returns an error message, or empty.
std::string typeAggregateCall(const FunctionCallExpr& ast, const std::string& upperName,
                              AggCall& call);

}  // namespace glint::sql
