#pragma once
// Sinks for tests, demos and benchmarks: collect (in memory), print (stdout), blackhole.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "glint/runtime/operators/sink_operator.h"

namespace glint {

// Rows received by a collect sink, shared by all its subtasks. For changelog streams,
// finalRows() applies the changes (+I/+U add a row, -U/-D remove one) and gives the result.
class CollectedRows {
 public:
  enum class Format { kText, kCsv };  // "1, a" or RFC 4180 "1,a"
  explicit CollectedRows(Format format = Format::kText) : format_(format) {}
  void add(const Batch& batch);
  // Every row received, as "+I 1, a" strings with the row kind, in arrival order per subtask.
  std::vector<std::string> changelog() const;
  // The materialized result as "1, a" strings, sorted. Fails (throws) if a retraction has no
  // matching row: that is a bug upstream.
  std::vector<std::string> finalRows() const;
  int64_t rowCount() const;

 private:
  Format format_;
  mutable std::mutex mu_;
  std::vector<std::pair<RowKind, std::string>> rows_;
};

class CollectSink final : public SinkOperator {
 public:
  explicit CollectSink(std::shared_ptr<CollectedRows> rows) : rows_(std::move(rows)) {}

 protected:
  void consume(Batch&& batch) override { rows_->add(batch); }

 private:
  std::shared_ptr<CollectedRows> rows_;
};

class PrintSink final : public SinkOperator {
 protected:
  void consume(Batch&& batch) override;
};

class BlackholeSink final : public SinkOperator {
 protected:
  void consume(Batch&&) override {}
};

// The materialized final state of a changelog, as a multiset of formatted rows.
class ChangelogMaterializer {
 public:
  // Returns an error naming the row when a retraction has no matching row.
  Status apply(RowKind kind, const std::string& row);
  std::vector<std::string> rows() const;

 private:
  std::map<std::string, int64_t> counts_;
};

}  // namespace glint
