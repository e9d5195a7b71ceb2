#pragma once
// Flink's rule for ORDER BY in streaming mode: rows cannot be sorted on a column whose values
// come in any order without waiting for the end of an unbounded input, so the first sort key
// must be a time attribute in ascending order (later keys are free), unless a LIMIT bounds the
// result (then it is a Top-N). Batch mode sorts on anything.
#include <string_view>

#include "glint/common/status.h"
#include "glint/sql/parser/ast.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// `plan` is `query` bound and optimized; the error points at the offending ORDER BY item.
Status checkStreamingOrderBy(const Query& query, const RelNode& plan, std::string_view sql);

}  // namespace glint::sql
