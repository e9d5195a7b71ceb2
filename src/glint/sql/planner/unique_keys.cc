#include "glint/sql/planner/unique_keys.h"

#include <algorithm>

namespace glint::sql {

namespace {

// Joins multiply the keys of their inputs; a plan rarely needs more than a few.
constexpr size_t kMaxKeys = 16;

std::vector<int> sortedSet(std::vector<int> columns) {
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  return columns;
}

bool isSubset(const std::vector<int>& small, const std::vector<int>& big) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

// Keeps only minimal keys: a key that contains another says nothing more.
void addKey(std::vector<UniqueKey>& keys, UniqueKey key) {
  key.columns = sortedSet(std::move(key.columns));
  for (const auto& k : keys)
    if (isSubset(k.columns, key.columns)) return;
  keys.erase(std::remove_if(keys.begin(), keys.end(),
                            [&](const UniqueKey& k) { return isSubset(key.columns, k.columns); }),
             keys.end());
  if (keys.size() < kMaxKeys) keys.push_back(std::move(key));
}

std::string columnNames(const std::vector<int>& columns, const std::vector<RelColumn>& names) {
  std::string s;
  for (size_t i = 0; i < columns.size(); ++i) s += (i ? ", " : "") + names[columns[i]].name;
  return s;
}

std::vector<int> iota(int from, int count) {
  std::vector<int> v;
  for (int i = 0; i < count; ++i) v.push_back(from + i);
  return v;
}

// The keys of `input` whose columns all reach the output; outputOf[c] is the output position
// of input column c, -1 when it is dropped.
std::vector<UniqueKey> mapKeys(const std::vector<UniqueKey>& input,
                               const std::vector<int>& outputOf) {
  std::vector<UniqueKey> out;
  for (const auto& key : input) {
    UniqueKey mapped{{}, key.origin};
    bool kept = true;
    for (int c : key.columns) {
      kept = c < static_cast<int>(outputOf.size()) && outputOf[c] >= 0;
      if (!kept) break;
      mapped.columns.push_back(outputOf[c]);
    }
    if (kept) addKey(out, std::move(mapped));
  }
  return out;
}

// Input columns pass through at their own positions (filters, sorts, appended columns).
std::vector<UniqueKey> passThrough(const RelNode& input) {
  return input.uniqueKeys;
}

std::vector<UniqueKey> scanKeys(const RelNode& node) {
  std::vector<UniqueKey> keys;
  if (!node.table || node.table->primaryKey.empty()) return keys;
  UniqueKey key;
  std::string names;
  for (const auto& name : node.table->primaryKey) {
    auto it = std::find_if(node.columns.begin(), node.columns.end(),
                           [&](const RelColumn& c) { return c.name == name; });
    if (it == node.columns.end()) return keys;
    key.columns.push_back(static_cast<int>(it - node.columns.begin()));
    names += (names.empty() ? "" : ", ") + name;
  }
  key.origin = "PRIMARY KEY (" + names + ") NOT ENFORCED of table `" + node.table->name + "`";
  addKey(keys, std::move(key));
  return keys;
}

std::vector<UniqueKey> calcKeys(const RelNode& calc) {
  const RelNode& input = *calc.inputs[0];
  // A column projected as itself keeps its values; the first such output stands for it.
  std::vector<int> outputOf(input.columns.size(), -1);
  for (size_t i = 0; i < calc.projections.size(); ++i) {
    const auto& p = calc.projections[i];
    if (p->kind == ExprKind::kColumn && p->column >= 0 &&
        p->column < static_cast<int>(outputOf.size()) && outputOf[p->column] < 0)
      outputOf[p->column] = static_cast<int>(i);
  }
  return mapKeys(input.uniqueKeys, outputOf);
}

bool generatesNullsOnLeft(RelJoinType t) {
  return t == RelJoinType::kRight || t == RelJoinType::kFull;
}
bool generatesNullsOnRight(RelJoinType t) {
  return t == RelJoinType::kLeft || t == RelJoinType::kFull;
}

// Calcite's RelMdUniqueKeys of a join: a left key with a right key is unique; an input's keys
// stay unique when each of its rows meets at most one row of the other input (the other input
// is unique on its join columns) and the join does not pad it with NULLs.
std::vector<UniqueKey> joinKeys(const RelNode& join) {
  const RelNode& left = *join.inputs[0];
  const RelNode& right = *join.inputs[1];
  const int width = static_cast<int>(left.columns.size());
  std::vector<UniqueKey> rightShifted;
  for (const auto& k : right.uniqueKeys) {
    UniqueKey s{{}, k.origin};
    for (int c : k.columns) s.columns.push_back(c + width);
    rightShifted.push_back(std::move(s));
  }
  std::vector<UniqueKey> keys;
  const bool leftUnique = containsUniqueKey(left.uniqueKeys, sortedSet(join.leftKeys));
  const bool rightUnique = containsUniqueKey(right.uniqueKeys, sortedSet(join.rightKeys));
  if (rightUnique && !generatesNullsOnLeft(join.joinType))
    for (const auto& k : left.uniqueKeys) addKey(keys, k);
  if (leftUnique && !generatesNullsOnRight(join.joinType))
    for (const auto& k : rightShifted) addKey(keys, k);
  for (const auto& l : left.uniqueKeys)
    for (const auto& r : rightShifted) {
      UniqueKey both{l.columns, l.origin + " and " + r.origin};
      both.columns.insert(both.columns.end(), r.columns.begin(), r.columns.end());
      addKey(keys, std::move(both));
    }
  return keys;
}

std::vector<UniqueKey> deriveFor(const RelNode& node) {
  switch (node.kind) {
    case RelKind::kScan:
      return scanKeys(node);
    case RelKind::kCalc:
      return calcKeys(node);
    case RelKind::kAggregate: {
      // Output: the group keys, then the aggregates. Without keys: at most one row.
      const int n = static_cast<int>(node.groupKeys.size());
      std::vector<UniqueKey> keys;
      addKey(keys, {iota(0, n),
                    n == 0 ? "a global aggregate"
                           : "GROUP BY " + columnNames(iota(0, n), node.columns)});
      return keys;
    }
    case RelKind::kWindowAggregate: {
      // Output: keys, window_start, window_end, window_time, aggregates: one row per key and
      // window.
      const int n = static_cast<int>(node.groupKeys.size());
      std::vector<UniqueKey> keys;
      addKey(keys, {iota(0, n + 2), "window aggregate GROUP BY " +
                                        columnNames(iota(0, n + 2), node.columns)});
      return keys;
    }
    case RelKind::kJoin:
      return joinKeys(node);
    case RelKind::kSort:
    case RelKind::kOverAggregate:  // input ++ aggregates, one row per input row
      return passThrough(*node.inputs[0]);
    case RelKind::kWindowAssign: {
      // Input ++ window_start, window_end, window_time: a row once per window containing it.
      const RelNode& input = *node.inputs[0];
      const int width = static_cast<int>(input.columns.size());
      std::vector<UniqueKey> keys;
      for (const auto& k : input.uniqueKeys) {
        if (node.window.kind == WindowKind::kTumble) {
          addKey(keys, k);
          continue;
        }
        UniqueKey withWindow = k;
        withWindow.columns.push_back(width);
        withWindow.columns.push_back(width + 1);
        addKey(keys, std::move(withWindow));
      }
      return keys;
    }
    case RelKind::kRank: {
      // Keeps some input rows (+ the rank). ROW_NUMBER numbers the rows of a partition
      // 1, 2, ...; a top-1 keeps one row per partition.
      std::vector<UniqueKey> keys = passThrough(*node.inputs[0]);
      if (node.rankFunction == RankFunction::kRowNumber) {
        const std::string partition = columnNames(node.groupKeys, node.inputs[0]->columns);
        if (node.rankColumn) {
          std::vector<int> columns = node.groupKeys;
          columns.push_back(static_cast<int>(node.columns.size()) - 1);
          addKey(keys, {columns, "ROW_NUMBER() OVER (PARTITION BY " + partition + ")"});
        }
        if (node.limit == 1)
          addKey(keys, {node.groupKeys, "top-1 ROW_NUMBER() per " +
                                            (partition.empty() ? "query" : partition)});
      }
      return keys;
    }
    case RelKind::kValues:
    case RelKind::kUnion:          // UNION ALL keeps duplicates
    case RelKind::kReplicateRows:  // copies of rows
      return {};
  }
  return {};
}

}  // namespace

void deriveUniqueKeys(RelNode& node) {
  for (auto& in : node.inputs) deriveUniqueKeys(*in);
  node.uniqueKeys = deriveFor(node);
}

const UniqueKey* uniqueKeyWithin(const std::vector<UniqueKey>& keys,
                                 const std::vector<int>& columns) {
  const std::vector<int> set = sortedSet(columns);
  for (const auto& k : keys)
    if (isSubset(k.columns, set)) return &k;
  return nullptr;
}

bool containsUniqueKey(const std::vector<UniqueKey>& keys, const std::vector<int>& columns) {
  return uniqueKeyWithin(keys, columns) != nullptr;
}

const char* joinInputSpecName(JoinInputSpec spec) {
  switch (spec) {
    case JoinInputSpec::kJoinKeyContainsUniqueKey:
      return "JoinKeyContainsUniqueKey";
    case JoinInputSpec::kHasUniqueKey:
      return "HasUniqueKey";
    case JoinInputSpec::kNoUniqueKey:
      return "NoUniqueKey";
  }
  return "?";
}

JoinInputSpec joinInputSpec(const RelNode& join, int side) {
  const RelNode& input = *join.inputs[side];
  if (containsUniqueKey(input.uniqueKeys, side == 0 ? join.leftKeys : join.rightKeys))
    return JoinInputSpec::kJoinKeyContainsUniqueKey;
  return input.uniqueKeys.empty() ? JoinInputSpec::kNoUniqueKey : JoinInputSpec::kHasUniqueKey;
}

std::string describeUniqueKey(const UniqueKey& key, const std::vector<RelColumn>& columns) {
  return "(" + columnNames(key.columns, columns) + ") from " + key.origin;
}

}  // namespace glint::sql
