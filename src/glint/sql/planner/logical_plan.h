#pragma once
// The logical plan of a query: a tree of relational operators whose expressions are bound
// (sql/expr/bound_expr.h; column i of an expression is column i of the operator's input, or of
// the left input followed by the right one for a join). The binder builds it, the optimizer
// rewrites it (optimizer.h) and the physical translation maps it onto the engine's operators
// (physical_plan.h).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "glint/sql/catalog/catalog.h"
#include "glint/sql/expr/bound_expr.h"

namespace glint::sql {

struct RelColumn {
  std::string name;
  ExprType type = ExprType::kBigint;
  bool nullable = true;
};

enum class RelKind {
  kScan,             // a catalog table (computed columns and watermark applied)
  kValues,           // literal rows
  kCalc,             // optional filter, then projections
  kAggregate,        // GROUP BY keys with aggregate calls (updating in streaming mode)
  kWindowAggregate,  // GROUP BY window_start, window_end (+ keys) over a window TVF
  kJoin,             // regular join on equal keys plus a residual condition
  kUnion,            // UNION ALL
  kSort,             // ORDER BY / LIMIT / OFFSET (bounded input)
  kWindowAssign,     // a window TVF's rows: input ++ window_start, window_end, window_time
  kRank,  // ROW_NUMBER() OVER (PARTITION BY groupKeys ORDER BY sortKeys): input ++ [rank]
  kOverAggregate,  // agg() OVER (PARTITION BY groupKeys ORDER BY sortKeys frame): input ++ aggs
  kReplicateRows,  // each input row, without its last column (a count), that many times
};

enum class AggKind {
  kCountStar,
  kCount,
  kSum,
  kMin,
  kMax,
  kAvg,
  // Flink's statistical aggregates (DOUBLE for DOUBLE arguments, truncated integers for integer
  // ones), and the list ones that keep their values to handle retraction.
  kStddevPop,
  kStddevSamp,
  kVarPop,
  kVarSamp,
  kListAgg,
  kFirstValue,
  kLastValue,
  // OVER only: the argument of the row `offset` rows before (LAG) or after (LEAD) the current
  // one in its partition's order, whatever the frame; the default's value when there is none.
  kLag,
  kLead,
  // OVER in batch mode only: where the row stands in its partition. NTILE(n) (`offset` holds
  // n): its bucket of n nearly equal ones; PERCENT_RANK: (rank - 1) / (rows - 1); CUME_DIST:
  // the rows up to its last peer / rows.
  kNtile,
  kPercentRank,
  kCumeDist,
};

// The SQL name of a kind (STDDEV_SAMP, not its alias STDDEV).
const char* aggregateName(AggKind kind);
inline bool isStatisticalAggregate(AggKind k) {
  return k == AggKind::kStddevPop || k == AggKind::kStddevSamp || k == AggKind::kVarPop ||
         k == AggKind::kVarSamp;
}
inline bool isOffsetFunction(AggKind k) {
  return k == AggKind::kLag || k == AggKind::kLead;
}
inline bool isDistributionFunction(AggKind k) {
  return k == AggKind::kNtile || k == AggKind::kPercentRank || k == AggKind::kCumeDist;
}
inline bool isListAggregate(AggKind k) {
  return k == AggKind::kListAgg || k == AggKind::kFirstValue || k == AggKind::kLastValue;
}

struct AggCall {
  AggKind kind = AggKind::kCountStar;
  int argument = -1;  // input column, -1 for COUNT(*)
  bool distinct = false;
  int filter =
      -1;  // input BOOLEAN column of FILTER (WHERE ...): rows where it is not TRUE are skipped
  ExprType argumentType = ExprType::kBigint;
  ExprType resultType = ExprType::kBigint;
  std::string separator;  // LISTAGG
  int64_t offset = 1;       // LAG / LEAD: rows back or ahead
  int defaultArgument = -1;  // LAG / LEAD: input column of the default, -1 for NULL
  std::string toString(const std::vector<RelColumn>& input) const;
};

enum class WindowKind { kTumble, kHop, kCumulate, kSession };

struct WindowSpecification {
  WindowKind kind = WindowKind::kTumble;
  int timeColumn = -1;  // the descriptor column (the input's rowtime attribute)
  int64_t size = 0;     // TUMBLE/HOP/CUMULATE size, SESSION gap
  int64_t slide = 0;    // HOP slide, CUMULATE step
  int64_t offset = 0;
  // The descriptor column is a PROCTIME() attribute: windows follow the machine clock of the
  // aggregating task and fire on processing-time timers (streaming mode only).
  bool processingTime = false;
  std::string toString() const;
};

enum class RelJoinType { kInner, kLeft, kRight, kFull };

struct SortKey {
  int column = 0;
  bool descending = false;
  bool nullsFirst = false;
};

enum class RankFunction { kRowNumber, kRank, kDenseRank };

// The frame of an OVER aggregation; it always ends at the current row (Flink supports no
// other end). Errors that depend on the runtime mode or on the input's changelog are rendered
// (with the SQL position) by the binder and raised by the physical translation.
struct OverFrame {
  bool rows = false;  // ROWS (else RANGE: the current row's peers are in the frame)
  // Rows (ROWS) or milliseconds (RANGE) before the current row; -1: unbounded.
  int64_t preceding = -1;
  // The same after the current row (batch mode only): 0 ends the frame at the current row (for
  // RANGE, its last peer), -1 at the partition's end.
  int64_t following = 0;
  std::string streamingError;      // why it cannot run in streaming mode, or empty
  std::string updatingInputError;  // the error for an updating input in streaming mode
  std::string toString() const;
};

// Output columns on which no two rows of a relation agree (planner/unique_keys.h); `origin`
// says where the key was declared or derived ("PRIMARY KEY (id) NOT ENFORCED of table `t`"),
// for plans and errors.
struct UniqueKey {
  std::vector<int> columns;  // sorted; empty: at most one row
  std::string origin;
};

struct RelNode;
using RelPtr = std::shared_ptr<RelNode>;

struct RelNode {
  RelKind kind = RelKind::kScan;
  std::vector<RelColumn> columns;  // the output
  std::vector<RelPtr> inputs;
  // The output column whose value is every row's event time (batch timestamps and watermarks
  // follow it), or -1.
  int rowtimeColumn = -1;

  // kScan
  std::shared_ptr<const CatalogTable> table;
  // kValues
  std::vector<std::vector<Value>> rows;
  // kCalc
  BoundExprPtr condition;  // may be null
  std::vector<BoundExprPtr> projections;
  // kAggregate / kWindowAggregate: output = keys, [window_start, window_end, window_time], aggs
  std::vector<int> groupKeys;
  std::vector<AggCall> aggregates;
  WindowSpecification window;  // also kWindowAssign (timeColumn: input column)
  // kJoin: output = left columns then right columns
  RelJoinType joinType = RelJoinType::kInner;
  std::vector<int> leftKeys, rightKeys;
  BoundExprPtr joinCondition;  // residual over left ++ right columns; may be null
  // kSort (kRank: the ORDER BY of the window and the largest rank kept, -1 for all)
  std::vector<SortKey> sortKeys;
  int64_t limit = -1;
  bool rankColumn = true;  // kRank: the rank is the last output column
  RankFunction rankFunction = RankFunction::kRowNumber;  // kRank
  // kOverAggregate (its calls are `aggregates`, its ORDER BY `sortKeys`); kRank: streamingError
  OverFrame overFrame;
  int64_t offset = 0;

  // Filled by deriveChangelogModes: the output has -U/+U/-D rows.
  bool updating = false;
  // Filled by deriveUniqueKeys (unique_keys.h).
  std::vector<UniqueKey> uniqueKeys;

  // Filled by annotateWindows (window_rules.h). Output positions of window_start, window_end
  // and window_time when every row is the result of one window and carries the event time
  // window_end - 1 (window aggregates and what keeps their rows whole), else -1.
  int windowStartColumn = -1, windowEndColumn = -1, windowTimeColumn = -1;
  // kAggregate grouped by window_start and window_end of such an input, or kJoin whose keys
  // equate both sides' window_start and window_end: each window's result is emitted once when
  // the watermark passes it (Flink's window aggregate on windowed input, window join).
  bool perWindow = false;
  // kJoin (inner, insert-only inputs) whose condition bounds the right input's time attribute
  // by the left's: right.rowtime - left.rowtime in [intervalLower, intervalUpper] (inclusive,
  // milliseconds). Runs as an interval join whose state the watermark cleans up.
  bool intervalJoin = false;
  int64_t intervalLower = 0, intervalUpper = 0;
  // kJoin (inner or left) written `JOIN t FOR SYSTEM_TIME AS OF left.proctime`: a lookup join
  // against the bounded right input, loaded into a hash table by every task
  // (operators/lookup_join.h); the keys are the ON equalities on right columns.
  bool lookupJoin = false;
  bool hasWindowColumns() const { return windowStartColumn >= 0 && windowEndColumn >= 0; }
};

// Sets `updating` bottom-up (Flink's changelog mode inference): aggregates and joins over
// updating inputs update, outer joins update, group aggregates always update in streaming.
void deriveChangelogModes(RelNode& node);

// One line per operator, indented by depth, with its changelog mode.
std::string explainLogical(const RelNode& node);

}  // namespace glint::sql
