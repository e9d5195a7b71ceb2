#pragma once
// A bounded source over text files (CSV or JSON lines). Its splits are the files of a path
// (a file, or every regular file of a directory whose name does not start with '.' or '_',
// in name order); file i is read by subtask i % parallelism, in chunks, so memory stays
// bounded whatever the file size. Malformed records follow the format's policy
// (formats/record_format.h): fail the job with file:line, or skip and count them.
//
// Checkpointed state: one item per file not yet fully emitted, with the number of rows already
// emitted from it. A restored reader decodes the file again from its start and drops that many
// rows (so a CSV header and the malformed-record policy apply exactly as before); this re-reads
// the emitted prefix of at most one file per subtask.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "glint/formats/record_format.h"
#include "glint/runtime/operator.h"

namespace glint {

struct FileSourceOptions {
  std::string path;
  std::string format = "csv";  // "csv" | "json"
  TextFormatOptions formatOptions;
  size_t chunkBytes = 1 << 20;
};

// The files a path names (see above); an error names the path when it does not exist or
// holds no file.
Result<std::vector<std::string>> listInputFiles(const std::string& path);

class FileSource final : public SourceOperator {
 public:
  FileSource(FileSourceOptions options, SchemaPtr schema)
      : options_(std::move(options)), schema_(std::move(schema)) {}
  ~FileSource() override;
  void initializeState(OperatorRestoreState&& state) override;
  void open() override;
  PollResult pollNext(int64_t* wakeAtNanos) override;
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) override;

 private:
  struct Split {
    std::string path;
    int64_t rowsEmitted = 0;
  };
  Status openNextFile();
  void closeFile();
  void reportSkips();
  FileSourceOptions options_;
  SchemaPtr schema_;
  bool restored_ = false;
  std::vector<Split> files_;
  size_t nextFile_ = 0;
  Split* current_ = nullptr;  // the file rows come from (all of pending_ is from it)
  int64_t toDrop_ = 0;        // rows of the current file emitted before the restore
  std::FILE* file_ = nullptr;
  std::unique_ptr<RecordDecoder> decoder_;
  std::string chunk_;
  Batch pending_;
};

}  // namespace glint
