#pragma once
// Windowing rules of the optimizer (Flink's window property propagation): finds the columns
// that are a window's start, end and time through projections, turns GROUP BY window_start,
// window_end over windowed rows into a per-window aggregate, and a join (inner or outer) whose keys
// equate both sides' window_start and window_end into a window join. Both then emit each window's
// result once, insert-only, instead of an updating changelog.
#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// Bottom-up; run after the rewrites that move and add Calcs, before deriveChangelogModes.
void annotateWindows(RelNode& node);

}  // namespace glint::sql
