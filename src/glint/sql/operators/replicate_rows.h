#pragma once
// Replicates rows by a count: the last input column is a multiplicity n >= 0 and each row,
// without that column, is emitted n times. The set operations INTERSECT [ALL] and EXCEPT [ALL]
// end with it: a group aggregate counts each distinct row per side and a Calc turns the two
// counts into the row's multiplicity in the result (as Flink's ReplicateRows table function).
//
// Changelog: rows that add (+I, +U) are emitted as +I copies, rows that retract (-U, -D) as
// -D copies. A -U followed directly by a +U of the same row (a group aggregate reporting a
// changed count) is emitted as the difference of the two multiplicities, so a count change
// that does not change the result emits nothing. Stateless: a pair split across batches is
// emitted as its -D and +I copies, which apply to the same result.
#include "glint/types/batch.h"

namespace glint::sql {

class ReplicateRowsFunction {
 public:
  explicit ReplicateRowsFunction(SchemaPtr output) : output_(std::move(output)) {}
  Batch operator()(Batch&& batch) const;

 private:
  SchemaPtr output_;
};

}  // namespace glint::sql
