#pragma once
// The binder: resolves a parsed query against the catalog (names, types via the expression
// layer, `*`, aliases, views, subqueries in FROM, window TVFs, GROUP BY) into a logical plan.
// Unknown names are errors with a caret and a "did you mean" hint.
#include <string_view>

#include "glint/sql/catalog/catalog.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// Binds `query`, parsed from `sql` (spans refer to it).
Result<RelPtr> bindQuery(const Query& query, std::string_view sql, const Catalog& catalog);

// Binds a scalar expression over named columns (for tests and computed columns).
Result<BoundExprPtr> bindScalar(const Expr& expr, std::string_view sql,
                                const std::vector<RelColumn>& columns);

}  // namespace glint::sql
