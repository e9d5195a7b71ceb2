#pragma once
// A bounded source over text files (CSV or JSON lines). Its splits are the files of a path
// (a file, or every regular file of a directory whose name does not start with '.' or '_',
// in name order); file i is read by subtask i % parallelism, in chunks, so memory stays
// bounded whatever the file size. Malformed records follow the format's policy
// (formats/record_format.h): fail the job with file:line, or skip and count them.
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
  void open() override;
  PollResult pollNext(int64_t* wakeAtNanos) override;

 private:
  Status openNextFile();
  void closeFile();
  void reportSkips();
  FileSourceOptions options_;
  SchemaPtr schema_;
  std::vector<std::string> files_;
  size_t nextFile_ = 0;
  std::FILE* file_ = nullptr;
  std::unique_ptr<RecordDecoder> decoder_;
  std::string chunk_;
  Batch pending_;
};

}  // namespace glint
