#pragma once
// OVER window functions in the logical plan (the binder calls planOverWindows):
// ROW_NUMBER(), RANK() and DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...) become kRank
// nodes, and a filter on the rank above one (`rn <= N`, `rn < N`, `rn = 1`) becomes its limit
// (the optimizer calls pushRankFilters), which makes it a Top-N or a deduplication.
// COUNT/SUM/MIN/MAX/AVG OVER (...) become kOverAggregate nodes, one per distinct window.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "glint/sql/parser/ast.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

using BindFunction = std::function<Result<BoundExprPtr>(const Expr&)>;
using ErrorFunction =
    std::function<Status(const SourceSpan&, const std::string&, const std::string&)>;

struct PlannedOver {
  RelPtr plan;                                 // the input with the calls' columns appended
  std::map<const Expr*, BoundExprPtr> values;  // each call's column in `plan`
};

// Plans the OVER calls of one SELECT over `input`, whose columns keep their positions.
// `windows` is the SELECT's WINDOW clause; `bind` binds expressions over `input`'s columns.
// Aggregates that share a window share one node; Flink's streaming runtime computes only one
// window per SELECT, so a second window gets an error for streaming mode (OverFrame).
Result<PlannedOver> planOverWindows(const std::vector<const FunctionCallExpr*>& calls,
                                    const std::vector<NamedWindow>& windows, RelPtr input,
                                    const BindFunction& bind, const ErrorFunction& error);

// Turns filters on a rank column into rank limits and drops rank columns nobody reads.
RelPtr pushRankFilters(RelPtr plan);

}  // namespace glint::sql
