#pragma once
// Planning of lookup joins (RelNode::lookupJoin): which ON equalities are lookup keys, and the
// translation onto LookupJoinOperator (operators/lookup_join.h).
#include <string>
#include <vector>

#include "glint/api/data_stream.h"
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

struct LookupKeys {
  std::vector<BoundExprPtr> leftKeys;  // over the left input
  std::vector<int> rightKeys;          // right input columns
  BoundExprPtr residual;               // the rest of the condition, over left ++ right; or null
};

// The lookup keys of a join condition over `leftWidth` left columns followed by the right
// ones: conjuncts `expr(left columns) = right column` (either way round), plus the join's
// extracted leftKeys/rightKeys.
LookupKeys lookupKeysOf(const RelNode& join);
LookupKeys splitLookupCondition(const BoundExprPtr& condition, int leftWidth);

// The join over the already translated left input. The right input must be a filesystem
// table scan below Calcs; `explain` gets the operator's line.
Result<DataStream> translateLookupJoin(const RelNode& join, const DataStream& left,
                                       std::string* explain);

}  // namespace glint::sql
