#pragma once
// Rule-based rewrites of the logical plan: constant folding, filter push-down (into joins and
// below them), extraction of equi-join keys, projection push-down below joins, and removal of
// identity projections. Then the changelog mode of every operator is derived.
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

RelPtr optimize(RelPtr plan);

}  // namespace glint::sql
