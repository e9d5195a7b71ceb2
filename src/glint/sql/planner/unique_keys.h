#pragma once
// Unique keys of a relation, as Calcite's RelMdUniqueKeys and Flink's FlinkRelMdUniqueKeys
// derive them: sets of output columns on which no two (current) rows of the relation agree.
// They start at a table's `PRIMARY KEY (...) NOT ENFORCED` (declared, not checked: Flink
// trusts it), at group keys of aggregates and at window columns, and follow projections that
// keep the key columns, filters, sorts, rank filters and joins (Calcite's rules).
//
// A regular join uses them to choose how it keeps each input (Flink's JoinInputSideSpec): an
// input whose join key contains one of its unique keys has at most one row per join key.
#include <string>
#include <vector>

#include "glint/sql/planner/logical_plan.h"

namespace glint::sql {

// Fills RelNode::uniqueKeys bottom-up (run after the rewrites that change the plan's shape).
void deriveUniqueKeys(RelNode& node);

// Whether `columns` contain all the columns of one of `keys`.
bool containsUniqueKey(const std::vector<UniqueKey>& keys, const std::vector<int>& columns);
// The first of `keys` that `columns` contain, or nullptr.
const UniqueKey* uniqueKeyWithin(const std::vector<UniqueKey>& keys,
                                 const std::vector<int>& columns);

// How a regular join keeps one input (Flink's JoinInputSideSpec).
enum class JoinInputSpec {
  kJoinKeyContainsUniqueKey,  // at most one row per join key
  kHasUniqueKey,              // a unique key, not within the join key
  kNoUniqueKey,
};
const char* joinInputSpecName(JoinInputSpec spec);
// The spec of input `side` (0 left, 1 right) of a kJoin whose inputs' unique keys are derived.
JoinInputSpec joinInputSpec(const RelNode& join, int side);

// "(id) from PRIMARY KEY (id) NOT ENFORCED of table `auction`": what a key is and where it
// comes from, for plans and errors.
std::string describeUniqueKey(const UniqueKey& key, const std::vector<RelColumn>& columns);

}  // namespace glint::sql
