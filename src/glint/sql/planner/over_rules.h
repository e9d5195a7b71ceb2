#pragma once
// OVER window functions in the logical plan: ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...)
// becomes a kRank node (the binder calls planRowNumber), and a filter on the rank above it
// (`rn <= N`, `rn < N`, `rn = 1`) becomes the node's limit (the optimizer calls
// pushRankFilters), which is what makes it a Top-N or a deduplication.
#include <functional>
#include <string>

#include "glint/sql/parser/ast.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

using BindFunction = std::function<Result<BoundExprPtr>(const Expr&)>;
using ErrorFunction =
    std::function<Status(const SourceSpan&, const std::string&, const std::string&)>;

// A kRank node over `input` for `call` (ROW_NUMBER() with an OVER window); its last column is
// the row number. `bind` binds PARTITION BY / ORDER BY expressions over `input`'s columns.
Result<RelPtr> planRowNumber(const FunctionCallExpr& call, RelPtr input, const BindFunction& bind,
                             const ErrorFunction& error);

// Turns filters on a rank column into rank limits and drops rank columns nobody reads.
RelPtr pushRankFilters(RelPtr plan);

}  // namespace glint::sql
