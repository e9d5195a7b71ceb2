#include "glint/sql/planner/logical_plan.h"

#include "glint/sql/planner/unique_keys.h"
#include "glint/types/data_type.h"

namespace glint::sql {

namespace {
const char* aggName(AggKind k) {
  switch (k) {
    case AggKind::kCountStar:
      return "COUNT";
    case AggKind::kCount:
      return "COUNT";
    case AggKind::kSum:
      return "SUM";
    case AggKind::kMin:
      return "MIN";
    case AggKind::kMax:
      return "MAX";
    case AggKind::kAvg:
      return "AVG";
    case AggKind::kStddevPop:
      return "STDDEV_POP";
    case AggKind::kStddevSamp:
      return "STDDEV_SAMP";
    case AggKind::kVarPop:
      return "VAR_POP";
    case AggKind::kVarSamp:
      return "VAR_SAMP";
    case AggKind::kListAgg:
      return "LISTAGG";
    case AggKind::kFirstValue:
      return "FIRST_VALUE";
    case AggKind::kLastValue:
      return "LAST_VALUE";
    case AggKind::kLag:
      return "LAG";
    case AggKind::kLead:
      return "LEAD";
    case AggKind::kNtile:
      return "NTILE";
    case AggKind::kPercentRank:
      return "PERCENT_RANK";
    case AggKind::kCumeDist:
      return "CUME_DIST";
  }
  return "?";
}

std::string durationText(int64_t ms) {
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + " h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + " min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

std::string columnList(const std::vector<RelColumn>& columns, const std::vector<int>& indexes) {
  std::string s;
  for (size_t i = 0; i < indexes.size(); ++i) s += (i ? ", " : "") + columns[indexes[i]].name;
  return s;
}
}  // namespace

const char* aggregateName(AggKind kind) {
  return aggName(kind);
}

std::string AggCall::toString(const std::vector<RelColumn>& input) const {
  if (isDistributionFunction(kind))
    return std::string(aggName(kind)) + "(" +
           (kind == AggKind::kNtile ? std::to_string(offset) : std::string()) + ")";
  std::string text = kind == AggKind::kCountStar
                         ? std::string("COUNT(*)")
                         : std::string(aggName(kind)) + "(" + (distinct ? "DISTINCT " : "") +
                               input[argument].name +
                               (kind == AggKind::kListAgg ? ", '" + separator + "'" : "") +
                               (isOffsetFunction(kind) ? ", " + std::to_string(offset) : "") +
                               (defaultArgument >= 0 ? ", " + input[defaultArgument].name : "") +
                               ")";
  if (filter >= 0) text += " FILTER " + input[filter].name;
  return text;
}

std::string WindowSpecification::toString() const {
  const std::string time = processingTime ? ", proctime" : "";
  switch (kind) {
    case WindowKind::kTumble:
      return "TUMBLE(size=" + durationText(size) + time + ")";
    case WindowKind::kHop:
      return "HOP(size=" + durationText(size) + ", slide=" + durationText(slide) + time + ")";
    case WindowKind::kCumulate:
      return "CUMULATE(max size=" + durationText(size) + ", step=" + durationText(slide) + time +
             ")";
    case WindowKind::kSession:
      return "SESSION(gap=" + durationText(size) + time + ")";
  }
  return "?";
}

void deriveChangelogModes(RelNode& node) {
  bool anyUpdating = false;
  for (auto& in : node.inputs) {
    deriveChangelogModes(*in);
    anyUpdating |= in->updating;
  }
  switch (node.kind) {
    case RelKind::kScan:
    case RelKind::kValues:
      node.updating = false;
      break;
    case RelKind::kAggregate:
      node.updating = !node.perWindow;
      break;
    case RelKind::kWindowAggregate:
      node.updating = false;  // each window's result is final when it fires
      break;
    case RelKind::kJoin:
      // A lookup join's table does not change: it passes the left input's changes through.
      if (node.lookupJoin) {
        node.updating = node.inputs[0]->updating;
        break;
      }
      node.updating = !node.perWindow && !node.intervalJoin &&
                      (anyUpdating || node.joinType != RelJoinType::kInner);
      break;
    case RelKind::kSort:
      node.updating = false;  // emits the sorted final rows at the end of input
      break;
    case RelKind::kRank:
      // A row can leave the top N later, unless each window's top N is emitted once.
      node.updating = !node.perWindow;
      break;
    default:
      node.updating = anyUpdating;
  }
}

std::string OverFrame::toString() const {
  const std::string start =
      preceding < 0 ? "UNBOUNDED PRECEDING"
                    : std::to_string(preceding) + (rows ? "" : " ms") + " PRECEDING";
  const std::string end =
      following == 0  ? "CURRENT ROW"
      : following < 0 ? "UNBOUNDED FOLLOWING"
                      : std::to_string(following) + (rows ? "" : " ms") + " FOLLOWING";
  return std::string(rows ? "ROWS" : "RANGE") + " BETWEEN " + start + " AND " + end;
}

namespace {
void explainNode(const RelNode& n, int depth, std::string& out) {
  std::string line(depth * 2, ' ');
  const std::vector<RelColumn> empty;
  const auto& in = n.inputs.empty() ? empty : n.inputs[0]->columns;
  switch (n.kind) {
    case RelKind::kScan:
      line += "TableSourceScan(table=[" + n.table->name + "], connector=[" + n.table->connector +
              "], fields=[";
      for (size_t i = 0; i < n.columns.size(); ++i) line += (i ? ", " : "") + n.columns[i].name;
      line += "]";
      if (n.rowtimeColumn >= 0)
        line += ", watermark=[" + n.columns[n.rowtimeColumn].name + " - " +
                std::to_string(n.table->watermarkDelayMillis) + " ms]";
      line += ")";
      break;
    case RelKind::kValues:
      line += "Values(rows=" + std::to_string(n.rows.size()) + ")";
      break;
    case RelKind::kCalc: {
      line += "Calc(";
      if (n.condition) line += "where=[" + n.condition->toString() + "], ";
      line += "select=[";
      for (size_t i = 0; i < n.projections.size(); ++i) {
        std::string e = n.projections[i]->toString();
        line += (i ? ", " : "") + e;
        if (e != n.columns[i].name) line += " AS " + n.columns[i].name;
      }
      line += "])";
      break;
    }
    case RelKind::kAggregate:
    case RelKind::kWindowAggregate: {
      line += n.kind == RelKind::kAggregate
                  ? (n.perWindow ? "WindowAggregate(window=[on input window], " : "GroupAggregate(")
                  : "WindowAggregate(window=[" + n.window.toString() + "], ";
      line += "groupBy=[" + columnList(in, n.groupKeys) + "], select=[";
      for (size_t i = 0; i < n.aggregates.size(); ++i)
        line += (i ? ", " : "") + n.aggregates[i].toString(in);
      line += "])";
      break;
    }
    case RelKind::kJoin: {
      static const char* types[] = {"InnerJoin", "LeftOuterJoin", "RightOuterJoin",
                                    "FullOuterJoin"};
      line += std::string(n.perWindow ? "WindowJoin" : (n.lookupJoin ? "LookupJoin" : "Join")) +
              "(joinType=[" +
              std::string(types[static_cast<int>(n.joinType)]) + "], ";
      const auto& l = n.inputs[0]->columns;
      const auto& r = n.inputs[1]->columns;
      line += "keys=[";
      for (size_t i = 0; i < n.leftKeys.size(); ++i)
        line += (i ? ", " : "") + l[n.leftKeys[i]].name + " = " + r[n.rightKeys[i]].name;
      line += "]";
      if (n.joinCondition) line += ", where=[" + n.joinCondition->toString() + "]";
      if (n.intervalJoin)
        line += ", interval=[" + std::to_string(n.intervalLower) + " ms, " +
                std::to_string(n.intervalUpper) + " ms]";
      // How a regular join keeps its inputs, as Flink prints it (unique_keys.h).
      if (!n.perWindow && !n.intervalJoin && !n.lookupJoin)
        line += std::string(", leftInputSpec=[") + joinInputSpecName(joinInputSpec(n, 0)) +
                "], rightInputSpec=[" + joinInputSpecName(joinInputSpec(n, 1)) + "]";
      line += ")";
      break;
    }
    case RelKind::kWindowAssign:
      line += "WindowTableFunction(window=[" + n.window.toString() + "], timeCol=[" +
              in[n.window.timeColumn].name + "])";
      break;
    case RelKind::kUnion:
      line += "Union(all=[true])";
      break;
    case RelKind::kSort: {
      line += "SortLimit(orderBy=[";
      for (size_t i = 0; i < n.sortKeys.size(); ++i)
        line += (i ? ", " : "") + n.columns[n.sortKeys[i].column].name +
                (n.sortKeys[i].descending ? " DESC" : " ASC");
      line += "]";
      if (n.limit >= 0) line += ", limit=[" + std::to_string(n.limit) + "]";
      if (n.offset > 0) line += ", offset=[" + std::to_string(n.offset) + "]";
      line += ")";
      break;
    }
    case RelKind::kRank: {
      line += std::string(n.perWindow ? "WindowRank" : "Rank") + "(partitionBy=[" +
              columnList(in, n.groupKeys) + "], orderBy=[";
      for (size_t i = 0; i < n.sortKeys.size(); ++i)
        line += (i ? ", " : "") + in[n.sortKeys[i].column].name +
                (n.sortKeys[i].descending ? " DESC" : " ASC");
      line += "], rankRange=[1.." + (n.limit >= 0 ? std::to_string(n.limit) : "") + "]";
      if (n.rankFunction != RankFunction::kRowNumber)
        line += n.rankFunction == RankFunction::kRank ? ", rankType=[RANK]"
                                                      : ", rankType=[DENSE_RANK]";
      if (n.rankColumn) line += ", rank=[" + n.columns.back().name + "]";
      line += ")";
      break;
    }
    case RelKind::kOverAggregate: {
      line += "OverAggregate(partitionBy=[" + columnList(in, n.groupKeys) + "], orderBy=[";
      for (size_t i = 0; i < n.sortKeys.size(); ++i)
        line += (i ? ", " : "") + in[n.sortKeys[i].column].name +
                (n.sortKeys[i].descending ? " DESC" : " ASC");
      line += "], " + n.overFrame.toString() + ", select=[";
      for (size_t i = 0; i < n.aggregates.size(); ++i)
        line += (i ? ", " : "") + n.aggregates[i].toString(in);
      line += "])";
      break;
    }
    case RelKind::kReplicateRows:
      line += "ReplicateRows(count=[" + in.back().name + "])";
      break;
  }
  line += n.updating ? ", changelogMode=[I,UB,UA,D]" : ", changelogMode=[I]";
  out += line + "\n";
  for (const auto& i : n.inputs) explainNode(*i, depth + 1, out);
}
}  // namespace

std::string explainLogical(const RelNode& node) {
  std::string out;
  explainNode(node, 0, out);
  return out;
}

}  // namespace glint::sql
