#pragma once
// INTERSECT [ALL] and EXCEPT [ALL] on the engine's operators, as Flink rewrites them (its
// RewriteIntersectAllRule / RewriteMinusAllRule): both inputs tagged with a side marker and
// unioned, a group aggregate over all columns counting the rows of each side (NULLs are equal,
// as GROUP BY treats them), a Calc computing how many copies of each row the result holds,
// and ReplicateRows emitting them (operators/replicate_rows.h).
//   INTERSECT: 1 if m > 0 and n > 0     INTERSECT ALL: min(m, n)
//   EXCEPT:    1 if m > 0 and n = 0     EXCEPT ALL:    max(m - n, 0)
// (m rows of the left input, n of the right.) In streaming mode the counts change as rows
// arrive, so the result is a changelog: a later right row retracts (-D) a row EXCEPT emitted.
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

enum class SetDifferenceKind { kIntersect, kExcept };

// `left` and `right` have the same column types; the result has `columns`.
Result<RelPtr> planIntersectOrExcept(SetDifferenceKind kind, bool all, RelPtr left, RelPtr right,
                                     const std::vector<RelColumn>& columns);

}  // namespace glint::sql
