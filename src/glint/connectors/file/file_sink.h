#pragma once
// Writes a stream to a directory of part files, as Flink's filesystem sink does: each sink
// subtask writes `part-<subtask>-<n>.<ext>`; while a part is being written its name starts
// with '.' and ends in '.inprogress', so readers that skip hidden files never see a partial
// part. Each CSV part starts with a header row of the column names (unless csvHeader is false).
//
// Updating (changelog) streams are written in one of two ways: kFinalState keeps the result
// in memory (+I/+U add a row, -U/-D remove one) and writes it when the input ends; kChangelog
// writes every change with its row kind as a first column `rowkind`. kAppendOnly rejects
// updates with an error that names the sink.
//
// Exactly-once (connectors/sinks/two_phase_commit_sink.h): with checkpointing on, a part is
// pre-committed at each checkpoint (closed, synced, still hidden) and renamed to its final
// name only when that checkpoint completes. Part names then carry the run's attempt id,
// `part-<attempt>-<subtask>-<n>`, so a restored run never reuses a name; hidden parts of
// failed runs that no completed checkpoint holds are deleted after the first checkpoint
// following a restore. Parts also roll by size (sink.rolling-policy.file-size) and age
// (sink.rolling-policy.rollover-interval).
#include <cstdio>
#include <string>

#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/connectors/sinks/two_phase_commit_sink.h"

namespace glint {

enum class SinkChangelogMode { kAppendOnly, kFinalState, kChangelog };

struct FileSinkOptions {
  std::string directory;
  std::string format = "csv";  // "csv" | "json"
  SinkChangelogMode mode = SinkChangelogMode::kAppendOnly;
  int64_t rollBytes = 128 << 20;  // sink.rolling-policy.file-size: roll after this many bytes
  int64_t rollIntervalMillis = 30 * 60 * 1000;  // sink.rolling-policy.rollover-interval
  SchemaPtr schema;               // the input's schema (so an empty result still gets a header)
  bool csvHeader = true;  // CSV parts start with a header row (SQL tables: 'csv.header')
};

class FileSink final : public TwoPhaseCommitSink {
 public:
  explicit FileSink(FileSinkOptions options) : options_(std::move(options)) {}
  ~FileSink() override;
  void open() override;
  void finish() override;

 protected:
  void consume(Batch&& batch) override;
  std::vector<std::string> preCommit() override;
  void commit(const std::string& committable) override;
  void discardLeftovers() override;

 private:
  void startPart();
  // Closes and syncs the open part; returns its committable.
  std::string closePart();
  void write(const std::string& bytes);
  std::string header(const Schema& schema) const;

  FileSinkOptions options_;
  std::FILE* file_ = nullptr;
  std::string inProgressPath_;
  std::string finalPath_;
  int partNumber_ = 0;
  int64_t partBytes_ = 0;
  int64_t partOpenedMillis_ = 0;
  SchemaPtr schema_;
  std::string buffer_;
  ChangelogMaterializer finalState_;
  std::vector<std::string> finalLines_;
};

}  // namespace glint
